"""The house rules of the package's shape: no import circles, no module using another's private names."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "reportmine"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, is_package: bool, level: int, target: str | None) -> str:
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join([*base, target] if target else base)


def _imports() -> dict[str, list[tuple[str, list[str]]]]:
    """Module -> [(imported reportmine module, names taken from it)], lazy imports inside functions included."""
    out: dict[str, list[tuple[str, list[str]]]] = {}
    modules = {_module_name(p) for p in PACKAGE.rglob("*.py")}
    for path in PACKAGE.rglob("*.py"):
        name = _module_name(path)
        is_package = path.name == "__init__.py"
        edges = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                target = _resolve(name, is_package, node.level, node.module)
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    edges.append((sub, []) if sub in modules else (target, [alias.name]))
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reportmine"):
                edges.append((node.module, [a.name for a in node.names]))
        out[name] = edges
    return out


def test_no_module_imports_another_modules_private_names():
    offenders = [f"{mod} imports {name} from {target}" for mod, edges in _imports().items()
                 for target, names in edges for name in names
                 if name.startswith("_") and not name.startswith("__") and target != mod]
    assert offenders == []


def test_no_import_circles():
    graph = {mod: {t for t, _ in edges if t != mod and t.startswith("reportmine.")} for mod, edges in _imports().items()}
    graph = {m: {t for t in ts if t in graph and not m.startswith(t + ".") and t != "reportmine"} for m, ts in graph.items()}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt] if nxt in stack else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for mod in sorted(graph):
        if mod not in state:
            visit(mod, [mod])
    assert cycles == []
