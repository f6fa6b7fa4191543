"""The UN initiatives of the priorities page against the 2013 review's activity in the UN system (notebook 03).

Each initiative and each review activity gets the themes whose keyword pattern (:data:`UN_INITIATIVE_THEMES`)
its quote matches; :func:`match_un_initiatives` pairs them by theme.
"""

from __future__ import annotations

import re

import pandas as pd

from ..archive.texts import priorities, review_2013
from . import needs_tables
from .multilateral import _check_org_ids, organisation_tree

#: Themes of the UN initiatives, each a regex matched case-insensitively on a quote.
#: Written from the nine items of the priorities page (paragraph 31); specific enough that
#: "trafficking in human organs" and "trafficking in human beings" stay apart.
UN_INITIATIVE_THEMES = {
    "human trafficking": r"anti-trafficking|trafficking in (?:human beings|persons)",
    "traditional family": r"\bfamil(?:y|ies)\b",
    "middle-income countries": r"middle-income|average income",
    "Chernobyl cooperation": r"chernobyl",
    "diversity of development paths": r"diversity of ways|ways of (?:progressive )?development",
    "unilateral coercive measures": r"coercive measures",
    "politicisation of human rights": r"politici[sz]ation of human rights",
    "UN energy agenda": r"energy agenda",
    "trafficking in human organs": r"human organs",
}
#: Review engagements that count as activity on an initiative (something done, not a stance).
INITIATIVE_ACTIVITY = ("initiative", "hosted_event")
#: :func:`match_un_initiatives`'s ``status`` values, in its order: a theme on both sides, on the page's side only, on the review's only.
MATCHED, PRIORITIES_ONLY, REVIEW_ONLY = INITIATIVE_STATUSES = ("matched", "priorities only", "review only")


def themes_of(text: str, themes: dict | None = None) -> list[str]:
    """The themes (keys of ``themes``, in their order) whose regex occurs in ``text``."""
    themes = UN_INITIATIVE_THEMES if themes is None else themes
    return [name for name, pattern in themes.items() if re.search(pattern, text, flags=re.IGNORECASE)]


@needs_tables
def match_un_initiatives(
    multilateral: pd.DataFrame, organizations: pd.DataFrame, themes: dict | None = None, paragraph_of=None
) -> pd.DataFrame:
    """Pair the priorities page's UN initiatives with the 2013 review's activity on the same theme.

    Priorities side: ``initiative`` rows of UN-system organisations. Review side: rows of
    UN-system organisations whose engagement is in ``INITIATIVE_ACTIVITY``. Each row gets the
    themes found in its own quote (``basis`` ``quote``); a review row whose quote names no
    theme gets those of its paragraph, if ``paragraph_of`` is given (``basis`` ``paragraph``),
    because a sentence such as "The resolutions initiated by Belarus have been adopted" takes
    its subject from the sentences before it.

    Args:
        multilateral, organizations: the curated tables.
        themes: theme → regex (default ``UN_INITIATIVE_THEMES``).
        paragraph_of: optional callable (quote, doc_id) → paragraph text.

    Returns:
        One row per (initiative, review activity) pair, plus one row per initiative without
        activity (``status`` ``priorities only``) and per review activity without an initiative
        of the page (``review only``). Columns: ``theme``, ``status``, ``initiative``
        (priorities quote), ``review_org``, ``review_engagement``, ``review_quote``, ``basis``.

    Raises:
        ValueError: if a priorities initiative matches no theme or several (the themes are
            then not a partition of the page's list).
    """
    themes = UN_INITIATIVE_THEMES if themes is None else themes
    tree = organisation_tree(organizations)
    _check_org_ids(multilateral, tree)
    un = set(tree.index[tree["kind"] == "un_system"])
    pri = multilateral[
        (multilateral["doc_id"] == priorities.DOC_ID) & (multilateral["engagement"] == "initiative") & multilateral["org_id"].isin(un)
    ]
    left = []
    for quote in pri["quote"]:
        found = themes_of(quote, themes)
        if len(found) != 1:
            raise ValueError(f"priorities initiative {quote!r} matches themes {found}; expected exactly one")
        left.append({"theme": found[0], "initiative": quote})
    left = pd.DataFrame(left, columns=["theme", "initiative"])
    rev = multilateral[
        (multilateral["doc_id"] == review_2013.DOC_ID)
        & multilateral["engagement"].isin(INITIATIVE_ACTIVITY)
        & multilateral["org_id"].isin(un)
    ]
    right = []
    for _, row in rev.iterrows():
        found, basis = themes_of(row["quote"], themes), "quote"
        if not found and paragraph_of is not None:
            found, basis = themes_of(paragraph_of(row["quote"], row["doc_id"]), themes), "paragraph"
        for theme in found or [None]:
            right.append(
                {
                    "theme": theme,
                    "review_org": row["org_id"],
                    "review_engagement": row["engagement"],
                    "review_quote": row["quote"],
                    "basis": basis if theme else "",
                }
            )
    right = pd.DataFrame(right, columns=["theme", "review_org", "review_engagement", "review_quote", "basis"])
    pairs = left.merge(right, on="theme", how="outer", indicator=True)
    pairs["status"] = pairs.pop("_merge").map(dict(zip(("both", "left_only", "right_only"), INITIATIVE_STATUSES))).astype(str)
    order = {t: i for i, t in enumerate(themes)}
    pairs["_t"] = pairs["theme"].map(order).fillna(len(order))
    pairs["_s"] = pairs["status"].map({status: i for i, status in enumerate(INITIATIVE_STATUSES)})
    pairs["_o"] = pairs["review_org"].map({o: i for i, o in enumerate(tree.index)}).fillna(-1)
    pairs = pairs.sort_values(["_s", "_t", "_o", "review_engagement", "review_quote"], na_position="first")
    cols = ["theme", "status", "initiative", "review_org", "review_engagement", "review_quote", "basis"]
    return pairs[cols].fillna("").reset_index(drop=True)
