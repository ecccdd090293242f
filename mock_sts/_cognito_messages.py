"""Cognito Identity's error texts, each with its provenance (tags as in ``_messages``: [O]
observed, [D] documented, [M] the model, [U] mock_sts's own wording). § numbers name
STS_REFERENCE's sections; most texts are §12.8's.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------
# The JSON protocol

# [U]: Coral's UnknownOperationException carries no message that is known.
UNKNOWN_OPERATION = "The operation named by X-Amz-Target is not an operation of this service."
# [U]: a body that is no JSON object.
NOT_JSON = "The request body is not a JSON object."
# [U]: a member of another JSON type than its shape's (the shape's type).
WRONG_TYPE = "A member of the request is not of its type: {} expected."

# ---------------------------------------------------------------------------------------
# Pools and identities

# [U]: the pool id (a pool of another account or region is not found either).
POOL_NOT_FOUND = "IdentityPool '{}' not found."
# [U]: the identity id.
IDENTITY_NOT_FOUND = "Identity '{}' not found."
# [U]: a SupportedLoginProviders key that is not one of Cognito's providers.
UNSUPPORTED_LOGIN_PROVIDER = "Invalid login provider: {}"
# [O] a CloudFormation stack event quoting CreateIdentityPool (amazon-archives/
# amazon-quicksight-embedding-sample#1): a CognitoIdentityProviders entry that is no user pool
# (also, [U], one without the ClientId of the app client it is taken for).
INVALID_USER_POOL = "Invalid Cognito Identity Provider"
# [U]: an OpenIdConnectProviderARNs or SamlProviderARNs entry naming no provider of the account.
NO_SUCH_PROVIDER = "Invalid provider ARN: {}"
# [U]: UpdateIdentityPool changing a DeveloperProviderName once set (the API Reference says
# "Once you have set a developer provider name, you cannot change it").
DEVELOPER_PROVIDER_FIXED = "Cannot modify the DeveloperProviderName of an identity pool once set."
# [U]: a role mapping of type Token or Rules without AmbiguousRoleResolution, or of type
# Rules without rules ([M] the RoleMapping shape's documentation requires both).
AMBIGUOUS_RESOLUTION_REQUIRED = (
    "AmbiguousRoleResolution is required when the role mapping type is Token or Rules."
)
RULES_REQUIRED = "RulesConfiguration is required when the role mapping type is Rules."
# [O] aws/aws-cdk#22951, #7670: a RoleMappings key that is no provider of the pool (the key in
# parentheses).
ROLE_MAPPING_PROVIDER = (
    "({}) is not a valid RoleMapping ProviderName or is not a configured provider."
)
# [U]: a principal tag map for a provider the pool does not have.
TAG_MAP_PROVIDER = "{} is not a configured provider of this identity pool."
# [O] aws/aws-sdk-js#908, boto/boto3#73: SetIdentityPoolRoles with a role the caller may not
# pass (iam:PassRole), or a value that is no role ARN.
ROLE_FORBIDDEN = "Access to Role '{}' is forbidden."

# ---------------------------------------------------------------------------------------
# Logins (§12.8)

# [O] §12.8: GetId (and GetCredentialsForIdentity) without Logins, unauthenticated
# identities not allowed.
UNAUTHENTICATED_NOT_SUPPORTED = "Unauthenticated access is not supported for this identity pool."
# [O] §12.8
SIGNATURE_NOT_VERIFIED = "Invalid login token. Couldn't verify signed token."
# [O] §12.8: now >= exp, epoch seconds.
LOGIN_EXPIRED = "Invalid login token. Token expired: {} >= {}"
# [O] §12.8 (no final period)
ISSUER_MISMATCH = "Invalid login token. Issuer doesn't match providerName"
# [O] §12.8 for aud (a user pool's access token, which has none); the same text for a
# token without exp [U].
MISSING_CLAIM = "Invalid login token. Missing a required claim: {}"
# [U]: a login token that is no JWT.
NOT_A_TOKEN = "Invalid login token. Not a valid OpenId Connect identity token."
# [O] §12.8: a provider or client id the pool does not list.
UNSUPPORTED_PROVIDER = "Token is not from a supported provider of this identity pool."
# [O] §12.8
LOGINS_MISMATCH = (
    "Logins don't match. Please include at least one valid login for this identity or "
    "identity pool."
)
# [O] §12.8: an authenticated identity asked for without its logins.
IDENTITY_FORBIDDEN = "Access to Identity '{}' is forbidden."
# [U]: a second user of a public provider for one identity ([D] Cognito DG, "Identity pools
# authentication flow": "You may only link one login per public provider").
LOGIN_ALREADY_LINKED = "The identity is already linked to another login of {}."
# [O] aws-amplify/amplify-swift#2842: the pool's own OpenID token given to GetId.
COGNITO_TOKEN_REFUSED = "Invalid login token. Can't pass in a Cognito token."
# [O] danilop/LambdAuth#32 (the code is not shown: NotAuthorizedException [U]; final period
# [U]): a developer provider that is not the pool's.
DEVELOPER_PROVIDER_UNSUPPORTED = (
    "This identity pool does not support the specified developer provider."
)
# [U]: the text of DeveloperUserAlreadyRegisteredException ([M] the model's description).
DEVELOPER_USER_REGISTERED = (
    "The provided developer user identifier is already registered with Cognito under a "
    "different identity ID."
)
# [U]: LookupDeveloperIdentity, MergeDeveloperIdentities, UnlinkDeveloperIdentity with a
# developer user identifier the pool does not know.
DEVELOPER_USER_NOT_FOUND = "Developer user identifier '{}' not found."
# [U]: LookupDeveloperIdentity whose IdentityId and DeveloperUserIdentifier are of different
# identities ([D] API Reference: ResourceConflictException).
DEVELOPER_USER_OTHER_IDENTITY = (
    "The developer user identifier is linked to another identity than the one given."
)
# [U]: LookupDeveloperIdentity with neither IdentityId nor DeveloperUserIdentifier.
LOOKUP_NEEDS_ONE = "Either IdentityId or DeveloperUserIdentifier must be given."
# [U]: an access token of Facebook or Login with Amazon the provider did not issue.
ACCESS_TOKEN_INVALID = "Invalid login token. The {} access token is not valid."

# ---------------------------------------------------------------------------------------
# Credentials (§12.8)

# [O] §12.8: GetOpenIdToken when the pool's AllowClassicFlow is false.
CLASSIC_FLOW_DISABLED = "Basic (classic) flow is not enabled, please use enhanced flow."
# [O] §12.8: no role, or the role's trust does not admit the pool, or STS refused.
INVALID_POOL_CONFIGURATION = (
    "Invalid identity pool configuration. Check assigned IAM roles for this pool."
)
# [O] aws-amplify/amplify-js#3621: role-based access control chose no role and the
# mapping's AmbiguousRoleResolution is Deny (the provider's name).
AMBIGUOUS_ROLE_DENIED = "The ambiguous role mapping rules for: {} denied this request."
# [U]: a CustomRoleArn the identity's token or rules do not offer ([D] Cognito DG, "Role-based
# access control": "If this parameter doesn't match a role in cognito:roles, deny access").
CUSTOM_ROLE_NOT_OFFERED = "Role '{}' is not one of the roles this identity may assume."
# [U]: a NextToken this listing did not give.
INVALID_NEXT_TOKEN = "The pagination token is invalid."
