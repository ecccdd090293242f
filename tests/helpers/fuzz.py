"""What the fuzz tests share: strategies derived from botocore's STS and IAM models, a seeded
world for the requests to aim at, the state fingerprint, and the checks every reply must pass.

Strategies are built from the operations' input shapes, never from per-operation lists: a
member's value is mostly one that names something the world holds (so requests get past
"no such entity" into the operations' own logic) or a plausible value within the model's
limits, and otherwise empty, beyond the model's maximum, odd unicode (astral and control
characters), number-like text or a value of the wrong type; optional and required members
come and go at random. Raw forms are botocore's serialization of such input with a change
or two no client makes (odd list indices, structures with only unknown keys, repeated,
missing and unknown keys), then sometimes garbled in their encoding.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeAlias
from urllib.parse import quote, quote_plus

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.config
import botocore.credentials
import botocore.parsers
import requests
from hypothesis import strategies as st

from mock_sts import MockSTS, _handles, _iam, _state, _sts, _wire
from tests.helpers import KeptWorld

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "222222222222"
IAM_ARN = f"arn:aws:iam::{ACCOUNT}:"
OPERATIONS = {"sts": sorted(_sts.OPERATIONS), "iam": sorted(_iam.OPERATIONS)}
HOSTS = {"sts": "sts.amazonaws.com", "iam": "iam.amazonaws.com"}
# A regional STS endpoint too: some operations are served on one kind of endpoint only.
STS_REGIONAL = "sts.eu-west-1.amazonaws.com"
NO_RETRIES = botocore.config.Config(parameter_validation=False, retries={"total_max_attempts": 1})


def _document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


ALLOW_ALL = _document({"Effect": "Allow", "Action": "*", "Resource": "*"})
ALLOW_S3 = _document({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})
TRUST_ACCOUNT = _document(
    {
        "Effect": "Allow",
        "Principal": {"AWS": f"{IAM_ARN}root"},
        "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
    }
)
POLICY_ARNS = [
    f"{IAM_ARN}policy/fuzz-policy",
    "arn:aws:iam::aws:policy/IAMReadOnlyAccess",
    "arn:aws:iam::aws:policy/NoSuchManagedPolicy",  # not one AWS publishes
    "arn:aws:iam::aws:policy/AdministratorAccess",
    "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials",
    f"arn:aws:iam::{OTHER_ACCOUNT}:policy/elsewhere",
]
DOCUMENTS = [
    ALLOW_ALL,
    ALLOW_S3,
    TRUST_ACCOUNT,
    _document({"Effect": "Deny", "Action": "sts:*", "Resource": "*"}),
    _document({"Effect": "Allow", "Action": "s3:*", "Resource": "not-an-arn"}),
    _document({"Effect": "Maybe", "Action": "s3:*", "Resource": "*"}),
    _document({"Effect": "Allow", "Principal": {"Federated": "x"}, "Action": "sts:*"}),
    _document({"Effect": "Allow", "Action": ["s3:GetObject"] * 400, "Resource": "*"}),
    '{"Version":"2012-10-17","Statement":[]}',
    '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}',
    '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"X":1}}]}',
    "{",
    "[]",
    "null",
    '"text"',
    '{"Version":"2012-10-17","Statement":[{"Sid":"\\ud800"}]}',
]


@dataclasses.dataclass(frozen=True)
class Ref:
    """A value only the seeded world knows (a key id, a token, a TOTP code)."""

    name: str


# Values that name what the world holds, by member name (list members by the list's name).
KNOWN: dict[str, list[Any]] = {
    "UserName": ["alice", "bob", "ALICE", "admin"],
    "RoleName": ["deployer", "web", "saml", "Deployer"],
    "GroupName": ["devs"],
    "PolicyName": ["inline", "role-inline", "group-inline", "fuzz-policy"],
    "PolicyArn": POLICY_ARNS,
    "PermissionsBoundary": POLICY_ARNS,
    "arn": POLICY_ARNS,
    "PolicyTemplateArn": POLICY_ARNS,
    "PolicyDocument": DOCUMENTS,
    "AssumeRolePolicyDocument": DOCUMENTS,
    "Policy": DOCUMENTS,
    "RoleArn": [
        f"{IAM_ARN}role/deployer",
        f"{IAM_ARN}role/web",
        f"{IAM_ARN}role/saml",
        f"arn:aws:iam::{OTHER_ACCOUNT}:role/elsewhere",
        "arn:aws:iam::123456789012:role/",
    ],
    "PrincipalArn": [f"{IAM_ARN}saml-provider/corp", f"{IAM_ARN}oidc-provider/issuer.example.com"],
    "ProviderArn": ["arn:aws:iam::aws:contextProvider/IdentityCenter"],
    "SerialNumber": [Ref("alice_mfa"), f"{IAM_ARN}mfa/spare", f"{IAM_ARN}mfa/none"],
    "TokenCode": [Ref("alice_code"), "000000"],
    "AuthenticationCode1": [Ref("spare_code1"), "000000"],
    "AuthenticationCode2": [Ref("spare_code2"), "000000"],
    "AccessKeyId": [Ref("alice_key"), Ref("admin_key"), "AKIAIOSFODNN7EXAMPLE"],
    "OpenIDConnectProviderArn": [f"{IAM_ARN}oidc-provider/issuer.example.com"],
    "SAMLProviderArn": [f"{IAM_ARN}saml-provider/corp"],
    "Url": ["https://issuer.example.com", "https://new.example.com/path", "http://plain"],
    "ClientID": ["sts.amazonaws.com", "app"],
    "ClientIDList": ["sts.amazonaws.com", "app"],
    "ThumbprintList": ["a" * 40, "0123456789abcdef0123456789abcdef01234567"],
    "VersionId": ["v1", "v2", "v9"],
    "TargetPrincipal": [OTHER_ACCOUNT, ACCOUNT],
    "WebIdentityToken": [Ref("web_token"), "a.b.c"],
    "SAMLAssertion": [Ref("saml_assertion"), "PHNhbWw+"],
    "SAMLMetadataDocument": [Ref("saml_metadata"), "<EntityDescriptor/>", "<"],
    "VirtualMFADeviceName": ["spare", "alice", "fresh"],
    "RoleSessionName": ["session", "fuzz@example.com"],
    "Name": ["federated", "corp"],
    "Key": ["team", "Team", "aws:reserved"],
    "Value": ["red", ""],
    "TagKeys": ["team", "Team"],
    "TransitiveTagKeys": ["team"],
    "Path": ["/", "/a/b/", "a", "//"],
    "PathPrefix": ["/", "/a/"],
    "Marker": ["1", "0", "-1"],
    "Audience": ["https://api.example.com"],
    "GlobalEndpointTokenVersion": ["v1Token", "v2Token"],
    "OwnerAccountId": [ACCOUNT, OTHER_ACCOUNT],
    "DelegationRequestId": [Ref("delegation_request"), "dr-0"],
}

# Characters that break naive code: astral planes, controls, separators, BOMs, non-characters,
# Unicode digits that str.isdigit() accepts and int() may not, combining marks, RTL marks.
ODD_CHARACTERS = (
    "\x00\x01\x08\t\n\x0b\x0c\r\x1b\x7f\x80\x85\x9f\xa0\xad"
    "\u0300\u200b\u200e\u202e\u2028\u2029\ufeff\ufffd\ufffe\uffff"
    "²³¹٣߀०\u0660\uff10"
    "éßİıǅΣς東京"
    "\U00010000\U0001d518\U0001f600\U000e0001\U0010ffff"
    "%+&=.;'\"<>\\/*?[]{}$ "
)
NAME_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@-_"

# Text that looks like a number, to code that reads numbers: superscripts and other
# digits int() refuses or takes, more digits than int() takes, signs, exponents, spaces.
_NUMERALS = ["²", "٣٠٠٠", "9" * 5000, "900", "43200", "-1", "", "1e3", " 900"]
odd_text = st.text(alphabet=ODD_CHARACTERS, max_size=24)
any_text = st.text(max_size=24)  # every code point but surrogates
control_text = st.text(alphabet=st.characters(categories=["Cc"]), min_size=1, max_size=8)


def _huge(low: int) -> st.SearchStrategy[str]:
    """Strings just beyond ``low`` characters, of one character repeated (cheap to build)."""
    return st.builds(
        lambda n, c: c * n,
        st.integers(min_value=low + 1, max_value=low + 40),
        st.sampled_from("a\U0001d518\x01é"),
    )


# A value fails validation (wrong type, empty, too long, odd unicode...) one time in six.
HOSTILE_ODDS = 5


def _string_strategy(shape: Any, name: str, odds: int) -> st.SearchStrategy[Any]:
    meta = shape.metadata
    low, high = meta.get("min", 0), meta.get("max")
    plain_max = min(high if high is not None else 64, 64)
    plain = st.text(alphabet=NAME_CHARACTERS, min_size=max(low, 1), max_size=max(plain_max, low, 1))
    valid: list[st.SearchStrategy[Any]] = []
    if name in KNOWN:
        valid.append(st.sampled_from(KNOWN[name]))
    if "enum" in meta:
        valid.append(st.sampled_from(meta["enum"]))
    hostile = st.one_of(
        plain,
        st.just(""),
        odd_text,
        any_text,
        control_text,
        # Just beyond the maximum, unless that is megabytes (SAML metadata may be 10 MB).
        _huge(high if high is not None and high <= 200_000 else 2048),
        st.just("x" * 200_000),
        st.sampled_from(_NUMERALS),
        st.integers(),
        st.booleans(),
        st.floats(),
        st.none(),
        st.lists(st.text(alphabet=NAME_CHARACTERS, max_size=4), min_size=2, max_size=3),
    )
    # Mostly values that pass validation, so that requests reach the operations' logic.
    return mostly(st.one_of(valid) if valid else plain, hostile, odds)


def one_in(draw: Any, n: int) -> bool:
    """True about one time in ``n``. False is the simplest choice, the one hypothesis makes
    in its first examples and shrinks towards, so the usual case comes first."""
    return bool(draw(st.integers(0, n - 1)) == n - 1)


@st.composite
def mostly(draw: Any, likely: Any, hostile: Any, odds: int) -> Any:
    """A value of ``likely`` ``odds`` times out of ``odds + 1``, else one of ``hostile``.

    (``one_of`` cannot weigh: it flattens nested choices into one uniform choice.)
    """
    return draw(hostile if one_in(draw, odds + 1) else likely)


def _integer_strategy(shape: Any, odds: int) -> st.SearchStrategy[Any]:
    meta = shape.metadata
    low, high = meta.get("min"), meta.get("max")
    edges = {0, -1, 1, 2**31 - 1, 2**31, -(2**31) - 1, 2**63, 10**30}
    for bound in (low, high):
        if bound is not None:
            edges |= {bound - 1, bound, bound + 1}
    likely = st.integers(min_value=low, max_value=high)
    hostile = st.one_of(
        st.sampled_from(sorted(edges)),
        st.integers(),
        st.sampled_from([*_NUMERALS, "soon", "1.5", "0x10", "+900"]),
        st.floats(),
        st.booleans(),
    )
    return mostly(likely, hostile, odds)


def _boolean_strategy(odds: int) -> st.SearchStrategy[Any]:
    hostile = st.one_of(st.sampled_from(["TRUE", "yes", "", "0", "1", "tru\u0435"]), st.integers())
    return mostly(st.booleans(), hostile, odds)


def _list_strategy(shape: Any, name: str, odds: int) -> st.SearchStrategy[Any]:
    item = value_strategy(shape.member, name, odds)
    high = shape.metadata.get("max")
    hostile = [
        # Duplicated entries.
        st.builds(lambda xs, n: xs * n, st.lists(item, min_size=1, max_size=2), st.integers(2, 3)),
        # One entry beyond the model's maximum (e.g. 51 tags), without drawing each one.
        st.builds(lambda x, n: [x] * n, item, st.just((high if high is not None else 20) + 1)),
    ]
    if shape.member.type_name != "structure":
        # A string where a list belongs: botocore sends each character as an item.
        hostile.append(st.text(alphabet=NAME_CHARACTERS, max_size=5))
    return mostly(st.lists(item, max_size=4), st.one_of(hostile), odds)


def _map_strategy(shape: Any, name: str, odds: int) -> st.SearchStrategy[Any]:
    return st.dictionaries(
        value_strategy(shape.key, name, odds),
        value_strategy(shape.value, name, odds),
        max_size=3,
    )


@st.composite
def _structure(draw: Any, shape: Any, odds: int) -> dict[str, Any]:
    """A random subset of the members; required members are usually, not always, there."""
    keep_required = not one_in(draw, 10)
    result: dict[str, Any] = {}
    for member_name, member in shape.members.items():
        wanted = member_name in shape.required_members and keep_required
        if wanted or draw(st.booleans()):
            result[member_name] = draw(value_strategy(member, member_name, odds))
    return result


def value_strategy(shape: Any, name: str, odds: int = HOSTILE_ODDS) -> st.SearchStrategy[Any]:
    """Values for one member, of any of the model's types, as botocore's serializer takes
    them: hostile ones (wrong type, empty, too long, odd unicode) one time in ``odds + 1``."""
    kind = shape.type_name
    if kind == "structure":
        return _structure(shape, odds)
    if kind == "list":
        return _list_strategy(shape, name, odds)
    if kind == "map":
        return _map_strategy(shape, name, odds)
    if kind == "string":
        return _string_strategy(shape, name, odds)
    if kind in ("integer", "long"):
        return _integer_strategy(shape, odds)
    if kind == "boolean":
        return _boolean_strategy(odds)
    if kind == "timestamp":
        return st.datetimes(timezones=st.just(dt.timezone.utc))
    if kind == "blob":
        return st.binary(max_size=64)
    return st.one_of(st.floats(), st.integers(), odd_text)  # float and double


@functools.cache
def input_strategy(service: str, operation: str) -> st.SearchStrategy[dict[str, Any]]:
    shape = _wire.service_model(service).operation_model(operation).input_shape
    if shape is None:
        return st.just({})
    return _structure(shape, HOSTILE_ODDS)


def resolve(value: Any, world: Mapping[str, str]) -> Any:
    """The value with every Ref replaced by what the world holds."""
    if isinstance(value, Ref):
        return world[value.name]
    if isinstance(value, dict):
        return {key: resolve(item, world) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, world) for item in value]
    return value


# ---------------------------------------------------------------------------------------
# Raw form bodies


# List indices AWS clients never send: zero, signs, leading zeros, Unicode digits (some of
# which int() refuses), huge and overlong numbers.
ODD_INDICES = ["0", "-1", "+1", "01", "1.5", "x", "", "²", "٣", "\uff10", "9" * 30, "9" * 5000]
_ITEM = re.compile(r"\.(?:member|entry)\.([^.]+)")


def _as_form_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(map(str, value))
    return "" if value is None else str(value)


def resolve_pairs(pairs: list[tuple[str, Any]], world: Mapping[str, str]) -> list[tuple[str, str]]:
    return [(key, _as_form_text(resolve(value, world))) for key, value in pairs]


def _flatten(operation: Any, params: dict[str, Any]) -> list[tuple[str, Any]]:
    """The pairs botocore's query serializer makes of the params (Refs left in place)."""
    import botocore.serialize

    serializer = botocore.serialize.create_serializer("query", include_validation=False)
    body = serializer.serialize_to_request(params, operation)["body"]
    return [(key, value) for key, value in body.items() if key not in ("Action", "Version")]


def _without(pairs: list[tuple[str, Any]], prefix: str) -> list[tuple[str, Any]]:
    """The pairs but those under ``prefix`` (a list's or a structure's key)."""
    return [(k, v) for k, v in pairs if not k.startswith(prefix + ".")]


@st.composite
def _mutated(draw: Any, pairs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """The pairs with one change no botocore client makes."""
    nested = [k for k, _ in pairs if "." in k]
    items = [k for k in nested if _ITEM.search(k)]
    kinds = ["index"] * 2 if items else []  # the changes these pairs allow
    kinds += ["unknown", "scalar", "empty"] if nested else []
    kinds += ["twice", "drop"] if pairs else []
    kinds.append("extra")
    kind = draw(st.sampled_from(kinds))
    if kind == "index":
        key = draw(st.sampled_from(items))
        item = _ITEM.search(key)
        assert item is not None
        prefix, odd = key[: item.end()], key[: item.start(1)] + draw(st.sampled_from(ODD_INDICES))
        return [
            (odd + k[len(prefix) :] if k == prefix or k.startswith(prefix + ".") else k, v)
            for k, v in pairs
        ]
    if kind == "unknown":
        # A structure (or list item) with none of its members, only a key it does not have.
        prefix = draw(st.sampled_from(nested)).rsplit(".", 1)[0]
        return [*_without(pairs, prefix), (prefix + ".Unknown", "1")]
    if kind == "scalar":
        # A plain value where a list or structure belongs.
        top = draw(st.sampled_from(nested)).split(".", 1)[0]
        return [*_without(pairs, top), (top, draw(st.one_of(odd_text, st.just(""))))]
    if kind == "empty":
        top = draw(st.sampled_from(nested)).split(".", 1)[0]
        return [*pairs, (top, "")]  # the empty-list marker beside items
    if kind == "drop":
        index = draw(st.integers(0, len(pairs) - 1))
        return pairs[:index] + pairs[index + 1 :]
    if kind == "twice":
        key = draw(st.sampled_from(pairs))[0]
        return [*pairs, (key, draw(st.one_of(odd_text, st.just(""))))]  # the last one counts
    return [
        *pairs,
        (draw(st.one_of(st.sampled_from(["Unknown", "member", ".", ""]), odd_text)), "1"),
    ]


@st.composite
def operation_form(draw: Any, service: str, operation: str) -> list[tuple[str, Any]]:
    """The form of an operation's request as botocore would send it (values that pass
    validation but for one in twenty), with a change or two no botocore client makes: odd
    list indices, structures with only unknown keys, a value where a list or structure
    belongs, keys missing, repeated or unknown, Action or Version missing or repeated."""
    model = _wire.service_model(service).operation_model(operation)
    version = _wire.service_model(service).api_version
    params = draw(_structure(model.input_shape, 20)) if model.input_shape else {}
    pairs = _flatten(model, params)
    for _ in range(draw(st.sampled_from([1, 2, 0]))):
        pairs = draw(_mutated(pairs))
    head = [("Action", operation), ("Version", version)]
    mangle = draw(st.integers(1, 5)) if one_in(draw, 8) else 0
    if mangle == 1:
        head = [("Version", version)]  # no Action
    elif mangle == 2:
        head = [("Action", operation)]  # no Version: the current one is assumed
    elif mangle == 3:
        head = [("Action", operation), ("Version", draw(st.sampled_from(["", "2010-05-08"])))]
    elif mangle == 4:
        head = [("Action", "Nope"), *head]  # repeated: the last one counts
    elif mangle == 5:
        head = [*head, ("Action", draw(st.sampled_from([operation.lower(), "", "GetUser"])))]
    pairs = head + pairs
    return draw(st.permutations(pairs)) if draw(st.booleans()) else pairs


def _action_names() -> list[str]:
    served = [name for names in OPERATIONS.values() for name in names]
    return [*served, "", "Nope", "getcalleridentity", "ListBuckets"]


@st.composite
def arbitrary_form(draw: Any) -> list[tuple[str, Any]]:
    """Any form at all: arbitrary keys and values, maybe an Action, maybe a Version."""
    keys = st.one_of(
        st.sampled_from(["Action", "Version", "RoleArn", "Tags.member.1.Key", "PolicyArns"]),
        odd_text,
        any_text,
    )
    pairs: list[tuple[str, Any]] = draw(
        st.lists(st.tuples(keys, st.one_of(odd_text, any_text)), max_size=6)
    )
    if draw(st.booleans()):
        pairs.insert(0, ("Action", draw(st.sampled_from(_action_names()))))
    if draw(st.booleans()):
        pairs.insert(0, ("Version", draw(st.sampled_from(["2011-06-15", "2010-05-08", "", "x"]))))
    return pairs


@st.composite
def form_body(draw: Any, pairs: list[tuple[str, str]], odds: int) -> bytes:
    """The pairs as an ``application/x-www-form-urlencoded`` body, well encoded but for one
    pair in ``odds`` or so: not encoded at all, with a malformed percent-escape, or a key
    without '='; sometimes with invalid UTF-8 and stray separators at the end."""
    parts = []
    for key, value in pairs:
        style = odds - draw(st.integers(0, odds))  # odds, the simplest draw: well encoded
        if style == 0:
            parts.append(f"{key}={value}")  # unencoded: '&', '=', '+', '%' taken literally
        elif style == 1:
            parts.append(f"{quote(key, safe='')}={quote(value, safe='')}{draw(_bad_escape)}")
        elif style == 2:
            parts.append(quote_plus(key))
        else:
            parts.append(f"{quote_plus(key)}={quote_plus(value)}")
    body = "&".join(parts).encode()
    if one_in(draw, 6):
        body += draw(st.sampled_from([b"&", b"&&", b"=", b"&\xff\xfe=\xc3", b"&A=%C3%28"]))
    return body


_bad_escape = st.sampled_from(["", "", "%", "%2", "%ZZ", "%C3", "%ED%A0%80", "%F4%90%80%80", "%00"])


# ---------------------------------------------------------------------------------------
# Signed identities: claims and attributes that only a valid signature gets to the checks

# What lxml agrees to write into an assertion: no controls, surrogates or non-characters.
_XML_SAFE = st.characters(exclude_categories=["Cs", "Cc", "Cn"])
xml_text = st.one_of(
    st.text(alphabet=_XML_SAFE, max_size=24),
    st.sampled_from(_NUMERALS),
    st.text(alphabet=NAME_CHARACTERS, min_size=2, max_size=64),
)
_SAML_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/"


def _attribute(values: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    """An attribute's values: mostly one, as AWS's attributes take."""
    return mostly(st.lists(values, min_size=1, max_size=1), st.lists(values, max_size=3), 3)


session_names = mostly(st.text(alphabet=NAME_CHARACTERS, min_size=2, max_size=64), xml_text, 3)
_tag_text = mostly(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=8), xml_text, 3)
# AWS's attributes, each there half the time (mostly with values it takes), and others.
# (RoleSessionName is the fake IdP's session_name.)
saml_attributes = st.fixed_dictionaries(
    {},
    optional={
        _SAML_ATTRIBUTE + "SourceIdentity": _attribute(session_names),
        _SAML_ATTRIBUTE + "SessionDuration": _attribute(st.sampled_from(_NUMERALS)),
        _SAML_ATTRIBUTE + "TransitiveTagKeys": _attribute(_tag_text),
        _SAML_ATTRIBUTE + "PrincipalTag:team": _attribute(_tag_text),
        _SAML_ATTRIBUTE + "PrincipalTag:": _attribute(_tag_text),
        _SAML_ATTRIBUTE + "Role": _attribute(
            mostly(st.just(f"{IAM_ARN}role/saml,{IAM_ARN}saml-provider/corp"), xml_text, 3)
        ),
    },
).flatmap(
    lambda known: st.dictionaries(
        st.text(alphabet=_XML_SAFE, max_size=12), _attribute(xml_text), max_size=2
    ).map(lambda others: {**others, **known})
)

_json_leaf = st.one_of(
    odd_text,
    any_text,
    st.integers(),
    st.sampled_from([10**30, -(10**30), 2**63, "9" * 5000, "²"]),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
)
json_values = st.recursive(
    _json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(odd_text, inner, max_size=3)
    ),
    max_leaves=6,
)
_session_tags_claim = st.fixed_dictionaries(
    {},
    optional={
        "principal_tags": st.dictionaries(odd_text, st.lists(odd_text, max_size=2), max_size=3),
        "transitive_tag_keys": st.lists(odd_text, max_size=2),
    },
)
token_claims = st.dictionaries(
    st.one_of(
        st.sampled_from(["sub", "aud", "iat", "exp", "nbf", "iss", "amr", "azp", "email"]),
        odd_text,
    ),
    json_values,
    max_size=4,
).flatmap(
    lambda claims: st.one_of(
        st.just(claims),
        _session_tags_claim.map(lambda tags: {**claims, "https://aws.amazon.com/tags": tags}),
    )
)


# ---------------------------------------------------------------------------------------
# The world requests aim at


class Values(Mapping[str, str]):
    """The values Refs name. The costly ones, signed tokens and assertions, are made when a
    request first names them (few do), each once."""

    def __init__(self, made: dict[str, str], deferred: dict[str, Callable[[], str]]) -> None:
        self._made = made
        self._deferred = deferred

    def __getitem__(self, name: str) -> str:
        if name not in self._made:
            self._made[name] = self._deferred[name]()
        return self._made[name]

    def __iter__(self) -> Iterator[str]:
        return iter({**self._deferred, **self._made})

    def __len__(self) -> int:
        return len({**self._deferred, **self._made})


@dataclasses.dataclass
class World:
    """What seed_world made: the values Refs name, and the fake identity providers."""

    values: Values
    oidc: Any
    saml: Any


def federated_trust(provider_arn: str, action: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": provider_arn},
                "Action": [action, "sts:TagSession", "sts:SetSourceIdentity"],
            }
        ],
    }


def seed_world(mock: MockSTS) -> World:
    """Users, a group, roles, policies, providers and MFA devices for requests to name, and
    the values (keys, tokens, codes, metadata) only this mock knows."""
    backend = mock._require_backend()
    account = backend.account()
    policy = account.add_policy("fuzz-policy", ALLOW_ALL)
    policy.versions["v2"] = _state.PolicyVersion("v2", ALLOW_S3, policy.create_date)
    policy.next_version = 3
    alice = mock.create_user(
        "alice",
        policies={"inline": ALLOW_S3},
        managed_policy_arns=[policy.arn],
        tags={"team": "red"},
    )
    alice_mfa = alice.enable_mfa()
    mock.create_user("bob")
    group = account.add_group("devs")
    group.users.append(account.users["bob"])
    group.inline_policies["group-inline"] = ALLOW_S3
    group.attached_policies.append(policy.arn)
    mock.create_role(
        "deployer",
        TRUST_ACCOUNT,
        policies={"role-inline": ALLOW_ALL},
        managed_policy_arns=[policy.arn],
        tags={"team": "red"},
        max_session_duration=7200,
    )
    oidc = mock.oidc_provider("https://issuer.example.com")
    mock.create_role("web", federated_trust(oidc.arn, "sts:AssumeRoleWithWebIdentity"))
    saml = mock.saml_provider("corp")
    saml_role = mock.create_role("saml", federated_trust(saml.arn, "sts:AssumeRoleWithSAML"))
    spare = account.add_mfa_device("spare")
    mock.organization(ACCOUNT, [OTHER_ACCOUNT])
    # A partner (the other account) asks this one for temporary access.
    delegation = _handles.invoke_iam(
        backend.account(OTHER_ACCOUNT),
        "CreateDelegationRequest",
        {
            "Description": "fuzz",
            "Permissions": {"PolicyTemplateArn": "arn:aws:iam::aws:policy/IAMReadOnlyAccess"},
            "RequestorWorkflowId": "workflow-1",
            "NotificationChannel": f"arn:aws:sns:us-east-1:{OTHER_ACCOUNT}:partner",
            "SessionDuration": 3600,
            "OwnerAccountId": ACCOUNT,
        },
    )
    moment = _state.now()
    values = {
        "admin_key": mock.admin_credentials().access_key_id,
        "alice_key": alice.credentials.access_key_id,
        "alice_mfa": alice_mfa.serial_number,
        "alice_code": alice_mfa.code(),
        "spare_code1": spare.code(moment - dt.timedelta(seconds=_state.TOTP_STEP)),
        "spare_code2": spare.code(moment),
        "saml_metadata": saml.metadata_xml,
        "delegation_request": delegation["DelegationRequestId"],
    }
    root = "<md:EntityDescriptor "
    assert root in saml.metadata_xml
    for name, valid_until in METADATA_VALIDITY.items():
        stamped = f'{root}validUntil="{valid_until}" '
        values[name] = saml.metadata_xml.replace(root, stamped, 1)
    signed = {
        "web_token": lambda: oidc.token(sub="fuzz"),
        "saml_assertion": lambda: saml.response(saml_role.arn, subject="fuzz"),
    }
    return World(Values(values, signed), oidc, saml)


Worlds: TypeAlias = KeptWorld[World]


def seeded_worlds() -> Worlds:
    """The seeded world of a test's examples, kept from one example to the next while their
    requests change nothing (its fingerprint tells)."""
    return KeptWorld(seed_world, lambda mock, _: fingerprint(mock._require_backend()))


# Metadata validity ends: passed, at the ends of the datetime range, and no date at all.
METADATA_VALIDITY = {
    "saml_metadata_expired": "2001-01-01T00:00:00Z",
    "saml_metadata_first": "0001-01-01T00:00:00+05:00",
    "saml_metadata_last": "9999-12-31T23:59:59-05:00",
    "saml_metadata_undated": "2030-02-30T00:00:00Z",
}
KNOWN["SAMLMetadataDocument"] += [Ref(name) for name in METADATA_VALIDITY]


# ---------------------------------------------------------------------------------------
# State fingerprint


_BACK_REFERENCES = frozenset({"account", "backend", "owner", "principal"})
# Not state: the lock and the record of calls; and bookkeeping that a failed request may
# update, as AWS does: the last use of the key that signed it, and the authorization
# messages AccessDenied answers carry for DecodeAuthorizationMessage.
_IGNORED = {
    _state.AccessKey: frozenset({"last_used", "last_used_service", "last_used_region"}),
    _state.Backend: frozenset({"lock", "calls", "encoded_messages"}),
}


def fingerprint(backend: _state.Backend) -> Any:
    """The backend's state as nested plain values, equal exactly when the state is.

    Accounts that only exist because a request named them (created on first use with their
    admin user and nothing else) are left out: AWS accounts exist whether or not a request
    looked at them.
    """
    pristine = {id(account) for account in backend.accounts.values() if _pristine(account)}
    return _walk(backend, pristine, set())


def _pristine(account: _state.Account) -> bool:
    users = list(account.users.values())
    return (
        len(users) == 1
        and users[0].name == _state.ADMIN_USER_NAME
        and users[0].attached_policies
        == [f"arn:{account.partition}:iam::aws:policy/{_state.ADMINISTRATOR_ACCESS}"]
        and len(users[0].access_keys) == 1
        and not (users[0].inline_policies or users[0].tags or users[0].permissions_boundary)
        and not (account.roles or account.groups or account.policies or account.mfa_devices)
        and not (account.oidc_providers or account.saml_providers or account.root.access_keys)
        and account.outbound_federation is None
        and not account.sts_disabled_regions
        and account.global_endpoint_token_version == "v1Token"
    )


def _walk(value: Any, pristine: set[int], active: set[int]) -> Any:
    if value is None or isinstance(value, (str, int, float, bytes, dt.datetime)):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if (callable(value) and not hasattr(value, "__dict__")) or isinstance(value, type):
        return ("callable", id(value))
    marker = id(value)
    if marker in active:
        return ("cycle", type(value).__name__, marker)
    active.add(marker)
    try:
        if isinstance(value, Mapping):
            return {
                _walk(k, pristine, active): _walk(v, pristine, active)
                for k, v in value.items()
                if not (isinstance(v, _state.Account) and id(v) in pristine)
                and not (isinstance(v, _state.AccessKey) and id(v.owner.account) in pristine)
            }
        if isinstance(value, (list, tuple)):
            return [_walk(item, pristine, active) for item in value]
        if isinstance(value, (set, frozenset)):
            return sorted(repr(_walk(item, pristine, active)) for item in value)
        if callable(value):
            return ("callable", id(value))
        return _walk_object(value, pristine, active)
    finally:
        active.discard(marker)


def _walk_object(value: Any, pristine: set[int], active: set[int]) -> Any:
    if dataclasses.is_dataclass(value):
        names = [f.name for f in dataclasses.fields(value)]
    else:
        names = list(vars(value))
    ignored = _IGNORED.get(type(value), frozenset())
    fields: dict[str, Any] = {"__type__": type(value).__name__}
    for name in names:
        if name in ignored:
            continue
        item = getattr(value, name)
        # A back-reference stands for the object it names, which is walked where it lives.
        fields[name] = (
            ("ref", id(item)) if name in _BACK_REFERENCES else _walk(item, pristine, active)
        )
    return fields


# ---------------------------------------------------------------------------------------
# Clients and raw requests


@functools.cache
def admin_keys() -> botocore.credentials.Credentials:
    """The default account's admin keys, the same in every mock."""
    with MockSTS(set_env=False) as mock:
        admin = mock.admin_credentials()
    return botocore.credentials.Credentials(admin.access_key_id, admin.secret_access_key)


@functools.cache
def unchecked_client(service: str, region: str) -> Any:
    """A client signed with the admin's keys, without client-side validation or retries.

    Clients are made once: the admin's keys are valid in every mock, and a client costs more
    to make than dozens of calls.
    """
    keys = admin_keys()
    return boto3.client(
        service,
        region_name=region,
        aws_access_key_id=keys.access_key,
        aws_secret_access_key=keys.secret_key,
        config=NO_RETRIES,
    )


def send_raw(host: str, body: bytes, *, signed: bool, method: str = "POST") -> requests.Response:
    """The body POSTed (or sent as a GET query string) with plain requests, SigV4-signed with
    the admin's keys when ``signed``."""
    url = f"https://{host}/"
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    data: bytes | None = body
    if method == "GET":
        url += "?" + body.decode("utf-8", "replace")
        headers, data = {}, None
    if signed:
        service = "iam" if host.startswith("iam.") else "sts"
        region = host.split(".")[1] if host.count(".") == 3 else "us-east-1"
        request = botocore.awsrequest.AWSRequest(method=method, url=url, data=data, headers=headers)
        botocore.auth.SigV4Auth(admin_keys(), service, region).add_auth(request)
        headers = dict(request.headers)
    return requests.request(method, url, data=data, headers=headers, timeout=5)


# ---------------------------------------------------------------------------------------
# What every reply must be


def check_client_error(error: Any) -> None:
    """A ClientError botocore raised for a reply must carry an AWS error: a code and a 4xx."""
    response = error.response
    code = response["Error"].get("Code")
    status = response["ResponseMetadata"]["HTTPStatusCode"]
    assert code, f"no error code in {response!r}"
    assert code != "InternalFailure", response["Error"]
    assert 400 <= status < 500, (status, response["Error"])


def check_raw_reply(service: str, response: requests.Response) -> bool:
    """The reply is an AWS body botocore parses; returns whether it is a success."""
    status = response.status_code
    assert status < 500, (status, response.content[:2000])
    assert response.headers["Content-Type"] == "text/xml"
    namespace = _wire.service_model(service).metadata["xmlNamespace"]
    root = ET.fromstring(response.content)  # well-formed XML
    assert root.tag.startswith(f"{{{namespace}}}"), root.tag
    tag = root.tag[len(namespace) + 2 :]
    request_id = response.headers["x-amzn-RequestId"]
    parser = botocore.parsers.create_parser("query")
    if status == 200:
        operation = tag.removesuffix("Response")
        assert tag.endswith("Response"), tag
        assert operation in OPERATIONS[service], tag
        model = _wire.service_model(service).operation_model(operation)
        parsed = parser.parse(
            {"body": response.content, "headers": response.headers, "status_code": 200},
            model.output_shape,
        )
        assert parsed["ResponseMetadata"]["RequestId"] == request_id
        return True
    assert 400 <= status < 500, status
    assert tag == "ErrorResponse", tag
    error, request_id_element = list(root)
    assert error.tag == f"{{{namespace}}}Error"
    assert request_id_element.tag == f"{{{namespace}}}RequestId"
    assert request_id_element.text == request_id
    fields = {child.tag[len(namespace) + 2 :]: child.text for child in error}
    # IAM's credential report errors are the ones AWS sends without a message.
    bare = fields.get("Code") in ("ReportNotPresent", "ReportInProgress", "ReportExpired")
    assert set(fields) == {"Type", "Code"} | (set() if bare else {"Message"}), fields
    assert fields["Type"] == "Sender", fields
    assert fields["Code"], fields
    assert fields["Code"] != "InternalFailure", fields
    parsed = parser.parse(
        {"body": response.content, "headers": response.headers, "status_code": status}, None
    )
    assert parsed["Error"]["Code"] == fields["Code"]
    return False


def call_operation(service: str, region: str, operation: str, params: dict[str, Any]) -> Any:
    """The operation's result, or the ClientError botocore raised (returned, not raised)."""
    from botocore.exceptions import ClientError

    method: Callable[..., Any] = getattr(
        unchecked_client(service, region), _method_name(service, operation)
    )
    try:
        return method(**params)
    except ClientError as error:
        return error


@functools.cache
def _method_name(service: str, operation: str) -> str:
    from botocore import xform_name

    name: str = xform_name(operation)
    return name
