"""IAM server certificates: X.509 certificates (with their private keys and chains) uploaded
for load balancers and CloudFront.

The PEM parts are read with ``cryptography`` as IAM reads them: a certificate that does not
parse is a MalformedCertificate, a key that is not the certificate's is a KeyPairMismatch, and
each certificate of the chain must have signed the one before it. The private key is checked
and dropped: IAM never gives it back (IAM API Reference, GetServerCertificate).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_sts import _iam_messages, _ids
from mock_sts._certificates import ServerCertificate
from mock_sts._iam._common import (
    SERVER_CERTIFICATES_PER_ACCOUNT,
    account_of,
    add_tags,
    all_tags,
    listed_tags,
    no_such_entity,
    page_of,
    quota_exceeded,
    remove_tags,
    rename,
    tag_list,
    tags_param,
)
from mock_sts._state import now, whole_seconds
from mock_sts._wire import AWSError

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

    from mock_sts._operation import Context


# Keys IAM accepts: RSA of 1024 to 4096 bits (Elastic Load Balancing Developer Guide, SSL/TLS
# certificates for Classic Load Balancers: "AWS also supports 1024-bit and 4096-bit keys"), and
# ECDSA on the curves AWS names for imported certificates (ACM User Guide, Prerequisites for
# importing certificates: prime256v1, secp384r1, secp521r1).
RSA_KEY_BITS = range(1024, 4097)
EC_CURVES = frozenset({"secp256r1", "secp384r1", "secp521r1"})


def _malformed(message: str) -> AWSError:
    return AWSError("MalformedCertificate", message, 400)


def _certificates(pem: str) -> list[x509.Certificate]:
    """Every certificate of a PEM text, or MalformedCertificate when it holds none that
    parses."""
    from cryptography import x509

    try:
        return x509.load_pem_x509_certificates(pem.encode("latin-1"))
    except ValueError:
        raise _malformed(_iam_messages.CERTIFICATE_UNREADABLE) from None


def _private_key(pem: str) -> PrivateKeyTypes:
    """An unencrypted PEM private key of a type and size IAM accepts."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        # An encrypted key is a TypeError: it needs a password, which IAM never has.
        key = load_pem_private_key(pem.encode("latin-1"), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise _malformed(_iam_messages.PRIVATE_KEY_UNREADABLE) from None
    if isinstance(key, rsa.RSAPrivateKey) and key.key_size in RSA_KEY_BITS:
        return key
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name in EC_CURVES:
        return key
    raise _malformed(_iam_messages.PRIVATE_KEY_UNSUPPORTED)


def _public_der(key: Any) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    der: bytes = key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return der


def _certified_key(certificate: x509.Certificate) -> bytes:
    """The public key a certificate certifies (DER), or MalformedCertificate when it is of an
    algorithm no key is known by."""
    from cryptography.exceptions import UnsupportedAlgorithm

    try:
        return _public_der(certificate.public_key())
    except (ValueError, UnsupportedAlgorithm):
        raise _malformed(_iam_messages.CERTIFICATE_UNREADABLE) from None


def _check_chain(certificate: x509.Certificate, chain: str | None) -> None:
    """Each certificate of the chain must have signed the one before it, the first one the
    certificate itself (ACM User Guide, Certificate import problems: "Each certificate in the
    chain must directly certify the one preceding")."""
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm

    if chain is None:
        return
    signed = certificate
    for index, issuer in enumerate(_certificates(chain)):
        try:
            signed.verify_directly_issued_by(issuer)
        # The issuer's name is not the one the certificate names (ValueError), its key did not
        # make the signature (InvalidSignature), or is of a type that signs no certificate.
        except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
            raise _malformed(_iam_messages.CHAIN_INVALID.format(index)) from None
        signed = issuer


def _expiration(body: str, key_pem: str, chain: str | None) -> dt.datetime:
    """When the uploaded certificate expires (its notAfter), once its parts are known good."""
    certificates = _certificates(body)
    if len(certificates) != 1:
        raise _malformed(_iam_messages.CERTIFICATE_NOT_ONE)
    certificate = certificates[0]
    key = _private_key(key_pem)
    if _public_der(key.public_key()) != _certified_key(certificate):
        raise AWSError("KeyPairMismatch", _iam_messages.KEY_PAIR_MISMATCH, 400)
    _check_chain(certificate, chain)
    return certificate.not_valid_after_utc


def _taken(name: str) -> AWSError:
    return AWSError(
        "EntityAlreadyExists", _iam_messages.SERVER_CERTIFICATE_EXISTS.format(name), 409
    )


def _certificate(ctx: Context, name: str) -> ServerCertificate:
    certificate = account_of(ctx).server_certificates.get(name.lower())
    if certificate is None:
        raise no_such_entity(_iam_messages.NO_SUCH_SERVER_CERTIFICATE.format(name))
    return certificate


def _named(ctx: Context) -> ServerCertificate:
    return _certificate(ctx, ctx.params["ServerCertificateName"])


def _metadata(certificate: ServerCertificate) -> dict[str, Any]:
    return {
        "Path": certificate.path,
        "ServerCertificateName": certificate.name,
        "ServerCertificateId": certificate.certificate_id,
        "Arn": certificate.arn,
        "UploadDate": certificate.upload_date,
        "Expiration": certificate.expiration,
    }


def upload_server_certificate(ctx: Context) -> Mapping[str, Any]:
    account = account_of(ctx)
    name: str = ctx.params["ServerCertificateName"]
    body: str = ctx.params["CertificateBody"]
    chain: str | None = ctx.params.get("CertificateChain")
    expiration = _expiration(body, ctx.params["PrivateKey"], chain)
    tags = tags_param(ctx.params.get("Tags"))
    if name.lower() in account.server_certificates:
        raise _taken(name)
    if len(account.server_certificates) >= SERVER_CERTIFICATES_PER_ACCOUNT:
        raise quota_exceeded("ServerCertificatesPerAccount", SERVER_CERTIFICATES_PER_ACCOUNT)
    certificate = ServerCertificate(
        account=account,
        name=name,
        path=ctx.params.get("Path", "/"),
        certificate_id=_ids.new_id("ASCA", account.account_id, 17),
        body=body,
        chain=chain,
        upload_date=whole_seconds(now()),
        expiration=expiration,
        tags=tags,
    )
    account.server_certificates[name.lower()] = certificate
    return {"ServerCertificateMetadata": _metadata(certificate), "Tags": tag_list(tags)}


def get_server_certificate(ctx: Context) -> Mapping[str, Any]:
    certificate = _named(ctx)
    return {
        "ServerCertificate": {
            "ServerCertificateMetadata": _metadata(certificate),
            "CertificateBody": certificate.body,
            "CertificateChain": certificate.chain,
            # Sent even when empty, as AWS does (localstack's recorded answers, above).
            "Tags": all_tags(certificate.tags),
        }
    }


def list_server_certificates(ctx: Context) -> Mapping[str, Any]:
    prefix: str = ctx.params.get("PathPrefix", "/")
    certificates = sorted(
        (c for c in account_of(ctx).server_certificates.values() if c.path.startswith(prefix)),
        key=lambda c: c.name.lower(),
    )
    return page_of(ctx, [_metadata(c) for c in certificates], "ServerCertificateMetadataList")


def update_server_certificate(ctx: Context) -> Mapping[str, Any]:
    """A new name or path; the gate checked the caller may act on both the old and the new
    ARN (IAM API Reference, UpdateServerCertificate)."""
    certificate = _named(ctx)
    name: str = ctx.params.get("NewServerCertificateName", certificate.name)
    path: str = ctx.params.get("NewPath", certificate.path)
    rename(account_of(ctx).server_certificates, certificate, name, path, _taken)
    return {}


def delete_server_certificate(ctx: Context) -> Mapping[str, Any]:
    # Load balancers and distributions that use the certificate are other services' state,
    # which the mock does not hold: nothing here refuses the deletion for them.
    certificate = _named(ctx)
    del account_of(ctx).server_certificates[certificate.name.lower()]
    return {}


def tag_server_certificate(ctx: Context) -> Mapping[str, Any]:
    return add_tags(ctx, _named(ctx))


def untag_server_certificate(ctx: Context) -> Mapping[str, Any]:
    return remove_tags(ctx, _named(ctx))


def list_server_certificate_tags(ctx: Context) -> Mapping[str, Any]:
    tags = _named(ctx).tags
    return listed_tags(ctx, dict(sorted(tags.items())))  # sorted by key [M]
