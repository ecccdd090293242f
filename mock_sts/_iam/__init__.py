"""IAM operations (the slice STS needs): the authorization gate and the dispatch table.

Each family of operations is a module of its own, over the lookups they share in ``_common``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from mock_sts import _access, _auth
from mock_sts._iam._common import PathNamed, account_of
from mock_sts._iam.access_reports import (
    generate_organizations_access_report,
    generate_service_last_accessed_details,
    get_organizations_access_report,
    get_service_last_accessed_details,
    get_service_last_accessed_details_with_entities,
)
from mock_sts._iam.account import (
    create_account_alias,
    delete_account_alias,
    get_account_properties,
    get_account_summary,
    list_account_aliases,
    put_account_properties,
    set_security_token_service_preferences,
)
from mock_sts._iam.authorization_details import get_account_authorization_details
from mock_sts._iam.credential_report import (
    generate_credential_report,
    get_credential_report,
)
from mock_sts._iam.delegation import (
    accept_delegation_request,
    associate_delegation_request,
    create_delegation_request,
    get_delegation_request,
    list_delegation_requests,
    reject_delegation_request,
    send_delegation_token,
    update_delegation_request,
)
from mock_sts._iam.groups import (
    add_user_to_group,
    create_group,
    delete_group,
    get_group,
    list_groups,
    list_groups_for_user,
    remove_user_from_group,
    update_group,
)
from mock_sts._iam.instance_profiles import (
    add_role_to_instance_profile,
    create_instance_profile,
    delete_instance_profile,
    get_instance_profile,
    list_instance_profile_tags,
    list_instance_profiles,
    list_instance_profiles_for_role,
    remove_role_from_instance_profile,
    tag_instance_profile,
    untag_instance_profile,
)
from mock_sts._iam.organizations import (
    disable_organizations_root_credentials_management,
    disable_organizations_root_sessions,
    enable_organizations_root_credentials_management,
    enable_organizations_root_sessions,
    list_organizations_features,
)
from mock_sts._iam.passwords import (
    change_password,
    create_login_profile,
    delete_account_password_policy,
    delete_login_profile,
    get_account_password_policy,
    get_login_profile,
    update_account_password_policy,
    update_login_profile,
)
from mock_sts._iam.policies import (
    attach_group_policy,
    attach_role_policy,
    attach_user_policy,
    create_policy,
    create_policy_version,
    delete_group_policy,
    delete_policy,
    delete_policy_version,
    delete_role_permissions_boundary,
    delete_role_policy,
    delete_user_permissions_boundary,
    delete_user_policy,
    detach_group_policy,
    detach_role_policy,
    detach_user_policy,
    get_group_policy,
    get_policy,
    get_policy_version,
    get_role_policy,
    get_user_policy,
    list_attached_group_policies,
    list_attached_role_policies,
    list_attached_user_policies,
    list_entities_for_policy,
    list_group_policies,
    list_policies,
    list_policy_tags,
    list_policy_versions,
    list_role_policies,
    list_user_policies,
    put_group_policy,
    put_role_permissions_boundary,
    put_role_policy,
    put_user_permissions_boundary,
    put_user_policy,
    set_default_policy_version,
    tag_policy,
    untag_policy,
)
from mock_sts._iam.providers import (
    add_client_id_to_open_id_connect_provider,
    create_open_id_connect_provider,
    create_saml_provider,
    delete_open_id_connect_provider,
    delete_saml_provider,
    disable_outbound_web_identity_federation,
    enable_outbound_web_identity_federation,
    get_open_id_connect_provider,
    get_outbound_web_identity_federation_info,
    get_saml_provider,
    list_open_id_connect_provider_tags,
    list_open_id_connect_providers,
    list_saml_provider_tags,
    list_saml_providers,
    remove_client_id_from_open_id_connect_provider,
    tag_open_id_connect_provider,
    tag_saml_provider,
    untag_open_id_connect_provider,
    untag_saml_provider,
    update_open_id_connect_provider,
    update_open_id_connect_provider_thumbprint,
    update_saml_provider,
)
from mock_sts._iam.role_templates import (
    acquire_checks,
    acquire_role,
    get_role_template_version,
    template_resource,
)
from mock_sts._iam.roles import (
    create_role,
    delete_role,
    get_role,
    list_role_tags,
    list_roles,
    tag_role,
    untag_role,
    update_assume_role_policy,
    update_role,
    update_role_description,
)
from mock_sts._iam.server_certificates import (
    delete_server_certificate,
    get_server_certificate,
    list_server_certificate_tags,
    list_server_certificates,
    tag_server_certificate,
    untag_server_certificate,
    update_server_certificate,
    upload_server_certificate,
)
from mock_sts._iam.service_access import (
    identity_resource,
    list_policies_granting_service_access,
)
from mock_sts._iam.service_credentials import (
    create_service_specific_credential,
    delete_service_specific_credential,
    list_service_specific_credentials,
    reset_service_specific_credential,
    update_service_specific_credential,
)
from mock_sts._iam.service_linked_roles import (
    create_resource,
    create_service_linked_role,
    delete_service_linked_role,
    get_service_linked_role_deletion_status,
    protect_linked_roles,
    task_resource,
)
from mock_sts._iam.signing_certificates import (
    delete_signing_certificate,
    list_signing_certificates,
    update_signing_certificate,
    upload_signing_certificate,
)
from mock_sts._iam.simulator import (
    get_context_keys_for_custom_policy,
    get_context_keys_for_principal_policy,
    simulate_custom_policy,
    simulate_principal_policy,
)
from mock_sts._iam.ssh_keys import (
    delete_ssh_public_key,
    get_ssh_public_key,
    list_ssh_public_keys,
    update_ssh_public_key,
    upload_ssh_public_key,
)
from mock_sts._iam.summaries import get_human_readable_summary, summary_resource
from mock_sts._iam.users import (
    create_access_key,
    create_user,
    create_virtual_mfa_device,
    deactivate_mfa_device,
    delete_access_key,
    delete_user,
    delete_virtual_mfa_device,
    enable_mfa_device,
    get_access_key_last_used,
    get_mfa_device,
    get_user,
    list_access_keys,
    list_mfa_device_tags,
    list_mfa_devices,
    list_user_tags,
    list_users,
    list_virtual_mfa_devices,
    resync_mfa_device,
    tag_mfa_device,
    tag_user,
    untag_mfa_device,
    untag_user,
    update_access_key,
    update_user,
)
from mock_sts._operation import explained
from mock_sts._policy import ConditionValue
from mock_sts._state import SessionKind, User

if TYPE_CHECKING:
    from mock_sts._decision import Decision
    from mock_sts._operation import Context, Operation
    from mock_sts._state import Account


def _gated(operation: Operation) -> Operation:
    def serve(ctx: Context) -> Mapping[str, Any]:
        caller = ctx.signed_caller
        session = caller.session
        # IAM refuses GetSessionToken credentials that carry no MFA context.
        if (
            session is not None
            and session.kind is SessionKind.SESSION_TOKEN
            and session.mfa_authenticated is None
        ):
            reason = "GetSessionToken credentials without MFA may not call IAM"
            raise explained(_auth.invalid_client_token(), reason)
        action = f"iam:{ctx.action}"
        resource = _resource_of(ctx)
        # Federated users cannot call IAM at all, whatever their policies say.
        if session is not None and session.kind is SessionKind.FEDERATED:
            reason = "federated users may not call IAM, whatever their policies allow"
            raise explained(_access.not_authorized(caller.arn, action, resource), reason)
        checks = (
            # AcquireRole is authorized as the IAM actions it performs.
            acquire_checks(ctx)
            if ctx.action == "AcquireRole"
            else [
                (action, resource, _condition_keys(ctx)),
                *_passed_roles(ctx),
                *_renamed_to(ctx, resource),
            ]
        )
        for checked, on, context in checks:
            decision = _access.authorize(caller, ctx.info, checked, on, context=context)
            if not decision and not _granted_by_password_policy(ctx, checked, decision):
                raise _access.not_authorized(
                    caller.arn, checked, on, decision.denial_suffix(checked)
                )
        protect_linked_roles(ctx)
        return operation(ctx)

    return serve


def _granted_by_password_policy(ctx: Context, action: str, decision: Decision) -> bool:
    """Whether the account's password policy lets an IAM user do ``action`` whatever their
    policies say: with AllowUsersToChangePassword, "IAM users in the account automatically
    have permissions to change their own password" (IAM API Reference,
    UpdateAccountPasswordPolicy), and to read the policy they must meet. No explicit deny is
    overridden."""
    policy = account_of(ctx).password_policy
    return (
        action in ("iam:ChangePassword", "iam:GetAccountPasswordPolicy")
        and isinstance(ctx.signed_caller.principal, User)
        and policy is not None
        and policy.allow_users_to_change
        and not decision.explicit_deny
    )


def _passed_roles(ctx: Context) -> list[tuple[str, str, dict[str, ConditionValue]]]:
    """The iam:PassRole checks of an operation that hands a role on: AddRoleToInstanceProfile
    hands it to the instances the profile will start with. "The caller of this operation
    must be granted the PassRole permission on the IAM role", and AWS sets
    iam:AssociatedResourceArn to ``arn:aws:ec2:*:<caller's account>:instance/*`` for it (IAM
    API Reference, AddRoleToInstanceProfile)."""
    if ctx.action != "AddRoleToInstanceProfile":
        return []
    account = account_of(ctx)
    name: str = ctx.params["RoleName"]
    role = account.role(name)
    arn = role.arn if role is not None else account.arn(f"role/{name}")
    partition = account.backend.partition
    instances = f"arn:{partition}:ec2:*:{ctx.signed_caller.account_id}:instance/*"
    return [("iam:PassRole", arn, {"iam:AssociatedResourceArn": instances})]


# What each rename renames: the kind of entity (its ARN's resource type), the parameters of its
# name and new name, and the account's table of such entities (by lower-cased name).
_RENAMES: Mapping[str, tuple[str, str, str, Callable[[Account], Mapping[str, PathNamed]]]] = {
    "UpdateUser": ("user", "UserName", "NewUserName", lambda account: account.users),
    "UpdateGroup": ("group", "GroupName", "NewGroupName", lambda account: account.groups),
    "UpdateServerCertificate": (
        "server-certificate",
        "ServerCertificateName",
        "NewServerCertificateName",
        lambda account: account.server_certificates,
    ),
}


def _renamed_to(ctx: Context, resource: str) -> list[tuple[str, str, dict[str, ConditionValue]]]:
    """The check of a rename on the entity's new ARN: "the requester must have appropriate
    permissions on both the source object and the target object. For example, to change Bob
    to Robert, the entity making the request must have permission on Bob and Robert" (IAM API
    Reference, UpdateUser; UpdateGroup and UpdateServerCertificate alike)."""
    if ctx.action not in _RENAMES:
        return []
    kind, name_key, new_name_key, entities = _RENAMES[ctx.action]
    account = account_of(ctx)
    name: str = ctx.params[name_key]
    entity = entities(account).get(name.lower())
    path = entity.path if entity is not None else "/"
    new_name = ctx.params.get(new_name_key, name)
    target = account.arn(f"{kind}{ctx.params.get('NewPath', path)}{new_name}")
    return [] if target == resource else [(f"iam:{ctx.action}", target, {})]


def _condition_keys(ctx: Context) -> dict[str, ConditionValue]:
    """The action's own condition keys: CreateServiceLinkedRole's iam:AWSServiceName, "the
    AWS service to which this role is attached", and iam:AccountPropertyNamespaces, "the
    account property namespaces being read or modified" (Service Authorization Reference,
    IAM), for the account properties operations: the namespace a PutAccountProperties request
    sets (that operation refuses a request naming several), or those GetAccountProperties
    reads."""
    if ctx.action == "CreateServiceLinkedRole":
        return {"iam:AWSServiceName": ctx.params["AWSServiceName"]}
    if ctx.action == "PutAccountProperties":
        keys: Mapping[str, str] = ctx.params["Properties"]
        namespaces = tuple(sorted({key.partition("/")[0] for key in keys}))
        return {"iam:AccountPropertyNamespaces": namespaces}
    if ctx.action == "GetAccountProperties":
        properties = account_of(ctx).properties
        held = properties.namespaces() if properties is not None else ()
        return {"iam:AccountPropertyNamespaces": held}
    return {}


# Actions whose resource no entity parameter names, and how each finds it.
_RESOURCES: Mapping[str, Callable[[Context], str]] = {
    "CreateServiceLinkedRole": create_resource,
    "GetServiceLinkedRoleDeletionStatus": task_resource,
    "ListPoliciesGrantingServiceAccess": identity_resource,
    "GetHumanReadableSummary": summary_resource,
    "GetRoleTemplateVersion": template_resource,
    "CreateOpenIDConnectProvider": lambda ctx: account_of(ctx).arn(
        f"oidc-provider/{ctx.params['Url'].removeprefix('https://')}"
    ),
    "CreateSAMLProvider": lambda ctx: account_of(ctx).arn(f"saml-provider/{ctx.params['Name']}"),
    # The report's subject (Service Authorization Reference, IAM: the group, policy, role or
    # user resource types), and the access report of an Organizations entity path.
    "GenerateServiceLastAccessedDetails": lambda ctx: str(ctx.params["Arn"]),
    "GenerateOrganizationsAccessReport": lambda ctx: account_of(ctx).arn(
        f"access-report/{ctx.params['EntityPath']}"
    ),
}


def _resource_of(ctx: Context) -> str:
    """The ARN an IAM action is authorized against: the entity it acts on."""
    if ctx.action in _RESOURCES:
        return _RESOURCES[ctx.action](ctx)
    params = ctx.params
    account = account_of(ctx)
    # An instance profile before the role: AddRoleToInstanceProfile and its twin name both,
    # and act on the profile.
    for kind, key, entities in (
        ("instance-profile", "InstanceProfileName", account.instance_profiles),
        ("group", "GroupName", account.groups),
        ("role", "RoleName", account.roles),
        ("user", "UserName", account.users),
        ("server-certificate", "ServerCertificateName", account.server_certificates),
    ):
        if key in params:
            name: str = params[key]
            existing = entities.get(name.lower())
            path = existing.path if existing is not None else params.get("Path", "/")
            return account.arn(f"{kind}{path}{name}")
    # The simulator's principal operations act on the user, group or role whose policies
    # they read (Service Authorization Reference, IAM: SimulatePrincipalPolicy,
    # GetContextKeysForPrincipalPolicy take the group, role and user resource types).
    if "PolicySourceArn" in params:
        source: str = params["PolicySourceArn"]
        return source
    if ctx.action == "ListServiceSpecificCredentials" and params.get("AllUsers"):
        # Every user's credentials: no one user is the resource.
        return "*"
    # Before a SerialNumber: GetMFADevice acts on the caller's user when it names none.
    if ctx.action in _ON_THE_CALLER:
        return ctx.signed_caller.principal.arn
    if "PolicyArn" in params:
        arn: str = params["PolicyArn"]
        return arn
    if "PolicyName" in params:
        return account.arn(f"policy{params.get('Path', '/')}{params['PolicyName']}")
    if "SerialNumber" in params:
        serial: str = params["SerialNumber"]
        return serial
    if "VirtualMFADeviceName" in params:
        return account.arn(f"mfa{params.get('Path', '/')}{params['VirtualMFADeviceName']}")
    if "OpenIDConnectProviderArn" in params:
        provider_arn: str = params["OpenIDConnectProviderArn"]
        return provider_arn
    if "SAMLProviderArn" in params:
        saml_provider_arn: str = params["SAMLProviderArn"]
        return saml_provider_arn
    return "*"


# Actions that act on the caller's own user when they name none.
_ON_THE_CALLER = frozenset(
    {
        "ChangePassword",
        "CreateAccessKey",
        "CreateLoginProfile",
        "DeleteAccessKey",
        "DeleteLoginProfile",
        "DeleteServiceSpecificCredential",
        "DeleteSigningCertificate",
        "GetLoginProfile",
        "GetMFADevice",
        "GetUser",
        "ListAccessKeys",
        "ListMFADevices",
        "ListSSHPublicKeys",
        "ListServiceSpecificCredentials",
        "ListSigningCertificates",
        "ResetServiceSpecificCredential",
        "UpdateAccessKey",
        "UpdateServiceSpecificCredential",
        "UpdateSigningCertificate",
        "UploadSigningCertificate",
    }
)


OPERATIONS: Mapping[str, Operation] = {
    name: _gated(operation)
    for name, operation in {
        "AcceptDelegationRequest": accept_delegation_request,
        "AcquireRole": acquire_role,
        "AddClientIDToOpenIDConnectProvider": add_client_id_to_open_id_connect_provider,
        "AddRoleToInstanceProfile": add_role_to_instance_profile,
        "AddUserToGroup": add_user_to_group,
        "AssociateDelegationRequest": associate_delegation_request,
        "AttachGroupPolicy": attach_group_policy,
        "AttachRolePolicy": attach_role_policy,
        "AttachUserPolicy": attach_user_policy,
        "ChangePassword": change_password,
        "CreateAccessKey": create_access_key,
        "CreateAccountAlias": create_account_alias,
        "CreateDelegationRequest": create_delegation_request,
        "CreateGroup": create_group,
        "CreateInstanceProfile": create_instance_profile,
        "CreateLoginProfile": create_login_profile,
        "CreateOpenIDConnectProvider": create_open_id_connect_provider,
        "CreatePolicy": create_policy,
        "CreatePolicyVersion": create_policy_version,
        "CreateRole": create_role,
        "CreateSAMLProvider": create_saml_provider,
        "CreateServiceLinkedRole": create_service_linked_role,
        "CreateServiceSpecificCredential": create_service_specific_credential,
        "CreateUser": create_user,
        "CreateVirtualMFADevice": create_virtual_mfa_device,
        "DeactivateMFADevice": deactivate_mfa_device,
        "DeleteAccessKey": delete_access_key,
        "DeleteAccountAlias": delete_account_alias,
        "DeleteAccountPasswordPolicy": delete_account_password_policy,
        "DeleteGroup": delete_group,
        "DeleteGroupPolicy": delete_group_policy,
        "DeleteInstanceProfile": delete_instance_profile,
        "DeleteLoginProfile": delete_login_profile,
        "DeleteOpenIDConnectProvider": delete_open_id_connect_provider,
        "DeletePolicy": delete_policy,
        "DeletePolicyVersion": delete_policy_version,
        "DeleteRole": delete_role,
        "DeleteRolePermissionsBoundary": delete_role_permissions_boundary,
        "DeleteRolePolicy": delete_role_policy,
        "DeleteSAMLProvider": delete_saml_provider,
        "DeleteSSHPublicKey": delete_ssh_public_key,
        "DeleteServerCertificate": delete_server_certificate,
        "DeleteServiceLinkedRole": delete_service_linked_role,
        "DeleteServiceSpecificCredential": delete_service_specific_credential,
        "DeleteSigningCertificate": delete_signing_certificate,
        "DeleteUser": delete_user,
        "DeleteUserPermissionsBoundary": delete_user_permissions_boundary,
        "DeleteUserPolicy": delete_user_policy,
        "DeleteVirtualMFADevice": delete_virtual_mfa_device,
        "DetachGroupPolicy": detach_group_policy,
        "DetachRolePolicy": detach_role_policy,
        "DetachUserPolicy": detach_user_policy,
        "DisableOrganizationsRootCredentialsManagement": (
            disable_organizations_root_credentials_management
        ),
        "DisableOrganizationsRootSessions": disable_organizations_root_sessions,
        "DisableOutboundWebIdentityFederation": disable_outbound_web_identity_federation,
        "EnableMFADevice": enable_mfa_device,
        "EnableOrganizationsRootCredentialsManagement": (
            enable_organizations_root_credentials_management
        ),
        "EnableOrganizationsRootSessions": enable_organizations_root_sessions,
        "EnableOutboundWebIdentityFederation": enable_outbound_web_identity_federation,
        "GenerateCredentialReport": generate_credential_report,
        "GenerateOrganizationsAccessReport": generate_organizations_access_report,
        "GenerateServiceLastAccessedDetails": generate_service_last_accessed_details,
        "GetAccessKeyLastUsed": get_access_key_last_used,
        "GetAccountAuthorizationDetails": get_account_authorization_details,
        "GetAccountPasswordPolicy": get_account_password_policy,
        "GetAccountProperties": get_account_properties,
        "GetAccountSummary": get_account_summary,
        "GetContextKeysForCustomPolicy": get_context_keys_for_custom_policy,
        "GetContextKeysForPrincipalPolicy": get_context_keys_for_principal_policy,
        "GetCredentialReport": get_credential_report,
        "GetDelegationRequest": get_delegation_request,
        "GetGroup": get_group,
        "GetGroupPolicy": get_group_policy,
        "GetHumanReadableSummary": get_human_readable_summary,
        "GetInstanceProfile": get_instance_profile,
        "GetLoginProfile": get_login_profile,
        "GetMFADevice": get_mfa_device,
        "GetOpenIDConnectProvider": get_open_id_connect_provider,
        "GetOrganizationsAccessReport": get_organizations_access_report,
        "GetOutboundWebIdentityFederationInfo": get_outbound_web_identity_federation_info,
        "GetPolicy": get_policy,
        "GetPolicyVersion": get_policy_version,
        "GetRole": get_role,
        "GetRolePolicy": get_role_policy,
        "GetRoleTemplateVersion": get_role_template_version,
        "GetSAMLProvider": get_saml_provider,
        "GetSSHPublicKey": get_ssh_public_key,
        "GetServerCertificate": get_server_certificate,
        "GetServiceLastAccessedDetails": get_service_last_accessed_details,
        "GetServiceLastAccessedDetailsWithEntities": (
            get_service_last_accessed_details_with_entities
        ),
        "GetServiceLinkedRoleDeletionStatus": get_service_linked_role_deletion_status,
        "GetUser": get_user,
        "GetUserPolicy": get_user_policy,
        "ListAccessKeys": list_access_keys,
        "ListAccountAliases": list_account_aliases,
        "ListAttachedGroupPolicies": list_attached_group_policies,
        "ListAttachedRolePolicies": list_attached_role_policies,
        "ListAttachedUserPolicies": list_attached_user_policies,
        "ListDelegationRequests": list_delegation_requests,
        "ListEntitiesForPolicy": list_entities_for_policy,
        "ListGroupPolicies": list_group_policies,
        "ListGroups": list_groups,
        "ListGroupsForUser": list_groups_for_user,
        "ListInstanceProfileTags": list_instance_profile_tags,
        "ListInstanceProfiles": list_instance_profiles,
        "ListInstanceProfilesForRole": list_instance_profiles_for_role,
        "ListMFADeviceTags": list_mfa_device_tags,
        "ListMFADevices": list_mfa_devices,
        "ListOpenIDConnectProviderTags": list_open_id_connect_provider_tags,
        "ListOpenIDConnectProviders": list_open_id_connect_providers,
        "ListOrganizationsFeatures": list_organizations_features,
        "ListPolicies": list_policies,
        "ListPoliciesGrantingServiceAccess": list_policies_granting_service_access,
        "ListPolicyTags": list_policy_tags,
        "ListPolicyVersions": list_policy_versions,
        "ListRolePolicies": list_role_policies,
        "ListRoleTags": list_role_tags,
        "ListRoles": list_roles,
        "ListSAMLProviderTags": list_saml_provider_tags,
        "ListSAMLProviders": list_saml_providers,
        "ListSSHPublicKeys": list_ssh_public_keys,
        "ListServerCertificateTags": list_server_certificate_tags,
        "ListServerCertificates": list_server_certificates,
        "ListServiceSpecificCredentials": list_service_specific_credentials,
        "ListSigningCertificates": list_signing_certificates,
        "ListUserPolicies": list_user_policies,
        "ListUserTags": list_user_tags,
        "ListUsers": list_users,
        "ListVirtualMFADevices": list_virtual_mfa_devices,
        "PutAccountProperties": put_account_properties,
        "PutGroupPolicy": put_group_policy,
        "PutRolePermissionsBoundary": put_role_permissions_boundary,
        "PutRolePolicy": put_role_policy,
        "PutUserPermissionsBoundary": put_user_permissions_boundary,
        "PutUserPolicy": put_user_policy,
        "RejectDelegationRequest": reject_delegation_request,
        "RemoveClientIDFromOpenIDConnectProvider": remove_client_id_from_open_id_connect_provider,
        "RemoveRoleFromInstanceProfile": remove_role_from_instance_profile,
        "RemoveUserFromGroup": remove_user_from_group,
        "ResetServiceSpecificCredential": reset_service_specific_credential,
        "ResyncMFADevice": resync_mfa_device,
        "SendDelegationToken": send_delegation_token,
        "SetDefaultPolicyVersion": set_default_policy_version,
        "SetSecurityTokenServicePreferences": set_security_token_service_preferences,
        "SimulateCustomPolicy": simulate_custom_policy,
        "SimulatePrincipalPolicy": simulate_principal_policy,
        "TagInstanceProfile": tag_instance_profile,
        "TagMFADevice": tag_mfa_device,
        "TagOpenIDConnectProvider": tag_open_id_connect_provider,
        "TagPolicy": tag_policy,
        "TagRole": tag_role,
        "TagSAMLProvider": tag_saml_provider,
        "TagServerCertificate": tag_server_certificate,
        "TagUser": tag_user,
        "UntagInstanceProfile": untag_instance_profile,
        "UntagMFADevice": untag_mfa_device,
        "UntagOpenIDConnectProvider": untag_open_id_connect_provider,
        "UntagPolicy": untag_policy,
        "UntagRole": untag_role,
        "UntagSAMLProvider": untag_saml_provider,
        "UntagServerCertificate": untag_server_certificate,
        "UntagUser": untag_user,
        "UpdateAccessKey": update_access_key,
        "UpdateAccountPasswordPolicy": update_account_password_policy,
        "UpdateAssumeRolePolicy": update_assume_role_policy,
        "UpdateDelegationRequest": update_delegation_request,
        "UpdateGroup": update_group,
        "UpdateLoginProfile": update_login_profile,
        "UpdateOpenIDConnectProvider": update_open_id_connect_provider,
        "UpdateOpenIDConnectProviderThumbprint": update_open_id_connect_provider_thumbprint,
        "UpdateRole": update_role,
        "UpdateRoleDescription": update_role_description,
        "UpdateSAMLProvider": update_saml_provider,
        "UpdateSSHPublicKey": update_ssh_public_key,
        "UpdateServerCertificate": update_server_certificate,
        "UpdateServiceSpecificCredential": update_service_specific_credential,
        "UpdateSigningCertificate": update_signing_certificate,
        "UpdateUser": update_user,
        "UploadSSHPublicKey": upload_ssh_public_key,
        "UploadServerCertificate": upload_server_certificate,
        "UploadSigningCertificate": upload_signing_certificate,
    }.items()
}
