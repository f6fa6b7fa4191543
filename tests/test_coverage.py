"""belarus_fp.analysis.coverage: the finder against the curated tables (a consistency check), and the mentions no row covers."""

import pandas as pd

from belarus_fp.analysis import coverage, mentions
from belarus_fp.archive import finder
from belarus_fp.archive.tables import load_table


def test_agreement_arithmetic():
    result = coverage.agreement({"A", "B", "C"}, {"B", "C", "D", "E"})
    assert result == {"found": 3, "curated": 4, "both": 2, "precision": 2 / 3, "recall": 2 / 4}
    assert coverage.agreement(set(), set())["precision"] == 1.0


def test_finder_agrees_with_the_curated_tables():
    summary, disagreements = coverage.cross_check()
    bil = load_table("bilateral")
    review = summary.set_index(["doc_id", "kind"]).loc[("review-2013", "country")]
    assert review["curated"] == bil.loc[bil["doc_id"] == "review-2013", "iso3"].nunique()
    assert disagreements.empty, disagreements[["doc_id", "kind", "iso3", "org_id", "side", "text", "paragraph"]].to_string()
    assert (summary["precision"] == 1).all() and (summary["recall"] == 1).all()


def test_uncovered_mentions_are_mentions():
    found = mentions.document_mentions("priorities")
    uncovered = coverage.uncovered_mentions("priorities")
    assert len(uncovered) < len(found)
    keys = set(zip(found["paragraph"], finder.ids(found), found["start"], strict=True))
    assert set(zip(uncovered["paragraph"], finder.ids(uncovered), uncovered["start"], strict=True)) <= keys
    assert isinstance(uncovered, pd.DataFrame)
