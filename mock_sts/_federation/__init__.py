"""Federation: fake identity providers, and the checks STS makes on what they issue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mock_sts._policy import ConditionKeys, Principal


@dataclass(frozen=True)
class FederatedClaims:
    """What a verified web-identity token or SAML assertion says about its subject."""

    action: str  # "sts:AssumeRoleWithWebIdentity" or "sts:AssumeRoleWithSAML"
    principal: Principal  # principal.federated: the IAM provider ARN or built-in IdP host
    session_name: str
    # Condition keys of this request (provider keys such as <provider>:sub or saml:aud).
    context: ConditionKeys
    # The keys later requests of the new session carry (AWS keeps only some of them).
    session_context: ConditionKeys
    tags: Mapping[str, str]
    transitive_tag_keys: tuple[str, ...] = ()
    source_identity: str | None = None
    not_after: dt.datetime | None = None  # the IdP's limit on the session (SAML)
