"""The handle's IAM entities (``MockSTS.create_user``, ``create_role`` and their kin): users,
roles, instance profiles and AWS managed policies, made through IAM's operations as a client
would make them, and the built-in keys of each account."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from mock_sts import _arguments, _state
from mock_sts._handles import (
    Credentials,
    InstanceProfile,
    Role,
    User,
    attach_policies,
    client_error,
    forget,
    invoke_iam,
    key_credentials,
    policy_text,
    tag_param,
    undone_on_error,
)


def admin_credentials(backend: _state.Backend, account_id: str | None) -> Credentials:
    """``MockSTS.admin_credentials``: the keys of the account's ``admin`` user."""
    key = backend.admin_key(_arguments.account_id(account_id))
    if key is None:
        raise LookupError(
            f"Account {account_id or backend.default_account_id} has no admin user with an "
            "access key any more (it was deleted through IAM)."
        )
    return key_credentials(key)


def root_credentials(backend: _state.Backend, account_id: str | None) -> Credentials:
    """``MockSTS.root_credentials``: the root user's long-term keys."""
    return key_credentials(backend.root_access_key(_arguments.account_id(account_id)))


def create_user(
    backend: _state.Backend,
    name: str,
    *,
    account_id: str | None,
    policies: Mapping[str, Mapping[str, Any] | str] | None,
    managed_policy_arns: Sequence[str],
    path: str,
    tags: Mapping[str, str] | None,
) -> User:
    """``MockSTS.create_user``: CreateUser, its policies, CreateAccessKey."""
    account_id, policies, managed_policy_arns = _attached(account_id, policies, managed_policy_arns)
    params = {"UserName": _arguments.text("name", name), **_placed(path, tags)}
    with backend.lock:
        account = backend.account(account_id)
        created = invoke_iam(account, "CreateUser", params)["User"]
        with undone_on_error(lambda: forget(account.users, name)):
            attach_policies(account, "User", name, policies, managed_policy_arns)
            key = invoke_iam(account, "CreateAccessKey", {"UserName": name})["AccessKey"]
        user = account.users[name.lower()]
    credentials = Credentials(key["AccessKeyId"], key["SecretAccessKey"])
    return User(created["UserName"], created["Arn"], created["UserId"], credentials, user)


def create_role(
    backend: _state.Backend,
    name: str,
    trust_policy: Mapping[str, Any] | str,
    *,
    account_id: str | None,
    policies: Mapping[str, Mapping[str, Any] | str] | None,
    managed_policy_arns: Sequence[str],
    max_session_duration: int,
    path: str,
    permissions_boundary: str | None,
    tags: Mapping[str, str] | None,
) -> Role:
    """``MockSTS.create_role``: CreateRole and its policies."""
    account_id, policies, managed_policy_arns = _attached(account_id, policies, managed_policy_arns)
    params: dict[str, Any] = {
        "RoleName": _arguments.text("name", name),
        "AssumeRolePolicyDocument": policy_text("trust_policy", trust_policy),
        "MaxSessionDuration": _arguments.seconds("max_session_duration", max_session_duration),
        **_placed(path, tags),
    }
    if _arguments.optional_text("permissions_boundary", permissions_boundary) is not None:
        params["PermissionsBoundary"] = permissions_boundary
    with backend.lock:
        account = backend.account(account_id)
        created = invoke_iam(account, "CreateRole", params)["Role"]
        with undone_on_error(lambda: forget(account.roles, name)):
            attach_policies(account, "Role", name, policies, managed_policy_arns)
    return Role(created["RoleName"], created["Arn"], created["RoleId"])


def _attached(
    account_id: Any, policies: Any, managed_policy_arns: Any
) -> tuple[str | None, Mapping[str, Mapping[str, Any] | str], tuple[str, ...]]:
    """The account of a new user or role, and the policies it is made with, checked."""
    return (
        _arguments.account_id(account_id),
        _arguments.policies(policies),
        _arguments.strings("managed_policy_arns", managed_policy_arns),
    )


def _placed(path: Any, tags: Any) -> dict[str, Any]:
    """IAM's ``Path`` and ``Tags`` of a new user or role."""
    return {"Path": _arguments.text("path", path), **tag_param(_arguments.tags(tags))}


def create_instance_profile(
    backend: _state.Backend, name: str, role: Role | str | None, path: str, account_id: str | None
) -> InstanceProfile:
    """``MockSTS.create_instance_profile``: CreateInstanceProfile, AddRoleToInstanceProfile."""
    role_name = role.name if isinstance(role, Role) else role
    _arguments.optional_text("role (a Role, or a role's name)", role_name)
    params = {"InstanceProfileName": _arguments.text("name", name), "Path": path}
    _arguments.text("path", path)
    with backend.lock:
        account = backend.account(_arguments.account_id(account_id))
        created = invoke_iam(account, "CreateInstanceProfile", params)["InstanceProfile"]
        if role_name is not None:
            with undone_on_error(lambda: forget(account.instance_profiles, name)):
                added = {"InstanceProfileName": name, "RoleName": role_name}
                invoke_iam(account, "AddRoleToInstanceProfile", added)
    return InstanceProfile(name, created["Arn"], created["InstanceProfileId"])


def add_aws_managed_policy(
    backend: _state.Backend,
    name: str,
    document: Mapping[str, Any] | str,
    *,
    path: str | None,
    version_id: str | None,
    description: str | None,
) -> str:
    """``MockSTS.add_aws_managed_policy``: an AWS managed policy, or a new version of one."""
    from mock_sts import _access, _aws_policies, _managed
    from mock_sts._wire import AWSError

    _aws_policies.check_addition(name, path, version_id, description)
    _arguments.document("document", document)
    text = document if isinstance(document, str) else json.dumps(document)
    try:
        _access.parse(text)  # as IAM checks a policy it stores
    except AWSError as error:
        raise client_error(error, "CreatePolicy") from None
    with backend.lock:
        return _managed.add_aws_policy(
            backend, name, text, path=path, version_id=version_id, description=description
        ).arn
