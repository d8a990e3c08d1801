"""Starting the command line loads only what a command needs (issue 14): `discovery` and
`discovery.report` import their public names on first use, and `discovery.cli` imports each
command's layers inside the command. Facts about what a fresh process imports, not timings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import discovery
import discovery.report

HEAVY = {"plotly", "pm4py", "weasyprint", "openpyxl", "scipy", "streamlit"}
SAMPLE = str(Path(__file__).resolve().parents[1] / "sample_logs" / "hospital.csv")


def imported(*args: str) -> set[str]:
    """The top-level packages a fresh `python -X importtime ARGS` imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args], capture_output=True, text=True, check=True
    )
    lines = (line for line in done.stderr.splitlines() if line.startswith("import time:"))
    return {line.rsplit("|", 1)[1].strip().split(".")[0] for line in lines}


def test_the_check_sees_a_heavy_import():
    assert "plotly" in imported("-c", "import discovery.viz.mining_charts")


def test_importing_the_command_line_loads_no_heavy_library():
    found = imported("-c", "import discovery.cli")
    assert "discovery" in found and "pandas" in found
    assert not found & HEAVY


def test_the_map_command_loads_no_heavy_library():
    assert not imported("-m", "discovery.cli", "map", SAMPLE, "--json") & HEAVY


@pytest.mark.parametrize("package", [discovery, discovery.report], ids=lambda p: p.__name__)
def test_every_public_name_still_imports_from_its_package(package):
    names = ", ".join(package.__all__)
    subprocess.run([sys.executable, "-c", f"from {package.__name__} import {names}"], check=True)
    assert set(package.__all__) <= set(dir(package))
