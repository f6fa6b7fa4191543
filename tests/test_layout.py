"""The package's module graph: the README's list is the code's imports, and there is no import cycle;
notebooks hold narrative and calls into the package."""

import ast
import re

import nbformat

from belarus_fp import paths

PACKAGE = paths.ROOT / "src" / "belarus_fp"


def imports() -> dict[str, set[str]]:
    """Module -> the package's modules it imports, at the top or inside a function."""
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    graph = {}
    for path in PACKAGE.glob("*.py"):
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level == 1 and node.module:
                    found.add(node.module.split(".")[0])
                elif node.level == 1 or node.module == "belarus_fp":
                    found |= {a.name for a in node.names} & modules
                elif node.module and node.module.startswith("belarus_fp."):
                    found.add(node.module.split(".")[1])
            elif isinstance(node, ast.Import):
                found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("belarus_fp.")}
        graph[path.stem] = found - {path.stem}
    return graph


def documented() -> dict[str, set[str]]:
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The package, one job per module", 1)[1].split("\n## ", 1)[0]
    block = section.split("```\n", 2)[1]
    return {m[1]: set(m[2].split()) for m in re.finditer(r"^(\S+)\s+->[ \t]*(.*)$", block, flags=re.M)}


def test_the_readme_module_graph_is_the_code_s_imports():
    code, readme = imports(), documented()
    assert set(readme) == set(code), f"modules only in the code: {set(code) - set(readme)}; only in the README: {set(readme) - set(code)}"
    wrong = {m: (sorted(code[m]), sorted(readme[m])) for m in code if code[m] != readme[m]}
    assert not wrong, f"module: (imports in the code, imports in README.md's graph): {wrong}"


def test_no_import_cycle():
    graph = imports()
    done, path = set(), []

    def visit(module):
        assert module not in path, f"import cycle: {' -> '.join(path[path.index(module) :] + [module])}"
        if module in done:
            return
        path.append(module)
        for other in sorted(graph[module]):
            visit(other)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)


def test_every_module_has_a_job_in_the_readme():
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### The package, one job per module", 1)[1].split("Which module imports which", 1)[0]
    listed = set(re.findall(r"`(\w+)`", table))
    missing = sorted({p.stem for p in PACKAGE.glob("*.py")} - {"__init__"} - listed)
    assert not missing, f"modules without a row in README.md's module table: {missing}"


#: A notebook code cell longer than this belongs in the package (issue #14: "no code cell over about 15 lines").
MAX_CELL_LINES = 15
#: Ways to fetch a fact other than ``belarus_fp.facts`` (aliases kept for old callers, and indexing by hand).
OTHER_FACT_LOOKUPS = re.compile(r"trade\.fact\(|fact_value\(|set_index\([\"']fact_id[\"']\)\s*\.(?:loc|at)\b")


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
    assert not found, "fetch facts with belarus_fp.facts (get, value, find):\n" + "\n".join(found)


#: Drawing, house colours and private names: what a notebook leaves to belarus_fp.plots and the package's API.
#: Notebook 06 is the exception: it shows a user how to draw a map of their own with the package.
DRAWING = re.compile(
    r"\bplt\.(?:subplots|figure|bar|plot|scatter)\(|\bax\w*\.\w+\(|\bfig\.(?:suptitle|subplots_adjust|add_\w+|legend|text)\("
    r"|\bgeo\.category_map\(|#[0-9a-fA-F]{6}\b|\bPALETTE\b|\b\w+\._[a-z]\w*\("
)
USER_EXAMPLE = "06-using-the-package.ipynb"


def test_notebooks_call_figure_builders_and_public_names_only():
    assert DRAWING.search('fig, ax = plt.subplots()\nax.bar(x, y, color="#0072B2")')  # the pattern sees what it forbids
    assert DRAWING.search("fr._partner_name(s)") and not DRAWING.search("fig = plots.arc_map(arc)\nsave_figure(fig, 'x')")
    found = [
        f"{where}: {m.group()}"
        for where, source in notebook_code_cells()
        if not where.startswith(USER_EXAMPLE)
        for m in DRAWING.finditer(source)
    ]
    assert not found, "drawing code, colours or private names in notebook cells (use belarus_fp.plots):\n" + "\n".join(found)
