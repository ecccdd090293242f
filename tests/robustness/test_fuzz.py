"""Fuzzing every STS and IAM operation mock_sts serves, with inputs derived from botocore's
models, sent through boto3 and as raw form bodies; and the signed claims and attributes of
web identity tokens and SAML assertions.

Whatever arrives, the mock answers as AWS would: a body botocore parses; for a refusal an
error code and a 4xx status, never a traceback, a 5xx or InternalFailure; and a refused
request changes no state (so the examples of a test share one seeded world until a request
succeeds). Examples are derandomized and no database is kept, so every run (and CI) replays
the same cases. The regressions the fuzzer found follow the fuzz tests.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import quote

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from mock_sts import Call, MockSTS
from mock_sts._federation.saml import SESSION_DURATION
from tests.helpers import aws_error, fuzz

# Examples per operation: STS's are the product, IAM's the slice STS needs.
BOTOCORE_EXAMPLES = {"sts": 40, "iam": 15}
RAW_EXAMPLES = {"sts": 60, "iam": 12}
ARBITRARY_EXAMPLES = 100  # per endpoint
IDENTITY_EXAMPLES = 40  # per flow
# Generated cases per run: at most 12 x (40 + 60) + 105 x (15 + 12) + 3 x 100 + 2 x 40 =
# 4,415; hypothesis stops early where an input space is smaller (operations without input
# have one case), so 4,314 with botocore 1.44's models.

FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
        HealthCheck.function_scoped_fixture,
    ],
)
REGIONS = {"sts": ["us-east-1", "eu-west-1", "aws-global"], "iam": ["us-east-1"]}


def _served(service: str) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("operation", fuzz.OPERATIONS[service])


@pytest.fixture
def worlds() -> Iterator[fuzz.Worlds]:
    """The examples' seeded world (function-scoped: one per test, shared by its examples)."""
    worlds = fuzz.seeded_worlds()
    yield worlds
    worlds.drop()


def _check_client_outcome(
    worlds: fuzz.Worlds, served: Sequence[Call], operation: str, outcome: Any
) -> None:
    """One request served; a refusal is an AWS error that changed nothing."""
    assert [call.action for call in served] == [operation]
    refused = isinstance(outcome, ClientError)
    if refused:
        fuzz.check_client_error(outcome)
    else:
        assert outcome["ResponseMetadata"]["HTTPStatusCode"] == 200
    worlds.settle(succeeded=not refused)


def _botocore_case(worlds: fuzz.Worlds, service: str, operation: str, data: Any) -> None:
    region = data.draw(st.sampled_from(REGIONS[service]), label="region")
    params = data.draw(fuzz.input_strategy(service, operation), label="params")
    mock, world = worlds.current()
    served = len(mock.calls)
    params = fuzz.resolve(params, world.values)
    outcome = fuzz.call_operation(service, region, operation, params)
    _check_client_outcome(worlds, mock.calls[served:], operation, outcome)


@_served("sts")
@settings(FUZZ, max_examples=BOTOCORE_EXAMPLES["sts"])
@given(data=st.data())
def test_botocore_sts_requests_get_aws_answers(
    worlds: fuzz.Worlds, operation: str, data: Any
) -> None:
    _botocore_case(worlds, "sts", operation, data)


@_served("iam")
@settings(FUZZ, max_examples=BOTOCORE_EXAMPLES["iam"])
@given(data=st.data())
def test_botocore_iam_requests_get_aws_answers(
    worlds: fuzz.Worlds, operation: str, data: Any
) -> None:
    _botocore_case(worlds, "iam", operation, data)


def _raw_case(
    worlds: fuzz.Worlds,
    data: Any,
    service: str,
    host: str,
    pairs: list[tuple[str, Any]],
    odds: int,
) -> None:
    signed = data.draw(st.sampled_from([True, True, True, False]), label="signed")
    method = data.draw(st.sampled_from(["POST", "POST", "POST", "GET"]), label="method")
    mock, world = worlds.current()
    served = len(mock.calls)
    form = fuzz.resolve_pairs(pairs, world.values)
    body = data.draw(fuzz.form_body(form, odds), label="body")
    response = fuzz.send_raw(host, body, signed=signed, method=method)
    assert len(mock.calls) == served + 1
    worlds.settle(succeeded=fuzz.check_raw_reply(service, response))


def _raw_operation_case(worlds: fuzz.Worlds, service: str, operation: str, data: Any) -> None:
    hosts = [fuzz.HOSTS[service]] * 6 + [fuzz.STS_REGIONAL, fuzz.HOSTS["iam"]]
    host = data.draw(st.sampled_from(hosts), label="host")
    pairs = data.draw(fuzz.operation_form(service, operation), label="pairs")
    _raw_case(worlds, data, "iam" if host.startswith("iam.") else "sts", host, pairs, odds=24)


@_served("sts")
@settings(FUZZ, max_examples=RAW_EXAMPLES["sts"])
@given(data=st.data())
def test_raw_sts_forms_get_aws_answers(worlds: fuzz.Worlds, operation: str, data: Any) -> None:
    _raw_operation_case(worlds, "sts", operation, data)


@_served("iam")
@settings(FUZZ, max_examples=RAW_EXAMPLES["iam"])
@given(data=st.data())
def test_raw_iam_forms_get_aws_answers(worlds: fuzz.Worlds, operation: str, data: Any) -> None:
    _raw_operation_case(worlds, "iam", operation, data)


@pytest.mark.parametrize("host", [fuzz.HOSTS["sts"], fuzz.STS_REGIONAL, fuzz.HOSTS["iam"]])
@settings(FUZZ, max_examples=ARBITRARY_EXAMPLES)
@given(data=st.data())
def test_arbitrary_forms_get_aws_answers(worlds: fuzz.Worlds, host: str, data: Any) -> None:
    pairs = data.draw(fuzz.arbitrary_form(), label="pairs")
    _raw_case(worlds, data, "iam" if host.startswith("iam.") else "sts", host, pairs, odds=4)


@pytest.mark.parametrize("operation", ["AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"])
@settings(FUZZ, max_examples=IDENTITY_EXAMPLES)
@given(data=st.data())
def test_signed_identities_get_aws_answers(worlds: fuzz.Worlds, operation: str, data: Any) -> None:
    mock, world = worlds.current()
    served = len(mock.calls)
    if operation == "AssumeRoleWithWebIdentity":
        claims = dict(data.draw(fuzz.token_claims, label="claims"))
        sub, aud = claims.pop("sub", "fuzz"), claims.pop("aud", None)
        params = {
            "RoleArn": f"{fuzz.IAM_ARN}role/web",
            "RoleSessionName": "fuzz",
            "WebIdentityToken": world.oidc.token(sub=sub, aud=aud, **claims),
        }
    else:
        role_arn = f"{fuzz.IAM_ARN}role/saml"
        subject = data.draw(fuzz.xml_text, label="subject")
        name = data.draw(fuzz.session_names, label="session name")
        attributes = data.draw(fuzz.saml_attributes, label="attributes")
        try:
            assertion = world.saml.response(
                role_arn, subject=subject, session_name=name, attributes=attributes
            )
        except ValueError:
            reject()  # the fake IdP refuses to sign it: nothing to send
        params = {
            "RoleArn": role_arn,
            "PrincipalArn": world.saml.arn,
            "SAMLAssertion": assertion,
        }
    outcome = fuzz.call_operation("sts", "us-east-1", operation, params)
    _check_client_outcome(worlds, mock.calls[served:], operation, outcome)


# -- the fingerprint sees what it must --------------------------------------------------


def test_the_fingerprint_sees_state_and_ignores_bookkeeping() -> None:
    with MockSTS() as mock:
        backend = mock._require_backend()
        fuzz.seed_world(mock)
        before = fuzz.fingerprint(backend)
        fuzz.unchecked_client(
            "sts", "us-east-1"
        ).get_caller_identity()  # records the key's last use
        backend.account("333333333333")  # an account named for the first time
        assert fuzz.fingerprint(backend) == before
        backend.account().users["alice"].tags["team"] = "blue"
        changed = fuzz.fingerprint(backend)
        assert changed != before
        mock.create_user("carol")
        assert fuzz.fingerprint(backend) != changed


# -- regressions the fuzzer found ------------------------------------------------------

NO_VALIDATION = botocore.config.Config(parameter_validation=False)


def raw_error(response: Any) -> tuple[str, str, int]:
    """The (code, message, HTTP status) of a raw error reply."""
    error = ET.fromstring(response.content)[0]
    fields: dict[str, Any] = {child.tag.rsplit("}", 1)[-1]: child.text for child in error}
    return fields["Code"], fields["Message"], response.status_code


def test_characters_xml_cannot_carry_are_replaced_where_errors_echo_them(
    sts_mock: MockSTS,
) -> None:
    # STS's validation messages echo the value (IAM's leave it out, STS_REFERENCE §13.3).
    sts = boto3.client("sts", region_name="us-east-1", config=NO_VALIDATION)
    assert aws_error(lambda: sts.get_federation_token(Name="a\x01b\ufffe")) == (
        "ValidationError",
        "1 validation error detected: Value 'a\ufffdb\ufffd' at 'name' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
        400,
    )


@pytest.mark.parametrize("index", ["²", "9" * 5000])
def test_list_indices_int_cannot_read_are_unknown_keys(sts_mock: MockSTS, index: str) -> None:
    body = f"Action=UntagUser&Version=2010-05-08&UserName=admin&TagKeys.member.{quote(index)}=a"
    response = fuzz.send_raw("iam.amazonaws.com", body.encode(), signed=True)
    assert raw_error(response) == (
        "ValidationError",
        "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: "
        "Member must not be null",
        400,
    )


def test_markers_of_digits_int_cannot_read_are_invalid(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    assert aws_error(lambda: iam.list_users(Marker="¹")) == (
        "ValidationError",
        "Invalid Marker.",
        400,
    )


def test_structures_with_only_unknown_keys_are_absent(sts_mock: MockSTS) -> None:
    sts_mock.create_role("deployer", fuzz.TRUST_ACCOUNT)
    assume = (
        "Action=AssumeRole&Version=2011-06-15&RoleSessionName=fuzz&PolicyArns.member.1.Unknown=1"
        f"&RoleArn={quote(fuzz.IAM_ARN + 'role/deployer')}"
    )
    assert fuzz.send_raw("sts.amazonaws.com", assume.encode(), signed=True).status_code == 200
    sts_mock.organization(fuzz.ACCOUNT, [fuzz.OTHER_ACCOUNT])
    root = "Action=AssumeRoot&Version=2011-06-15&TargetPrincipal=222222222222&TaskPolicyArn.x=1"
    assert raw_error(fuzz.send_raw("sts.amazonaws.com", root.encode(), signed=True)) == (
        "ValidationError",
        "1 validation error detected: Value null at 'taskPolicyArn' failed to satisfy "
        "constraint: Member must not be null",
        400,
    )


@pytest.mark.parametrize("duration", ["²", "9" * 5000])
def test_saml_session_durations_int_cannot_read_are_refused(
    sts_mock: MockSTS, duration: str
) -> None:
    idp = sts_mock.saml_provider("corp")
    role = sts_mock.create_role("saml", fuzz.federated_trust(idp.arn, "sts:AssumeRoleWithSAML"))
    assertion = idp.response(role.arn, subject="jdoe", attributes={SESSION_DURATION: duration})
    sts = boto3.client("sts", region_name="us-east-1")
    assert aws_error(
        lambda: sts.assume_role_with_saml(
            RoleArn=role.arn, PrincipalArn=idp.arn, SAMLAssertion=assertion
        )
    ) == (
        "InvalidIdentityToken",
        "SessionDuration in AuthnResponse must be a number of seconds from 900 to 43200",
        400,
    )


@pytest.mark.parametrize("valid_until", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_saml_metadata_valid_until_beyond_the_calendar_is_unreadable(
    sts_mock: MockSTS, valid_until: str
) -> None:
    metadata = sts_mock.saml_provider("corp").metadata_xml.replace(
        "<md:EntityDescriptor ", f'<md:EntityDescriptor validUntil="{valid_until}" ', 1
    )
    iam = boto3.client("iam")
    assert aws_error(
        lambda: iam.create_saml_provider(Name="edge", SAMLMetadataDocument=metadata)
    ) == ("InvalidInput", "Could not parse metadata", 400)
