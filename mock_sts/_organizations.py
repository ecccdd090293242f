"""AWS Organizations' organizations, as centralized root access, ``aws:PrincipalOrgID`` and
the organization's authorization policies (SCPs and RCPs) need them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

ROOT_ACCESS_FEATURES = ("RootCredentialsManagement", "RootSessions")

SERVICE_CONTROL_POLICY = "SERVICE_CONTROL_POLICY"
RESOURCE_CONTROL_POLICY = "RESOURCE_CONTROL_POLICY"


@dataclass(frozen=True)
class ControlPolicy:
    """An SCP or RCP of an organization.

    ``evaluated`` is what the policy engine reads: an RCP's statements all name Principal
    "*", which every caller matches, so the engine reads them without it, as identity
    policy statements that apply to every caller.
    """

    policy_id: str
    policy_type: str  # SERVICE_CONTROL_POLICY or RESOURCE_CONTROL_POLICY
    document: str  # as attached
    evaluated: str


# The AWS managed policies Organizations attaches to every root, OU and account (Organizations
# UG, "Managing SCPs", "RCP evaluation"): their ids and documents are AWS's [D].
FULL_AWS_ACCESS = ControlPolicy(
    "p-FullAWSAccess",
    SERVICE_CONTROL_POLICY,
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
)
RCP_FULL_AWS_ACCESS = ControlPolicy(
    "p-RCPFullAWSAccess",
    RESOURCE_CONTROL_POLICY,
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*",'
    '"Resource":"*"}]}',
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
)
DEFAULT_POLICIES = {
    SERVICE_CONTROL_POLICY: FULL_AWS_ACCESS,
    RESOURCE_CONTROL_POLICY: RCP_FULL_AWS_ACCESS,
}


@dataclass(eq=False)
class Organization:
    """An AWS Organizations organization (all features, SCPs and RCPs enabled).

    The mock has no OUs: the hierarchy is the root with every account directly under it.
    """

    organization_id: str
    root_id: str
    management_account_id: str
    member_account_ids: list[str]
    iam_delegated_administrator: str | None = None
    iam_trusted_access: bool = True
    features: list[str] = field(default_factory=list)  # of ROOT_ACCESS_FEATURES, in order
    policies: dict[str, ControlPolicy] = field(
        default_factory=lambda: {p.policy_id: p for p in DEFAULT_POLICIES.values()}
    )
    # (policy type, root id or account id) -> ids of the policies attached there, in order;
    # a target not listed has only its type's default policy.
    attachments: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """The accounts' aws:PrincipalOrgPaths entry (every account sits under the root)."""
        return f"{self.organization_id}/{self.root_id}/"

    def includes(self, account_id: str) -> bool:
        return account_id == self.management_account_id or account_id in self.member_account_ids

    def attached(self, policy_type: str, target: str) -> list[str]:
        """The ids of the policies of ``policy_type`` attached to ``target`` (changeable)."""
        default = [DEFAULT_POLICIES[policy_type].policy_id]
        return self.attachments.setdefault((policy_type, target), default)

    def levels(self, policy_type: str, account_id: str) -> list[tuple[str, list[ControlPolicy]]]:
        """The policies that bind a member account, level by level from the root down; none
        for the management account, which SCPs and RCPs never affect (Organizations UG,
        "Service control policies", "Resource control policies")."""
        if account_id not in self.member_account_ids:
            return []
        return [
            (f"{kind} {target}", [self.policies[p] for p in self.attached(policy_type, target)])
            for kind, target in (("root", self.root_id), ("account", account_id))
        ]


def organization_of(organizations: Iterable[Organization], account_id: str) -> Organization | None:
    """The organization (of those given: a partition's) that ``account_id`` belongs to."""
    for organization in organizations:
        if organization.includes(account_id):
            return organization
    return None
