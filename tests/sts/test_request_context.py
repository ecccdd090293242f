"""The global condition keys of each STS operation that asks the policy engine (STS_REFERENCE
§6.4, §12.4): which are in the request context, with which value, and which are absent.

Each case lets an operation through a policy whose only Allow holds the key's condition, so
the operation succeeds exactly when the key is present with that value (or, for ``ABSENT``,
when it is missing). Everything goes through boto3 clients in eu-west-1.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_sts import MockSTS
from tests.helpers import client, unsigned_sts
from tests.helpers.saml import saml_trust
from tests.helpers.web_identity import web_trust

ACCOUNT = "123456789012"
REGION = "eu-west-1"
ABSENT = {"Null": "true"}
Condition = dict[str, Any]

# What every request has, signed or not.
EVERY_REQUEST: dict[str, Condition] = {
    "aws:CurrentTime": {"DateGreaterThan": "2020-01-01T00:00:00Z"},
    "aws:EpochTime": {"NumericGreaterThan": "1577836800"},
    "aws:SecureTransport": {"Bool": "true"},
    "aws:SourceIp": {"IpAddress": "127.0.0.1/32"},
    "aws:RequestedRegion": {"StringEquals": REGION},
    "aws:UserAgent": {"StringLike": "Boto3/*"},
    "aws:ViaAWSService": {"Bool": "false"},
}
# Of a signed request by alice, an IAM user (tagged team=blue) with long-term keys.
ALICE: dict[str, Condition] = {
    **EVERY_REQUEST,
    "aws:PrincipalArn": {"StringEquals": f"arn:aws:iam::{ACCOUNT}:user/alice"},
    "aws:PrincipalAccount": {"StringEquals": ACCOUNT},
    "aws:PrincipalType": {"StringEquals": "User"},
    "aws:userid": {"StringLike": "AIDA*"},
    "aws:username": {"StringEquals": "alice"},
    "aws:PrincipalTag/team": {"StringEquals": "blue"},
    "aws:TokenIssueTime": ABSENT,
    "aws:MultiFactorAuthPresent": ABSENT,
    "aws:MultiFactorAuthAge": ABSENT,
    "aws:SourceIdentity": ABSENT,
    "aws:FederatedProvider": ABSENT,
    "aws:PrincipalOrgID": ABSENT,
    "aws:PrincipalOrgPaths": ABSENT,
    # Only when an AWS service calls on the principal's behalf, never for a direct call.
    "aws:CalledVia": ABSENT,
    "aws:CalledViaFirst": ABSENT,
    "aws:CalledViaLast": ABSENT,
    # Only through a VPC endpoint.
    "aws:SourceVpc": ABSENT,
    "aws:SourceVpce": ABSENT,
    "aws:VpcSourceIp": ABSENT,
}
# Of a role session of "hop" (session name "one"), made without MFA.
ROLE_SESSION: dict[str, Condition] = {
    **ALICE,
    "aws:PrincipalArn": {"StringEquals": f"arn:aws:iam::{ACCOUNT}:role/hop"},
    "aws:PrincipalType": {"StringEquals": "AssumedRole"},
    "aws:userid": {"StringLike": "AROA*:one"},
    "aws:username": ABSENT,
    "aws:PrincipalTag/team": ABSENT,
    "aws:TokenIssueTime": {"DateGreaterThan": "2020-01-01T00:00:00Z"},
    "aws:MultiFactorAuthPresent": {"Bool": "false"},
}
# Of an unsigned AssumeRoleWith* request: no signer, so none of the principal's keys.
UNSIGNED: dict[str, Condition] = {
    **EVERY_REQUEST,
    **{
        key: ABSENT
        for key in (
            "aws:PrincipalArn",
            "aws:PrincipalAccount",
            "aws:PrincipalType",
            "aws:userid",
            "aws:username",
            "aws:TokenIssueTime",
            "aws:MultiFactorAuthPresent",
            "aws:SourceIdentity",
            "aws:FederatedProvider",
            "aws:PrincipalOrgID",
        )
    },
}


def _policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _condition(key: str, condition: Condition) -> dict[str, Any]:
    ((operator, value),) = condition.items()
    return {operator: {key: value}}


def _succeeds(call: Callable[[], object]) -> bool:
    """True if ``call`` succeeds, False if AWS refuses it with AccessDenied."""
    try:
        call()
    except ClientError as error:
        if error.response["Error"]["Code"] != "AccessDenied":
            raise
        return False
    return True


def _alice(sts_mock: MockSTS, identity: str | None = None) -> Any:
    everything = _policy({"Effect": "Allow", "Action": "*", "Resource": "*"})
    return sts_mock.create_user(
        "alice", policies={"p": identity or everything}, tags={"team": "blue"}
    )


def assume_role(sts_mock: MockSTS, condition: dict[str, Any]) -> bool:
    alice = _alice(sts_mock)
    role = sts_mock.create_role(
        "target",
        _policy(
            {
                "Effect": "Allow",
                "Principal": {"AWS": alice.arn},
                "Action": "sts:AssumeRole",
                "Condition": condition,
            }
        ),
    )
    sts = client("sts", alice.credentials, region=REGION)
    return _succeeds(lambda: sts.assume_role(RoleArn=role.arn, RoleSessionName="ci"))


def chained_assume_role(sts_mock: MockSTS, condition: dict[str, Any]) -> bool:
    alice = _alice(sts_mock)
    hop = sts_mock.create_role(
        "hop",
        _policy({"Effect": "Allow", "Principal": {"AWS": alice.arn}, "Action": "sts:AssumeRole"}),
    )
    role = sts_mock.create_role(
        "target",
        _policy(
            {
                "Effect": "Allow",
                "Principal": {"AWS": hop.arn},
                "Action": "sts:AssumeRole",
                "Condition": condition,
            }
        ),
    )
    first = client("sts", alice.credentials, region=REGION).assume_role(
        RoleArn=hop.arn, RoleSessionName="one"
    )
    sts = client("sts", first["Credentials"], region=REGION)
    return _succeeds(lambda: sts.assume_role(RoleArn=role.arn, RoleSessionName="two"))


def get_federation_token(sts_mock: MockSTS, condition: dict[str, Any]) -> bool:
    allow = {
        "Effect": "Allow",
        "Action": "sts:GetFederationToken",
        "Resource": "*",
        "Condition": condition,
    }
    alice = _alice(sts_mock, _policy(allow))
    sts = client("sts", alice.credentials, region=REGION)
    return _succeeds(lambda: sts.get_federation_token(Name="fed"))


def assume_role_with_web_identity(sts_mock: MockSTS, condition: dict[str, Any]) -> bool:
    github = sts_mock.oidc_provider("https://token.actions.githubusercontent.com")
    role = sts_mock.create_role("web", web_trust(github.arn, condition))
    token = github.token(sub="repo:octo/app:ref:refs/heads/main")
    sts = unsigned_sts(REGION)
    return _succeeds(
        lambda: sts.assume_role_with_web_identity(
            RoleArn=role.arn, RoleSessionName="web", WebIdentityToken=token
        )
    )


def assume_role_with_saml(sts_mock: MockSTS, condition: dict[str, Any]) -> bool:
    idp = sts_mock.saml_provider("Corp")
    role = sts_mock.create_role("saml", saml_trust(idp.arn, condition=condition))
    assertion = idp.response(role.arn, subject="jdoe")
    sts = unsigned_sts(REGION)
    return _succeeds(
        lambda: sts.assume_role_with_saml(
            RoleArn=role.arn, PrincipalArn=idp.arn, SAMLAssertion=assertion
        )
    )


CASES = [
    (operation, key, condition)
    for operation, keys in (
        (assume_role, ALICE),
        (chained_assume_role, ROLE_SESSION),
        (get_federation_token, ALICE),
        (assume_role_with_web_identity, UNSIGNED),
        (assume_role_with_saml, UNSIGNED),
    )
    for key, condition in keys.items()
]


@pytest.mark.parametrize(
    ("operation", "key", "condition"),
    CASES,
    ids=[f"{operation.__name__}-{key}" for operation, key, _ in CASES],
)
def test_each_global_key_as_aws_has_it(
    sts_mock: MockSTS,
    operation: Callable[[MockSTS, dict[str, Any]], bool],
    key: str,
    condition: Condition,
) -> None:
    assert operation(sts_mock, _condition(key, condition)), f"{key} is not {condition}"


@pytest.mark.parametrize(
    "operation",
    [assume_role, chained_assume_role, get_federation_token, assume_role_with_web_identity],
)
def test_a_condition_the_context_does_not_meet_denies(
    sts_mock: MockSTS, operation: Callable[[MockSTS, dict[str, Any]], bool]
) -> None:
    # The counter-proof of the cases above: the same set-up with a value the key lacks.
    assert not operation(sts_mock, {"Bool": {"aws:ViaAWSService": "true"}})


# ---------------------------------------------------------------------------------------
# AWS's "deny outside these IP ranges" (IAM UG, policy examples; STS_REFERENCE §12.4)


def ip_range_deny(ranges: list[str], **principal: Any) -> dict[str, Any]:
    return {
        "Effect": "Deny",
        **principal,
        "Action": "*" if not principal else ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"],
        **({} if principal else {"Resource": "*"}),
        "Condition": {
            "NotIpAddress": {"aws:SourceIp": ranges},
            "Bool": {"aws:ViaAWSService": "false"},
        },
    }


OUTSIDE = ["192.0.2.0/24", "203.0.113.0/24"]  # the mock's callers come from 127.0.0.1
INSIDE = ["192.0.2.0/24", "127.0.0.0/8"]


@pytest.mark.parametrize(("ranges", "allowed"), [(OUTSIDE, False), (INSIDE, True)])
def test_the_ip_range_deny_as_an_identity_policy(
    sts_mock: MockSTS, ranges: list[str], allowed: bool
) -> None:
    alice = _alice(
        sts_mock,
        _policy({"Effect": "Allow", "Action": "*", "Resource": "*"}, ip_range_deny(ranges)),
    )
    role = sts_mock.create_role(
        "target",
        _policy({"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}),
    )
    sts = client("sts", alice.credentials, region=REGION)
    iam = client("iam", alice.credentials)

    assert _succeeds(lambda: sts.assume_role(RoleArn=role.arn, RoleSessionName="ci")) is allowed
    assert _succeeds(lambda: sts.get_federation_token(Name="fed")) is allowed
    assert _succeeds(lambda: iam.list_roles()) is allowed
    # The caller's identity needs no permission: no deny stops it.
    assert sts.get_caller_identity()["Arn"] == alice.arn


@pytest.mark.parametrize(("ranges", "allowed"), [(OUTSIDE, False), (INSIDE, True)])
def test_the_ip_range_deny_in_a_trust_policy(
    sts_mock: MockSTS, ranges: list[str], allowed: bool
) -> None:
    alice = _alice(sts_mock)
    github = sts_mock.oidc_provider("https://token.actions.githubusercontent.com")
    trust = _policy(
        {"Effect": "Allow", "Principal": {"AWS": alice.arn}, "Action": "sts:AssumeRole"},
        {
            "Effect": "Allow",
            "Principal": {"Federated": github.arn},
            "Action": "sts:AssumeRoleWithWebIdentity",
        },
        ip_range_deny(ranges, Principal={"AWS": alice.arn, "Federated": github.arn}),
    )
    role = sts_mock.create_role("target", trust)
    sts = client("sts", alice.credentials, region=REGION)
    token = github.token(sub="repo:octo/app:ref:refs/heads/main")

    assert _succeeds(lambda: sts.assume_role(RoleArn=role.arn, RoleSessionName="ci")) is allowed
    web = unsigned_sts(REGION)
    assert (
        _succeeds(
            lambda: web.assume_role_with_web_identity(
                RoleArn=role.arn, RoleSessionName="web", WebIdentityToken=token
            )
        )
        is allowed
    )


def test_the_key_is_in_the_handles_evaluations(sts_mock: MockSTS) -> None:
    alice = _alice(
        sts_mock,
        _policy({"Effect": "Allow", "Action": "*", "Resource": "*"}, ip_range_deny(OUTSIDE)),
    )
    assert not sts_mock.evaluate(alice.arn, "s3:GetObject", "arn:aws:s3:::b/k").allowed
    # A context given to evaluate stands for what an AWS service's call would carry.
    via_service = {"aws:ViaAWSService": "true"}
    assert sts_mock.evaluate(alice.arn, "s3:GetObject", "arn:aws:s3:::b/k", via_service).allowed
