"""The role Organizations makes in every account it creates: OrganizationAccountAccessRole (or
CreateAccount's RoleName), administrator of the member account and trusting the management
account; invited accounts get none. Cross-account tooling assumes into members through it."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from mock_sts import MockSTS
from tests.helpers import aws_error, client
from tests.helpers.assume_role import assumed, denied

MANAGEMENT = "111111111111"
MEMBER = "222222222222"
INVITED = "333333333333"
ACCESS_ROLE = f"arn:aws:iam::{MEMBER}:role/OrganizationAccountAccessRole"


def test_a_created_member_has_the_access_role(sts_mock: MockSTS) -> None:
    sts_mock.organization(MANAGEMENT, [MEMBER])
    iam = client("iam", sts_mock.admin_credentials(MEMBER))

    role = iam.get_role(RoleName="OrganizationAccountAccessRole")["Role"]
    assert role["Arn"] == ACCESS_ROLE
    assert role["AssumeRolePolicyDocument"] == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{MANAGEMENT}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    attached = iam.list_attached_role_policies(RoleName="OrganizationAccountAccessRole")
    assert attached["AttachedPolicies"] == [
        {
            "PolicyName": "AdministratorAccess",
            "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess",
        }
    ]


def test_the_management_account_administers_a_member_through_it(sts_mock: MockSTS) -> None:
    sts_mock.organization(MANAGEMENT, [MEMBER])

    session = assumed(sts_mock.admin_credentials(MANAGEMENT), ACCESS_ROLE, "landing-zone")

    identity = client("sts", session).get_caller_identity()
    assert identity["Account"] == MEMBER
    created = client("iam", session).create_user(UserName="deployer")["User"]
    assert created["Arn"] == f"arn:aws:iam::{MEMBER}:user/deployer"


def test_only_the_management_account_is_trusted(sts_mock: MockSTS) -> None:
    sts_mock.organization(MANAGEMENT, [MEMBER, INVITED], invited=False)
    # Another member's administrator may not take over this member.
    other = sts_mock.admin_credentials(INVITED)
    sts = client("sts", other)
    error = aws_error(lambda: sts.assume_role(RoleArn=ACCESS_ROLE, RoleSessionName="hop"))
    assert error == denied(f"arn:aws:iam::{INVITED}:user/admin", ACCESS_ROLE)


def test_invited_members_get_no_role(sts_mock: MockSTS) -> None:
    org = sts_mock.organization(MANAGEMENT, [MEMBER], invited=True)
    org.add_member(INVITED, invited=True)

    for account_id in (MEMBER, INVITED):
        assert access_role_error(sts_mock, account_id)[0] == "NoSuchEntity"


def access_role_error(sts_mock: MockSTS, account_id: str) -> tuple[str, str, int]:
    iam = client("iam", sts_mock.admin_credentials(account_id))
    return aws_error(lambda: iam.get_role(RoleName="OrganizationAccountAccessRole"))


def test_a_member_added_later_is_created_with_the_role_it_is_given(sts_mock: MockSTS) -> None:
    org = sts_mock.organization(MANAGEMENT)
    org.add_member(MEMBER, role_name="LandingZoneAdmin")

    assert org.member_account_ids == (MEMBER,)
    role_arn = f"arn:aws:iam::{MEMBER}:role/LandingZoneAdmin"
    session = assumed(sts_mock.admin_credentials(MANAGEMENT), role_arn, "admin")
    assert client("sts", session).get_caller_identity()["Arn"] == (
        f"arn:aws:sts::{MEMBER}:assumed-role/LandingZoneAdmin/admin"
    )


def test_a_role_name_iam_refuses_leaves_no_organization(sts_mock: MockSTS) -> None:
    with pytest.raises(ClientError) as refused:
        sts_mock.organization(MANAGEMENT, [MEMBER], role_name="no spaces allowed")
    assert refused.value.response["Error"]["Code"] == "ValidationError"

    # The accounts belong to no organization: they can make one again.
    org = sts_mock.organization(MANAGEMENT, [MEMBER])
    assert org.member_account_ids == (MEMBER,)
