"""The derived table of the UN statements' mentions, ``data/derived/ungd_mentions.csv``.

Every country, historical state and organisation each statement names, written by the build and proved
against the documents.

The mentions are **derived**, never typed: the finder (:mod:`belarus_fp.archive.finder`) run over every
paragraph of every statement (``sources.paragraphs``, one rule per layout), each mention with its
document, paragraph (1-based), sentence (1-based within the paragraph, ``sources.sentences``) and
character offsets within the paragraph, so ``sources.paragraphs(doc_id)[paragraph - 1][start:end]``
is the text found. The build writes the table (:func:`mentions_csv`); :func:`check_mentions` proves every
row against the documents; ``make check`` proves the committed file current. Belarus itself (the speaker)
is included with ``subject`` true. The finder's measured precision and recall are in notebook 08 and
``data/gold/README.md``: a count that rests on the table carries them.
"""

from __future__ import annotations

from pathlib import Path

from .. import paths
from ..archive import sources
from ..archive.finder import ID_COLUMNS, ID_FIELDS, _sorted_rows, archive_finder, id_problems
from ..archive.folders import Archive
from ..archive.schemas import records
from ..errors import Problem, TableError

#: The derived table's file, under ``data/``.
MENTIONS_FILE = ("derived", "ungd_mentions.csv")
#: Its columns: a mention's id is in the column of its kind (``finder.ID_COLUMNS``: ``iso3`` for a country or a
#: historical state, ``org_id`` for an organisation), the other empty.
COLUMNS = ("doc_id", "year", "paragraph", "sentence", "start", "end", "kind", *ID_FIELDS, "text", "subject")


def mention_rows(doc_ids=None, archive=None) -> list[dict]:
    """The derived mentions of ``doc_ids`` (default: every UN statement) as dict rows, in document order."""
    finder, out = archive_finder(archive), []
    years = {row["doc_id"]: row["year"] for row in sources.manifest(archive)}
    for doc_id in doc_ids or sources.doc_ids(archive, collection=sources.UNGD):
        for number, para in enumerate(sources.paragraphs(doc_id, archive), start=1):
            found = _sorted_rows(finder, para, True)
            if not found:
                continue
            starts = [offset for offset, _ in sources.sentences(para)]
            for kind, code, text, start, end, subject, _inside in found:
                sentence = sum(1 for s in starts if s <= start) or 1
                out.append(
                    {
                        "doc_id": doc_id,
                        "year": years[doc_id],
                        "paragraph": number,
                        "sentence": sentence,
                        "start": start,
                        "end": end,
                        "kind": kind,
                        **{column: code if column == ID_COLUMNS[kind] else "" for column in ID_FIELDS},
                        "text": text,
                        "subject": "true" if subject else "false",
                    }
                )
    return out


def mentions_csv(archive=None) -> str:
    r"""The derived table's text as the build writes it (UTF-8, ``\n`` line ends, no formula cell)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(mention_rows(archive=archive))
    return out.getvalue()


def load_mentions(data_dir: Path | None = None, archive=None):
    """The derived mentions table as a typed DataFrame, every row checked (:func:`check_mentions`)."""
    import pandas as pd

    from ..archive.reading import read_csv_rows

    archive = Archive.of(archive) if archive is not None else Archive.from_data_dir(paths.data_folder(data_dir))
    path = archive.data.joinpath(*MENTIONS_FILE)
    display = "data/" + "/".join(MENTIONS_FILE)
    if not path.is_file():
        raise TableError([Problem(display, 0, "(file)", "", "missing: the build writes it (python -m belarus_fp.build)")])
    header, rows = read_csv_rows(path, display)
    if tuple(header) != COLUMNS:
        raise TableError([Problem(display, 1, "(header)", ",".join(header), f"expected the columns {','.join(COLUMNS)}")])
    frame = pd.DataFrame([row for _, row in rows], columns=list(COLUMNS), index=pd.Index([line for line, _ in rows], name="line"))
    problems = check_mentions(frame, display, archive)
    if problems:
        raise TableError(problems)
    for column in ("year", "paragraph", "sentence", "start", "end"):
        frame[column] = frame[column].astype("int64")
    frame["subject"] = frame["subject"] == "true"
    return frame


def check_mentions(frame, display: str, archive=None) -> list[Problem]:
    """The problems of the derived table's rows, each proved against its document.

    Every row's text is at its offsets in its paragraph, its sentence number is that paragraph's, its year its
    document's, and its id is in its kind's column alone (``finder.id_problems``).
    """
    problems, paras, sents = [], {}, {}
    known = {row["doc_id"]: row["year"] for row in sources.manifest(archive)}
    for line, row in zip(frame.index, records(frame), strict=True):  # dicts: a Series per row took seconds
        problems += id_problems(row, line, display)
        doc_id = row["doc_id"]
        if doc_id not in known:
            problems.append(Problem(display, line, "doc_id", doc_id, "not a document of the manifest"))
            continue
        if doc_id not in paras:
            paras[doc_id] = sources.paragraphs(doc_id, archive)
        try:
            number, start, end, sentence = (int(row[c]) for c in ("paragraph", "start", "end", "sentence"))
        except ValueError:
            problems.append(
                Problem(display, line, "paragraph", row["paragraph"], "paragraph, sentence, start and end must be whole numbers")
            )
            continue
        if not 1 <= number <= len(paras[doc_id]) or paras[doc_id][number - 1][start:end] != row["text"]:
            problems.append(
                Problem(display, line, "text", row["text"], f"not the text at paragraph {number}, characters {start}-{end} of {doc_id}")
            )
            continue
        key = (doc_id, number)
        if key not in sents:
            sents[key] = [o for o, _ in sources.sentences(paras[doc_id][number - 1])]
        if (sum(1 for s in sents[key] if s <= start) or 1) != sentence:
            problems.append(Problem(display, line, "sentence", row["sentence"], "not the sentence of that paragraph holding the mention"))
        if str(row["year"]) != known[doc_id]:
            problems.append(Problem(display, line, "year", row["year"], f"not the year of {doc_id} ({known[doc_id]})"))
    return problems
