"""IAM's MalformedPolicyDocument texts (STS_REFERENCE §10.3, §13.4); SDKs and users grep them.

Tags as in mock_sts/_messages.py: [O] observed, [D] documented, [U] mock_sts's own wording.
"""

from __future__ import annotations

# [O] §10.3, §13.4: a text that is no JSON, as trust policies (CreateRole,
# UpdateAssumeRolePolicy) and other services' policies answer it.
INVALID_JSON = "This policy contains invalid Json"
# [O] §13.4 step 1: a text that is no JSON as identity policies answer it, and any document
# that breaks the grammar.
SYNTAX = "Syntax errors in policy."
# [U]: a name twice in one JSON object ("Effect", "Statement", at any depth). IAM refuses such
# documents [D] (IAM UG, troubleshooting policies, duplicate elements; §12.4) with a text no
# capture shows; this is its wording for a document that breaks the grammar.
DUPLICATE_ELEMENT = SYNTAX
# [O] §13.4 step 2: a managed policy without Version, or with the old one.
VERSION = "Policy document must be version 2012-10-17 or greater."
# [O] §13.4 step 3 (and §10.3: a document without Version that breaks the grammar).
LEGACY = "The policy failed legacy parsing"
# [O] §13.4 step 4
SID_UNIQUE = "Statement IDs (SID) in a single policy must be unique."
# [O] §10.3
SID_FORMAT = (
    "Statement IDs (SID) must be alpha-numeric. "
    "Check that your input satisfies the regular expression [0-9A-Za-z]*"
)
# [O] §10.3
PROHIBITED_FIELD = "Has prohibited field {}"
# [U]: a trust statement without Principal; worded like IAM's other field checks.
MISSING_PRINCIPAL = "Missing required field Principal"
# [O] §10.3
NO_PRINCIPAL_ALLOWED = "Policy document should not specify a principal."
# [O] §10.3
INVALID_PRINCIPAL = 'Invalid principal in policy: "{}":"{}"'
# [O] §10.3
MISSING_ACTIONS = "Policy statement must contain actions."
# [O] §10.3, §13.4 step 5
MISSING_RESOURCES = "Policy statement must contain resources."
# [O] §13.4 step 5: a resource without a colon.
RESOURCE_FORMAT = 'Resource {} must be in ARN format or "*".'
# [O] §13.4 step 5: the partition, then the resource as IAM read it (six parts).
PARTITION = 'Partition "{}" is not valid for resource "{}".'
# [O] §13.4 step 5: no service part, or one with a wildcard.
VENDOR_QUALIFIED = "Resource vendor must be fully qualified and cannot contain regexes."
# [O] §13.4 step 5
IAM_PATH = (
    'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, '
    "group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, "
    "oidc-provider/, report/, access-report/."
)
# [O] §13.4 step 5
IAM_REGION = "IAM resource {} cannot contain region information."
# [O] §13.4 step 5 (S3's text says "can not")
S3_REGION = "Resource {} can not contain region information."
# [O] §13.4 step 6
VENDOR = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
# [O] §13.4 step 6
ONE_COLON = "Actions/Condition can contain only one colon."
# [O] §13.4 step 6
INVALID_VENDOR = "Vendor {} is not valid"
# [O] §13.4: trust policies, after step 6.
TRUST_ACTIONS = "AssumeRole policy may only specify STS AssumeRole actions."
# [O] (c6fc/npk#98, aws-amplify/amplify-cli#13689; no final period): a trust policy that
# lets any identity pool's identities in.
COGNITO_CONDITION = "A condition block must be present for the Cognito provider"
