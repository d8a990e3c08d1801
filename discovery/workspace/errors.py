"""What can go wrong with a workspace, said in the user's language."""

from __future__ import annotations

from discovery.errors import LogError

__all__ = ["WorkspaceError"]


class WorkspaceError(LogError):
    """A workspace that cannot be used as asked (`file` is the workspace): no analysis with
    that id, a damaged file, one written by a newer version, or one busy for too long; one
    with a password not given (or a wrong one), or a viewer's asked to change something.
    It never holds a password.

    >>> from discovery.words import message
    >>> str(WorkspaceError(message("workspace.error.no_analysis", id="x1"), file="ws.duckdb"))
    'ws.duckdb: no saved analysis has the id x1'
    """
