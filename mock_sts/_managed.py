"""Managed policies by ARN: the customer managed policies of a partition's accounts, and the
AWS managed ones, as shipped (``_aws_policies``) or as a test added them to its mock."""

from __future__ import annotations

import functools

from mock_sts import _ids
from mock_sts._aws_policies import published
from mock_sts._state import Backend, ManagedPolicy, PolicyVersion, now, whole_seconds


def managed_policy(backend: Backend, arn: str) -> ManagedPolicy | None:
    """A customer managed policy of any account, or an AWS managed one of this mock's
    partition, by ARN."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or not parts[5].startswith("policy/"):
        return None
    name = parts[5].rsplit("/", 1)[-1]
    if parts[4] == "aws":
        policy = backend.aws_policies.get(name) or aws_managed_policy(name, backend.partition)
    else:
        account = backend.accounts.get(parts[4])
        policy = account.policies.get(name.lower()) if account else None
    return policy if policy is not None and policy.arn == arn else None


def aws_managed_policies(backend: Backend) -> list[ManagedPolicy]:
    """Every AWS managed policy of this mock: those shipped and those a test added."""
    shipped = [
        _shipped_policy(name, backend.partition)
        for name in published()
        if name not in backend.aws_policies
    ]
    return [*shipped, *backend.aws_policies.values()]


def add_aws_policy(
    backend: Backend,
    name: str,
    document: str,
    *,
    path: str | None,
    version_id: str | None,
    description: str | None,
) -> ManagedPolicy:
    """An AWS managed policy for this mock only. Where one of that name exists (shipped or
    added), the new version becomes its default and the earlier versions stay."""
    earlier = backend.aws_policies.get(name) or aws_managed_policy(name, backend.partition)
    if earlier is not None and path not in (None, earlier.path):
        raise ValueError(
            f"The AWS managed policy {name} is at path {earlier.path!r}, and a newer "
            f"version stays there: leave path out or pass {earlier.path!r}, not {path!r}."
        )
    made = whole_seconds(now())
    versions = dict(earlier.versions) if earlier else {}
    if version_id is None:
        version_id = f"v{max((int(v[1:]) for v in versions), default=0) + 1}"
    versions[version_id] = PolicyVersion(version_id, document, made)
    path = earlier.path if earlier else path or "/"
    policy = ManagedPolicy(
        arn=_ids.arn(backend.partition, "iam", "aws", f"policy{path}{name}"),
        name=name,
        path=path,
        policy_id=earlier.policy_id if earlier else _ids.new_id("ANPA", "000000000000", 17),
        create_date=earlier.create_date if earlier else made,
        versions=versions,
        default_version_id=version_id,
        description=description or (earlier.description if earlier else None),
        update_date=made,
    )
    backend.aws_policies[name] = policy
    return policy


def aws_managed_policy(name: str, partition: str) -> ManagedPolicy | None:
    """One of the AWS managed policies mock_sts ships (shared by every mock, never changed)."""
    return _shipped_policy(name, partition) if name in published() else None


@functools.cache
def _shipped_policy(name: str, partition: str) -> ManagedPolicy:
    shipped = published()[name]
    return ManagedPolicy(
        arn=_ids.arn(partition, "iam", "aws", f"policy{shipped.path}{name}"),
        name=name,
        path=shipped.path,
        policy_id=_ids.new_id("ANPA", "000000000000", 17, seed=f"aws managed {name}"),
        create_date=shipped.create_date,
        versions={
            shipped.version_id: PolicyVersion(
                shipped.version_id, shipped.document, shipped.update_date
            )
        },
        default_version_id=shipped.version_id,
        description=shipped.description,
        update_date=shipped.update_date,
    )
