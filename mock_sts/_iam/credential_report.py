"""The account's credential report: every user's passwords, access keys, MFA and signing
certificates in one CSV, generated at most once every four hours.

The columns, their order and their words (``N/A``, ``not_supported``, ``no_information``,
``true``/``false``) are the IAM User Guide's, "Getting credential reports for your AWS
account", as AWS's reports write them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mock_sts import _iam_messages
from mock_sts._iam._common import account_of
from mock_sts._state import AccessKey, Account, KeyStatus, Root, User, now, whole_seconds
from mock_sts._user_credentials import CredentialReport
from mock_sts._wire import AWSError

if TYPE_CHECKING:
    from mock_sts._operation import Context
    from mock_sts._user_credentials import SigningCertificate

# "IAM first checks whether a report for the AWS account has been generated within the past
# four hours. If so, the most recent report is downloaded. If the most recent report for the
# account is older than four hours [...] IAM generates [...] a new report" (the User Guide's
# page); GetCredentialReport answers ReportExpired for a report past that age [U: the API
# Reference does not say how old an expired report is].
REPORT_LIFETIME = dt.timedelta(hours=4)
# A report is generated within seconds; the mock's within one, or at the next request that
# asks after it (see _progressed).
_GENERATION_TIME = dt.timedelta(seconds=1)

COLUMNS = (
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    *(
        f"access_key_{n}_{column}"
        for n in (1, 2)
        for column in (
            "active",
            "last_rotated",
            "last_used_date",
            "last_used_region",
            "last_used_service",
        )
    ),
    *(f"cert_{n}_{column}" for n in (1, 2) for column in ("active", "last_rotated")),
)
_NOT_APPLICABLE = "N/A"
_NOT_SUPPORTED = "not_supported"
# A password never used to sign in, which is every password here: the mock serves no
# console sign-in.
_NO_INFORMATION = "no_information"
_ROOT_NAME = "<root_account>"


def _time(moment: dt.datetime) -> str:
    return whole_seconds(moment).isoformat()


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _key_columns(key: AccessKey | None) -> list[str]:
    """One access key's five columns. A key's rotation is shown while it is active ("If the
    user does not have an active access key, the value in this field is N/A"); its last use
    whatever its status."""
    if key is None:
        return [_flag(False), *[_NOT_APPLICABLE] * 4]
    active = key.status is KeyStatus.ACTIVE
    used = key.last_used
    return [
        _flag(active),
        _time(key.create_date) if active else _NOT_APPLICABLE,
        _time(used) if used is not None else _NOT_APPLICABLE,
        (key.last_used_region or _NOT_APPLICABLE) if used is not None else _NOT_APPLICABLE,
        (key.last_used_service or _NOT_APPLICABLE) if used is not None else _NOT_APPLICABLE,
    ]


def _certificate_columns(certificate: SigningCertificate | None) -> list[str]:
    active = certificate is not None and certificate.status == "Active"
    if certificate is None or not active:
        return [_flag(False), _NOT_APPLICABLE]
    return [_flag(True), _time(certificate.upload_date)]


def _two(items: Sequence[Any]) -> list[Any]:
    """The first and second of a holder's keys or certificates, oldest first; None for each
    it lacks."""
    return [*items[:2], *[None] * (2 - len(items[:2]))]


def _credential_columns(holder: User | Root) -> list[str]:
    keys = sorted(holder.access_keys.values(), key=lambda k: k.create_date)
    columns = [_flag(bool(holder.mfa_devices))]
    for key in _two(keys):
        columns += _key_columns(key)
    for certificate in _two(holder.others.signing_certificates):
        columns += _certificate_columns(certificate)
    return columns


def _password_columns(user: User) -> list[str]:
    profile = user.login_profile
    if profile is None:
        return [_flag(False), *[_NOT_APPLICABLE] * 3]
    policy = user.account.password_policy
    max_age = policy.max_age if policy is not None else None
    rotation = (
        _time(profile.changed + dt.timedelta(days=max_age))
        if max_age is not None
        else _NOT_APPLICABLE
    )
    return [_flag(True), _NO_INFORMATION, _time(profile.changed), rotation]


def _root_row(account: Account) -> list[str]:
    root = account.root
    # The root's password is the account's sign-up password: "not_supported" where the
    # report would show its settings, and never used through the mock.
    password = [_NOT_SUPPORTED, _NO_INFORMATION, _NOT_SUPPORTED, _NOT_SUPPORTED]
    head = [_ROOT_NAME, root.arn, _time(account.created)]
    return [*head, *password, *_credential_columns(root)]


def _user_row(user: User) -> list[str]:
    head = [user.name, user.arn, _time(user.create_date)]
    return [*head, *_password_columns(user), *_credential_columns(user)]


def report_csv(account: Account) -> bytes:
    """The account's credential report: the root's row, then each user's by name."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerow(_root_row(account))
    for user in sorted(account.users.values(), key=lambda u: u.name.lower()):
        writer.writerow(_user_row(user))
    return text.getvalue().rstrip("\n").encode()


def _progressed(report: CredentialReport, moment: dt.datetime) -> bool:
    """Whether a report still being generated stays so for a request at ``moment``. It is
    generated within a second, but a request does not wait for the clock: a report asked
    after once (a second GenerateCredentialReport, a GetCredentialReport refused with
    ReportInProgress) is complete at the next request, so that callers who poll finish
    under a frozen clock too."""
    still = report.in_progress and moment < report.started + _GENERATION_TIME
    report.in_progress = False
    return still


def generate_credential_report(ctx: Context) -> Mapping[str, Any]:
    account = account_of(ctx)
    report = account.credential_report
    moment = now()
    if report is not None and moment < report.started + REPORT_LIFETIME:
        _progressed(report, moment)
        return {"State": "COMPLETE"}
    account.credential_report = CredentialReport(started=moment, content=report_csv(account))
    # Only the account's first report is announced so (IAM API Reference,
    # GenerateCredentialReport); a newer one starts without a description [U].
    description = _iam_messages.REPORT_STARTED if report is None else None
    return {"State": "STARTED", "Description": description}


def _report_error(code: str, status: int) -> AWSError:
    return AWSError(code, _iam_messages.REPORT_ERROR, status)


def get_credential_report(ctx: Context) -> Mapping[str, Any]:
    report = account_of(ctx).credential_report
    if report is None:
        raise _report_error("ReportNotPresent", 410)
    moment = now()
    if _progressed(report, moment):
        raise _report_error("ReportInProgress", 404)
    if moment >= report.started + REPORT_LIFETIME:
        raise _report_error("ReportExpired", 410)
    return {
        "Content": report.content,
        "ReportFormat": "text/csv",
        "GeneratedTime": whole_seconds(report.started),
    }
