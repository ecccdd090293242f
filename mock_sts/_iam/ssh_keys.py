"""IAM users' SSH public keys, with which they authenticate to CodeCommit repositories."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_sts import _iam_messages, _ids
from mock_sts._iam._common import (
    credential_status,
    no_such_entity,
    page_of,
    quota_exceeded,
    user_named,
    user_or_caller,
)
from mock_sts._state import now, whole_seconds
from mock_sts._user_credentials import SSHPublicKey
from mock_sts._wire import AWSError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

    from mock_sts._operation import Context
    from mock_sts._state import User

# IAM User Guide, "IAM object quotas": SSH public keys per user.
SSH_PUBLIC_KEYS_PER_USER = 5
# IAM API Reference, UploadSSHPublicKey: "The minimum bit-length of the public key is 2048".
_MINIMUM_BITS = 2048


def _invalid(message: str) -> AWSError:
    return AWSError("InvalidPublicKey", message, 400)


def _unrecognized(message: str) -> AWSError:
    return AWSError("UnrecognizedPublicKeyEncoding", message, 400)


def _loaded(body: str) -> PublicKeyTypes:
    """The public key of an upload in one of the encodings IAM accepts: "ssh-rsa format or PEM
    format" (IAM API Reference, UploadSSHPublicKey)."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    text = body.strip().encode("utf-8", "replace")
    try:
        if text.startswith(b"-----BEGIN "):
            return serialization.load_pem_public_key(text)
        if text.startswith((b"ssh-", b"ecdsa-", b"sk-")):
            return serialization.load_ssh_public_key(text)
    except UnsupportedAlgorithm as error:
        raise _unrecognized(_iam_messages.SSH_KEY_UNSUPPORTED) from error
    except ValueError as error:
        raise _invalid(_iam_messages.SSH_KEY_MALFORMED) from error
    raise _unrecognized(_iam_messages.SSH_KEY_UNRECOGNIZED)


def _parsed(user: User, body: str) -> SSHPublicKey:
    """The record of an uploaded key, once it is an RSA key of 2048 bits or more."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

    key = _loaded(body)
    if not isinstance(key, RSAPublicKey):
        raise _unrecognized(_iam_messages.SSH_KEY_UNSUPPORTED)
    if key.key_size < _MINIMUM_BITS:
        raise _invalid(_iam_messages.SSH_KEY_TOO_SHORT.format(key.key_size))
    openssh = key.public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    ).decode()
    pem = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    # The fingerprint is "the MD5 message digest of the SSH public key" (the model's
    # SSHPublicKey), as ssh-keygen -E md5 shows it: of the key's OpenSSH blob.
    blob = base64.b64decode(openssh.split()[1])
    digest = hashlib.md5(blob, usedforsecurity=False).hexdigest()
    # The encoding it came in is answered back as sent; the other, as IAM writes it.
    pem_sent = body.strip().startswith("-----BEGIN ")
    return SSHPublicKey(
        key_id=_ids.new_id("APKA", user.account_id),
        body=body,
        openssh=openssh if pem_sent else body,
        pem=body if pem_sent else pem,
        fingerprint=":".join(digest[i : i + 2] for i in range(0, len(digest), 2)),
        upload_date=whole_seconds(now()),
    )


def _key_of(user: User, key_id: str) -> SSHPublicKey:
    for key in user.others.ssh_public_keys:
        if key.key_id == key_id:
            return key
    raise no_such_entity(_iam_messages.NO_SUCH_SSH_PUBLIC_KEY.format(key_id))


def _shape(user: User, key: SSHPublicKey, body: str) -> dict[str, Any]:
    return {
        "UserName": user.name,
        "SSHPublicKeyId": key.key_id,
        "Fingerprint": key.fingerprint,
        "SSHPublicKeyBody": body,
        "Status": key.status,
        "UploadDate": key.upload_date,
    }


def upload_ssh_public_key(ctx: Context) -> Mapping[str, Any]:
    user = user_named(ctx, ctx.params["UserName"])
    held = user.others.ssh_public_keys
    if len(held) >= SSH_PUBLIC_KEYS_PER_USER:
        raise quota_exceeded("SSHPublicKeysPerUser", SSH_PUBLIC_KEYS_PER_USER)
    key = _parsed(user, ctx.params["SSHPublicKeyBody"])
    if any(other.fingerprint == key.fingerprint for other in held):
        raise AWSError("DuplicateSSHPublicKey", _iam_messages.SSH_KEY_DUPLICATE, 400)
    held.append(key)
    return {"SSHPublicKey": _shape(user, key, key.body)}


def get_ssh_public_key(ctx: Context) -> Mapping[str, Any]:
    user = user_named(ctx, ctx.params["UserName"])
    key = _key_of(user, ctx.params["SSHPublicKeyId"])
    body = key.pem if ctx.params["Encoding"] == "PEM" else key.openssh
    return {"SSHPublicKey": _shape(user, key, body)}


def list_ssh_public_keys(ctx: Context) -> Mapping[str, Any]:
    user = user_or_caller(ctx)
    metadata = [
        {
            "UserName": user.name,
            "SSHPublicKeyId": key.key_id,
            "Status": key.status,
            "UploadDate": key.upload_date,
        }
        for key in user.others.ssh_public_keys
    ]
    return page_of(ctx, metadata, "SSHPublicKeys")


def update_ssh_public_key(ctx: Context) -> Mapping[str, Any]:
    user = user_named(ctx, ctx.params["UserName"])
    key = _key_of(user, ctx.params["SSHPublicKeyId"])
    key.status = credential_status(ctx, "SSH public keys")
    return {}


def delete_ssh_public_key(ctx: Context) -> Mapping[str, Any]:
    user = user_named(ctx, ctx.params["UserName"])
    user.others.ssh_public_keys.remove(_key_of(user, ctx.params["SSHPublicKeyId"]))
    return {}
