"""The package's module graph: the README's list is the code's imports, and there is no import cycle."""

import ast
import re

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
