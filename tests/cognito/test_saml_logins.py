"""SAML logins of identity pools: a response of one of the pool's SAML providers, checked as
STS checks one, whose Role attribute offers the roles the identity may get."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_sts import MockSTS, SAMLProvider
from tests.helpers.cognito import client_of, cognito, pool_trust

ROLE_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/Role"


@pytest.fixture
def idp(sts_mock: MockSTS) -> SAMLProvider:
    return sts_mock.saml_provider("Corp")


@pytest.fixture
def pool_id(sts_mock: MockSTS, idp: SAMLProvider) -> str:
    created = cognito().create_identity_pool(
        IdentityPoolName="corp", AllowUnauthenticatedIdentities=False, SamlProviderARNs=[idp.arn]
    )
    pool_id: str = created["IdentityPoolId"]
    for name in ("engineers", "auditors"):
        sts_mock.create_role(name, pool_trust(pool_id))
    return pool_id


def sign_in(pool_id: str, logins: dict[str, str], **extra: Any) -> str:
    identity = cognito().get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
    answer = cognito().get_credentials_for_identity(IdentityId=identity, Logins=logins, **extra)
    arn: str = client_of("sts", answer).get_caller_identity()["Arn"]
    return arn.split("/")[1]


def role(name: str) -> str:
    return f"arn:aws:iam::123456789012:role/{name}"


def test_the_role_the_assertion_offers(pool_id: str, idp: SAMLProvider) -> None:
    logins = {idp.arn: idp.response(role("engineers"), subject="jdoe")}
    assert sign_in(pool_id, logins) == "engineers"
    assert sign_in(pool_id, logins, CustomRoleArn=role("engineers")) == "engineers"
    # The same user is the same identity.
    again = {idp.arn: idp.response(role("engineers"), subject="jdoe")}
    first = cognito().get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
    assert cognito().get_id(IdentityPoolId=pool_id, Logins=again)["IdentityId"] == first


def test_several_roles_need_a_custom_role(pool_id: str, idp: SAMLProvider) -> None:
    both = [f"{role('engineers')},{idp.arn}", f"{idp.arn},{role('auditors')}"]
    response = idp.response(role("engineers"), subject="jdoe", attributes={ROLE_ATTRIBUTE: both})
    logins = {idp.arn: response}
    assert sign_in(pool_id, logins, CustomRoleArn=role("auditors")) == "auditors"
    with pytest.raises(ClientError) as raised:
        sign_in(pool_id, logins)
    assert raised.value.response["Error"]["Code"] == "NotAuthorizedException"
    assert raised.value.response["Error"]["Message"] == (
        f"The ambiguous role mapping rules for: {idp.arn} denied this request."
    )
    with pytest.raises(ClientError) as raised:
        sign_in(pool_id, logins, CustomRoleArn=role("admins"))
    assert raised.value.response["Error"]["Message"] == (
        f"Role '{role('admins')}' is not one of the roles this identity may assume."
    )


def test_a_response_that_does_not_verify(
    sts_mock: MockSTS, pool_id: str, idp: SAMLProvider
) -> None:
    other = sts_mock.saml_provider("Other")
    forged = other.response(role("engineers"), subject="jdoe")
    with pytest.raises(ClientError) as raised:
        cognito().get_id(IdentityPoolId=pool_id, Logins={idp.arn: forged})
    error = raised.value.response["Error"]
    assert (error["Code"], error["Message"]) == (
        "NotAuthorizedException",
        "Issuer not present in specified provider",
    )
    assert sts_mock.calls[-1].reason
