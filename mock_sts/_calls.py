"""The record of what a mock served and decided: one Call per request, with the checks
it was decided on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def _now() -> dt.datetime:
    # As _state.now (which this module sits below): read at each call, so that
    # time-machine and freezegun move it.
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class Check:
    """One authorization AWS makes for a request: an IAM action on a resource, decided."""

    action: str  # "s3:GetObject"
    resource: str  # an ARN, or "*" for actions on no resource
    allowed: bool
    reason: str


@dataclass(frozen=True)
class Call:
    """One request the mock served (STS, IAM) or decided (any other service).

    ``checks`` are the authorizations it was decided on; ``checked`` is False when the mock
    could not tell which action or resource AWS would check, and let it pass; ``allowed`` is
    whether the request was authorized (a request refused in soft mode still says False);
    ``reason`` says why, in words a person can act on. ``at`` is when it was made,
    ``region`` the region it was signed for, and ``principal_id`` the unique id of the user,
    role or root user that signed it (None when unsigned): what IAM's last accessed reports
    read.
    """

    service: str
    action: str | None
    params: Mapping[str, Any]
    caller_arn: str | None
    status: int
    error_code: str | None
    checks: tuple[Check, ...] = ()
    checked: bool = True
    allowed: bool = True
    reason: str = ""
    # The circumstances of a call, which two calls that asked and were answered alike may
    # differ in: equality leaves them out.
    at: dt.datetime = field(default_factory=_now, compare=False)
    region: str | None = field(default=None, compare=False)
    principal_id: str | None = field(default=None, compare=False)

    @property
    def actions(self) -> tuple[str, ...]:
        """The IAM actions the request was decided on, in the order AWS checks them."""
        return tuple(dict.fromkeys(check.action for check in self.checks))

    @property
    def resources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(check.resource for check in self.checks))
