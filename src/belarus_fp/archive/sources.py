"""The two source documents: checksum-verified loading, paragraphs, and locating quotes.

The raw files in ``data/raw/`` are never edited. Web-page debris (menu, breadcrumb and
footer lines) is skipped by rule when paragraphs are cut, and quotes are matched with
whitespace normalised, so that a non-breaking space or a line break inside a paragraph
matches one ordinary space.

Paragraph rules, one per layout (the manifest's ``layout`` column declares each document's; see
:data:`LAYOUTS`). In every layout a leading byte-order mark is not text, a line ends at a line
feed, a carriage return or both, and a form feed (a page break of the record) ends a paragraph;
the lines of a paragraph are joined with one space (so a quote is matched across line wraps);
paragraphs that are debris are dropped; the rest are numbered from 1 in document order.

- ``blocks``: a paragraph is a block of lines between blank lines (a line holding only spaces or
  non-breaking spaces is blank). The ministry's two web copies.
- ``lines``: every non-blank line is a paragraph (the UN record extracted one paragraph per line).
- ``wrapped``: lines hard-wrapped at a width (the longest lines' length, :func:`wrap_width`); a
  paragraph ends at a blank line, or at a line that ends a sentence (``. ? ! : " ”``) and is short
  enough that the next line's first word would have fitted on it: the break was the writer's, not
  the wrap's. A paragraph whose last line happens to be full is joined to the next one: the rule
  can merge paragraphs, never split a sentence.

A paragraph of the UN record may begin with the record's own paragraph number ("48. We should
like ..."); it stays in the text (quotes are verbatim) and :func:`record_number` reads it.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import Problem, TableError, did_you_mean
from .folders import Archive
from .reading import Recent, file_digest, parse_table, parsed_once

MANIFEST = "manifest.csv"

# No document is named here: an analysis about one specific text takes its id from that text's module
# (belarus_fp.archive.texts); every comparison of documents takes them all from the manifest.

#: The two collections (manifest column ``collection``): the analyses of the ministry's texts select
#: ``MINISTRY`` explicitly; the corpus notebooks take ``UNGD``.
MINISTRY = "ministry"
UNGD = "ungd"

#: Manifest column of whole blocks that are web-page furniture, not text of the document
#: (menu, breadcrumb and footer lines), separated by ``|``; a new document declares its own.
DEBRIS_COLUMN = "debris"

_SPACE = re.compile(r"\s+")  # str's \s includes the non-breaking space U+00A0


class SourceError(ValueError):
    """A source document is missing, altered, or does not contain a quote."""


def normalize(text: str) -> str:
    """Collapse every run of whitespace (non-breaking spaces included) to one space."""
    return _SPACE.sub(" ", text).strip()


#: Manifest columns the code relies on.
MANIFEST_COLUMNS = (
    "doc_id",
    "file",
    "title",
    "label",
    "publisher",
    "genre",
    "period_covered",
    "published",
    "url",
    "language",
    "sha256",
    "id_prefix",
    "collection",
    "session",
    "year",
    "layout",
)
#: Manifest columns that must not be empty (``label`` names the document in figures; ``id_prefix``
#: starts the document's ``fact_id`` and ``section_id``: ``r13-...``).
MANIFEST_REQUIRED = ("title", "label", "publisher", "genre", "period_covered", "published", "language", "collection", "year", "layout")
#: The collections a document belongs to (manifest column ``collection``), with what each holds.
COLLECTIONS = {
    "ministry": "the Ministry of Foreign Affairs' own texts (annual review, priorities page)",
    "ungd": "Belarus's statements in the general debate of the UN General Assembly (UN General Debate Corpus)",
}


def _manifest_rows(archive: Archive) -> tuple[dict, ...]:
    return _manifest(archive)[0]


def _manifest(archive: Archive) -> tuple[tuple[dict, ...], dict[str, dict]]:
    """The manifest's rows and the same rows by doc_id, shared: never handed out uncopied."""
    path = archive.manifest_path
    if not path.is_file():
        raise SourceError(f"{path}: the manifest of the raw documents is missing")

    def parse(data: bytes) -> tuple[tuple[dict, ...], dict[str, dict]]:
        rows = _parse_manifest(data, str(path))
        return rows, {row["doc_id"]: row for row in rows}

    return parsed_once(_PARSED, path, parse)  # a copy's manifest shares the parse


#: (sha256 of a manifest's bytes,) -> its rows and rows by id (a manifest that fails is never kept).
_PARSED = Recent(64)


def _parse_manifest(data: bytes, display: str) -> tuple[dict, ...]:
    """The manifest's rows, checked (:func:`_manifest` keeps them per content, so an edit is always seen)."""
    try:
        header, rows = parse_table(data, display)  # the same strict reading as the curated tables
    except TableError as exc:
        raise SourceError(_listing(exc.problems)) from None
    problems = [Problem(display, 1, column, "", "required column is missing") for column in MANIFEST_COLUMNS if column not in header]
    seen, labels, prefixes = set(), set(), set()
    for line, row in rows if not problems else []:
        if row["doc_id"] in seen or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", row["doc_id"]):
            problems.append(Problem(display, line, "doc_id", row["doc_id"], "not a unique kebab-case id"))
        seen.add(row["doc_id"])
        if not re.fullmatch(r"[0-9a-f]{64}", row["sha256"]):
            problems.append(Problem(display, line, "sha256", row["sha256"], "not a sha256 (64 lowercase hex digits)"))
        if not row["file"] or Path(row["file"]).name != row["file"]:
            problems.append(Problem(display, line, "file", row["file"], "not a file name in data/raw/"))
        if not re.fullmatch(r"https?://[A-Za-z0-9][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*", row["url"]):
            problems.append(
                Problem(
                    display,
                    line,
                    "url",
                    row["url"],
                    "not an http(s) address (no spaces, quotes, braces or backslashes: percent-encode them)",
                )
            )
        for column in MANIFEST_REQUIRED:
            if not row[column]:
                problems.append(Problem(display, line, column, "", "required: must not be empty"))
        if row["label"] in labels:
            problems.append(Problem(display, line, "label", row["label"], "not unique: figures tell documents apart by label"))
        if row["id_prefix"] in prefixes or not re.fullmatch(r"[a-z0-9]+", row["id_prefix"]):
            problems.append(Problem(display, line, "id_prefix", row["id_prefix"], "not a unique prefix of lowercase letters and digits"))
        problems.extend(_optional_cell_problems(display, line, row))
        labels.add(row["label"])
        prefixes.add(row["id_prefix"])
    if problems:
        raise SourceError(_listing(problems))
    return tuple(row for _, row in rows)


def _optional_cell_problems(display: str, line: int, row: dict) -> list[Problem]:
    """The manifest row's optional cells (collection, year, session, layout) that are given but not valid."""
    problems = []
    if row["collection"] and row["collection"] not in COLLECTIONS:
        problems.append(Problem(display, line, "collection", row["collection"], f"not a collection: {', '.join(COLLECTIONS)}"))
    if row["year"] and not re.fullmatch(r"(19|20)[0-9]{2}", row["year"]):
        problems.append(Problem(display, line, "year", row["year"], "not a year (four digits, 1900-2099)"))
    if row["session"] and not re.fullmatch(r"[1-9][0-9]{0,2}", row["session"]):
        problems.append(Problem(display, line, "session", row["session"], "not a session number"))
    if row["layout"] and row["layout"] not in LAYOUTS:
        problems.append(Problem(display, line, "layout", row["layout"], f"not a paragraph layout: {', '.join(LAYOUTS)}"))
    return problems


def _listing(problems) -> str:
    return f"{len(problems)} problem(s) in the manifest:\n  " + "\n  ".join(str(p) for p in problems)


def manifest(archive: Archive | None = None) -> list[dict]:
    """The manifest rows (doc_id, file, title, publisher, period, sha256, url, ...), one per document."""
    return [dict(row) for row in _manifest_rows(Archive.of(archive))]


def doc_ids(archive: Archive | None = None, collection: str | None = None) -> list[str]:
    """The document ids every curated table must use, in the manifest's order.

    ``collection`` keeps one collection's (``ministry``, ``ungd``: :data:`COLLECTIONS`).
    """
    if collection is not None and collection not in COLLECTIONS:
        raise SourceError(f"unknown collection {collection!r}; known: {', '.join(COLLECTIONS)}")
    return [row["doc_id"] for row in manifest(archive) if collection is None or row["collection"] == collection]


def in_manifest_order(ids, archive: Archive | None = None) -> list[str]:
    """The distinct doc_ids of ``ids`` in the manifest's order; ids the manifest lacks follow, as first seen."""
    seen = list(dict.fromkeys(ids))
    known = doc_ids(archive)
    return [d for d in known if d in seen] + [d for d in seen if d not in known]


def labels(archive: Archive | None = None, collection: str | None = None) -> dict:
    """doc_id -> the manifest's short ``label`` (tables, legends), in the manifest's order (``collection``: one collection's)."""
    keep = set(doc_ids(archive, collection))
    return {row["doc_id"]: row["label"] for row in manifest(archive) if row["doc_id"] in keep}


#: The most documents a sum of :func:`doc_bits` can tell apart in a 64-bit integer column.
MAX_BITS = 62


def doc_bits(archive: Archive | None = None, docs=None) -> dict:
    """doc_id -> a bit (1, 2, 4, ...) for each of ``docs`` (default: every document) in the manifest's order.

    A sum of bits says which documents state a thing. Compare a few documents this way, not a corpus.
    """
    docs = in_manifest_order(docs, archive) if docs is not None else doc_ids(archive)
    if len(docs) > MAX_BITS:
        raise SourceError(
            f"{len(docs)} documents: document bits tell at most {MAX_BITS} apart; compare fewer documents (a collection or a period)"
        )
    return {doc_id: 1 << i for i, doc_id in enumerate(docs)}


def debris_blocks(doc_id: str, archive: Archive | None = None) -> frozenset:
    """The blocks of ``doc_id`` dropped as web-page debris (manifest column ``debris``)."""
    blocks = _row(doc_id, Archive.of(archive)).get(DEBRIS_COLUMN, "")
    return frozenset(normalize(b) for b in blocks.split("|") if b.strip())


def source_name(doc_id: str, archive: Archive | None = None) -> str:
    """How a figure's source line names the document: ``source_name``, else publisher and title."""
    info = document_info(doc_id, archive)
    return info.get("source_name") or f"{info['publisher']}, {info['title']}"


def document_info(doc_id: str, archive: Archive | None = None) -> dict:
    """The manifest row of one document; an unknown id is an error listing the known ones."""
    return dict(_row(doc_id, Archive.of(archive)))


def _row(doc_id: str, archive: Archive) -> dict:
    """:func:`document_info` without the copy, for look-ups inside this module."""
    rows = _manifest(archive)[1]
    if doc_id not in rows:
        ids = list(rows)
        shown = str(ids) if len(ids) <= 12 else f"{ids[:6]} ... {ids[-2:]} ({len(ids)} in all: sources.doc_ids())"
        raise SourceError(f"unknown doc_id {doc_id!r}; the documents are {shown}{did_you_mean(doc_id, rows)}")
    return rows[doc_id]


def check_doc_id(doc_id: str, archive: Archive | None = None) -> str:
    """``doc_id`` itself when the manifest has it; else :class:`SourceError` listing the known ids (and the near one).

    Every public helper that takes a doc_id calls it: a typo is an error, not an empty result.
    """
    document_info(doc_id, archive)
    return doc_id


def load_text(doc_id: str, archive: Archive | None = None) -> str:
    """The document's full text, exactly as in the file, after verifying its sha256.

    The file is read and its checksum verified on every call (a fraction of a millisecond for
    these documents), so a document edited during a session is never served from a cache.
    """
    archive = Archive.of(archive)
    info = document_info(doc_id, archive)
    path = archive.raw / info["file"]
    if not path.is_file():
        raise SourceError(f"{path}: raw document for {doc_id!r} is missing")
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != info["sha256"]:
        raise SourceError(
            f"{path}: checksum mismatch: manifest says sha256 {info['sha256']}, file has {actual}. "
            "Raw documents are immutable; restore the original file."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None


@dataclass(frozen=True)
class Location:
    """Where a quote stands: paragraph number (1-based) and offset within that paragraph."""

    doc_id: str
    paragraph: int
    offset: int
    text: str  # the whole (normalised) paragraph


def paragraphs(doc_id: str, archive: Archive | None = None) -> list[str]:
    """The document's paragraphs, whitespace-normalised, debris dropped; index 0 is paragraph 1."""
    return list(_paragraphs(doc_id, Archive.of(archive)))


def _paragraphs(doc_id: str, archive: Archive) -> tuple[str, ...]:
    """The paragraphs, split once per content: a file whose digest is the manifest's is not read again."""
    info = _row(doc_id, archive)
    key = (info["sha256"], info.get("layout") or "blocks", debris_blocks(doc_id, archive))
    paras = _SPLIT.get(key)
    if paras is None or file_digest(archive.raw / info["file"]).hex() != info["sha256"]:
        paras = split(load_text(doc_id, archive), key[1], key[2])  # read and verified: the sha256 of the key
        _SPLIT.put(key, paras)
    return paras


#: (sha256 of a document's bytes, layout, debris) -> its paragraphs.
_SPLIT = Recent(256)


#: The paragraph rules a manifest's ``layout`` may name (module docstring).
LAYOUTS = ("blocks", "lines", "wrapped")
#: A document whose median line is at least this long holds a paragraph per line (``detect_layout``).
LINE_LAYOUT_MIN_CHARS = 120
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SENTENCE_END_LINE = re.compile(r"[.?!:\"\u201d]\s*$")


def layout(doc_id: str, archive: Archive | None = None) -> str:
    """The document's paragraph layout (manifest column ``layout``; ``blocks`` where it is empty)."""
    return document_info(doc_id, archive).get("layout") or "blocks"


def _lines(text: str) -> list[str]:
    """The text's lines, a leading byte-order mark dropped; a form feed is kept as a line of its own."""
    text = text.removeprefix("\ufeff").replace("\f", "\n\f\n")
    return _LINE_BREAK.split(text)


def detect_layout(text: str) -> str:
    """``lines`` if the median non-blank line has at least :data:`LINE_LAYOUT_MIN_CHARS` characters, else ``wrapped``."""
    lengths = sorted(len(line.strip()) for line in _lines(text) if line.strip())
    if not lengths:
        return "wrapped"
    return "lines" if lengths[len(lengths) // 2] >= LINE_LAYOUT_MIN_CHARS else "wrapped"


def wrap_width(lines: list[str]) -> int:
    """The width a hard-wrapped text was wrapped at: the 90th percentile of its lines' lengths."""
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    return lengths[(len(lengths) * 9) // 10] if lengths else 0


def _wrapped_breaks(lines: list[str]) -> list[list[str]]:
    width = wrap_width(lines)
    groups: list[list[str]] = []
    current: list[str] = []
    for i, line in enumerate(lines):
        if not line.strip() or line == "\f":
            groups.append(current)
            current = []
            continue
        current.append(line)
        following = lines[i + 1].split() if i + 1 < len(lines) else []
        if _SENTENCE_END_LINE.search(line) and following and len(line.rstrip()) + 1 + len(following[0]) <= width:
            groups.append(current)
            current = []
    groups.append(current)
    return groups


@lru_cache(maxsize=128)
def split(text: str, layout: str = "blocks", debris: frozenset = frozenset()) -> tuple[str, ...]:
    """The paragraphs of ``text`` by the rule of ``layout`` (module docstring), whitespace-normalised."""
    if layout == "blocks":
        blocks = re.split(r"\n[ \t\u00a0]*(?:\n[ \t\u00a0]*)+|\f", text.removeprefix("\ufeff"))
    elif layout == "lines":
        blocks = _lines(text)
    elif layout == "wrapped":
        blocks = [" ".join(group) for group in _wrapped_breaks(_lines(text))]
    else:
        raise SourceError(f"unknown paragraph layout {layout!r}; known: {', '.join(LAYOUTS)}")
    kept = (normalize(block) for block in blocks)
    return tuple(p for p in kept if p and p not in debris)


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»]?\s+(?=[\"“«(]?[A-Z0-9])")
_NO_BREAK = re.compile(r"(?:\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|No|Nos|i\.e|e\.g|vs)\.)$")


def sentences(paragraph: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs of a normalised paragraph; "U.S." or "Mr." does not end a sentence."""
    out, start = [], 0
    for match in _SENTENCE_END.finditer(paragraph):
        if _NO_BREAK.search(paragraph[start : match.start()]):
            continue
        out.append((start, paragraph[start : match.start()].strip()))
        start = match.end()
    out.append((start, paragraph[start:].strip()))
    return [(offset, text) for offset, text in out if text]


_RECORD_NUMBER = re.compile(r"(\d{1,3})\.\s+(?=\S)")


def record_number(paragraph: str) -> int | None:
    """The UN record's own paragraph number that opens ``paragraph`` ("48. We ..." -> 48), else None."""
    match = _RECORD_NUMBER.match(paragraph)
    return int(match.group(1)) if match else None


def locate(quote: str, doc_id: str, archive: Archive | None = None) -> Location:
    """Find a quote in a document, whitespace-normalised.

    A quote may run across paragraphs; its location is where it starts. A quote that is
    not there is an error showing the closest passage of the document.
    """
    needle = normalize(quote)
    if not needle:
        raise SourceError(f"empty quote for {doc_id!r}")
    paras = _paragraphs(doc_id, Archive.of(archive))
    joined = " ".join(paras)
    pos = joined.find(needle)
    if pos < 0:
        raise SourceError(
            f"quote not found in {doc_id!r}: {needle[:120]!r}{'...' if len(needle) > 120 else ''}; closest passage: "
            f"{closest_passage(needle, joined)!r}"
        )
    start = 0
    for number, para in enumerate(paras, start=1):
        if pos < start + len(para) + 1:
            return Location(doc_id, number, pos - start, para)
        start += len(para) + 1
    raise AssertionError("unreachable: position beyond the last paragraph")


def contains(quote: str, doc_id: str, archive: Archive | None = None) -> bool:
    """True if the whitespace-normalised quote occurs in the document."""
    paras = _paragraphs(doc_id, Archive.of(archive))
    return normalize(quote) in " ".join(paras)


#: Longest needle (and passage) ``closest_passage`` compares: keeps it fast and its message short.
CLOSEST_CHARS = 200


def closest_passage(needle: str, haystack: str) -> str:
    """The passage of ``haystack``, as long as the needle's first ``CLOSEST_CHARS`` characters, that best matches them.

    For error messages.

    Two steps keep it to milliseconds: the window of the haystack sharing most words with the
    needle is found first, and difflib aligns the needle within that window only.
    """
    needle = needle[:CLOSEST_CHARS]
    size = max(len(needle), 1)
    words = set(needle.lower().split())
    best, best_score = 0, -1
    for start in range(0, max(1, len(haystack) - size + 1), max(1, size // 2)):
        score = len(words.intersection(haystack[start : start + 2 * size].lower().split()))
        if score > best_score:
            best, best_score = start, score
    window = haystack[best : best + 2 * size]
    matcher = difflib.SequenceMatcher(None, window, needle, autojunk=False)
    block = max(matcher.get_matching_blocks(), key=lambda b: b.size)
    start = best + max(0, block.a - block.b)
    return haystack[start : start + len(needle)]


def summary(archive: Archive | None = None, collection: str | None = None):
    """One row per document (of ``collection``, default all): title, publisher, period, paragraphs, words, characters."""
    import pandas as pd

    rows = []
    keep = set(doc_ids(archive, collection))
    for info in (row for row in manifest(archive) if row["doc_id"] in keep):
        paras = paragraphs(info["doc_id"], archive)
        rows.append(
            {
                "doc_id": info["doc_id"],
                "title": info["title"],
                "publisher": info["publisher"],
                "period_covered": info["period_covered"],
                "paragraphs": len(paras),
                "words": sum(word_count(p) for p in paras),
                "characters": sum(len(p) for p in paras),
            }
        )
    return pd.DataFrame(rows).set_index("doc_id")


def word_count(text: str) -> int:
    """Words as every table and figure of the project counts them: whitespace-separated tokens."""
    return len(text.split())


def paragraph_lengths(archive: Archive | None = None, collection: str | None = None):
    """Long table of paragraph lengths in words: doc_id, paragraph (1-based), words (``collection``: one collection's)."""
    import pandas as pd

    rows = [
        {"doc_id": doc_id, "paragraph": number, "words": word_count(text)}
        for doc_id in doc_ids(archive, collection)
        for number, text in enumerate(paragraphs(doc_id, archive), start=1)
    ]
    return pd.DataFrame(rows)
