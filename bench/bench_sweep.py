"""The ESIA answer sweep's wall time on the embedded reference portal, with one browser and
with two (the default), each a fresh `esia-e2e sweep` process (set-up included). Loopback only,
bounded (every row stops by itself).

    .venv/bin/python bench/bench_sweep.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def sweep(workers: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="esia-e2e-bench-sweep-") as folder:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "esia_e2e", "sweep", "--reports", folder, "--workers",
             str(workers)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )  # fmt: skip
        wall = time.perf_counter() - started
        matrix = json.loads((Path(folder) / "sweep.json").read_text(encoding="utf-8"))
    rows = matrix["rows"]
    return {
        "workers": workers,
        "rows": len(rows),
        "right": sum(r["verdict"] == "верно" for r in rows),
        "wall_seconds": round(wall, 1),
        "slowest_row_seconds": max(r["seconds"] for r in rows),
        "exit": done.returncode,
    }


def main() -> int:
    results = [sweep(1), sweep(2)]
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0 if all(r["exit"] == 0 for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
