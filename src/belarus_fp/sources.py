"""The two source documents: checksum-verified loading, paragraphs, and locating quotes.

The raw files in ``data/raw/`` are never edited. Web-page debris (menu, breadcrumb and
footer lines) is skipped by rule when paragraphs are cut, and quotes are matched with
whitespace normalised, so that a non-breaking space or a line break inside a paragraph
matches one ordinary space.

Paragraph rule: a paragraph is a block of lines between blank lines (a line holding only
spaces or non-breaking spaces is blank); the lines of a block are joined with one space;
blocks that are debris are dropped; the rest are numbered from 1 in document order.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import paths

MANIFEST = "manifest.csv"

# Whole blocks that are web-page furniture, not text of the document.
DEBRIS = {
    "review-2013": {
        "Font size:",
        "Download the Report here",
        "Belarusian Diplomatic Missions abroad",
        "All Missions Foreign Diplomatic Missions in Belarus Go to",
        "Official Internet Resources",
    },
    "priorities": {
        "Belarus . Facts",
        "Home / Foreign Policy / Key Priorities",
    },
}

_SPACE = re.compile(r"\s+")  # str's \s includes the non-breaking space U+00A0


class SourceError(ValueError):
    """A source document is missing, altered, or does not contain a quote."""


def normalize(text: str) -> str:
    """Collapse every run of whitespace (non-breaking spaces included) to one space."""
    return _SPACE.sub(" ", text).strip()


@lru_cache(maxsize=1)
def _manifest_rows(raw_dir: Path) -> tuple[dict, ...]:
    with open(raw_dir / MANIFEST, encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def manifest(raw_dir: Path | None = None) -> list[dict]:
    """The manifest rows (doc_id, file, title, publisher, period, sha256, ...), one per document."""
    return [dict(row) for row in _manifest_rows(Path(raw_dir or paths.RAW))]


def doc_ids(raw_dir: Path | None = None) -> list[str]:
    """The document ids every curated table must use."""
    return [row["doc_id"] for row in manifest(raw_dir)]


def document_info(doc_id: str, raw_dir: Path | None = None) -> dict:
    """The manifest row of one document; an unknown id is an error listing the known ones."""
    rows = {row["doc_id"]: row for row in manifest(raw_dir)}
    if doc_id not in rows:
        raise SourceError(f"unknown doc_id {doc_id!r}; known: {sorted(rows)}")
    return rows[doc_id]


@lru_cache(maxsize=8)
def _read_verified(path: Path, expected: str, mtime_ns: int) -> str:
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise SourceError(
            f"{path}: checksum mismatch: manifest says sha256 {expected}, file has {actual}. "
            "Raw documents are immutable; restore the original file."
        )
    return data.decode("utf-8")


def load_text(doc_id: str, raw_dir: Path | None = None) -> str:
    """The document's full text, exactly as in the file, after verifying its sha256."""
    raw_dir = Path(raw_dir or paths.RAW)
    info = document_info(doc_id, raw_dir)
    path = raw_dir / info["file"]
    if not path.exists():
        raise SourceError(f"{path}: raw document for {doc_id!r} is missing")
    return _read_verified(path, info["sha256"], path.stat().st_mtime_ns)


@dataclass(frozen=True)
class Location:
    """Where a quote stands: paragraph number (1-based) and offset within that paragraph."""

    doc_id: str
    paragraph: int
    offset: int
    text: str  # the whole (normalised) paragraph


def paragraphs(doc_id: str, raw_dir: Path | None = None) -> list[str]:
    """The document's paragraphs, whitespace-normalised, debris dropped; index 0 is paragraph 1."""
    return list(_paragraphs(doc_id, Path(raw_dir or paths.RAW)))


@lru_cache(maxsize=8)
def _paragraphs(doc_id: str, raw_dir: Path) -> tuple[str, ...]:
    text = load_text(doc_id, raw_dir)
    blocks = re.split(r"\n[ \t\u00a0]*(?:\n[ \t\u00a0]*)+", text)
    debris = DEBRIS.get(doc_id, set())
    kept = (normalize(block) for block in blocks)
    return tuple(p for p in kept if p and p not in debris)


def locate(quote: str, doc_id: str, raw_dir: Path | None = None) -> Location:
    """Find a quote in a document, whitespace-normalised.

    A quote may run across paragraphs; its location is where it starts. A quote that is
    not there is an error showing the closest passage of the document.
    """
    needle = normalize(quote)
    if not needle:
        raise SourceError(f"empty quote for {doc_id!r}")
    paras = _paragraphs(doc_id, Path(raw_dir or paths.RAW))
    joined = " ".join(paras)
    pos = joined.find(needle)
    if pos < 0:
        raise SourceError(
            f"quote not found in {doc_id!r}: {needle[:120]!r}; closest passage: "
            f"{closest_passage(needle, joined)!r}"
        )
    start = 0
    for number, para in enumerate(paras, start=1):
        if pos < start + len(para) + 1:
            return Location(doc_id, number, pos - start, para)
        start += len(para) + 1
    raise AssertionError("unreachable: position beyond the last paragraph")


def contains(quote: str, doc_id: str, raw_dir: Path | None = None) -> bool:
    """True if the whitespace-normalised quote occurs in the document."""
    paras = _paragraphs(doc_id, Path(raw_dir or paths.RAW))
    return normalize(quote) in " ".join(paras)


def closest_passage(needle: str, haystack: str) -> str:
    """The passage of ``haystack`` of the needle's length that best matches it (for error messages)."""
    matcher = difflib.SequenceMatcher(None, haystack, needle, autojunk=False)
    block = max(matcher.get_matching_blocks(), key=lambda b: b.size)
    start = max(0, block.a - block.b)
    return haystack[start : start + len(needle)]


def summary(raw_dir: Path | None = None):
    """One row per document: title, publisher, period, paragraphs, words, characters (a DataFrame)."""
    import pandas as pd

    rows = []
    for info in manifest(raw_dir):
        paras = paragraphs(info["doc_id"], raw_dir)
        rows.append(
            {
                "doc_id": info["doc_id"],
                "title": info["title"],
                "publisher": info["publisher"],
                "period_covered": info["period_covered"],
                "paragraphs": len(paras),
                "words": sum(len(p.split()) for p in paras),
                "characters": sum(len(p) for p in paras),
            }
        )
    return pd.DataFrame(rows).set_index("doc_id")


def paragraph_lengths(raw_dir: Path | None = None):
    """Long table of paragraph lengths in words: doc_id, paragraph (1-based), words."""
    import pandas as pd

    rows = [
        {"doc_id": doc_id, "paragraph": number, "words": len(text.split())}
        for doc_id in doc_ids(raw_dir)
        for number, text in enumerate(paragraphs(doc_id, raw_dir), start=1)
    ]
    return pd.DataFrame(rows)
