"""How long a report takes, per part and per format, on the bundled hospital sample and on
real public logs from ../shared/logs (those present):

    .venv/bin/python benchmarks/bench_reports.py

Prints, per log: reading it, build_report (every analysis, the readable maps, 5 tracer
cases), and writing the Excel workbook, the HTML page and the PDF (each the best of two
runs, with the file's size), then the import time of WeasyPrint in a cold process. The
report's content is computed once; the renderers only lay it out.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from discovery import read_event_log, read_intended_journey  # noqa: E402
from discovery.report import build_report, write_report  # noqa: E402

SHARED = ROOT.parent / "shared" / "logs"
LOGS = [
    (ROOT / "sample_logs" / "hospital.csv", ROOT / "sample_logs" / "hospital_intended.csv"),
    (SHARED / "sepsis.csv", None),
    (SHARED / "bpic2012.xes.gz", None),
]


def main() -> None:
    for path, intended in LOGS:
        if not path.exists():
            print(f"{path.name}: absent (../shared/logs), skipped")
            continue
        started = time.perf_counter()
        log = read_event_log(path)
        read_s = time.perf_counter() - started
        journey = read_intended_journey(intended) if intended else None
        started = time.perf_counter()
        report = build_report(
            log,
            source=path,
            intended=journey,
            intended_source=intended,
            tracers_by="deviation" if journey else "variant",
        )
        build_s = time.perf_counter() - started
        print(
            f"{path.name}: {log.n_events:,} events, {report.summary.cases:,} cases; "
            f"read {read_s:.2f} s, build_report {build_s:.2f} s"
        )
        for format in ("xlsx", "html", "pdf"):
            best, size = float("inf"), 0
            for _ in range(2):
                stream = io.BytesIO()
                started = time.perf_counter()
                write_report(report, stream, format, "nl")
                best = min(best, time.perf_counter() - started)
                size = len(stream.getvalue())
            print(f"  {format:<5} {best:6.2f} s  {size / 1e6:6.2f} MB")
    cold = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import weasyprint"],
        capture_output=True,
        text=True,
    )
    total = [line for line in cold.stderr.splitlines() if line.rstrip().endswith("weasyprint")]
    microseconds = int(total[-1].split("|")[1]) if total else 0
    print(f"import weasyprint in a cold process: {microseconds / 1e6:.2f} s")


if __name__ == "__main__":
    main()
