"""Running `journey ... --json` in the test process, its output checked against the
command's JSON schema (discovery/schemas/COMMAND.schema.json)."""

from __future__ import annotations

import json
from importlib.resources import files

from jsonschema import Draft202012Validator

from discovery.cli import main


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
