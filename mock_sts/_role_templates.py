"""The IAM role templates mock_sts knows: AWS defines them, and publishes their contents only
where its documentation shows them.

The IAM User Guide's "Overview of role templates" lists the templates of the services that
role manager supports (``arn:aws:iam::aws:role-template/iam.amazonaws.com/
PowerUserRoleTemplate:1`` and others) by ARN and parameter names only: their trust policies,
permissions and name patterns are not published, and the mock does not make them up, so
it answers NoSuchEntity for them as for any template it does not know. The one template whose
contents AWS shows is the IAM API Reference's example of GetRoleTemplateVersion and
AcquireRole, served here as those pages give it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from mock_sts import _ids

# arn:<partition>:iam::aws:role-template/<service principal>/<name>:<major version> (Service
# Authorization Reference, IAM: resource type role-template).
TEMPLATE_ARN = re.compile(
    r"arn:([\w-]+):iam::aws:role-template/([\w.-]+)/([\w+=,.-]{1,128}):([1-9][0-9]{0,8})"
)
# A parameter in a pattern: "@{parameter} placeholders that are replaced with the values you
# supply in the ReplacementValues parameter of AcquireRole" (IAM API Reference,
# RoleTemplateVersion).
PLACEHOLDER = re.compile(r"@\{([^}]+)\}")


@dataclass(frozen=True)
class RoleTemplateVersion:
    """One minor version of a role template, in every partition."""

    principal: str
    name: str
    major: int
    minor: int
    default_minor: int
    role_name_pattern: str
    role_path_pattern: str
    trust_policy_template: str
    created: dt.datetime

    def arn(self, partition: str) -> str:
        return _ids.arn(
            partition, "iam", "aws", f"role-template/{self.principal}/{self.name}:{self.major}"
        )

    @property
    def parameters(self) -> frozenset[str]:
        """The parameters the patterns use: each needs a value."""
        patterns = (self.role_name_pattern, self.role_path_pattern, self.trust_policy_template)
        return frozenset(m for pattern in patterns for m in PLACEHOLDER.findall(pattern))


# IAM API Reference, GetRoleTemplateVersion and AcquireRole, "Examples": the template, its
# name pattern, trust policy and creation time as GetRoleTemplateVersion answers them; its
# path as the role AcquireRole makes from it has it.
_EXAMPLE = RoleTemplateVersion(
    principal="awsserviceprincipal",
    name="Example",
    major=1,
    minor=1,
    default_minor=1,
    role_name_pattern="Example-@{Department}",
    role_path_pattern="/awsserviceprincipal/",
    trust_policy_template=(
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
        '"Principal":{"Service":["ec2.amazonaws.com"]},"Action":["sts:AssumeRole"]}]}'
    ),
    created=dt.datetime(2026, 6, 26, 20, 43, 32, tzinfo=dt.timezone.utc),
)

# Every template version, by (service principal, name, major version), then minor version.
TEMPLATES: Mapping[tuple[str, str, int], Mapping[int, RoleTemplateVersion]] = {
    (_EXAMPLE.principal, _EXAMPLE.name, _EXAMPLE.major): {_EXAMPLE.minor: _EXAMPLE},
}
