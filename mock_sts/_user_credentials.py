"""The credentials an IAM user holds beside access keys, passwords and MFA devices: SSH public
keys for CodeCommit, X.509 signing certificates and service-specific credentials; and the
account's credential report, which lists them all."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Statuses are the wire's words, Active or Inactive (KeyStatus's values): this module sits
# below the state, which holds its records.


@dataclass(eq=False)
class SSHPublicKey:
    """An SSH public key as uploaded (the text is answered back as sent) and its RSA key in
    both encodings GetSSHPublicKey answers with."""

    key_id: str
    body: str
    openssh: str  # "ssh-rsa AAAA..."
    pem: str  # SubjectPublicKeyInfo, "-----BEGIN PUBLIC KEY-----"
    fingerprint: str  # MD5 of the key's OpenSSH blob, colon-separated hex
    upload_date: dt.datetime
    status: str = "Active"


@dataclass(eq=False)
class SigningCertificate:
    """An X.509 signing certificate, kept as uploaded, with the DER that tells duplicates."""

    certificate_id: str
    body: str
    der: bytes
    upload_date: dt.datetime
    status: str = "Active"


@dataclass(eq=False)
class ServiceCredential:
    """A service-specific credential: a user name and password for CodeCommit or Amazon
    Keyspaces, or an API key (an alias and a secret) for Amazon Bedrock or CloudWatch Logs."""

    credential_id: str
    service_name: str
    create_date: dt.datetime
    service_user_name: str | None = None
    password: str | None = None
    alias: str | None = None
    secret: str | None = None
    expiration: dt.datetime | None = None
    status: str = "Active"


@dataclass(eq=False)
class OtherCredentials:
    """What a user (or, for signing certificates, an account's root) holds, oldest first."""

    ssh_public_keys: list[SSHPublicKey] = field(default_factory=list)
    signing_certificates: list[SigningCertificate] = field(default_factory=list)
    service_credentials: list[ServiceCredential] = field(default_factory=list)


@dataclass(eq=False)
class CredentialReport:
    """An account's credential report: the CSV drawn when its generation started, and whether
    it is still being generated."""

    started: dt.datetime
    content: bytes
    in_progress: bool = True
