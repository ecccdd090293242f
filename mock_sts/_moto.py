"""moto's view of the mock's IAM: while one of moto's mocks is active beside a mock, moto's
services find the mock's IAM entities in moto's own IAM backend.

moto's services look IAM up in its backend objects (EC2 ``RunInstances`` an instance
profile, Lambda ``CreateFunction`` its execution role, Batch, CodePipeline and SES roles). So
the mock mirrors what it holds into those objects: roles, instance profiles, users, groups and
customer managed policies, with the mock's names, paths, ARNs, ids and dates, created through
the backend's own ``create_*`` methods and removed from its tables. Nothing else of moto is
touched, and nothing of it applies IAM requests: the mock answers every one before moto's
handler is asked.

moto files a request under the account its access key belongs to in moto's IAM, and under its
default account for keys it does not know. The mock's keys are not mirrored: moto finds other
accounts' resources only in the requester's account, so filing each request under its own
account would make moto lose every resource a resource-based policy shares across accounts.

Only what the mock mirrored is ever changed or removed (each mirrored object carries what it
was made from): entities a test made with moto alone stay as they are, and an entity of the
same name is left to moto. A mirror is brought up to date before every request that moto may
serve and after every request the mock answers, when the mock's state or moto's backend
changed since it last was; when a mock stops or is reset, what it mirrored is withdrawn.

This module imports moto only when moto is imported already. It is tested with moto 5.0.8 (the
first release that keys IAM backends by partition) to 5.2: the ``create_*`` methods and the
tables named below.
"""

from __future__ import annotations

import logging
import sys
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mock_sts._state import Account, Backend, Group, InstanceProfile, ManagedPolicy, Role, User

_log = logging.getLogger("mock_sts")

# The attribute that marks an object of moto's as the mock's mirror: what it was made from.
_MADE_FROM = "_mock_sts_made_from"


def _moto_iam() -> Any:
    """moto's IAM backends while one of moto's mocks is active; None otherwise."""
    core = sys.modules.get("moto.core.models")
    if core is None or not core.MockAWS._mocks_active:
        return None
    from moto.iam.models import iam_backends

    return iam_backends


@dataclass
class _Seen:
    """What a mirror was last made from: the state's generation, and each account's table of
    roles in moto then (moto's reset makes new tables)."""

    generation: int
    tables: dict[str, Any]


_NEVER = _Seen(-1, {})

# A state's mirror, by the state: forgotten with it.
_seen: weakref.WeakKeyDictionary[Backend, _Seen] = weakref.WeakKeyDictionary()


def mirror(backends: Iterable[Backend]) -> None:
    """Bring moto's IAM up to date with ``backends``; nothing unless one of moto's mocks is
    active."""
    iam_backends = _moto_iam()
    if iam_backends is None:
        return
    for backend in backends:
        with backend.lock.unchanged():
            _mirror_state(iam_backends, backend)


def withdraw(backends: Iterable[Backend]) -> None:
    """Remove from moto's IAM what ``backends`` put there: their state is gone."""
    if "moto.iam.models" not in sys.modules:
        return
    from moto.iam.models import iam_backends

    for backend in backends:
        seen = _seen.pop(backend, _NEVER)
        for account_id, roles in seen.tables.items():
            tables = _tables(iam_backends[account_id][backend.partition])
            if tables["roles"] is roles:  # moto's reset dropped the mirror already otherwise
                _withdraw_all(tables)


def _mirror_state(iam_backends: Any, backend: Backend) -> None:
    seen = _seen.get(backend, _NEVER)
    generation = backend.lock.generation
    if generation == seen.generation and _unchanged_in_moto(iam_backends, backend, seen):
        return
    moto_backends = {
        account_id: iam_backends[account_id][backend.partition] for account_id in backend.accounts
    }
    for account_id, moto in moto_backends.items():
        _mirror_account(moto, backend.accounts[account_id])
    _seen[backend] = _Seen(generation, {a: moto.roles for a, moto in moto_backends.items()})


def _unchanged_in_moto(iam_backends: Any, backend: Backend, seen: _Seen) -> bool:
    """Whether moto still holds the tables the mirror was last made in. Looked up as plain
    dicts: moto's own lookup makes what is missing (after a reset, every backend), and costs
    tenfold. An account made since, while the state was otherwise unchanged, holds nothing
    to mirror: entities are made only by holds that change the state."""
    for account_id, roles in seen.tables.items():
        accounts = dict.get(iam_backends, account_id)
        moto = dict.get(accounts, backend.partition) if accounts is not None else None
        if moto is None or moto.roles is not roles:
            return False
    return True


# -- one account ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    """One kind of IAM entity as the mirror handles it: moto's table of them, each entity's
    key in that table and what its mirror is made from, and how moto makes one."""

    table: str
    entities: Callable[[Account], Iterable[Any]]
    key: Callable[[Any], str]
    made_from: Callable[[Any], tuple[Any, ...]]
    make: Callable[[Any, Any], Any]


def _refusals() -> tuple[type[Exception], ...]:
    """moto's error classes: ``ServiceException`` in its recent 5.x releases, ``RESTError``
    in the earlier ones."""
    from moto.core import exceptions

    names = ("ServiceException", "RESTError")
    return tuple(getattr(exceptions, name) for name in names if hasattr(exceptions, name))


def _mirror_account(moto: Any, account: Account) -> None:
    refused = _refusals()
    tables = _tables(moto)
    for kind in _KINDS:
        table = tables[kind.table]
        wanted = {kind.key(entity): entity for entity in kind.entities(account)}
        for key, made in list(table.items()):
            recipe = getattr(made, _MADE_FROM, None)
            if recipe is None:
                continue  # moto's own
            entity = wanted.get(key)
            if entity is None or kind.made_from(entity) != recipe:
                del table[key]
        for key, entity in wanted.items():
            if key in table:
                continue  # mirrored already, or moto's own of that name
            try:
                made = kind.make(moto, entity)
            except refused as error:  # moto refuses what the mock accepted
                _log.debug("moto cannot hold %s %s: %r", kind.table, key, error)
                continue
            setattr(made, _MADE_FROM, kind.made_from(entity))


def _tables(moto: Any) -> dict[str, Any]:
    return {kind.table: getattr(moto, kind.table) for kind in _KINDS}


def _withdraw_all(tables: dict[str, Any]) -> None:
    for table in tables.values():
        for key, made in list(table.items()):
            if hasattr(made, _MADE_FROM):
                del table[key]


def _tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags.items()]


# Roles: moto keys them by id.


def _role_recipe(role: Role) -> tuple[Any, ...]:
    return (
        role.role_id,
        role.name,
        role.path,
        role.trust.text,
        role.description,
        role.max_session_duration,
        role.permissions_boundary,
        tuple(role.tags.items()),
        tuple(role.inline_policies.items()),
    )


def _make_role(moto: Any, role: Role) -> Any:
    made = moto.create_role(
        role_name=role.name,
        assume_role_policy_document=role.trust.text,
        path=role.path,
        permissions_boundary=role.permissions_boundary,
        description=role.description or "",
        tags=_tag_list(role.tags),
        max_session_duration=str(role.max_session_duration),
        linked_service=role.linked_service,
    )
    moto.roles.pop(made.id)
    made.id = role.role_id
    made.create_date = role.create_date
    made.policies.update(role.inline_policies)
    moto.roles[role.role_id] = made
    return made


# Instance profiles, users, groups: moto keys them by name.


def _profile_recipe(profile: InstanceProfile) -> tuple[Any, ...]:
    role = profile.role
    return (
        profile.instance_profile_id,
        profile.name,
        profile.path,
        tuple(profile.tags.items()),
        _role_recipe(role) if role is not None else None,
    )


def _make_profile(moto: Any, profile: InstanceProfile) -> Any:
    role = profile.role
    # The role is moto's mirror of the mock's (the mirror makes roles first).
    made = moto.create_instance_profile(
        name=profile.name,
        path=profile.path,
        role_names=[role.name] if role is not None else [],
        tags=_tag_list(profile.tags),
    )
    made.id = profile.instance_profile_id
    made.create_date = profile.create_date
    return made


def _user_recipe(user: User) -> tuple[Any, ...]:
    return (user.user_id, user.name, user.path, tuple(user.inline_policies.items()))


def _make_user(moto: Any, user: User) -> Any:
    moto.create_user(moto.region_name, user_name=user.name, path=user.path)
    made = moto.users[user.name]  # create_user answers more than the user in some releases
    made.id = user.user_id
    made.create_date = user.create_date
    made.policies.update(user.inline_policies)
    return made


def _group_recipe(group: Group) -> tuple[Any, ...]:
    return (
        group.group_id,
        group.name,
        group.path,
        tuple(_user_recipe(user) for user in group.users),
        tuple(group.inline_policies.items()),
    )


def _make_group(moto: Any, group: Group) -> Any:
    made = moto.create_group(group.name, path=group.path)
    made.id = group.group_id
    made.create_date = group.create_date
    made.policies.update(group.inline_policies)
    # The members are moto's mirrors of the mock's users, or moto's own of the same name
    # (users are mirrored first).
    made.users.extend(moto.users[user.name] for user in group.users)
    return made


def _policy_recipe(policy: ManagedPolicy) -> tuple[Any, ...]:
    return (policy.policy_id, policy.arn, policy.default_version_id, policy.document)


def _make_policy(moto: Any, policy: ManagedPolicy) -> Any:
    made = moto.create_policy(
        description=policy.description or "",
        path=policy.path,
        policy_document=policy.document,
        policy_name=policy.name,
        tags=_tag_list(policy.tags),
    )
    made.id = policy.policy_id
    made.create_date = policy.create_date
    return made


# In the order they are made: what an entity refers to is made before it.
_KINDS = (
    _Kind(
        "managed_policies",
        lambda a: a.policies.values(),
        lambda p: p.arn,
        _policy_recipe,
        _make_policy,
    ),
    _Kind("roles", lambda a: a.roles.values(), lambda r: r.role_id, _role_recipe, _make_role),
    _Kind(
        "instance_profiles",
        lambda a: a.instance_profiles.values(),
        lambda p: p.name,
        _profile_recipe,
        _make_profile,
    ),
    _Kind("users", lambda a: a.users.values(), lambda u: u.name, _user_recipe, _make_user),
    _Kind("groups", lambda a: a.groups.values(), lambda g: g.name, _group_recipe, _make_group),
)
