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
# arn:<partition>:iam::aws:policy/root-task/<name>. Documents unconfirmed: written from the
# tasks AWS documents for each policy, not copied from the published versions.
ROOT_TASK_POLICIES: dict[str, str] = {
    "IAMAuditRootUserCredentials": _document(
        _allow(
            [
                "iam:GetAccessKeyLastUsed",
                "iam:GetAccountSummary",
                "iam:GetLoginProfile",
                "iam:GetUser",
                "iam:ListAccessKeys",
                "iam:ListMFADevices",
                "iam:ListSigningCertificates",
            ]
        )
    ),
    "IAMCreateRootUserPassword": _document(
        _allow(["iam:CreateLoginProfile", "iam:GetLoginProfile", "iam:GetUser"])
    ),
    "IAMDeleteRootUserCredentials": _document(
        _allow(
            [
                "iam:DeactivateMFADevice",
                "iam:DeleteAccessKey",
                "iam:DeleteLoginProfile",
                "iam:DeleteSigningCertificate",
                "iam:GetAccessKeyLastUsed",
                "iam:GetLoginProfile",
                "iam:GetUser",
                "iam:ListAccessKeys",
                "iam:ListMFADevices",
                "iam:ListSigningCertificates",
            ]
        )
    ),
    "S3UnlockBucketPolicy": _document(
        _allow(["s3:DeleteBucketPolicy", "s3:GetBucketPolicy", "s3:PutBucketPolicy"])
    ),
    "SQSUnlockQueuePolicy": _document(
        _allow(["sqs:GetQueueAttributes", "sqs:ListQueues", "sqs:SetQueueAttributes"])
    ),
}
