"""IAM answers recorded from real AWS (STS_REFERENCE.md §13.1-§13.3), one test per recorded
case, driven through real boto3 clients: response shapes, codes and statuses, messages."""

from __future__ import annotations

import base64
import datetime as dt
import json
import struct
import zlib
from functools import partial
from typing import TYPE_CHECKING, Any

import boto3
import pytest
import segno
import time_machine

from tests.helpers import aws_error, client
from tests.helpers.assume_role import allow
from tests.helpers.saml import metadata

if TYPE_CHECKING:
    from mock_sts import MockSTS

ACCOUNT_ID = "123456789012"
OTHER_ACCOUNT_ID = "111111111111"
MOMENT = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
MISSING_POLICY = f"arn:aws:iam::{ACCOUNT_ID}:policy/missing"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ACCOUNT_ID}, "Action": "sts:AssumeRole"}
        ],
    }
)
SAML_DEFAULT_VALIDITY = dt.timedelta(days=36500)
PATH_INVALID = (
    "ValidationError",
    "The specified value for path is invalid. It must begin and end with / and contain only "
    "alphanumeric characters and/or / characters.",
    400,
)


@pytest.fixture
def iam(sts_mock: MockSTS) -> Any:
    """An IAM client of the default account's admin."""
    return boto3.client("iam", region_name="us-east-1")


def make_policy(iam: Any, name: str = "s3-read", **kwargs: Any) -> Any:
    document = json.dumps(allow("s3:GetObject"))
    return iam.create_policy(PolicyName=name, PolicyDocument=document, **kwargs)["Policy"]


def make_role(iam: Any, name: str = "deployer", **kwargs: Any) -> Any:
    return iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST, **kwargs)["Role"]


# ---------------------------------------------------------------------------------------
# §13.1 Response shapes


def test_create_policy_answers_without_the_description(iam: Any) -> None:
    created = make_policy(iam, Description="Reads buckets")

    assert "Description" not in created
    assert iam.get_policy(PolicyArn=created["Arn"])["Policy"]["Description"] == "Reads buckets"


def _untagged_policy(iam: Any, sts_mock: MockSTS) -> Any:
    return iam.get_policy(PolicyArn=make_policy(iam)["Arn"])["Policy"]


def _untagged_oidc_provider(iam: Any, sts_mock: MockSTS) -> Any:
    arn = iam.create_open_id_connect_provider(Url="https://idp.example.com")[
        "OpenIDConnectProviderArn"
    ]
    return iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)


def _untagged_saml_provider(iam: Any, sts_mock: MockSTS) -> Any:
    return iam.get_saml_provider(SAMLProviderArn=sts_mock.saml_provider("corp").arn)


@pytest.mark.parametrize(
    "get", [_untagged_policy, _untagged_oidc_provider, _untagged_saml_provider]
)
def test_untagged_entities_carry_an_empty_tag_list(iam: Any, sts_mock: MockSTS, get: Any) -> None:
    assert get(iam, sts_mock)["Tags"] == []


def test_saml_provider_carries_an_empty_key_list_and_a_validity(
    iam: Any, sts_mock: MockSTS
) -> None:
    with time_machine.travel(MOMENT, tick=False):
        arn = iam.create_saml_provider(Name="corp", SAMLMetadataDocument=metadata())[
            "SAMLProviderArn"
        ]

    got = iam.get_saml_provider(SAMLProviderArn=arn)

    assert got["PrivateKeyList"] == []
    # The metadata names no validUntil: the provider is valid for a hundred years.
    assert got["ValidUntil"] == MOMENT + SAML_DEFAULT_VALIDITY


def test_listed_saml_providers_carry_their_validity(iam: Any) -> None:
    with time_machine.travel(MOMENT, tick=False):
        arn = iam.create_saml_provider(Name="corp", SAMLMetadataDocument=metadata())[
            "SAMLProviderArn"
        ]

    listed = iam.list_saml_providers()["SAMLProviderList"]

    assert listed == [
        {"Arn": arn, "ValidUntil": MOMENT + SAML_DEFAULT_VALIDITY, "CreateDate": MOMENT}
    ]


def png_rows(data: bytes) -> list[bytes]:
    """The rows of a greyscale PNG, one byte per pixel (0 dark, 1 light), read with the
    standard library; every chunk's CRC is checked. Rows filtered as None or Up are read
    (segno's; a reader that met another filter would fail here)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks: dict[bytes, bytes] = {}
    offset = 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + body) == crc
        chunks[kind] = chunks.get(kind, b"") + body
        offset += 12 + length
    assert b"IEND" in chunks
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (colour, interlace) == (0, 0)
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = (width * depth + 7) // 8
    rows = []
    previous = bytes(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]
        assert kind in (0, 2)
        if kind == 2:  # Up: each byte added to the one above
            line = bytes((a + b) % 256 for a, b in zip(line, previous, strict=True))
        previous = line
        bits = "".join(f"{byte:08b}" for byte in line)
        pixels = [int(bits[x * depth : (x + 1) * depth], 2) for x in range(width)]
        rows.append(bytes(min(p, 1) for p in pixels))
    return rows


def qr_modules(rows: list[bytes]) -> list[tuple[int, ...]]:
    """The QR code's modules (1 dark) sampled from its picture: the top-left finder pattern,
    seven modules wide, tells where the code starts and how many pixels a module takes."""
    top = next(y for y, row in enumerate(rows) if 0 in row)
    left = rows[top].index(0)
    run = len(rows[top][left:]) - len(rows[top][left:].lstrip(b"\x00"))
    scale = run // 7
    size = (len(rows[top]) - 2 * left) // scale
    return [
        tuple(1 - rows[top + y * scale][left + x * scale] for x in range(size)) for y in range(size)
    ]


def test_virtual_mfa_device_answers_with_a_qr_code_of_its_seed(iam: Any) -> None:
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice-phone")["VirtualMFADevice"]

    assert set(device) == {"SerialNumber", "Base32StringSeed", "QRCodePNG"}
    seed = device["Base32StringSeed"].decode()
    base64.b32decode(seed)  # a Base32 seed
    uri = f"otpauth://totp/alice-phone@{ACCOUNT_ID}?secret={seed}"
    expected = [tuple(row) for row in segno.make_qr(uri).matrix]
    assert qr_modules(png_rows(device["QRCodePNG"])) == expected
    other = iam.create_virtual_mfa_device(VirtualMFADeviceName="bob-phone")["VirtualMFADevice"]
    assert qr_modules(png_rows(other["QRCodePNG"])) != expected


@pytest.mark.parametrize("kind", ["user", "role"])
def test_permissions_boundary_type_is_policy(iam: Any, kind: str) -> None:
    boundary = make_policy(iam, "boundary")["Arn"]
    if kind == "user":
        created = iam.create_user(UserName="alice", PermissionsBoundary=boundary)["User"]
        got = iam.get_user(UserName="alice")["User"]
    else:
        created = make_role(iam, PermissionsBoundary=boundary)
        got = iam.get_role(RoleName="deployer")["Role"]

    expected = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": boundary}
    assert created["PermissionsBoundary"] == got["PermissionsBoundary"] == expected


def test_account_summary_says_the_root_user_has_a_password(iam: Any) -> None:
    assert iam.get_account_summary()["SummaryMap"]["AccountPasswordPresent"] == 1


def test_tagging_an_existing_key_keeps_its_place(iam: Any) -> None:
    tags = [{"Key": k, "Value": "v"} for k in ("alpha", "beta", "gamma")]
    make_role(iam, Tags=tags)

    iam.tag_role(RoleName="deployer", Tags=[{"Key": "beta", "Value": "changed"}])
    assert [(t["Key"], t["Value"]) for t in iam.list_role_tags(RoleName="deployer")["Tags"]] == [
        ("alpha", "v"),
        ("beta", "changed"),
        ("gamma", "v"),
    ]
    iam.tag_role(RoleName="deployer", Tags=[{"Key": "beta", "Value": ""}])
    assert [(t["Key"], t["Value"]) for t in iam.list_role_tags(RoleName="deployer")["Tags"]] == [
        ("alpha", "v"),
        ("beta", ""),
        ("gamma", "v"),
    ]


def test_markers_are_long_opaque_tokens(iam: Any) -> None:
    for name in ("alice", "bob", "carol"):
        iam.create_user(UserName=name)

    first = iam.list_users(MaxItems=2)
    second = iam.list_users(MaxItems=2, Marker=first["Marker"])

    assert len(first["Marker"]) >= 40
    assert not first["Marker"].isdecimal()
    assert [u["UserName"] for u in first["Users"] + second["Users"]] == [
        "admin",
        "alice",
        "bob",
        "carol",
    ]
    assert "Marker" not in second


@pytest.mark.parametrize(
    "marker",
    [
        "2",  # a page's index is no marker
        "¹",
        "%%%%",  # not base64
        base64.b64encode(b"\xff\xfe").decode(),  # not text
        base64.b64encode(b"mock_sts/iam/list-marker/Users/page-starts-at/9").decode(),
    ],
)
def test_a_marker_iam_did_not_give_for_this_listing(iam: Any, marker: str) -> None:
    assert aws_error(lambda: iam.list_users(Marker=marker)) == (
        "ValidationError",
        "Invalid Marker.",
        400,
    )


def test_a_marker_of_another_listing(iam: Any) -> None:
    for name in ("alice", "bob"):
        iam.create_user(UserName=name)
        iam.create_group(GroupName=name)
    marker = iam.list_users(MaxItems=1)["Marker"]

    error = aws_error(lambda: iam.list_groups(Marker=marker))

    assert error == ("ValidationError", "Invalid Marker.", 400)


# ---------------------------------------------------------------------------------------
# §13.2 Codes and statuses


@pytest.mark.parametrize("kind", ["user", "role"])
def test_attaching_a_policy_arn_that_is_not_an_arn(iam: Any, kind: str) -> None:
    if kind == "user":
        iam.create_user(UserName="subject")
    else:
        make_role(iam, "subject")
    attach = getattr(iam, f"attach_{kind}_policy")

    error = aws_error(
        lambda: attach(**{f"{kind.title()}Name": "subject"}, PolicyArn="longpolicynamebutnoarn")
    )

    assert error == ("ValidationError", "ARN longpolicynamebutnoarn is not valid.", 400)


NOT_A_POLICY = f"arn:aws:iam::{ACCOUNT_ID}:not_a_policy/invalid"


@pytest.mark.parametrize("operation", ["put_role_permissions_boundary", "create_role"])
def test_a_boundary_that_is_not_a_policy_arn(iam: Any, operation: str) -> None:
    make_role(iam)
    if operation == "create_role":
        call = partial(make_role, iam, "other", PermissionsBoundary=NOT_A_POLICY)
    else:
        call = partial(
            iam.put_role_permissions_boundary, RoleName="deployer", PermissionsBoundary=NOT_A_POLICY
        )

    assert aws_error(call) == ("InvalidInput", f"ARN {NOT_A_POLICY} is not valid.", 400)


@pytest.mark.parametrize(
    ("operation", "kwargs", "message"),
    [
        ("delete_policy", {}, "Cannot delete policies outside your own account."),
        (
            "delete_policy_version",
            {"VersionId": "v1"},
            "Cannot delete policy versions for policies outside your own account.",
        ),
        (
            "set_default_policy_version",
            {"VersionId": "v1"},
            "Cannot update policies outside your own account.",
        ),
    ],
)
def test_changing_an_aws_managed_policy(
    iam: Any, operation: str, kwargs: dict[str, str], message: str
) -> None:
    call = partial(getattr(iam, operation), PolicyArn=ADMINISTRATOR_ACCESS, **kwargs)

    assert aws_error(call) == ("AccessDenied", message, 403)


def test_removing_a_user_who_is_not_a_member(iam: Any) -> None:
    iam.create_user(UserName="alice")
    iam.create_group(GroupName="devs")

    answer = iam.remove_user_from_group(GroupName="devs", UserName="alice")

    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert set(answer) == {"ResponseMetadata"}


def test_deleting_an_oidc_provider_that_is_gone(iam: Any) -> None:
    arn = iam.create_open_id_connect_provider(Url="https://idp.example.com")[
        "OpenIDConnectProviderArn"
    ]
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)

    error = aws_error(lambda: iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn))

    assert error == ("NoSuchEntity", f"OpenId connect Provider {arn} cannot be found.", 404)


# ---------------------------------------------------------------------------------------
# §13.3 Messages


@pytest.mark.parametrize("missing", ["policy", "version"])
@pytest.mark.parametrize(
    "operation", ["get_policy_version", "delete_policy_version", "set_default_policy_version"]
)
def test_a_missing_policy_version(iam: Any, missing: str, operation: str) -> None:
    arn = MISSING_POLICY if missing == "policy" else make_policy(iam)["Arn"]
    version = "v1" if missing == "policy" else "v7"

    error = aws_error(lambda: getattr(iam, operation)(PolicyArn=arn, VersionId=version))

    message = f"Policy {arn} version {version} does not exist or is not attachable."
    assert error == ("NoSuchEntity", message, 404)


def test_deleting_a_missing_policy(iam: Any) -> None:
    error = aws_error(lambda: iam.delete_policy(PolicyArn=MISSING_POLICY))

    assert error == ("NoSuchEntity", f"Policy {MISSING_POLICY} was not found.", 404)


@pytest.mark.parametrize(
    "operation",
    [
        "put_role_permissions_boundary",
        "create_role",
        "put_user_permissions_boundary",
        "create_user",
    ],
)
def test_a_missing_boundary_policy(iam: Any, operation: str) -> None:
    make_role(iam)
    iam.create_user(UserName="alice")
    calls = {
        "put_role_permissions_boundary": partial(
            iam.put_role_permissions_boundary, RoleName="deployer"
        ),
        "create_role": partial(make_role, iam, "other"),
        "put_user_permissions_boundary": partial(
            iam.put_user_permissions_boundary, UserName="alice"
        ),
        "create_user": partial(iam.create_user, UserName="bob"),
    }

    error = aws_error(lambda: calls[operation](PermissionsBoundary=MISSING_POLICY))

    message = f"Scope ARN: {MISSING_POLICY} does not exist or is not attachable."
    assert error == ("NoSuchEntity", message, 404)


@pytest.mark.parametrize("operation", ["deactivate_mfa_device", "delete_virtual_mfa_device"])
def test_an_unknown_mfa_serial_number(iam: Any, operation: str) -> None:
    iam.create_user(UserName="alice")
    serial = f"arn:aws:iam::{ACCOUNT_ID}:mfa/nothing"
    kwargs = {"UserName": "alice"} if operation == "deactivate_mfa_device" else {}

    error = aws_error(lambda: getattr(iam, operation)(SerialNumber=serial, **kwargs))

    assert error == ("NoSuchEntity", f"MFA Device with serial number {serial} does not exist.", 404)


def test_creating_a_virtual_mfa_device_twice(iam: Any) -> None:
    iam.create_virtual_mfa_device(VirtualMFADeviceName="alice-phone")

    error = aws_error(lambda: iam.create_virtual_mfa_device(VirtualMFADeviceName="alice-phone"))

    assert error == ("EntityAlreadyExists", "MFA device already exists.", 409)


def test_a_marker_iam_did_not_give(iam: Any) -> None:
    error = aws_error(lambda: iam.list_users(Marker="not-a-marker"))

    assert error == ("ValidationError", "Invalid Marker.", 400)


def _path_call(iam: Any, operation: str, path: str) -> Any:
    document = json.dumps(allow("s3:GetObject"))
    calls = {
        "create_user": partial(iam.create_user, UserName="alice"),
        "create_role": partial(iam.create_role, RoleName="r", AssumeRolePolicyDocument=TRUST),
        "create_group": partial(iam.create_group, GroupName="devs"),
        "create_policy": partial(iam.create_policy, PolicyName="p", PolicyDocument=document),
        "create_virtual_mfa_device": partial(
            iam.create_virtual_mfa_device, VirtualMFADeviceName="phone"
        ),
    }
    return partial(calls[operation], Path=path)


@pytest.mark.parametrize("path", ["bad", "/bad", "bad/", "/a b/"])
@pytest.mark.parametrize(
    "operation",
    ["create_user", "create_role", "create_group", "create_policy", "create_virtual_mfa_device"],
)
def test_a_path_that_does_not_begin_and_end_with_a_slash(
    iam: Any, operation: str, path: str
) -> None:
    assert aws_error(_path_call(iam, operation, path)) == PATH_INVALID


def test_a_path_too_long_is_refused_by_the_model(iam: Any) -> None:
    error = aws_error(_path_call(iam, "create_user", "/" + "b" * 511 + "/"))

    assert error == (
        "ValidationError",
        "1 validation error detected: Value at 'path' failed to satisfy constraint: Member must "
        "have length less than or equal to 512",
        400,
    )


def test_creating_a_policy_with_duplicate_tag_keys(iam: Any) -> None:
    tags = [{"Key": "dupkey", "Value": "val1"}, {"Key": "dupkey", "Value": "val2"}]

    error = aws_error(lambda: make_policy(iam, Tags=tags))

    assert error == ("InvalidInput", "Duplicate tag keys found.", 400)


def test_removing_an_unknown_user_from_an_unknown_group(iam: Any) -> None:
    error = aws_error(lambda: iam.remove_user_from_group(GroupName="ghosts", UserName="nobody"))

    assert error == ("NoSuchEntity", "The user with name nobody cannot be found.", 404)


@pytest.mark.parametrize("whose", ["another account's", "nobody's"])
def test_last_use_of_a_key_outside_the_account(sts_mock: MockSTS, iam: Any, whose: str) -> None:
    if whose == "nobody's":
        key_id = "AKIAZZZZZZZZZZZZZZZZ"
    else:
        key_id = sts_mock.admin_credentials(OTHER_ACCOUNT_ID).access_key_id

    error = aws_error(lambda: iam.get_access_key_last_used(AccessKeyId=key_id))

    message = (
        f"User: arn:aws:iam::{ACCOUNT_ID}:user/admin is not authorized to perform "
        f"iam:GetAccessKeyLastUsed on resource: access key {key_id}"
    )
    assert error == ("AccessDenied", message, 403)


# Model validation: IAM leaves the value out, and names a list of strings as a whole.


def validation(*problems: str) -> tuple[str, str, int]:
    noun = "error" if len(problems) == 1 else "errors"
    return (
        "ValidationError",
        f"{len(problems)} validation {noun} detected: {'; '.join(problems)}",
        400,
    )


TAG_KEY_CONSTRAINTS = (
    "Value at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: "
    "[Member must have length less than or equal to 128, Member must have length greater "
    "than or equal to 1, Member must satisfy regular expression pattern: "
    "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+, Member must not be null]"
)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        pytest.param(
            lambda iam: make_role(iam, Tags=[{"Key": str(n), "Value": "v"} for n in range(51)]),
            validation(
                "Value at 'tags' failed to satisfy constraint: Member must have length less "
                "than or equal to 50"
            ),
            id="too many tags",
        ),
        pytest.param(
            lambda iam: make_role(iam, Tags=[{"Key": "k" * 129, "Value": "v"}]),
            validation(
                "Value at 'tags.1.member.key' failed to satisfy constraint: Member must have "
                "length less than or equal to 128"
            ),
            id="tag key too long",
        ),
        pytest.param(
            lambda iam: iam.untag_role(RoleName="deployer", TagKeys=["k" * 129]),
            validation(TAG_KEY_CONSTRAINTS),
            id="untag key too long",
        ),
        pytest.param(
            lambda iam: iam.untag_role(RoleName="deployer", TagKeys=["fine", "invalid!key", "!"]),
            validation(TAG_KEY_CONSTRAINTS),
            id="untag keys with bad characters",
        ),
        pytest.param(
            lambda iam: iam.create_open_id_connect_provider(
                Url="https://idp.example.com", ThumbprintList=["a" * 41]
            ),
            validation(
                "Value at 'thumbprintList' failed to satisfy constraint: Member must satisfy "
                "constraint: [Member must have length less than or equal to 40, Member must "
                "have length greater than or equal to 40, Member must not be null]"
            ),
            id="thumbprint too long",
        ),
        pytest.param(
            lambda iam: iam.get_account_authorization_details(Filter=["Role", "Bogus"]),
            validation(
                "Value at 'filter' failed to satisfy constraint: Member must satisfy constraint: "
                "[Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, "
                "AWSManagedPolicy], Member must not be null]"
            ),
            id="list of enum values",
        ),
        pytest.param(
            lambda iam: iam.update_access_key(AccessKeyId="AKIAZZZZZZZZZZZZZZZZ", Status="Paused"),
            validation(
                "Value at 'status' failed to satisfy constraint: Member must satisfy enum value "
                "set: [Active, Inactive, Expired]"
            ),
            id="enum",
        ),
        pytest.param(
            lambda iam: iam.create_user(UserName="bad name!"),
            validation(
                "Value at 'userName' failed to satisfy constraint: Member must satisfy regular "
                "expression pattern: [\\w+=,.@-]+"
            ),
            id="pattern",
        ),
    ],
)
def test_iam_validation_messages_leave_the_value_out(
    iam: Any, call: Any, expected: tuple[str, str, int]
) -> None:
    make_role(iam)

    assert aws_error(lambda: call(iam)) == expected


def test_sts_validation_messages_keep_the_value(sts_mock: MockSTS) -> None:
    sts = client("sts")

    error = aws_error(lambda: sts.get_session_token(DurationSeconds=129601))

    assert error == validation(
        "Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have "
        "value less than or equal to 129600"
    )
