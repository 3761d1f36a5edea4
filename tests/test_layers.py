"""The features stack in layers and import downward only (docs/architecture.md).

A feature may import the floor and the features listed before it, never one after it: a lower
feature that must react to a higher one exposes a hook (a registry such as auth.scoping's
`scope_rule`). DEBT lists exceptions, each by the importing file and the imported module; it is
empty and may only stay so (a new upward import fails, and so does an entry that is gone).
"""

import ast
from pathlib import Path

AOAPP = Path(__file__).resolve().parent.parent / "aoapp"
FLOOR = {
    "api_base",
    "extensions",
    "errors",
    "database",
    "common",
    "security",
    "observability",
    "ratelimits",
}
LAYERS = [
    "floor",
    "audit",
    "auth",
    "offline",  # idempotent requests and the installable app's pages: under every feature's forms
    "products",
    "campaigns",
    "customers",
    "prospects",
    "introductions",  # products presented to prospects and customers
    "credit",
    "funding",  # deposit accounts and positions (the deposits listing): beside credit
    "search",  # the header search: customers (with their accounts) and prospects
    "imports",
    "complaints",
    "followups",
    "renewals",  # renewal opportunities: maturing facilities and depositos (a pipeline)
    "surveys",  # satisfaction surveys after a complaint, a visit or a renewal
    "plans",  # account plans: read credit, funding, introductions and follow-ups
    "kpis",  # periods, officer KPIs, campaign figures: what targets and reports both read
    "targets",
    "reports",
    "handovers",  # portfolio handovers: customers and their open work, the core banking change file
    "agenda",
    "dashboards",
    "notifications",  # the daily digest (reads the agenda, watchlist, funding, renewals, plans)
    "admin",
    "help",  # the user guide in the app: maps every feature's pages to a guide page, by name
    "pages",  # pages composing several features
    "demo",
    "models",  # aoapp/models.py: every table, for migrations
    "__init__",  # the application factory
]
RANK = {name: rank for rank, name in enumerate(LAYERS)}

DEBT: set[tuple[str, str]] = set()


def layer_of(relative: Path) -> str:
    """The layer of a file under aoapp/: its feature package, or the floor."""
    name = relative.parts[0] if len(relative.parts) > 1 else relative.stem
    return "floor" if name in FLOOR else name


def imports_of(path: Path):
    """Every aoapp module `path` imports, at the top or inside a function."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("aoapp."):
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("aoapp."))


def upward_imports() -> set[tuple[str, str]]:
    found = set()
    for path in sorted(AOAPP.rglob("*.py")):
        relative = path.relative_to(AOAPP)
        here = layer_of(relative)
        for module in imports_of(path):
            there = layer_of(Path(*module.split(".")[1:2]) / "x")
            if there != here and RANK[there] > RANK[here]:
                found.add((relative.as_posix(), module))
    return found


def test_every_package_has_a_layer():
    packages = {layer_of(p.relative_to(AOAPP)) for p in AOAPP.rglob("*.py")}
    assert packages - set(LAYERS) == set()


def test_no_new_upward_import():
    assert upward_imports() - DEBT == set()


def test_the_list_of_upward_imports_only_shrinks():
    assert DEBT - upward_imports() == set()
