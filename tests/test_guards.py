"""Fast tests for checks whose silent failure nothing else would notice outside the notebooks.

Each test fails if its guard is switched off: the sections-tiling
check, the ``name_in_text`` check, ``uncovered_mentions``, the label placement of maps, and the
region overrides of ``countries``.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.text import Text
from test_tables_bad_input import rewrite, set_cell

from belarus_fp.analysis import coverage, mentions
from belarus_fp.archive import countries, tables
from belarus_fp.archive.tables import TableError
from belarus_fp.viz import geo


def problems(data_dir, column, message_part):
    with pytest.raises(TableError) as err:
        tables.load_all(data_dir)
    return [p for p in err.value.problems if p.column == column and message_part in p.message]


def test_a_gap_between_two_sections_is_refused(data_copy):
    # The first section ends one paragraph early: paragraph 13 belongs to no section.
    rewrite(data_copy, "sections", set_cell("sections", 0, "last_paragraph", "12"))
    found = problems(data_copy, "first_paragraph", "sections must tile")
    assert [(p.file, p.line, p.value) for p in found] == [("data/curated/sections.csv", 3, "14")]


def test_sections_that_stop_before_the_last_paragraph_are_refused(data_copy):
    frame = pd.read_csv(data_copy / "curated" / "sections.csv", dtype=str, keep_default_na=False)
    last = max(i for i, doc in enumerate(frame["doc_id"]) if doc == frame["doc_id"].iloc[0])
    end = int(frame["last_paragraph"].iloc[last])
    rewrite(data_copy, "sections", set_cell("sections", last, "last_paragraph", str(end - 1)))
    found = problems(data_copy, "last_paragraph", "must end at its last paragraph")
    assert [p.value for p in found] == [str(end - 1)]


def test_a_name_in_text_that_is_not_in_the_quote_is_refused(data_copy):
    rewrite(data_copy, "bilateral", set_cell("bilateral", 0, "name_in_text", "Muscovy"))
    found = problems(data_copy, "name_in_text", "not in the quote")
    assert [(p.line, p.value) for p in found] == [(2, "Muscovy")]


def test_with_no_curated_rows_every_mention_is_uncovered():
    bare = {name: tables.load_table(name).iloc[0:0] for name in ("bilateral", "multilateral", "organizations")}
    found = mentions.document_mentions("priorities")
    uncovered = coverage.uncovered_mentions("priorities", bare)
    assert len(found) > 50
    assert list(zip(uncovered["paragraph"], uncovered["iso3"], uncovered["org_id"], uncovered["start"], strict=True)) == list(
        zip(found["paragraph"], found["iso3"], found["org_id"], found["start"], strict=True)
    )


def test_dropping_a_countrys_rows_uncovers_its_mentions():
    full = {name: tables.load_table(name) for name in ("bilateral", "multilateral", "organizations")}
    before = coverage.uncovered_mentions("review-2013", full)
    assert "CHN" not in set(before["iso3"]), "China's mentions in the review are all covered by curated rows"
    bilateral = full["bilateral"]
    without = {**full, "bilateral": bilateral[bilateral["iso3"] != "CHN"]}
    after = coverage.uncovered_mentions("review-2013", without)
    found = mentions.document_mentions("review-2013")
    assert (after["iso3"] == "CHN").sum() == (found["iso3"] == "CHN").sum() > 0


def test_labels_of_one_point_are_placed_apart():
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    try:
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 10)
        names = ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]
        placed = geo.place_labels(ax, [(name, 5, 5) for name in names], avoid=[(5, 5)])
        renderer = fig.canvas.get_renderer()
        boxes = [Text.get_window_extent(a, renderer) for a in placed]  # the text, not its leader line
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not a.overlaps(b), "two labels of the same point overlap"
        assert [a.get_text() for a in placed] == names
        assert sum(a.arrow_patch is not None for a in placed) >= 1, "a label moved away from its point has a leader line"
    finally:
        plt.close(fig)


@pytest.mark.parametrize(
    ("iso3", "vector", "un_continent"), [("CYP", "europe", "Asia"), ("TUR", "europe", "Asia"), ("IRN", "middle_east", "Asia")]
)
def test_region_overrides_apply(iso3, vector, un_continent):
    assert countries.reference().loc[iso3, "continent"] == un_continent, "the override departs from the UN rule"
    assert countries.vector(iso3) == vector
