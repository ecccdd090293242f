"""Misuse of the library, explained: an unknown option names the option meant at every entry
point, and a handle argument of the wrong type or shape says what to write instead, before
anything is made."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from mock_sts import MockSTS, mock_sts
from tests.helpers import error_of
from tests.helpers.assume_role import ALLOW_STS, trust

TRUST = trust("123456789012")
DOCUMENT = '{"Version": "2012-10-17", "Statement": [...]}'
AS_DOCUMENT = f"must be a policy document, a dict such as {DOCUMENT} or its JSON text, got"
OPTIONS = (
    "the options, with their defaults, are account_id='123456789012', region='us-east-1', "
    "strict=False, set_env=True, enforce=True."
)

pytest_plugins = ["pytester"]


def refusal(call: Callable[[], object]) -> tuple[type[BaseException], str]:
    """The exception ``call`` raises: its type and whole message."""
    with pytest.raises((TypeError, ValueError)) as raised:
        call()
    return raised.type, str(raised.value)


# -- options ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "entry"),
    [(MockSTS, "MockSTS()"), (mock_sts, "mock_sts()")],
    ids=["MockSTS", "mock_sts"],
)
def test_a_misspelt_option_names_the_option_meant(make: Callable[..., Any], entry: str) -> None:
    assert refusal(lambda: make(acount_id="111111111111")) == (
        TypeError,
        f"{entry} got unknown option 'acount_id' (did you mean 'account_id'?); {OPTIONS}",
    )


def test_unknown_options_with_and_without_a_close_name() -> None:
    assert refusal(lambda: MockSTS(colour="red", stritc=True)) == (  # type: ignore[arg-type]
        TypeError,
        f"MockSTS() got unknown options 'colour', 'stritc' (did you mean 'strict'?); {OPTIONS}",
    )


def test_a_misspelt_marker_option_names_the_option_meant(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.sts_mock(regoin="eu-west-1")
        def test_typo(sts_mock):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:benchmark")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "E * TypeError: @pytest.mark.sts_mock(...) got unknown option 'regoin' (did you "
            "mean 'region'?); the options, with their defaults, are account_id='123456789012', "
            "region='us-east-1', strict=False, set_env=True, enforce=True."
        ]
    )


def test_an_account_id_written_as_a_number_is_shown_quoted() -> None:
    assert refusal(lambda: MockSTS(account_id=12345678901)) == (  # type: ignore[arg-type]
        ValueError,
        "account_id must be a string of 12 digits, got 12345678901 "
        "(quote it: account_id='012345678901').",
    )


# -- two mocks in one test ----------------------------------------------------------------

TWO_MOCKS = (
    "is decorated with @mock_sts and also asks for the sts_mock fixture: it runs in two mocks, "
    "and the decorator's, started last, serves every request, so what the test made through "
    "sts_mock (roles, users, options) is not there. Use one: drop @mock_sts and keep sts_mock "
    "(its options go in @pytest.mark.sts_mock(...)), or drop the sts_mock argument and use "
    "`with mock_sts() as sts:` in the test."
)


def test_the_decorator_with_the_fixture_warns_with_the_fix(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import functools

        from mock_sts import mock_sts

        def logged(test):
            @functools.wraps(test)
            def run(*args, **kwargs):
                return test(*args, **kwargs)
            return run

        @mock_sts
        def test_function(sts_mock):
            pass

        class TestGrouped:
            @mock_sts(region="eu-west-1")
            def test_method(self, sts_mock):
                pass

        @logged
        @mock_sts
        async def test_under_another_decorator(sts_mock):
            pass

        @mock_sts
        def test_decorator_alone():
            pass

        def test_fixture_alone(sts_mock):
            pass
        """
    )
    result = pytester.runpytest("-W", "error", "-p", "no:benchmark", "-p", "no:randomly")
    result.assert_outcomes(passed=2, errors=3)
    for test in ("test_function", "test_method", "test_under_another_decorator"):
        result.stdout.fnmatch_lines([f"E *.MockSTSWarning: {test} {TWO_MOCKS}"])


def test_the_two_mocks_warning_can_be_filtered(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from mock_sts import mock_sts

        @mock_sts
        def test_on_purpose(sts_mock):
            pass
        """
    )
    result = pytester.runpytest(
        "-W", "error", "-W", "ignore::mock_sts.MockSTSWarning", "-p", "no:benchmark"
    )
    result.assert_outcomes(passed=1)


def test_a_builtin_can_still_be_decorated() -> None:
    # What the plugin looks for cannot hold a builtin: it is decorated all the same.
    assert mock_sts(len)("abc") == 3


# -- the handle's arguments ---------------------------------------------------------------

POLICIES_SHAPE = (
    f'policies must map inline policy names to documents, e.g. {{"s3-read": {DOCUMENT}}}; got'
)
TAGS_SHAPE = 'tags must map tag keys to values, e.g. {"team": "data"}, got'


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        (
            {"policies": [{"Version": "2012-10-17"}]},
            TypeError,
            f"{POLICIES_SHAPE} a list ([{{'Version': '2012-10-17'}}]).",
        ),
        ({"policies": {"sts": 5}}, TypeError, f"policies['sts'] {AS_DOCUMENT} 5."),
        ({"policies": {1: ALLOW_STS}}, TypeError, "each name in policies must be a string, got 1."),
        (
            {"tags": [("team", "data")]},
            TypeError,
            f"{TAGS_SHAPE} a list ([('team', 'data')]): write tags={{'team': 'data'}}.",
        ),
        (
            {"tags": [{"Key": "team", "Value": "data"}]},
            TypeError,
            f"{TAGS_SHAPE} a list ([{{'Key': 'team', 'Value': 'data'}}]): "
            "write tags={'team': 'data'}.",
        ),
        ({"tags": "team=data"}, TypeError, f"{TAGS_SHAPE} 'team=data'."),
        ({"tags": [1, 2]}, TypeError, f"{TAGS_SHAPE} a list ([1, 2])."),
        ({"tags": []}, TypeError, f"{TAGS_SHAPE} a list ([])."),
        (
            {"tags": {"cost": 10}},
            TypeError,
            "tags must map string keys to string values, got 'cost': 10: write 'cost': '10'.",
        ),
        (
            {"managed_policy_arns": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
            TypeError,
            "managed_policy_arns must be a sequence of strings, such as "
            "['arn:aws:iam::aws:policy/ReadOnlyAccess'], not a string.",
        ),
        (
            {"managed_policy_arns": None},
            TypeError,
            "managed_policy_arns must be a sequence of strings, such as ['...'], got None.",
        ),
        (
            {"managed_policy_arns": [None]},
            TypeError,
            "each of managed_policy_arns must be a string, got None.",
        ),
        (
            {"account_id": "1234"},
            ValueError,
            "account_id must be a string of 12 digits, got '1234'.",
        ),
        ({"path": None}, TypeError, "path must be a string, got None."),
        ({"name": 5}, TypeError, "name must be a string, got 5."),
    ],
)
@pytest.mark.parametrize("make", ["create_role", "create_user"])
def test_users_and_roles_are_refused_the_wrong_shapes(
    sts_mock: MockSTS, make: str, arguments: dict[str, Any], error: type, message: str
) -> None:
    arguments = dict(arguments)
    name = arguments.pop("name", "app")
    create: Any = getattr(sts_mock, make)
    if make == "create_role":
        arguments = {"trust_policy": TRUST, **arguments}
    assert refusal(lambda: create(name, **arguments)) == (error, message)
    # Nothing was made.
    iam = boto3.client("iam")
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == []
    assert [u["UserName"] for u in iam.list_users()["Users"]] == ["admin"]


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"trust_policy": [TRUST]}, TypeError, f"trust_policy {AS_DOCUMENT} a list ("),
        ({"trust_policy": None}, TypeError, f"trust_policy {AS_DOCUMENT} None."),
        (
            {"max_session_duration": "3600"},
            TypeError,
            "max_session_duration must be a whole number of seconds, e.g. "
            "max_session_duration=3600, got '3600'.",
        ),
        (
            {"max_session_duration": 1.5},
            TypeError,
            "max_session_duration must be a whole number of seconds, e.g. "
            "max_session_duration=3600, got 1.5.",
        ),
        (
            {"max_session_duration": True},
            TypeError,
            "max_session_duration must be a whole number of seconds, e.g. "
            "max_session_duration=3600, got True.",
        ),
        (
            {"permissions_boundary": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]},
            TypeError,
            "permissions_boundary must be a string or None, got a list "
            "(['arn:aws:iam::aws:policy/ReadOnlyAccess']).",
        ),
    ],
)
def test_roles_are_refused_the_wrong_shapes(
    sts_mock: MockSTS, arguments: dict[str, Any], error: type, message: str
) -> None:
    arguments = {"trust_policy": TRUST, **arguments}
    raised, text = refusal(lambda: sts_mock.create_role("app", **arguments))
    assert (raised, text[: len(message)]) == (error, message)
    with pytest.raises(ClientError) as missing:
        boto3.client("iam").get_role(RoleName="app")
    assert error_of(missing)[0] == "NoSuchEntity"


def test_a_long_value_is_cut_short_in_the_message(sts_mock: MockSTS) -> None:
    statements = [TRUST] * 5
    raised, text = refusal(lambda: sts_mock.create_role("app", statements))  # type: ignore[arg-type]
    assert raised is TypeError
    assert text == f"trust_policy {AS_DOCUMENT} a list ({repr(statements)[:76]} ...)."


def test_a_policy_as_text_is_still_taken(sts_mock: MockSTS) -> None:
    text = json.dumps(ALLOW_STS)
    role = sts_mock.create_role("app", TRUST, policies={"sts": text}, tags={"team": "data"})
    iam = boto3.client("iam")
    assert iam.get_role_policy(RoleName="app", PolicyName="sts")["PolicyDocument"] == ALLOW_STS
    assert iam.list_role_tags(RoleName=role.name)["Tags"] == [{"Key": "team", "Value": "data"}]


def _org(sts: MockSTS) -> Any:
    return sts.organization("111111111111", ["222222222222"])


# Every other handle method and value type, refused what it cannot take.
HANDLE_CASES: dict[str, tuple[Callable[[MockSTS], object], type, str]] = {
    "instance profile's role": (
        lambda s: s.create_instance_profile("web", role=5),  # type: ignore[arg-type]
        TypeError,
        "role (a Role, or a role's name) must be a string or None, got 5.",
    ),
    "instance profile's path": (
        lambda s: s.create_instance_profile("web", path=None),  # type: ignore[arg-type]
        TypeError,
        "path must be a string, got None.",
    ),
    "AWS managed policy's document": (
        lambda s: s.add_aws_managed_policy("Mine", [ALLOW_STS]),  # type: ignore[arg-type]
        TypeError,
        f"document {AS_DOCUMENT} a list ([{ALLOW_STS!r}"[:150],
    ),
    "SAML provider's name": (
        lambda s: s.saml_provider(5),  # type: ignore[arg-type]
        TypeError,
        "name must be a string, got 5.",
    ),
    "SAML provider's entity id": (
        lambda s: s.saml_provider("Corp", entity_id=5),  # type: ignore[arg-type]
        TypeError,
        "entity_id must be a string or None, got 5.",
    ),
    "OIDC provider's client ids": (
        lambda s: s.oidc_provider("https://idp.example", client_ids="app"),
        TypeError,
        "client_ids must be a sequence of strings, such as ['app'], not a string.",
    ),
    "OIDC provider's account": (
        lambda s: s.oidc_provider("https://idp.example", account_id="42"),
        ValueError,
        "account_id must be a string of 12 digits, got '42'.",
    ),
    "access token's lifetime": (
        lambda s: s.web_access_token(
            "www.amazon.com",
            user_id="u",
            app_id="a",
            expires_in="1h",  # type: ignore[arg-type]
        ),
        TypeError,
        "expires_in must be a whole number of seconds, e.g. expires_in=3600, got '1h'.",
    ),
    "access token's user": (
        lambda s: s.web_access_token("www.amazon.com", user_id=7, app_id="a"),  # type: ignore[arg-type]
        TypeError,
        "user_id must be a string, got 7.",
    ),
    "access token's app": (
        lambda s: s.web_access_token("www.amazon.com", user_id="u", app_id=None),  # type: ignore[arg-type]
        TypeError,
        "app_id must be a string, got None.",
    ),
    "ID token's lifetime": (
        lambda s: s.oidc_provider("https://idp.example").token("sub", expires_in=1.5),  # type: ignore[arg-type]
        TypeError,
        "expires_in must be a whole number of seconds, e.g. expires_in=3600, got 1.5.",
    ),
    "outbound issuer's account": (
        lambda s: s.outbound_issuer("1"),
        ValueError,
        "account_id must be a string of 12 digits, got '1'.",
    ),
    "published keys' issuer": (
        lambda s: s.published_jwks(None),  # type: ignore[arg-type]
        TypeError,
        "issuer_url must be a string, got None.",
    ),
    "organization's members as one string": (
        lambda s: s.organization("111111111111", "222222222222"),
        TypeError,
        "member_account_ids must be a sequence of strings, such as ['222222222222'], not a string.",
    ),
    "organization's member id": (
        lambda s: s.organization("111111111111", ["2222"]),
        ValueError,
        "each of member_account_ids must be a string of 12 digits, got '2222'.",
    ),
    "organization's management account": (
        lambda s: s.organization(None),  # type: ignore[arg-type]
        ValueError,
        "management_account_id must be a string of 12 digits, got None.",
    ),
    "organization's invited": (
        lambda s: s.organization("111111111111", invited="no"),  # type: ignore[arg-type]
        TypeError,
        "invited must be True or False, got 'no'.",
    ),
    "organization's role name": (
        lambda s: s.organization("111111111111", role_name=None),  # type: ignore[arg-type]
        TypeError,
        "role_name must be a string, got None.",
    ),
    "member's role name": (
        lambda s: _org(s).add_member("333333333333", role_name=5),
        TypeError,
        "role_name must be a string, got 5.",
    ),
    "member invited": (
        lambda s: _org(s).add_member("333333333333", invited=1),
        TypeError,
        "invited must be True or False, got 1.",
    ),
    "delegated administrator": (
        lambda s: _org(s).register_delegated_administrator(222222222222),
        ValueError,
        "account_id must be a string of 12 digits, got 222222222222 "
        "(quote it: account_id='222222222222').",
    ),
    "trusted access": (
        lambda s: setattr(_org(s), "iam_trusted_access", "yes"),
        TypeError,
        "iam_trusted_access must be True or False, got 'yes'.",
    ),
    "root access": (
        lambda s: _org(s).enable_root_access(sessions="no"),
        TypeError,
        "sessions must be True or False, got 'no'.",
    ),
    "root credentials management": (
        lambda s: _org(s).disable_root_access(credentials_management=None),
        TypeError,
        "credentials_management must be True or False, got None.",
    ),
    "SCP document": (
        lambda s: _org(s).attach_scp([ALLOW_STS]),
        TypeError,
        f"SCP {AS_DOCUMENT} a list ([{ALLOW_STS!r}"[:150],
    ),
    "SCP id": (
        lambda s: _org(s).detach_scp(None),
        TypeError,
        "policy_id must be a string, got None.",
    ),
    "region to deactivate": (
        lambda s: s.deactivate_region("Ireland"),
        ValueError,
        "region must be an AWS region name such as 'us-east-1' or 'eu-west-1', got 'Ireland'.",
    ),
    "account to deactivate a region for": (
        lambda s: s.deactivate_region("eu-west-1", account_id="1"),
        ValueError,
        "account_id must be a string of 12 digits, got '1'.",
    ),
    "region to activate": (
        lambda s: s.activate_region(None),  # type: ignore[arg-type]
        ValueError,
        "region must be an AWS region name such as 'us-east-1' or 'eu-west-1', got None.",
    ),
    "MFA code's time": (
        lambda s: s.mfa_code("arn:aws:iam::123456789012:mfa/x", at="now"),  # type: ignore[arg-type]
        TypeError,
        "at must be a datetime, or None for now, got 'now'.",
    ),
    "MFA device's serial number": (
        lambda s: s.mfa_code(None),  # type: ignore[arg-type]
        TypeError,
        "serial_number must be a string, got None.",
    ),
    "MFA device's code time": (
        lambda s: s.create_user("u").enable_mfa().code(at=dt.date(2026, 1, 1)),  # type: ignore[arg-type]
        TypeError,
        "at must be a datetime, or None for now, got a date (datetime.date(2026, 1, 1)).",
    ),
    "delegation request": (
        lambda s: s.sent_delegation_tokens(5),  # type: ignore[arg-type]
        TypeError,
        "delegation_request_id must be a string or None, got 5.",
    ),
    "principal evaluated": (
        lambda s: s.evaluate(None, "s3:GetObject", "*"),  # type: ignore[arg-type]
        TypeError,
        "principal must be Credentials, an access key id or an ARN, got None.",
    ),
    "action evaluated": (
        lambda s: s.evaluate(s.admin_credentials(), ["s3:GetObject"], "*"),  # type: ignore[arg-type]
        TypeError,
        "action must be a string, got a list (['s3:GetObject']).",
    ),
    "resource evaluated": (
        lambda s: s.evaluate(s.admin_credentials(), "s3:GetObject", None),  # type: ignore[arg-type]
        TypeError,
        "resource must be a string, got None.",
    ),
    "context as pairs": (
        lambda s: s.evaluate(s.admin_credentials(), "s3:GetObject", "*", [("aws:SourceIp", "1")]),  # type: ignore[arg-type]
        TypeError,
        'context must map condition keys to values, e.g. {"aws:SourceIp": "10.0.0.1"}, got a '
        "list ([('aws:SourceIp', '1')]).",
    ),
    "context key": (
        lambda s: s.evaluate(s.admin_credentials(), "s3:GetObject", "*", {1: "x"}),  # type: ignore[dict-item]
        TypeError,
        "each key of context must be a string, got 1.",
    ),
    "context values": (
        lambda s: s.evaluate(s.admin_credentials(), "s3:GetObject", "*", {"aws:SourceIp": 1}),  # type: ignore[dict-item]
        TypeError,
        "context['aws:SourceIp'] must be a sequence of strings, such as ['...'], got 1.",
    ),
    "required policy's principal": (
        lambda s: s.required_policy(5),  # type: ignore[arg-type]
        TypeError,
        "principal must be Credentials, an access key id or an ARN, got 5.",
    ),
    "resource policy's ARN": (
        lambda s: s.resource_policy(None),  # type: ignore[arg-type]
        TypeError,
        "arn must be a string, got None.",
    ),
    "resource policy's document": (
        lambda s: s.put_resource_policy("arn:aws:s3:::b", 5),  # type: ignore[arg-type]
        TypeError,
        f"policy {AS_DOCUMENT} 5.",
    ),
    "resource policy's owner": (
        lambda s: s.put_resource_policy("arn:aws:s3:::b", ALLOW_STS, account_id="x"),
        ValueError,
        "account_id must be a string of 12 digits, got 'x'.",
    ),
    "packed policy size": (
        lambda s: setattr(s, "packed_policy_size", 50),
        TypeError,
        "packed_policy_size must be a function of (policy, policy_arns, tags) that returns a "
        "percentage, or None, got 50.",
    ),
    "web identity environment's session name": (
        lambda s: s.web_identity_env("arn", "token", session_name=5).__enter__(),  # type: ignore[arg-type]
        TypeError,
        "session_name must be a string or None, got 5.",
    ),
    "SAML response's subject": (
        lambda s: s.saml_provider("Corp").response("arn", subject=None),  # type: ignore[arg-type]
        TypeError,
        "subject must be a string, got None.",
    ),
    "SAML response's role": (
        lambda s: s.saml_provider("Corp").response(None, subject="jdoe"),  # type: ignore[arg-type]
        TypeError,
        "role_arn must be a string, got None.",
    ),
    "user pool's id": (
        lambda s: s.user_pool(5),  # type: ignore[arg-type]
        TypeError,
        "pool_id must be a string or None, got 5.",
    ),
    "user pool's client ids": (
        lambda s: s.user_pool(client_ids="web"),
        TypeError,
        "client_ids must be a sequence of strings, such as ['web'], not a string.",
    ),
    "ID token's groups": (
        lambda s: s.user_pool().id_token("alice", groups="admins"),
        TypeError,
        "groups must be a sequence of strings, such as ['admins'], not a string.",
    ),
    "ID token's roles": (
        lambda s: s.user_pool().id_token("alice", roles="arn:aws:iam::123456789012:role/r"),
        TypeError,
        "roles must be a sequence of strings, such as ['arn:aws:iam::123456789012:role/r'], "
        "not a string.",
    ),
    "access token's lifetime in a user pool": (
        lambda s: s.user_pool().access_token("alice", expires_in="1h"),  # type: ignore[arg-type]
        TypeError,
        "expires_in must be a whole number of seconds, e.g. expires_in=3600, got '1h'.",
    ),
    "identity pool's name": (
        lambda s: s.identity_pool(None),  # type: ignore[arg-type]
        TypeError,
        "name must be a string, got None.",
    ),
    "identity pool's user pool": (
        lambda s: s.identity_pool("app", user_pool="eu-west-1_abc"),  # type: ignore[arg-type]
        TypeError,
        "user_pool must be a UserPool or None, got 'eu-west-1_abc'.",
    ),
    "identity pool's login providers": (
        lambda s: s.identity_pool("app", login_providers=["accounts.google.com"]),  # type: ignore[arg-type]
        TypeError,
        'login_providers must map strings to strings, e.g. {"accounts.google.com": '
        "\"<client id>\"}, got a list (['accounts.google.com']).",
    ),
    "identity pool's developer provider": (
        lambda s: s.identity_pool("app", developer_provider=5),  # type: ignore[arg-type]
        TypeError,
        "developer_provider must be a string or None, got 5.",
    ),
    "identity pool's guests": (
        lambda s: s.identity_pool("app", allow_unauthenticated="yes"),  # type: ignore[arg-type]
        TypeError,
        "allow_unauthenticated must be True or False, got 'yes'.",
    ),
    "identity pool's policies": (
        lambda s: s.identity_pool("app", unauthenticated_policies=[ALLOW_STS]),  # type: ignore[arg-type]
        TypeError,
        "unauthenticated_policies must map inline policy names to documents, e.g. "
        f'{{"s3-read": {DOCUMENT}}}; got a list (',
    ),
}


@pytest.mark.parametrize(("call", "error", "message"), HANDLE_CASES.values(), ids=HANDLE_CASES)
def test_each_handle_method_says_what_to_write_instead(
    sts_mock: MockSTS, call: Callable[[MockSTS], object], error: type, message: str
) -> None:
    raised, text = refusal(lambda: call(sts_mock))
    assert (raised, text[: len(message)]) == (error, message)


def test_an_identity_pool_refused_leaves_nothing_behind(sts_mock: MockSTS) -> None:
    with pytest.raises(TypeError):
        sts_mock.identity_pool("app", authenticated_policies=[ALLOW_STS])  # type: ignore[arg-type]
    cognito = boto3.client("cognito-identity")
    assert cognito.list_identity_pools(MaxResults=10)["IdentityPools"] == []
    assert boto3.client("iam").list_roles()["Roles"] == []
