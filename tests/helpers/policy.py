"""Builders shared by the policy engine tests: documents as dicts, requests in one call."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from mock_sts._policy import Evaluation, Policy, PolicyKind, Principal, Request, parse_policy

ACCOUNT = "111111111111"
OTHER_ACCOUNT = "222222222222"
USER_ARN = f"arn:aws:iam::{ACCOUNT}:user/bob"
USER_ID = "AIDAEXAMPLEUSER000001"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/ops/deployer"
ROLE_ID = "AROAEXAMPLEROLE000001"
SESSION_ARN = f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/ci"
BUCKET = "arn:aws:s3:::bucket/key"

USER = Principal(account=ACCOUNT, arn=USER_ARN, user_id=USER_ID)
ROLE_SESSION = Principal(account=ACCOUNT, arn=SESSION_ARN, role_id=ROLE_ID, role_arn=ROLE_ARN)


def policy_statement(effect: str = "Allow", **elements: Any) -> dict[str, Any]:
    """An identity statement: Action "*" and Resource "*" unless given (None drops one)."""
    result: dict[str, Any] = {"Effect": effect, "Action": "*", "Resource": "*"}
    result.update(elements)
    return {name: value for name, value in result.items() if value is not None}


def trust_statement(effect: str = "Allow", **elements: Any) -> dict[str, Any]:
    """A trust statement: sts:AssumeRole by any AWS principal unless given."""
    result: dict[str, Any] = {"Effect": effect, "Principal": "*", "Action": "sts:AssumeRole"}
    result.update(elements)
    return {name: value for name, value in result.items() if value is not None}


def policy_json(*statements: Mapping[str, Any], version: str | None = "2012-10-17") -> str:
    body: dict[str, Any] = {} if version is None else {"Version": version}
    body["Statement"] = list(statements)
    return json.dumps(body)


def identity_policy(*statements: Mapping[str, Any], version: str | None = "2012-10-17") -> Policy:
    return parse_policy(policy_json(*statements, version=version), PolicyKind.IDENTITY)


def trust_policy(*statements: Mapping[str, Any], version: str | None = "2012-10-17") -> Policy:
    return parse_policy(policy_json(*statements, version=version), PolicyKind.TRUST)


def run(
    policy: Policy,
    action: str = "s3:GetObject",
    resource: str | None = BUCKET,
    principal: Principal | None = None,
    context: Mapping[str, str | Sequence[str]] | None = None,
) -> Evaluation:
    return policy.evaluate(Request(action, resource, principal, context or {}))


def holds(operator: str, key: str, values: Any, context: Mapping[str, Any]) -> bool:
    """Whether a one-condition statement applies to a request with ``context``."""
    policy = identity_policy(policy_statement(Condition={operator: {key: values}}))
    return policy.evaluate(Request("s3:GetObject", BUCKET, None, context)).allowed
