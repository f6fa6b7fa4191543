"""belarus_fp.archive.facts: one row or a KeyError saying what was asked and found."""

import pandas as pd
import pytest

from belarus_fp.archive import facts
from belarus_fp.archive.tables import load_table

FACTS = load_table("facts")


def test_get_returns_the_row_of_the_id():
    row = facts.get(FACTS, "r13-agreements-concluded")
    assert row["fact_id"] == "r13-agreements-concluded" and row["doc_id"] == "review-2013"


def test_an_unknown_id_names_near_ids():
    with pytest.raises(
        KeyError, match=r"no fact_id 'r13-agreement-concluded' among the \d+ facts.*did you mean 'r13-agreements-concluded'"
    ):
        facts.get(FACTS, "r13-agreement-concluded")


def test_value_is_the_number_and_its_qualifier_and_refuses_a_date():
    row = facts.get(FACTS, "r13-agreements-concluded")
    assert facts.value(FACTS, "r13-agreements-concluded") == (float(row["value"]), row["qualifier"])
    dated = FACTS.loc[FACTS["unit"] == "date", "fact_id"].iloc[0]
    with pytest.raises(ValueError, match="has no value"):
        facts.value(FACTS, dated)


def test_find_needs_exactly_one_row():
    row = facts.find(FACTS, "trade_turnover", "RUS", "usd_bn")
    assert row["metric"] == "trade_turnover" and row["subject"] == "RUS"
    with pytest.raises(KeyError, match="expected one row, found 0"):
        facts.find(FACTS, "trade_turnover", "RUS", "percent")


def test_find_refuses_no_match_and_several_matches():
    with pytest.raises(KeyError, match="found 0"):
        facts.find(FACTS, "trade_turnover", "CHN", "usd_bn")
    doubled = pd.concat([FACTS, FACTS[FACTS["metric"] == "trade_turnover"]])
    with pytest.raises(KeyError, match="found 2"):
        facts.find(doubled, "trade_turnover", "RUS", "usd_bn")


def test_the_treaty_facts_exist_and_are_counts():
    from belarus_fp.archive.texts import review_2013

    rows = [facts.get(FACTS, fact_id) for fact_id in review_2013.TREATY_FACTS.values()]
    assert all(row["unit"] == "count" and row["doc_id"] == review_2013.DOC_ID for row in rows)


def test_find_checks_a_doc_id_against_the_archive_given(tmp_path):
    from conftest import archive_with_documents

    from belarus_fp.archive import sources

    archive = archive_with_documents(tmp_path, [{"doc_id": "synthetic-2014", "id_prefix": "s14"}])
    rows = pd.DataFrame(
        [{"fact_id": "s14-exports", "doc_id": "synthetic-2014", "metric": "exports", "subject": "RUS", "unit": "usd_bn", "value": 1.0}]
    )
    assert facts.find(rows, "exports", "RUS", "usd_bn", doc_id="synthetic-2014", archive=archive)["fact_id"] == "s14-exports"
    with pytest.raises(sources.SourceError, match="synthetic-2014"):  # the clone's manifest has no such document
        facts.find(rows, "exports", "RUS", "usd_bn", doc_id="synthetic-2014")
    with pytest.raises(sources.SourceError, match="synthetic-2041"):  # a typo is refused against the archive given
        facts.find(rows, "exports", "RUS", "usd_bn", doc_id="synthetic-2041", archive=archive)
