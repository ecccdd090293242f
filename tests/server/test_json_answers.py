"""``mock-sts serve`` answers STS in JSON when asked (STS_REFERENCE §12.2), as a cluster's
authenticator fetches a presigned GetCallerIdentity from it."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
import requests

from tests.helpers import serve_process

JSON = "application/json"


@pytest.mark.slow
def test_a_presigned_get_caller_identity_answers_json_and_iam_stays_xml() -> None:
    with serve_process() as url:
        admin = requests.get(f"{url}/_mock_sts/credentials/admin", timeout=5).json()
        sts = boto3.client(
            "sts",
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id=admin["access_key_id"],
            aws_secret_access_key=admin["secret_access_key"],
        )

        def add_cluster_header(request: Any, **kwargs: Any) -> None:
            request.headers["x-k8s-aws-id"] = "my-cluster"

        sts.meta.events.register("before-sign.sts.GetCallerIdentity", add_cluster_header)
        presigned = sts.generate_presigned_url(
            "get_caller_identity", ExpiresIn=60, HttpMethod="GET"
        )
        headers = {"x-k8s-aws-id": "my-cluster", "Accept": JSON}

        identity = sts.get_caller_identity()  # botocore's own call: XML, as ever
        assert identity["ResponseMetadata"]["HTTPHeaders"]["content-type"] == "text/xml"

        answer = requests.get(presigned, headers=headers, timeout=5)
        assert answer.headers["Content-Type"] == JSON
        assert answer.json() == {
            "GetCallerIdentityResponse": {
                "GetCallerIdentityResult": {
                    "Arn": "arn:aws:iam::123456789012:user/admin",
                    "UserId": identity["UserId"],
                    "Account": "123456789012",
                },
                "ResponseMetadata": {"RequestId": answer.headers["x-amzn-RequestId"]},
            }
        }

        other_cluster = requests.get(
            presigned, headers={**headers, "x-k8s-aws-id": "other"}, timeout=5
        )
        assert other_cluster.status_code == 403
        assert other_cluster.headers["Content-Type"] == JSON
        assert other_cluster.json()["Error"]["Code"] == "SignatureDoesNotMatch"

        iam = requests.post(
            url, data={"Action": "ListUsers", "Version": "2010-05-08"}, headers=headers, timeout=5
        )
        assert iam.status_code == 403
        assert iam.headers["Content-Type"] == "text/xml"
        assert b"<Code>MissingAuthenticationToken</Code>" in iam.content
