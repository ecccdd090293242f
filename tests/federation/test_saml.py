"""AssumeRoleWithSAML through real boto3 clients: the assertion pipeline, the response
fields, trust conditions on saml:* keys, tags, source identity and durations.

Expected values are AWS's (STS_REFERENCE.md §4.2, §6.4, §8, §9).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import json
from typing import TYPE_CHECKING, Any

import boto3
import pytest
import time_machine
from botocore.exceptions import ClientError

from mock_sts import SAMLProvider
from tests.helpers import aws_error, unsigned_sts
from tests.helpers.assume_role import credentials_of, iam_client
from tests.helpers.saml import (
    ACCOUNT,
    ATTRIBUTE,
    BAD_SIGNATURE,
    ENTITY_ID,
    EXPIRED,
    MALFORMED,
    NOT_AUTHORIZED,
    NOT_FRESH,
    NOT_YET_VALID,
    PROVIDER_ARN,
    ROLE_ARN,
    SAML,
    SIGN_IN,
    T0,
    UNKNOWN_PROVIDER,
    WRONG_ISSUER,
    assertion,
    assume_with_saml,
    create_saml_role,
    encode,
    metadata,
    register_user_idp,
    response,
    saml_trust,
    sign,
    signed_response,
)

if TYPE_CHECKING:
    from mock_sts import MockSTS

ROLE_DURATION = (
    "ValidationError",
    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    400,
)


@pytest.fixture
def idp(sts_mock: MockSTS) -> SAMLProvider:
    """The fake IdP registered as IAM SAML provider Corp, and role Dev trusting it."""
    provider = sts_mock.saml_provider("Corp")
    sts_mock.create_role(
        "Dev", saml_trust(provider.arn, actions=["sts:AssumeRoleWithSAML", "sts:TagSession"])
    )
    return provider


def sign_in(idp: SAMLProvider, role_arn: str = ROLE_ARN, **claims: Any) -> Any:
    claims.setdefault("subject", "jdoe")
    params = {k: claims.pop(k) for k in ("DurationSeconds", "Policy", "PolicyArns") if k in claims}
    return assume_with_saml(
        idp.response(role_arn, **claims), role_arn=role_arn, PrincipalArn=idp.arn, **params
    )


def with_trust(sts_mock: MockSTS, trust: dict[str, Any], name: str = "Dev") -> None:
    iam_client(sts_mock).update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(trust))


# ---------------------------------------------------------------------------------------
# A sign-in and every field of the response


def test_every_response_field(sts_mock: MockSTS, idp: SAMLProvider) -> None:
    recipient = "https://eu-west-1.signin.aws.amazon.com/saml"
    with time_machine.travel(T0, tick=False):
        result = sign_in(
            idp, subject="u-7f3c", session_name="jdoe@example.test", recipient=recipient
        )
    role = iam_client(sts_mock).get_role(RoleName="Dev")["Role"]
    credentials = result["Credentials"]
    assert credentials["AccessKeyId"].startswith("ASIA")
    assert len(credentials["AccessKeyId"]) == 20
    assert len(credentials["SecretAccessKey"]) == 40
    assert credentials["SessionToken"]
    assert credentials["Expiration"] == T0 + dt.timedelta(hours=1)
    assert result["AssumedRoleUser"] == {
        "AssumedRoleId": f"{role['RoleId']}:jdoe@example.test",
        "Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/Dev/jdoe@example.test",
    }
    assert result["Subject"] == "u-7f3c"
    assert result["SubjectType"] == "persistent"
    assert result["Issuer"] == idp.entity_id == "https://idp.mock-sts.test/saml/Corp"
    assert result["Audience"] == recipient  # the Recipient, not the Audience element
    digest = hashlib.sha1(f"{idp.entity_id}{ACCOUNT}/Corp".encode()).digest()
    assert result["NameQualifier"] == base64.b64encode(digest).decode()
    assert "PackedPolicySize" not in result
    assert "SourceIdentity" not in result
    assert result["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_the_session_is_the_role_session(sts_mock: MockSTS, idp: SAMLProvider) -> None:
    credentials = credentials_of(sign_in(idp))
    sts = boto3.client("sts", region_name="us-east-1", **credentials.as_boto3())
    assert sts.get_caller_identity()["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/Dev/jdoe"
    call = sts_mock.calls[-2]
    assert (call.action, call.caller_arn, call.status) == ("AssumeRoleWithSAML", None, 200)
    assert call.params["SAMLAssertion"] == "***"  # the assertion is a secret


@pytest.mark.parametrize("signed", ["assertion", "response", "both"])
def test_responses_signed_as_idps_sign_them(idp: SAMLProvider, signed: str) -> None:
    assert sign_in(idp, sign=signed)["Subject"] == "jdoe"


def test_the_name_qualifier_worked_example(sts_mock: MockSTS) -> None:
    provider = sts_mock.saml_provider("MySAMLIdP", entity_id="https://example.com/saml")
    sts_mock.create_role("Dev", saml_trust(provider.arn))
    assert sign_in(provider)["NameQualifier"] == "1uAJanUnBc2XeUkHURMht+xam2c="


@pytest.mark.parametrize(
    ("name_format", "subject_type"),
    [
        ("urn:oasis:names:tc:SAML:2.0:nameid-format:transient", "transient"),
        ("urn:oasis:names:tc:SAML:2.0:nameid-format:entity", "entity"),
        (
            "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
            "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        ),
    ],
)
def test_subject_type(idp: SAMLProvider, name_format: str, subject_type: str) -> None:
    assert sign_in(idp, name_id_format=name_format)["SubjectType"] == subject_type


def test_a_name_id_without_format_has_no_subject_type(sts_mock: MockSTS) -> None:
    register_user_idp(sts_mock)
    create_saml_role(sts_mock)
    result = assume_with_saml(signed_response(name_id_format=None))
    assert "SubjectType" not in result
    assert result["Subject"] == "jdoe"


@pytest.mark.parametrize(
    "recipient",
    [
        "https://signin.aws.amazon.com/saml",
        "https://us-east-2.signin.aws.amazon.com/saml",
        "https://signin.aws.amazon.com/static/saml",
    ],
)
@pytest.mark.parametrize("audience", [SIGN_IN, "urn:amazon:webservices"])
def test_every_aws_endpoint(idp: SAMLProvider, recipient: str, audience: str) -> None:
    result = sign_in(idp, recipient=recipient, audience=audience)
    assert result["Audience"] == recipient


def test_a_regional_sts_endpoint_serves_it(idp: SAMLProvider) -> None:
    saml_response = idp.response(ROLE_ARN, subject="jdoe")
    result = unsigned_sts("eu-central-1").assume_role_with_saml(
        RoleArn=ROLE_ARN, PrincipalArn=idp.arn, SAMLAssertion=saml_response
    )
    assert result["Subject"] == "jdoe"


def test_the_china_partition_has_its_own_endpoint() -> None:
    from mock_sts import mock_sts

    with mock_sts(region="cn-north-1") as sts:
        provider = sts.saml_provider("Corp")
        role = sts.create_role("Dev", saml_trust(provider.arn))
        client = unsigned_sts("cn-north-1")
        ok = provider.response(
            role.arn,
            subject="jdoe",
            recipient="https://signin.amazonaws.cn/saml",
            audience="https://signin.amazonaws.cn/saml",
        )
        result = client.assume_role_with_saml(
            RoleArn=role.arn, PrincipalArn=provider.arn, SAMLAssertion=ok
        )
        assert result["AssumedRoleUser"]["Arn"].startswith("arn:aws-cn:sts::")
        global_endpoint = provider.response(role.arn, subject="jdoe")
        assert (
            aws_error(
                lambda: client.assume_role_with_saml(
                    RoleArn=role.arn, PrincipalArn=provider.arn, SAMLAssertion=global_endpoint
                )
            )[0]
            == "InvalidIdentityToken"
        )


# ---------------------------------------------------------------------------------------
# An IdP the user runs: its metadata through IAM, its own signatures


def test_an_idp_the_user_runs(sts_mock: MockSTS) -> None:
    arn = register_user_idp(sts_mock)
    create_saml_role(sts_mock)
    assert arn == PROVIDER_ARN
    result = assume_with_saml(signed_response(subject="u-1", session_name="alice"))
    assert result["Issuer"] == ENTITY_ID
    assert result["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/Dev/alice"


def test_the_user_idp_may_sign_the_response_only(sts_mock: MockSTS) -> None:
    register_user_idp(sts_mock)
    create_saml_role(sts_mock)
    assert assume_with_saml(encode(sign(response(assertion()))))["Subject"] == "jdoe"


def test_the_user_idp_may_sign_with_sha512(sts_mock: MockSTS) -> None:
    register_user_idp(sts_mock)
    create_saml_role(sts_mock)
    signed = sign(assertion(), signature_algorithm="rsa-sha512", digest_algorithm="sha512")
    assert assume_with_saml(encode(response(signed)))["Subject"] == "jdoe"


def test_certificate_rollover_trusts_every_signing_key(sts_mock: MockSTS) -> None:
    register_user_idp(sts_mock, labels=("old", "user"))
    create_saml_role(sts_mock)
    assert assume_with_saml(encode(response(sign(assertion(), "old"))))["Subject"] == "jdoe"
    assert assume_with_saml(encode(response(sign(assertion(), "user"))))["Subject"] == "jdoe"
    assert aws_error(lambda: assume_with_saml(encode(response(sign(assertion(), "other"))))) == (
        BAD_SIGNATURE
    )


def test_the_fake_idps_key_does_not_sign_for_the_users_idp(
    sts_mock: MockSTS, idp: SAMLProvider
) -> None:
    register_user_idp(sts_mock, name="Other")
    other = f"arn:aws:iam::{ACCOUNT}:saml-provider/Other"
    with_trust(sts_mock, saml_trust(other))
    forged = idp.response(ROLE_ARN, subject="jdoe")
    # The fake IdP's issuer is not the user IdP's: refused before the signature is looked at.
    assert aws_error(lambda: assume_with_saml(forged, PrincipalArn=other)) == WRONG_ISSUER


# ---------------------------------------------------------------------------------------
# The provider, the role and the Role attribute


def test_an_unknown_provider(idp: SAMLProvider) -> None:
    saml_response = idp.response(ROLE_ARN, subject="jdoe")
    missing = f"arn:aws:iam::{ACCOUNT}:saml-provider/Nope"
    assert (
        aws_error(lambda: assume_with_saml(saml_response, PrincipalArn=missing)) == UNKNOWN_PROVIDER
    )


def test_a_provider_of_another_account_than_the_role(sts_mock: MockSTS) -> None:
    provider = sts_mock.saml_provider("Corp", account_id="111111111111")
    sts_mock.create_role("Dev", saml_trust(provider.arn))
    saml_response = provider.response(ROLE_ARN, subject="jdoe")
    assert aws_error(lambda: assume_with_saml(saml_response, PrincipalArn=provider.arn)) == (
        UNKNOWN_PROVIDER
    )


@pytest.mark.parametrize(
    ("role", "principal"),
    [
        (f"arn:aws:iam::{ACCOUNT}:user/Dev", PROVIDER_ARN),
        (ROLE_ARN, f"arn:aws:iam::{ACCOUNT}:oidc-provider/example.com"),
    ],
)
def test_arns_that_name_no_role_or_provider(idp: SAMLProvider, role: str, principal: str) -> None:
    saml_response = idp.response(ROLE_ARN, subject="jdoe")
    assert aws_error(
        lambda: assume_with_saml(saml_response, role_arn=role, PrincipalArn=principal)
    ) == (
        "ValidationError",
        "Request ARN is invalid",
        400,
    )


def test_a_role_arn_that_is_no_arn_is_echoed(idp: SAMLProvider) -> None:
    saml_response = idp.response(ROLE_ARN, subject="jdoe")
    assert aws_error(lambda: assume_with_saml(saml_response, role_arn="nothing-valid-in-here")) == (
        "ValidationError",
        "nothing-valid-in-here is invalid",
        400,
    )


def test_a_role_that_does_not_exist(idp: SAMLProvider) -> None:
    other = f"arn:aws:iam::{ACCOUNT}:role/Nope"
    assert aws_error(lambda: sign_in(idp, other)) == NOT_AUTHORIZED


def test_the_role_attribute_must_name_the_pair(sts_mock: MockSTS, idp: SAMLProvider) -> None:
    sts_mock.create_role("Ops", saml_trust(idp.arn))
    for_dev = idp.response(ROLE_ARN, subject="jdoe")
    ops = f"arn:aws:iam::{ACCOUNT}:role/Ops"
    assert aws_error(lambda: assume_with_saml(for_dev, role_arn=ops)) == NOT_AUTHORIZED


def test_the_role_attribute_in_either_order_among_several(sts_mock: MockSTS) -> None:
    register_user_idp(sts_mock)
    create_saml_role(sts_mock)
    pairs = [f"arn:aws:iam::{ACCOUNT}:role/Other,{PROVIDER_ARN}", f"{PROVIDER_ARN}, {ROLE_ARN}"]
    saml_response = encode(response(sign(assertion(attributes={ATTRIBUTE + "Role": pairs}))))
    assert assume_with_saml(saml_response)["Subject"] == "jdoe"


def test_no_role_attribute(sts_mock: MockSTS) -> None:
    register_user_idp(sts_mock)
    create_saml_role(sts_mock)
    saml_response = encode(response(sign(assertion(attributes={ATTRIBUTE + "Role": []}))))
    assert aws_error(lambda: assume_with_saml(saml_response)) == NOT_AUTHORIZED


def test_no_name_id(sts_mock: MockSTS) -> None:
    register_user_idp(sts_mock)
    create_saml_role(sts_mock)
    element = assertion()
    name_id = element.find(f"{{{SAML}}}Subject/{{{SAML}}}NameID")
    name_id.getparent().remove(name_id)
    assert aws_error(lambda: assume_with_saml(encode(response(sign(element))))) == NOT_AUTHORIZED


# ---------------------------------------------------------------------------------------
# RoleSessionName, SourceIdentity, SessionDuration and tag attributes


def test_role_session_name_is_required(sts_mock: MockSTS) -> None:
    register_user_idp(sts_mock)
    create_saml_role(sts_mock)
    assert aws_error(lambda: assume_with_saml(signed_response(session_name=None))) == (
        "InvalidIdentityToken",
        "RoleSessionName is required in AuthnResponse",
        400,
    )


@pytest.mark.parametrize("name", ["j", "john doe", "x" * 65, "jdoe:admin", "jdöe"])
def test_role_session_name_pattern(idp: SAMLProvider, name: str) -> None:
    assert aws_error(lambda: sign_in(idp, session_name=name)) == (
        "InvalidIdentityToken",
        "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}",
        400,
    )


def test_role_session_name_with_two_values(sts_mock: MockSTS) -> None:
    register_user_idp(sts_mock)
    create_saml_role(sts_mock)
    saml_response = signed_response(
        attributes={ATTRIBUTE + "RoleSessionName": ["a1", "b2"]}, session_name=None
    )
    assert aws_error(lambda: assume_with_saml(saml_response))[1].startswith("RoleSessionName in")


def test_source_identity(sts_mock: MockSTS, idp: SAMLProvider) -> None:
    with_trust(sts_mock, saml_trust(idp.arn, actions=["sts:AssumeRoleWithSAML"]))
    assert aws_error(lambda: sign_in(idp, source_identity="jdoe")) == NOT_AUTHORIZED
    with_trust(
        sts_mock,
        saml_trust(
            idp.arn,
            actions=["sts:AssumeRoleWithSAML", "sts:SetSourceIdentity"],
            condition={"StringEquals": {"sts:SourceIdentity": "jdoe"}},
        ),
    )
    result = sign_in(idp, source_identity="jdoe")
    assert result["SourceIdentity"] == "jdoe"
    # The source identity sticks to the session, and to sessions chained from it.
    sts_mock.create_role(
        "Next",
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/Dev"},
                    "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
                }
            ],
        },
    )
    sts = boto3.client("sts", region_name="us-east-1", **credentials_of(result).as_boto3())
    chained = sts.assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/Next", RoleSessionName="next")
    assert chained["SourceIdentity"] == "jdoe"


@pytest.mark.parametrize("value", ["j", "aws:jdoe", "john doe"])
def test_source_identity_pattern(idp: SAMLProvider, value: str) -> None:
    assert aws_error(lambda: sign_in(idp, source_identity=value)) == (
        "InvalidIdentityToken",
        'Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"',
        400,
    )


def test_session_tags_become_principal_tags(sts_mock: MockSTS, idp: SAMLProvider) -> None:
    iam_client(sts_mock).put_role_policy(
        RoleName="Dev",
        PolicyName="team",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "s3:GetObject",
                        "Resource": "arn:aws:s3:::${aws:PrincipalTag/team}/*",
                    }
                ],
            }
        ),
    )
    result = sign_in(idp, tags={"team": "red", "cost-center": "42"})
    assert result["PackedPolicySize"] > 0
    credentials = credentials_of(result)
    assert sts_mock.evaluate(credentials, "s3:GetObject", "arn:aws:s3:::red/a").allowed
    assert not sts_mock.evaluate(credentials, "s3:GetObject", "arn:aws:s3:::blue/a").allowed


def test_session_tags_need_tag_session(sts_mock: MockSTS, idp: SAMLProvider) -> None:
    with_trust(sts_mock, saml_trust(idp.arn))
    assert aws_error(lambda: sign_in(idp, tags={"team": "red"})) == NOT_AUTHORIZED
    assert sign_in(idp)["Subject"] == "jdoe"


def test_request_tags_in_the_trust_policy(sts_mock: MockSTS, idp: SAMLProvider) -> None:
    with_trust(
        sts_mock,
        saml_trust(
            idp.arn,
            actions=["sts:AssumeRoleWithSAML", "sts:TagSession"],
            condition={
                "StringEquals": {"aws:RequestTag/team": "red"},
                "ForAllValues:StringEquals": {"sts:TransitiveTagKeys": ["team"]},
            },
        ),
    )
    assert sign_in(idp, tags={"team": "red"}, transitive_tag_keys=["team"])["Subject"] == "jdoe"
    assert aws_error(lambda: sign_in(idp, tags={"team": "blue"})) == NOT_AUTHORIZED


def test_transitive_tags_follow_a_chain(sts_mock: MockSTS, idp: SAMLProvider) -> None:
    sts_mock.create_role(
        "Next",
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/Dev"},
                    "Action": ["sts:AssumeRole", "sts:TagSession"],
                    "Condition": {"StringEquals": {"aws:RequestTag/team": "red"}},
                }
            ],
        },
    )
    result = sign_in(idp, tags={"team": "red", "desk": "4"}, transitive_tag_keys=["team"])
    sts = boto3.client("sts", region_name="us-east-1", **credentials_of(result).as_boto3())
    chained = sts.assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/Next", RoleSessionName="next")
    assert chained["AssumedRoleUser"]["Arn"].endswith("assumed-role/Next/next")
    # Passing the inherited transitive key again is refused, in any case.
    assert aws_error(
        lambda: sts.assume_role(
            RoleArn=f"arn:aws:iam::{ACCOUNT}:role/Next",
            RoleSessionName="next",
            Tags=[{"Key": "Team", "Value": "blue"}],
        )
    ) == (
        "InvalidParameterValue",
        "One of the specified transitive tag keys can't be set because it conflicts with a "
        "transitive tag key from the calling session.",
        400,
    )


def test_transitive_keys_must_be_tags(idp: SAMLProvider) -> None:
    assert aws_error(lambda: sign_in(idp, tags={"team": "red"}, transitive_tag_keys=["desk"])) == (
        "InvalidIdentityToken",
        "Transitive tag keys must be keys of the session tags.",
        400,
    )


BAD_TAG = (
    "InvalidIdentityToken",
    "The session tag {} in AuthnResponse must have one value, and its key and value must "
    "follow the rules of IAM tags.",
    400,
)


@pytest.mark.parametrize(
    ("key", "value"),
    [("aws:team", "red"), ("team*", "red"), ("x" * 129, "red"), ("team", "r" * 257), ("t", "a*")],
)
def test_bad_session_tags(idp: SAMLProvider, key: str, value: str) -> None:
    assert aws_error(lambda: sign_in(idp, tags={key: value})) == (
        BAD_TAG[0],
        BAD_TAG[1].format(key),
        400,
    )


def test_a_session_tag_with_two_values(idp: SAMLProvider) -> None:
    attributes = {ATTRIBUTE + "PrincipalTag:team": ["red", "blue"]}
    assert aws_error(lambda: sign_in(idp, attributes=attributes)) == (
        BAD_TAG[0],
        BAD_TAG[1].format("team"),
        400,
    )


def test_duplicate_session_tag_keys(idp: SAMLProvider) -> None:
    assert aws_error(lambda: sign_in(idp, tags={"team": "red", "Team": "blue"})) == (
        "InvalidIdentityToken",
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
        400,
    )


def test_at_most_fifty_session_tags(idp: SAMLProvider) -> None:
    assert sign_in(idp, tags={f"k{i}": "v" for i in range(50)})["PackedPolicySize"] > 0
    assert aws_error(lambda: sign_in(idp, tags={f"k{i}": "v" for i in range(51)})) == (
        "InvalidIdentityToken",
        "AuthnResponse carries 51 session tags; at most 50 are allowed.",
        400,
    )


def test_too_many_tags_for_the_packed_size(sts_mock: MockSTS, idp: SAMLProvider) -> None:
    sts_mock.packed_policy_size = lambda policy, arns, tags: 112
    assert aws_error(lambda: sign_in(idp, tags={"team": "red"})) == (
        "PackedPolicyTooLarge",
        "Packed size of session tags consumes 112% of allotted space.",
        400,
    )


# ---------------------------------------------------------------------------------------
# Trust conditions on saml:* keys


def test_saml_condition_keys(sts_mock: MockSTS, idp: SAMLProvider) -> None:
    qualifier = base64.b64encode(
        hashlib.sha1(f"{idp.entity_id}{ACCOUNT}/Corp".encode()).digest()
    ).decode()
    condition = {
        "StringEquals": {
            "saml:aud": "https://signin.aws.amazon.com/static/saml",
            "saml:iss": idp.entity_id,
            "saml:sub": "u-7f3c",
            "saml:sub_type": "persistent",
            "saml:namequalifier": qualifier,
            "saml:doc": f"{ACCOUNT}/Corp",
            "saml:edupersonprincipalname": "jdoe@example.edu",
            "saml:mail": "jdoe@example.edu",
        },
        "ForAnyValue:StringEquals": {"saml:edupersonaffiliation": "staff"},
        "ForAllValues:StringLike": {"saml:edupersonentitlement": "urn:example:*"},
    }
    with_trust(sts_mock, saml_trust(idp.arn, condition=condition))
    attributes = {
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.6": "jdoe@example.edu",
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["member", "staff"],
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.7": ["urn:example:a", "urn:example:b"],
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress": "jdoe@example.edu",
    }
    recipient = "https://signin.aws.amazon.com/static/saml"
    assert sign_in(idp, subject="u-7f3c", attributes=attributes, recipient=recipient)
    for changed in (
        {"subject": "u-0000"},
        {"recipient": SIGN_IN},  # saml:aud is the Recipient
        {"attributes": {**attributes, "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["member"]}},
        {"name_id_format": "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"},
    ):
        claims: dict[str, Any] = {
            "subject": "u-7f3c",
            "attributes": attributes,
            "recipient": recipient,
        }
        claims.update(changed)
        assert aws_error(functools.partial(sign_in, idp, **claims)) == NOT_AUTHORIZED


@pytest.mark.parametrize(
    ("attribute", "key", "value"),
    [
        ("urn:oid:2.5.4.3", "saml:cn", ["Jane Doe"]),
        ("http://schemas.xmlsoap.org/claims/CommonName", "saml:commonName", ["Jane"]),
        ("2.5.4.3", "saml:commonName", ["Jane"]),
        ("urn:oid:2.5.4.42", "saml:givenName", ["Jane"]),
        ("2.5.4.4", "saml:surname", ["Doe"]),
        ("urn:oid:0.9.2342.19200300.100.1.1", "saml:uid", ["jd"]),
        ("0.9.2342.19200300.100.1.45", "saml:organizationStatus", ["active"]),
        ("2.5.4.45", "saml:x500UniqueIdentifier", ["x5"]),
        (
            "http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid",
            "saml:primaryGroupSID",
            ["S-1-5-21-513"],
        ),
        ("urn:oid:1.3.6.1.4.1.5923.1.2.1.4", "saml:eduorglegalname", ["Example U"]),
        ("urn:oid:1.3.6.1.4.1.5923.1.1.1.3", "saml:edupersonorgdn", ["o=Example"]),
    ],
)
def test_attribute_keys(
    sts_mock: MockSTS, idp: SAMLProvider, attribute: str, key: str, value: list[str]
) -> None:
    condition = {"ForAnyValue:StringEquals": {key: value}}
    with_trust(sts_mock, saml_trust(idp.arn, condition=condition))
    assert sign_in(idp, attributes={attribute: value})["Subject"] == "jdoe"
    assert aws_error(lambda: sign_in(idp)) == NOT_AUTHORIZED


def test_one_claim_per_key_the_first_wins(sts_mock: MockSTS, idp: SAMLProvider) -> None:
    condition = {"StringEquals": {"saml:mail": "first@example.test"}}
    with_trust(sts_mock, saml_trust(idp.arn, condition=condition))
    attributes = {
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress": "first@example.test",
        "urn:oid:0.9.2342.19200300.100.1.3": "second@example.test",
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.2": [],  # an attribute without values maps to nothing
    }
    assert sign_in(idp, attributes=attributes)["Subject"] == "jdoe"


def test_saml_keys_that_outlive_the_call(sts_mock: MockSTS, idp: SAMLProvider) -> None:
    """saml:sub, saml:sub_type and saml:namequalifier survive into the session; saml:aud
    does not."""

    def next_role(name: str, condition: dict[str, Any]) -> str:
        statement = {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/Dev"},
            "Action": "sts:AssumeRole",
            "Condition": condition,
        }
        sts_mock.create_role(name, {"Version": "2012-10-17", "Statement": [statement]})
        return f"arn:aws:iam::{ACCOUNT}:role/{name}"

    sub = next_role("BySub", {"StringEquals": {"saml:sub": "u-7", "saml:sub_type": "persistent"}})
    fed = next_role(
        "ByProvider",
        {
            "StringEquals": {"aws:FederatedProvider": idp.arn},
            "Null": {"saml:namequalifier": "false"},
        },
    )
    aud = next_role("ByAudience", {"StringEquals": {"saml:aud": SIGN_IN}})
    credentials = credentials_of(sign_in(idp, subject="u-7"))
    sts = boto3.client("sts", region_name="us-east-1", **credentials.as_boto3())
    assert sts.assume_role(RoleArn=sub, RoleSessionName="ss")["AssumedRoleUser"]
    assert sts.assume_role(RoleArn=fed, RoleSessionName="ss")["AssumedRoleUser"]
    assert aws_error(lambda: sts.assume_role(RoleArn=aud, RoleSessionName="ss"))[0] == (
        "AccessDenied"
    )


def test_a_trust_policy_for_another_provider(sts_mock: MockSTS, idp: SAMLProvider) -> None:
    other = sts_mock.saml_provider("Other")
    with_trust(sts_mock, saml_trust(other.arn))
    assert aws_error(lambda: sign_in(idp)) == NOT_AUTHORIZED


def test_an_explicit_deny_wins(sts_mock: MockSTS, idp: SAMLProvider) -> None:
    trust = saml_trust(idp.arn)
    trust["Statement"].append(
        {
            "Effect": "Deny",
            "Principal": {"Federated": idp.arn},
            "Action": "sts:AssumeRoleWithSAML",
            "Condition": {"StringLike": {"saml:sub": "contractor-*"}},
        }
    )
    with_trust(sts_mock, trust)
    assert sign_in(idp, subject="employee-1")["Subject"] == "employee-1"
    assert aws_error(lambda: sign_in(idp, subject="contractor-1")) == NOT_AUTHORIZED


# ---------------------------------------------------------------------------------------
# Durations: min(DurationSeconds, SessionNotOnOrAfter, SessionDuration)


def expiration(idp: SAMLProvider, **claims: Any) -> dt.timedelta:
    with time_machine.travel(T0, tick=False):
        result = sign_in(idp, **claims)
    expires: dt.datetime = result["Credentials"]["Expiration"]
    return expires - T0


def test_durations(sts_mock: MockSTS, idp: SAMLProvider) -> None:
    iam_client(sts_mock).update_role(RoleName="Dev", MaxSessionDuration=7200)
    hour = dt.timedelta(hours=1)
    assert expiration(idp) == hour
    assert expiration(idp, DurationSeconds=7200) == 2 * hour
    assert expiration(idp, DurationSeconds=900) == dt.timedelta(minutes=15)
    assert aws_error(lambda: sign_in(idp, DurationSeconds=7201)) == ROLE_DURATION


def test_session_duration_only_shortens(idp: SAMLProvider) -> None:
    assert expiration(idp, duration=1800) == dt.timedelta(minutes=30)
    assert expiration(idp, duration=43200) == dt.timedelta(hours=1)
    assert expiration(idp, duration=1800, DurationSeconds=900) == dt.timedelta(minutes=15)


@pytest.mark.parametrize("value", ["899", "43201", "1h", "-1", ""])
def test_session_duration_range(idp: SAMLProvider, value: str) -> None:
    attributes = {ATTRIBUTE + "SessionDuration": value}
    assert aws_error(lambda: sign_in(idp, attributes=attributes)) == (
        "InvalidIdentityToken",
        "SessionDuration in AuthnResponse must be a number of seconds from 900 to 43200",
        400,
    )


def test_session_not_on_or_after_caps_the_session(idp: SAMLProvider) -> None:
    end = T0 + dt.timedelta(minutes=20, milliseconds=500)
    assert expiration(idp, session_not_on_or_after=end) == dt.timedelta(minutes=20)
    assert expiration(idp, session_not_on_or_after=end, duration=900) == dt.timedelta(minutes=15)
    later = T0 + dt.timedelta(hours=5)
    assert expiration(idp, session_not_on_or_after=later) == dt.timedelta(hours=1)


def test_a_session_that_already_ended(idp: SAMLProvider) -> None:
    with time_machine.travel(T0, tick=False):
        ended = T0 - dt.timedelta(seconds=1)
        assert aws_error(lambda: sign_in(idp, session_not_on_or_after=ended)) == EXPIRED


def test_credentials_expire(idp: SAMLProvider) -> None:
    with time_machine.travel(T0, tick=False):
        credentials = credentials_of(sign_in(idp, duration=900))
    sts = boto3.client("sts", region_name="us-east-1", **credentials.as_boto3())
    with time_machine.travel(T0 + dt.timedelta(minutes=14), tick=False):
        assert sts.get_caller_identity()["Arn"].endswith("/jdoe")
    with time_machine.travel(T0 + dt.timedelta(minutes=15), tick=False):
        assert aws_error(sts.get_caller_identity)[0] == "ExpiredToken"


# ---------------------------------------------------------------------------------------
# Validity windows and freshness


def test_redeemed_within_five_minutes(idp: SAMLProvider) -> None:
    later = T0 + dt.timedelta(hours=1)
    with time_machine.travel(T0, tick=False):
        saml_response = idp.response(ROLE_ARN, subject="jdoe", not_on_or_after=later)
    with time_machine.travel(T0 + dt.timedelta(minutes=5), tick=False):
        assert assume_with_saml(saml_response)["Subject"] == "jdoe"
    with time_machine.travel(T0 + dt.timedelta(minutes=5, seconds=1), tick=False):
        assert aws_error(lambda: assume_with_saml(saml_response)) == NOT_FRESH


def test_an_expired_response(idp: SAMLProvider) -> None:
    with time_machine.travel(T0, tick=False):
        saml_response = idp.response(ROLE_ARN, subject="jdoe")
    with time_machine.travel(T0 + dt.timedelta(minutes=5), tick=False):
        assert aws_error(lambda: assume_with_saml(saml_response)) == EXPIRED


def test_a_response_from_the_future(idp: SAMLProvider) -> None:
    with time_machine.travel(T0, tick=False):
        saml_response = idp.response(ROLE_ARN, subject="jdoe")
    with time_machine.travel(T0 - dt.timedelta(seconds=1), tick=False):
        assert aws_error(lambda: assume_with_saml(saml_response)) == NOT_YET_VALID


def test_an_issue_instant_in_the_future(sts_mock: MockSTS) -> None:
    register_user_idp(sts_mock)
    create_saml_role(sts_mock)
    with time_machine.travel(T0, tick=False):
        element = assertion(issued=T0 - dt.timedelta(minutes=1))
        element.set("IssueInstant", "2025-03-04T10:00:01Z")
        assert aws_error(lambda: assume_with_saml(encode(response(sign(element))))) == NOT_YET_VALID


def test_times_with_zones_and_fractions(sts_mock: MockSTS) -> None:
    register_user_idp(sts_mock)
    create_saml_role(sts_mock)

    def signed(not_on_or_after: str) -> str:
        element = assertion()
        element.set("IssueInstant", "2025-03-04T11:59:59.9999999+02:00")
        data = element.find(f"{{{SAML}}}Subject/{{{SAML}}}SubjectConfirmation")[0]
        data.set("NotOnOrAfter", not_on_or_after)
        data.set("NotBefore", "2025-03-04T10:00:00")  # no zone: UTC
        return encode(response(sign(element)))

    with time_machine.travel(T0, tick=False):
        assert assume_with_saml(signed("2025-03-04T05:01:00-05:00"))["Subject"] == "jdoe"
        assert aws_error(lambda: assume_with_saml(signed("2025-03-04T04:59:59-05:00"))) == EXPIRED


@pytest.mark.parametrize("value", ["yesterday", "2025-13-04T10:00:00Z", "2025-03-04 10:00:00Z"])
def test_unreadable_times(sts_mock: MockSTS, value: str) -> None:
    register_user_idp(sts_mock)
    create_saml_role(sts_mock)
    element = assertion()
    element.set("IssueInstant", value)
    assert aws_error(lambda: assume_with_saml(encode(response(sign(element))))) == MALFORMED


# ---------------------------------------------------------------------------------------
# Session policies


def test_session_policies(sts_mock: MockSTS, idp: SAMLProvider) -> None:
    policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
        }
    )
    iam_client(sts_mock).attach_role_policy(
        RoleName="Dev", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"
    )
    result = sign_in(idp, Policy=policy)
    assert result["PackedPolicySize"] > 0
    credentials = credentials_of(result)
    assert sts_mock.evaluate(credentials, "s3:GetObject", "arn:aws:s3:::b/k").allowed
    assert not sts_mock.evaluate(credentials, "s3:PutObject", "arn:aws:s3:::b/k").allowed
    assert aws_error(lambda: sign_in(idp, Policy="{not json"))[0] == "MalformedPolicyDocument"


# ---------------------------------------------------------------------------------------
# Encrypted assertions and the provider's encryption mode


def test_encrypted_assertions_are_not_decrypted(sts_mock: MockSTS) -> None:
    register_user_idp(sts_mock)
    create_saml_role(sts_mock)
    encrypted = etree_element(f'<saml:EncryptedAssertion xmlns:saml="{SAML}"/>')
    assert aws_error(lambda: assume_with_saml(encode(response(encrypted)))) == (
        "InvalidIdentityToken",
        "mock_sts does not decrypt EncryptedAssertion: send the assertion unencrypted",
        400,
    )


def test_a_provider_that_requires_encryption(sts_mock: MockSTS, idp: SAMLProvider) -> None:
    iam_client(sts_mock).update_saml_provider(
        SAMLProviderArn=idp.arn, AssertionEncryptionMode="Required"
    )
    assert aws_error(lambda: sign_in(idp)) == (
        "InvalidIdentityToken",
        "The SAML provider requires encrypted assertions, and this assertion is not encrypted",
        400,
    )


def etree_element(text: str) -> Any:
    from lxml import etree

    return etree.fromstring(text)


# ---------------------------------------------------------------------------------------
# The handle


def test_the_handle(sts_mock: MockSTS) -> None:
    provider = sts_mock.saml_provider("Corp", account_id="111111111111", entity_id="urn:corp")
    assert provider.arn == "arn:aws:iam::111111111111:saml-provider/Corp"
    assert provider.entity_id == "urn:corp"
    assert 'entityID="urn:corp"' in provider.metadata_xml
    assert "metadata_xml" not in repr(provider)
    assert provider.name == "Corp"
    with pytest.raises(ValueError, match="sign must be one of assertion, response, both"):
        provider.response(ROLE_ARN, subject="jdoe", sign="neither")
    with pytest.raises(
        TypeError,
        match=r"response\(\) got unknown option\(s\) 'session'; the options are session_name, ",
    ):
        provider.response(ROLE_ARN, subject="jdoe", session="x")  # type: ignore[call-arg]
    with pytest.raises(ClientError) as error:
        sts_mock.saml_provider("not a name")
    assert error.value.response["Error"]["Code"] == "ValidationError"
    with pytest.raises(ClientError) as error:
        sts_mock.saml_provider("Corp", account_id="111111111111")
    assert error.value.response["Error"]["Code"] == "EntityAlreadyExists"


def test_fake_idp_metadata_registers_through_iam(sts_mock: MockSTS) -> None:
    """The fake IdP's metadata is ordinary metadata: IAM takes it in any account."""
    provider = sts_mock.saml_provider("Corp")
    iam = iam_client(sts_mock, "222222222222")
    arn = iam.create_saml_provider(Name="Corp", SAMLMetadataDocument=provider.metadata_xml)[
        "SAMLProviderArn"
    ]
    trust = saml_trust(arn)
    create_saml_role(sts_mock, trust=trust, account_id="222222222222")
    role = "arn:aws:iam::222222222222:role/Dev"
    saml_response = provider.response(role, subject="jdoe")
    # The Role attribute names the provider of the default account, not this one.
    assert aws_error(lambda: assume_with_saml(saml_response, role_arn=role, PrincipalArn=arn)) == (
        NOT_AUTHORIZED
    )


def test_a_failed_call_changes_nothing(sts_mock: MockSTS, idp: SAMLProvider) -> None:
    iam = iam_client(sts_mock)
    before = iam.get_role(RoleName="Dev")["Role"].get("RoleLastUsed")
    sessions = len(sts_mock._require_backend().sessions)
    assert aws_error(lambda: sign_in(idp, tags={"team": "red", "Team": "x"}))[0] == (
        "InvalidIdentityToken"
    )
    assert aws_error(lambda: assume_with_saml("bm90IHhtbA==")) == MALFORMED
    assert iam.get_role(RoleName="Dev")["Role"].get("RoleLastUsed") == before
    assert len(sts_mock._require_backend().sessions) == sessions
    with time_machine.travel(T0, tick=False):
        sign_in(idp)
    assert iam.get_role(RoleName="Dev")["Role"]["RoleLastUsed"]["LastUsedDate"] == T0


def test_metadata_helper_is_metadata(sts_mock: MockSTS) -> None:
    iam = iam_client(sts_mock)
    arn = iam.create_saml_provider(Name="NoUse", SAMLMetadataDocument=metadata(use=None))[
        "SAMLProviderArn"
    ]
    assert arn.endswith("saml-provider/NoUse")
