"""Attacker-shaped SAML responses: every one is refused with AWS's error (STS_REFERENCE §8.2),
and none makes the mock read a file, open a socket, or fail with anything but an AWS error.

The victim is role Dev, which trusts IAM SAML provider Corp (an IdP the test runs, with its
own key); the attacker holds a response that IdP really signed, for user jdoe.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import functools
import socket
from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from mock_sts import mock_sts
from tests.helpers import aws_error
from tests.helpers.assume_role import iam_client
from tests.helpers.saml import (
    ATTRIBUTE,
    BAD_SIGNATURE,
    DS,
    ENTITY_ID,
    EXPIRED,
    MALFORMED,
    NOT_AUTHORIZED,
    NOT_YET_VALID,
    PROVIDER_ARN,
    ROLE_ARN,
    SAML,
    SAMLP,
    SIGN_IN,
    T0,
    UNKNOWN_PROVIDER,
    WRONG_AUDIENCE,
    WRONG_ISSUER,
    WRONG_RECIPIENT,
    assertion,
    assume_with_saml,
    create_saml_role,
    encode,
    key_pair,
    metadata,
    register_user_idp,
    response,
    saml_trust,
    sign,
)

if TYPE_CHECKING:
    from mock_sts import MockSTS

BAD_CONFIRMATION = (
    "InvalidIdentityToken",
    "Response must contain exactly one SubjectConfirmation whose SubjectConfirmationData has "
    "NotOnOrAfter and Recipient",
    400,
)
AWS_ERRORS = {
    "InvalidIdentityToken",
    "AccessDenied",
    "ExpiredTokenException",
    "ValidationError",
}


@pytest.fixture(autouse=True)
def victim(sts_mock: MockSTS, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Corp and Dev set up; any socket connection attempt is recorded and refused."""
    register_user_idp(sts_mock)
    create_saml_role(sts_mock, trust=saml_trust(condition={"StringEquals": {"saml:sub": "jdoe"}}))
    attempts: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise OSError("no network in SAML tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def find(element: Any, path: str) -> Any:
    return element.find(path, namespaces={"saml": SAML, "samlp": SAMLP, "ds": DS})


def evil_assertion(**claims: Any) -> Any:
    claims.setdefault("subject", "admin")
    claims.setdefault("session_name", "admin")
    claims.setdefault("assertion_id", "_evil")
    return assertion(**claims)


def signed_assertion() -> Any:
    return sign(assertion())


# ---------------------------------------------------------------------------------------
# Signatures


def test_a_genuine_response_passes() -> None:
    assert assume_with_saml(encode(response(signed_assertion())))["Subject"] == "jdoe"


def test_an_unsigned_response() -> None:
    assert aws_error(lambda: assume_with_saml(encode(response(evil_assertion())))) == BAD_SIGNATURE


def test_a_removed_signature() -> None:
    element = signed_assertion()
    signature = find(element, "ds:Signature")
    element.remove(signature)
    assert aws_error(lambda: assume_with_saml(encode(response(element)))) == BAD_SIGNATURE


def test_another_idps_certificate() -> None:
    """Signed by a key that is not in the provider's metadata (its certificate is in the
    signature's KeyInfo, which must not be trusted)."""
    forged = sign(evil_assertion(), "other")
    assert aws_error(lambda: assume_with_saml(encode(response(forged)))) == BAD_SIGNATURE


def test_another_idps_issuer() -> None:
    forged = sign(evil_assertion(entity_id="https://evil.test/saml"), "other")
    assert (
        aws_error(lambda: assume_with_saml(encode(response(forged, entity_id=None))))
        == WRONG_ISSUER
    )


def test_a_response_issuer_that_is_not_the_provider() -> None:
    tampered = response(signed_assertion(), entity_id="https://evil.test/saml")
    assert aws_error(lambda: assume_with_saml(encode(tampered))) == WRONG_ISSUER


def test_an_hmac_signature() -> None:
    """A shared-secret signature: anyone could make one, it proves nothing."""
    from signxml.signer import XMLSigner

    element = evil_assertion()
    element.insert(1, etree.Element(f"{{{DS}}}Signature", nsmap={"ds": DS}, Id="placeholder"))
    signed = XMLSigner(
        signature_algorithm="hmac-sha256",
        c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#",
    ).sign(element, key=b"secret", reference_uri="#_evil")
    assert aws_error(lambda: assume_with_saml(encode(response(signed)))) == BAD_SIGNATURE


@pytest.mark.parametrize(
    ("path", "attribute", "value"),
    [
        ("saml:Subject/saml:NameID", None, "admin"),
        ("saml:AttributeStatement/saml:Attribute[2]/saml:AttributeValue", None, "admin"),
        (
            "saml:AttributeStatement/saml:Attribute[1]/saml:AttributeValue",
            None,
            f"arn:aws:iam::123456789012:role/Admin,{PROVIDER_ARN}",
        ),
        ("saml:Conditions", "NotOnOrAfter", "2099-01-01T00:00:00Z"),
        (
            "saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData",
            "Recipient",
            "https://signin.aws.amazon.com/static/saml",
        ),
        (".", "IssueInstant", "2099-01-01T00:00:00Z"),
    ],
    ids=["name-id", "session-name", "role", "conditions", "recipient", "issue-instant"],
)
def test_tampered_claims(path: str, attribute: str | None, value: str) -> None:
    element = signed_assertion()
    target = find(element, path)
    if attribute is None:
        target.text = value
    else:
        target.set(attribute, value)
    assert aws_error(lambda: assume_with_saml(encode(response(element)))) == BAD_SIGNATURE


def test_an_added_attribute() -> None:
    element = signed_assertion()
    statement = find(element, "saml:AttributeStatement")
    tag = etree.SubElement(statement, f"{{{SAML}}}Attribute", Name=ATTRIBUTE + "PrincipalTag:x")
    etree.SubElement(tag, f"{{{SAML}}}AttributeValue").text = "admin"
    assert aws_error(lambda: assume_with_saml(encode(response(element)))) == BAD_SIGNATURE


def test_a_tampered_response_that_was_signed_whole() -> None:
    signed = sign(response(assertion()))
    find(signed, "saml:Assertion/saml:Subject/saml:NameID").text = "admin"
    assert aws_error(lambda: assume_with_saml(encode(signed))) == BAD_SIGNATURE


def test_a_response_signed_whole_by_reference_to_the_document() -> None:
    """URI="" signs the whole document, which is the response: that is fine."""
    from signxml.signer import XMLSigner

    key, certificate = key_pair("user")
    root = response(assertion())
    root.insert(1, etree.Element(f"{{{DS}}}Signature", nsmap={"ds": DS}, Id="placeholder"))
    signed = XMLSigner(c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#").sign(
        root, key=key, cert=[certificate]
    )
    assert assume_with_saml(encode(signed))["Subject"] == "jdoe"


# ---------------------------------------------------------------------------------------
# XML signature wrapping


def test_a_second_unsigned_assertion_after_the_signed_one() -> None:
    document = response(signed_assertion())
    document.append(evil_assertion())
    assert aws_error(lambda: assume_with_saml(encode(document))) == BAD_SIGNATURE


def test_a_second_unsigned_assertion_before_the_signed_one() -> None:
    document = response(signed_assertion())
    find(document, "samlp:Status").addnext(evil_assertion())
    assert aws_error(lambda: assume_with_saml(encode(document))) == BAD_SIGNATURE


def test_the_signed_assertion_hidden_in_extensions() -> None:
    """XSW: the evil assertion takes the signed one's place (and ID); the signed one hides
    in samlp:Extensions, where its digest still matches."""
    document = response(evil_assertion(assertion_id="_assertion-1"))
    extensions = etree.Element(f"{{{SAMLP}}}Extensions")
    extensions.append(signed_assertion())
    find(document, "saml:Issuer").addnext(extensions)
    assert aws_error(lambda: assume_with_saml(encode(document))) == BAD_SIGNATURE


def test_the_signed_assertion_wrapped_in_the_evil_one() -> None:
    """XSW: the evil assertion carries the genuine signature, and the genuine assertion
    inside (as Advice), so the signature's reference resolves to genuine content."""
    genuine = signed_assertion()
    evil = evil_assertion(assertion_id="_evil")
    evil.insert(1, copy.deepcopy(find(genuine, "ds:Signature")))
    advice = etree.SubElement(evil, f"{{{SAML}}}Advice")
    genuine.remove(find(genuine, "ds:Signature"))
    advice.append(genuine)
    assert aws_error(lambda: assume_with_saml(encode(response(evil)))) == BAD_SIGNATURE


def test_a_moved_signature_that_references_another_element() -> None:
    """The response's valid signature, moved into the assertion: its reference names the
    response, not the assertion it now sits in."""
    signed = sign(response(assertion()))
    signature = find(signed, "ds:Signature")
    signed.remove(signature)
    find(signed, "saml:Assertion").insert(1, signature)
    assert aws_error(lambda: assume_with_saml(encode(signed))) == BAD_SIGNATURE


def test_an_assertion_signature_over_the_whole_document() -> None:
    """An assertion signature whose reference is "" (the whole document) does not sign the
    assertion it sits in."""
    from signxml.signer import XMLSigner

    key, certificate = key_pair("user")
    root = response(assertion())
    inner = find(root, "saml:Assertion")
    inner.insert(1, etree.Element(f"{{{DS}}}Signature", nsmap={"ds": DS}, Id="placeholder"))
    signed = XMLSigner(c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#").sign(
        root, key=key, cert=[certificate]
    )
    assert aws_error(lambda: assume_with_saml(encode(signed))) == BAD_SIGNATURE


def test_a_duplicate_id_elsewhere() -> None:
    document = response(signed_assertion())
    find(document, "saml:Issuer").addnext(
        etree.Element(f"{{{SAMLP}}}Extensions", ID="_assertion-1")
    )
    assert aws_error(lambda: assume_with_saml(encode(document))) == BAD_SIGNATURE


def test_a_comment_inside_the_name_id(sts_mock: MockSTS) -> None:
    """The IdP signed jdoe@example.test.evil.test; a comment splits the text after signing
    (exclusive c14n ignores comments, so the signature still verifies). The subject is the
    whole text, never the part before the comment."""
    element = sign(assertion(subject="jdoe@example.test.evil.test"))
    name_id = find(element, "saml:Subject/saml:NameID")
    name_id.text = "jdoe@example.test"
    comment = etree.Comment("")
    comment.tail = ".evil.test"
    name_id.append(comment)
    # Dev's trust wants saml:sub jdoe, so the split response is refused there...
    assert aws_error(lambda: assume_with_saml(encode(response(element)))) == NOT_AUTHORIZED
    # ...and a role that trusts anyone sees the whole subject.
    open_role = "arn:aws:iam::123456789012:role/Open"
    create_saml_role(sts_mock, "Open", saml_trust())
    with_open = sign(
        assertion(
            subject="jdoe@example.test.evil.test",
            role_arn=open_role,
        )
    )
    split = find(with_open, "saml:Subject/saml:NameID")
    split.text = "jdoe@example.test"
    split.append(copy.deepcopy(comment))
    assert assume_with_saml(encode(response(with_open)), role_arn=open_role)["Subject"] == (
        "jdoe@example.test.evil.test"
    )
    # A trust for the part before the comment is not fooled either.
    create_saml_role(
        sts_mock,
        "Strict",
        saml_trust(condition={"StringEquals": {"saml:sub": "jdoe@example.test"}}),
    )
    strict = "arn:aws:iam::123456789012:role/Strict"
    with_strict = sign(assertion(subject="jdoe@example.test.evil.test", role_arn=strict))
    split = find(with_strict, "saml:Subject/saml:NameID")
    split.text = "jdoe@example.test"
    split.append(copy.deepcopy(comment))
    assert aws_error(lambda: assume_with_saml(encode(response(with_strict)), role_arn=strict)) == (
        NOT_AUTHORIZED
    )


# ---------------------------------------------------------------------------------------
# Validity windows, audience and recipient


def test_an_expired_confirmation() -> None:
    with time_machine.travel(T0, tick=False):
        stale = encode(response(sign(assertion(issued=T0 - dt.timedelta(minutes=2), expires=T0))))
        assert aws_error(lambda: assume_with_saml(stale)) == EXPIRED


def test_expired_conditions() -> None:
    with time_machine.travel(T0, tick=False):
        element = assertion()
        find(element, "saml:Conditions").set("NotOnOrAfter", "2025-03-04T09:59:59Z")
        assert aws_error(lambda: assume_with_saml(encode(response(sign(element))))) == EXPIRED


def test_conditions_from_the_future() -> None:
    with time_machine.travel(T0, tick=False):
        element = assertion()
        find(element, "saml:Conditions").set("NotBefore", "2025-03-04T10:00:01Z")
        assert aws_error(lambda: assume_with_saml(encode(response(sign(element))))) == NOT_YET_VALID


@pytest.mark.parametrize(
    "audience",
    [
        "https://evil.test/saml",
        "http://signin.aws.amazon.com/saml",
        "https://signin.aws.amazon.com.evil.test/saml",
        "https://signin.aws.amazon.com/saml/extra",
        "urn:amazon:webservices:evil",
    ],
)
def test_wrong_audience(audience: str) -> None:
    saml_response = encode(response(sign(assertion(audience=audience))))
    assert aws_error(lambda: assume_with_saml(saml_response)) == WRONG_AUDIENCE


def test_no_audience_restriction() -> None:
    element = assertion()
    conditions = find(element, "saml:Conditions")
    conditions.remove(find(conditions, "saml:AudienceRestriction"))
    assert aws_error(lambda: assume_with_saml(encode(response(sign(element))))) == WRONG_AUDIENCE


def test_every_audience_restriction_must_name_aws() -> None:
    element = assertion()
    restriction = etree.SubElement(
        find(element, "saml:Conditions"), f"{{{SAML}}}AudienceRestriction"
    )
    etree.SubElement(restriction, f"{{{SAML}}}Audience").text = "https://other.test"
    assert aws_error(lambda: assume_with_saml(encode(response(sign(element))))) == WRONG_AUDIENCE


@pytest.mark.parametrize(
    "recipient",
    [
        "https://evil.test/saml",
        "http://signin.aws.amazon.com/saml",
        "https://eu-west-1.signin.aws.amazon.com.evil.test/saml",
        "urn:amazon:webservices",
    ],
)
def test_wrong_recipient(recipient: str) -> None:
    saml_response = encode(response(sign(assertion(recipient=recipient))))
    assert aws_error(lambda: assume_with_saml(saml_response)) == WRONG_RECIPIENT


def confirmation_data(element: Any) -> Any:
    return find(element, "saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData")


@pytest.mark.parametrize("change", ["two", "none", "no-data", "no-recipient", "no-end"])
def test_one_confirmation_with_recipient_and_end(change: str) -> None:
    element = assertion()
    confirmation = find(element, "saml:Subject/saml:SubjectConfirmation")
    if change == "two":
        confirmation.addnext(copy.deepcopy(confirmation))
    elif change == "none":
        confirmation.getparent().remove(confirmation)
    elif change == "no-data":
        confirmation.remove(confirmation_data(element))
    elif change == "no-recipient":
        del confirmation_data(element).attrib["Recipient"]
    else:
        del confirmation_data(element).attrib["NotOnOrAfter"]
    assert aws_error(lambda: assume_with_saml(encode(response(sign(element))))) == BAD_CONFIRMATION


# ---------------------------------------------------------------------------------------
# DTDs, entities, XInclude, size


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def with_prolog(prolog: str, subject: str) -> str:
    """A genuine signed response, with ``prolog`` before it and ``subject`` as NameID."""
    text = etree.tostring(response(signed_assertion())).decode()
    return base64.b64encode((prolog + text.replace(">jdoe<", f">{subject}<", 1)).encode()).decode()


def test_entity_expansion() -> None:
    assert aws_error(lambda: assume_with_saml(with_prolog(BILLION_LAUGHS, "&lol3;"))) == MALFORMED


def test_an_external_file_entity(tmp_path: Any) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    prolog = f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
    code, message, status = aws_error(lambda: assume_with_saml(with_prolog(prolog, "&x;")))
    assert (code, message, status) == MALFORMED
    assert "TOP-SECRET" not in message


def test_an_external_network_entity(victim: list[Any]) -> None:
    prolog = '<!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>'
    assert aws_error(lambda: assume_with_saml(with_prolog(prolog, "&x;"))) == MALFORMED
    prolog = '<!DOCTYPE r SYSTEM "http://127.0.0.1:9/r.dtd">'
    assert aws_error(lambda: assume_with_saml(with_prolog(prolog, "jdoe"))) == MALFORMED
    assert victim == []


def test_a_bare_doctype() -> None:
    assert (
        aws_error(lambda: assume_with_saml(with_prolog("<!DOCTYPE samlp:Response>", "jdoe")))
        == MALFORMED
    )


def test_a_doctype_hidden_in_utf16() -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?>' + BILLION_LAUGHS.split("\n", 1)[1] + "<r/>"
    saml_response = base64.b64encode(text.encode("utf-16")).decode()
    assert aws_error(lambda: assume_with_saml(saml_response)) == MALFORMED


def test_xinclude_is_not_processed(tmp_path: Any) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    element = assertion(subject="")
    name_id = find(element, "saml:Subject/saml:NameID")
    include = etree.SubElement(
        name_id,
        "{http://www.w3.org/2001/XInclude}include",
        href=str(secret),
        parse="text",
    )
    assert include is not None
    # The IdP signed it as it is: an empty subject, which AWS refuses.
    assert aws_error(lambda: assume_with_saml(encode(response(sign(element))))) == NOT_AUTHORIZED


def test_an_oversized_assertion() -> None:
    code, message, status = aws_error(lambda: assume_with_saml("A" * 100_001))
    assert (code, status) == ("ValidationError", 400)
    assert message.endswith("Member must have length less than or equal to 100000")


def test_deep_nesting() -> None:
    nested = "<a>" * 3000 + "</a>" * 3000
    text = etree.tostring(response(signed_assertion())).decode()
    text = text.replace(">jdoe<", f">{nested}<", 1)
    saml_response = base64.b64encode(text.encode()).decode()
    assert len(saml_response) < 100_000
    assert aws_error(lambda: assume_with_saml(saml_response)) == MALFORMED


# ---------------------------------------------------------------------------------------
# Malformed responses


@pytest.mark.parametrize(
    "saml_response",
    [
        "%%%%",
        base64.b64encode(b"not xml").decode(),
        base64.b64encode(b"\xff\xfe\x00garbage").decode(),
        base64.b64encode(b"<samlp:Response").decode(),
        base64.b64encode(f'<x xmlns="{SAMLP}"/>'.encode()).decode(),
    ],
    ids=["not-base64", "not-xml", "not-utf8", "not-well-formed", "not-a-response"],
)
def test_unreadable(saml_response: str) -> None:
    assert aws_error(lambda: assume_with_saml(saml_response)) == MALFORMED


def test_not_version_two() -> None:
    document = response(signed_assertion())
    document.set("Version", "1.1")
    assert aws_error(lambda: assume_with_saml(encode(document))) == MALFORMED


def test_a_failed_status() -> None:
    document = response(signed_assertion(), status="urn:oasis:names:tc:SAML:2.0:status:Requester")
    assert aws_error(lambda: assume_with_saml(encode(document))) == MALFORMED


def test_no_status() -> None:
    document = response(signed_assertion())
    document.remove(find(document, "samlp:Status"))
    assert aws_error(lambda: assume_with_saml(encode(document))) == MALFORMED


def test_no_assertion() -> None:
    document = response(etree.Element(f"{{{SAML}}}Other"))
    assert aws_error(lambda: assume_with_saml(encode(document))) == MALFORMED


def test_an_assertion_without_issuer() -> None:
    element = evil_assertion()
    element.remove(find(element, "saml:Issuer"))
    assert aws_error(lambda: assume_with_saml(encode(response(element)))) == MALFORMED


def test_base64_with_line_breaks_is_fine() -> None:
    text = encode(response(signed_assertion()))
    wrapped = "\n".join(text[i : i + 76] for i in range(0, len(text), 76))
    assert assume_with_saml(wrapped)["Subject"] == "jdoe"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_damage_gets_an_aws_error(data: st.DataObject) -> None:
    """Random bytes, or a genuine response with bytes changed, cut or inserted: an AWS error
    body, never an internal failure; or, when only unsigned parts changed (the response
    around the signed assertion), the genuine sign-in."""
    genuine = etree.tostring(response(signed_assertion()))
    choice = data.draw(st.sampled_from(["random", "flip", "cut", "insert"]))
    if choice == "random":
        document = data.draw(st.binary(max_size=400))
    else:
        position = data.draw(st.integers(0, len(genuine) - 1))
        if choice == "flip":
            byte = data.draw(st.integers(0, 255))
            document = genuine[:position] + bytes([byte]) + genuine[position + 1 :]
        elif choice == "cut":
            document = genuine[:position]
        else:
            extra = data.draw(st.sampled_from([b"<", b"&", b"<!--", b"<x>", b"\x00", b"]]>"]))
            document = genuine[:position] + extra + genuine[position:]
    saml_response = base64.b64encode(document).decode() or "AAAA"
    outcome: Any
    try:
        result = assume_with_saml(saml_response)
        outcome = (result["Subject"], result["AssumedRoleUser"]["Arn"])
    except ClientError as error:
        outcome = error.response
    if isinstance(outcome, tuple):
        assert outcome == ("jdoe", "arn:aws:sts::123456789012:assumed-role/Dev/jdoe")
    else:
        assert outcome["Error"]["Code"] in AWS_ERRORS
        assert outcome["ResponseMetadata"]["HTTPStatusCode"] < 500


def test_the_mock_stays_whole_after_attacks(sts_mock: MockSTS) -> None:
    for saml_response in ("%%%%", with_prolog(BILLION_LAUGHS, "&lol3;")):
        aws_error(functools.partial(assume_with_saml, saml_response))
    assert all(call.status < 500 for call in sts_mock.calls)
    assert assume_with_saml(encode(response(signed_assertion())))["Subject"] == "jdoe"


def test_providers_belong_to_their_mock(sts_mock: MockSTS) -> None:
    """A nested mock has fresh state and knows no provider: the genuine response is refused
    there, and accepted again once the outer mock is back."""
    saml_response = encode(response(signed_assertion()))
    with mock_sts():
        assert aws_error(lambda: assume_with_saml(saml_response))[0] == "InvalidIdentityToken"
    assert assume_with_saml(saml_response, role_arn=ROLE_ARN)["Audience"] == SIGN_IN


# ---------------------------------------------------------------------------------------
# Attacks of the reliability issue's list that the sections above leave out

OPEN_ROLE = "arn:aws:iam::123456789012:role/Open"


@pytest.fixture
def open_role(sts_mock: MockSTS) -> str:
    """A role trusting Corp for any subject: what the signed claims say is all that counts."""
    return create_saml_role(sts_mock, "Open", saml_trust())


def split_by_comment(element: Any, text: str) -> None:
    """After signing: ``element``'s text cut in two at ``text``'s end by a comment, as in
    the comment truncation attack (canonicalization drops comments, the digest holds)."""
    whole = element.text
    assert whole.startswith(text)
    element.text = text
    comment = etree.Comment("")
    comment.tail = whole[len(text) :]
    element.append(comment)


def utf7(text: str) -> str:
    """``text`` as UTF-7 with its markup characters base64-shifted (``<`` → ``+ADw-``), as
    a DOCTYPE hides from byte-level checks."""
    shifted = []
    for character in text:
        if character.isalnum() or character in " .-/:'=,?()_":
            shifted.append(character)
        else:
            encoded = base64.b64encode(character.encode("utf-16-be")).decode().rstrip("=")
            shifted.append(f"+{encoded}-")
    return "".join(shifted)


def in_utf7(prolog: str, subject: str = "jdoe") -> str:
    """A genuine signed response declared as UTF-7, ``prolog`` shifted before it."""
    text = etree.tostring(response(signed_assertion())).decode()
    text = text.replace(">jdoe<", f">{subject}<", 1)
    document = '<?xml version="1.0" encoding="UTF-7"?>' + utf7(prolog) + utf7(text)
    return base64.b64encode(document.encode()).decode()


# -- signature wrapping


def test_an_evil_assertion_inside_the_signature_object() -> None:
    """XSW: the evil assertion rides in a ds:Object of the genuine signature, which the
    enveloped transform leaves out of the digest."""
    element = signed_assertion()
    signature = find(element, "ds:Signature")
    etree.SubElement(signature, f"{{{DS}}}Object").append(evil_assertion())
    assert aws_error(lambda: assume_with_saml(encode(response(element)))) == BAD_SIGNATURE


def test_the_genuine_response_wrapped_in_an_evil_one() -> None:
    """XSW on a response signed whole: the genuine response hides in the evil one's
    Extensions, the evil assertion sits where an SP looks first."""
    genuine = sign(response(assertion()))
    evil = response(evil_assertion(), response_id="_evil")
    extensions = etree.Element(f"{{{SAMLP}}}Extensions")
    extensions.append(genuine)
    find(evil, "saml:Issuer").addnext(extensions)
    assert aws_error(lambda: assume_with_saml(encode(evil))) == BAD_SIGNATURE


def test_the_evil_assertion_takes_the_signed_ones_id_and_signature() -> None:
    """XSW: the evil assertion copies the genuine ID and signature; the genuine one is
    moved into the evil one's Subject, so the reference still resolves to it."""
    genuine = signed_assertion()
    evil = evil_assertion(assertion_id="_assertion-1")
    evil.insert(1, copy.deepcopy(find(genuine, "ds:Signature")))
    find(evil, "saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData").append(genuine)
    assert aws_error(lambda: assume_with_saml(encode(response(evil)))) == BAD_SIGNATURE


def test_a_second_signature_in_the_signed_assertion() -> None:
    element = signed_assertion()
    find(element, "ds:Signature").addnext(copy.deepcopy(find(element, "ds:Signature")))
    assert aws_error(lambda: assume_with_saml(encode(response(element)))) == BAD_SIGNATURE


def test_a_decoy_in_another_namespace_is_never_read() -> None:
    """An element named Assertion in SAML 1.1's namespace, first in the response: only
    the signed SAML 2.0 assertion speaks."""
    decoy = etree.fromstring(
        '<saml1:Assertion xmlns:saml1="urn:oasis:names:tc:SAML:1.0:assertion">'
        "<saml1:Subject><saml1:NameIdentifier>admin</saml1:NameIdentifier></saml1:Subject>"
        "</saml1:Assertion>"
    )
    document = response(signed_assertion())
    find(document, "samlp:Status").addnext(decoy)
    result = assume_with_saml(encode(document))
    assert (result["Subject"], result["AssumedRoleUser"]["Arn"]) == (
        "jdoe",
        "arn:aws:sts::123456789012:assumed-role/Dev/jdoe",
    )


# -- comment truncation: a comment never cuts a signed value short


def test_a_comment_inside_the_session_name(open_role: str) -> None:
    element = sign(assertion(role_arn=open_role, session_name="jdoe.evil"))
    split_by_comment(find(element, "saml:AttributeStatement/saml:Attribute[2]/*"), "jdoe")
    assert assume_with_saml(encode(response(element)), role_arn=open_role)["AssumedRoleUser"][
        "Arn"
    ] == ("arn:aws:sts::123456789012:assumed-role/Open/jdoe.evil")


def test_a_comment_inside_the_role_attribute() -> None:
    """The IdP granted role Dev-sandbox; cut after "role/Dev", it is still not Dev."""
    element = sign(assertion(role_arn="arn:aws:iam::123456789012:role/Dev-sandbox"))
    split_by_comment(
        find(element, "saml:AttributeStatement/saml:Attribute[1]/*"),
        "arn:aws:iam::123456789012:role/Dev",
    )
    assert aws_error(lambda: assume_with_saml(encode(response(element)))) == NOT_AUTHORIZED


def test_a_comment_inside_the_issuer() -> None:
    element = sign(assertion(entity_id="https://idp.example.test/saml.evil.test"), "other")
    split_by_comment(find(element, "saml:Issuer"), "https://idp.example.test/saml")
    document = response(element, entity_id=None)
    assert aws_error(lambda: assume_with_saml(encode(document))) == WRONG_ISSUER


def test_a_comment_inside_the_audience() -> None:
    element = sign(assertion(audience="https://signin.aws.amazon.com/saml.evil.test"))
    split_by_comment(
        find(element, "saml:Conditions/saml:AudienceRestriction/saml:Audience"), SIGN_IN
    )
    assert aws_error(lambda: assume_with_saml(encode(response(element)))) == WRONG_AUDIENCE


def test_comment_text_is_never_part_of_a_value(open_role: str) -> None:
    element = sign(assertion(role_arn=open_role, session_name="jdoe"))
    value = find(element, "saml:AttributeStatement/saml:Attribute[2]/*")
    value.append(etree.Comment("admin"))
    assert assume_with_saml(encode(response(element)), role_arn=open_role)["AssumedRoleUser"][
        "Arn"
    ] == ("arn:aws:sts::123456789012:assumed-role/Open/jdoe")


# -- unsigned and foreign certificates


def test_a_signature_without_a_value() -> None:
    element = signed_assertion()
    find(element, "ds:Signature/ds:SignatureValue").text = ""
    assert aws_error(lambda: assume_with_saml(encode(response(element)))) == BAD_SIGNATURE


def test_a_signature_stub() -> None:
    element = evil_assertion()
    element.insert(1, etree.Element(f"{{{DS}}}Signature", nsmap={"ds": DS}))
    assert aws_error(lambda: assume_with_saml(encode(response(element)))) == BAD_SIGNATURE


def test_the_trusted_certificate_in_key_info_over_another_key() -> None:
    """KeyInfo shows Corp's certificate; the signature is by another key."""
    from signxml.signer import XMLSigner

    element = evil_assertion()
    element.insert(1, etree.Element(f"{{{DS}}}Signature", nsmap={"ds": DS}, Id="placeholder"))
    signed = XMLSigner(c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#").sign(
        element, key=key_pair("other")[0], cert=[key_pair("user")[1]], reference_uri="#_evil"
    )
    assert aws_error(lambda: assume_with_saml(encode(response(signed)))) == BAD_SIGNATURE


def test_the_key_of_another_provider_of_the_account(sts_mock: MockSTS) -> None:
    register_user_idp(
        sts_mock, name="Partner", entity_id="https://partner.test/saml", labels=("other",)
    )
    forged = sign(evil_assertion(), "other")
    assert aws_error(lambda: assume_with_saml(encode(response(forged)))) == BAD_SIGNATURE


def test_the_mock_fake_idps_key(sts_mock: MockSTS) -> None:
    """The mock's own IdP signs for a provider claiming Corp's entity id: Corp's metadata
    does not hold that key."""
    fake = sts_mock.saml_provider("Fake", entity_id=ENTITY_ID)
    forged = fake.response(ROLE_ARN, subject="admin", session_name="admin")
    assert aws_error(lambda: assume_with_saml(forged)) == BAD_SIGNATURE


def test_the_same_idp_registered_in_another_account(sts_mock: MockSTS) -> None:
    """Corp registered in the attacker's account too: a provider of another account than
    the role's is no provider for it."""
    other = register_user_idp(sts_mock, account_id="210987654321")
    genuine = encode(response(sign(assertion(provider_arn=other))))
    assert aws_error(lambda: assume_with_saml(genuine, PrincipalArn=other)) == UNKNOWN_PROVIDER


# -- DTDs hidden by encoding, parameter entities, XInclude


@pytest.mark.parametrize(
    ("prolog", "subject"),
    [
        ('<!DOCTYPE r [<!ENTITY x "jdoe">]>', "&x;"),
        (BILLION_LAUGHS.split("\n", 1)[1], "&lol3;"),
        ('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]>', "&x;"),
        ('<!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>', "&x;"),
        ('<!DOCTYPE r [<!ENTITY x "y">]>', "jdoe"),
    ],
    ids=["internal", "billion-laughs", "file", "http", "unused"],
)
def test_a_doctype_hidden_in_utf7(victim: list[Any], prolog: str, subject: str) -> None:
    assert aws_error(lambda: assume_with_saml(in_utf7(prolog, subject))) == MALFORMED
    assert victim == []


def test_utf7_without_a_doctype_is_read_as_utf8() -> None:
    """The declared encoding is not honoured: the document is the UTF-8 the check read."""
    assert aws_error(lambda: assume_with_saml(in_utf7(""))) == MALFORMED


def test_metadata_with_a_doctype_hidden_in_utf7(sts_mock: MockSTS) -> None:
    body = metadata().split("\n", 1)[1]
    document = '<?xml version="1.0" encoding="UTF-7"?>' + utf7(
        '<!DOCTYPE r [<!ENTITY x "y">]>' + body
    )
    iam = iam_client(sts_mock)
    assert aws_error(
        lambda: iam.create_saml_provider(Name="Hidden", SAMLMetadataDocument=document)
    ) == ("InvalidInput", "Could not parse metadata", 400)


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]>',
        '<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]>',
        f'<!DOCTYPE r [<!ENTITY big "{"x" * 30_000}">]>',
        "<!-- first --><!DOCTYPE r>",
        '<?pi first?>\n<!DOCTYPE\tr [<!ENTITY x "y">]>',
    ],
    ids=["parameter-http", "parameter-file", "quadratic", "after-comment", "after-pi"],
)
def test_other_doctypes(victim: list[Any], prolog: str) -> None:
    subject = "&big;" * 1000 if "big" in prolog else "jdoe"
    assert aws_error(lambda: assume_with_saml(with_prolog(prolog, subject))) == MALFORMED
    assert victim == []


@pytest.mark.parametrize("href", ["http://127.0.0.1:9/x", "file:///etc/hostname"])
def test_xinclude_in_a_signed_value_is_not_processed(victim: list[Any], href: str) -> None:
    element = assertion(subject="")
    etree.SubElement(
        find(element, "saml:Subject/saml:NameID"),
        "{http://www.w3.org/2001/XInclude}include",
        href=href,
        parse="xml",
    )
    assert aws_error(lambda: assume_with_saml(encode(response(sign(element))))) == NOT_AUTHORIZED
    assert victim == []


def test_xinclude_in_the_unsigned_response_is_not_processed(
    victim: list[Any], tmp_path: Any
) -> None:
    planted = tmp_path / "evil.xml"
    planted.write_bytes(etree.tostring(evil_assertion()))
    document = response(signed_assertion())
    extensions = etree.Element(f"{{{SAMLP}}}Extensions")
    for href in (str(planted), "http://127.0.0.1:9/evil.xml"):
        etree.SubElement(extensions, "{http://www.w3.org/2001/XInclude}include", href=href)
    find(document, "saml:Issuer").addnext(extensions)
    assert assume_with_saml(encode(document))["Subject"] == "jdoe"
    assert victim == []


# -- size and depth


def test_an_assertion_at_the_size_limit_is_read() -> None:
    """Line breaks pad a genuine response to exactly 100000 characters; one more is too
    many."""
    genuine = encode(response(signed_assertion()))
    padded = genuine + "\n" * (100_000 - len(genuine))
    assert assume_with_saml(padded)["Subject"] == "jdoe"
    code, message, status = aws_error(lambda: assume_with_saml(padded + "\n"))
    assert (code, status) == ("ValidationError", 400)
    assert message.endswith("Member must have length less than or equal to 100000")


def test_a_huge_assertion_is_not_echoed() -> None:
    code, message, status = aws_error(lambda: assume_with_saml("A" * 5_000_000))
    assert (code, status) == ("ValidationError", 400)
    assert message == (
        "1 validation error detected: Value at 'sAMLAssertion' failed to satisfy constraint: "
        "Member must have length less than or equal to 100000"
    )


@pytest.mark.parametrize("depth", [300, 10_000])
def test_deep_nesting_in_the_unsigned_response(depth: int) -> None:
    document = etree.tostring(response(signed_assertion())).decode()
    nested = "<x>" * depth + "</x>" * depth
    document = document.replace("<samlp:Status>", nested + "<samlp:Status>", 1)
    saml_response = base64.b64encode(document.encode()).decode()
    assert len(saml_response) < 100_000
    assert aws_error(lambda: assume_with_saml(saml_response)) == MALFORMED


def test_these_attacks_leave_no_trace(sts_mock: MockSTS, open_role: str) -> None:
    backend = sts_mock._require_backend()
    sessions = dict(backend.sessions)
    providers = dict(backend.account("123456789012").saml_providers)
    for saml_response in (
        in_utf7(BILLION_LAUGHS.split("\n", 1)[1], "&lol3;"),
        with_prolog('<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]>', "jdoe"),
        "A" * 200_000,
    ):
        aws_error(functools.partial(assume_with_saml, saml_response))
    assert backend.sessions == sessions
    assert dict(backend.account("123456789012").saml_providers) == providers
    assert all(call.status < 500 for call in sts_mock.calls)
