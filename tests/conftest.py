"""Shared fixtures: a throwaway copy of the data folder that a test may corrupt.

Speed (a fast tier for quick edits): the tests' process leaves out jsonschema's optional ``rfc3987_syntax``
(a parser built at import, 1.2 s idle) as every command's process does, by importing ``belarus_fp.commands``
(which says why) before anything imports nbformat.

The copies link every file to one pristine copy per test process instead of copying it (the fast tier's
fixture set-up took half the time), and a file a test changes in place is put back in the pristine copy after
it, see :class:`Pristine`.
"""

import os
import shutil
import stat
from pathlib import Path

import pytest

import belarus_fp.commands  # noqa: F401  (first: it leaves out rfc3987_syntax, see the module docstring)
from belarus_fp import paths
from belarus_fp.archive import tables


class Pristine:
    """One copy of data/ per test process, which the data copies hard-link every file to.

    A link is one file under two names, so a test that writes into a copy's file in place (``write_text`` does)
    writes into the pristine copy's too. :meth:`settle` puts back, as a new file from the bytes kept in memory (its
    mode and modification time as they were), every pristine file changed since it was linked, and the time of one
    whose times alone were set, so every copy starts from the clone's data whatever the tests before did. It runs
    when a test's copies are torn down (before its folders are removed) and before a test's second and later
    copies, exactly: a file whose status-change time moved (a write, chmod or utime sets it, and no call sets it
    back) and whose bytes, mode or modification time differ; and before a test's first copy, cheaply (removing the
    last test's links moved every status-change time, after its exact check): a file whose inode, size,
    modification time or mode differ. A test whose in-place edit reached two of its own copies through one file
    fails, naming it: it needs ``@pytest.mark.private_copies`` (copies that link nothing). Only a test's own copies
    link: a module- or session-scoped fixture's copy outlives the checks, so it is a plain copy (:func:`copy_data`).
    """

    def __init__(self, folder: Path):
        self.folder = folder
        files = [p for p in folder.rglob("*") if p.is_file()]
        self.files = {str(p.relative_to(folder)): (p.read_bytes(), stat.S_IMODE(p.stat().st_mode), p.stat().st_mtime_ns) for p in files}
        self.seen: dict[str, os.stat_result] = {}  # relative path -> its status when last linked or checked
        self.copies: list[Path] = []  # the folders linked since the last test ended

    def link(self, source: Path, target: Path, ignore=None) -> None:
        """Make ``target`` a copy of ``source`` (a folder of the pristine copy) whose files are links."""
        self.settle(exactly=bool(self.copies))  # the test's earlier copies are still there: status times are exact
        skip = len(str(self.folder)) + 1

        def link(src: str, dst: str) -> None:
            os.link(src, dst)
            self.seen[src[skip:]] = os.stat(src)

        shutil.copytree(source, target, copy_function=link, ignore=ignore)
        self.copies.append(target)

    def settle(self, test_ends: bool = False, exactly: bool = False) -> None:
        """Put back every pristine file changed since it was linked; fail if two of the test's copies shared a change.

        ``test_ends``: the test's copies are being torn down (checked exactly, and forgotten after).
        """
        shared = []
        for rel, was in list(self.seen.items()):
            path = f"{self.folder}/{rel}"
            try:
                now = os.stat(path)
            except FileNotFoundError:
                now = None
            if now is not None and not _moved(was, now, test_ends or exactly):
                continue
            data, mode, mtime = self.files[rel]
            if now is not None and now.st_ino == was.st_ino and stat.S_IMODE(now.st_mode) == mode and Path(path).read_bytes() == data:
                if now.st_mtime_ns != mtime:  # only its times set (os.utime, or an edit undone): put the time back
                    os.utime(path, ns=(now.st_atime_ns, mtime))
                    now = os.stat(path)
                self.seen[rel] = now  # a link removed, or an edit undone: the same file
                continue
            if sum(any(_same_inode(c / tail, was.st_ino) for tail in _tails(Path(rel))) for c in self.copies) > 1:
                shared.append(rel)
            temp = Path(path + ".restoring")
            temp.write_bytes(data)
            temp.chmod(mode)
            os.utime(temp, ns=(mtime, mtime))  # as the clone's file was when copied, so each copy starts alike
            os.replace(temp, path)
            del self.seen[rel]
        if test_ends:
            self.copies = []
        if shared:
            pytest.fail(
                f"a file changed in place was shared by two of this test's data copies ({', '.join(sorted(shared))}), so the "
                "change reached both: mark the test @pytest.mark.private_copies to give it copies that share nothing",
                pytrace=False,
            )


def _moved(was: os.stat_result, now: os.stat_result, exactly: bool) -> bool:
    """Whether a file may have changed: its status-change time moved (``exactly``), or else its inode, size, time or mode."""
    if exactly:
        return now.st_ctime_ns != was.st_ctime_ns
    return (now.st_ino, now.st_size, now.st_mtime_ns, now.st_mode) != (was.st_ino, was.st_size, was.st_mtime_ns, was.st_mode)


def _tails(rel: Path) -> list[Path]:
    """``rel`` and its shorter tails (a copy may be of a sub-folder: ``raw/a.txt`` of ``data/raw/a.txt``)."""
    return [Path(*rel.parts[i:]) for i in range(len(rel.parts))]


def _same_inode(path: Path, ino: int) -> bool:
    try:
        return path.stat().st_ino == ino
    except OSError:
        return False


def copy_data(source: Path, target: Path, request, folders=None, ignore=None) -> Path:
    """Copy ``source`` (a data folder: its ``folders``, or all of it but ``ignore``) to ``target``.

    A test's copy of the clone's own data/ links every file to the :class:`Pristine` copy of this process (never to
    the repository's files), unless the test is marked ``private_copies``. A copy of another folder, or one made by
    a module- or session-scoped fixture (it outlives the test whose edits are put back), is a plain copy.
    """
    private = request.scope != "function" or request.node.get_closest_marker("private_copies") is not None
    pristine = request.getfixturevalue("pristine_data") if Path(source) == paths.DATA and not private else None
    for folder in folders or [""]:
        if pristine is None:
            shutil.copytree(Path(source) / folder, target / folder, ignore=ignore)
        else:
            pristine.link(pristine.folder / folder, target / folder, ignore=ignore)
    if pristine is not None:  # before the test's folders are removed (which changes the links' status times)
        request.addfinalizer(lambda: pristine.settle(test_ends=True))
    return target


@pytest.fixture(scope="session")
def pristine_data(tmp_path_factory):
    """The :class:`Pristine` copy of data/ of this test process (its proposals and any transaction left out)."""
    target = tmp_path_factory.mktemp("pristine") / "data"
    shutil.copytree(paths.DATA, target, ignore=shutil.ignore_patterns("proposed", ".transaction"))
    return Pristine(target)


@pytest.fixture
def data_copy(tmp_path, request):
    """A copy of data/raw, data/curated, data/external/ungd-belarus and three name tables of data/reference
    (what the loader reads: the speakers table is checked against the corpus's metadata.csv, ISO3 codes against
    the archive's historical states, a row's name_in_text against its country aliases and demonyms) under
    tmp_path/data; returns its path.

    Only those folders: the loader reads nothing else (a test that needs the other name tables or the map shapes
    copies them in, or uses a full copy).
    """
    target = copy_data(paths.DATA, tmp_path / "data", request, folders=("raw", "curated", "external/ungd-belarus"))
    names = set(tables.LOADER_REFERENCE_FILES)  # the name tables the loader reads (the rest only the finder does)
    copy_data(paths.DATA, target, request, folders=("reference",), ignore=lambda folder, entries: [e for e in entries if e not in names])
    return target


def archive_with_documents(tmp_path, extra: list[dict], keep: bool = True):
    """An archive under tmp_path whose manifest lists the clone's documents (``keep``) and ``extra`` rows
    (doc_id and id_prefix given; the other columns filled in): for code that reads only the manifest."""
    import csv

    from belarus_fp.archive import Archive, sources

    rows = sources.manifest() if keep else []
    columns = list(rows[0]) if rows else list(sources.MANIFEST_COLUMNS)
    filler = {
        "file": "none.txt",
        "title": "A synthetic document",
        "publisher": "Nobody",
        "genre": "test",
        "period_covered": "2014",
        "published": "2015",
        "url": "https://example.org/",
        "language": "en",
        "sha256": "0" * 64,
        "collection": "ministry",
        "year": "2014",
        "layout": "blocks",
    }
    for row in extra:
        rows.append({c: row.get(c, filler.get(c, "")) for c in columns} | {"label": row.get("label", row["doc_id"])})
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    with open(raw / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return Archive(tmp_path)
