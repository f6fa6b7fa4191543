"""The README's notebook and figure tables list exactly the notebooks and figures there are, and each
figure's heading is a heading of the notebook that makes it."""

import re

import nbformat

from belarus_fp import paths
from belarus_fp.commands import build

README = (paths.ROOT / "README.md").read_text(encoding="utf-8")
FIGURE_ROW = re.compile(
    r"^\| \[`(?P<png>[0-9]{2}-[a-z0-9-]+\.png)`\].*\| \[`(?P<nb>[0-9]{2}-[a-z0-9-]+\.ipynb)`\]\([^)]*\) \| (?P<heading>[^|]+) \|$", re.M
)


def test_every_notebook_is_in_the_notebook_table():
    listed = set(re.findall(r"^\| \[`([0-9]{2}-[a-z0-9-]+)`\]\(notebooks/", README, flags=re.M))
    assert listed == {p.stem for p in build.notebooks()}


def test_every_figure_is_in_the_figure_table_with_its_notebook_and_heading():
    rows = {m["png"]: (m["nb"], m["heading"].strip()) for m in FIGURE_ROW.finditer(README)}
    assert set(rows) == {p.name for p in paths.FIGURES.glob("*.png")}
    for png, (nb_name, heading) in rows.items():
        assert png[:2] == nb_name[:2], png
        nb = nbformat.read(paths.NOTEBOOKS / nb_name, as_version=4)
        headings = {
            line.lstrip("#").strip()
            for c in nb.cells
            if c.cell_type == "markdown"
            for line in c.source.splitlines()
            if line.startswith("#")
        }
        assert heading in headings, f"{png}: heading {heading!r} not in {nb_name}"
