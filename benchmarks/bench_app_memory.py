"""The app's memory over many uploads, and after its last session (issue 16, part 4).

    python benchmarks/bench_app_memory.py [--events 1000000] [--uploads 8] [--wait 150]

Starts the app (`streamlit run app.py`, as `bench_app_browser.py` does), then in Debian's
chromium, in one session, uploads `--uploads` different logs of `--events` events (the
simulated Parquet log with its case ids marked per file, written to benchmarks/data/),
confirms the columns and opens the process map of each. It records the server's resident
memory (/proc/PID/statm) after each, then closes the browser and records it every 10 s for
`--wait` seconds: Streamlit closes a session 30 s after its browser went
(`server.disconnectedSessionTTL`), and the app clears its caches and gives the memory back
30 s after its last session closed (`ui/memory.py`). Prints a table and the issue's
targets: under 1.5 GB after the uploads, back within 300 MB of the idle size within two
minutes of the last session.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bench_app_browser import MAP, open_app, settle, start_app
from report import machine, say

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.test_browser import _free_port  # noqa: E402

TARGET_PEAK_MB = 1536
TARGET_BACK_MB = 300
PACKAGES = ("streamlit", "playwright", "duckdb", "pyarrow")


def resident_mb(pid: int) -> float:
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def marked_logs(events: int, count: int) -> list[Path]:
    """`count` Parquet logs of `events` events, alike but for their case ids."""
    import pandas as pd
    from load_data import DATA, prepare

    source = prepare(events, ("parquet",))["parquet"]
    paths = [DATA / f"events_{events}_upload{number}.parquet" for number in range(count)]
    if not all(path.exists() for path in paths):
        frame = pd.read_parquet(source)
        for number, path in enumerate(paths):
            marked = frame.assign(case_id=frame["case_id"].astype(str) + f"-{number}")
            marked.to_parquet(path, index=False)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--uploads", type=int, default=8)
    parser.add_argument("--wait", type=int, default=150, help="seconds watched after closing")
    arguments = parser.parse_args()
    from playwright.sync_api import sync_playwright

    paths = marked_logs(arguments.events, arguments.uploads)
    server = start_app(port := _free_port(), browser_layout=False)
    rows: list[tuple[str, float]] = []
    try:
        with sync_playwright() as playwright:
            browser, page = open_app(playwright, port)
            idle = resident_mb(server.pid)
            rows.append(("the app open on its sample log (idle)", idle))
            for number, path in enumerate(paths, start=1):
                say(f"upload {number}: {path.name}")
                nav = page.get_by_test_id("stSidebarNav")
                nav.get_by_text("Upload and map columns", exact=True).click()
                settle(page)
                uploader = page.get_by_test_id("stFileUploader").locator("input[type=file]")
                uploader.set_input_files(path)
                use = page.get_by_role("button", name="Use these columns")
                use.wait_for()
                settle(page)
                use.click()
                page.get_by_text(f"Using {path.name}.").wait_for()
                nav.get_by_text("Process map", exact=True).click()
                page.locator(MAP).first.wait_for()
                settle(page)
                rows.append((f"upload {number} used, its map drawn", resident_mb(server.pid)))
            browser.close()
        closed = time.monotonic()
        for _ in range(arguments.wait // 10):
            time.sleep(10)
            seconds = time.monotonic() - closed
            rows.append((f"{seconds:.0f} s after the browser closed", resident_mb(server.pid)))
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(
        f"\n## The app's memory over {arguments.uploads} uploads of {arguments.events:,} "
        "events, then no session\n"
    )
    print(
        f"Command: `python benchmarks/bench_app_memory.py --events {arguments.events} "
        f"--uploads {arguments.uploads} --wait {arguments.wait}`\n"
    )
    print("| moment | server resident MB |\n|---|--:|")
    for moment, mb in rows:
        print(f"| {moment} | {mb:,.0f} |")
    peak = max(mb for moment, mb in rows if moment.startswith("upload"))
    after = [mb for _moment, mb in rows[arguments.uploads + 1 :][:12]]  # up to 120 s
    last = after[-1] if after else rows[-1][1]
    print(
        f"\nPeak after the uploads {peak:,.0f} MB (target < {TARGET_PEAK_MB:,} MB: "
        f"{'met' if peak < TARGET_PEAK_MB else 'NOT met'}); {10 * len(after)} s after the "
        f"browser closed {last:,.0f} MB, {last - idle:+,.0f} MB from idle (target within "
        f"{TARGET_BACK_MB} MB within 120 s: "
        f"{'met' if last - idle <= TARGET_BACK_MB else 'NOT met'})."
    )
    print("\n" + machine(PACKAGES))


if __name__ == "__main__":
    main()
