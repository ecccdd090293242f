"""IAM UpdateOpenIDConnectProvider (and CreateOpenIDConnectProvider's same parameters):
trusted identity propagation's context provider and IAM Identity Center association, as the
IAM API Reference states their rules, through real boto3 clients."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

import boto3
import pytest

from tests.helpers import aws_error, client, no_policy_allows
from tests.helpers.assume_role import allow

if TYPE_CHECKING:
    from mock_sts import MockSTS

ACCOUNT_ID = "123456789012"
URL = "https://token.actions.example.com"
PROVIDER_ARN = f"arn:aws:iam::{ACCOUNT_ID}:oidc-provider/token.actions.example.com"
INSTANCE = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
CONTEXT = {
    "SubjectSourceKey": "sub",
    "SubjectTypeValue": "workload",
    "KeyDefinitionList": [
        {"SourceKey": "repository", "TargetKey": "repo"},
        {"SourceKey": "job_workflow_ref"},
    ],
}
STORE = re.compile(rf"arn:aws:identitystore::{ACCOUNT_ID}:identitystore/d-[0-9a-f]{{10}}")


def invalid(message: str) -> tuple[str, str, int]:
    return ("InvalidInput", message, 400)


def provider(iam: Any, **params: Any) -> str:
    created = iam.create_open_id_connect_provider(
        Url=URL, ClientIDList=["sts.amazonaws.com"], **params
    )
    arn: str = created["OpenIDConnectProviderArn"]
    return arn


def shown(iam: Any, arn: str = PROVIDER_ARN) -> dict[str, Any]:
    """GetOpenIDConnectProvider's members of trusted identity propagation, those present."""
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    keys = ("ContextProvider", "IdentityCenterInstanceArn", "IdentityStoreArn")
    return {key: got[key] for key in keys if key in got}


# ---------------------------------------------------------------------------------------
# Context providers and Identity Center, set, changed and removed


def test_a_context_provider_is_set_changed_and_removed(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    arn = provider(iam)
    assert shown(iam) == {}

    answer = iam.update_open_id_connect_provider(
        OpenIDConnectProviderArn=arn, ContextProvider=CONTEXT
    )

    assert list(answer) == ["ResponseMetadata"]
    assert shown(iam) == {"ContextProvider": CONTEXT}
    changed = {"SubjectSourceKey": "email", "SubjectTypeSourceKey": "token_use"}
    iam.update_open_id_connect_provider(OpenIDConnectProviderArn=arn, ContextProvider=changed)
    assert shown(iam) == {"ContextProvider": changed}
    iam.update_open_id_connect_provider(OpenIDConnectProviderArn=arn, RemoveContextProvider=True)
    assert shown(iam) == {}
    # The rest of the provider is as it was.
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert (got["Url"], got["ClientIDList"]) == ("token.actions.example.com", ["sts.amazonaws.com"])


def test_an_identity_center_instance_rests_on_the_context_provider(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    arn = provider(iam)

    error = aws_error(
        lambda: iam.update_open_id_connect_provider(
            OpenIDConnectProviderArn=arn, IdentityCenterInstanceArn=INSTANCE
        )
    )

    assert error == invalid(
        "An IAM Identity Center instance can be associated only with a provider that has a "
        "context provider."
    )
    iam.update_open_id_connect_provider(OpenIDConnectProviderArn=arn, ContextProvider=CONTEXT)
    iam.update_open_id_connect_provider(
        OpenIDConnectProviderArn=arn, IdentityCenterInstanceArn=INSTANCE
    )
    associated = shown(iam)
    assert associated["IdentityCenterInstanceArn"] == INSTANCE
    assert STORE.fullmatch(associated["IdentityStoreArn"])
    error = aws_error(
        lambda: iam.update_open_id_connect_provider(
            OpenIDConnectProviderArn=arn, RemoveContextProvider=True
        )
    )
    assert error == invalid(
        "To remove the context provider, first remove the IAM Identity Center association in a "
        "separate request."
    )
    assert shown(iam) == associated
    iam.update_open_id_connect_provider(
        OpenIDConnectProviderArn=arn, RemoveIdentityCenterInstance=True
    )
    assert shown(iam) == {"ContextProvider": CONTEXT}
    # Removing what is not there changes nothing, as RemoveClientIDFromOpenIDConnectProvider.
    iam.update_open_id_connect_provider(
        OpenIDConnectProviderArn=arn, RemoveIdentityCenterInstance=True
    )
    iam.update_open_id_connect_provider(OpenIDConnectProviderArn=arn, RemoveContextProvider=True)
    iam.update_open_id_connect_provider(OpenIDConnectProviderArn=arn, RemoveContextProvider=True)
    assert shown(iam) == {}


def test_a_provider_is_created_with_both(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    arn = provider(iam, ContextProvider=CONTEXT, IdentityCenterInstanceArn=INSTANCE)

    assert shown(iam, arn)["ContextProvider"] == CONTEXT
    assert shown(iam, arn)["IdentityCenterInstanceArn"] == INSTANCE


def test_a_provider_is_not_created_with_an_instance_alone(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    error = aws_error(lambda: provider(iam, IdentityCenterInstanceArn=INSTANCE))

    assert error[:1] == ("InvalidInput",)
    assert iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == []
    bad = {"SubjectSourceKey": "sub", "SubjectTypeValue": "user", "SubjectTypeSourceKey": "typ"}
    assert aws_error(lambda: provider(iam, ContextProvider=bad)) == invalid(
        "Specify either SubjectTypeValue or SubjectTypeSourceKey, but not both."
    )
    assert iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == []


# ---------------------------------------------------------------------------------------
# What one request may ask


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param(
            {"ContextProvider": CONTEXT, "RemoveContextProvider": True},
            "Specifying both ContextProvider and RemoveContextProvider in the same request is "
            "not allowed.",
            id="context-and-remove",
        ),
        pytest.param(
            {"IdentityCenterInstanceArn": INSTANCE, "RemoveIdentityCenterInstance": True},
            "Specifying both IdentityCenterInstanceArn and RemoveIdentityCenterInstance in the "
            "same request is not allowed.",
            id="instance-and-remove",
        ),
        pytest.param(
            {"ContextProvider": CONTEXT, "IdentityCenterInstanceArn": INSTANCE},
            "A single request can change either the context provider or the IAM Identity "
            "Center association, but not both.",
            id="both-configurations",
        ),
        pytest.param(
            {"RemoveContextProvider": True, "RemoveIdentityCenterInstance": True},
            "A single request can change either the context provider or the IAM Identity "
            "Center association, but not both.",
            id="both-removed",
        ),
        pytest.param(
            {},
            "Specify a ContextProvider, an IdentityCenterInstanceArn, RemoveContextProvider or "
            "RemoveIdentityCenterInstance.",
            id="nothing",
        ),
        pytest.param(
            {"RemoveContextProvider": False},
            "Specify a ContextProvider, an IdentityCenterInstanceArn, RemoveContextProvider or "
            "RemoveIdentityCenterInstance.",
            id="nothing-removed",
        ),
        pytest.param(
            {"IdentityCenterInstanceArn": "arn:aws:sso:::instance/not-an-instance"},
            "ARN arn:aws:sso:::instance/not-an-instance is not valid.",
            id="not-an-instance-arn",
        ),
        pytest.param(
            {"ContextProvider": {**CONTEXT, "SubjectTypeSourceKey": "typ"}},
            "Specify either SubjectTypeValue or SubjectTypeSourceKey, but not both.",
            id="subject-type-twice",
        ),
    ],
)
def test_requests_iam_refuses(sts_mock: MockSTS, params: dict[str, Any], message: str) -> None:
    iam = boto3.client("iam")
    arn = provider(iam, ContextProvider={"SubjectSourceKey": "sub"})

    error = aws_error(
        lambda: iam.update_open_id_connect_provider(OpenIDConnectProviderArn=arn, **params)
    )

    assert error == invalid(message)
    assert shown(iam) == {"ContextProvider": {"SubjectSourceKey": "sub"}}


@pytest.mark.parametrize("key", ["bad!key", " sub", "sub ", "a  b", "día"])
def test_context_keys_iam_refuses(sts_mock: MockSTS, key: str) -> None:
    iam = boto3.client("iam")
    arn = provider(iam)
    message = (
        f"The key {key} can contain only ASCII letters (A-Z, a-z), numbers (0-9), single spaces, "
        "and the following characters: _ . : / = + - @ #. It can't start or end with a space "
        "or contain two spaces in a row."
    )

    for context in (
        {"SubjectSourceKey": key},
        {"SubjectSourceKey": "sub", "SubjectTypeSourceKey": key},
        {"SubjectSourceKey": "sub", "KeyDefinitionList": [{"SourceKey": key}]},
        {"SubjectSourceKey": "sub", "KeyDefinitionList": [{"SourceKey": "s", "TargetKey": key}]},
    ):
        update = functools.partial(
            iam.update_open_id_connect_provider,
            OpenIDConnectProviderArn=arn,
            ContextProvider=context,
        )
        assert aws_error(update) == invalid(message)
    assert shown(iam) == {}


def test_keys_iam_accepts(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    arn = provider(iam)
    context = {
        "SubjectSourceKey": "https://example.com/claims/sub",
        "SubjectTypeValue": "",
        "SubjectTypeSourceKey": "token use",
        "KeyDefinitionList": [{"SourceKey": "a_b.c:d/e=f+g-h@i#j", "TargetKey": "x y z"}],
    }

    iam.update_open_id_connect_provider(OpenIDConnectProviderArn=arn, ContextProvider=context)

    assert shown(iam) == {"ContextProvider": context}


def test_a_provider_that_is_not_there(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    missing = f"arn:aws:iam::{ACCOUNT_ID}:oidc-provider/nowhere.example.com"

    error = aws_error(
        lambda: iam.update_open_id_connect_provider(
            OpenIDConnectProviderArn=missing, ContextProvider=CONTEXT
        )
    )

    assert error == ("NoSuchEntity", f"OpenIDConnect Provider not found for arn {missing}", 404)


def test_updates_are_authorized_on_the_provider(sts_mock: MockSTS) -> None:
    provider(boto3.client("iam"))
    bob = sts_mock.create_user("bob", policies={"read": allow("iam:GetOpenIDConnectProvider")})
    iam = client("iam", bob.credentials)

    error = aws_error(
        lambda: iam.update_open_id_connect_provider(
            OpenIDConnectProviderArn=PROVIDER_ARN, ContextProvider=CONTEXT
        )
    )

    assert error == no_policy_allows(bob.arn, "iam:UpdateOpenIDConnectProvider", PROVIDER_ARN)
    assert shown(iam) == {}
