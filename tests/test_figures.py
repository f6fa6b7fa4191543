"""belarus_fp.viz.figures: byte-identical files, legibility at display width, and where figures go."""

import io
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
from PIL import Image

from belarus_fp import paths
from belarus_fp.commands import execution, notebook_form
from belarus_fp.viz import figures
from belarus_fp.viz.figures import IllegibleFigure, check_figure, save_figure, source_line, use_style


@pytest.fixture(autouse=True)
def not_a_series_notebook(monkeypatch):
    """Tests run outside any notebook unless a test says otherwise."""
    monkeypatch.delenv(figures.SERIES_ENV, raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)


def _figure(width=4.0, source=True):
    use_style()
    fig, ax = plt.subplots(figsize=(width, 3))
    ax.bar(["Russia", "others"], [49.5, 50.5])
    ax.set_title("share")
    ax.set_xlabel("partner")
    if source:
        source_line(fig, ["review-2013"], derived=True)
    return fig


def test_save_figure_is_byte_identical_twice(tmp_path):
    first = [p.read_bytes() for p in save_figure(_figure(), "t", directory=tmp_path / "a")]
    second = [p.read_bytes() for p in save_figure(_figure(), "t", directory=tmp_path / "b")]
    assert first[0][:8] == b"\x89PNG\r\n\x1a\n" and first[1].lstrip().startswith(b"<?xml")
    assert first == second
    assert b"Software" not in first[0]
    assert b"<dc:date>" not in first[1]


def test_small_text_is_refused_by_figure_and_text_and_nothing_is_written(tmp_path):
    fig = _figure()
    fig.axes[0].text(0, 10, "tiny note", fontsize=6)  # 6 pt = 8.3 px at 100 dpi
    with pytest.raises(IllegibleFigure, match=r"(?s)figure 'bad' refused.*'tiny note' is 8\.3 px tall"):
        save_figure(fig, "bad", directory=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_wide_figure_is_measured_at_the_width_it_is_shown(tmp_path):
    # 10 pt text is 13.9 px in the PNG; a 20-inch figure (~1600 px once cropped) is shown at 980 px: ~8.5 px.
    with pytest.raises(IllegibleFigure, match=r"'partner' is 8\.\d px tall at display width \(PNG \d{4} px wide, shown at 980 px\)"):
        save_figure(_figure(width=20), "wide", directory=tmp_path)
    png, _ = save_figure(_figure(width=9.6), "narrow", directory=tmp_path)
    assert Image.open(png).width <= figures.DISPLAY_WIDTH_PX


def test_check_figure_makes_save_figure_s_checks_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    png = check_figure(_figure(), "t")
    assert png == save_figure(_figure(), "t", directory=tmp_path / "saved")[0].read_bytes()
    fig = _figure()
    fig.axes[0].text(0, 10, "tiny note", fontsize=6)
    with pytest.raises(IllegibleFigure, match=r"(?s)figure 'draft' refused.*'tiny note' is 8\.3 px tall"):
        check_figure(fig, "draft")
    assert [p.name for p in tmp_path.iterdir()] == ["saved"]


def test_overlapping_texts_are_refused_naming_both(tmp_path):
    fig = _figure()
    ax = fig.axes[0]
    ax.text(0, 20, "South Sudan", fontsize=10)
    ax.text(0.3, 20, "Djibouti", fontsize=10)
    with pytest.raises(IllegibleFigure, match="'South Sudan' overlaps text 'Djibouti'"):
        save_figure(fig, "collide", directory=tmp_path)


def test_slanted_texts_are_compared_as_drawn_not_by_their_upright_boxes(tmp_path):
    """Slanted tick labels side by side overlap as upright boxes but not as drawn: accepted;
    the same labels drawn over each other are refused."""
    fig = _figure(width=6, source=False)
    ax = fig.axes[0]
    labels = ["comprehensive strategic partnership", "strategic cooperation", "sovereignty and territorial integrity"]
    ax.set_xticks(range(3), labels, rotation=45, ha="right", rotation_mode="anchor")
    ax.set_xlim(-0.5, 2.5)
    check_figure(fig, "slanted")
    fig = _figure(width=6, source=False)
    ax = fig.axes[0]
    ax.text(0.5, 20, labels[0], rotation=45, fontsize=10)
    ax.text(0.5, 20, labels[1], rotation=45, fontsize=10)
    with pytest.raises(IllegibleFigure, match="overlaps text 'strategic cooperation'"):
        check_figure(fig, "slanted-collide")


def test_empty_and_clipped_away_texts_are_not_checked(tmp_path):
    fig = _figure()
    ax = fig.axes[0]
    ax.text(0, 20, "", fontsize=4)
    ax.text(0, 20, " ", fontsize=4)
    ax.text(0, 1000, "off the axes", fontsize=4, clip_on=True)  # clipped away entirely: never seen
    save_figure(fig, "ok", directory=tmp_path)
    assert (tmp_path / "ok.png").exists()


def test_the_source_line_sits_below_everything_and_fits_its_width(tmp_path):
    fig = _figure(width=6, source=False)
    fig.legend(["a", "b"], loc="upper left", bbox_to_anchor=(0, 0))  # a legend hanging below the axes
    source_line(fig, ["review-2013", "priorities"], extra="A long extra sentence " * 4)
    png = check_figure(fig, "src")  # would be refused if the source line overlapped the legend
    assert Image.open(io.BytesIO(png)).width <= 6 * 100 + 20


def test_a_users_figure_goes_to_the_current_folder_not_figures(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = set(paths.FIGURES.glob("*"))
    png, svg = save_figure(_figure(), "02-my-own-map")
    assert png == tmp_path / "02-my-own-map.png" and svg.exists()
    assert set(paths.FIGURES.glob("*")) == before


def test_a_series_notebook_run_by_the_build_writes_figures(tmp_path, monkeypatch):
    monkeypatch.setenv(figures.SERIES_ENV, "02-diplomatic-footprint.ipynb")
    monkeypatch.setattr(paths, "FIGURES", tmp_path / "figures")
    png, _ = save_figure(_figure(), "02-test")
    assert png == tmp_path / "figures" / "02-test.png"
    with pytest.raises(ValueError, match="must be named 02"):
        save_figure(_figure(), "03-test")


def test_a_series_notebook_opened_in_jupyter_is_recognised(monkeypatch):
    series = paths.notebooks()[0]
    monkeypatch.chdir(series.parent)  # Jupyter runs the kernel in the notebook's folder
    monkeypatch.setenv("JPY_SESSION_NAME", f"notebooks/{series.name}")
    assert figures.series_notebook() == series.name
    monkeypatch.setenv("JPY_SESSION_NAME", "notebooks/my-analysis.ipynb")
    assert figures.series_notebook() is None


def test_a_users_figure_in_jupyter_without_a_clone_goes_to_the_current_folder(tmp_path, monkeypatch):
    """Reproduced: series_notebook imported the build, which refuses to import without a clone, so a user's
    save_figure failed inside JupyterLab when the package was installed without one."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(sys.modules, "belarus_fp.commands.build", raising=False)  # as in a fresh kernel
    monkeypatch.setenv(paths.ENV_ROOT, str(tmp_path / "not-a-clone"))
    monkeypatch.setenv("JPY_SESSION_NAME", str(tmp_path / "my-analysis.ipynb"))
    assert figures.series_notebook() is None
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1], [0, 1])
    png, svg = save_figure(fig, "my-figure")
    assert png == tmp_path / "my-figure.png" and svg.exists()


def test_every_committed_figure_is_shown_at_its_own_size():
    """The series' PNGs are at most the display width: what a reader sees is what save_figure measured, unscaled."""
    pngs = sorted(paths.FIGURES.glob("*.png"))
    assert pngs
    for png in pngs:
        assert Image.open(png).width <= figures.DISPLAY_WIDTH_PX, f"{png.name} is wider than {figures.DISPLAY_WIDTH_PX} px"
        assert png.with_suffix(".svg").exists(), f"{png.name} has no SVG"


@pytest.mark.notebooks
def test_the_build_fails_on_a_refused_figure(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import matplotlib.pyplot as plt\n"
            "from belarus_fp.viz.figures import save_figure\n"
            "fig, ax = plt.subplots(figsize=(3, 2))\n"
            "ax.set_title('too small', fontsize=5)\n"
            f"save_figure(fig, '99-bad', directory={str(tmp_path)!r})"
        )
    ]
    path = tmp_path / "99-bad.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(notebook_form.BuildError, match=r"(?s)99-bad.ipynb.*figure '99-bad' refused.*'too small'"):
        execution.execute(path)
    assert not (tmp_path / "99-bad.png").exists()
