"""Several people using one app at once (issue 16, part 4): each step's time, alone and
together, and the server's memory.

    python benchmarks/bench_app_sessions.py [--wait 90]

Four browser sessions (Debian's chromium, each driven by its own process) upload a log each
(two different 1M-event logs, a 200k-event log and the hospital sample as Excel), confirm
the columns, and open the process map, the handoffs page and the overview. Each step is
timed from the click until the page shows what the step must show (the columns to confirm,
"Using FILE.", the map's nodes, the bottleneck sentence, the overview's figures), not from
Streamlit's status widget, which can vanish while a page is still drawing. First every
session runs alone, one after the other, on a fresh server (the single-user times); then
all four at once on another fresh server. Prints each step's times, the ratio together ÷
alone against the target (under 2×), and the server's peak memory and its memory `--wait`
seconds after the browsers closed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench_app_browser import start_app
from bench_app_memory import marked_logs, resident_mb
from report import machine, say

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402 (after the path is set)
from tests.test_browser import _free_port  # noqa: E402

STEP_MS = 600_000
TARGET_RATIO = 2.0
STEPS = ("upload", "confirm", "process map", "handoffs", "overview")
PACKAGES = ("streamlit", "playwright", "duckdb", "pyarrow")


def session(url: str, path: Path) -> dict[str, float]:
    """One browser session's steps on `path`, each timed until its content shows."""
    from playwright.sync_api import sync_playwright

    times: dict[str, float] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="en-GB")
        page.set_default_timeout(STEP_MS)
        page.goto(url)
        page.get_by_role("heading", name="Upload and map columns", level=1).wait_for()
        main, nav = page.get_by_test_id("stMain"), page.get_by_test_id("stSidebarNav")

        def timed(step: str, act, shown) -> None:
            began = time.perf_counter()
            act()
            shown().wait_for()
            times[step] = time.perf_counter() - began

        uploader = page.get_by_test_id("stFileUploader").locator("input[type=file]")
        use = page.get_by_role("button", name="Use these columns")
        timed("upload", lambda: uploader.set_input_files(path), lambda: use)
        page.wait_for_timeout(500)  # the page at rest before the click
        timed("confirm", use.click, lambda: main.get_by_text(f"Using {path.name}."))
        for step, title, shown in (
            ("process map", "Process map", lambda: main.locator("div.graph svg g.node").first),
            ("handoffs", "Handoffs and bottlenecks",
             lambda: main.get_by_text("Cases wait a median of").first),
            ("overview", "Overview", lambda: main.get_by_test_id("stMetric").filter(
                has_text="Median throughput time").get_by_test_id("stMetricValue")),
        ):  # fmt: skip
            timed(step, lambda title=title: nav.get_by_text(title, exact=True).click(), shown)
        browser.close()
    return times


def run_sessions(paths: list[Path], together: bool, wait: int) -> tuple[list[dict], dict]:
    """The sessions on a fresh server, alone one after the other or all at once; with the
    server's memory: idle, peak, and `wait` seconds after the last session closed."""
    server = start_app(port := _free_port(), browser_layout=False)
    url = f"http://127.0.0.1:{port}"
    memory = {"idle": resident_mb(server.pid), "peak": 0.0}
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            memory["peak"] = max(memory["peak"], resident_mb(server.pid))
            time.sleep(0.25)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    command = [sys.executable, __file__, "--child", url]
    try:
        if together:
            children = [subprocess.Popen([*command, str(p)], stdout=subprocess.PIPE, text=True)
                        for p in paths]  # fmt: skip
            outputs = [child.communicate()[0] for child in children]
        else:
            outputs = [subprocess.run([*command, str(p)], capture_output=True, text=True).stdout
                       for p in paths]  # fmt: skip
        results = [json.loads(output.strip().splitlines()[-1]) for output in outputs]
        time.sleep(wait)
        memory["after"] = resident_mb(server.pid)
    finally:
        stop.set()
        watcher.join()
        server.terminate()
        server.wait(timeout=30)
    return results, memory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wait", type=int, default=90, help="seconds after the sessions")
    parser.add_argument("--child", nargs=2, metavar=("URL", "FILE"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        url, path = arguments.child
        print(json.dumps(session(url, Path(path))))
        return
    from load_data import prepare

    paths = [
        *marked_logs(1_000_000, 2),
        prepare(200_000, ("parquet",))["parquet"],
        ROOT / "sample_logs" / "hospital.xlsx",
    ]
    say("one session with the hospital sample, to see the server's size once it was used ...")
    _, used = run_sessions(paths[-1:], together=False, wait=arguments.wait)
    say("alone, one session after the other ...")
    alone, alone_memory = run_sessions(paths, together=False, wait=0)
    say("four sessions at once ...")
    together, memory = run_sessions(paths, together=True, wait=arguments.wait)

    print("\n## Four browser sessions at once, against each alone\n")
    print(f"Command: `python benchmarks/bench_app_sessions.py --wait {arguments.wait}`\n")
    print("| log | step | alone s | together s | ratio |\n|---|---|--:|--:|--:|")
    ratios = []
    for path, single, shared in zip(paths, alone, together, strict=True):
        for step in STEPS:
            ratio = shared[step] / single[step]
            ratios.append(ratio)
            print(f"| {path.name} | {step} | {single[step]:.2f} | {shared[step]:.2f} "
                  f"| {ratio:.1f}× |")  # fmt: skip
    worst = max(ratios)
    print(
        f"\nEach step together ÷ alone: median {statistics.median(ratios):.1f}×, worst "
        f"{worst:.1f}× (target under {TARGET_RATIO:.0f}×: "
        f"{'met' if worst < TARGET_RATIO else 'NOT met'})."
    )
    print(
        f"Server memory: idle {memory['idle']:,.0f} MB; peak {memory['peak']:,.0f} MB with "
        f"the four together ({alone_memory['peak']:,.0f} MB over the sessions alone); "
        f"{memory['after']:,.0f} MB {arguments.wait} s after the last session closed. "
        f"A server that served one session with the hospital sample (the pages' libraries "
        f"imported): {used['after']:,.0f} MB {arguments.wait} s after it closed."
    )
    print("\n" + machine(PACKAGES))


if __name__ == "__main__":
    main()
