"""IAM's policy validator as AWS answers it (STS_REFERENCE §13.4): the documents AWS refuses,
each with the first failure AWS reports, the documents it accepts, and the order of the steps
when a document fails two of them. Driven through boto3, on every operation that stores a
document of the kind.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

from mock_sts import MockSTS
from tests.helpers import KeptWorld, aws_error, malformed_policy

ACCOUNT_ID = "123456789012"
BUCKET = "arn:aws:s3:::example_bucket"

SYNTAX = "Syntax errors in policy."
INVALID_JSON = "This policy contains invalid Json"
VERSION = "Policy document must be version 2012-10-17 or greater."
LEGACY = "The policy failed legacy parsing"
SID_UNIQUE = "Statement IDs (SID) in a single policy must be unique."
MISSING_ACTIONS = "Policy statement must contain actions."
MISSING_RESOURCES = "Policy statement must contain resources."
VENDOR_QUALIFIED = "Resource vendor must be fully qualified and cannot contain regexes."
IAM_PATH = (
    'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, '
    "group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, "
    "oidc-provider/, report/, access-report/."
)
VENDOR = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
ONE_COLON = "Actions/Condition can contain only one colon."
TRUST_ACTIONS = "AssumeRole policy may only specify STS AssumeRole actions."


def statement(**elements: Any) -> dict[str, Any]:
    """An identity statement allowing s3:ListBucket on the bucket unless given (None drops
    an element)."""
    result: dict[str, Any] = {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": BUCKET}
    result.update(elements)
    return {name: value for name, value in result.items() if value is not None}


def document(*statements: dict[str, Any], version: str | None = "2012-10-17") -> dict[str, Any]:
    body: dict[str, Any] = {} if version is None else {"Version": version}
    body["Statement"] = statements[0] if len(statements) == 1 else list(statements)
    return body


def trust(**elements: Any) -> dict[str, Any]:
    """A trust policy of one statement trusting the account, sts:AssumeRole unless given."""
    result: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"},
        "Action": "sts:AssumeRole",
    }
    result.update(elements)
    return document({name: value for name, value in result.items() if value is not None})


def dated(operator: str, value: Any) -> dict[str, Any]:
    return document(statement(Condition={operator: {"aws:CurrentTime": value}}))


class Iam:
    """An account with a user, a role, a group and a managed policy to store documents on."""

    def __init__(self, **keys: str) -> None:
        self.client = boto3.client("iam", **keys)
        client = self.client
        client.create_user(UserName="alice")
        client.create_group(GroupName="devs")
        client.create_role(RoleName="target", AssumeRolePolicyDocument=json.dumps(trust()))
        self.base = client.create_policy(
            PolicyName="base", PolicyDocument=json.dumps(document(statement()))
        )["Policy"]["Arn"]

    def store(self, operation: str, body: dict[str, Any] | str) -> Any:
        """Store ``body`` (a document, or text as sent) as ``operation`` does."""
        text = body if isinstance(body, str) else json.dumps(body)
        client = self.client
        calls: dict[str, Callable[[], Any]] = {
            "CreatePolicy": lambda: client.create_policy(PolicyName="new", PolicyDocument=text),
            "CreatePolicyVersion": lambda: client.create_policy_version(
                PolicyArn=self.base, PolicyDocument=text
            ),
            "PutUserPolicy": lambda: client.put_user_policy(
                UserName="alice", PolicyName="p", PolicyDocument=text
            ),
            "PutRolePolicy": lambda: client.put_role_policy(
                RoleName="target", PolicyName="p", PolicyDocument=text
            ),
            "PutGroupPolicy": lambda: client.put_group_policy(
                GroupName="devs", PolicyName="p", PolicyDocument=text
            ),
            "CreateRole": lambda: client.create_role(RoleName="new", AssumeRolePolicyDocument=text),
            "UpdateAssumeRolePolicy": lambda: client.update_assume_role_policy(
                RoleName="target", PolicyDocument=text
            ),
        }
        return calls[operation]()

    def inline(self, operation: str) -> Any:
        """The inline policy ``p`` that Put<Kind>Policy ``operation`` stored."""
        kind = operation.removeprefix("Put").removesuffix("Policy")
        name = {"User": "alice", "Role": "target", "Group": "devs"}[kind]
        get = getattr(self.client, f"get_{kind.lower()}_policy")
        return get(**{f"{kind}Name": name, "PolicyName": "p"})["PolicyDocument"]

    def snapshot(self) -> Any:
        """Everything a refused document could have changed."""
        client = self.client
        return (
            [p["PolicyName"] for p in client.list_policies(Scope="Local")["Policies"]],
            len(client.list_policy_versions(PolicyArn=self.base)["Versions"]),
            client.list_user_policies(UserName="alice")["PolicyNames"],
            client.list_role_policies(RoleName="target")["PolicyNames"],
            client.list_group_policies(GroupName="devs")["PolicyNames"],
            [r["RoleName"] for r in client.list_roles()["Roles"]],
            client.get_role(RoleName="target")["Role"]["AssumeRolePolicyDocument"],
        )


@pytest.fixture
def iam(sts_mock: MockSTS) -> Iam:
    return Iam()


@pytest.fixture(scope="module")
def account() -> Iterator[KeptWorld[Iam]]:
    """The account of the refused documents, kept from one test to the next. Its mock
    outlives the test that started it, so it leaves the environment alone."""
    account = KeptWorld(
        lambda mock: Iam(**mock.admin_credentials().as_boto3()),
        lambda _, iam: iam.snapshot(),
        set_env=False,
    )
    yield account
    account.drop()


def refuses(
    account: KeptWorld[Iam], operation: str, body: dict[str, Any] | str, message: str
) -> None:
    """The operation answers ``body`` with ``message`` and changes nothing."""
    _, iam = account.current()
    try:
        refusal = aws_error(lambda: iam.store(operation, body))
    except BaseException:  # not refused: the request may have changed anything
        account.settle(succeeded=True)
        raise
    account.settle(succeeded=False)
    assert refusal == malformed_policy(message)


MANAGED = ("CreatePolicy", "CreatePolicyVersion")
INLINE = ("PutUserPolicy", "PutRolePolicy", "PutGroupPolicy")
IDENTITY = (*MANAGED, *INLINE)
TRUST = ("CreateRole", "UpdateAssumeRolePolicy")


# ---------------------------------------------------------------------------------------
# Documents AWS refuses, with the first failure it reports (§13.4 and its sources)

REFUSED: dict[str, tuple[Any, str]] = {
    # Step 1: JSON and the grammar.
    "not-json": ("This is not a json document", SYNTAX),
    "no-statement": ({"Version": "2012-10-17"}, SYNTAX),
    "statement-not-an-object": ({"Version": "2012-10-17", "Statement": ["afd"]}, SYNTAX),
    "empty-statement-list": ({"Version": "2012-10-17", "Statement": []}, SYNTAX),
    "unknown-version": (document(statement(), version="2013-10-17"), SYNTAX),
    "extra-top-element": ({**document(statement()), "Extra field": "value"}, SYNTAX),
    "extra-statement-element": (document(statement(**{"Extra field": "value"})), SYNTAX),
    "id-a-list": ({**document(statement()), "Id": ["cd3a324d2343d942"]}, SYNTAX),
    "id-an-object": ({**document(statement()), "Id": {}}, SYNTAX),
    "effect-unknown": (document(statement(Effect="invalid")), SYNTAX),
    "no-effect": (document(statement(Effect=None)), SYNTAX),
    "sid-an-object": (document(statement(Sid={})), SYNTAX),
    "sid-a-list": (document(statement(Sid=[])), SYNTAX),
    "resource-an-object": (document(statement(Resource={"a": BUCKET})), SYNTAX),
    "resource-list-with-an-object": (document(statement(Resource=["adfdf", {}])), SYNTAX),
    "action-and-not-action": (document(statement(NotAction="s3s:ListBucket", Action=[])), SYNTAX),
    "resource-and-not-resource": (document(statement(NotResource=[])), SYNTAX),
    "action-list-of-lists": (document(statement(Action=[[]])), SYNTAX),
    "action-an-object": (document(statement(Action={})), SYNTAX),
    "condition-a-list": (document(statement(Condition=[])), SYNTAX),
    "condition-a-string": (document(statement(Condition="a")), SYNTAX),
    "condition-block-a-string": (document(statement(Condition={"a": "b"})), SYNTAX),
    "operator-block-a-string": (document(statement(Condition={"DateGreaterThan": "b"})), SYNTAX),
    "operator-block-a-list": (document(statement(Condition={"DateGreaterThan": []})), SYNTAX),
    "condition-value-an-object": (dated("DateGreaterThan", {}), SYNTAX),
    "unknown-operator": (document(statement(Condition={"x": {"a": "1"}})), SYNTAX),
    "double-colon-qualifier": (
        document(statement(Condition={"ForAnyValue::StringEqualsIfExists": {"a": "asf"}})),
        SYNTAX,
    ),
    "condition-list-of-blocks": (
        document(statement(Condition=[{"ForAllValues:StringEquals": {"aws:TagKeys": "a"}}])),
        SYNTAX,
    ),
    # Step 3: the legacy parser.
    "effect-deny-cased": (document(statement(Effect="denY")), LEGACY),
    "effect-allow-cased": (
        document(statement(Sid="sdf", Effect="aLLow"), {"Sid": "sdf", "Effect": "Allow"}),
        LEGACY,
    ),
    "date-a-word": (dated("DateGreaterThan", "sdfdsf"), LEGACY),
    "date-month-13": (dated("DateLessThanEquals", "234-13"), LEGACY),
    "date-zone-of-one-digit": (dated("DateLessThanEquals", "2016-12-13t2:00:00.593194+1"), LEGACY),
    "date-ten-fraction-digits": (
        dated("DateLessThanEquals", "2016-12-13t2:00:00.1999999999+10:59"),
        LEGACY,
    ),
    "epoch-past-64-bits": (dated("DateLessThan", "9223372036854775808"), LEGACY),
    "epoch-of-5000-digits": (dated("DateLessThan", "9" * 5_000), LEGACY),
    "date-in-a-qualified-operator": (dated("ForAnyValue:DateEqualsIfExists", ["x"]), LEGACY),
    "date-without-action": (
        document({"Effect": "Allow", "Condition": {"DateGreaterThan": {"a": "sdfdsf"}}}),
        LEGACY,
    ),
    "arn-of-five-parts": (document(statement(Resource="arn:aws:s3::example_bucket")), LEGACY),
    "arn-of-five-parts-without-action": (
        document({"Effect": "Allow", "Resource": "arn:aws:s3::example_bucket"}),
        LEGACY,
    ),
    "not-resource-of-five-parts": (
        document(statement(Resource=None, NotResource="arn:aws:s3::example_bucket")),
        LEGACY,
    ),
    "arn-without-service": (document(statement(Resource="arn:aws::::example_bucket")), LEGACY),
    "arn-of-four-parts-without-service": (document(statement(Resource="arn:aws::fdsasf")), LEGACY),
    # Step 4: statement ids, then the actions every statement needs.
    "sids-repeated": (
        document(statement(Sid="sdf"), {"Sid": "sdf", "Effect": "Allow"}),
        SID_UNIQUE,
    ),
    "no-action": (document(statement(Action=None)), MISSING_ACTIONS),
    "no-action-nor-resource": (document({"Effect": "Allow"}), MISSING_ACTIONS),
    "empty-action-list": (document(statement(Action=[])), MISSING_ACTIONS),
    "a-statement-of-effect-alone": (document({"Effect": "Deny"}, statement()), MISSING_ACTIONS),
    # Step 5: resources.
    "no-resource": (document(statement(Resource=None)), MISSING_RESOURCES),
    "empty-resource-list": (document(statement(Resource=[])), MISSING_RESOURCES),
    "no-resource-and-a-bad-action": (
        document(statement(Action="invalid", Resource=None)),
        MISSING_RESOURCES,
    ),
    "resource-with-a-space": (
        document(statement(Resource="invalid resource")),
        'Resource invalid resource must be in ARN format or "*".',
    ),
    "resource-empty": (document(statement(Resource="")), 'Resource  must be in ARN format or "*".'),
    "resource-empty-twice": (
        document(
            statement(Sid="EnableDisableHongKong", Resource=""),
            statement(Sid="ViewConsole", Resource=""),
        ),
        'Resource  must be in ARN format or "*".',
    ),
    "resource-no-arn-and-a-bad-action": (
        document(statement(Action="s:3:ListBucket", Resource="sdfsadf")),
        'Resource sdfsadf must be in ARN format or "*".',
    ),
    "resource-list-no-arn": (
        document(statement(Resource=["adf"])),
        'Resource adf must be in ARN format or "*".',
    ),
    "partition-of-two-parts": (
        document(statement(Action=None, NotAction="s3s:ListBucket", Resource="a:bsdfdsafsad")),
        'Partition "bsdfdsafsad" is not valid for resource "arn:bsdfdsafsad:*:*:*:*".',
    ),
    "partition-of-three-parts": (
        document(statement(Action=None, NotAction="s3s:ListBucket", Resource="a:b:cadfsdf")),
        'Partition "b" is not valid for resource "arn:b:cadfsdf:*:*:*".',
    ),
    "partition-of-eight-parts": (
        document(statement(Action=None, NotAction="s3s:ListBucket", Resource="a:b:c:d:e:f:g:h")),
        'Partition "b" is not valid for resource "arn:b:c:d:e:f:g:h".',
    ),
    "partition-without-arn": (
        document(statement(Resource="aws:s3:::example_bucket")),
        'Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".',
    ),
    "partition-unknown-twice": (
        document(statement(Resource=["arn:error:s3:::example_bucket", "arn:error:s3::b"])),
        'Partition "error" is not valid for resource "arn:error:s3:::example_bucket".',
    ),
    "partition-alone": (document(statement(Resource="arn:aws")), VENDOR_QUALIFIED),
    "service-a-wildcard": (document(statement(Resource="arn:aws:*:*:*:*prod*")), VENDOR_QUALIFIED),
    "iam-resource-path": (document(statement(Resource="arn:aws:iam:::example_bucket")), IAM_PATH),
    "iam-resource-wildcard-path": (
        document(statement(Resource=f"arn:aws:iam::{ACCOUNT_ID}:*/cdk-*")),
        IAM_PATH,
    ),
    "iam-resource-region": (
        document(statement(Resource="arn:aws:iam:us-east-1::example_bucket")),
        "IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information.",
    ),
    "iam-resource-wildcard-region": (
        document(statement(Resource="arn:aws:iam:*:*:role/x")),
        "IAM resource arn:aws:iam:*:*:role/x cannot contain region information.",
    ),
    "s3-bucket-region": (
        document(statement(Resource="arn:aws:s3:us-east-1::example_bucket")),
        "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information.",
    ),
    # Step 6: actions.
    "action-without-vendor": (document(statement(Action="invalid")), VENDOR),
    "not-action-empty": (document(statement(Action=None, NotAction="")), VENDOR),
    "vendor-with-a-space": (
        document(statement(Action="a a:ListBucket")),
        "Vendor a a is not valid",
    ),
    "vendor-with-a-wildcard": (document(statement(Action="s3*:Get")), "Vendor s3* is not valid"),
    "action-of-two-colons": (document(statement(Action="s3:List:Bucket")), ONE_COLON),
    "action-of-two-colons-in-a-second-statement": (
        document(statement(Action="s3s:ListBucket"), statement(Action="s:3s:ListBucket")),
        ONE_COLON,
    ),
}


# ---------------------------------------------------------------------------------------
# Two failures of different steps: the earlier step is reported, wherever it stands

ORDER: dict[str, tuple[Any, str]] = {
    "grammar-before-version": (
        document(statement(**{"Extra field": "value"}), version="2008-10-17"),
        SYNTAX,
    ),
    "grammar-before-legacy": (document(statement(Effect="allow", Condition="a")), SYNTAX),
    "grammar-before-missing-actions": (
        document(
            {"Effect": "Allow", "Resource": BUCKET, "Condition": {"DateGreaterThan": {"a": {}}}}
        ),
        SYNTAX,
    ),
    "legacy-effect-before-s3-region": (
        document({"Effect": "allow", "Resource": "arn:aws:s3:us-east-1::example_bucket"}),
        LEGACY,
    ),
    "legacy-before-sids": (
        document(statement(Sid="A", Effect="deny"), statement(Sid="A")),
        LEGACY,
    ),
    "legacy-date-before-partition": (
        document(statement(Resource="arn:error:s3:::b", Condition={"DateGreaterThan": {"a": "x"}})),
        LEGACY,
    ),
    "legacy-in-a-later-statement": (
        document(statement(Resource="bucket"), statement(Effect="allow")),
        LEGACY,
    ),
    "sids-before-missing-actions": (
        document(statement(Sid="A"), statement(Sid="A", Action=None)),
        SID_UNIQUE,
    ),
    "missing-actions-before-missing-resources": (
        document(statement(Resource=None), statement(Action=None)),
        MISSING_ACTIONS,
    ),
    "missing-resources-before-resource-format": (
        document(statement(Resource="bucket"), statement(Resource=None)),
        MISSING_RESOURCES,
    ),
    "resource-format-before-action-format": (
        document(statement(Action="a a:ListBucket"), statement(Resource="bucket")),
        'Resource bucket must be in ARN format or "*".',
    ),
    "region-before-action-format": (
        document(statement(Action="s3:a:b", Resource="arn:aws:s3:eu-west-1::b")),
        "Resource arn:aws:s3:eu-west-1::b can not contain region information.",
    ),
    "first-resource-in-the-document": (
        document(statement(Resource=["arn:aws:iam:::x", "bucket"]), statement(Resource="b")),
        IAM_PATH,
    ),
    "first-action-in-the-document": (
        document(statement(Action=["s3:a:b", "a a:b"]), statement(Action="x")),
        ONE_COLON,
    ),
}


@pytest.mark.parametrize(
    ("body", "message"), [*REFUSED.values(), *ORDER.values()], ids=[*REFUSED, *ORDER]
)
@pytest.mark.parametrize("operation", IDENTITY)
def test_identity_policies_aws_refuses(
    account: KeptWorld[Iam], operation: str, body: Any, message: str
) -> None:
    refuses(account, operation, body, message)


# ---------------------------------------------------------------------------------------
# Version: managed policies need 2012-10-17; inline ones without it are 2008-10-17

WITHOUT_CURRENT_VERSION: dict[str, dict[str, Any]] = {
    "no-version": document(statement(), version=None),
    "old-version": document(statement(), version="2008-10-17"),
    "no-version-and-a-legacy-failure": document(statement(Effect="denY"), version=None),
    "no-version-and-a-bad-date": document(
        statement(Condition={"DateGreaterThan": {"a": "sdfdsf"}}), version=None
    ),
    "no-version-and-sids-repeated": document(
        statement(Sid="sdf"), {"Sid": "sdf", "Effect": "Allow"}, version=None
    ),
}


@pytest.mark.parametrize("body", WITHOUT_CURRENT_VERSION.values(), ids=WITHOUT_CURRENT_VERSION)
@pytest.mark.parametrize("operation", MANAGED)
def test_managed_policies_need_the_current_version(
    account: KeptWorld[Iam], operation: str, body: dict[str, Any]
) -> None:
    refuses(account, operation, body, VERSION)


def test_a_managed_policy_without_version_and_with_a_grammar_error(
    account: KeptWorld[Iam],
) -> None:
    # The grammar is step 1, Version step 2.
    body = document(statement(Extra="x"), version=None)
    refuses(account, "CreatePolicy", body, SYNTAX)


@pytest.mark.parametrize("version", [None, "2008-10-17"])
@pytest.mark.parametrize("operation", INLINE)
def test_inline_policies_take_the_old_version(
    iam: Iam, operation: str, version: str | None
) -> None:
    body = document(statement(), version=version)

    iam.store(operation, body)

    assert iam.inline(operation) == body


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (document(statement(Effect="denY"), version=None), LEGACY),
        # Without Version IAM reads the old grammar, whose parser fails (§10.3).
        (document(statement(Extra="x"), version=None), LEGACY),
        (document(statement(Resource=None), version=None), MISSING_RESOURCES),
    ],
)
@pytest.mark.parametrize("operation", INLINE)
def test_inline_policies_without_version_are_still_validated(
    account: KeptWorld[Iam], operation: str, body: dict[str, Any], message: str
) -> None:
    refuses(account, operation, body, message)


# ---------------------------------------------------------------------------------------
# Documents AWS accepts

ACCEPTED: dict[str, dict[str, Any]] = {
    "condition-key-without-vendor": document(
        statement(Condition={"StringEqualsIfExists": {"a": "asf"}})
    ),
    "qualified-key-without-vendor": document(
        statement(Condition={"ForAnyValue:StringEqualsIfExists": {"a": "asf"}})
    ),
    "arn-of-three-parts": document(statement(Resource="arn:aws:fdsasf")),
    "vendor-with-a-dot": document(statement(Action="s3.s:ListBucket")),
    "vendor-with-a-hyphen": document(statement(Action="s3-s:ListBucket")),
    "long-vendor": document(statement(Action="aaaaaadsfdsafsadfsadfaaaaa:ListBucket")),
    "action-name-with-spaces": document(statement(Action="iam: asdf safdsf af ")),
    "empty-value-list": dated("DateGreaterThan", []),
    "date-01T": dated("DateGreaterThan", "01T"),
    "date-hours-of-one-digit": dated("DateLessThanEquals", "2016-12-13t2:00:00.593194+23"),
    "date-earliest-year": dated("DateLessThan", "-292275054"),
    "date-with-zone": dated("DateLessThanEquals", "2016-12-13T21:20:37.593194+00:00"),
    "date-utc": dated("DateLessThanEquals", "2019-07-01T13:20:15Z"),
    "date-a-json-number": dated("DateLessThan", 1577836800),
    "empty-condition": document(statement(Condition={})),
    "empty-operator-block": document(statement(Condition={"DateGreaterThan": {}})),
    "unknown-operators-with-empty-blocks": document(statement(Condition={"x": {}, "y": {}})),
    "tag-keys": document(
        statement(Condition={"ForAllValues:StringEquals": {"aws:TagKeys": "Department"}})
    ),
    "region-of-another-service": document(
        statement(Resource="arn:aws:cloudwatch:us-east-1::example_bucket")
    ),
    "unknown-service": document(statement(Resource="arn:aws:invalid-service:::example_bucket")),
    "unknown-service-with-a-region": document(
        statement(Resource="arn:aws:invalid-service:us-east-1::example_bucket")
    ),
    "iam-user-path": document(statement(Resource="arn:aws:iam:::user/example_bucket")),
    "iam-root": document(statement(Resource=f"arn:aws:iam::{ACCOUNT_ID}:root")),
    "iam-variable-account": document(
        statement(Resource="arn:aws:iam::${aws:PrincipalAccount}:role/x")
    ),
    "s3-access-point": document(
        statement(Resource=f"arn:aws:s3:us-west-2:{ACCOUNT_ID}:accesspoint/ap")
    ),
    "any-partition": document(statement(Resource="arn:*:iam::*:role/*")),
    "partition-of-china": document(statement(Resource="arn:aws-cn:s3:::bucket")),
    "any-first-part": document(statement(Resource="ARN:aws:s3:::bucket")),
    "resource-and-wildcard": document(statement(Resource=[BUCKET, "*"])),
    "not-action-not-resource": document(
        statement(Action=None, NotAction="s3:L", Resource=None, NotResource="*")
    ),
    "empty-sids-repeated": document(statement(Sid=""), statement(Sid="")),
    "sid-alone-then-none": document(statement(Sid="sdf"), statement()),
    "placeholder-region-and-account": document(
        statement(Resource="arn:aws:ec2:region:account-id:instance/*")
    ),
}


@pytest.mark.parametrize("body", ACCEPTED.values(), ids=ACCEPTED.keys())
@pytest.mark.parametrize("operation", IDENTITY)
def test_identity_policies_aws_accepts(iam: Iam, operation: str, body: dict[str, Any]) -> None:
    before = iam.snapshot()

    iam.store(operation, body)

    assert iam.snapshot() != before


# ---------------------------------------------------------------------------------------
# Trust policies


TRUST_REFUSED: dict[str, tuple[Any, str]] = {
    "not-json": ("{not json", INVALID_JSON),
    "json-but-no-object": ("[]", SYNTAX),
    "effect-cased": (trust(Effect="allow"), LEGACY),
    "resource": (trust(Resource="*"), "Has prohibited field Resource"),
    "no-action": (trust(Action=None), MISSING_ACTIONS),
    "action-without-vendor": (trust(Action="AssumeRole"), VENDOR),
    "another-service": (trust(Action="s3:GetObject"), TRUST_ACTIONS),
    "sts-but-no-assume-action": (trust(Action="sts:GetCallerIdentity"), TRUST_ACTIONS),
    "one-of-two": (trust(Action=["sts:AssumeRole", "sts:GetSessionToken"]), TRUST_ACTIONS),
    "vendor-before-trust-actions": (trust(Action=["s3:GetObject", "a:b:c"]), ONE_COLON),
    "not-action-of-another-service": (
        trust(Action=None, NotAction=["sts:TagSession", "iam:*"]),
        TRUST_ACTIONS,
    ),
}


@pytest.mark.parametrize(("body", "message"), TRUST_REFUSED.values(), ids=TRUST_REFUSED.keys())
@pytest.mark.parametrize("operation", TRUST)
def test_trust_policies_aws_refuses(
    account: KeptWorld[Iam], operation: str, body: Any, message: str
) -> None:
    refuses(account, operation, body, message)


TRUST_ACCEPTED: dict[str, dict[str, Any]] = {
    "no-version": {"Statement": trust()["Statement"]},
    "old-version": {"Version": "2008-10-17", "Statement": trust()["Statement"]},
    "every-assume-action": trust(
        Action=[
            "sts:AssumeRole",
            "sts:AssumeRoleWithSAML",
            "sts:AssumeRoleWithWebIdentity",
            "sts:TagSession",
            "sts:SetSourceIdentity",
            "sts:SetContext",
        ]
    ),
    "wildcards-covering-them": trust(Action=["sts:Assume*", "STS:*", "*"]),
    "condition-key-without-vendor": trust(Condition={"StringEquals": {"a": "b"}}),
}


@pytest.mark.parametrize("body", TRUST_ACCEPTED.values(), ids=TRUST_ACCEPTED.keys())
@pytest.mark.parametrize("operation", TRUST)
def test_trust_policies_aws_accepts(iam: Iam, operation: str, body: dict[str, Any]) -> None:
    iam.store(operation, body)

    role = "new" if operation == "CreateRole" else "target"
    assert iam.client.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"] == body


# ---------------------------------------------------------------------------------------
# Accepted odd documents are evaluated as AWS would: they simply fail to match


USER_ARN = f"arn:aws:iam::{ACCOUNT_ID}:user/alice"


@pytest.mark.parametrize(
    ("condition", "context", "allowed"),
    [
        ({"DateGreaterThan": {"aws:CurrentTime": "01T"}}, None, False),
        ({"DateLessThan": {"aws:CurrentTime": "2016-12-13t2:00:00.593194+23"}}, None, False),
        ({"DateGreaterThan": {"aws:CurrentTime": "-292275054"}}, None, True),
        ({"DateGreaterThan": {"aws:CurrentTime": []}}, None, False),
        ({"StringEquals": {"a": "x"}}, {"a": "x"}, True),
        ({"StringEquals": {"a": "x"}}, None, False),
        ({"StringNotEquals": {"a": []}}, {"a": "x"}, True),
    ],
)
def test_odd_conditions_are_evaluated_without_fail(
    sts_mock: MockSTS,
    iam: Iam,
    condition: dict[str, Any],
    context: dict[str, str] | None,
    allowed: bool,
) -> None:
    iam.store("PutUserPolicy", document(statement(Resource="*", Condition=condition)))

    decision = sts_mock.evaluate(USER_ARN, "s3:ListBucket", BUCKET, context)

    assert decision.allowed is allowed
