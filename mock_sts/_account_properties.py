"""An account's IAM account properties (GetAccountProperties, PutAccountProperties): settings
of account-wide IAM features, such as Role Manager, kept as ``Namespace/PropertyName`` keys."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(eq=False)
class AccountProperties:
    """What PutAccountProperties set, by ``Namespace/PropertyName`` key, in the order set."""

    values: dict[str, str] = field(default_factory=dict)

    def namespaces(self) -> tuple[str, ...]:
        """The namespaces of the properties held, each once."""
        return tuple(dict.fromkeys(key.partition("/")[0] for key in self.values))
