"""Measuring the proposer (:mod:`belarus_fp.commands.propose_rules`).

On the documents already curated (:func:`evaluate`: recall and precision of facts, countries, organisations and relations, and the accuracy of
the claim guess; in-sample for the ministry's texts, whose cue words were written on them), and on proposals
saved before curation (:func:`score_saved_proposals`: out of sample, notebook 07).

:func:`evaluate` re-runs the proposer. For a document curated after its proposals were made, that score is
in-sample: the mention finder takes organisation names from ``data/curated/organizations.csv``, so once a
curator has added an organisation (the Commission on Narcotic Drugs, the Secretary-General) the re-run
"finds" it. :func:`score_saved_proposals` scores the proposals as ``python -m belarus_fp.propose DOC_ID``
wrote them before any curation (``data/gold/proposals-ungd/DOC_ID/*.csv``) against the curated tables, with
the measures and the matching of ``evaluate``: facts row by row (:func:`fact_matches`), countries,
organisations and relations as distinct keys per document (:func:`~belarus_fp.analysis.coverage.agreement`).
"""

from __future__ import annotations

from pathlib import Path

from .. import paths
from ..analysis import coverage
from ..archive import reading, sources
from ..archive.folders import Archive
from .propose_rules import propose

#: Recall targets: on the curated documents, the proposer must find at least this share of the curated rows.
TARGETS = {
    "facts (value, unit)": 0.95,
    "countries (doc, iso3)": 0.98,
    "organisations (doc, org_id)": 0.90,
    "relations (doc, iso3, relation)": 0.80,
}


def _fact_key(row) -> tuple:
    value = row["value"]
    if value is None or value == "" or (isinstance(value, float) and value != value) or str(value) == "<NA>":
        return (row["doc_id"], sources.normalize(str(row["value_text"])).lower(), row["unit"])
    return (row["doc_id"], float(value), row["unit"])


def fact_matches(facts, proposed: list[dict]) -> list:
    """For each curated fact (rows of ``facts``), the index in ``proposed`` of its first proposal, else None.

    A proposal is the fact's when its (value, unit) is in a sentence that holds the curated quote (or
    lies within it).
    """
    by_key: dict = {}
    for i, r in enumerate(proposed):
        by_key.setdefault(_fact_key({**r, "value": float(r["value"]) if r["value"] else None}), []).append(i)
    out = []
    for _, fact in facts.iterrows():
        quote = sources.normalize(fact["quote"])
        out.append(
            next((i for i in by_key.get(_fact_key(fact), []) if quote in proposed[i]["quote"] or proposed[i]["quote"] in quote), None)
        )
    return out


def evaluate(doc_ids=None, data_dir: Path | None = None):
    """Recall and precision of the proposer against the curated tables, and its claim accuracy.

    Returns a DataFrame, one row per measure: ``curated``, ``proposed``, ``both``, ``recall``,
    ``precision`` and ``target`` (recall, where :data:`TARGETS` sets one). Facts are counted row by row
    (:func:`fact_matches`: same value and unit, same sentence); countries, organisations and
    relations as distinct keys per document. Claim accuracy: of the matched facts, the share
    given the curated claim (``both`` = correct, ``curated`` = compared).
    """
    from ..archive import tables as tables_mod

    data_dir = Path(data_dir or paths.DATA)
    tables = {n: tables_mod.load_table(n, data_dir) for n in ("facts", "bilateral", "multilateral", "organizations")}
    doc_ids = list(doc_ids or sources.doc_ids(Archive.from_data_dir(data_dir), collection=sources.MINISTRY))
    proposed = {doc: propose(doc, data_dir) for doc in doc_ids}

    rows = {name: [r for doc in doc_ids for r in proposed[doc][name]] for name in ("facts", "bilateral", "multilateral")}
    return _scores(tables, rows, doc_ids, empty=1.0, archive=Archive.from_data_dir(data_dir))


ENGAGEMENTS = "engagements (doc, org_id, engagement)"


def saved_documents(folder) -> list[str]:
    """The documents whose proposals ``folder`` holds (its subfolders), sorted."""
    return sorted(p.name for p in Path(folder).iterdir() if p.is_dir())


def saved_rows(folder, doc_id: str, name: str) -> list[dict]:
    """The rows of ``FOLDER/DOC_ID/NAME.csv`` (a proposals file), without their ``status``.

    A file with a header and no rows (the proposer found nothing) gives ``[]``.
    """
    path = Path(folder) / doc_id / f"{name}.csv"
    data = path.read_bytes() if path.is_file() else b""
    if data and len(data.decode("utf-8-sig").strip("\r\n").splitlines()) == 1:
        return []  # a header only
    _, rows = reading.read_csv_rows(path, str(path))
    return [{k: v for k, v in row.items() if k != "status"} for _, row in rows]


def score_saved_proposals(folder, doc_ids, data_dir: Path | None = None):
    """Recall and precision of saved proposals against the curated tables.

    The proposals are ``folder/DOC_ID/{facts,bilateral,multilateral}.csv``, the curated tables those of
    ``data_dir`` (default: this clone's), the documents ``doc_ids`` together.

    Returns the frame of :func:`~belarus_fp.commands.propose.evaluate`: one row per measure (index
    ``measure``), columns ``curated``, ``proposed``, ``both``, ``recall``, ``precision``, ``target``;
    plus the row :data:`ENGAGEMENTS` (no target). Unlike ``evaluate``, a ratio with an empty
    denominator (no curated row, or no proposal) is NaN, not 1.0: nothing was measured.
    """
    from ..archive import tables as tables_mod

    data_dir = paths.data_folder(data_dir)
    doc_ids = list(doc_ids)
    tables = {n: tables_mod.load_table(n, data_dir) for n in ("facts", "bilateral", "multilateral", "organizations")}
    saved = {name: [r for doc in doc_ids for r in saved_rows(folder, doc, name)] for name in ("facts", "bilateral", "multilateral")}
    return _scores(tables, saved, doc_ids, empty=float("nan"), engagements=True, archive=Archive.from_data_dir(data_dir))


def _scores(tables: dict, proposed: dict, doc_ids: list, empty: float, engagements: bool = False, archive: Archive | None = None):
    """The measures of :func:`evaluate` for ``proposed`` rows (table name -> rows) of ``doc_ids``.

    Against the curated ``tables`` of ``archive`` (whose manifest ``doc_ids`` are checked against); a ratio with
    nothing to count is ``empty``; ``engagements`` adds :data:`ENGAGEMENTS`.
    """
    import pandas as pd

    def ratio(num: int, den: int) -> float:
        return num / den if den else empty

    facts = tables["facts"][tables["facts"]["doc_id"].isin(doc_ids)]
    bil = tables["bilateral"][tables["bilateral"]["doc_id"].isin(doc_ids)]
    mul = tables["multilateral"][tables["multilateral"]["doc_id"].isin(doc_ids)]
    matches = fact_matches(facts, proposed["facts"])
    hit = sum(m is not None for m in matches)
    out = [
        {
            "measure": "facts (value, unit)",
            "curated": len(facts),
            "proposed": len(proposed["facts"]),
            "both": hit,
            "recall": ratio(hit, len(facts)),
            "precision": ratio(len({m for m in matches if m is not None}), len(proposed["facts"])),
            "target": TARGETS["facts (value, unit)"],
        }
    ]
    sets: dict[str, tuple[set, set]] = {
        "countries (doc, iso3)": (
            set(zip(bil["doc_id"], bil["iso3"], strict=True)),
            {(r["doc_id"], r["iso3"]) for r in proposed["bilateral"]},
        ),
        "organisations (doc, org_id)": (
            {(d, o) for d in doc_ids for o in coverage.curated_codes(d, "organization", tables, archive=archive)},
            {(r["doc_id"], r["org_id"]) for r in proposed["multilateral"]},
        ),
        "relations (doc, iso3, relation)": (
            set(zip(bil["doc_id"], bil["iso3"], bil["relation"], strict=True)),
            {(r["doc_id"], r["iso3"], r["relation"]) for r in proposed["bilateral"]},
        ),
    }
    if engagements:
        sets[ENGAGEMENTS] = (
            set(zip(mul["doc_id"], mul["org_id"], mul["engagement"], strict=True)),
            {(r["doc_id"], r["org_id"], r["engagement"]) for r in proposed["multilateral"]},
        )
    for measure, (curated, found) in sets.items():
        scores = coverage.agreement(found, curated)
        out.append(
            {
                "measure": measure,
                "curated": scores["curated"],
                "proposed": scores["found"],
                "both": scores["both"],
                "recall": ratio(scores["both"], scores["curated"]),
                "precision": ratio(scores["both"], scores["found"]),
                "target": TARGETS.get(measure, float("nan")),
            }
        )
    compared = [(proposed["facts"][m]["claim"], claim) for m, claim in zip(matches, facts["claim"], strict=True) if m is not None]
    correct = sum(guess == claim for guess, claim in compared)
    out.append(
        {
            "measure": "claim of facts (accuracy)",
            "curated": len(compared),
            "proposed": len(compared),
            "both": correct,
            "recall": ratio(correct, len(compared)),
            "precision": float("nan"),
            "target": float("nan"),
        }
    )
    return pd.DataFrame(out).set_index("measure")
