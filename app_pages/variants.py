"""Variants: the distinct paths through the process, how common each is, and how long it takes."""

import streamlit as st

from discovery import discover_variants, format_count, format_share, variant_coverage_figure
from ui.context import require_view
from ui.filters import VARIANT
from ui.i18n import t
from ui.state import language, translated_choice
from ui.tables import shown

lang = language()
st.title(t("page.variants", lang))
st.write(t("variants.intro", lang))
current = require_view(in_place=True)
found = current.run(discover_variants)
variants = found.variants
st.caption(
    t(
        "variants.count",
        lang,
        variants=format_count(len(variants), lang),
        share=format_share(found.coverage(10), lang),
    )
)

table = variants.assign(path=variants["activities"].map(" → ".join))
st.dataframe(
    shown(
        table,
        {
            "variant": "col.variant",
            "cases": "col.cases",
            "share": "col.share",
            "cumulative_share": "col.cumulative",
            "throughput_median_s": "col.throughput",
            "length": "col.steps",
            "path": "col.path",
        },
        lang,
        times=("throughput_median_s",),
        parts=("share", "cumulative_share"),
    ),
    hide_index=True,
    key="variants.table",
    height=380,
)
left, right = st.columns([3, 2], gap="large")
right.plotly_chart(variant_coverage_figure(found, lang), key="variants.coverage")
number = translated_choice(
    left.selectbox,
    t("variants.choice", lang),
    list(variants["variant"]),
    format_func=lambda n: t(
        "variants.option",
        lang,
        number=n,
        cases=f"{format_count(int(variants['cases'].iloc[n - 1]), lang)} {t('col.cases', lang)}",
        share=format_share(float(variants["share"].iloc[n - 1]), lang),
    ),
    key="variants.choice",
)
chosen = variants.iloc[number - 1]
left.subheader(t("variants.steps", lang, number=number))
left.markdown(
    "\n".join(f"{step}. {activity}" for step, activity in enumerate(chosen["activities"], start=1))
)
if left.button(t("variants.to_map", lang), key="variants.to_map"):  # in place too
    st.session_state[VARIANT] = tuple(chosen["activities"])
    st.switch_page("app_pages/process_map.py")
