"""Redirect throughput: /r/<code> against a trivial endpoint of the same app.

gunicorn runs with the production settings (PORTAL_ENV=production, the
gthread workers of portal/gunicorn_conf.py) and wrk loads it for 10 s at 64
connections, first /healthz (one SELECT 1), then the referral redirect (one
indexed lookup and one insert). Afterwards the clicks stored are counted
against the redirects wrk saw answered, and each worker's resident memory is
read from /proc.
"""

import argparse
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import (
    free_port,
    portal_command,
    production_env,
    row,
    start,
    wait_until_up,
    write,
)

PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def run_wrk(url, seconds, connections):
    """Run wrk and return requests/s, p50 and p99 in ms, requests and errors."""
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"User-Agent: {PHONE}",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout

    def latency(label):
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = sum(
        int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output)
    )
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "requests": requests,
        "errors": errors + (int(bad.group(1)) if bad else 0),
    }


def worker_rss_mb(master_pid):
    """Return the largest resident set of the master's worker processes, in MB."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        ppid = re.search(r"^PPid:\s+(\d+)", text, re.M)
        rss = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
        if ppid and rss and int(ppid.group(1)) == master_pid:
            sizes.append(int(rss.group(1)) / 1024)
    return round(max(sizes), 1) if sizes else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (make bench does this)")

    instance = Path(tempfile.mkdtemp(prefix="bench-redirect-"))
    port = free_port()
    env = production_env(instance, port)
    portal_command("demo", env=env)
    database = sqlite3.connect(instance / "portal.db")
    code = database.execute(
        "SELECT code FROM referral_link WHERE revoked_at IS NULL LIMIT 1"
    ).fetchone()[0]

    def clicks():
        return database.execute("SELECT COUNT(*) FROM click").fetchone()[0]

    server = start("gunicorn", "-c", "python:portal.gunicorn_conf", env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/healthz")
        # Warm both workers and both paths before anything is measured.
        run_wrk(base + "/healthz", 3, args.connections)
        run_wrk(f"{base}/r/{code}?c=link", 3, args.connections)
        trivial = run_wrk(base + "/healthz", args.seconds, args.connections)
        before = clicks()
        redirect = run_wrk(f"{base}/r/{code}?c=link", args.seconds, args.connections)
        time.sleep(0.5)
        stored = clicks() - before
        rss = worker_rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(instance, ignore_errors=True)

    ratio = redirect["rps"] / trivial["rps"]
    write(
        "redirect",
        [
            row(
                "requests/s, /r/<code> vs /healthz",
                redirect["rps"],
                trivial["rps"],
                "req/s",
                ">= 0.6 ratio",
                ratio >= 0.6,
            ),
            row("p50 latency", redirect["p50"], trivial["p50"], "ms"),
            row(
                "p99 latency",
                redirect["p99"],
                trivial["p99"],
                "ms",
                "< 50 ms",
                redirect["p99"] < 50,
            ),
            row(
                "errors",
                redirect["errors"],
                trivial["errors"],
                "",
                "0",
                redirect["errors"] == 0 and trivial["errors"] == 0,
            ),
            row(
                "clicks stored / redirects answered",
                stored,
                redirect["requests"],
                "",
                "all stored",
                # Requests still in flight when wrk stops are stored but not
                # counted by wrk, so stored may exceed answered, never fall short.
                stored >= redirect["requests"],
            ),
            row("worker resident memory", rss, None, "MB", "< 150 MB", rss < 150),
        ],
        {"wrk": {"redirect": redirect, "trivial": trivial}},
    )


if __name__ == "__main__":
    main()
