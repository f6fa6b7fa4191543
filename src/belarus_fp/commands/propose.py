"""Candidate rows for a document, for a curator to check: ``python -m belarus_fp.propose DOC_ID``.

``propose`` writes ``data/proposed/DOC_ID/{facts,bilateral,multilateral,sections}.csv``: the
curated table's columns plus ``status`` (``proposed``; the curator sets ``accepted`` or
``rejected`` and edits the guesses), ``paragraph`` and ``cue`` (the words the guess rests on).
Every row's quote is the sentence it was found in (sections: the opening words of the block).
``python -m belarus_fp.propose accept DOC_ID`` appends the accepted rows to ``data/curated/``
only after the full validation of ``belarus_fp.archive.tables``: a row with a problem is refused (the
report names it and the problem), the rest are validated again, and a table is written only
when it is valid as a whole.

The rules that guess rows are in :mod:`belarus_fp.commands.propose_rules`, their measurement in
:mod:`belarus_fp.commands.propose_scores` (both re-exported here: ``propose.numbers``,
``propose.evaluate``); this module holds the curation I/O (writing proposals, accepting them, each one
transaction of :mod:`belarus_fp.archive.transaction`) and the command line.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from .. import paths
from ..archive import reading, sources, transaction
from ..errors import TableError
from .propose_rules import (  # noqa: F401  re-exported: the rules' public names
    CLAIM_CUES,
    ENGAGEMENT_CUES,
    NUMBER_PATTERNS,
    QUALIFIERS,
    RELATION_CUES,
    TABLES,
    TOPIC_CUES,
    ProposeError,
    guess_claim,
    numbers,
    propose,
    propose_sections,
    propose_text,
    reporting_years,
    sentences,
)
from .propose_scores import TARGETS, evaluate, fact_matches  # noqa: F401  re-exported

#: ``moved``: set by ``accept`` on the rows it appended, so that running it again never adds them twice.
STATUS = ("proposed", "accepted", "rejected", "moved")
EXTRA = ("paragraph", "cue")


def _header(name: str, data_dir: Path) -> list[str]:
    with open(data_dir / "curated" / f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
        return next(csv.reader(fh))


def _safe_start(text: str) -> str:
    """A cell copied from the document (quote, title, cue) that a spreadsheet would not evaluate: started
    after any leading ``=``, ``+``, ``-``, ``@`` (and the spaces after them). A quote stays a verbatim
    passage of the document, only shorter; its characters are never changed."""
    while text and reading.formula_problem(text):
        text = text[1:].lstrip()
    return text


def write(doc_id: str, data_dir: Path | None = None, force: bool = False, notes: list | None = None) -> dict:
    """Write the proposals to ``data/proposed/DOC_ID/`` as one transaction; returns {table: path}.
    Refuses to overwrite a curator's work unless ``force``; writes nothing through a link."""
    data_dir = paths.data_folder(data_dir)
    rows = propose(doc_id, data_dir)
    folder = data_dir / "proposed" / doc_id
    with transaction.Transaction(data_dir, f"propose {doc_id}", validate=lambda view: _validate_proposals(view, doc_id)) as txn:
        if not force and any(txn.exists(f"proposed/{doc_id}/{name}.csv") for name in TABLES):
            raise ProposeError(f"{folder} already holds proposals (perhaps marked by a curator); pass --force to replace them")
        out = {}
        for name in TABLES:
            columns = ["status", *_header(name, data_dir), *EXTRA]
            safe = [{c: _safe_start(v) if isinstance(v, str) else v for c, v in row.items()} for row in rows[name]]
            display = f"data/proposed/{doc_id}/{name}.csv"
            text = reading.csv_text(columns, [{"status": "proposed", **row} for row in safe], display)
            txn.write_text(f"proposed/{doc_id}/{name}.csv", text, make_dirs=True)
            out[name] = folder / f"{name}.csv"
    if notes is not None:
        notes.extend(txn.notes)
    return out


def _validate_proposals(view: Path, doc_id: str) -> None:
    for name in TABLES:
        path = view / "proposed" / doc_id / f"{name}.csv"
        if path.is_file():
            reading.read_csv_rows(path, f"data/proposed/{doc_id}/{name}.csv")


def accept(doc_id: str, data_dir: Path | None = None, notes: list | None = None) -> dict:
    """Append the rows marked ``accepted`` to the curated tables, after full validation, as one transaction.

    Returns ``{"accepted": {table: n}, "refused": [(table, proposed line, problem), ...]}``.
    A row with a problem is refused and the rest validated again; the curated tables and the
    proposals' ``moved`` marks are written together, only when all the tables validate together
    (:mod:`belarus_fp.archive.transaction`: a second writer waits; an interruption leaves all or nothing).
    """
    from ..archive import tables

    data_dir = paths.data_folder(data_dir)
    folder = data_dir / "proposed" / doc_id
    with transaction.Transaction(data_dir, f"propose accept {doc_id}", validate=tables.load_all) as txn:
        if not any(txn.exists(f"proposed/{doc_id}/{name}.csv") for name in TABLES):
            if folder.exists() and not folder.is_dir():
                raise ProposeError(f"{folder} is not a folder (a file is in the way): move it away, then run propose {doc_id}")
            raise ProposeError(f"{folder}: no proposals; run python -m belarus_fp.propose {doc_id} first")
        pending, refused, proposals = {}, [], {}
        for name in TABLES:
            rel = f"proposed/{doc_id}/{name}.csv"
            if not txn.exists(rel):
                continue
            header, rows = reading.parse_table(txn.read_bytes(rel), f"data/{rel}")
            proposals[name] = (header, rows)
            for line, row in rows:
                if row.get("status") not in STATUS:
                    refused.append((name, line, f"status {row.get('status')!r} is not one of {STATUS}"))
                elif row["status"] == "accepted" and row.get("doc_id") != doc_id:
                    refused.append((name, line, f"doc_id {row.get('doc_id')!r} is not {doc_id!r}"))
                elif row["status"] == "accepted":
                    pending.setdefault(name, []).append((line, row))
        originals = {name: txn.read_bytes(f"curated/{name}.csv") for name in pending}
        while True:
            appended = {name: _append(txn, originals[name], data_dir, name, rows) for name, rows in pending.items()}
            try:
                txn.check()
                break
            except TableError as exc:
                bad = _refusals(exc.problems, appended, pending)
                if bad is None:
                    raise ProposeError("the curated tables do not validate even without the proposals:\n" + str(exc)) from None
                for name, index, message in bad:
                    refused.append((name, pending[name][index][0], message))
                for name in {b[0] for b in bad}:
                    drop = {b[1] for b in bad if b[0] == name}
                    pending[name] = [r for i, r in enumerate(pending[name]) if i not in drop]
        pending = {name: rows for name, rows in pending.items() if rows}
        for name in set(originals) - set(pending):  # every row refused: the table stays as it was
            txn.discard(f"curated/{name}.csv")
        for name, moved in pending.items():  # mark what moved, so a second run does not append it again
            lines = {line for line, _ in moved}
            header, rows = proposals[name]
            marked = [{**row, "status": "moved"} if line in lines else row for line, row in rows]
            txn.write_text(f"proposed/{doc_id}/{name}.csv", reading.csv_text(header, marked, f"data/proposed/{doc_id}/{name}.csv"))
    if notes is not None:
        notes.extend(txn.notes)
    return {"accepted": {name: len(rows) for name, rows in pending.items()}, "refused": sorted(refused)}


def _append(txn, source: bytes, data_dir: Path, name: str, rows: list) -> dict:
    """Stage curated ``name`` (its bytes: ``source``) plus ``rows``; returns {CSV line of an appended row: its index}."""
    header = _header(name, data_dir)
    text = source if source.endswith(b"\n") else source + b"\n"
    line, lines, chunks = text.count(b"\n") + 1, {}, []
    for index, (_, row) in enumerate(rows):
        buffer = io.StringIO()
        csv.DictWriter(buffer, header, extrasaction="ignore", lineterminator="\n").writerow(row)
        lines[line] = index
        line += buffer.getvalue().count("\n")
        chunks.append(buffer.getvalue())
    txn.write(f"curated/{name}.csv", text + "".join(chunks).encode("utf-8"))
    return lines


def _refusals(problems, appended: dict, pending: dict):
    """(table, index in pending, message) for each problem on an appended row; None if a problem
    is on a row that was already curated (or names no row)."""
    out = []
    by_file = {str(Path("curated") / f"{name}.csv"): name for name in appended}
    for problem in problems:
        name = next((n for f, n in by_file.items() if str(problem.file).endswith(f)), None)
        if name is None or problem.line not in appended[name]:
            return None
        out.append((name, appended[name][problem.line], f"column {problem.column!r}, value {problem.value!r}: {problem.message}"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m belarus_fp.propose", description=__doc__.split("\n")[0])
    parser.add_argument("args", nargs="+", metavar="[accept] DOC_ID", help="DOC_ID to propose rows; accept DOC_ID to move accepted rows")
    parser.add_argument("--force", action="store_true", help="replace existing proposals")
    args = parser.parse_args(argv)
    paths.require_root(exit_on_error=True)
    notes: list = []
    try:
        if len(args.args) == 2 and args.args[0] == "accept":
            result = accept(args.args[1], notes=notes)
            for name, count in result["accepted"].items():
                print(f"accepted {count} row(s) into data/curated/{name}.csv")
            if not result["accepted"] and not result["refused"]:
                print(f"no rows are marked accepted in data/proposed/{args.args[1]}/: nothing moved")
            for name, line, message in result["refused"]:
                print(f"refused data/proposed/{args.args[1]}/{name}.csv, line {line}: {message}")
            return 1 if result["refused"] else 0
        if len(args.args) != 1:
            parser.error("give DOC_ID, or accept DOC_ID")
        written = write(args.args[0], force=args.force, notes=notes)
    except (ProposeError, sources.SourceError, ValueError, transaction.TransactionError) as exc:  # TableError is a ValueError
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
    for name, path in written.items():
        with open(path, encoding="utf-8") as fh:
            count = sum(1 for _ in csv.reader(fh)) - 1
        print(f"{count} {name} row(s) proposed: {path}")
    print(f"mark rows accepted in the status column, then: python -m belarus_fp.propose accept {args.args[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
