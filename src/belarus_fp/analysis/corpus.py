"""The UN statements as a corpus, and the texts read beside the ministry's two documents.

One row per statement with its era (:data:`belarus_fp.archive.texts.ungd.ERAS`), the eras summed, each
statement's speaker, and reading the texts beside the ministry's two documents (the countries and
organisations both name, the review's UN initiatives beside the statement of its year, the sentences on a
theme).

The mentions each statement names are the derived table (:mod:`belarus_fp.analysis.mention_table`); whom
they name over time is :mod:`belarus_fp.analysis.timelines`.
"""

from __future__ import annotations

from ..archive import sources
from ..archive.texts import review_2013
from ..archive.texts.ungd import ERAS


def era(year: int) -> str:
    """The label of the era (:data:`ERAS`) that ``year`` falls in."""
    for label, first, last in ERAS:
        if first <= year <= last:
            return label
    raise ValueError(f"{year} is in no era of {[e[0] for e in ERAS]}")


def statements(archive=None):
    """One row per UN statement: doc_id, session, year, era, label, paragraphs, words."""
    import pandas as pd

    rows = []
    for info in sources.manifest(archive):
        if info["collection"] != sources.UNGD:
            continue
        paras = sources.paragraphs(info["doc_id"], archive)
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


def era_summary(statements_frame):
    """Per era (:data:`ERAS`, in order): the number of statements, their words in all, and the median words per statement."""
    grouped = statements_frame.groupby("era", sort=False)["words"]
    out = grouped.agg(statements="size", words="sum", median_words="median")
    out["median_words"] = out["median_words"].round().astype("int64")
    return out.reindex([label for label, _, _ in ERAS]).dropna().astype("int64")


def named_in_pair(bilateral, multilateral, first: str, second: str):
    """The countries and organisations two documents name in the curated tables: in both, in one only.

    A country is named when the document has a row of ``bilateral`` with its ``iso3``; an organisation
    when it has a row of ``multilateral`` with its ``org_id`` (the curated tables record relations and
    engagements, not every mention).

    Returns:
        Two rows (``countries``, ``organisations``) with, for each of ``both``, ``first only`` and
        ``second only``, a count column and a column listing the codes (sorted, comma-separated).
    """
    import pandas as pd

    rows = {}
    for label, table, column in (("countries", bilateral, "iso3"), ("organisations", multilateral, "org_id")):
        a = set(table.loc[table["doc_id"] == first, column])
        b = set(table.loc[table["doc_id"] == second, column])
        row: dict[str, int | str] = {}
        for part, codes in (("both", a & b), (f"{first} only", a - b), (f"{second} only", b - a)):
            row[part] = len(codes)
            row[f"{part}: codes"] = ", ".join(sorted(codes))
        rows[label] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def excerpt(row, width: int = 80, archive=None) -> str:
    """The text around one mention, verbatim, cut at spaces.

    About ``width`` characters either side of the mention (a row of
    :func:`belarus_fp.analysis.mention_table.load_mentions`), with ``…`` where the paragraph goes on.
    """
    para = sources.paragraphs(row["doc_id"], archive=archive)[int(row["paragraph"]) - 1]
    start, end = int(row["start"]), int(row["end"])
    left, right = max(0, start - width), min(len(para), end + width)
    if left > 0 and " " in para[left:start]:
        left = para.index(" ", left) + 1
    if right < len(para) and " " in para[end:right]:
        right = para.rindex(" ", end, right)
    return ("…" if left > 0 else "") + para[left:right] + ("…" if right < len(para) else "")


# --------------------------------------------------------------------------------------------
# The review's UN initiatives beside the statement of the same year (notebook 08)
# --------------------------------------------------------------------------------------------


def initiatives_beside(statement: str, multilateral, organizations, review: str = review_2013.DOC_ID, archive=None):
    """Whether the review and the UN statement ``statement`` each raise the UN initiatives, with every quote.

    The initiatives are those of :data:`belarus_fp.analysis.initiatives.UN_INITIATIVE_THEMES`. The review raises a theme when one of its curated ``multilateral`` rows on a UN-system organisation,
    of an engagement in ``INITIATIVE_ACTIVITY`` (``initiative``, ``hosted_event``), names it, in its quote
    or, where the quote names none, in its paragraph (:func:`~belarus_fp.analysis.initiatives.match_un_initiatives`,
    ``basis``); its quote is the curated one. The statement raises a theme when a sentence of its
    paragraphs (``sources.paragraphs``, ``sources.sentences``) matches the same theme regex; its quote
    is that sentence, verbatim. A theme the priorities page lists but neither text raises keeps a row
    per text, ``raised`` false and no quote.

    Returns:
        A tidy DataFrame, one row per (theme, document, quote): ``theme`` (in the order of the themes),
        ``doc_id`` (the review first), ``raised``, ``paragraph`` (1-based; ``<NA>`` without a quote),
        ``quote``, ``basis`` (``quote`` or ``paragraph`` for a curated row; ``sentence`` for the statement's;
        empty without a quote) and ``org_ids`` (the curated rows' organisations, comma-separated).
    """
    import pandas as pd

    from . import initiatives

    def paragraph_of(quote, doc_id):
        return sources.paragraphs(doc_id, archive=archive)[sources.locate(quote, doc_id, archive=archive).paragraph - 1]

    pairs = initiatives.match_un_initiatives(multilateral, organizations, paragraph_of=paragraph_of)
    curated = pairs[(pairs["theme"] != "") & (pairs["review_quote"] != "")]
    rows = []
    for theme, pattern in initiatives.UN_INITIATIVE_THEMES.items():
        found = curated[curated["theme"] == theme]
        where = {quote: sources.locate(quote, review, archive=archive) for quote in found["review_quote"]}
        quotes = sorted(where, key=lambda quote: (where[quote].paragraph, where[quote].offset))  # in the review's order
        for quote in quotes:
            same = found[found["review_quote"] == quote]
            rows.append(
                {
                    "theme": theme,
                    "doc_id": review,
                    "raised": True,
                    "paragraph": where[quote].paragraph,
                    "quote": quote,
                    "basis": same["basis"].iloc[0],
                    "org_ids": ", ".join(dict.fromkeys(same["review_org"])),
                }
            )
        if not quotes:
            rows.append({"theme": theme, "doc_id": review, "raised": False})
        said = [
            (number, sentence)
            for number, para in enumerate(sources.paragraphs(statement, archive=archive), start=1)
            for _, sentence in sources.sentences(para)
            if initiatives.themes_of(sentence, {theme: pattern})
        ]
        for number, sentence in said:
            rows.append({"theme": theme, "doc_id": statement, "raised": True, "paragraph": number, "quote": sentence, "basis": "sentence"})
        if not said:
            rows.append({"theme": theme, "doc_id": statement, "raised": False})
    out = pd.DataFrame(rows, columns=["theme", "doc_id", "raised", "paragraph", "quote", "basis", "org_ids"])
    out["paragraph"] = out["paragraph"].astype("Int64")
    for column in ("quote", "basis", "org_ids"):
        out[column] = out[column].fillna("").astype(str)
    return out


def and_list(items) -> str:
    """``items`` as prose: 'A', 'A and B', 'A, B and C'."""
    items = [str(item) for item in items]
    if not items:
        raise ValueError("an empty list has no prose form")
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def review_activity_outside_themes(multilateral, organizations, review: str = review_2013.DOC_ID, archive=None):
    """The review's curated activity on UN-system bodies that matches none of the UN initiatives' themes.

    The activity is an engagement in ``INITIATIVE_ACTIVITY``; it matches none of
    :data:`belarus_fp.analysis.initiatives.UN_INITIATIVE_THEMES`, in quote or paragraph (the ``review only``
    rows of :func:`~belarus_fp.analysis.initiatives.match_un_initiatives`).

    Args:
        multilateral: the curated ``multilateral`` table.
        organizations: the curated ``organizations`` table.
        review: the review's doc_id.
        archive: the archive whose documents the quotes are located in (default: the clone's).

    Returns:
        A DataFrame with ``paragraph`` (1-based), ``org_id``, ``engagement`` and ``quote`` (the curated one), in the
        review's order.
    """
    import pandas as pd

    from . import initiatives

    def paragraph_of(quote, doc_id):
        return sources.paragraphs(doc_id, archive=archive)[sources.locate(quote, doc_id, archive=archive).paragraph - 1]

    pairs = initiatives.match_un_initiatives(multilateral, organizations, paragraph_of=paragraph_of)
    rows = pairs[pairs["status"] == initiatives.REVIEW_ONLY]
    where = [sources.locate(quote, review, archive=archive) for quote in rows["review_quote"]]
    out = pd.DataFrame(
        {
            "paragraph": [w.paragraph for w in where],
            "_offset": [w.offset for w in where],
            "org_id": rows["review_org"].to_list(),
            "engagement": rows["review_engagement"].to_list(),
            "quote": rows["review_quote"].to_list(),
        }
    )
    out = out.sort_values(["paragraph", "_offset", "org_id"], kind="stable").drop(columns="_offset")
    return out.reset_index(drop=True)


def sentences_matching(doc_id: str, pattern: str, archive=None) -> list[tuple[int, str]]:
    """Every sentence of ``doc_id`` that ``pattern`` (a regex, case-insensitive) matches, in the text's order.

    The sentences are those of ``sources.paragraphs`` and ``sources.sentences`` in ``archive`` (default: the clone's),
    each as (paragraph, 1-based; sentence, verbatim). For reading a text for a theme in words other than a theme
    table's (notebook 08: what the review and the statement of its year say of energy, sanctions, diversity): the
    sentences are shown whole, and what they say is the reader's to state.
    """
    import re

    regex = re.compile(pattern, flags=re.IGNORECASE)
    return [
        (number, sentence)
        for number, para in enumerate(sources.paragraphs(doc_id, archive=archive), start=1)
        for _, sentence in sources.sentences(para)
        if regex.search(sentence)
    ]


# --------------------------------------------------------------------------------------------
# Each statement's speaker (the curated speakers table)
# --------------------------------------------------------------------------------------------

#: What :func:`with_speakers` writes where the corpus records no post (the office is never inferred).
NO_POST = "(no post recorded)"
#: What :func:`with_speakers` writes for a statement the speakers table has no row for (one added from outside
#: the corpus, whose record is the only source of a speaker's name and post).
NO_RECORD = "(no speaker record)"


def with_speakers(frame, speakers):
    """``frame`` (one row per statement, with ``doc_id``) with each statement's speaker.

    The speaker is ``person`` and ``office`` from the curated ``speakers`` table (``load_table("speakers")``),
    and its ``basis``. ``office`` is the table's normalised post, or :data:`NO_POST` where the corpus records none; a statement
    the table has no row for (added from outside the corpus) gets :data:`NO_RECORD` in all three columns.
    """
    table = speakers.set_index("doc_id")[["person", "office", "basis"]]
    table = table.assign(office=table["office"].where(table["office"] != "", NO_POST))
    out = frame.copy()
    for column in ("person", "office", "basis"):
        out[column] = out["doc_id"].map(table[column]).fillna(NO_RECORD).astype(str)
    return out
