"""IAM role templates: GetRoleTemplateVersion, and AcquireRole, which makes a role from one.

The templates are AWS's, from ``_role_templates``. AcquireRole is authorized as the IAM
actions it performs: "If a role that matches the template already exists in the account,
AcquireRole returns that role. This requires the iam:GetRole permission. If no matching role
exists, AcquireRole creates one from the template. This requires the iam:CreateRole
permission" (IAM User Guide, Manage access to role manager).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_sts import _iam_messages
from mock_sts._iam._common import account_of, invalid_input, no_such_entity
from mock_sts._iam.roles import role_summary
from mock_sts._policy import ConditionValue
from mock_sts._role_templates import PLACEHOLDER, TEMPLATE_ARN, TEMPLATES, RoleTemplateVersion
from mock_sts._state import Role, TrustPolicy
from mock_sts._wire import AWSError, fits

if TYPE_CHECKING:
    from mock_sts._operation import Context


def template_resource(ctx: Context) -> str:
    """The template GetRoleTemplateVersion reads, which it is authorized on (Service
    Authorization Reference, IAM: resource type role-template); any for an ARN that names
    none."""
    arn: str = ctx.params["TemplateArn"]
    return arn if TEMPLATE_ARN.fullmatch(arn) else "*"


def _template(ctx: Context, arn: str, minor: int | None) -> RoleTemplateVersion:
    """The template version an ARN and minor version name (the default one without)."""
    match = TEMPLATE_ARN.fullmatch(arn)
    if match is None:
        raise invalid_input(_iam_messages.ROLE_TEMPLATE_ARN_INVALID.format(arn))
    partition, principal, name, major = match.groups()
    versions = TEMPLATES.get((principal, name, int(major)))
    if versions is None or partition != ctx.backend.partition:
        raise no_such_entity(_iam_messages.ROLE_TEMPLATE_NOT_FOUND.format(arn))
    if minor is None:
        minor = next(iter(versions.values())).default_minor
    version = versions.get(minor)
    if version is None:
        raise no_such_entity(_iam_messages.ROLE_TEMPLATE_VERSION_NOT_FOUND.format(minor, arn))
    return version


def get_role_template_version(ctx: Context) -> Mapping[str, Any]:
    arn: str = ctx.params["TemplateArn"]
    version = _template(ctx, arn, ctx.params.get("MinorVersion"))
    # The members the API Reference's example answers, and the path pattern its AcquireRole
    # example shows the role made with.
    return {
        "RoleTemplateVersion": {
            "TemplateArn": version.arn(ctx.backend.partition),
            "TemplateName": version.name,
            "MajorVersion": version.major,
            "MinorVersion": version.minor,
            "DefaultMinorVersion": version.default_minor,
            "Enabled": True,
            "RoleNamePattern": version.role_name_pattern,
            "RolePathPattern": version.role_path_pattern,
            "AssumeRolePolicyDocumentTemplate": version.trust_policy_template,
            "CreateTimestamp": version.created,
        }
    }


# ---------------------------------------------------------------------------------------
# AcquireRole


def _values(ctx: Context, version: RoleTemplateVersion) -> dict[str, str]:
    """The ReplacementValues, one value for each parameter the template uses."""
    given: Mapping[str, Mapping[str, list[str]]] = ctx.params.get("ReplacementValues", {})
    for name, entry in given.items():
        if name not in version.parameters:
            raise invalid_input(_iam_messages.ROLE_TEMPLATE_PARAMETER_UNKNOWN.format(name))
        if len(entry["Values"]) != 1:
            # The patterns take strings: one value each [U].
            raise invalid_input(_iam_messages.ROLE_TEMPLATE_PARAMETER_TYPE.format(name, "String"))
    for name in sorted(version.parameters):
        if name not in given:
            raise invalid_input(_iam_messages.ROLE_TEMPLATE_PARAMETER_MISSING.format(name))
    return {name: entry["Values"][0] for name, entry in given.items()}


def _filled(pattern: str, values: Mapping[str, str]) -> str:
    return PLACEHOLDER.sub(lambda match: values[match[1]], pattern)


def _plan(ctx: Context) -> tuple[RoleTemplateVersion, str, str, dict[str, str]]:
    """The template version, and the name and path of the role it makes with these values."""
    version = _template(ctx, ctx.params["TemplateArn"], ctx.params.get("TemplateMinorVersion"))
    values = _values(ctx, version)
    name = _filled(version.role_name_pattern, values)
    path = _filled(version.role_path_pattern, values)
    for value, shape, member in ((name, "roleNameType", "name"), (path, "pathType", "path")):
        if not fits(value, "iam", shape):
            raise invalid_input(_iam_messages.ROLE_TEMPLATE_INVALID_ROLE.format(member, value))
    return version, name, path, values


def acquire_checks(ctx: Context) -> list[tuple[str, str, dict[str, ConditionValue]]]:
    """What AcquireRole is authorized as: iam:GetRole on the role it would return, else
    iam:CreateRole on the role it would make; nothing for a request it refuses anyway."""
    try:
        _, name, path, _ = _plan(ctx)
    except AWSError:
        return []
    existing = account_of(ctx).role(name)
    if existing is not None:
        return [("iam:GetRole", existing.arn, {})]
    return [("iam:CreateRole", account_of(ctx).arn(f"role{path}{name}"), {})]


def acquire_role(ctx: Context) -> Mapping[str, Any]:
    version, name, path, values = _plan(ctx)
    arn = version.arn(ctx.backend.partition)
    account = account_of(ctx)
    role: Role | None = account.role(name)
    if role is not None and (role.source_template or ("",))[0] != arn:
        raise AWSError(
            "NameConflict", _iam_messages.ROLE_TEMPLATE_NAME_CONFLICT.format(role.name, arn), 409
        )
    if role is None:
        trust = TrustPolicy(_filled(version.trust_policy_template, values), {})
        role = account.add_role(name, trust, path=path)
        role.source_template = (arn, version.minor)
    # The members of the API Reference's example.
    return {"Role": role_summary(role)}
