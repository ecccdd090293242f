"""X.509 signing certificates of IAM users, and of an account's root user when it calls for
itself."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_sts import _iam_messages
from mock_sts._iam._common import (
    account_of,
    credential_status,
    no_such_entity,
    page_of,
    quota_exceeded,
    user_or_root,
)
from mock_sts._state import Root, User, now, whole_seconds
from mock_sts._user_credentials import SigningCertificate
from mock_sts._wire import AWSError

if TYPE_CHECKING:
    from mock_sts._operation import Context

# IAM User Guide, "IAM object quotas" (GetAccountSummary's SigningCertificatesPerUserQuota).
SIGNING_CERTIFICATES_PER_USER = 2


def _malformed(message: str) -> AWSError:
    return AWSError("MalformedCertificate", message, 400)


def _der_of(body: str) -> bytes:
    """The DER of a PEM certificate that is valid now: MalformedCertificate for what is no
    certificate or has expired ("malformed or expired", the model's MalformedCertificate),
    InvalidCertificate for one not valid yet."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    try:
        certificate = x509.load_pem_x509_certificate(body.strip().encode("utf-8", "replace"))
    except ValueError as error:
        raise _malformed(_iam_messages.CERTIFICATE_MALFORMED) from error
    moment = now()
    if certificate.not_valid_after_utc < moment:
        expired = certificate.not_valid_after_utc.isoformat()
        raise _malformed(_iam_messages.CERTIFICATE_EXPIRED.format(expired))
    if certificate.not_valid_before_utc > moment:
        start = certificate.not_valid_before_utc.isoformat()
        raise AWSError(
            "InvalidCertificate", _iam_messages.CERTIFICATE_NOT_YET_VALID.format(start), 400
        )
    return certificate.public_bytes(Encoding.DER)


def _certificate_of(owner: User | Root, certificate_id: str) -> SigningCertificate:
    for certificate in owner.others.signing_certificates:
        if certificate.certificate_id == certificate_id:
            return certificate
    raise no_such_entity(_iam_messages.NO_SUCH_SIGNING_CERTIFICATE.format(certificate_id))


def _shape(owner: User | Root, certificate: SigningCertificate) -> dict[str, Any]:
    return {
        # A root user's certificates name no user, as its access keys do [U].
        "UserName": owner.name if isinstance(owner, User) else None,
        "CertificateId": certificate.certificate_id,
        "CertificateBody": certificate.body,
        "Status": certificate.status,
        "UploadDate": certificate.upload_date,
    }


def upload_signing_certificate(ctx: Context) -> Mapping[str, Any]:
    owner = user_or_root(ctx, ctx.params.get("UserName"))
    held = owner.others.signing_certificates
    if len(held) >= SIGNING_CERTIFICATES_PER_USER:
        raise quota_exceeded("SigningCertificatesPerUser", SIGNING_CERTIFICATES_PER_USER)
    body: str = ctx.params["CertificateBody"]
    der = _der_of(body)
    # "The same certificate is associated with an IAM user in the account" (the model's
    # DuplicateCertificate): any user's, or root's.
    account = account_of(ctx)
    holders: list[User | Root] = [account.root, *account.users.values()]
    if any(c.der == der for holder in holders for c in holder.others.signing_certificates):
        raise AWSError("DuplicateCertificate", _iam_messages.CERTIFICATE_DUPLICATE, 409)
    certificate = SigningCertificate(
        # Ids of 32 upper-case letters and digits, as AWS's (the model: [\w]{24,128}).
        certificate_id=base64.b32encode(secrets.token_bytes(20)).decode(),
        body=body,
        der=der,
        upload_date=whole_seconds(now()),
    )
    held.append(certificate)
    return {"Certificate": _shape(owner, certificate)}


def list_signing_certificates(ctx: Context) -> Mapping[str, Any]:
    owner = user_or_root(ctx, ctx.params.get("UserName"))
    certificates = [_shape(owner, c) for c in owner.others.signing_certificates]
    return page_of(ctx, certificates, "Certificates")


def update_signing_certificate(ctx: Context) -> Mapping[str, Any]:
    owner = user_or_root(ctx, ctx.params.get("UserName"))
    certificate = _certificate_of(owner, ctx.params["CertificateId"])
    certificate.status = credential_status(ctx, "Signing certificates")
    return {}


def delete_signing_certificate(ctx: Context) -> Mapping[str, Any]:
    owner = user_or_root(ctx, ctx.params.get("UserName"))
    certificate = _certificate_of(owner, ctx.params["CertificateId"])
    owner.others.signing_certificates.remove(certificate)
    return {}
