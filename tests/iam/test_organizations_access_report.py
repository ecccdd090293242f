"""Organizations access reports, driven through real boto3 clients: calls made in the
organization's accounts with credentials the mock issued, then the management account's
GenerateOrganizationsAccessReport and GetOrganizationsAccessReport."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
import time_machine
from botocore.exceptions import ClientError

from mock_sts import MockSTS
from mock_sts._handles import Organization
from tests.helpers import aws_error, client
from tests.helpers.assume_role import allow, document, iam_client, statement

MANAGEMENT = "111111111111"
MEMBER = "222222222222"
OTHER_MEMBER = "333333333333"
OUTSIDER = "444444444444"
MONDAY = dt.datetime(2030, 1, 7, 9, 0, 0, tzinfo=dt.timezone.utc)
TUESDAY = MONDAY + dt.timedelta(days=1)
ONLY_S3_AND_IAM = allow(["s3:*", "iam:*"])


@pytest.fixture
def org(sts_mock: MockSTS) -> Organization:
    return sts_mock.organization(MANAGEMENT, [MEMBER, OTHER_MEMBER])


def root_path(org: Organization) -> str:
    return f"{org.id}/{org.root_id}"


def generate(iam: Any, path: str, **params: Any) -> str:
    job: str = iam.generate_organizations_access_report(EntityPath=path, **params)["JobId"]
    return job


def report(iam: Any, job: str, **params: Any) -> dict[str, Any]:
    answer: dict[str, Any] = iam.get_organizations_access_report(JobId=job, **params)
    return answer


def by_namespace(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["ServiceNamespace"]: row for row in answer["AccessDetails"]}


def use_iam(sts_mock: MockSTS, account_id: str, region: str = "us-east-1") -> None:
    """An IAM request by the account's admin (IAM answers in us-east-1 whatever the region a
    client names: the call is recorded in the region it was signed for)."""
    iam_client(sts_mock, account_id).list_users()


def failed_s3(sts_mock: MockSTS, account_id: str, region: str) -> None:
    """An S3 request of a user with no permissions: refused, an attempt all the same."""
    nobody = sts_mock.create_user(f"nobody-{region}", account_id=account_id)
    with pytest.raises(ClientError):
        client("s3", nobody.credentials, region=region).list_buckets()


def test_a_root_report_covers_every_account(sts_mock: MockSTS, org: Organization) -> None:
    with time_machine.travel(MONDAY, tick=False):
        failed_s3(sts_mock, MEMBER, "eu-west-1")
    with time_machine.travel(TUESDAY, tick=False):
        failed_s3(sts_mock, OTHER_MEMBER, "ap-south-1")
        use_iam(sts_mock, OTHER_MEMBER)
    iam = iam_client(sts_mock, MANAGEMENT)

    with time_machine.travel(TUESDAY + dt.timedelta(hours=1), tick=False):
        job = generate(iam, root_path(org))
    answer = report(iam, job, MaxItems=1000)
    found = by_namespace(answer)

    assert answer["JobStatus"] == "COMPLETED"
    assert answer["JobCreationDate"] == answer["JobCompletionDate"]
    # FullAWSAccess at the root: every service, three used (IAM, S3, and STS by set-up).
    assert answer["NumberOfServicesAccessible"] == len(answer["AccessDetails"]) > 300
    accessed = [row for row in answer["AccessDetails"] if "LastAuthenticatedTime" in row]
    assert answer["NumberOfServicesNotAccessed"] == len(answer["AccessDetails"]) - len(accessed)
    assert found["s3"] == {
        "ServiceName": "Amazon S3",
        "ServiceNamespace": "s3",
        "Region": "ap-south-1",
        "EntityPath": f"{root_path(org)}/{OTHER_MEMBER}",
        "LastAuthenticatedTime": TUESDAY,
        "TotalAuthenticatedEntities": 2,
    }
    assert found["iam"]["EntityPath"] == f"{root_path(org)}/{OTHER_MEMBER}"
    assert found["ec2"] == {
        "ServiceName": "Amazon EC2",
        "ServiceNamespace": "ec2",
        "TotalAuthenticatedEntities": 0,
    }


def test_an_account_report_covers_that_account_and_its_scps(
    sts_mock: MockSTS, org: Organization
) -> None:
    org.attach_scp(ONLY_S3_AND_IAM, MEMBER)
    org.detach_scp("p-FullAWSAccess", MEMBER)
    with time_machine.travel(MONDAY, tick=False):
        failed_s3(sts_mock, MEMBER, "eu-west-1")
        failed_s3(sts_mock, OTHER_MEMBER, "eu-west-1")
    iam = iam_client(sts_mock, MANAGEMENT)

    answer = report(iam, generate(iam, f"{root_path(org)}/{MEMBER}"))

    # FullAWSAccess at the root, and only S3 and IAM at the account.
    assert sorted(by_namespace(answer)) == ["iam", "s3"]
    assert answer["NumberOfServicesAccessible"] == 2
    assert by_namespace(answer)["s3"]["TotalAuthenticatedEntities"] == 1
    assert by_namespace(answer)["s3"]["EntityPath"] == f"{root_path(org)}/{MEMBER}"


def test_a_policy_report_lists_what_that_scp_allows(sts_mock: MockSTS, org: Organization) -> None:
    policy_id = org.attach_scp(allow(["sqs:*", "sns:Publish"]))
    iam = iam_client(sts_mock, MANAGEMENT)

    answer = report(iam, generate(iam, root_path(org), OrganizationsPolicyId=policy_id))

    assert sorted(by_namespace(answer)) == ["sns", "sqs"]
    assert answer["NumberOfServicesNotAccessed"] == 2


def test_the_management_account_is_bound_by_no_scp(sts_mock: MockSTS, org: Organization) -> None:
    org.attach_scp(ONLY_S3_AND_IAM)
    iam = iam_client(sts_mock, MANAGEMENT)

    answer = report(iam, generate(iam, f"{root_path(org)}/{MANAGEMENT}"), MaxItems=1000)

    assert answer["NumberOfServicesAccessible"] > 300


@pytest.mark.parametrize(
    ("sort_key", "expected"),
    [
        ("SERVICE_NAMESPACE_ASCENDING", ["iam", "s3", "sqs"]),
        ("SERVICE_NAMESPACE_DESCENDING", ["sqs", "s3", "iam"]),
        ("LAST_AUTHENTICATED_TIME_ASCENDING", ["sqs", "iam", "s3"]),
        ("LAST_AUTHENTICATED_TIME_DESCENDING", ["s3", "iam", "sqs"]),
    ],
)
def test_the_sort_key_orders_the_services(
    sts_mock: MockSTS, org: Organization, sort_key: str, expected: list[str]
) -> None:
    policy_id = org.attach_scp(allow(["s3:*", "iam:*", "sqs:*"]), MEMBER)
    with time_machine.travel(MONDAY, tick=False):
        use_iam(sts_mock, MEMBER)
    with time_machine.travel(TUESDAY, tick=False):
        failed_s3(sts_mock, MEMBER, "us-east-1")
    iam = iam_client(sts_mock, MANAGEMENT)
    job = generate(iam, f"{root_path(org)}/{MEMBER}", OrganizationsPolicyId=policy_id)

    answer = report(iam, job, SortKey=sort_key)

    assert [row["ServiceNamespace"] for row in answer["AccessDetails"]] == expected


def test_the_report_is_paged(sts_mock: MockSTS, org: Organization) -> None:
    iam = iam_client(sts_mock, MANAGEMENT)
    job = generate(iam, root_path(org))

    first = report(iam, job, MaxItems=10)
    second = report(iam, job, MaxItems=10, Marker=first["Marker"])

    assert first["IsTruncated"] is True
    assert len(first["AccessDetails"]) == len(second["AccessDetails"]) == 10
    assert (
        first["AccessDetails"][-1]["ServiceNamespace"]
        < second["AccessDetails"][0]["ServiceNamespace"]
    )
    assert first["NumberOfServicesAccessible"] == second["NumberOfServicesAccessible"] > 20


# ---------------------------------------------------------------------------------------
# Failed jobs and bad input


def failure_of(iam: Any, job: str) -> dict[str, Any]:
    answer = report(iam, job)
    assert answer["JobStatus"] == "FAILED"
    assert "AccessDetails" not in answer
    details: dict[str, Any] = answer["ErrorDetails"]
    return details


@pytest.mark.parametrize(
    "path",
    [
        "{root}/{OUTSIDER}",
        "{root}/ou-ab12-cdefgh34",
        "{root}/{MEMBER}/{MEMBER}",
        "o-0000000000/{root_id}",
        "{org_id}/r-zzzz",
    ],
)
def test_a_path_outside_the_organization_fails_the_job(
    sts_mock: MockSTS, org: Organization, path: str
) -> None:
    iam = iam_client(sts_mock, MANAGEMENT)
    asked = path.format(
        root=root_path(org),
        org_id=org.id,
        root_id=org.root_id,
        OUTSIDER=OUTSIDER,
        MEMBER=MEMBER,
    )

    details = failure_of(iam, generate(iam, asked))

    assert details == {
        "Code": "NoSuchEntity",
        "Message": f"The entity path {asked} names no root, OU or account of your organization.",
    }


@pytest.mark.parametrize("policy_id", ["p-RCPFullAWSAccess", "p-00000000abcd"])
def test_a_policy_that_is_no_scp_of_the_organization_fails_the_job(
    sts_mock: MockSTS, org: Organization, policy_id: str
) -> None:
    iam = iam_client(sts_mock, MANAGEMENT)

    details = failure_of(iam, generate(iam, root_path(org), OrganizationsPolicyId=policy_id))

    assert details == {
        "Code": "NoSuchEntity",
        "Message": f"The policy {policy_id} is no service control policy of your organization.",
    }


def test_a_member_account_may_not_generate_a_report(sts_mock: MockSTS, org: Organization) -> None:
    error = aws_error(lambda: generate(iam_client(sts_mock, MEMBER), root_path(org)))

    assert error == (
        "CallerIsNotManagementAccountException",
        "The request was rejected because the account making the request is not the "
        "management account for the organization.",
        400,
    )


def test_an_account_outside_any_organization_may_not_generate_a_report(
    sts_mock: MockSTS, org: Organization
) -> None:
    error = aws_error(lambda: generate(iam_client(sts_mock, OUTSIDER), root_path(org)))

    assert error == (
        "OrganizationNotFoundException",
        "The request was rejected because no organization is associated with your account.",
        400,
    )


def test_a_malformed_path_is_refused_by_the_model(sts_mock: MockSTS, org: Organization) -> None:
    code, message, status = aws_error(
        lambda: generate(iam_client(sts_mock, MANAGEMENT), "o-short/r-1/account-x")
    )

    assert (code, status) == ("ValidationError", 400)
    assert "entityPath" in message


def test_an_unknown_job_is_no_such_entity(sts_mock: MockSTS, org: Organization) -> None:
    iam = iam_client(sts_mock, MANAGEMENT)
    job = str(uuid.uuid4())
    # A service last accessed job is no Organizations report either.
    service_job = iam.generate_service_last_accessed_details(
        Arn=f"arn:aws:iam::{MANAGEMENT}:user/admin"
    )["JobId"]

    for asked in (job, service_job):
        assert aws_error(lambda: report(iam, asked)) == (  # noqa: B023
            "NoSuchEntity",
            f"The report job with ID {asked} cannot be found.",
            404,
        )
    org_job = generate(iam, root_path(org))
    assert aws_error(lambda: iam.get_service_last_accessed_details(JobId=org_job))[0] == (
        "NoSuchEntity"
    )


def test_generating_is_authorized_on_the_access_report(
    sts_mock: MockSTS, org: Organization
) -> None:
    report_arn = f"arn:aws:iam::{MANAGEMENT}:access-report/{root_path(org)}/{MEMBER}"
    auditor = sts_mock.create_user(
        "auditor",
        account_id=MANAGEMENT,
        policies={
            "audit": document(
                statement("iam:GenerateOrganizationsAccessReport", report_arn),
                statement("iam:GetOrganizationsAccessReport"),
            )
        },
    )
    iam = client("iam", auditor.credentials)

    job = generate(iam, f"{root_path(org)}/{MEMBER}")
    error = aws_error(lambda: generate(iam, root_path(org)))

    assert report(iam, job)["JobStatus"] == "COMPLETED"
    assert error == (
        "AccessDenied",
        f"User: {auditor.arn} is not authorized to perform: "
        "iam:GenerateOrganizationsAccessReport on resource: "
        f"arn:aws:iam::{MANAGEMENT}:access-report/{root_path(org)} because no identity-based "
        "policy allows the iam:GenerateOrganizationsAccessReport action",
        403,
    )
