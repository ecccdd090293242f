"""AWS's error texts the mock answers with, each with its provenance.

Tags as in STS_REFERENCE §0: [O] observed in real AWS traffic, [D] AWS documentation, [M] the
botocore model, [U] mock_sts's own wording (AWS's is not known). § numbers name the reference's
sections. Placeholders are str.format's; texts without any are used as they are (two hold a
regular expression's braces, and must not be formatted).
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------
# Requests: what any Query API request may be refused for before its operation runs

# [U]: AWS's code for a request without an Action; its text is not known.
MISSING_ACTION = "Missing Action"
# [O] §1.1 (the version is the one asked for, or the model's)
UNKNOWN_ACTION = "Could not find operation {} for version {}"
# [U]: an operation of botocore's model that mock_sts does not serve.
NOT_SERVED = "mock_sts does not serve the {} operation {}."
# [O] §2.1: an unsigned call to an operation that needs a signature.
MISSING_AUTHENTICATION_TOKEN = "Request is missing Authentication Token"
# [O] §2.1 (the caller's account)
REGION_DISABLED = (
    "STS is not activated in this region for account:{}. Your account administrator can "
    "activate STS in this region using the IAM Console."
)
# [O] §2.2: ValidationError's count of problems ("error" or "errors"), then each, joined
# with "; ".
VALIDATION_ERRORS = "{} validation {} detected: {}"
# [U]: mock_sts's own failure; the code under test gets an AWS error instead of a traceback.
INTERNAL_FAILURE = "mock_sts internal error: {!r}"

# ---------------------------------------------------------------------------------------
# SigV4 and credentials

# [O] §2.1
INVALID_CLIENT_TOKEN = "The security token included in the request is invalid."
# [O] §2.1: the caller's own session expired (ExpiredToken, not ExpiredTokenException).
EXPIRED_TOKEN = "The security token included in the request is expired"
# [O] §2.1
SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details."
)
# [O] §1.2: the signing time, the window's edge, and the current time.
SIGNATURE_EXPIRED = "Signature expired: {} is now earlier than {} ({} - 15 min.)"
SIGNATURE_NOT_YET_CURRENT = "Signature not yet current: {} is still later than {} ({} + 15 min.)"
# [O] (no capture in STS_REFERENCE; SDK issues quote both, trailing space included)
SCOPED_TO_SERVICE = "Credential should be scoped to correct service: '{}'. "
SCOPED_TO_REGION = "Credential should be scoped to a valid region, not '{}'. "
# [O] §12.5 for the JSON-protocol services (DynamoDB, OpenSearch), under their
# InvalidSignatureException; [U] for STS and IAM, no capture of a query-protocol answer:
# mock_sts answers SignatureDoesNotMatch (403), the query protocol's name for the code the
# JSON services send their "signature we calculated does not match" text under.
HOST_NOT_SIGNED = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
# [O] (no capture in STS_REFERENCE): IncompleteSignature for a malformed Authorization header,
# which AWS echoes after the problems it lists.
HEADER_REQUIRES_PARAMETER = "Authorization header requires '{}' parameter."
HEADER_REQUIRES_DATE = (
    "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
)
AUTHORIZATION_ECHO = " Authorization={}"
# [O] (no capture in STS_REFERENCE): IncompleteSignature's other texts.
UNSUPPORTED_ALGORITHM = "Unsupported AWS 'algorithm': '{}'."
QUERY_REQUIRES_PARAMETERS = (
    "AWS query-string parameters must include {}. Re-examine the query-string parameters."
)
CREDENTIAL_SCOPE = (
    "Credential should be scoped to a valid region, service and terminated by "
    "'aws4_request'. Credential={}"
)
DATE_FORMAT = (
    "Date must be in ISO-8601 'basic format'. Got '{}'. See http://en.wikipedia.org/wiki/ISO_8601"
)
# [O] (no capture in STS_REFERENCE): SignatureDoesNotMatch; the scope's date, the date's
# YYYYMMDD, and the whole date.
SCOPE_DATE_MISMATCH = (
    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
    "'{}' != '{}', from ISO-8601 date '{}'."
)

# ---------------------------------------------------------------------------------------
# AccessDenied

# [U] §3: for the refusals whose exact text AWS does not publish (no resource named).
NOT_AUTHORIZED = "User: {} is not authorized to perform: {}"
# [O] §4.1, §6.3; IAM's may end with why (§12.6).
NOT_AUTHORIZED_ON = "User: {} is not authorized to perform: {} on resource: {}"
# [U]: how NOT_AUTHORIZED_ON names an AWS managed policy a caller tried to change (for
# CreatePolicyVersion; the three below are AWS's own answers).
AWS_POLICY_RESOURCE = "policy {}"
# [O] §13.2: DeletePolicy, DeletePolicyVersion and SetDefaultPolicyVersion on an AWS managed
# policy (AccessDenied, 403).
AWS_POLICY_DELETE = "Cannot delete policies outside your own account."
AWS_POLICY_VERSION_DELETE = "Cannot delete policy versions for policies outside your own account."
AWS_POLICY_UPDATE = "Cannot update policies outside your own account."
# [O] §4.2, §4.3: the federated calls' refusal, for sts:AssumeRoleWithSAML or
# sts:AssumeRoleWithWebIdentity.
NOT_AUTHORIZED_FEDERATED = "Not authorized to perform {}"
# [O] §9.5 (two spaces after "code.")
MFA_UNKNOWN_DEVICE = (
    "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA "
    "serial number is valid and associated with this user."
)
# [O] §9.5 (with its trailing space)
MFA_BAD_CODE = "MultiFactorAuthentication failed with invalid MFA one time pass code. "

# ---------------------------------------------------------------------------------------
# STS operations

# [O] §3, §4.9, §4.10: GetSessionToken or GetFederationToken.
SESSION_CREDENTIALS_REFUSED = "Cannot call {} with session credentials"
# [O] §3
ROOT_MAY_NOT_ASSUME = "Roles may not be assumed by root accounts."
# [O] §4.1
CHAINED_DURATION = (
    "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role "
    "chaining."
)
# [O] §4.1, §7.2
MAX_SESSION_DURATION = (
    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
)
# [O] §12.3: a RoleArn that is not an ARN at all, as sent (recorded for AssumeRole; the
# federated calls are assumed to read RoleArn the same way).
INVALID_ROLE_ARN = "{} is invalid"
# [O] §4.1: an ARN that names no role (observed in an AssumeRoleWithSAML call whose ARNs were
# swapped); also for a PrincipalArn that is not a SAML provider's ARN.
INVALID_REQUEST_ARN = "Request ARN is invalid"
# [U] §4.6: legacy key ids do not carry their account, and AWS resolves them from its records.
KEY_WITHOUT_ACCOUNT = (
    "The access key ID {} does not encode an account, and no such key was issued by this mock."
)
# [U]: AWS documents only the restriction (§4.4, §4.11).
GLOBAL_ENDPOINT = (
    "{} is not available on the STS global endpoint sts.amazonaws.com: use a regional endpoint "
    "such as sts.us-east-1.amazonaws.com."
)
# [U]
ROOT_TARGET = (
    "TargetPrincipal {} is neither an account id nor an account root ARN "
    "(arn:aws:iam::<account-id>:root)."
)
# [U]
ROOT_SESSIONS_DISABLED = (
    "Centralized root access (RootSessions) is not enabled for organization {}."
)
# [U]
ROOT_TASK_POLICY = (
    "TaskPolicyArn {} is not one of the AWS managed root task policies "
    "(arn:aws:iam::aws:policy/root-task/<name>)."
)
# [U]: the model has no enum, only a length; the value, then the algorithms.
SIGNING_ALGORITHM = (
    "1 validation error detected: Value '{}' at 'signingAlgorithm' failed to satisfy "
    "constraint: Member must satisfy enum value set: [{}]"
)
# [U]
OUTBOUND_FEDERATION_DISABLED = (
    "The outbound web identity federation feature is not enabled for this account."
)
# [U]
TOKEN_OUTLIVES_SESSION = (
    "The requested token duration would extend the session beyond its original expiration time."
)
# [U]
TOKEN_PAYLOAD_TOO_LARGE = "The requested token payload size exceeds the maximum allowed size."
# [U]
TRADE_IN_TOKEN_INVALID = "The trade-in token is expired or invalid."
# [U]
AUTHORIZATION_MESSAGE_INVALID = (
    "The message is not a valid encoded authorization message, or it has expired."
)
# [U]
SCOPE_DOWN_LONG_TERM = (
    "GetScopedCredentials needs temporary security credentials; long-term credentials cannot "
    "be scoped down."
)
# [U]
SCOPE_DOWN_NOTHING = "A request must provide at least one of Policy or DurationSeconds."
# [U]: the requested duration, then the calling session's remaining seconds.
SCOPE_DOWN_LIFETIME = (
    "The requested DurationSeconds ({}) is greater than the remaining lifetime of the calling "
    "session ({} seconds)."
)

# ---------------------------------------------------------------------------------------
# Sessions and session tags

# [O] §10.2 (IAM's InvalidInput), §12.3 (STS's InvalidParameterValue for Tags); for a token's
# claim or an assertion's attributes [U]: AWS's text there is not known.
DUPLICATE_TAG_KEYS = "Duplicate tag keys found. Please note that Tag keys are case insensitive."
# [O] §12.3 (InvalidParameterValue), whatever the case of the key passed again.
TRANSITIVE_KEY_INHERITED = (
    "One of the specified transitive tag keys can't be set because it conflicts with a "
    "transitive tag key from the calling session."
)
# [U]: the aws: prefix is reserved for AWS's own tags.
RESERVED_TAG_PREFIX = "The session tag key '{}' uses the reserved prefix aws:."
# [O] §12.3 (InvalidParameterValue): a TransitiveTagKeys member that is none of the Tags.
TRANSITIVE_KEYS_NOT_PASSED = (
    "The specified transitive tag key must be included in the requested tags."
)
# [U]: a token's or an assertion's transitive keys that name none of its session tags.
TRANSITIVE_KEYS_NOT_TAGS = "Transitive tag keys must be keys of the session tags."
# [U] §9.2
SOURCE_IDENTITY_CHANGED = "The source identity cannot change: the calling session's is {}."
# [U]: the model sets no maximum (§9.3 documents 10).
POLICY_ARNS_TOO_MANY = (
    "1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member "
    "must have length less than or equal to {}"
)
# [O] (no capture in STS_REFERENCE): IAM's NoSuchEntity for a managed policy it cannot use; for
# an STS session's PolicyArns [U] (§9.3).
POLICY_NOT_ATTACHABLE = "Policy {} does not exist or is not attachable."
# [O] §4.1, §9.3: the percentage of the packed limit.
PACKED_POLICY_TOO_LARGE = "Packed policy consumes {}% of allotted space"
PACKED_TAGS_TOO_LARGE = "Packed size of session tags consumes {}% of allotted space."

# ---------------------------------------------------------------------------------------
# Web identity (AssumeRoleWithWebIdentity)

# [O] §12.8
TOKEN_NOT_A_JWT = (
    "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)"
)
# [O] when AWS cannot get an issuer's keys (§7.2: "commonly reported"); here also for a kid
# they lack.
TOKEN_NO_KEY = (
    "Couldn't retrieve verification key from your identity provider,  please reference "
    "AssumeRoleWithWebIdentity documentation for requirements"
)
# [U] §7.2
TOKEN_ALGORITHM = "The ID Token is signed with an unsupported algorithm: {}"
# [U] §7.2
TOKEN_DATE_NOT_INTEGER = "The ID Token claim {} must be an integer number of seconds."
# [U]
TOKEN_NO_ISSUER = "The ID Token has no iss claim."
# [O] §7.2: the iss claim, echoed.
TOKEN_NO_PROVIDER = "No OpenIDConnect provider found in your account for {}"
# [O] §7.2
TOKEN_AUDIENCE = "Incorrect token audience"
# [U] §7.2
TOKEN_SIGNATURE = "The ID Token's signature could not be verified."
# [U]
TOKEN_NO_EXPIRY = "The ID Token has no exp claim."
# [O] §7.2: epoch seconds, now then exp.
TOKEN_EXPIRED = "Token expired: current date/time {} must be before the expiration date/time {}"
# [U] §7.2: epoch seconds, now then nbf.
TOKEN_NOT_YET_VALID = (
    "Token not yet valid: current date/time {} must be after the not-before date/time {}"
)
# [U] §7.2
TOKEN_SUBJECT = "The ID Token must have a sub claim of 1 to 255 characters."
# [U] §7.2: the tags claim's name.
TOKEN_TAGS_CLAIM = (
    "The {} claim must hold principal_tags, an object of one-element string arrays, and "
    "transitive_tag_keys, an array of strings."
)
# [U]
TOKEN_TOO_MANY_TAGS = "A token may carry at most {} session tags."
# [U]
TOKEN_INVALID_TAG = "Invalid session tag: {}"
# [D] §8.2 for SAML's SourceIdentity attribute; for a token's claim [U]. Holds braces: never
# formatted.
SOURCE_IDENTITY_FORMAT = (
    'Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"'
)
# [U] §4.3
PROVIDER_ID_UNSUPPORTED = (
    "ProviderId {provider} is not supported: only {amazon} and {facebook} access tokens take a "
    "ProviderId."
)
# [O] §7.2 for graph.facebook.com; the same wording for www.amazon.com is assumed.
IDP_REJECTED = "{provider}: {provider} responded with HTTP/1.1 400 Bad Request"

# ---------------------------------------------------------------------------------------
# SAML (AssumeRoleWithSAML, §8.2; IAM's troubleshooting guide)

# [O] §8.2
SAML_BAD_SIGNATURE = "Response signature invalid"
# [U]: the console's text [D] (§8.2).
SAML_UNKNOWN_PROVIDER = "Specified provider doesn't exist."
# [D] §8.2: the sign-in text; AWS wraps this one in the inner service's details
# (AuthSamlInvalidSamlResponseException).
SAML_WRONG_ISSUER = "Issuer not present in specified provider"
# [U]: the console's text [D] (§8.2).
SAML_WRONG_AUDIENCE = "Response does not contain the required audience."
# [O] (no capture in STS_REFERENCE)
SAML_EXPIRED = "Response has expired"
# [O] §8.2
SAML_NOT_FRESH = "Token must be redeemed within 5 minutes of issuance"
# [D] §8.2; SAML_BAD_SESSION_NAME holds braces: never formatted.
SAML_NO_SESSION_NAME = "RoleSessionName is required in AuthnResponse"
SAML_BAD_SESSION_NAME = "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}"
# [U]: AWS's console says this of responses it cannot read.
SAML_MALFORMED = "Your request included an invalid SAML response."
# [U]
SAML_WRONG_RECIPIENT = "Response does not contain the required recipient."
# [U]
SAML_NOT_YET_VALID = "Response is not yet valid"
# [U]
SAML_BAD_CONFIRMATION = (
    "Response must contain exactly one SubjectConfirmation whose SubjectConfirmationData "
    "has NotOnOrAfter and Recipient"
)
# [U]: mock_sts does not decrypt assertions.
SAML_ENCRYPTED = "mock_sts does not decrypt EncryptedAssertion: send the assertion unencrypted"
# [U]
SAML_ENCRYPTION_REQUIRED = (
    "The SAML provider requires encrypted assertions, and this assertion is not encrypted"
)
# [U]: the lowest and highest number of seconds.
SAML_SESSION_DURATION = "SessionDuration in AuthnResponse must be a number of seconds from {} to {}"
# [U]: the number of tags, then the maximum.
SAML_TOO_MANY_TAGS = "AuthnResponse carries {} session tags; at most {} are allowed."
# [U]
SAML_INVALID_TAG = (
    "The session tag {} in AuthnResponse must have one value, and its key and value must follow "
    "the rules of IAM tags."
)

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
# Other services: refusals of requests signed with the mock's credentials (docs/authorization.md)

# [D] S3 API Reference, "Error responses" (ExpiredToken, 400).
S3_EXPIRED_TOKEN = "The provided token has expired."
# [D] S3 API Reference, "Error responses" (InvalidAccessKeyId, 403).
S3_INVALID_ACCESS_KEY = "The AWS Access Key Id you provided does not exist in our records."
# [D] EC2 API Reference, "Common client error codes" (RequestExpired).
EC2_REQUEST_EXPIRED = "Request has expired."
# [D] EC2 API Reference, "Common client error codes" (AuthFailure).
EC2_AUTH_FAILURE = "AWS was not able to validate the provided access credentials"

# ---------------------------------------------------------------------------------------
# Organizations: SCPs and RCPs the handle attaches (each raised as ValueError, code first)

# [M] the Organizations model's description of each exception (botocore organizations
# 2016-11-28); AWS's wire texts for them are not recorded.
ORG_MALFORMED_POLICY = (
    "MalformedPolicyDocumentException: The provided policy document does not meet the "
    "requirements of the specified policy type."
)
ORG_TARGET_NOT_FOUND = (
    "TargetNotFoundException: We can't find a root, OU, account, or policy with the TargetId "
    "that you specified."
)
ORG_POLICY_NOT_FOUND = (
    "PolicyNotFoundException: We can't find a policy with the PolicyId that you specified."
)
ORG_DUPLICATE_ATTACHMENT = (
    "DuplicatePolicyAttachmentException: The selected policy is already attached to the "
    "specified target."
)
ORG_NOT_ATTACHED = (
    "PolicyNotAttachedException: The policy isn't attached to the specified target in the "
    "specified root."
)
ORG_MIN_ATTACHMENTS = (
    "ConstraintViolationException: You attempted to detach a policy from an entity that would "
    "cause the entity to have fewer than the minimum number of policies of a certain type "
    "required."
)
ORG_MAX_ATTACHMENTS = (
    "ConstraintViolationException: You attempted to exceed the number of policies of a "
    "certain type that can be attached to an entity at one time."
)
ORG_POLICY_TOO_LARGE = (
    "ConstraintViolationException: You attempted to create a policy that is larger than the "
    "maximum size."
)
# [D] Organizations UG, "RCP evaluation": RCPFullAWSAccess "You cannot detach this policy."
# The code is the one the model gives for attachment minimums [U].
ORG_RCP_FULL_ACCESS_FIXED = (
    "ConstraintViolationException: You cannot detach the RCPFullAWSAccess policy: it stays "
    "attached to the root, every OU and every account."
)

# ---------------------------------------------------------------------------------------
# Other services: how each words a denial (docs/authorization.md, "Refusals")

# [O] S3 quotes the resource (aws-samples/serverless-patterns#2457, aws-ia/terraform-aws-bedrock
# #41); NOT_AUTHORIZED_ON otherwise: the caller's ARN, the action, the resource.
S3_NOT_AUTHORIZED_ON = 'User: {} is not authorized to perform: {} on resource: "{}"'
# [O] EC2's UnauthorizedOperation; all its Describe* calls say (hashicorp/terraform-provider-aws
# #4664, rebuy-de/aws-nuke#517).
EC2_UNAUTHORIZED = "You are not authorized to perform this operation."
# [O] EC2's UnauthorizedOperation of other calls (aws/karpenter-provider-aws#7370): the IAM
# sentence (NOT_AUTHORIZED_ON and why), then the message DecodeAuthorizationMessage decodes.
EC2_UNAUTHORIZED_ENCODED = (
    "You are not authorized to perform this operation. {}. Encoded authorization failure "
    "message: {}"
)

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
