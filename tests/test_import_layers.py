"""The house rules of the code's layout: apps import only from the apps below them, and no module grows too long.

The apps are layered, lowest first. An import from a higher app — at the top of a module or inside a function,
which hides a cycle without removing it — fails the test with the module and the line that made it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Lowest first: each app may import from those before it, never from those after it.
LAYERS = (
    "core",
    "audit",
    "idempotency",
    "programs",
    "risks",
    "measures",
    "whistleblowers",
    "reports",
    "demo",
    "config",
)
LONGEST_MODULE = 500


def app_modules():
    """(app, module path, source) of every module of our apps but their migrations."""
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, str(path.relative_to(ROOT)), path.read_text()


def imported_apps(source: str):
    """(line, app) of every absolute import of one of our apps in the module, wherever the statement stands."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in LAYERS:
                yield node.lineno, top


def upward_imports(modules) -> list[str]:
    rank = {app: position for position, app in enumerate(LAYERS)}
    return [
        f"{name}:{line} imports {target} (above {app})"
        for app, name, source in modules
        for line, target in imported_apps(source)
        if rank[target] > rank[app]
    ]


def test_no_app_imports_an_app_above_it():
    assert upward_imports(app_modules()) == []


def test_no_module_is_longer_than_the_limit():
    long = {
        name: length for _app, name, source in app_modules() if (length := len(source.splitlines())) > LONGEST_MODULE
    }
    assert long == {}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from reports.models import X\n", ["programs/x.py:1 imports reports (above programs)"]),
        ("def f():\n    import measures.models\n", ["programs/x.py:2 imports measures (above programs)"]),
        ("from core.access import can\nfrom programs.models import Unit\n", []),
        ("from .models import Unit\nimport django\n", []),
    ],
)
def test_the_check_sees_imports_at_the_top_and_inside_functions(source, expected):
    """The check itself: an upward import anywhere in a module is found, a downward or foreign one is not."""
    assert upward_imports([("programs", "programs/x.py", source)]) == expected
