"""AWS managed policies that tests attach most often, with their published documents.

Each entry: name → (default version id, description, document). Documents are the ones
AWS publishes in its managed-policy reference; they are shared and never change here.
"""

from __future__ import annotations

import json
from typing import Any

_ALL = "*"


def _allow(actions: list[str] | str, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": _ALL, **extra}


def _document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=4)


AWS_MANAGED: dict[str, tuple[str, str, str]] = {
    "AdministratorAccess": (
        "v1",
        "Provides full access to AWS services and resources.",
        _document(_allow(_ALL)),
    ),
    "PowerUserAccess": (
        "v12",
        "Provides full access to AWS services and resources, but does not allow management "
        "of Users and groups.",
        _document(
            {
                "Effect": "Allow",
                "NotAction": ["iam:*", "organizations:*", "account:*"],
                "Resource": _ALL,
            },
            _allow(
                [
                    "account:GetAccountInformation",
                    "account:GetGovCloudAccountInformation",
                    "account:GetPrimaryEmail",
                    "account:ListRegions",
                    "iam:CreateServiceLinkedRole",
                    "iam:DeleteServiceLinkedRole",
                    "iam:ListRoles",
                    "organizations:DescribeEffectivePolicy",
                    "organizations:DescribeOrganization",
                ]
            ),
        ),
    ),
    "IAMFullAccess": (
        "v2",
        "Provides full access to IAM via the AWS Management Console.",
        _document(
            _allow(
                [
                    "iam:*",
                    "organizations:DescribeAccount",
                    "organizations:DescribeOrganization",
                    "organizations:DescribeOrganizationalUnit",
                    "organizations:DescribePolicy",
                    "organizations:ListChildren",
                    "organizations:ListParents",
                    "organizations:ListPoliciesForTarget",
                    "organizations:ListRoots",
                    "organizations:ListPolicies",
                    "organizations:ListTargetsForPolicy",
                ]
            )
        ),
    ),
    "IAMReadOnlyAccess": (
        "v4",
        "Provides read only access to IAM via the AWS Management Console.",
        _document(
            _allow(
                [
                    "iam:GenerateCredentialReport",
                    "iam:GenerateServiceLastAccessedDetails",
                    "iam:Get*",
                    "iam:List*",
                    "iam:SimulateCustomPolicy",
                    "iam:SimulatePrincipalPolicy",
                ]
            )
        ),
    ),
    "AmazonS3FullAccess": (
        "v2",
        "Provides full access to all buckets via the AWS Management Console.",
        _document(_allow(["s3:*", "s3-object-lambda:*"])),
    ),
    "AmazonS3ReadOnlyAccess": (
        "v3",
        "Provides read only access to all buckets via the AWS Management Console.",
        _document(
            _allow(
                [
                    "s3:Get*",
                    "s3:List*",
                    "s3:Describe*",
                    "s3-object-lambda:Get*",
                    "s3-object-lambda:List*",
                ]
            )
        ),
    ),
}


# The task policies AssumeRoot accepts, by name; their ARNs are
# arn:<partition>:iam::aws:policy/root-task/<name>. They only deny: a root session may do
# what the member's root may, except what its task policy denies (IAM User Guide, "AWS
# managed policies for IAM"; the documents below are the published ones).
_ROOT = "arn:aws:iam::*:root"


def _only(actions: list[str], *non_root: dict[str, Any]) -> str:
    deny_others = {
        "Sid": "DenyAllOtherActionsOnAnyResource",
        "Effect": "Deny",
        "NotAction": actions,
        "Resource": _ALL,
    }
    return _document(deny_others, *non_root)


_AUDIT = [
    "iam:ListAccessKeys",
    "iam:ListSigningCertificates",
    "iam:GetLoginProfile",
    "iam:ListMFADevices",
    "iam:GetUser",
    "iam:GetAccessKeyLastUsed",
]
_DELETE = [
    "iam:DeleteAccessKey",
    "iam:DeleteSigningCertificate",
    "iam:DeleteLoginProfile",
    "iam:DeactivateMFADevice",
    *_AUDIT,
]
_PASSWORD = ["iam:CreateLoginProfile", "iam:GetLoginProfile"]
_BUCKET_POLICY = [
    "s3:DeleteBucketPolicy",
    "s3:PutBucketPolicy",
    "s3:GetBucketPolicy",
    "s3:ListAllMyBuckets",
]
_QUEUE_POLICY = [
    "sqs:GetQueueAttributes",
    "sqs:ListQueues",
    "sqs:SetQueueAttributes",
]
_NOT_ROOT = {"ArnNotLike": {"aws:PrincipalArn": _ROOT}}

ROOT_TASK_POLICIES: dict[str, str] = {
    "IAMAuditRootUserCredentials": _only(
        [*_AUDIT[:4], "iam:GetAccountSummary", *_AUDIT[4:]],
        {
            "Sid": "DenyAuditingCredentialsOnNonRootUserResource",
            "Action": _AUDIT,
            "Effect": "Deny",
            "NotResource": _ROOT,
        },
    ),
    "IAMCreateRootUserPassword": _only(
        _PASSWORD,
        {
            "Sid": "DenyCreatingPasswordOnNonRootUserResource",
            "Action": _PASSWORD,
            "Effect": "Deny",
            "NotResource": _ROOT,
        },
    ),
    "IAMDeleteRootUserCredentials": _only(
        _DELETE,
        {
            "Sid": "DenyDeletingRootUserCredentialsOnNonRootUserResource",
            "Effect": "Deny",
            "Action": _DELETE,
            "NotResource": _ROOT,
        },
    ),
    "S3UnlockBucketPolicy": _only(
        _BUCKET_POLICY,
        {
            "Sid": "DenyManagingBucketPolicyForNonRootCallers",
            "Action": _BUCKET_POLICY,
            "Effect": "Deny",
            "Resource": _ALL,
            "Condition": _NOT_ROOT,
        },
    ),
    # The guide publishes this one's statement names, not its JSON: written from them.
    "SQSUnlockQueuePolicy": _only(
        _QUEUE_POLICY,
        {
            "Sid": "DenyGettingQueueAttributesOnNonOwnQueue",
            "Action": "sqs:GetQueueAttributes",
            "Effect": "Deny",
            "Resource": _ALL,
            "Condition": {"StringNotEquals": {"aws:ResourceAccount": "${aws:PrincipalAccount}"}},
        },
        {
            "Sid": "DenyActionsForNonRootUser",
            "Action": _QUEUE_POLICY,
            "Effect": "Deny",
            "Resource": _ALL,
            "Condition": _NOT_ROOT,
        },
    ),
}
