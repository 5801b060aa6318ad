"""The project imports one way: no cycle between any of its modules, none between its
apps (units ← access ← directives ← notifications ← reports; search, backup and the
tooling apps on top; ``config``, the settings, URL map and launcher, wires them all and
is left out of the app-level check), notifications never imports reports (reports
reaches it through notifications/api.py), and no project import hides inside a function
(apps.py's ready() excepted: Django loads models only after every app's config)."""

from __future__ import annotations

import ast
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT = (
    "config",
    "units",
    "access",
    "directives",
    "notifications",
    "reports",
    "search",
    "backup",
    "api",
    "sampledata",
    "measure",
)
APPS = PROJECT


def modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (BASE_DIR / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(BASE_DIR).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imported(node: ast.Import | ast.ImportFrom, known: dict[str, Path]) -> list[str]:
    """The project modules an import statement names."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif node.level == 0 and node.module:
        # "from reports import services" names the module reports.services.
        names = [
            f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in known else node.module
            for alias in node.names
        ]
    else:
        names = []
    return [name for name in names if name.split(".")[0] in PROJECT]


def graph() -> tuple[dict[str, set[str]], list[tuple[str, int, str]]]:
    """Every edge between the apps' modules (wherever the import stands), and the
    imports that stand inside a function."""
    known = modules()
    edges: dict[str, set[str]] = {name: set() for name in known}
    hidden = []
    for name, path in known.items():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            targets = imported(node, known)
            edges[name].update(t for t in targets if t in known)
            if node.col_offset > 0 and path.name != "apps.py":
                hidden.extend((name, node.lineno, t) for t in targets)
    return edges, hidden


def test_no_project_import_inside_a_function():
    _edges, hidden = graph()
    assert hidden == []


def test_notifications_never_imports_reports():
    edges, _hidden = graph()
    assert {
        (a, b) for a, targets in edges.items() for b in targets
        if a.startswith("notifications") and b.startswith("reports")
    } == set()  # fmt: skip


def test_no_import_cycle():
    edges, _hidden = graph()
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        assert name not in path, " → ".join([*path, name])
        if name in done:
            return
        for target in sorted(edges[name]):
            visit(target, [*path, name])
        done.add(name)

    for name in sorted(edges):
        visit(name, [])


def test_no_cycle_between_apps():
    edges, _hidden = graph()
    apps: dict[str, set[str]] = {}
    for name, targets in edges.items():
        for target in targets:
            a, b = name.split(".")[0], target.split(".")[0]
            if a != b and "config" not in (a, b):
                apps.setdefault(a, set()).add(b)
    done: set[str] = set()

    def visit(app: str, path: list[str]) -> None:
        assert app not in path, " → ".join([*path, app])
        if app in done:
            return
        for target in sorted(apps.get(app, ())):
            visit(target, [*path, app])
        done.add(app)

    for app in sorted(apps):
        visit(app, [])
    # The order the README gives.
    assert "directives" not in apps.get("units", set()) | apps.get("access", set())
    assert "reports" not in apps.get("notifications", set())
