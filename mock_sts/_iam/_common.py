"""What several IAM families share: quotas, errors, lookups, tags, paging and shapes."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from mock_sts import _iam_messages, _managed, _messages
from mock_sts._state import Account, Group, ManagedPolicy, Role, Root, User
from mock_sts._wire import AWSError

if TYPE_CHECKING:
    from mock_sts._operation import Context


# Quotas GetAccountSummary reports as well as the family that enforces them.
ACCESS_KEYS_PER_USER = 2
SERVER_CERTIFICATES_PER_ACCOUNT = 20
TRUST_POLICY_SIZE = 2048
# Aggregate size of an entity's inline policies.
INLINE_POLICY_SIZES = {"user": 2048, "role": 10240, "group": 5120}
MANAGED_POLICY_SIZE = 6144
MANAGED_POLICIES_PER_ENTITY = 10
GROUPS_PER_USER = 10
VERSIONS_PER_POLICY = 5

TAGS_PER_ENTITY = 50
DEFAULT_MAX_ITEMS = 100

T = TypeVar("T")
PolicyHolder = User | Role | Group


def no_such_entity(message: str) -> AWSError:
    return AWSError("NoSuchEntity", message, 404)


def _no_such_user(name: str) -> AWSError:
    return no_such_entity(_iam_messages.NO_SUCH_USER.format(name))


def delete_conflict(message: str) -> AWSError:
    return AWSError("DeleteConflict", message, 409)


def limit_exceeded(message: str) -> AWSError:
    return AWSError("LimitExceeded", message, 409)


def quota_exceeded(quota: str, limit: int) -> AWSError:
    return limit_exceeded(_iam_messages.QUOTA.format(quota, limit))


def already_exists(kind: str, name: str) -> AWSError:
    return AWSError("EntityAlreadyExists", _iam_messages.ALREADY_EXISTS.format(kind, name), 409)


class PathNamed(Protocol):
    """An entity IAM names by a name and a path: a user, group or server certificate."""

    name: str
    path: str


Named = TypeVar("Named", bound=PathNamed)


def rename(
    entities: dict[str, Named],
    entity: Named,
    name: str,
    path: str,
    taken: Callable[[str], AWSError],
) -> None:
    """Give a user, group or server certificate a new name and path in its account's table
    ``entities`` (by lower-cased name); ``taken`` is the error for a name another one holds.
    Names are unique regardless of case; an entity may take its own name in another case.
    Whatever holds the entity itself (keys, memberships, policies) follows it."""
    if entities.get(name.lower()) not in (None, entity):
        raise taken(name)
    del entities[entity.name.lower()]
    entity.name, entity.path = name, path
    entities[name.lower()] = entity


def invalid_input(message: str) -> AWSError:
    return AWSError("InvalidInput", message, 400)


def credential_status(ctx: Context, kind: str) -> str:
    """An Update* request's Status for a credential of ``kind``: the model's enum also lists
    Expired, which only IAM sets (on API keys past their expiry)."""
    status: str = ctx.params["Status"]
    if status not in ("Active", "Inactive"):
        raise invalid_input(_iam_messages.STATUS_ACTIVE_OR_INACTIVE.format(kind, status))
    return status


def _no_such_policy(arn: str) -> AWSError:
    return no_such_entity(_messages.POLICY_NOT_ATTACHABLE.format(arn))


# ---------------------------------------------------------------------------------------
# Lookups


def account_of(ctx: Context) -> Account:
    return ctx.backend.account(ctx.signed_caller.account_id)


def user_named(ctx: Context, name: str) -> User:
    user = account_of(ctx).user(name)
    if user is None:
        raise _no_such_user(name)
    return user


def user_or_root(ctx: Context, name: str | None) -> User | Root:
    """The user an operation names, or the caller's own user (or root) when it names none."""
    if name is not None:
        return user_named(ctx, name)
    principal = ctx.signed_caller.principal
    if isinstance(principal, Role):
        raise AWSError("ValidationError", _iam_messages.MUST_SPECIFY_USER, 400)
    return principal


def user_or_caller(ctx: Context) -> User:
    """The user an operation's UserName names, or the calling IAM user when it names none (an
    account's root has none of what these operations manage)."""
    subject = user_or_root(ctx, ctx.params.get("UserName"))
    if not isinstance(subject, User):
        raise AWSError("ValidationError", _iam_messages.MUST_SPECIFY_USER, 400)
    return subject


def role_named(ctx: Context, name: str) -> Role:
    role = account_of(ctx).role(name)
    if role is None:
        raise no_such_entity(_iam_messages.NO_SUCH_ROLE.format(name))
    return role


def group_named(ctx: Context, name: str) -> Group:
    group = account_of(ctx).group(name)
    if group is None:
        raise no_such_entity(_iam_messages.NO_SUCH_GROUP.format(name))
    return group


def usable_policy(ctx: Context, arn: str) -> ManagedPolicy:
    """A managed policy the caller's account can use: its own, or an AWS managed one of the
    account's partition."""
    account = account_of(ctx)
    policy = _managed.managed_policy(ctx.backend, arn)
    if policy is None or policy.account not in (None, account):
        raise _no_such_policy(arn)
    return policy


# The ARN of a managed policy, customer's or AWS's; and anything IAM reads as an ARN at all.
_POLICY_ARN = re.compile(r"arn:[^:]+:iam::(\d{12}|aws):policy/.+", re.DOTALL)
_ARN = re.compile(r"arn:[^:]*:[^:]*:[^:]*:[^:]*:.+", re.DOTALL)


def is_arn(text: str) -> bool:
    """Whether IAM reads ``text`` as an ARN at all (six colon-separated parts)."""
    return _ARN.fullmatch(text) is not None


def policy_arn_param(arn: str) -> str:
    """A PolicyArn parameter, once it is known to be an ARN (§13.2: ValidationError)."""
    if not is_arn(arn):
        raise AWSError("ValidationError", _iam_messages.INVALID_ARN.format(arn), 400)
    return arn


def boundary_param(ctx: Context, arn: str | None) -> str | None:
    """A PermissionsBoundary parameter, once it is known to be a policy's ARN (§13.2:
    InvalidInput) and the policy to exist."""
    if arn is not None:
        if not _POLICY_ARN.fullmatch(arn):
            raise invalid_input(_iam_messages.INVALID_ARN.format(arn))
        policy = _managed.managed_policy(ctx.backend, arn)
        if policy is None or policy.account not in (None, account_of(ctx)):
            raise no_such_entity(_iam_messages.NO_SUCH_BOUNDARY.format(arn))
    return arn


# ---------------------------------------------------------------------------------------
# Tags, paging and shapes


def tags_param(
    tags: Sequence[Mapping[str, str]] | None, duplicate: str = _messages.DUPLICATE_TAG_KEYS
) -> dict[str, str]:
    """A Tags parameter; ``duplicate`` is the operation's text for keys equal but for case."""
    result: dict[str, str] = {}
    seen: set[str] = set()
    for tag in tags or ():
        folded = tag["Key"].lower()
        if folded in seen:
            raise invalid_input(duplicate)
        seen.add(folded)
        result[tag["Key"]] = tag["Value"]
    return result


def tag_list(tags: Mapping[str, str]) -> list[dict[str, str]] | None:
    """A Tags member, left out when there are none."""
    return [{"Key": k, "Value": v} for k, v in tags.items()] or None


def all_tags(tags: Mapping[str, str]) -> list[dict[str, str]]:
    """A Tags member AWS sends even when empty (§13.1: GetPolicy, GetOpenIDConnectProvider,
    GetSAMLProvider)."""
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def _merge_tags(current: dict[str, str], new: dict[str, str]) -> dict[str, str]:
    """``current`` with ``new`` added. A key already there, whatever its case, keeps its place
    in the list and takes the new spelling and value (§13.1)."""
    merged = dict(current)
    for key, value in new.items():
        same = next((k for k in merged if k.lower() == key.lower()), key)
        merged = {(key if k == same else k): v for k, v in merged.items()}
        merged[key] = value
    if len(merged) > TAGS_PER_ENTITY:
        raise limit_exceeded(_iam_messages.TOO_MANY_TAGS)
    return merged


class _Tagged(Protocol):
    tags: dict[str, str]


def add_tags(
    ctx: Context, entity: _Tagged, duplicate: str = _messages.DUPLICATE_TAG_KEYS
) -> Mapping[str, Any]:
    """Tag*: the request's Tags added to the entity's, replacing keys equal but for case;
    ``duplicate`` is the operation's text for keys equal but for case."""
    entity.tags = _merge_tags(entity.tags, tags_param(ctx.params["Tags"], duplicate))
    return {}


def remove_tags(ctx: Context, entity: _Tagged) -> Mapping[str, Any]:
    """Untag*: the request's TagKeys removed, whatever their case."""
    removed = {k.lower() for k in ctx.params["TagKeys"]}
    entity.tags = {k: v for k, v in entity.tags.items() if k.lower() not in removed}
    return {}


def listed_tags(ctx: Context, tags: Mapping[str, str]) -> Mapping[str, Any]:
    """List*Tags: one page of the tags."""
    return page_of(ctx, tag_list(tags) or [], "Tags")


def page_of(ctx: Context, items: Sequence[T], key: str) -> dict[str, Any]:
    """One page of a listing, with IAM's IsTruncated/Marker protocol."""
    marker = ctx.params.get("Marker")
    start = 0 if marker is None else _start_of(marker, key, len(items))
    stop = start + ctx.params.get("MaxItems", DEFAULT_MAX_ITEMS)
    page: dict[str, Any] = {key: list(items[start:stop]), "IsTruncated": stop < len(items)}
    if stop < len(items):
        page["Marker"] = _marker(key, stop)
    return page


def grouped_page(
    ctx: Context, entries: Sequence[tuple[str, T]], keys: Sequence[str], listing: str
) -> dict[str, Any]:
    """One page of a listing whose items fall under several members, each entry naming its
    member among ``keys``: paged as one list, in the order given, as IAM pages
    ListEntitiesForPolicy and GetAccountAuthorizationDetails; ``listing`` names the listing
    its markers continue."""
    page = page_of(ctx, entries, listing)
    listed: dict[str, list[T]] = {key: [] for key in keys}
    for key, item in page.pop(listing):
        listed[key].append(item)
    return {**listed, **page}


# AWS's markers are long opaque tokens (§13.1); the mock's say, in base64, which listing they
# continue and where its next page starts.
_MARKER = "mock_sts/iam/list-marker/{}/page-starts-at/{}"
_MARKER_TEXT = re.compile(r"mock_sts/iam/list-marker/(\w+)/page-starts-at/(\d{1,9})")


def _marker(key: str, start: int) -> str:
    return base64.b64encode(_MARKER.format(key, start).encode()).decode()


def _start_of(marker: str, key: str, count: int) -> int:
    """Where the page a Marker asks for starts; 'Invalid Marker.' for one this listing of
    ``count`` items did not give."""
    try:
        # Not base64, or not text: binascii.Error and UnicodeDecodeError are ValueErrors.
        match = _MARKER_TEXT.fullmatch(base64.b64decode(marker, validate=True).decode())
    except ValueError:
        match = None
    if match is None or match[1] != key or int(match[2]) > count:
        raise AWSError("ValidationError", _iam_messages.INVALID_MARKER, 400)
    return int(match[2])


def user_shape(user: User, *, detail: bool = True) -> dict[str, Any]:
    """A User structure; listings (``detail=False``) leave out the boundary and tags."""
    shape: dict[str, Any] = {
        "Path": user.path,
        "UserName": user.name,
        "UserId": user.user_id,
        "Arn": user.arn,
        "CreateDate": user.create_date,
    }
    if detail:
        shape["PermissionsBoundary"] = boundary_shape(user.permissions_boundary)
        shape["Tags"] = tag_list(user.tags)
    return shape


def boundary_shape(arn: str | None) -> dict[str, str] | None:
    if arn is None:
        return None
    # AWS answers "Policy", not the model's enum value PermissionsBoundaryPolicy (§13.1).
    return {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}


# ---------------------------------------------------------------------------------------
# Policy documents and the entities that hold them


def document_size(document: str) -> int:
    """A document's size as IAM's quotas count it: whitespace is free."""
    return len("".join(document.split()))


def check_no_policies(holder: PolicyHolder) -> None:
    if holder.inline_policies:
        raise delete_conflict(_iam_messages.DELETE_POLICIES_FIRST)
    if holder.attached_policies:
        raise delete_conflict(_iam_messages.DETACH_POLICIES_FIRST)
