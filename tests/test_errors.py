"""Errors that help: an unknown doc_id is refused by every public helper that takes one, listing the
documents; a look-up that finds nothing suggests what was probably meant (a key of another table, a
case slip, a close spelling) and never says "did you mean []"."""

import pytest

from belarus_fp import cite
from belarus_fp.analysis import coverage, emphasis, footprint, framing, multilateral, trade
from belarus_fp.archive import countries, facts, sources, tables
from belarus_fp.archive.texts import review_2013
from belarus_fp.errors import did_you_mean, suggestions

BAD = "review2013"  # the review's id without its hyphen
KNOWN = sources.doc_ids()


@pytest.fixture(scope="module")
def frames():
    return {name: tables.load_table(name) for name in ("facts", "bilateral", "multilateral", "sections")}


def helpers(frames):
    bil, mul, fac = frames["bilateral"], frames["multilateral"], frames["facts"]
    return {
        "footprint.strongest_kind": lambda d: footprint.strongest_kind(bil, d),
        "footprint.embassies": lambda d: footprint.embassies(bil, d),
        "footprint.visa_agreements": lambda d: footprint.visa_agreements(bil, d),
        "footprint.visits": lambda d: footprint.visits(bil, d),
        "framing.open_items": lambda d: framing.open_items(bil, mul, d),
        "trade.shares_table": lambda d: trade.shares_table(fac, doc_id=d),
        "multilateral.named_only_in": lambda d: multilateral.named_only_in(None, d),
        "coverage.curated_codes": lambda d: coverage.curated_codes(d, "country", {"bilateral": bil}),
        "coverage.uncovered_mentions": lambda d: coverage.uncovered_mentions(d),
        "emphasis.section_words": lambda d: emphasis.section_words(d, frames["sections"]),
        "facts.find": lambda d: facts.find(fac, "trade_turnover", "RUS", "usd_bn", doc_id=d),
        "sources.paragraphs": lambda d: sources.paragraphs(d),
        "sources.source_name": lambda d: sources.source_name(d),
    }


def test_every_helper_taking_a_doc_id_refuses_an_unknown_one_listing_the_documents(frames):
    for name, call in helpers(frames).items():
        with pytest.raises(sources.SourceError) as caught:
            call(BAD)
        message = str(caught.value)
        assert f"unknown doc_id {BAD!r}" in message and str(KNOWN[:6]) in message, name
        assert "did you mean 'review-2013'" in message, name


def test_the_helpers_still_answer_for_a_known_document(frames):
    assert not footprint.visa_agreements(frames["bilateral"], review_2013.DOC_ID).empty
    assert not footprint.strongest_kind(frames["bilateral"], review_2013.DOC_ID).empty


def test_cite_without_table_points_at_the_table_that_has_the_key():
    with pytest.raises(KeyError) as caught:
        cite("EAEU")
    assert "it is the org_id of a row of organizations: cite('EAEU', table='organizations')" in str(caught.value)
    assert "[]" not in str(caught.value)


def test_cite_with_nothing_near_says_so_instead_of_an_empty_list():
    with pytest.raises(KeyError) as caught:
        cite("zzz-nothing-like-it")
    assert "did you mean" not in str(caught.value) and "nothing spelled near it among its" in str(caught.value)


def test_facts_get_suggests_close_ids_or_says_how_to_list_them(frames):
    with pytest.raises(KeyError, match=r"did you mean 'r13-russia-trade-turnover'"):
        facts.get(frames["facts"], "r13-russia-turnover")
    with pytest.raises(KeyError, match=r"\(ids are case-sensitive\)"):
        facts.get(frames["facts"], "R13-RUSSIA-TRADE-TURNOVER")
    with pytest.raises(KeyError, match=r"no fact_id 'no-such-fact' among the \d+ facts \(all of them: facts\['fact_id'\]\)"):
        facts.get(frames["facts"], "no-such-fact")


def test_a_country_code_in_the_wrong_case_is_named_as_such():
    with pytest.raises(KeyError, match=r"ISO3 codes are upper case, did you mean 'RUS'\?"):
        countries.name("rus")
    with pytest.raises(KeyError, match=r"did you mean 'RUS'"):
        countries.name("RUZ")


def test_suggestions_prefer_a_case_slip_then_close_spellings_and_never_list_nothing():
    assert suggestions("eaeu", ["EU", "EAEU", "CIS"])[0] == "EAEU"
    assert suggestions("qqq", ["EU", "EAEU"]) == [] and did_you_mean("qqq", ["EU"]) == ""
