"""The permissions module sits between units and the apps that ask it."""

from __future__ import annotations

import ast
from pathlib import Path

import access.permissions

ALLOWED = ("__future__", "django", "rules", "units")


def test_permissions_import_only_units_django_and_rules():
    tree = ast.parse(Path(access.permissions.__file__).read_text(encoding="utf-8"))
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert imported
    assert all(name.split(".")[0] in ALLOWED for name in imported), imported
