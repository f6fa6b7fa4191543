"""The caches the loader and the finder key on files' contents: an edited file is always seen.

A file's digest is reused while its inode, size and times are unchanged (``reading.file_digest``); these tests
edit files the ways that keep the size and the modification time.
"""

import os
import shutil
import time
from pathlib import Path

import pytest

from belarus_fp import paths
from belarus_fp.archive import Archive, proofs, reading, sources, tables
from belarus_fp.archive.finder import archive_finder, find_mentions
from belarus_fp.archive.sources import SourceError
from belarus_fp.errors import TableError


def same_size_edit(path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` (same length) in ``path`` and put its modification time back."""
    assert len(old) == len(new)
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns


def test_a_file_edited_at_once_keeps_size_and_time_but_not_its_digest(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("alpha", encoding="utf-8")
    first = reading.content_hash([path])
    same_size_edit(path, "alpha", "omega")
    assert reading.content_hash([path]) != first


def test_an_old_file_s_digest_is_reused_and_an_edit_still_seen(tmp_path, monkeypatch):
    """Past the racy window a digest is kept; an edit changes the status-change time, which no call can set back."""
    monkeypatch.setattr(reading, "RACY_NS", 0)
    path = tmp_path / "a.txt"
    path.write_text("alpha", encoding="utf-8")
    time.sleep(0.05)  # a tick of the file system's clock or more: the edit gets a later status-change time
    first = reading.file_digest(path)
    assert any(key[0] == str(path) for key in reading._DIGESTS.entries)
    same_size_edit(path, "alpha", "omega")
    assert reading.file_digest(path) != first
    path.unlink()
    assert reading.file_digest(path) == b"(missing)"


def test_a_recently_changed_file_is_hashed_again_every_time(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("alpha", encoding="utf-8")
    reading.file_digest(path)
    assert not any(key[0] == str(path) for key in reading._DIGESTS.entries)


def test_an_alias_edited_after_a_load_is_seen_by_the_next_load(data_copy):
    """The loader's name check reads the reference tables: the cached frames are keyed on them too."""
    frame = tables.load_table("bilateral", data_copy)
    assert "Columbia" in set(frame["name_in_text"])  # the priorities page's spelling, an alias of COL
    aliases = data_copy / "reference" / "country_aliases.csv"
    aliases.write_text(aliases.read_text(encoding="utf-8").replace("Columbia,COL,", "Columbia,BOL,", 1), encoding="utf-8")
    with pytest.raises(TableError) as err:
        tables.load_table("bilateral", data_copy)
    assert any(p.column == "iso3" and "'Columbia' names BOL" in p.message for p in err.value.problems), err.value


def test_a_second_load_of_a_copy_does_not_validate_it_again(data_copy, monkeypatch):
    """The first load hashes every raw file, the next only those the rows cite: both find the same frames."""
    tables.load_all(data_copy)
    monkeypatch.setattr(tables, "_load", lambda *a: pytest.fail("validated again"))
    assert set(tables.load_all(data_copy)) == set(tables.table_names())


def with_every_name_table(data: Path) -> Path:
    """``data`` with the name tables the finder reads that data_copy leaves out."""
    for table in (paths.DATA / "reference").glob("*.csv"):
        if not (data / "reference" / table.name).exists():
            shutil.copyfile(table, data / "reference" / table.name)
    return data


def test_a_copy_with_the_same_files_shares_the_validated_tables_and_the_finder(data_copy, tmp_path, monkeypatch):
    """The keys hold each file by its path inside data/: a copy elsewhere with the same bytes is not built again."""
    with_every_name_table(data_copy)
    tables.load_all(data_copy)
    finder = archive_finder(data_copy)
    other = tmp_path / "elsewhere" / "data"
    shutil.copytree(data_copy, other)
    monkeypatch.setattr(tables, "_load", lambda *a: pytest.fail("validated again"))
    assert set(tables.load_all(other)) == set(tables.table_names())
    assert archive_finder(other) is finder


def test_a_copy_that_differs_in_one_cited_document_is_validated_again(data_copy, tmp_path):
    """Only the bytes decide: one changed word in a document the rows cite, and the copy's quotes are proved anew."""
    tables.load_all(data_copy)
    other = tmp_path / "elsewhere" / "data"
    shutil.copytree(data_copy, other)
    text = other / "raw" / sources.document_info("priorities", other)["file"]
    same_size_edit(text, "Belarus", "Belaruz")
    with pytest.raises(SourceError, match="checksum mismatch"):
        tables.load_all(other)


def test_a_copy_with_another_descriptor_gets_its_own_finder(data_copy, tmp_path):
    """The descriptor says where the organisations table is and how it is typed: it is one of the finder's files."""
    finder = archive_finder(with_every_name_table(data_copy))
    other = tmp_path / "elsewhere" / "data"
    shutil.copytree(data_copy, other)
    package = other / "curated" / "datapackage.json"
    package.write_text(package.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert archive_finder(other) is not finder


def test_a_copy_with_another_alias_gets_its_own_finder(data_copy, tmp_path):
    with_every_name_table(data_copy)
    finder = archive_finder(data_copy)
    other = tmp_path / "elsewhere" / "data"
    shutil.copytree(data_copy, other)
    aliases = other / "reference" / "country_aliases.csv"
    aliases.write_text(aliases.read_text(encoding="utf-8") + "Ruritanian Republic,AUT,test,a made-up alias\n", encoding="utf-8")
    assert archive_finder(other) is not finder
    assert list(find_mentions("The Ruritanian Republic spoke.", archive=other)["iso3"]) == ["AUT"]
    assert find_mentions("The Ruritanian Republic spoke.", archive=data_copy).empty


def proved_tables(monkeypatch) -> set:
    """The tables whose rows the next loads prove against their documents (a spy on the per-row check)."""
    seen = set()
    check = proofs._check_found_quote
    monkeypatch.setattr(proofs, "_check_found_quote", lambda table, *a: seen.add(table.name) or check(table, *a))
    return seen


def test_a_copy_with_one_corrupted_table_proves_only_that_table(data_copy, tmp_path, monkeypatch):
    tables.load_all(data_copy)
    other = tmp_path / "elsewhere" / "data"
    shutil.copytree(data_copy, other)
    facts = other / "curated" / "facts.csv"
    facts.write_text(facts.read_text(encoding="utf-8").replace("Belarus", "Belaruz", 1), encoding="utf-8")
    seen = proved_tables(monkeypatch)
    with pytest.raises(TableError) as err:
        tables.load_all(other)
    assert seen == {"facts"} and all(p.file.endswith("facts.csv") for p in err.value.problems), err.value


def test_a_passing_proof_is_redone_when_a_cited_document_s_manifest_row_changes(data_copy, tmp_path, monkeypatch):
    """The key holds each cited document's manifest row: here its id prefix, which every prefixed id must carry."""
    tables.load_all(data_copy)
    other = tmp_path / "elsewhere" / "data"
    shutil.copytree(data_copy, other)
    manifest = other / "raw" / "manifest.csv"
    rows = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    [line] = [i for i, row in enumerate(rows) if row.startswith("priorities,")]
    rows[line] = rows[line].replace(",pri,", ",prx,", 1)
    manifest.write_text("".join(rows), encoding="utf-8")
    catalogue = Archive.from_data_dir(other).catalogue()
    typed = {name: tables._typed(table, other / "curated" / table.path) for name, table in catalogue.tables.items()}
    frames, contents = {n: f for n, (f, _) in typed.items()}, {n: k for n, (_, k) in typed.items()}
    problems = proofs.check_against_documents(frames, catalogue, Archive.from_data_dir(other), contents)
    assert any("the prefix of 'priorities' is 'prx'" in p.message for p in problems), problems[:3]


def test_a_descriptor_edited_after_a_load_retypes_an_unchanged_table(data_copy):
    """A table's typed frame is kept per content and descriptor: a stricter pattern refuses the same bytes."""
    tables.load_table("bilateral", data_copy)
    package = data_copy / "curated" / "datapackage.json"
    text = package.read_text(encoding="utf-8")
    assert text.count('"^[A-Z]{3}$"') >= 1
    package.write_text(text.replace('"^[A-Z]{3}$"', '"^[A-Z]{2}X$"'), encoding="utf-8")
    with pytest.raises(TableError) as err:
        tables.load_table("bilateral", data_copy)
    assert any(p.file.endswith("bilateral.csv") and p.column == "iso3" for p in err.value.problems), err.value


def test_a_recent_cache_drops_the_least_recently_used_entry():
    kept = reading.Recent(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # now b is the least recently used
    kept.put("c", 3)
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == (1, None, 3)
