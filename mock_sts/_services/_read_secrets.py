"""Readers of the parameters of requests to the services that keep keys, secrets and
settings, KMS, Secrets Manager and SSM Parameter Store: the key, alias, secret or parameter
they name and the condition keys they carry."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from mock_sts._policy import ConditionValue
from mock_sts._services._read_common import (
    Keys,
    Params,
    Resolver,
    Where,
    both,
    keys_from,
    listed,
    mapping,
    strings,
    text,
)

# ---------------------------------------------------------------------------------------
# KMS. Sources: "Actions, resources, and condition keys for AWS Key Management Service",
# the KMS Developer Guide's "AWS KMS permissions" reference and "Condition keys for AWS
# KMS" (an alias names its key only where it is known; CreateAlias, UpdateAlias and
# DeleteAlias are authorized on the alias and on the key; ReEncrypt is ReEncryptFrom on the
# source key and ReEncryptTo on the destination key).

_KMS_ARN = re.compile(
    r"arn:[^:]+:kms:(?P<region>[^:]+):(?P<account>\d{12}):(?P<what>(?:key|alias)/.+)"
)


def _kms_key(params: Params, where: Where) -> tuple[str, str, str] | None:
    """(region, account, key id) of the KeyId: a key id, a key ARN, or an alias (name or
    ARN) the mock has seen created."""
    key = text(params, "KeyId")
    if key is None:
        return None
    found = _KMS_ARN.fullmatch(key)
    if found is not None:
        region, account, what = found.group("region", "account", "what")
    elif key.startswith("arn:"):
        return None
    else:
        region, account, what = where.region, where.account, key
    if what.startswith("alias/"):
        known = _KMS_ARN.fullmatch(where.facts.arns.get(("kms", region, account, what), ""))
        if known is None or not known.group("what").startswith("key/"):
            return None
        region, account, what = known.group("region", "account", "what")
    return region, account, what.removeprefix("key/")


def kms_part(index: int) -> Resolver:
    def resolve(params: Params, where: Where) -> str | None:
        found = _kms_key(params, where)
        return found[index] if found else None

    return resolve


def kms_alias(params: Params, where: Where) -> str | None:
    name = text(params, "AliasName")
    if name is None:
        return None
    found = _KMS_ARN.fullmatch(name)
    if found is not None:
        return name if found.group("what").startswith("alias/") else None
    return (
        f"arn:{where.partition}:kms:{where.region}:{where.account}:{name}"
        if name.startswith("alias/")
        else None
    )


def kms_target(params: Params) -> Iterable[Params]:
    # CreateAlias/UpdateAlias name the key as TargetKeyId; DeleteAlias's key is the alias's.
    target = params.get("TargetKeyId", params.get("AliasName"))
    return ({"KeyId": target},)


def kms_re_encrypt(side: str) -> Callable[[Params], Iterable[Params]]:
    def fan_out(params: Params) -> Iterable[Params]:
        same = params.get("SourceKeyId") == params.get("DestinationKeyId")
        return (
            {
                "KeyId": params.get(f"{side}KeyId"),
                "EncryptionContext": params.get(f"{side}EncryptionContext"),
                "EncryptionAlgorithm": params.get(f"{side}EncryptionAlgorithm"),
                "ReEncryptOnSameKey": same,
            },
        )

    return fan_out


def _kms_encryption_context(params: Params) -> Keys:
    context = params.get("EncryptionContext")
    if not isinstance(context, Mapping) or not context:
        return {}
    keys: dict[str, ConditionValue] = {
        f"kms:EncryptionContext:{k}": str(v) for k, v in context.items()
    }
    keys["kms:EncryptionContextKeys"] = tuple(str(k) for k in context)
    return keys


def _kms_request_alias(params: Params) -> Keys:
    key = text(params, "KeyId")
    if key is None:
        return {}
    alias = key.split(":", 5)[-1] if key.startswith("arn:") else key
    return {"kms:RequestAlias": alias} if alias.startswith("alias/") else {}


def _kms_grant(params: Params) -> Keys:
    constraints = mapping(params, "Constraints")
    kinds = tuple(
        kind
        for kind in ("EncryptionContextEquals", "EncryptionContextSubset")
        if kind in constraints
    )
    return {"kms:GrantConstraintType": kinds} if kinds else {}


KMS_KEYS = both(
    _kms_encryption_context,
    _kms_request_alias,
    keys_from(
        {
            "kms:EncryptionAlgorithm": "EncryptionAlgorithm",
            "kms:SigningAlgorithm": "SigningAlgorithm",
            "kms:MacAlgorithm": "MacAlgorithm",
            "kms:MessageType": "MessageType",
            "kms:KeyAgreementAlgorithm": "KeyAgreementAlgorithm",
            "kms:DataKeyPairSpec": "KeyPairSpec",
            "kms:KeySpec": "KeySpec",
            "kms:KeyUsage": "KeyUsage",
            "kms:KeyOrigin": "Origin",
            "kms:MultiRegion": "MultiRegion",
            "kms:BypassPolicyLockoutSafetyCheck": "BypassPolicyLockoutSafetyCheck",
            "kms:GrantOperations": "Operations",
            "kms:GranteePrincipal": "GranteePrincipal",
            "kms:RetiringPrincipal": "RetiringPrincipal",
            "kms:ReEncryptOnSameKey": "ReEncryptOnSameKey",
        }
    ),
    _kms_grant,
)


# ---------------------------------------------------------------------------------------
# Secrets Manager. Sources: "Actions, resources, and condition keys for AWS Secrets
# Manager" and the Secrets Manager User Guide's "Permissions reference" (a secret is named
# by its ARN or its name; BatchGetSecretValue needs GetSecretValue on each secret).


def secret_id(params: Params, where: Where) -> str | None:
    # A name is the secret's only where the mock has seen the secret (its ARN ends in six
    # random characters); an ARN is matched whole.
    name = text(params, "SecretId")
    if name is None or name.startswith("arn:"):
        return None
    known = where.facts.arns.get(("secretsmanager", where.region, where.account, name))
    return known.split(":secret:", 1)[1] if known and ":secret:" in known else None


def new_secret(params: Params, where: Where) -> str | None:
    # The ARN a new secret will have: its name and six random characters AWS has not told
    # yet; a policy on "name-*" (or "name*", "*") covers it, as it does in AWS.
    name = text(params, "Name")
    if name is None:
        return None
    return (
        f"arn:{where.partition}:secretsmanager:{where.region}:{where.account}:secret:{name}-??????"
    )


def secret_ids(params: Params) -> Iterable[Params]:
    ids = listed(params, "SecretIdList")
    if not ids or "Filters" in params:
        # Secrets chosen by filters are not known before they are read.
        return ({},)
    return ({"SecretId": secret} for secret in ids)


def _secret_keys(params: Params) -> Keys:
    secret = text(params, "SecretId")
    return {"secretsmanager:SecretId": secret} if secret and secret.startswith("arn:") else {}


SECRETS_KEYS = both(
    _secret_keys,
    keys_from(
        {
            "secretsmanager:Name": "Name",
            "secretsmanager:Description": "Description",
            "secretsmanager:KmsKeyId": "KmsKeyId",
            "secretsmanager:VersionStage": "VersionStage",
            "secretsmanager:ForceOverwriteReplicaSecret": "ForceOverwriteReplicaSecret",
            "secretsmanager:BlockPublicPolicy": "BlockPublicPolicy",
            "secretsmanager:RotationLambdaARN": "RotationLambdaARN",
        }
    ),
)


# ---------------------------------------------------------------------------------------
# SSM Parameter Store. Sources: "Actions, resources, and condition keys for AWS Systems
# Manager" and the Systems Manager User Guide, "Restricting access to Parameter Store
# parameters using IAM policies" (a batch is checked for each parameter it names).


def ssm_names(params: Params, key: str) -> list[Params]:
    """Each parameter a request names (by name or ARN), less the version or label a name
    may select ("name:3", "name:prod"): AWS checks the parameter itself."""
    return [{"Name": _ssm_unselected(name)} for name in strings(params.get(key))]


def _ssm_unselected(name: str) -> str:
    if not name.startswith("arn:"):
        return name.split(":", 1)[0]
    head, marker, rest = name.partition(":parameter/")
    # An ARN of anything but a parameter is left whole: it fills no parameter's ARN.
    return f"{head}{marker}{rest.split(':', 1)[0]}" if marker else name


def ssm_name(params: Params) -> str | None:
    """A parameter's name or a path as its ARN ends: without the leading "/"
    ("/app/db" is "parameter/app/db")."""
    for key in ("Name", "Path"):
        value = text(params, key)
        if value is not None and not value.startswith("arn:"):
            return value.removeprefix("/")
    return None
