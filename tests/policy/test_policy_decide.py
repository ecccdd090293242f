"""The decision procedure over parsed policies (STS_REFERENCE §6.3, §6.7), as a pure table."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_sts._policy import PolicyKind, Principal, Request, parse_policy
from mock_sts._policy._decide import Grant, Labelled, decide

A, B = "111111111111", "222222222222"
ROLE_ARN = f"arn:aws:iam::{B}:role/target"
USER = Principal(account=A, arn=f"arn:aws:iam::{A}:user/bob", user_id="AIDAEXAMPLEBOBEXAMPLE")
SESSION = Principal(
    account=A,
    arn=f"arn:aws:sts::{A}:assumed-role/runner/s1",
    role_id="AROAEXAMPLERUNNEREXAM",
    role_arn=f"arn:aws:iam::{A}:role/runner",
)
SAML = Principal(account="", arn="", federated=f"arn:aws:iam::{B}:saml-provider/corp")


def labelled_identity(effect: str = "Allow", action: str = "sts:AssumeRole") -> Labelled:
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": effect, "Action": action, "Resource": "*"}],
    }
    return (f"{effect.lower()} {action}", parse_policy(json.dumps(document), PolicyKind.IDENTITY))


def labelled_trust(
    principal: Any, effect: str = "Allow", action: str = "sts:AssumeRole"
) -> Labelled:
    statement = {"Effect": effect, "Principal": principal, "Action": action}
    document = {"Version": "2012-10-17", "Statement": [statement]}
    return ("the trust policy", parse_policy(json.dumps(document), PolicyKind.TRUST))


def request(principal: Principal = USER, action: str = "sts:AssumeRole") -> Request:
    return Request(action=action, resource=ROLE_ARN, principal=principal)


@pytest.mark.parametrize(
    ("principal", "trusted", "account", "grant", "allowed", "reason"),
    [
        # Same account: naming the user or its role suffices; naming the account does not.
        (USER, {"AWS": USER.arn}, A, Grant(), True, "allowed by the trust policy"),
        (SESSION, {"AWS": SESSION.role_arn}, A, Grant(), True, "allowed by the trust policy"),
        (USER, {"AWS": A}, A, Grant(), False, "no identity-based policy allows sts:AssumeRole"),
        (
            USER,
            {"AWS": A},
            A,
            Grant(identity=[labelled_identity()]),
            True,
            "allowed by allow sts:AssumeRole",
        ),
        # Cross-account: the identity side must allow too, however the caller is named.
        (
            USER,
            {"AWS": USER.arn},
            B,
            Grant(),
            False,
            "cross-account: no identity-based policy allows sts:AssumeRole",
        ),
        (
            USER,
            {"AWS": USER.arn},
            B,
            Grant(identity=[labelled_identity()]),
            True,
            "allowed by allow",
        ),
        # Federated principals have no identity side.
        (SAML, {"Federated": SAML.federated}, B, Grant(), True, "allowed by the trust policy"),
        # Root's identity side is its account's own.
        (USER, {"AWS": A}, A, Grant(identity=None), True, "allowed: the account's root user"),
    ],
)
def test_trust_and_identity(
    principal: Principal,
    trusted: Any,
    account: str,
    grant: Grant,
    allowed: bool,
    reason: str,
) -> None:
    decision = decide(
        request(principal), grant, resource_policy=labelled_trust(trusted), resource_account=account
    )
    assert decision.allowed is allowed
    assert decision.reason.startswith(reason)


def test_trust_must_allow() -> None:
    decision = decide(
        request(),
        Grant(identity=[labelled_identity()]),
        resource_policy=labelled_trust({"AWS": f"arn:aws:iam::{A}:user/alice"}),
        resource_account=A,
    )
    assert not decision
    assert decision.reason == f"the trust policy: no statement names {USER.arn}"


@pytest.mark.parametrize("where", ["trust", "identity", "boundary", "session"])
def test_an_explicit_deny_anywhere_wins(where: str) -> None:
    deny = labelled_identity("Deny")
    grant = Grant(
        identity=[labelled_identity(), deny] if where == "identity" else [labelled_identity()],
        boundary=deny if where == "boundary" else labelled_identity(),
        session=[deny] if where == "session" else None,
    )
    resource_policy = (
        labelled_trust({"AWS": USER.arn}, "Deny") if where == "trust" else labelled_trust("*")
    )
    decision = decide(request(), grant, resource_policy=resource_policy, resource_account=A)
    assert not decision
    assert decision.explicit_deny
    assert decision.reason.startswith("explicitly denied by ")


def test_boundaries_limit_all_but_direct_grants() -> None:
    boundary = ("boundary X", labelled_identity(action="s3:*")[1])
    by_name = decide(
        request(),
        Grant(boundary=boundary),
        resource_policy=labelled_trust({"AWS": USER.arn}),
        resource_account=A,
    )
    assert by_name
    by_role = decide(
        request(SESSION),
        Grant(boundary=boundary),
        resource_policy=labelled_trust({"AWS": SESSION.role_arn}),
        resource_account=A,
    )
    assert by_role.reason == "boundary X does not allow it"
    by_account = decide(
        request(),
        Grant(identity=[labelled_identity()], boundary=boundary),
        resource_policy=labelled_trust({"AWS": A}),
        resource_account=A,
    )
    assert not by_account


def test_session_policies_narrow_and_an_empty_set_grants_nothing() -> None:
    narrowing = ("session policy 1", labelled_identity(action="s3:GetObject")[1])
    grant = Grant(identity=[labelled_identity(action="*")], session=[narrowing])
    s3 = Request(action="s3:GetObject", resource="arn:aws:s3:::b/k", principal=USER)
    assert decide(s3, grant)
    iam = Request(action="iam:CreateUser", resource="*", principal=USER)
    assert decide(iam, grant).reason == "no session policy allows iam:CreateUser"
    assert not decide(s3, Grant(identity=[labelled_identity(action="*")], session=()))


@given(
    deny_in=st.sampled_from(["identity", "boundary", "session", "trust"]),
    action=st.sampled_from(["sts:AssumeRole", "sts:TagSession", "STS:assumerole"]),
)
def test_explicit_deny_always_wins_whatever_else_allows(deny_in: str, action: str) -> None:
    everything = labelled_identity(action="*")
    deny = labelled_identity("Deny", action="sts:*")
    grant = Grant(
        identity=[everything, deny] if deny_in == "identity" else [everything],
        boundary=deny if deny_in == "boundary" else everything,
        session=[everything, deny] if deny_in == "session" else [everything],
    )
    resource_policy = (
        labelled_trust({"AWS": USER.arn}, "Deny", "sts:*")
        if deny_in == "trust"
        else labelled_trust({"AWS": "*"})
    )
    decision = decide(
        request(action=action), grant, resource_policy=resource_policy, resource_account=A
    )
    assert not decision.allowed
    assert decision.explicit_deny
