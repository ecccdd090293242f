"""Identities across calls: one identity per login, guests that sign in, identities merged by
their logins, and the calls that describe, list, delete and unlink identities (STS_REFERENCE
§12.8; Cognito DG, "Identity pools authentication flow").
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest
import time_machine

from tests.helpers import aws_error
from tests.helpers.cognito import client_of, cognito
from tests.helpers.identity_pools import (
    CLASSIC_FLOW_DISABLED,
    FACEBOOK,
    GOOGLE,
    GOOGLE_CLIENT,
    LOGINS_MISMATCH,
    OTHER_ACCOUNT,
    UNAUTHENTICATED,
    already_linked,
    claims_of,
    create_pool,
    forbidden,
    get_id,
    identity_not_found,
    listed_ids,
    logins_of,
)
from tests.helpers.web_identity import T0

if TYPE_CHECKING:
    from mock_sts import MockSTS, OIDCProvider
    from mock_sts._cognito_handle import IdentityPool, UserPool


@pytest.fixture
def pool(sts_mock: MockSTS, users: UserPool) -> IdentityPool:
    """A pool with guests, the user pool's and Google's logins, and its two roles."""
    return sts_mock.identity_pool("app", user_pool=users, login_providers={GOOGLE: GOOGLE_CLIENT})


def google_login(google: OIDCProvider, sub: str) -> dict[str, str]:
    return {GOOGLE: google.token(sub=sub, aud=GOOGLE_CLIENT)}


def credentials(identity_id: str, logins: dict[str, str] | None = None) -> Any:
    params: dict[str, Any] = {"IdentityId": identity_id}
    if logins is not None:
        params["Logins"] = logins
    return cognito().get_credentials_for_identity(**params)


def role_session_of(answer: Any) -> str:
    """The ARN of the session GetCredentialsForIdentity's credentials are."""
    arn: str = client_of("sts", answer).get_caller_identity()["Arn"]
    return arn


def session(role: str) -> str:
    return f"arn:aws:sts::123456789012:assumed-role/{role}/CognitoIdentityCredentials"


# ---------------------------------------------------------------------------------------
# Guests that sign in


def test_a_guest_that_presents_a_login_becomes_its_identity(
    users: UserPool, pool: IdentityPool
) -> None:
    guest = get_id(pool.pool_id)
    assert role_session_of(credentials(guest)) == session("Cognito_appUnauth_Role")
    login = {users.provider_name: users.id_token("alice")}

    answer = credentials(guest, login)

    assert answer["IdentityId"] == guest
    assert role_session_of(answer) == session("Cognito_appAuth_Role")
    assert logins_of(guest) == [users.provider_name]
    assert get_id(pool.pool_id, {users.provider_name: users.id_token("alice")}) == guest
    assert listed_ids(pool.pool_id) == [guest]
    # Authenticated now, it no longer gets a guest's credentials.
    assert aws_error(lambda: credentials(guest)) == forbidden(guest)


def test_a_guest_signs_in_through_the_basic_flow(sts_mock: MockSTS, users: UserPool) -> None:
    pool_id = create_pool(
        AllowClassicFlow=True,
        CognitoIdentityProviders=[
            {"ProviderName": users.provider_name, "ClientId": users.client_id}
        ],
    )
    guest = get_id(pool_id)
    alice = users.id_token("alice")

    answer = cognito().get_open_id_token(IdentityId=guest, Logins={users.provider_name: alice})

    assert answer["IdentityId"] == guest
    assert claims_of(answer["Token"])["amr"] == [
        "authenticated",
        users.provider_name,
        f"{users.provider_name}:CognitoSignIn:{claims_of(alice)['sub']}",
    ]
    assert logins_of(guest) == [users.provider_name]


def test_the_basic_flow_refused_links_no_login(users: UserPool, pool: IdentityPool) -> None:
    guest = get_id(pool.pool_id)
    login = {users.provider_name: users.id_token("alice")}

    call = lambda: cognito().get_open_id_token(IdentityId=guest, Logins=login)  # noqa: E731

    assert aws_error(call) == CLASSIC_FLOW_DISABLED
    assert logins_of(guest) is None
    assert get_id(pool.pool_id, login) != guest


def test_a_guest_of_a_pool_that_no_longer_allows_guests(pool: IdentityPool) -> None:
    guest = get_id(pool.pool_id)
    described = cognito().describe_identity_pool(IdentityPoolId=pool.pool_id)
    cognito().update_identity_pool(
        IdentityPoolId=pool.pool_id,
        IdentityPoolName=described["IdentityPoolName"],
        AllowUnauthenticatedIdentities=False,
        CognitoIdentityProviders=described["CognitoIdentityProviders"],
        SupportedLoginProviders=described["SupportedLoginProviders"],
    )

    assert aws_error(lambda: credentials(guest)) == UNAUTHENTICATED
    assert aws_error(lambda: get_id(pool.pool_id)) == UNAUTHENTICATED


# ---------------------------------------------------------------------------------------
# Logins that prove an identity, link to it, or merge identities


def test_an_authenticated_identity_asked_for_without_logins(
    users: UserPool, pool: IdentityPool
) -> None:
    alice = get_id(pool.pool_id, {users.provider_name: users.id_token("alice")})

    assert aws_error(lambda: credentials(alice)) == forbidden(alice)
    assert aws_error(lambda: credentials(alice, {})) == forbidden(alice)


def test_an_authenticated_identity_asked_for_with_logins_of_another(
    users: UserPool, pool: IdentityPool
) -> None:
    alice = get_id(pool.pool_id, {users.provider_name: users.id_token("alice")})
    bob = get_id(pool.pool_id, {users.provider_name: users.id_token("bob")})

    call = lambda: credentials(alice, {users.provider_name: users.id_token("bob")})  # noqa: E731

    assert aws_error(call) == LOGINS_MISMATCH
    assert logins_of(alice) == logins_of(bob) == [users.provider_name]
    assert listed_ids(pool.pool_id, HideDisabled=True) == [alice, bob]


def test_an_identitys_own_login_gives_it_credentials_and_links_new_ones(
    users: UserPool, google: OIDCProvider, pool: IdentityPool
) -> None:
    alice = get_id(pool.pool_id, {users.provider_name: users.id_token("alice")})
    logins = {users.provider_name: users.id_token("alice"), **google_login(google, "g-alice")}

    answer = credentials(alice, logins)

    assert answer["IdentityId"] == alice
    assert role_session_of(answer) == session("Cognito_appAuth_Role")
    assert logins_of(alice) == [users.provider_name, GOOGLE]
    assert get_id(pool.pool_id, google_login(google, "g-alice")) == alice
    # Both logins again: the one identity they are linked to.
    both = {users.provider_name: users.id_token("alice"), **google_login(google, "g-alice")}
    assert get_id(pool.pool_id, both) == alice
    assert listed_ids(pool.pool_id) == [alice]


def test_logins_of_two_identities_merge_them(
    users: UserPool, google: OIDCProvider, pool: IdentityPool
) -> None:
    alice = get_id(pool.pool_id, {users.provider_name: users.id_token("alice")})
    other = get_id(pool.pool_id, google_login(google, "g-alice"))
    logins = {users.provider_name: users.id_token("alice"), **google_login(google, "g-alice")}

    merged = get_id(pool.pool_id, logins)

    assert merged == alice
    assert logins_of(alice) == [users.provider_name, GOOGLE]
    assert logins_of(other) is None
    assert listed_ids(pool.pool_id) == [alice, other]
    assert listed_ids(pool.pool_id, HideDisabled=True) == [alice]
    assert listed_ids(pool.pool_id, HideDisabled=False) == [alice, other]
    assert get_id(pool.pool_id, google_login(google, "g-alice")) == alice
    # The merged identity is disabled: no logins prove it any more.
    assert aws_error(lambda: credentials(other)) == forbidden(other)
    assert aws_error(lambda: credentials(other, google_login(google, "g-alice"))) == (
        forbidden(other)
    )


def test_two_users_of_one_public_provider_are_not_merged(
    users: UserPool, google: OIDCProvider, pool: IdentityPool
) -> None:
    alice = get_id(pool.pool_id, {users.provider_name: users.id_token("alice")})
    bob = get_id(
        pool.pool_id, {users.provider_name: users.id_token("bob"), **google_login(google, "g")}
    )
    logins = {users.provider_name: users.id_token("alice"), **google_login(google, "g")}

    assert aws_error(lambda: get_id(pool.pool_id, logins)) == already_linked(users.provider_name)
    assert aws_error(lambda: credentials(alice, logins)) == already_linked(users.provider_name)
    assert logins_of(alice) == [users.provider_name]
    assert logins_of(bob) == [users.provider_name, GOOGLE]
    assert listed_ids(pool.pool_id, HideDisabled=True) == [alice, bob]


# ---------------------------------------------------------------------------------------
# DescribeIdentity and ListIdentities


def test_describe_identity_dates(users: UserPool, pool: IdentityPool) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        guest = get_id(pool.pool_id)
        traveller.move_to(T0 + dt.timedelta(minutes=5))
        credentials(guest, {users.provider_name: users.id_token("alice")})

        described = cognito().describe_identity(IdentityId=guest)

    assert described["IdentityId"] == guest
    assert described["Logins"] == [users.provider_name]
    assert described["CreationDate"] == T0
    assert described["LastModifiedDate"] == T0 + dt.timedelta(minutes=5)


def test_describe_identity_of_no_identity(sts_mock: MockSTS) -> None:
    unknown = "us-east-1:00000000-0000-4000-8000-000000000000"

    call = lambda: cognito().describe_identity(IdentityId=unknown)  # noqa: E731

    assert aws_error(call) == identity_not_found(unknown)


def test_list_identities_pages(users: UserPool, pool: IdentityPool) -> None:
    guest = get_id(pool.pool_id)
    alice = get_id(pool.pool_id, {users.provider_name: users.id_token("alice")})
    bob = get_id(pool.pool_id, {users.provider_name: users.id_token("bob")})

    first = cognito().list_identities(IdentityPoolId=pool.pool_id, MaxResults=2)
    second = cognito().list_identities(
        IdentityPoolId=pool.pool_id, MaxResults=2, NextToken=first["NextToken"]
    )

    assert first["IdentityPoolId"] == pool.pool_id
    assert [identity["IdentityId"] for identity in first["Identities"]] == [guest, alice]
    assert "Logins" not in first["Identities"][0]
    assert first["Identities"][1]["Logins"] == [users.provider_name]
    assert set(first["Identities"][1]) == {
        "IdentityId",
        "Logins",
        "CreationDate",
        "LastModifiedDate",
    }
    assert [identity["IdentityId"] for identity in second["Identities"]] == [bob]
    assert "NextToken" not in second


# ---------------------------------------------------------------------------------------
# DeleteIdentities


def test_delete_identities(sts_mock: MockSTS, users: UserPool, pool: IdentityPool) -> None:
    alice = get_id(pool.pool_id, {users.provider_name: users.id_token("alice")})
    guest = get_id(pool.pool_id)
    unknown = "us-east-1:00000000-0000-4000-8000-000000000000"
    elsewhere = sts_mock.identity_pool("theirs", account_id=OTHER_ACCOUNT)
    theirs = get_id(elsewhere.pool_id)

    answer = cognito().delete_identities(IdentityIdsToDelete=[alice, unknown, theirs, guest])

    assert answer["UnprocessedIdentityIds"] == [{"IdentityId": theirs, "ErrorCode": "AccessDenied"}]
    assert listed_ids(pool.pool_id) == []
    assert aws_error(lambda: cognito().describe_identity(IdentityId=alice)) == (
        identity_not_found(alice)
    )
    # The login is free again: it makes a new identity.
    again = get_id(pool.pool_id, {users.provider_name: users.id_token("alice")})
    assert again != alice
    assert logins_of(again) == [users.provider_name]


def test_delete_identities_of_the_callers_account_only(sts_mock: MockSTS) -> None:
    elsewhere = sts_mock.identity_pool("theirs", account_id=OTHER_ACCOUNT)
    theirs = get_id(elsewhere.pool_id)

    answer = cognito().delete_identities(IdentityIdsToDelete=[theirs])

    assert answer["UnprocessedIdentityIds"] == [{"IdentityId": theirs, "ErrorCode": "AccessDenied"}]
    assert aws_error(lambda: cognito().describe_identity(IdentityId=theirs)) == (
        identity_not_found(theirs)
    )


def test_deleting_the_pool_deletes_its_identities(users: UserPool, pool: IdentityPool) -> None:
    alice = get_id(pool.pool_id, {users.provider_name: users.id_token("alice")})
    guest = get_id(pool.pool_id)

    cognito().delete_identity_pool(IdentityPoolId=pool.pool_id)

    assert aws_error(lambda: cognito().describe_identity(IdentityId=alice)) == (
        identity_not_found(alice)
    )
    assert aws_error(lambda: cognito().describe_identity(IdentityId=guest)) == (
        identity_not_found(guest)
    )


# ---------------------------------------------------------------------------------------
# UnlinkIdentity


def test_unlink_identity(users: UserPool, google: OIDCProvider, pool: IdentityPool) -> None:
    alice = get_id(pool.pool_id, {users.provider_name: users.id_token("alice")})
    credentials(alice, {users.provider_name: users.id_token("alice"), **google_login(google, "g")})

    answer = cognito().unlink_identity(
        IdentityId=alice,
        Logins={users.provider_name: users.id_token("alice")},
        LoginsToRemove=[GOOGLE, FACEBOOK],  # Facebook was never linked: nothing to unlink
    )

    assert set(answer) == {"ResponseMetadata"}
    assert logins_of(alice) == [users.provider_name]
    google_user = get_id(pool.pool_id, google_login(google, "g"))
    assert google_user != alice
    assert listed_ids(pool.pool_id, HideDisabled=True) == [alice, google_user]


def test_unlinking_the_last_login_disables_the_identity(
    users: UserPool, pool: IdentityPool
) -> None:
    alice = get_id(pool.pool_id, {users.provider_name: users.id_token("alice")})

    cognito().unlink_identity(
        IdentityId=alice,
        Logins={users.provider_name: users.id_token("alice")},
        LoginsToRemove=[users.provider_name],
    )

    assert logins_of(alice) is None
    assert listed_ids(pool.pool_id, HideDisabled=True) == []
    assert aws_error(lambda: credentials(alice)) == forbidden(alice)
    # The user signs in again as a new identity.
    again = get_id(pool.pool_id, {users.provider_name: users.id_token("alice")})
    assert again != alice
    assert listed_ids(pool.pool_id, HideDisabled=True) == [again]


def test_unlink_identity_with_logins_of_another_identity(
    users: UserPool, google: OIDCProvider, pool: IdentityPool
) -> None:
    alice = get_id(pool.pool_id, {users.provider_name: users.id_token("alice")})
    bob = get_id(pool.pool_id, google_login(google, "g-bob"))

    call = lambda: cognito().unlink_identity(  # noqa: E731
        IdentityId=alice, Logins=google_login(google, "g-bob"), LoginsToRemove=[users.provider_name]
    )

    assert aws_error(call) == LOGINS_MISMATCH
    assert logins_of(alice) == [users.provider_name]
    assert logins_of(bob) == [GOOGLE]
