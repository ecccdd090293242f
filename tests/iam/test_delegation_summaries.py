"""GetHumanReadableSummary through real boto3 clients: a delegation request in words, for the
accounts and owner the request is visible to."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mock_sts import MockSTS
from tests.helpers import aws_error, client
from tests.helpers.assume_role import ACCOUNT, allow, document, statement

PARTNER = "999999999999"
OTHER = "222222222222"
NOTIFICATIONS = f"arn:aws:sns:us-east-1:{PARTNER}:delegations"


def file_request(sts_mock: MockSTS, policy: dict[str, Any], **params: Any) -> tuple[str, str]:
    """A request the partner files, with ``policy`` as its template; its id and ARN."""
    partner = client("iam", sts_mock.admin_credentials(PARTNER))
    template = partner.create_policy(
        PolicyName=f"template-{len(sts_mock.calls)}", PolicyDocument=json.dumps(policy)
    )["Policy"]["Arn"]
    params.setdefault("Permissions", {"PolicyTemplateArn": template})
    request_id: str = partner.create_delegation_request(
        Description="Audit your buckets",
        RequestorWorkflowId="workflow-1",
        NotificationChannel=NOTIFICATIONS,
        SessionDuration=5430,
        **params,
    )["DelegationRequestId"]
    return request_id, f"arn:aws:iam::{PARTNER}:delegation-request/{request_id}"


def summarize(iam: Any, arn: str, **params: Any) -> dict[str, Any]:
    response: dict[str, Any] = iam.get_human_readable_summary(EntityArn=arn, **params)
    del response["ResponseMetadata"]
    return response


def test_the_summary_tells_the_request(sts_mock: MockSTS) -> None:
    policy = document(
        statement(["s3:GetObject", "s3:ListBucket"], ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"]),
        statement(
            "s3:GetObject",
            "arn:aws:s3:::logs/private/*",
            effect="Deny",
            condition={"Bool": {"aws:SecureTransport": "false"}},
        ),
        {
            "Effect": "Allow",
            "NotAction": ["iam:*", "organizations:*"],
            "NotResource": "arn:aws:s3:::secret",
        },
    )
    _, arn = file_request(sts_mock, policy, RequestMessage="For the yearly audit")
    template = f"arn:aws:iam::{PARTNER}:policy/template-0"
    response = summarize(client("iam"), arn)
    assert response == {
        "SummaryState": "AVAILABLE",
        "Locale": "en-US",
        "SummaryContent": (
            f'AWS account {PARTNER} requests temporary access to your account: "Audit your '
            'buckets".\n\n'
            'Its message: "For the yearly audit".\n\n'
            f"The access follows policy template {template}.\n\n"
            "It allows s3:GetObject and s3:ListBucket on arn:aws:s3:::logs and "
            "arn:aws:s3:::logs/*.\n\n"
            "It denies s3:GetObject on arn:aws:s3:::logs/private/*, under 1 condition.\n\n"
            "It allows every action except iam:* and organizations:* on every resource "
            "except arn:aws:s3:::secret.\n\n"
            "Each session would last up to 1 hour, 30 minutes and 30 seconds."
        ),
    }
    # The same request, the same words.
    assert summarize(client("iam"), arn) == response


def test_an_owner_account_and_parameters(sts_mock: MockSTS) -> None:
    policy = document(statement("ec2:Describe*", "*"), statement("iam:GetRole", ["*"]))
    _, arn = file_request(sts_mock, policy, OwnerAccountId=ACCOUNT)
    content = summarize(client("iam"), arn, Locale="en-GB")
    assert content["Locale"] == "en-GB"
    text = content["SummaryContent"]
    assert text.startswith(f"AWS account {PARTNER} requests temporary access to account {ACCOUNT}")
    assert "It allows ec2:Describe* on every resource." in text
    assert "It allows iam:GetRole on every resource." in text
    assert "Its message" not in text


def test_template_parameters_are_told(sts_mock: MockSTS) -> None:
    partner = client("iam", sts_mock.admin_credentials(PARTNER))
    template = partner.create_policy(
        PolicyName="with-parameters", PolicyDocument=json.dumps(allow("s3:ListBucket"))
    )["Policy"]["Arn"]
    permissions = {
        "PolicyTemplateArn": template,
        "Parameters": [
            {"Name": "bucket", "Values": ["logs", "audit"], "Type": "stringList"},
            {"Name": "prefix", "Values": ["2026/"], "Type": "string"},
        ],
    }
    _, arn = file_request(sts_mock, allow("s3:ListBucket"), Permissions=permissions)
    text = summarize(client("iam"), arn)["SummaryContent"]
    assert f"policy template {template} with bucket = logs, audit; prefix = 2026/." in text
    assert "Each session would last up to 1 hour, 30 minutes and 30 seconds." in text


def test_other_console_languages_are_not_supported(sts_mock: MockSTS) -> None:
    _, arn = file_request(sts_mock, allow("s3:ListBucket"))
    assert summarize(client("iam"), arn, Locale="ja-JP") == {
        "SummaryContent": "",
        "Locale": "ja-JP",
        "SummaryState": "NOT_SUPPORTED",
    }


def test_who_may_read_the_summary(sts_mock: MockSTS) -> None:
    unowned_id, unowned = file_request(sts_mock, allow("s3:ListBucket"))
    _, assigned = file_request(sts_mock, allow("s3:ListBucket"), OwnerAccountId=ACCOUNT)
    owned_id, owned = file_request(sts_mock, allow("s3:ListBucket"))
    # Any account reads a request without an owner.
    other = client("iam", sts_mock.admin_credentials(OTHER))
    assert summarize(other, unowned)["SummaryState"] == "AVAILABLE"
    # An owner account alone reads one assigned to it.
    assert summarize(client("iam"), assigned)["SummaryState"] == "AVAILABLE"
    request_id = assigned.rsplit("/", 1)[1]
    assert aws_error(lambda: summarize(other, assigned)) == (
        "NoSuchEntity",
        f"The delegation request with ID {request_id} cannot be found.",
        404,
    )
    # Once owned, its owner alone.
    client("iam").associate_delegation_request(DelegationRequestId=owned_id)
    assert summarize(client("iam"), owned)["SummaryState"] == "AVAILABLE"
    carol = sts_mock.create_user("carol", policies={"read": allow("iam:GetHumanReadableSummary")})
    assert aws_error(lambda: summarize(client("iam", carol.credentials), owned)) == (
        "NoSuchEntity",
        f"The delegation request with ID {owned_id} cannot be found.",
        404,
    )
    assert summarize(client("iam", carol.credentials), unowned)["SummaryState"] == "AVAILABLE"
    assert unowned_id != owned_id


def test_the_caller_needs_the_action_on_the_request(sts_mock: MockSTS) -> None:
    _, arn = file_request(sts_mock, allow("s3:ListBucket"))
    dave = sts_mock.create_user("dave")
    iam = client("iam", dave.credentials)
    assert aws_error(lambda: summarize(iam, arn)) == (
        "AccessDenied",
        f"User: {dave.arn} is not authorized to perform: iam:GetHumanReadableSummary on "
        f"resource: {arn} because no identity-based policy allows the "
        "iam:GetHumanReadableSummary action",
        403,
    )
    denied = aws_error(lambda: summarize(iam, f"arn:aws:iam::{ACCOUNT}:user/admin"))
    assert denied[0] == "AccessDenied"
    assert "on resource: * because" in denied[1]


@pytest.mark.parametrize(
    ("params", "error"),
    [
        (
            {"EntityArn": f"arn:aws:iam::{ACCOUNT}:user/admin"},
            (
                "InvalidInput",
                f"EntityArn arn:aws:iam::{ACCOUNT}:user/admin is not the ARN of a delegation "
                "request: only delegation requests are summarized.",
                400,
            ),
        ),
        (
            {"EntityArn": f"arn:aws:iam::{PARTNER}:delegation-request/dr-missing"},
            ("NoSuchEntity", "The delegation request with ID dr-missing cannot be found.", 404),
        ),
        (
            {"EntityArn": f"arn:aws:iam::{PARTNER}:delegation-request/dr-x", "Locale": "xx-YY"},
            (
                "InvalidInput",
                "Locale xx-YY is not one of the languages of the AWS Management Console.",
                400,
            ),
        ),
    ],
)
def test_bad_entities_and_locales(
    sts_mock: MockSTS, params: dict[str, str], error: tuple[str, str, int]
) -> None:
    iam = client("iam")
    assert aws_error(lambda: iam.get_human_readable_summary(**params)) == error


def test_a_locale_outside_the_model(sts_mock: MockSTS) -> None:
    iam = client("iam")
    code, message, status = aws_error(
        lambda: iam.get_human_readable_summary(
            EntityArn=f"arn:aws:iam::{PARTNER}:delegation-request/dr-x", Locale="en-US-x-private"
        )
    )
    assert (code, status) == ("ValidationError", 400)
    assert message.startswith("1 validation error detected: Value at 'locale'")
