"""Shared by the benchmark scripts: what machine the figures come from, and progress lines."""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path


def machine(packages: Iterable[str]) -> str:
    """One line naming cores, CPU, memory, OS, Python and the packages' versions."""
    versions = []
    for package in packages:
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    cpu = next(
        (line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if "model name" in line),
        platform.processor() or "unknown CPU",
    )
    memory = next((line.split()[1] for line in _lines("/proc/meminfo") if "MemTotal" in line), "")
    ram = f", {int(memory) / 1024**2:.0f} GB RAM" if memory else ""
    return (
        f"Machine: {os.cpu_count()} cores ({cpu}){ram}, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; " + ", ".join(versions) + "."
    )


def say(text: str) -> None:
    """A progress line on standard error, so the table on standard output stays clean."""
    print(text, file=sys.stderr, flush=True)


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []
