"""Product apps connect through the app contract (apps/core/contract.py), never by importing
each other. Run alone with ``pytest tests/integration/test_import_graph.py``; it prints nothing
when the graph is clean and names each forbidden edge (file, line, module) when it is not."""

import ast
from pathlib import Path

from django.conf import settings

from apps.core import registry

FOUNDATION = {"core", "accounts", "reminders", "enrolment"}
# The leaders' dashboard is the ten-things dashboard: its plan section reads the ten-things
# selectors directly. Every other app's figures reach it through the contract.
ALLOWED = {("dashboard", "tenthings")}


def product_apps() -> set[str]:
    return {config.name.split(".", 1)[1] for config in registry.portal_apps()} - FOUNDATION


def imports_of(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def forbidden_edges(root: Path, products: set[str]) -> list[str]:
    found = []
    for app in sorted(products | FOUNDATION):
        for path in sorted((root / "apps" / app).rglob("*.py")):
            if "tests" in path.relative_to(root / "apps" / app).parts:
                continue  # tests may build other apps' records; tests/integration holds those
            for line, module in imports_of(path):
                parts = module.split(".")
                if len(parts) < 2 or parts[0] != "apps" or parts[1] == app:
                    continue
                target = parts[1]
                if app in FOUNDATION and target in products:
                    found.append(f"{path.relative_to(root)}:{line} foundation imports product app {module}")
                elif app in products and target in products and (app, target) not in ALLOWED:
                    found.append(f"{path.relative_to(root)}:{line} imports {module}")
    return found


def test_no_product_app_imports_another_outside_the_contract():
    edges = forbidden_edges(settings.BASE_DIR, product_apps())
    assert not edges, "connect through apps/core/contract.py instead:\n" + "\n".join(edges)


def test_the_check_finds_a_forbidden_import(tmp_path):
    app = tmp_path / "apps" / "stations"
    app.mkdir(parents=True)
    (app / "apps.py").write_text("from apps.tenthings import selectors\n", encoding="utf-8")
    for other in ("tenthings", *FOUNDATION):
        (tmp_path / "apps" / other).mkdir(exist_ok=True)
    assert forbidden_edges(tmp_path, {"stations", "tenthings"}) == ["apps/stations/apps.py:1 imports apps.tenthings"]
