import hashlib

import pytest

from belarus_fp import paths
from belarus_fp.archive import sources
from belarus_fp.archive.sources import SourceError
from belarus_fp.archive.texts import priorities, review_2013


def test_raw_files_match_manifest_and_shared_sources():
    for row in sources.manifest():
        data = (paths.RAW / row["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"], row["file"]
        shared = paths.ROOT.parent / "shared" / "sources" / row["file"]
        if shared.exists():  # the originals beside the checkout, where present
            assert shared.read_bytes() == data


def test_doc_ids_are_the_design_ones():
    assert sources.doc_ids(collection=sources.MINISTRY) == ["review-2013", "priorities"]
    ungd = sources.doc_ids(collection=sources.UNGD)
    assert len(ungd) == 79 and ungd[0] == "ungd-1946" and ungd[-1] == "ungd-2024"
    assert sources.doc_ids() == ["review-2013", "priorities", *ungd]


def test_checksum_mismatch_is_refused_naming_file_and_both_hashes(data_copy):
    raw = data_copy / "raw"
    info = sources.document_info("priorities", data_copy)
    path = raw / info["file"]
    altered = path.read_bytes().replace(b"Belarus", b"Belaruz", 1)
    path.write_bytes(altered)
    with pytest.raises(SourceError) as err:
        sources.load_text("priorities", data_copy)
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
    assert sources.debris_blocks(review_2013.DOC_ID) >= {"Font size:", "Download the Report here"}
    for doc_id in sources.doc_ids(collection=sources.MINISTRY):
        debris = sources.debris_blocks(doc_id)
        assert debris, doc_id  # both web copies declare their furniture in the manifest
        paras = sources.paragraphs(doc_id)
        for line in debris:
            assert sources.normalize(line) in sources.normalize(sources.load_text(doc_id)) or line.endswith("Go to")
            assert line not in paras


def test_unknown_doc_id_is_refused():
    with pytest.raises(SourceError, match="unknown doc_id"):
        sources.load_text("review-2014")


def test_raw_document_edited_after_a_first_load_is_rechecked(data_copy):
    """No stale cache: the same process sees the edit (the Jupyter case)."""
    from belarus_fp.archive import tables

    raw = data_copy / "raw"
    assert sources.paragraphs("priorities", data_copy)
    tables.load_all(data_copy)
    path = raw / sources.document_info("priorities", data_copy)["file"]
    path.write_bytes(path.read_bytes().replace(b"Belarus", b"Belaruz", 1))
    with pytest.raises(SourceError, match="checksum mismatch"):
        sources.paragraphs("priorities", data_copy)
    with pytest.raises(SourceError, match="checksum mismatch"):
        tables.load_all(data_copy)


def test_manifest_edited_after_a_first_load_is_reread(data_copy):
    raw = data_copy / "raw"
    assert sources.document_info("priorities", data_copy)["title"].startswith("Priorities")
    path = raw / "manifest.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Priorities of the", "Priorities (edited) of the", 1), encoding="utf-8")
    assert sources.document_info("priorities", data_copy)["title"].startswith("Priorities (edited)")


def test_manifest_with_a_utf8_bom_is_accepted(data_copy):
    path = data_copy / "raw" / "manifest.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert sources.doc_ids(data_copy, collection=sources.MINISTRY) == ["review-2013", "priorities"]


def manifest_error(data_copy, edit) -> str:
    path = data_copy / "raw" / "manifest.csv"
    path.write_bytes(edit(path.read_bytes()))
    with pytest.raises(SourceError) as err:
        sources.manifest(data_copy)
    return str(err.value)


def test_manifest_not_utf8_names_file_line_and_column(data_copy):
    message = manifest_error(data_copy, lambda b: b.replace(b"Priorities of", b"Priorities\xa0of", 1))
    assert f"{data_copy / 'raw' / 'manifest.csv'}, line 3, column 'title': not UTF-8" in message


def test_manifest_missing_a_column(data_copy):
    message = manifest_error(data_copy, lambda b: b.replace(b",sha256,", b",checksum,", 1))
    assert "manifest.csv, line 1, column 'sha256': required column is missing" in message


def test_manifest_with_a_bad_checksum_and_a_bad_url(data_copy):
    message = manifest_error(data_copy, lambda b: b.replace(b"fa2f044c", b"FA2F044C", 1).replace(b"http://mfa", b"mfa", 1))
    assert "manifest.csv, line 2, column 'sha256': not a sha256" in message
    assert "manifest.csv, line 3, column 'url': not an http(s) address" in message


def test_manifest_missing(data_copy):
    (data_copy / "raw" / "manifest.csv").unlink()
    with pytest.raises(SourceError, match=r"manifest\.csv: the manifest of the raw documents is missing"):
        sources.doc_ids(data_copy)


def test_every_document_has_an_address():
    for row in sources.manifest():
        expected = (
            ("https://mfa.gov.by/", "http://mfa.gov.by/")
            if row["collection"] == sources.MINISTRY
            else ("https://doi.org/10.7910/DVN/0TJX8Y",)
        )
        assert row["url"].startswith(expected), row["doc_id"]


def test_closest_passage_of_a_huge_wrong_quote_is_short_and_fast():
    import time

    text = " ".join(sources.paragraphs("review-2013"))
    needle = "Belarus established diplomatic relations with Djibuti " * 1000  # ~54,000 characters
    start = time.perf_counter()
    passage = sources.closest_passage(needle, text)
    assert time.perf_counter() - start < 1
    assert len(passage) <= sources.CLOSEST_CHARS and "diplomatic relations with Djibout" in passage
    with pytest.raises(SourceError) as err:
        sources.locate(needle, "review-2013")
    assert len(str(err.value)) < 600


def test_debris_is_read_from_the_manifest(data_copy):
    """A block declared as debris in the manifest's ``debris`` column is dropped; undeclared, it is kept."""
    raw = data_copy / "raw"
    first = sources.paragraphs("priorities", data_copy)[0]
    manifest = (raw / sources.MANIFEST).read_text(encoding="utf-8")
    (raw / sources.MANIFEST).write_text(manifest.replace("Home / Foreign Policy / Key Priorities", first), encoding="utf-8")
    after = sources.paragraphs("priorities", data_copy)
    assert first not in after and "Home / Foreign Policy / Key Priorities" in after


def test_in_manifest_order_puts_unknown_ids_last_as_first_seen():
    review, page = review_2013.DOC_ID, priorities.DOC_ID
    assert sources.in_manifest_order(["x", page, review, "y", page, "x"]) == [*sources.in_manifest_order([page, review]), "x", "y"]
    assert sources.in_manifest_order([page, review]) == [d for d in sources.doc_ids() if d in (page, review)]


# The paragraph rules on the UN statements' real files (manifest column `layout`; rules in sources' docstring).


def test_each_un_statement_s_layout_is_the_one_its_text_shows():
    for row in sources.manifest():
        if row["collection"] == sources.UNGD:
            assert row["layout"] == sources.detect_layout(sources.load_text(row["doc_id"])), row["doc_id"]
    assert sources.layout("ungd-1975") == "lines" and sources.layout("ungd-1993") == "wrapped"
    assert sources.layout(review_2013.DOC_ID) == "blocks"


def test_a_paragraph_a_line_keeps_the_record_s_own_numbers():
    paras = sources.paragraphs("ungd-1975")
    assert paras[1].startswith("48. We should like to greet the SecretaryGeneral")
    assert sources.record_number(paras[1]) == 48 and sources.record_number(paras[0]) is None
    assert sources.record_number("1975. A year") is None  # a year is not a paragraph number


def test_hard_wrapped_lines_are_joined_and_a_short_line_ending_a_sentence_ends_a_paragraph():
    paras = sources.paragraphs("ungd-1993")
    # "Members of the United Nations." is short, and the next line's first word would have fitted on it
    assert paras[0].endswith("which have this year become Members of the United Nations.")
    assert paras[1].startswith("The end of the twentieth century will undoubtedly go down in history")
    # a quote across line wraps is found (a line break counts as a space)
    assert sources.locate("I cannot fail to note the enormous amount of hard and complicated work", "ungd-1993").paragraph == 1
    # the limit of the rule: a paragraph whose last line is full runs on into the next one
    assert "carried out in that post. We welcome and congratulate the Czech Republic" in paras[0]


def test_form_feeds_byte_order_marks_and_carriage_returns_are_not_text():
    raw = sources.load_text("ungd-2013")
    assert raw.count("\f") == 2  # the record's page breaks, kept in the file
    assert not any("\f" in p for p in sources.paragraphs("ungd-2013"))
    assert sources.load_text("ungd-1961").startswith("\ufeff")  # the file is untouched
    assert sources.paragraphs("ungd-1961")[0].startswith("On behalf of the Bye")
    assert "\r\n" in sources.load_text("ungd-1967")
    assert not any("\r" in p for p in sources.paragraphs("ungd-1967"))


def test_the_layout_rules_on_small_texts():
    assert sources.split("a b\nc d\n\ne f", "blocks") == ("a b c d", "e f")
    assert sources.split("\ufeffOne line is one paragraph.\r\nAnother.\n", "lines") == ("One line is one paragraph.", "Another.")
    # wrapped at 34 characters: "some characters; it goes on." is short enough for the next word ("Short")
    wrapped = "This line is wrapped at a width of\nsome characters; it goes on.\nShort line ends it.\nNext paragraph starts here and\nruns on.\n\fAfter a page break."
    assert sources.split(wrapped, "wrapped") == (
        "This line is wrapped at a width of some characters; it goes on.",
        "Short line ends it.",
        "Next paragraph starts here and runs on.",
        "After a page break.",
    )
    with pytest.raises(SourceError, match="unknown paragraph layout 'columns'"):
        sources.split("x", "columns")
