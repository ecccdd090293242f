"""GetId with each kind of login an identity pool takes, and every refusal of a login token
(STS_REFERENCE §12.8): user pools' ID tokens, Google's, Apple's and IAM OpenID Connect
providers' ID tokens, Facebook's and Login with Amazon's access tokens.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import jwt
import pytest
import time_machine
from botocore.exceptions import ClientError

from tests.helpers import aws_error
from tests.helpers.cognito import cognito
from tests.helpers.identity_pools import (
    AMAZON,
    AMAZON_APP,
    APPLE,
    APPLE_SERVICE,
    BAD_SIGNATURE,
    COGNITO,
    COGNITO_TOKEN,
    DEVELOPER,
    FACEBOOK,
    FACEBOOK_APP,
    GOOGLE,
    GOOGLE_CLIENT,
    IDENTITY_ID,
    ISSUER_MISMATCH,
    MISSING_AUD,
    MISSING_EXP,
    NOT_A_TOKEN,
    OTHER_ACCOUNT,
    UNAUTHENTICATED,
    UNSUPPORTED_PROVIDER,
    apple_token,
    create_pool,
    expired,
    get_id,
    invalid_access_token,
    listed_ids,
    logins_of,
    own_jwks,
    own_token,
    pool_not_found,
)
from tests.helpers.web_identity import EPOCH_T0, T0, web_trust

if TYPE_CHECKING:
    from mock_sts import MockSTS, OIDCProvider
    from mock_sts._cognito_handle import IdentityPool, UserPool

GOOGLE_SUB = "109876543210987654321"


@pytest.fixture
def pool(sts_mock: MockSTS, users: UserPool) -> IdentityPool:
    """A pool taking the user pool's, Google's, Facebook's and Amazon's logins, no guests."""
    return sts_mock.identity_pool(
        "app",
        user_pool=users,
        login_providers={GOOGLE: GOOGLE_CLIENT, FACEBOOK: FACEBOOK_APP, AMAZON: AMAZON_APP},
        allow_unauthenticated=False,
    )


# ---------------------------------------------------------------------------------------
# Each kind of login


def test_a_user_pool_id_token_gets_the_users_identity(users: UserPool, pool: IdentityPool) -> None:
    alice = get_id(pool.pool_id, {users.provider_name: users.id_token("alice")})

    assert re.fullmatch(IDENTITY_ID, alice)
    assert logins_of(alice) == [users.provider_name]
    # Another token of the same user is the same identity; another user is another.
    assert get_id(pool.pool_id, {users.provider_name: users.id_token("alice")}) == alice
    bob = get_id(pool.pool_id, {users.provider_name: users.id_token("bob")})
    assert bob != alice
    assert listed_ids(pool.pool_id) == [alice, bob]


def test_a_token_of_any_app_client_of_the_user_pool_is_taken(sts_mock: MockSTS) -> None:
    users = sts_mock.user_pool(client_ids=["webclient1", "mobileclient2"])
    pool = sts_mock.identity_pool("app", user_pool=users)

    web = get_id(pool.pool_id, {users.provider_name: users.id_token("alice")})
    mobile = users.id_token("alice", client_id="mobileclient2")

    assert get_id(pool.pool_id, {users.provider_name: mobile}) == web


@pytest.mark.parametrize("issuer", ["https://accounts.google.com", "accounts.google.com"])
def test_google_id_tokens_of_either_issuer_form(
    google: OIDCProvider, pool: IdentityPool, issuer: str
) -> None:
    token = google.token(sub=GOOGLE_SUB, aud=GOOGLE_CLIENT, iss=issuer)

    identity_id = get_id(pool.pool_id, {GOOGLE: token})

    assert logins_of(identity_id) == [GOOGLE]
    other_form = google.token(sub=GOOGLE_SUB, aud=GOOGLE_CLIENT, iss=f"https://{GOOGLE}")
    assert get_id(pool.pool_id, {GOOGLE: other_form}) == identity_id


def test_a_google_token_whose_audience_has_the_client_among_others(
    google: OIDCProvider, pool: IdentityPool
) -> None:
    first = get_id(pool.pool_id, {GOOGLE: google.token(sub=GOOGLE_SUB, aud=GOOGLE_CLIENT)})
    several = google.token(sub=GOOGLE_SUB, aud=["someone-else", GOOGLE_CLIENT])

    assert get_id(pool.pool_id, {GOOGLE: several}) == first


@pytest.mark.parametrize(("provider", "app_id"), [(FACEBOOK, FACEBOOK_APP), (AMAZON, AMAZON_APP)])
def test_facebook_and_amazon_access_tokens(
    sts_mock: MockSTS, pool: IdentityPool, provider: str, app_id: str
) -> None:
    token = sts_mock.web_access_token(provider, user_id="10000001", app_id=app_id)

    identity_id = get_id(pool.pool_id, {provider: token})

    assert logins_of(identity_id) == [provider]
    again = sts_mock.web_access_token(provider, user_id="10000001", app_id=app_id)
    assert get_id(pool.pool_id, {provider: again}) == identity_id
    other = sts_mock.web_access_token(provider, user_id="10000002", app_id=app_id)
    assert get_id(pool.pool_id, {provider: other}) != identity_id


def test_an_iam_oidc_provider_the_pool_lists(sts_mock: MockSTS) -> None:
    provider = sts_mock.oidc_provider("https://login.example.org", client_ids=["app-1", "app-2"])
    pool_id = create_pool(OpenIdConnectProviderARNs=[provider.arn])
    name = "login.example.org"

    identity_id = get_id(pool_id, {name: provider.token(sub="user-1", aud="app-2")})

    assert logins_of(identity_id) == [name]
    assert get_id(pool_id, {name: provider.token(sub="user-1")}) == identity_id
    assert (
        aws_error(lambda: get_id(pool_id, {name: provider.token(sub="user-1", aud="app-3")}))
        == UNSUPPORTED_PROVIDER
    )


def test_an_iam_oidc_provider_the_pool_does_not_list(sts_mock: MockSTS) -> None:
    provider = sts_mock.oidc_provider("https://login.example.org", client_ids=["app-1"])
    pool_id = create_pool()

    call = lambda: get_id(pool_id, {"login.example.org": provider.token(sub="user-1")})  # noqa: E731

    assert aws_error(call) == UNSUPPORTED_PROVIDER
    assert listed_ids(pool_id) == []


def test_sign_in_with_apple_with_the_tests_own_keys(sts_mock: MockSTS) -> None:
    # A test may sign Apple's tokens itself, and trust its own key for Apple.
    sts_mock.add_jwks(f"https://{APPLE}", own_jwks("apple"))
    pool_id = create_pool(SupportedLoginProviders={APPLE: APPLE_SERVICE})

    with time_machine.travel(T0, tick=False):
        identity_id = get_id(pool_id, {APPLE: apple_token("001234.abcdef.1234", EPOCH_T0)})
        again = get_id(pool_id, {APPLE: apple_token("001234.abcdef.1234", EPOCH_T0)})
        other_app = apple_token("001234.abcdef.1234", EPOCH_T0, aud="com.example.other")
        refused = aws_error(lambda: get_id(pool_id, {APPLE: other_app}))

    assert again == identity_id
    assert logins_of(identity_id) == [APPLE]
    assert refused == UNSUPPORTED_PROVIDER


def test_sign_in_with_apple_through_the_handle(sts_mock: MockSTS) -> None:
    apple = sts_mock.builtin_provider(APPLE)
    pool_id = create_pool(SupportedLoginProviders={APPLE: APPLE_SERVICE})
    identity_id = get_id(pool_id, {APPLE: apple.token(sub="001234.abcdef", aud=APPLE_SERVICE)})
    assert logins_of(identity_id) == [APPLE]
    # AWS trusts Apple's tokens only through an IAM OIDC provider: no trust policy names it.
    with pytest.raises(ClientError) as raised:
        sts_mock.create_role("apple", web_trust(APPLE))
    assert raised.value.response["Error"]["Code"] == "MalformedPolicyDocument"


# ---------------------------------------------------------------------------------------
# AccountId, and no logins at all


def test_account_id_of_the_pools_account(sts_mock: MockSTS) -> None:
    pool = sts_mock.identity_pool("app")

    identity_id = get_id(pool.pool_id, AccountId=sts_mock.account_id)

    assert re.fullmatch(IDENTITY_ID, identity_id)


def test_account_id_of_another_account_finds_no_pool(sts_mock: MockSTS) -> None:
    pool = sts_mock.identity_pool("app")

    call = lambda: get_id(pool.pool_id, AccountId=OTHER_ACCOUNT)  # noqa: E731

    assert aws_error(call) == pool_not_found(pool.pool_id)
    assert listed_ids(pool.pool_id) == []


def test_no_logins_is_a_guest_where_the_pool_allows_guests(sts_mock: MockSTS) -> None:
    pool = sts_mock.identity_pool("app")

    first, second = get_id(pool.pool_id), get_id(pool.pool_id)

    assert first != second  # each guest is a new identity
    described = cognito().describe_identity(IdentityId=first)
    assert "Logins" not in described
    assert listed_ids(pool.pool_id) == [first, second]


def test_no_logins_where_the_pool_allows_no_guests(pool: IdentityPool) -> None:
    assert aws_error(lambda: get_id(pool.pool_id)) == UNAUTHENTICATED
    assert aws_error(lambda: get_id(pool.pool_id, {})) == UNAUTHENTICATED
    assert listed_ids(pool.pool_id) == []


# ---------------------------------------------------------------------------------------
# Refused ID tokens: each check, in the order Cognito makes them


def refused(pool: IdentityPool, provider: str, token: str) -> tuple[str, str, int]:
    """GetId's error for the login, which leaves the pool without identities."""
    error = aws_error(lambda: get_id(pool.pool_id, {provider: token}))
    assert listed_ids(pool.pool_id) == []
    return error


@pytest.mark.parametrize("token", ["not-a-jwt", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.WzFd.c2ln"])
def test_a_login_that_is_not_a_jwt(users: UserPool, pool: IdentityPool, token: str) -> None:
    assert refused(pool, users.provider_name, token) == NOT_A_TOKEN


def test_an_issuer_other_than_the_logins_provider(
    users: UserPool, google: OIDCProvider, pool: IdentityPool
) -> None:
    google_token = google.token(sub=GOOGLE_SUB, aud=users.client_id)
    other_pool = users.id_token("alice", iss="https://cognito-idp.us-east-1.amazonaws.com/x")

    assert refused(pool, users.provider_name, google_token) == ISSUER_MISMATCH
    assert refused(pool, users.provider_name, other_pool) == ISSUER_MISMATCH
    assert refused(pool, GOOGLE, users.id_token("alice", client_id=GOOGLE_CLIENT)) == (
        ISSUER_MISMATCH
    )


def test_a_user_pools_access_token_has_no_aud(users: UserPool, pool: IdentityPool) -> None:
    assert refused(pool, users.provider_name, users.access_token("alice")) == MISSING_AUD


def test_a_token_without_exp(sts_mock: MockSTS, pool: IdentityPool) -> None:
    sts_mock.add_jwks(f"https://{GOOGLE}", own_jwks("google"))
    claims = {"iss": f"https://{GOOGLE}", "aud": GOOGLE_CLIENT, "sub": GOOGLE_SUB}

    assert refused(pool, GOOGLE, own_token("google", claims)) == MISSING_EXP


def test_a_token_whose_exp_is_no_number(google: OIDCProvider, pool: IdentityPool) -> None:
    with time_machine.travel(T0, tick=False):
        token = google.token(sub=GOOGLE_SUB, aud=GOOGLE_CLIENT, exp="tomorrow")

        assert refused(pool, GOOGLE, token) == expired(EPOCH_T0, "tomorrow")


def test_a_token_signed_by_another_key(
    sts_mock: MockSTS, users: UserPool, pool: IdentityPool
) -> None:
    impostor = sts_mock.user_pool()
    forged = impostor.id_token("alice", iss=users.issuer, client_id=users.client_id)
    header, payload, _ = users.id_token("alice").split(".")
    _, _, foreign_signature = forged.split(".")
    tampered = f"{header}.{payload}.{foreign_signature}"

    assert refused(pool, users.provider_name, forged) == BAD_SIGNATURE
    assert refused(pool, users.provider_name, tampered) == BAD_SIGNATURE


def test_a_token_of_an_algorithm_cognito_does_not_take(
    google: OIDCProvider, pool: IdentityPool
) -> None:
    claims = {"iss": f"https://{GOOGLE}", "aud": GOOGLE_CLIENT, "sub": GOOGLE_SUB, "exp": 2**40}
    hmac = jwt.encode(claims, "a shared secret of 32 bytes or more", algorithm="HS256")
    unsigned = jwt.encode(claims, "", algorithm="none")

    assert refused(pool, GOOGLE, hmac) == BAD_SIGNATURE
    assert refused(pool, GOOGLE, unsigned) == BAD_SIGNATURE


@pytest.mark.parametrize("late", [0, 1, 3600])
def test_an_expired_token(users: UserPool, pool: IdentityPool, late: int) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        token = users.id_token("alice", expires_in=60)
        traveller.move_to(T0 + dt.timedelta(seconds=60 + late))

        error = refused(pool, users.provider_name, token)

    assert error == expired(EPOCH_T0 + 60 + late, EPOCH_T0 + 60)


def test_a_token_for_one_second_more_is_taken(users: UserPool, pool: IdentityPool) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        token = users.id_token("alice", expires_in=60)
        traveller.move_to(T0 + dt.timedelta(seconds=59))

        identity_id = get_id(pool.pool_id, {users.provider_name: token})

    assert logins_of(identity_id) == [users.provider_name]


def test_a_client_id_the_pool_does_not_list(
    users: UserPool, google: OIDCProvider, pool: IdentityPool
) -> None:
    other_client = users.id_token("alice", client_id="another-app-client")
    other_google = google.token(sub=GOOGLE_SUB, aud="another.apps.googleusercontent.com")
    no_audience = users.id_token("alice", aud=12345)

    assert refused(pool, users.provider_name, other_client) == UNSUPPORTED_PROVIDER
    assert refused(pool, GOOGLE, other_google) == UNSUPPORTED_PROVIDER
    assert refused(pool, users.provider_name, no_audience) == UNSUPPORTED_PROVIDER


def test_a_provider_the_pool_does_not_list(sts_mock: MockSTS, google: OIDCProvider) -> None:
    users = sts_mock.user_pool()
    pool = sts_mock.identity_pool("users-only", user_pool=sts_mock.user_pool())
    facebook = sts_mock.web_access_token(FACEBOOK, user_id="10000001", app_id=FACEBOOK_APP)

    assert refused(pool, GOOGLE, google.token(sub=GOOGLE_SUB, aud=GOOGLE_CLIENT)) == (
        UNSUPPORTED_PROVIDER
    )
    assert refused(pool, users.provider_name, users.id_token("alice")) == UNSUPPORTED_PROVIDER
    assert refused(pool, FACEBOOK, facebook) == UNSUPPORTED_PROVIDER
    assert refused(pool, DEVELOPER, "alice") == UNSUPPORTED_PROVIDER


def test_a_token_without_a_subject(google: OIDCProvider, pool: IdentityPool) -> None:
    assert refused(pool, GOOGLE, google.token(sub="", aud=GOOGLE_CLIENT)) == NOT_A_TOKEN


def test_one_refused_login_refuses_the_request(
    users: UserPool, google: OIDCProvider, pool: IdentityPool
) -> None:
    logins = {
        users.provider_name: users.id_token("alice"),
        GOOGLE: google.token(sub=GOOGLE_SUB, aud="another.apps.googleusercontent.com"),
    }

    assert aws_error(lambda: get_id(pool.pool_id, logins)) == UNSUPPORTED_PROVIDER
    assert listed_ids(pool.pool_id) == []


# ---------------------------------------------------------------------------------------
# Refused access tokens (Facebook, Login with Amazon)


APPS = {FACEBOOK: FACEBOOK_APP, AMAZON: AMAZON_APP}


@pytest.mark.parametrize("provider", [FACEBOOK, AMAZON])
def test_an_access_token_the_provider_never_issued(pool: IdentityPool, provider: str) -> None:
    assert refused(pool, provider, "EAAGm0PX4ZCpsBAKZC") == invalid_access_token(provider)


@pytest.mark.parametrize("provider", [FACEBOOK, AMAZON])
def test_an_access_token_of_another_app(
    sts_mock: MockSTS, pool: IdentityPool, provider: str
) -> None:
    token = sts_mock.web_access_token(provider, user_id="10000001", app_id="another-app")

    assert refused(pool, provider, token) == invalid_access_token(provider)


@pytest.mark.parametrize(("provider", "other"), [(FACEBOOK, AMAZON), (AMAZON, FACEBOOK)])
def test_an_access_token_of_the_other_provider(
    sts_mock: MockSTS, pool: IdentityPool, provider: str, other: str
) -> None:
    token = sts_mock.web_access_token(other, user_id="10000001", app_id=APPS[provider])

    assert refused(pool, provider, token) == invalid_access_token(provider)


@pytest.mark.parametrize("provider", [FACEBOOK, AMAZON])
def test_an_expired_access_token(sts_mock: MockSTS, pool: IdentityPool, provider: str) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        token = sts_mock.web_access_token(
            provider, user_id="10000001", app_id=APPS[provider], expires_in=60
        )
        traveller.move_to(T0 + dt.timedelta(seconds=59))
        taken = get_id(pool.pool_id, {provider: token})
        traveller.move_to(T0 + dt.timedelta(seconds=60))

        error = aws_error(lambda: get_id(pool.pool_id, {provider: token}))

    assert error == invalid_access_token(provider)
    assert listed_ids(pool.pool_id) == [taken]


# ---------------------------------------------------------------------------------------
# The pool's own OpenID tokens


def test_getid_refuses_the_pools_own_openid_token(sts_mock: MockSTS) -> None:
    pool = sts_mock.identity_pool("dev", developer_provider=DEVELOPER)
    token = cognito().get_open_id_token_for_developer_identity(
        IdentityPoolId=pool.pool_id, Logins={DEVELOPER: "alice"}
    )["Token"]
    before = listed_ids(pool.pool_id)

    assert aws_error(lambda: get_id(pool.pool_id, {COGNITO: token})) == COGNITO_TOKEN
    assert listed_ids(pool.pool_id) == before


def test_an_openid_token_of_another_pool(sts_mock: MockSTS) -> None:
    pool = sts_mock.identity_pool("dev", developer_provider=DEVELOPER)
    other = sts_mock.identity_pool("other", developer_provider=DEVELOPER)
    guest = get_id(pool.pool_id)
    token = cognito().get_open_id_token_for_developer_identity(
        IdentityPoolId=other.pool_id, Logins={DEVELOPER: "alice"}
    )["Token"]

    call = lambda: cognito().get_credentials_for_identity(  # noqa: E731
        IdentityId=guest, Logins={COGNITO: token}
    )

    assert aws_error(call) == UNSUPPORTED_PROVIDER
    assert logins_of(guest) is None


def test_keys_of_an_issuer_the_test_runs(sts_mock: MockSTS) -> None:
    # A key of the test's own, registered for Google, signs tokens Google's logins take.
    sts_mock.add_jwks(f"https://{GOOGLE}", own_jwks("google"))
    pool = sts_mock.identity_pool("app", login_providers={GOOGLE: GOOGLE_CLIENT})
    claims = {"iss": GOOGLE, "aud": GOOGLE_CLIENT, "sub": GOOGLE_SUB, "exp": 2**40}

    assert logins_of(get_id(pool.pool_id, {GOOGLE: own_token("google", claims)})) == [GOOGLE]
