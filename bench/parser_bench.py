"""Offline parser timings as JSON lines: import + first build, and parse time per message.

.venv/bin/python bench/parser_bench.py [FILE.jsonl] [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "intents-dev.jsonl"


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("file", nargs="?", default=str(DEV))
    args.add_argument("--rounds", type=int, default=5)
    opts = args.parse_args()
    started = time.perf_counter()
    from bot.directory import load_directory
    from forms import load_catalog
    from intents.offline import OfflineParser

    imported = time.perf_counter()
    parser = OfflineParser(load_catalog(), load_directory())
    parser.warm()
    built = time.perf_counter()
    print(json.dumps({"what": "import_ms", "value": round((imported - started) * 1000, 1)}))
    print(json.dumps({"what": "build_ms", "value": round((built - imported) * 1000, 1)}))

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
    print(json.dumps({"what": "parse_ms_p50", "value": round(statistics.median(times), 3), "n": len(times)}))
    print(json.dumps({"what": "parse_ms_p99", "value": round(p99, 3), "n": len(times)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
