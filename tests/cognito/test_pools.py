"""Identity pools' administration through real boto3 ``cognito-identity`` clients: creating,
describing, updating, deleting and listing pools; their roles and role mappings; their tags
and principal tag maps (Cognito Identity API Reference; STS_REFERENCE §12.8; the answers quoted in
``mock_sts/_cognito_messages.py``, each with its source)."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from functools import partial
from typing import Any

import boto3
import pytest
from botocore.config import Config

from mock_sts import MockSTS, OIDCProvider, SAMLProvider
from mock_sts._cognito_handle import UserPool
from tests.helpers import aws_error
from tests.helpers.assume_role import ACCOUNT, ALICE_ACCOUNT, document, statement
from tests.helpers.cognito import cognito, pool_trust
from tests.helpers.web_identity import GITHUB

POOL_ID = re.compile(
    r"us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
)
# The members every pool's description carries; the others only when set.
ALWAYS = {
    "IdentityPoolId",
    "IdentityPoolName",
    "AllowUnauthenticatedIdentities",
    "AllowClassicFlow",
}
UNKNOWN_POOL = "us-east-1:00000000-0000-4000-8000-000000000000"
FACEBOOK = "graph.facebook.com"


def not_found(pool_id: str) -> tuple[str, str, int]:
    return "ResourceNotFoundException", f"IdentityPool '{pool_id}' not found.", 400


def invalid(message: str) -> tuple[str, str, int]:
    return "InvalidParameterException", message, 400


def validation(value: str, member: str, constraint: str) -> tuple[str, str, int]:
    """Coral's ValidationException of one constraint, naming the value."""
    return (
        "ValidationException",
        f"1 validation error detected: Value '{value}' at '{member}' failed to satisfy "
        f"constraint: {constraint}",
        400,
    )


def answer(response: dict[str, Any]) -> dict[str, Any]:
    """A response without its ResponseMetadata."""
    return {key: value for key, value in response.items() if key != "ResponseMetadata"}


def unvalidated() -> Any:
    """A cognito-identity client that sends what it is given, as a client of another SDK may."""
    return boto3.client(
        "cognito-identity", region_name="us-east-1", config=Config(parameter_validation=False)
    )


def pool_arn(pool_id: str, account_id: str = ACCOUNT, region: str = "us-east-1") -> str:
    return f"arn:aws:cognito-identity:{region}:{account_id}:identitypool/{pool_id}"


def new_pool(client: Any, name: str = "app", **params: Any) -> str:
    """A pool's id, created with ``params``."""
    params.setdefault("AllowUnauthenticatedIdentities", False)
    created = client.create_identity_pool(IdentityPoolName=name, **params)
    pool_id: str = created["IdentityPoolId"]
    return pool_id


@pytest.fixture
def pools(sts_mock: MockSTS) -> Any:
    """A client of the account's admin."""
    return cognito()


@pytest.fixture
def users(sts_mock: MockSTS) -> UserPool:
    return sts_mock.user_pool(client_ids=["webclient", "mobileclient"])


@pytest.fixture
def corp(sts_mock: MockSTS) -> SAMLProvider:
    return sts_mock.saml_provider("Corp")


def every_provider(github: OIDCProvider, corp: SAMLProvider, users: UserPool) -> dict[str, Any]:
    """CreateIdentityPool's parameters of a pool with a provider of every kind."""
    return {
        "AllowUnauthenticatedIdentities": True,
        "AllowClassicFlow": True,
        "SupportedLoginProviders": {FACEBOOK: "1234567890", "accounts.google.com": "app.apps"},
        "DeveloperProviderName": "login.example.app",
        "OpenIdConnectProviderARNs": [github.arn],
        "CognitoIdentityProviders": [
            {"ProviderName": users.provider_name, "ClientId": "webclient"},
            {
                "ProviderName": users.provider_name,
                "ClientId": "mobileclient",
                "ServerSideTokenCheck": True,
            },
        ],
        "SamlProviderARNs": [corp.arn],
        "IdentityPoolTags": {"team": "red", "stage": ""},
    }


# ---------------------------------------------------------------------------------------
# Create and describe


def test_every_field_round_trips(
    pools: Any, github: OIDCProvider, corp: SAMLProvider, users: UserPool
) -> None:
    params = every_provider(github, corp, users)

    created = pools.create_identity_pool(IdentityPoolName="app pool", **params)

    pool_id = created["IdentityPoolId"]
    assert POOL_ID.fullmatch(pool_id)
    expected = {
        "IdentityPoolId": pool_id,
        "IdentityPoolName": "app pool",
        **params,
        "CognitoIdentityProviders": [
            {**params["CognitoIdentityProviders"][0], "ServerSideTokenCheck": False},
            params["CognitoIdentityProviders"][1],
        ],
    }
    assert answer(created) == expected
    described = pools.describe_identity_pool(IdentityPoolId=pool_id)
    assert answer(described) == expected
    assert described["ResponseMetadata"]["HTTPHeaders"]["content-type"] == (
        "application/x-amz-json-1.1"
    )
    tags = pools.list_tags_for_resource(ResourceArn=pool_arn(pool_id))
    assert answer(tags) == {"Tags": {"team": "red", "stage": ""}}


def test_a_pool_without_providers_answers_only_what_it_has(pools: Any) -> None:
    created = pools.create_identity_pool(
        IdentityPoolName="bare",
        AllowUnauthenticatedIdentities=False,
        SupportedLoginProviders={},
        OpenIdConnectProviderARNs=[],
        CognitoIdentityProviders=[],
        SamlProviderARNs=[],
        IdentityPoolTags={},
    )

    assert answer(created) == {
        "IdentityPoolId": created["IdentityPoolId"],
        "IdentityPoolName": "bare",
        "AllowUnauthenticatedIdentities": False,
        "AllowClassicFlow": False,
    }
    described = pools.describe_identity_pool(IdentityPoolId=created["IdentityPoolId"])
    assert set(answer(described)) == ALWAYS


def test_a_provider_arn_named_twice_is_kept_once(pools: Any, github: OIDCProvider) -> None:
    pool_id = new_pool(pools, OpenIdConnectProviderARNs=[github.arn, github.arn])

    described = pools.describe_identity_pool(IdentityPoolId=pool_id)

    assert described["OpenIdConnectProviderARNs"] == [github.arn]


@pytest.mark.parametrize(
    ("call", "error"),
    [
        pytest.param(
            lambda c: c.describe_identity_pool(IdentityPoolId="app"),
            validation(
                "app",
                "identityPoolId",
                r"Member must satisfy regular expression pattern: [\w-]+:[0-9a-f-]+",
            ),
            id="pool id",
        ),
        pytest.param(
            lambda c: c.create_identity_pool(
                IdentityPoolName="app!", AllowUnauthenticatedIdentities=False
            ),
            validation(
                "app!",
                "identityPoolName",
                r"Member must satisfy regular expression pattern: [\w\s+=,.@-]+",
            ),
            id="pool name",
        ),
        pytest.param(
            lambda c: c.list_identity_pools(MaxResults=0),
            validation("0", "maxResults", "Member must have value greater than or equal to 1"),
            id="no results",
        ),
        pytest.param(
            lambda c: c.list_identity_pools(MaxResults=61),
            validation("61", "maxResults", "Member must have value less than or equal to 60"),
            id="too many results",
        ),
    ],
)
def test_validation_is_worded_as_coral_words_it(
    sts_mock: MockSTS, call: Callable[[Any], object], error: tuple[str, str, int]
) -> None:
    client = unvalidated()

    assert aws_error(lambda: call(client)) == error
    assert client.list_identity_pools(MaxResults=60)["IdentityPools"] == []


def test_only_cognitos_login_providers_are_supported(pools: Any) -> None:
    refused = aws_error(
        lambda: new_pool(pools, SupportedLoginProviders={"login.example.com": "client"})
    )

    assert refused == invalid("Invalid login provider: login.example.com")
    assert pools.list_identity_pools(MaxResults=10)["IdentityPools"] == []


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param({"ProviderName": "https://{provider}", "ClientId": "webclient"}, id="url"),
        pytest.param({"ClientId": "webclient"}, id="no provider name"),
        pytest.param({"ProviderName": "{provider}"}, id="no client id"),
        pytest.param(
            {"ProviderName": "cognito-idp.us-east-1.amazonaws.com/eu-west-1_abc", "ClientId": "c"},
            id="pool of another region",
        ),
        pytest.param({"ProviderName": "accounts.google.com", "ClientId": "c"}, id="no user pool"),
    ],
)
def test_cognito_identity_providers_must_name_a_user_pools_client(
    pools: Any, users: UserPool, entry: dict[str, str]
) -> None:
    named = {key: value.format(provider=users.provider_name) for key, value in entry.items()}

    refused = aws_error(lambda: new_pool(pools, CognitoIdentityProviders=[named]))

    assert refused == invalid("Invalid Cognito Identity Provider")
    assert pools.list_identity_pools(MaxResults=10)["IdentityPools"] == []


@pytest.mark.parametrize(
    ("member", "arn"),
    [
        ("OpenIdConnectProviderARNs", f"arn:aws:iam::{ACCOUNT}:oidc-provider/login.example.com"),
        ("SamlProviderARNs", f"arn:aws:iam::{ACCOUNT}:saml-provider/Nowhere"),
    ],
)
def test_provider_arns_must_be_the_accounts_providers(pools: Any, member: str, arn: str) -> None:
    params: dict[str, Any] = {member: [arn]}

    refused = aws_error(lambda: new_pool(pools, **params))

    assert refused == invalid(f"Invalid provider ARN: {arn}")


def test_another_accounts_providers_are_not_the_callers(sts_mock: MockSTS, pools: Any) -> None:
    theirs = sts_mock.oidc_provider(GITHUB, account_id=ALICE_ACCOUNT)
    their_saml = sts_mock.saml_provider("Corp", account_id=ALICE_ACCOUNT)

    refused = aws_error(
        lambda: new_pool(
            pools, OpenIdConnectProviderARNs=[theirs.arn], SamlProviderARNs=[their_saml.arn]
        )
    )

    assert refused == invalid(f"Invalid provider ARN: {theirs.arn}")


# ---------------------------------------------------------------------------------------
# Update and delete


def test_an_update_replaces_the_configuration_and_keeps_tags_and_roles(
    sts_mock: MockSTS, pools: Any, github: OIDCProvider, corp: SAMLProvider, users: UserPool
) -> None:
    pool_id = new_pool(pools, **every_provider(github, corp, users))
    role = sts_mock.create_role("Cognito_appAuth_Role", pool_trust(pool_id))
    pools.set_identity_pool_roles(IdentityPoolId=pool_id, Roles={"authenticated": role.arn})

    updated = pools.update_identity_pool(
        IdentityPoolId=pool_id,
        IdentityPoolName="renamed",
        AllowUnauthenticatedIdentities=False,
        SupportedLoginProviders={"www.amazon.com": "amzn1.application.x"},
    )

    expected = {
        "IdentityPoolId": pool_id,
        "IdentityPoolName": "renamed",
        "AllowUnauthenticatedIdentities": False,
        "AllowClassicFlow": False,
        "SupportedLoginProviders": {"www.amazon.com": "amzn1.application.x"},
        "DeveloperProviderName": "login.example.app",
        "IdentityPoolTags": {"team": "red", "stage": ""},
    }
    assert answer(updated) == expected
    assert answer(pools.describe_identity_pool(IdentityPoolId=pool_id)) == expected
    roles = pools.get_identity_pool_roles(IdentityPoolId=pool_id)
    assert answer(roles) == {"IdentityPoolId": pool_id, "Roles": {"authenticated": role.arn}}


def test_an_update_with_tags_replaces_them(pools: Any) -> None:
    pool_id = new_pool(pools, IdentityPoolTags={"team": "red"})

    updated = pools.update_identity_pool(
        IdentityPoolId=pool_id,
        IdentityPoolName="app",
        AllowUnauthenticatedIdentities=False,
        IdentityPoolTags={"owner": "ops"},
    )

    assert updated["IdentityPoolTags"] == {"owner": "ops"}
    listed = pools.list_tags_for_resource(ResourceArn=pool_arn(pool_id))
    assert listed["Tags"] == {"owner": "ops"}


def test_a_developer_provider_name_can_be_set_once_and_never_changed(pools: Any) -> None:
    pool_id = new_pool(pools)
    params = {"IdentityPoolId": pool_id, "IdentityPoolName": "app"}

    first = pools.update_identity_pool(
        **params, AllowUnauthenticatedIdentities=False, DeveloperProviderName="login.first"
    )
    again = pools.update_identity_pool(
        **params, AllowUnauthenticatedIdentities=True, DeveloperProviderName="login.first"
    )
    left_out = pools.update_identity_pool(**params, AllowUnauthenticatedIdentities=False)
    refused = aws_error(
        lambda: pools.update_identity_pool(
            **params, AllowUnauthenticatedIdentities=True, DeveloperProviderName="login.second"
        )
    )

    assert [first["DeveloperProviderName"], again["DeveloperProviderName"]] == ["login.first"] * 2
    assert left_out["DeveloperProviderName"] == "login.first"
    assert refused == invalid(
        "Cannot modify the DeveloperProviderName of an identity pool once set."
    )
    described = pools.describe_identity_pool(IdentityPoolId=pool_id)
    assert (described["DeveloperProviderName"], described["AllowUnauthenticatedIdentities"]) == (
        "login.first",
        False,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"DeveloperProviderName": "login.other"},
            "Cannot modify the DeveloperProviderName of an identity pool once set.",
        ),
        (
            {"SupportedLoginProviders": {"api.example.com": "x"}},
            "Invalid login provider: api.example.com",
        ),
        (
            {"CognitoIdentityProviders": [{"ProviderName": "users", "ClientId": "c"}]},
            "Invalid Cognito Identity Provider",
        ),
        (
            {"SamlProviderARNs": [f"arn:aws:iam::{ACCOUNT}:saml-provider/Gone"]},
            f"Invalid provider ARN: arn:aws:iam::{ACCOUNT}:saml-provider/Gone",
        ),
    ],
)
def test_a_refused_update_leaves_the_pool_as_it_was(
    pools: Any,
    github: OIDCProvider,
    corp: SAMLProvider,
    users: UserPool,
    change: dict[str, Any],
    message: str,
) -> None:
    pool_id = new_pool(pools, **every_provider(github, corp, users))
    before = answer(pools.describe_identity_pool(IdentityPoolId=pool_id))

    refused = aws_error(
        lambda: pools.update_identity_pool(
            IdentityPoolId=pool_id,
            IdentityPoolName="renamed",
            AllowUnauthenticatedIdentities=False,
            OpenIdConnectProviderARNs=[],
            IdentityPoolTags={"team": "blue"},
            **change,
        )
    )

    assert refused == invalid(message)
    assert answer(pools.describe_identity_pool(IdentityPoolId=pool_id)) == before


def test_a_deleted_pool_is_not_found(pools: Any) -> None:
    pool_id = new_pool(pools)
    kept = new_pool(pools, "kept")

    deleted = pools.delete_identity_pool(IdentityPoolId=pool_id)

    assert answer(deleted) == {}
    assert aws_error(lambda: pools.describe_identity_pool(IdentityPoolId=pool_id)) == not_found(
        pool_id
    )
    assert aws_error(lambda: pools.delete_identity_pool(IdentityPoolId=pool_id)) == not_found(
        pool_id
    )
    listed = pools.list_identity_pools(MaxResults=10)["IdentityPools"]
    assert listed == [{"IdentityPoolId": kept, "IdentityPoolName": "kept"}]


def test_deleting_a_pool_deletes_its_identities(sts_mock: MockSTS, pools: Any) -> None:
    pool_id = new_pool(pools, AllowUnauthenticatedIdentities=True)
    identity_id = cognito().get_id(IdentityPoolId=pool_id)["IdentityId"]

    pools.delete_identity_pool(IdentityPoolId=pool_id)

    assert aws_error(lambda: pools.describe_identity(IdentityId=identity_id)) == (
        "ResourceNotFoundException",
        f"Identity '{identity_id}' not found.",
        400,
    )


def test_an_identity_of_another_accounts_or_regions_pool_is_not_found(
    sts_mock: MockSTS, pools: Any
) -> None:
    pool_id = new_pool(pools, AllowUnauthenticatedIdentities=True)
    identity_id = cognito().get_id(IdentityPoolId=pool_id)["IdentityId"]

    elsewhere = [cognito_of(sts_mock, ALICE_ACCOUNT), cognito("eu-west-1")]
    refusals = [aws_error(partial(c.describe_identity, IdentityId=identity_id)) for c in elsewhere]

    assert (
        refusals == [("ResourceNotFoundException", f"Identity '{identity_id}' not found.", 400)] * 2
    )
    assert pools.describe_identity(IdentityId=identity_id)["IdentityId"] == identity_id


# ---------------------------------------------------------------------------------------
# Listing


def test_pools_are_listed_a_page_at_a_time(pools: Any) -> None:
    created = [new_pool(pools, f"pool{n}") for n in range(5)]
    expected = [
        {"IdentityPoolId": pool_id, "IdentityPoolName": f"pool{n}"}
        for n, pool_id in enumerate(created)
    ]

    first = pools.list_identity_pools(MaxResults=2)
    second = pools.list_identity_pools(MaxResults=2, NextToken=first["NextToken"])
    last = pools.list_identity_pools(MaxResults=2, NextToken=second["NextToken"])

    assert [first["IdentityPools"], second["IdentityPools"], last["IdentityPools"]] == [
        expected[:2],
        expected[2:4],
        expected[4:],
    ]
    assert "NextToken" not in last
    assert answer(pools.list_identity_pools(MaxResults=5)) == {"IdentityPools": expected}


def token(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "forged",
    [
        pytest.param("not-a-token", id="not base64"),
        pytest.param("!!!!", id="not base64 at all"),
        pytest.param(token("starts-at/1"), id="not the mock's"),
        pytest.param(token("mock_sts/cognito/pools/starts-at/9"), id="past the end"),
        pytest.param(token(f"mock_sts/cognito/{UNKNOWN_POOL}/starts-at/1"), id="other listing"),
        pytest.param(base64.b64encode(b"\xff\xfe").decode(), id="not text"),
    ],
)
def test_a_next_token_the_listing_did_not_give_is_refused(pools: Any, forged: str) -> None:
    for n in range(3):
        new_pool(pools, f"pool{n}")

    refused = aws_error(lambda: pools.list_identity_pools(MaxResults=1, NextToken=forged))

    assert refused == invalid("The pagination token is invalid.")


def test_a_caller_lists_its_own_accounts_pools_in_its_region(sts_mock: MockSTS, pools: Any) -> None:
    mine = new_pool(pools, "mine")
    theirs = cognito_of(sts_mock, ALICE_ACCOUNT)
    new_pool(theirs, "theirs")
    new_pool(cognito("eu-west-1"), "european")

    assert pools.list_identity_pools(MaxResults=10)["IdentityPools"] == [
        {"IdentityPoolId": mine, "IdentityPoolName": "mine"}
    ]


def cognito_of(sts_mock: MockSTS, account_id: str, region: str = "us-east-1") -> Any:
    """A client of another account's admin."""
    credentials = sts_mock.admin_credentials(account_id)
    return boto3.client("cognito-identity", region_name=region, **credentials.as_boto3())


POOL_CALLS: dict[str, Callable[[Any, str], object]] = {
    "DescribeIdentityPool": lambda c, pool_id: c.describe_identity_pool(IdentityPoolId=pool_id),
    "UpdateIdentityPool": lambda c, pool_id: c.update_identity_pool(
        IdentityPoolId=pool_id, IdentityPoolName="x", AllowUnauthenticatedIdentities=False
    ),
    "DeleteIdentityPool": lambda c, pool_id: c.delete_identity_pool(IdentityPoolId=pool_id),
    "GetIdentityPoolRoles": lambda c, pool_id: c.get_identity_pool_roles(IdentityPoolId=pool_id),
    "SetIdentityPoolRoles": lambda c, pool_id: c.set_identity_pool_roles(
        IdentityPoolId=pool_id, Roles={}
    ),
    "GetPrincipalTagAttributeMap": lambda c, pool_id: c.get_principal_tag_attribute_map(
        IdentityPoolId=pool_id, IdentityProviderName=FACEBOOK
    ),
    "SetPrincipalTagAttributeMap": lambda c, pool_id: c.set_principal_tag_attribute_map(
        IdentityPoolId=pool_id, IdentityProviderName=FACEBOOK, UseDefaults=True
    ),
    "ListTagsForResource": lambda c, pool_id: c.list_tags_for_resource(
        ResourceArn=pool_arn(pool_id)
    ),
    "TagResource": lambda c, pool_id: c.tag_resource(
        ResourceArn=pool_arn(pool_id), Tags={"k": "v"}
    ),
    "UntagResource": lambda c, pool_id: c.untag_resource(
        ResourceArn=pool_arn(pool_id), TagKeys=["team"]
    ),
}


@pytest.mark.parametrize("operation", sorted(POOL_CALLS))
def test_a_pool_of_another_account_or_region_is_not_found(
    sts_mock: MockSTS, pools: Any, operation: str
) -> None:
    pool_id = new_pool(
        pools, SupportedLoginProviders={FACEBOOK: "app"}, IdentityPoolTags={"team": "red"}
    )
    before = answer(pools.describe_identity_pool(IdentityPoolId=pool_id))
    call = POOL_CALLS[operation]

    elsewhere = [cognito_of(sts_mock, ALICE_ACCOUNT), cognito("eu-west-1")]
    refusals = [aws_error(partial(call, client, pool_id)) for client in elsewhere]
    unknown = aws_error(lambda: call(pools, UNKNOWN_POOL))

    assert refusals == [not_found(pool_id)] * 2
    assert unknown == not_found(UNKNOWN_POOL)
    assert answer(pools.describe_identity_pool(IdentityPoolId=pool_id)) == before
    assert pools.list_tags_for_resource(ResourceArn=pool_arn(pool_id))["Tags"] == {"team": "red"}


def test_a_tag_arn_must_be_the_pools_own(pools: Any) -> None:
    pool_id = new_pool(pools)

    for arn in (pool_arn(pool_id, region="eu-west-1"), pool_arn(pool_id, account_id=ALICE_ACCOUNT)):
        listed = partial(pools.list_tags_for_resource, ResourceArn=arn)
        assert aws_error(listed) == not_found(pool_id)
    no_pool = f"arn:aws:cognito-identity:us-east-1:{ACCOUNT}:userpool/{pool_id}"
    assert aws_error(lambda: pools.list_tags_for_resource(ResourceArn=no_pool)) == not_found(
        no_pool
    )


# ---------------------------------------------------------------------------------------
# Roles and role mappings


def test_roles_and_role_mappings_round_trip(
    sts_mock: MockSTS, pools: Any, github: OIDCProvider, corp: SAMLProvider, users: UserPool
) -> None:
    pool_id = new_pool(pools, **every_provider(github, corp, users))
    authenticated = sts_mock.create_role("auth", pool_trust(pool_id))
    guest = sts_mock.create_role("guest", pool_trust(pool_id))
    admins = sts_mock.create_role("admins", pool_trust(pool_id))
    mappings = {
        f"{users.provider_name}:webclient": {
            "Type": "Token",
            "AmbiguousRoleResolution": "AuthenticatedRole",
        },
        FACEBOOK: {
            "Type": "Rules",
            "AmbiguousRoleResolution": "Deny",
            "RulesConfiguration": {
                "Rules": [
                    {"Claim": "sub", "MatchType": "Equals", "Value": "42", "RoleARN": admins.arn}
                ]
            },
        },
        "token.actions.githubusercontent.com": {
            "Type": "Token",
            "AmbiguousRoleResolution": "Deny",
        },
        corp.arn: {"Type": "Token", "AmbiguousRoleResolution": "Deny"},
    }
    roles = {"authenticated": authenticated.arn, "unauthenticated": guest.arn}

    set_answer = pools.set_identity_pool_roles(
        IdentityPoolId=pool_id, Roles=roles, RoleMappings=mappings
    )

    assert answer(set_answer) == {}
    assert answer(pools.get_identity_pool_roles(IdentityPoolId=pool_id)) == {
        "IdentityPoolId": pool_id,
        "Roles": roles,
        "RoleMappings": mappings,
    }


def test_a_pool_without_roles_has_none(pools: Any) -> None:
    pool_id = new_pool(pools)

    assert answer(pools.get_identity_pool_roles(IdentityPoolId=pool_id)) == {
        "IdentityPoolId": pool_id,
        "Roles": {},
    }


def test_only_authenticated_and_unauthenticated_roles_exist(sts_mock: MockSTS, pools: Any) -> None:
    pool_id = new_pool(pools)
    role = sts_mock.create_role("auth", pool_trust(pool_id))

    refused = aws_error(
        lambda: pools.set_identity_pool_roles(IdentityPoolId=pool_id, Roles={"admin": role.arn})
    )

    assert refused == validation(
        f"{{admin={role.arn}}}",
        "roles",
        "Map keys must satisfy constraint: [Member must have length less than or equal to 128, "
        "Member must have length greater than or equal to 1, Member must satisfy regular "
        "expression pattern: (un)?authenticated]",
    )
    assert pools.get_identity_pool_roles(IdentityPoolId=pool_id)["Roles"] == {}


def powerful_but_cannot_pass(sts_mock: MockSTS, *allowed: dict[str, Any]) -> Any:
    """A client of a user whose policy allows every Cognito Identity action (and ``allowed``)."""
    user = sts_mock.create_user(
        "builder",
        policies={
            "cognito": document(statement("cognito-identity:*"), *allowed),
        },
    )
    return boto3.client("cognito-identity", region_name="us-east-1", **user.credentials.as_boto3())


def test_passing_a_role_needs_iam_pass_role(sts_mock: MockSTS, pools: Any) -> None:
    pool_id = new_pool(pools)
    role = sts_mock.create_role("auth", pool_trust(pool_id))
    builder = powerful_but_cannot_pass(sts_mock)

    refused = aws_error(
        lambda: builder.set_identity_pool_roles(
            IdentityPoolId=pool_id, Roles={"authenticated": role.arn}
        )
    )

    assert refused == ("NotAuthorizedException", f"Access to Role '{role.arn}' is forbidden.", 400)
    denial = sts_mock.denials[-1]
    assert (denial.action, denial.error_code, denial.reason) == (
        "SetIdentityPoolRoles",
        "NotAuthorizedException",
        f"arn:aws:iam::{ACCOUNT}:user/builder may not pass role {role.arn} to Cognito",
    )
    assert pools.get_identity_pool_roles(IdentityPoolId=pool_id)["Roles"] == {}


def test_pass_role_to_cognito_is_enough(sts_mock: MockSTS, pools: Any) -> None:
    pool_id = new_pool(pools)
    role = sts_mock.create_role("auth", pool_trust(pool_id))
    other_service = sts_mock.create_role("other", pool_trust(pool_id))
    builder = powerful_but_cannot_pass(
        sts_mock,
        statement(
            "iam:PassRole",
            "*",
            condition={"StringEquals": {"iam:PassedToService": "cognito-identity.amazonaws.com"}},
        ),
    )

    builder.set_identity_pool_roles(IdentityPoolId=pool_id, Roles={"authenticated": role.arn})
    builder.set_identity_pool_roles(
        IdentityPoolId=pool_id,
        Roles={"authenticated": role.arn, "unauthenticated": other_service.arn},
    )

    assert pools.get_identity_pool_roles(IdentityPoolId=pool_id)["Roles"] == {
        "authenticated": role.arn,
        "unauthenticated": other_service.arn,
    }


def test_a_role_is_named_by_its_arn(pools: Any) -> None:
    pool_id = new_pool(pools)

    refused = aws_error(
        lambda: pools.set_identity_pool_roles(
            IdentityPoolId=pool_id, Roles={"authenticated": "Cognito_appAuth_Role"}
        )
    )

    assert refused == (
        "NotAuthorizedException",
        "Access to Role 'Cognito_appAuth_Role' is forbidden.",
        400,
    )


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("https://{user_pool}:webclient", id="url"),
        pytest.param("{user_pool}", id="user pool without its client"),
        pytest.param("{user_pool}:otherclient", id="client the pool does not take"),
        pytest.param("accounts.google.com", id="provider the pool does not have"),
        pytest.param("https://token.actions.githubusercontent.com", id="oidc provider url"),
    ],
)
def test_role_mappings_are_keyed_by_a_configured_provider(
    sts_mock: MockSTS, pools: Any, github: OIDCProvider, users: UserPool, key: str
) -> None:
    pool_id = new_pool(
        pools,
        SupportedLoginProviders={FACEBOOK: "app"},
        OpenIdConnectProviderARNs=[github.arn],
        CognitoIdentityProviders=[{"ProviderName": users.provider_name, "ClientId": "webclient"}],
    )
    role = sts_mock.create_role("auth", pool_trust(pool_id))
    name = key.format(user_pool=users.provider_name)

    refused = aws_error(
        lambda: pools.set_identity_pool_roles(
            IdentityPoolId=pool_id,
            Roles={"authenticated": role.arn},
            RoleMappings={name: {"Type": "Token", "AmbiguousRoleResolution": "Deny"}},
        )
    )

    assert refused == invalid(
        f"({name}) is not a valid RoleMapping ProviderName or is not a configured provider."
    )
    assert answer(pools.get_identity_pool_roles(IdentityPoolId=pool_id)) == {
        "IdentityPoolId": pool_id,
        "Roles": {},
    }


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (
            {"Type": "Token"},
            "AmbiguousRoleResolution is required when the role mapping type is Token or Rules.",
        ),
        (
            {
                "Type": "Rules",
                "RulesConfiguration": {
                    "Rules": [
                        {"Claim": "sub", "MatchType": "Equals", "Value": "1", "RoleARN": "{role}"}
                    ]
                },
            },
            "AmbiguousRoleResolution is required when the role mapping type is Token or Rules.",
        ),
        (
            {"Type": "Rules", "AmbiguousRoleResolution": "Deny"},
            "RulesConfiguration is required when the role mapping type is Rules.",
        ),
    ],
)
def test_token_and_rules_mappings_need_what_they_resolve_by(
    sts_mock: MockSTS, pools: Any, mapping: dict[str, Any], message: str
) -> None:
    pool_id = new_pool(pools, SupportedLoginProviders={FACEBOOK: "app"})
    role = sts_mock.create_role("auth", pool_trust(pool_id))
    pools.set_identity_pool_roles(IdentityPoolId=pool_id, Roles={"authenticated": role.arn})
    before = answer(pools.get_identity_pool_roles(IdentityPoolId=pool_id))
    rules = mapping.get("RulesConfiguration", {}).get("Rules", [])
    for rule in rules:
        rule["RoleARN"] = role.arn

    refused = aws_error(
        lambda: pools.set_identity_pool_roles(
            IdentityPoolId=pool_id,
            Roles={"authenticated": role.arn},
            RoleMappings={FACEBOOK: mapping},
        )
    )

    assert refused == invalid(message)
    assert answer(pools.get_identity_pool_roles(IdentityPoolId=pool_id)) == before


# ---------------------------------------------------------------------------------------
# Tags and principal tag maps


def test_tags_are_added_replaced_and_removed(pools: Any) -> None:
    pool_id = new_pool(pools, IdentityPoolTags={"team": "red"})
    arn = pool_arn(pool_id)

    tagged = pools.tag_resource(ResourceArn=arn, Tags={"team": "blue", "cost": "42"})
    after_tagging = pools.list_tags_for_resource(ResourceArn=arn)["Tags"]
    untagged = pools.untag_resource(ResourceArn=arn, TagKeys=["cost", "never-set"])

    assert (answer(tagged), answer(untagged)) == ({}, {})
    assert after_tagging == {"team": "blue", "cost": "42"}
    assert answer(pools.list_tags_for_resource(ResourceArn=arn)) == {"Tags": {"team": "blue"}}
    assert pools.describe_identity_pool(IdentityPoolId=pool_id)["IdentityPoolTags"] == {
        "team": "blue"
    }


def test_an_untagged_pool_lists_no_tags(pools: Any) -> None:
    pool_id = new_pool(pools)

    assert answer(pools.list_tags_for_resource(ResourceArn=pool_arn(pool_id))) == {"Tags": {}}


def test_a_principal_tag_map_never_set_has_the_defaults_off(pools: Any) -> None:
    pool_id = new_pool(pools, SupportedLoginProviders={FACEBOOK: "app"})

    got = pools.get_principal_tag_attribute_map(
        IdentityPoolId=pool_id, IdentityProviderName=FACEBOOK
    )

    assert answer(got) == {
        "IdentityPoolId": pool_id,
        "IdentityProviderName": FACEBOOK,
        "UseDefaults": False,
        "PrincipalTags": {},
    }


@pytest.mark.parametrize(
    "provider",
    [
        pytest.param("{user_pool}", id="user pool"),
        pytest.param("{user_pool}:webclient", id="user pool client"),
        pytest.param(FACEBOOK, id="public provider"),
    ],
)
def test_principal_tag_maps_round_trip(pools: Any, users: UserPool, provider: str) -> None:
    pool_id = new_pool(
        pools,
        SupportedLoginProviders={FACEBOOK: "app"},
        CognitoIdentityProviders=[{"ProviderName": users.provider_name, "ClientId": "webclient"}],
    )
    name = provider.format(user_pool=users.provider_name)
    tags = {"department": "custom:department", "username": "sub"}

    set_answer = pools.set_principal_tag_attribute_map(
        IdentityPoolId=pool_id, IdentityProviderName=name, UseDefaults=True, PrincipalTags=tags
    )
    got = pools.get_principal_tag_attribute_map(IdentityPoolId=pool_id, IdentityProviderName=name)

    expected = {
        "IdentityPoolId": pool_id,
        "IdentityProviderName": name,
        "UseDefaults": True,
        "PrincipalTags": tags,
    }
    assert answer(set_answer) == answer(got) == expected


def test_a_principal_tag_map_set_without_values_keeps_none(pools: Any) -> None:
    pool_id = new_pool(pools, SupportedLoginProviders={FACEBOOK: "app"})
    pools.set_principal_tag_attribute_map(
        IdentityPoolId=pool_id,
        IdentityProviderName=FACEBOOK,
        UseDefaults=True,
        PrincipalTags={"a": "b"},
    )

    set_answer = pools.set_principal_tag_attribute_map(
        IdentityPoolId=pool_id, IdentityProviderName=FACEBOOK
    )

    assert (set_answer["UseDefaults"], set_answer["PrincipalTags"]) == (False, {})


def test_a_principal_tag_map_needs_a_provider_of_the_pool(pools: Any) -> None:
    pool_id = new_pool(pools, SupportedLoginProviders={FACEBOOK: "app"})

    refused = aws_error(
        lambda: pools.set_principal_tag_attribute_map(
            IdentityPoolId=pool_id, IdentityProviderName="accounts.google.com", UseDefaults=True
        )
    )

    assert refused == invalid(
        "accounts.google.com is not a configured provider of this identity pool."
    )
    got = pools.get_principal_tag_attribute_map(
        IdentityPoolId=pool_id, IdentityProviderName="accounts.google.com"
    )
    assert (got["UseDefaults"], got["PrincipalTags"]) == (False, {})
