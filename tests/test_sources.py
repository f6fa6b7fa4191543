import hashlib

import pytest

from belarus_fp import paths, sources
from belarus_fp.sources import SourceError


def test_raw_files_match_manifest_and_shared_sources():
    for row in sources.manifest():
        data = (paths.RAW / row["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"], row["file"]
        shared = paths.ROOT.parent / "shared" / "sources" / row["file"]
        if shared.exists():  # the originals beside the checkout, where present
            assert shared.read_bytes() == data


def test_doc_ids_are_the_design_ones():
    assert sources.doc_ids() == ["review-2013", "priorities"]


def test_checksum_mismatch_is_refused_naming_file_and_both_hashes(data_copy):
    raw = data_copy / "raw"
    info = sources.document_info("priorities", raw)
    path = raw / info["file"]
    altered = path.read_bytes().replace(b"Belarus", b"Belaruz", 1)
    path.write_bytes(altered)
    with pytest.raises(SourceError) as err:
        sources.load_text("priorities", raw)
    message = str(err.value)
    assert info["file"] in message
    assert info["sha256"] in message
    assert hashlib.sha256(altered).hexdigest() in message


def test_quote_is_located_across_a_non_breaking_space():
    text = sources.load_text("review-2013")
    assert "426\u00a0140" in text or "426 140" in text
    where = sources.locate("426 140 of foreign nationals", "review-2013")
    assert where.paragraph == len(sources.paragraphs("review-2013"))
    assert where.text[where.offset :].startswith("426 140 of foreign nationals")


def test_quote_is_located_across_a_line_break_inside_a_paragraph():
    # the priorities page breaks this sentence over two lines
    where = sources.locate("An important direction of the Belarus’ foreign policy is the multilateral diplomacy", "priorities")
    assert where.offset == 0


def test_missing_quote_is_refused_with_the_closest_passage():
    with pytest.raises(SourceError) as err:
        sources.locate("Belarus established diplomatic relations with Djibuti", "review-2013")
    assert "closest passage" in str(err.value)
    assert "diplomatic relations with Djibout" in str(err.value)


def test_empty_quote_is_refused():
    with pytest.raises(SourceError):
        sources.locate("  \u00a0 ", "review-2013")


def test_debris_lines_are_not_paragraphs():
    for doc_id, debris in sources.DEBRIS.items():
        paras = sources.paragraphs(doc_id)
        for line in debris:
            assert sources.normalize(line) in sources.normalize(sources.load_text(doc_id)) or line.endswith("Go to")
            assert line not in paras


def test_unknown_doc_id_is_refused():
    with pytest.raises(SourceError, match="unknown doc_id"):
        sources.load_text("review-2014")
