"""The fake SAML IdP: its signing key and metadata, and the signed SAMLResponses it posts to
AWS for a test (``SAMLProvider.response``).

Signatures are made by signxml (exclusive c14n, as IdPs sign), never by hand.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import secrets
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from lxml import etree

from mock_sts._federation.saml import (
    BEARER,
    DS,
    EXCLUSIVE_C14N,
    FRESHNESS,
    MD,
    PERSISTENT,
    PRINCIPAL_TAG,
    ROLE,
    ROLE_SESSION_NAME,
    SAML,
    SAMLP,
    SESSION_DURATION,
    SIGN_IN,
    SOURCE_IDENTITY,
    SUCCESS,
    TRANSITIVE_TAG_KEYS,
    write_instant,
)
from mock_sts._state import now

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from cryptography.x509 import Certificate

_idp_lock = threading.Lock()


@functools.cache
def _new_signing_key() -> tuple[RSAPrivateKey, Certificate]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mock_sts SAML IdP")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))
        .not_valid_after(dt.datetime(2200, 1, 1, tzinfo=dt.timezone.utc))
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def signing_key() -> tuple[RSAPrivateKey, Certificate]:
    """The fake IdP's key and self-signed certificate: made once per process (RSA key
    generation is slow), shared by every fake provider."""
    with _idp_lock:
        return _new_signing_key()


def metadata_xml(entity_id: str) -> str:
    """The fake IdP's metadata, as an IdP publishes it for IAM's CreateSAMLProvider."""
    from cryptography.hazmat.primitives.serialization import Encoding

    certificate = base64.b64encode(signing_key()[1].public_bytes(Encoding.DER)).decode()
    root = etree.Element(f"{{{MD}}}EntityDescriptor", nsmap={"md": MD}, entityID=entity_id)
    idp = etree.SubElement(
        root,
        f"{{{MD}}}IDPSSODescriptor",
        WantAuthnRequestsSigned="false",
        protocolSupportEnumeration=SAMLP,
    )
    descriptor = etree.SubElement(idp, f"{{{MD}}}KeyDescriptor", use="signing")
    key_info = etree.SubElement(descriptor, f"{{{DS}}}KeyInfo", nsmap={"ds": DS})
    x509_data = etree.SubElement(key_info, f"{{{DS}}}X509Data")
    etree.SubElement(x509_data, f"{{{DS}}}X509Certificate").text = certificate
    etree.SubElement(idp, f"{{{MD}}}NameIDFormat").text = PERSISTENT
    etree.SubElement(
        idp,
        f"{{{MD}}}SingleSignOnService",
        Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
        Location=f"{entity_id.rstrip('/')}/sso",
    )
    text: str = etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode()
    return text


class ResponseOptions(TypedDict, total=False):
    """What a test may choose in a fake IdP's SAMLResponse: ``SAMLProvider.response``'s and
    the control API's options, declared here only."""

    session_name: str | None  # the RoleSessionName attribute (default: the subject)
    duration: int | None  # the SessionDuration attribute
    tags: Mapping[str, str] | None  # PrincipalTag:<key> attributes
    transitive_tag_keys: Sequence[str]
    source_identity: str | None
    audience: str | None  # default: AWS's sign-in endpoint, SIGN_IN
    recipient: str | None  # default: SIGN_IN
    not_on_or_after: dt.datetime | None  # the assertion's end (default: in 5 minutes)
    session_not_on_or_after: dt.datetime | None  # the IdP's cap on the session
    attributes: Mapping[str, str | Sequence[str]] | None  # any attribute, by name
    name_id_format: str  # default: PERSISTENT
    sign: str  # one of SIGN_CHOICES (default: "assertion")


SIGN_CHOICES = ("assertion", "response", "both")


@dataclass(frozen=True)
class ResponseClaims:
    """What the fake IdP asserts about a user: who signs in to which role, as ``options``
    shape it."""

    entity_id: str
    provider_arn: str
    role_arn: str
    subject: str
    options: ResponseOptions


def build_response(claims: ResponseClaims) -> str:
    """A base64 SAMLResponse, signed by the fake IdP as the ``sign`` option says."""
    options = claims.options
    unknown = sorted(options.keys() - ResponseOptions.__annotations__.keys())
    if unknown:
        raise TypeError(
            f"response() got unknown option(s) {', '.join(map(repr, unknown))}; the options "
            f"are {', '.join(ResponseOptions.__annotations__)}."
        )
    signed = options.get("sign", "assertion")
    if signed not in SIGN_CHOICES:
        raise ValueError(f"sign must be one of {', '.join(SIGN_CHOICES)}, got {signed!r}.")
    issued = now()
    expires = options.get("not_on_or_after") or issued + FRESHNESS
    recipient = options.get("recipient") or SIGN_IN
    assertion = _assertion_element(claims, issued, expires, recipient)
    if signed in ("assertion", "both"):
        assertion = sign(assertion)
    response = etree.Element(
        f"{{{SAMLP}}}Response",
        nsmap={"samlp": SAMLP, "saml": SAML},
        ID=_new_id(),
        Version="2.0",
        IssueInstant=write_instant(issued),
        Destination=recipient,
    )
    etree.SubElement(response, f"{{{SAML}}}Issuer").text = claims.entity_id
    status = etree.SubElement(response, f"{{{SAMLP}}}Status")
    etree.SubElement(status, f"{{{SAMLP}}}StatusCode", Value=SUCCESS)
    response.append(assertion)
    if signed in ("response", "both"):
        response = sign(response)
    return base64.b64encode(etree.tostring(response)).decode()


def sign(element: Any) -> Any:
    """``element`` with the fake IdP's enveloped signature (RSA-SHA256, exclusive c14n)
    placed after its Issuer, as SAML's schema wants it."""
    from signxml.signer import XMLSigner

    key, certificate = signing_key()
    placeholder = etree.Element(f"{{{DS}}}Signature", nsmap={"ds": DS}, Id="placeholder")
    element.insert(1, placeholder)
    signer = XMLSigner(c14n_algorithm=EXCLUSIVE_C14N)
    return signer.sign(element, key=key, cert=[certificate], reference_uri=f"#{element.get('ID')}")


def _new_id() -> str:
    return "_" + secrets.token_hex(16)


def _assertion_element(
    claims: ResponseClaims, issued: dt.datetime, expires: dt.datetime, recipient: str
) -> Any:
    options = claims.options
    assertion = etree.Element(
        f"{{{SAML}}}Assertion",
        nsmap={"saml": SAML},
        ID=_new_id(),
        Version="2.0",
        IssueInstant=write_instant(issued),
    )
    etree.SubElement(assertion, f"{{{SAML}}}Issuer").text = claims.entity_id
    subject = etree.SubElement(assertion, f"{{{SAML}}}Subject")
    name_format = options.get("name_id_format", PERSISTENT)
    name_id = etree.SubElement(subject, f"{{{SAML}}}NameID", Format=name_format)
    name_id.text = claims.subject
    confirmation = etree.SubElement(subject, f"{{{SAML}}}SubjectConfirmation", Method=BEARER)
    etree.SubElement(
        confirmation,
        f"{{{SAML}}}SubjectConfirmationData",
        NotOnOrAfter=write_instant(expires),
        Recipient=recipient,
    )
    conditions = etree.SubElement(
        assertion,
        f"{{{SAML}}}Conditions",
        NotBefore=write_instant(issued),
        NotOnOrAfter=write_instant(expires),
    )
    restriction = etree.SubElement(conditions, f"{{{SAML}}}AudienceRestriction")
    etree.SubElement(restriction, f"{{{SAML}}}Audience").text = options.get("audience") or SIGN_IN
    authn = etree.SubElement(
        assertion, f"{{{SAML}}}AuthnStatement", AuthnInstant=write_instant(issued)
    )
    session_end = options.get("session_not_on_or_after")
    if session_end is not None:
        authn.set("SessionNotOnOrAfter", write_instant(session_end))
    context = etree.SubElement(authn, f"{{{SAML}}}AuthnContext")
    etree.SubElement(
        context, f"{{{SAML}}}AuthnContextClassRef"
    ).text = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
    statement = etree.SubElement(assertion, f"{{{SAML}}}AttributeStatement")
    for name, values in _attributes(claims):
        attribute = etree.SubElement(statement, f"{{{SAML}}}Attribute", Name=name)
        for value in values:
            etree.SubElement(attribute, f"{{{SAML}}}AttributeValue").text = value
    return assertion


def _attributes(claims: ResponseClaims) -> Iterable[tuple[str, Sequence[str]]]:
    options = claims.options
    yield ROLE, [f"{claims.role_arn},{claims.provider_arn}"]
    yield ROLE_SESSION_NAME, [options.get("session_name") or claims.subject]
    duration = options.get("duration")
    if duration is not None:
        yield SESSION_DURATION, [str(duration)]
    source_identity = options.get("source_identity")
    if source_identity is not None:
        yield SOURCE_IDENTITY, [source_identity]
    for key, value in (options.get("tags") or {}).items():
        yield PRINCIPAL_TAG + key, [value]
    transitive = options.get("transitive_tag_keys", ())
    if transitive:
        yield TRANSITIVE_TAG_KEYS, list(transitive)
    for name, values in (options.get("attributes") or {}).items():
        yield name, [values] if isinstance(values, str) else list(values)
