"""The notebook as the build writes it.

Read strictly, normalised (JupyterLab's own metadata, no timings, merged streams) and replaced atomically,
so a rebuild is byte-identical whatever the machine is doing.

Normalised means no timings, no version strings, a fixed kernelspec and ``language_info``, and
consecutive stream outputs merged (output flushed in several pieces under load is stored as one).
"""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

from .. import paths

#: The notebooks' metadata exactly as JupyterLab writes it for ipykernel's ``python3`` kernel, so opening
#: a committed notebook leaves it unmodified and Run All + Save leaves it byte-identical.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def language_info(version: str | None = None) -> dict:
    """``language_info`` as the ``python3`` kernel reports it (ipykernel's ``IPythonKernel.language_info``).

    It records the interpreter's version (``3.11.7``), as JupyterLab does on every save; ``version``
    gives another (the tests compare a notebook recorded on another Python with that version kept).
    """
    return {
        "codemirror_mode": {"name": "ipython", "version": sys.version_info[0]},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": version or sys.version.split()[0],
    }


class BuildError(Exception):
    """A notebook failed, or the build was asked for something it cannot do; the text says which and why."""


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the repository when inside it."""
    path = Path(path).resolve()
    return str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else str(path)


def _unreadable(nb_path: Path, exc: Exception) -> BuildError:
    return BuildError(
        f"{display_path(nb_path)} is not a readable notebook ({type(exc).__name__}: {exc}); "
        f"restore it with `git checkout -- {display_path(nb_path)}`"
    )


def read_notebook(nb_path: Path):
    """Read a notebook, or fail naming the file and how to restore it (never a bare JSONDecodeError)."""
    import nbformat

    try:
        return nbformat.read(nb_path, as_version=4)
    except Exception as exc:  # nbformat raises JSON, Unicode and validation errors of many kinds
        raise _unreadable(nb_path, exc) from None


def normalize_notebook(nb, python_version: str | None = None) -> None:
    """Strip what changes run to run or editor to editor; keep outputs and counts.

    The notebook metadata becomes exactly what JupyterLab writes (:data:`KERNELSPEC` and
    :func:`language_info`, with this interpreter's version unless ``python_version`` is given).
    Works on an nbformat notebook and on the plain dict of its JSON alike (dict access only).
    """
    nb["metadata"] = {"kernelspec": dict(KERNELSPEC), "language_info": language_info(python_version)}
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("execution", None)
        cell.get("metadata", {}).pop("ExecuteTime", None)
        if cell["cell_type"] != "code":
            continue
        merged: list = []
        for out in cell.get("outputs", []):
            out.get("metadata", {}).pop("execution", None)
            last = merged[-1] if merged else None
            if last is not None and out["output_type"] == "stream" == last["output_type"] and out["name"] == last["name"]:
                last["text"] = last["text"] + out["text"]
            else:
                merged.append(out)
        cell["outputs"] = merged


def saved_form(nb_path: Path) -> tuple[str, bool]:
    """The notebook file as saved, normalised, as one string, and whether normalising changed anything.

    The string is what the up-to-date check hashes; a JupyterLab save, for one, rewrites the metadata.

    Read as plain JSON (fast: importing nbformat alone takes about a second), with the lists of
    lines that JSON notebooks store joined, so the result does not depend on how lines were split.
    """
    try:
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            for node in [cell, *cell.get("outputs", [])]:
                for key in ("source", "text"):
                    if isinstance(node.get(key), list):
                        node[key] = "".join(node[key])
                for mime, value in node.get("data", {}).items():
                    if isinstance(value, list):
                        node["data"][mime] = "".join(value)
        before = json.dumps(nb, sort_keys=True)
        normalize_notebook(nb)
    except (ValueError, UnicodeDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise _unreadable(nb_path, exc) from None
    after = json.dumps(nb, sort_keys=True)
    return after, after != before


def canonical_text(nb, python_version: str | None = None) -> str:
    """The normalised notebook as the build writes it; two notebooks are the same when these are equal."""
    import nbformat

    normalize_notebook(nb, python_version)
    return nbformat.writes(nb) + "\n"


def os_error(exc: OSError) -> str:
    """An OS error met while writing, in words, naming the file (a notebook or figure is replaced whole or not at all)."""
    from ..archive.journal import explain

    where = display_path(Path(exc.filename)) if exc.filename else "a file of the repository"
    return f"{explain(exc, where)}; every notebook and figure not yet written stays as it was"


def write_atomic(path: Path, data: str | bytes) -> None:
    """Replace ``path`` in one step: a reader (or a crash) sees the old file or the new, never half of one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except OSError as exc:  # name the file being replaced, not the temporary one
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    finally:
        tmp.unlink(missing_ok=True)
