"""The package's layers: each wing imports only the wings below it (parsed with ast, at the top of a
module and inside functions), there is no import cycle, and every module has a row in CONTRIBUTING.md;
notebooks hold narrative and calls into the package."""

import ast
import re
from functools import cache

import nbformat

from belarus_fp import paths

PACKAGE = paths.ROOT / "src" / "belarus_fp"
#: The top-level modules every wing may use.
BASE = {"paths", "errors", "__init__"}
#: Wing -> the wings (and top-level modules) its modules may import. Nothing imports the commands
#: but the entry points ``python -m belarus_fp.<command>`` (``<command>/__main__.py``).
MAY_IMPORT = {
    "": {"", "archive"},  # paths, errors; __init__ is the public face (load_table, cite, ...)
    "archive": {"", "archive"},
    "analysis": {"", "archive", "analysis"},
    "viz": {"", "archive", "analysis", "viz"},
    "commands": {"", "archive", "analysis", "viz", "commands"},
    "entry": {"", "commands"},
}
WINGS = ("archive", "analysis", "viz", "commands")


def module_name(path) -> str:
    """``archive.sources``, ``paths``, ``commands`` (a wing's __init__), ``build.__main__``."""
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def wing(module: str) -> str:
    first = module.split(".")[0]
    if first in WINGS:
        return first
    return "entry" if module.endswith(".__main__") else ""


def imports() -> dict[str, set[str]]:
    """Module -> the package's modules it imports (dotted under belarus_fp), at the top or inside a function."""
    return {module: set(found) for module, found in _imports().items()}


@cache
def _imports() -> dict[str, frozenset[str]]:
    """:func:`imports`, parsed once per test process (the sources do not change during a run)."""
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        here = module_name(path)
        package = here if path.name == "__init__.py" and "." not in here and here in WINGS else here.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".") if package else []
                    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                    target = ".".join([*base, *([node.module] if node.module else [])])
                elif node.module == "belarus_fp" or (node.module or "").startswith("belarus_fp."):
                    target = node.module[len("belarus_fp") :].lstrip(".")
                else:
                    continue
                for alias in node.names:
                    full = f"{target}.{alias.name}" if target else alias.name
                    found.add(full if full in modules else (target or "__init__"))
            elif isinstance(node, ast.Import):
                found |= {a.name[len("belarus_fp.") :] for a in node.names if a.name.startswith("belarus_fp.")}
            elif (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", "") == "run_module"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and str(node.args[0].value).startswith("belarus_fp.")
            ):
                found.add(node.args[0].value[len("belarus_fp.") :])
        graph[here] = frozenset(found - {here})
    return graph


def test_the_import_parser_sees_relative_absolute_and_nested_imports():
    graph = imports()
    assert "archive.sources" in graph["analysis.trade"] and "archive.folders" in graph["archive.sources"]
    assert "archive.sources" in graph["analysis.mentions"] and "archive.finder" in graph["analysis.mentions"]
    assert graph["build.__main__"] == {"commands.build"}


def test_each_wing_imports_only_the_wings_below_it():
    wrong = sorted(
        f"{module} ({wing(module) or 'top level'}) imports {other}"
        for module, found in imports().items()
        for other in found
        if wing(other) not in MAY_IMPORT[wing(module)] and not (module == "__init__" and other == "viz.figures")
    )
    assert not wrong, "imports against the layer rule (archive < analysis < viz < commands):\n" + "\n".join(wrong)


def test_nothing_imports_the_commands_but_their_entry_points():
    wrong = sorted(
        f"{m} imports {o}"
        for m, found in imports().items()
        for o in found
        if wing(o) == "commands" and wing(m) not in {"commands", "entry"}
    )
    assert not wrong, wrong


def test_no_import_cycle():
    graph = imports()
    done, path = set(), []

    def visit(module):
        assert module not in path, f"import cycle: {' -> '.join([*path[path.index(module) :], module])}"
        if module in done:
            return
        path.append(module)
        for other in sorted(graph.get(module, ())):
            visit(other)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)


def test_every_module_has_a_row_in_contributing():
    readme = (paths.ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = readme.split("### The package, by layer", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`([\w.]+)`", table))
    missing = sorted(m for m in (module_name(p) for p in PACKAGE.rglob("*.py")) if "__" not in m and m not in WINGS and m not in listed)
    assert not missing, f"modules without a row in CONTRIBUTING.md's package table: {missing}"


#: No module of the package is longer than this: a longer one holds several jobs (split it by job, not in halves).
MAX_MODULE_LINES = 500


def test_no_module_is_longer_than_the_limit():
    long = {module_name(p): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, f"modules over {MAX_MODULE_LINES} lines (split each by job): {long}"


#: A notebook code cell longer than this belongs in the package (code cells are short; the logic lives in the package).
MAX_CELL_LINES = 15
#: Indexing the facts table by hand instead of ``belarus_fp.archive.facts`` (which names a missing fact and its near keys).
OTHER_FACT_LOOKUPS = re.compile(r"set_index\([\"']fact_id[\"']\)\s*\.(?:loc|at)\b")


def notebook_code_cells():
    for path in sorted((paths.ROOT / "notebooks").glob("*.ipynb")):
        for n, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type == "code":
                yield f"{path.name} cell {n}", cell.source


def test_no_notebook_code_cell_is_longer_than_the_limit():
    long = [
        f"{where}: {len(source.splitlines())} lines" for where, source in notebook_code_cells() if len(source.splitlines()) > MAX_CELL_LINES
    ]
    assert not long, f"code cells over {MAX_CELL_LINES} lines (move the code into the package):\n" + "\n".join(long)


def test_notebooks_fetch_facts_only_through_the_facts_module():
    assert OTHER_FACT_LOOKUPS.search('x = facts.set_index("fact_id").loc["r13-x", "value"]')  # the pattern sees what it forbids
    found = [f"{where}: {m.group()}" for where, source in notebook_code_cells() for m in OTHER_FACT_LOOKUPS.finditer(source)]
    assert not found, "fetch facts with belarus_fp.archive.facts (get, value, find):\n" + "\n".join(found)


#: Drawing, house colours and private names: what a notebook leaves to the figure modules (belarus_fp.viz.<topic>) and the package's API.
#: Notebook 06 is the exception: it shows a user how to draw a map of their own with the package.
DRAWING = re.compile(
    r"\bplt\.(?:subplots|figure|bar|plot|scatter)\(|\bax\w*\.\w+\(|\bfig\.(?:suptitle|subplots_adjust|add_\w+|legend|text)\("
    r"|\bgeo\.category_map\(|#[0-9a-fA-F]{6}\b|\bPALETTE\b|\b\w+\._[a-z]\w*\("
)
USER_EXAMPLE = "06-using-the-package.ipynb"


def test_notebooks_call_figure_builders_and_public_names_only():
    assert DRAWING.search('fig, ax = plt.subplots()\nax.bar(x, y, color="#0072B2")')  # the pattern sees what it forbids
    assert DRAWING.search("fr._partner_name(s)") and not DRAWING.search("fig = footprint_figures.arc_map(arc)\nsave_figure(fig, 'x')")
    found = [
        f"{where}: {m.group()}"
        for where, source in notebook_code_cells()
        if not where.startswith(USER_EXAMPLE)
        for m in DRAWING.finditer(source)
    ]
    assert not found, (
        "drawing code, colours or private names in notebook cells (use the figure modules, belarus_fp.viz.<topic>):\n" + "\n".join(found)
    )
