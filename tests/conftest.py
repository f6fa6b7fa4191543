"""Shared fixtures: a throwaway copy of the data folder that a test may corrupt.

Speed (a fast tier for quick edits): jsonschema, imported by nbformat, loads the optional
``rfc3987_syntax`` package, which builds an Earley parser at import (1.2 s idle, up to 9 s on a loaded
machine). It serves only jsonschema's "iri" format checks; nbformat passes no format checker and no
schema here uses "iri", so the tests' process leaves it out. Subprocesses and kernels are unaffected.

The copies share the documents' texts (data/raw/*.txt: 81 of a copy's 140 files, 2.2 of its 3.8 MB)
through hard links with one pristine copy per test process, see :func:`copy_data`.
"""

import os
import shutil
import sys
from pathlib import Path
from typing import ClassVar

import pytest

sys.modules.setdefault("rfc3987_syntax", None)  # a None entry makes `import rfc3987_syntax` raise ImportError

from belarus_fp import paths  # noqa: E402
from belarus_fp.archive import tables  # noqa: E402

#: The files the copies share through hard links, relative to a data folder or to a repository's root:
#: the documents' texts. The package writes a document only as a new file renamed into place, which
#: leaves a shared one alone.
SHARED = ("raw/*.txt", "data/raw/*.txt")


def shared(rel: Path) -> bool:
    return any(rel.match(pattern) and len(rel.parts) == pattern.count("/") + 1 for pattern in SHARED)


class SharedTexts:
    """The shared files of one source folder, as they were when a first copy was made of it."""

    by_source: ClassVar[dict] = {}

    def __init__(self, source: Path):
        self.source, self.broken_by = source, None
        self.snapshot = self.stat()

    def stat(self) -> dict:
        return {
            p: (s.st_ino, s.st_size, s.st_mtime_ns, s.st_mode) for pattern in SHARED for p in self.source.glob(pattern) for s in [p.stat()]
        }

    def check(self, nodeid: str) -> None:
        """Fail ``nodeid`` if it changed a shared text in place (and every later copy of the same source)."""
        if self.broken_by is None and self.stat() != self.snapshot:
            self.broken_by = nodeid
            changed = sorted(str(p.relative_to(self.source)) for p, s in self.stat().items() if self.snapshot.get(p) != s)
            pytest.fail(
                f"{nodeid} changed a document's text in place ({', '.join(changed) or 'a file removed'}): the data "
                "copies share those files through hard links. Mark the test @pytest.mark.edits_documents to give "
                "it its own copies.",
                pytrace=False,
            )
        if self.broken_by is not None:
            pytest.fail(f"the documents' texts shared by the data copies were changed in place by {self.broken_by}", pytrace=False)


def copy_data(source: Path, target: Path, request, folders=None, ignore=None) -> Path:
    """Copy ``source`` (a data folder: its ``folders``, or all of it but ``ignore``) to ``target``, linking
    the :func:`shared` texts to the source's instead of copying them (unless the test is marked
    ``edits_documents``). A copy of the clone's own data/ links to a pristine copy made once per process,
    never to the repository's files. At the test's end the shared texts are checked unchanged."""
    private = request.node.get_closest_marker("edits_documents") is not None
    if Path(source) == paths.DATA and not private:
        source = request.getfixturevalue("pristine_data")
    texts = None if private else SharedTexts.by_source.setdefault(Path(source), SharedTexts(Path(source)))
    if texts is not None:
        if texts.broken_by:
            texts.check(request.node.nodeid)
        request.addfinalizer(lambda: texts.check(request.node.nodeid))

    def link_or_copy(src, dst):
        if texts is not None and shared(Path(src).relative_to(source)):
            try:
                return os.link(src, dst)
            except OSError:  # a file system without hard links: a copy
                pass
        return shutil.copy2(src, dst)

    for folder in folders or [""]:
        shutil.copytree(Path(source) / folder, target / folder, copy_function=link_or_copy, ignore=ignore)
    return target


@pytest.fixture(scope="session")
def pristine_data(tmp_path_factory):
    """One copy of data/ per test process (its proposals left out), the source of the copies' shared texts."""
    target = tmp_path_factory.mktemp("pristine") / "data"
    shutil.copytree(paths.DATA, target, ignore=shutil.ignore_patterns("proposed"))
    return target


@pytest.fixture
def data_copy(tmp_path, request):
    """A copy of data/raw, data/curated, data/external/ungd-belarus and three name tables of data/reference
    (what the loader reads: the speakers table is checked against the corpus's metadata.csv, ISO3 codes against
    the archive's historical states, a row's name_in_text against its country aliases and demonyms) under
    tmp_path/data; returns its path.

    Only those folders: the map shapes and name tables are not corrupted by any test, and copying
    them for each of the many bad-input tests was a fifth of the fast tier's time on those tests.
    """
    target = copy_data(paths.DATA, tmp_path / "data", request, folders=("raw", "curated", "external/ungd-belarus"))
    (target / "reference").mkdir()
    for name in tables.LOADER_REFERENCE_FILES:  # the name tables the loader reads (the rest only the finder does)
        shutil.copyfile(paths.DATA / "reference" / name, target / "reference" / name)
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
