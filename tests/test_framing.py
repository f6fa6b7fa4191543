"""framing.csv and belarus_fp.analysis.framing: quotes verified, terms closed and in their quotes, claims and plans."""

import re

import pandas as pd
import pytest
from test_tables_bad_input import refused, rewrite, set_cell

from belarus_fp.analysis import framing as fr
from belarus_fp.archive import sources, tables
from belarus_fp.archive import vocabulary as voc
from belarus_fp.archive.tables import load_table


@pytest.fixture(scope="module")
def framing():
    return load_table("framing")


def test_every_framing_quote_is_in_its_document_and_names_its_partner(framing):
    assert len(framing) > 0 and set(framing["doc_id"]) >= set(sources.doc_ids(collection=sources.MINISTRY))
    for line, row in framing.iterrows():
        assert sources.contains(row["quote"], row["doc_id"]), line
        assert sources.normalize(row["name_in_text"]) in sources.normalize(row["quote"]), line


def test_every_term_is_in_the_vocabulary_and_has_its_words(framing):
    vocabulary = next(f for f in tables.resource("framing")["schema"]["fields"] if f["name"] == "term")["constraints"]["enum"]
    assert set(vocabulary) == set(fr.TERM_LABELS) == set(voc.TERM_PATTERNS)
    assert set(framing["term"]) <= set(vocabulary)  # and the loader checked each quote against its term's words
    assert fr.check_terms(framing).empty


def test_check_terms_catches_a_quote_without_its_words(framing):
    bad = framing.head(1).assign(term="reliable_partner", quote="Belarus continued strategic cooperation with Cuba")
    assert len(fr.check_terms(bad)) == 1
    with pytest.raises(KeyError, match="TERM_PATTERNS"):
        fr.check_terms(bad.assign(term="best_friend"))


def test_every_use_of_the_strategic_and_traditional_words_is_typed(framing):
    """Completeness for the terms a specialist reads first: every sentence of either text with the
    word, naming a partner, has its row. The exceptions name no partner and are listed here."""
    no_partner = {
        "developing cooperation on strategic issues of pan-European importance",  # issues, not a partner
        "to elevate the cooperation with countries serving as Belarus’ foothold to the level of strategic partnership",  # unnamed
    }
    for term in (
        "strategic_partnership",
        "comprehensive_strategic_partnership",
        "strategic_cooperation",
        "traditional_partner",
        "union_basis",
        "sovereignty_territorial_integrity",
        "normalization",
        "reliable_partner",
    ):
        pattern = voc.TERM_PATTERNS[term]
        for doc_id in sources.doc_ids(collection=sources.MINISTRY):  # the ministry's texts are curated whole
            for paragraph in sources.paragraphs(doc_id):
                for sentence in re.split(r"(?<=\.)\s+", paragraph):
                    if not re.search(pattern, sentence, flags=re.IGNORECASE) or any(x in sentence for x in no_partner):
                        continue
                    typed = framing[(framing["doc_id"] == doc_id) & (framing["term"] == term)]
                    assert any(
                        sources.normalize(q) in sources.normalize(sentence)
                        or sources.normalize(sentence) in sources.normalize(q)
                        or sources.normalize(q)[:60] in sources.normalize(sentence)
                        for q in typed["quote"]
                    ), (term, sentence)


def test_the_sovereignty_clause_stands_only_next_to_russia_and_only_on_the_priorities_page(framing):
    rows = framing[framing["term"] == "sovereignty_territorial_integrity"]
    assert set(zip(rows["doc_id"], rows["subject"], strict=True)) == {("priorities", "RUS")}


def test_cuba_is_strategic_cooperation_not_partnership(framing):
    cuba = set(framing.loc[framing["subject"] == "CUB", "term"])
    assert "strategic_cooperation" in cuba and "strategic_partnership" not in cuba


def test_framing_term_outside_vocabulary_is_refused(data_copy):
    rewrite(data_copy, "framing", set_cell("framing", 0, "term", "best_friend"))
    refused(data_copy, "framing.csv", 2, "term", "best_friend", "not in the vocabulary")


def test_framing_unknown_partner_is_refused(data_copy):
    rewrite(data_copy, "framing", set_cell("framing", 0, "subject", "ZZZ"))
    refused(data_copy, "framing.csv", 2, "subject", "ZZZ", "neither ISO3 nor org_id")


def test_framing_quote_not_in_document_is_refused(data_copy):
    rewrite(data_copy, "framing", set_cell("framing", 0, "quote", "Belarus and Russia are the best of friends."))
    refused(data_copy, "framing.csv", 2, "quote", "best of friends", "not in document")


def test_term_matrix_marks_each_document_by_its_bit():
    rows = pd.DataFrame(
        {
            "doc_id": ["review-2013", "priorities", "priorities", "review-2013"],
            "subject": ["RUS", "RUS", "CUB", "CUB"],
            "term": ["strategic_partnership", "strategic_partnership", "traditional_partner", "strategic_cooperation"],
        }
    )
    grid = fr.term_matrix(rows)
    assert grid.loc["RUS", "strategic_partnership"] == 3
    assert grid.loc["CUB", "traditional_partner"] == 2 and grid.loc["CUB", "strategic_cooperation"] == 1
    assert grid.loc["RUS", "traditional_partner"] == 0
    assert list(grid.index) == ["RUS", "CUB"]  # Russia's region comes first
    assert list(grid.columns) == [t for t in fr.TERM_ORDER if t in set(rows["term"])]


def test_claims_by_kind_counts_every_row_once():
    loaded = tables.load_all()
    counts = fr.claims_by_kind(loaded["facts"], loaded["bilateral"], loaded["multilateral"])
    mix = fr.claim_mix(counts, ("doc_id", "table"))
    for name in ("facts", "bilateral", "multilateral"):
        for doc_id, n in loaded[name].groupby("doc_id").size().items():
            assert mix.loc[(doc_id, name), "total"] == n
    assert list(mix.columns) == [*fr.CLAIM_ORDER, "total"]
    bil = loaded["bilateral"]
    review_russia = bil[(bil["doc_id"] == "review-2013") & (bil["iso3"] == "RUS")]
    by_region = fr.claim_mix(counts[counts["table"] == "bilateral"], ("doc_id", "region"))
    assert by_region.loc[("review-2013", "Russia"), "total"] == len(review_russia)


def test_claims_by_kind_refuses_an_unknown_claim():
    loaded = tables.load_all()
    facts = loaded["facts"].copy()
    facts.iloc[0, facts.columns.get_loc("claim")] = "hoped"
    with pytest.raises(ValueError, match="hoped"):
        fr.claims_by_kind(facts, loaded["bilateral"], loaded["multilateral"])


def test_open_items_hold_the_plans_and_the_negotiations_under_way():
    loaded = tables.load_all()
    items = fr.open_items(loaded["bilateral"], loaded["multilateral"])
    embassies = set(items.loc[items["relation"] == "embassy_planned", "subject"])
    assert embassies == {"AUS", "QAT", "MNG", "PAK", "ECU"}
    assert ("EU", "agreement_negotiation", "planned") in set(zip(items["subject"], items["relation"], items["claim"], strict=True))
    assert ("WTO", "under way") in set(zip(items["subject"], items["kind"], strict=True))
    assert set(items["kind"]) <= {*fr.OPEN_CLAIMS, "under way"}
    assert not items.duplicated(["subject", "relation", "claim"]).any()


def test_follow_up_statuses_on_a_small_case():
    items = pd.DataFrame(
        {"subject": ["AUS", "ETH", "NZL"], "relation": ["embassy_planned"] * 3, "claim": ["planned"] * 3, "quote": ["q"] * 3}
    )
    later = pd.DataFrame(
        {
            "doc_id": ["priorities", "priorities", "review-2013"],
            "iso3": ["AUS", "ETH", "NZL"],
            "relation": ["prospective_partner", "embassy_opened", "embassy_opened"],
            "claim": ["stated", "achieved", "achieved"],
            "quote": ["markets ... Australia", "opened in Ethiopia", "not the later document"],
        }
    )
    empty_multi = pd.DataFrame(columns=["doc_id", "org_id", "engagement", "claim", "quote"])
    empty_framing = pd.DataFrame(columns=["doc_id", "subject", "term", "quote"])
    out = fr.follow_up(items, later, empty_multi, empty_framing)
    assert list(out["status"]) == ["partner named, no outcome row", "outcome reported", "partner not named"]
    assert out.loc[1, "later_quotes"] == ["opened in Ethiopia"]


def test_follow_up_refuses_a_relation_without_outcomes():
    items = pd.DataFrame({"subject": ["AUS"], "relation": ["sanctions"], "claim": ["planned"], "quote": ["q"]})
    empty = pd.DataFrame(columns=["doc_id", "iso3", "relation", "claim", "quote"])
    with pytest.raises(KeyError, match="OUTCOMES"):
        fr.follow_up(
            items,
            empty,
            pd.DataFrame(columns=["doc_id", "org_id", "engagement", "claim", "quote"]),
            pd.DataFrame(columns=["doc_id", "subject", "term", "quote"]),
        )


def test_the_review_plans_for_2014_are_not_reported_as_done_on_the_priorities_page():
    """What the texts say: the page names the five planned embassies' countries only as markets."""
    loaded = tables.load_all()
    items = fr.open_items(loaded["bilateral"], loaded["multilateral"])
    out = fr.follow_up(items, loaded["bilateral"], loaded["multilateral"], loaded["framing"])
    embassies = out[out["relation"] == "embassy_planned"]
    assert set(embassies["status"]) == {"partner named, no outcome row"}
    assert all(any("markets with a substantial potential" in q for q in qs) for qs in embassies["later_quotes"])


def test_distinct_quotes_drops_repeats_and_quotes_that_contain_another():
    assert fr.distinct_quotes(["a b c", "b", "b", "d"]) == ["b", "d"]


def test_follow_up_lists_what_was_done_first():
    items = pd.DataFrame({"subject": ["EAEU"], "relation": ["agreement_negotiation"], "claim": ["achieved"], "quote": ["q"]})
    multi = pd.DataFrame(
        {
            "doc_id": ["priorities"] * 2,
            "org_id": ["EAEU"] * 2,
            "engagement": ["cooperation", "mentioned"],
            "claim": ["target", "achieved"],
            "quote": ["aims at interaction", "The launch of EAEU"],
        }
    )
    out = fr.follow_up(
        items,
        pd.DataFrame(columns=["doc_id", "iso3", "relation", "claim", "quote"]),
        multi,
        pd.DataFrame(columns=["doc_id", "subject", "term", "quote"]),
    )
    assert out.loc[0, "status"] == "partner named, no outcome row"
    assert out.loc[0, "later_quotes"] == ["The launch of EAEU", "aims at interaction"]


def test_notebook_05_figures_fit_the_notebook_width():
    """Shown at most ~980 px wide: at 100 dpi no figure of notebook 05 may be wider (text then stays >= 7 pt)."""
    from PIL import Image

    from belarus_fp import paths

    figures = sorted(paths.FIGURES.glob("05-*.png"))
    assert figures
    for png in figures:
        with Image.open(png) as image:
            assert image.size[0] <= 980, (png.name, image.size)
