"""Service control policies and resource control policies of an organization, through real
boto3 clients (Organizations UG, "Service control policies", "SCP evaluation", "Resource
control policies", "RCP evaluation"; IAM UG, "Policy evaluation logic", "Troubleshoot access
denied error messages")."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from typing import Any

import pytest

from mock_sts import MockSTS, mock_sts
from mock_sts._handles import Organization
from tests.helpers import aws_error, client
from tests.helpers.assume_role import (
    assume_call,
    assumed,
    denied,
    document,
    iam_client,
    role_arn,
    statement,
    trust,
)
from tests.helpers.services import not_authorized, served_by_moto

MANAGEMENT = "111111111111"
MEMBER = "222222222222"
OUTSIDER = "444444444444"
BUCKET = "member-data"
MANAGEMENT_BUCKET = "management-data"


def admin(account_id: str) -> str:
    return f"arn:aws:iam::{account_id}:user/admin"


def refused(caller: str, action: str, resource: str, why: str) -> tuple[str, str, int]:
    """AWS's AccessDenied with the newer messages' reason, as the action's service words it."""
    return ("AccessDenied", not_authorized(caller, action, resource, why), 403)


BY_SCP = "with an explicit deny in a service control policy"
BY_RCP = "with an explicit deny in a resource control policy"


def deny(actions: str, sid: str, **options: Any) -> dict[str, Any]:
    return {"Sid": sid, **statement(actions, effect="Deny", **options)}


def outside_the_organization(org_id: str) -> dict[str, Any]:
    """The data perimeter RCP of the Organizations UG's examples: s3:GetObject only for the
    organization's own principals."""
    return {
        "Sid": "OnlyOurOrganization",
        **statement(
            "s3:GetObject",
            effect="Deny",
            principal="*",
            condition={"StringNotEqualsIfExists": {"aws:PrincipalOrgID": org_id}},
        ),
        "Resource": "*",
    }


@pytest.fixture
def aws() -> Iterator[MockSTS]:
    """moto serving S3, and a mock with a bucket of a member and one of the management."""
    with served_by_moto(), mock_sts() as sts:
        s3 = client("s3", sts.admin_credentials(MEMBER))
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key="q1.csv", Body=b"v1")
        client("s3", sts.admin_credentials(MANAGEMENT)).create_bucket(Bucket=MANAGEMENT_BUCKET)
        yield sts


@pytest.fixture
def org(aws: MockSTS) -> Organization:
    return aws.organization(MANAGEMENT, [MEMBER])


# ---------------------------------------------------------------------------------------
# SCPs


def test_an_scp_on_the_root_binds_members_and_not_the_management_account(
    aws: MockSTS, org: Organization
) -> None:
    policy_id = org.attach_scp(document(deny("s3:DeleteBucket", "DenyDelete")))

    member = client("s3", aws.admin_credentials(MEMBER))
    assert aws_error(lambda: member.delete_bucket(Bucket=BUCKET)) == refused(
        admin(MEMBER), "s3:DeleteBucket", f"arn:aws:s3:::{BUCKET}", BY_SCP
    )
    assert aws.denials[-1].reason == (
        f"s3:DeleteBucket on arn:aws:s3:::{BUCKET}: explicitly denied by SCP {policy_id} "
        f"statement DenyDelete (attached to root {org.root_id})"
    )
    # Everything else FullAWSAccess still allows.
    assert member.get_object(Bucket=BUCKET, Key="q1.csv")["Body"].read() == b"v1"
    # SCPs never bind the management account.
    management = client("s3", aws.admin_credentials(MANAGEMENT))
    management.delete_bucket(Bucket=MANAGEMENT_BUCKET)
    assert aws.calls[-1].allowed
    assert org.scps() == ("p-FullAWSAccess", policy_id)
    assert org.scps(MEMBER) == ("p-FullAWSAccess",)
    assert json.loads(org.policy_document(policy_id))["Statement"][0]["Sid"] == "DenyDelete"


def test_an_account_without_full_aws_access_keeps_only_what_another_scp_allows(
    aws: MockSTS, org: Organization
) -> None:
    reading = org.attach_scp(document(statement(["s3:GetObject", "iam:ListUsers"])), MEMBER)
    org.detach_scp("p-FullAWSAccess", MEMBER)
    assert org.scps(MEMBER) == (reading,)

    member = client("s3", aws.admin_credentials(MEMBER))
    assert member.get_object(Bucket=BUCKET, Key="q1.csv")["Body"].read() == b"v1"
    object_arn = f"arn:aws:s3:::{BUCKET}/q1.csv"
    # Even an SCP that merely lacks an Allow is reported as an explicit deny.
    assert aws_error(lambda: member.put_object(Bucket=BUCKET, Key="q1.csv", Body=b"")) == (
        refused(admin(MEMBER), "s3:PutObject", object_arn, BY_SCP)
    )
    assert aws.denials[-1].reason == (
        f"s3:PutObject on {object_arn}: no service control policy attached to account "
        f"{MEMBER} allows s3:PutObject"
    )
    iam = iam_client(aws, MEMBER)
    assert iam.list_users()["Users"]
    assert aws_error(lambda: iam.create_user(UserName="bob")) == refused(
        admin(MEMBER), "iam:CreateUser", f"arn:aws:iam::{MEMBER}:user/bob", BY_SCP
    )
    # Attached again by its id, FullAWSAccess gives everything back.
    assert org.attach_scp("p-FullAWSAccess", MEMBER) == "p-FullAWSAccess"
    iam.create_user(UserName="bob")


def test_an_scp_denying_assume_role_refuses_it_with_aws_message(
    aws: MockSTS, org: Organization
) -> None:
    aws.create_role(
        "deployer",
        trust(f"arn:aws:iam::{MANAGEMENT}:root", f"arn:aws:iam::{MEMBER}:root"),
        account_id=MEMBER,
    )
    arn = role_arn("deployer", MEMBER)
    policy_id = org.attach_scp(document(deny("sts:AssumeRole", "NoRoles")), MEMBER)

    refusal = aws_error(assume_call(aws.admin_credentials(MEMBER), arn))

    assert refusal == denied(admin(MEMBER), arn)
    decision = aws.evaluate(aws.admin_credentials(MEMBER), "sts:AssumeRole", arn)
    assert decision.reason == (
        f"explicitly denied by SCP {policy_id} statement NoRoles (attached to account {MEMBER})"
    )
    # The management account's principals assume the member's role all the same.
    assumed(aws.admin_credentials(MANAGEMENT), arn)


def test_an_scp_denies_iam_actions_to_every_principal_of_a_member(
    aws: MockSTS, org: Organization
) -> None:
    org.attach_scp(document(deny("iam:CreateUser", "NoUsers")))
    user = f"arn:aws:iam::{MEMBER}:user/bob"
    for credentials, caller in (
        (aws.admin_credentials(MEMBER), admin(MEMBER)),
        (aws.root_credentials(MEMBER), f"arn:aws:iam::{MEMBER}:root"),
    ):
        iam = client("iam", credentials)
        assert aws_error(functools.partial(iam.create_user, UserName="bob")) == refused(
            caller, "iam:CreateUser", user, BY_SCP
        )
    # The handle setting an account up is not refused by the organization it configures.
    assert aws.create_user("bob", account_id=MEMBER).arn == user


def test_service_linked_roles_are_bound_by_no_scp(aws: MockSTS, org: Organization) -> None:
    org.attach_scp(document(deny("iam:*", "NoIAM")))
    everything = {"all": document(statement("iam:*"))}
    linked = aws.create_role(
        "AWSServiceRoleForSupport",
        trust(f"arn:aws:iam::{MEMBER}:root"),
        account_id=MEMBER,
        path="/aws-service-role/support.amazonaws.com/",
        policies=everything,
    )
    session = assumed(aws.admin_credentials(MEMBER), linked.arn)

    assert client("iam", session).list_users()["Users"]


# ---------------------------------------------------------------------------------------
# RCPs


def test_an_rcp_keeps_principals_outside_the_organization_out(
    aws: MockSTS, org: Organization
) -> None:
    aws.create_role(
        "shared",
        trust(f"arn:aws:iam::{OUTSIDER}:root", f"arn:aws:iam::{MANAGEMENT}:root"),
        account_id=MEMBER,
    )
    arn = role_arn("shared", MEMBER)
    perimeter = {**outside_the_organization(org.id), "Action": "sts:AssumeRole"}
    policy_id = org.attach_rcp(document(perimeter))
    assert org.rcps() == ("p-RCPFullAWSAccess", policy_id)

    refusal = aws_error(assume_call(aws.admin_credentials(OUTSIDER), arn))

    assert refusal == denied(admin(OUTSIDER), arn)
    # The organization's own principals are inside the perimeter.
    assumed(aws.admin_credentials(MANAGEMENT), arn)
    org.detach_rcp(policy_id)
    assumed(aws.admin_credentials(OUTSIDER), arn)


def test_an_rcp_binds_the_resources_of_members_only(aws: MockSTS, org: Organization) -> None:
    policy_id = org.attach_rcp(
        document({"Sid": "Keep", **rcp_statement(Action="s3:DeleteObject")}), MEMBER
    )
    object_arn = f"arn:aws:s3:::{BUCKET}/q1.csv"

    member = client("s3", aws.admin_credentials(MEMBER))
    assert aws_error(lambda: member.delete_object(Bucket=BUCKET, Key="q1.csv")) == refused(
        admin(MEMBER), "s3:DeleteObject", object_arn, BY_RCP
    )
    assert aws.denials[-1].reason == (
        f"s3:DeleteObject on {object_arn}: explicitly denied by RCP {policy_id} statement "
        f"Keep (attached to account {MEMBER})"
    )
    decision = aws.evaluate(aws.admin_credentials(MEMBER), "s3:DeleteObject", object_arn)
    assert decision.denial_suffix("s3:DeleteObject") == f" {BY_RCP}"
    # IAM is no service RCPs govern, and the management account's resources none bind.
    iam_client(aws, MEMBER).list_users()
    management = client("s3", aws.admin_credentials(MANAGEMENT))
    management.put_object(Bucket=MANAGEMENT_BUCKET, Key="k", Body=b"x")
    management.delete_object(Bucket=MANAGEMENT_BUCKET, Key="k")
    assert aws.calls[-1].allowed


# ---------------------------------------------------------------------------------------
# The handle's checks, in Organizations' words


MALFORMED = (
    "MalformedPolicyDocumentException: The provided policy document does not meet the "
    "requirements of the specified policy type."
)


@pytest.mark.parametrize(
    ("document_", "detail"),
    [
        (
            document({**statement("s3:*", effect="Deny"), "Principal": "*"}),
            "Policy document should not specify a principal.",
        ),
        ("[" * 2500 + "]" * 2500, "Syntax errors in policy."),
        (document(statement("s3:*", resource=None)), "Policy statement must contain resources."),
    ],
)
def test_scps_are_checked_as_identity_policies(
    aws: MockSTS, org: Organization, document_: Any, detail: str
) -> None:
    with pytest.raises(ValueError) as excinfo:
        org.attach_scp(document_)
    assert str(excinfo.value) == f"{MALFORMED} {detail}"
    assert org.scps() == ("p-FullAWSAccess",)


def rcp_statement(**changes: Any) -> dict[str, Any]:
    base = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}
    base.update(changes)
    return {key: value for key, value in base.items() if value is not None}


@pytest.mark.parametrize(
    ("document_", "detail"),
    [
        (
            document(rcp_statement(Principal=None)),
            'Each RCP statement names Principal "*" (and no NotPrincipal).',
        ),
        (
            document(rcp_statement(Principal={"AWS": f"arn:aws:iam::{OUTSIDER}:root"})),
            'Each RCP statement names Principal "*" (and no NotPrincipal).',
        ),
        (
            document(rcp_statement(NotPrincipal={"AWS": "*"})),
            'Each RCP statement names Principal "*" (and no NotPrincipal).',
        ),
        (
            document(rcp_statement(Action=None, NotAction="s3:GetObject")),
            "RCPs do not support NotAction: list the actions in Action.",
        ),
        (
            document(rcp_statement(Effect="Allow")),
            'RCPs only deny: Effect "Allow" is for RCPFullAWSAccess alone.',
        ),
        (document(rcp_statement(Resource=None)), "Policy statement must contain resources."),
        ('{"Statement": [1]}', "The policy failed legacy parsing"),
        ("[]", "Syntax errors in policy."),
        ("[" * 2500 + "]" * 2500, "Syntax errors in policy."),
        (
            '{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Effect": "Deny", '
            '"Principal": "*", "Action": "s3:*", "Resource": "*"}}',
            "Syntax errors in policy.",
        ),
    ],
)
def test_rcps_deny_every_principal(
    aws: MockSTS, org: Organization, document_: Any, detail: str
) -> None:
    with pytest.raises(ValueError) as excinfo:
        org.attach_rcp(document_, MEMBER)
    assert str(excinfo.value) == f"{MALFORMED} {detail}"
    assert org.rcps(MEMBER) == ("p-RCPFullAWSAccess",)


def test_an_rcp_as_json_text_with_a_single_statement(aws: MockSTS, org: Organization) -> None:
    text = json.dumps({"Version": "2012-10-17", "Statement": rcp_statement(Sid="One")})

    policy_id = org.attach_rcp(text, MEMBER)

    assert org.policy_document(policy_id) == text
    assert org.rcps(MEMBER) == ("p-RCPFullAWSAccess", policy_id)


def test_attachments_follow_organizations_rules(aws: MockSTS, org: Organization) -> None:
    policy_id = org.attach_scp(document(deny("s3:*", "NoS3")), MEMBER)

    def error(call: Any) -> str:
        with pytest.raises(ValueError) as excinfo:
            call()
        return str(excinfo.value)

    assert error(lambda: org.attach_scp(policy_id, MEMBER)) == (
        "DuplicatePolicyAttachmentException: The selected policy is already attached to the "
        f"specified target. ({policy_id})"
    )
    assert error(lambda: org.detach_scp(policy_id)) == (
        "PolicyNotAttachedException: The policy isn't attached to the specified target in the "
        f"specified root. ({policy_id}, {org.root_id})"
    )
    assert error(lambda: org.detach_scp("p-FullAWSAccess")) == (
        "ConstraintViolationException: You attempted to detach a policy from an entity that "
        "would cause the entity to have fewer than the minimum number of policies of a certain "
        "type required. (every root and account keeps one SCP: attach another before "
        "detaching the last.)"
    )
    assert error(lambda: org.detach_rcp("p-RCPFullAWSAccess", MEMBER)) == (
        "ConstraintViolationException: You cannot detach the RCPFullAWSAccess policy: it stays "
        "attached to the root, every OU and every account."
    )
    not_found = (
        "TargetNotFoundException: We can't find a root, OU, account, or policy with the "
        "TargetId that you specified. ('{}' is neither the root {} nor an account of {}.)"
    )
    assert error(lambda: org.scps(OUTSIDER)) == not_found.format(OUTSIDER, org.root_id, org.id)
    # A policy of the other type, or of no kind at all, is not found.
    for call in (
        lambda: org.attach_scp("p-RCPFullAWSAccess"),
        lambda: org.detach_rcp(policy_id),
        lambda: org.policy_document("p-missing0"),
    ):
        assert error(call).startswith(
            "PolicyNotFoundException: We can't find a policy with the PolicyId that you "
            "specified. ('p-"
        )
    for index in range(3):
        org.attach_scp(document(deny(f"s3:Get{index}", "S3")), MEMBER)
    assert error(lambda: org.attach_scp(document(deny("s3:Put", "S3")), MEMBER)) == (
        "ConstraintViolationException: You attempted to exceed the number of policies of a "
        f"certain type that can be attached to an entity at one time. (5 are attached to "
        f"{MEMBER}: detach one first.)"
    )
    large = document(
        deny("s3:GetObject", "Big", condition={"StringEquals": {"s3:prefix": "x" * 5200}})
    )
    assert error(lambda: org.attach_scp(large)).startswith(
        "ConstraintViolationException: You attempted to create a policy that is larger than "
        "the maximum size. (5120 characters at most, got "
    )
    # Policies are attached to the root by its id as well as by default.
    assert org.scps(org.root_id) == org.scps() == ("p-FullAWSAccess",)
    assert org.scps(MANAGEMENT) == ("p-FullAWSAccess",)


def test_an_organization_policy_id_is_as_organizations_makes_them(
    aws: MockSTS, org: Organization
) -> None:
    import re

    policy_id = org.attach_scp(document(deny("s3:*", "NoS3")))

    assert re.fullmatch(r"p-[a-z0-9]{8}", policy_id)
    assert re.fullmatch(r"r-[a-z0-9]{4}", org.root_id)
