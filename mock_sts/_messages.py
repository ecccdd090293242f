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
