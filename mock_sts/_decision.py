"""The answer to "may this principal do this?": the public result of authorization.

Kept apart from the policy engine so that ``import mock_sts`` stays light.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    """Whether a request is allowed, and why.

    ``encoded_message`` (on denials the handle reports) is what AWS would hand the caller
    to decode with DecodeAuthorizationMessage.
    """

    allowed: bool
    reason: str
    explicit_deny: bool = False
    # On a denial, the kind of policy that decided it: "identity-based policy",
    # "permissions boundary", "session policy", "resource-based policy", "service control
    # policy" or "resource control policy".
    denied_by: str | None = None
    encoded_message: str | None = None

    def denial_suffix(self, action: str) -> str:
        """How AWS's newer AccessDenied messages end: why ``action`` was refused."""
        # AWS words every SCP denial as explicit, even where no SCP allows the action (IAM
        # UG, "Troubleshoot access denied error messages": "always ... even if the denial is
        # implicit").
        if self.explicit_deny or self.denied_by == "service control policy":
            article = "an" if self.denied_by == "identity-based policy" else "a"
            return f" with an explicit deny in {article} {self.denied_by}"
        return f" because no {self.denied_by} allows the {action} action"

    def __bool__(self) -> bool:
        return self.allowed
