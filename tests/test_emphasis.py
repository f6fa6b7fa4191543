"""belarus_fp.analysis.emphasis: where each document puts its weight (notebook 04): region shares of country mentions, words per section."""

import pytest

from belarus_fp.analysis import emphasis, mentions
from belarus_fp.archive import countries, sources


def test_region_shares_sum_to_one():
    found = mentions.document_mentions("priorities")
    shares = emphasis.region_shares(found)
    assert list(shares.index) == countries.VECTORS
    assert shares.sum() == pytest.approx(1.0)
    country_codes = found.loc[found["kind"] == "country", "iso3"]
    assert shares["russia"] == pytest.approx((country_codes == "RUS").mean())
    assert emphasis.region_shares(found.iloc[0:0]).sum() == 0


def test_section_words_add_up_to_the_document():
    for doc_id in sources.doc_ids(collection=sources.MINISTRY):  # the documents with sections
        words = emphasis.section_words(doc_id)
        assert words["words"].sum() == sum(len(p.split()) for p in sources.paragraphs(doc_id))


def test_word_shares_are_each_documents_words_per_theme():
    docs = sources.doc_ids(collection=sources.MINISTRY)
    shares = emphasis.word_shares(docs)
    assert list(shares.columns) == docs and shares.sum().tolist() == pytest.approx([1.0] * len(docs))
    assert list(shares.index) == emphasis.theme_order(shares.index)
    for doc_id in docs:
        words = emphasis.section_words(doc_id)
        by_vector = words.groupby("vector")["words"].sum() / words["words"].sum()
        assert shares[doc_id][by_vector.index].tolist() == pytest.approx(by_vector.tolist())
