"""Set up and run Journey Discovery with nothing but Python 3.11+.

    python3 dev.py app    # start the app on a bundled sample log
    python3 dev.py test   # lint and run the whole test suite

Both create `.venv` and install the project into it on first use (and again whenever
pyproject.toml changes), so a fresh clone needs no other step. `test` also installs
Debian's chromium for the browser tests when /usr/bin/chromium is missing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"
CHROMIUM = Path("/usr/bin/chromium")


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command not in {"app", "test"}:
        print(__doc__)
        return 2
    install()
    if command == "app":
        return run([BIN / "streamlit", "run", "app.py", *sys.argv[2:]])
    install_chromium()
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


def install_chromium() -> None:
    """Install Debian's chromium (the browser the browser tests drive) when it is missing."""
    if CHROMIUM.exists():
        return
    apt = shutil.which("apt-get")
    if apt is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        sys.exit(
            f"The browser tests need Debian's chromium at {CHROMIUM}, which is missing, and "
            "this user cannot install it (it needs apt-get, as root). Install it with "
            "`sudo apt-get install -y chromium`, then run `python3 dev.py test` again."
        )
    quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    listed = subprocess.run(["apt-cache", "show", "chromium"], capture_output=True, env=quiet)
    if listed.returncode != 0:
        _apt_update(apt, quiet)
    print(
        "Installing Debian's chromium for the browser tests: apt-get install -y chromium",
        flush=True,
    )
    installed = subprocess.run([apt, "install", "-y", "chromium"], env=quiet)
    if installed.returncode != 0 and listed.returncode == 0:
        _apt_update(apt, quiet)  # the package lists may be stale
        installed = subprocess.run([apt, "install", "-y", "chromium"], env=quiet)
    if installed.returncode != 0 or not CHROMIUM.exists():
        sys.exit(
            f"Could not install Debian's chromium (apt-get exited with {installed.returncode}); "
            f"the browser tests need {CHROMIUM}. Check that Debian's package servers are "
            "reachable, or install it with `apt-get install -y chromium`."
        )
    print(f"Installed {CHROMIUM}.", flush=True)


def _apt_update(apt: str, env: dict) -> None:
    print("Refreshing the package lists: apt-get update", flush=True)
    subprocess.run([apt, "update"], env=env)


def run(args: list) -> int:
    return subprocess.run([str(arg) for arg in args], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
