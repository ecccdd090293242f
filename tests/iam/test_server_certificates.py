"""IAM server certificates through real boto3 clients: the PEM parts read as IAM reads them
(certificates, keys and chains made here with ``cryptography``), names, paths, tags, paging,
the account's quota and the authorization of renames."""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID

from tests.helpers import aws_error, client, no_policy_allows
from tests.helpers.assume_role import allow

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.types import (
        CertificateIssuerPrivateKeyTypes,
        PrivateKeyTypes,
    )

    from mock_sts import MockSTS

ACCOUNT_ID = "123456789012"
UNREADABLE = (
    "MalformedCertificate",
    "Unable to parse certificate. Please ensure the certificate is in PEM format.",
    400,
)
KEY_UNREADABLE = (
    "MalformedCertificate",
    "Unable to parse the private key. Please ensure the key is in PEM format and not encrypted.",
    400,
)
KEY_UNSUPPORTED = (
    "MalformedCertificate",
    "The private key is not supported: IAM accepts RSA keys of 1024 to 4096 bits and ECDSA "
    "keys on the P-256, P-384 and P-521 curves.",
    400,
)
MISMATCH = (
    "KeyPairMismatch",
    "The public key certificate and the private key do not match.",
    400,
)


def chain_error(index: int) -> tuple[str, str, int]:
    return (
        "MalformedCertificate",
        "Unable to validate certificate chain. The certificate chain must start with the "
        "immediate signing certificate, followed by any intermediaries in order. The index "
        f"within the chain of the invalid certificate is: {index}",
        400,
    )


def not_found(name: str) -> tuple[str, str, int]:
    return ("NoSuchEntity", f"The Server Certificate with name {name} cannot be found.", 404)


def arn(name: str, path: str = "/") -> str:
    return f"arn:aws:iam::{ACCOUNT_ID}:server-certificate{path}{name}"


# ---------------------------------------------------------------------------------------
# Keys and certificates, made as a CA makes them

NOT_AFTER = dt.datetime(2031, 7, 1, 12, 0, 0, tzinfo=dt.timezone.utc)


@functools.cache
def rsa_key(bits: int = 2048, which: int = 0) -> rsa.RSAPrivateKey:
    """An RSA key of ``bits`` (``which`` tells apart keys of one size), made once per run."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def small_rsa_key() -> rsa.RSAPrivateKey:
    """A 512-bit RSA key, smaller than ``cryptography`` generates: made from its primes."""
    p, q, e = _prime(256), _prime(256), 65537
    d = pow(e, -1, (p - 1) * (q - 1))
    numbers = rsa.RSAPrivateNumbers(
        p,
        q,
        d,
        rsa.rsa_crt_dmp1(d, p),
        rsa.rsa_crt_dmq1(d, q),
        rsa.rsa_crt_iqmp(p, q),
        rsa.RSAPublicNumbers(e, p * q),
    )
    return numbers.private_key()


def _prime(bits: int) -> int:
    while True:
        candidate = secrets.randbits(bits) | (3 << (bits - 2)) | 1
        if _probably_prime(candidate):
            return candidate


def _probably_prime(n: int) -> bool:
    """Miller-Rabin with 32 random bases."""
    if any(n % p == 0 for p in (3, 5, 7, 11, 13)):
        return False
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    for _ in range(32):
        x = pow(secrets.randbelow(n - 3) + 2, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def certificate(
    key: PrivateKeyTypes,
    name: str = "www.example.com",
    *,
    issuer: x509.Certificate | None = None,
    issuer_key: CertificateIssuerPrivateKeyTypes | None = None,
    ca: bool = False,
    not_after: dt.datetime = NOT_AFTER,
) -> x509.Certificate:
    """A certificate of ``key``'s public key, for ``name``: self-signed, or signed by
    ``issuer`` (with ``issuer_key``)."""
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    signer = issuer_key if issuer_key is not None else key
    assert isinstance(
        signer, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey)
    )
    algorithm = None if isinstance(signer, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer is not None else subject)
        .public_key(key.public_key())  # type: ignore[arg-type]
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOT_AFTER - dt.timedelta(days=3650))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(signer, algorithm)
    )


def unknown_key_algorithm(certificate: x509.Certificate) -> x509.Certificate:
    """``certificate`` with its RSA key's algorithm named by an object identifier that names no
    key (md2WithRSAEncryption's): it parses, and its key does not."""
    der = certificate.public_bytes(serialization.Encoding.DER)
    rsa_encryption = bytes.fromhex("2a864886f70d010101")
    assert der.count(rsa_encryption) == 1
    return x509.load_der_x509_certificate(
        der.replace(rsa_encryption, bytes.fromhex("2a864886f70d010102"))
    )


def pem(*certificates: x509.Certificate) -> str:
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certificates)


def key_pem(key: PrivateKeyTypes, password: bytes | None = None) -> str:
    encryption: serialization.KeySerializationEncryption = (
        serialization.NoEncryption()
        if password is None
        else serialization.BestAvailableEncryption(password)
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    ).decode()


def pair(key: PrivateKeyTypes | None = None, name: str = "www.example.com") -> dict[str, str]:
    """UploadServerCertificate's CertificateBody and PrivateKey of a self-signed certificate."""
    key = key if key is not None else rsa_key()
    return {"CertificateBody": pem(certificate(key, name)), "PrivateKey": key_pem(key)}


class Authority:
    """A root CA and an intermediate CA under it, which signs servers' certificates."""

    def __init__(self) -> None:
        self.root_key = rsa_key(2048, 1)
        self.root = certificate(self.root_key, "Example Root CA", ca=True)
        self.intermediate_key = rsa_key(2048, 2)
        self.intermediate = certificate(
            self.intermediate_key,
            "Example Intermediate CA",
            issuer=self.root,
            issuer_key=self.root_key,
            ca=True,
        )

    def issue(self, key: PrivateKeyTypes, name: str = "www.example.com") -> x509.Certificate:
        return certificate(key, name, issuer=self.intermediate, issuer_key=self.intermediate_key)


def upload(iam: Any, name: str, **params: Any) -> dict[str, Any]:
    parts = params if "CertificateBody" in params else {**pair(), **params}
    answer: dict[str, Any] = iam.upload_server_certificate(ServerCertificateName=name, **parts)
    return answer


def names(iam: Any, **params: Any) -> list[str]:
    listed = iam.list_server_certificates(**params)["ServerCertificateMetadataList"]
    return [metadata["ServerCertificateName"] for metadata in listed]


# ---------------------------------------------------------------------------------------
# Upload, get, list, delete


def test_an_uploaded_certificate_is_served_back_without_its_key(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    key = rsa_key()
    body = pem(certificate(key))

    uploaded = iam.upload_server_certificate(
        ServerCertificateName="web", CertificateBody=body, PrivateKey=key_pem(key)
    )

    metadata = uploaded["ServerCertificateMetadata"]
    assert set(uploaded) == {"ServerCertificateMetadata", "ResponseMetadata"}
    assert metadata["Path"] == "/"
    assert metadata["ServerCertificateName"] == "web"
    assert metadata["ServerCertificateId"].startswith("ASCA")
    assert len(metadata["ServerCertificateId"]) == 21
    assert metadata["Arn"] == arn("web")
    assert metadata["Expiration"] == NOT_AFTER
    assert abs(metadata["UploadDate"] - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(seconds=5)
    got = iam.get_server_certificate(ServerCertificateName="web")["ServerCertificate"]
    assert got == {
        "ServerCertificateMetadata": metadata,
        "CertificateBody": body,
        "Tags": [],
    }
    listed = iam.list_server_certificates()
    assert listed["ServerCertificateMetadataList"] == [metadata]
    assert listed["IsTruncated"] is False
    summary = iam.get_account_summary()["SummaryMap"]
    assert (summary["ServerCertificates"], summary["ServerCertificatesQuota"]) == (1, 20)


def test_a_deleted_certificate_is_gone(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    upload(iam, "web")

    answer = iam.delete_server_certificate(ServerCertificateName="web")

    assert list(answer) == ["ResponseMetadata"]
    assert aws_error(lambda: iam.get_server_certificate(ServerCertificateName="web")) == (
        not_found("web")
    )
    assert aws_error(lambda: iam.delete_server_certificate(ServerCertificateName="web")) == (
        not_found("web")
    )
    assert names(iam) == []


def test_a_certificate_with_its_chain(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    authority = Authority()
    key = rsa_key()
    chain = pem(authority.intermediate, authority.root)

    upload(
        iam,
        "web",
        CertificateBody=pem(authority.issue(key)),
        PrivateKey=key_pem(key),
        CertificateChain=chain,
    )

    got = iam.get_server_certificate(ServerCertificateName="web")["ServerCertificate"]
    assert got["CertificateChain"] == chain
    # The chain may stop short of the root, as long as each one signed the one before.
    upload(
        iam,
        "short",
        CertificateBody=pem(authority.issue(key)),
        PrivateKey=key_pem(key),
        CertificateChain=pem(authority.intermediate),
    )
    assert names(iam) == ["short", "web"]


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(lambda: rsa_key(1024), id="rsa-1024"),
        pytest.param(lambda: rsa_key(3072), id="rsa-3072"),
        pytest.param(lambda: rsa_key(4096), id="rsa-4096"),
        pytest.param(lambda: ec.generate_private_key(ec.SECP256R1()), id="p-256"),
        pytest.param(lambda: ec.generate_private_key(ec.SECP384R1()), id="p-384"),
        pytest.param(lambda: ec.generate_private_key(ec.SECP521R1()), id="p-521"),
    ],
)
def test_the_keys_iam_accepts(sts_mock: MockSTS, key: Any) -> None:
    iam = boto3.client("iam")

    upload(iam, "web", **pair(key()))

    assert names(iam) == ["web"]


def test_a_path_names_the_certificate_and_lists_it(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    upload(iam, "site", Path="/cloudfront/prod/")
    upload(iam, "api", Path="/elb/")
    upload(iam, "Admin")

    got = iam.get_server_certificate(ServerCertificateName="site")["ServerCertificate"]

    assert got["ServerCertificateMetadata"]["Arn"] == arn("site", "/cloudfront/prod/")
    assert names(iam) == ["Admin", "api", "site"]
    assert names(iam, PathPrefix="/cloudfront/") == ["site"]
    assert names(iam, PathPrefix="/nothing/") == []


def test_listings_page_with_markers(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    for name in ("a", "b", "c"):
        upload(iam, name)

    first = iam.list_server_certificates(MaxItems=2)
    second = iam.list_server_certificates(MaxItems=2, Marker=first["Marker"])

    assert [m["ServerCertificateName"] for m in first["ServerCertificateMetadataList"]] == [
        "a",
        "b",
    ]
    assert first["IsTruncated"] is True
    assert [m["ServerCertificateName"] for m in second["ServerCertificateMetadataList"]] == ["c"]
    assert second["IsTruncated"] is False
    assert "Marker" not in second
    assert aws_error(lambda: iam.list_server_certificates(Marker="bogus")) == (
        "ValidationError",
        "Invalid Marker.",
        400,
    )


# ---------------------------------------------------------------------------------------
# What IAM refuses on upload


def test_a_certificate_that_does_not_parse(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    key = rsa_key()
    garbled = pem(certificate(key)).replace("MII", "MIX", 1)

    for body in ("not a certificate", garbled, key_pem(key)):
        call = functools.partial(upload, iam, "web", CertificateBody=body, PrivateKey=key_pem(key))
        error = aws_error(call)
        assert error == UNREADABLE
    assert names(iam) == []


def test_a_certificate_of_a_key_no_algorithm_names(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    authority = Authority()
    key = rsa_key()
    odd = unknown_key_algorithm(authority.issue(key))

    error = aws_error(lambda: upload(iam, "web", CertificateBody=pem(odd), PrivateKey=key_pem(key)))

    assert error == UNREADABLE
    error = aws_error(
        lambda: upload(
            iam,
            "web",
            CertificateBody=pem(authority.issue(key)),
            PrivateKey=key_pem(key),
            CertificateChain=pem(unknown_key_algorithm(authority.intermediate)),
        )
    )
    assert error == chain_error(0)
    assert names(iam) == []


def test_text_beyond_latin_1_is_refused_by_the_model(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    error = aws_error(lambda: upload(iam, "web", CertificateChain="€"))

    assert error == (
        "ValidationError",
        "1 validation error detected: Value at 'certificateChain' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: "
        "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+",
        400,
    )


def test_the_body_holds_one_certificate(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    authority = Authority()
    key = rsa_key()
    bundle = pem(authority.issue(key), authority.intermediate)

    error = aws_error(lambda: upload(iam, "web", CertificateBody=bundle, PrivateKey=key_pem(key)))

    assert error == (
        "MalformedCertificate",
        "The certificate body must hold exactly one certificate.",
        400,
    )


def test_a_private_key_that_does_not_parse_or_is_encrypted(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    key = rsa_key()
    body = pem(certificate(key))

    for private_key in (
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        body,
        key_pem(key, password=b"secret"),
    ):
        call = functools.partial(upload, iam, "web", CertificateBody=body, PrivateKey=private_key)
        error = aws_error(call)
        assert error == KEY_UNREADABLE
    assert names(iam) == []


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(small_rsa_key, id="rsa-512"),
        pytest.param(lambda: ec.generate_private_key(ec.SECP256K1()), id="secp256k1"),
        pytest.param(lambda: ec.generate_private_key(ec.SECP224R1()), id="p-224"),
        pytest.param(ed25519.Ed25519PrivateKey.generate, id="ed25519"),
    ],
)
def test_keys_iam_does_not_accept(sts_mock: MockSTS, key: Any) -> None:
    iam = boto3.client("iam")

    assert aws_error(lambda: upload(iam, "web", **pair(key()))) == KEY_UNSUPPORTED
    assert names(iam) == []


def test_a_key_that_is_not_the_certificates(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    body = pem(certificate(rsa_key()))
    other = rsa_key(2048, 3)

    error = aws_error(lambda: upload(iam, "web", CertificateBody=body, PrivateKey=key_pem(other)))

    assert error == MISMATCH
    elliptic = ec.generate_private_key(ec.SECP256R1())
    error = aws_error(
        lambda: upload(iam, "web", CertificateBody=body, PrivateKey=key_pem(elliptic))
    )
    assert error == MISMATCH
    assert names(iam) == []


def test_a_chain_in_the_wrong_order_or_not_the_issuers(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    authority = Authority()
    key = rsa_key()
    parts = {"CertificateBody": pem(authority.issue(key)), "PrivateKey": key_pem(key)}
    # A CA of the intermediate's very name, but another key: its signature does not match.
    impostor = certificate(rsa_key(2048, 4), "Example Intermediate CA", ca=True)
    stranger = certificate(rsa_key(2048, 4), "Another Root CA", ca=True)

    for chain, index in (
        (pem(authority.root, authority.intermediate), 0),
        (pem(impostor), 0),
        (pem(authority.intermediate, stranger), 1),
        (pem(authority.intermediate, authority.intermediate), 1),
    ):
        error = aws_error(functools.partial(upload, iam, "web", CertificateChain=chain, **parts))
        assert error == chain_error(index)
    error = aws_error(lambda: upload(iam, "web", CertificateChain="no chain", **parts))
    assert error == UNREADABLE
    assert names(iam) == []


def test_the_certificate_parameters_are_checked_against_the_model(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    error = aws_error(lambda: upload(iam, "bad name"))

    assert error == (
        "ValidationError",
        "1 validation error detected: Value at 'serverCertificateName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
        400,
    )
    assert aws_error(lambda: upload(iam, "web", Path="/no-slash")) == (
        "ValidationError",
        "The specified value for path is invalid. It must begin and end with / and contain "
        "only alphanumeric characters and/or / characters.",
        400,
    )
    assert names(iam) == []


@pytest.mark.parametrize("again", ["web", "WEB"])
def test_a_name_is_taken_once(sts_mock: MockSTS, again: str) -> None:
    iam = boto3.client("iam")
    first = upload(iam, "web")["ServerCertificateMetadata"]

    error = aws_error(lambda: upload(iam, again))

    assert error == (
        "EntityAlreadyExists",
        f"The Server Certificate with name {again} already exists.",
        409,
    )
    got = iam.get_server_certificate(ServerCertificateName="web")["ServerCertificate"]
    assert got["ServerCertificateMetadata"] == first


def test_an_account_holds_twenty_certificates(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    parts = pair()
    for index in range(20):
        upload(iam, f"cert-{index:02}", **parts)

    error = aws_error(lambda: upload(iam, "one-more", **parts))

    assert error == (
        "LimitExceeded",
        "Cannot exceed quota for ServerCertificatesPerAccount: 20",
        409,
    )
    assert len(names(iam)) == 20
    iam.delete_server_certificate(ServerCertificateName="cert-00")
    upload(iam, "one-more", **parts)
    assert len(names(iam)) == 20


# ---------------------------------------------------------------------------------------
# Renames


def test_a_renamed_certificate_keeps_everything_else(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    before = upload(iam, "web", Tags=[{"Key": "team", "Value": "red"}])["ServerCertificateMetadata"]

    answer = iam.update_server_certificate(
        ServerCertificateName="web", NewServerCertificateName="site", NewPath="/cloudfront/"
    )

    assert list(answer) == ["ResponseMetadata"]
    got = iam.get_server_certificate(ServerCertificateName="site")["ServerCertificate"]
    assert got["ServerCertificateMetadata"] == {
        **before,
        "ServerCertificateName": "site",
        "Path": "/cloudfront/",
        "Arn": arn("site", "/cloudfront/"),
    }
    assert got["Tags"] == [{"Key": "team", "Value": "red"}]
    assert aws_error(lambda: iam.get_server_certificate(ServerCertificateName="web")) == (
        not_found("web")
    )
    iam.update_server_certificate(ServerCertificateName="site", NewPath="/elb/")
    assert names(iam, PathPrefix="/elb/") == ["site"]
    iam.update_server_certificate(ServerCertificateName="site", NewServerCertificateName="Site")
    assert names(iam) == ["Site"]


def test_a_rename_to_a_taken_name_or_of_a_missing_certificate(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    upload(iam, "web")
    upload(iam, "api")

    error = aws_error(
        lambda: iam.update_server_certificate(
            ServerCertificateName="web", NewServerCertificateName="API"
        )
    )

    assert error == (
        "EntityAlreadyExists",
        "The Server Certificate with name API already exists.",
        409,
    )
    assert names(iam) == ["api", "web"]
    error = aws_error(
        lambda: iam.update_server_certificate(
            ServerCertificateName="ghost", NewServerCertificateName="spirit"
        )
    )
    assert error == not_found("ghost")


def test_a_rename_needs_permission_on_the_old_and_the_new_name(sts_mock: MockSTS) -> None:
    boto3.client("iam").upload_server_certificate(ServerCertificateName="web", **pair())
    old, new = arn("web"), arn("site", "/cloudfront/")
    only_old = sts_mock.create_user(
        "bob", policies={"rename": allow("iam:UpdateServerCertificate", old)}
    )
    rename = {
        "ServerCertificateName": "web",
        "NewServerCertificateName": "site",
        "NewPath": "/cloudfront/",
    }

    error = aws_error(
        lambda: client("iam", only_old.credentials).update_server_certificate(**rename)
    )

    assert error == no_policy_allows(only_old.arn, "iam:UpdateServerCertificate", new)
    both = sts_mock.create_user(
        "carol", policies={"rename": allow("iam:UpdateServerCertificate", [old, new])}
    )
    client("iam", both.credentials).update_server_certificate(**rename)
    assert names(boto3.client("iam")) == ["site"]


def test_certificates_are_authorized_on_their_arn(sts_mock: MockSTS) -> None:
    path_only = sts_mock.create_user(
        "bob",
        policies={"certs": allow("iam:*ServerCertificate", arn("*", "/cloudfront/"))},
    )
    iam = client("iam", path_only.credentials)

    iam.upload_server_certificate(ServerCertificateName="site", Path="/cloudfront/", **pair())

    assert aws_error(
        lambda: iam.upload_server_certificate(ServerCertificateName="api", **pair())
    ) == no_policy_allows(path_only.arn, "iam:UploadServerCertificate", arn("api"))
    got = iam.get_server_certificate(ServerCertificateName="site")["ServerCertificate"]
    assert got["ServerCertificateMetadata"]["Arn"] == arn("site", "/cloudfront/")


# ---------------------------------------------------------------------------------------
# Tags


def test_tags_of_a_certificate(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    uploaded = upload(iam, "web", Tags=[{"Key": "team", "Value": "red"}])
    assert uploaded["Tags"] == [{"Key": "team", "Value": "red"}]

    iam.tag_server_certificate(
        ServerCertificateName="web",
        Tags=[{"Key": "env", "Value": "prod"}, {"Key": "Team", "Value": "blue"}],
    )

    listed = iam.list_server_certificate_tags(ServerCertificateName="web")
    assert listed["Tags"] == [{"Key": "Team", "Value": "blue"}, {"Key": "env", "Value": "prod"}]
    assert listed["IsTruncated"] is False
    iam.untag_server_certificate(ServerCertificateName="web", TagKeys=["TEAM"])
    got = iam.get_server_certificate(ServerCertificateName="web")["ServerCertificate"]
    assert got["Tags"] == [{"Key": "env", "Value": "prod"}]


def test_bad_tags_change_nothing(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    upload(iam, "web", Tags=[{"Key": "team", "Value": "red"}])

    duplicate = [{"Key": "env", "Value": "a"}, {"Key": "ENV", "Value": "b"}]
    error = aws_error(
        lambda: iam.tag_server_certificate(ServerCertificateName="web", Tags=duplicate)
    )

    assert error[0] == "InvalidInput"
    many = [{"Key": f"k{index}", "Value": "v"} for index in range(50)]
    error = aws_error(lambda: iam.tag_server_certificate(ServerCertificateName="web", Tags=many))
    assert error == ("LimitExceeded", "The number of tags has reached the maximum limit.", 409)
    tags = iam.list_server_certificate_tags(ServerCertificateName="web")["Tags"]
    assert tags == [{"Key": "team", "Value": "red"}]
    error = aws_error(lambda: upload(iam, "api", Tags=duplicate))
    assert error[0] == "InvalidInput"
    assert names(iam) == ["web"]


def test_tags_of_a_missing_certificate(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    tags = [{"Key": "env", "Value": "a"}]

    for call in (
        lambda: iam.tag_server_certificate(ServerCertificateName="ghost", Tags=tags),
        lambda: iam.untag_server_certificate(ServerCertificateName="ghost", TagKeys=["env"]),
        lambda: iam.list_server_certificate_tags(ServerCertificateName="ghost"),
    ):
        assert aws_error(call) == not_found("ghost")
