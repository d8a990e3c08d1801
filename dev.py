"""Set up and run Journey Discovery with nothing but Python 3.11+.

    python3 dev.py app    # start the app on a bundled sample log
    python3 dev.py test   # lint and run the whole test suite

Both create `.venv` and install the project into it on first use (and again whenever
pyproject.toml changes), so a fresh clone needs no other step.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command not in {"app", "test"}:
        print(__doc__)
        return 2
    install()
    if command == "app":
        return run([BIN / "streamlit", "run", "app.py", *sys.argv[2:]])
    lint = run([BIN / "ruff", "check", "."]) or run([BIN / "ruff", "format", "--check", "."])
    return lint or run([BIN / "python", "-m", "pytest", *sys.argv[2:]])


def install() -> None:
    """Create the virtual environment and install the project, when anything changed."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print("Creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    print("Installing Journey Discovery and its dependencies into .venv ...", flush=True)
    pip = [BIN / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)


def run(args: list) -> int:
    return subprocess.run([str(arg) for arg in args], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
