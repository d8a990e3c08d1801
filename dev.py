"""Set up and run Journey Discovery with nothing but Python 3.11+.

    python3 dev.py app    # start the app on a bundled sample log (on this machine only)
    JOURNEY_PASSWORD=… python3 dev.py app --serve   # serve it to the network, with a password
    python3 dev.py test   # lint, check the types, run the whole test suite, then the quick
                          # speed check (benchmarks/quick.py: warns, never fails)

Both create `.venv` and install the project into it on first use (and again whenever
pyproject.toml changes), so a fresh clone needs no other step. Both also install Debian's
Graphviz when it is missing (the app lays out its maps with it, several times faster than
the browser can; without it the browser does) and Pango with the DejaVu fonts (WeasyPrint
lays out the PDF reports with them); `test` also installs Debian's chromium for the browser
tests and poppler-utils, with which the tests read the PDF reports, and postgresql and
openjdk-17-jre-headless: the tests start a throwaway PostgreSQL cluster and Spark on them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"
DEBIAN = {  # package: a file it installs (a pattern where the path names a version)
    "chromium": Path("/usr/bin/chromium"),
    "graphviz": Path("/usr/bin/dot"),
    "libpangoft2-1.0-0": Path("/usr/share/doc/libpangoft2-1.0-0/copyright"),  # PDF reports
    "fonts-dejavu-core": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    "poppler-utils": Path("/usr/bin/pdftotext"),  # the tests read the PDF reports with it
    "postgresql": Path("/usr/lib/postgresql/*/bin/initdb"),  # tests/servers.py: a cluster
    "openjdk-17-jre-headless": Path("/usr/lib/jvm/java-17-openjdk-*/bin/java"),  # for Spark
}
SERVERS = ["postgresql", "openjdk-17-jre-headless"]  # the tests start PostgreSQL and Spark
REPORTS = ["libpangoft2-1.0-0", "fonts-dejavu-core"]  # WeasyPrint lays out PDFs with Pango


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command not in {"app", "test"}:
        print(__doc__)
        return 2
    if command == "app":
        options = app_options(sys.argv[2:], os.environ)
        if options is None:
            print(NO_PASSWORD, file=sys.stderr)
            return 2
        install()
        install_debian(["graphviz", *REPORTS], required=False)
        return run([BIN / "streamlit", "run", "app.py", *options])
    install()
    install_debian(["chromium", "graphviz", *REPORTS, "poppler-utils", *SERVERS], required=True)
    lint = run([BIN / "ruff", "check", "."]) or run([BIN / "ruff", "format", "--check", "."])
    types = lint or run([BIN / "python", "-m", "mypy"])  # strict on discovery/: pyproject.toml
    tests = types or run([BIN / "python", "-m", "pytest", *sys.argv[2:]])
    if tests == 0 and len(sys.argv) == 2:  # the whole suite passed: the quick speed check
        run([BIN / "python", "benchmarks/quick.py"])  # warns on a regression, never fails
    return tests


NO_PASSWORD = (
    "--serve makes the app reachable from the network, where it must ask for a password: "
    "set one in the environment variable JOURNEY_PASSWORD, e.g. "
    "JOURNEY_PASSWORD='…' python3 dev.py app --serve"
)


def app_options(arguments: list[str], environment: Mapping[str, str]) -> list[str] | None:
    """Streamlit's options for `dev.py app ARGUMENTS`: on this machine only (the config's
    address), or with --serve on every network interface, which needs JOURNEY_PASSWORD
    (None when it is not set)."""
    if "--serve" not in arguments:
        return arguments
    if not environment.get("JOURNEY_PASSWORD"):
        return None
    return ["--server.address", "0.0.0.0", *(a for a in arguments if a != "--serve")]


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


def install_debian(packages: list[str], required: bool) -> None:
    """Install the Debian packages among `packages` that are missing; stop with a clear
    message where they are `required` and cannot be installed, else say so and go on."""
    missing = [name for name in packages if not installed(name)]
    if not missing:
        return
    command = f"apt-get install -y {' '.join(missing)}"
    apt = shutil.which("apt-get")
    if apt is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        _cannot(f"{command} needs apt-get, as root.", missing, required)
        return
    quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    listed = subprocess.run(["apt-cache", "show", *missing], capture_output=True, env=quiet)
    if listed.returncode != 0:
        _apt_update(apt, quiet)
    print(f"Installing Debian's {', '.join(missing)}: {command}", flush=True)
    result = subprocess.run([apt, "install", "-y", *missing], env=quiet)
    if result.returncode != 0 and listed.returncode == 0:
        _apt_update(apt, quiet)  # the package lists may be stale
        result = subprocess.run([apt, "install", "-y", *missing], env=quiet)
    absent = [name for name in missing if not installed(name)]
    if absent:
        _cannot(
            f"{command} exited with {result.returncode}; check that Debian's package "
            "servers are reachable.",
            absent,
            required,
        )
        return
    print(f"Installed {', '.join(str(DEBIAN[name]) for name in missing)}.", flush=True)


def installed(package: str) -> bool:
    """Whether the file that Debian's `package` installs is there (DEBIAN)."""
    pattern = DEBIAN[package]
    return any(Path(pattern.anchor).glob(str(pattern.relative_to(pattern.anchor))))


def _cannot(reason: str, packages: list[str], required: bool) -> None:
    needed = ", ".join(f"{name} ({DEBIAN[name]})" for name in packages)
    if required:
        sys.exit(
            f"The tests need Debian's {needed}, which could not be installed: {reason} "
            "Install it, then run `python3 dev.py test` again."
        )
    print(
        f"Debian's {needed} is missing and could not be installed ({reason}); without "
        "Graphviz the app lays out its maps in the browser instead, which is slower, and "
        "without Pango it cannot make PDF reports.",
        flush=True,
    )


def _apt_update(apt: str, env: dict) -> None:
    print("Refreshing the package lists: apt-get update", flush=True)
    subprocess.run([apt, "update"], env=env)


def run(args: list) -> int:
    return subprocess.run([str(arg) for arg in args], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
