"""Offline parser timings as JSON lines, on one core: start-up, import + build, parse time per message.

.venv/bin/python bench/parser_bench.py [FILE.jsonl] [--rounds N] [--starts N] [--cpu K]

- start_s: wall time of `frontdoor --help` in a new process, and its CPU time (the best of
  --starts runs; heavy libraries are imported only by the commands that use them);
- first_parse_s: wall time of `frontdoor parse --jsonl` on a one-line file in a new process
  (start, catalog, directory, training, one message; the best of --starts runs);
- import_ms, build_ms: importing the parser, then building it (catalog, directory, training
  the classifier and filling its caches), in this process;
- parse_ms_p50 / p99: one `parse` call per message of FILE, --rounds times over (wall time,
  and cpu_ms: this thread's CPU time);
- redact_ms_p50 / p99: redacting each message of FILE (what happens before any text reaches a
  model or a log), CPU time;
- length_ms: with --sweep, one line per text shape and length from 1 to 40,000 characters (Slack's
  limit for a message), the best CPU time of three parses; `per_kchar` stays flat where reading
  grows linearly with the length (it did not: 40,000 characters of some shapes took seconds).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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


def start_seconds(runs: int, *args: str) -> tuple[float, float]:
    """The best wall time and the best CPU time (user + system) of `frontdoor ARGS` over `runs`
    new processes; on a shared machine the CPU time is the steadier figure."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", START, *args], check=True, capture_output=True)
        best = min(best, time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best_cpu = min(best_cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return best, best_cpu


def emit(what: str, value: float, **extra: object) -> None:
    print(json.dumps({"what": what, "value": value, **extra}), flush=True)


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    args.add_argument("file", nargs="?", default=str(DEV))
    args.add_argument("--rounds", type=int, default=5)
    args.add_argument("--starts", type=int, default=3)
    args.add_argument("--cpu", type=int, default=0, help="which of the allowed cores to run on")
    args.add_argument("--sweep", action="store_true", help="only the length sweep (1 to 40,000 characters)")
    opts = args.parse_args()
    if opts.sweep:
        emit("cpu", pin(opts.cpu) if opts.cpu >= 0 else -1)
        return length_sweep()
    emit("cpu", pin(opts.cpu) if opts.cpu >= 0 else -1)
    wall, cpu = start_seconds(opts.starts, "--help")
    emit("start_s", round(wall, 3), cpu_s=round(cpu, 3), command="frontdoor --help", best_of=opts.starts)
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one.jsonl"
        one.write_text(json.dumps({"id": "1", "text": "we need 3 monitors, cc 4410, about $900"}) + "\n")
        wall, cpu = start_seconds(opts.starts, "parse", "--jsonl", str(one))
    emit(
        "first_parse_s",
        round(wall, 3),
        cpu_s=round(cpu, 3),
        command="frontdoor parse --jsonl (one line)",
        best_of=opts.starts,
    )

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

    from intents.evaluate import context_of, percentile, read_lines

    items = list(read_lines(opts.file))
    times, cpu_times = [], []
    for _ in range(opts.rounds):
        for item in items:
            context = context_of(item)
            t0, c0 = time.perf_counter(), time.thread_time()
            parser.parse(str(item["text"]), context)
            times.append((time.perf_counter() - t0) * 1000)
            cpu_times.append((time.thread_time() - c0) * 1000)
    emit(
        "parse_ms_p50", round(statistics.median(times), 3), cpu_ms=round(statistics.median(cpu_times), 3), n=len(times)
    )
    emit("parse_ms_p99", percentile(times, 0.99), cpu_ms=percentile(cpu_times, 0.99), n=len(times))
    from intents.redact import Redactor

    redactor, redact_times = Redactor(), []
    for _ in range(opts.rounds):
        for item in items:
            c0 = time.thread_time()
            redactor.redact(str(item["text"]))
            redact_times.append((time.thread_time() - c0) * 1000)
    emit("redact_ms_p50", round(statistics.median(redact_times), 3), n=len(redact_times))
    emit("redact_ms_p99", percentile(redact_times, 0.99), n=len(redact_times))
    return 0


SHAPES = {
    "request": "We need 3 monitors for 4 West, cost center 4410, about $900, by Dec 14. Ask Bob Martin. ",
    "onboarding": "Please onboard James Whitaker, Registered Nurse, Emergency Department, starting 2026-12-14. "
    "His manager is carla.ng@example.org. He'll need a laptop and Epic access. ",
    "small_talk": "Good morning! How's your day going? ",
    "amounts": "$9 1,000 1.500 12/03 ",
    "no_spaces": "a",
    "dashes": "-",
    "emoji": "\U0001f600 ",
}
LENGTHS = (1, 100, 1_000, 5_000, 10_000, 20_000, 40_000)


def length_sweep() -> int:
    from datetime import datetime

    from bot.directory import load_directory
    from forms import load_catalog
    from intents.base import ParseContext
    from intents.offline import OfflineParser

    parser = OfflineParser(load_catalog(), load_directory())
    parser.warm()
    context = ParseContext(now=datetime(2026, 11, 23, 10))
    for shape, unit in SHAPES.items():
        for length in LENGTHS:
            text = (unit * (length // len(unit) + 1))[:length]
            best = float("inf")
            for _ in range(3):
                c0 = time.thread_time()
                parser.parse(text, context)
                best = min(best, time.thread_time() - c0)
            per_kchar = best * 1000 / max(length / 1000, 1)
            emit("length_ms", round(best * 1000, 2), shape=shape, chars=length, per_kchar=round(per_kchar, 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
