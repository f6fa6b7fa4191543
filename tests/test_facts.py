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
