"""The UN General Debate Corpus's statements of Belarus: what is specific to this collection, in one place.

Its periods (:data:`ERAS`), how a statement names its state by year (:func:`state_name`), the
organisations notebook 08 follows (:data:`MAIN_ORGANIZATIONS`), how figures name the corpus as their
source and what today's map shapes stand for across its years, and reading the statements' texts from
the corpus as distributed (:func:`corpus_texts`). The general code (the corpus analyses, their
figures, the import command) takes these from here.
"""

from __future__ import annotations

from pathlib import Path

from .. import sources
from ..folders import Archive

#: The periods the notebooks mark: (label, first year, last year), in order.
ERAS = (
    ("1946–1990 (Byelorussian SSR)", 1946, 1990),
    ("1991–1993 (independence)", 1991, 1993),
    ("1994–2019", 1994, 2019),
    ("2020–2024", 2020, 2024),
)
#: The first and last year of the corpus (of :data:`ERAS`).
FIRST_YEAR, LAST_YEAR = ERAS[0][1], ERAS[-1][2]

#: The first year whose statement names the state "the Republic of Belarus" (the statement of that year
#: speaks of "the Republic of Belarus"); before it, "the Byelorussian Soviet Socialist Republic".
REPUBLIC_FROM = 1991


def state_name(year: int) -> str:
    """How the statement of ``year`` names its state: the Byelorussian SSR before :data:`REPUBLIC_FROM`, then the Republic of Belarus."""
    return "the Republic of Belarus" if year >= REPUBLIC_FROM else "the Byelorussian Soviet Socialist Republic"


#: The organisations notebook 08 follows, in its order: the UN and its organs, then the regional and integration structures.
MAIN_ORGANIZATIONS = (
    "League-of-Nations",
    "UN",
    "UNGA",
    "UNSC",
    "UN-Secretary-General",
    "ECOSOC",
    "ICJ",
    "Trusteeship-Council",
    "Warsaw-Pact",
    "CMEA",
    "NATO",
    "EEC-1957",
    "EU",
    "CSCE",
    "OSCE",
    "NAM",
    "CIS",
    "CSTO",
    "Union-State",
    "EAEU",
)

#: How a figure's source line names the UN statements.
SOURCE_NAME = f"UN General Debate Corpus (Jankin, Baturo and Dasandi), Belarus's statements, {FIRST_YEAR}–{LAST_YEAR}"
#: What today's map shapes stand for on a map of the corpus's years (the source line of notebook 08's maps).
SHAPES_NOTE = (
    "Historical states are not drawn, neither themselves nor on their successors (data/reference/historical_states.csv); "
    "today's shapes stand for their states' earlier forms (Germany before 1990: the Federal Republic, and the Germany of "
    "before 1949 and of the war; the GDR is a historical state)."
)


def corpus_texts(doc_ids, texts_dir=None, archive: Archive | None = None) -> dict[str, str]:
    """The texts of UN statements by doc_id (``ungd-<year>``): from the archive, or from a folder of the corpus's files.

    Args:
        doc_ids: the statements wanted.
        texts_dir: a folder of ``BLR_<session>_<year>.txt`` files (the corpus as distributed); by
            default each text is read from the archive (``belarus_fp.archive.sources.load_text``).
        archive: the archive to read the texts from without ``texts_dir`` (default: the clone's).

    Raises:
        KeyError: ``texts_dir`` has no file for one of the statements.
    """
    if texts_dir is None:
        return {d: sources.load_text(d, archive=archive) for d in doc_ids}
    by_year = {p.stem.rsplit("_", 1)[-1]: p for p in Path(texts_dir).glob("BLR_*_*.txt")}
    out = {}
    for d in doc_ids:
        year = d.rsplit("-", 1)[-1]
        if year not in by_year:
            raise KeyError(f"{d}: no BLR_*_{year}.txt in {texts_dir}")
        out[d] = by_year[year].read_text(encoding="utf-8-sig")
    return out
