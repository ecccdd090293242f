"""IAM OpenID Connect providers through boto3 (STS_REFERENCE §10.2): URL rules, client ids,
thumbprints, tags, quotas, authorization, and the errors of each operation.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import partial
from typing import TYPE_CHECKING, Any

import boto3
import pytest
import time_machine

from tests.helpers import aws_error

if TYPE_CHECKING:
    from mock_sts import MockSTS

ACCOUNT = "123456789012"
URL = "https://token.actions.githubusercontent.com"
ARN = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
THUMBPRINT = "6938fd4d98bab03faadb97b34396831e3780aea1"
T0 = dt.datetime(2025, 3, 14, 12, 0, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def iam(sts_mock: MockSTS) -> Any:
    return boto3.client("iam", region_name="us-east-1")


def make_provider(iam: Any, url: str = URL, **params: Any) -> str:
    arn: str = iam.create_open_id_connect_provider(Url=url, **params)["OpenIDConnectProviderArn"]
    return arn


def provider_not_found(arn: str) -> tuple[str, str, int]:
    return ("NoSuchEntity", f"OpenIDConnect Provider not found for arn {arn}", 404)


def listed(iam: Any) -> list[str]:
    return [p["Arn"] for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]]


# ---------------------------------------------------------------------------------------
# Create, get, list, delete


def test_create_and_get(iam: Any) -> None:
    with time_machine.travel(T0, tick=False):
        response = iam.create_open_id_connect_provider(
            Url=URL,
            ClientIDList=["sts.amazonaws.com"],
            ThumbprintList=[THUMBPRINT],
            Tags=[{"Key": "team", "Value": "ci"}],
        )

    assert response["OpenIDConnectProviderArn"] == ARN
    assert response["Tags"] == [{"Key": "team", "Value": "ci"}]
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=ARN)
    del got["ResponseMetadata"]
    assert got == {
        "Url": "token.actions.githubusercontent.com",  # shown without its scheme
        "ClientIDList": ["sts.amazonaws.com"],
        "ThumbprintList": [THUMBPRINT],
        "CreateDate": T0,
        "Tags": [{"Key": "team", "Value": "ci"}],
    }


def test_minimal_provider(iam: Any) -> None:
    arn = make_provider(iam, "https://idp.example.com/path/to/issuer")

    assert arn == f"arn:aws:iam::{ACCOUNT}:oidc-provider/idp.example.com/path/to/issuer"
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert got["ClientIDList"] == []
    assert got["ThumbprintList"] == []
    assert got["Tags"] == []  # sent even when empty (STS_REFERENCE §13.1)


def test_list_is_sorted_and_shows_only_arns(iam: Any) -> None:
    for url in ("https://b.example.com", "https://a.example.com", URL):
        make_provider(iam, url)

    entries = iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]
    assert entries == [
        {"Arn": f"arn:aws:iam::{ACCOUNT}:oidc-provider/a.example.com"},
        {"Arn": f"arn:aws:iam::{ACCOUNT}:oidc-provider/b.example.com"},
        {"Arn": ARN},
    ]


def test_providers_belong_to_their_account(sts_mock: MockSTS, iam: Any) -> None:
    other = boto3.client(
        "iam", region_name="us-east-1", **sts_mock.admin_credentials("210987654321").as_boto3()
    )
    make_provider(iam)

    assert listed(other) == []
    other_arn = make_provider(other)
    assert other_arn == ARN.replace(ACCOUNT, "210987654321")
    assert aws_error(lambda: other.get_open_id_connect_provider(OpenIDConnectProviderArn=ARN)) == (
        provider_not_found(ARN)
    )


def test_delete(iam: Any) -> None:
    make_provider(iam)

    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=ARN)
    assert listed(iam) == []
    assert aws_error(lambda: iam.get_open_id_connect_provider(OpenIDConnectProviderArn=ARN)) == (
        provider_not_found(ARN)
    )
    # Deleting again, or a provider that never existed, is NoSuchEntity: the model's
    # documentation calls the operation idempotent, AWS's recorded answer is not (§13.2).
    never = f"arn:aws:iam::{ACCOUNT}:oidc-provider/never.example.com"
    for arn in (ARN, never):
        delete = partial(iam.delete_open_id_connect_provider, OpenIDConnectProviderArn=arn)
        assert aws_error(delete) == (
            "NoSuchEntity",
            f"OpenId connect Provider {arn} cannot be found.",
            404,
        )


def test_url_can_be_registered_again_after_delete(iam: Any) -> None:
    make_provider(iam, ClientIDList=["a"])
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=ARN)

    assert make_provider(iam, ClientIDList=["b"]) == ARN
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=ARN)["ClientIDList"] == ["b"]


def test_unknown_arn(iam: Any) -> None:
    unknown = f"arn:aws:iam::{ACCOUNT}:oidc-provider/unknown.example.com"
    calls = [
        lambda: iam.get_open_id_connect_provider(OpenIDConnectProviderArn=unknown),
        lambda: iam.add_client_id_to_open_id_connect_provider(
            OpenIDConnectProviderArn=unknown, ClientID="a"
        ),
        lambda: iam.remove_client_id_from_open_id_connect_provider(
            OpenIDConnectProviderArn=unknown, ClientID="a"
        ),
        lambda: iam.update_open_id_connect_provider_thumbprint(
            OpenIDConnectProviderArn=unknown, ThumbprintList=[THUMBPRINT]
        ),
        lambda: iam.tag_open_id_connect_provider(
            OpenIDConnectProviderArn=unknown, Tags=[{"Key": "k", "Value": "v"}]
        ),
        lambda: iam.untag_open_id_connect_provider(OpenIDConnectProviderArn=unknown, TagKeys=["k"]),
        lambda: iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=unknown),
    ]

    for call in calls:
        assert aws_error(call) == provider_not_found(unknown)


# ---------------------------------------------------------------------------------------
# URL rules


@pytest.mark.parametrize(
    "url",
    [
        "token.actions.githubusercontent.com",
        "http://token.actions.githubusercontent.com",
        "https://",
        "https:///path",
        "ftp://example.com",
        "HTTPS://example.com",
    ],
)
def test_url_must_be_https_with_a_host(iam: Any, url: str) -> None:
    assert aws_error(lambda: make_provider(iam, url)) == (
        "ValidationError",
        "Invalid Open ID Connect Provider URL",
        400,
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com?tenant=1",
        "https://example.com/path?",
        "https://example.com#fragment",
        "https://example.com:8443",
        "https://example.com:443/path",
        "https://user@example.com",
        "https://exa mple.com",
    ],
)
def test_url_without_port_query_or_credentials(iam: Any, url: str) -> None:
    assert aws_error(lambda: make_provider(iam, url)) == (
        "InvalidInput",
        "Invalid Open ID Connect Provider URL.",
        400,
    )


def test_url_longer_than_255(iam: Any) -> None:
    url = "https://example.com/" + "p" * 236

    assert aws_error(lambda: make_provider(iam, url)) == (
        "ValidationError",
        "1 validation error detected: Value at 'url' failed to satisfy constraint: "
        "Member must have length less than or equal to 255",
        400,
    )


def test_url_is_unique_per_account(iam: Any) -> None:
    make_provider(iam)

    assert aws_error(lambda: make_provider(iam, ClientIDList=["other"])) == (
        "EntityAlreadyExists",
        f"Provider with url {URL} already exists.",
        409,
    )
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=ARN)["ClientIDList"] == []


def test_url_is_case_sensitive_and_keeps_its_trailing_slash(iam: Any) -> None:
    make_provider(iam, "https://idp.example.com/Tenant")
    make_provider(iam, "https://idp.example.com/tenant")
    make_provider(iam, "https://idp.example.com/tenant/")

    assert listed(iam) == [
        f"arn:aws:iam::{ACCOUNT}:oidc-provider/idp.example.com/Tenant",
        f"arn:aws:iam::{ACCOUNT}:oidc-provider/idp.example.com/tenant",
        f"arn:aws:iam::{ACCOUNT}:oidc-provider/idp.example.com/tenant/",
    ]


def test_at_most_100_providers_per_account(iam: Any) -> None:
    for index in range(100):
        make_provider(iam, f"https://idp{index}.example.com")

    assert aws_error(lambda: make_provider(iam, "https://one-too-many.example.com")) == (
        "LimitExceeded",
        "Cannot exceed quota for OpenIdConnectProvidersPerAccount: 100",
        409,
    )
    assert len(listed(iam)) == 100


# ---------------------------------------------------------------------------------------
# Client ids


def test_client_ids_are_deduplicated(iam: Any) -> None:
    make_provider(iam, ClientIDList=["a", "b", "a"])

    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=ARN)["ClientIDList"] == [
        "a",
        "b",
    ]


def test_at_most_100_client_ids(iam: Any) -> None:
    quota = ("LimitExceeded", "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100", 409)

    assert (
        aws_error(lambda: make_provider(iam, ClientIDList=[f"c{i}" for i in range(101)])) == quota
    )
    assert listed(iam) == []
    make_provider(iam, ClientIDList=[f"c{i}" for i in range(100)])
    add = lambda: iam.add_client_id_to_open_id_connect_provider(  # noqa: E731
        OpenIDConnectProviderArn=ARN, ClientID="c100"
    )
    assert aws_error(add) == quota
    # Adding one it already has is no change, even when full.
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=ARN, ClientID="c0")


def test_add_and_remove_client_ids(iam: Any) -> None:
    make_provider(iam, ClientIDList=["a"])

    for client_id in ("b", "a", "b"):
        iam.add_client_id_to_open_id_connect_provider(
            OpenIDConnectProviderArn=ARN, ClientID=client_id
        )
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=ARN)["ClientIDList"] == [
        "a",
        "b",
    ]
    for client_id in ("a", "a", "never"):
        iam.remove_client_id_from_open_id_connect_provider(
            OpenIDConnectProviderArn=ARN, ClientID=client_id
        )
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=ARN)["ClientIDList"] == ["b"]


def test_client_id_longer_than_255(iam: Any) -> None:
    make_provider(iam)

    code, message, status = aws_error(
        lambda: iam.add_client_id_to_open_id_connect_provider(
            OpenIDConnectProviderArn=ARN, ClientID="c" * 256
        )
    )
    assert (code, status) == ("ValidationError", 400)
    assert message.endswith("Member must have length less than or equal to 255")


# ---------------------------------------------------------------------------------------
# Thumbprints


def test_at_most_5_thumbprints(iam: Any) -> None:
    six = [f"{i:040x}" for i in range(6)]

    assert aws_error(lambda: make_provider(iam, ThumbprintList=six)) == (
        "InvalidInput",
        "Thumbprint list must contain fewer than 5 entries.",
        400,
    )
    make_provider(iam, ThumbprintList=six[:5])
    update = lambda: iam.update_open_id_connect_provider_thumbprint(  # noqa: E731
        OpenIDConnectProviderArn=ARN, ThumbprintList=six
    )
    assert aws_error(update)[0] == "InvalidInput"
    assert (
        iam.get_open_id_connect_provider(OpenIDConnectProviderArn=ARN)["ThumbprintList"]
        == (six[:5])
    )


def test_thumbprints_are_40_hex_digits(iam: Any) -> None:
    not_hex = "g" * 40

    assert aws_error(lambda: make_provider(iam, ThumbprintList=[not_hex])) == (
        "InvalidInput",
        f"Thumbprint {not_hex} is not the 40 hexadecimal digits of a SHA-1 fingerprint.",
        400,
    )
    code, message, _ = aws_error(lambda: make_provider(iam, ThumbprintList=["a" * 41]))
    assert code == "ValidationError"
    # The list is named as a whole, with every rule of its members (STS_REFERENCE §13.3).
    assert message.endswith(
        "Value at 'thumbprintList' failed to satisfy constraint: Member must satisfy "
        "constraint: [Member must have length less than or equal to 40, Member must have "
        "length greater than or equal to 40, Member must not be null]"
    )


def test_update_replaces_the_thumbprints(iam: Any) -> None:
    make_provider(iam, ThumbprintList=[THUMBPRINT])

    new = ["A" * 40, "b" * 40]
    iam.update_open_id_connect_provider_thumbprint(OpenIDConnectProviderArn=ARN, ThumbprintList=new)
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=ARN)["ThumbprintList"] == new
    iam.update_open_id_connect_provider_thumbprint(OpenIDConnectProviderArn=ARN, ThumbprintList=[])
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=ARN)["ThumbprintList"] == []


# ---------------------------------------------------------------------------------------
# Tags


def provider_tags_of(iam: Any, **params: Any) -> dict[str, Any]:
    response: dict[str, Any] = iam.list_open_id_connect_provider_tags(
        OpenIDConnectProviderArn=ARN, **params
    )
    del response["ResponseMetadata"]
    return response


def test_tag_untag_and_list_sorted_by_key(iam: Any) -> None:
    make_provider(iam, Tags=[{"Key": "zeta", "Value": "1"}])

    iam.tag_open_id_connect_provider(
        OpenIDConnectProviderArn=ARN,
        Tags=[{"Key": "alpha", "Value": "2"}, {"Key": "ZETA", "Value": "3"}],
    )
    assert provider_tags_of(iam) == {
        "Tags": [{"Key": "ZETA", "Value": "3"}, {"Key": "alpha", "Value": "2"}],
        "IsTruncated": False,
    }
    iam.untag_open_id_connect_provider(OpenIDConnectProviderArn=ARN, TagKeys=["zeta", "nope"])
    assert provider_tags_of(iam)["Tags"] == [{"Key": "alpha", "Value": "2"}]


def test_list_tags_pages(iam: Any) -> None:
    make_provider(iam, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(3)])

    first = provider_tags_of(iam, MaxItems=2)
    assert first == {
        "Tags": [{"Key": "k0", "Value": "v"}, {"Key": "k1", "Value": "v"}],
        "IsTruncated": True,
        "Marker": first["Marker"],
    }
    assert provider_tags_of(iam, Marker=first["Marker"])["Tags"] == [{"Key": "k2", "Value": "v"}]


def test_tag_errors(iam: Any) -> None:
    duplicate = [{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}]

    assert aws_error(lambda: make_provider(iam, Tags=duplicate)) == (
        "InvalidInput",
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
        400,
    )
    make_provider(iam, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
    assert aws_error(
        lambda: iam.tag_open_id_connect_provider(
            OpenIDConnectProviderArn=ARN, Tags=[{"Key": "one-more", "Value": "v"}]
        )
    ) == ("LimitExceeded", "The number of tags has reached the maximum limit.", 409)
    assert len(provider_tags_of(iam)["Tags"]) == 50


# ---------------------------------------------------------------------------------------
# Authorization


def test_callers_need_iam_permissions_on_the_provider(sts_mock: MockSTS, iam: Any) -> None:
    make_provider(iam)
    reader = sts_mock.create_user(
        "reader",
        policies={
            "read": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "iam:GetOpenIDConnectProvider",
                        "Resource": f"arn:aws:iam::{ACCOUNT}:oidc-provider/*",
                    }
                ],
            }
        },
    )
    client = boto3.client("iam", region_name="us-east-1", **reader.credentials.as_boto3())

    assert client.get_open_id_connect_provider(OpenIDConnectProviderArn=ARN)["Url"]
    code, message, status = aws_error(
        lambda: client.delete_open_id_connect_provider(OpenIDConnectProviderArn=ARN)
    )
    assert (code, status) == ("AccessDenied", 403)
    assert message.startswith(
        f"User: arn:aws:iam::{ACCOUNT}:user/reader is not authorized to perform: "
        f"iam:DeleteOpenIDConnectProvider on resource: {ARN}"
    )
    code, message, _ = aws_error(lambda: make_provider(client, "https://new.example.com"))
    assert code == "AccessDenied"
    assert (
        f"iam:CreateOpenIDConnectProvider on resource: arn:aws:iam::{ACCOUNT}:oidc-provider/"
        "new.example.com"
    ) in message
    code, message, _ = aws_error(client.list_open_id_connect_providers)
    assert code == "AccessDenied"
    assert "iam:ListOpenIDConnectProviders on resource: *" in message
    assert listed(iam) == [ARN]


def test_the_handle_registers_through_iam(sts_mock: MockSTS, iam: Any) -> None:
    provider = sts_mock.oidc_provider(URL, client_ids=["sts.amazonaws.com", "extra"])

    assert provider.arn == ARN
    assert provider.client_ids == ("sts.amazonaws.com", "extra")
    assert provider.url == URL
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=ARN)
    assert got["ClientIDList"] == ["sts.amazonaws.com", "extra"]
    assert json.loads(json.dumps(provider.jwks))["keys"][0]["kty"] == "RSA"
