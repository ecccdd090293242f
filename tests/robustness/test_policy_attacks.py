"""Attacker-shaped policies and policy inputs: JSON nested thousands deep, documents over
IAM's size limits, numbers no machine type holds, and wildcard patterns built to make a
backtracking matcher take exponential time. Each gets AWS's error (STS_REFERENCE §4.1,
§9.3, §10.2, §10.3) or its right decision, never the mock's InternalFailure, and a refused
request changes nothing.

Everything goes through real boto3 clients (or the mock's HTTP interception). Evaluations
that a naive matcher would never finish run in a worker thread joined with a generous
timeout: a hang guard, not a timing assertion.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import boto3
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials as SigningCredentials

from tests.helpers import aws_error
from tests.helpers.assume_role import denied

if TYPE_CHECKING:
    from mock_sts import Credentials, MockSTS, Role, User

ACCOUNT = "123456789012"
T = TypeVar("T")
HANG_GUARD = 120  # seconds; a matcher that backtracks exponentially would take years
# A pattern that makes backtracking matchers try every way to place its stars.
EVIL = "*a*a*a*a*a*a*a*a*a*a*b"

ALLOW_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
INVALID_JSON = ("MalformedPolicyDocument", "This policy contains invalid Json", 400)
SYNTAX = ("MalformedPolicyDocument", "Syntax errors in policy.", 400)
LEGACY = ("MalformedPolicyDocument", "The policy failed legacy parsing", 400)


def guarded(call: Callable[[], T]) -> T:
    """``call()``, run in a worker thread that must answer within HANG_GUARD seconds."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = call()
        except BaseException as error:  # pytest's failures too: re-raised below
            outcome["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG_GUARD)
    assert not worker.is_alive(), f"no answer within {HANG_GUARD} s"
    if "error" in outcome:
        raise outcome["error"]
    result: T = outcome["result"]
    return result


def trust_json(principal: str, condition: dict[str, Any] | None = None, **extra: Any) -> str:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"AWS": principal},
        "Action": extra.pop("actions", "sts:AssumeRole"),
    }
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def sts_of(credentials: Credentials, **config: Any) -> Any:
    return boto3.client(
        "sts", region_name="us-east-1", config=Config(**config), **credentials.as_boto3()
    )


def iam_of(credentials: Credentials) -> Any:
    return boto3.client(
        "iam",
        region_name="us-east-1",
        config=Config(retries={"max_attempts": 1}),
        **credentials.as_boto3(),
    )


class World:
    """alice (allowed everything), role target (trusting alice), group devs, managed policy
    base: what the attacks aim at, and a snapshot of it to show they changed nothing."""

    def __init__(self, sts_mock: MockSTS) -> None:
        self.mock = sts_mock
        self.alice = sts_mock.create_user("alice", policies={"all": ALLOW_ALL})
        self.role = sts_mock.create_role("target", trust_json(self.alice.arn))
        self.iam = iam_of(sts_mock.admin_credentials())
        self.sts = sts_of(self.alice.credentials, retries={"max_attempts": 1})
        self.iam.create_group(GroupName="devs")
        self.base = self.iam.create_policy(PolicyName="base", PolicyDocument=json.dumps(ALLOW_ALL))[
            "Policy"
        ]["Arn"]

    def assume(self, **params: Any) -> Any:
        return self.sts.assume_role(RoleArn=self.role.arn, RoleSessionName="attack", **params)

    def snapshot(self) -> Any:
        iam = self.iam
        return (
            sorted(role["RoleName"] for role in iam.list_roles()["Roles"]),
            iam.get_role(RoleName="target")["Role"]["AssumeRolePolicyDocument"],
            iam.list_role_policies(RoleName="target")["PolicyNames"],
            iam.list_user_policies(UserName="alice")["PolicyNames"],
            iam.list_group_policies(GroupName="devs")["PolicyNames"],
            sorted(p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]),
            [v["VersionId"] for v in iam.list_policy_versions(PolicyArn=self.base)["Versions"]],
            sorted(self.mock._require_backend().sessions),
        )

    def operations(self) -> dict[str, Callable[[str], Any]]:
        """Every way a policy document reaches the mock, by name."""
        iam = self.iam
        return {
            "PutRolePolicy": lambda doc: iam.put_role_policy(
                RoleName="target", PolicyName="p", PolicyDocument=doc
            ),
            "PutUserPolicy": lambda doc: iam.put_user_policy(
                UserName="alice", PolicyName="p", PolicyDocument=doc
            ),
            "PutGroupPolicy": lambda doc: iam.put_group_policy(
                GroupName="devs", PolicyName="p", PolicyDocument=doc
            ),
            "CreatePolicy": lambda doc: iam.create_policy(PolicyName="p", PolicyDocument=doc),
            "CreatePolicyVersion": lambda doc: iam.create_policy_version(
                PolicyArn=self.base, PolicyDocument=doc
            ),
            "CreateRole": lambda doc: iam.create_role(RoleName="r", AssumeRolePolicyDocument=doc),
            "UpdateAssumeRolePolicy": lambda doc: iam.update_assume_role_policy(
                RoleName="target", PolicyDocument=doc
            ),
            "AssumeRole": lambda doc: self.assume(Policy=doc),
            "GetFederationToken": lambda doc: self.sts.get_federation_token(Name="fed", Policy=doc),
        }


@pytest.fixture
def world(sts_mock: MockSTS) -> World:
    return World(sts_mock)


TRUST_OPERATIONS = ("CreateRole", "UpdateAssumeRolePolicy")
OPERATIONS = (
    "PutRolePolicy",
    "PutUserPolicy",
    "PutGroupPolicy",
    "CreatePolicy",
    "CreatePolicyVersion",
    *TRUST_OPERATIONS,
    "AssumeRole",
    "GetFederationToken",
)


def document_for(operation: str, condition_value: str) -> str:
    """A policy of the kind ``operation`` takes, with ``condition_value`` (raw JSON) as the
    value of one condition."""
    if operation in TRUST_OPERATIONS:
        head = f'"Principal":{{"AWS":"{ACCOUNT}"}},"Action":"sts:AssumeRole"'
    else:
        head = '"Action":"*","Resource":"*"'
    return (
        f'{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow",{head},'
        f'"Condition":{{"StringEquals":{{"aws:x":{condition_value}}}}}}}]}}'
    )


# ---------------------------------------------------------------------------------------
# JSON nested thousands deep


NESTINGS = {
    "arrays-2000": "[" * 2_000 + "]" * 2_000,
    "objects-2000": '{"a":' * 2_000 + "1" + "}" * 2_000,
    "arrays-60000": "[" * 60_000 + "]" * 60_000,
    "objects-20000": '{"a":' * 20_000 + "1" + "}" * 20_000,
}


@pytest.mark.parametrize("nesting", NESTINGS.values(), ids=NESTINGS.keys())
@pytest.mark.parametrize("operation", OPERATIONS)
def test_deeply_nested_json(world: World, operation: str, nesting: str) -> None:
    before = world.snapshot()
    document = document_for(operation, nesting)

    error = guarded(lambda: aws_error(lambda: world.operations()[operation](document)))
    if operation == "GetFederationToken":  # its Policy has a model maximum of 2048
        assert error[0] == "ValidationError"
        assert error[1].endswith("Member must have length less than or equal to 2048")
    else:
        # Identity policies answer unreadable text as a syntax error (§13.4).
        assert error == (INVALID_JSON if operation in TRUST_OPERATIONS else SYNTAX)
    assert world.snapshot() == before


def test_deep_nesting_in_a_statement_list(world: World) -> None:
    document = '{"Version":"2012-10-17","Statement":' + "[" * 50_000 + "]" * 50_000 + "}"

    assert aws_error(lambda: world.assume(Policy=document)) == SYNTAX


def test_nesting_under_the_recursion_limit_is_a_syntax_error(world: World) -> None:
    # Parsed, then refused by the grammar: a condition value is a string or a list of them.
    document = document_for("PutRolePolicy", "[" * 50 + "]" * 50)

    assert aws_error(lambda: world.operations()["PutRolePolicy"](document)) == (
        "MalformedPolicyDocument",
        "Syntax errors in policy.",
        400,
    )


# ---------------------------------------------------------------------------------------
# Names written twice: a reader keeping the last one would store a Deny that grants


def repeating_effect(operation: str) -> str:
    """A policy of the kind ``operation`` takes whose statement says Effect twice, Deny first."""
    return document_for(operation, '"x"').replace(
        '"Effect":"Allow"', '"Effect":"Deny","Effect":"Allow"'
    )


@pytest.mark.parametrize("operation", OPERATIONS)
def test_an_element_written_twice_is_refused(world: World, operation: str) -> None:
    before = world.snapshot()

    assert aws_error(lambda: world.operations()[operation](repeating_effect(operation))) == SYNTAX
    assert world.snapshot() == before


def test_a_statement_written_twice_in_a_web_identity_session_policy(
    sts_mock: MockSTS, world: World
) -> None:
    github = sts_mock.oidc_provider("https://token.actions.githubusercontent.com")
    trust = {
        "Version": "2012-10-17",
        "Statement": {
            "Effect": "Allow",
            "Principal": {"Federated": github.arn},
            "Action": "sts:AssumeRoleWithWebIdentity",
        },
    }
    web = sts_mock.create_role("web", trust)
    token = github.token(sub="repo:octo/app:ref:refs/heads/main")
    deny = '{"Effect":"Deny","Action":"*","Resource":"*"}'
    allow = json.dumps(ALLOW_ALL["Statement"])
    document = f'{{"Version":"2012-10-17","Statement":{deny},"Statement":{allow}}}'

    assert (
        aws_error(
            lambda: world.sts.assume_role_with_web_identity(
                RoleArn=web.arn, RoleSessionName="web", WebIdentityToken=token, Policy=document
            )
        )
        == SYNTAX
    )


def test_the_handle_refuses_an_element_written_twice(sts_mock: MockSTS) -> None:
    trust = repeating_effect("CreateRole")
    identity = repeating_effect("PutUserPolicy")

    assert aws_error(lambda: sts_mock.create_role("twice", trust)) == SYNTAX
    assert aws_error(lambda: sts_mock.create_user("bob", policies={"p": identity})) == SYNTAX
    role_trust = trust_json(ACCOUNT)
    assert (
        aws_error(lambda: sts_mock.create_role("twice", role_trust, policies={"p": identity}))
        == SYNTAX
    )
    # Nothing is left half made.
    account = sts_mock._require_backend().account(ACCOUNT)
    assert account.role("twice") is None
    assert "bob" not in account.users


def test_the_handle_refuses_a_thousand_levels(sts_mock: MockSTS) -> None:
    trust = document_for("CreateRole", NESTINGS["arrays-2000"])
    identity = document_for("PutUserPolicy", "[" * 1_000 + "]" * 1_000)

    assert aws_error(lambda: sts_mock.create_role("deep", trust)) == INVALID_JSON
    assert aws_error(lambda: sts_mock.create_user("bob", policies={"p": identity})) == SYNTAX
    nested: dict[str, Any] = {}
    for _ in range(2_000):
        nested = {"a": nested}
    with pytest.raises(ValueError) as excinfo:
        sts_mock.create_user(
            "carol", policies={"p": {"Version": "2012-10-17", "Statement": nested}}
        )
    assert str(excinfo.value) == "Policy 'p' nests too deeply to be a policy document."


# ---------------------------------------------------------------------------------------
# Documents over IAM's size limits


def _long_document(characters: int, statement: Callable[[str], dict[str, Any]]) -> str:
    """A valid policy of at least ``characters`` non-blank characters, made of statements
    ``statement(sid)`` gives."""
    statements: list[dict[str, Any]] = []
    size = 40
    while size < characters:
        statements.append(statement(f"S{len(statements)}"))
        size += len(json.dumps(statements[-1], separators=(",", ":"))) + 1
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, separators=(",", ":"))


def identity_document(characters: int) -> str:
    """A valid identity policy of at least ``characters`` non-blank characters, in
    statements of one action each."""
    return _long_document(
        characters,
        lambda sid: {
            "Sid": sid,
            "Effect": "Allow",
            "Action": f"s3:GetObject{sid}",
            "Resource": "*",
        },
    )


def trust_document(characters: int) -> str:
    """A valid trust policy of at least ``characters`` non-blank characters."""
    return _long_document(
        characters,
        lambda sid: {
            "Sid": sid,
            "Effect": "Allow",
            "Principal": {"AWS": ACCOUNT},
            "Action": "sts:AssumeRole",
        },
    )


@pytest.mark.parametrize(
    ("operation", "size", "message"),
    [
        ("CreateRole", 2_100, "Cannot exceed quota for ACLSizePerRole: 2048"),
        ("UpdateAssumeRolePolicy", 2_100, "Cannot exceed quota for ACLSizePerRole: 2048"),
        ("PutRolePolicy", 10_300, "Maximum policy size of 10240 bytes exceeded for role target"),
        ("PutUserPolicy", 2_100, "Maximum policy size of 2048 bytes exceeded for user alice"),
        ("PutGroupPolicy", 5_200, "Maximum policy size of 5120 bytes exceeded for group devs"),
        ("CreatePolicy", 6_200, "Cannot exceed quota for PolicySize: 6144"),
        ("CreatePolicyVersion", 6_200, "Cannot exceed quota for PolicySize: 6144"),
    ],
)
def test_over_iams_quota(world: World, operation: str, size: int, message: str) -> None:
    before = world.snapshot()
    build = trust_document if operation in TRUST_OPERATIONS else identity_document

    assert aws_error(lambda: world.operations()[operation](build(size))) == (
        "LimitExceeded",
        message,
        409,
    )
    assert world.snapshot() == before


def test_the_inline_quota_counts_every_policy_of_the_role(world: World) -> None:
    put = world.operations()["PutRolePolicy"]
    world.iam.put_role_policy(
        RoleName="target", PolicyName="first", PolicyDocument=identity_document(6_000)
    )

    assert aws_error(lambda: put(identity_document(6_000))) == (
        "LimitExceeded",
        "Maximum policy size of 10240 bytes exceeded for role target",
        409,
    )
    assert world.iam.list_role_policies(RoleName="target")["PolicyNames"] == ["first"]


@pytest.mark.parametrize("operation", OPERATIONS[:-2])
def test_over_the_model_maximum(world: World, operation: str) -> None:
    before = world.snapshot()
    build = trust_document if operation in TRUST_OPERATIONS else identity_document

    code, message, status = aws_error(lambda: world.operations()[operation](build(140_000)))
    assert (code, status) == ("ValidationError", 400)
    # IAM leaves the value out (STS_REFERENCE §13.3).
    assert message.startswith("1 validation error detected: Value at '")
    assert message.endswith(
        "failed to satisfy constraint: Member must have length less than or equal to 131072"
    )
    assert world.snapshot() == before


@pytest.mark.parametrize("size", [3_000, 300_000])
def test_a_huge_session_policy_is_packed_policy_too_large(world: World, size: int) -> None:
    # AssumeRole's Policy has no model maximum (STS_REFERENCE §11.1): the packed size decides.
    before = world.snapshot()

    code, message, status = guarded(
        lambda: aws_error(lambda: world.assume(Policy=identity_document(size)))
    )
    assert (code, status) == ("PackedPolicyTooLarge", 400)
    assert re.fullmatch(r"Packed policy consumes \d{3,}% of allotted space", message)
    assert world.snapshot() == before


def test_over_2048_in_a_federation_token_policy(world: World) -> None:
    document = identity_document(2_100)

    code, message, status = aws_error(
        lambda: world.sts.get_federation_token(Name="fed", Policy=document)
    )
    assert (code, status) == ("ValidationError", 400)
    assert message.endswith("Member must have length less than or equal to 2048")


def test_over_2048_in_a_web_identity_session_policy(sts_mock: MockSTS, world: World) -> None:
    github = sts_mock.oidc_provider("https://token.actions.githubusercontent.com")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": github.arn},
                "Action": "sts:AssumeRoleWithWebIdentity",
            }
        ],
    }
    web = sts_mock.create_role("web", trust)
    token = github.token(sub="repo:octo/app:ref:refs/heads/main")
    document = identity_document(2_100)

    code, message, status = aws_error(
        lambda: world.sts.assume_role_with_web_identity(
            RoleArn=web.arn, RoleSessionName="web", WebIdentityToken=token, Policy=document
        )
    )
    assert (code, status) == ("ValidationError", 400)
    assert message.endswith("Member must have length less than or equal to 2048")


def test_whitespace_is_free(world: World) -> None:
    # IAM's quotas ignore whitespace [D]: 100000 blanks around a small policy are no excess.
    padded = json.dumps(ALLOW_ALL).replace(",", "," + " " * 40_000)
    assert len(padded) > 100_000

    world.iam.put_role_policy(RoleName="target", PolicyName="padded", PolicyDocument=padded)
    world.iam.update_assume_role_policy(
        RoleName="target",
        PolicyDocument=trust_json(world.alice.arn).replace(",", "," + " " * 20_000),
    )
    assert world.iam.list_role_policies(RoleName="target")["PolicyNames"] == ["padded"]
    assert world.assume()["AssumedRoleUser"]["Arn"].endswith(":assumed-role/target/attack")


# ---------------------------------------------------------------------------------------
# Numbers beyond machine types (each was an InternalFailure)


def condition_policy(operator: str, key: str, value: str) -> str:
    return (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*",'
        f'"Condition":{{"{operator}":{{"{key}":{value}}}}}}}]}}'
    )


def test_an_integer_of_5000_digits_in_a_session_policy(world: World) -> None:
    # More digits than Python's int() takes from text.
    document = condition_policy("NumericLessThan", "aws:x", "1" + "0" * 5_000)

    result = world.assume(Policy=document)
    assert result["PackedPolicySize"] > 0
    assert result["AssumedRoleUser"]["Arn"].endswith(":assumed-role/target/attack")


@pytest.mark.parametrize("operator", ["DateLessThan", "DateGreaterThan"])
def test_an_epoch_of_thousands_of_digits(world: World, operator: str) -> None:
    # Past a signed 64-bit integer: IAM's legacy parser refuses it (§13.4), however long.
    document = condition_policy(operator, "aws:CurrentTime", '"' + "9" * 5_000 + '"')
    before = world.snapshot()

    assert guarded(lambda: aws_error(lambda: world.assume(Policy=document))) == LEGACY
    assert world.snapshot() == before


def test_an_epoch_of_a_million_digits_in_a_session_policy(world: World) -> None:
    # It overflowed the decimal context, and as an int took quadratic time. The document is
    # validated before it is packed: the legacy parser refuses the epoch.
    document = condition_policy("DateLessThan", "aws:CurrentTime", '"' + "9" * 1_000_000 + '"')
    before = world.snapshot()

    assert guarded(lambda: aws_error(lambda: world.assume(Policy=document))) == LEGACY
    assert world.snapshot() == before


@pytest.mark.parametrize(
    ("agent", "allowed"), [("9" * 1_000_000, False), ("1", True)], ids=["million-digits", "one"]
)
def test_an_epoch_of_a_million_digits_from_the_caller(
    world: World, agent: str, allowed: bool
) -> None:
    """The User-Agent is the caller's to choose and is not signed: a policy reading it as a
    date gets a million-digit epoch to parse."""
    world.iam.put_user_policy(
        UserName="alice",
        PolicyName="no-clients-after-2000",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Action": "sts:AssumeRole",
                        "Resource": "*",
                        "Condition": {"DateGreaterThan": {"aws:UserAgent": "2000-01-01T00:00:00Z"}},
                    }
                ],
            }
        ),
    )
    credentials = world.alice.credentials
    request = AWSRequest(
        method="POST",
        url="https://sts.amazonaws.com/",
        data=f"Action=AssumeRole&Version=2011-06-15&RoleArn={world.role.arn}&RoleSessionName=ua",
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    SigV4Auth(
        SigningCredentials(credentials.access_key_id, credentials.secret_access_key),
        "sts",
        "us-east-1",
    ).add_auth(request)
    headers = {**dict(request.headers), "User-Agent": agent}

    response = guarded(
        lambda: requests.post(request.url, data=request.body, headers=headers, timeout=5)
    )
    if allowed:
        assert response.status_code == 200, response.text
    else:
        assert response.status_code == 403
        assert "<Code>AccessDenied</Code>" in response.text


def test_numbers_a_float_cannot_hold_in_a_trust_policy(world: World) -> None:
    """A trust policy naming a user is re-serialized with the user's unique id: 1e400 came
    back as Infinity, which is no JSON, and broke every AssumeRole of the role."""
    bob = world.mock.create_user("bob")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": [world.alice.arn, bob.arn]},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "NumericLessThanIfExists": {"aws:MultiFactorAuthAge": 1e400},
                    "NumericGreaterThanIfExists": {"aws:MultiFactorAuthAge": 0.5},
                },
            }
        ],
    }
    world.iam.create_role(
        RoleName="numbers",
        AssumeRolePolicyDocument=json.dumps(trust).replace("Infinity", "1e400"),
    )
    arn = f"arn:aws:iam::{ACCOUNT}:role/numbers"

    assert world.sts.assume_role(RoleArn=arn, RoleSessionName="n1")["AssumedRoleUser"]["Arn"] == (
        f"arn:aws:sts::{ACCOUNT}:assumed-role/numbers/n1"
    )
    # Once bob is gone, GetRole shows his unique id; the numbers keep their exact text.
    world.iam.delete_access_key(UserName="bob", AccessKeyId=bob.credentials.access_key_id)
    world.iam.delete_user(UserName="bob")
    shown = world.iam.get_role(RoleName="numbers")["Role"]["AssumeRolePolicyDocument"]
    assert shown["Statement"][0]["Principal"]["AWS"] == [world.alice.arn, bob.user_id]
    assert shown["Statement"][0]["Condition"] == {
        "NumericLessThanIfExists": {"aws:MultiFactorAuthAge": "1e400"},
        "NumericGreaterThanIfExists": {"aws:MultiFactorAuthAge": "0.5"},
    }
    assert world.sts.assume_role(RoleArn=arn, RoleSessionName="n2")["AssumedRoleUser"]["Arn"] == (
        f"arn:aws:sts::{ACCOUNT}:assumed-role/numbers/n2"
    )


# ---------------------------------------------------------------------------------------
# Pathological wildcards: linear matching, with a hang guard


def test_a_resource_pattern_against_a_long_role_arn(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user(
        "alice",
        policies={
            "roles": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "sts:AssumeRole",
                        "Resource": f"arn:aws:iam::{ACCOUNT}:role/{EVIL}",
                    }
                ],
            }
        },
    )
    path = "/" + "a" * 510 + "/"
    trust = trust_json(ACCOUNT)  # the account delegates: alice's own policy decides
    no_b = sts_mock.create_role("a" * 64, trust, path=path)
    with_b = sts_mock.create_role("a" * 63 + "b", trust, path=path)
    sts = sts_of(alice.credentials)

    assert guarded(
        lambda: aws_error(lambda: sts.assume_role(RoleArn=no_b.arn, RoleSessionName="x1"))
    ) == denied(alice.arn, no_b.arn)
    result = guarded(lambda: sts.assume_role(RoleArn=with_b.arn, RoleSessionName="x1"))
    assert result["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/{'a' * 63}b/x1"


def condition_guarded_role(
    sts_mock: MockSTS, user: User, condition: dict[str, Any], **extra: Any
) -> Role:
    return sts_mock.create_role("guarded", trust_json(user.arn, condition, **extra))


def test_string_like_on_a_long_external_id(world: World) -> None:
    role = condition_guarded_role(world.mock, world.alice, {"StringLike": {"sts:ExternalId": EVIL}})

    def assume(external_id: str) -> Any:
        return world.sts.assume_role(RoleArn=role.arn, RoleSessionName="x1", ExternalId=external_id)

    assert guarded(lambda: aws_error(lambda: assume("a" * 1_224))) == denied(
        world.alice.arn, role.arn
    )
    assert guarded(lambda: assume("a" * 1_223 + "b"))["AssumedRoleUser"]["Arn"].endswith(
        "/guarded/x1"
    )


def test_string_like_on_a_long_user_agent(world: World) -> None:
    role = condition_guarded_role(
        world.mock, world.alice, {"StringLike": {"aws:UserAgent": EVIL + "*"}}
    )

    def assume(agent: str) -> Any:
        return sts_of(world.alice.credentials, user_agent=agent).assume_role(
            RoleArn=role.arn, RoleSessionName="x1"
        )

    assert guarded(lambda: aws_error(lambda: assume("a" * 200_000))) == denied(
        world.alice.arn, role.arn
    )
    assert guarded(lambda: assume("a" * 200_000 + "b"))["AssumedRoleUser"]["Arn"].endswith(
        "/guarded/x1"
    )


def test_string_not_like_and_for_all_values_over_long_tag_keys(world: World) -> None:
    role = condition_guarded_role(
        world.mock,
        world.alice,
        {
            "ForAllValues:StringLike": {"aws:TagKeys": EVIL},
            "StringNotLike": {"aws:RequestTag/" + "a" * 120 + "000": EVIL.replace("b", "c")},
        },
        actions=["sts:AssumeRole", "sts:TagSession"],
    )

    def assume(suffix: str) -> Any:
        # Five: the packed size of session tags allows no more of this length.
        tags = [{"Key": f"{'a' * 120}{i:03d}{suffix}", "Value": "v"} for i in range(5)]
        return world.sts.assume_role(RoleArn=role.arn, RoleSessionName="x1", Tags=tags)

    assert guarded(lambda: aws_error(lambda: assume(""))) == denied(world.alice.arn, role.arn)
    assert guarded(lambda: assume("b"))["AssumedRoleUser"]["Arn"].endswith("/guarded/x1")


def test_arn_like_on_a_long_principal_arn(sts_mock: MockSTS) -> None:
    path = "/" + "a" * 510 + "/"
    callers = {}
    for name in ("a" * 64, "a" * 63 + "b"):
        callers[name] = sts_mock.create_user(name, path=path, policies={"all": ALLOW_ALL})
    role = sts_mock.create_role(
        "guarded",
        trust_json(ACCOUNT, {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::*:user/{EVIL}"}}),
    )

    refused = callers["a" * 64]
    assert guarded(
        lambda: aws_error(
            lambda: sts_of(refused.credentials).assume_role(RoleArn=role.arn, RoleSessionName="x1")
        )
    ) == denied(refused.arn, role.arn)
    accepted = sts_of(callers["a" * 63 + "b"].credentials)
    result = guarded(lambda: accepted.assume_role(RoleArn=role.arn, RoleSessionName="x1"))
    assert result["AssumedRoleUser"]["Arn"].endswith("/guarded/x1")


@pytest.mark.parametrize("stars", [10, 400])
def test_evaluate_with_megabyte_values(sts_mock: MockSTS, stars: int) -> None:
    pattern = "*a" * stars + "*b"
    alice = sts_mock.create_user(
        "alice",
        policies={
            "evil": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": f"s3:{pattern}", "Resource": "*"},
                    {"Effect": "Allow", "Action": "s3:*", "Resource": f"arn:aws:s3:::{pattern}"},
                ],
            }
        },
    )
    long = "a" * 1_000_000

    refused = guarded(lambda: sts_mock.evaluate(alice.arn, f"s3:{long}", f"arn:aws:s3:::{long}"))
    assert refused.allowed is False
    by_action = guarded(lambda: sts_mock.evaluate(alice.arn, f"s3:{long}b", "arn:aws:s3:::x"))
    by_resource = guarded(lambda: sts_mock.evaluate(alice.arn, "s3:x", f"arn:aws:s3:::{long}b"))
    assert (by_action.allowed, by_resource.allowed) == (True, True)


def test_thousands_of_evil_patterns_in_a_session_policy(world: World) -> None:
    statements = [
        {"Effect": "Allow", "Action": "*", "Resource": f"arn:aws:s3:::{i}{EVIL}"}
        for i in range(1_000)
    ]
    document = json.dumps({"Version": "2012-10-17", "Statement": statements})

    code, _, status = guarded(lambda: aws_error(lambda: world.assume(Policy=document)))
    assert (code, status) == ("PackedPolicyTooLarge", 400)


def test_the_mock_is_whole_after_the_attacks(world: World) -> None:
    for operation, call in world.operations().items():
        for document in (
            document_for(operation, NESTINGS["arrays-60000"]),
            identity_document(140_000),
        ):
            aws_error(functools.partial(call, document))
    assert all(call.status < 500 for call in world.mock.calls)
    assert world.assume()["AssumedRoleUser"]["Arn"].endswith(":assumed-role/target/attack")
