"""IAM's error texts the mock answers with, each with its provenance, family by family.

Tags and placeholders as in ``_messages``, which holds the texts of requests, signatures,
AccessDenied, STS and other services: [O] observed in real AWS traffic, [D] AWS
documentation, [M] the botocore model, [U] mock_sts's own wording (AWS's is not known).
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------
# IAM: what several families share

# [O] §10.2: the entity's kind (User, Role, Group, SAMLProvider) and name; for SAMLProvider [U],
# and for the new name of UpdateUser and UpdateGroup [U]: taken as their creation's.
ALREADY_EXISTS = "{} with name {} already exists."
# [O] §10.2 (role), the same form for users and groups.
NO_SUCH_USER = "The user with name {} cannot be found."
NO_SUCH_ROLE = "The role with name {} cannot be found."
NO_SUCH_GROUP = "The group with name {} cannot be found."
# [O] §10.2: the quota's name and value. For OpenIdConnectProvidersPerAccount,
# SAMLProvidersPerAccount and PrivateKeysPerSAMLProvider [U]: IAM's answer is not known.
# InstanceSessionsPerInstanceProfile (1, AddRoleToInstanceProfile on a profile that holds a
# role) [O] (localstack, below under IAM instance profiles); [D] IAM API Reference,
# AddRoleToInstanceProfile: "An instance profile can contain only one role, and this quota
# cannot be increased."
QUOTA = "Cannot exceed quota for {}: {}"
# [O] (no capture in STS_REFERENCE)
TOO_MANY_TAGS = "The number of tags has reached the maximum limit."
# [O] §13.3
INVALID_MARKER = "Invalid Marker."
# [O] STS_REFERENCE §13.3: ValidationError for a Path that breaks the model's pattern (not
# beginning and ending with /), once the model's other checks pass.
INVALID_PATH = (
    "The specified value for path is invalid. It must begin and end with / and contain only "
    "alphanumeric characters and/or / characters."
)
# [O] STS_REFERENCE §13.2: a PolicyArn that is not an ARN (ValidationError), or a
# permissions boundary that is not a policy's ARN (InvalidInput), as sent.
INVALID_ARN = "ARN {} is not valid."
# [O] (no capture in STS_REFERENCE): DeleteConflict for users, roles and groups.
DELETE_POLICIES_FIRST = "Cannot delete entity, must delete policies first."
DETACH_POLICIES_FIRST = "Cannot delete entity, must detach all policies first."

# ---------------------------------------------------------------------------------------
# IAM users, access keys and MFA devices

# [O] (no capture in STS_REFERENCE), as the rest of this group.
MUST_SPECIFY_USER = "Must specify userName when calling with non-User credentials"
DELETE_ACCESS_KEYS_FIRST = "Cannot delete entity, must delete access keys first."
DELETE_MFA_DEVICE_FIRST = "Cannot delete entity, must delete MFA device first."
LEAVE_GROUPS_FIRST = "Cannot delete entity, must remove user from all groups first."
NO_SUCH_ACCESS_KEY = "The Access Key with id {} cannot be found."
ACCESS_KEY_STATUS = "Access keys can only be Active or Inactive, not {}."
# EnableMFADevice of an unknown serial number.
NO_SUCH_VIRTUAL_MFA_DEVICE = "VirtualMFADevice with serial number {} doesn't exist."
MFA_DEVICE_IN_USE = "MFA Device is already in use."
# EnableMFADevice's; ResyncMFADevice's too [U]: it takes the same two codes.
MFA_CODES_INVALID = "Authentication code for device is not valid."
# DeactivateMFADevice of a device that exists but is not the user's; GetMFADevice and
# ResyncMFADevice answer as DeactivateMFADevice, here and for an unknown serial number [U].
MFA_DEVICE_NOT_FOUND = "MFA Device with serial number {} not found for the user."
MFA_DEVICE_STILL_IN_USE = "MFA Device is still in use."
# [O] §13.3: an unknown serial number on DeactivateMFADevice and DeleteVirtualMFADevice.
NO_SUCH_MFA_DEVICE = "MFA Device with serial number {} does not exist."
# [O] §13.3: CreateVirtualMFADevice of a name already taken.
MFA_DEVICE_EXISTS = "MFA device already exists."
# [O] §13.3: GetAccessKeyLastUsed for a key outside the caller's account (no colon after
# "perform", unlike NOT_AUTHORIZED_ON): the caller's ARN, then the key id.
NOT_AUTHORIZED_ACCESS_KEY = (
    "User: {} is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key {}"
)

# [O] (no capture in STS_REFERENCE): DeleteConflict of DeleteUser while the user has a
# console password, quoted with AWS's request id in Terraform's failures (DeleteUser, 409);
# [D] IAM API Reference, DeleteUser: remove the password (DeleteLoginProfile) first.
DELETE_LOGIN_PROFILE_FIRST = "Cannot delete entity, must delete login profile first."

# ---------------------------------------------------------------------------------------
# IAM account aliases, the password policy and login profiles

# [O] (no capture in STS_REFERENCE): CreateAccountAlias of an alias taken, as AWS answered
# it in awslabs/aws-deployment-framework pull request 465 (EntityAlreadyExists).
ACCOUNT_ALIAS_EXISTS = "The account alias {} already exists."
# [U]: DeleteAccountAlias of an alias the account does not have (NoSuchEntity).
NO_SUCH_ACCOUNT_ALIAS = "The account alias {} cannot be found."
# [O] (no capture in STS_REFERENCE): GetAccountPasswordPolicy of an account with no custom
# policy (NoSuchEntity, 404), quoted in aws/aws-cli issue 7265 and
# turbot/steampipe-plugin-aws issue 369: the account's id. [U] for
# DeleteAccountPasswordPolicy, which answers the same.
NO_PASSWORD_POLICY = "The Password Policy with domain name {} cannot be found."
# [O] (no capture in STS_REFERENCE): PasswordPolicyViolation (400), as AWS answered it in
# gree/subiam pull request 3, whatever rule the password breaks.
PASSWORD_POLICY_VIOLATION = "Password does not conform to the account password policy."
# [U]: NoSuchEntity of a user without a console password; EntityAlreadyExists of a second
# CreateLoginProfile: the user's name.
NO_SUCH_LOGIN_PROFILE = "Login Profile for User {} cannot be found."
LOGIN_PROFILE_EXISTS = "Login Profile for user {} already exists."
# [U]: ValidationError of CreateLoginProfile for an IAM user without Password (IAM API
# Reference, CreateLoginProfile: "It is required in all other cases"), worded as IAM words a
# missing member (§13.3).
PASSWORD_MISSING = "Value at 'password' failed to satisfy constraint: Member must not be null"
# [U]: InvalidInput of UpdateLoginProfile given both a duration and its reset.
SIGNIN_DURATION_AND_RESET = (
    "MaxSigninSessionDuration and ResetMaxSigninSessionDuration cannot be given together."
)
# [U]: ChangePassword by a caller that is not an IAM user (InvalidUserType, 400; IAM API
# Reference, ChangePassword: "The AWS account root user password is not affected").
NOT_AN_IAM_USER = "Only IAM users can change their password with ChangePassword."
# [U]: ChangePassword whose OldPassword is not the user's password (AccessDenied, 403).
WRONG_OLD_PASSWORD = "The old password is not the user's current password."

# ---------------------------------------------------------------------------------------
# IAM groups

# [O] (no capture in STS_REFERENCE)
GROUP_HAS_USERS = "Cannot delete entity, must remove users from group first."
# ---------------------------------------------------------------------------------------
# IAM instance profiles

# [O] (no capture in STS_REFERENCE): recorded from AWS in 2026-02, in localstack's
# tests/aws/services/iam/test_iam_instance_profiles.snapshot.json, as the rest of this group.
# Any operation naming a missing instance profile: its name.
NO_SUCH_INSTANCE_PROFILE = "Instance Profile {} cannot be found."
# CreateInstanceProfile of a name already taken.
INSTANCE_PROFILE_EXISTS = "Instance Profile {} already exists."
# RemoveRoleFromInstanceProfile of a role the profile does not hold: the role, the profile.
ROLE_NOT_IN_INSTANCE_PROFILE = "Role {} in Instance Profile {} cannot be found."
# DeleteConflict of DeleteInstanceProfile while the profile holds a role, and of DeleteRole
# while a profile holds the role (for DeleteRole [O] as well: AWS's answer quoted with its
# request id in aws/aws-k8s-tester, eks/mng/mng.go; [D] IAM API Reference, DeleteRole and
# DeleteInstanceProfile: remove the role from its instance profiles first).
REMOVE_ROLES_FIRST = "Cannot delete entity, must remove roles from instance profile first."

# ---------------------------------------------------------------------------------------
# IAM policies

# [O] §10.2: the quota, the entity's kind and its name.
INLINE_POLICY_SIZE = "Maximum policy size of {} bytes exceeded for {} {}"
# [O] (no capture in STS_REFERENCE), as the rest of this group unless marked: the entity's
# kind and the policy's name.
NO_SUCH_INLINE_POLICY = "The {} policy with name {} cannot be found."
POLICY_EXISTS = "A policy called {} already exists. Duplicate names are not allowed."
POLICY_IN_USE = "Cannot delete a policy attached to entities."
POLICY_HAS_VERSIONS = (
    "This policy has more than one version. Before you delete a policy, you must delete the "
    "policy's versions. The default version is deleted with the policy."
)
POLICY_VERSIONS_LIMIT = (
    "A managed policy can have up to {} versions. Before you create a new version, you must "
    "delete an existing version."
)
DEFAULT_POLICY_VERSION = "Cannot delete the default version of a policy."
# [O] §13.3: DeletePolicy (and TagPolicy, UntagPolicy) of a missing policy; for
# ListPolicyTags and ListEntitiesForPolicy [U], AWS's answer is not recorded: theirs taken.
POLICY_NOT_FOUND = "Policy {} was not found."
# [O] (no capture in STS_REFERENCE): InvalidInput (400) for tagging an AWS managed policy, as
# AWS answered it to the AWS Controllers for Kubernetes (aws-controllers-k8s/community issue
# 2774, "InvalidInput: Tags not supported for policies in this domain"); [D] IAM API
# Reference, TagPolicy: tags go on "an IAM customer managed policy".
AWS_POLICY_TAGS = "Tags not supported for policies in this domain"
# [O] §13.3: a missing policy or a missing version of it, alike: the policy's ARN, then the
# version asked for.
NO_SUCH_POLICY_VERSION = "Policy {} version {} does not exist or is not attachable."
# [O] §13.3: a permissions boundary that names no usable policy.
NO_SUCH_BOUNDARY = "Scope ARN: {} does not exist or is not attachable."
# [O] §13.3: CreatePolicy's duplicate tag keys; role and user tagging add a second sentence
# (DUPLICATE_TAG_KEYS). TagPolicy's [U]: taken as CreatePolicy's.
DUPLICATE_POLICY_TAG_KEYS = "Duplicate tag keys found."

# ---------------------------------------------------------------------------------------
# IAM identity providers and outbound federation

# [O] (no capture in STS_REFERENCE): recorded from AWS in 2026-02, in localstack's
# tests/aws/services/iam/test_iam_oidc.snapshot.json; "[O] (localstack)" below names it too.
OIDC_PROVIDER_NOT_FOUND = "OpenIDConnect Provider not found for arn {}"
# [O] §13.2: DeleteOpenIDConnectProvider of a provider that is gone (NoSuchEntity).
OIDC_PROVIDER_GONE = "OpenId connect Provider {} cannot be found."
# [O] (localstack): ValidationError for a URL that is not https://.
OIDC_URL_NOT_HTTPS = "Invalid Open ID Connect Provider URL"
# [U]: InvalidInput (with its period) for the URL's other faults.
OIDC_URL_INVALID = "Invalid Open ID Connect Provider URL."
# [O] (localstack)
THUMBPRINTS_TOO_MANY = "Thumbprint list must contain fewer than 5 entries."
# [U]
THUMBPRINT_FORMAT = "Thumbprint {} is not the 40 hexadecimal digits of a SHA-1 fingerprint."
# [O] (localstack)
OIDC_PROVIDER_EXISTS = "Provider with url {} already exists."
# [U]
OUTBOUND_ALREADY_ENABLED = "Outbound identity federation is already enabled for this account."
# [U]
OUTBOUND_ALREADY_DISABLED = "Outbound identity federation is already disabled for this account."
# [U]
OUTBOUND_NEVER_ENABLED = "Outbound identity federation has never been enabled for this account."
# [O] (no capture in STS_REFERENCE; recorded from AWS in localstack's
# tests/aws/services/iam/test_iam_saml_providers.snapshot.json)
SAML_PROVIDER_NOT_FOUND = "Manifest not found for arn {}"
# [D] §10.2
SAML_METADATA_UNREADABLE = "Could not parse metadata"
# [U]
SAML_PRIVATE_KEY_UNKNOWN = "The private key {} does not exist."
# [U]
SAML_PRIVATE_KEY_UNREADABLE = "Could not parse the private key."

# [U]: InvalidInput of UpdateOpenIDConnectProvider and of the ContextProvider parameter,
# worded after the IAM API Reference's own rules (UpdateOpenIDConnectProvider, ContextProvider).
OIDC_UPDATE_NOTHING = (
    "Specify a ContextProvider, an IdentityCenterInstanceArn, RemoveContextProvider or "
    "RemoveIdentityCenterInstance."
)
OIDC_VALUE_AND_REMOVE = "Specifying both {} and {} in the same request is not allowed."
OIDC_BOTH_CONFIGURATIONS = (
    "A single request can change either the context provider or the IAM Identity Center "
    "association, but not both."
)
OIDC_REMOVE_IDENTITY_CENTER_FIRST = (
    "To remove the context provider, first remove the IAM Identity Center association in a "
    "separate request."
)
OIDC_IDENTITY_CENTER_NEEDS_CONTEXT = (
    "An IAM Identity Center instance can be associated only with a provider that has a "
    "context provider."
)
CONTEXT_SUBJECT_TYPE_BOTH = "Specify either SubjectTypeValue or SubjectTypeSourceKey, but not both."
CONTEXT_KEY_INVALID = (
    "The key {} can contain only ASCII letters (A-Z, a-z), numbers (0-9), single spaces, and "
    "the following characters: _ . : / = + - @ #. It can't start or end with a space or "
    "contain two spaces in a row."
)

# ---------------------------------------------------------------------------------------
# IAM server certificates

# [O] (no capture in STS_REFERENCE; recorded from AWS in 2026-02 in localstack's
# tests/aws/services/iam/test_iam_server_certificates.snapshot.json): NoSuchEntity of
# GetServerCertificate and DeleteServerCertificate, EntityAlreadyExists of
# UploadServerCertificate; [U] for the other operations that name a certificate.
NO_SUCH_SERVER_CERTIFICATE = "The Server Certificate with name {} cannot be found."
SERVER_CERTIFICATE_EXISTS = "The Server Certificate with name {} already exists."
# [U]: MalformedCertificate. The first two are the wording users quote from AWS; the others
# say what the IAM User Guide and the ACM User Guide (Prerequisites for importing
# certificates) require: one PEM certificate, an unencrypted PEM key of a type IAM accepts.
CERTIFICATE_UNREADABLE = (
    "Unable to parse certificate. Please ensure the certificate is in PEM format."
)
CHAIN_INVALID = (
    "Unable to validate certificate chain. The certificate chain must start with the "
    "immediate signing certificate, followed by any intermediaries in order. The index within "
    "the chain of the invalid certificate is: {}"
)
CERTIFICATE_NOT_ONE = "The certificate body must hold exactly one certificate."
PRIVATE_KEY_UNREADABLE = (
    "Unable to parse the private key. Please ensure the key is in PEM format and not encrypted."
)
PRIVATE_KEY_UNSUPPORTED = (
    "The private key is not supported: IAM accepts RSA keys of 1024 to 4096 bits and ECDSA "
    "keys on the P-256, P-384 and P-521 curves."
)
# [M] the model's KeyPairMismatchException: "the public key certificate and the private key
# do not match".
KEY_PAIR_MISMATCH = "The public key certificate and the private key do not match."

# ---------------------------------------------------------------------------------------
# IAM account properties

# [U]: InvalidInput of PutAccountProperties, in the IAM API Reference's words
# (PutAccountProperties, Properties).
ACCOUNT_PROPERTY_KEY = (
    "The key {} must contain exactly one / separating the namespace from the property name, "
    "and cannot start or end with /."
)
ACCOUNT_PROPERTY_NAMESPACES = (
    "All properties in a single request must belong to the same namespace."
)

# ---------------------------------------------------------------------------------------
# IAM temporary delegation

# [U]
DELEGATION_REQUEST_NOT_FOUND = "The delegation request with ID {} cannot be found."
# [U]: the request's id and state, then the states the operation needs.
DELEGATION_REQUEST_STATE = "The delegation request {} is {}; this operation needs it {}."
# [U]
POLICY_TEMPLATE_UNKNOWN = "PolicyTemplateArn {!r} names no policy template."
# [U]: the request's id, then its owner.
DELEGATION_OWNER_ONLY = "Only the owner of delegation request {}, {}, may send its token."

# [U]: GetHumanReadableSummary's EntityArn that names no delegation request.
SUMMARY_ENTITY_UNSUPPORTED = (
    "EntityArn {} is not the ARN of a delegation request: only delegation requests are summarized."
)
# [U]: the locale.
SUMMARY_LOCALE_UNSUPPORTED = "Locale {} is not one of the languages of the AWS Management Console."

# ---------------------------------------------------------------------------------------
# IAM service-linked roles

# [O] AWS's answer quoted in GitHub reports (Rayraegah/terraform-aws-hasura#17,
# DataDog/pathfinding-labs#23, lgallard/terraform-aws-elasticsearch#59): the role's name.
SERVICE_ROLE_NAME_TAKEN = (
    "Service role name {} has been taken in this account, please try a different suffix."
)
# [O] AWS's answer quoted by CloudFormation users for es.amazonaws.com: the principal.
CUSTOM_SUFFIX_NOT_ALLOWED = "Custom suffix is not allowed for {}"
# [U]: the principal.
NO_SERVICE_LINKED_ROLE = (
    "The service {} does not support service-linked roles: see the services with Yes in "
    "the Service-linked role column of AWS services that work with IAM."
)
# [U]: the role's name with its suffix, which must fit roleNameType (64 characters).
SERVICE_ROLE_NAME_TOO_LONG = "The role name {} is longer than 64 characters."
# [D] AWS re:Post knowledge center, identity-center-aws-reserved-sso, quoting IAM: the
# role's name.
PROTECTED_ROLE = (
    "Cannot perform the operation on the protected role '{}' - this role is only modifiable by AWS"
)
# [U]: the role's name.
NOT_SERVICE_LINKED = "The role {} is not a service-linked role."
# [U]: the instance profiles' ARNs (a service-linked role in use stays, as the
# DeleteServiceLinkedRole page says of roles a service still uses).
SERVICE_ROLE_IN_PROFILES = (
    "The role is in use: remove it from the instance profiles {} and submit the deletion "
    "request again."
)
# [U]: the task id.
DELETION_TASK_MALFORMED = (
    "DeletionTaskId {} is not of the form "
    "task/aws-service-role/<service-principal-name>/<role-name>/<task-uuid>."
)
# [U]: the task id.
DELETION_TASK_NOT_FOUND = "The deletion task {} cannot be found."

# ---------------------------------------------------------------------------------------
# IAM role templates (AcquireRole, GetRoleTemplateVersion)

# [U]: the ARN, and the form AWS's role templates take (Service Authorization Reference, IAM,
# resource type role-template).
ROLE_TEMPLATE_ARN_INVALID = (
    "TemplateArn {} is not valid: role template ARNs are "
    "arn:<partition>:iam::aws:role-template/<service principal>/<name>:<major version>."
)
# [U]: the ARN.
ROLE_TEMPLATE_NOT_FOUND = "The role template {} cannot be found."
# [U]: the minor version, then the ARN.
ROLE_TEMPLATE_VERSION_NOT_FOUND = "Minor version {} of role template {} cannot be found."
# [U]: the parameter's name.
ROLE_TEMPLATE_PARAMETER_MISSING = "The role template requires a value for parameter {}."
# [U]: the parameter's name.
ROLE_TEMPLATE_PARAMETER_UNKNOWN = "The role template defines no parameter {}."
# [U]: the parameter's name, then its type.
ROLE_TEMPLATE_PARAMETER_TYPE = "The value of parameter {} is not a valid {}."
# [U]: "name" or "path", then what the values made of it.
ROLE_TEMPLATE_INVALID_ROLE = "The ReplacementValues make the role's {} {!r}, which is not valid."
# [U]: the role's name, then the template's ARN.
ROLE_TEMPLATE_NAME_CONFLICT = (
    "A role named {} exists in this account and was not created from role template {}."
)

# ---------------------------------------------------------------------------------------
# IAM: ListPoliciesGrantingServiceAccess

# [U]: the ARN.
NOT_AN_IDENTITY_ARN = "{} is not the ARN of an IAM user, group or role."
# [U]: the ARN.
NO_SUCH_IDENTITY = "The identity {} cannot be found."
# [U]: the namespace (a service prefix of the Service Authorization Reference).
UNKNOWN_SERVICE_NAMESPACE = "{} is not the namespace of an AWS service."

# ---------------------------------------------------------------------------------------
# IAM last accessed reports

# [U]: NoSuchEntity (404) of Get*AccessReport / GetServiceLastAccessedDetails* for a job id
# that names no report of the caller's account (IAM API Reference: both answer
# NoSuchEntity; AWS's text is not recorded).
NO_SUCH_REPORT_JOB = "The report job with ID {} cannot be found."
# [U]: InvalidInput (400) of GenerateServiceLastAccessedDetails for an IAM ARN of another kind
# than the four the IAM API Reference names ("user, group, role, or managed policy").
NOT_A_REPORT_SUBJECT = "ARN {} does not name a user, group, role or managed policy."
# [U]: the ErrorDetails of a failed GenerateOrganizationsAccessReport job (JobStatus FAILED):
# an entity path that names no root or account of the caller's organization, and an
# OrganizationsPolicyId that names none of its SCPs. AWS's codes and texts are not recorded.
REPORT_PATH_NOT_FOUND = "The entity path {} names no root, OU or account of your organization."
REPORT_POLICY_NOT_FOUND = "The policy {} is no service control policy of your organization."

# ---------------------------------------------------------------------------------------
# IAM and Organizations: centralized root access

# [U]: worded as the model describes each error.
NO_ORGANIZATION = (
    "The request was rejected because no organization is associated with your account."
)
IAM_ACCESS_NOT_TRUSTED = (
    "The request was rejected because trusted access is not enabled for IAM in Organizations."
)
NOT_ROOT_ACCESS_MANAGER = (
    "The request was rejected because the account making the request is not the management "
    "account or delegated administrator account for centralized root access."
)
NOT_MANAGEMENT_ACCOUNT = (
    "The request was rejected because the account making the request is not the management "
    "account for the organization."
)

# ---------------------------------------------------------------------------------------
# IAM policy simulator (SimulatePrincipalPolicy, SimulateCustomPolicy, GetContextKeysFor*)

# [U]: InvalidInput (400) is the code the IAM API Reference lists for a policy the simulator
# cannot read; its text is the document's MalformedPolicyDocument text after the policy's
# place in the request (PolicyInputList.1, ResourcePolicy, ...).
SIMULATION_POLICY_INVALID = "Invalid policy document {}: {}"
# [U]: an action name without a service prefix, or with a wildcard, which the API Reference
# says SimulateCustomPolicy does not support.
SIMULATION_ACTION_INVALID = "Invalid action name {}: it must be a single action, e.g. iam:GetUser."
# [U]: CallerArn is "required if you include a ResourcePolicy" (IAM API Reference,
# SimulateCustomPolicy; SimulatePrincipalPolicy unless PolicySourceArn is a user's).
SIMULATION_CALLER_REQUIRED = "CallerArn is required when a ResourcePolicy is given."
# [U]: a CallerArn that is no IAM user, group or role ("You cannot specify the ARN of an
# assumed role, federated user, or a service principal", IAM API Reference).
SIMULATION_CALLER_INVALID = (
    "Invalid CallerArn {}: it must be the ARN of an IAM user, group or role."
)
# [U]: ResourceOwner is an account's ARN, arn:aws:iam::<account>:root (IAM API Reference).
SIMULATION_OWNER_INVALID = "Invalid ResourceOwner {}: it must be an account's ARN."
# [U]: "You can input only one permissions boundary" (IAM API Reference).
SIMULATION_ONE_BOUNDARY = "Only one permissions boundary policy may be simulated."
# [U]: a PolicySourceArn that names no user, group or role.
SIMULATION_SOURCE_INVALID = (
    "Invalid PolicySourceArn {}: it must be the ARN of a user, group or role."
)
# [U]: "Syntactically invalid identifiers, such as malformed ARNs or wildcards in disallowed
# positions, cause the request to fail with an InvalidInput error" (IAM API Reference,
# SimulatePrincipalPolicy, PolicyExclusionList): the identifier as sent.
SIMULATION_EXCLUSION_INVALID = "Invalid policy identifier in PolicyExclusionList: {}"
# [U]: a ContextEntries member without ContextKeyName.
SIMULATION_CONTEXT_NAME = "Every ContextEntries member must have a ContextKeyName."

# ---------------------------------------------------------------------------------------
# IAM users' SSH public keys, signing certificates and service-specific credentials

# [U]: AWS's texts for these are not recorded; each worded after its error's description in
# the model (botocore iam 2010-05-08) or after the access keys' texts above.
NO_SUCH_SSH_PUBLIC_KEY = "The Public Key with id {} cannot be found."
SSH_KEY_UNRECOGNIZED = (
    "The public key is neither an OpenSSH ssh-rsa key nor a PEM public key, the encodings IAM "
    "accepts."
)
SSH_KEY_UNSUPPORTED = "Only RSA public keys (ssh-rsa) are supported."
SSH_KEY_MALFORMED = "The request was rejected because the public key is malformed."
# The key's size in bits (IAM API Reference, UploadSSHPublicKey: "The minimum bit-length of
# the public key is 2048 bits").
SSH_KEY_TOO_SHORT = "The public key is {} bits long; the minimum bit-length is 2048 bits."
SSH_KEY_DUPLICATE = "The SSH public key is already associated with the specified IAM user."
# The kind of credential (SSH public keys, Signing certificates...), then the status asked.
STATUS_ACTIVE_OR_INACTIVE = "{} can only be Active or Inactive, not {}."
NO_SUCH_SIGNING_CERTIFICATE = "The Certificate with id {} cannot be found."
CERTIFICATE_MALFORMED = (
    "Unable to parse certificate. Please ensure the certificate is in PEM format."
)
CERTIFICATE_EXPIRED = "The certificate expired on {}."
CERTIFICATE_NOT_YET_VALID = "The certificate is not valid before {}."
CERTIFICATE_DUPLICATE = (
    "The same certificate is already associated with an IAM user in the account."
)
NO_SUCH_SERVICE_CREDENTIAL = "The Service Specific Credential with id {} cannot be found."
SERVICE_NOT_SUPPORTED = "The specified service does not support service-specific credentials."
CREDENTIAL_AGE_NOT_SUPPORTED = (
    "CredentialAgeDays is only valid for services that support long-term API keys, not {}."
)
ALL_USERS_AND_USER_NAME = "AllUsers cannot be specified together with UserName."
DELETE_SIGNING_CERTIFICATES_FIRST = "Cannot delete entity, must delete signing certificates first."
DELETE_SSH_PUBLIC_KEYS_FIRST = "Cannot delete entity, must delete SSH public keys first."
DELETE_SERVICE_CREDENTIALS_FIRST = (
    "Cannot delete entity, must delete service specific credentials first."
)

# ---------------------------------------------------------------------------------------
# IAM credential reports

# [O] (no capture in STS_REFERENCE): GenerateCredentialReport's Description when it starts the
# account's first report (IAM API Reference, GenerateCredentialReport, sample response; the
# same in prowler-cloud/prowler issue 272).
REPORT_STARTED = "No report exists. Starting a new report generation task"
# [O] (no capture in STS_REFERENCE): GetCredentialReport's ReportNotPresent (410) and
# ReportInProgress (404) carry no message: botocore shows "Unknown" in its place
# (prowler-cloud/prowler issue 272, goldfiglabs/introspector issue 17). ReportExpired's
# (410) [U]: taken as theirs.
REPORT_ERROR = ""
