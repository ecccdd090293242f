"""Matching a statement's Action, Resource and Principal elements (STS_REFERENCE §6.2)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable

from mock_sts._policy._glob import any_of, compile_parts, pattern
from mock_sts._policy._model import ConditionKeys, MatchClass, Principal
from mock_sts._policy._variables import Template, parse_template, resolve

Match = Callable[[str], bool]  # a compiled Action (or Resource) list


def patterns(texts: Iterable[str]) -> Match:
    """A list of wildcard patterns matched as one.

    Actions are matched case-insensitively: the caller lower-cases both sides.
    """
    return any_of(pattern(text) for text in texts)


def resources(values: Iterable[str], variables: bool) -> Callable[[str, ConditionKeys], bool]:
    """A Resource or NotResource list; variables only in the resource part (after the 5th
    colon) and only with Version 2012-10-17 (§6.6), elsewhere ``${`` is plain text."""
    static = []
    templates: list[Template] = []
    for value in values:
        template = _resource_template(value) if variables else None
        if template is None:
            static.append(value)
        else:
            templates.append(template)
    fixed = patterns(static)
    if not templates:
        return lambda resource, _: fixed(resource)

    def match(resource: str, context: ConditionKeys) -> bool:
        if fixed(resource):
            return True
        for template in templates:
            parts = resolve(template, context)
            # A variable without a value makes its entry match nothing.
            if parts is not None and compile_parts(parts)(resource):
                return True
        return False

    return match


def _resource_template(value: str) -> Template | None:
    """The variables of ``value``'s resource part, or None without any (the common case).

    Values are "*" or ARNs here (the parser checked), so the resource part is what follows
    the 5th colon, or all of "*".
    """
    *head, rest = value.split(":", 5)
    template = parse_template(rest)
    if template is None:
        return None
    return (*pattern("".join(part + ":" for part in head)), *template)


# ---------------------------------------------------------------------------------------
# Principals

_PARTITION = r"aws(?:-[a-z]+)*"
_ACCOUNT = r"(\d{12})"
_NAME = r"[\w+=,.@-]+"
_PATH = r"/(?:[^*?\s]*/)?"  # "/" or "/a/b/"; no wildcards, which principals never take
_AWS_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(regex, re.ASCII))
    for kind, regex in (
        ("account", _ACCOUNT),
        ("account", f"arn:{_PARTITION}:iam::{_ACCOUNT}:root"),
        ("user", f"arn:{_PARTITION}:iam::{_ACCOUNT}:user{_PATH}{_NAME}"),
        ("user_id", r"AIDA[A-Z0-9]{12,124}"),
        ("role", f"arn:{_PARTITION}:iam::{_ACCOUNT}:role{_PATH}{_NAME}"),
        ("role_id", r"AROA[A-Z0-9]{12,124}"),
        ("session", f"arn:{_PARTITION}:sts::{_ACCOUNT}:assumed-role/{_NAME}/{_NAME}"),
        ("session", f"arn:{_PARTITION}:sts::{_ACCOUNT}:federated-user/{_NAME}"),
    )
)
# Web identity providers that need no IAM provider object (§6.2).
BUILT_IN_PROVIDERS = frozenset(
    {
        "accounts.google.com",
        "graph.facebook.com",
        "www.amazon.com",
        "cognito-identity.amazonaws.com",
    }
)
_FEDERATED = re.compile(
    f"arn:{_PARTITION}:iam::\\d{{12}}:(?:saml-provider/[\\w.-]+|oidc-provider/[^*?\\s]+)",
    re.ASCII,
)
_SERVICE = re.compile(
    r"[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\."
    r"(?:amazonaws\.com(?:\.cn)?|amazon\.com|c2s\.ic\.gov|sc2s\.sgov\.gov)"
)
_CANONICAL_USER = re.compile(r"[0-9a-f]{64}")


def aws_form(value: str) -> str | None:
    """What an ``AWS`` principal value names ("*", "account", "user", "user_id", "role",
    "role_id", "session"), or None for a malformed one (partial wildcards included)."""
    if value == "*":
        return value
    for kind, regex in _AWS_FORMS:
        if regex.fullmatch(value):
            return kind
    return None


def valid_principal(kind: str, value: str) -> bool:
    """Whether ``value`` is well-formed for principal type ``kind`` (a known type)."""
    if kind == "AWS":
        return aws_form(value) is not None
    if kind == "Federated":
        return value in BUILT_IN_PROVIDERS or _FEDERATED.fullmatch(value) is not None
    if kind == "Service":
        return _SERVICE.fullmatch(value) is not None
    return _CANONICAL_USER.fullmatch(value) is not None


class Principals:
    """A trust statement's Principal element, classifying how it matches a caller."""

    __slots__ = ("_accounts", "_any", "_direct", "_federated", "_roles", "_service", "_user_ids")

    def __init__(self, entries: Iterable[tuple[str, str]]) -> None:
        self._any = False
        # Keyed by aws_form(); the None bucket (malformed values) stays empty: the parser
        # refuses those before a policy exists.
        buckets: defaultdict[str | None, set[str]] = defaultdict(set)
        federated, service = set(), set()
        for kind, value in entries:
            if kind == "Federated":
                federated.add(value)
            elif kind == "Service":
                service.add(value)
            elif kind == "AWS":
                form = aws_form(value)
                if form == "*":
                    self._any = True
                elif form == "account":
                    buckets[form].add(value if value.isdigit() else value.split(":")[4])
                else:
                    buckets[form].add(value)
            # CanonicalUser entries are valid but name no STS caller: they never match.
        self._accounts = frozenset(buckets["account"])
        self._direct = frozenset(buckets["user"] | buckets["session"])
        self._user_ids = frozenset(buckets["user_id"])
        self._roles = frozenset(buckets["role"] | buckets["role_id"])
        self._federated = frozenset(federated)
        self._service = frozenset(service)

    def match(self, caller: Principal) -> MatchClass | None:
        """The strongest way an entry matches ``caller``, or None."""
        if caller.service is not None and caller.service in self._service:
            return MatchClass.SERVICE
        if caller.federated is not None and caller.federated in self._federated:
            return MatchClass.FEDERATED
        if caller.arn:
            # Exact comparisons: the user-name part of an ARN is case-sensitive [D].
            if self._any or caller.arn in self._direct or caller.user_id in self._user_ids:
                return MatchClass.DIRECT
            if caller.role_arn in self._roles or caller.role_id in self._roles:
                return MatchClass.ROLE
            if caller.account in self._accounts:
                return MatchClass.ACCOUNT
        return None
