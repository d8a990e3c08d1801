"""Small YAML files (intended journeys, stages), read safely: capped in size, safe types
only, and no aliases, so a few bytes cannot expand into a billion nodes."""

from __future__ import annotations

from pathlib import Path

import yaml

from discovery.errors import LogError
from discovery.io._safety import MiB, check_file
from discovery.words import Message, message

MAX_YAML_BYTES = 5 * MiB


class _NoAliases(yaml.SafeLoader):
    """The safe loader, refusing `*alias` references (the 'billion laughs' expansion)."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]  # stubs: untyped
            raise yaml.MarkedYAMLError(
                problem="aliases (*name) are not accepted", problem_mark=mark
            )
        # types-PyYAML says index is an int; PyYAML passes an int, None or a mapping's key Node
        return super().compose_node(parent, index)  # type: ignore[arg-type]


def read_yaml(path: str | Path, shown: str, what: Message | None = None) -> object:
    """The data in the YAML file at `path` (`shown` names it in messages, `what` says what
    kind of file it is: `message("io.yaml.journey")`, a journey file; by default "file").

    Raises LogError when the file is missing, over MAX_YAML_BYTES, or not valid YAML.
    """
    file, _ = check_file(path, shown)
    if file.stat().st_size > MAX_YAML_BYTES:
        kind = what or message("io.yaml.file")
        raise LogError(message("io.error.yaml_too_large", what=kind), file=shown)
    try:
        return yaml.load(file.read_text(encoding="utf-8-sig"), Loader=_NoAliases)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        said = message("io.error.yaml_invalid", reason=str(error).splitlines()[0])
        raise LogError(said, file=shown) from None
