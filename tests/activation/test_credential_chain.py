"""botocore's own credential chain, end to end: profiles that assume roles, through boto3.

Every test writes a config and a credentials file into ``tmp_path`` and builds a real
``boto3.Session(profile_name=...)``; botocore's AssumeRoleProvider makes the AssumeRole
calls (source_profile, credential_source, external_id, mfa_serial, duration_seconds,
role_session_name) and refreshes the credentials it got. Expected values are AWS's
(STS_REFERENCE.md §4.1, §6.3, §9.4-§9.6).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import botocore.session
import pytest
import time_machine
from botocore.exceptions import ClientError, RefreshWithMFAUnsupportedError

from tests.helpers import aws_error, caller_identity
from tests.helpers.assume_role import (
    ACCOUNT,
    ALLOW_ASSUME,
    CHAINED_DURATION,
    EXPIRED_TOKEN,
    MFA_BAD_CODE,
    MFA_UNKNOWN_DEVICE,
    ROLE_DURATION,
    T0,
    code_outside,
    denied,
    session_arn,
    trust,
)

if TYPE_CHECKING:
    from mock_sts import Credentials, MockSTS, Role, User

Profiles = Mapping[str, Mapping[str, object]]

HOUR = dt.timedelta(hours=1)
# A trust condition on the external id the profile sends.
EXTERNAL_ID = "x-123"
NEEDS_EXTERNAL_ID = {"StringEquals": {"sts:ExternalId": EXTERNAL_ID}}
NEEDS_MFA = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
DEFAULT_SESSION_NAME = re.compile(r"botocore-session-\d+")


# ---------------------------------------------------------------------------------------
# Config files and sessions


class AwsFiles:
    """The shared config and credentials files botocore reads, written by the test."""

    def __init__(self, directory: Path) -> None:
        self.config = directory / "config"
        self.credentials = directory / "credentials"

    def write(self, config: Profiles, credentials: Profiles | None = None) -> None:
        """``config`` profiles go to the config file, ``credentials`` to the credentials file."""
        self.config.write_text(_ini({f"profile {name}": p for name, p in config.items()}))
        self.credentials.write_text(_ini(credentials or {}))


def _ini(sections: Profiles) -> str:
    lines: list[str] = []
    for name, values in sections.items():
        lines.append(f"[{name}]")
        lines += [f"{key} = {value}" for key, value in values.items()]
        lines.append("")
    return "\n".join(lines)


@pytest.fixture
def aws_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AwsFiles:
    files = AwsFiles(tmp_path)
    files.write({})
    monkeypatch.setenv("AWS_CONFIG_FILE", os.fspath(files.config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.fspath(files.credentials))
    return files


def static_keys(credentials: Credentials) -> dict[str, str]:
    """A credentials-file profile holding long-term keys."""
    return {
        "aws_access_key_id": credentials.access_key_id,
        "aws_secret_access_key": credentials.secret_access_key,
    }


def profile_sts(profile: str) -> Any:
    """An STS client of a boto3 Session built from the named profile."""
    return boto3.Session(profile_name=profile, region_name="us-east-1").client("sts")


def profile_session(
    profile: str, prompter: Callable[[str], str] | None = None
) -> tuple[boto3.Session, dict[str, Any]]:
    """A boto3 Session of ``profile`` and the AssumeRole cache of its AssumeRoleProvider.

    botocore's AssumeRoleProvider asks ``self._prompter`` for MFA codes (getpass.getpass,
    bound when the class was defined, so patching getpass does not reach it). Its ``cache``
    holds each AssumeRole response, Expiration included, as the AWS CLI's file cache does.
    """
    core = botocore.session.Session(profile=profile)
    provider = core.get_component("credential_provider").get_provider("assume-role")
    if prompter is not None:
        provider._prompter = prompter
    cache: dict[str, Any] = provider.cache
    return boto3.Session(botocore_session=core, region_name="us-east-1"), cache


def cached_expiration(cache: Mapping[str, Any], role: Role) -> dt.datetime:
    """The Expiration of the AssumeRole response for ``role`` in an AssumeRoleProvider cache."""
    (expiration,) = (
        response["Credentials"]["Expiration"]
        for response in cache.values()
        if response["AssumedRoleUser"]["Arn"].split("/")[1] == role.name
    )
    assert isinstance(expiration, dt.datetime)
    return expiration


def assume_role_calls(sts_mock: MockSTS) -> list[tuple[str, str | None]]:
    """(RoleArn, caller ARN) of every AssumeRole the mock served, oldest first."""
    return [
        (call.params["RoleArn"], call.caller_arn)
        for call in sts_mock.calls
        if call.action == "AssumeRole"
    ]


def refused(call: Callable[[], object]) -> tuple[tuple[str, str, int], ClientError]:
    """As aws_error, plus the ClientError itself (which operation botocore says failed)."""
    with pytest.raises(ClientError) as excinfo:
        call()
    response = excinfo.value.response
    error = (
        response["Error"]["Code"],
        response["Error"]["Message"],
        response["ResponseMetadata"]["HTTPStatusCode"],
    )
    return error, excinfo.value


def role_identity(role: Role, session_name: str) -> dict[str, str]:
    return {
        "UserId": f"{role.role_id}:{session_name}",
        "Account": ACCOUNT,
        "Arn": session_arn(role.name, session_name),
    }


# ---------------------------------------------------------------------------------------
# role_arn + source_profile (§4.1, §6.3)


@pytest.fixture
def alice(sts_mock: MockSTS) -> User:
    return sts_mock.create_user("alice")


def role_profile(role: Role, source: str = "base", **settings: object) -> dict[str, object]:
    return {"role_arn": role.arn, "source_profile": source, **settings}


def test_source_profile_assumes_the_role_with_botocores_session_name(
    sts_mock: MockSTS, aws_files: AwsFiles, alice: User
) -> None:
    role = sts_mock.create_role("deployer", trust(alice.arn))
    aws_files.write({"deploy": role_profile(role)}, {"base": static_keys(alice.credentials)})

    result = caller_identity(profile_sts("deploy"))

    session_name = result["Arn"].rsplit("/", 1)[1]
    assert DEFAULT_SESSION_NAME.fullmatch(session_name)
    assert result == role_identity(role, session_name)
    assert assume_role_calls(sts_mock) == [(role.arn, alice.arn)]


def test_role_session_name_from_the_profile(
    sts_mock: MockSTS, aws_files: AwsFiles, alice: User
) -> None:
    role = sts_mock.create_role("deployer", trust(alice.arn))
    aws_files.write(
        {"deploy": role_profile(role, role_session_name="alice-deploys")},
        {"base": static_keys(alice.credentials)},
    )

    assert caller_identity(profile_sts("deploy")) == {
        "UserId": f"{role.role_id}:alice-deploys",
        "Account": ACCOUNT,
        "Arn": "arn:aws:sts::123456789012:assumed-role/deployer/alice-deploys",
    }
    (call,) = (call for call in sts_mock.calls if call.action == "AssumeRole")
    assert call.params == {"RoleArn": role.arn, "RoleSessionName": "alice-deploys"}
    assert call.caller_arn == alice.arn


def test_source_profile_in_the_config_file(
    sts_mock: MockSTS, aws_files: AwsFiles, alice: User
) -> None:
    role = sts_mock.create_role("deployer", trust(alice.arn))
    aws_files.write(
        {
            "base": static_keys(alice.credentials),
            "deploy": role_profile(role, role_session_name="sess"),
        }
    )

    assert caller_identity(profile_sts("deploy")) == role_identity(role, "sess")


def test_role_that_does_not_trust_the_user_is_refused(
    sts_mock: MockSTS, aws_files: AwsFiles, alice: User
) -> None:
    bob = sts_mock.create_user("bob")
    role = sts_mock.create_role("deployer", trust(bob.arn))
    aws_files.write(
        {"deploy": role_profile(role, role_session_name="sess")},
        {"base": static_keys(alice.credentials)},
    )
    client = profile_sts("deploy")

    error, raised = refused(client.get_caller_identity)

    assert error == denied(alice.arn, role.arn)
    assert raised.operation_name == "AssumeRole"
    assert str(raised) == (
        "An error occurred (AccessDenied) when calling the AssumeRole operation: "
        f"User: {alice.arn} is not authorized to perform: sts:AssumeRole on resource: {role.arn}"
    )
    assert assume_role_calls(sts_mock) == [(role.arn, alice.arn)]


def test_users_allow_does_not_make_up_for_a_trust_naming_someone_else(
    sts_mock: MockSTS, aws_files: AwsFiles
) -> None:
    carol = sts_mock.create_user("carol", policies={"assume": ALLOW_ASSUME})
    bob = sts_mock.create_user("bob")
    role = sts_mock.create_role("deployer", trust(bob.arn))
    aws_files.write(
        {"deploy": role_profile(role, role_session_name="sess")},
        {"base": static_keys(carol.credentials)},
    )

    error, _ = refused(profile_sts("deploy").get_caller_identity)

    assert error == denied(carol.arn, role.arn)


@pytest.mark.parametrize("account_principal", [ACCOUNT, f"arn:aws:iam::{ACCOUNT}:root"])
def test_account_trust_needs_the_users_identity_allow(
    sts_mock: MockSTS, aws_files: AwsFiles, account_principal: str
) -> None:
    role = sts_mock.create_role("deployer", trust(account_principal))
    without = sts_mock.create_user("without-policy")
    allowed = sts_mock.create_user("with-policy", policies={"assume": ALLOW_ASSUME})
    aws_files.write(
        {
            "denied": role_profile(role, "without", role_session_name="sess"),
            "allowed": role_profile(role, "with", role_session_name="sess"),
        },
        {"without": static_keys(without.credentials), "with": static_keys(allowed.credentials)},
    )

    error, raised = refused(profile_sts("denied").get_caller_identity)
    assert error == denied(without.arn, role.arn)
    assert raised.operation_name == "AssumeRole"

    assert caller_identity(profile_sts("allowed")) == role_identity(role, "sess")


def test_missing_role_is_refused_as_access_denied(
    sts_mock: MockSTS, aws_files: AwsFiles, alice: User
) -> None:
    arn = f"arn:aws:iam::{ACCOUNT}:role/no-such-role"
    aws_files.write(
        {"deploy": {"role_arn": arn, "source_profile": "base"}},
        {"base": static_keys(alice.credentials)},
    )

    error, _ = refused(profile_sts("deploy").get_caller_identity)

    assert error == denied(alice.arn, arn)


# ---------------------------------------------------------------------------------------
# Role chaining through source_profile (§9.4)


class Chain:
    """base (alice's keys) -> profile a: r1 -> profile b: r2 -> profile c: r3.

    r1 trusts alice, r2 trusts r1, r3 trusts r2, each by the role's ARN (role principal).
    """

    def __init__(self, sts_mock: MockSTS, aws_files: AwsFiles, alice: User) -> None:
        self.alice = alice
        self.files = aws_files
        self.r1 = sts_mock.create_role("r1", trust(alice.arn), max_session_duration=43200)
        self.r2 = sts_mock.create_role("r2", trust(self.r1.arn), max_session_duration=43200)
        self.r3 = sts_mock.create_role("r3", trust(self.r2.arn), max_session_duration=43200)

    def write(self, **overrides: Mapping[str, object]) -> None:
        """The three profiles; ``overrides`` adds or replaces settings per profile."""
        profiles = {
            "a": role_profile(self.r1, "base", role_session_name="s1"),
            "b": role_profile(self.r2, "a", role_session_name="s2"),
            "c": role_profile(self.r3, "b", role_session_name="s3"),
        }
        for name, settings in overrides.items():
            profiles[name] = {**profiles[name], **settings}
        self.files.write(profiles, {"base": static_keys(self.alice.credentials)})


@pytest.fixture
def chain(sts_mock: MockSTS, aws_files: AwsFiles, alice: User) -> Chain:
    return Chain(sts_mock, aws_files, alice)


def test_chain_of_depth_two(sts_mock: MockSTS, chain: Chain) -> None:
    chain.write()

    assert caller_identity(profile_sts("b")) == role_identity(chain.r2, "s2")
    assert assume_role_calls(sts_mock) == [
        (chain.r1.arn, chain.alice.arn),
        (chain.r2.arn, session_arn("r1", "s1")),
    ]


def test_chain_of_depth_three(sts_mock: MockSTS, chain: Chain) -> None:
    chain.write()

    assert caller_identity(profile_sts("c")) == role_identity(chain.r3, "s3")
    assert assume_role_calls(sts_mock) == [
        (chain.r1.arn, chain.alice.arn),
        (chain.r2.arn, session_arn("r1", "s1")),
        (chain.r3.arn, session_arn("r2", "s2")),
    ]


def test_chained_hop_needs_the_next_role_to_trust_the_role(
    sts_mock: MockSTS, aws_files: AwsFiles, alice: User
) -> None:
    r1 = sts_mock.create_role("r1", trust(alice.arn))
    # r2 trusts alice herself, not r1: r1's session is a different principal.
    r2 = sts_mock.create_role("r2", trust(alice.arn))
    aws_files.write(
        {
            "a": role_profile(r1, "base", role_session_name="s1"),
            "b": role_profile(r2, "a", role_session_name="s2"),
        },
        {"base": static_keys(alice.credentials)},
    )

    error, raised = refused(profile_sts("b").get_caller_identity)

    assert error == denied(session_arn("r1", "s1"), r2.arn)
    assert raised.operation_name == "AssumeRole"
    assert assume_role_calls(sts_mock) == [
        (r1.arn, alice.arn),
        (r2.arn, session_arn("r1", "s1")),
    ]


def test_third_hop_untrusted_is_refused(
    sts_mock: MockSTS, aws_files: AwsFiles, alice: User
) -> None:
    r1 = sts_mock.create_role("r1", trust(alice.arn))
    r2 = sts_mock.create_role("r2", trust(r1.arn))
    r3 = sts_mock.create_role("r3", trust(r1.arn))
    aws_files.write(
        {
            "a": role_profile(r1, "base", role_session_name="s1"),
            "b": role_profile(r2, "a", role_session_name="s2"),
            "c": role_profile(r3, "b", role_session_name="s3"),
        },
        {"base": static_keys(alice.credentials)},
    )

    error, _ = refused(profile_sts("c").get_caller_identity)

    assert error == denied(session_arn("r2", "s2"), r3.arn)


@pytest.mark.parametrize("hop", ["b", "c"])
def test_chained_hop_is_capped_at_one_hour(chain: Chain, hop: str) -> None:
    chain.write(**{hop: {"duration_seconds": 7200}})

    error, raised = refused(profile_sts(hop).get_caller_identity)

    assert error == CHAINED_DURATION
    assert raised.operation_name == "AssumeRole"


def test_first_hop_may_exceed_one_hour_but_the_chained_one_may_not(chain: Chain) -> None:
    chain.write(a={"duration_seconds": 7200}, b={"duration_seconds": 7200})

    assert caller_identity(profile_sts("a")) == role_identity(chain.r1, "s1")
    assert aws_error(profile_sts("b").get_caller_identity) == CHAINED_DURATION


def test_chained_hop_of_exactly_one_hour(chain: Chain) -> None:
    chain.write(b={"duration_seconds": 3600})

    with time_machine.travel(T0, tick=False):
        session, cache = profile_session("b")
        assert caller_identity(session.client("sts")) == role_identity(chain.r2, "s2")

    assert cached_expiration(cache, chain.r2) - T0 == HOUR


# ---------------------------------------------------------------------------------------
# external_id (§6.4)


@pytest.mark.parametrize(
    ("settings", "allowed"),
    [
        ({"external_id": EXTERNAL_ID}, True),
        ({"external_id": "x-124"}, False),
        ({"external_id": "X-123"}, False),
        ({}, False),
    ],
    ids=["right", "wrong", "case-differs", "absent"],
)
def test_external_id_from_the_profile(
    sts_mock: MockSTS,
    aws_files: AwsFiles,
    alice: User,
    settings: Mapping[str, str],
    allowed: bool,
) -> None:
    role = sts_mock.create_role("vendor", trust(alice.arn, condition=NEEDS_EXTERNAL_ID))
    aws_files.write(
        {"vendor": role_profile(role, role_session_name="sess", **settings)},
        {"base": static_keys(alice.credentials)},
    )
    client = profile_sts("vendor")

    if allowed:
        assert caller_identity(client) == role_identity(role, "sess")
    else:
        assert aws_error(client.get_caller_identity) == denied(alice.arn, role.arn)
    (call,) = (call for call in sts_mock.calls if call.action == "AssumeRole")
    assert call.params.get("ExternalId") == settings.get("external_id")


# ---------------------------------------------------------------------------------------
# mfa_serial (§9.5)


class Prompter:
    """Stands in for getpass: answers with ``answer`` and remembers the prompts."""

    def __init__(self, answer: Callable[[], str]) -> None:
        self.answer = answer
        self.prompts: list[str] = []

    def __call__(self, prompt: str) -> str:
        self.prompts.append(prompt)
        return self.answer()


@pytest.fixture
def mfa_guarded_role(sts_mock: MockSTS, alice: User) -> Role:
    return sts_mock.create_role("guarded", trust(alice.arn, condition=NEEDS_MFA))


def test_mfa_serial_prompts_for_the_code_and_satisfies_the_trust(
    sts_mock: MockSTS, aws_files: AwsFiles, alice: User, mfa_guarded_role: Role
) -> None:
    device = alice.enable_mfa()
    aws_files.write(
        {
            "guarded": role_profile(
                mfa_guarded_role, mfa_serial=device.serial_number, role_session_name="sess"
            )
        },
        {"base": static_keys(alice.credentials)},
    )
    prompter = Prompter(device.code)

    with time_machine.travel(T0, tick=False):
        session, _ = profile_session("guarded", prompter)
        assert caller_identity(session.client("sts")) == role_identity(mfa_guarded_role, "sess")

    assert prompter.prompts == [f"Enter MFA code for {device.serial_number}: "]
    (call,) = (call for call in sts_mock.calls if call.action == "AssumeRole")
    assert call.params["SerialNumber"] == device.serial_number
    # The code went out with the request; the mock's call log redacts it.
    assert call.params["TokenCode"] == "***"


def test_wrong_mfa_code_is_refused(
    aws_files: AwsFiles, alice: User, mfa_guarded_role: Role
) -> None:
    device = alice.enable_mfa()
    aws_files.write(
        {"guarded": role_profile(mfa_guarded_role, mfa_serial=device.serial_number)},
        {"base": static_keys(alice.credentials)},
    )
    step = dt.timedelta(seconds=30)
    wrong = code_outside(device, [T0 - step, T0, T0 + step])

    with time_machine.travel(T0, tick=False):
        session, _ = profile_session("guarded", Prompter(lambda: wrong))
        error, raised = refused(session.client("sts").get_caller_identity)

    assert error == ("AccessDenied", MFA_BAD_CODE, 403)
    assert raised.operation_name == "AssumeRole"


def test_mfa_serial_of_another_users_device_is_refused(
    sts_mock: MockSTS, aws_files: AwsFiles, alice: User, mfa_guarded_role: Role
) -> None:
    alice.enable_mfa()
    bobs_device = sts_mock.create_user("bob").enable_mfa()
    aws_files.write(
        {"guarded": role_profile(mfa_guarded_role, mfa_serial=bobs_device.serial_number)},
        {"base": static_keys(alice.credentials)},
    )

    with time_machine.travel(T0, tick=False):
        session, _ = profile_session("guarded", Prompter(bobs_device.code))
        error = aws_error(session.client("sts").get_caller_identity)

    assert error == ("AccessDenied", MFA_UNKNOWN_DEVICE, 403)


def test_profile_without_mfa_serial_fails_the_mfa_condition(
    aws_files: AwsFiles, alice: User, mfa_guarded_role: Role
) -> None:
    alice.enable_mfa()
    aws_files.write(
        {"guarded": role_profile(mfa_guarded_role)},
        {"base": static_keys(alice.credentials)},
    )

    assert aws_error(profile_sts("guarded").get_caller_identity) == denied(
        alice.arn, mfa_guarded_role.arn
    )


# ---------------------------------------------------------------------------------------
# duration_seconds (§4.1)


@pytest.mark.parametrize(
    ("max_session_duration", "duration_seconds"),
    [(3600, None), (3600, 900), (3600, 3600), (7200, 7200), (43200, 43200)],
)
def test_duration_seconds_sets_the_expiration(
    sts_mock: MockSTS,
    aws_files: AwsFiles,
    alice: User,
    max_session_duration: int,
    duration_seconds: int | None,
) -> None:
    role = sts_mock.create_role("long", trust(alice.arn), max_session_duration=max_session_duration)
    profile = role_profile(role, role_session_name="sess")
    if duration_seconds is not None:
        profile["duration_seconds"] = duration_seconds
    aws_files.write(
        {"long": profile},
        {"base": static_keys(alice.credentials)},
    )

    with time_machine.travel(T0, tick=False):
        session, cache = profile_session("long")
        assert caller_identity(session.client("sts")) == role_identity(role, "sess")

    expected = 3600 if duration_seconds is None else duration_seconds
    assert cached_expiration(cache, role) - T0 == dt.timedelta(seconds=expected)


@pytest.mark.parametrize(
    ("max_session_duration", "duration_seconds"), [(3600, 3601), (3600, 7200), (7200, 43200)]
)
def test_duration_seconds_over_the_roles_maximum(
    sts_mock: MockSTS,
    aws_files: AwsFiles,
    alice: User,
    max_session_duration: int,
    duration_seconds: int,
) -> None:
    role = sts_mock.create_role(
        "short", trust(alice.arn), max_session_duration=max_session_duration
    )
    aws_files.write(
        {"short": role_profile(role, duration_seconds=duration_seconds)},
        {"base": static_keys(alice.credentials)},
    )

    error, raised = refused(profile_sts("short").get_caller_identity)

    assert error == ROLE_DURATION
    assert raised.operation_name == "AssumeRole"


# ---------------------------------------------------------------------------------------
# credential_source = Environment


def test_credential_source_environment_uses_the_env_keys(
    sts_mock: MockSTS,
    aws_files: AwsFiles,
    alice: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    role = sts_mock.create_role("ci", trust(alice.arn))
    for name, value in alice.credentials.as_env().items():
        monkeypatch.setenv(name, value)
    aws_files.write(
        {
            "ci": {
                "role_arn": role.arn,
                "credential_source": "Environment",
                "role_session_name": "sess",
            }
        }
    )

    assert caller_identity(profile_sts("ci")) == role_identity(role, "sess")
    assert assume_role_calls(sts_mock) == [(role.arn, alice.arn)]


def test_credential_source_environment_with_keys_the_role_does_not_trust(
    sts_mock: MockSTS, aws_files: AwsFiles, alice: User
) -> None:
    # The environment still holds the mock's admin keys (AdministratorAccess): the trust
    # policy names alice only, so the admin may not assume the role.
    role = sts_mock.create_role("ci", trust(alice.arn))
    aws_files.write({"ci": {"role_arn": role.arn, "credential_source": "Environment"}})

    error = aws_error(profile_sts("ci").get_caller_identity)

    assert error == denied(f"arn:aws:iam::{ACCOUNT}:user/admin", role.arn)


def test_credential_source_environment_with_session_credentials_is_chaining(
    sts_mock: MockSTS,
    aws_files: AwsFiles,
    alice: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    role = sts_mock.create_role("ci", trust(alice.arn), max_session_duration=43200)
    issued = boto3.client(
        "sts", region_name="us-east-1", **alice.credentials.as_boto3()
    ).get_session_token()["Credentials"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", issued["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", issued["SecretAccessKey"])
    monkeypatch.setenv("AWS_SESSION_TOKEN", issued["SessionToken"])
    ci = {"role_arn": role.arn, "credential_source": "Environment", "role_session_name": "sess"}
    aws_files.write({"ci": ci, "ci-long": {**ci, "duration_seconds": 7200}})

    assert caller_identity(profile_sts("ci")) == role_identity(role, "sess")
    assert aws_error(profile_sts("ci-long").get_caller_identity) == CHAINED_DURATION


# ---------------------------------------------------------------------------------------
# Refreshable and static temporary credentials across expiry (§9.6)


def test_refreshable_credentials_assume_the_role_again_after_expiry(
    sts_mock: MockSTS, aws_files: AwsFiles, alice: User
) -> None:
    role = sts_mock.create_role("deployer", trust(alice.arn))
    aws_files.write(
        {"deploy": role_profile(role, role_session_name="sess")},
        {"base": static_keys(alice.credentials)},
    )

    with time_machine.travel(T0, tick=False) as traveller:
        session = boto3.Session(profile_name="deploy", region_name="us-east-1")
        client = session.client("sts")
        assert caller_identity(client) == role_identity(role, "sess")
        first_key = session.get_credentials().get_frozen_credentials().access_key
        assert len(assume_role_calls(sts_mock)) == 1

        # Half-way through the hour botocore keeps the credentials it has.
        traveller.move_to(T0 + HOUR / 2)
        assert caller_identity(client) == role_identity(role, "sess")
        assert len(assume_role_calls(sts_mock)) == 1

        # Past Expiration: the next request assumes the role again and succeeds.
        traveller.move_to(T0 + HOUR + dt.timedelta(minutes=5))
        assert caller_identity(client) == role_identity(role, "sess")
        second_key = session.get_credentials().get_frozen_credentials().access_key

    assert assume_role_calls(sts_mock) == [(role.arn, alice.arn), (role.arn, alice.arn)]
    assert second_key != first_key
    get_caller_identity = [call for call in sts_mock.calls if call.action == "GetCallerIdentity"]
    assert [call.status for call in get_caller_identity] == [200, 200, 200]


def test_refreshable_chain_reassumes_every_hop(sts_mock: MockSTS, chain: Chain) -> None:
    chain.write()

    with time_machine.travel(T0, tick=False) as traveller:
        client = profile_sts("c")
        assert caller_identity(client) == role_identity(chain.r3, "s3")
        traveller.move_to(T0 + 2 * HOUR)
        assert caller_identity(client) == role_identity(chain.r3, "s3")

    hops = [
        (chain.r1.arn, chain.alice.arn),
        (chain.r2.arn, session_arn("r1", "s1")),
        (chain.r3.arn, session_arn("r2", "s2")),
    ]
    assert assume_role_calls(sts_mock) == hops + hops


def test_refresh_fails_once_the_role_no_longer_trusts_the_source(
    sts_mock: MockSTS, aws_files: AwsFiles, alice: User
) -> None:
    role = sts_mock.create_role("deployer", trust(alice.arn))
    bob = sts_mock.create_user("bob")
    aws_files.write(
        {"deploy": role_profile(role, role_session_name="sess")},
        {"base": static_keys(alice.credentials)},
    )
    iam = boto3.client("iam", region_name="us-east-1")

    with time_machine.travel(T0, tick=False) as traveller:
        client = profile_sts("deploy")
        assert caller_identity(client) == role_identity(role, "sess")
        iam.update_assume_role_policy(
            RoleName="deployer", PolicyDocument=json.dumps(trust(bob.arn))
        )
        # The session already issued stays valid until it expires.
        assert caller_identity(client) == role_identity(role, "sess")
        traveller.move_to(T0 + 2 * HOUR)
        error, raised = refused(client.get_caller_identity)

    assert error == denied(alice.arn, role.arn)
    assert raised.operation_name == "AssumeRole"


def test_static_temporary_credentials_expire(
    sts_mock: MockSTS, aws_files: AwsFiles, alice: User
) -> None:
    role = sts_mock.create_role("deployer", trust(alice.arn))
    aws_files.write(
        {"deploy": role_profile(role, role_session_name="sess")},
        {"base": static_keys(alice.credentials)},
    )

    with time_machine.travel(T0, tick=False) as traveller:
        frozen = profile_session("deploy")[0].get_credentials().get_frozen_credentials()
        static = boto3.client(
            "sts",
            region_name="us-east-1",
            aws_access_key_id=frozen.access_key,
            aws_secret_access_key=frozen.secret_key,
            aws_session_token=frozen.token,
        )
        assert caller_identity(static) == role_identity(role, "sess")

        traveller.move_to(T0 + HOUR - dt.timedelta(seconds=1))
        assert caller_identity(static) == role_identity(role, "sess")

        traveller.move_to(T0 + HOUR)
        assert aws_error(static.get_caller_identity) == EXPIRED_TOKEN

        traveller.move_to(T0 + 2 * HOUR)
        assert aws_error(static.get_caller_identity) == EXPIRED_TOKEN

    # Nothing refreshed them: one AssumeRole only.
    assert assume_role_calls(sts_mock) == [(role.arn, alice.arn)]


def test_mfa_profile_is_not_refreshed_after_expiry(
    sts_mock: MockSTS, aws_files: AwsFiles, alice: User, mfa_guarded_role: Role
) -> None:
    device = alice.enable_mfa()
    aws_files.write(
        {
            "guarded": role_profile(
                mfa_guarded_role, mfa_serial=device.serial_number, role_session_name="sess"
            )
        },
        {"base": static_keys(alice.credentials)},
    )
    prompter = Prompter(device.code)

    with time_machine.travel(T0, tick=False) as traveller:
        session, _ = profile_session("guarded", prompter)
        client = session.client("sts")
        assert caller_identity(client) == role_identity(mfa_guarded_role, "sess")
        traveller.move_to(T0 + 2 * HOUR)
        # botocore does not prompt again: it gives up on refreshing MFA-backed credentials.
        with pytest.raises(RefreshWithMFAUnsupportedError):
            client.get_caller_identity()

    assert len(prompter.prompts) == 1
    assert assume_role_calls(sts_mock) == [(mfa_guarded_role.arn, alice.arn)]
