"""Measuring the proposer (:mod:`belarus_fp.commands.propose_rules`) on the documents already curated:
recall and precision of facts, countries, organisations and relations, and the accuracy of the claim guess
(notebook 07)."""

from __future__ import annotations

from pathlib import Path

from .. import paths
from ..analysis import coverage
from ..archive import sources
from .propose_rules import propose

#: Recall targets of the issue (#15): the proposer must find at least this share of the curated rows.
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
    """For each curated fact (rows of ``facts``), the index in ``proposed`` of the first proposal
    with its (value, unit) in a sentence that holds the curated quote (or lies within it), else None."""
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
    ``precision`` and ``target`` (recall, where the issue sets one). Facts are counted row by row
    (:func:`fact_matches`: same value and unit, same sentence); countries, organisations and
    relations as distinct keys per document. Claim accuracy: of the matched facts, the share
    given the curated claim (``both`` = correct, ``curated`` = compared).
    """
    import pandas as pd

    from ..archive import tables as tables_mod

    data_dir = Path(data_dir or paths.DATA)
    tables = {n: tables_mod.load_table(n, data_dir) for n in ("facts", "bilateral", "multilateral", "organizations")}
    doc_ids = list(doc_ids or sources.doc_ids(data_dir / "raw", collection=sources.MINISTRY))
    proposed = {doc: propose(doc, data_dir) for doc in doc_ids}

    def rows(name):
        return [r for doc in doc_ids for r in proposed[doc][name]]

    facts = tables["facts"][tables["facts"]["doc_id"].isin(doc_ids)]
    bil = tables["bilateral"][tables["bilateral"]["doc_id"].isin(doc_ids)]
    curated_orgs = {(d, o) for d in doc_ids for o in coverage.curated_codes(d, "organization", tables)}
    proposed_facts = rows("facts")
    matches = fact_matches(facts, proposed_facts)
    out = [
        {
            "measure": "facts (value, unit)",
            "curated": len(facts),
            "proposed": len(proposed_facts),
            "both": sum(m is not None for m in matches),
            "recall": sum(m is not None for m in matches) / len(facts) if len(facts) else 1.0,
            "precision": len({m for m in matches if m is not None}) / len(proposed_facts) if proposed_facts else 1.0,
            "target": TARGETS["facts (value, unit)"],
        }
    ]
    sets = {
        "countries (doc, iso3)": (set(zip(bil["doc_id"], bil["iso3"])), {(r["doc_id"], r["iso3"]) for r in rows("bilateral")}),
        "organisations (doc, org_id)": (curated_orgs, {(r["doc_id"], r["org_id"]) for r in rows("multilateral")}),
        "relations (doc, iso3, relation)": (
            set(zip(bil["doc_id"], bil["iso3"], bil["relation"])),
            {(r["doc_id"], r["iso3"], r["relation"]) for r in rows("bilateral")},
        ),
    }
    for measure, (curated, found) in sets.items():
        scores = coverage.agreement(found, curated)
        out.append(
            {
                "measure": measure,
                "curated": scores["curated"],
                "proposed": scores["found"],
                "both": scores["both"],
                "recall": scores["recall"],
                "precision": scores["precision"],
                "target": TARGETS[measure],
            }
        )
    compared = [(proposed_facts[m]["claim"], claim) for m, claim in zip(matches, facts["claim"]) if m is not None]
    correct = sum(guess == claim for guess, claim in compared)
    out.append(
        {
            "measure": "claim of facts (accuracy)",
            "curated": len(compared),
            "proposed": len(compared),
            "both": correct,
            "recall": correct / len(compared) if compared else 1.0,
            "precision": float("nan"),
            "target": float("nan"),
        }
    )
    return pd.DataFrame(out).set_index("measure")
