"""Service-linked roles as AWS defines them: which services link a role, its name and the
AWS managed policy it carries; and the deletion tasks DeleteServiceLinkedRole starts.

The facts come from the AWS managed policies mock_sts ships (``_aws_policies``), read once:

* a service supports service-linked roles when AWS's own policies let someone create one for
  it: a statement on ``iam:CreateServiceLinkedRole`` conditioned on ``iam:AWSServiceName``
  names its principal, or a policy names a role under ``role/aws-service-role/<principal>/``;
* the role's name is the one those ARNs give (``.../ecs.amazonaws.com/AWSServiceRoleForECS``);
  a name followed by ``_*`` there is a service that takes a custom suffix;
* the role's policy is the managed policy at ``/aws-service-role/`` whose name is the role's
  once the common words are set aside (``AWSServiceRoleForAutoScaling`` and
  ``AutoScalingServiceRolePolicy``);
* a service of one label (``guardduty.amazonaws.com``) whose role no ARN names is given the
  name its policy's makes (``AmazonGuardDutyServiceRolePolicy``:
  ``AWSServiceRoleForAmazonGuardDuty``), the role AWS names most of its roles by; a few
  services name theirs otherwise [U].

What the policies do not say is in ``_STATED``, each with its source.
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mock_sts._aws_policies import published

SERVICE_ROLE_PATH = "/aws-service-role/"
ROLE_PREFIX = "AWSServiceRoleFor"


@dataclass(frozen=True)
class LinkedService:
    """A service whose role IAM creates with CreateServiceLinkedRole."""

    principal: str  # elasticbeanstalk.amazonaws.com
    role_name: str  # the role's name without a custom suffix
    policy_name: str | None  # the AWS managed policy under /aws-service-role/, when known
    custom_suffix: bool  # whether CreateServiceLinkedRole takes a CustomSuffix


# What AWS's managed policies leave out, by service principal: (role name, policy name,
# custom suffix). Sources:
# * autoscaling.amazonaws.com: "A service-linked role with a custom suffix that you specify
#   when you create the role, for example, AWSServiceRoleForAutoScaling_mysuffix" (Amazon EC2
#   Auto Scaling User Guide, Service-linked roles for Amazon EC2 Auto Scaling).
# * es.amazonaws.com: AWS's answer "Service role name
#   AWSServiceRoleForAmazonElasticsearchService has been taken in this account" and the role
#   ARN arn:aws:iam::<account>:role/aws-service-role/es.amazonaws.com/
#   AWSServiceRoleForAmazonElasticsearchService (github.com/common-voice/common-voice pull
#   2196); "Custom suffix is not allowed for es.amazonaws.com" (AWS's answer quoted by
#   CloudFormation users); its policy, Amazon OpenSearch Service Developer Guide, Using
#   service-linked roles.
# * organizations.amazonaws.com: "AWSServiceRoleForOrganizations ... the
#   AWSOrganizationsServiceTrustPolicy managed policy" (AWS Organizations User Guide,
#   Organizations and service-linked roles).
_STATED: Mapping[str, tuple[str, str | None, bool]] = {
    "autoscaling.amazonaws.com": (
        "AWSServiceRoleForAutoScaling",
        "AutoScalingServiceRolePolicy",
        True,
    ),
    "organizations.amazonaws.com": (
        "AWSServiceRoleForOrganizations",
        "AWSOrganizationsServiceTrustPolicy",
        False,
    ),
    "es.amazonaws.com": (
        "AWSServiceRoleForAmazonElasticsearchService",
        "AmazonElasticsearchServiceRolePolicy",
        False,
    ),
}

# ARNs of service-linked roles in policy documents, and principals in iam:AWSServiceName.
_ROLE_ARN = re.compile(r"arn:aws:iam::[^:\"]*:role/aws-service-role/([\w.-]+)/([\w+=,.@-]+)(_?\*)?")
_PRINCIPAL = re.compile(r"[a-z0-9][a-z0-9.-]*\.amazonaws\.com")


def linked_service(principal: str) -> LinkedService | None:
    """The service whose principal this is, if it links roles (principals are
    case-sensitive, as AWS says of AWSServiceName)."""
    return _services().get(principal)


@functools.cache
def _services() -> dict[str, LinkedService]:
    policies = published()
    names, suffixed = _role_names(policy.document for policy in policies.values())
    principals = set(names) | _conditioned_principals(
        policy.document for policy in policies.values()
    )
    linked = _linked_policies(name for name, p in policies.items() if p.path == SERVICE_ROLE_PATH)
    services = {}
    for principal in principals:
        role_name = names.get(principal) or _named_by_policy(principal, linked)
        if role_name is None:
            continue  # neither an ARN nor a policy tells the role's name
        policy = linked.get(_stem(role_name))
        services[principal] = LinkedService(principal, role_name, policy, principal in suffixed)
    for principal, (role_name, policy, suffix) in _STATED.items():
        services[principal] = LinkedService(principal, role_name, policy, suffix)
    return services


def _role_names(documents: Iterable[str]) -> tuple[dict[str, str], set[str]]:
    """The role name each principal's ARNs give, and the principals whose roles take a
    suffix. A name the ARN ends with ``*`` is a prefix: it counts only where no ARN gives
    the whole name and no other principal's role has it."""
    whole: dict[str, set[str]] = defaultdict(set)
    prefixes: dict[str, set[str]] = defaultdict(set)
    suffixed = set()
    for document in documents:
        for principal, name, star in _ROLE_ARN.findall(document):
            if not name.startswith(ROLE_PREFIX):
                continue
            if star and name.endswith("_"):  # AWSServiceRoleForAmazonConnect_*
                name, star = name[:-1], "_*"
            (prefixes if star else whole)[principal].add(name)
            if star == "_*":
                suffixed.add(principal)
    names = {p: min(n) for p, n in whole.items() if len(n) == 1}
    taken = {name for found in whole.values() for name in found}
    for principal, found in prefixes.items():
        if principal not in whole and len(found) == 1 and not found & taken:
            names[principal] = min(found)
    return names, suffixed


def _conditioned_principals(documents: Iterable[str]) -> set[str]:
    """The principals AWS's policies let someone create a service-linked role for."""
    principals: set[str] = set()
    for document in documents:
        statements = json.loads(document).get("Statement", [])
        for statement in statements if isinstance(statements, list) else [statements]:
            for values in statement.get("Condition", {}).values():
                for key, value in values.items():
                    if key.lower() == "iam:awsservicename":
                        wanted = [value] if isinstance(value, str) else value
                        principals.update(v for v in wanted if _PRINCIPAL.fullmatch(v))
    return principals


# What role and policy names of one service wrap its name in, in the order they are taken
# off: AWSServiceRoleForAmazonMQ and AmazonMQServiceRolePolicy are both "mq".
_ROLE_PREFIX = ROLE_PREFIX.lower()
_POLICY_ENDING = re.compile(r"(?:servicelinkedrole|servicerole|slr|role|service)?policy$", re.I)


def _stem(name: str) -> str:
    """A role's or policy's name without the words AWS wraps the service's name in."""
    stem = name.lower().replace("_", "").replace("-", "").removeprefix(_ROLE_PREFIX)
    stem = _POLICY_ENDING.sub("", stem).removeprefix("aws").removeprefix("amazon")
    return stem.removesuffix("service")


def _named_by_policy(principal: str, linked: Mapping[str, str]) -> str | None:
    """The role name a one-label service's policy makes, if one policy has its stem."""
    label, _, rest = principal.partition(".")
    policy = linked.get(label.replace("-", "")) if rest == "amazonaws.com" else None
    if policy is None:
        return None
    if policy.startswith(ROLE_PREFIX):
        return policy
    return ROLE_PREFIX + _POLICY_ENDING.sub("", policy.removeprefix("AWS"))


def _linked_policies(names: Iterable[str]) -> dict[str, str]:
    """The service-linked-role policies by stem, where one policy alone has it."""
    by_stem: dict[str, list[str]] = defaultdict(list)
    for name in names:
        by_stem[_stem(name)].append(name)
    return {stem: found[0] for stem, found in by_stem.items() if len(found) == 1}


# ---------------------------------------------------------------------------------------
# Deletion tasks


@dataclass(eq=False)
class DeletionTask:
    """A DeleteServiceLinkedRole request: the mock decides it at once, so it has either
    SUCCEEDED (the role is gone) or FAILED (the role stays, ``reason`` says why)."""

    task_id: str  # task/aws-service-role/<principal>/<role name>/<uuid>
    account_id: str
    reason: str | None = None

    @property
    def status(self) -> str:
        return "FAILED" if self.reason is not None else "SUCCEEDED"
