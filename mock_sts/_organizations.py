"""AWS Organizations' organizations, as centralized root access and ``aws:PrincipalOrgID``
need them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

ROOT_ACCESS_FEATURES = ("RootCredentialsManagement", "RootSessions")


@dataclass(eq=False)
class Organization:
    """An AWS Organizations organization (all features), as centralized root access needs it."""

    organization_id: str
    root_id: str
    management_account_id: str
    member_account_ids: list[str]
    iam_delegated_administrator: str | None = None
    iam_trusted_access: bool = True
    features: list[str] = field(default_factory=list)  # of ROOT_ACCESS_FEATURES, in order

    @property
    def path(self) -> str:
        """The accounts' aws:PrincipalOrgPaths entry (every account sits under the root)."""
        return f"{self.organization_id}/{self.root_id}/"

    def includes(self, account_id: str) -> bool:
        return account_id == self.management_account_id or account_id in self.member_account_ids


def organization_of(organizations: Iterable[Organization], account_id: str) -> Organization | None:
    """The organization (of those given: a partition's) that ``account_id`` belongs to."""
    for organization in organizations:
        if organization.includes(account_id):
            return organization
    return None
