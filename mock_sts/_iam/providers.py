"""IAM identity providers (OpenID Connect, SAML) and outbound identity federation."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mock_sts import _iam_messages, _ids
from mock_sts._iam._common import (
    account_of,
    add_tags,
    all_tags,
    already_exists,
    invalid_input,
    listed_tags,
    no_such_entity,
    quota_exceeded,
    remove_tags,
    tag_list,
    tags_param,
)
from mock_sts._providers import OIDCProvider, OutboundFederation, SAMLProvider
from mock_sts._state import now, whole_seconds
from mock_sts._wire import AWSError

if TYPE_CHECKING:
    from mock_sts._operation import Context


# ---------------------------------------------------------------------------------------
# OpenID Connect providers

OIDC_PROVIDERS_PER_ACCOUNT = 100
CLIENT_IDS_PER_PROVIDER = 100
THUMBPRINTS_PER_PROVIDER = 5
_THUMBPRINT = re.compile(r"[0-9A-Fa-f]{40}")


def _oidc_provider(ctx: Context) -> OIDCProvider:
    arn: str = ctx.params["OpenIDConnectProviderArn"]
    provider = _oidc_providers_by_arn(ctx).get(arn)
    if provider is None:
        raise no_such_entity(_iam_messages.OIDC_PROVIDER_NOT_FOUND.format(arn))
    return provider


def _oidc_providers_by_arn(ctx: Context) -> dict[str, OIDCProvider]:
    return {provider.arn: provider for provider in account_of(ctx).oidc_providers.values()}


def _check_provider_url(url: str) -> None:
    """IAM's rules for a provider URL: https://, a host, a path at most; no port, no query."""
    parts = urlsplit(url)
    if not url.startswith("https://") or not parts.netloc:
        raise AWSError("ValidationError", _iam_messages.OIDC_URL_NOT_HTTPS, 400)
    if (
        parts.query
        or parts.fragment
        or "?" in url
        or "#" in url
        or ":" in parts.netloc
        or "@" in parts.netloc
        or any(char.isspace() for char in url)
    ):
        raise invalid_input(_iam_messages.OIDC_URL_INVALID)


def _thumbprints(thumbprints: Sequence[str]) -> list[str]:
    if len(thumbprints) > THUMBPRINTS_PER_PROVIDER:
        raise invalid_input(_iam_messages.THUMBPRINTS_TOO_MANY)
    for thumbprint in thumbprints:
        if not _THUMBPRINT.fullmatch(thumbprint):
            raise invalid_input(_iam_messages.THUMBPRINT_FORMAT.format(thumbprint))
    return list(thumbprints)


def _client_ids_quota() -> AWSError:
    return quota_exceeded("ClientIdsPerOpenIdConnectProvider", CLIENT_IDS_PER_PROVIDER)


# A source or target key of a context provider: "ASCII letters (A-Z, a-z), numbers (0-9),
# single spaces, and the following characters: _ . : / = + - @ #. It can't start or end with
# a space or contain two spaces in a row" (IAM API Reference, ContextProvider).
_CONTEXT_KEY = re.compile(r"[A-Za-z0-9_.:/=+\-@#]+(?: [A-Za-z0-9_.:/=+\-@#]+)*")
# An IAM Identity Center instance's ARN (IAM Identity Center API Reference, InstanceMetadata).
_IDENTITY_CENTER_INSTANCE = re.compile(
    r"arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}"
)


def _context_provider(given: Mapping[str, Any]) -> dict[str, Any]:
    """A ContextProvider parameter, once its keys are well formed and it names the subject's
    type at most once."""
    definitions = given.get("KeyDefinitionList", ())
    keys = [
        given["SubjectSourceKey"],
        given.get("SubjectTypeSourceKey"),
        *(definition["SourceKey"] for definition in definitions),
        *(definition.get("TargetKey") for definition in definitions),
    ]
    for key in keys:
        if key is not None and not _CONTEXT_KEY.fullmatch(key):
            raise invalid_input(_iam_messages.CONTEXT_KEY_INVALID.format(key))
    # An empty SubjectTypeValue "indicates that no static subject type is set" (the model).
    if given.get("SubjectTypeValue") and "SubjectTypeSourceKey" in given:
        raise invalid_input(_iam_messages.CONTEXT_SUBJECT_TYPE_BOTH)
    return dict(given)


def _identity_center_instance(arn: str, context_provider: Mapping[str, Any] | None) -> str:
    """An IdentityCenterInstanceArn parameter. The association rests on the context provider,
    which may be removed only once the association is ("To remove the context provider,
    first remove the IAM Identity Center association", IAM API Reference,
    UpdateOpenIDConnectProvider): a provider without one cannot take an instance."""
    if not _IDENTITY_CENTER_INSTANCE.fullmatch(arn):
        raise invalid_input(_iam_messages.INVALID_ARN.format(arn))
    if context_provider is None:
        raise invalid_input(_iam_messages.OIDC_IDENTITY_CENTER_NEEDS_CONTEXT)
    return arn


def _identity_store_arn(provider: OIDCProvider) -> str | None:
    """The identity store "resolved from the associated IAM Identity Center instance". The
    mock holds no Identity Center: each instance's store is named after it, in the
    provider's account [U]."""
    instance = provider.identity_center_instance_arn
    if instance is None:
        return None
    store = hashlib.sha256(instance.encode()).hexdigest()[:10]
    return _ids.arn(
        provider.account.partition,
        "identitystore",
        provider.account.account_id,
        f"identitystore/d-{store}",
    )


def create_open_id_connect_provider(ctx: Context) -> Mapping[str, Any]:
    account = account_of(ctx)
    url: str = ctx.params["Url"]
    _check_provider_url(url)
    client_ids = list(dict.fromkeys(ctx.params.get("ClientIDList", ())))
    if len(client_ids) > CLIENT_IDS_PER_PROVIDER:
        raise _client_ids_quota()
    thumbprints = _thumbprints(ctx.params.get("ThumbprintList", ()))
    tags = tags_param(ctx.params.get("Tags"))
    given_context = ctx.params.get("ContextProvider")
    context = None if given_context is None else _context_provider(given_context)
    instance: str | None = ctx.params.get("IdentityCenterInstanceArn")
    if instance is not None:
        _identity_center_instance(instance, context)
    key = url.removeprefix("https://")
    if key in account.oidc_providers:
        raise AWSError("EntityAlreadyExists", _iam_messages.OIDC_PROVIDER_EXISTS.format(url), 409)
    if len(account.oidc_providers) >= OIDC_PROVIDERS_PER_ACCOUNT:
        raise quota_exceeded("OpenIdConnectProvidersPerAccount", OIDC_PROVIDERS_PER_ACCOUNT)
    provider = OIDCProvider(
        account, url, client_ids, thumbprints, whole_seconds(now()), tags, context, instance
    )
    account.oidc_providers[key] = provider
    return {"OpenIDConnectProviderArn": provider.arn, "Tags": tag_list(tags)}


def get_open_id_connect_provider(ctx: Context) -> Mapping[str, Any]:
    provider = _oidc_provider(ctx)
    return {
        # IAM shows the URL without its https:// scheme.
        "Url": provider.url.removeprefix("https://"),
        "ClientIDList": list(provider.client_ids),
        "ThumbprintList": list(provider.thumbprints),
        "CreateDate": provider.create_date,
        "Tags": all_tags(provider.tags),
        "ContextProvider": provider.context_provider,
        "IdentityCenterInstanceArn": provider.identity_center_instance_arn,
        "IdentityStoreArn": _identity_store_arn(provider),
    }


def list_open_id_connect_providers(ctx: Context) -> Mapping[str, Any]:
    arns = sorted(_oidc_providers_by_arn(ctx))
    return {"OpenIDConnectProviderList": [{"Arn": arn} for arn in arns]}


def delete_open_id_connect_provider(ctx: Context) -> Mapping[str, Any]:
    arn: str = ctx.params["OpenIDConnectProviderArn"]
    provider = _oidc_providers_by_arn(ctx).get(arn)
    if provider is None:
        # Not idempotent: AWS answers NoSuchEntity, in words of its own (§13.2).
        raise no_such_entity(_iam_messages.OIDC_PROVIDER_GONE.format(arn))
    del account_of(ctx).oidc_providers[provider.url.removeprefix("https://")]
    return {}


def add_client_id_to_open_id_connect_provider(ctx: Context) -> Mapping[str, Any]:
    provider = _oidc_provider(ctx)
    client_id: str = ctx.params["ClientID"]
    if client_id not in provider.client_ids:  # adding one again changes nothing [M]
        if len(provider.client_ids) >= CLIENT_IDS_PER_PROVIDER:
            raise _client_ids_quota()
        provider.client_ids.append(client_id)
    return {}


def remove_client_id_from_open_id_connect_provider(ctx: Context) -> Mapping[str, Any]:
    provider = _oidc_provider(ctx)
    client_id: str = ctx.params["ClientID"]
    if client_id in provider.client_ids:  # removing an absent one is no error [M]
        provider.client_ids.remove(client_id)
    return {}


def update_open_id_connect_provider_thumbprint(ctx: Context) -> Mapping[str, Any]:
    provider = _oidc_provider(ctx)
    provider.thumbprints = _thumbprints(ctx.params["ThumbprintList"])
    return {}


def update_open_id_connect_provider(ctx: Context) -> Mapping[str, Any]:
    """Set, change or remove the context provider, or the Identity Center association: one of
    the two per request, each by a new value or its Remove flag, never both (IAM API
    Reference, UpdateOpenIDConnectProvider)."""
    provider = _oidc_provider(ctx)
    context = ctx.params.get("ContextProvider")
    remove_context: bool = ctx.params.get("RemoveContextProvider", False)
    instance: str | None = ctx.params.get("IdentityCenterInstanceArn")
    remove_instance: bool = ctx.params.get("RemoveIdentityCenterInstance", False)
    for value, flag, name, flag_name in (
        (context, remove_context, "ContextProvider", "RemoveContextProvider"),
        (instance, remove_instance, "IdentityCenterInstanceArn", "RemoveIdentityCenterInstance"),
    ):
        if value is not None and flag:
            raise invalid_input(_iam_messages.OIDC_VALUE_AND_REMOVE.format(name, flag_name))
    changes_context = context is not None or remove_context
    changes_instance = instance is not None or remove_instance
    if changes_context and changes_instance:
        raise invalid_input(_iam_messages.OIDC_BOTH_CONFIGURATIONS)
    if context is not None:
        provider.context_provider = _context_provider(context)
    elif remove_context:
        if provider.identity_center_instance_arn is not None:
            raise invalid_input(_iam_messages.OIDC_REMOVE_IDENTITY_CENTER_FIRST)
        provider.context_provider = None
    elif instance is not None:
        arn = _identity_center_instance(instance, provider.context_provider)
        provider.identity_center_instance_arn = arn
    elif remove_instance:
        provider.identity_center_instance_arn = None
    else:
        raise invalid_input(_iam_messages.OIDC_UPDATE_NOTHING)
    return {}


def tag_open_id_connect_provider(ctx: Context) -> Mapping[str, Any]:
    return add_tags(ctx, _oidc_provider(ctx))


def untag_open_id_connect_provider(ctx: Context) -> Mapping[str, Any]:
    return remove_tags(ctx, _oidc_provider(ctx))


def list_open_id_connect_provider_tags(ctx: Context) -> Mapping[str, Any]:
    tags = _oidc_provider(ctx).tags
    return listed_tags(ctx, dict(sorted(tags.items())))  # sorted by key [M]


# ---------------------------------------------------------------------------------------
# Outbound identity federation


def enable_outbound_web_identity_federation(ctx: Context) -> Mapping[str, Any]:
    account = account_of(ctx)
    federation = account.outbound_federation
    if federation is not None and federation.enabled:
        raise AWSError("FeatureEnabled", _iam_messages.OUTBOUND_ALREADY_ENABLED, 409)
    if federation is None:
        # The issuer URL is the account's for good, across disabling and enabling again;
        # each account of the mock signs with keys of its own.
        in_use = [a for a in ctx.backend.accounts.values() if a.outbound_federation is not None]
        federation = OutboundFederation(
            issuer=f"https://{uuid.uuid4()}.tokens.sts.global.api.aws", key_index=len(in_use)
        )
        account.outbound_federation = federation
    federation.enabled = True
    return {"IssuerIdentifier": federation.issuer}


def disable_outbound_web_identity_federation(ctx: Context) -> Mapping[str, Any]:
    federation = account_of(ctx).outbound_federation
    if federation is None or not federation.enabled:
        raise AWSError("FeatureDisabled", _iam_messages.OUTBOUND_ALREADY_DISABLED, 404)
    federation.enabled = False
    return {}


def get_outbound_web_identity_federation_info(ctx: Context) -> Mapping[str, Any]:
    federation = account_of(ctx).outbound_federation
    if federation is None:
        raise AWSError("FeatureDisabled", _iam_messages.OUTBOUND_NEVER_ENABLED, 404)
    return {"IssuerIdentifier": federation.issuer, "JwtVendingEnabled": federation.enabled}


# ---------------------------------------------------------------------------------------
# SAML providers

SAML_PROVIDERS_PER_ACCOUNT = 100
SAML_PRIVATE_KEYS_PER_PROVIDER = 2
# AWS answers with a ValidUntil even for metadata that names none (§13.1); how far ahead it
# lies then is not recorded: a hundred years is mock_sts's own choice.
SAML_DEFAULT_VALIDITY = dt.timedelta(days=100 * 365)


def _saml_provider(ctx: Context) -> SAMLProvider:
    arn: str = ctx.params["SAMLProviderArn"]
    for provider in account_of(ctx).saml_providers.values():
        if provider.arn == arn:
            return provider
    raise no_such_entity(_iam_messages.SAML_PROVIDER_NOT_FOUND.format(arn))


def _valid_until(provider: SAMLProvider) -> dt.datetime:
    """When the provider stops being valid: its metadata's validUntil, if it names one."""
    return provider.valid_until or provider.create_date + SAML_DEFAULT_VALIDITY


def _saml_metadata(document: str) -> Any:
    """The entity id and signing certificates of an IdP's metadata, or IAM's InvalidInput."""
    from mock_sts._federation import saml

    try:
        return saml.parse_metadata(document)
    except saml.MetadataError:
        raise invalid_input(_iam_messages.SAML_METADATA_UNREADABLE) from None


def _change_saml_private_keys(
    provider: SAMLProvider, added: str | None, removed: str | None
) -> None:
    """Add and remove assertion decryption keys; a refused change leaves the keys intact."""
    keys = dict(provider.private_keys)
    if removed is not None:
        if removed not in keys:
            raise invalid_input(_iam_messages.SAML_PRIVATE_KEY_UNKNOWN.format(removed))
        del keys[removed]
    if added is not None:
        from cryptography.exceptions import UnsupportedAlgorithm
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        try:
            load_pem_private_key(added.encode(), password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            raise invalid_input(_iam_messages.SAML_PRIVATE_KEY_UNREADABLE) from None
        if len(keys) >= SAML_PRIVATE_KEYS_PER_PROVIDER:
            raise quota_exceeded("PrivateKeysPerSAMLProvider", SAML_PRIVATE_KEYS_PER_PROVIDER)
        keys[_ids.new_id("", provider.account.account_id, 26)] = whole_seconds(now())
    provider.private_keys = keys


def create_saml_provider(ctx: Context) -> Mapping[str, Any]:
    account = account_of(ctx)
    name: str = ctx.params["Name"]
    document: str = ctx.params["SAMLMetadataDocument"]
    metadata = _saml_metadata(document)
    tags = tags_param(ctx.params.get("Tags"))
    if name in account.saml_providers:
        raise already_exists("SAMLProvider", name)
    if len(account.saml_providers) >= SAML_PROVIDERS_PER_ACCOUNT:
        raise quota_exceeded("SAMLProvidersPerAccount", SAML_PROVIDERS_PER_ACCOUNT)
    provider = SAMLProvider(
        account,
        name,
        document,
        whole_seconds(now()),
        metadata.valid_until,
        tags,
        assertion_encryption_mode=ctx.params.get("AssertionEncryptionMode", "Allowed"),
    )
    _change_saml_private_keys(provider, ctx.params.get("AddPrivateKey"), None)
    account.saml_providers[name] = provider
    return {"SAMLProviderArn": provider.arn, "Tags": tag_list(tags)}


def get_saml_provider(ctx: Context) -> Mapping[str, Any]:
    provider = _saml_provider(ctx)
    keys = [{"KeyId": key, "Timestamp": added} for key, added in provider.private_keys.items()]
    return {
        "SAMLProviderUUID": provider.uuid,
        "SAMLMetadataDocument": provider.metadata,
        "CreateDate": provider.create_date,
        "ValidUntil": _valid_until(provider),
        "Tags": all_tags(dict(sorted(provider.tags.items()))),  # sorted by key [M]
        "AssertionEncryptionMode": provider.assertion_encryption_mode,
        "PrivateKeyList": keys,
    }


def update_saml_provider(ctx: Context) -> Mapping[str, Any]:
    provider = _saml_provider(ctx)
    document: str = ctx.params.get("SAMLMetadataDocument", provider.metadata)
    valid_until = _saml_metadata(document).valid_until
    _change_saml_private_keys(
        provider, ctx.params.get("AddPrivateKey"), ctx.params.get("RemovePrivateKey")
    )
    provider.metadata = document
    provider.valid_until = valid_until
    provider.assertion_encryption_mode = ctx.params.get(
        "AssertionEncryptionMode", provider.assertion_encryption_mode
    )
    return {"SAMLProviderArn": provider.arn}


def delete_saml_provider(ctx: Context) -> Mapping[str, Any]:
    # Roles that trust the provider keep their trust policies, and sessions stay valid.
    provider = _saml_provider(ctx)
    del account_of(ctx).saml_providers[provider.name]
    return {}


def list_saml_providers(ctx: Context) -> Mapping[str, Any]:
    providers = sorted(account_of(ctx).saml_providers.values(), key=lambda p: p.name)
    return {
        "SAMLProviderList": [
            {"Arn": p.arn, "ValidUntil": _valid_until(p), "CreateDate": p.create_date}
            for p in providers
        ]
    }


def tag_saml_provider(ctx: Context) -> Mapping[str, Any]:
    return add_tags(ctx, _saml_provider(ctx))


def untag_saml_provider(ctx: Context) -> Mapping[str, Any]:
    return remove_tags(ctx, _saml_provider(ctx))


def list_saml_provider_tags(ctx: Context) -> Mapping[str, Any]:
    return listed_tags(ctx, _saml_provider(ctx).tags)
