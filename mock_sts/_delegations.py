"""Temporary delegation as an account keeps it: partners' requests and the trade-in tokens
they end with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mock_sts._state import Caller

DELEGATION_REQUEST_LIFETIME = dt.timedelta(days=7)
TRADE_IN_TOKEN_LIFETIME = dt.timedelta(minutes=10)


@dataclass(eq=False)
class DelegationRequest:
    """A partner's request for temporary access to an account (IAM temporary delegation)."""

    request_id: str
    requestor_id: str  # the partner's account
    description: str
    template_arn: str
    parameters: list[dict[str, Any]]
    policy: str  # the permission policy the template resolves to
    workflow_id: str
    notification_channel: str
    session_duration: int
    create_date: dt.datetime
    owner_account_id: str | None = None
    request_message: str | None = None
    redirect_url: str | None = None
    only_send_by_owner: bool = False
    owner_id: str | None = None
    approver: Caller | None = None  # who accepted: the credentials carry their identity
    state: str = "UNASSIGNED"
    notes: str | None = None
    rejection_reason: str | None = None
    updated: dt.datetime | None = None

    @property
    def expiration(self) -> dt.datetime:
        return self.create_date + DELEGATION_REQUEST_LIFETIME


@dataclass(frozen=True)
class TradeInToken:
    """A token SendDelegationToken sent to the partner, for GetDelegatedAccessToken."""

    token: str
    request: DelegationRequest
    expiration: dt.datetime
