"""The lock of a mock's state, and what is kept between requests while the state is
unchanged."""

from __future__ import annotations

import threading
from collections.abc import Callable


class StateLock:
    """The lock of a mock's state, which every reader and writer holds.

    Whoever holds it may change the state, and letting it go empties the memo, where what
    is drawn from the state is kept for later requests (``_access`` keeps each caller's
    standing there). Holders that change nothing a decision is drawn from (STS's requests,
    which issue sessions and record their use; deciding and recording other services'
    requests) hold it through ``unchanged()``; the memo is open to them alone, so that
    nothing drawn before a change in the same hold is kept after it.

    ``generation`` counts the holds that may have changed what decisions are drawn from;
    ``after_change``, when set, is called once the outermost hold around any of them has let
    the lock go.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._memo: dict[str, object] = {}
        # Holds of the holding thread (counted while the lock is held): changing, unchanged.
        self._changing = 0
        self._unchanged = 0
        self._untold = False  # a change after_change has not heard of yet
        self.generation = 0
        self.after_change: Callable[[], None] | None = None

    def __enter__(self) -> StateLock:
        self._lock.acquire()
        self._changing += 1
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._changing -= 1
        self.generation += 1
        self._memo.clear()
        self._untold = True
        self._let_go()

    def _let_go(self) -> None:
        """Release one hold; once the outermost has gone, tell ``after_change`` of any
        change made under it."""
        tell = self._untold and not self._changing and not self._unchanged
        if tell:
            self._untold = False
        self._lock.release()
        if tell and self.after_change is not None:
            self.after_change()

    @property
    def memo(self) -> dict[str, object] | None:
        """What is kept while the state is unchanged; None outside ``unchanged()`` holds."""
        return self._memo if self._unchanged and not self._changing else None

    def unchanged(self) -> _Unchanged:
        return _Unchanged(self)


class _Unchanged:
    """A hold of a state lock that changes nothing decisions are drawn from (holds of the
    lock itself inside it may)."""

    def __init__(self, lock: StateLock) -> None:
        self._state_lock = lock

    def __enter__(self) -> None:
        lock = self._state_lock
        lock._lock.acquire()
        lock._unchanged += 1

    def __exit__(self, *exc_info: object) -> None:
        lock = self._state_lock
        lock._unchanged -= 1
        lock._let_go()
