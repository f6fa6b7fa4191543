"""The data copies of conftest.py: every file a hard link to a pristine copy, never left changed for the next test."""

import os

import pytest
from conftest import Pristine, copy_data

from belarus_fp import paths


def test_a_copy_links_every_file_to_a_pristine_copy_not_to_the_clone(data_copy, pristine_data):
    files = [p for p in data_copy.rglob("*") if p.is_file()]
    assert len(files) > 100
    for path in files:
        rel = path.relative_to(data_copy)
        assert path.samefile(pristine_data.folder / rel) and not path.samefile(paths.DATA / rel), rel
        assert path.read_bytes() == (paths.DATA / rel).read_bytes(), rel


@pytest.fixture(scope="module")
def module_copy(tmp_path_factory, request):
    return copy_data(paths.DATA, tmp_path_factory.mktemp("module") / "data", request, folders=("raw",))


def test_a_copy_made_for_a_whole_module_links_nothing(module_copy):
    """It outlives the test whose in-place edits are put back, so a link would carry a later test's edit to the next."""
    assert all(path.stat().st_nlink == 1 for path in module_copy.rglob("*") if path.is_file())


@pytest.mark.private_copies
def test_a_test_marked_private_copies_shares_no_file(data_copy):
    assert all(path.stat().st_nlink == 1 for path in data_copy.rglob("*") if path.is_file())


def _pristine(tmp_path) -> Pristine:
    source = tmp_path / "pristine"
    (source / "raw").mkdir(parents=True)
    (source / "raw" / "a.txt").write_text("Belarus\n", encoding="utf-8")
    (source / "raw" / "b.csv").write_text("x\n1\n", encoding="utf-8")
    return Pristine(source)


def test_an_edit_in_place_is_put_back_before_the_next_copy(tmp_path):
    pristine = _pristine(tmp_path)
    pristine.link(pristine.folder / "raw", tmp_path / "one")
    (tmp_path / "one" / "a.txt").write_text("Belaruz\n", encoding="utf-8")  # in place: the pristine file too
    os.chmod(tmp_path / "one" / "b.csv", 0o400)
    pristine.link(pristine.folder / "raw", tmp_path / "two")
    assert (tmp_path / "two" / "a.txt").read_text(encoding="utf-8") == "Belarus\n"
    assert (pristine.folder / "raw" / "b.csv").stat().st_mode & 0o777 == pristine.files["raw/b.csv"][1]
    assert (tmp_path / "one" / "a.txt").read_text(encoding="utf-8") == "Belaruz\n"  # the first copy keeps its edit


def _linked_and_edited_keeping_size_and_time(tmp_path) -> Pristine:
    """A pristine copy linked into ``one``, whose ``a.txt`` is edited in place with its size and mtime kept."""
    pristine = _pristine(tmp_path)
    pristine.link(pristine.folder / "raw", tmp_path / "one")
    text = tmp_path / "one" / "a.txt"
    before = text.stat()
    text.write_text("Belaruz\n", encoding="utf-8")
    os.utime(text, ns=(before.st_atime_ns, before.st_mtime_ns))
    return pristine


def test_an_edit_with_the_size_and_modification_time_kept_is_put_back(tmp_path):
    pristine = _linked_and_edited_keeping_size_and_time(tmp_path)
    pristine.settle(test_ends=True)
    assert (pristine.folder / "raw" / "a.txt").read_text(encoding="utf-8") == "Belarus\n"


def test_an_edit_with_the_size_and_time_kept_is_put_back_before_the_test_s_second_copy(tmp_path):
    pristine = _linked_and_edited_keeping_size_and_time(tmp_path)
    pristine.link(pristine.folder / "raw", tmp_path / "two")
    assert (tmp_path / "two" / "a.txt").read_text(encoding="utf-8") == "Belarus\n"


def test_a_time_set_in_place_is_put_back_and_a_restored_file_keeps_the_clone_s_time(tmp_path):
    pristine = _pristine(tmp_path)
    kept = {rel: mtime for rel, (_, _, mtime) in pristine.files.items()}
    pristine.link(pristine.folder / "raw", tmp_path / "one")
    os.utime(tmp_path / "one" / "a.txt", ns=(0, 10**18))  # only the times: the bytes are the pristine file's
    (tmp_path / "one" / "b.csv").write_text("x\n", encoding="utf-8")  # an edit: the file is restored anew
    pristine.settle(test_ends=True)
    for rel in ("raw/a.txt", "raw/b.csv"):
        assert (pristine.folder / rel).stat().st_mtime_ns == kept[rel], rel


def test_removing_a_copy_puts_nothing_back(tmp_path):
    pristine = _pristine(tmp_path)
    pristine.link(pristine.folder / "raw", tmp_path / "one")
    inode = (pristine.folder / "raw" / "a.txt").stat().st_ino
    (tmp_path / "one" / "a.txt").unlink()  # a link count change moves the status-change time: the bytes decide
    pristine.settle(test_ends=True)
    assert (pristine.folder / "raw" / "a.txt").stat().st_ino == inode


def test_an_edit_that_reached_two_copies_of_one_test_fails_it(tmp_path):
    pristine = _pristine(tmp_path)
    pristine.link(pristine.folder / "raw", tmp_path / "one")
    pristine.link(pristine.folder / "raw", tmp_path / "two")
    (tmp_path / "one" / "a.txt").write_text("Belaruz\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match=r"shared by two of this test's data copies \(raw/a.txt\)"):
        pristine.settle(test_ends=True)
    assert (pristine.folder / "raw" / "a.txt").read_text(encoding="utf-8") == "Belarus\n"
