"""The data copies of conftest.py: the documents' texts shared through hard links, never changed in place unseen."""

import os

import pytest
from conftest import SharedTexts

from belarus_fp import paths


def test_a_copy_links_the_texts_to_a_pristine_copy_and_copies_everything_else(data_copy, pristine_data):
    text = next((data_copy / "raw").glob("*.txt"))
    assert text.samefile(pristine_data / "raw" / text.name) and not text.samefile(paths.DATA / "raw" / text.name)
    for path in [data_copy / "raw" / "manifest.csv", *(data_copy / "curated").glob("*.csv")]:
        assert path.stat().st_nlink == 1, path
    assert text.read_bytes() == (paths.DATA / "raw" / text.name).read_bytes()


@pytest.mark.edits_documents
def test_a_test_marked_edits_documents_gets_its_own_texts(data_copy):
    assert all(path.stat().st_nlink == 1 for path in (data_copy / "raw").glob("*.txt"))


def test_a_text_changed_in_place_fails_the_test_and_every_later_copy(tmp_path):
    (tmp_path / "raw").mkdir()
    text = tmp_path / "raw" / "a.txt"
    text.write_text("Belarus\n", encoding="utf-8")
    os.utime(text, (0, 0))  # as the pristine copy keeps the clone's times (copy2): an edit gives a new one
    shared = SharedTexts(tmp_path)
    shared.check("first")  # unchanged: nothing to say
    text.write_text("Belaruz\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match=r"second changed a document's text in place \(raw/a.txt\)"):
        shared.check("second")
    with pytest.raises(pytest.fail.Exception, match="changed in place by second"):
        shared.check("third")
