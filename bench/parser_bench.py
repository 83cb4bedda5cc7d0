"""Offline parser timings as JSON lines, on one core: start-up, import + build, parse time per message.

.venv/bin/python bench/parser_bench.py [FILE.jsonl] [--rounds N] [--starts N] [--cpu K]

- start_s: wall time of `frontdoor --help` in a new process (the best of --starts runs;
  heavy libraries are imported only by the commands that use them);
- first_parse_s: wall time of `frontdoor parse --jsonl` on a one-line file in a new process
  (start, catalog, directory, training, one message; the best of --starts runs);
- import_ms, build_ms: importing the parser, then building it (catalog, directory, training
  the classifier and filling its caches), in this process;
- parse_ms_p50 / p99: one `parse` call per message of FILE, --rounds times over.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "intents-dev.jsonl"
START = "import sys; from bot.cli import main; sys.argv[0] = 'frontdoor'; main()"


def pin(cpu: int) -> int | None:
    """Run this process (and its children) on one core; the core, or None where that is not possible."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cores = sorted(os.sched_getaffinity(0))
    chosen = cores[cpu % len(cores)]
    os.sched_setaffinity(0, {chosen})
    return chosen


def start_seconds(runs: int, *args: str) -> float:
    """The best wall time of `frontdoor ARGS` over `runs` new processes."""
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", START, *args], check=True, capture_output=True)
        best = min(best, time.perf_counter() - t0)
    return best


def emit(what: str, value: float, **extra: object) -> None:
    print(json.dumps({"what": what, "value": value, **extra}), flush=True)


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    args.add_argument("file", nargs="?", default=str(DEV))
    args.add_argument("--rounds", type=int, default=5)
    args.add_argument("--starts", type=int, default=3)
    args.add_argument("--cpu", type=int, default=0, help="which of the allowed cores to run on")
    opts = args.parse_args()
    emit("cpu", pin(opts.cpu) if opts.cpu >= 0 else -1)
    emit("start_s", round(start_seconds(opts.starts, "--help"), 3), command="frontdoor --help", best_of=opts.starts)
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one.jsonl"
        one.write_text(json.dumps({"id": "1", "text": "we need 3 monitors, cc 4410, about $900"}) + "\n")
        first = start_seconds(opts.starts, "parse", "--jsonl", str(one))
    emit("first_parse_s", round(first, 3), command="frontdoor parse --jsonl (one line)", best_of=opts.starts)

    started = time.perf_counter()
    from bot.directory import load_directory
    from forms import load_catalog
    from intents.offline import OfflineParser

    imported = time.perf_counter()
    parser = OfflineParser(load_catalog(), load_directory())
    parser.warm()
    built = time.perf_counter()
    emit("import_ms", round((imported - started) * 1000, 1))
    emit("build_ms", round((built - imported) * 1000, 1))

    from intents.evaluate import context_of, read_lines

    items = list(read_lines(opts.file))
    times = []
    for _ in range(opts.rounds):
        for item in items:
            context = context_of(item)
            t0 = time.perf_counter()
            parser.parse(str(item["text"]), context)
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, int(0.99 * len(times)))]
    emit("parse_ms_p50", round(statistics.median(times), 3), n=len(times))
    emit("parse_ms_p99", round(p99, 3), n=len(times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
