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
    linked: set[str] = set()
    for package in sorted(packages):  # parents before their subpackages
        source = (root / mapping.get(package, package.replace(".", "/"))).resolve()
        destination = target / package.replace(".", "/")
        if not link:
            _copy_modules(source, destination)
            continue
        if any(package.startswith(done + ".") for done in linked):
            continue  # inside a folder linked above
        holds_mapped = any(other.startswith(package + ".") for other in mapping)
        if holds_mapped:  # its folder differs from the installed one below it: copy its modules
            _copy_modules(source, destination)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.symlink_to(source, target_is_directory=True)
            linked.add(package)
    return target


def _copy_modules(source: Path, destination: Path) -> None:
    destination.mkdir(parents=True, exist_ok=True)
    for module in source.glob("*.py"):
        shutil.copy2(module, destination / module.name)
