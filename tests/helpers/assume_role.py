"""Set-up shared by the AssumeRole tests: clients, policy documents, roles and sessions.

Everything goes through real boto3 clients: IAM set-up with the account admin's keys, STS
calls with the caller's own credentials.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import boto3

from mock_sts import Credentials
from tests.helpers import sts_client

if TYPE_CHECKING:
    from mock_sts import MFADevice, MockSTS

ACCOUNT = "123456789012"
ALICE_ACCOUNT = "111111111111"
ROLE_ACCOUNT = "222222222222"
UTC = dt.timezone.utc
# Mid-step for 30-second TOTP steps (12:00:15), so neighbouring steps are 15 s or more away.
T0 = dt.datetime(2025, 3, 14, 12, 0, 15, tzinfo=UTC)

ROOT_REFUSED = "Roles may not be assumed by root accounts."
CHAINED_DURATION = (
    "ValidationError",
    "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role "
    "chaining.",
    400,
)
ROLE_DURATION = (
    "ValidationError",
    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    400,
)
MFA_UNKNOWN_DEVICE = (
    "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA "
    "serial number is valid and associated with this user."
)
MFA_BAD_CODE = "MultiFactorAuthentication failed with invalid MFA one time pass code. "
EXPIRED_TOKEN = ("ExpiredToken", "The security token included in the request is expired", 403)


# ---------------------------------------------------------------------------------------
# Clients


def iam_client(sts_mock: MockSTS, account_id: str = ACCOUNT) -> Any:
    """An IAM client of the account's admin, for set-up in any account."""
    credentials = sts_mock.admin_credentials(account_id)
    return boto3.client("iam", region_name="us-east-1", **credentials.as_boto3())


# ---------------------------------------------------------------------------------------
# Policy documents


def statement(
    actions: str | Sequence[str],
    resource: str | Sequence[str] | None = "*",
    *,
    effect: str = "Allow",
    principal: Any = None,
    condition: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One statement; ``principal`` makes it a trust statement (which has no Resource)."""
    result: dict[str, Any] = {"Effect": effect, "Action": actions}
    if principal is not None:
        result["Principal"] = principal
    elif resource is not None:
        result["Resource"] = resource
    if condition:
        result["Condition"] = condition
    return result


def document(*statements: Mapping[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def trust(
    *principals: str,
    actions: str | Sequence[str] = "sts:AssumeRole",
    condition: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A trust policy with one Allow statement for the given AWS principals."""
    principal = {"AWS": principals[0] if len(principals) == 1 else list(principals)}
    return document(statement(actions, principal=principal, condition=condition))


def allow(actions: str | Sequence[str], resource: str | Sequence[str] = "*") -> dict[str, Any]:
    """An identity policy allowing ``actions`` on ``resource``."""
    return document(statement(actions, resource))


ALLOW_ASSUME = allow("sts:AssumeRole")
ALLOW_STS = allow("sts:*")
S3_ONLY = allow("s3:GetObject")


# ---------------------------------------------------------------------------------------
# IAM set-up


def create_role(
    sts_mock: MockSTS,
    name: str,
    trust_policy: Mapping[str, Any],
    *,
    account_id: str = ACCOUNT,
    policies: Mapping[str, Mapping[str, Any]] | None = None,
    boundary: str | None = None,
    tags: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """A role made by CreateRole (+ PutRolePolicy, PutRolePermissionsBoundary)."""
    iam = iam_client(sts_mock, account_id)
    params: dict[str, Any] = {
        "RoleName": name,
        "AssumeRolePolicyDocument": json.dumps(trust_policy),
        **kwargs,
    }
    if tags:
        params["Tags"] = [{"Key": key, "Value": value} for key, value in tags.items()]
    role: dict[str, Any] = iam.create_role(**params)["Role"]
    for policy_name, policy_document in (policies or {}).items():
        iam.put_role_policy(
            RoleName=name, PolicyName=policy_name, PolicyDocument=json.dumps(policy_document)
        )
    if boundary is not None:
        iam.put_role_permissions_boundary(RoleName=name, PermissionsBoundary=boundary)
    return role


def create_policy(
    sts_mock: MockSTS, name: str, policy_document: Mapping[str, Any], account_id: str = ACCOUNT
) -> str:
    """A customer managed policy (CreatePolicy); its ARN."""
    iam = iam_client(sts_mock, account_id)
    arn: str = iam.create_policy(PolicyName=name, PolicyDocument=json.dumps(policy_document))[
        "Policy"
    ]["Arn"]
    return arn


def role_arn(name: str, account_id: str = ACCOUNT, path: str = "/") -> str:
    return f"arn:aws:iam::{account_id}:role{path}{name}"


def session_arn(role_name: str, session_name: str, account_id: str = ACCOUNT) -> str:
    return f"arn:aws:sts::{account_id}:assumed-role/{role_name}/{session_name}"


# ---------------------------------------------------------------------------------------
# AssumeRole


def assume(
    credentials: Credentials, arn: str, session_name: str = "session", **params: Any
) -> dict[str, Any]:
    """The AssumeRole response of a call that must succeed."""
    response: dict[str, Any] = sts_client(credentials).assume_role(
        RoleArn=arn, RoleSessionName=session_name, **params
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    return response


def credentials_of(response: Mapping[str, Any]) -> Credentials:
    """The temporary credentials an STS response carries."""
    issued = response["Credentials"]
    return Credentials(
        issued["AccessKeyId"],
        issued["SecretAccessKey"],
        issued["SessionToken"],
        issued["Expiration"],
    )


def assumed(
    credentials: Credentials, arn: str, session_name: str = "session", **params: Any
) -> Credentials:
    """The credentials of a new role session (the call must succeed)."""
    return credentials_of(assume(credentials, arn, session_name, **params))


def session_token_of(credentials: Credentials, **params: Any) -> Credentials:
    """GetSessionToken credentials of a user."""
    return credentials_of(sts_client(credentials).get_session_token(**params))


def assume_call(
    credentials: Credentials, arn: str, session_name: str = "session", **params: Any
) -> Any:
    """A deferred AssumeRole, for ``aws_error``."""
    client = sts_client(credentials)
    return lambda: client.assume_role(RoleArn=arn, RoleSessionName=session_name, **params)


def denied(caller_arn: str, arn: str, action: str = "sts:AssumeRole") -> tuple[str, str, int]:
    """AWS's AccessDenied for an AssumeRole the policies refuse (or of a missing role)."""
    return (
        "AccessDenied",
        f"User: {caller_arn} is not authorized to perform: {action} on resource: {arn}",
        403,
    )


def tag_list(**tags: str) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags.items()]


def conditional_role(
    sts_mock: MockSTS,
    principal: str,
    condition: dict[str, Any],
    *,
    name: str = "deployer",
    actions: Any = "sts:AssumeRole",
    **kwargs: Any,
) -> str:
    """A role trusting ``principal`` under ``condition``; its ARN."""
    create_role(sts_mock, name, trust(principal, actions=actions, condition=condition), **kwargs)
    return role_arn(name)


# ---------------------------------------------------------------------------------------
# MFA


def with_mfa(device: MFADevice, **params: Any) -> dict[str, Any]:
    """AssumeRole parameters with the device's current code."""
    return {"SerialNumber": device.serial_number, "TokenCode": device.code(), **params}


def code_outside(device: MFADevice, accepted_at: Sequence[dt.datetime]) -> str:
    """A six-digit code that is none of the codes ``device`` shows at ``accepted_at``."""
    accepted = {device.code(at=moment) for moment in accepted_at}
    candidate = int(device.code(at=accepted_at[0]))
    while f"{candidate:06d}" in accepted:
        candidate = (candidate + 1) % 1_000_000
    return f"{candidate:06d}"


def code_outside_window(device: MFADevice, moment: dt.datetime) -> str:
    """A six-digit code the device does not show at ``moment`` or a step either side."""
    step = dt.timedelta(seconds=30)
    return code_outside(device, [moment, moment - step, moment + step])
