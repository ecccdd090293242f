"""The operations' vocabulary: what every STS and IAM operation is handed, and its signature.

Below the dispatcher, which builds a ``Context`` for each request, and below the operations,
which read it: neither imports the other for these names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mock_sts._calls import Check
from mock_sts._state import Backend, Caller, Role, Root, Session, SessionKind, User, now
from mock_sts._wire import AWSError


@dataclass(frozen=True)
class RequestInfo:
    """What the HTTP request itself tells policies (aws:SourceIp, aws:UserAgent...)."""

    region: str
    secure: bool = True
    user_agent: str = ""
    source_ip: str = "127.0.0.1"
    global_endpoint: bool = False  # sent to sts.amazonaws.com, which some operations refuse
    # The moment the request is decided at: the clock is read once per request, so that
    # every time its context holds is the same.
    moment: dt.datetime = field(default_factory=now, compare=False)
    # The authorizations decided while serving the request, in order (``_access`` adds each
    # one as it is made), which the request's Call records. Mutable in a frozen record: the
    # record is the request's, the list its log.
    checks: list[Check] = field(default_factory=list, compare=False, repr=False)


@dataclass
class Context:
    """What an operation sees: the state, the verified caller and the decoded input."""

    backend: Backend
    action: str
    params: dict[str, Any]
    caller: Caller | None
    info: RequestInfo

    @property
    def region(self) -> str:
        return self.info.region

    @property
    def signed_caller(self) -> Caller:
        # Operations that require a signature are only reached with a caller.
        assert self.caller is not None
        return self.caller

    def issue_session(
        self, kind: SessionKind, principal: User | Root | Role, duration: int, **attributes: Any
    ) -> Session:
        """New temporary credentials, marked when the global endpoint issues version 1 tokens
        for the account (those are refused in opt-in regions)."""
        global_v1 = (
            self.info.global_endpoint
            and principal.account.global_endpoint_token_version == "v1Token"
        )
        return self.backend.add_session(
            kind, principal, duration, global_v1=global_v1, **attributes
        )


def explained(error: AWSError, reason: str) -> AWSError:
    """``error`` with the reason its call records: why the request was refused, in words a
    person can act on, where AWS's own message does not say (it stays AWS's)."""
    error.reason = reason
    return error


# One STS or IAM action: its result, as the service model's output shape names it.
Operation = Callable[[Context], Mapping[str, Any]]
