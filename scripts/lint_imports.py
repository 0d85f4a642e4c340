"""`make lint`'s import contracts, checked on the tree as the wheel lays it out.

import-linter (grimp) finds a package's modules by walking its folder, and `esia_e2e`'s
subpackages live in the repository's own folders (fixtures/, e2e/, portal/, synthetic/). So the
packages are copied into a scratch folder as pyproject.toml maps them, and the contracts run
there: the layout checked is exactly the one users install.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from layout import lay_out

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="esia-e2e-imports-") as scratch:
        lay_out(ROOT, Path(scratch))
        env = {**os.environ, "PYTHONPATH": scratch}
        linter = Path(sys.executable).with_name("lint-imports")
        # Run from the scratch folder: import-linter puts the working directory first on the path.
        command = [str(linter), "--no-cache", "--config", str(ROOT / "pyproject.toml")]
        return subprocess.run(command, cwd=scratch, env=env, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
