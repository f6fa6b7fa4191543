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
from ..archive import countries, sources
from ..archive.finder import _sorted_rows, archive_finder
from ..archive.texts import review_2013
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
                        "code": code,
                        "text": text,
                        "subject": "true" if subject else "false",
                    }
                )
    return out


def mentions_csv(archive=None) -> str:
    """The derived table's text as the build writes it (UTF-8, ``\\n`` line ends, no formula cell)."""
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

    data_dir = archive.data if archive is not None else paths.data_folder(data_dir)
    path = data_dir.joinpath(*MENTIONS_FILE)
    display = "data/" + "/".join(MENTIONS_FILE)
    if not path.is_file():
        raise TableError([Problem(display, 0, "(file)", "", "missing: the build writes it (python -m belarus_fp.build)")])
    header, rows = read_csv_rows(path, display)
    if tuple(header) != COLUMNS:
        raise TableError([Problem(display, 1, "(header)", ",".join(header), f"expected the columns {','.join(COLUMNS)}")])
    frame = pd.DataFrame([row for _, row in rows], columns=list(COLUMNS), index=pd.Index([line for line, _ in rows], name="line"))
    problems = check_mentions(frame, display, archive if archive is not None else data_dir / "raw")
    if problems:
        raise TableError(problems)
    for column in ("year", "paragraph", "sentence", "start", "end"):
        frame[column] = frame[column].astype("int64")
    frame["subject"] = frame["subject"] == "true"
    return frame


def check_mentions(frame, display: str, archive=None) -> list[Problem]:
    """Every row's text is at its offsets in its paragraph, its sentence number is that paragraph's, its year its document's."""
    problems, paras, sents = [], {}, {}
    known = {row["doc_id"]: row["year"] for row in sources.manifest(archive)}
    for line, row in frame.iterrows():
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


# --------------------------------------------------------------------------------------------
# Attention over time (notebook 08)
# --------------------------------------------------------------------------------------------

#: The kinds of mention that count as naming a state (today's countries and historical states).
STATE_KINDS = ("country", "historical_state")
#: The groups notebook 08 follows: key -> (label, the vectors of :data:`belarus_fp.archive.countries.VECTORS`
#: it takes, the single codes it takes). Russia's vector holds the Soviet Union (``historical_states.csv``);
#: China is the one group that is a single country (it is also in Asia & Pacific, hence in the South); the
#: South is :data:`belarus_fp.archive.countries.SOUTH`. The groups hold states only: the labels of the two
#: vectors named after organisations ("CIS & Eurasian", "Europe & EU" in the vocabulary) say "states", since
#: a mention of the CIS or the EU as an organisation is not counted here (notebook 08, section 4).
ATTENTION_GROUPS = {
    "russia": ("Russia (with the USSR)", ("russia",), ()),
    "cis_eurasian": ("CIS & Eurasian states", ("cis_eurasian",), ()),
    "europe": ("European states", ("europe",), ()),
    "north_america": ("USA & Canada", ("north_america",), ()),
    "china": ("China", (), ("CHN",)),
    "south": ("The South", countries.SOUTH, ()),
}


def groups_of(code: str) -> list[str]:
    """The keys of :data:`ATTENTION_GROUPS` a country or historical state belongs to (by ``countries.vector``)."""
    vector = countries.vector(code)
    return [key for key, (_, vectors, codes) in ATTENTION_GROUPS.items() if vector in vectors or code in codes]


def era_summary(statements_frame):
    """Per era (:data:`ERAS`, in order): the number of statements, their words in all, and the median words per statement."""
    grouped = statements_frame.groupby("era", sort=False)["words"]
    out = grouped.agg(statements="size", words="sum", median_words="median")
    out["median_words"] = out["median_words"].round().astype("int64")
    return out.reindex([label for label, _, _ in ERAS]).dropna().astype("int64")


def country_attention(mentions_frame, statements_frame):
    """Per statement: the distinct states it names and, per group of :data:`ATTENTION_GROUPS`, whether it names one.

    A state is a distinct ``code`` of kind ``country`` or ``historical_state``; Belarus (the speaker,
    ``subject`` true) is left out. Statements that name no state are kept, with 0.

    Returns:
        One row per statement (in the order of ``statements_frame``) with ``doc_id``, ``year``, ``era``,
        ``words``, ``countries``, ``per_1000_words`` and one boolean column per group key.
    """
    states = mentions_frame[mentions_frame["kind"].isin(STATE_KINDS) & ~mentions_frame["subject"]]
    codes = states.groupby("doc_id")["code"].agg(lambda c: sorted(set(c)))
    out = statements_frame[["doc_id", "year", "era", "words"]].copy()
    named = [codes.get(doc_id, []) for doc_id in out["doc_id"]]
    out["countries"] = [len(c) for c in named]
    out["per_1000_words"] = out["countries"] / out["words"] * 1000
    membership = [{g for code in c for g in groups_of(code)} for c in named]
    for key in ATTENTION_GROUPS:
        out[key] = [key in groups for groups in membership]
    return out.reset_index(drop=True)


def group_shares(attention):
    """Per era: the share of its statements that name each group (:func:`country_attention`'s boolean columns), 0-1."""
    keys = list(ATTENTION_GROUPS)
    out = attention.groupby("era", sort=False)[keys].mean()
    return out.reindex([label for label, _, _ in ERAS]).dropna(how="all")


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


def organization_spans(mentions_frame, org_ids=MAIN_ORGANIZATIONS):
    """For each organisation: its name, the first and last year a statement names it, and how many statements do.

    Names come from ``data/reference/organizations.csv`` and the curated ``organizations`` table. An
    organisation no statement names has ``statements`` 0 and no years (``<NA>``).

    Returns:
        A DataFrame indexed by ``org_id`` (in the order of ``org_ids``) with ``name``, ``first``, ``last``, ``statements``.
    """
    import pandas as pd

    names = organization_names()
    orgs = mentions_frame[mentions_frame["kind"] == "organization"]
    rows = []
    for org_id in org_ids:
        years = orgs.loc[orgs["code"] == org_id, "year"]
        rows.append(
            {
                "org_id": org_id,
                "name": names.get(org_id, org_id),
                "first": years.min() if len(years) else pd.NA,
                "last": years.max() if len(years) else pd.NA,
                "statements": orgs.loc[orgs["code"] == org_id, "doc_id"].nunique(),
            }
        )
    out = pd.DataFrame(rows).set_index("org_id")
    for column in ("first", "last"):
        out[column] = out[column].astype("Int64")
    return out


def organization_names() -> dict[str, str]:
    """``org_id -> name`` of every organisation the finder knows: ``data/reference/organizations.csv``, then the curated table."""
    from ..archive.reading import read_csv_rows

    _, rows = read_csv_rows(paths.DATA / "reference" / "organizations.csv", "data/reference/organizations.csv")
    names = {row["org_id"]: row["name"] for _, row in rows}
    _, rows = read_csv_rows(paths.DATA / "curated" / "organizations.csv", "data/curated/organizations.csv")
    names.update({row["org_id"]: row["name"] for _, row in rows if row["org_id"] not in names})
    return names


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
        row = {}
        for part, codes in (("both", a & b), (f"{first} only", a - b), (f"{second} only", b - a)):
            row[part] = len(codes)
            row[f"{part}: codes"] = ", ".join(sorted(codes))
        rows[label] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def excerpt(row, width: int = 80, archive=None) -> str:
    """The text around one mention (a row of :func:`load_mentions`): about ``width`` characters either side,
    verbatim (cut at spaces), with ``…`` where the paragraph goes on."""
    para = sources.paragraphs(row["doc_id"], archive=archive)[int(row["paragraph"]) - 1]
    start, end = int(row["start"]), int(row["end"])
    left, right = max(0, start - width), min(len(para), end + width)
    if left > 0 and " " in para[left:start]:
        left = para.index(" ", left) + 1
    if right < len(para) and " " in para[end:right]:
        right = para.rindex(" ", end, right)
    return ("…" if left > 0 else "") + para[left:right] + ("…" if right < len(para) else "")


def first_and_last(mentions_frame, org_ids=MAIN_ORGANIZATIONS, archive=None):
    """For each organisation some statement names: its first and its last mention in the corpus (rows of ``mentions_frame``).

    Returns:
        A DataFrame with ``org_id``, ``which`` (``first`` or ``last``), ``year``, ``doc_id``, ``text`` and
        ``excerpt`` (:func:`excerpt`), in the order of ``org_ids``.
    """
    import pandas as pd

    orgs = mentions_frame[mentions_frame["kind"] == "organization"].sort_values(["year", "paragraph", "start"], kind="stable")
    rows = []
    for org_id in org_ids:
        found = orgs[orgs["code"] == org_id]
        if found.empty:
            continue
        for which, row in (("first", found.iloc[0]), ("last", found.iloc[-1])):
            rows.append(
                {
                    "org_id": org_id,
                    "which": which,
                    "year": row["year"],
                    "doc_id": row["doc_id"],
                    "text": row["text"],
                    "excerpt": excerpt(row, archive=archive),
                }
            )
    return pd.DataFrame(rows, columns=["org_id", "which", "year", "doc_id", "text", "excerpt"])


def wilson_interval(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95 % by default): ``(low, high)``, NaN for 0 trials.

    Used for the finder's precision and recall on a small gold set, where the share alone hides how
    few mentions it rests on.
    """
    import math

    if trials == 0:
        return (math.nan, math.nan)
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    return (max(0.0, centre - half), min(1.0, centre + half))


# --------------------------------------------------------------------------------------------
# The words behind a count (notebook 08, the sentences that rest on a few statements)
# --------------------------------------------------------------------------------------------


def group_counts(attention):
    """Per era (:data:`ERAS`, in order): how many statements it has (``statements``) and, per group key, how many name a state of it."""
    keys = list(ATTENTION_GROUPS)
    out = attention.groupby("era", sort=False)[keys].sum().astype("int64")
    out.insert(0, "statements", attention.groupby("era", sort=False).size())
    return out.reindex([label for label, _, _ in ERAS]).dropna(how="all").astype("int64")


def _states(mentions_frame, doc_ids):
    rows = mentions_frame[mentions_frame["kind"].isin(STATE_KINDS) & ~mentions_frame["subject"]]
    return rows[rows["doc_id"].isin(set(doc_ids))]


def naming(mentions_frame, doc_ids, code: str) -> set[str]:
    """The statements among ``doc_ids`` that name the state ``code`` (Belarus, the speaker, never counts)."""
    rows = _states(mentions_frame, doc_ids)
    return set(rows.loc[rows["code"] == code, "doc_id"])


def group_words(mentions_frame, doc_ids, key: str) -> dict[str, list[str]]:
    """The states of group ``key`` (:data:`ATTENTION_GROUPS`) that ``doc_ids`` name, each with the words used for it (sorted, distinct).

    What a share rests on, in the texts' words: ``{"UKR": ["Ukrainian", "Ukrainian SSR"]}``.
    """
    rows = _states(mentions_frame, doc_ids)
    rows = rows[[key in groups_of(code) for code in rows["code"]]]
    return {code: sorted(set(texts)) for code, texts in rows.groupby("code")["text"]}


def quote_words(words: dict[str, list[str]]) -> str:
    """:func:`group_words` as text: ``UKR: "Ukrainian", "Ukrainian SSR"`` (states separated by ``;``)."""
    return "; ".join(f"{code}: " + ", ".join(f'"{w}"' for w in texts) for code, texts in sorted(words.items())) or "none"


def first_named(mentions_frame, org_id: str, besides=()) -> dict[int, str]:
    """Each year a statement names the organisation ``org_id``, with the words of its first mention that year,
    leaving out the names in ``besides`` (an alias counted with it, such as a forerunner's name)."""
    rows = mentions_frame[(mentions_frame["kind"] == "organization") & (mentions_frame["code"] == org_id)]
    rows = rows[~rows["text"].isin(set(besides))].sort_values(["year", "paragraph", "start"], kind="stable")
    return {int(year): text for year, text in rows.drop_duplicates("year")[["year", "text"]].itertuples(index=False)}


# --------------------------------------------------------------------------------------------
# The footprint over time (notebook 08's maps)
# --------------------------------------------------------------------------------------------

#: The map classes of :func:`state_shares`: (lowest share, inclusive; label), highest first.
SHARE_CLASSES = (
    (0.5, "50 % or more"),
    (0.25, "25 % to under 50 %"),
    (0.1, "10 % to under 25 %"),
    (0.0, "under 10 %"),
)


def share_class(share: float) -> str:
    """The label of the class of :data:`SHARE_CLASSES` that a share (0-1, above 0) falls in."""
    if not 0 < share <= 1:
        raise ValueError(f"a share of statements naming a state is above 0 and at most 1, not {share!r}")
    return next(label for lowest, label in SHARE_CLASSES if share >= lowest)


def state_shares(mentions_frame, statements_frame):
    """Per era and per state its statements name: how many of the era's statements name it, and what share.

    A state is a ``code`` of kind ``country`` or ``historical_state`` (:data:`STATE_KINDS`); Belarus (the
    speaker, ``subject`` true) is left out; a statement names a state once however often it repeats it.
    Only the states some statement of the era names have a row.

    Returns:
        A DataFrame with ``era``, ``code``, ``kind``, ``name`` (``countries.name``), ``statements`` (naming
        it), ``of`` (the era's statements), ``share`` (0-1) and ``class`` (:func:`share_class`); eras in the
        order of :data:`ERAS`, then by share (highest first) and name.
    """
    import pandas as pd

    states = mentions_frame[mentions_frame["kind"].isin(STATE_KINDS) & ~mentions_frame["subject"]]
    eras = statements_frame.set_index("doc_id")["era"]
    states = states.assign(era=states["doc_id"].map(eras))
    out = states.groupby(["era", "code", "kind"], sort=False)["doc_id"].nunique().rename("statements").reset_index()
    out["of"] = out["era"].map(statements_frame.groupby("era").size()).astype("int64")
    out["share"] = out["statements"] / out["of"]
    out["class"] = out["share"].map(share_class)
    out["name"] = out["code"].map(countries.name)
    out["_era"] = out["era"].map({label: i for i, (label, _, _) in enumerate(ERAS)})
    out = out.sort_values(["_era", "share", "name"], ascending=[True, False, True], kind="stable")
    columns = ["era", "code", "kind", "name", "statements", "of", "share", "class"]
    return pd.DataFrame(out[columns]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# The review's UN initiatives beside the statement of the same year (notebook 08)
# --------------------------------------------------------------------------------------------


def initiatives_beside(statement: str, multilateral, organizations, review: str = review_2013.DOC_ID, archive=None):
    """The UN initiatives of :data:`belarus_fp.analysis.initiatives.UN_INITIATIVE_THEMES`: whether the
    review and the UN statement ``statement`` each raise them, with every quote.

    The review raises a theme when one of its curated ``multilateral`` rows on a UN-system organisation,
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


def review_activity_outside_themes(multilateral, organizations, review: str = review_2013.DOC_ID):
    """The review's curated activity on UN-system bodies (engagement in ``INITIATIVE_ACTIVITY``) that matches none
    of :data:`belarus_fp.analysis.initiatives.UN_INITIATIVE_THEMES`, in quote or paragraph (the ``review only``
    rows of :func:`~belarus_fp.analysis.initiatives.match_un_initiatives`).

    Returns:
        A DataFrame with ``paragraph`` (1-based), ``org_id``, ``engagement`` and ``quote`` (the curated one), in the
        review's order.
    """
    import pandas as pd

    from . import initiatives

    def paragraph_of(quote, doc_id):
        return sources.paragraphs(doc_id)[sources.locate(quote, doc_id).paragraph - 1]

    pairs = initiatives.match_un_initiatives(multilateral, organizations, paragraph_of=paragraph_of)
    rows = pairs[pairs["status"] == initiatives.REVIEW_ONLY]
    where = [sources.locate(quote, review) for quote in rows["review_quote"]]
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


def sentences_matching(doc_id: str, pattern: str) -> list[tuple[int, str]]:
    """Every sentence of ``doc_id`` (``sources.paragraphs``, ``sources.sentences``) that ``pattern`` (a regex,
    case-insensitive) matches, as (paragraph, 1-based; sentence, verbatim), in the text's order.

    For reading a text for a theme in words other than a theme table's (notebook 08: what the 2013 texts say of
    energy, sanctions, diversity): the sentences are shown whole, and what they say is the reader's to state.
    """
    import re

    regex = re.compile(pattern, flags=re.IGNORECASE)
    return [
        (number, sentence)
        for number, para in enumerate(sources.paragraphs(doc_id), start=1)
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
    """``frame`` (one row per statement, with ``doc_id``) with each statement's speaker: ``person`` and ``office``
    from the curated ``speakers`` table (``load_table("speakers")``), and its ``basis``.

    ``office`` is the table's normalised post, or :data:`NO_POST` where the corpus records none; a statement
    the table has no row for (added from outside the corpus) gets :data:`NO_RECORD` in all three columns.
    """
    table = speakers.set_index("doc_id")[["person", "office", "basis"]]
    table = table.assign(office=table["office"].where(table["office"] != "", NO_POST))
    out = frame.copy()
    for column in ("person", "office", "basis"):
        out[column] = out["doc_id"].map(table[column]).fillna(NO_RECORD).astype(str)
    return out
