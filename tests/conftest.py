"""Shared fixtures: a throwaway copy of the data folder that a test may corrupt.

Speed (issue #14, a fast tier for quick edits): jsonschema, imported by nbformat, loads the optional
``rfc3987_syntax`` package, which builds an Earley parser at import (1.2 s idle, up to 9 s on a loaded
machine). It serves only jsonschema's "iri" format checks; nbformat passes no format checker and no
schema here uses "iri", so the tests' process leaves it out. Subprocesses and kernels are unaffected.
"""

import shutil
import sys

import pytest

sys.modules.setdefault("rfc3987_syntax", None)  # a None entry makes `import rfc3987_syntax` raise ImportError

from belarus_fp import paths  # noqa: E402


@pytest.fixture
def data_copy(tmp_path):
    """A copy of data/raw, data/curated, data/external/ungd-belarus and data/reference/historical_states.csv
    (what the loader reads: the speakers table is checked against the corpus's metadata.csv, ISO3 codes against
    the archive's historical states) under tmp_path/data; returns its path.

    Only those folders: the map shapes and name tables are not corrupted by any test, and copying
    them for each of the many bad-input tests was a fifth of the fast tier's time on those tests.
    """
    target = tmp_path / "data"
    for folder in ("raw", "curated", "external/ungd-belarus"):
        shutil.copytree(paths.DATA / folder, target / folder)
    (target / "reference").mkdir()  # the one name table the loader reads (the codes of historical states)
    shutil.copyfile(paths.DATA / "reference" / "historical_states.csv", target / "reference" / "historical_states.csv")
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
