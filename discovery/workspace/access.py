"""Who may do what in a workspace: an optional password per role, kept only as a hash.

Two roles: a **viewer** lists and opens saved analyses; an **editor** also saves, renames,
deletes and sets the passwords. A workspace without a password is open to everyone as an
editor. With an editor password it opens to those who give a password: the editor's makes
an editor, the viewer's (optional, set after the editor's) a viewer.

A password is kept as an scrypt hash (`hashlib.scrypt`) with a random salt of its own and
the parameters it was made with, so that stronger parameters later still check the old
hashes: `scrypt$N$r$p$SALT$HASH`, salt and hash in base64. Nothing here logs, prints or
keeps a password.

>>> stored = hash_password("correct horse")
>>> stored.startswith("scrypt$16384$8$1$"), stored == hash_password("correct horse")
(True, False)
>>> check_password("correct horse", stored), check_password("wrong horse", stored)
(True, False)
>>> role_of("correct horse", {"editor": stored})
'editor'
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "PASSWORD_VARIABLE",
    "ROLES",
    "Role",
    "Scrypt",
    "check_password",
    "hash_password",
    "may",
    "role_of",
]

Role = Literal["viewer", "editor"]
ROLES: tuple[Role, ...] = ("viewer", "editor")  # each may do what the one before it may
PASSWORD_VARIABLE = "JOURNEY_WORKSPACE_PASSWORD"  # the CLI's password for a workspace
_SCHEME = "scrypt"


@dataclass(frozen=True)
class Scrypt:
    """scrypt's parameters: cost `n` (a power of two), block size `r`, parallelism `p`, and
    the lengths of the salt and the hash in bytes. The defaults are scrypt's parameters for
    interactive logins: 16 MB and about 0.1 s per check on this project's 2-core machine,
    modest because several sessions of a shared server may check at once. The workspace's
    events are not encrypted (whoever reads the file reads them), so the hash protects the
    password itself, one perhaps used elsewhere too."""

    n: int = 2**14
    r: int = 8
    p: int = 1
    salt_bytes: int = 16
    hash_bytes: int = 32

    def derive(self, password: str, salt: bytes, length: int) -> bytes:
        memory = 128 * self.r * (self.n + self.p + 2) + (1 << 20)
        return hashlib.scrypt(
            password.encode(), salt=salt, n=self.n, r=self.r, p=self.p, maxmem=memory, dklen=length
        )


def hash_password(password: str, parameters: Scrypt = Scrypt()) -> str:
    """The text to store for `password`: its scrypt hash with a new random salt and the
    parameters (the same password hashes differently each time)."""
    salt = secrets.token_bytes(parameters.salt_bytes)
    digest = parameters.derive(password, salt, parameters.hash_bytes)
    fields = (parameters.n, parameters.r, parameters.p, _b64(salt), _b64(digest))
    return "$".join((_SCHEME, *map(str, fields)))


def check_password(password: str, stored: str) -> bool:
    """Whether `password` is the one `stored` (from `hash_password`) was made from; False
    for a stored text that is no such hash. Compared in constant time."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        parameters = Scrypt(n=int(n), r=int(r), p=int(p))
        expected = base64.b64decode(digest, validate=True)
        found = parameters.derive(password, base64.b64decode(salt, validate=True), len(expected))
    except ValueError:
        return False
    return scheme == _SCHEME and hmac.compare_digest(found, expected)


def role_of(password: str, hashes: Mapping[Role, str]) -> Role | None:
    """The role `password` gives among the stored `hashes` (the editor's checked first);
    None when it matches none of them.

    >>> role_of("anything", {}) is None
    True
    """
    for role in reversed(ROLES):
        stored = hashes.get(role)
        if stored is not None and check_password(password, stored):
            return role
    return None


def may(role: Role | None, need: Role) -> bool:
    """Whether `role` may do what needs `need` (an editor may do all a viewer may).

    >>> may("editor", "viewer"), may("viewer", "editor"), may(None, "viewer")
    (True, False, False)
    """
    return role is not None and ROLES.index(role) >= ROLES.index(need)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
