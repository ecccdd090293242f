"""Console passwords as IAM keeps them: the account's password policy and users' login
profiles. A password is kept only as a salted hash, never as the text."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

# A hash is slow on purpose, yet a test suite sets many passwords: this is a mock, so a
# modest cost is enough to keep the text out of reach of anyone reading the state.
_ITERATIONS = 10_000


@dataclass(frozen=True)
class PasswordHash:
    salt: bytes
    digest: bytes

    @classmethod
    def of(cls, password: str) -> PasswordHash:
        salt = secrets.token_bytes(16)
        return cls(salt, _digest(password, salt))

    def matches(self, password: str) -> bool:
        return hmac.compare_digest(self.digest, _digest(password, self.salt))


def _digest(password: str, salt: bytes) -> bytes:
    # Passwords are Latin-1 by the model's pattern ([\u0009-\u00FF]); UTF-8 takes them all.
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, _ITERATIONS)


@dataclass(frozen=True)
class PasswordPolicy:
    """An account's custom password policy; every field not given takes its default, as
    UpdateAccountPasswordPolicy does not update in part (IAM API Reference)."""

    minimum_length: int = 6
    require_symbols: bool = False
    require_numbers: bool = False
    require_uppercase: bool = False
    require_lowercase: bool = False
    allow_users_to_change: bool = False
    max_age: int | None = None  # days; None: passwords never expire
    reuse_prevention: int | None = None  # how many earlier passwords may not come back
    hard_expiry: bool | None = None  # None: not given, and not shown


@dataclass(eq=False)
class LoginProfile:
    """A user's console password: its hash, and the hashes of the ones it replaced, newest
    last, for the policy's reuse prevention."""

    password: PasswordHash
    create_date: dt.datetime
    changed: dt.datetime  # when the password was last set (the credential report shows it)
    reset_required: bool = False
    max_signin_session_duration: int | None = None
    previous: list[PasswordHash] = field(default_factory=list)
