"""Cite a fact: its value, unit, qualifier, document and the sentence it rests on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import sources, tables

QUALIFIER_WORDS = {"exact": "", "lower_bound": "more than ", "upper_bound": "up to ", "approximate": "about "}


@dataclass(frozen=True)
class Citation:
    """A fact with everything needed to check it in the source."""

    fact_id: str
    value: float | None
    value_text: str
    unit: str
    qualifier: str
    period: str
    doc_id: str
    title: str
    publisher: str
    paragraph: int
    quote: str

    def footnote(self) -> str:
        """Plain-text rendering fit for a footnote."""
        return f'{self.publisher}, "{self.title}", paragraph {self.paragraph}: "{self.quote}" [{self.doc_id}; fact {self.fact_id}]'

    def __str__(self) -> str:
        amount = f"{QUALIFIER_WORDS[self.qualifier]}{self.value_text}"
        period = f" ({self.period})" if self.period else ""
        return f"{amount} [{self.unit}]{period}. {self.footnote()}"


def cite(fact_id: str, data_dir: Path | None = None) -> Citation:
    """The citation of one fact of ``facts.csv``; an unknown id is an error suggesting near ids."""
    facts = tables.load_table("facts", data_dir)
    match = facts[facts["fact_id"] == fact_id]
    if match.empty:
        import difflib

        near = difflib.get_close_matches(fact_id, facts["fact_id"].tolist(), n=3)
        raise KeyError(f"no fact {fact_id!r} in facts.csv; did you mean {near}?")
    row = match.iloc[0]
    raw_dir = Path(data_dir) / "raw" if data_dir else None
    info = sources.document_info(row["doc_id"], raw_dir)
    where = sources.locate(row["quote"], row["doc_id"], raw_dir)
    value = None if row["value"] != row["value"] else float(row["value"])  # NaN for dates
    return Citation(
        fact_id=fact_id,
        value=value,
        value_text=row["value_text"],
        unit=row["unit"],
        qualifier=row["qualifier"],
        period=row["period"],
        doc_id=row["doc_id"],
        title=info["title"],
        publisher=info["publisher"],
        paragraph=where.paragraph,
        quote=sources.normalize(row["quote"]),
    )
