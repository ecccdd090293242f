"""IAM's MalformedPolicyDocument texts (STS_REFERENCE §10.3); SDKs and users grep them."""

from __future__ import annotations

INVALID_JSON = "This policy contains invalid Json"
SYNTAX = "Syntax errors in policy."
# [U]: a name twice in one JSON object ("Effect", "Statement", at any depth). IAM refuses such
# documents [D] (IAM UG, troubleshooting policies, duplicate elements; §12.4) with a text no
# capture shows; this is its wording for a document that breaks the grammar.
DUPLICATE_ELEMENT = SYNTAX
# IAM answers this instead of SYNTAX when the document has no Version (the old grammar).
LEGACY = "The policy failed legacy parsing"
PROHIBITED_FIELD = "Has prohibited field {}"
# [U]: a trust statement without Principal; worded like IAM's other field checks.
MISSING_PRINCIPAL = "Missing required field Principal"
NO_PRINCIPAL_ALLOWED = "Policy document should not specify a principal."
INVALID_PRINCIPAL = 'Invalid principal in policy: "{}":"{}"'
MISSING_ACTIONS = "Policy statement must contain actions."
MISSING_RESOURCES = "Policy statement must contain resources."
RESOURCE_FORMAT = 'Resource {} must be in ARN format or "*".'
VENDOR = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
ONE_COLON = "Actions/Condition can contain only one colon."
TRUST_ACTIONS = "AssumeRole policy may only specify STS AssumeRole actions."
SID_FORMAT = (
    "Statement IDs (SID) must be alpha-numeric. "
    "Check that your input satisfies the regular expression [0-9A-Za-z]*"
)
SID_UNIQUE = "Statement IDs (SID) in a single policy must be unique."
