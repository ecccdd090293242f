"""Server certificates an account uploaded to IAM: the certificate, its chain and when it
expires. The private key is checked on upload and never kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from mock_sts._ids import IAMOwner


@dataclass(eq=False)
class ServerCertificate:
    """An X.509 server certificate (PEM), with the chain of certificates that signed it."""

    account: IAMOwner
    name: str
    path: str
    certificate_id: str  # ASCA...
    body: str
    chain: str | None
    upload_date: dt.datetime
    expiration: dt.datetime  # the certificate's notAfter
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def arn(self) -> str:
        return self.account.arn(f"server-certificate{self.path}{self.name}")
