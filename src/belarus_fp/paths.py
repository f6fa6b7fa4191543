"""Every folder of the repository, in one place.

The data, notebooks and figures live in a clone of the repository, not in the package. The
clone is found, in order: the folder named by the environment variable ``BELARUS_FP_ROOT``;
else the folder two levels above this file (the clone itself when the package is installed
editable, ``pip install -e .``). Installed any other way (``pip install .`` into another
environment) with no ``BELARUS_FP_ROOT``, there is no clone to find: using a path then raises
:class:`RepositoryNotFound`, which says how to point at one. Functions that read data also take
``data_dir=`` (a clone's ``data/`` folder), which needs no setting at all.

``ROOT``, ``DATA``, ``RAW``, ``CURATED``, ``EXTERNAL``, ``NOTEBOOKS`` and ``FIGURES`` are resolved
when they are used, so setting the variable after ``import belarus_fp`` (in a notebook) works.
``BELARUS_FP_FIGURES`` sends the series' ``save_figure`` elsewhere (the build stages figures there;
the tests use it); ``BELARUS_FP_SERIES`` tells ``save_figure`` it runs in a series notebook.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_ROOT = "BELARUS_FP_ROOT"
ENV_FIGURES = "BELARUS_FP_FIGURES"
#: Set by the build for a series notebook's kernel: the notebook's file name (see figures.series_notebook).
ENV_SERIES = "BELARUS_FP_SERIES"
#: Files that make a folder a clone of the repository (checked, so a wrong folder is named).
MARKERS = ("data/raw/manifest.csv", "data/curated/datapackage.json")
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]


class RepositoryNotFound(FileNotFoundError):
    """No clone of the repository (its ``data/``, ``notebooks/``, ``figures/``) can be found."""


def root() -> Path:
    """The clone's root folder; raises :class:`RepositoryNotFound` saying how to set it."""
    setting = os.environ.get(ENV_ROOT)
    candidate = Path(setting).expanduser().resolve() if setting else _PACKAGE_ROOT
    missing = [marker for marker in MARKERS if not (candidate / marker).is_file()]
    if not missing:
        return candidate
    if setting:
        raise RepositoryNotFound(
            f"{ENV_ROOT}={setting} is not a clone of the belarus_fp repository: "
            f"{candidate / missing[0]} does not exist. Set {ENV_ROOT} to the folder holding data/ and notebooks/."
        )
    raise RepositoryNotFound(
        "belarus_fp is installed without its data: the tables, documents, notebooks and figures live in a "
        f"clone of the repository (looked in {candidate}). Point at a clone with the environment variable "
        f"{ENV_ROOT}=/path/to/clone, or pass data_dir=/path/to/clone/data, or install from the clone "
        "editable: pip install -e /path/to/clone."
    )


def require_root(exit_on_error: bool = False) -> Path:
    """``root()`` for a command-line entry point: with ``exit_on_error``, exit 1 with the message."""
    try:
        return root()
    except RepositoryNotFound as exc:
        if exit_on_error:
            raise SystemExit(f"error: {exc}") from None
        raise


def data_folder(data_dir=None) -> Path:
    """A ``data_dir=`` argument as a Path (None: this clone's ``data/``).

    A wrong type or an empty string is refused (an empty string would otherwise mean the current folder, or
    silently this clone).
    """
    if data_dir is None:
        return root() / "data"
    if not isinstance(data_dir, (str, os.PathLike)):
        raise TypeError(
            f"data_dir must be a path to a clone's data/ folder (str or pathlib.Path), not {type(data_dir).__name__} {data_dir!r}"
        )
    if not str(os.fspath(data_dir)).strip():
        raise ValueError("data_dir is an empty string: pass a clone's data/ folder, or leave data_dir out for this clone's")
    return Path(data_dir)


_FOLDERS = {
    "ROOT": (),
    "DATA": ("data",),
    "RAW": ("data", "raw"),
    "CURATED": ("data", "curated"),
    "EXTERNAL": ("data", "external"),
    "NOTEBOOKS": ("notebooks",),
}


def notebooks(folder: Path | None = None) -> list[Path]:
    """The notebooks of the series, in order (``NN-title.ipynb``; default folder: the clone's ``notebooks/``)."""
    return sorted(Path(folder or sys.modules[__name__].NOTEBOOKS).glob("[0-9][0-9]-*.ipynb"))


def __getattr__(name: str) -> Path:
    if name == "FIGURES" and os.environ.get(ENV_FIGURES):
        return Path(os.environ[ENV_FIGURES])
    if name == "FIGURES":
        return root() / "figures"
    if name in _FOLDERS:
        return root().joinpath(*_FOLDERS[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
