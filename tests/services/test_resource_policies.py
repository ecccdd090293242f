"""Resource-based policies decide with the caller's own, as AWS evaluates them: in the
resource's account either one allows (a key policy must allow by itself), across accounts
both must, an explicit deny in either wins. The mock learns them, and resources' owners,
names and tags, from the requests it lets through; the handle sets and reads them."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from moto.iam.models import iam_backends

from mock_sts import MockSTS, mock_sts
from tests.helpers import aws_error, client
from tests.helpers.assume_role import ACCOUNT, document, role_arn, session_arn, statement
from tests.helpers.services import grants, limited_to, not_authorized, served_by_moto

OTHER = "111122223333"
REGION = "us-east-1"
WORKER = role_arn("worker")
BUCKET = "arn:aws:s3:::reports"
OBJECT = f"{BUCKET}/q1.csv"
QUEUE = f"arn:aws:sqs:{REGION}:{ACCOUNT}:jobs"
TOPIC = f"arn:aws:sns:{REGION}:{ACCOUNT}:news"


@pytest.fixture
def aws() -> Iterator[MockSTS]:
    """moto serving every service, and a mock deciding who may touch it; a bucket."""
    with served_by_moto(), mock_sts() as sts:
        s3 = client("s3")
        s3.create_bucket(Bucket="reports")
        s3.put_object(Bucket="reports", Key="q1.csv", Body=b"v1")
        yield sts


refusal = not_authorized


def no(kind: str, action: str) -> str:
    return f"because no {kind} policy allows the {action} action"


# SQS answers over its JSON protocol with its query protocol's code and status.
SQS_DENIED_STATUS = 403
EXPLICIT = "with an explicit deny in a resource-based policy"
HERE = session_arn("worker", "job")
THERE = session_arn("worker", "job", OTHER)


def allows(actions: str, resource: str, principal: Any, **options: Any) -> dict[str, Any]:
    """A resource policy's Allow statement for ``principal``."""
    return {**statement(actions, principal=principal, **options), "Resource": resource}


def policy(*statements: Mapping[str, Any]) -> str:
    return json.dumps(document(*statements))


# ---------------------------------------------------------------------------------------
# S3 bucket policies


def test_a_bucket_policy_naming_a_role_is_enough_in_its_account(aws: MockSTS) -> None:
    worker = limited_to(aws)
    s3 = client("s3", worker)
    assert aws_error(lambda: s3.get_object(Bucket="reports", Key="q1.csv")) == (
        "AccessDenied",
        refusal(HERE, "s3:GetObject", OBJECT, no("identity-based", "s3:GetObject")),
        403,
    )

    client("s3").put_bucket_policy(
        Bucket="reports", Policy=policy(allows("s3:GetObject", f"{BUCKET}/*", {"AWS": WORKER}))
    )

    assert s3.get_object(Bucket="reports", Key="q1.csv")["Body"].read() == b"v1"
    assert aws.calls[-1].reason == f"allowed by the bucket policy of {BUCKET}"


def test_a_bucket_policy_naming_the_account_leaves_it_to_identity_policies(
    aws: MockSTS,
) -> None:
    client("s3").put_bucket_policy(
        Bucket="reports",
        Policy=policy(
            allows("s3:GetObject", f"{BUCKET}/*", {"AWS": f"arn:aws:iam::{ACCOUNT}:root"})
        ),
    )
    nobody = client("s3", limited_to(aws))
    assert aws_error(lambda: nobody.get_object(Bucket="reports", Key="q1.csv"))[1] == refusal(
        HERE, "s3:GetObject", OBJECT, no("identity-based", "s3:GetObject")
    )
    reader = client("s3", limited_to(aws, grants("s3:GetObject"), role="reader"))
    assert reader.get_object(Bucket="reports", Key="q1.csv")["Body"].read() == b"v1"


def test_an_explicit_deny_in_a_bucket_policy_wins(aws: MockSTS) -> None:
    client("s3").put_bucket_policy(
        Bucket="reports",
        Policy=policy(
            {**statement("s3:GetObject", principal="*", effect="Deny"), "Resource": f"{BUCKET}/*"}
        ),
    )
    s3 = client("s3", limited_to(aws, grants("s3:*")))

    assert aws_error(lambda: s3.get_object(Bucket="reports", Key="q1.csv")) == (
        "AccessDenied",
        refusal(HERE, "s3:GetObject", OBJECT, EXPLICIT),
        403,
    )
    assert aws.denials[-1].reason == (
        f"s3:GetObject on {OBJECT}: explicitly denied by the bucket policy of {BUCKET} "
        "(statement #0)"
    )


def test_a_perimeter_that_spares_aws_services_denies_every_signed_caller(
    aws: MockSTS,
) -> None:
    """Every signed request carries aws:PrincipalIsAWSService "false" (IAM UG, global
    condition keys): a data perimeter's Bool condition on it applies to callers of every
    kind, the admin included."""
    outside_the_vpc = {
        **statement("s3:GetObject", principal="*", effect="Deny"),
        "Resource": f"{BUCKET}/*",
        "Condition": {"Bool": {"aws:PrincipalIsAWSService": "false"}},
    }
    client("s3").put_bucket_policy(Bucket="reports", Policy=policy(outside_the_vpc))

    for credentials in (limited_to(aws, grants("s3:*")), None):
        s3 = client("s3", credentials)
        code, _, status = aws_error(partial(s3.get_object, Bucket="reports", Key="q1.csv"))
        assert (code, status) == ("AccessDenied", 403)


def test_not_principal_denies_everyone_it_does_not_name(aws: MockSTS) -> None:
    everyone_but_reader = {
        "Effect": "Deny",
        "NotPrincipal": {"AWS": role_arn("reader")},
        "Action": "secretsmanager:GetSecretValue",
        "Resource": "*",
    }
    sm = client("secretsmanager")
    arn = sm.create_secret(Name="db", SecretString="s3cr3t")["ARN"]
    sm.put_resource_policy(SecretId="db", ResourcePolicy=policy(everyone_but_reader))

    action = "secretsmanager:GetSecretValue"
    reader = client("secretsmanager", limited_to(aws, grants(action), role="reader"))
    assert reader.get_secret_value(SecretId=arn)["SecretString"] == "s3cr3t"
    worker = client("secretsmanager", limited_to(aws, grants(action)))
    assert aws_error(lambda: worker.get_secret_value(SecretId=arn))[1] == (
        refusal(HERE, action, arn, EXPLICIT)
    )


def test_across_accounts_both_sides_must_allow(aws: MockSTS) -> None:
    reader = client("s3", limited_to(aws, grants("s3:GetObject"), account_id=OTHER))
    nobody = client("s3", limited_to(aws, role="nobody", account_id=OTHER))
    nobody_arn = session_arn("nobody", "job", OTHER)

    # A bucket without a policy grants nobody of another account.
    assert aws_error(lambda: reader.get_object(Bucket="reports", Key="q1.csv")) == (
        "AccessDenied",
        refusal(THERE, "s3:GetObject", OBJECT, no("resource-based", "s3:GetObject")),
        403,
    )

    to_other = {"AWS": f"arn:aws:iam::{OTHER}:root"}
    client("s3").put_bucket_policy(
        Bucket="reports", Policy=policy(allows("s3:GetObject", f"{BUCKET}/*", to_other))
    )

    assert reader.get_object(Bucket="reports", Key="q1.csv")["Body"].read() == b"v1"
    assert aws_error(lambda: nobody.get_object(Bucket="reports", Key="q1.csv"))[1] == refusal(
        nobody_arn, "s3:GetObject", OBJECT, no("identity-based", "s3:GetObject")
    )


def test_deleting_a_bucket_policy_or_the_bucket_forgets_it(aws: MockSTS) -> None:
    s3 = client("s3")
    s3.put_bucket_policy(
        Bucket="reports", Policy=policy(allows("s3:GetObject", f"{BUCKET}/*", {"AWS": WORKER}))
    )
    s3.delete_bucket_policy(Bucket="reports")
    assert aws.resource_policy(BUCKET) is None
    worker = client("s3", limited_to(aws))
    assert aws_error(lambda: worker.get_object(Bucket="reports", Key="q1.csv"))[0] == "AccessDenied"

    s3.put_bucket_policy(
        Bucket="reports", Policy=policy(allows("s3:GetObject", f"{BUCKET}/*", {"AWS": WORKER}))
    )
    s3.delete_object(Bucket="reports", Key="q1.csv")
    s3.delete_bucket(Bucket="reports")
    assert aws.resource_policy(BUCKET) is None


def test_bucket_tags_are_resource_tags(aws: MockSTS) -> None:
    blue = {"StringEquals": {"aws:ResourceTag/team": "blue"}}
    s3 = client("s3", limited_to(aws, statement("s3:ListBucket", BUCKET, condition=blue)))
    assert aws_error(lambda: s3.list_objects_v2(Bucket="reports"))[0] == "AccessDenied"

    client("s3").put_bucket_tagging(
        Bucket="reports", Tagging={"TagSet": [{"Key": "team", "Value": "blue"}]}
    )
    assert s3.list_objects_v2(Bucket="reports")["KeyCount"] == 1

    client("s3").delete_bucket_tagging(Bucket="reports")
    assert aws_error(lambda: s3.list_objects_v2(Bucket="reports"))[0] == "AccessDenied"


# ---------------------------------------------------------------------------------------
# SQS queue policies


def test_queue_policies(aws: MockSTS) -> None:
    sqs = client("sqs")
    url = sqs.create_queue(
        QueueName="jobs",
        Attributes={"Policy": policy(allows("sqs:SendMessage", QUEUE, {"AWS": WORKER}))},
        tags={"team": "blue"},
    )["QueueUrl"]
    worker = client("sqs", limited_to(aws))

    worker.send_message(QueueUrl=url, MessageBody="hello")
    assert aws_error(lambda: worker.receive_message(QueueUrl=url)) == (
        "AccessDenied",
        refusal(HERE, "sqs:ReceiveMessage", QUEUE, no("identity-based", "sqs:ReceiveMessage")),
        SQS_DENIED_STATUS,
    )

    sqs.set_queue_attributes(
        QueueUrl=url,
        Attributes={
            "Policy": policy(
                {**statement("sqs:*", principal={"AWS": WORKER}, effect="Deny"), "Resource": QUEUE}
            )
        },
    )
    assert aws_error(lambda: worker.send_message(QueueUrl=url, MessageBody="hello"))[1] == (
        refusal(HERE, "sqs:SendMessage", QUEUE, EXPLICIT)
    )

    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": ""})
    assert aws.resource_policy(QUEUE) is None


def test_queues_of_another_account(aws: MockSTS) -> None:
    url = client("sqs").create_queue(QueueName="jobs")["QueueUrl"]
    sender = client("sqs", limited_to(aws, grants("sqs:SendMessage"), account_id=OTHER))
    assert aws_error(lambda: sender.send_message(QueueUrl=url, MessageBody="hi")) == (
        "AccessDenied",
        refusal(THERE, "sqs:SendMessage", QUEUE, no("resource-based", "sqs:SendMessage")),
        SQS_DENIED_STATUS,
    )

    to_other = {"AWS": OTHER}
    client("sqs").set_queue_attributes(
        QueueUrl=url, Attributes={"Policy": policy(allows("sqs:SendMessage", QUEUE, to_other))}
    )
    sender.send_message(QueueUrl=url, MessageBody="hi")
    sender.send_message_batch(QueueUrl=url, Entries=[{"Id": "1", "MessageBody": "hi"}])


def test_queue_tags_and_deletion(aws: MockSTS) -> None:
    sqs = client("sqs")
    url = sqs.create_queue(QueueName="jobs", tags={"team": "blue"})["QueueUrl"]
    blue = {"StringEquals": {"aws:ResourceTag/team": "blue"}}
    worker = client("sqs", limited_to(aws, statement("sqs:SendMessage", QUEUE, condition=blue)))
    worker.send_message(QueueUrl=url, MessageBody="hi")

    sqs.untag_queue(QueueUrl=url, TagKeys=["team"])
    assert aws_error(lambda: worker.send_message(QueueUrl=url, MessageBody="hi"))[0] == (
        "AccessDenied"
    )
    sqs.tag_queue(QueueUrl=url, Tags={"team": "blue"})
    worker.send_message(QueueUrl=url, MessageBody="hi")

    sqs.set_queue_attributes(
        QueueUrl=url, Attributes={"Policy": policy(allows("sqs:*", QUEUE, {"AWS": WORKER}))}
    )
    sqs.delete_queue(QueueUrl=url)
    assert aws.resource_policy(QUEUE) is None


# ---------------------------------------------------------------------------------------
# SNS topic policies


def test_topic_policies(aws: MockSTS) -> None:
    sns = client("sns")
    sns.create_topic(
        Name="news",
        Attributes={"Policy": policy(allows("sns:Publish", TOPIC, {"AWS": WORKER}))},
        Tags=[{"Key": "team", "Value": "blue"}],
    )
    worker = client("sns", limited_to(aws))
    worker.publish(TopicArn=TOPIC, Message="hello")

    sns.set_topic_attributes(
        TopicArn=TOPIC,
        AttributeName="Policy",
        AttributeValue=policy(
            {**statement("sns:Publish", principal="*", effect="Deny"), "Resource": TOPIC}
        ),
    )
    assert aws_error(lambda: worker.publish(TopicArn=TOPIC, Message="hello")) == (
        "AuthorizationError",
        refusal(HERE, "sns:Publish", TOPIC, EXPLICIT),
        403,
    )
    # Other attributes leave the policy as it is.
    sns.set_topic_attributes(TopicArn=TOPIC, AttributeName="DisplayName", AttributeValue="News")
    assert aws.resource_policy(TOPIC) is not None

    sns.delete_topic(TopicArn=TOPIC)
    assert aws.resource_policy(TOPIC) is None


def test_topics_of_another_account_and_their_tags(aws: MockSTS) -> None:
    sns = client("sns")
    sns.create_topic(Name="news")
    blue = {"StringEquals": {"aws:ResourceTag/team": "blue"}}
    other = limited_to(aws, statement("sns:Publish", TOPIC, condition=blue), account_id=OTHER)
    publisher = client("sns", other)
    to_other = allows("sns:Publish", TOPIC, {"AWS": f"arn:aws:iam::{OTHER}:root"})
    sns.set_topic_attributes(
        TopicArn=TOPIC, AttributeName="Policy", AttributeValue=policy(to_other)
    )
    assert aws_error(lambda: publisher.publish(TopicArn=TOPIC, Message="hi"))[1] == refusal(
        THERE, "sns:Publish", TOPIC, no("identity-based", "sns:Publish")
    )

    sns.tag_resource(ResourceArn=TOPIC, Tags=[{"Key": "team", "Value": "blue"}])
    publisher.publish(TopicArn=TOPIC, Message="hi")

    sns.untag_resource(ResourceArn=TOPIC, TagKeys=["team"])
    assert aws_error(lambda: publisher.publish(TopicArn=TOPIC, Message="hi"))[0] == (
        "AuthorizationError"
    )


# ---------------------------------------------------------------------------------------
# KMS key policies


def key_arn(key_id: str, account: str = ACCOUNT) -> str:
    return f"arn:aws:kms:{REGION}:{account}:key/{key_id}"


def test_the_default_key_policy_lets_identity_policies_decide(aws: MockSTS) -> None:
    key = client("kms").create_key(Tags=[{"TagKey": "team", "TagValue": "blue"}])
    arn = key["KeyMetadata"]["Arn"]
    assert aws.resource_policy(arn) == {
        "Version": "2012-10-17",
        "Id": "key-default-1",
        "Statement": [
            {
                "Sid": "Enable IAM User Permissions",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    }
    user = client("kms", limited_to(aws, grants("kms:Encrypt", arn), role="user"))
    assert user.encrypt(KeyId=arn, Plaintext=b"x")["KeyId"] == arn
    nobody = client("kms", limited_to(aws))
    assert aws_error(lambda: nobody.encrypt(KeyId=arn, Plaintext=b"x")) == (
        "AccessDeniedException",
        refusal(HERE, "kms:Encrypt", arn, no("identity-based", "kms:Encrypt")),
        400,
    )


def test_a_key_policy_that_omits_the_account_leaves_identity_policies_powerless(
    aws: MockSTS,
) -> None:
    keeper = limited_to(aws, role="keeper")
    own_policy = policy(allows("kms:*", "*", {"AWS": role_arn("keeper")}))
    arn = client("kms").create_key(Policy=own_policy)["KeyMetadata"]["Arn"]

    everything = client("kms", limited_to(aws, grants("kms:*")))
    assert aws_error(lambda: everything.encrypt(KeyId=arn, Plaintext=b"x")) == (
        "AccessDeniedException",
        refusal(HERE, "kms:Encrypt", arn, no("resource-based", "kms:Encrypt")),
        400,
    )
    # The role the key policy names needs nothing more.
    assert client("kms", keeper).encrypt(KeyId=arn, Plaintext=b"x")["KeyId"] == arn


def test_keys_of_another_account(aws: MockSTS) -> None:
    kms = client("kms")
    arn = kms.create_key()["KeyMetadata"]["Arn"]
    user = client("kms", limited_to(aws, grants("kms:Encrypt"), account_id=OTHER))
    assert aws_error(lambda: user.encrypt(KeyId=arn, Plaintext=b"x"))[1] == refusal(
        THERE, "kms:Encrypt", arn, no("resource-based", "kms:Encrypt")
    )

    shared = policy(
        allows("kms:*", "*", {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}),
        allows("kms:Encrypt", "*", {"AWS": f"arn:aws:iam::{OTHER}:root"}),
    )
    kms.put_key_policy(KeyId=arn.rsplit("/", 1)[1], PolicyName="default", Policy=shared)
    assert user.encrypt(KeyId=arn, Plaintext=b"x")["KeyId"] == arn


def test_aliases_name_their_keys(aws: MockSTS) -> None:
    kms = client("kms")
    arn = kms.create_key()["KeyMetadata"]["Arn"]
    other = kms.create_key()["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/app", TargetKeyId=arn)
    user = client("kms", limited_to(aws, grants("kms:Encrypt", arn)))
    assert user.encrypt(KeyId="alias/app", Plaintext=b"x")["KeyId"] == arn
    alias_arn = f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/app"
    assert user.encrypt(KeyId=alias_arn, Plaintext=b"x")["KeyId"] == arn

    kms.update_alias(AliasName="alias/app", TargetKeyId=other)
    assert aws_error(lambda: user.encrypt(KeyId="alias/app", Plaintext=b"x"))[1] == refusal(
        HERE, "kms:Encrypt", other, no("identity-based", "kms:Encrypt")
    )

    kms.delete_alias(AliasName="alias/app")
    kms.create_alias(AliasName="alias/old", TargetKeyId=other)
    kms.schedule_key_deletion(KeyId=other.rsplit("/", 1)[1], PendingWindowInDays=7)
    assert aws.resource_policy(other) is None
    # With the key forgotten, so is its alias: the mock can no longer tell the resource.
    user.encrypt(KeyId="alias/old", Plaintext=b"x")
    assert aws.calls[-1].checked is False


def test_key_tags_are_resource_tags(aws: MockSTS) -> None:
    kms = client("kms")
    arn = kms.create_key(Tags=[{"TagKey": "team", "TagValue": "red"}])["KeyMetadata"]["Arn"]
    blue = {"StringEquals": {"aws:ResourceTag/team": "blue"}}
    user = client("kms", limited_to(aws, statement("kms:Encrypt", "*", condition=blue)))
    assert aws_error(lambda: user.encrypt(KeyId=arn, Plaintext=b"x"))[0] == "AccessDeniedException"

    kms.tag_resource(KeyId=arn, Tags=[{"TagKey": "team", "TagValue": "blue"}])
    user.encrypt(KeyId=arn, Plaintext=b"x")

    kms.untag_resource(KeyId=arn.rsplit("/", 1)[1], TagKeys=["team"])
    assert aws_error(lambda: user.encrypt(KeyId=arn, Plaintext=b"x"))[0] == "AccessDeniedException"


def test_a_key_the_mock_never_saw_made_has_the_default_policy(aws: MockSTS) -> None:
    unknown = key_arn("1234abcd-12ab-34cd-56ef-1234567890ab", OTHER)
    user = client("kms", limited_to(aws, grants("kms:Encrypt")))
    assert aws_error(lambda: user.encrypt(KeyId=unknown, Plaintext=b"x"))[1] == refusal(
        HERE, "kms:Encrypt", unknown, no("resource-based", "kms:Encrypt")
    )
    assert aws.denials[-1].reason == (
        f"kms:Encrypt on {unknown}: the default key policy of {unknown}: no statement names "
        f"{session_arn('worker', 'job')}"
    )


# ---------------------------------------------------------------------------------------
# Secrets Manager resource policies


def test_secrets_are_named_by_their_name(aws: MockSTS) -> None:
    sm = client("secretsmanager")
    arn = sm.create_secret(
        Name="db", SecretString="s3cr3t", Tags=[{"Key": "team", "Value": "blue"}]
    )["ARN"]
    reader = client("secretsmanager", limited_to(aws, grants("secretsmanager:GetSecretValue", arn)))
    assert reader.get_secret_value(SecretId="db")["SecretString"] == "s3cr3t"
    assert aws.calls[-1].resources == (arn,)

    other = client(
        "secretsmanager", limited_to(aws, grants("secretsmanager:*", f"{arn}x"), role="other")
    )
    other_arn = session_arn("other", "job")
    assert aws_error(lambda: other.describe_secret(SecretId="db")) == (
        "AccessDeniedException",
        refusal(
            other_arn,
            "secretsmanager:DescribeSecret",
            arn,
            no("identity-based", "secretsmanager:DescribeSecret"),
        ),
        400,
    )


def test_secret_policies(aws: MockSTS) -> None:
    sm = client("secretsmanager")
    arn = sm.create_secret(Name="db", SecretString="s3cr3t")["ARN"]
    worker = client("secretsmanager", limited_to(aws))
    sm.put_resource_policy(
        SecretId="db",
        ResourcePolicy=policy(allows("secretsmanager:GetSecretValue", "*", {"AWS": WORKER})),
    )
    assert worker.get_secret_value(SecretId=arn)["SecretString"] == "s3cr3t"

    sm.put_resource_policy(
        SecretId=arn,
        ResourcePolicy=policy(
            {
                **statement("secretsmanager:*", principal={"AWS": WORKER}, effect="Deny"),
                "Resource": "*",
            }
        ),
    )
    action = "secretsmanager:GetSecretValue"
    assert aws_error(lambda: worker.get_secret_value(SecretId=arn))[1] == refusal(
        HERE, action, arn, EXPLICIT
    )

    sm.delete_resource_policy(SecretId="db")
    assert aws.resource_policy(arn) is None
    assert aws_error(lambda: worker.get_secret_value(SecretId=arn))[1] == refusal(
        HERE, action, arn, no("identity-based", action)
    )


def test_secrets_of_another_account_tags_and_deletion(aws: MockSTS) -> None:
    sm = client("secretsmanager")
    arn = sm.create_secret(Name="db", SecretString="s3cr3t")["ARN"]
    blue = {"StringEquals": {"aws:ResourceTag/team": "blue"}}
    action = "secretsmanager:GetSecretValue"
    reader = client(
        "secretsmanager", limited_to(aws, statement(action, "*", condition=blue), account_id=OTHER)
    )
    assert aws_error(lambda: reader.get_secret_value(SecretId=arn))[1] == refusal(
        THERE, action, arn, no("resource-based", action)
    )
    to_other = {"AWS": f"arn:aws:iam::{OTHER}:root"}
    sm.put_resource_policy(SecretId=arn, ResourcePolicy=policy(allows(action, "*", to_other)))
    assert aws_error(lambda: reader.get_secret_value(SecretId=arn))[1] == refusal(
        THERE, action, arn, no("identity-based", action)
    )

    sm.tag_resource(SecretId="db", Tags=[{"Key": "team", "Value": "blue"}])
    assert reader.get_secret_value(SecretId=arn)["SecretString"] == "s3cr3t"
    sm.untag_resource(SecretId=arn, TagKeys=["team"])
    assert aws_error(lambda: reader.get_secret_value(SecretId=arn))[0] == "AccessDeniedException"

    sm.delete_secret(SecretId="db", ForceDeleteWithoutRecovery=True)
    assert aws.resource_policy(arn) is None


# ---------------------------------------------------------------------------------------
# Lambda function policies


@pytest.fixture
def function(aws: MockSTS) -> str:
    """A function moto serves (moto checks its role in moto's own IAM, which the mock
    stands in front of: the role is made there directly)."""
    trust = json.dumps(
        document(statement("sts:AssumeRole", principal={"Service": "lambda.amazonaws.com"}))
    )
    iam_backends[ACCOUNT]["aws"].create_role("runner", trust, "/", None, "", [], None)
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("handler.py", "def handle(event, context):\n    return event\n")
    made = client("lambda").create_function(
        FunctionName="resize",
        Runtime="python3.12",
        Role=role_arn("runner"),
        Handler="handler.handle",
        Code={"ZipFile": code.getvalue()},
        Tags={"team": "blue"},
    )
    arn: str = made["FunctionArn"]
    return arn


def test_add_permission_builds_the_function_policy(aws: MockSTS, function: str) -> None:
    lam = client("lambda")
    lam.add_permission(
        FunctionName="resize",
        StatementId="from-bucket",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceArn=BUCKET,
        SourceAccount=ACCOUNT,
    )
    lam.add_permission(
        FunctionName=function, StatementId="partner", Action="lambda:GetFunction", Principal=OTHER
    )
    assert aws.resource_policy(function) == {
        "Version": "2012-10-17",
        "Id": "default",
        "Statement": [
            {
                "Sid": "from-bucket",
                "Effect": "Allow",
                "Principal": {"Service": "s3.amazonaws.com"},
                "Action": "lambda:InvokeFunction",
                "Resource": function,
                "Condition": {
                    "StringEquals": {"AWS:SourceAccount": ACCOUNT},
                    "ArnLike": {"AWS:SourceArn": BUCKET},
                },
            },
            {
                "Sid": "partner",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"},
                "Action": "lambda:GetFunction",
                "Resource": function,
            },
        ],
    }

    lam.remove_permission(FunctionName="resize", StatementId="from-bucket")
    lam.remove_permission(FunctionName="resize", StatementId="partner")
    assert aws.resource_policy(function) is None


def test_function_policies_grant_in_the_account_and_across(aws: MockSTS, function: str) -> None:
    lam = client("lambda")
    worker = client("lambda", limited_to(aws))
    partner = client("lambda", limited_to(aws, grants("lambda:GetFunction"), account_id=OTHER))
    assert aws_error(lambda: partner.get_function(FunctionName=function)) == (
        "AccessDeniedException",
        refusal(THERE, "lambda:GetFunction", function, no("resource-based", "lambda:GetFunction")),
        403,
    )

    lam.add_permission(
        FunctionName="resize", StatementId="worker", Action="lambda:GetFunction", Principal=WORKER
    )
    lam.add_permission(
        FunctionName=function,
        StatementId="partner",
        Action="lambda:GetFunction",
        Principal=OTHER,
    )
    assert worker.get_function(FunctionName="resize")["Configuration"]["FunctionArn"] == function
    assert partner.get_function(FunctionName=function)["Configuration"]["FunctionArn"] == function

    lam.remove_permission(FunctionName="resize", StatementId="partner")
    assert aws_error(lambda: partner.get_function(FunctionName=function))[0] == (
        "AccessDeniedException"
    )


def test_function_tags_qualifiers_and_deletion(aws: MockSTS, function: str) -> None:
    lam = client("lambda")
    blue = {"StringEquals": {"aws:ResourceTag/team": "blue"}}
    reader = client("lambda", limited_to(aws, statement("lambda:GetFunction", "*", condition=blue)))
    reader.get_function(FunctionName="resize")
    lam.untag_resource(Resource=function, TagKeys=["team"])
    assert aws_error(lambda: reader.get_function(FunctionName="resize"))[0] == (
        "AccessDeniedException"
    )
    lam.tag_resource(Resource=function, Tags={"team": "blue"})
    reader.get_function(FunctionName="resize")

    version = lam.publish_version(FunctionName="resize")["Version"]
    lam.add_permission(
        FunctionName=f"resize:{version}",
        StatementId="any",
        Action="lambda:InvokeFunction",
        Principal="*",
    )
    assert aws.resource_policy(f"{function}:{version}") is not None
    lam.delete_function(FunctionName="resize", Qualifier=version)
    assert aws.resource_policy(f"{function}:{version}") is None


# ---------------------------------------------------------------------------------------
# The handle


def test_the_handle_sets_a_bucket_policy_and_its_owner(aws: MockSTS) -> None:
    statement_ = allows("s3:GetObject", f"{BUCKET}/*", {"AWS": WORKER})
    aws.put_resource_policy(BUCKET, document(statement_))
    assert aws.resource_policy(BUCKET) == document(statement_)
    assert client("s3", limited_to(aws)).get_object(Bucket="reports", Key="q1.csv")

    # Owned by another account, the same policy names a role of a stranger.
    aws.put_resource_policy(BUCKET, json.dumps(document(statement_)), account_id=OTHER)
    worker = client("s3", limited_to(aws, role="worker2"))
    worker_arn = session_arn("worker2", "job")
    assert aws_error(lambda: worker.get_object(Bucket="reports", Key="q1.csv"))[1] == refusal(
        worker_arn, "s3:GetObject", OBJECT, no("resource-based", "s3:GetObject")
    )


@pytest.mark.parametrize(
    ("document_", "message"),
    [
        ("{", "This policy contains invalid Json"),
        (
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
            },
            "Missing required field Principal",
        ),
        (
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "NotPrincipal": "*",
                        "Action": "s3:*",
                        "Resource": "*",
                    }
                ],
            },
            "Syntax errors in policy.",
        ),
        (
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*"}],
            },
            "Policy statement must contain resources.",
        ),
    ],
)
def test_the_handle_refuses_malformed_policies(
    aws: MockSTS, document_: Mapping[str, Any] | str, message: str
) -> None:
    with pytest.raises(
        ValueError, match=f"^malformed resource-based policy for {BUCKET}: "
    ) as raised:
        aws.put_resource_policy(BUCKET, document_)
    assert str(raised.value).endswith(message)
    assert aws.resource_policy(BUCKET) is None


def test_the_handle_refuses_what_holds_no_policy(aws: MockSTS) -> None:
    any_statement = document(allows("s3:*", "*", "*"))
    with pytest.raises(ValueError, match="names no resource that holds a resource-based policy"):
        aws.put_resource_policy(OBJECT, any_statement)
    with pytest.raises(ValueError, match="names no resource that holds a resource-based policy"):
        aws.put_resource_policy(f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/jobs", any_statement)
    with pytest.raises(ValueError, match=f"account_id '{OTHER}' does not own"):
        aws.put_resource_policy(QUEUE, any_statement, account_id=OTHER)
    with pytest.raises(ValueError, match="names no resource"):
        aws.put_resource_policy("not an arn", any_statement)
    assert aws.resource_policy("not an arn") is None
    assert aws.resource_policy("arn:aws-cn:s3:::reports") is None


def test_learned_policies_are_kept_only_when_valid(aws: MockSTS) -> None:
    # moto takes a queue policy AWS would refuse; the mock, unable to read it, keeps none.
    url = client("sqs").create_queue(QueueName="jobs", Attributes={"Policy": "{}"})["QueueUrl"]
    assert aws.resource_policy(QUEUE) is None
    assert url.endswith("/jobs")


def test_lambda_statements_carry_each_condition_add_permission_takes(
    aws: MockSTS, function: str
) -> None:
    one = allows("lambda:GetFunction", function, {"AWS": WORKER})
    aws.put_resource_policy(function, {"Version": "2012-10-17", "Statement": one})
    client("lambda").add_permission(
        FunctionName="resize",
        StatementId="url",
        Action="lambda:InvokeFunctionUrl",
        Principal="*",
        PrincipalOrgID="o-a1b2c3d4e5",
        EventSourceToken="token",
        FunctionUrlAuthType="NONE",
    )
    assert aws.resource_policy(function) == {
        "Version": "2012-10-17",
        "Statement": [
            one,
            {
                "Sid": "url",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "lambda:InvokeFunctionUrl",
                "Resource": function,
                "Condition": {
                    "StringEquals": {
                        "aws:PrincipalOrgID": "o-a1b2c3d4e5",
                        "lambda:EventSourceToken": "token",
                        "lambda:FunctionUrlAuthType": "NONE",
                    }
                },
            },
        ],
    }


# ---------------------------------------------------------------------------------------
# What the mock cannot tell


def test_queue_urls_of_every_form(aws: MockSTS) -> None:
    worker = client("sqs", limited_to(aws))
    legacy = f"https://us-west-2.queue.amazonaws.com/{ACCOUNT}/jobs"
    queue = f"arn:aws:sqs:us-west-2:{ACCOUNT}:jobs"
    assert aws_error(lambda: worker.send_message(QueueUrl=legacy, MessageBody="hi"))[1] == (
        refusal(HERE, "sqs:SendMessage", queue, no("identity-based", "sqs:SendMessage"))
    )
    # A URL that names no queue leaves the resource untold: the request is not checked.
    aws_error(lambda: worker.send_message(QueueUrl="https://example.com/jobs", MessageBody="x"))
    assert aws.calls[-1].checked is False


def test_an_alias_of_another_account_is_not_told(aws: MockSTS) -> None:
    user = client("kms", limited_to(aws, grants("kms:Encrypt")))
    alias = f"arn:aws:kms:{REGION}:{OTHER}:alias/app"
    aws_error(lambda: user.encrypt(KeyId=alias, Plaintext=b"x"))
    assert aws.calls[-1].checked is False


def test_untagging_what_has_no_tags(aws: MockSTS) -> None:
    sns = client("sns")
    sns.create_topic(Name="news")
    sns.untag_resource(ResourceArn=TOPIC, TagKeys=["team"])
    assert aws.calls[-1].status == 200


class _Body:
    """A raw HTTP body botocore reads an answer from."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **options: Any) -> Iterator[bytes]:
        yield self._data


def test_an_answer_without_what_aws_answers_teaches_nothing(aws: MockSTS) -> None:
    sns = client("sns")
    empty = (
        b'<CreateTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">'
        b"<CreateTopicResult/><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>"
        b"</CreateTopicResponse>"
    )

    def stand_in(request: AWSPreparedRequest, **options: Any) -> AWSResponse:
        return AWSResponse(request.url, 200, {}, _Body(empty))

    sns.meta.events.register_first("before-send.sns.CreateTopic", stand_in)
    to_worker = policy(allows("sns:Publish", TOPIC, {"AWS": WORKER}))

    assert "TopicArn" not in sns.create_topic(Name="news", Attributes={"Policy": to_worker})
    assert aws.calls[-1].status == 200
    assert aws.resource_policy(TOPIC) is None
