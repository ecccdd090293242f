"""Parsing and validating policy documents: the grammar, IAM's error texts, the API objects."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from mock_sts._policy import Policy, PolicyError, PolicyKind, parse_policy
from tests.helpers.policy import (
    ACCOUNT,
    ROLE_ARN,
    ROLE_ID,
    USER,
    USER_ARN,
    USER_ID,
    identity_policy,
    policy_json,
    policy_statement,
    run,
    trust_policy,
    trust_statement,
)

SYNTAX = "Syntax errors in policy."
LEGACY = "The policy failed legacy parsing"
VENDOR = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
IDENTITY = PolicyKind.IDENTITY
TRUST = PolicyKind.TRUST


def policy_error_of(text: str, kind: PolicyKind) -> str:
    with pytest.raises(PolicyError) as excinfo:
        parse_policy(text, kind)
    assert str(excinfo.value) == excinfo.value.message
    return excinfo.value.message


# ---------------------------------------------------------------------------------------
# Valid documents


def test_an_identity_policy_reads_as_written() -> None:
    text = json.dumps(
        {
            "Version": "2012-10-17",
            "Id": "Example",
            "Statement": [
                {
                    "Sid": "Read",
                    "Effect": "Allow",
                    "Action": ["s3:GetObject", "s3:List*"],
                    "Resource": "arn:aws:s3:::bucket/*",
                    "Condition": {"NumericLessThan": {"s3:max-keys": [10, "@", True]}},
                },
                {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "*"},
            ],
        }
    ).replace('"@"', "1.50")
    policy = parse_policy(text, IDENTITY)
    assert (policy.kind, policy.version, policy.id, policy.text) == (
        IDENTITY,
        "2012-10-17",
        "Example",
        text,
    )
    first, second = policy.statements
    assert (first.index, first.sid, first.effect, first.label) == (0, "Read", "Allow", "Read")
    assert first.action == ("s3:GetObject", "s3:List*")
    assert first.not_action is None
    assert first.resource == ("arn:aws:s3:::bucket/*",)
    assert first.not_resource is None
    assert first.principal is None
    # JSON numbers and booleans are strings, numbers kept as written.
    (condition,) = first.condition
    assert (condition.operator, condition.key, condition.values) == (
        "NumericLessThan",
        "s3:max-keys",
        ("10", "1.50", "true"),
    )
    assert (second.sid, second.label, second.action, second.not_action) == (
        None,
        "#1",
        None,
        ("iam:*",),
    )
    assert (second.resource, second.not_resource, second.condition) == (None, ("*",), ())


def test_a_trust_policy_reads_as_written() -> None:
    policy = trust_policy(
        trust_statement(Principal={"AWS": [USER_ARN, ACCOUNT], "Service": "ec2.amazonaws.com"})
    )
    (only,) = policy.statements
    assert only.principal == (("AWS", USER_ARN), ("AWS", ACCOUNT), ("Service", "ec2.amazonaws.com"))
    assert (only.resource, only.not_resource) == (None, None)


def test_a_single_statement_object_and_the_old_versions_are_accepted() -> None:
    for version in (None, "2008-10-17"):
        body: dict[str, Any] = {"Statement": policy_statement(Sid="")}
        if version:
            body["Version"] = version
        policy = parse_policy(json.dumps(body), IDENTITY)
        assert policy.version == version
        assert policy.statements[0].label == "#0"  # an empty Sid is no Sid


@pytest.mark.parametrize("key", ["username", ":username", "aws:"])
def test_condition_keys_need_no_vendor_prefix(key: str) -> None:
    policy = identity_policy(policy_statement(Condition={"StringEquals": {key: "y"}}))
    assert [c.key for c in policy.statements[0].condition] == [key]


def test_an_empty_list_of_condition_values_is_taken() -> None:
    policy = identity_policy(policy_statement(Condition={"StringEquals": {"aws:x": []}}))
    assert [c.values for c in policy.statements[0].condition] == [()]


@pytest.mark.parametrize(
    "value",
    ["2020-13-01", "2020-01-01T24:00:00Z", "2020-01-01T00:00:00+25:00", "2020-01-01Z", "tomorrow"],
)
def test_dates_the_legacy_parser_cannot_read_are_refused(value: str) -> None:
    text = policy_json(policy_statement(Condition={"DateEquals": {"aws:CurrentTime": value}}))
    assert policy_error_of(text, IDENTITY) == LEGACY


def test_empty_sids_may_repeat_and_an_empty_condition_is_no_condition() -> None:
    policy = identity_policy(policy_statement(Sid="", Condition={}), policy_statement(Sid=""))
    assert [s.condition for s in policy.statements] == [(), ()]


def test_parsing_is_cached_and_policies_are_immutable_values() -> None:
    text = policy_json(policy_statement(Sid="A"))
    policy = parse_policy(text, IDENTITY)
    assert parse_policy(text, IDENTITY) is policy
    assert hash(policy) == hash(Policy(IDENTITY, text, None, None, ()))
    assert policy != parse_policy(policy_json(policy_statement(Sid="B")), IDENTITY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.text = "{}"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.statements[0].effect = "Deny"  # type: ignore[misc]


@pytest.mark.parametrize(
    "resource",
    [
        "*",
        "arn:aws:s3:::bucket",
        "arn:aws:s3:::*",
        "arn:*:iam::*:role/*",
        "arn:aws:logs:us-east-1:111111111111:log-group:/aws/x:*",
        "arn:aws:s3:::bucket/${aws:username}/*",
        # Read as arn:aws:s3:*:*:* (§13.4), whatever the first part says.
        "arn:aws:s3",
        "ARN:aws:s3:::b",
    ],
)
def test_resources_in_arn_format_are_accepted(resource: str) -> None:
    assert identity_policy(policy_statement(Resource=resource)).statements[0].resource == (
        resource,
    )


@pytest.mark.parametrize(
    "action",
    ["*", "s3:*", "S3:GetObject", "execute-api:Invoke", "ec2:Describe?nstances", "s3:", "*:Get"],
)
def test_vendor_prefixed_actions_are_accepted(action: str) -> None:
    assert identity_policy(policy_statement(Action=action)).statements[0].action == (action,)


@pytest.mark.parametrize("action", ["*", "sts:AssumeRole", "STS:TagSession", "sts:*"])
def test_trust_policies_take_sts_actions(action: str) -> None:
    assert trust_policy(trust_statement(Action=action)).statements[0].action == (action,)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("AWS", "*"),
        ("AWS", ACCOUNT),
        ("AWS", f"arn:aws:iam::{ACCOUNT}:root"),
        ("AWS", f"arn:aws-cn:iam::{ACCOUNT}:root"),
        ("AWS", USER_ARN),
        ("AWS", f"arn:aws:iam::{ACCOUNT}:user/dev/team/bob.smith+x@y=z,w"),
        ("AWS", ROLE_ARN),
        ("AWS", f"arn:aws-us-gov:iam::{ACCOUNT}:role/r"),
        ("AWS", f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/session@x"),
        ("AWS", f"arn:aws:sts::{ACCOUNT}:federated-user/fed"),
        ("AWS", USER_ID),
        ("AWS", ROLE_ID),
        ("Federated", f"arn:aws:iam::{ACCOUNT}:saml-provider/Okta_1.x"),
        ("Federated", f"arn:aws:iam::{ACCOUNT}:oidc-provider/oidc.eks.x.amazonaws.com/id/AB"),
        ("Federated", "accounts.google.com"),
        ("Federated", "graph.facebook.com"),
        ("Federated", "www.amazon.com"),
        ("Federated", "cognito-identity.amazonaws.com"),
        ("Service", "ec2.amazonaws.com"),
        ("Service", "states.us-east-1.amazonaws.com"),
        ("Service", "ec2.amazonaws.com.cn"),
        ("CanonicalUser", "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"),
    ],
)
def test_well_formed_principals_are_accepted(kind: str, value: str) -> None:
    # IAM takes Cognito's principal only with the identity pools it admits named.
    pools = {"StringEquals": {f"{value}:aud": "us-east-1:1"}} if "cognito" in value else None
    extra: dict[str, Any] = {"Condition": pools} if pools else {}
    policy = trust_policy(trust_statement(Principal={kind: value}, **extra))
    assert policy.principals() == ((kind, value),)


# ---------------------------------------------------------------------------------------
# Errors


def _raw(body: Any, version: str | None = "2012-10-17") -> str:
    if isinstance(body, dict) and version is not None:
        body = {"Version": version, **body}
    return json.dumps(body)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # Identity policies answer text that is no JSON as any syntax error (§13.4).
        ("", SYNTAX),
        ("{", SYNTAX),
        ('{"Version": "2012-10-17", "Statement": NaN}', SYNTAX),
        ("[" * 100_000, SYNTAX),
        ("[]", SYNTAX),
        ('"policy"', SYNTAX),
        (_raw({"Statement": [policy_statement()], "Extra": 1}), SYNTAX),
        (_raw({"Statement": [policy_statement()]}, version="2012-10-18"), SYNTAX),
        (json.dumps({"Version": 2012, "Statement": [policy_statement()]}), SYNTAX),
        (json.dumps({"Version": None, "Statement": [policy_statement()]}), SYNTAX),
        (_raw({"Id": 7, "Statement": [policy_statement()]}), SYNTAX),
        (_raw({}), SYNTAX),
        (_raw({"Statement": []}), SYNTAX),
        (_raw({"Statement": "Allow"}), SYNTAX),
        (_raw({"Statement": ["Allow"]}), SYNTAX),
        (_raw({"Statement": [policy_statement(Extra="x")]}), SYNTAX),
        (_raw({"Statement": [policy_statement(Sid=1)]}), SYNTAX),
        (
            _raw({"Statement": [policy_statement(Sid="read-all")]}),
            "Statement IDs (SID) must be alpha-numeric. "
            "Check that your input satisfies the regular expression [0-9A-Za-z]*",
        ),
        (
            _raw(
                {
                    "Statement": [
                        policy_statement(Sid="A"),
                        policy_statement(Sid="B"),
                        policy_statement(Sid="A"),
                    ]
                }
            ),
            "Statement IDs (SID) in a single policy must be unique.",
        ),
        (_raw({"Statement": [policy_statement(Effect=None)]}), SYNTAX),
        (_raw({"Statement": [policy_statement(Effect="allow")]}), LEGACY),
        (
            _raw({"Statement": [policy_statement(Principal="*")]}),
            "Policy document should not specify a principal.",
        ),
        (
            _raw({"Statement": [policy_statement(NotPrincipal={"AWS": ACCOUNT})]}),
            "Policy document should not specify a principal.",
        ),
        (_raw({"Statement": [policy_statement(NotAction="s3:*")]}), SYNTAX),
        (
            _raw({"Statement": [policy_statement(Action=None)]}),
            "Policy statement must contain actions.",
        ),
        (
            _raw({"Statement": [policy_statement(Action=[])]}),
            "Policy statement must contain actions.",
        ),
        (_raw({"Statement": [policy_statement(Action=["s3:Get", 5])]}), SYNTAX),
        (_raw({"Statement": [policy_statement(Action={"s3": "Get"})]}), SYNTAX),
        (_raw({"Statement": [policy_statement(Action="GetObject")]}), VENDOR),
        (_raw({"Statement": [policy_statement(Action=":GetObject")]}), VENDOR),
        (
            _raw({"Statement": [policy_statement(Action="s 3:GetObject")]}),
            "Vendor s 3 is not valid",
        ),
        (
            _raw({"Statement": [policy_statement(Action="s3*:GetObject")]}),
            "Vendor s3* is not valid",
        ),
        (
            _raw({"Statement": [policy_statement(Action="s3:Get:Object")]}),
            "Actions/Condition can contain only one colon.",
        ),
        (_raw({"Statement": [policy_statement(NotResource="*")]}), SYNTAX),
        (
            _raw({"Statement": [policy_statement(Resource=None)]}),
            "Policy statement must contain resources.",
        ),
        (
            _raw({"Statement": [policy_statement(Resource=[])]}),
            "Policy statement must contain resources.",
        ),
        (_raw({"Statement": [policy_statement(Resource=[None])]}), SYNTAX),
        (
            _raw({"Statement": [policy_statement(Resource="bucket")]}),
            'Resource bucket must be in ARN format or "*".',
        ),
        (
            _raw({"Statement": [policy_statement(Resource=["*", "arn:aws"])]}),
            "Resource vendor must be fully qualified and cannot contain regexes.",
        ),
        (
            _raw({"Statement": [policy_statement(Resource="arn::s3:::b")]}),
            'Partition "" is not valid for resource "arn::s3:::b".',
        ),
        (_raw({"Statement": [policy_statement(Resource="arn:aws::::b")]}), LEGACY),
        (_raw({"Statement": [policy_statement(Condition="aws:x")]}), SYNTAX),
        (_raw({"Statement": [policy_statement(Condition={"StringEquals": "x"})]}), SYNTAX),
        (
            _raw({"Statement": [policy_statement(Condition={"StringEqual": {"aws:x": "y"}})]}),
            SYNTAX,
        ),
        (
            _raw({"Statement": [policy_statement(Condition={"stringequals": {"aws:x": "y"}})]}),
            SYNTAX,
        ),
        (
            _raw({"Statement": [policy_statement(Condition={"NullIfExists": {"aws:x": "true"}})]}),
            SYNTAX,
        ),
        (
            _raw(
                {"Statement": [policy_statement(Condition={"ForAnyValue:Null": {"aws:x": "true"}})]}
            ),
            SYNTAX,
        ),
        (
            _raw({"Statement": [policy_statement(Condition={"ForAllValues:Foo": {"aws:x": "y"}})]}),
            SYNTAX,
        ),
        (
            _raw({"Statement": [policy_statement(Condition={"StringEquals": {"aws:x": None}})]}),
            SYNTAX,
        ),
        (
            _raw({"Statement": [policy_statement(Condition={"StringEquals": {"aws:x": [["y"]]}})]}),
            SYNTAX,
        ),
        (
            _raw(
                {"Statement": [policy_statement(Condition={"StringEquals": {"aws:x": {"y": 1}}})]}
            ),
            SYNTAX,
        ),
    ],
)
def test_identity_policy_errors_carry_iams_texts(text: str, message: str) -> None:
    assert policy_error_of(text, IDENTITY) == message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"Statement": [policy_statement(Resource="*")]}, "Has prohibited field Resource"),
        (
            {"Statement": [trust_statement(NotResource="arn:aws:s3:::b")]},
            "Has prohibited field NotResource",
        ),
        (
            {"Statement": [trust_statement(Principal=None, NotPrincipal={"AWS": ACCOUNT})]},
            "Has prohibited field NotPrincipal",
        ),
        ({"Statement": [trust_statement(Principal=None)]}, "Missing required field Principal"),
        ({"Statement": [trust_statement(Principal=USER_ARN)]}, SYNTAX),
        ({"Statement": [trust_statement(Principal={})]}, SYNTAX),
        ({"Statement": [trust_statement(Principal=["*"])]}, SYNTAX),
        ({"Statement": [trust_statement(Principal={"aws": ACCOUNT})]}, SYNTAX),
        ({"Statement": [trust_statement(Principal={"User": USER_ARN})]}, SYNTAX),
        ({"Statement": [trust_statement(Principal={"AWS": []})]}, SYNTAX),
        ({"Statement": [trust_statement(Principal={"AWS": 111111111111})]}, SYNTAX),
        (
            {"Statement": [trust_statement(Action="s3:GetObject")]},
            "AssumeRole policy may only specify STS AssumeRole actions.",
        ),
        (
            {"Statement": [trust_statement(Action=None, NotAction=["sts:TagSession", "iam:*"])]},
            "AssumeRole policy may only specify STS AssumeRole actions.",
        ),
        ({"Statement": [trust_statement(Action=None)]}, "Policy statement must contain actions."),
        ({"Statement": [trust_statement(Action="AssumeRole")]}, VENDOR),
        (
            {"Statement": [trust_statement(Sid="X"), trust_statement(Sid="X")]},
            "Statement IDs (SID) in a single policy must be unique.",
        ),
    ],
)
def test_trust_policy_errors_carry_iams_texts(body: dict[str, Any], message: str) -> None:
    assert policy_error_of(_raw(body), TRUST) == message


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("AWS", "not-an-arn"),
        ("AWS", "arn:aws:iam::*:root"),
        ("AWS", "arn:aws:iam::11111111111:root"),
        ("AWS", f"arn:aws:iam::{ACCOUNT}:*"),
        ("AWS", f"arn:aws:iam::{ACCOUNT}:user/*"),
        ("AWS", f"arn:aws:iam::{ACCOUNT}:user/bo?"),
        ("AWS", f"arn:aws:iam::{ACCOUNT}:role/*/deployer"),
        ("AWS", f"arn:aws:iam::{ACCOUNT}:group/admins"),
        ("AWS", f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/*"),
        ("AWS", f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer"),
        ("AWS", f"arn:aws:iam::{ACCOUNT}:assumed-role/deployer/s"),
        ("AWS", f"arn:aws:s3:::{ACCOUNT}"),
        ("AWS", "AIDA123"),
        ("AWS", "aida0123456789abcdefg"),
        ("AWS", "**"),
        ("Federated", "*"),
        ("Federated", "example.com"),
        ("Federated", f"arn:aws:iam::{ACCOUNT}:saml-provider/*"),
        ("Federated", f"arn:aws:iam::{ACCOUNT}:role/x"),
        ("Service", "*"),
        ("Service", "amazonaws.com"),
        ("Service", "ec2.amazonaws.co"),
        ("Service", "*.amazonaws.com"),
        ("CanonicalUser", "abc"),
    ],
)
def test_malformed_principals_are_named_in_the_error(kind: str, value: str) -> None:
    text = _raw({"Statement": [trust_statement(Principal={kind: value})]})
    assert (
        policy_error_of(text, TRUST) == f'Invalid principal in policy: "{kind.upper()}":"{value}"'
    )


def test_the_first_malformed_principal_of_a_list_is_named() -> None:
    principal = {"AWS": [ACCOUNT, "arn:aws:iam::*:root", "bad"]}
    text = _raw({"Statement": [trust_statement(Principal=principal)]})
    assert (
        policy_error_of(text, TRUST) == 'Invalid principal in policy: "AWS":"arn:aws:iam::*:root"'
    )


def test_without_version_syntax_errors_are_legacy_parsing_failures() -> None:
    assert (
        policy_error_of(_raw({"Statement": [policy_statement(Effect="allow")]}, None), IDENTITY)
        == LEGACY
    )
    assert (
        policy_error_of(_raw({"Statement": [policy_statement(Extra=1)]}, None), IDENTITY) == LEGACY
    )
    assert policy_error_of(_raw({"Statement": []}, None), IDENTITY) == LEGACY
    # Errors with their own text keep it; a document that is no object has no Version at all.
    missing = _raw({"Statement": [policy_statement(Resource=None)]}, None)
    assert policy_error_of(missing, IDENTITY) == "Policy statement must contain resources."
    assert policy_error_of("[]", IDENTITY) == SYNTAX


# A name written twice in one object, at each depth of the grammar; "{}" stands for the
# statement's other elements. Python's JSON reader would keep the last one silently.
_IDENTITY_HEAD = '"Action":"*","Resource":"*"'
_TRUST_HEAD = f'"Principal":{{"AWS":"{ACCOUNT}"}},"Action":"sts:AssumeRole"'
DUPLICATES = {
    "Effect": '{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Effect":"Allow",{}}}]}}',
    "same-value": '{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Effect":"Allow",{}}}}}',
    "Statement": (
        '{{"Version":"2012-10-17","Statement":{{"Effect":"Deny",{0}}},'
        '"Statement":{{"Effect":"Allow",{0}}}}}'
    ),
    "Version": (
        '{{"Version":"2008-10-17","Version":"2012-10-17","Statement":{{"Effect":"Allow",{}}}}}'
    ),
    "Condition": (
        '{{"Version":"2012-10-17","Statement":{{"Effect":"Allow",{},'
        '"Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}},"Condition":{{}}}}}}'
    ),
    "operator": (
        '{{"Version":"2012-10-17","Statement":{{"Effect":"Allow",{},"Condition":'
        '{{"StringEquals":{{"aws:x":"a"}},"StringEquals":{{"aws:y":"b"}}}}}}}}'
    ),
    "condition-key": (
        '{{"Version":"2012-10-17","Statement":{{"Effect":"Allow",{},"Condition":'
        '{{"StringEquals":{{"aws:x":"a","aws:x":"b"}}}}}}}}'
    ),
    "escaped": (
        '{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","\\u0045ffect":"Allow",{}}}]}}'
    ),
    "no-Version": '{{"Statement":[{{"Effect":"Deny","Effect":"Allow",{}}}]}}',
}


@pytest.mark.parametrize("template", DUPLICATES.values(), ids=DUPLICATES.keys())
@pytest.mark.parametrize(
    ("kind", "head"), [(IDENTITY, _IDENTITY_HEAD), (TRUST, _TRUST_HEAD)], ids=["identity", "trust"]
)
def test_a_name_twice_in_one_object_is_refused(template: str, kind: PolicyKind, head: str) -> None:
    text = template.format(head)
    assert json.loads(text)  # what Python's reader accepts, keeping the last value
    assert policy_error_of(text, kind) == SYNTAX


@pytest.mark.parametrize(
    "principal",
    [
        f'{{"AWS":"{ACCOUNT}","AWS":"{USER_ARN}"}}',
        f'{{"AWS":"{ACCOUNT}","Federated":"accounts.google.com","AWS":"{ACCOUNT}"}}',
    ],
)
def test_a_principal_type_twice_is_refused(principal: str) -> None:
    text = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
        f'"Principal":{principal},"Action":"sts:AssumeRole"}}]}}'
    )
    assert policy_error_of(text, TRUST) == SYNTAX


def test_names_are_compared_exactly() -> None:
    # Condition keys differ in case without being one name; an element name in another case
    # is no element (refused by the grammar, not as a repeated name).
    keys = '"Condition":{"StringEquals":{"aws:PrincipalTag/team":"a","aws:principaltag/team":"b"}}'
    text = f'{{"Version":"2012-10-17","Statement":{{"Effect":"Allow",{_IDENTITY_HEAD},{keys}}}}}'
    assert len(parse_policy(text, IDENTITY).statements[0].condition) == 2
    cased = (
        DUPLICATES["Effect"].format(_IDENTITY_HEAD).replace('"Effect":"Deny"', '"effect":"Deny"')
    )
    assert policy_error_of(cased, IDENTITY) == SYNTAX


def test_text_that_is_no_json_says_so_before_any_repeated_name() -> None:
    text = DUPLICATES["Effect"].format(_TRUST_HEAD) + ","
    assert policy_error_of(text, TRUST) == "This policy contains invalid Json"


@pytest.mark.parametrize(
    "nesting",
    ["[" * 1_000 + "]" * 1_000, '{"a":' * 1_000 + "1" + "}" * 1_000],
    ids=["arrays", "objects"],
)
@pytest.mark.parametrize(
    ("kind", "head"), [(IDENTITY, _IDENTITY_HEAD), (TRUST, _TRUST_HEAD)], ids=["identity", "trust"]
)
def test_a_thousand_levels_deep_is_unreadable(nesting: str, kind: PolicyKind, head: str) -> None:
    text = (
        f'{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow",{head},'
        f'"Condition":{{"StringEquals":{{"aws:x":{nesting}}}}}}}]}}'
    )
    # Unreadable text is a syntax error to identity policies, invalid JSON to trust ones.
    unreadable = SYNTAX if kind is IDENTITY else "This policy contains invalid Json"
    assert policy_error_of(text, kind) == unreadable
    assert policy_error_of(nesting, kind) == unreadable


def test_a_failed_parse_is_not_cached() -> None:
    text = _raw({"Statement": [policy_statement(Resource="bucket")]})
    assert policy_error_of(text, IDENTITY) == policy_error_of(text, IDENTITY)


# ---------------------------------------------------------------------------------------
# Principals and their resolution to unique ids


def test_principals_lists_each_entry_once_in_document_order() -> None:
    policy = trust_policy(
        trust_statement(Principal={"Service": "ec2.amazonaws.com", "AWS": [ROLE_ARN, USER_ARN]}),
        trust_statement(Principal="*"),
        trust_statement(Principal={"AWS": ROLE_ARN, "Federated": "accounts.google.com"}),
    )
    assert policy.principals() == (
        ("Service", "ec2.amazonaws.com"),
        ("AWS", ROLE_ARN),
        ("AWS", USER_ARN),
        ("AWS", "*"),
        ("Federated", "accounts.google.com"),
    )
    assert identity_policy(policy_statement()).principals() == ()


def test_with_principals_rewrites_aws_entries_and_reserializes() -> None:
    policy = trust_policy(
        trust_statement(Principal={"AWS": USER_ARN}),
        trust_statement(
            Principal={"AWS": [ROLE_ARN, ACCOUNT], "Service": "ec2.amazonaws.com"},
            Condition={"NumericLessThan": {"aws:MultiFactorAuthAge": 3600}},
        ),
        trust_statement(Principal="*"),
        trust_statement(Principal={"Federated": "www.amazon.com"}),
    )
    resolved = policy.with_principals({USER_ARN: USER_ID, ROLE_ARN: ROLE_ID})
    assert resolved.kind is TRUST
    assert json.loads(resolved.text)["Statement"][:2] == [
        {"Effect": "Allow", "Principal": {"AWS": USER_ID}, "Action": "sts:AssumeRole"},
        {
            "Effect": "Allow",
            "Principal": {"AWS": [ROLE_ID, ACCOUNT], "Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": 3600}},
        },
    ]
    assert " " not in resolved.text
    assert resolved.principals()[:3] == (("AWS", USER_ID), ("AWS", ROLE_ID), ("AWS", ACCOUNT))
    # A namesake (same ARN, new unique id) is no longer trusted; the resolved entity is.
    mfa = {"aws:MultiFactorAuthAge": "60"}
    assert run(resolved, "sts:AssumeRole", None, USER, mfa).statements == ("#0", "#1", "#2")
    namesake = dataclasses.replace(USER, user_id="AIDAEXAMPLEUSER000002")
    assert run(resolved, "sts:AssumeRole", None, namesake, mfa).statements == ("#1", "#2")
    assert resolved.with_principals({}) is resolved


def test_with_principals_keeps_the_policy_when_nothing_maps() -> None:
    policy = trust_policy(trust_statement(Principal={"AWS": [ACCOUNT]}))
    assert policy.with_principals({USER_ARN: USER_ID}) is policy
    single = parse_policy(
        json.dumps({"Statement": trust_statement(Principal={"AWS": USER_ARN})}), TRUST
    )
    assert json.loads(single.with_principals({USER_ARN: USER_ID}).text) == {
        "Statement": {"Effect": "Allow", "Principal": {"AWS": USER_ID}, "Action": "sts:AssumeRole"}
    }


# ---------------------------------------------------------------------------------------
# Kinds: managed policies need the current Version; resource policies name principals


def test_a_managed_policy_needs_the_current_version() -> None:
    for version in (None, "2008-10-17"):
        text = policy_json(policy_statement(), version=version)
        assert policy_error_of(text, PolicyKind.MANAGED) == (
            "Policy document must be version 2012-10-17 or greater."
        )
        assert parse_policy(text, IDENTITY).version == version
    assert parse_policy(policy_json(policy_statement()), PolicyKind.MANAGED).statements


@pytest.mark.parametrize("value", [True, ["2020-01-01", False]])
def test_a_boolean_is_no_date(value: Any) -> None:
    text = policy_json(policy_statement(Condition={"DateLessThan": {"aws:CurrentTime": value}}))
    assert policy_error_of(text, IDENTITY) == LEGACY


RESOURCE = PolicyKind.RESOURCE


def test_a_resource_policy_names_principals_or_every_other() -> None:
    policy = parse_policy(
        policy_json(policy_statement(Sid="any id-goes", NotPrincipal={"AWS": ACCOUNT})), RESOURCE
    )
    (only,) = policy.statements
    assert (only.sid, only.principal, only.not_principal) == (
        "any id-goes",
        (("AWS", ACCOUNT),),
        True,
    )


@pytest.mark.parametrize(
    ("elements", "message"),
    [
        ({}, "Missing required field Principal"),
        ({"NotPrincipal": {}}, SYNTAX),
        ({"Principal": {"AWS": "not-an-arn"}}, 'Invalid principal in policy: "AWS":"not-an-arn"'),
        (
            {"Principal": "*", "Resource": "arn:aws:s3:eu-west-1::b"},
            ("Resource arn:aws:s3:eu-west-1::b can not contain region information."),
        ),
    ],
)
def test_resource_policy_errors_carry_iams_texts(elements: dict[str, Any], message: str) -> None:
    assert policy_error_of(policy_json(policy_statement(**elements)), RESOURCE) == message
