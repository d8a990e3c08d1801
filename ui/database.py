"""Connect to a database: a connection string, a table or a read-only query, a password.

The session keeps the connection's settings (`Connection`), never the password: it goes
to the library when connecting and is then cleared from its field. The opened log (here
or in place, by `discovery.open_source`'s rule) is kept with the uploads (`ui.loading`),
under a key with a token of this connection, so another session never reuses it. Where
the log has been let go since, it is opened again with $JOURNEY_DB_PASSWORD or libpq's
PGPASSWORD/.pgpass; without them, the user is asked to connect again. Every source is
shown masked (`postgresql://ana:***@db/zorg`), and so is every error said (`said_error`):
a driver's text may quote the password, which the connection recognises by a salted
digest (`Secret`), never kept as it is.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import uuid
from dataclasses import dataclass, field, replace
from urllib.parse import quote

import streamlit as st

from discovery import (
    LOCAL_LIMIT,
    PASSWORD_VARIABLE,
    EventLog,
    InPlaceLog,
    Language,
    LogError,
    SourceSpec,
    bring_here,
    format_count,
    masked_error,
    open_source,
    parse_source,
)
from ui.i18n import t
from ui.loading import open_connection

CONNECTION = "app.connection"  # the Connection in use (no password)
SOURCE_FIELD = "upload.database.source"
TABLE_FIELD = "upload.database.table"
PASSWORD_FIELD = "upload.database.password"
ERROR = "upload.database.error"
QUERY_START = re.compile(r"^\s*(select|with)\b", re.IGNORECASE)
URL_PASSWORD = re.compile(r"^(\w+://[^/@:]*):[^/@]*@")
MARKDOWN = re.compile(r"([*_`~$\[\]<>])")
WITH_TABLE = ("duckdb", "postgresql")  # the kinds whose table is given as ?table=


@dataclass(frozen=True)
class Secret:
    """A password recognised, not kept: its length and a salted BLAKE2 digest."""

    length: int
    salt: bytes
    digest: bytes

    @classmethod
    def of(cls, password: str) -> Secret:
        salt = secrets.token_bytes(16)
        return cls(len(password), salt, _digest(password, salt))

    def found_in(self, text: str) -> str | None:
        """The password, where `text` holds it (each stretch of its length is compared)."""
        for start in range(len(text) - self.length + 1):
            stretch = text[start : start + self.length]
            if secrets.compare_digest(_digest(stretch, self.salt), self.digest):
                return stretch
        return None


def _digest(text: str, salt: bytes) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), salt=salt, digest_size=32).digest()


@dataclass(frozen=True)
class Connection:
    """What was connected to, without its password (`secret` recognises it in a text);
    `here`: its rows brought here."""

    text: str
    query: str | None
    shown: str
    token: str
    here: bool = False
    secret: Secret | None = field(default=None, repr=False)

    @property
    def key(self) -> str:
        return f"database/{self.token}/{self.shown}/{'here' if self.here else 'auto'}"


def source_text(text: str, table: str) -> tuple[str, str | None]:
    """The SOURCE and query for the two fields: a SELECT (or WITH) is a query; a table name
    is added to a duckdb: or postgresql:// string as `?table=` (a spark: string and a Parquet
    folder name their rows themselves)."""
    text, table = text.strip(), table.strip()
    if not table:
        return text, None
    if QUERY_START.match(table):
        return text, table
    if _kind(text) in WITH_TABLE and "table=" not in text:
        separator = "&" if "?" in text else "?"
        return f"{text}{separator}table={quote(table, safe='.')}", None
    return text, None


def _kind(text: str) -> str:
    scheme = text.partition(":")[0].lower()
    return "postgresql" if scheme in ("postgresql", "postgres") else scheme


def plain(text: str) -> str:
    """`text` (a source, a message naming one) to show as it is in Streamlit's markdown,
    where the mask `***` would otherwise be read as emphasis."""
    return MARKDOWN.sub(r"\\\1", text)


def without_password(text: str) -> str:
    """`text` with a password written in its URL left out (the URL's user stays)."""
    return URL_PASSWORD.sub(r"\1@", text)


def said_error(error: BaseException) -> str:
    """`error` in one line to show (`discovery.masked_error`): the password of the
    connection in use (by its `Secret`), $JOURNEY_DB_PASSWORD, $PGPASSWORD, a URL's
    password and a `password=` setting masked."""
    known = [os.environ.get(name) for name in (PASSWORD_VARIABLE, "PGPASSWORD")]
    connection: Connection | None = st.session_state.get(CONNECTION)
    if connection is not None and connection.secret is not None:
        known.append(connection.secret.found_in(str(error)))
    return masked_error(error, known)


def connect(lang: Language) -> None:
    """The Connect button's callback: open the source; on success use it. Clears the
    password field and any password in the connection string's field either way."""
    state = st.session_state
    password = state.get(PASSWORD_FIELD) or None
    state[PASSWORD_FIELD] = ""  # the browser's field is emptied too (a pop would not)
    typed = state.get(SOURCE_FIELD, "")
    state[SOURCE_FIELD] = without_password(typed)
    spec: SourceSpec | None = None
    try:
        text, query = source_text(typed, state.get(TABLE_FIELD, ""))
        spec = parse_source(text, query=query, password=password)
        secret = Secret.of(spec.password) if spec.password else None
        connection = Connection(
            without_password(text), query, spec.shown, uuid.uuid4().hex, secret=secret
        )
        open_connection(
            connection.key,
            lambda: open_source(text, query=query, password=password, local_limit=LOCAL_LIMIT),
        )
    except LogError as error:
        state[ERROR] = t("app.database.error", lang, error=plain(error.say(lang)))
        return
    except Exception as error:  # a driver's failure we did not foresee: never a traceback
        known = [password, spec.password if spec is not None else None]
        said = plain(masked_error(error, [*known, os.environ.get(PASSWORD_VARIABLE)]))
        state[ERROR] = t("app.database.unexpected", lang, kind=said)
        return
    state.pop(ERROR, None)
    state[CONNECTION] = connection
    state["app.source"] = "database"


def opened(connection: Connection) -> EventLog | InPlaceLog:
    """The connection's log, from the kept ones, or opened again (without a password of
    its own: $JOURNEY_DB_PASSWORD or libpq's PGPASSWORD and .pgpass)."""
    if connection.here:
        there = replace(connection, here=False)
        return open_connection(connection.key, lambda: _brought_here(opened(there)))
    return open_connection(
        connection.key,
        lambda: open_source(connection.text, query=connection.query, local_limit=LOCAL_LIMIT),
    )


def _brought_here(log: EventLog | InPlaceLog) -> EventLog:
    return log if isinstance(log, EventLog) else bring_here(log)


def bring_connection_here() -> None:
    """The "bring the rows here" button's callback."""
    connection: Connection | None = st.session_state.get(CONNECTION)
    if connection is not None:
        st.session_state[CONNECTION] = replace(connection, here=True)


def draw_connect(lang: Language) -> None:
    """The upload page's "Connect to a database" part."""
    st.subheader(t("app.database.title", lang))
    st.caption(t("app.database.intro", lang, limit=format_count(LOCAL_LIMIT, lang)))
    st.text_input(
        t("app.database.source", lang),
        key=SOURCE_FIELD,
        placeholder=t("app.database.source_placeholder", lang),
        help=t("app.database.source_help", lang),
    )
    st.text_input(
        t("app.database.table", lang),
        key=TABLE_FIELD,
        help=t("app.database.table_help", lang),
    )
    st.text_input(
        t("app.database.password", lang),
        key=PASSWORD_FIELD,
        type="password",
        help=t("app.database.password_help", lang),
    )
    st.button(
        t("app.database.connect", lang),
        key="upload.database.connect",
        on_click=connect,
        args=(lang,),
    )
    if ERROR in st.session_state:
        st.error(st.session_state[ERROR])
    connection: Connection | None = st.session_state.get(CONNECTION)
    if connection is not None and st.session_state.get("app.source") == "database":
        st.success(t("app.database.connected", lang, name=plain(connection.shown)))
