"""The UN statements as a corpus: the statements by era, and every country, historical state and
organisation each one names (the derived table ``data/derived/ungd_mentions.csv``).

The mentions are **derived**, never typed: the finder (:mod:`belarus_fp.archive.finder`) run over every
paragraph of every statement (``sources.paragraphs``, one rule per layout), each mention with its
document, paragraph (1-based), sentence (1-based within the paragraph, ``sources.sentences``) and
character offsets within the paragraph, so ``sources.paragraphs(doc_id)[paragraph - 1][start:end]``
is the text found. The build writes the table; :func:`check_mentions` proves every row against the
documents; ``make check`` proves the committed file current. Belarus itself (the speaker) is
included with ``subject`` true. The finder's measured precision and recall are in notebook 08 and
``data/gold/README.md``: a count that rests on the table carries them.
"""

from __future__ import annotations

from pathlib import Path

from .. import paths
from ..archive import sources
from ..archive.finder import _default_finder, _sorted_rows
from ..errors import Problem, TableError

#: The derived table's file, under ``data/``.
MENTIONS_FILE = ("derived", "ungd_mentions.csv")
COLUMNS = ("doc_id", "year", "paragraph", "sentence", "start", "end", "kind", "code", "text", "subject")
#: The periods the notebooks mark: (label, first year, last year), in order.
ERAS = (
    ("1946–1990 (Byelorussian SSR)", 1946, 1990),
    ("1991–1993 (independence)", 1991, 1993),
    ("1994–2019", 1994, 2019),
    ("2020–2024", 2020, 2024),
)


def era(year: int) -> str:
    """The label of the era (:data:`ERAS`) that ``year`` falls in."""
    for label, first, last in ERAS:
        if first <= year <= last:
            return label
    raise ValueError(f"{year} is in no era of {[e[0] for e in ERAS]}")


def statements(raw_dir: Path | None = None):
    """One row per UN statement: doc_id, session, year, era, label, paragraphs, words."""
    import pandas as pd

    rows = []
    for info in sources.manifest(raw_dir):
        if info["collection"] != sources.UNGD:
            continue
        paras = sources.paragraphs(info["doc_id"], raw_dir)
        year = int(info["year"])
        rows.append(
            {
                "doc_id": info["doc_id"],
                "session": int(info["session"]),
                "year": year,
                "era": era(year),
                "label": info["label"],
                "paragraphs": len(paras),
                "words": sum(sources.word_count(p) for p in paras),
            }
        )
    return pd.DataFrame(rows)


def mention_rows(doc_ids=None, raw_dir: Path | None = None) -> list[dict]:
    """The derived mentions of ``doc_ids`` (default: every UN statement) as dict rows, in document order."""
    finder, out = _default_finder(), []
    years = {row["doc_id"]: row["year"] for row in sources.manifest(raw_dir)}
    for doc_id in doc_ids or sources.doc_ids(raw_dir, collection=sources.UNGD):
        for number, para in enumerate(sources.paragraphs(doc_id, raw_dir), start=1):
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
                        "code": code,
                        "text": text,
                        "subject": "true" if subject else "false",
                    }
                )
    return out


def mentions_csv(raw_dir: Path | None = None) -> str:
    """The derived table's text as the build writes it (UTF-8, ``\\n`` line ends, no formula cell)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(mention_rows(raw_dir=raw_dir))
    return out.getvalue()


def load_mentions(data_dir: Path | None = None):
    """The derived mentions table as a typed DataFrame, every row checked (:func:`check_mentions`)."""
    import pandas as pd

    from ..archive.reading import read_csv_rows

    data_dir = paths.data_folder(data_dir)
    path = data_dir.joinpath(*MENTIONS_FILE)
    display = "data/" + "/".join(MENTIONS_FILE)
    if not path.is_file():
        raise TableError([Problem(display, 0, "(file)", "", "missing: the build writes it (python -m belarus_fp.build)")])
    header, rows = read_csv_rows(path, display)
    if tuple(header) != COLUMNS:
        raise TableError([Problem(display, 1, "(header)", ",".join(header), f"expected the columns {','.join(COLUMNS)}")])
    frame = pd.DataFrame([row for _, row in rows], columns=list(COLUMNS), index=pd.Index([line for line, _ in rows], name="line"))
    problems = check_mentions(frame, display, data_dir / "raw")
    if problems:
        raise TableError(problems)
    for column in ("year", "paragraph", "sentence", "start", "end"):
        frame[column] = frame[column].astype("int64")
    frame["subject"] = frame["subject"] == "true"
    return frame


def check_mentions(frame, display: str, raw_dir: Path) -> list[Problem]:
    """Every row's text is at its offsets in its paragraph, its sentence number is that paragraph's, its year its document's."""
    problems, paras, sents = [], {}, {}
    known = {row["doc_id"]: row["year"] for row in sources.manifest(raw_dir)}
    for line, row in frame.iterrows():
        doc_id = row["doc_id"]
        if doc_id not in known:
            problems.append(Problem(display, line, "doc_id", doc_id, "not a document of the manifest"))
            continue
        if doc_id not in paras:
            paras[doc_id] = sources.paragraphs(doc_id, raw_dir)
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
