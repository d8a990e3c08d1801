"""Workspaces: analyses saved on disk, reopened without reading their source again.

>>> from discovery.workspace import Workspace
>>> workspace = Workspace("~/.journey")  # doctest: +SKIP
>>> saved = workspace.save_analysis(log, title="Hospital, Q1")  # doctest: +SKIP
>>> [analysis.title for analysis in workspace.list_analyses()]  # doctest: +SKIP
['Hospital, Q1']
>>> workspace.set_password("editor", "…")  # doctest: +SKIP
>>> Workspace("~/.journey").unlock("…")  # doctest: +SKIP
'editor'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from discovery._lazy import lazy_names

if TYPE_CHECKING:
    from discovery.workspace._schema import SCHEMA_VERSION
    from discovery.workspace.access import ROLES, Role, check_password, hash_password
    from discovery.workspace.errors import WorkspaceError
    from discovery.workspace.store import (
        ENVIRONMENT,
        OpenedAnalysis,
        SavedAnalysis,
        Workspace,
        file_sha256,
        workspace_path,
    )

_MODULES = {
    "discovery.workspace._schema": ("SCHEMA_VERSION",),
    "discovery.workspace.access": ("ROLES", "Role", "check_password", "hash_password"),
    "discovery.workspace.errors": ("WorkspaceError",),
    "discovery.workspace.store": (
        "ENVIRONMENT",
        "OpenedAnalysis",
        "SavedAnalysis",
        "Workspace",
        "file_sha256",
        "workspace_path",
    ),
}

__all__ = [
    "ENVIRONMENT",
    "ROLES",
    "SCHEMA_VERSION",
    "OpenedAnalysis",
    "Role",
    "SavedAnalysis",
    "Workspace",
    "WorkspaceError",
    "check_password",
    "file_sha256",
    "hash_password",
    "workspace_path",
]

if not TYPE_CHECKING:
    __getattr__ = lazy_names(globals(), _MODULES)
