"""The product's apps hold only the product: none imports the sample data or measurement."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOMAIN_APPS = ["units", "directives", "reports", "notifications"]
TOOLING = {"sampledata", "measure"}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_no_domain_module_imports_sample_data_or_measurement():
    offenders = [
        str(path.relative_to(ROOT))
        for app in DOMAIN_APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if imported_packages(path) & TOOLING
    ]
    assert offenders == []
    # The check reads real modules: a domain app's own imports are found.
    assert "units" in imported_packages(ROOT / "directives" / "models" / "documents.py")
