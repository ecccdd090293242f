"""What the mock decided about a request, and the verdicts it keeps for requests repeated
while nothing they were drawn from changes.

A verdict is drawn from the mock's state, from what it learned of other services' resources,
from the request (its caller, operation, parameters, region, transport and user agent) and
from the clock. It is kept in the state lock's memo, which every change of the state empties
(see ``StateLock``); what a request teaches forgets them all (``forget``); and it is kept for
the second it was made in only: the times a request context holds are whole seconds (the
MFA age, counted from a moment within a second, is part of the request's key). Requests whose
parameters hold anything but plain values (a stream to upload) are decided every time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

from mock_sts._access import mfa_context
from mock_sts._calls import Check
from mock_sts._http import ClientCall
from mock_sts._lock import StateLock
from mock_sts._operation import RequestInfo
from mock_sts._state import Caller


@dataclass(frozen=True)
class Verdict:
    """What the mock decided about a request, which its Call records."""

    checks: tuple[Check, ...] = ()
    checked: bool = True
    allowed: bool = True
    reason: str = ""


def kept(
    lock: StateLock, access_key_id: str, caller: Caller, call: ClientCall, info: RequestInfo
) -> Kept | None:
    """Where the verdict of ``caller``'s request is kept (signed with ``access_key_id``), or
    None when it is not to be kept."""
    memo = lock.memo
    if memo is None:
        return None
    try:
        params = _frozen(call.params)
    except _NotPlain:
        return None
    second = int(info.moment.timestamp())
    shelf = memo.get(_SHELF)
    if not isinstance(shelf, _Shelf) or shelf.second != second:
        shelf = memo[_SHELF] = _Shelf(second)
    session = caller.session
    authenticated = session.mfa_authenticated if session is not None else None
    mfa = () if authenticated is None else tuple(mfa_context(authenticated, info.moment).items())
    key = (
        access_key_id,
        call.signing_name,
        call.operation.name,
        info.region,
        info.secure,
        info.user_agent,
        mfa,
        params,
    )
    return Kept(shelf.verdicts, key)


@dataclass(frozen=True)
class Kept:
    """The place of one request's verdict."""

    verdicts: dict[Hashable, Verdict]
    key: Hashable

    def get(self) -> Verdict | None:
        return self.verdicts.get(self.key)

    def keep(self, verdict: Verdict) -> None:
        self.verdicts[self.key] = verdict


def forget(lock: StateLock) -> None:
    """Forget every verdict kept: a request taught the mock something they may rest on."""
    memo = lock.memo
    if memo is not None:
        memo.pop(_SHELF, None)


# The memo's entry for verdicts (the others are callers' standings, by access key id).
_SHELF = "verdicts"


@dataclass
class _Shelf:
    """The verdicts of one second."""

    second: int
    verdicts: dict[Hashable, Verdict] = field(default_factory=dict)


class _NotPlain(Exception):
    """A parameter that is no plain value."""


_SCALARS = (str, int, float, bool, type(None), dt.datetime)
_SMALL = 4096  # bytes: a larger body is hashed at every request for nothing


def _frozen(value: object) -> Hashable:
    """Parameters as a hashable value, mappings and lists told apart."""
    if isinstance(value, _SCALARS) or (isinstance(value, bytes) and len(value) <= _SMALL):
        return value
    if isinstance(value, Mapping):
        return ("{", *((name, _frozen(item)) for name, item in value.items()))
    if isinstance(value, (list, tuple)):
        return ("[", *(_frozen(item) for item in value))
    raise _NotPlain
