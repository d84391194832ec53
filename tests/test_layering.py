"""The import rules of the README's "Layout" section, read from the source (the `lint-imports` contracts in
pyproject.toml check the first two as well):

- `cases` imports nothing from `hotline` or `escalation`; `escalation` nothing from `hotline`;
- no module imports another module's private name (`from cases.views import _helper`, `views._helper`);
- the shared plumbing (cases/plumbing.py) is defined there only: no app defines a helper of the same name.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("cases", "hotline", "escalation", "demo")
CHECKED = (*APPS, "bench")
# Who may import whom, among our apps (the project package `hotline` also holds settings, URLs and routing).
FORBIDDEN = {"cases": {"hotline", "escalation", "demo"}, "escalation": {"hotline", "demo"}, "hotline": {"demo"}}
# Names that existed twice before they found their one home in cases/plumbing.py.
FORMER_COPIES = {"_send", "_refusal_message", "_case_or_404", "_referral_refusal", "_field_values"}


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name):
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def sources():
    for top in CHECKED:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def imports_of(tree):
    """(line, imported module, imported name or None) for every import, at any depth (inside functions too)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, None
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                yield node.lineno, node.module, alias.name


def ours(module):
    return module.split(".")[0] in CHECKED


def layering_violations(path, tree):
    app = module_name(path).split(".")[0]
    found = []
    for line, module, _name in imports_of(tree):
        target = module.split(".")[0]
        if target in FORBIDDEN.get(app, ()):
            found.append(f"{path.relative_to(ROOT)}:{line}: {app} imports {module}")
    return found


def private_violations(path, tree):
    this = module_name(path)
    found = []
    module_aliases = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and ours(node.module):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if is_module(full):
                    module_aliases.add(alias.asname or alias.name)
                elif alias.name.startswith("_") and node.module != this:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: from {node.module} import {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if ours(alias.name) and alias.asname:
                    module_aliases.add(alias.asname)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in module_aliases
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.id}.{node.attr}")
    return found


def plumbing_names():
    tree = ast.parse((ROOT / "cases" / "plumbing.py").read_text())
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_")
    }


def copy_violations(path, tree, names):
    if module_name(path) == "cases.plumbing":
        return []
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}: defines {node.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and (node.name in names or node.name in FORMER_COPIES)
    ]


@pytest.fixture(scope="module")
def parsed():
    return [(path, ast.parse(path.read_text(), filename=str(path))) for path in sources()]


def test_cases_imports_nothing_of_ours_and_escalation_nothing_of_the_front_desk(parsed):
    assert [v for path, tree in parsed for v in layering_violations(path, tree)] == []


def test_no_module_imports_another_modules_private_names(parsed):
    assert [v for path, tree in parsed for v in private_violations(path, tree)] == []


def test_the_shared_plumbing_exists_once(parsed):
    names = plumbing_names()
    assert {"staff_required", "case_or_404", "refusal_message", "send_to_group", "Throttle"} <= names
    assert [v for path, tree in parsed for v in copy_violations(path, tree, names)] == []


@pytest.mark.parametrize(
    ("where", "source", "expected"),
    [
        ("cases/example.py", "from hotline.forms import ReportForm\n", "cases imports hotline.forms"),
        ("cases/example.py", "def f():\n    from escalation.models import Escalation\n", "cases imports escalation"),
        ("escalation/example.py", "import hotline.throttle\n", "escalation imports hotline.throttle"),
        ("hotline/example.py", "from cases.views import _render\n", "from cases.views import _render"),
        ("hotline/example.py", "from cases import views\nviews._render()\n", "views._render"),
        ("escalation/example.py", "def _send(group, event):\n    pass\n", "defines _send"),
        ("hotline/example.py", "def staff_required(permission):\n    pass\n", "defines staff_required"),
    ],
)
def test_the_checks_catch_a_forbidden_import(where, source, expected):
    path = ROOT / where
    tree = ast.parse(source)
    found = (
        layering_violations(path, tree) + private_violations(path, tree) + copy_violations(path, tree, plumbing_names())
    )
    assert any(expected in violation for violation in found), found


def test_a_permitted_import_passes():
    path = ROOT / "hotline" / "example.py"
    tree = ast.parse("from cases.plumbing import staff_required\nfrom cases import services\nservices.submit_report\n")
    assert layering_violations(path, tree) + private_violations(path, tree) == []
