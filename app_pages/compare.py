"""Compare: the log before and after a date, or against a second log — what changed, the
key figures with their tests, and the difference map."""

import pandas as pd
import streamlit as st

from discovery import (
    LogError,
    compare_logs,
    compare_periods,
    difference_dot,
    format_duration,
    format_number,
    format_share,
    words,
)
from ui.cache import Keyed
from ui.charts import draw_graph
from ui.context import intended_journey, require_view
from ui.i18n import t
from ui.loading import open_upload
from ui.state import default, file_digest, language, translated_choice

MODE, DATE, FILE, UPLOAD = "compare.mode", "compare.date", "compare.file", "compare.upload"
CHANGE, CONFORMANCE = "compare.change", "compare.conformance"

lang = language()
st.title(t("page.compare", lang))
st.write(t("compare.intro", lang))
current = require_view()

mode = translated_choice(
    st.radio, t("compare.mode", lang), ["period", "log"],
    format_func=lambda name: t(f"compare.mode.{name}", lang), key=MODE, horizontal=True,
)  # fmt: skip
journey = intended_journey(current)
options = {}
if journey is not None and st.checkbox(t("compare.conformance", lang), key=CONFORMANCE):
    options["journey"] = journey

if mode == "period":
    first, last = (moment.tz_convert(current.log.timezone).date() for moment in current.log.period)
    middle = (pd.Timestamp(first) + (pd.Timestamp(last) - pd.Timestamp(first)) / 2).date()
    if not first <= st.session_state.get(DATE, middle) <= last:  # chosen on another log
        st.session_state.pop(DATE)
    default(DATE, middle)
    day = st.date_input(
        t("compare.date", lang), min_value=first, max_value=last, key=DATE,
        help=t("compare.date_help", lang), format="YYYY-MM-DD",
    )  # fmt: skip
    run = (compare_periods, day.isoformat())
else:
    file = st.file_uploader(
        t("compare.file", lang), type=["csv", "xlsx", "xls", "xes", "gz", "parquet"], key=FILE
    )
    if file is not None:
        data = file.getvalue()
        st.session_state[UPLOAD] = (file.name, data, file_digest(file.file_id, data))
    if UPLOAD not in st.session_state:
        st.info(t("compare.upload_first", lang))
        st.stop()
    name, data, digest = st.session_state[UPLOAD]
    try:
        other = open_upload(digest, name, None, (), "keep", _data=data)
    except LogError as error:
        st.error(t("compare.unreadable", lang, name=name, error=error.say(lang)))
        st.stop()
    run = (compare_logs, Keyed(f"compare/{digest}", other))
    options["names"] = (current.log.source, name)

try:
    with st.spinner(t("compare.running", lang)):
        comparison = current.run(*run, **options)
except LogError as error:
    st.warning(error.say(lang))
    st.stop()

a, b = (words.say(n, lang) if not isinstance(n, str) else n for n in comparison.names)
st.caption(t("compare.sides", lang, a=a, b=b, cases_a=comparison.cases[0],
             cases_b=comparison.cases[1]))  # fmt: skip

st.header(t("compare.changes", lang))
sentences = [words.say(sentence, lang) for sentence in comparison.sentences()]
st.markdown("\n".join(f"{rank}. {text}" for rank, text in enumerate(sentences, start=1)))


def figure(value: float, unit: str) -> str:
    if unit == "seconds":
        return format_duration(value, lang)
    return format_share(value, lang) if unit == "share" else format_number(value, lang, 2)


def p_value(p: float) -> str:
    return f"<{format_number(0.001, lang, 3)}" if p < 0.001 else format_number(p, lang, 3)


st.header(t("compare.kpis", lang))
st.caption(t("compare.kpis_help", lang))
kpis = comparison.kpis
table = pd.DataFrame(
    {
        t("compare.col.figure", lang): [words.say(label, lang) for label in kpis["label"]],
        t("compare.col.a", lang): [
            figure(v, u) for v, u in zip(kpis["a"], kpis["unit"], strict=True)
        ],
        t("compare.col.b", lang): [
            figure(v, u) for v, u in zip(kpis["b"], kpis["unit"], strict=True)
        ],
        t("compare.col.p", lang): [p_value(p) for p in kpis["p_adjusted"]],
        t("compare.col.highlighted", lang): kpis["highlighted"].to_list(),
    }
)
st.dataframe(table, hide_index=True, key="compare.kpi_table")

st.header(t("compare.map", lang))
change = translated_choice(
    st.radio, t("compare.map.change", lang), ["frequency", "wait"],
    format_func=lambda name: t(f"compare.map.change.{name}", lang), key=CHANGE, horizontal=True,
)  # fmt: skip
st.caption(t(f"compare.map.legend.{change}", lang))
draw_graph(st, difference_dot(comparison, change, lang))
