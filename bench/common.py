"""What every benchmark shares: the machine, result files and the table."""

import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))


def machine():
    """Describe the machine the figures come from."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


def row(metric, portal, reference=None, unit="", target="", met=None, note=""):
    """One line of the table: the portal's figure beside its reference."""
    ratio = None
    if reference not in (None, 0) and portal is not None:
        ratio = round(portal / reference, 3)
    return {
        "metric": metric,
        "portal": portal,
        "reference": reference,
        "ratio": ratio,
        "unit": unit,
        "target": target,
        "met": met,
        "note": note,
    }


def write(name, rows, extra=None):
    """Store one benchmark's rows as bench/results/<name>.json and print them."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    document = {"benchmark": name, "machine": machine(), "rows": rows}
    document.update(extra or {})
    (RESULTS / f"{name}.json").write_text(json.dumps(document, indent=2))
    print_table([document])
    return document


def _fmt(value):
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_table(documents):
    header = ("benchmark", "metric", "portal", "reference", "ratio", "target", "met")
    lines = [header]
    for document in documents:
        for r in document["rows"]:
            met = {True: "yes", False: "NO", None: "-"}[r["met"]]
            unit = f" {r['unit']}" if r["unit"] else ""
            lines.append(
                (
                    document["benchmark"],
                    r["metric"],
                    _fmt(r["portal"]) + unit,
                    _fmt(r["reference"]) + (unit if r["reference"] is not None else ""),
                    _fmt(r["ratio"]),
                    r["target"],
                    met,
                )
            )
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    for n, line in enumerate(lines):
        print("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(line)))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def portal_command(*args, env=None):
    """Run the portal command line in a subprocess and return its output."""
    binary = ROOT / ".venv" / "bin" / "portal"
    return subprocess.run(
        [str(binary), *args], env=env, check=True, capture_output=True, text=True
    ).stdout


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def production_env(instance, port, **extra):
    """The environment of a production portal on a fresh SQLite instance."""
    env = dict(
        os.environ,
        PORTAL_ENV="production",
        SECRET_KEY=secrets.token_hex(32),
        PORTAL_INSTANCE_PATH=str(instance),
        DATABASE_URL=f"sqlite:///{instance / 'portal.db'}",
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
        BIND=f"127.0.0.1:{port}",
        **extra,
    )
    env.pop("REDIS_URL", None)
    return env


def start(program, *args, env):
    """Start one of the portal's processes (gunicorn, huey_consumer) quietly."""
    return subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / program), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
