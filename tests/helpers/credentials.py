"""Key material the tests of users' other credentials upload: RSA keys in OpenSSH and PEM
form, other kinds of keys, and X.509 certificates, all made here with ``cryptography``."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
from typing import Any

import boto3
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from cryptography.x509.oid import NameOID

DAY = dt.timedelta(days=1)


def iam_with(*users: str) -> Any:
    """An IAM client of the active mock's admin, once it made the named users."""
    iam = boto3.client("iam")
    for name in users:
        iam.create_user(UserName=name)
    return iam


def rsa_key(label: str, bits: int = 2048) -> rsa.RSAPrivateKey:
    """An RSA key, made once per label and size for the whole run (they are slow to make)."""
    return _rsa_key(label, bits)


@functools.cache
def _rsa_key(label: str, bits: int) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def openssh(label: str, bits: int = 2048) -> str:
    """The public key ``ssh-rsa AAAA...`` of the label's RSA key."""
    public = rsa_key(label, bits).public_key()
    return public.public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    ).decode()


def pem(label: str) -> str:
    """The public key of the label's RSA key as PEM (SubjectPublicKeyInfo)."""
    public = rsa_key(label).public_key()
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def ed25519_openssh() -> str:
    """An ``ssh-ed25519`` public key: a key IAM does not take."""
    public = ed25519.Ed25519PrivateKey.generate().public_key()
    return public.public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    ).decode()


def md5_fingerprint(public_key: str) -> str:
    """The MD5 fingerprint of an OpenSSH public key, as ``ssh-keygen -E md5 -l`` shows it."""
    digest = hashlib.md5(base64.b64decode(public_key.split()[1])).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, 32, 2))


def certificate(
    label: str,
    *,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
) -> str:
    """A self-signed PEM certificate of the label's RSA key, valid from a day ago for a year
    unless told otherwise."""
    key = rsa_key(label)
    start = not_before or dt.datetime.now(dt.timezone.utc) - DAY
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"signing {label}")])
    built = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(not_after or start + 365 * DAY)
        .sign(key, hashes.SHA256())
    )
    return built.public_bytes(serialization.Encoding.PEM).decode()
