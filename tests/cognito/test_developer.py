"""Developer authenticated identities: GetOpenIdTokenForDeveloperIdentity, the enhanced flow
with the pool's own OpenID token, and LookupDeveloperIdentity, MergeDeveloperIdentities and
UnlinkDeveloperIdentity (Cognito DG, "Developer-authenticated identities"; STS_REFERENCE
§12.8).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import jwt
import pytest

from tests.helpers import aws_error
from tests.helpers.cognito import client_of, cognito
from tests.helpers.identity_pools import (
    ALREADY_REGISTERED,
    COGNITO,
    COGNITO_TOKEN,
    DEVELOPER,
    DEVELOPER_PROVIDER,
    LOGINS_MISMATCH,
    claims_of,
    create_pool,
    forbidden,
    get_id,
    identity_not_found,
    listed_ids,
    logins_of,
)

if TYPE_CHECKING:
    from mock_sts import MockSTS
    from mock_sts._cognito_handle import IdentityPool, UserPool

TAGS_CLAIM = "https://aws.amazon.com/tags"
POOL_ARN_CLAIM = "https://cognito-identity.amazonaws.com/identity-pool-arn"


@pytest.fixture
def pool(sts_mock: MockSTS, users: UserPool) -> IdentityPool:
    return sts_mock.identity_pool("dev", user_pool=users, developer_provider=DEVELOPER)


def developer_token(pool_id: str, user: str, **params: Any) -> dict[str, Any]:
    """GetOpenIdTokenForDeveloperIdentity's answer for the developer user ``user``, with
    ``params`` (``Logins`` adds logins to the developer provider's)."""
    logins = {DEVELOPER: user, **params.pop("Logins", {})}
    answer: dict[str, Any] = cognito().get_open_id_token_for_developer_identity(
        IdentityPoolId=pool_id, Logins=logins, **params
    )
    return answer


def developer_identity(pool_id: str, user: str, **params: Any) -> str:
    identity_id: str = developer_token(pool_id, user, **params)["IdentityId"]
    return identity_id


def not_found(user: str) -> tuple[str, str, int]:
    return ("ResourceNotFoundException", f"Developer user identifier '{user}' not found.", 400)


def lookup(pool_id: str, **params: Any) -> dict[str, Any]:
    answer: dict[str, Any] = cognito().lookup_developer_identity(IdentityPoolId=pool_id, **params)
    return answer


# ---------------------------------------------------------------------------------------
# GetOpenIdTokenForDeveloperIdentity


def test_a_new_user_gets_a_new_identity_and_keeps_it(pool: IdentityPool) -> None:
    alice = developer_identity(pool.pool_id, "alice")

    assert developer_identity(pool.pool_id, "alice") == alice
    bob = developer_identity(pool.pool_id, "bob")
    assert bob != alice
    assert logins_of(alice) == [DEVELOPER]  # provider names, not the user identifiers
    assert listed_ids(pool.pool_id) == [alice, bob]


@pytest.mark.parametrize(("duration", "lifetime"), [({}, 900), ({"TokenDuration": 3600}, 3600)])
def test_the_tokens_claims(
    sts_mock: MockSTS, pool: IdentityPool, duration: dict[str, int], lifetime: int
) -> None:
    answer = developer_token(pool.pool_id, "alice", **duration)
    token = answer["Token"]

    claims = claims_of(token)
    assert jwt.get_unverified_header(token)["alg"] == "RS512"
    assert claims["iss"] == "https://cognito-identity.amazonaws.com"
    assert claims["aud"] == pool.pool_id
    assert claims["sub"] == answer["IdentityId"]
    assert claims["amr"] == ["authenticated", DEVELOPER, f"{DEVELOPER}:{pool.pool_id}:alice"]
    assert claims[POOL_ARN_CLAIM] == pool.arn
    assert claims["exp"] - claims["iat"] == lifetime
    assert TAGS_CLAIM not in claims


def test_principal_tags_travel_in_the_token(pool: IdentityPool) -> None:
    token = developer_token(pool.pool_id, "alice", PrincipalTags={"team": "red"})["Token"]

    assert claims_of(token)[TAGS_CLAIM] == {
        "principal_tags": {"team": ["red"]},
        "transitive_tag_keys": [],
    }


def test_the_token_gets_the_authenticated_roles_credentials(pool: IdentityPool) -> None:
    answer = developer_token(pool.pool_id, "alice")

    credentials = cognito().get_credentials_for_identity(
        IdentityId=answer["IdentityId"], Logins={COGNITO: answer["Token"]}
    )

    assert credentials["IdentityId"] == answer["IdentityId"]
    assert set(credentials["Credentials"]) == {
        "AccessKeyId",
        "SecretKey",
        "SessionToken",
        "Expiration",
    }
    assert client_of("sts", credentials).get_caller_identity()["Arn"] == (
        "arn:aws:sts::123456789012:assumed-role/Cognito_devAuth_Role/CognitoIdentityCredentials"
    )
    assert aws_error(
        lambda: cognito().get_credentials_for_identity(IdentityId=answer["IdentityId"])
    ) == forbidden(answer["IdentityId"])


def test_the_token_of_a_deleted_identity_proves_nothing(pool: IdentityPool) -> None:
    answer = developer_token(pool.pool_id, "alice")
    guest = get_id(pool.pool_id)
    cognito().delete_identities(IdentityIdsToDelete=[answer["IdentityId"]])

    call = lambda: cognito().get_credentials_for_identity(  # noqa: E731
        IdentityId=guest, Logins={COGNITO: answer["Token"]}
    )

    assert aws_error(call) == LOGINS_MISMATCH
    assert logins_of(guest) is None


def test_a_guest_given_as_identity_id_is_linked(pool: IdentityPool) -> None:
    guest = get_id(pool.pool_id)

    assert developer_identity(pool.pool_id, "alice", IdentityId=guest) == guest
    assert logins_of(guest) == [DEVELOPER]
    assert developer_identity(pool.pool_id, "alice") == guest
    # The user's own identity again: nothing changes.
    assert developer_identity(pool.pool_id, "alice", IdentityId=guest) == guest
    assert listed_ids(pool.pool_id) == [guest]


def test_an_authenticated_identity_needs_one_of_its_logins(
    users: UserPool, pool: IdentityPool
) -> None:
    alice = get_id(pool.pool_id, {users.provider_name: users.id_token("alice")})

    call = lambda: developer_token(pool.pool_id, "alice", IdentityId=alice)  # noqa: E731

    assert aws_error(call) == LOGINS_MISMATCH
    assert logins_of(alice) == [users.provider_name]
    assert lookup(pool.pool_id, IdentityId=alice)["DeveloperUserIdentifierList"] == []
    linked = developer_identity(
        pool.pool_id,
        "alice",
        IdentityId=alice,
        Logins={users.provider_name: users.id_token("alice")},
    )
    assert linked == alice
    assert logins_of(alice) == [users.provider_name, DEVELOPER]
    assert claims_of(developer_token(pool.pool_id, "alice")["Token"])["amr"] == [
        "authenticated",
        DEVELOPER,
        f"{DEVELOPER}:{pool.pool_id}:alice",
    ]


def test_logins_of_another_identity_do_not_prove_one(users: UserPool, pool: IdentityPool) -> None:
    alice = get_id(pool.pool_id, {users.provider_name: users.id_token("alice")})
    bob = get_id(pool.pool_id, {users.provider_name: users.id_token("bob")})

    call = lambda: developer_token(  # noqa: E731
        pool.pool_id, "alice", IdentityId=alice, Logins={users.provider_name: users.id_token("bob")}
    )

    assert aws_error(call) == LOGINS_MISMATCH
    assert listed_ids(pool.pool_id, HideDisabled=True) == [alice, bob]
    assert logins_of(alice) == logins_of(bob) == [users.provider_name]


def test_a_registered_user_links_further_logins(users: UserPool, pool: IdentityPool) -> None:
    alice = developer_identity(pool.pool_id, "alice")

    answer = developer_token(
        pool.pool_id, "alice", Logins={users.provider_name: users.id_token("alice")}
    )

    assert answer["IdentityId"] == alice
    assert logins_of(alice) == [DEVELOPER, users.provider_name]
    assert claims_of(answer["Token"])["amr"][3] == users.provider_name
    assert get_id(pool.pool_id, {users.provider_name: users.id_token("alice")}) == alice


def test_a_new_user_with_further_logins(users: UserPool, pool: IdentityPool) -> None:
    alice = developer_identity(
        pool.pool_id, "alice", Logins={users.provider_name: users.id_token("alice")}
    )

    assert logins_of(alice) == [DEVELOPER, users.provider_name]


def test_a_user_registered_to_another_identity(pool: IdentityPool) -> None:
    alice = developer_identity(pool.pool_id, "alice")
    bob = developer_identity(pool.pool_id, "bob")

    call = lambda: developer_token(pool.pool_id, "alice", IdentityId=bob)  # noqa: E731

    assert aws_error(call) == ALREADY_REGISTERED
    assert lookup(pool.pool_id, IdentityId=bob)["DeveloperUserIdentifierList"] == ["bob"]
    assert lookup(pool.pool_id, IdentityId=alice)["DeveloperUserIdentifierList"] == ["alice"]


def test_an_identity_of_another_pool(sts_mock: MockSTS, pool: IdentityPool) -> None:
    other = sts_mock.identity_pool("other", developer_provider=DEVELOPER)
    theirs = get_id(other.pool_id)
    unknown = "us-east-1:00000000-0000-4000-8000-000000000000"

    assert aws_error(lambda: developer_token(pool.pool_id, "alice", IdentityId=theirs)) == (
        identity_not_found(theirs)
    )
    assert aws_error(lambda: developer_token(pool.pool_id, "alice", IdentityId=unknown)) == (
        identity_not_found(unknown)
    )
    assert listed_ids(pool.pool_id) == []
    assert logins_of(theirs) is None


def test_a_provider_that_is_not_the_pools(sts_mock: MockSTS, pool: IdentityPool) -> None:
    plain = sts_mock.identity_pool("plain")

    other_provider = lambda: cognito().get_open_id_token_for_developer_identity(  # noqa: E731
        IdentityPoolId=pool.pool_id, Logins={"login.other.com": "alice"}
    )

    assert aws_error(other_provider) == DEVELOPER_PROVIDER
    assert aws_error(lambda: developer_token(plain.pool_id, "alice")) == DEVELOPER_PROVIDER
    assert listed_ids(pool.pool_id) == listed_ids(plain.pool_id) == []


def test_a_disabled_identity_takes_no_developer_user(pool: IdentityPool) -> None:
    alice = developer_identity(pool.pool_id, "alice")
    work = developer_identity(pool.pool_id, "alice@work")
    merge(pool.pool_id, "alice@work", "alice")
    gone = developer_identity(pool.pool_id, "carol")
    unlink(pool.pool_id, gone, "carol")

    merged = lambda: developer_token(pool.pool_id, "bob", IdentityId=work)  # noqa: E731
    unlinked = lambda: developer_token(pool.pool_id, "bob", IdentityId=gone)  # noqa: E731

    assert aws_error(merged) == forbidden(work)
    assert aws_error(unlinked) == forbidden(gone)
    assert aws_error(lambda: lookup(pool.pool_id, DeveloperUserIdentifier="bob")) == (
        not_found("bob")
    )
    assert listed_ids(pool.pool_id, HideDisabled=True) == [alice]


def test_the_pools_own_token_is_no_login_to_add(pool: IdentityPool) -> None:
    alice = developer_token(pool.pool_id, "alice")

    call = lambda: developer_token(  # noqa: E731
        pool.pool_id, "bob", IdentityId=alice["IdentityId"], Logins={COGNITO: alice["Token"]}
    )

    assert aws_error(call) == COGNITO_TOKEN
    assert listed_ids(pool.pool_id) == [alice["IdentityId"]]


# ---------------------------------------------------------------------------------------
# LookupDeveloperIdentity


def test_lookup_by_user_and_by_identity(pool: IdentityPool) -> None:
    alice = developer_identity(pool.pool_id, "alice")

    by_user = lookup(pool.pool_id, DeveloperUserIdentifier="alice")
    by_identity = lookup(pool.pool_id, IdentityId=alice)
    both = lookup(pool.pool_id, IdentityId=alice, DeveloperUserIdentifier="alice")

    for answer in (by_user, by_identity, both):
        assert answer["IdentityId"] == alice
        assert answer["DeveloperUserIdentifierList"] == ["alice"]
        assert "NextToken" not in answer


def test_lookup_of_an_identity_without_developer_users(users: UserPool, pool: IdentityPool) -> None:
    guest = get_id(pool.pool_id)

    answer = lookup(pool.pool_id, IdentityId=guest)

    assert answer["IdentityId"] == guest
    assert answer["DeveloperUserIdentifierList"] == []


def test_lookup_of_a_user_and_an_identity_that_do_not_match(pool: IdentityPool) -> None:
    developer_identity(pool.pool_id, "alice")
    bob = developer_identity(pool.pool_id, "bob")

    call = lambda: lookup(pool.pool_id, IdentityId=bob, DeveloperUserIdentifier="alice")  # noqa: E731

    assert aws_error(call) == (
        "ResourceConflictException",
        "The developer user identifier is linked to another identity than the one given.",
        400,
    )


def test_lookup_of_neither(pool: IdentityPool) -> None:
    assert aws_error(lambda: lookup(pool.pool_id)) == (
        "InvalidParameterException",
        "Either IdentityId or DeveloperUserIdentifier must be given.",
        400,
    )


def test_lookup_of_what_the_pool_does_not_hold(sts_mock: MockSTS, pool: IdentityPool) -> None:
    theirs = get_id(sts_mock.identity_pool("other").pool_id)

    assert aws_error(lambda: lookup(pool.pool_id, DeveloperUserIdentifier="nobody")) == (
        not_found("nobody")
    )
    assert aws_error(lambda: lookup(pool.pool_id, IdentityId=theirs)) == (
        identity_not_found(theirs)
    )


def test_lookup_in_a_pool_without_a_developer_provider(sts_mock: MockSTS) -> None:
    plain = sts_mock.identity_pool("plain")
    guest = get_id(plain.pool_id)

    assert aws_error(lambda: lookup(plain.pool_id, IdentityId=guest)) == DEVELOPER_PROVIDER


def test_lookup_pages_the_users_of_an_identity(pool: IdentityPool) -> None:
    users = ["alice", "alice@work", "alice@home"]
    alice = developer_identity(pool.pool_id, users[0])
    for user in users[1:]:
        developer_identity(pool.pool_id, user)
        cognito().merge_developer_identities(
            IdentityPoolId=pool.pool_id,
            SourceUserIdentifier=user,
            DestinationUserIdentifier=users[0],
            DeveloperProviderName=DEVELOPER,
        )

    first = lookup(pool.pool_id, IdentityId=alice, MaxResults=2)
    second = lookup(pool.pool_id, IdentityId=alice, MaxResults=2, NextToken=first["NextToken"])

    assert first["DeveloperUserIdentifierList"] == users[:2]
    assert second["DeveloperUserIdentifierList"] == users[2:]
    assert "NextToken" not in second
    assert lookup(pool.pool_id, IdentityId=alice)["DeveloperUserIdentifierList"] == users


# ---------------------------------------------------------------------------------------
# MergeDeveloperIdentities


def merge(pool_id: str, source: str, destination: str) -> str:
    identity_id: str = cognito().merge_developer_identities(
        IdentityPoolId=pool_id,
        SourceUserIdentifier=source,
        DestinationUserIdentifier=destination,
        DeveloperProviderName=DEVELOPER,
    )["IdentityId"]
    return identity_id


def test_merge_developer_identities(users: UserPool, pool: IdentityPool) -> None:
    alice = developer_identity(pool.pool_id, "alice")
    work = developer_identity(
        pool.pool_id, "alice@work", Logins={users.provider_name: users.id_token("alice")}
    )

    assert merge(pool.pool_id, "alice@work", "alice") == alice

    assert developer_identity(pool.pool_id, "alice@work") == alice
    assert get_id(pool.pool_id, {users.provider_name: users.id_token("alice")}) == alice
    assert logins_of(alice) == [DEVELOPER, users.provider_name]
    assert logins_of(work) is None
    assert listed_ids(pool.pool_id, HideDisabled=True) == [alice]
    assert listed_ids(pool.pool_id) == [alice, work]
    assert lookup(pool.pool_id, IdentityId=alice)["DeveloperUserIdentifierList"] == [
        "alice",
        "alice@work",
    ]


def test_merge_of_users_of_one_identity(pool: IdentityPool) -> None:
    alice = developer_identity(pool.pool_id, "alice")
    developer_identity(pool.pool_id, "alice@work")
    merge(pool.pool_id, "alice@work", "alice")

    assert merge(pool.pool_id, "alice", "alice@work") == alice
    assert listed_ids(pool.pool_id, HideDisabled=True) == [alice]


def test_merge_of_users_with_one_public_provider_each(sts_mock: MockSTS, users: UserPool) -> None:
    pool = sts_mock.identity_pool("dev", user_pool=users, developer_provider=DEVELOPER)
    alice = developer_identity(
        pool.pool_id, "alice", Logins={users.provider_name: users.id_token("alice")}
    )
    bob = developer_identity(
        pool.pool_id, "bob", Logins={users.provider_name: users.id_token("bob")}
    )

    assert aws_error(lambda: merge(pool.pool_id, "bob", "alice")) == (
        "ResourceConflictException",
        f"The identity is already linked to another login of {users.provider_name}.",
        400,
    )
    assert listed_ids(pool.pool_id, HideDisabled=True) == [alice, bob]


def test_merge_of_unknown_users(pool: IdentityPool) -> None:
    developer_identity(pool.pool_id, "alice")

    assert aws_error(lambda: merge(pool.pool_id, "nobody", "alice")) == not_found("nobody")
    assert aws_error(lambda: merge(pool.pool_id, "alice", "nobody")) == not_found("nobody")


def test_merge_with_another_provider(pool: IdentityPool) -> None:
    developer_identity(pool.pool_id, "alice")
    developer_identity(pool.pool_id, "bob")

    call = lambda: cognito().merge_developer_identities(  # noqa: E731
        IdentityPoolId=pool.pool_id,
        SourceUserIdentifier="bob",
        DestinationUserIdentifier="alice",
        DeveloperProviderName="x.example",
    )

    assert aws_error(call) == DEVELOPER_PROVIDER
    assert len(listed_ids(pool.pool_id, HideDisabled=True)) == 2


# ---------------------------------------------------------------------------------------
# UnlinkDeveloperIdentity


def unlink(pool_id: str, identity_id: str, user: str) -> dict[str, Any]:
    answer: dict[str, Any] = cognito().unlink_developer_identity(
        IdentityId=identity_id,
        IdentityPoolId=pool_id,
        DeveloperProviderName=DEVELOPER,
        DeveloperUserIdentifier=user,
    )
    return answer


def test_unlink_developer_identity(pool: IdentityPool) -> None:
    alice = developer_identity(pool.pool_id, "alice")
    developer_identity(pool.pool_id, "alice@work")
    merge(pool.pool_id, "alice@work", "alice")

    answer = unlink(pool.pool_id, alice, "alice@work")

    assert set(answer) == {"ResponseMetadata"}
    assert lookup(pool.pool_id, IdentityId=alice)["DeveloperUserIdentifierList"] == ["alice"]
    assert logins_of(alice) == [DEVELOPER]
    work = developer_identity(pool.pool_id, "alice@work")
    assert work != alice


def test_unlinking_the_last_developer_user_disables_the_identity(pool: IdentityPool) -> None:
    alice = developer_identity(pool.pool_id, "alice")

    unlink(pool.pool_id, alice, "alice")

    assert logins_of(alice) is None
    assert listed_ids(pool.pool_id, HideDisabled=True) == []
    assert aws_error(lambda: lookup(pool.pool_id, DeveloperUserIdentifier="alice")) == (
        not_found("alice")
    )


def test_unlink_of_a_user_of_another_identity(pool: IdentityPool) -> None:
    developer_identity(pool.pool_id, "alice")
    bob = developer_identity(pool.pool_id, "bob")

    assert aws_error(lambda: unlink(pool.pool_id, bob, "alice")) == not_found("alice")
    assert aws_error(lambda: unlink(pool.pool_id, bob, "nobody")) == not_found("nobody")
    assert lookup(pool.pool_id, DeveloperUserIdentifier="alice")["IdentityId"] != bob


def test_developer_calls_in_a_pool_made_through_the_api(sts_mock: MockSTS) -> None:
    pool_id = create_pool(DeveloperProviderName=DEVELOPER, AllowClassicFlow=True)
    alice = developer_token(pool_id, "alice")

    # The basic flow: the token is the caller's own to take to STS.
    answer = cognito().get_open_id_token(
        IdentityId=alice["IdentityId"], Logins={COGNITO: alice["Token"]}
    )

    assert answer["IdentityId"] == alice["IdentityId"]
    assert claims_of(answer["Token"])["amr"] == ["authenticated"]
    assert lookup(pool_id, DeveloperUserIdentifier="alice")["IdentityId"] == alice["IdentityId"]
