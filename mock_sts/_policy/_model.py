"""The values the policy engine takes and gives: kinds, errors, callers, requests, results."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# A condition key's value: one string for a single-valued key, a tuple for a multivalued one.
ConditionValue = str | tuple[str, ...]
# A request's condition keys (its request context, in AWS's words); the matchers read them
# with lower-cased names, since key names are case-insensitive.
ConditionKeys = Mapping[str, ConditionValue]


class PolicyKind(enum.Enum):
    """Which grammar a document follows: they differ in Principal, Resource and Version rules."""

    # An identity policy: inline ones (PutUserPolicy, ...), session policies, SCPs. Without
    # Version it is read as 2008-10-17.
    IDENTITY = "identity"
    # A managed policy's version (CreatePolicy, CreatePolicyVersion): an identity policy that
    # must be of Version 2012-10-17 (STS_REFERENCE §13.4).
    MANAGED = "managed"
    TRUST = "trust"
    # A policy attached to a resource (bucket, queue, topic, key, function, secret): it
    # names principals, like a trust policy, and resources and any action, like an
    # identity policy.
    RESOURCE = "resource"


class PolicyError(Exception):
    """A document IAM refuses; ``message`` is IAM's MalformedPolicyDocument text."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MatchClass(enum.IntEnum):
    """How a trust statement's principal matched the caller; higher is stronger."""

    ACCOUNT = 1
    ROLE = 2
    DIRECT = 3
    FEDERATED = 4
    SERVICE = 5


@dataclass(frozen=True)
class Principal:
    """The caller as trust policies see it."""

    account: str
    arn: str
    user_id: str | None = None
    role_id: str | None = None
    role_arn: str | None = None
    federated: str | None = None
    service: str | None = None


@dataclass(frozen=True)
class Request:
    """One action on one resource (None for trust policies) by one caller, with its context.

    Condition keys are looked up case-insensitively; a list or tuple value is a multivalued
    key (an empty one counts as absent). The context is read once, when the request is made.
    """

    action: str
    resource: str | None = None
    principal: Principal | None = None
    context: Mapping[str, str | Sequence[str]] = field(default_factory=dict)

    # Normalised once per request, however many policies evaluate it: lower-cased key names
    # with tuples for multivalued keys, and the lower-cased action.
    keys: ConditionKeys = field(init=False, repr=False, compare=False)
    action_key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = {
            key.lower(): value if isinstance(value, str) else tuple(value)
            for key, value in self.context.items()
        }
        object.__setattr__(self, "keys", keys)
        object.__setattr__(self, "action_key", self.action.lower())


@dataclass(frozen=True)
class Evaluation:
    """What one policy says about one request."""

    allowed: bool  # some Allow statement applies
    denied: bool  # some Deny statement applies
    match: MatchClass | None  # strongest principal match of the applying Allow statements
    statements: tuple[str, ...]  # the applying statements: Sid, or "#<index>" without one
    denying: tuple[str, ...] = ()  # those of them that Deny
