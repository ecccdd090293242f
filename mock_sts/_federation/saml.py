"""SAML federation: the checks AWS makes of a SAMLResponse before AssumeRoleWithSAML issues
credentials (STS_REFERENCE §8), IdP metadata as IAM reads it, and SAML's vocabulary (the fake
IdP, in ``saml_idp``, writes what this module reads).

XML signatures are verified by signxml, never by hand. Every claim is read from
the subtree signxml returns as signed, so an unsigned copy elsewhere in the document (XML
signature wrapping) is never read. Parsing refuses DTDs and entities and never touches
the network or the file system.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from lxml import etree

from mock_sts import _messages
from mock_sts._federation import FederatedClaims
from mock_sts._operation import explained
from mock_sts._policy import ConditionValue, Principal
from mock_sts._providers import SAMLProvider
from mock_sts._sessions import (
    SESSION_TAGS_MAX,
    SessionTagError,
    TagProblem,
    session_tags,
    valid_source_identity,
)
from mock_sts._state import Backend, now, whole_seconds
from mock_sts._wire import AWSError, access_denied, fits

if TYPE_CHECKING:
    from cryptography.x509 import Certificate
    from signxml.verifier import VerifyResult

SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
NAME_ID_FORMAT = "urn:oasis:names:tc:SAML:2.0:nameid-format:"
PERSISTENT = NAME_ID_FORMAT + "persistent"
BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
EXCLUSIVE_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
SIGN_IN = "https://signin.aws.amazon.com/saml"

ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/"
ROLE = ATTRIBUTE + "Role"
ROLE_SESSION_NAME = ATTRIBUTE + "RoleSessionName"
SESSION_DURATION = ATTRIBUTE + "SessionDuration"
SOURCE_IDENTITY = ATTRIBUTE + "SourceIdentity"
PRINCIPAL_TAG = ATTRIBUTE + "PrincipalTag:"
TRANSITIVE_TAG_KEYS = ATTRIBUTE + "TransitiveTagKeys"

ACTION = "sts:AssumeRoleWithSAML"
FRESHNESS = dt.timedelta(minutes=5)
SESSION_DURATION_RANGE = (900, 43200)
MIN_RSA_BITS = 1024

# AWS's sign-in endpoints per partition: Recipient and Audience must name one of them.
_SIGN_IN_HOSTS = {
    "aws": "signin.aws.amazon.com",
    "aws-cn": "signin.amazonaws.cn",
    "aws-us-gov": "signin.amazonaws-us-gov.com",
}
# The audience AWS documents besides its endpoints (ADFS and Keycloak send it).
_AWS_URN = "urn:amazon:webservices"

_PROVIDER_ARN = re.compile(r"arn:([a-z0-9-]+):iam::(\d{12}):saml-provider/([\w.-]+)")
_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?"
)
_MARKUP_DECLARATION = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# Attributes that become saml:* condition keys, by attribute Name (IAM User Guide, "Mapping
# SAML attributes to AWS trust policy context keys"). A key in _SINGLE_VALUED holds one
# string; the others hold every value.
_ATTRIBUTE_KEYS: Mapping[str, str] = {
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": "saml:edupersonaffiliation",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.2": "saml:edupersonnickname",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.3": "saml:edupersonorgdn",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.4": "saml:edupersonorgunitdn",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.5": "saml:edupersonprimaryaffiliation",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.6": "saml:edupersonprincipalname",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.7": "saml:edupersonentitlement",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.8": "saml:edupersonprimaryorgunitdn",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.9": "saml:edupersonscopedaffiliation",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.10": "saml:edupersontargetedid",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.11": "saml:edupersonassurance",
    "urn:oid:1.3.6.1.4.1.5923.1.2.1.2": "saml:eduorghomepageuri",
    "urn:oid:1.3.6.1.4.1.5923.1.2.1.3": "saml:eduorgidentityauthnpolicyuri",
    "urn:oid:1.3.6.1.4.1.5923.1.2.1.4": "saml:eduorglegalname",
    "urn:oid:1.3.6.1.4.1.5923.1.2.1.5": "saml:eduorgsuperioruri",
    "urn:oid:1.3.6.1.4.1.5923.1.2.1.6": "saml:eduorgwhitepagesuri",
    "urn:oid:2.5.4.3": "saml:cn",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name": "saml:name",
    "http://schemas.xmlsoap.org/claims/CommonName": "saml:commonName",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname": "saml:givenName",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname": "saml:surname",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress": "saml:mail",
    # The guide's table maps this claim to uid, which leaves saml:primaryGroupSID, a key
    # it documents, without a source; its name says where it belongs.
    "http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid": (
        "saml:primaryGroupSID"
    ),
    # X.500 attributes, which the guide lists as bare OIDs.
    "2.5.4.3": "saml:commonName",
    "2.5.4.4": "saml:surname",
    "2.5.4.42": "saml:givenName",
    "2.5.4.45": "saml:x500UniqueIdentifier",
    "0.9.2342.19200300.100.1.1": "saml:uid",
    "0.9.2342.19200300.100.1.3": "saml:mail",
    "0.9.2342.19200300.100.1.45": "saml:organizationStatus",
    "urn:oid:2.5.4.4": "saml:surname",
    "urn:oid:2.5.4.42": "saml:givenName",
    "urn:oid:2.5.4.45": "saml:x500UniqueIdentifier",
    "urn:oid:0.9.2342.19200300.100.1.1": "saml:uid",
    "urn:oid:0.9.2342.19200300.100.1.3": "saml:mail",
    "urn:oid:0.9.2342.19200300.100.1.45": "saml:organizationStatus",
}
_SINGLE_VALUED = frozenset(
    {
        "saml:edupersonorgdn",
        "saml:edupersonprimaryaffiliation",
        "saml:edupersonprimaryorgunitdn",
        "saml:edupersonprincipalname",
    }
)
# The keys that later requests of the session still carry.
_SESSION_KEYS = ("saml:namequalifier", "saml:sub", "saml:sub_type")


def _invalid(message: str, reason: str = "") -> AWSError:
    return AWSError("InvalidIdentityToken", message, 400, reason=reason)


def _expired(message: str) -> AWSError:
    return AWSError("ExpiredTokenException", message, 400)


# ---------------------------------------------------------------------------------------
# Safe XML


class _Unreadable(Exception):
    """A document that is not well-formed XML, or that declares a DTD or entities."""


def _parse_xml(document: bytes) -> Any:
    """The root element of a UTF-8 document, refusing DTDs, entities and network access."""
    try:
        text = document.decode("utf-8")
    except UnicodeDecodeError:
        raise _Unreadable("not UTF-8") from None
    # A DOCTYPE is refused before the parser sees it: nothing is expanded or fetched.
    if _MARKUP_DECLARATION.search(text):
        raise _Unreadable("DTDs and entities are refused")
    # A parser per document: lxml parsers must not be shared between threads. It reads
    # UTF-8 whatever the XML declaration says, so it sees the text checked above (a
    # DOCTYPE in UTF-7, "+ADw-!DOCTYPE", would otherwise slip past that check).
    parser = etree.XMLParser(
        encoding="utf-8",
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=False,
    )
    try:
        return etree.fromstring(document, parser)
    except (etree.XMLSyntaxError, ValueError):
        raise _Unreadable("not well-formed") from None


def _text(element: Any) -> str:
    """All the text inside an element, comments and child elements' markup aside."""
    return "".join(element.itertext()).strip()


def _instant(value: str | None) -> dt.datetime:
    """An xs:dateTime as SAML writes it (UTC; a missing zone means UTC)."""
    match = _DATETIME.fullmatch(value or "")
    if match is None:
        raise _Unreadable(f"not a date and time: {value!r}")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            int((fraction or "0")[:6].ljust(6, "0")),
            tzinfo=dt.timezone.utc,
        )
        if zone not in (None, "Z"):
            sign = -1 if zone[0] == "-" else 1
            moment -= sign * dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    except (ValueError, OverflowError):  # no such date, or its zone moves it out of range
        raise _Unreadable(f"not a date and time: {value!r}") from None
    return moment


def write_instant(moment: dt.datetime) -> str:
    moment = moment.astimezone(dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


# ---------------------------------------------------------------------------------------
# Metadata


@dataclass(frozen=True)
class Metadata:
    """What IAM keeps from an IdP's metadata: its entity id and signing certificates."""

    entity_id: str
    certificates: tuple[Certificate, ...]
    valid_until: dt.datetime | None


class MetadataError(ValueError):
    """Metadata IAM cannot use (IAM answers InvalidInput "Could not parse metadata")."""


@functools.lru_cache(maxsize=256)
def parse_metadata(document: str) -> Metadata:
    """An IdP's SAML metadata: an EntityDescriptor with signing certificates in its
    IDPSSODescriptor (several are allowed, for certificate rollover)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import rsa

    if document.startswith("\ufeff"):
        raise MetadataError("byte order mark")  # IAM wants UTF-8 without one
    try:
        root = _parse_xml(document.encode("utf-8"))
        valid_until = root.get("validUntil")
        expiry = _instant(valid_until) if valid_until is not None else None
    except _Unreadable as error:
        raise MetadataError(str(error)) from None
    entity_id = root.get("entityID")
    if root.tag != f"{{{MD}}}EntityDescriptor" or not entity_id:
        raise MetadataError("no EntityDescriptor with an entityID")
    certificates = []
    for descriptor in root.iterfind(f"{{{MD}}}IDPSSODescriptor/{{{MD}}}KeyDescriptor"):
        # A KeyDescriptor without "use" serves for both signing and encryption.
        if descriptor.get("use", "signing") != "signing":
            continue
        for element in descriptor.iterfind(f".//{{{DS}}}X509Certificate"):
            try:
                der = base64.b64decode("".join(_text(element).split()), validate=True)
                certificate = x509.load_der_x509_certificate(der)
                key = certificate.public_key()
            except ValueError:
                raise MetadataError("a signing certificate is not X.509") from None
            if isinstance(key, rsa.RSAPublicKey) and key.key_size < MIN_RSA_BITS:
                raise MetadataError("signing keys must have 1024 bits or more")
            certificates.append(certificate)
    if not certificates:
        raise MetadataError("no signing certificate")
    return Metadata(entity_id, tuple(certificates), expiry)


# ---------------------------------------------------------------------------------------
# AssumeRoleWithSAML: the checks of STS_REFERENCE §8.2, in its order


@dataclass(frozen=True)
class VerifiedResponse:
    """A SAMLResponse that passed every check: the claims and the response's SAML fields."""

    claims: FederatedClaims
    subject: str
    subject_type: str | None
    issuer: str
    audience: str  # the Recipient, as AWS reports it
    name_qualifier: str
    roles: tuple[str, ...] = ()  # the roles the Role attribute pairs with the provider
    attributes: Mapping[str, Sequence[str]] = field(default_factory=dict)


def name_qualifier(issuer: str, account_id: str, provider_name: str) -> str:
    """AWS's opaque user id basis: base64(SHA1(Issuer + AccountId + "/" + ProviderName))."""
    digest = hashlib.sha1(f"{issuer}{account_id}/{provider_name}".encode()).digest()
    return base64.b64encode(digest).decode()


def verify(
    backend: Backend, saml_assertion: str, principal_arn: str, role_arn: str | None
) -> VerifiedResponse:
    """The claims of a base64 SAMLResponse, or the AWS error that refuses it.

    ``role_arn`` must already be known to be a role ARN (``_access.role_of`` checks it); the
    Role attribute must pair it with the provider. None (Cognito's identity pools, which
    choose among the roles the attribute offers) asks for no particular role.
    """
    root = _response_document(saml_assertion)
    provider = _provider(backend, principal_arn, role_arn or principal_arn)
    metadata = parse_metadata(provider.metadata)
    assertion = root.find(f"{{{SAML}}}Assertion")
    # Only a gate: the issuer that counts is read again from the signed assertion.
    issuer = assertion.find(f"{{{SAML}}}Issuer")
    if issuer is None:
        raise _invalid(_messages.SAML_MALFORMED)
    for element in (root.find(f"{{{SAML}}}Issuer"), issuer):
        if element is not None and _text(element) != metadata.entity_id:
            raise _invalid(_messages.SAML_WRONG_ISSUER)
    if provider.assertion_encryption_mode == "Required":
        raise _invalid(_messages.SAML_ENCRYPTION_REQUIRED)
    signed = _signed_assertion(root, metadata.certificates)
    try:
        return _verified(provider, signed, principal_arn, role_arn)
    except _Unreadable:
        raise _invalid(_messages.SAML_MALFORMED) from None


def _response_document(saml_assertion: str) -> Any:
    """The samlp:Response, which must say Success and carry an (unencrypted) assertion."""
    try:
        document = base64.b64decode("".join(saml_assertion.split()), validate=True)
        root = _parse_xml(document)
    except (ValueError, _Unreadable):
        raise _invalid(_messages.SAML_MALFORMED) from None
    if root.tag != f"{{{SAMLP}}}Response" or root.get("Version") != "2.0":
        raise _invalid(_messages.SAML_MALFORMED)
    code = root.find(f"{{{SAMLP}}}Status/{{{SAMLP}}}StatusCode")
    if code is None or code.get("Value") != SUCCESS:
        raise _invalid(_messages.SAML_MALFORMED)
    if root.find(f"{{{SAML}}}Assertion") is None:
        encrypted = root.find(f"{{{SAML}}}EncryptedAssertion") is not None
        raise _invalid(_messages.SAML_ENCRYPTED if encrypted else _messages.SAML_MALFORMED)
    return root


def _provider(backend: Backend, principal_arn: str, role_arn: str) -> SAMLProvider:
    """The IAM SAML provider ``PrincipalArn`` names, which must be in the role's account
    (``role_arn`` is any ARN of the account that must hold it)."""
    match = _PROVIDER_ARN.fullmatch(principal_arn)
    if match is None:
        raise AWSError("ValidationError", _messages.INVALID_REQUEST_ARN, 400)
    _, account_id, name = match.groups()
    account = backend.accounts.get(account_id)
    provider = account.saml_providers.get(name) if account is not None else None
    if provider is None or provider.arn != principal_arn:
        reason = f"no SAML provider {principal_arn}"
        raise _invalid(_messages.SAML_UNKNOWN_PROVIDER, reason)
    if role_arn.split(":")[4] != account_id:
        reason = f"the SAML provider {principal_arn} is not in the role's account"
        raise _invalid(_messages.SAML_UNKNOWN_PROVIDER, reason)
    return provider


# -- signatures


def _signed_assertion(root: Any, certificates: Sequence[Certificate]) -> Any:
    """The assertion as signed: the response's signature, the assertion's, or both must
    verify with a certificate of the provider's metadata."""
    # One assertion only: a second one, wherever it hides, is how wrapping attacks begin.
    if len(list(root.iter(f"{{{SAML}}}Assertion"))) != 1:
        raise _invalid(_messages.SAML_BAD_SIGNATURE)
    assertion = root.find(f"{{{SAML}}}Assertion")
    response_signed = root.find(f"{{{DS}}}Signature") is not None
    assertion_signed = assertion.find(f"{{{DS}}}Signature") is not None
    if not (response_signed or assertion_signed):
        raise _invalid(_messages.SAML_BAD_SIGNATURE)
    if response_signed:
        root = _verified_element(root, "./", root, certificates)
        assertion = root.find(f"{{{SAML}}}Assertion")
        if not assertion_signed:
            return assertion
    return _verified_element(root, f"./{{{SAML}}}Assertion/", assertion, certificates)


def _verified_element(
    document: Any, location: str, expected: Any, certificates: Sequence[Certificate]
) -> Any:
    """The element the signature at ``location`` signs, re-read from its canonical form.

    The signature must envelop what it signs: its reference must name ``expected``, the
    element it sits in, so that a signature moved elsewhere or pointing elsewhere fails.
    """
    for certificate in certificates:
        try:
            result = check_signature(document, location, certificate)
        except Exception:  # noqa: BLE001 - hostile XML makes signxml and lxml raise many kinds
            continue
        signed = result.signed_xml
        if (
            signed is None
            or signed.tag != expected.tag
            or expected.get("ID") is None
            or signed.get("ID") != expected.get("ID")
        ):
            break
        return signed
    reason = "the signature does not verify with a certificate of the provider's metadata"
    raise _invalid(_messages.SAML_BAD_SIGNATURE, reason)


def check_signature(document: Any, location: str, certificate: Certificate) -> VerifyResult:
    """signxml's verdict on the signature at ``location`` (an XPath), made with the key of
    ``certificate``; raises what signxml raises when it does not hold."""
    from signxml.verifier import XMLVerifier

    # One reference expected, so one result.
    return cast(
        "VerifyResult",
        XMLVerifier().verify(
            document,
            x509_cert=certificate,
            id_attribute="ID",
            # IAM trusts the key in the metadata, not a PKI: the certificate's validity period
            # is not checked.
            expect_config=_signature_configuration(location, certificate.not_valid_before_utc),
        ),
    )


@functools.lru_cache(maxsize=256)
def _signature_configuration(location: str, verification_time: dt.datetime) -> Any:
    """What a signature at ``location`` must be, checked as of ``verification_time``."""
    from signxml.algorithms import DigestAlgorithm, SignatureMethod
    from signxml.verifier import SignatureConfiguration

    return SignatureConfiguration(
        expect_references=1,
        # What IdPs sign with, SHA-1 included (AWS accepts it); an HMAC is no IdP's
        # signature, since the key would be shared.
        signature_methods=frozenset(m for m in SignatureMethod if not m.name.startswith("HMAC")),
        digest_algorithms=frozenset(DigestAlgorithm),
        location=location,
        verification_time=verification_time,
    )


# -- the signed assertion's claims


def _verified(
    provider: SAMLProvider, assertion: Any, principal_arn: str, role_arn: str | None
) -> VerifiedResponse:
    moment = now()
    partition = provider.account.partition
    _check_audience(assertion, partition)
    recipient = _check_confirmation(assertion, partition, moment)
    issued = _instant(assertion.get("IssueInstant"))
    if issued > moment:
        raise _invalid(_messages.SAML_NOT_YET_VALID)
    if moment - issued > FRESHNESS:
        raise _expired(_messages.SAML_NOT_FRESH)
    name_id = assertion.find(f"{{{SAML}}}Subject/{{{SAML}}}NameID")
    subject = _text(name_id) if name_id is not None else ""
    if not subject:
        raise access_denied(_messages.NOT_AUTHORIZED_FEDERATED.format(ACTION))
    attributes = _attribute_values(assertion)
    session_name = _session_name(attributes)
    source_identity = _source_identity(attributes)
    pairs = [{part.strip() for part in value.split(",")} for value in attributes.get(ROLE, ())]
    offered = tuple(
        role for pair in pairs if principal_arn in pair for role in pair - {principal_arn}
    )
    if role_arn is not None and {role_arn, principal_arn} not in pairs:
        error = access_denied(_messages.NOT_AUTHORIZED_FEDERATED.format(ACTION))
        reason = f"no Role attribute of the assertion pairs {role_arn} with {principal_arn}"
        raise explained(error, reason)
    not_after = _session_limit(assertion, attributes, moment)

    issuer = _text(assertion.find(f"{{{SAML}}}Issuer"))
    account_id = provider.account.account_id
    qualifier = name_qualifier(issuer, account_id, provider.name)
    name_format = name_id.get("Format")
    subject_type = name_format.removeprefix(NAME_ID_FORMAT) if name_format else None
    context: dict[str, ConditionValue] = {
        "saml:aud": recipient,
        "saml:iss": issuer,
        "saml:sub": subject,
        "saml:namequalifier": qualifier,
        "saml:doc": f"{account_id}/{provider.name}",
    }
    if subject_type is not None:
        context["saml:sub_type"] = subject_type
    for name, values in attributes.items():
        key = _ATTRIBUTE_KEYS.get(name)
        # "If you include more than one claim per context key, only one is mapped."
        if key is None or key in context or not values:
            continue
        context[key] = values[0] if key in _SINGLE_VALUED else tuple(values)
    claims = FederatedClaims(
        action=ACTION,
        principal=Principal(account="", arn="", federated=provider.arn),
        session_name=session_name,
        context=context,
        session_context={key: context[key] for key in _SESSION_KEYS if key in context},
        tags=_session_tags(attributes),
        transitive_tag_keys=tuple(attributes.get(TRANSITIVE_TAG_KEYS, ())),
        source_identity=source_identity,
        not_after=not_after,
    )
    return VerifiedResponse(
        claims, subject, subject_type, issuer, recipient, qualifier, offered, attributes
    )


@functools.cache
def _aws_endpoint(partition: str) -> re.Pattern[str]:
    host = re.escape(_SIGN_IN_HOSTS.get(partition, _SIGN_IN_HOSTS["aws"]))
    return re.compile(
        rf"https://(?:[a-z]{{2}}(?:-[a-z]+)+-\d+\.)?{host}/saml|https://{host}/static/saml"
    )


def _check_audience(assertion: Any, partition: str) -> None:
    """Every AudienceRestriction must name AWS (one at least must be there)."""
    endpoint = _aws_endpoint(partition)
    restrictions = assertion.findall(f"{{{SAML}}}Conditions/{{{SAML}}}AudienceRestriction")
    if not restrictions or not all(
        any(
            _text(audience) == _AWS_URN or endpoint.fullmatch(_text(audience))
            for audience in restriction.iterfind(f"{{{SAML}}}Audience")
        )
        for restriction in restrictions
    ):
        reason = "an AudienceRestriction of the assertion does not name AWS's sign-in endpoint"
        raise _invalid(_messages.SAML_WRONG_AUDIENCE, reason)


def _check_confirmation(assertion: Any, partition: str, moment: dt.datetime) -> str:
    """The Recipient of the one bearer confirmation, once every validity window holds."""
    confirmations = assertion.findall(f"{{{SAML}}}Subject/{{{SAML}}}SubjectConfirmation")
    data = confirmations[0].find(f"{{{SAML}}}SubjectConfirmationData") if confirmations else None
    if (
        len(confirmations) != 1
        or data is None
        or data.get("Recipient") is None
        or data.get("NotOnOrAfter") is None
    ):
        raise _invalid(_messages.SAML_BAD_CONFIRMATION)
    recipient: str = data.get("Recipient")
    if not _aws_endpoint(partition).fullmatch(recipient):
        raise _invalid(_messages.SAML_WRONG_RECIPIENT)
    conditions = assertion.find(f"{{{SAML}}}Conditions")
    ends = [data.get("NotOnOrAfter"), conditions.get("NotOnOrAfter")]
    if any(end is not None and _instant(end) <= moment for end in ends):
        error = _expired(_messages.SAML_EXPIRED)
        raise explained(error, "the assertion's NotOnOrAfter has passed")
    starts = [data.get("NotBefore"), conditions.get("NotBefore")]
    if any(start is not None and _instant(start) > moment for start in starts):
        raise _invalid(_messages.SAML_NOT_YET_VALID)
    return recipient


def _attribute_values(assertion: Any) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for attribute in assertion.iterfind(f"{{{SAML}}}AttributeStatement/{{{SAML}}}Attribute"):
        values.setdefault(attribute.get("Name", ""), []).extend(
            _text(value) for value in attribute.iterfind(f"{{{SAML}}}AttributeValue")
        )
    return values


def _session_name(attributes: Mapping[str, Sequence[str]]) -> str:
    values = attributes.get(ROLE_SESSION_NAME)
    if not values:
        raise _invalid(_messages.SAML_NO_SESSION_NAME)
    if len(values) != 1 or not fits(values[0], "sts", "roleSessionNameType"):
        raise _invalid(_messages.SAML_BAD_SESSION_NAME)
    return values[0]


def _source_identity(attributes: Mapping[str, Sequence[str]]) -> str | None:
    values = attributes.get(SOURCE_IDENTITY)
    if values is None:
        return None
    if len(values) != 1 or not valid_source_identity(values[0]):
        raise _invalid(_messages.SOURCE_IDENTITY_FORMAT)
    return values[0]


def _session_limit(
    assertion: Any, attributes: Mapping[str, Sequence[str]], moment: dt.datetime
) -> dt.datetime | None:
    """The earliest of SessionNotOnOrAfter and now + the SessionDuration attribute."""
    limits = []
    for statement in assertion.iterfind(f"{{{SAML}}}AuthnStatement[@SessionNotOnOrAfter]"):
        end = _instant(statement.get("SessionNotOnOrAfter"))
        if end <= moment:
            raise _expired(_messages.SAML_EXPIRED)
        limits.append(end)
    values = attributes.get(SESSION_DURATION)
    if values is not None:
        low, high = SESSION_DURATION_RANGE
        # isdecimal(): what int() takes (isdigit() also accepts superscripts), and few
        # enough digits for int() to take.
        text = values[0] if len(values) == 1 else ""
        if not text.isdecimal() or len(text) > 9 or not low <= int(text) <= high:
            raise _invalid(_messages.SAML_SESSION_DURATION.format(low, high))
        limits.append(whole_seconds(moment) + dt.timedelta(seconds=int(text)))
    return min(limits, default=None)


def _session_tags(attributes: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """The PrincipalTag:<Key> attributes, checked as STS checks session tags."""

    def pairs() -> Iterator[tuple[str, str]]:
        for name, values in attributes.items():
            if name.startswith(PRINCIPAL_TAG):
                key = name.removeprefix(PRINCIPAL_TAG)
                if len(values) != 1:
                    raise SessionTagError(TagProblem.INVALID, key)
                yield key, values[0]

    try:
        return session_tags(pairs())
    except SessionTagError as error:
        if error.problem is TagProblem.DUPLICATE:
            raise _invalid(_messages.DUPLICATE_TAG_KEYS) from None
        if error.problem is TagProblem.TOO_MANY:
            raise _invalid(
                _messages.SAML_TOO_MANY_TAGS.format(error.count, SESSION_TAGS_MAX)
            ) from None
        raise _invalid(_messages.SAML_INVALID_TAG.format(error.key)) from None
