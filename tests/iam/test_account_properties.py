"""IAM GetAccountProperties and PutAccountProperties: ``Namespace/PropertyName`` settings of
account-wide IAM features, one namespace per request, through real boto3 clients."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import boto3
import pytest

from tests.helpers import aws_error, client, no_policy_allows

if TYPE_CHECKING:
    from mock_sts import MockSTS

KEY_RULE = (
    "The key {} must contain exactly one / separating the namespace from the property name, "
    "and cannot start or end with /."
)


def properties(iam: Any) -> dict[str, str]:
    answer: dict[str, str] = iam.get_account_properties()["Properties"]
    return answer


def namespaces_policy(action: str, *namespaces: str) -> dict[str, Any]:
    """An identity policy allowing ``action`` for the account property namespaces named."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": action,
                "Resource": "*",
                "Condition": {
                    "ForAllValues:StringEquals": {"iam:AccountPropertyNamespaces": list(namespaces)}
                },
            }
        ],
    }


def test_an_account_starts_with_no_properties_and_keeps_those_put(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    assert properties(iam) == {}

    answer = iam.put_account_properties(
        Properties={"RoleManager/Enabled": "true", "RoleManager/MaxRoles": "25"}
    )

    assert list(answer) == ["ResponseMetadata"]
    assert properties(iam) == {"RoleManager/Enabled": "true", "RoleManager/MaxRoles": "25"}
    # A later request sets the properties it names; the others keep their values.
    iam.put_account_properties(Properties={"RoleManager/Enabled": "false"})
    iam.put_account_properties(Properties={"Other_Feature/Mode": "strict"})
    assert properties(iam) == {
        "RoleManager/Enabled": "false",
        "RoleManager/MaxRoles": "25",
        "Other_Feature/Mode": "strict",
    }


def test_each_account_has_its_own(sts_mock: MockSTS) -> None:
    boto3.client("iam").put_account_properties(Properties={"RoleManager/Enabled": "true"})

    other = client("iam", sts_mock.admin_credentials("210987654321"))

    assert properties(other) == {}


@pytest.mark.parametrize("key", ["RoleManager", "RoleManager/", "RoleManager/Roles/Max"])
def test_a_key_has_one_namespace_and_one_name(sts_mock: MockSTS, key: str) -> None:
    iam = boto3.client("iam")
    iam.put_account_properties(Properties={"RoleManager/Enabled": "true"})

    error = aws_error(
        lambda: iam.put_account_properties(Properties={"RoleManager/Enabled": "false", key: "1"})
    )

    assert error == ("InvalidInput", KEY_RULE.format(key), 400)
    assert properties(iam) == {"RoleManager/Enabled": "true"}


def test_one_request_sets_one_namespace(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    error = aws_error(
        lambda: iam.put_account_properties(
            Properties={"RoleManager/Enabled": "true", "Other/Enabled": "true"}
        )
    )

    assert error == (
        "InvalidInput",
        "All properties in a single request must belong to the same namespace.",
        400,
    )
    assert properties(iam) == {}


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        pytest.param(
            {"1RoleManager/Enabled": "true"},
            "Value at 'properties.1.key' failed to satisfy constraint: Member must satisfy "
            "regular expression pattern: ^[A-Za-z][A-Za-z0-9/_-]*$",
            id="key-pattern",
        ),
        pytest.param(
            {"RoleManager/Description": "x" * 1025},
            "Value at 'properties.1.value' failed to satisfy constraint: Member must have "
            "length less than or equal to 1024",
            id="value-length",
        ),
        pytest.param(
            {},
            "Value at 'properties' failed to satisfy constraint: Member must not be null",
            id="empty",
        ),
    ],
)
def test_the_model_bounds_keys_and_values(
    sts_mock: MockSTS, given: dict[str, str], problem: str
) -> None:
    iam = boto3.client("iam")

    error = aws_error(functools.partial(iam.put_account_properties, Properties=given))

    assert error == ("ValidationError", f"1 validation error detected: {problem}", 400)
    assert properties(iam) == {}


def test_policies_decide_on_the_namespaces_put(sts_mock: MockSTS) -> None:
    bob = sts_mock.create_user(
        "bob",
        policies={"roles": namespaces_policy("iam:PutAccountProperties", "RoleManager")},
    )
    iam = client("iam", bob.credentials)

    iam.put_account_properties(Properties={"RoleManager/Enabled": "true"})
    error = aws_error(lambda: iam.put_account_properties(Properties={"Other/Enabled": "true"}))

    assert error == no_policy_allows(bob.arn, "iam:PutAccountProperties", "*")
    assert properties(boto3.client("iam")) == {"RoleManager/Enabled": "true"}


def test_policies_decide_on_the_namespaces_read(sts_mock: MockSTS) -> None:
    carol = sts_mock.create_user(
        "carol",
        policies={"roles": namespaces_policy("iam:GetAccountProperties", "RoleManager")},
    )
    iam = client("iam", carol.credentials)
    admin = boto3.client("iam")
    admin.put_account_properties(Properties={"RoleManager/Enabled": "true"})

    assert properties(iam) == {"RoleManager/Enabled": "true"}
    admin.put_account_properties(Properties={"Other/Enabled": "true"})
    assert aws_error(iam.get_account_properties) == no_policy_allows(
        carol.arn, "iam:GetAccountProperties", "*"
    )
    call = sts_mock.calls[-1]
    assert (call.action, call.allowed) == ("GetAccountProperties", False)
