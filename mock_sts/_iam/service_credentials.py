"""Service-specific credentials of IAM users: Git credentials for CodeCommit, user names and
passwords for Amazon Keyspaces, and long-term API keys for Amazon Bedrock and CloudWatch
Logs. Their secrets are answered only by CreateServiceSpecificCredential and
ResetServiceSpecificCredential."""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_sts import _iam_messages, _ids
from mock_sts._iam._common import (
    account_of,
    credential_status,
    invalid_input,
    no_such_entity,
    page_of,
    quota_exceeded,
    user_named,
    user_or_caller,
)
from mock_sts._state import now, whole_seconds
from mock_sts._user_credentials import ServiceCredential
from mock_sts._wire import AWSError

if TYPE_CHECKING:
    from mock_sts._operation import Context
    from mock_sts._state import User

# IAM API Reference, CreateServiceSpecificCredential: "a maximum of two sets of
# service-specific credentials for each supported service per user".
CREDENTIALS_PER_USER_PER_SERVICE = 2
# The services that take a user name and a password (IAM User Guide, "IAM credentials for
# CodeCommit", and "Use IAM with Amazon Keyspaces"), and those whose credentials are API keys,
# which may expire (the model's ServiceSpecificCredential: "Bedrock API keys and CloudWatch
# Logs API keys"; IAM User Guide, "API keys for Amazon Bedrock").
_PASSWORD_SERVICES = frozenset({"codecommit.amazonaws.com", "cassandra.amazonaws.com"})
_API_KEY_SERVICES = frozenset({"bedrock.amazonaws.com", "logs.amazonaws.com"})


def _not_supported() -> AWSError:
    return AWSError("NotSupportedService", _iam_messages.SERVICE_NOT_SUPPORTED, 404)


def _service_param(name: str) -> str:
    if name not in _PASSWORD_SERVICES | _API_KEY_SERVICES:
        raise _not_supported()
    return name


def _new_secret(credential: ServiceCredential) -> None:
    """A new generated secret: a password, or an API key that carries its alias [U: AWS's
    API keys are opaque; Bedrock's begin with ABSK]."""
    if credential.alias is None:
        credential.password = base64.b64encode(secrets.token_bytes(33)).decode()
        return
    token = f"{credential.alias}:{base64.b64encode(secrets.token_bytes(45)).decode()}"
    credential.secret = "ABSK" + base64.b64encode(token.encode()).decode()


def _status(credential: ServiceCredential) -> str:
    """An API key past its expiration date is Expired, whatever it was set to."""
    expiration = credential.expiration
    return "Expired" if expiration is not None and expiration <= now() else credential.status


def _metadata(user: User, credential: ServiceCredential) -> dict[str, Any]:
    return {
        "UserName": user.name,
        "Status": _status(credential),
        "ServiceUserName": credential.service_user_name,
        "ServiceCredentialAlias": credential.alias,
        "CreateDate": credential.create_date,
        "ExpirationDate": credential.expiration,
        "ServiceSpecificCredentialId": credential.credential_id,
        "ServiceName": credential.service_name,
    }


def _with_secret(user: User, credential: ServiceCredential) -> Mapping[str, Any]:
    shape = _metadata(user, credential)
    shape["ServicePassword"] = credential.password
    shape["ServiceCredentialSecret"] = credential.secret
    return {"ServiceSpecificCredential": shape}


def _credential_of(user: User, credential_id: str) -> ServiceCredential:
    for credential in user.others.service_credentials:
        if credential.credential_id == credential_id:
            return credential
    raise no_such_entity(_iam_messages.NO_SUCH_SERVICE_CREDENTIAL.format(credential_id))


def create_service_specific_credential(ctx: Context) -> Mapping[str, Any]:
    user = user_named(ctx, ctx.params["UserName"])
    service = _service_param(ctx.params["ServiceName"])
    days: int | None = ctx.params.get("CredentialAgeDays")
    if days is not None and service not in _API_KEY_SERVICES:
        raise invalid_input(_iam_messages.CREDENTIAL_AGE_NOT_SUPPORTED.format(service))
    held = [c for c in user.others.service_credentials if c.service_name == service]
    if len(held) >= CREDENTIALS_PER_USER_PER_SERVICE:
        quota = "ServiceSpecificCredentialsPerUserPerService"
        raise quota_exceeded(quota, CREDENTIALS_PER_USER_PER_SERVICE)
    created = whole_seconds(now())
    # "The IAM user's name combined with the ID number of the Amazon Web Services account, as
    # in jane-at-123456789012" (the model's ServiceUserName). An API key's alias is "the IAM
    # user name and a suffix containing version and creation information" (the model's
    # ServiceCredentialAlias) [U: the suffix's form].
    at_account = f"{user.name}-at-{user.account_id}"
    api_key = service in _API_KEY_SERVICES
    credential = ServiceCredential(
        credential_id=_ids.new_id("ACCA", user.account_id, 17),
        service_name=service,
        create_date=created,
        service_user_name=None if api_key else at_account,
        alias=f"{at_account}+1-{created:%Y%m%d%H%M%S}" if api_key else None,
        expiration=None if days is None else created + dt.timedelta(days=days),
    )
    _new_secret(credential)
    user.others.service_credentials.append(credential)
    return _with_secret(user, credential)


def list_service_specific_credentials(ctx: Context) -> Mapping[str, Any]:
    params = ctx.params
    service: str | None = params.get("ServiceName")
    if service is not None:
        _service_param(service)
    if params.get("AllUsers"):
        if "UserName" in params:
            raise invalid_input(_iam_messages.ALL_USERS_AND_USER_NAME)
        users = sorted(account_of(ctx).users.values(), key=lambda u: u.name.lower())
    else:
        users = [user_or_caller(ctx)]
    listed = [
        _metadata(user, credential)
        for user in users
        for credential in user.others.service_credentials
        if service in (None, credential.service_name)
    ]
    return page_of(ctx, listed, "ServiceSpecificCredentials")


def reset_service_specific_credential(ctx: Context) -> Mapping[str, Any]:
    user = user_or_caller(ctx)
    credential = _credential_of(user, ctx.params["ServiceSpecificCredentialId"])
    _new_secret(credential)
    return _with_secret(user, credential)


def update_service_specific_credential(ctx: Context) -> Mapping[str, Any]:
    user = user_or_caller(ctx)
    credential = _credential_of(user, ctx.params["ServiceSpecificCredentialId"])
    credential.status = credential_status(ctx, "Service-specific credentials")
    return {}


def delete_service_specific_credential(ctx: Context) -> Mapping[str, Any]:
    user = user_or_caller(ctx)
    credential = _credential_of(user, ctx.params["ServiceSpecificCredentialId"])
    user.others.service_credentials.remove(credential)
    return {}
