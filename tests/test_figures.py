import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from belarus_fp.figures import save_figure, source_line, use_style  # noqa: E402


def _figure():
    use_style()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(["Russia", "others"], [49.5, 50.5])
    ax.set_title("share")
    source_line(fig, ["review-2013"], derived=True)
    return fig


def test_save_figure_is_byte_identical_twice(tmp_path):
    first = [p.read_bytes() for p in save_figure(_figure(), "t", folder=tmp_path / "a")]
    second = [p.read_bytes() for p in save_figure(_figure(), "t", folder=tmp_path / "b")]
    assert first[0][:8] == b"\x89PNG\r\n\x1a\n" and first[1].lstrip().startswith(b"<?xml")
    assert first == second
    assert b"Software" not in first[0]
    assert b"<dc:date>" not in first[1]
