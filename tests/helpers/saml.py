"""Set-up shared by the SAML tests: an IdP the test runs itself, and its responses.

The IdP here has its own keys, generated independently of mock_sts's fake IdP, and signs
with signxml as real IdPs sign (enveloped, exclusive c14n, RSA-SHA256). Responses are lxml
trees so that attack tests can reshape them after signing.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
from collections.abc import Mapping, Sequence
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml.signer import XMLSigner

from tests.helpers import unsigned_sts
from tests.helpers.assume_role import iam_client
from tests.helpers.web_identity import web_trust

SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
DS = "http://www.w3.org/2000/09/xmldsig#"
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
SIGN_IN = "https://signin.aws.amazon.com/saml"
ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/"

ACCOUNT = "123456789012"
UTC = dt.timezone.utc
T0 = dt.datetime(2025, 3, 4, 10, 0, 0, tzinfo=UTC)
ENTITY_ID = "https://idp.example.test/saml"
PROVIDER_NAME = "Corp"
PROVIDER_ARN = f"arn:aws:iam::{ACCOUNT}:saml-provider/{PROVIDER_NAME}"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/Dev"

# AWS's errors for refused assertions (STS_REFERENCE §8.2).
BAD_SIGNATURE = ("InvalidIdentityToken", "Response signature invalid", 400)
MALFORMED = ("InvalidIdentityToken", "Your request included an invalid SAML response.", 400)
NOT_AUTHORIZED = ("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", 403)
EXPIRED = ("ExpiredTokenException", "Response has expired", 400)
NOT_FRESH = ("ExpiredTokenException", "Token must be redeemed within 5 minutes of issuance", 400)
NOT_YET_VALID = ("InvalidIdentityToken", "Response is not yet valid", 400)
WRONG_AUDIENCE = (
    "InvalidIdentityToken",
    "Response does not contain the required audience.",
    400,
)
WRONG_RECIPIENT = (
    "InvalidIdentityToken",
    "Response does not contain the required recipient.",
    400,
)
WRONG_ISSUER = ("InvalidIdentityToken", "Issuer not present in specified provider", 400)
UNKNOWN_PROVIDER = ("InvalidIdentityToken", "Specified provider doesn't exist.", 400)


@functools.cache
def key_pair(label: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """An RSA key and self-signed certificate of an IdP, one per label, made on first use."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"test IdP {label}")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime(2020, 1, 1, tzinfo=UTC))
        .not_valid_after(dt.datetime(2021, 1, 1, tzinfo=UTC))  # long expired: IAM does not care
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def certificate_text(label: str) -> str:
    return base64.b64encode(key_pair(label)[1].public_bytes(Encoding.DER)).decode()


def metadata(entity_id: str = ENTITY_ID, *labels: str, use: str | None = "signing") -> str:
    """IdP metadata with the signing certificates of the given key labels (default "user")."""
    use_attribute = f' use="{use}"' if use is not None else ""
    descriptors = "".join(
        f'<md:KeyDescriptor{use_attribute}><ds:KeyInfo xmlns:ds="{DS}"><ds:X509Data>'
        f"<ds:X509Certificate>{certificate_text(label)}</ds:X509Certificate>"
        "</ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
        for label in labels or ("user",)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<md:EntityDescriptor xmlns:md="{MD}" '
        f'entityID="{entity_id}"><md:IDPSSODescriptor protocolSupportEnumeration="{SAMLP}">'
        f"{descriptors}<md:SingleSignOnService "
        'Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" '
        f'Location="{entity_id}/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>'
    )


def instant(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now() -> dt.datetime:
    return dt.datetime.now(UTC)


def assertion(
    *,
    role_arn: str = ROLE_ARN,
    provider_arn: str = PROVIDER_ARN,
    entity_id: str = ENTITY_ID,
    subject: str = "jdoe",
    name_id_format: str | None = PERSISTENT,
    issued: dt.datetime | None = None,
    expires: dt.datetime | None = None,
    recipient: str = SIGN_IN,
    audience: str = SIGN_IN,
    session_name: str | None = "jdoe",
    attributes: Mapping[str, Sequence[str]] | None = None,
    session_end: dt.datetime | None = None,
    assertion_id: str = "_assertion-1",
) -> Any:
    """A SAML assertion as IdPs write one for AWS (unsigned)."""
    issued = issued or now()
    expires = expires or issued + dt.timedelta(minutes=5)
    name_format = f' Format="{name_id_format}"' if name_id_format is not None else ""
    values: dict[str, Sequence[str]] = {ATTRIBUTE + "Role": [f"{role_arn},{provider_arn}"]}
    if session_name is not None:
        values[ATTRIBUTE + "RoleSessionName"] = [session_name]
    values.update(attributes or {})
    statement = "".join(
        f'<saml:Attribute Name="{name}">'
        + "".join(f"<saml:AttributeValue>{value}</saml:AttributeValue>" for value in vs)
        + "</saml:Attribute>"
        for name, vs in values.items()
    )
    session_limit = f' SessionNotOnOrAfter="{instant(session_end)}"' if session_end else ""
    text = (
        f'<saml:Assertion xmlns:saml="{SAML}" ID="{assertion_id}" Version="2.0" '
        f'IssueInstant="{instant(issued)}"><saml:Issuer>{entity_id}</saml:Issuer>'
        f"<saml:Subject><saml:NameID{name_format}>{subject}</saml:NameID>"
        '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        f'<saml:SubjectConfirmationData NotOnOrAfter="{instant(expires)}" '
        f'Recipient="{recipient}"/></saml:SubjectConfirmation></saml:Subject>'
        f'<saml:Conditions NotBefore="{instant(issued)}" NotOnOrAfter="{instant(expires)}">'
        f"<saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience>"
        "</saml:AudienceRestriction></saml:Conditions>"
        f'<saml:AuthnStatement AuthnInstant="{instant(issued)}"{session_limit}>'
        "<saml:AuthnContext><saml:AuthnContextClassRef>"
        "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
        "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"
        f"<saml:AttributeStatement>{statement}</saml:AttributeStatement></saml:Assertion>"
    )
    return etree.fromstring(text)


def response(
    content: Any,
    *,
    entity_id: str | None = ENTITY_ID,
    status: str = SUCCESS,
    response_id: str = "_response-1",
) -> Any:
    """A samlp:Response around an assertion (or any element)."""
    issuer = f"<saml:Issuer>{entity_id}</saml:Issuer>" if entity_id is not None else ""
    root = etree.fromstring(
        f'<samlp:Response xmlns:samlp="{SAMLP}" xmlns:saml="{SAML}" ID="{response_id}" '
        f'Version="2.0" IssueInstant="{instant(now())}" Destination="{SIGN_IN}">{issuer}'
        f'<samlp:Status><samlp:StatusCode Value="{status}"/></samlp:Status></samlp:Response>'
    )
    root.append(content)
    return root


def sign(element: Any, label: str = "user", **options: Any) -> Any:
    """``element`` signed by the test IdP ``label`` (enveloped, exclusive c14n), with the
    signature after its Issuer, where SAML's schema puts it."""
    key, certificate = key_pair(label)
    placeholder = etree.Element(f"{{{DS}}}Signature", nsmap={"ds": DS}, Id="placeholder")
    element.insert(1 if element.find(f"{{{SAML}}}Issuer") is not None else 0, placeholder)
    signer = XMLSigner(
        c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#",
        **options,
    )
    return signer.sign(element, key=key, cert=[certificate], reference_uri=f"#{element.get('ID')}")


def encode(element: Any) -> str:
    return base64.b64encode(etree.tostring(element)).decode()


def signed_response(**claims: Any) -> str:
    """A response whose assertion the test IdP signed (as ADFS does)."""
    return encode(response(sign(assertion(**claims))))


def saml_trust(
    provider_arn: str = PROVIDER_ARN,
    *,
    actions: Sequence[str] = ("sts:AssumeRoleWithSAML",),
    condition: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A trust policy letting assertions of ``provider_arn`` assume the role."""
    return web_trust(provider_arn, condition, list(actions))


def register_user_idp(
    sts_mock: Any,
    *,
    name: str = PROVIDER_NAME,
    entity_id: str = ENTITY_ID,
    labels: Sequence[str] = ("user",),
    account_id: str = ACCOUNT,
) -> str:
    """The test IdP registered with IAM CreateSAMLProvider, as a user does; its ARN."""
    iam = iam_client(sts_mock, account_id)
    result = iam.create_saml_provider(Name=name, SAMLMetadataDocument=metadata(entity_id, *labels))
    arn: str = result["SAMLProviderArn"]
    return arn


def create_saml_role(
    sts_mock: Any,
    name: str = "Dev",
    trust: Mapping[str, Any] | None = None,
    *,
    account_id: str = ACCOUNT,
    **extra: Any,
) -> str:
    iam = iam_client(sts_mock, account_id)
    arn: str = iam.create_role(
        RoleName=name,
        AssumeRolePolicyDocument=json.dumps(trust or saml_trust()),
        **extra,
    )["Role"]["Arn"]
    return arn


def assume_with_saml(saml_response: str, *, role_arn: str = ROLE_ARN, **params: Any) -> Any:
    params.setdefault("PrincipalArn", PROVIDER_ARN)
    return unsigned_sts().assume_role_with_saml(
        RoleArn=role_arn, SAMLAssertion=saml_response, **params
    )
