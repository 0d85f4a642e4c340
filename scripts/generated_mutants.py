"""Mutants generated mechanically from the code, so that the catalogue's catching power is not
measured only on regressions written by the people who wrote the catalogue.

Every mutation point of `portal/` and `mock_esia/` (Python and Jinja templates) is listed by a
fixed set of operators — the slips of real regressions:

- `compare`: `==`↔`!=`, `<`→`<=`, `<=`→`<`, `>`→`>=`, `>=`→`>`, `in`↔`not in`, `is`↔`is not`
- `boolean`: `and`↔`or`; `not x` → `x`
- `constant`: an integer `n` → `n + 1`; `True`↔`False`
- `text`: a Russian string literal loses its first word
- `remove`: a call statement or an attribute/item assignment becomes `pass`
- `swap`: the first two positional arguments of a call change places
- `template-text`: a line of Russian text in a template loses a word
- `template-if`: a template's `{% if c %}` becomes `{% if not (c) %}`

Each has a stable id (file, operator, the line's text, its place in the line), so a sample drawn
with a seed is the same sample tomorrow unless that code changed, and an equivalent mutant can
be marked once, by id, with the reason (`tests/mutants/equivalent.toml`).
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import random
import re
from collections.abc import Iterator
from pathlib import Path

AREAS = {"portal": "portal", "mock_esia": "mock"}
# Reached only from a command line, not from a login: a mutant there tests argparse, not ESIA.
SKIPPED_FILES = {"cli.py", "__main__.py", "client.py", "admin_client.py", "runner.py"}
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_WORD = re.compile(r"[А-Яа-яЁё]{4,}")
_IF = re.compile(r"{%-?\s*(el)?if\s+(.+?)\s*-?%}")
_COMPARE_SWAPS: dict[type, type] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_LOGGING = re.compile(r"^\s*(log|logger|LOG|logging|warnings)\.")


@dataclasses.dataclass(frozen=True)
class Mutation:
    path: str  # relative to the project root
    line: int
    operator: str
    before: str  # the source segment replaced
    after: str
    start: int  # character offsets in the file's text
    end: int
    id: str

    @property
    def area(self) -> str:
        return AREAS[self.path.split("/")[0]]

    def apply(self, text: str) -> str:
        return text[: self.start] + self.after + text[self.end :]

    def describe(self) -> str:
        before, after = _short(self.before), _short(self.after)
        return f"{self.path}:{self.line} {self.operator}: `{before}` → `{after}`"


def _short(text: str, limit: int = 70) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


def _identify(path: str, operator: str, line_text: str, column: int, after: str) -> str:
    key = f"{path}|{operator}|{line_text.strip()}|{column}|{after}"
    return hashlib.sha1(key.encode()).hexdigest()[:10]  # noqa: S324  # an id, not security


class _Offsets:
    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        for line in text.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))
        self.lines = text.splitlines()

    def at(self, line: int, column: int) -> int:
        # ast columns are UTF-8 byte offsets within the line
        encoded = self.lines[line - 1].encode()[:column]
        return self.starts[line - 1] + len(encoded.decode(errors="ignore"))


def _skipped_nodes(tree: ast.AST) -> set[int]:
    """Docstrings, annotations and `__all__`: mutating them changes no behaviour."""
    skipped: set[int] = set()

    def skip(node: ast.AST | None) -> None:
        if node is not None:
            skipped.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        value = first.value if isinstance(first, ast.Expr) else None
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            skip(first)
        if isinstance(node, ast.arg):
            skip(node.annotation)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            skip(node.returns)
        if isinstance(node, ast.AnnAssign):
            skip(node.annotation)
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            skip(node)
    return skipped


def _python_mutations(path: str, text: str) -> Iterator[tuple[str, ast.AST, str]]:
    tree = ast.parse(text)
    skipped = _skipped_nodes(tree)
    for node in ast.walk(tree):
        if id(node) in skipped or not hasattr(node, "lineno"):
            continue
        yield from _node_mutations(node)


def _node_mutations(node: ast.AST) -> Iterator[tuple[str, ast.AST, str]]:
    if isinstance(node, ast.Compare):
        for index, op in enumerate(node.ops):
            swapped = _COMPARE_SWAPS.get(type(op))
            if swapped:
                ops = [*node.ops]
                ops[index] = swapped()
                yield "compare", node, ast.unparse(ast.Compare(node.left, ops, node.comparators))
    elif isinstance(node, ast.BoolOp):
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield "boolean", node, ast.unparse(ast.BoolOp(other, node.values))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "boolean", node, f"({ast.unparse(node.operand)})"
    elif isinstance(node, ast.Constant):
        yield from _constant_mutations(node)
    elif _removable(node):
        yield "remove", node, "pass"
    if isinstance(node, ast.Call) and len(node.args) >= 2:
        first, second, *rest = node.args
        if not any(isinstance(a, ast.Starred) for a in (first, second)):
            swapped = ast.Call(node.func, [second, first, *rest], node.keywords)
            if ast.unparse(first) != ast.unparse(second):
                yield "swap", node, ast.unparse(swapped)


def _removable(node: ast.AST) -> bool:
    """A call for its effect, or a store into an attribute or an item: what a slip drops."""
    if isinstance(node, ast.Expr):
        return isinstance(node.value, ast.Call)
    return isinstance(node, ast.Assign) and all(
        isinstance(t, ast.Attribute | ast.Subscript) for t in node.targets
    )


def _constant_mutations(node: ast.Constant) -> Iterator[tuple[str, ast.AST, str]]:
    value = node.value
    if isinstance(value, bool):
        yield "constant", node, repr(not value)
    elif isinstance(value, int):
        yield "constant", node, repr(value + 1)
    elif isinstance(value, str) and CYRILLIC.search(value):
        word = _WORD.search(value)
        if word:
            shorter = (value[: word.start()] + value[word.end() :]).replace("  ", " ")
            shorter = shorter.lstrip(" ") if word.start() == 0 else shorter
            yield "text", node, repr(shorter)


def python_file_mutations(root: Path, relative: str) -> list[Mutation]:
    text = (root / relative).read_text(encoding="utf-8")
    offsets = _Offsets(text)
    found = []
    for operator, node, after in _python_mutations(relative, text):
        line, column = node.lineno, node.col_offset  # type: ignore[attr-defined]
        end_line, end_column = node.end_lineno, node.end_col_offset  # type: ignore[attr-defined]
        line_text = offsets.lines[line - 1]
        if operator == "remove" and _LOGGING.match(line_text):
            continue  # a log line removed changes what the logs say, not the behaviour
        start, end = offsets.at(line, column), offsets.at(end_line, end_column)
        before = text[start:end]
        if before == after:
            continue
        mutation = Mutation(
            relative,
            line,
            operator,
            before,
            after,
            start,
            end,
            _identify(relative, operator, line_text, column, after),
        )
        try:
            compile(mutation.apply(text), relative, "exec")
        except SyntaxError:
            continue
        found.append(mutation)
    return found


def template_file_mutations(root: Path, relative: str) -> list[Mutation]:
    text = (root / relative).read_text(encoding="utf-8")
    offsets = _Offsets(text)
    found = []
    for number, line in enumerate(offsets.lines, 1):
        base = offsets.starts[number - 1]
        for match in _IF.finditer(line):
            condition = match.group(2)
            after = match.group(0).replace(condition, f"not ({condition})", 1)
            found.append(
                Mutation(
                    relative,
                    number,
                    "template-if",
                    match.group(0),
                    after,
                    base + match.start(),
                    base + match.end(),
                    _identify(relative, "template-if", line, match.start(), after),
                )
            )
        plain = re.sub(r"{[{%].*?[}%]}|<[^>]*>", lambda m: " " * len(m.group(0)), line)
        word = _WORD.search(plain)
        if word and "<script" not in line:
            found.append(
                Mutation(
                    relative,
                    number,
                    "template-text",
                    word.group(0),
                    "",
                    base + word.start(),
                    base + word.end(),
                    _identify(relative, "template-text", line, word.start(), ""),
                )
            )
    return found


def all_mutations(root: Path) -> list[Mutation]:
    found: list[Mutation] = []
    for package in AREAS:
        for path in sorted((root / package).rglob("*")):
            relative = path.relative_to(root).as_posix()
            if path.name in SKIPPED_FILES or "__pycache__" in relative:
                continue
            if path.suffix == ".py":
                found += python_file_mutations(root, relative)
            elif path.suffix == ".html":
                found += template_file_mutations(root, relative)
    return sorted(found, key=lambda m: (m.path, m.start, m.operator, m.id))


def sample(mutations: list[Mutation], count: int, seed: int) -> list[Mutation]:
    """`count` drawn with `seed`, half from each area where both have enough."""
    by_area: dict[str, list[Mutation]] = {}
    for mutation in mutations:
        by_area.setdefault(mutation.area, []).append(mutation)
    rng = random.Random(seed)  # noqa: S311  # a reproducible sample, not a secret
    areas = sorted(by_area)
    chosen: list[Mutation] = []
    for index, area in enumerate(areas):
        share = count // len(areas) + (1 if index < count % len(areas) else 0)
        pool = by_area[area]
        chosen += rng.sample(pool, min(share, len(pool)))
    return chosen
