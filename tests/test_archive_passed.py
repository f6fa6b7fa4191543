"""An analysis, figure or command given an archive reads that archive: every call it makes to a package function that
takes ``archive=`` passes its own on (a call without it would read the clone's manifest, tables or map data instead)."""

import ast
import importlib
import inspect
import pkgutil

import pytest

import belarus_fp

#: The wings checked.
WINGS = ("archive", "analysis", "viz", "commands")


def _modules():
    for info in pkgutil.walk_packages(belarus_fp.__path__, "belarus_fp."):
        if info.name.split(".")[1] in WINGS:
            yield importlib.import_module(info.name)


def _takes_archive(obj) -> list[str] | None:
    """The parameter names of ``obj`` if it is a package function taking ``archive``, else None."""
    if not callable(obj) or not (getattr(obj, "__module__", None) or "").startswith("belarus_fp"):
        return None
    try:
        names = list(inspect.signature(obj).parameters)
    except (TypeError, ValueError):
        return None
    return names if "archive" in names else None


def _callee(module, func):
    """The object a call's ``name`` or ``name.attr.attr`` resolves to in ``module``, or None."""
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name) or not hasattr(module, func.id):
        return None
    obj = getattr(module, func.id)
    for part in reversed(parts):
        obj = getattr(obj, part, None)
    return obj


def _dropped(module, source: str | None = None) -> list[str]:
    """Each call in a function of ``module`` taking ``archive`` to a package function taking it too, without it."""
    tree = ast.parse(source if source is not None else inspect.getsource(module))
    out = []
    for fn in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        if "archive" not in [a.arg for a in (*fn.args.args, *fn.args.kwonlyargs)]:
            continue
        for call in (n for n in ast.walk(fn) if isinstance(n, ast.Call)):
            if any(k.arg in ("archive", None) for k in call.keywords):
                continue
            params = _takes_archive(_callee(module, call.func))
            if params is None or params.index("archive") < len(call.args):
                continue
            out.append(f"{module.__name__}.{fn.name}, line {call.lineno}: {ast.unparse(call.func)}(...) without archive=")
    return out


@pytest.mark.parametrize("module", list(_modules()), ids=lambda m: m.__name__)
def test_every_call_passes_the_archive_on(module):
    dropped = _dropped(module)
    assert not dropped, "\n".join(dropped)


def test_the_check_sees_a_dropped_archive():
    import types

    from belarus_fp.viz import documents

    module = types.ModuleType("belarus_fp.viz.probe")
    module.documents = documents
    source = "def figure(archive=None):\n    return documents.document_colours(), documents.document_offsets(0.2, archive)\n"
    assert _dropped(module, source) == ["belarus_fp.viz.probe.figure, line 2: documents.document_colours(...) without archive="]
