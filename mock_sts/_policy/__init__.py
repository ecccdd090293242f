"""A pure IAM policy engine: parse and validate documents as IAM does, evaluate requests.

No botocore and no mock state here: the IAM and STS layers build on these names.
"""

from mock_sts._policy._conditions import Condition
from mock_sts._policy._document import Policy, Statement, parse_policy
from mock_sts._policy._model import (
    ConditionKeys,
    ConditionValue,
    Evaluation,
    MatchClass,
    PolicyError,
    PolicyKind,
    Principal,
    Request,
)
from mock_sts._policy._simulation import Span, context_keys, statement_keys, statement_spans

__all__ = [
    "Condition",
    "ConditionKeys",
    "ConditionValue",
    "Evaluation",
    "MatchClass",
    "Policy",
    "PolicyError",
    "PolicyKind",
    "Principal",
    "Request",
    "Span",
    "Statement",
    "context_keys",
    "parse_policy",
    "statement_keys",
    "statement_spans",
]
