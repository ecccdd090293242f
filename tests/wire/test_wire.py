"""The query protocol on the wire: parsing, server-side validation, envelopes and rendering."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from typing import Any

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.config
import botocore.credentials
import botocore.exceptions
import botocore.model
import botocore.parsers
import pytest
import requests

from mock_sts import MockSTS, _iam, _wire, mock_sts

STS_NS = "{https://sts.amazonaws.com/doc/2011-06-15/}"
NO_CLIENT_VALIDATION = botocore.config.Config(parameter_validation=False)


def admin_post(
    unvalidated_sts: MockSTS,
    body: str,
    url: str = "https://sts.amazonaws.com/",
    service: str = "sts",
) -> Any:
    """A form POST signed with the admin's keys, sent with plain requests."""
    admin = unvalidated_sts.admin_credentials()
    credentials = botocore.credentials.Credentials(admin.access_key_id, admin.secret_access_key)
    request = botocore.awsrequest.AWSRequest(
        method="POST",
        url=url,
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    botocore.auth.SigV4Auth(credentials, service, "us-east-1").add_auth(request)
    return requests.post(url, data=body, headers=dict(request.headers), timeout=5)


def aws_error_fields(call: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        call(*args, **kwargs)
    response = raised.value.response
    return {
        "Code": response["Error"]["Code"],
        "Message": response["Error"]["Message"],
        "Status": response["ResponseMetadata"]["HTTPStatusCode"],
    }


@pytest.fixture
def unvalidated_sts(sts_mock: MockSTS) -> Any:
    return boto3.client("sts", region_name="us-east-1", config=NO_CLIENT_VALIDATION)


def test_error_envelope_is_aws_shaped(sts_mock: MockSTS) -> None:
    response = admin_post(sts_mock, "Action=Nope&Version=2011-06-15")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "text/xml"
    root = ET.fromstring(response.content)
    assert root.tag == f"{STS_NS}ErrorResponse"
    assert [child.tag for child in root] == [f"{STS_NS}Error", f"{STS_NS}RequestId"]
    error = {child.tag.removeprefix(STS_NS): child.text for child in root[0]}
    assert error == {
        "Type": "Sender",
        "Code": "InvalidAction",
        "Message": "Could not find operation Nope for version 2011-06-15",
    }
    assert root[1].text == response.headers["x-amzn-RequestId"]


def test_success_envelope_has_the_request_id_in_body_and_header(sts_mock: MockSTS) -> None:
    response = admin_post(sts_mock, "Action=GetCallerIdentity&Version=2011-06-15")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{STS_NS}GetCallerIdentityResponse"
    result, metadata = list(root)
    assert result.tag == f"{STS_NS}GetCallerIdentityResult"
    assert {c.tag.removeprefix(STS_NS) for c in result} == {"Arn", "UserId", "Account"}
    request_id = metadata.find(f"{STS_NS}RequestId")
    assert request_id is not None
    assert request_id.text == response.headers["x-amzn-RequestId"]
    assert len(request_id.text or "") == 36


def test_wrong_api_version_and_missing_action(sts_mock: MockSTS) -> None:
    wrong = admin_post(sts_mock, "Action=GetCallerIdentity&Version=2010-05-08")
    assert wrong.status_code == 400
    assert b"Could not find operation GetCallerIdentity for version 2010-05-08" in wrong.content
    missing = admin_post(sts_mock, "Version=2011-06-15")
    assert missing.status_code == 400
    assert b"<Code>MissingAction</Code>" in missing.content


def test_get_requests_with_query_parameters_are_served(sts_mock: MockSTS) -> None:
    admin = sts_mock.admin_credentials()
    credentials = botocore.credentials.Credentials(admin.access_key_id, admin.secret_access_key)
    url = "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"
    request = botocore.awsrequest.AWSRequest(method="GET", url=url)
    botocore.auth.SigV4Auth(credentials, "sts", "us-east-1").add_auth(request)
    response = requests.get(url, headers=dict(request.headers), timeout=5)
    assert response.status_code == 200
    assert b"<Arn>arn:aws:iam::123456789012:user/admin</Arn>" in response.content


def test_maximum_checked_by_the_server(unvalidated_sts: Any) -> None:
    assert aws_error_fields(unvalidated_sts.get_session_token, DurationSeconds=129601) == {
        "Code": "ValidationError",
        "Message": "1 validation error detected: Value '129601' at 'durationSeconds' failed to "
        "satisfy constraint: Member must have value less than or equal to 129600",
        "Status": 400,
    }


def test_every_violation_is_reported_in_member_order(unvalidated_sts: Any) -> None:
    error = aws_error_fields(
        unvalidated_sts.get_session_token,
        DurationSeconds=100,
        SerialNumber="short",
        TokenCode="12a",
    )
    assert error["Message"] == (
        "4 validation errors detected: "
        "Value '100' at 'durationSeconds' failed to satisfy constraint: "
        "Member must have value greater than or equal to 900; "
        "Value 'short' at 'serialNumber' failed to satisfy constraint: "
        "Member must have length greater than or equal to 9; "
        "Value '12a' at 'tokenCode' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\d]*; "
        "Value '12a' at 'tokenCode' failed to satisfy constraint: "
        "Member must have length greater than or equal to 6"
    )


def test_missing_required_member(unvalidated_sts: Any) -> None:
    assert aws_error_fields(unvalidated_sts.get_access_key_info)["Message"] == (
        "1 validation error detected: Value null at 'accessKeyId' failed to satisfy "
        "constraint: Member must not be null"
    )


def test_pattern_and_length_of_one_member(unvalidated_sts: Any) -> None:
    error = aws_error_fields(unvalidated_sts.get_access_key_info, AccessKeyId="AKIA-not-valid")
    assert error["Message"] == (
        "2 validation errors detected: Value 'AKIA-not-valid' at 'accessKeyId' failed to "
        "satisfy constraint: Member must satisfy regular expression pattern: [\\w]*; "
        "Value 'AKIA-not-valid' at 'accessKeyId' failed to satisfy constraint: "
        "Member must have length greater than or equal to 16"
    )


def test_unicode_word_characters_do_not_satisfy_java_word_patterns(unvalidated_sts: Any) -> None:
    error = aws_error_fields(unvalidated_sts.get_access_key_info, AccessKeyId="AKIAÉÉÉÉÉÉÉÉÉÉÉÉÉ")
    assert error["Message"].endswith("Member must satisfy regular expression pattern: [\\w]*")


def test_non_integer_values(sts_mock: MockSTS) -> None:
    response = admin_post(
        sts_mock, "Action=GetSessionToken&Version=2011-06-15&DurationSeconds=soon"
    )
    assert response.status_code == 400
    assert (
        b"Value 'soon' at 'durationSeconds' failed to satisfy constraint: "
        b"Member must be a valid integer" in response.content
    )
    huge = admin_post(
        sts_mock, "Action=GetSessionToken&Version=2011-06-15&DurationSeconds=99999999999"
    )
    assert b"Member must be a valid integer" in huge.content


def test_nested_list_members_are_named_as_aws_names_them(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam", config=NO_CLIENT_VALIDATION)
    error = aws_error_fields(
        iam.create_user,
        UserName="tagged",
        Tags=[{"Key": "ok", "Value": "fine"}, {"Key": "bad", "Value": "a*b"}],
    )
    assert error["Message"] == (
        "1 validation error detected: Value at 'tags.2.member.value' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: "
        "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*"
    )
    assert boto3.client("iam").list_users()["Users"][-1]["UserName"] == "admin"


def test_unicode_letters_satisfy_unicode_property_patterns(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="unicode", Tags=[{"Key": "équipe", "Value": "Zürich 東京 ٣"}])
    tags = iam.list_user_tags(UserName="unicode")["Tags"]
    assert tags == [{"Key": "équipe", "Value": "Zürich 東京 ٣"}]


def test_list_size_limits(sts_mock: MockSTS) -> None:
    tags = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    sts = boto3.client("sts", region_name="us-east-1")
    role_arn = f"arn:aws:iam::{sts_mock.account_id}:role/many"
    error = aws_error_fields(sts.assume_role, RoleArn=role_arn, RoleSessionName="ss", Tags=tags)
    assert error["Code"] == "ValidationError"
    # STS shows the list as Java prints it; IAM leaves the value out (STS_REFERENCE §13.3).
    assert error["Message"].startswith("1 validation error detected: Value '[{Key: k0, Value: v}")
    assert error["Message"].endswith(
        "at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"
    )
    iam = boto3.client("iam")
    assert aws_error_fields(iam.create_user, UserName="many", Tags=tags)["Message"] == (
        "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must "
        "have length less than or equal to 50"
    )


def test_a_structure_given_as_a_bare_value_is_no_structure(sts_mock: MockSTS) -> None:
    # "Tags.member.1=oops" names a list item but none of the Tag's members: the item is
    # left out, as an item that failed its own checks is, and the request is answered.
    body = "Action=CreateUser&Version=2010-05-08&UserName=bare&Tags.member.1=oops"
    response = admin_post(sts_mock, body, url="https://iam.amazonaws.com/", service="iam")
    assert response.status_code == 200
    assert boto3.client("iam").list_user_tags(UserName="bare")["Tags"] == []


def test_empty_list_is_present_and_empty(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="untagged", Tags=[])
    assert "Tags" not in iam.get_user(UserName="untagged")["User"]


def test_enum_values(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam", config=NO_CLIENT_VALIDATION)
    key_id = sts_mock.admin_credentials().access_key_id
    error = aws_error_fields(iam.update_access_key, AccessKeyId=key_id, Status="Paused")
    assert error["Message"] == (
        "1 validation error detected: Value at 'status' failed to satisfy constraint: "
        "Member must satisfy enum value set: [Active, Inactive, Expired]"
    )


def test_sensitive_values_are_not_echoed() -> None:
    problems = _wire._Problems()
    problems.add("s3cr3t", "sAMLAssertion", "have length greater than or equal to 4", True)
    assert problems.items == [
        "Value at 'sAMLAssertion' failed to satisfy constraint: "
        "Member must have length greater than or equal to 4"
    ]


def test_unserved_operations_say_so(sts_mock: MockSTS, monkeypatch: pytest.MonkeyPatch) -> None:
    # Which operations of botocore's IAM model are still unserved changes as the mock grows:
    # one is taken out of the table to see how the dispatcher answers an operation the model
    # has and the mock does not serve.
    monkeypatch.delitem(_iam.OPERATIONS, "ListServerCertificates")
    iam = boto3.client("iam")
    assert aws_error_fields(iam.list_server_certificates) == {
        "Code": "InvalidAction",
        "Message": "mock_sts does not serve the IAM operation ListServerCertificates.",
        "Status": 400,
    }


def test_calls_record_failures_too(sts_mock: MockSTS, unvalidated_sts: Any) -> None:
    aws_error_fields(unvalidated_sts.get_session_token, DurationSeconds=1)
    call = sts_mock.calls[-1]
    assert (call.service, call.action, call.status, call.error_code) == (
        "sts",
        "GetSessionToken",
        400,
        "ValidationError",
    )
    assert call.caller_arn == "arn:aws:iam::123456789012:user/admin"


# -- rendering through botocore's own parser ------------------------------------------------


def parse(service: str, operation: str, body: bytes) -> dict[str, Any]:
    model = _wire.service_model(service).operation_model(operation)
    parser = botocore.parsers.create_parser("query")
    parsed: dict[str, Any] = parser.parse(
        {"body": body, "headers": {}, "status_code": 200}, model.output_shape
    )
    return parsed


def test_policy_documents_are_url_encoded_and_decoded_by_botocore() -> None:
    import botocore.handlers

    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*"}]}
    operation = _wire.service_model("iam").operation_model("GetRolePolicy")
    body = _wire.render_success(
        "iam",
        operation,
        {"RoleName": "r", "PolicyName": "p", "PolicyDocument": json.dumps(document)},
        "rid",
    )
    assert b"%7B%22Version%22%3A" in body
    parsed = parse("iam", "GetRolePolicy", body)
    botocore.handlers.json_decode_policies(parsed, operation)
    assert parsed["PolicyDocument"] == document


def test_maps_lists_booleans_and_timestamps_round_trip() -> None:
    when = dt.datetime(2025, 3, 4, 10, 0, 0, tzinfo=dt.timezone.utc)
    result = {
        "SummaryMap": {"Users": 3, "MFADevices": 1},
    }
    operation = _wire.service_model("iam").operation_model("GetAccountSummary")
    parsed = parse("iam", "GetAccountSummary", _wire.render_success("iam", operation, result, "r"))
    assert parsed["SummaryMap"] == {"Users": 3, "MFADevices": 1}
    listing = {
        "Users": [
            {"Path": "/", "UserName": "a&b", "UserId": "AIDAX", "Arn": "arn", "CreateDate": when}
        ],
        "IsTruncated": True,
        "Marker": "1",
    }
    operation = _wire.service_model("iam").operation_model("ListUsers")
    parsed = parse("iam", "ListUsers", _wire.render_success("iam", operation, listing, "r"))
    assert parsed["Users"][0]["UserName"] == "a&b"
    assert parsed["Users"][0]["CreateDate"] == when
    assert parsed["IsTruncated"] is True


def test_blobs_are_base64() -> None:
    operation = _wire.service_model("iam").operation_model("CreateVirtualMFADevice")
    result = {"VirtualMFADevice": {"SerialNumber": "arn", "Base32StringSeed": b"JBSWY3DP"}}
    parsed = parse(
        "iam", "CreateVirtualMFADevice", _wire.render_success("iam", operation, result, "r")
    )
    assert parsed["VirtualMFADevice"]["Base32StringSeed"] == b"JBSWY3DP"


def test_internal_failures_become_aws_errors(
    sts_mock: MockSTS, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from mock_sts import _dispatch

    def broken(ctx: Any) -> Any:
        raise KeyError("boom")

    monkeypatch.setitem(_dispatch._OPERATIONS, "sts", {"GetCallerIdentity": broken})
    client = boto3.client(
        "sts",
        region_name="us-east-1",
        config=botocore.config.Config(retries={"max_attempts": 1}),
    )
    error = aws_error_fields(client.get_caller_identity)
    assert error == {
        "Code": "InternalFailure",
        "Message": "mock_sts internal error: KeyError('boom')",
        "Status": 500,
    }
    assert "mock_sts failed while serving sts GetCallerIdentity" in caplog.text


def test_with_mock_sts_every_form_body_is_accepted() -> None:
    with mock_sts() as unvalidated_sts:
        response = admin_post(
            unvalidated_sts, "Action=GetCallerIdentity&Version=2011-06-15&Unknown=1"
        )
        assert response.status_code == 200


def test_access_keys_cannot_be_set_expired(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    key_id = sts_mock.admin_credentials().access_key_id
    assert aws_error_fields(iam.update_access_key, AccessKeyId=key_id, Status="Expired") == {
        "Code": "InvalidInput",
        "Message": "Access keys can only be Active or Inactive, not Expired.",
        "Status": 400,
    }


def test_unsigned_operations_need_no_signature(sts_mock: MockSTS) -> None:
    client = boto3.client(
        "sts",
        region_name="us-east-1",
        config=botocore.config.Config(signature_version=botocore.UNSIGNED),
    )
    error = aws_error_fields(
        client.assume_role_with_web_identity,
        RoleArn="arn:aws:iam::123456789012:role/web",
        RoleSessionName="session",
        WebIdentityToken="token",
    )
    assert error["Code"] != "MissingAuthenticationToken"
    assert sts_mock.calls[-1].caller_arn is None
    assert sts_mock.calls[-1].params["WebIdentityToken"] == "***"
