"""IAM temporary delegation and GetDelegatedAccessToken, through real boto3 clients.

The delegation-request lifecycle (botocore IAM model) and the trade-in exchange
(STS_REFERENCE §4.8). A test plays the partner with ``MockSTS.sent_delegation_tokens``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import time_machine

from tests.helpers import aws_error, caller_identity, client, sts_client
from tests.helpers.assume_role import ACCOUNT, allow, assume, create_role, credentials_of, trust

if TYPE_CHECKING:
    from mock_sts import Credentials, MockSTS

PARTNER = "999999999999"
OTHER = "222222222222"
ADMIN = f"arn:aws:iam::{ACCOUNT}:user/admin"
READ_USERS = allow(["iam:ListUsers", "iam:GetUser"])


def file_request(sts_mock: MockSTS, **params: Any) -> str:
    """A delegation request the partner files for ACCOUNT; its id."""
    partner = client("iam", sts_mock.admin_credentials(PARTNER))
    template = partner.create_policy(
        PolicyName=f"template-{len(sts_mock.calls)}", PolicyDocument=json.dumps(READ_USERS)
    )["Policy"]["Arn"]
    response = partner.create_delegation_request(
        Description="Read your users",
        Permissions={"PolicyTemplateArn": template},
        RequestorWorkflowId="workflow-1",
        NotificationChannel="arn:aws:sns:us-east-1:999999999999:delegations",
        SessionDuration=900,
        **params,
    )
    request_id: str = response["DelegationRequestId"]
    assert response["ConsoleDeepLink"].endswith(request_id)
    return request_id


def request_of(credentials: Credentials, request_id: str) -> dict[str, Any]:
    result: dict[str, Any] = client("iam", credentials).get_delegation_request(
        DelegationRequestId=request_id
    )["DelegationRequest"]
    return result


def grant(sts_mock: MockSTS, credentials: Credentials | None = None, **params: Any) -> str:
    """A request associated, accepted and sent by ``credentials``; the partner's token."""
    credentials = credentials or sts_mock.admin_credentials()
    request_id = file_request(sts_mock, **params)
    owner = client("iam", credentials)
    owner.associate_delegation_request(DelegationRequestId=request_id)
    owner.accept_delegation_request(DelegationRequestId=request_id)
    owner.send_delegation_token(DelegationRequestId=request_id)
    (token,) = sts_mock.sent_delegation_tokens(request_id)
    return token


def trade_in_expired() -> tuple[str, str, int]:
    return ("ExpiredTradeInTokenException", "The trade-in token is expired or invalid.", 400)


def test_the_partner_gets_the_acceptors_permissions_narrowed(sts_mock: MockSTS) -> None:
    token = grant(sts_mock)
    partner = sts_client(sts_mock.admin_credentials(PARTNER))
    response = partner.get_delegated_access_token(TradeInToken=token)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert response["AssumedPrincipal"] == ADMIN
    assert 0 < response["PackedPolicySize"] <= 100
    credentials = credentials_of(response)
    assert caller_identity(sts_client(credentials))["Arn"] == ADMIN
    delegated = client("iam", credentials)
    assert [user["UserName"] for user in delegated.list_users()["Users"]] == ["admin"]
    code, message, status = aws_error(lambda: delegated.create_user(UserName="eve"))
    assert (code, status) == ("AccessDenied", 403)
    assert message.startswith(f"User: {ADMIN} is not authorized to perform: iam:CreateUser")
    # A token is traded in once.
    assert sts_mock.sent_delegation_tokens() == []
    assert (
        aws_error(lambda: partner.get_delegated_access_token(TradeInToken=token))
        == trade_in_expired()
    )


def test_a_role_session_acceptor_lends_its_session(sts_mock: MockSTS) -> None:
    create_role(
        sts_mock,
        "approver",
        trust(f"arn:aws:iam::{ACCOUNT}:root"),
        policies={"all": allow(["iam:*"])},
    )
    session_arn = f"arn:aws:sts::{ACCOUNT}:assumed-role/approver/alice"
    approver = credentials_of(
        assume(sts_mock.admin_credentials(), f"arn:aws:iam::{ACCOUNT}:role/approver", "alice")
    )
    token = grant(sts_mock, approver)
    response = sts_client(sts_mock.admin_credentials(PARTNER)).get_delegated_access_token(
        TradeInToken=token
    )
    assert response["AssumedPrincipal"] == session_arn
    assert caller_identity(sts_client(credentials_of(response)))["Arn"] == session_arn


def test_tokens_expire_and_belong_to_the_partner(sts_mock: MockSTS) -> None:
    start = dt.datetime.now(dt.timezone.utc)
    with time_machine.travel(start, tick=False) as clock:
        token = grant(sts_mock)
        other = sts_client(sts_mock.admin_credentials(OTHER))
        assert aws_error(lambda: other.get_delegated_access_token(TradeInToken=token)) == (
            trade_in_expired()
        )
        clock.shift(dt.timedelta(minutes=10))
        partner = sts_client(sts_mock.admin_credentials(PARTNER))
        assert aws_error(lambda: partner.get_delegated_access_token(TradeInToken=token)) == (
            trade_in_expired()
        )
        assert aws_error(lambda: partner.get_delegated_access_token(TradeInToken="nope")) == (
            trade_in_expired()
        )


def test_packed_policy_too_large(sts_mock: MockSTS) -> None:
    token = grant(sts_mock)
    sts_mock.packed_policy_size = lambda policy, arns, tags: 150
    partner = sts_client(sts_mock.admin_credentials(PARTNER))
    assert aws_error(lambda: partner.get_delegated_access_token(TradeInToken=token)) == (
        "PackedPolicyTooLarge",
        "Packed policy consumes 150% of allotted space",
        400,
    )


def test_a_deactivated_region_refuses_the_exchange(sts_mock: MockSTS) -> None:
    token = grant(sts_mock)
    sts_mock.deactivate_region("eu-west-1", PARTNER)
    partner = sts_client(sts_mock.admin_credentials(PARTNER), region="eu-west-1")
    assert aws_error(lambda: partner.get_delegated_access_token(TradeInToken=token)) == (
        "RegionDisabledException",
        f"STS is not activated in this region for account:{PARTNER}. Your account "
        "administrator can activate STS in this region using the IAM Console.",
        403,
    )


# ---------------------------------------------------------------------------------------
# The request lifecycle


def request_not_found(request_id: str) -> tuple[str, str, int]:
    return ("NoSuchEntity", f"The delegation request with ID {request_id} cannot be found.", 404)


def wrong_state(request_id: str, state: str, needed: str, code: str = "InvalidInput") -> Any:
    status = 409 if code == "ConcurrentModification" else 400
    return (
        code,
        f"The delegation request {request_id} is {state}; this operation needs it {needed}.",
        status,
    )


def test_lifecycle_states_and_what_get_shows(sts_mock: MockSTS) -> None:
    admin = sts_mock.admin_credentials()
    owner = client("iam", admin)
    request_id = file_request(sts_mock, RequestMessage="hello", OnlySendByOwner=False)
    filed = request_of(admin, request_id)
    assert filed["State"] == "UNASSIGNED"
    assert filed["RequestorId"] == PARTNER
    assert filed["PermissionPolicy"] == json.dumps(READ_USERS)
    assert filed["ExpirationTime"] - filed["CreateDate"] == dt.timedelta(days=7)
    assert "OwnerId" not in filed
    assert owner.list_delegation_requests()["DelegationRequests"] == []
    owner.associate_delegation_request(DelegationRequestId=request_id)
    assigned = request_of(admin, request_id)
    assert (assigned["State"], assigned["OwnerId"], assigned["OwnerAccountId"]) == (
        "ASSIGNED",
        ADMIN,
        ACCOUNT,
    )
    assert aws_error(
        lambda: owner.associate_delegation_request(DelegationRequestId=request_id)
    ) == (wrong_state(request_id, "ASSIGNED", "UNASSIGNED"))
    assert aws_error(lambda: owner.send_delegation_token(DelegationRequestId=request_id)) == (
        wrong_state(request_id, "ASSIGNED", "ACCEPTED")
    )
    owner.update_delegation_request(DelegationRequestId=request_id, Notes="looking")
    pending = request_of(admin, request_id)
    assert (pending["State"], pending["Notes"]) == ("PENDING_APPROVAL", "looking")
    listed = owner.list_delegation_requests(OwnerId=ADMIN)
    assert [r["DelegationRequestId"] for r in listed["DelegationRequests"]] == [request_id]
    assert listed["isTruncated"] is False
    assert owner.list_delegation_requests(OwnerId=f"{ADMIN}x")["DelegationRequests"] == []
    owner.accept_delegation_request(DelegationRequestId=request_id)
    assert request_of(admin, request_id)["ApproverId"] == ADMIN
    assert aws_error(lambda: owner.update_delegation_request(DelegationRequestId=request_id)) == (
        wrong_state(request_id, "ACCEPTED", "ASSIGNED or PENDING_APPROVAL")
    )
    owner.reject_delegation_request(DelegationRequestId=request_id, Notes="changed my mind")
    rejected = request_of(admin, request_id)
    assert (rejected["State"], rejected["RejectionReason"]) == ("REJECTED", "changed my mind")
    assert aws_error(lambda: owner.accept_delegation_request(DelegationRequestId=request_id)) == (
        wrong_state(
            request_id, "REJECTED", "ASSIGNED or PENDING_APPROVAL", "ConcurrentModification"
        )
    )
    assert aws_error(lambda: owner.reject_delegation_request(DelegationRequestId=request_id)) == (
        wrong_state(request_id, "REJECTED", "ASSIGNED or PENDING_APPROVAL or ACCEPTED")
    )
    assert sts_mock.sent_delegation_tokens() == []


def test_sent_requests_are_finalized(sts_mock: MockSTS) -> None:
    grant(sts_mock)
    (request,) = client("iam", sts_mock.admin_credentials()).list_delegation_requests()[
        "DelegationRequests"
    ]
    assert request["State"] == "FINALIZED"
    assert "UpdatedTime" in request


def test_who_may_see_and_associate_a_request(sts_mock: MockSTS) -> None:
    request_id = file_request(sts_mock, OwnerAccountId=ACCOUNT)
    other = client("iam", sts_mock.admin_credentials(OTHER))
    assert aws_error(lambda: other.get_delegation_request(DelegationRequestId=request_id)) == (
        request_not_found(request_id)
    )
    assert aws_error(lambda: other.accept_delegation_request(DelegationRequestId=request_id)) == (
        request_not_found(request_id)
    )
    partner = client("iam", sts_mock.admin_credentials(PARTNER))
    assert request_of(sts_mock.admin_credentials(PARTNER), request_id)["State"] == "UNASSIGNED"
    assert aws_error(
        lambda: partner.associate_delegation_request(DelegationRequestId=request_id)
    ) == request_not_found(request_id)
    unknown = "dr-0123456789abcdef"
    assert aws_error(lambda: other.get_delegation_request(DelegationRequestId=unknown)) == (
        request_not_found(unknown)
    )


def test_only_the_owner_sends_when_the_partner_asks_so(sts_mock: MockSTS) -> None:
    request_id = file_request(sts_mock, OnlySendByOwner=True)
    owner = client("iam", sts_mock.admin_credentials())
    owner.associate_delegation_request(DelegationRequestId=request_id)
    bob = sts_mock.create_user("bob", policies={"iam": allow("iam:*")})
    client("iam", bob.credentials).accept_delegation_request(DelegationRequestId=request_id)
    assert aws_error(
        lambda: client("iam", bob.credentials).send_delegation_token(DelegationRequestId=request_id)
    ) == (
        "InvalidInput",
        f"Only the owner of delegation request {request_id}, {ADMIN}, may send its token.",
        400,
    )
    owner.send_delegation_token(DelegationRequestId=request_id)
    (token,) = sts_mock.sent_delegation_tokens()
    response = sts_client(sts_mock.admin_credentials(PARTNER)).get_delegated_access_token(
        TradeInToken=token
    )
    assert response["AssumedPrincipal"] == f"arn:aws:iam::{ACCOUNT}:user/bob"


def test_requests_expire_after_seven_days(sts_mock: MockSTS) -> None:
    start = dt.datetime.now(dt.timezone.utc)
    with time_machine.travel(start, tick=False) as clock:
        request_id = file_request(sts_mock)
        clock.shift(dt.timedelta(days=7))
        owner = client("iam", sts_mock.admin_credentials())
        assert request_of(sts_mock.admin_credentials(), request_id)["State"] == "EXPIRED"
        assert aws_error(
            lambda: owner.associate_delegation_request(DelegationRequestId=request_id)
        ) == wrong_state(request_id, "EXPIRED", "UNASSIGNED")


def test_an_unknown_template_is_refused(sts_mock: MockSTS) -> None:
    partner = client("iam", sts_mock.admin_credentials(PARTNER))
    template = f"arn:aws:iam::{PARTNER}:policy/missing"
    assert aws_error(
        lambda: partner.create_delegation_request(
            Description="d",
            Permissions={"PolicyTemplateArn": template},
            RequestorWorkflowId="workflow",
            NotificationChannel="arn:aws:sns:us-east-1:999999999999:d",
            SessionDuration=900,
        )
    ) == ("InvalidInput", f"PolicyTemplateArn {template!r} names no policy template.", 400)


def test_sent_tokens_are_listed_oldest_first(sts_mock: MockSTS) -> None:
    first = grant(sts_mock)
    second = grant(sts_mock)
    assert sts_mock.sent_delegation_tokens() == [first, second]
    assert first != second
