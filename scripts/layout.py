"""The packages as the wheel lays them out, built from a checkout's folders.

`esia_e2e`'s subpackages live in the repository's own folders (fixtures/, e2e/, portal/,
synthetic/), mapped by pyproject.toml. A tool that must see the installed layout — the import
contracts (lint_imports.py), or a scratch copy whose code must win over the editable install
(mutants.py) — gets it here: copied, or as links into the checkout (never written through).
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path


def lay_out(root: Path, target: Path, *, link: bool = False) -> Path:
    """Lay out `root`'s packages under `target`; returns `target` (the folder for sys.path)."""
    setuptools = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]
    mapping: dict[str, str] = setuptools.get("package-dir", {})
    packages: list[str] = setuptools["packages"]
    for package in packages:
        source = (root / mapping.get(package, package.replace(".", "/"))).resolve()
        destination = target / package.replace(".", "/")
        if not link:
            _copy_modules(source, destination)
            continue
        holds_mapped = any(other.startswith(package + ".") for other in mapping)
        parent = package.rpartition(".")[0]
        if package in mapping or ("." not in package and not holds_mapped):
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.symlink_to(source, target_is_directory=True)
        elif holds_mapped and (not parent or parent not in mapping):
            _copy_modules(source, destination)
        # else: inside a folder linked above
    return target


def _copy_modules(source: Path, destination: Path) -> None:
    destination.mkdir(parents=True, exist_ok=True)
    for module in source.glob("*.py"):
        shutil.copy2(module, destination / module.name)
