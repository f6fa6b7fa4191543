"""The speakers table (``data/curated/speakers.csv``).

Who spoke in each UN General Debate statement, as the corpus records it and normalised.

The three ``*_as_recorded`` columns are the corpus's own values, copied exactly (whitespace included)
from its ``metadata.csv``, which is kept byte for byte in ``data/external/ungd-belarus/``; ``person``
and ``office`` normalise them (rules: ``data/curated/README.md``). What the schema cannot say is
checked here, every breach a :class:`belarus_fp.errors.Problem` naming file, line, column and value:

- every UN statement (collection ``ungd``) whose file the corpus's metadata lists has exactly one row,
  and every row is such a statement;
- the recorded columns equal the metadata's row for the statement's file (matched by the manifest's
  ``file``);
- ``basis`` agrees with the row: a post recorded or not, an office only where a post is recorded, a
  quote only where the basis is the statement's text (and then the quote names the person);
- one recorded name (titles, case, spaces and commas aside) is one ``person``, one recorded post one
  ``office``; a ``person`` that is more than the recorded name so normalised says why in ``note``.

The quote itself is proved against its statement with every other table's quotes
(:func:`belarus_fp.archive.proofs.check_against_documents`). Plain Python (no pandas needed).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Problem, TableError
from . import sources
from .folders import Archive
from .reading import parse_table

NAME = "speakers"
#: The corpus's metadata.csv, under a ``data/`` folder.
METADATA = ("external", "ungd-belarus", "metadata.csv")
#: The columns copied exactly from the metadata (``reading.AS_RECORDED`` lets them keep their spaces).
RECORDED = ("country_as_recorded", "speaker_as_recorded", "post_as_recorded")
#: basis -> (the row's post is recorded, the row has a quote). Defined in data/curated/README.md.
BASIS_RULES = {"metadata": (True, False), "metadata_no_post": (False, False), "text_no_post": (False, True)}
_TITLES = {"mr", "mrs", "ms", "dr"}


def metadata_path(data_dir: Path) -> Path:
    """The kept copy of the corpus's metadata.csv in a data folder."""
    return Path(data_dir).joinpath(*METADATA)


def metadata_display() -> str:
    """The metadata file's path as messages show it (``data/...``, whatever the clone's folder)."""
    return str(Path("data", *METADATA))


def name_words(name: str) -> tuple[str, ...]:
    """A recorded or normalised name as comparable words: case, spaces, commas and the title ("Mr.") aside."""
    words = [w.strip(".,").casefold() for w in name.replace(",", " ").split()]
    return tuple(w for w in words if w and w not in _TITLES)


def _metadata(data_dir: Path) -> tuple[dict, list]:
    """{file: (line, row)} of the corpus's metadata, or the problems reading it."""
    path, display = metadata_path(data_dir), metadata_display()
    if not path.is_file():
        message = "file is missing: the speakers table's recorded columns are checked against it (documents import-ungd keeps it)"
        return {}, [Problem(display, 0, "(file)", "", message)]
    try:
        header, rows = parse_table(path.read_bytes(), display)
    except TableError as exc:
        return {}, list(exc.problems)
    missing = [c for c in ("file", *RECORDED) if c not in header]
    if missing:
        return {}, [Problem(display, 1, c, "", "required column is missing") for c in missing]
    return {row["file"]: (line, row) for line, row in rows}, []


def check(frame, data_dir: Path, display: str) -> list:
    """Every problem of the speakers table beyond its schema (see the module's documentation)."""
    from .schemas import records

    data_dir = Path(data_dir)
    metadata, problems = _metadata(data_dir)
    if problems:
        return problems
    documents = {row["doc_id"]: row for row in sources.manifest(Archive.from_data_dir(data_dir))}
    statements = {d: r["file"] for d, r in documents.items() if r.get("collection") == sources.UNGD and r["file"] in metadata}
    # recorded value (name words, or casefolded office) -> (line, normalised value) where it was first seen
    names: dict[object, tuple[int, str]] = {}
    posts: dict[object, tuple[int, str]] = {}
    for line, row in zip(frame.index, records(frame), strict=True):
        doc_id = row["doc_id"]
        if doc_id not in statements:
            info = documents.get(doc_id, {})
            if info.get("collection") != sources.UNGD:
                why = f"not a UN General Debate statement (collection {sources.UNGD!r}); the table has one row per statement"
            else:
                why = f"its file {info['file']!r} is not in {metadata_display()}: there is no record to copy"
            problems.append(Problem(display, int(line), "doc_id", doc_id, why))
            continue
        meta_line, record = metadata[statements[doc_id]]
        for column in RECORDED:
            if row[column] != record[column]:
                spaces = " (they differ only in spaces: the recorded value is copied exactly, spaces included)"
                problems.append(
                    Problem(
                        display,
                        int(line),
                        column,
                        row[column],
                        f"not the corpus's record: {metadata_display()} line {meta_line} ({statements[doc_id]}) has {record[column]!r}"
                        + (spaces if row[column].strip() == record[column].strip() else ""),
                    )
                )
        problems.extend(_check_basis(row, int(line), display))
        for key, column, seen in (
            (name_words(row["speaker_as_recorded"]), "person", names),
            (row["post_as_recorded"].strip().casefold(), "office", posts),
        ):
            first = seen.setdefault(key, (int(line), row[column]))
            if first[1] != row[column]:
                problems.append(
                    Problem(display, int(line), column, row[column], f"line {first[0]} gives the same recorded value {column} {first[1]!r}")
                )
        if name_words(row["person"]) != name_words(row["speaker_as_recorded"]) and not row["note"]:
            problems.append(
                Problem(
                    display,
                    int(line),
                    "note",
                    "",
                    f"person {row['person']!r} is more than the recorded name {row['speaker_as_recorded']!r} in title case: say why in note",
                )
            )
    present = set(frame["doc_id"])
    for doc_id, file in statements.items():
        if doc_id not in present:
            message = f"no row for the UN statement {doc_id} ({file}): every statement of the corpus has exactly one row"
            problems.append(Problem(display, 0, "doc_id", doc_id, message))
    return problems


def _check_basis(row: dict, line: int, display: str) -> list:
    basis = row["basis"]
    if basis not in BASIS_RULES:  # refused by the schema's vocabulary already
        return []
    needs_post, needs_quote = BASIS_RULES[basis]
    problems = []
    post = bool(row["post_as_recorded"].strip())
    if post != needs_post:
        wanted = "a recorded post" if needs_post else "no recorded post"
        problems.append(
            Problem(display, line, "basis", basis, f"needs {wanted}; this row's post_as_recorded is {row['post_as_recorded']!r}")
        )
    if post and not row["office"]:
        problems.append(Problem(display, line, "office", "", "required where a post is recorded: the recorded post, normalised"))
    if not post and row["office"]:
        problems.append(Problem(display, line, "office", row["office"], "must be empty where no post is recorded (nothing from memory)"))
    if bool(row["quote"]) != needs_quote:
        message = f"basis {basis!r} takes a quote of the statement" if needs_quote else f"must be empty for basis {basis!r}"
        problems.append(Problem(display, line, "quote", row["quote"], message))
    elif needs_quote:
        surname = row["person"].split()[-1] if row["person"].split() else ""
        if not surname or not re.search(re.escape(surname), sources.normalize(row["quote"]), flags=re.IGNORECASE):
            problems.append(Problem(display, line, "quote", row["quote"], f"does not name the speaker ({surname!r}, any case)"))
    return problems
