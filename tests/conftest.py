from pathlib import Path

import pytest

SHARED_LOGS = Path(__file__).resolve().parents[1].parent / "shared" / "logs"
SAMPLE_LOGS = Path(__file__).resolve().parents[1] / "sample_logs"


@pytest.fixture(scope="session")
def shared_logs() -> Path:
    """The public logs in ../shared/logs; tests that need them skip where it is absent."""
    if not SHARED_LOGS.is_dir():
        pytest.skip(f"{SHARED_LOGS} not present: the public reference logs are not available")
    return SHARED_LOGS
