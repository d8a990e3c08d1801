"""The `journey` command as the tests run it: in its own process, as a user does
(`journey`), or in the test process with its `--json` output checked against the command's
schema, discovery/schemas/COMMAND.schema.json (`run_json`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

from jsonschema import Draft202012Validator

from discovery.cli import main

ROOT = Path(__file__).resolve().parents[1]


def journey(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`journey ARGS` in a process of its own, from the repository's root (`env` added to
    the environment); its exit code, standard output and error."""
    command = [sys.executable, "-m", "discovery.cli", *map(str, args)]
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        command, capture_output=True, text=True, timeout=300, cwd=ROOT, env=environment
    )


def schema(command: str) -> dict:
    return json.loads((files("discovery") / "schemas" / f"{command}.schema.json").read_text())


def valid(data: dict, command: str) -> dict:
    """`data`, after asserting it follows the command's schema (the first errors shown)."""
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in Draft202012Validator(schema(command)).iter_errors(data)
    ]
    assert not errors, "\n".join(errors[:10])
    return data


def run_json(capsys, *args: object) -> dict:
    """`journey ARGS --json` (the command is the first argument), checked and parsed."""
    assert main([*map(str, args), "--json"]) == 0
    return valid(json.loads(capsys.readouterr().out), str(args[0]))
