"""Run every benchmark, then print one table of all their figures."""

import json
import subprocess
import sys
from pathlib import Path

from common import RESULTS, ROOT, machine, print_table

# Each script pairs the portal with its reference in one run and writes
# bench/results/<name>.json; the report benchmark builds its own data set.
ORDER = ["redirect.py", "pages.py", "ingest.py", "report.py"]


def main():
    here = Path(__file__).parent
    failed = []
    for script in ORDER:
        path = here / script
        if not path.exists():
            continue
        print(f"\n== {script}", flush=True)
        done = subprocess.run([sys.executable, str(path)], cwd=ROOT)
        if done.returncode:
            failed.append(script)
    documents = [
        json.loads(path.read_text()) for path in sorted(RESULTS.glob("*.json"))
    ]
    print("\n== all benchmarks on", json.dumps(machine()))
    print_table(documents)
    if failed:
        sys.exit(f"benchmarks that failed to run: {', '.join(failed)}")


if __name__ == "__main__":
    main()
