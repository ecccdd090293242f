"""Identifiers as AWS mints them: key ids with the account encoded, unique ids, ARNs, partitions."""

from __future__ import annotations

import base64
import functools
import hashlib
import random
import re
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

_BASE32_INDEX = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}
ACCOUNT_ID_RE = re.compile(r"\d{12}")

# Ids come from a generator of our own: tests reseed the global one (Hypothesis does before
# every example), and a mock living across two reseedings would issue an access key id
# twice, the new key replacing the old one.
_random = random.Random()

# Session tokens of current AWS regions start with this prefix; the rest is opaque.
_SESSION_TOKEN_PREFIX = "IQoJb3JpZ2luX2Vj"


def new_id(prefix: str, account_id: str, length: int = 16, *, seed: str | None = None) -> str:
    """An id whose payload carries ``account_id`` the way AWS encodes it.

    The payload is ``length`` base32 characters (5 bits each): a set flag bit, the 40-bit
    account number, then random bits (derived from ``seed`` when one is given).
    ``GetAccessKeyInfo`` decodes it back. Ids are no secrets: they need no cryptographic
    randomness.
    """
    bits = 5 * length
    rest = bits - 41
    low = _random.getrandbits(rest) if seed is None else _bits(rest, seed)
    value = (1 << (bits - 1)) | (int(account_id) << rest) | low
    # base32 encodes whole bytes: the payload is shifted to end on a byte, and the padding
    # characters after it are dropped.
    size = -(-bits // 8)
    payload = (value << (8 * size - bits)).to_bytes(size, "big")
    return prefix + base64.b32encode(payload).decode()[:length]


def account_from_key_id(key_id: str) -> str | None:
    """The account encoded in an access key id or unique id, or None for a legacy id."""
    payload = key_id[4:]
    if len(payload) < 10:
        return None
    value = 0
    for char in payload[:10]:
        index = _BASE32_INDEX.get(char)
        if index is None:
            return None
        value = (value << 5) | index
    # The first 48 bits, as bytes on the wire: a flag bit, then 40 bits of account.
    z = value >> 2
    if not z >> 47:
        return None
    return f"{(z & 0x7FFFFFFFFF80) >> 7:012d}"


def new_secret(*, seed: str | None = None) -> str:
    """A 40-character secret access key (derived from ``seed`` when one is given)."""
    raw = secrets.token_bytes(30) if seed is None else _bits(240, seed).to_bytes(30, "big")
    return base64.b64encode(raw).decode()


def _bits(count: int, seed: str) -> int:
    digest = hashlib.sha256(seed.encode()).digest()
    return int.from_bytes(digest, "big") >> (256 - count)


def new_session_token(minimum: int = 0) -> str:
    """An opaque session token shaped like the ones AWS returns, of at least ``minimum``
    bytes (GetScopedCredentials can ask for a larger token)."""
    size = max(240, (max(0, minimum - len(_SESSION_TOKEN_PREFIX)) * 3 + 3) // 4)
    body = base64.b64encode(secrets.token_bytes(size)).decode()
    return _SESSION_TOKEN_PREFIX + body


def new_request_id() -> str:
    """A lowercase version-4 UUID, as AWS request ids are (no secret: ids need no
    cryptographic randomness)."""
    return str(uuid.UUID(int=_random.getrandbits(128), version=4))


@dataclass(frozen=True)
class Partition:
    name: str
    dns_suffix: str
    dual_stack_dns_suffix: str
    region_regex: re.Pattern[str]
    regions: frozenset[str]
    global_region: str  # where the partition's global endpoints sign and serve


@functools.cache
def partitions() -> Sequence[Partition]:
    """botocore's partition table (the same data its endpoint rules use)."""
    import botocore.loaders

    data = botocore.loaders.create_loader().load_data("partitions")
    return tuple(
        Partition(
            name=p["id"],
            dns_suffix=p["outputs"]["dnsSuffix"],
            dual_stack_dns_suffix=p["outputs"]["dualStackDnsSuffix"],
            region_regex=re.compile(p["regionRegex"]),
            regions=frozenset(p["regions"]),
            global_region=p["outputs"]["implicitGlobalRegion"],
        )
        for p in data["partitions"]
    )


@functools.lru_cache(maxsize=256)
def partition_of(region: str) -> Partition | None:
    """The partition a region belongs to, or None if no partition claims it."""
    for partition in partitions():
        if region in partition.regions:
            return partition
    for partition in partitions():
        if partition.region_regex.match(region):
            return partition
    return None


def partition_name(region: str) -> str:
    partition = partition_of(region)
    return partition.name if partition else "aws"


def global_region(partition_name: str) -> str:
    """The region of a partition's global endpoints (``us-east-1`` for ``aws``)."""
    return next(p.global_region for p in partitions() if p.name == partition_name)


# The first label of the endpoint hosts of the services the mock serves.
_SERVED_HOSTS = {
    "sts": "sts",
    "sts-fips": "sts",
    "iam": "iam",
    "iam-fips": "iam",
    "cognito-identity": "cognito-identity",
    "cognito-identity-fips": "cognito-identity",
}


@functools.lru_cache(maxsize=256)
def endpoint_of_host(host: str) -> tuple[str, str] | None:
    """The service the mock serves ("sts", "iam" or "cognito-identity") and the region an
    AWS endpoint host serves, or None.

    Global hosts (``sts.amazonaws.com``, ``iam.amazonaws.com``) serve ``us-east-1`` and
    GovCloud's global IAM host ``us-gov-west-1``; Cognito Identity has regional hosts only.
    A host that is no endpoint of these services in any partition (a local server, another
    service) gives None.
    """
    host = host.lower().split(":", 1)[0]
    for partition in partitions():
        for suffix in (partition.dns_suffix, partition.dual_stack_dns_suffix):
            if not host.endswith("." + suffix):
                continue
            labels = host[: -len(suffix) - 1].split(".")
            service = _SERVED_HOSTS.get(labels[0])
            if service is None or len(labels) > 2:
                continue
            if len(labels) == 1:
                if partition.name == "aws" and service in ("sts", "iam"):
                    return service, "us-east-1"
                continue
            region = labels[1]
            if service == "iam" and region == "us-gov":
                return service, "us-gov-west-1"
            if partition_of(region) is partition:
                return service, region
    return None


# Regions an account must opt in to; global-endpoint tokens of version 1 are not valid
# there (botocore's endpoint data does not say which regions these are).
OPT_IN_REGIONS = frozenset(
    {
        "af-south-1",
        "ap-east-1",
        "ap-east-2",
        "ap-south-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        "ca-west-1",
        "eu-central-2",
        "eu-south-1",
        "eu-south-2",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "mx-central-1",
    }
)


def arn(partition: str, service: str, account_id: str, resource: str) -> str:
    return f"arn:{partition}:{service}::{account_id}:{resource}"


class IAMOwner(Protocol):
    """What an IAM record needs of the account that holds it: its id, partition and IAM ARNs
    (``_state.Account`` is one; records name it so, and need not import the state)."""

    account_id: str
    partition: str

    def arn(self, resource: str) -> str: ...
