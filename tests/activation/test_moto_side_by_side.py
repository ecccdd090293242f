"""mock_sts beside moto's ``mock_aws``: STS and IAM are answered by mock_sts, every other
service by moto, whichever was activated first; when mock_sts stops, moto answers STS again."""

from __future__ import annotations

import json

import moto

from mock_sts import MockSTS, mock_sts
from tests.helpers import aws_error, client
from tests.helpers.assume_role import ACCOUNT, ALLOW_ASSUME, denied, session_arn, trust
from tests.helpers.services import ORDERS, beside_moto

BUCKET = "deploy-artifacts"
ARTIFACTS = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["s3:CreateBucket", "s3:PutObject"],
            "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
        }
    ],
}


@ORDERS
def test_sts_and_iam_are_mock_sts_and_the_rest_is_moto(order: str) -> None:
    with beside_moto(order) as sts_mock:
        iam = client("iam")
        iam.create_role(RoleName="deploy", AssumeRolePolicyDocument=json.dumps(trust(ACCOUNT)))
        iam.put_role_policy(
            RoleName="deploy", PolicyName="artifacts", PolicyDocument=json.dumps(ARTIFACTS)
        )
        assert [c.action for c in sts_mock.calls] == ["CreateRole", "PutRolePolicy"]

        # Roles must exist and trust the caller, as on AWS (moto would answer both).
        sts = client("sts")
        missing = f"arn:aws:iam::{ACCOUNT}:role/missing"
        assert aws_error(lambda: sts.assume_role(RoleArn=missing, RoleSessionName="ci")) == denied(
            f"arn:aws:iam::{ACCOUNT}:user/admin", missing
        )
        session = sts.assume_role(
            RoleArn=f"arn:aws:iam::{ACCOUNT}:role/deploy", RoleSessionName="ci"
        )
        assert session["AssumedRoleUser"]["Arn"] == session_arn("deploy", "ci")

        # moto serves S3 to the assumed role's credentials.
        s3 = client("s3", session["Credentials"])
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key="build.zip", Body=b"artifact")
        assert client("s3").get_object(Bucket=BUCKET, Key="build.zip")["Body"].read() == (
            b"artifact"
        )
        # What the role may not do is refused before moto sees it.
        assert aws_error(lambda: s3.delete_bucket(Bucket=BUCKET))[0] == "AccessDenied"
        assert [b["Name"] for b in client("s3").list_buckets()["Buckets"]] == [BUCKET]
        assert client("sts", session["Credentials"]).get_caller_identity()["Arn"] == (
            session_arn("deploy", "ci")
        )


def test_moto_answers_sts_again_once_mock_sts_stops() -> None:
    with moto.mock_aws():
        with mock_sts():
            assert client("sts").get_caller_identity()["Arn"].endswith(":user/admin")
        # moto's own, permissive STS: any role may be assumed.
        session = client("sts").assume_role(
            RoleArn=f"arn:aws:iam::{ACCOUNT}:role/missing", RoleSessionName="ci"
        )
        assert session["AssumedRoleUser"]["Arn"].endswith(":assumed-role/missing/ci")


def test_moto_state_outlives_mock_sts() -> None:
    with moto.mock_aws():
        with mock_sts():
            client("s3").create_bucket(Bucket=BUCKET)
        assert [b["Name"] for b in client("s3").list_buckets()["Buckets"]] == [BUCKET]


def test_policies_are_mock_sts_state(sts_mock: MockSTS) -> None:
    with moto.mock_aws():
        iam = client("iam")
        iam.create_role(RoleName="deploy", AssumeRolePolicyDocument=json.dumps(trust(ACCOUNT)))
        iam.put_role_policy(
            RoleName="deploy", PolicyName="assume", PolicyDocument=json.dumps(ALLOW_ASSUME)
        )
        assert iam.list_role_policies(RoleName="deploy")["PolicyNames"] == ["assume"]
        assert sts_mock.calls[-1].action == "ListRolePolicies"
