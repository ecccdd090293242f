"""IAM's last accessed reports: when users, groups, roles and policies (and the accounts of an
organization) last used each service they are allowed, from the calls the mock recorded.

Each report is a job that the mock completes at once: GetServiceLastAccessedDetails and its
siblings find it COMPLETED the moment Generate* returns its id.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mock_sts import _iam_messages, _last_accessed
from mock_sts._access import identity_policies, parse
from mock_sts._iam._common import (
    account_of,
    invalid_input,
    is_arn,
    no_such_entity,
    page_of,
    usable_policy,
)
from mock_sts._last_accessed import (
    EntityInfo,
    OrganizationsReport,
    ServiceReport,
    allowed_services,
    allowed_tracked_actions,
    service_name,
)
from mock_sts._organizations import SERVICE_CONTROL_POLICY, Organization, organization_of
from mock_sts._policy import Policy
from mock_sts._state import Account, Group, Role, User, now, whole_seconds
from mock_sts._wire import AWSError

if TYPE_CHECKING:
    from mock_sts._operation import Context


# An IAM ARN: its account ("aws" for AWS managed policies), resource type and the rest.
_IAM_ARN = re.compile(r"arn:[^:]+:iam::(\d{12}|aws):([\w-]+)(/.*)", re.DOTALL)


def _new_job_id() -> str:
    return str(uuid.uuid4())  # 36 characters, as the model's jobIDType


# ---------------------------------------------------------------------------------------
# Service last accessed details: users, groups, roles and policies


def _subject(ctx: Context, arn: str) -> User | Group | Role | Policy:
    """What a report is about: the user, group or role the ARN names in the caller's account,
    or the managed policy's default version."""
    match = _IAM_ARN.fullmatch(arn)
    if match is None or match[2] not in ("user", "group", "role", "policy"):
        if not is_arn(arn):
            raise invalid_input(_iam_messages.INVALID_ARN.format(arn))
        raise invalid_input(_iam_messages.NOT_A_REPORT_SUBJECT.format(arn))
    kind, name = match[2], match[3].rsplit("/", 1)[1]
    if kind == "policy":
        return parse(usable_policy(ctx, arn).document)
    account = account_of(ctx)
    entity: User | Group | Role | None
    if kind == "user":
        entity, missing = account.user(name), _iam_messages.NO_SUCH_USER
    elif kind == "group":
        entity, missing = account.group(name), _iam_messages.NO_SUCH_GROUP
    else:
        entity, missing = account.role(name), _iam_messages.NO_SUCH_ROLE
    if entity is None or entity.arn != arn:
        raise no_such_entity(missing.format(name))
    return entity


def _info(entity: User | Role) -> EntityInfo:
    if isinstance(entity, User):
        return EntityInfo(entity.arn, entity.name, "USER", entity.user_id, entity.path)
    return EntityInfo(entity.arn, entity.name, "ROLE", entity.role_id, entity.path)


def _counted(
    account: Account, subject: User | Group | Role | Policy, arn: str
) -> list[User | Role]:
    """The users and roles whose attempts a report counts: the user or role itself, the
    group's members, or those the policy applies to, attached to them or to their groups
    (IAM API Reference, GetServiceLastAccessedDetails)."""
    if isinstance(subject, Group):
        return list(subject.users)
    if not isinstance(subject, Policy):
        return [subject]
    groups = [g for g in account.groups.values() if arn in g.attached_policies]
    holders: list[User | Role] = [*account.users.values(), *account.roles.values()]
    return [
        h
        for h in holders
        if arn in h.attached_policies or (isinstance(h, User) and set(h.groups) & set(groups))
    ]


def generate_service_last_accessed_details(ctx: Context) -> Mapping[str, Any]:
    arn: str = ctx.params["Arn"]
    granularity: str = ctx.params.get("Granularity", "SERVICE_LEVEL")
    subject = _subject(ctx, arn)
    account = account_of(ctx)
    if isinstance(subject, Policy):
        levels = [[subject]]
    else:
        levels = [[policy for _, policy in identity_policies(subject)]]
    entities = {info.id: info for info in map(_info, _counted(account, subject, arn))}
    services = tuple(allowed_services(levels))
    tracked = {}
    if granularity == "ACTION_LEVEL":
        tracked = {ns: tuple(allowed_tracked_actions(levels, ns)) for ns in services}
    report = ServiceReport(
        job_id=_new_job_id(),
        account_id=account.account_id,
        granularity=granularity,
        created=whole_seconds(now()),
        entities=entities,
        services=services,
        tracked={ns: actions for ns, actions in tracked.items() if actions},
        latest=_last_accessed.latest(
            a for a in _last_accessed.attempts(ctx.backend.calls) if a.principal_id in entities
        ),
    )
    ctx.backend.access_reports[report.job_id] = report
    return {"JobId": report.job_id}


def _report(ctx: Context, kind: type[ServiceReport] | type[OrganizationsReport]) -> Any:
    """The caller's account's report of ``kind`` with the request's JobId."""
    job_id: str = ctx.params["JobId"]
    report = ctx.backend.access_reports.get(job_id)
    if not isinstance(report, kind) or report.account_id != ctx.signed_caller.account_id:
        raise no_such_entity(_iam_messages.NO_SUCH_REPORT_JOB.format(job_id))
    return report


def _job(report: ServiceReport | OrganizationsReport, *, failed: bool = False) -> dict[str, Any]:
    return {
        "JobStatus": "FAILED" if failed else "COMPLETED",
        "JobCreationDate": report.created,
        "JobCompletionDate": report.created,
    }


def _service_row(report: ServiceReport, namespace: str) -> dict[str, Any]:
    latest = report.latest
    row: dict[str, Any] = {
        "ServiceName": service_name(namespace),
        "ServiceNamespace": namespace,
        "TotalAuthenticatedEntities": len(latest.principals.get(namespace, ())),
    }
    last = latest.by_service.get(namespace)
    if last is not None:
        row["LastAuthenticated"] = last.at
        row["LastAuthenticatedEntity"] = report.entities[last.principal_id].arn
        row["LastAuthenticatedRegion"] = last.region
    if namespace in report.tracked:
        row["TrackedActionsLastAccessed"] = [
            _action_row(report, namespace, name) for name in report.tracked[namespace]
        ]
    return row


def _action_row(report: ServiceReport, namespace: str, name: str) -> dict[str, Any]:
    row: dict[str, Any] = {"ActionName": name}
    last = report.latest.by_action.get(f"{namespace}:{name}".lower())
    if last is not None:
        row["LastAccessedEntity"] = report.entities[last.principal_id].arn
        row["LastAccessedTime"] = last.at
        row["LastAccessedRegion"] = last.region
    return row


def get_service_last_accessed_details(ctx: Context) -> Mapping[str, Any]:
    report: ServiceReport = _report(ctx, ServiceReport)
    rows = [_service_row(report, namespace) for namespace in report.services]
    return {
        **_job(report),
        "JobType": report.granularity,
        **page_of(ctx, rows, "ServicesLastAccessed"),
    }


def get_service_last_accessed_details_with_entities(ctx: Context) -> Mapping[str, Any]:
    """The users and roles a report counts, with when each last attempted to use the service:
    "sorted by date, with the most recent access listed first" (IAM API Reference,
    GetServiceLastAccessedDetailsWithEntities); those that never did follow, by name."""
    report: ServiceReport = _report(ctx, ServiceReport)
    namespace: str = ctx.params["ServiceNamespace"]
    rows = []
    for info in sorted(report.entities.values(), key=lambda i: (i.name.lower(), i.type)):
        row: dict[str, Any] = {
            "EntityInfo": {
                "Arn": info.arn,
                "Name": info.name,
                "Type": info.type,
                "Id": info.id,
                "Path": info.path,
            }
        }
        last = report.latest.by_principal.get((namespace.lower(), info.id))
        if last is not None:
            row["LastAuthenticated"] = last.at
        rows.append(row)
    rows.sort(key=lambda row: row.get("LastAuthenticated", _NEVER), reverse=True)
    return {**_job(report), **page_of(ctx, rows, "EntityDetailsList")}


# ---------------------------------------------------------------------------------------
# Organizations access reports


def _managed_organization(ctx: Context) -> Organization:
    """The organization whose management account the caller's account is: "you must be signed
    in using your Organizations management account credentials" (IAM API Reference,
    GenerateOrganizationsAccessReport)."""
    account_id = ctx.signed_caller.account_id
    organization = organization_of(ctx.backend.organizations, account_id)
    if organization is None:
        raise AWSError("OrganizationNotFoundException", _iam_messages.NO_ORGANIZATION, 400)
    if account_id != organization.management_account_id:
        raise AWSError(
            "CallerIsNotManagementAccountException", _iam_messages.NOT_MANAGEMENT_ACCOUNT, 400
        )
    return organization


def _path_accounts(organization: Organization, path: str) -> list[str] | None:
    """The accounts under the entity ``path`` names (the mock's organizations have no OUs:
    every account sits under the root), or None when it names none of the organization's."""
    parts = path.rstrip("/").split("/")
    if parts[:2] != [organization.organization_id, organization.root_id] or len(parts) > 3:
        return None
    accounts = [organization.management_account_id, *organization.member_account_ids]
    if len(parts) == 2:
        return accounts
    return [parts[2]] if parts[2] in accounts else None


def _scp_levels(
    organization: Organization, path: str, accounts: Sequence[str], policy_id: str | None
) -> list[list[Policy]] | None:
    """The SCPs the report reads, level by level: the one asked for, or those that apply to
    the entity (IAM API Reference, GenerateOrganizationsAccessReport); None for a policy id
    that names none of the organization's SCPs."""
    if policy_id is not None:
        policy = organization.policies.get(policy_id)
        if policy is None or policy.policy_type != SERVICE_CONTROL_POLICY:
            return None
        return [[parse(policy.evaluated)]]
    if path.rstrip("/").count("/") == 1:  # the root
        ids = organization.attached(SERVICE_CONTROL_POLICY, organization.root_id)
        return [[parse(organization.policies[p].evaluated) for p in ids]]
    levels = organization.levels(SERVICE_CONTROL_POLICY, accounts[0])
    return [[parse(p.evaluated) for p in policies] for _, policies in levels]


def generate_organizations_access_report(ctx: Context) -> Mapping[str, Any]:
    organization = _managed_organization(ctx)
    path: str = ctx.params["EntityPath"]
    policy_id: str | None = ctx.params.get("OrganizationsPolicyId")
    accounts = _path_accounts(organization, path)
    levels = None if accounts is None else _scp_levels(organization, path, accounts, policy_id)
    error = None
    if accounts is None:
        error = ("NoSuchEntity", _iam_messages.REPORT_PATH_NOT_FOUND.format(path))
    elif levels is None:
        error = ("NoSuchEntity", _iam_messages.REPORT_POLICY_NOT_FOUND.format(policy_id))
    root = f"{organization.organization_id}/{organization.root_id}"
    paths = {account_id: f"{root}/{account_id}" for account_id in accounts or ()}
    report = OrganizationsReport(
        job_id=_new_job_id(),
        account_id=ctx.signed_caller.account_id,
        created=whole_seconds(now()),
        services=tuple(allowed_services(levels)) if levels is not None else (),
        paths=paths,
        latest=_last_accessed.latest(
            a for a in _last_accessed.attempts(ctx.backend.calls) if a.account_id in paths
        ),
        error=error,
    )
    ctx.backend.access_reports[report.job_id] = report
    return {"JobId": report.job_id}


_NEVER = dt.datetime.min.replace(tzinfo=dt.timezone.utc)

# GetOrganizationsAccessReport's SortKey: the key of a row, and whether it sorts descending.
_SORTS = {
    "SERVICE_NAMESPACE_ASCENDING": (False, False),
    "SERVICE_NAMESPACE_DESCENDING": (False, True),
    "LAST_AUTHENTICATED_TIME_ASCENDING": (True, False),
    "LAST_AUTHENTICATED_TIME_DESCENDING": (True, True),
}


def _access_row(report: OrganizationsReport, namespace: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "ServiceName": service_name(namespace),
        "ServiceNamespace": namespace,
        "TotalAuthenticatedEntities": len(report.latest.principals.get(namespace, ())),
    }
    last = report.latest.by_service.get(namespace)
    if last is not None:
        row["Region"] = last.region
        row["EntityPath"] = report.paths[last.account_id]
        row["LastAuthenticatedTime"] = last.at
    return row


def get_organizations_access_report(ctx: Context) -> Mapping[str, Any]:
    report: OrganizationsReport = _report(ctx, OrganizationsReport)
    if report.error is not None:
        code, message = report.error
        return {**_job(report, failed=True), "ErrorDetails": {"Code": code, "Message": message}}
    by_time, descending = _SORTS[ctx.params.get("SortKey", "SERVICE_NAMESPACE_ASCENDING")]
    rows = [_access_row(report, namespace) for namespace in report.services]
    if by_time:
        # Services never used sort as the oldest.
        rows.sort(key=lambda row: row.get("LastAuthenticatedTime", _NEVER), reverse=descending)
    elif descending:
        rows.reverse()
    accessed = sum("LastAuthenticatedTime" in row for row in rows)
    return {
        **_job(report),
        "NumberOfServicesAccessible": len(rows),
        "NumberOfServicesNotAccessed": len(rows) - accessed,
        **page_of(ctx, rows, "AccessDetails"),
    }
