"""The AWS managed policies mock_sts ships: every one AWS publishes, with its path, default
version and document, read from the package data the first time one is looked up.

The data (``_data/aws_managed_policies.json.gz``) is written by
``.ci/update_aws_managed_policies.py``, which says where it comes from and how to refresh it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from mock_sts._wire import fits

DATA = "_data/aws_managed_policies.json.gz"

# The source publishes no descriptions. These are AWS's for the policies tests attach most
# often (as GetPolicy answers them); the others have none, as GetPolicy leaves it out then.
_DESCRIPTIONS = {
    "AdministratorAccess": "Provides full access to AWS services and resources.",
    "PowerUserAccess": "Provides full access to AWS services and resources, but does not allow "
    "management of Users and groups.",
    "IAMFullAccess": "Provides full access to IAM via the AWS Management Console.",
    "IAMReadOnlyAccess": "Provides read only access to IAM via the AWS Management Console.",
    "AmazonS3FullAccess": "Provides full access to all buckets via the AWS Management Console.",
    "AmazonS3ReadOnlyAccess": "Provides read only access to all buckets via the AWS "
    "Management Console.",
}


@dataclass(frozen=True)
class Published:
    """One AWS managed policy as AWS publishes it: its default version only."""

    name: str
    path: str
    version_id: str
    create_date: dt.datetime
    update_date: dt.datetime  # also when the default version was made
    document: str
    description: str | None


@functools.cache
def published() -> Mapping[str, Published]:
    """Every AWS managed policy shipped, by name (loaded once, on first use)."""
    # Imported here: `import mock_sts` must not pay for reading the data.
    import gzip
    import importlib.resources
    import json

    raw = importlib.resources.files("mock_sts").joinpath(DATA).read_bytes()
    policies = {}
    for name, path, version_id, created, updated, document in json.loads(gzip.decompress(raw))[
        "policies"
    ]:
        policies[name] = Published(
            name,
            path,
            version_id,
            dt.datetime.fromtimestamp(created, dt.timezone.utc),
            dt.datetime.fromtimestamp(updated, dt.timezone.utc),
            document,
            _DESCRIPTIONS.get(name),
        )
    return policies


ROOT_TASK_PATH = "/root-task/"


@functools.cache
def _root_tasks() -> dict[str, str]:
    return {
        name: policy.document
        for name, policy in published().items()
        if policy.path == ROOT_TASK_PATH
    }


class _RootTasks(Mapping[str, str]):
    """The task policies AssumeRoot accepts, by name (ARNs
    arn:<partition>:iam::aws:policy/root-task/<name>): their documents, read lazily."""

    def __getitem__(self, name: str) -> str:
        return _root_tasks()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(_root_tasks())

    def __len__(self) -> int:
        return len(_root_tasks())


# They only deny: a root session may do what the member's root may, except what its task
# policy denies (IAM User Guide, "AWS managed policies for IAM").
ROOT_TASK_POLICIES: Mapping[str, str] = _RootTasks()


# Version ids as AWS numbers them (the model also allows a suffix, which IAM never issues).
_VERSION_ID = re.compile(r"v[1-9][0-9]*")


def check_addition(name: object, path: object, version_id: object, description: object) -> None:
    """What a test adds as an AWS managed policy is named, placed and numbered as AWS's are."""
    if not fits(name, "iam", "policyNameType"):
        raise ValueError(
            f"name must be a policy name of 1 to 128 letters, digits and +=,.@-_, got {name!r}."
        )
    if path is not None and not fits(path, "iam", "policyPathType"):
        raise ValueError(
            "path must begin and end with / (such as '/' or '/service-role/') and hold only "
            f"letters, digits and .,+@=_- between, got {path!r}."
        )
    if version_id is not None and (
        not isinstance(version_id, str) or not _VERSION_ID.fullmatch(version_id)
    ):
        raise ValueError(
            f"version_id must be v1, v2, ... as AWS numbers versions, got {version_id!r}."
        )
    if description is not None and not fits(description, "iam", "policyDescriptionType"):
        raise ValueError("description must be a string of at most 1000 characters.")
