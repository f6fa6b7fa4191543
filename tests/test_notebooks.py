"""Every notebook executes without error, and re-executing it reproduces the committed file.

"Reproduces" means the same normalised notebook (``notebook_form.canonical_text``). The build writes the
notebook metadata as JupyterLab does, so a notebook opened, run and saved in JupyterLab is the
committed file byte for byte (``make lab-check`` proves it in a browser); the one difference allowed
here is ``language_info.version`` when the tests run on another Python than the one that built the
notebooks (JupyterLab records the kernel's version on every save). ``make check`` separately keeps the
committed files byte-identical to what the build writes.
"""

import functools
import os
import shutil

import pytest

from belarus_fp import paths
from belarus_fp.commands import build, execution, notebook_form, stamps

NOTEBOOKS = build.notebooks()
# The build's stamps (``.build/stamps.json``) record, for each notebook, the hash of everything its
# outputs depend on (the notebook as saved, data/, src/, the interpreter and every installed package)
# at its last successful execution, which wrote the file as it is now. When a notebook's stamp matches
# (`make all` or `make build` just ran and nothing changed since), executing it again would only repeat
# that execution, so the tests trust the stamp; `make check` (CI) executes every notebook afresh and
# compares it byte for byte with the commit. BELARUS_FP_NOTEBOOKS_EXECUTE=1 executes them anyway.
EXECUTE = os.environ.get("BELARUS_FP_NOTEBOOKS_EXECUTE") == "1"
# Set by .ci/run after `make check`: the stamps must then match (a notebook not built is an error, not a re-execution).
JUST_CHECKED = os.environ.get("BELARUS_FP_NOTEBOOKS_JUST_CHECKED") == "1"


@functools.cache
def current_inputs() -> str:
    """The digest of data/, src/ and the environment, hashed once per test process (nothing in a test run changes them)."""
    return stamps.inputs_digest()


def trusted(nb_path) -> bool:
    """True when the build's stamp shows this notebook was executed with exactly the current inputs."""
    if EXECUTE:
        return False
    fresh = stamps.up_to_date(nb_path, current_inputs())
    assert fresh or not JUST_CHECKED, f"{nb_path.name}: not built with the current inputs; run `make check` first"
    return fresh


@pytest.fixture
def figures_elsewhere(tmp_path, monkeypatch):
    """Point save_figure (in the kernel, via the environment) at a temporary folder."""
    folder = tmp_path / "figures"
    monkeypatch.setenv("BELARUS_FP_FIGURES", str(folder))
    return folder


def test_the_series_exists():
    numbers = [int(p.name[:2]) for p in NOTEBOOKS]
    assert numbers[:1] == [0], "the series opens with notebook 00"
    assert len(set(numbers)) == len(numbers), f"two notebooks share a number: {[p.name for p in NOTEBOOKS]}"


def test_the_readme_lists_every_notebook():
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    missing = [p.name for p in NOTEBOOKS if f"](notebooks/{p.name})" not in readme]
    assert not missing, f"notebooks not linked from README.md: {missing}"


def test_every_committed_notebook_is_as_the_build_writes_it():
    for nb_path in NOTEBOOKS:
        text = nb_path.read_text(encoding="utf-8")
        nb = notebook_form.read_notebook(nb_path)
        recorded = nb.metadata.get("language_info", {}).get("version")  # the Python that built it; may be another
        assert notebook_form.canonical_text(nb, python_version=recorded) == text, (
            f"{nb_path.name} is not normalised: run `make build` and commit it"
        )


def test_a_users_own_notebooks_are_not_part_of_the_series():
    own = paths.NOTEBOOKS / "own"
    assert (own / "README.md").is_file() and (own / ".gitignore").read_text().splitlines()[1] == "*"
    assert all(p.parent == paths.NOTEBOOKS for p in NOTEBOOKS)


@pytest.mark.notebooks
@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_rebuilds_byte_identical(nb_path, tmp_path, figures_elsewhere):
    if trusted(nb_path):  # executed by the build with these very inputs, and written as it is now
        return
    copy = tmp_path / nb_path.name
    shutil.copy(nb_path, copy)
    execution.execute(copy)
    committed = notebook_form.canonical_text(notebook_form.read_notebook(nb_path))
    assert copy.read_text(encoding="utf-8") == committed, (
        f"{nb_path.name} differs when re-executed ({_first_difference(copy, nb_path)}): run `make build` "
        "(it re-executes a notebook whose saved content or inputs changed) and commit the notebook; if the "
        "build finds it up to date, its output depends on more than its inputs (not deterministic, or the "
        f"machine): see what changes with `make build BUILD_ARGS='--force notebooks/{nb_path.name}'`"
    )
    written = sorted(figures_elsewhere.glob("*"))
    for fig in written:
        assert fig.name.startswith(nb_path.name[:3]), f"{nb_path.name} wrote {fig.name}: figures are named after their notebook"
        assert fig.read_bytes() == (paths.FIGURES / fig.name).read_bytes(), f"{fig.name} differs from the committed figure"


def _first_difference(rebuilt, committed) -> str:
    a, b = notebook_form.read_notebook(rebuilt), notebook_form.read_notebook(committed)
    if len(a.cells) != len(b.cells):
        return f"{len(a.cells)} cells against {len(b.cells)}"
    for index, (x, y) in enumerate(zip(a.cells, b.cells, strict=True)):
        if x != y:
            return f"first at cell {index + 1}"
    return "metadata"


@pytest.mark.notebooks
def test_a_notebook_executed_twice_is_identical(tmp_path, figures_elsewhere):
    if trusted(NOTEBOOKS[0]):  # the build executed it with these inputs; `make check` compares a fresh execution with the commit
        return
    first, second = tmp_path / "a" / NOTEBOOKS[0].name, tmp_path / "b" / NOTEBOOKS[0].name
    for copy in (first, second):
        copy.parent.mkdir()
        shutil.copy(NOTEBOOKS[0], copy)
        execution.execute(copy)
    assert first.read_bytes() == second.read_bytes()


def test_every_inline_image_is_a_committed_figure_of_that_notebook():
    """Readers on GitHub see exactly the files in figures/, and every figure is shown by its notebook."""
    import base64

    import nbformat

    figures = {p.read_bytes(): p.name for p in paths.FIGURES.glob("*.png")}
    shown = set()
    for nb_path in NOTEBOOKS:
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                if "image/png" in out.get("data", {}):
                    name = figures.get(base64.b64decode(out["data"]["image/png"]))
                    assert name, f"{nb_path.name} shows an image that is not a file of figures/"
                    assert name.startswith(nb_path.name[:3]), f"{nb_path.name} shows {name}"
                    shown.add(name)
    assert shown == set(figures.values()), f"figures no notebook shows: {set(figures.values()) - shown}"
