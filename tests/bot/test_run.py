"""`frontdoor run` on the embedded default: it serves, is healthy and ready, and stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.fakes.loopback import free_port


def test_run_serves_health_and_readiness(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FRONTDOOR_", "SLACK_", "MICROSOFT_"))}
    env["FRONTDOOR_HTTP_PORT"] = str(port)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        ready = None
        for _ in range(100):
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert ready is not None and ready.status_code == 200, ready
        assert ready.json() == {"ready": True, "checks": {"database": True, "channels": True, "backend": True}}
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").json() == {"status": "ok"}
        metrics = httpx.get(f"http://127.0.0.1:{port}/metrics")
        assert metrics.status_code == 200 and "frontdoor_events_total" in metrics.text
        assert (tmp_path / "var" / "frontdoor.db").exists()
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, output


def test_reminders_sweep_command(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDOOR_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "reminders", "sweep", "--now", "2026-11-24T10:00:00"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("0 message(s) queued")
