"""IAM account aliases, driven through real boto3 clients as AWS answers them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.config import Config

from tests.helpers import aws_error, client
from tests.helpers.assume_role import allow

if TYPE_CHECKING:
    from mock_sts import MockSTS

ACCOUNT_ID = "123456789012"
OTHER_ACCOUNT_ID = "111111111111"
ALIAS_PATTERN = "^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$"


def unvalidated_iam() -> Any:
    """An IAM client that leaves every check to the server."""
    return boto3.client("iam", config=Config(parameter_validation=False))


def aliases(iam: Any) -> list[str]:
    answer: list[str] = iam.list_account_aliases()["AccountAliases"]
    return answer


def test_an_account_starts_without_an_alias(sts_mock: MockSTS) -> None:
    answer = boto3.client("iam").list_account_aliases()
    assert answer["AccountAliases"] == []
    assert answer["IsTruncated"] is False


def test_create_list_and_delete_an_alias(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_account_alias(AccountAlias="example-corp-1")
    assert aliases(iam) == ["example-corp-1"]

    iam.delete_account_alias(AccountAlias="example-corp-1")
    assert aliases(iam) == []


def test_a_new_alias_replaces_the_old_one(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_account_alias(AccountAlias="first")
    iam.create_account_alias(AccountAlias="second")
    assert aliases(iam) == ["second"]
    # The old alias is free again, for any account.
    other = client("iam", sts_mock.admin_credentials(OTHER_ACCOUNT_ID))
    other.create_account_alias(AccountAlias="first")
    assert aliases(other) == ["first"]


def test_an_alias_belongs_to_one_account(sts_mock: MockSTS) -> None:
    boto3.client("iam").create_account_alias(AccountAlias="taken")
    other = client("iam", sts_mock.admin_credentials(OTHER_ACCOUNT_ID))
    assert aws_error(lambda: other.create_account_alias(AccountAlias="taken")) == (
        "EntityAlreadyExists",
        "The account alias taken already exists.",
        409,
    )
    assert aliases(other) == []


def test_creating_the_alias_held_again_is_refused(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_account_alias(AccountAlias="mine")
    assert aws_error(lambda: iam.create_account_alias(AccountAlias="mine"))[0] == (
        "EntityAlreadyExists"
    )


def test_deleting_an_alias_the_account_does_not_have(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    missing = ("NoSuchEntity", "The account alias nope cannot be found.", 404)
    assert aws_error(lambda: iam.delete_account_alias(AccountAlias="nope")) == missing
    iam.create_account_alias(AccountAlias="held")
    other = ("NoSuchEntity", "The account alias other cannot be found.", 404)
    assert aws_error(lambda: iam.delete_account_alias(AccountAlias="other")) == other
    assert aliases(iam) == ["held"]


@pytest.mark.parametrize(
    "alias",
    ["Upper", "-lead", "trail-", "dou--ble", "under_score", "dot.ted", "a" * 64],
)
def test_an_alias_breaking_the_pattern_is_refused(sts_mock: MockSTS, alias: str) -> None:
    iam = unvalidated_iam()
    code, message, status = aws_error(lambda: iam.create_account_alias(AccountAlias=alias))
    assert (code, status) == ("ValidationError", 400)
    assert (
        "Value at 'accountAlias' failed to satisfy constraint: Member must satisfy regular "
        f"expression pattern: {ALIAS_PATTERN}"
    ) in message
    assert aliases(iam) == []


@pytest.mark.parametrize("alias", ["abc", "a-b", "0-9-z", "a" * 63])
def test_aliases_the_pattern_allows(sts_mock: MockSTS, alias: str) -> None:
    iam = boto3.client("iam")
    iam.create_account_alias(AccountAlias=alias)
    assert aliases(iam) == [alias]


def test_an_alias_needs_the_callers_permission(sts_mock: MockSTS) -> None:
    bob = sts_mock.create_user("bob", policies={"list": allow("iam:ListAccountAliases")})
    iam = client("iam", bob.credentials)
    assert aliases(iam) == []
    assert aws_error(lambda: iam.create_account_alias(AccountAlias="bobs")) == (
        "AccessDenied",
        f"User: arn:aws:iam::{ACCOUNT_ID}:user/bob is not authorized to perform: "
        "iam:CreateAccountAlias on resource: * because no identity-based policy allows the "
        "iam:CreateAccountAlias action",
        403,
    )
    assert sts_mock.calls[-1].resources == ("*",)
