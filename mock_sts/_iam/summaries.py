"""GetHumanReadableSummary: a delegation request told in English.

AWS has a large language model write the summary (IAM API Reference,
GetHumanReadableSummary); the mock writes it from the request itself, the same words for the
same request: who asks, what for, the actions and resources its policy allows and denies,
and how long the access lasts. Summaries are generated in English only: another console
language is answered NOT_SUPPORTED, with no content [U].
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mock_sts import _iam_messages
from mock_sts._access import parse
from mock_sts._iam._common import invalid_input, no_such_entity

if TYPE_CHECKING:
    from mock_sts._operation import Context
    from mock_sts._policy import Statement
    from mock_sts._state import DelegationRequest

# arn:<partition>:iam::<account>:delegation-request/<id> (Service Authorization Reference, IAM:
# resource type delegation-request).
_REQUEST_ARN = re.compile(r"arn:[\w-]+:iam::(\d{12}):delegation-request/([\w-]+)")

# The languages of the AWS Management Console ("Supported languages", AWS Management Console
# Getting Started Guide), by the locale codes the console uses.
_LOCALES = frozenset(
    {
        "de-DE",
        "en-GB",
        "en-US",
        "es-ES",
        "fr-FR",
        "id-ID",
        "it-IT",
        "ja-JP",
        "ko-KR",
        "pt-BR",
        "tr-TR",
        "zh-CN",
        "zh-TW",
    }
)
_DEFAULT_LOCALE = "en-US"  # [U]: the locale a request without one is answered in


def summary_resource(ctx: Context) -> str:
    """The delegation request summarized, which the action is authorized on; any for an
    EntityArn that names none."""
    arn: str = ctx.params["EntityArn"]
    return arn if _REQUEST_ARN.fullmatch(arn) else "*"


def _visible(ctx: Context, request: DelegationRequest) -> bool:
    """ "If a delegation request has no owner or owner account, GetHumanReadableSummary ...
    can be called by any account. If the owner account is assigned but there is no owner id,
    only identities within that owner account can call [it]. Once the delegation request is
    fully owned, the owner of the request" can (IAM API Reference, GetHumanReadableSummary)."""
    caller = ctx.signed_caller
    if request.owner_id is not None:
        return caller.arn == request.owner_id
    return request.owner_account_id in (None, caller.account_id)


def get_human_readable_summary(ctx: Context) -> Mapping[str, Any]:
    arn: str = ctx.params["EntityArn"]
    match = _REQUEST_ARN.fullmatch(arn)
    if match is None:
        raise invalid_input(_iam_messages.SUMMARY_ENTITY_UNSUPPORTED.format(arn))
    locale: str = ctx.params.get("Locale", _DEFAULT_LOCALE)
    if locale not in _LOCALES:
        raise invalid_input(_iam_messages.SUMMARY_LOCALE_UNSUPPORTED.format(locale))
    request = ctx.backend.delegation_requests.get(match[2])
    if request is None or not _visible(ctx, request):
        raise no_such_entity(_iam_messages.DELEGATION_REQUEST_NOT_FOUND.format(match[2]))
    if not locale.startswith("en-"):
        return {"SummaryContent": "", "Locale": locale, "SummaryState": "NOT_SUPPORTED"}
    return {"SummaryContent": summary(request), "Locale": locale, "SummaryState": "AVAILABLE"}


# ---------------------------------------------------------------------------------------
# The words


def summary(request: DelegationRequest) -> str:
    """The request in English: one paragraph per part, the same for the same request."""
    target = f"account {request.owner_account_id}" if request.owner_account_id else "your account"
    parts = [
        f"AWS account {request.requestor_id} requests temporary access to {target}: "
        f'"{request.description}".'
    ]
    if request.request_message:
        parts.append(f'Its message: "{request.request_message}".')
    parts.append(
        f"The access follows policy template {request.template_arn}"
        + _parameters(request.parameters)
        + "."
    )
    parts += [_statement(statement) for statement in parse(request.policy).statements]
    parts.append(f"Each session would last up to {_duration(request.session_duration)}.")
    return "\n\n".join(parts)


def _parameters(parameters: Sequence[Mapping[str, Any]]) -> str:
    if not parameters:
        return ""
    given = [f"{p.get('Name', '')} = {', '.join(p.get('Values', ()))}" for p in parameters]
    return " with " + "; ".join(given)


def _statement(statement: Statement) -> str:
    verb = "allows" if statement.effect == "Allow" else "denies"
    actions = _listed(statement.action, statement.not_action, "every action")
    resources = _listed(statement.resource, statement.not_resource, "every resource")
    text = f"It {verb} {actions} on {resources}"
    if statement.condition:
        count = len(statement.condition)
        text += f", under {count} condition{'s' if count > 1 else ''}"
    return text + "."


def _listed(named: Sequence[str] | None, excepted: Sequence[str] | None, every: str) -> str:
    """A list of actions or resources as the statement gives it."""
    if excepted is not None:
        return f"{every} except {_joined(excepted)}"
    if named is None or "*" in named:
        return every
    return _joined(named)


def _joined(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    units = [(hours, "hour"), (minutes, "minute"), (seconds, "second")]
    said = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in units if n]
    return _joined(said)  # SessionDuration is at least 300 seconds
