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
    encoded_message: str | None = None

    def __bool__(self) -> bool:
        return self.allowed
