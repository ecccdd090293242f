"""What a new STS session is made of, checked as STS checks it whichever operation makes it:
session tags (passed as parameters, in a token's claim or in an assertion's attributes), what a
chained session inherits, source identity, session policies, PackedPolicySize, and MFA.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeGuard

from mock_sts import _access, _managed, _messages
from mock_sts._state import Account, MFADevice, Root, Session, User, now
from mock_sts._wire import AWSError, access_denied, fits, validation_error

if TYPE_CHECKING:
    from mock_sts._operation import Context

SESSION_TAGS_MAX = 50
SESSION_POLICY_ARNS_MAX = 10

# ---------------------------------------------------------------------------------------
# Session tags


class TagProblem(enum.Enum):
    """Why STS refuses a session's tags; each operation words it as AWS does for it."""

    INVALID = "invalid"  # outside IAM's tag rules, or with the reserved aws: prefix
    DUPLICATE = "duplicate"  # keys are unique regardless of case
    TOO_MANY = "too many"
    INHERITED = "inherited"  # a transitive key of the calling session, passed again


class SessionTagError(Exception):
    def __init__(self, problem: TagProblem, key: str = "", count: int = 0) -> None:
        super().__init__(f"{problem.value} session tag {key!r}")
        self.problem, self.key, self.count = problem, key, count


def session_tags(
    pairs: Iterable[tuple[str, str]], inherited: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The session tags ``pairs`` give, checked as STS checks them from any source.

    Keys and values follow STS's model patterns for tags, keys never start with ``aws:``, are
    unique regardless of case, at most 50, and none is a transitive key the calling session
    passes on (``inherited``). Raises SessionTagError for the first problem; ``pairs`` may
    raise it too, for a tag its source cannot even express.
    """
    inherited_keys = {key.lower() for key in inherited or ()}
    tags: dict[str, str] = {}
    folded_keys: set[str] = set()
    for key, value in pairs:
        folded = key.lower()
        if not _valid_tag(key, value) or folded.startswith("aws:"):
            raise SessionTagError(TagProblem.INVALID, key)
        if folded in folded_keys:
            raise SessionTagError(TagProblem.DUPLICATE, key)
        if folded in inherited_keys:
            raise SessionTagError(TagProblem.INHERITED, key)
        folded_keys.add(folded)
        tags[key] = value
    if len(tags) > SESSION_TAGS_MAX:
        raise SessionTagError(TagProblem.TOO_MANY, count=len(tags))
    return tags


def _valid_tag(key: str, value: str) -> bool:
    return fits(key, "sts", "tagKeyType") and fits(value, "sts", "tagValueType")


def passed_tags(
    tags: Sequence[Mapping[str, str]], inherited: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The ``Tags`` parameter of AssumeRole, GetFederationToken or GetWebIdentityToken."""
    try:
        return session_tags(((tag["Key"], tag["Value"]) for tag in tags), inherited)
    except SessionTagError as error:
        if error.problem is TagProblem.DUPLICATE:
            raise invalid_parameter_value(_messages.DUPLICATE_TAG_KEYS) from None
        if error.problem is TagProblem.INHERITED:
            raise invalid_parameter_value(_messages.TRANSITIVE_KEY_INHERITED) from None
        # The model's patterns and list size already held: only the reserved prefix is left.
        raise validation_error(_messages.RESERVED_TAG_PREFIX.format(error.key)) from None


def transitive_keys(keys: Iterable[str], tags: Mapping[str, str]) -> frozenset[str] | None:
    """A new session's transitive tag keys, lower-cased; None when one names none of its
    tags (each operation refuses that in its own words)."""
    folded = frozenset(key.lower() for key in keys)
    return None if folded - {key.lower() for key in tags} else folded


def valid_source_identity(value: object) -> TypeGuard[str]:
    """A source identity as a token or an assertion may carry it: the model's pattern (which
    has no colon, so keeps out the reserved ``aws:`` prefix), 2 to 64 characters as the IAM
    User Guide says (the model allows 256)."""
    return fits(value, "sts", "sourceIdentityType") and len(value) <= 64


def invalid_parameter_value(message: str) -> AWSError:
    """STS's code for session tags that contradict each other or the calling session (§12.3)."""
    return AWSError("InvalidParameterValue", message, 400)


def inherited_tags(session: Session | None) -> dict[str, str]:
    """The calling session's transitive tags, which a chained session inherits."""
    if session is None:
        return {}
    return {k: v for k, v in session.tags.items() if k.lower() in session.transitive_tag_keys}


def overlay_tags(base: Mapping[str, str], top: Mapping[str, str]) -> dict[str, str]:
    """``base`` with ``top``'s tags replacing those of the same key in any case."""
    replaced = {key.lower() for key in top}
    return {**{k: v for k, v in base.items() if k.lower() not in replaced}, **top}


# ---------------------------------------------------------------------------------------
# Source identity and session policies


def source_identity_of(requested: str | None, calling: Session | None) -> str | None:
    """A new session's source identity: once set, it never changes along a chain.

    (The model's pattern already refuses the reserved ``aws:`` prefix.)
    """
    inherited = calling.source_identity if calling is not None else None
    if inherited is not None and requested is not None and requested != inherited:
        raise validation_error(_messages.SOURCE_IDENTITY_CHANGED.format(inherited))
    return inherited or requested


def session_policies(ctx: Context, account: Account) -> tuple[str, ...]:
    """The session policy documents of a request: ``Policy`` and the ``PolicyArns``."""
    params = ctx.params
    documents = []
    if "Policy" in params:
        _access.parse(params["Policy"])
        documents.append(params["Policy"])
    arns = [entry["arn"] for entry in params.get("PolicyArns", ())]
    if len(arns) > SESSION_POLICY_ARNS_MAX:
        raise validation_error(_messages.POLICY_ARNS_TOO_MANY.format(SESSION_POLICY_ARNS_MAX))
    for arn in arns:
        managed = _managed.managed_policy(ctx.backend, arn)
        if managed is None or managed.account not in (None, account):
            raise validation_error(_messages.POLICY_NOT_ATTACHABLE.format(arn))
        documents.append(managed.document)
    return tuple(documents)


# ---------------------------------------------------------------------------------------
# Packed size of session policies and tags


def packed_size(ctx: Context, tags: Mapping[str, str]) -> int | None:
    """PackedPolicySize when session policies or tags were passed; too large → error."""
    params = ctx.params
    if "Policy" not in params and "PolicyArns" not in params and not tags:
        return None
    arns = [entry["arn"] for entry in params.get("PolicyArns", ())]
    only_tags = bool(tags) and "Policy" not in params and not arns
    return checked_packed_size(ctx, params.get("Policy"), arns, tags, only_tags=only_tags)


def checked_packed_size(
    ctx: Context,
    policy: str | None,
    policy_arns: Sequence[str],
    tags: Mapping[str, str],
    *,
    only_tags: bool = False,
) -> int:
    """The PackedPolicySize of a new session (the test's own estimate when it set one);
    PackedPolicyTooLarge above 100 %."""
    estimate = ctx.backend.packed_size or packed_policy_size
    packed = estimate(policy, policy_arns, tags)
    if packed > 100:
        text = _messages.PACKED_TAGS_TOO_LARGE if only_tags else _messages.PACKED_POLICY_TOO_LARGE
        raise AWSError("PackedPolicyTooLarge", text.format(packed), 400)
    return packed


def packed_policy_size(
    policy: str | None, policy_arns: Sequence[str], tags: Mapping[str, str]
) -> int:
    """mock_sts's estimate of PackedPolicySize: the percentage of AWS's packed limit used.

    AWS does not publish its packing. This estimate follows the published data points
    (STS_REFERENCE §9.3), where cost grows mainly with the number of actions: 3.5 % per
    Action/NotAction entry, 1 % per 100 characters of the inline policy, 2 % per managed
    policy ARN and, per session tag, 1 % plus 1 % per 8 characters of key and value.
    """
    cost = 2.0 * len(policy_arns)
    if policy is not None:
        cost += 3.5 * _action_entries(policy) + len("".join(policy.split())) / 100
    cost += sum(1 + (len(key) + len(value)) / 8 for key, value in tags.items())
    return max(1, math.ceil(cost))


def _action_entries(policy: str) -> int:
    """Action and NotAction entries of a session policy (already validated, and parsed
    once: the parse is cached by document)."""
    return sum(len(s.action or s.not_action or ()) for s in _access.parse(policy).statements)


# ---------------------------------------------------------------------------------------
# MFA


def verify_mfa(
    principal: User | Root | None, serial_number: str | None, token_code: str | None
) -> dt.datetime | None:
    """The MFA authentication time, None without MFA data, or AWS's MFA AccessDenied."""
    if serial_number is None and token_code is None:
        return None
    device = _device_of(principal, serial_number)
    if device is None or token_code is None:
        raise access_denied(_messages.MFA_UNKNOWN_DEVICE)
    if not device.accepts(token_code):
        raise access_denied(_messages.MFA_BAD_CODE)
    return now()


def _device_of(principal: User | Root | None, serial_number: str | None) -> MFADevice | None:
    for device in principal.mfa_devices if principal is not None else ():
        if device.serial_number == serial_number:
            return device
    return None
