"""A bounded CPU burner: N busy processes that stop by themselves after S seconds.

Used beside `make flake-check BURN=…` to prove the catalogue green on a loaded machine, and by
hand to see `esia-e2e synth` call a saturated generator's journeys inconclusive.

    python scripts/cpu_burner.py --seconds 600 [--processes 2]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import signal
import time

LIMIT_SECONDS = 3600


def burn(until: float) -> None:
    while time.monotonic() < until:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, required=True, help=f"at most {LIMIT_SECONDS}")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    if not 0 < args.seconds <= LIMIT_SECONDS or not 0 < args.processes <= 64:
        parser.error(f"--seconds must be in (0, {LIMIT_SECONDS}] and --processes in 1..64")
    until = time.monotonic() + args.seconds
    burners = [mp.Process(target=burn, args=(until,)) for _ in range(args.processes)]
    for burner in burners:
        burner.start()

    def stop(*_: object) -> None:
        for burner in burners:
            burner.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for burner in burners:
        burner.join()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
