"""IAM's validation of a policy document, one step per function, in the order IAM reports
the first failure (STS_REFERENCE §13.4):

1. the text is JSON and follows the grammar (``_read``, ``_grammar``);
2. a managed policy is of Version 2012-10-17 (``_version``);
3. the legacy parser reads it: Effect's case, dates, ARNs (``_legacy``);
4. Sids are unique (``_sids``); then the principals and the actions are there
   (``_principals``, ``_actions_present``);
5. resources are there and well-formed (``_resources``);
6. actions are well-formed (``_actions``), and a trust policy's are STS's (``_trust_actions``).

Each step reads the whole document before the next: a document with two problems is told
of the one of the earlier step, wherever it stands in the document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeGuard

from mock_sts._policy import _messages
from mock_sts._policy._conditions import base_operator
from mock_sts._policy._match import patterns, valid_principal
from mock_sts._policy._model import PolicyError, PolicyKind

CURRENT_VERSION = "2012-10-17"
VERSIONS = (CURRENT_VERSION, "2008-10-17")
_IDENTITY_KINDS = frozenset({PolicyKind.IDENTITY, PolicyKind.MANAGED})
_DOCUMENT_KEYS = frozenset({"Version", "Id", "Statement"})
_STATEMENT_KEYS = frozenset(
    {
        "Sid",
        "Effect",
        "Action",
        "NotAction",
        "Principal",
        "NotPrincipal",
        "Resource",
        "NotResource",
        "Condition",
    }
)
_LISTS = ("Action", "NotAction", "Resource", "NotResource")
_EXCLUSIVE = (("Action", "NotAction"), ("Resource", "NotResource"), ("Principal", "NotPrincipal"))
_PRINCIPAL_TYPES = ("AWS", "Federated", "Service", "CanonicalUser")
_SID = re.compile(r"[0-9A-Za-z]*")
# AWS's partitions (botocore's partitions.json); "*" stands for any of them.
_PARTITIONS = frozenset(
    {"aws", "aws-cn", "aws-eusc", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-us-gov"}
)
_IAM_PATHS = (
    "user/",
    "federated-user/",
    "role/",
    "group/",
    "instance-profile/",
    "mfa/",
    "server-certificate/",
    "policy/",
    "sms-mfa/",
    "saml-provider/",
    "oidc-provider/",
    "report/",
    "access-report/",
    # Resource types IAM added after the message above was recorded (Service Authorization
    # Reference, IAM: delegation-request, role-template), which policies name.
    "delegation-request/",
    "role-template/",
)
_ACTION_VENDOR = re.compile(r"[A-Za-z0-9.-]+")
# The actions a trust policy may name (§6.2; IAM UG, role trust policies): its own, and the
# session tags, source identity and context they carry. A wildcard is accepted when it covers
# one of them [U].
_TRUST_ACTIONS = (
    "sts:assumerole",
    "sts:assumerolewithsaml",
    "sts:assumerolewithwebidentity",
    "sts:tagsession",
    "sts:setsourceidentity",
    "sts:setcontext",
)


class Number(str):
    """A JSON number kept as written: condition values are strings (``1.50`` stays ``1.50``),
    and anywhere else a number is a type error."""


def is_string(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and not isinstance(value, Number)


def as_list(raw: object) -> list[Any]:
    """An element the grammar takes as one value or a list of them, as a list."""
    return raw if isinstance(raw, list) else [raw]


def validate(text: str, kind: PolicyKind) -> dict[str, Any]:
    """The document ``text`` holds, once every step accepts it as a ``kind`` policy.

    Raises PolicyError with the first failure's MalformedPolicyDocument text.
    """
    document = _read(text, kind)
    try:
        statements = _grammar(document, kind)
    except PolicyError:
        # Without Version IAM reads the old grammar, and says its parser failed (§10.3);
        # a managed policy has no old grammar (§13.4: the grammar is step 1, Version step 2).
        if kind is not PolicyKind.MANAGED and "Version" not in document:
            raise PolicyError(_messages.LEGACY) from None
        raise
    _version(document, kind)
    _legacy(statements, kind)
    _sids(statements, kind)
    _principals(statements, kind)
    _actions_present(statements)
    _resources(statements, kind)
    _actions(statements)
    if kind is PolicyKind.TRUST:
        _trust_actions(statements)
        _cognito_pools_named(statements)
    return document


# ---------------------------------------------------------------------------------------
# Step 1: JSON and the grammar


def _read(text: str, kind: PolicyKind) -> dict[str, Any]:
    """The JSON object ``text`` holds, each object's names once.

    Identity policies answer text that is no JSON as any syntax error, trust policies and
    other services' policies as invalid JSON (§13.4 step 1).

    Python's parser keeps the last of two equal names, so ``{"Effect": "Deny", "Effect":
    "Allow"}`` would grant; IAM refuses such documents (§12.4). Names compare exactly, as
    IAM's element names are case-sensitive: ``effect`` is another name (and no element). A
    document nested deeper than Python's parser goes is no policy either: it is refused as
    unreadable, as IAM's parser refuses nesting past its own limit.
    """
    repeated = False

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal repeated
        members = dict(pairs)
        repeated = repeated or len(members) < len(pairs)
        return members

    try:
        document = json.loads(
            text,
            object_pairs_hook=unique,
            parse_int=Number,
            parse_float=Number,
            parse_constant=_no_constant,
        )
    except (ValueError, RecursionError):
        unreadable = _messages.SYNTAX if kind in _IDENTITY_KINDS else _messages.INVALID_JSON
        raise PolicyError(unreadable) from None
    # After the whole text is read: a document that is no JSON at all says so first.
    if repeated:
        raise PolicyError(_messages.DUPLICATE_ELEMENT)
    if not isinstance(document, dict):
        raise PolicyError(_messages.SYNTAX)
    return document


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is no JSON value")


def _grammar(document: dict[str, Any], kind: PolicyKind) -> list[dict[str, Any]]:
    """The statements, once the document's and each statement's elements are of the kinds
    and shapes the grammar allows."""
    if not _DOCUMENT_KEYS.issuperset(document):
        raise PolicyError(_messages.SYNTAX)
    if "Version" in document and document["Version"] not in VERSIONS:
        raise PolicyError(_messages.SYNTAX)
    if "Id" in document and not is_string(document["Id"]):
        raise PolicyError(_messages.SYNTAX)
    statements = document.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        raise PolicyError(_messages.SYNTAX)
    for statement in statements:
        _statement_grammar(statement, kind)
    return statements


def _statement_grammar(statement: object, kind: PolicyKind) -> None:
    if not isinstance(statement, dict) or not _STATEMENT_KEYS.issuperset(statement):
        raise PolicyError(_messages.SYNTAX)
    if any(name in statement and negated in statement for name, negated in _EXCLUSIVE):
        raise PolicyError(_messages.SYNTAX)
    if "Sid" in statement and not is_string(statement["Sid"]):
        raise PolicyError(_messages.SYNTAX)
    # Effect's case is the legacy parser's concern (step 3): "allow" passes here.
    effect = statement.get("Effect")
    if not is_string(effect) or effect.lower() not in ("allow", "deny"):
        raise PolicyError(_messages.SYNTAX)
    for name in _LISTS:
        if name in statement and not all(map(is_string, as_list(statement[name]))):
            raise PolicyError(_messages.SYNTAX)
    if kind is PolicyKind.TRUST and "Principal" in statement:
        _principal_grammar(statement["Principal"])
    if kind is PolicyKind.RESOURCE:
        for name in ("Principal", "NotPrincipal"):
            if name in statement:
                _principal_grammar(statement[name])
    if "Condition" in statement:
        _condition_grammar(statement["Condition"])


def _principal_grammar(raw: object) -> None:
    """``"*"``, or an object of principal types, each with a string or a non-empty list."""
    if raw == "*":
        return
    if not isinstance(raw, dict) or not raw:
        raise PolicyError(_messages.SYNTAX)
    for principal_type, values in raw.items():
        # An unknown type is a grammar error; IAM's text for it is unverified [U].
        if principal_type not in _PRINCIPAL_TYPES:
            raise PolicyError(_messages.SYNTAX)
        entries = as_list(values)
        if not entries or not all(map(is_string, entries)):
            raise PolicyError(_messages.SYNTAX)


def _condition_grammar(raw: object) -> None:
    """Operator blocks of keys with a value or a list of values (strings, numbers or
    booleans). An operator IAM does not know is refused unless its block is empty (§13.4:
    ``{"a": {}}`` is accepted); an empty list of values is accepted too."""
    if not isinstance(raw, dict):
        raise PolicyError(_messages.SYNTAX)
    for operator_name, block in raw.items():
        if not isinstance(block, dict):
            raise PolicyError(_messages.SYNTAX)
        if block and base_operator(operator_name) is None:
            raise PolicyError(_messages.SYNTAX)
        for values in block.values():
            if not all(isinstance(value, str | bool) for value in as_list(values)):
                raise PolicyError(_messages.SYNTAX)


# ---------------------------------------------------------------------------------------
# Step 2: Version


def _version(document: dict[str, Any], kind: PolicyKind) -> None:
    """Managed policies need the current Version; inline and trust policies without one are
    read as 2008-10-17 ("If you do not include a Version element, the value defaults to
    2008-10-17", IAM UG, IAM JSON policy elements: Version)."""
    if kind is PolicyKind.MANAGED and document.get("Version") != CURRENT_VERSION:
        raise PolicyError(_messages.VERSION)


# ---------------------------------------------------------------------------------------
# Step 3: the legacy parser


def _legacy(statements: list[dict[str, Any]], kind: PolicyKind) -> None:
    """What IAM's older parser cannot read: an Effect in another case (``allow``), a date it
    cannot parse, an ARN of too few parts with an empty one, or of no service."""
    for statement in statements:
        if statement["Effect"] not in ("Allow", "Deny"):
            raise PolicyError(_messages.LEGACY)
        for operator_name, block in statement.get("Condition", {}).items():
            if not (base_operator(operator_name) or "").startswith("Date"):
                continue
            for values in block.values():
                if not all(_legacy_date(value) for value in as_list(values)):
                    raise PolicyError(_messages.LEGACY)
        if kind is PolicyKind.TRUST:
            continue  # a trust policy's resources are refused whole (see _principals)
        for resource in _resource_values(statement):
            # A resource step 5 refuses is told of there, not here (§13.4's samples).
            if _resource_error(resource) is None and _legacy_arn_fails(resource):
                raise PolicyError(_messages.LEGACY)


# Dates as the legacy parser reads them: epoch seconds up to a signed 64-bit integer, or an
# ISO 8601 form whose parts it checks by range only (§13.4 samples: "01T",
# "2016-12-13t2:00:00.593194+23" and "-292275054" are dates; "234-13", a zone of one digit
# and a tenth fraction digit are none). A fraction of an epoch second, a zone after the
# minutes and a zone without its colon are ISO 8601's own forms, taken [U].
_EPOCH = re.compile(r"([0-9]+)(?:\.[0-9]+)?")
_EPOCH_MAX = 2**63 - 1
_LEGACY_DATE = re.compile(
    r"(-?[0-9]+)(?:-([0-9]+)(?:-([0-9]+))?)?"
    r"(?:[Tt](?:([0-9]+)(?::([0-9]+)(?::([0-9]+)(?:\.[0-9]{1,9})?)?"
    r"(?:[Zz]|[+-]([0-9]{2})(?::?([0-9]{2}))?)?)?)?)?"
)
_YEARS = (-292_275_054, 292_278_993)
# The ranges of month, day, hours, minutes, seconds, zone hours and zone minutes.
_RANGES = ((1, 12), (1, 31), (0, 23), (0, 59), (0, 59), (0, 23), (0, 59))


def _legacy_date(value: str | bool) -> bool:
    if not isinstance(value, str):
        return False  # true and false are no dates
    epoch = _EPOCH.fullmatch(value)
    if epoch is not None:
        return _within(epoch.group(1), 0, _EPOCH_MAX)
    match = _LEGACY_DATE.fullmatch(value)
    if match is None:
        return False
    year, *parts = match.groups()
    return _within(year, *_YEARS) and all(
        part is None or _within(part, *bounds) for part, bounds in zip(parts, _RANGES, strict=True)
    )


def _within(digits: str, low: int, high: int) -> bool:
    """Whether the integer ``digits`` writes is in [low, high], without reading thousands of
    digits into an int (Python refuses more than 4300)."""
    significant = digits.lstrip("-").lstrip("0")
    if len(significant) > 20:
        return False
    number = int(significant or "0")
    return low <= (-number if digits.startswith("-") else number) <= high


def _legacy_arn_fails(resource: str) -> bool:
    """An ARN of fewer than six parts with an empty one (``arn:aws:s3::b``), or without a
    service (``arn:aws::::b``). ``arn:aws:fdsasf`` reads as ``arn:aws:fdsasf:*:*:*``."""
    if resource == "*":
        return False
    parts = _arn_parts(resource)
    return (len(parts) < 6 and "" in parts[1:-1]) or parts[2] == ""


# ---------------------------------------------------------------------------------------
# Step 4: statement ids, then the principals and actions every statement needs


def _sids(statements: list[dict[str, Any]], kind: PolicyKind) -> None:
    seen: set[str] = set()
    for statement in statements:
        sid = statement.get("Sid")
        if not sid:
            continue  # no Sid, or an empty one, which may repeat
        # IAM's own rule: other services take any Sid (KMS's default key policy has
        # "Enable IAM User Permissions", SNS's "__default_statement_ID"); where it stands
        # in the order is unverified [U].
        if kind is not PolicyKind.RESOURCE and not _SID.fullmatch(sid):
            raise PolicyError(_messages.SID_FORMAT)
        if sid in seen:
            raise PolicyError(_messages.SID_UNIQUE)
        seen.add(sid)


def _principals(statements: list[dict[str, Any]], kind: PolicyKind) -> None:
    """Principals where the kind of policy has them, well-formed.

    Passing an identity policy as a trust policy is answered with "Has prohibited field
    Resource", a trust policy as an identity policy with "should not specify a principal"
    [O], so these come before the checks for missing actions and resources.
    """
    for statement in statements:
        if kind in _IDENTITY_KINDS:
            if "Principal" in statement or "NotPrincipal" in statement:
                raise PolicyError(_messages.NO_PRINCIPAL_ALLOWED)
            continue
        if kind is PolicyKind.TRUST:
            # NotPrincipal is not allowed in trust policies [D]; IAM's text for it is [U].
            for prohibited in ("Resource", "NotResource", "NotPrincipal"):
                if prohibited in statement:
                    raise PolicyError(_messages.PROHIBITED_FIELD.format(prohibited))
        name = "Principal" if "Principal" in statement else "NotPrincipal"
        if name not in statement:
            raise PolicyError(_messages.MISSING_PRINCIPAL)
        raw = statement[name]
        for principal_type, values in {} if raw == "*" else raw.items():
            for value in as_list(values):
                if not valid_principal(principal_type, value):
                    # IAM names the type in capitals: "AWS", "SERVICE", "FEDERATED" [O].
                    message = _messages.INVALID_PRINCIPAL.format(principal_type.upper(), value)
                    raise PolicyError(message)


def _actions_present(statements: list[dict[str, Any]]) -> None:
    for statement in statements:
        if not _action_values(statement):
            raise PolicyError(_messages.MISSING_ACTIONS)


# ---------------------------------------------------------------------------------------
# Step 5: resources


def _resources(statements: list[dict[str, Any]], kind: PolicyKind) -> None:
    """Every statement names resources, then each is well-formed (the first ill-formed one
    in the document is named)."""
    if kind is PolicyKind.TRUST:
        return  # trust policies name none (refused in _principals)
    if not all(_resource_values(statement) for statement in statements):
        raise PolicyError(_messages.MISSING_RESOURCES)
    _first_error(statements, _resource_values, _resource_error)


def _resource_error(resource: str) -> str | None:
    """What IAM says of a Resource value, None when it takes it.

    IAM reads any first part as ``arn`` and a value of fewer than six parts as if the missing
    parts were ``*`` (§13.4: ``a:bsdfdsafsad`` is ``arn:bsdfdsafsad:*:*:*:*``).
    """
    if resource == "*":
        return None
    parts = _arn_parts(resource)
    if len(parts) == 1:
        return _messages.RESOURCE_FORMAT.format(resource)
    parts += ["*"] * (6 - len(parts))
    _, partition, service, region, account, name = parts
    if partition != "*" and partition not in _PARTITIONS:
        return _messages.PARTITION.format(partition, ":".join(["arn", *parts[1:]]))
    if "*" in service or "?" in service:
        return _messages.VENDOR_QUALIFIED
    if service == "iam":
        if region:
            return _messages.IAM_REGION.format(resource)
        if name not in ("*", "root") and not name.startswith(_IAM_PATHS):
            return _messages.IAM_PATH
    # A bucket's ARN has neither region nor account; access points and jobs have both.
    if service == "s3" and region and not account:
        return _messages.S3_REGION.format(resource)
    return None


# ---------------------------------------------------------------------------------------
# Step 6: actions


def _actions(statements: list[dict[str, Any]]) -> None:
    _first_error(statements, _action_values, _action_error)


def _action_error(action: str) -> str | None:
    """What IAM says of an Action value, None when it takes it: ``vendor:name``, the vendor of
    letters, digits, dots and hyphens (``s3.s:ListBucket`` is taken), the name free."""
    if action == "*":
        return None
    vendor, colon, name = action.partition(":")
    # An empty vendor (":GetObject") is no vendor [U].
    if not colon or not vendor:
        return _messages.VENDOR
    if ":" in name:
        return _messages.ONE_COLON
    if vendor != "*" and not _ACTION_VENDOR.fullmatch(vendor):
        return _messages.INVALID_VENDOR.format(vendor)
    return None


def _trust_actions(statements: list[dict[str, Any]]) -> None:
    for statement in statements:
        for action in _action_values(statement):
            if not any(map(patterns([action.lower()]), _TRUST_ACTIONS)):
                raise PolicyError(_messages.TRUST_ACTIONS)


_COGNITO = "cognito-identity.amazonaws.com"
_COGNITO_AUD = f"{_COGNITO}:aud"
# The operators that name the pools a statement admits (a negated one admits every other).
_POOL_OPERATORS = frozenset({"StringEquals", "StringLike", "StringEqualsIgnoreCase"})


def _cognito_pools_named(statements: list[dict[str, Any]]) -> None:
    """A statement that lets Cognito's identities in must name the identity pools it admits
    (``cognito-identity.amazonaws.com:aud``): "you cannot create or modify a role trust
    policy to allow any identity pool to assume the role" [D] (Cognito DG, "IAM roles";
    §12.8); IAM's refusal [O] (c6fc/npk#98, aws-amplify/amplify-cli#13689, since 2024-03).
    The exact rule beyond that is not published [U]: mock_sts requires an ``aud`` condition
    with a positive string operator and a value that is not only wildcards."""
    for statement in statements:
        if statement.get("Effect") != "Allow" or not _trusts_cognito(statement):
            continue
        conditions = statement.get("Condition")
        named = isinstance(conditions, dict) and any(
            base_operator(operator) in _POOL_OPERATORS
            and isinstance(block, dict)
            and any(
                key.lower() == _COGNITO_AUD
                and any(is_string(value) and value.strip("*?") for value in as_list(values))
                for key, values in block.items()
            )
            for operator, block in conditions.items()
        )
        if not named:
            raise PolicyError(_messages.COGNITO_CONDITION)


def _trusts_cognito(statement: dict[str, Any]) -> bool:
    principal = statement.get("Principal")
    federated = principal.get("Federated") if isinstance(principal, dict) else None
    return _COGNITO in as_list(federated)


# ---------------------------------------------------------------------------------------


def _arn_parts(resource: str) -> list[str]:
    """A resource's colon-separated parts, the sixth keeping any further colons; a colon
    inside a policy variable (``${aws:PrincipalAccount}``) separates nothing."""
    parts: list[str] = []
    start = position = 0
    while len(parts) < 5:
        colon = resource.find(":", position)
        if colon == -1:
            break
        variable = resource.find("${", position, colon)
        close = resource.find("}", variable) if variable != -1 else -1
        if close > colon:
            position = close + 1
            continue
        parts.append(resource[start:colon])
        start = position = colon + 1
    return [*parts, resource[start:]]


def _first_error(
    statements: list[dict[str, Any]],
    values_of: Callable[[dict[str, Any]], list[str]],
    error_of: Callable[[str], str | None],
) -> None:
    """Refuses the document with the error of its first value that has one."""
    for statement in statements:
        for value in values_of(statement):
            error = error_of(value)
            if error is not None:
                raise PolicyError(error)


def _action_values(statement: dict[str, Any]) -> list[str]:
    return as_list(statement.get("Action", statement.get("NotAction", [])))


def _resource_values(statement: dict[str, Any]) -> list[str]:
    return as_list(statement.get("Resource", statement.get("NotResource", [])))
