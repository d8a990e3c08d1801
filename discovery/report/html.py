"""The report as one self-contained HTML page: maps as inline SVG, charts drawn by plotly.js
embedded once in the page, every text escaped; nothing is fetched when it opens. The
`printable` page is the same document for print (A4 pages, no scripts or charts), which
`discovery.report.pdf` renders.

>>> page = report_html(build_report(log, source="hospital.csv"), "nl")  # doctest: +SKIP
>>> Path("report.html").write_text(page, encoding="utf-8")  # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from html import escape
from importlib import resources

import plotly.graph_objects as go
import plotly.io
import plotly.offline

from discovery.mining.findings import DEVIATION_NAMES
from discovery.mining.maps import ProcessMap
from discovery.report._provenance import Provenance
from discovery.report.content import Report, Section, tracer_table
from discovery.report.tables import Column, Figure, Table, cell_text, label_text
from discovery.report.tracers import Tracer
from discovery.viz.dot import dot_to_svg, map_dot
from discovery.viz.intended_charts import conformance_trend_figure
from discovery.viz.mining_charts import (
    department_waiting_figure,
    handoff_matrix_figure,
    throughput_trend_figure,
    variant_coverage_figure,
)
from discovery.viz.timeline import case_timeline_figure
from discovery.words import (
    Items,
    Language,
    Message,
    message,
    plotly_locale,
    say,
)

__all__ = ["report_html", "tracer_html"]

_CHART_CONFIG = {"displaylogo": False, "responsive": True}
_LEADING = ("summary", "findings")  # on the summary page, before the maps
PRINTED_ROWS = 60  # rows of a section's table in print; the workbook holds them all


def report_html(report: Report, language: Language = "en", *, printable: bool = False) -> str:
    """The whole report as one HTML document in `language`: summary, findings and
    provenance, the maps, every section with its charts (not when `printable`), and one
    part per tracer case."""
    provenance = report.provenance
    title = say("report.title", language, source=provenance.source.name)
    timezone = report.log.timezone
    charts = {} if printable else _section_charts(report, language)
    rows = PRINTED_ROWS if printable else None
    sections = report.sections()
    leading = [section for section in sections if section.key in _LEADING]
    body = [
        _heading(title, provenance, language),
        *(_section(s, language, timezone, charts.get(s.key, ())) for s in leading),
        _provenance(provenance, language),
        _maps(report, language),
        '<div class="page">',
        *(
            _section(s, language, timezone, charts.get(s.key, ()), rows)
            for s in sections
            if s.key not in _LEADING
        ),
        "</div>",
        _tracers(report.tracers, language, printable),
    ]
    return _document(title, body, language, printable, scripts=bool(charts))


def tracer_html(
    tracer: Tracer, provenance: Provenance, language: Language = "en", *, printable: bool = False
) -> str:
    """One tracer case alone (the case explorer's export) with the provenance of its log."""
    title = say("report.tracer.title", language, case=tracer.trail.case_id)
    body = [
        _heading(title, provenance, language),
        _tracer(tracer, language, "tracer", printable, heading=False),
        _provenance(provenance, language),
    ]
    return _document(title, body, language, printable, scripts=not printable)


def _document(
    title: str, body: Iterable[str], language: Language, printable: bool, *, scripts: bool
) -> str:
    style = _stylesheet() + (_page_style(title, language) if printable else "")
    locale = plotly_locale(language)
    plotly_js = "" if not scripts else f"<script>{plotly.offline.get_plotlyjs()}</script>"
    if scripts and locale is not None:
        plotly_js += f"\n<script>Plotly.register({_script_json(locale)});</script>"
    printable_class = ' class="printable"' if printable else ""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{escape(language)}"{printable_class}>',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title>",
            f"<style>{style}</style>",
            plotly_js,
            "</head>",
            "<body>",
            *body,
            "</body>",
            "</html>",
        ]
    )


def _script_json(value: object) -> str:
    """`value` as JSON that cannot end the script element it is written in."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def _stylesheet() -> str:
    return resources.files("discovery.report").joinpath("report.css").read_text("utf-8")


def _page_style(title: str, language: Language) -> str:
    """A4 pages with margins, the title at the foot on the left and "page n of m" right."""
    text = say("report.html.page", language, page="\x00", pages="\x01")
    counters = {"\x00": "counter(page)", "\x01": "counter(pages)"}
    page = " ".join(counters.get(p) or _css_string(p) for p in re.split("([\x00\x01])", text) if p)
    foot = "font-family: 'DejaVu Sans', sans-serif; font-size: 7pt; color: #59636e;"
    return (
        "@page { size: A4; margin: 14mm 12mm 16mm 12mm; "
        f"@bottom-left {{ content: {_css_string(title)}; {foot} }} "
        f"@bottom-right {{ content: {page}; {foot} }} }}"
    )


def _css_string(text: str) -> str:
    """`text` as a quoted CSS string; quotes, backslashes and markup characters escaped so
    that no text can close the string or the style element."""
    safe = "".join(
        f"\\{ord(char):x} " if char in '"\\<>&' or not char.isprintable() else char for char in text
    )
    return f'"{safe}"'


def _heading(title: str, provenance: Provenance, language: Language) -> str:
    made_by = say("report.made_by", language, version=provenance.version)
    return f'<h1>{escape(title)}</h1>\n<p class="made-by">{escape(made_by)}</p>'


def _section(
    section: Section,
    language: Language,
    timezone: str,
    charts: Iterable[str] = (),
    rows: int | None = None,
) -> str:
    """A section; its tables cut to their first `rows` rows where given (in print)."""
    parts = [
        f'<section id="{escape(section.key)}">',
        f"<h2>{escape(say(section.title, language))}</h2>",
        _figures(section.figures, language, timezone),
        _sentences(section.sentences, language),
        *charts,
        *(_table(table, language, timezone, rows) for table in section.tables),
        "</section>",
    ]
    return "\n".join(part for part in parts if part)


def _figures(figures: Iterable[Figure], language: Language, timezone: str) -> str:
    items = [
        f'<li class="figure"><span class="figure-label">{escape(say(f.label, language))}</span>'
        f'<span class="figure-value">{escape(cell_text(f.value, f.kind, language, timezone))}'
        "</span></li>"
        for f in figures
    ]
    return f'<ul class="figures">{"".join(items)}</ul>' if items else ""


def _sentences(sentences: Iterable[Message | str], language: Language) -> str:
    said = [escape(say(sentence, language)) for sentence in sentences]
    if len(said) <= 1:
        return "".join(f"<p>{text}</p>" for text in said)
    return "<ul>" + "".join(f"<li>{text}</li>" for text in said) + "</ul>"


def _table(table: Table, language: Language, timezone: str, limit: int | None = None) -> str:
    """A table with its caption; each value said by its column's kind, numbers right. With
    a `limit`, its first `limit` rows and a note that the workbook holds them all."""
    caption = escape(say(table.title, language))
    said = table.note
    if limit is not None and len(table.rows) > limit:
        said = message("report.html.printed_rows", shown=limit, total=table.total_rows)
        table = replace(table, rows=table.rows.head(limit))
    note = f'<p class="note">{escape(say(said, language))}</p>' if said else ""
    if table.rows.empty:
        empty = escape(say("report.html.no_rows", language))
        return f'<h3>{caption}</h3>\n<p class="note">{empty}</p>'
    columns = table.columns
    head = "".join(
        f'<th scope="col"{_aligned(c)}>{escape(label_text(c, language))}</th>' for c in columns
    )
    values = zip(*(table.rows[c.name].tolist() for c in columns), strict=True)
    rows = "\n".join(
        "<tr>"
        + "".join(
            f"<td{_aligned(c)}>{escape(cell_text(v, c.kind, language, timezone))}</td>"
            for c, v in zip(columns, row, strict=True)
        )
        + "</tr>"
        for row in values
    )
    return (
        f'<div class="table-wrap"><table><caption>{caption}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody></table></div>{note}"
    )


_NUMBERS = ("count", "number", "share", "duration")


def _aligned(column: Column) -> str:
    """Numbers right-aligned; moments kept on one line; texts left to wrap."""
    if column.kind in _NUMBERS:
        return ' class="num"'
    return ' class="moment"' if column.kind == "datetime" else ""


def _provenance(provenance: Provenance, language: Language) -> str:
    rows = "".join(
        f'<tr><th scope="row">{escape(label)}</th><td>{escape(value)}</td></tr>'
        for label, value in provenance.lines(language)
    )
    title = escape(say("report.section.provenance", language))
    return (
        f'<section id="provenance"><h2>{title}</h2>\n'
        f'<table class="provenance"><tbody>{rows}</tbody></table></section>'
    )


def _maps(report: Report, language: Language) -> str:
    """The process map, and the department map where the log has departments, each on its
    own page in print."""
    maps = [
        _map(shown.map, shown.map.level, language, shown.title, shown.note)
        for shown in report.maps()
    ]
    title = escape(say("report.section.maps", language))
    first, *rest = maps
    return "\n".join(
        [
            f'<section id="maps" class="page"><h2>{title}</h2>',
            first,
            *(f'<div class="page">{part}</div>' for part in rest),
            "</section>",
        ]
    )


def _map(
    process_map: ProcessMap,
    level: str,
    language: Language,
    title: Message,
    note: Message | None = None,
) -> str:
    """A map laid out by Graphviz as inline SVG (Graphviz escapes the labels in it), its
    element ids prefixed by its `level` so that two maps in one page keep them apart."""
    svg = dot_to_svg(map_dot(process_map, "frequency", language))
    missing = escape(say("report.map.missing", language))
    drawn = f'<p class="note">{missing}</p>' if svg is None else _prefixed_ids(svg, level)
    below = f'<p class="note">{escape(say(note, language))}</p>' if note else ""
    caption = escape(say(title, language))
    return f'<figure class="map"><figcaption>{caption}</figcaption>\n{drawn}\n{below}</figure>'


def _prefixed_ids(svg: str, prefix: str) -> str:
    """Graphviz's ids (graph0, node1, edge1, clust1) as `prefix`-graph0 and so on; no label
    can match, Graphviz writes the quotes in labels as &quot;."""
    return re.sub(r' id="((?:graph|node|edge|clust)\d+)"', rf' id="{prefix}-\1"', svg)


def _section_charts(report: Report, language: Language) -> dict[str, tuple[str, ...]]:
    """Each section's Plotly charts as HTML, with fixed element ids."""
    figures: dict[str, list[Callable[[], go.Figure]]] = {
        "summary": [lambda: throughput_trend_figure(report.throughput, language)],
        "variants": [lambda: variant_coverage_figure(report.variants, language)],
    }
    if report.summary.departments:
        figures["handoffs"] = [
            lambda: handoff_matrix_figure(report.handoffs, language),
            lambda: department_waiting_figure(report.handoffs, language),
        ]
    conformance = report.conformance
    if conformance is not None:
        figures["conformance"] = [lambda: conformance_trend_figure(conformance, language)]
    return {
        key: tuple(_chart(draw(), f"chart-{key}-{n}", language) for n, draw in enumerate(draws, 1))
        for key, draws in figures.items()
    }


def _chart(figure: go.Figure, chart_id: str, language: Language) -> str:
    """A figure drawn in the page by the plotly.js embedded once in it, its dates in the
    language's month names; the fixed id keeps two builds of the same report identical."""
    div = plotly.io.to_html(
        figure,
        full_html=False,
        include_plotlyjs=False,
        include_mathjax=False,
        div_id=chart_id,
        config=_CHART_CONFIG
        if plotly_locale(language) is None
        else _CHART_CONFIG | {"locale": language},
    )
    return f'<div class="chart">{div}</div>'


def _tracers(tracers: Iterable[Tracer], language: Language, printable: bool) -> str:
    """The tracer cases, each starting a page in print; the heading on the first one's."""
    parts = [
        _tracer(tracer, language, f"tracer-{n}", printable, page=n > 1)
        for n, tracer in enumerate(tracers, 1)
    ]
    if not parts:
        return ""
    title = escape(say("report.section.tracers", language))
    return "\n".join([f'<section id="tracers" class="page"><h2>{title}</h2>', *parts, "</section>"])


def _tracer(
    tracer: Tracer,
    language: Language,
    part_id: str,
    printable: bool,
    *,
    heading: bool = True,
    page: bool = False,
) -> str:
    """One case: why it was drawn, its totals, route and attributes, its deviations and
    missed steps, its timeline (not in print) and its trail."""
    trail = tracer.trail
    timezone = trail.timezone
    title = say("report.tracer.title", language, case=trail.case_id)
    timeline: tuple[str, ...] = ()
    if not printable:
        timeline = (_chart(case_timeline_figure(trail, language), f"{part_id}-chart", language),)
    parts = [
        f'<section id="{escape(part_id)}" class="tracer{" page" if page else ""}">',
        f"<h3>{escape(title)}</h3>" if heading else "",
        "".join(f"<p>{escape(say(line, language))}</p>" for line in tracer.lines()),
        _tracer_deviations(tracer, language),
        *timeline,
        _table(tracer_table(tracer), language, timezone),
        "</section>",
    ]
    return "\n".join(part for part in parts if part)


def _tracer_deviations(tracer: Tracer, language: Language) -> str:
    """The case's deviations as a table and the designed steps it missed; a sentence where
    it conforms or where no intended journey was checked."""
    trail = tracer.trail
    if not trail.deviations:  # marked (possibly with none) only when checked
        return f"<p>{escape(say('report.tracer.not_checked', language))}</p>"
    skipped = (
        message("report.tracer.skipped", steps=Items(trail.skipped))
        if trail.skipped
        else message("report.tracer.none_skipped")
    )
    missed = f"<p>{escape(say(skipped, language))}</p>"
    deviations = tracer.deviations
    if deviations.empty:
        return f"<p>{escape(say('report.tracer.conforming', language))}</p>\n{missed}"
    table = Table(
        message("report.tracer.deviations"),
        (
            Column("kind", "col.kind"),
            Column("name", "col.step"),
            Column("department", "col.department"),
            Column("occurrences", "report.html.occurrences", "count"),
        ),
        deviations.assign(kind=[DEVIATION_NAMES[kind] for kind in deviations["kind"]]),
    )
    return f"{_table(table, language, trail.timezone)}\n{missed}"
