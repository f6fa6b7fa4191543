"""The UN General Debate Corpus's statements of Belarus as archive documents: a manifest row for each statement.

``python -m belarus_fp.documents import-ungd CORPUS_DIR`` reads ``CORPUS_DIR/metadata.csv`` (one row a
statement: file, session, year, bytes, sha256, the corpus's path and git blob, and the speaker, post and
country as the corpus records them) and adds every statement in one step, each file checked against its
recorded size and sha256. The manifest row of each statement is made here, from that metadata alone:

- ``doc_id`` ``ungd-<year>``, ``id_prefix`` ``un<year>``, label ``UNGA <session> (<year>)``, collection ``ungd``;
- the title names the state as the statements name themselves (the collection's title rule:
  :func:`belarus_fp.archive.texts.ungd.state_name`, the Byelorussian SSR, then the Republic of Belarus);
- the address is the corpus's Dataverse deposit; the file's place in the mirror it was copied from is in
  ``url_note``; the paragraph layout is detected (``sources.detect_layout``) and recorded.

The corpus's own ``metadata.csv`` and ``README.md`` are kept byte for byte in ``data/external/ungd-belarus/``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..archive.texts.ungd import state_name

CORPUS_URL = "https://doi.org/10.7910/DVN/0TJX8Y"
MIRROR = "SarahFranzen/Emotions_in_the_United_Nations_General_Debates at commit 3b277c419f85fd6e1f14f69a5fd29a3a6b59fc96"
PUBLISHER = "United Nations General Assembly (verbatim record), via the UN General Debate Corpus"
LICENCE = (
    "UN verbatim record as prepared by the UN General Debate Corpus; its README states no licence beyond the "
    "request to cite the corpus (data/external/ungd-belarus/README.md). Redistributed unchanged for research and verification."
)
#: Where the corpus's own files are kept in the archive, byte for byte.
EXTERNAL = ("data", "external", "ungd-belarus")
KEPT_FILES = ("metadata.csv", "README.md")


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 73 -> '73rd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def manifest_fields(record: dict) -> dict:
    """The manifest fields of one statement from its row of the corpus's metadata.csv."""
    session, year = int(record["session"]), int(record["year"])
    return {
        "doc_id": f"ungd-{year}",
        "title": f"Statement by {state_name(year)} in the general debate of the {ordinal(session)} session of the United Nations General Assembly",
        "label": f"UNGA {session} ({year})",
        "publisher": PUBLISHER,
        "genre": "UN General Debate statement",
        "period_covered": str(year),
        "published": f"{year} (general debate of the {ordinal(session)} session)",
        "url": CORPUS_URL,
        "url_note": f"The UN General Debate Corpus (Harvard Dataverse); this file is {record['source_path']} (git blob {record['source_blob']}) in {MIRROR}.",
        "language": "en",
        "licence": LICENCE,
        "id_prefix": f"un{year}",
        "source_name": f"UN General Debate Corpus, Belarus, session {session} ({year})",
        "collection": "ungd",
        "session": str(session),
        "year": str(year),
        "sha256": record["sha256"],
    }


def read_metadata(corpus_dir: Path) -> list[dict]:
    """The corpus's metadata rows (file, session, year, bytes, sha256, ...), each file's size checked."""
    corpus_dir = Path(corpus_dir)
    path = corpus_dir / "metadata.csv"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: the corpus's metadata.csv is missing")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for line, row in enumerate(rows, start=2):
        text = corpus_dir / "texts" / row["file"]
        if not text.is_file() or text.stat().st_size != int(row["bytes"]):
            raise ValueError(f"{path}, line {line}: texts/{row['file']} is missing or not {row['bytes']} bytes")
    return rows


def batch(corpus_dir: Path) -> list[tuple[Path, dict]]:
    """(file, manifest fields) for every statement of the corpus, in the metadata's order."""
    corpus_dir = Path(corpus_dir)
    return [(corpus_dir / "texts" / row["file"], manifest_fields(row)) for row in read_metadata(corpus_dir)]
