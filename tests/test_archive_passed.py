"""An analysis, figure or command given an archive reads that archive: every call it makes to a package function that
takes ``archive=`` passes its own on (a call without it would read the clone's manifest, tables or map data instead).

A function has an archive when it, or a function it is defined in, takes ``archive`` (or ``data_dir``, the older
form). There, each of these is refused, with the line:

- a call to a package function taking ``archive`` that gives it neither by keyword, position nor ``**kwargs``;
- such a function named as a value (``frame.map(countries.vector)``): whoever calls it gives no archive;
- a call to a package function that takes no archive but reads the clone's: one that calls a function taking an
  archive without it, or calls another such function, followed to any depth (the message gives the chain).

A name is resolved the way Python resolves it: first the names a function binds in its own body or in the body of a
function enclosing it (``from . import sources`` inside a function, then ``sources.manifest(...)``; a parameter or a
local variable hides the module's name), then the module's own names.

The modules are listed from the package's files, and imported and parsed only by their own test (each parsed once per
process): collection imports nothing.
"""

import ast
import importlib
import importlib.util
import inspect
from functools import cache
from pathlib import Path

import pytest

import belarus_fp

#: The wings checked.
WINGS = ("archive", "analysis", "viz", "commands")
#: The parameters that give a function its archive (``data_dir=``: a ``data/`` folder, the older form).
ARCHIVE_PARAMETERS = ("archive", "data_dir")
#: A name the function binds itself (a parameter, an assignment): it hides the module's name of that spelling.
_BOUND = object()


def _module_names() -> list[str]:
    """The modules of the wings, from the package's files (nothing imported)."""
    package = Path(belarus_fp.__file__).parent
    names = []
    for wing in WINGS:
        for path in sorted((package / wing).rglob("*.py")):
            parts = path.relative_to(package).with_suffix("").parts
            names.append(".".join(("belarus_fp", *(parts[:-1] if parts[-1] == "__init__" else parts))))
    return names


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


class _Index:
    """One parse of a module's source: each node with its innermost function (None at module level), in one walk.

    A function's decorators, defaults and annotations belong to where it is defined, its body to it.
    """

    def __init__(self, tree: ast.AST):
        self.enclosing: dict[ast.AST, ast.AST | None] = {}  # function -> the function it is defined in
        self.by_scope: dict[ast.AST | None, list[ast.AST]] = {}
        self.called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
        self.by_line: dict[int, ast.AST] = {}  # a function by its first line (its first decorator's)
        self._visit(tree, None)

    def _visit(self, node: ast.AST, scope: ast.AST | None) -> None:
        self.by_scope.setdefault(scope, []).append(node)
        if isinstance(node, _FUNCTIONS):
            self.enclosing[node] = scope
            self.by_line[node.decorator_list[0].lineno if node.decorator_list else node.lineno] = node
            for child in ast.iter_child_nodes(node):
                self._visit(child, node if any(child is stmt for stmt in node.body) else scope)
            return
        for child in ast.iter_child_nodes(node):
            self._visit(child, scope)

    def chain(self, fn: ast.AST | None) -> list[ast.AST]:
        """``fn`` and the functions enclosing it, innermost first."""
        out = []
        while fn is not None:
            out.append(fn)
            fn = self.enclosing[fn]
        return out


@cache
def _index(name: str) -> _Index:
    """The parsed source of module ``name`` (once per process)."""
    return _Index(ast.parse(inspect.getsource(importlib.import_module(name))))


def _takes_archive(obj) -> list[str] | None:
    """The parameter names of ``obj`` if it is a package function taking ``archive``, else None."""
    if not callable(obj) or not (getattr(obj, "__module__", None) or "").startswith("belarus_fp"):
        return None
    try:
        names = list(inspect.signature(obj).parameters)
    except (TypeError, ValueError):
        return None
    return names if "archive" in names else None


def _imported(module, node: ast.Import | ast.ImportFrom) -> dict[str, object]:
    """The names an import statement binds, and what they are (a name that does not resolve is left out)."""
    out: dict[str, object] = {}
    if isinstance(node, ast.Import):
        for alias in node.names:
            try:
                target = importlib.import_module(alias.name)
            except ImportError:
                continue
            if alias.asname:  # import a.b.c as x: x is a.b.c
                out[alias.asname] = target
            else:  # import a.b.c: binds a
                out[alias.name.split(".")[0]] = importlib.import_module(alias.name.split(".")[0])
        return out
    base = importlib.util.resolve_name("." * node.level + (node.module or ""), module.__package__) if node.level else node.module
    try:
        source = importlib.import_module(base)
    except ImportError:
        return out
    for alias in node.names:
        if hasattr(source, alias.name):
            out[alias.asname or alias.name] = getattr(source, alias.name)
            continue
        try:  # from . import sources: a submodule not yet an attribute of its package
            out[alias.asname or alias.name] = importlib.import_module(f"{base}.{alias.name}")
        except ImportError:
            continue
    return out


def _local_names(module, fn: ast.AST, index: _Index) -> dict[str, object]:
    """The names bound in ``fn`` and in every function enclosing it (the innermost wins): what an import there binds,
    and :data:`_BOUND` for a parameter or an assigned name (``world`` a frame, not the module's function)."""
    names: dict[str, object] = {}
    for scope in reversed(index.chain(fn)):  # outermost first, so an inner name shadows an outer one
        args = scope.args  # type: ignore[attr-defined]
        names.update(
            dict.fromkeys((a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg) if a), _BOUND)
        )
        nodes = index.by_scope.get(scope, [])
        for node in nodes:
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names[node.id] = _BOUND
            elif isinstance(node, (*_FUNCTIONS, ast.ClassDef)) and node is not scope:
                names[node.name] = _BOUND
        for node in nodes:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update(_imported(module, node))
    return names


def _callee(module, func, local: dict | None = None):
    """The object a call's ``name`` or ``name.attr.attr`` resolves to: a name the function imports, else ``module``'s."""
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        return None
    if local and func.id in local:
        obj = local[func.id]
        if obj is _BOUND:
            return None
    elif hasattr(module, func.id):
        obj = getattr(module, func.id)
    else:
        return None
    for part in reversed(parts):
        obj = getattr(obj, part, None)
    return obj


def _takes_archive_param(fn: ast.AST) -> bool:
    args = fn.args  # type: ignore[attr-defined]
    return any(a.arg in ARCHIVE_PARAMETERS for a in (*args.posonlyargs, *args.args, *args.kwonlyargs))


def _uses(module, index: _Index, scopes):
    """Each call, and each package function named as a value (``frame.map(countries.vector)``), in the functions
    ``scopes``: (node, the expression named, what it resolves to, its innermost function)."""
    for scope in scopes:
        local = _local_names(module, scope, index)
        for node in index.by_scope.get(scope, []):
            if isinstance(node, ast.Call):
                func = node.func
            elif isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load) and id(node) not in index.called:
                func = node
            else:
                continue
            obj = _callee(module, func, local)
            if obj is None or (not isinstance(node, ast.Call) and not inspect.isfunction(obj)):  # a class in an annotation
                continue
            yield node, func, obj, scope


def _passes_archive(call: ast.AST, params: list[str]) -> bool:
    """A call that gives ``archive`` (or ``data_dir``: by keyword, ``**kwargs`` or position); a function named as a value
    never does."""
    if not isinstance(call, ast.Call):
        return False
    if any(k.arg in (*ARCHIVE_PARAMETERS, None) for k in call.keywords):
        return True
    return min(params.index(p) for p in ARCHIVE_PARAMETERS if p in params) < len(call.args)


def _dropped(module, source: str | None = None) -> list[str]:
    """Each use, in a function of ``module`` that has an archive (its own parameter or an enclosing function's), of a
    package function that would read the clone's archive instead: one taking ``archive`` called without it (or passed
    on as a function), or one that does not take ``archive`` and reads the clone's (:func:`_reads_clone`). Reported
    under the innermost function holding the use."""
    index = _Index(ast.parse(source)) if source is not None else _index(module.__name__)
    scopes = [fn for fn in index.enclosing if any(_takes_archive_param(f) for f in index.chain(fn))]
    out = []
    for node, func, obj, scope in _uses(module, index, scopes):
        where = f"{module.__name__}.{scope.name}, line {node.lineno}: {ast.unparse(func)}"
        params = _takes_archive(obj)
        if params is not None:
            if not isinstance(node, ast.Call) and params[0] in ARCHIVE_PARAMETERS:
                continue  # a callback given its archive first (a transaction's validate=tables.load_all: the view)
            if not _passes_archive(node, params):
                what = (
                    "(...) without archive="
                    if isinstance(node, ast.Call)
                    else " passed as a function (it reads the clone's: a lambda or functools.partial with archive=)"
                )
                out.append((node.lineno, node.col_offset, where + what))
        elif (reason := _reads_clone(obj)) is not None:
            call = "(...)" if isinstance(node, ast.Call) else " (passed as a function)"
            out.append((node.lineno, node.col_offset, f"{where}{call} takes no archive and reads the clone's ({reason})"))
    return [message for _, _, message in sorted(out)]


_IN_PROGRESS: set = set()
#: What :func:`_reads_clone` found of each function; a "reads none" reached through a recursion is not kept (the
#: function in progress was not known yet), "reads the clone's" always is.
_READS: dict = {}
_CYCLES = [0]


def _reads_clone(obj) -> str | None:
    """Why a package function (or class) that takes no ``archive`` reads the clone's archive: a call in its body
    to a package function taking ``archive`` without it, or to one that reads the clone's in turn; None if it
    reads none."""
    if obj in _READS:
        return _READS[obj]
    cycles = _CYCLES[0]
    reason = _find_reads(obj)
    if reason is not None or _CYCLES[0] == cycles:
        _READS[obj] = reason
    return reason


def _find_reads(obj) -> str | None:
    obj = inspect.unwrap(obj) if callable(obj) else obj
    if inspect.isclass(obj):
        init = obj.__dict__.get("__init__")
        return _reads_clone(init) if init is not None else None
    if not inspect.isfunction(obj) or not obj.__module__.startswith("belarus_fp"):
        return None
    if any(p in inspect.signature(obj).parameters for p in ARCHIVE_PARAMETERS):  # it has an archive: checked where it is
        return None
    if obj in _IN_PROGRESS:  # a recursion: what it reads is found on the way out
        _CYCLES[0] += 1
        return None
    _IN_PROGRESS.add(obj)
    try:
        module = importlib.import_module(obj.__module__)
        try:
            index = _index(obj.__module__)
        except (OSError, TypeError):
            return None
        fn = index.by_line.get(obj.__code__.co_firstlineno)
        if fn is None:  # made at run time (a dataclass's __init__): nothing of ours in it
            return None
        inner = [f for f in index.enclosing if fn in index.chain(f)]  # it and the functions defined in it
        name = f"{obj.__module__}.{obj.__qualname__}"
        for node, func, callee, _ in _uses(module, index, inner):
            params = _takes_archive(callee)
            if params is not None and not _passes_archive(node, params):
                return f"{name} uses {ast.unparse(func)} without archive="
            if params is None and callee is not obj and (reason := _reads_clone(callee)) is not None:
                return f"{name} calls {ast.unparse(func)}: {reason}"
        return None
    finally:
        _IN_PROGRESS.discard(obj)


@pytest.mark.parametrize("name", _module_names())
def test_every_call_passes_the_archive_on(name):
    dropped = _dropped(importlib.import_module(name))
    assert not dropped, "\n".join(dropped)


def test_every_module_is_checked():
    """The file listing finds what the package's own walk finds (no wing, subpackage or module missed)."""
    import pkgutil

    walked = {info.name for info in pkgutil.walk_packages(belarus_fp.__path__, "belarus_fp.") if info.name.split(".")[1] in WINGS}
    assert set(_module_names()) == walked


def _probe(source: str):
    import types

    from belarus_fp.viz import documents

    module = types.ModuleType("belarus_fp.viz.probe")
    module.__package__ = "belarus_fp.viz"
    module.documents = documents
    return _dropped(module, source)


def test_the_check_sees_a_dropped_archive():
    source = "def figure(archive=None):\n    return documents.document_colours(), documents.document_offsets(0.2, archive)\n"
    assert _probe(source) == ["belarus_fp.viz.probe.figure, line 2: documents.document_colours(...) without archive="]


def test_the_check_sees_a_function_passed_on_that_would_read_the_clone_s():
    source = (
        "def figure(frame, archive=None):\n"
        "    from ..archive import countries\n"
        "    frame.map(countries.vector)\n"
        "    frame.map(lambda c: countries.vector(c, archive=archive))\n"
        "    return frame.map(countries.reference)\n"
    )
    assert _probe(source) == [
        "belarus_fp.viz.probe.figure, line 3: countries.vector passed as a function (it reads the clone's: a lambda or"
        " functools.partial with archive=)"
    ]


def test_the_check_sees_a_dropped_archive_through_an_import_in_the_function():
    source = (
        "def figure(archive=None):\n"
        "    from ..archive import sources as s\n"
        "    from ..archive.sources import doc_ids\n"
        "    import belarus_fp.archive.sources\n"
        "    return s.manifest(), doc_ids(), belarus_fp.archive.sources.paragraphs('x')\n"
    )
    assert _probe(source) == [
        "belarus_fp.viz.probe.figure, line 5: s.manifest(...) without archive=",
        "belarus_fp.viz.probe.figure, line 5: doc_ids(...) without archive=",
        "belarus_fp.viz.probe.figure, line 5: belarus_fp.archive.sources.paragraphs(...) without archive=",
    ]


def test_the_check_sees_an_import_of_an_enclosing_function_and_a_shadowing_one():
    source = (
        "def figure(archive=None):\n"
        "    from ..archive import sources\n"
        "    def inner(archive=None):\n"
        "        return sources.manifest()\n"
        "    def other(archive=None):\n"
        "        from .. import paths as sources\n"
        "        return sources.root()\n"
        "    return inner, other\n"
    )
    assert _probe(source) == ["belarus_fp.viz.probe.inner, line 4: sources.manifest(...) without archive="]


def _probe_file(tmp_path, monkeypatch, name: str, source: str):
    """A module ``belarus_fp.viz.<name>`` of ``source``, written to a file so that its source can be read."""
    import sys

    path = tmp_path / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"belarus_fp.viz.{name}", path)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return module


def test_a_recursion_does_not_hide_what_a_function_reads(tmp_path, monkeypatch):
    module = _probe_file(
        tmp_path,
        monkeypatch,
        "probe_recursion",
        "from belarus_fp.archive import sources\n"
        "def x(n):\n"
        "    return y(n), z()\n"
        "def y(n):\n"
        "    return x(n - 1) if n else None\n"
        "def z():\n"
        "    return sources.paragraphs('x')\n"
        "def figure(archive=None):\n"
        "    return x(1), y(1)\n",
    )
    found = _dropped(module)  # y reads the clone's through x, which was in progress when y met it
    assert len(found) == 2, found
    assert "figure, line 9: x(...) takes no archive and reads the clone's" in found[0]
    assert "figure, line 9: y(...) takes no archive and reads the clone's" in found[1]


def test_the_check_sees_a_function_that_takes_no_archive_but_reads_the_clone_s(tmp_path, monkeypatch):
    """A helper that takes no archive but calls one that does, without it, reads the clone's: so does its caller."""
    module = _probe_file(
        tmp_path,
        monkeypatch,
        "probe_helpers",
        "from belarus_fp.archive import sources\n"
        "def helper(doc_id):\n"
        "    return sources.paragraphs(doc_id)\n"
        "def indirect(doc_id):\n"
        "    return helper(doc_id)\n"
        "def figure(doc_id, archive=None):\n"
        "    return indirect(doc_id), [doc_id].map(helper), sources.paragraphs(doc_id, archive)\n",
    )
    assert _dropped(module) == [
        "belarus_fp.viz.probe_helpers.figure, line 7: indirect(...) takes no archive and reads the clone's"
        " (belarus_fp.viz.probe_helpers.indirect calls helper: belarus_fp.viz.probe_helpers.helper uses sources.paragraphs"
        " without archive=)",
        "belarus_fp.viz.probe_helpers.figure, line 7: helper (passed as a function) takes no archive and reads the clone's"
        " (belarus_fp.viz.probe_helpers.helper uses sources.paragraphs without archive=)",
    ]
