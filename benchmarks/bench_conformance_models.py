"""Conformance against real BPMN models: `journey conformance` against pm4py's alignments.

    python benchmarks/bench_conformance_models.py [--logs receipt,sepsis,...] [--noise 0.2,0.0]
                                                  [--timeout 600] [--time-limit 10]
    python benchmarks/bench_conformance_models.py --startup
    python benchmarks/bench_conformance_models.py --rows RUN1.err RUN2.err   # one table

For each public log in ../shared/logs (receipt, DomesticDeclarations, PermitLog, sepsis,
BPI_Challenge_2012_W_Two_TS), a model is mined with `pm4py.discover_bpmn_inductive` (noise
0.2 and 0.0) from the log as our reader gives it (pm4py's dataframe of the same events,
sorted by case, time and position) and written with `pm4py.write_bpmn`; the models are
cached in `benchmarks/data/models/` (delete them to mine again). Then, each in a fresh
process:

- ours, end to end: `journey conformance LOG --intended MODEL.bpmn --json`, timed by the
  parent from start to exit (reading the log, importing pm4py, aligning);
- ours, the library: `read_intended_journey` + `check_conformance` in a process that has
  read the log and imported pm4py already (the part comparable with pm4py's own);
- pm4py, as the issue states it: `read_bpmn` + `convert_to_petri_net` +
  `pm4py.fitness_alignments` (its default aligner) on the dataframe, already in memory;
- pm4py with its `dijkstra_less_memory` aligner on its own net (the same otherwise).

A run that takes longer than `--timeout` seconds is stopped and shown as "> N s". Net
sizes are places / transitions / silent transitions: ours before reduction (one place per
sequence flow, as `journey_from_bpmn` built it before), ours (reduced), pm4py's conversion.
Conforming share: ours is the JSON's `fitting_cases` / `cases` (a case with no deviation of
the flow; a pm4py model has no lanes, norms or rules), pm4py's `percentage_of_fitting_traces`.
Prints one Markdown table and the machine.

`--startup` times instead pm4py's fixed cost on the way from a file (a fresh process that
imports pm4py and reads the log with `pm4py.read_xes`, or `pandas.read_csv` +
`pm4py.format_dataframe`): the counterpart of what `journey conformance` spends before
aligning (starting, importing, reading the log), which the library column leaves out.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from report import machine, say

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LOGS = REPO.parent / "shared" / "logs"
MODELS = HERE / "data" / "models"
sys.path.insert(0, str(REPO))

from discovery.intended.conformance import TIME_LIMIT_S  # noqa: E402

FILES = {
    "receipt": "receipt.xes.gz",
    "DomesticDeclarations": "DomesticDeclarations.xes.gz",
    "PermitLog": "PermitLog.xes.gz",
    "sepsis": "sepsis.csv",
    "BPI_Challenge_2012_W_Two_TS": "BPI_Challenge_2012_W_Two_TS.xes.gz",
}
PACKAGES = ("pm4py", "duckdb", "ibis-framework", "pandas")
DIJKSTRA = "Variants.VERSION_DIJKSTRA_LESS_MEMORY"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logs", default=",".join(FILES))
    parser.add_argument("--noise", default="0.2,0.0")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per run")
    parser.add_argument(
        "--time-limit", type=float, default=TIME_LIMIT_S, help="ours: seconds per variant"
    )
    parser.add_argument(
        "--startup",
        action="store_true",
        help="only time pm4py's fixed cost from a file: a fresh process importing pm4py and "
        "reading the log with pm4py's reader",
    )
    parser.add_argument(
        "--rows",
        nargs="+",
        metavar="FILE",
        help="print the table from the JSON rows earlier runs wrote to standard error",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(*args.child)))
        return
    if args.rows:
        lines = [line for f in args.rows for line in Path(f).read_text().splitlines()]
        print(_table([json.loads(line) for line in lines if line.startswith("{")], args.timeout))
        return
    if args.startup:
        print(_startup(args.logs.split(","), args))
        print("\n" + machine(PACKAGES))
        return
    rows = []
    for name in args.logs.split(","):
        for noise in [float(n) for n in args.noise.split(",")]:
            model = _mined(name, noise)
            row = {"log": name, "noise": noise, **_sizes(model)}
            say(f"{name} {noise}: ours (CLI) ...")
            row["cli"] = _cli(name, model, args)
            say(f"{name} {noise}: ours (library) ...")
            row["library"] = _run(["library", name, str(model), str(args.time_limit)], args)
            say(f"{name} {noise}: pm4py ...")
            row["pm4py"] = _run(["pm4py", name, str(model), ""], args)
            say(f"{name} {noise}: pm4py dijkstra ...")
            row["dijkstra"] = _run(["pm4py", name, str(model), DIJKSTRA], args)
            rows.append(row)
            say(json.dumps(row))
    print(_table(rows, args.timeout))
    print("\n" + machine(PACKAGES))


def _mined(name: str, noise: float) -> Path:
    path = MODELS / f"{name}_noise{noise}.bpmn"
    if not path.exists():
        say(f"mining {path.name} ...")
        pm4py = _pm4py_module()
        MODELS.mkdir(parents=True, exist_ok=True)
        bpmn = pm4py.discover_bpmn_inductive(_frame(name), noise_threshold=noise)
        pm4py.write_bpmn(bpmn, str(path))
    return path


def _frame(name: str):
    """pm4py's dataframe of the log as our reader gives it (sorted); cached as a pickle."""
    import pandas as pd

    from discovery import read_event_log
    from discovery.mining import _pm4py

    cached = MODELS / f"{name}.pkl"
    if not cached.exists():
        MODELS.mkdir(parents=True, exist_ok=True)
        _pm4py.to_pm4py(read_event_log(LOGS / FILES[name])).to_pickle(cached)
    return pd.read_pickle(cached)


def _pm4py_module():
    from discovery.mining import _pm4py

    return _pm4py.pm4py()


def _sizes(model: Path) -> dict:
    import discovery.intended.bpmn as bpmn
    from discovery.intended.files import read_intended_journey

    def size(net) -> str:
        silent = sum(label is None for _, label in net.transitions)
        return f"{len(net.places)}/{len(net.transitions)}/{silent}"

    reduce = bpmn.reduce_net
    bpmn.reduce_net = lambda net: net  # the net as built before the reduction
    try:
        before = size(read_intended_journey(model).net())
    finally:
        bpmn.reduce_net = reduce
    pm4py = _pm4py_module()
    net, _, _ = pm4py.convert_to_petri_net(pm4py.read_bpmn(str(model)))
    theirs = f"{len(net.places)}/{len(net.transitions)}/"
    theirs += str(sum(t.label is None for t in net.transitions))
    return {
        "net_before": before,
        "net_ours": size(read_intended_journey(model).net()),
        "net_pm4py": theirs,
    }


def _cli(name: str, model: Path, args) -> dict:
    command = [str(REPO / ".venv" / "bin" / "journey"), "conformance", str(LOGS / FILES[name])]
    command += ["--intended", str(model), "--json"]
    command += ["--time-limit", str(args.time_limit)]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return {"timed_out": True}
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        return {"error": done.stderr.strip()[-300:]}
    result = json.loads(done.stdout)
    return {
        "seconds": seconds,
        "fitness": result["fitness"],
        "fitting": 100 * result["fitting_cases"] / result["cases"],
        "approximate": result.get("approximate_cases", 0),
        "bounds": result.get("fitness_bounds"),
    }


def _run(child: list[str], args) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *child]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return {"timed_out": True}
    if done.returncode != 0:
        return {"error": done.stderr.strip()[-300:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _startup(names: list[str], args) -> str:
    lines = ["| log | pm4py: start, import, read the log (s) |", "|---|---|"]
    for name in names:
        say(f"{name}: pm4py start and read ...")
        started = time.perf_counter()
        run = _run(["read", name, "", ""], args)
        seconds = time.perf_counter() - started
        shown = f"{seconds:.1f}" if "events" in run else _time(run, args.timeout)
        lines.append(f"| {name} | {shown} |")
    return "\n".join(lines)


def _child(mode: str, name: str, model: str, option: str) -> dict:
    import contextlib
    import io
    import warnings

    warnings.simplefilter("ignore")
    with contextlib.redirect_stdout(io.StringIO()):  # pm4py's banner
        pm4py = _pm4py_module()
    if mode == "read":  # pm4py's documented routes from a file
        path = LOGS / FILES[name]
        if path.suffix == ".csv":
            import pandas as pd

            frame = pd.read_csv(path, dtype={"case:concept:name": str})
            frame = pm4py.format_dataframe(
                frame, "case:concept:name", "concept:name", "time:timestamp"
            )
        else:
            frame = pm4py.read_xes(str(path))
        return {"events": len(frame)}
    if mode == "library":
        from discovery import read_event_log
        from discovery.intended.conformance import check_conformance
        from discovery.intended.files import read_intended_journey

        log = read_event_log(LOGS / FILES[name])
        started = time.perf_counter()
        limit = float(option) or None
        result = check_conformance(log, read_intended_journey(model), time_limit=limit)
        low, high = result.fitness_bounds
        return {
            "seconds": time.perf_counter() - started,
            "fitness": result.fitness,
            "fitting": 100 * float((result.cases["fitness"] == 1).mean()),
            "approximate": result.approximate_cases,
            "bounds": [low, high],
        }
    frame = _frame(name)
    started = time.perf_counter()
    net = pm4py.convert_to_petri_net(pm4py.read_bpmn(model))
    found = pm4py.fitness_alignments(
        frame, *net, multi_processing=False, variant_str=option or None
    )
    return {
        "seconds": time.perf_counter() - started,
        "fitness": found["log_fitness"],
        "fitting": found["percentage_of_fitting_traces"],
    }


def _table(rows: list[dict], timeout: float) -> str:
    lines = [
        "| log | noise | net: ours before → ours / pm4py's (places/transitions/silent) "
        "| ours `journey conformance` | ours, library | pm4py default | pm4py Dijkstra "
        "| fitness ours / pm4py (Δ) | fitting share ours / pm4py (Δ pp) | pm4py ÷ ours (library) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        ours, library, theirs = row["cli"], row["library"], row["pm4py"]
        lines.append(
            f"| {row['log']} | {row['noise']} "
            f"| {row['net_before']} → {row['net_ours']} / {row['net_pm4py']} "
            f"| {_time(ours, timeout)} | {_time(library, timeout)} "
            f"| {_time(theirs, timeout)} | {_time(row['dijkstra'], timeout, True)} "
            f"| {_compare(library, theirs, 'fitness', '{:.4f}', 1)} "
            f"| {_compare(library, theirs, 'fitting', '{:.1f} %', 1)} "
            f"| {_ratio(library, theirs, timeout)} |"
        )
    return "\n".join(lines)


def _time(run: dict, timeout: float, shown_fitness: bool = False) -> str:
    if run.get("timed_out"):
        return f"> {timeout:.0f} s (stopped)"
    if "error" in run:
        return f"error: {run['error'][-80:]}"
    approximate = ""
    if run.get("approximate"):
        low, high = run["bounds"]
        approximate = f", {run['approximate']:,} cases approximate: fitness {low:.3f}–{high:.3f}"
    reported = f" (reports {run['fitness']:.4f})" if shown_fitness else ""
    return f"{run['seconds']:.1f} s{approximate}{reported}"


def _compare(ours: dict, theirs: dict, key: str, shape: str, scale: float) -> str:
    if key not in ours or key not in theirs:
        shown = shape.format(ours[key]) if key in ours else "–"
        return f"{shown} / –"
    difference = (ours[key] - theirs[key]) * scale
    return f"{shape.format(ours[key])} / {shape.format(theirs[key])} ({difference:+.5f})"


def _ratio(ours: dict, theirs: dict, timeout: float) -> str:
    if "seconds" not in ours:
        return "–"
    if theirs.get("timed_out"):
        return f"> {timeout / ours['seconds']:.1f}×"
    if "seconds" not in theirs:
        return "–"
    return f"{theirs['seconds'] / ours['seconds']:.1f}×"


if __name__ == "__main__":
    main()
