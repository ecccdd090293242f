"""GetFederationToken, DecodeAuthorizationMessage and the handle's evaluate()."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import boto3
import botocore.config
import pytest
import time_machine

from mock_sts import Decision, MockSTS
from tests.helpers import aws_error, caller_identity
from tests.helpers.assume_role import allow

ACCOUNT = "123456789012"
T0 = dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.timezone.utc)


def sts_for(credentials: Any) -> Any:
    keys = credentials if isinstance(credentials, dict) else credentials.as_boto3()
    return boto3.client("sts", region_name="us-east-1", **keys)


def session_keys(response: dict[str, Any]) -> dict[str, str]:
    creds = response["Credentials"]
    return {
        "aws_access_key_id": creds["AccessKeyId"],
        "aws_secret_access_key": creds["SecretAccessKey"],
        "aws_session_token": creds["SessionToken"],
    }


# -- GetFederationToken -----------------------------------------------------------------


def test_federated_user_identity_and_default_duration(sts_mock: MockSTS) -> None:
    sts = boto3.client("sts", region_name="us-east-1")
    with time_machine.travel(T0, tick=False):
        response = sts.get_federation_token(Name="report-bot")
        assert response["FederatedUser"] == {
            "FederatedUserId": f"{ACCOUNT}:report-bot",
            "Arn": f"arn:aws:sts::{ACCOUNT}:federated-user/report-bot",
        }
        assert response["Credentials"]["Expiration"] == T0 + dt.timedelta(hours=12)
        # Unlike AssumeRole's, GetFederationToken's answer has it with nothing to pack (§12.3).
        assert response["PackedPolicySize"] == 0
        assert caller_identity(sts_for(session_keys(response))) == {
            "UserId": f"{ACCOUNT}:report-bot",
            "Account": ACCOUNT,
            "Arn": f"arn:aws:sts::{ACCOUNT}:federated-user/report-bot",
        }


def test_root_sessions_are_cut_to_an_hour(sts_mock: MockSTS) -> None:
    root = sts_for(sts_mock.root_credentials())
    with time_machine.travel(T0, tick=False):
        response = root.get_federation_token(Name="rooted", DurationSeconds=7200)
    assert response["Credentials"]["Expiration"] == T0 + dt.timedelta(hours=1)


def test_the_caller_needs_get_federation_token(sts_mock: MockSTS) -> None:
    bob = sts_mock.create_user("bob")
    assert aws_error(lambda: sts_for(bob.credentials).get_federation_token(Name="fed")) == (
        "AccessDenied",
        f"User: {bob.arn} is not authorized to perform: sts:GetFederationToken on resource: "
        f"arn:aws:sts::{ACCOUNT}:federated-user/fed",
        403,
    )
    allowed = sts_mock.create_user("carol", policies={"fed": allow(["sts:GetFederationToken"])})
    assert sts_for(allowed.credentials).get_federation_token(Name="fed")["FederatedUser"]


def test_tags_need_tag_session(sts_mock: MockSTS) -> None:
    carol = sts_mock.create_user("carol", policies={"fed": allow(["sts:GetFederationToken"])})
    call = lambda: sts_for(carol.credentials).get_federation_token(  # noqa: E731
        Name="fed", Tags=[{"Key": "team", "Value": "red"}]
    )
    assert aws_error(call)[1].endswith(
        f"sts:TagSession on resource: arn:aws:sts::{ACCOUNT}:federated-user/fed"
    )
    dave = sts_mock.create_user(
        "dave", policies={"fed": allow(["sts:GetFederationToken", "sts:TagSession"])}
    )
    response = sts_for(dave.credentials).get_federation_token(
        Name="fed", Tags=[{"Key": "team", "Value": "red"}]
    )
    assert response["PackedPolicySize"] >= 1


def test_tag_keys_differing_only_in_case(sts_mock: MockSTS) -> None:
    tags = [{"Key": "team", "Value": "red"}, {"Key": "Team", "Value": "blue"}]
    call = lambda: boto3.client("sts").get_federation_token(Name="fed", Tags=tags)  # noqa: E731
    # STS's answer for AssumeRole's Tags (§12.3); GetFederationToken's are checked alike.
    assert aws_error(call) == (
        "InvalidParameterValue",
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
        400,
    )


def test_session_credentials_cannot_federate(sts_mock: MockSTS) -> None:
    sts = boto3.client("sts", region_name="us-east-1")
    session = sts_for(session_keys(sts.get_session_token()))
    assert aws_error(lambda: session.get_federation_token(Name="fed")) == (
        "AccessDenied",
        "Cannot call GetFederationToken with session credentials",
        403,
    )


def test_without_session_policy_a_federated_user_has_no_permissions(sts_mock: MockSTS) -> None:
    sts = boto3.client("sts", region_name="us-east-1")
    bare = session_keys(sts.get_federation_token(Name="bare"))
    assert not sts_mock.evaluate(bare["aws_access_key_id"], "s3:GetObject", "arn:aws:s3:::b/k")
    narrowed = session_keys(
        sts.get_federation_token(
            Name="narrow", Policy=json.dumps(allow(["s3:GetObject"], "arn:aws:s3:::b/*"))
        )
    )
    key_id = narrowed["aws_access_key_id"]
    assert sts_mock.evaluate(key_id, "s3:GetObject", "arn:aws:s3:::b/k")
    assert not sts_mock.evaluate(key_id, "s3:PutObject", "arn:aws:s3:::b/k")
    # The session policy cannot widen what the user has.
    bob = sts_mock.create_user(
        "bob", policies={"fed": allow(["sts:GetFederationToken", "s3:ListBucket"])}
    )
    widened = session_keys(
        sts_for(bob.credentials).get_federation_token(Name="wide", Policy=json.dumps(allow(["*"])))
    )
    assert sts_mock.evaluate(widened["aws_access_key_id"], "s3:ListBucket", "arn:aws:s3:::b")
    assert not sts_mock.evaluate(widened["aws_access_key_id"], "s3:GetObject", "arn:aws:s3:::b")


def test_federated_users_cannot_call_iam_or_assume_roles(sts_mock: MockSTS) -> None:
    sts = boto3.client("sts", region_name="us-east-1")
    keys = session_keys(sts.get_federation_token(Name="fed", Policy=json.dumps(allow(["*"]))))
    role = sts_mock.create_role(
        "target",
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}
            ],
        },
    )
    assert aws_error(lambda: sts_for(keys).assume_role(RoleArn=role.arn, RoleSessionName="s1")) == (
        "AccessDenied",
        f"User: arn:aws:sts::{ACCOUNT}:federated-user/fed is not authorized to perform: "
        f"sts:AssumeRole on resource: {role.arn}",
        403,
    )


def test_session_policies_are_validated(sts_mock: MockSTS) -> None:
    sts = boto3.client("sts", region_name="us-east-1")
    code, message, status = aws_error(
        lambda: sts.get_federation_token(Name="fed", Policy='{"Version": "2012-10-17"}')
    )
    assert (code, status) == ("MalformedPolicyDocument", 400)
    assert message
    unknown = f"arn:aws:iam::{ACCOUNT}:policy/nope"
    assert aws_error(
        lambda: sts.get_federation_token(Name="fed", PolicyArns=[{"arn": unknown}])
    ) == ("ValidationError", f"Policy {unknown} does not exist or is not attachable.", 400)


def test_packed_policy_size_can_be_forced(sts_mock: MockSTS) -> None:
    sts = boto3.client("sts", region_name="us-east-1")
    seen: list[tuple[Any, ...]] = []

    def estimate(policy: str | None, arns: Any, tags: Any) -> int:
        seen.append((policy, list(arns), dict(tags)))
        return 157

    sts_mock.packed_policy_size = estimate
    assert sts_mock.packed_policy_size is estimate
    document = json.dumps(allow(["s3:GetObject"]))
    assert aws_error(lambda: sts.get_federation_token(Name="fed", Policy=document)) == (
        "PackedPolicyTooLarge",
        "Packed policy consumes 157% of allotted space",
        400,
    )
    assert seen == [(document, [], {})]
    sts_mock.packed_policy_size = lambda policy, arns, tags: 112
    assert aws_error(
        lambda: sts.get_federation_token(Name="fed", Tags=[{"Key": "k", "Value": "v"}])
    ) == (
        "PackedPolicyTooLarge",
        "Packed size of session tags consumes 112% of allotted space.",
        400,
    )
    sts_mock.packed_policy_size = None
    assert sts.get_federation_token(Name="fed", Policy=document)["PackedPolicySize"] < 100


def test_packed_policy_size_set_before_start_applies() -> None:
    sts_mock = MockSTS()
    sts_mock.packed_policy_size = lambda policy, arns, tags: 42
    with sts_mock:
        sts = boto3.client("sts", region_name="us-east-1")
        document = json.dumps(allow(["s3:GetObject"]))
        assert sts.get_federation_token(Name="fed", Policy=document)["PackedPolicySize"] == 42


# -- evaluate() and DecodeAuthorizationMessage ------------------------------------------


def test_evaluate_users_roles_and_keys(sts_mock: MockSTS) -> None:
    bob = sts_mock.create_user("bob", policies={"read": allow(["s3:GetObject"])})
    assert sts_mock.evaluate(bob.credentials, "s3:GetObject", "arn:aws:s3:::b/k") == Decision(
        True, "allowed by inline policy 'read' of user bob"
    )
    assert sts_mock.evaluate(bob.arn, "s3:GetObject", "arn:aws:s3:::b/k").allowed
    assert sts_mock.evaluate(bob.credentials.access_key_id, "s3:GetObject", "arn:aws:s3:::b/k")
    role = sts_mock.create_role(
        "reader",
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}
            ],
        },
        managed_policy_arns=["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
        permissions_boundary="arn:aws:iam::aws:policy/IAMReadOnlyAccess",
    )
    denied = sts_mock.evaluate(role.arn, "s3:GetObject", "arn:aws:s3:::b/k")
    assert not denied
    assert denied.reason == (
        "permissions boundary arn:aws:iam::aws:policy/IAMReadOnlyAccess does not allow it"
    )
    root = sts_mock.root_credentials()
    assert sts_mock.evaluate(root, "iam:CreateUser", "*").reason == (
        "allowed: the account's root user"
    )
    with pytest.raises(LookupError, match="No credentials, user or role 'arn:aws:iam::1:user/x'"):
        sts_mock.evaluate("arn:aws:iam::1:user/x", "s3:GetObject", "*")


def test_evaluate_with_context_keys(sts_mock: MockSTS) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "*",
                "Condition": {"StringEquals": {"s3:prefix": ["home/", "public/"]}},
            },
            {
                "Effect": "Deny",
                "Action": "*",
                "Resource": "*",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ],
    }
    bob = sts_mock.create_user("bob", policies={"p": policy})
    assert sts_mock.evaluate(bob.arn, "s3:GetObject", "*", {"s3:prefix": "home/"})
    assert not sts_mock.evaluate(bob.arn, "s3:GetObject", "*", {"s3:prefix": "private/"})
    insecure = sts_mock.evaluate(
        bob.arn, "s3:GetObject", "*", {"s3:prefix": "home/", "aws:SecureTransport": "false"}
    )
    assert insecure.explicit_deny
    assert insecure.reason.startswith("explicitly denied by inline policy 'p' of user bob")


def test_denials_decode_for_allowed_callers(sts_mock: MockSTS) -> None:
    bob = sts_mock.create_user("bob", tags={"team": "red"})
    decision = sts_mock.evaluate(bob.credentials, "ec2:StopInstances", "arn:aws:ec2:::i-1")
    assert decision.encoded_message is not None
    sts = boto3.client("sts", region_name="us-east-1")
    decoded = json.loads(
        sts.decode_authorization_message(EncodedMessage=decision.encoded_message)["DecodedMessage"]
    )
    assert decoded["allowed"] is False
    assert decoded["explicitDeny"] is False
    assert decoded["context"]["principal"] == {"id": bob.user_id, "name": "bob", "arn": bob.arn}
    assert decoded["context"]["action"] == "ec2:StopInstances"
    assert decoded["context"]["resource"] == "arn:aws:ec2:::i-1"
    conditions = {
        item["key"]: [v["value"] for v in item["values"]["items"]]
        for item in decoded["context"]["conditions"]["items"]
    }
    assert conditions["aws:username"] == ["bob"]
    assert conditions["aws:PrincipalTag/team"] == ["red"]
    # Bob himself may not decode it.
    assert aws_error(
        lambda: sts_for(bob.credentials).decode_authorization_message(
            EncodedMessage=decision.encoded_message
        )
    ) == (
        "AccessDenied",
        f"User: {bob.arn} is not authorized to perform: sts:DecodeAuthorizationMessage",
        403,
    )


def test_unknown_messages_are_invalid(sts_mock: MockSTS) -> None:
    sts = boto3.client("sts", region_name="us-east-1")
    assert aws_error(lambda: sts.decode_authorization_message(EncodedMessage="garbage")) == (
        "InvalidAuthorizationMessageException",
        "The message is not a valid encoded authorization message, or it has expired.",
        400,
    )


def test_allowed_decisions_carry_no_message(sts_mock: MockSTS) -> None:
    assert sts_mock.evaluate(sts_mock.admin_credentials(), "s3:*", "*").encoded_message is None


def test_get_access_key_info_needs_permission(sts_mock: MockSTS) -> None:
    bob = sts_mock.create_user("bob")
    key = sts_mock.admin_credentials().access_key_id
    assert aws_error(lambda: sts_for(bob.credentials).get_access_key_info(AccessKeyId=key)) == (
        "AccessDenied",
        f"User: {bob.arn} is not authorized to perform: sts:GetAccessKeyInfo",
        403,
    )
    carol = sts_mock.create_user("carol", policies={"p": allow(["sts:GetAccessKeyInfo"])})
    info = sts_for(carol.credentials).get_access_key_info(AccessKeyId=key)
    assert info["Account"] == ACCOUNT


def test_create_role_handle_is_atomic(sts_mock: MockSTS) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}
        ],
    }
    iam = boto3.client("iam", config=botocore.config.Config(retries={"max_attempts": 1}))
    with pytest.raises(botocore.exceptions.ClientError) as error:
        sts_mock.create_role(
            "half", trust, managed_policy_arns=[f"arn:aws:iam::{ACCOUNT}:policy/missing"]
        )
    assert error.value.response["Error"]["Code"] == "NoSuchEntity"
    assert iam.list_roles()["Roles"] == []
    with pytest.raises(botocore.exceptions.ClientError):
        sts_mock.create_user("half", policies={"bad": {"Version": "2012-10-17"}})
    assert [u["UserName"] for u in iam.list_users()["Users"]] == ["admin"]
    role = sts_mock.create_role(
        "ok", json.dumps(trust), path="/svc/", tags={"team": "red"}, max_session_duration=7200
    )
    assert role.arn == f"arn:aws:iam::{ACCOUNT}:role/svc/ok"
    fetched = iam.get_role(RoleName="ok")["Role"]
    assert fetched["RoleId"] == role.role_id
    assert fetched["MaxSessionDuration"] == 7200
    assert fetched["Tags"] == [{"Key": "team", "Value": "red"}]
