"""pytest plugin: the ``sts_mock`` fixture and marker."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mock_sts import MockSTS


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sts_mock(**options): options for the sts_mock fixture "
        "(account_id, region, strict, set_env, enforce), as for mock_sts(...)",
    )


@pytest.fixture
def sts_mock(request: pytest.FixtureRequest) -> Iterator[MockSTS]:
    """An active MockSTS for the test; ``@pytest.mark.sts_mock(...)`` sets its options."""
    marker = request.node.get_closest_marker("sts_mock")
    if marker is not None and marker.args:
        raise TypeError(
            f"@pytest.mark.sts_mock takes keyword options only, got positional {marker.args!r}; "
            "write e.g. @pytest.mark.sts_mock(account_id='111111111111')."
        )
    with MockSTS(**(marker.kwargs if marker else {})) as mock:
        yield mock
