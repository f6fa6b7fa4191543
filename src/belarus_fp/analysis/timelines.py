"""Whom the UN statements name over time.

States by group of :data:`ATTENTION_GROUPS` and by era, each state's share of an era's statements (notebook
08's maps), and the organisations' first and last years.

Every function takes the derived mentions table (:func:`belarus_fp.analysis.mention_table.load_mentions`)
and, where it counts per statement or era, the statements (:func:`belarus_fp.analysis.corpus.statements`).
"""

from __future__ import annotations

from ..archive import countries
from ..archive.folders import Archive
from ..archive.texts.ungd import ERAS, MAIN_ORGANIZATIONS
from .corpus import excerpt

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


def groups_of(code: str, archive: Archive | None = None) -> list[str]:
    """The keys of :data:`ATTENTION_GROUPS` a country or historical state belongs to (by ``countries.vector``).

    A historical state's vector is the one ``archive``'s ``historical_states.csv`` gives.
    """
    vector = countries.vector(code, archive)
    return [key for key, (_, vectors, codes) in ATTENTION_GROUPS.items() if vector in vectors or code in codes]


def country_attention(mentions_frame, statements_frame, archive: Archive | None = None):
    """Per statement: the distinct states it names and, per group of :data:`ATTENTION_GROUPS`, whether it names one.

    A state is a distinct ``iso3`` of kind ``country`` or ``historical_state``; Belarus (the speaker,
    ``subject`` true) is left out. Statements that name no state are kept, with 0.

    Returns:
        One row per statement (in the order of ``statements_frame``) with ``doc_id``, ``year``, ``era``,
        ``words``, ``countries``, ``per_1000_words`` and one boolean column per group key.
    """
    states = mentions_frame[mentions_frame["kind"].isin(STATE_KINDS) & ~mentions_frame["subject"]]
    codes = states.groupby("doc_id")["iso3"].agg(lambda c: sorted(set(c)))
    out = statements_frame[["doc_id", "year", "era", "words"]].copy()
    named = [codes.get(doc_id, []) for doc_id in out["doc_id"]]
    out["countries"] = [len(c) for c in named]
    out["per_1000_words"] = out["countries"] / out["words"] * 1000
    membership = [{g for code in c for g in groups_of(code, archive)} for c in named]
    for key in ATTENTION_GROUPS:
        out[key] = [key in groups for groups in membership]
    return out.reset_index(drop=True)


def group_shares(attention):
    """Per era: the share of its statements that name each group (:func:`country_attention`'s boolean columns), 0-1."""
    keys = list(ATTENTION_GROUPS)
    out = attention.groupby("era", sort=False)[keys].mean()
    return out.reindex([label for label, _, _ in ERAS]).dropna(how="all")


def organization_spans(mentions_frame, org_ids=MAIN_ORGANIZATIONS, archive: Archive | None = None):
    """For each organisation: its name, the first and last year a statement names it, and how many statements do.

    Names come from ``data/reference/organizations.csv`` and the curated ``organizations`` table. An
    organisation no statement names has ``statements`` 0 and no years (``<NA>``).

    Returns:
        A DataFrame indexed by ``org_id`` (in the order of ``org_ids``) with ``name``, ``first``, ``last``, ``statements``.
    """
    import pandas as pd

    names = organization_labels(archive)
    orgs = mentions_frame[mentions_frame["kind"] == "organization"]
    rows = []
    for org_id in org_ids:
        years = orgs.loc[orgs["org_id"] == org_id, "year"]
        rows.append(
            {
                "org_id": org_id,
                "name": names.get(org_id, org_id),
                "first": years.min() if len(years) else pd.NA,
                "last": years.max() if len(years) else pd.NA,
                "statements": orgs.loc[orgs["org_id"] == org_id, "doc_id"].nunique(),
            }
        )
    out = pd.DataFrame(rows).set_index("org_id")
    for column in ("first", "last"):
        out[column] = out[column].astype("Int64")
    return out


def organization_labels(archive: Archive | None = None) -> dict[str, str]:
    """``org_id -> name`` of every organisation the finder knows.

    From the archive's ``data/reference/organizations.csv``, then its curated table.
    """
    from ..archive.reading import read_csv_rows

    archive = Archive.of(archive)
    _, rows = read_csv_rows(archive.reference / "organizations.csv", "data/reference/organizations.csv")
    names = {row["org_id"]: row["name"] for _, row in rows}
    _, rows = read_csv_rows(archive.curated / "organizations.csv", "data/curated/organizations.csv")
    names.update({row["org_id"]: row["name"] for _, row in rows if row["org_id"] not in names})
    return names


def first_and_last(mentions_frame, org_ids=MAIN_ORGANIZATIONS, archive=None):
    """For each organisation some statement names: its first and its last mention in the corpus (rows of ``mentions_frame``).

    Returns:
        A DataFrame with ``org_id``, ``which`` (``first`` or ``last``), ``year``, ``doc_id``, ``text`` and
        ``excerpt`` (:func:`belarus_fp.analysis.corpus.excerpt`), in the order of ``org_ids``.
    """
    import pandas as pd

    orgs = mentions_frame[mentions_frame["kind"] == "organization"].sort_values(["year", "paragraph", "start"], kind="stable")
    rows = []
    for org_id in org_ids:
        found = orgs[orgs["org_id"] == org_id]
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


def naming(mentions_frame, doc_ids, iso3: str) -> set[str]:
    """The statements among ``doc_ids`` that name the state ``iso3``.

    A country's or a historical state's code; Belarus, the speaker, never counts.
    """
    rows = _states(mentions_frame, doc_ids)
    return set(rows.loc[rows["iso3"] == iso3, "doc_id"])


def group_words(mentions_frame, doc_ids, key: str, archive: Archive | None = None) -> dict[str, list[str]]:
    """The states of group ``key`` (:data:`ATTENTION_GROUPS`) that ``doc_ids`` name, each with the words used for it (sorted, distinct).

    What a share rests on, in the texts' words: ``{"UKR": ["Ukrainian", "Ukrainian SSR"]}``.
    """
    rows = _states(mentions_frame, doc_ids)
    rows = rows[[key in groups_of(iso3, archive) for iso3 in rows["iso3"]]]
    return {iso3: sorted(set(texts)) for iso3, texts in rows.groupby("iso3")["text"]}


def quote_words(words: dict[str, list[str]]) -> str:
    """:func:`group_words` as text: ``UKR: "Ukrainian", "Ukrainian SSR"`` (states separated by ``;``)."""
    return "; ".join(f"{code}: " + ", ".join(f'"{w}"' for w in texts) for code, texts in sorted(words.items())) or "none"


def first_named(mentions_frame, org_id: str, besides=()) -> dict[int, str]:
    """Each year a statement names the organisation ``org_id``, with the words of its first mention that year.

    The names in ``besides`` are left out (an alias counted with it, such as a forerunner's name).
    """
    rows = mentions_frame[(mentions_frame["kind"] == "organization") & (mentions_frame["org_id"] == org_id)]
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


def state_shares(mentions_frame, statements_frame, archive: Archive | None = None):
    """Per era and per state its statements name: how many of the era's statements name it, and what share.

    A state is an ``iso3`` of kind ``country`` or ``historical_state`` (:data:`STATE_KINDS`); Belarus (the
    speaker, ``subject`` true) is left out; a statement names a state once however often it repeats it.
    Only the states some statement of the era names have a row.

    Returns:
        A DataFrame with ``era``, ``iso3``, ``kind``, ``name`` (``countries.name``), ``statements`` (naming
        it), ``of`` (the era's statements), ``share`` (0-1) and ``class`` (:func:`share_class`); eras in the
        order of :data:`ERAS`, then by share (highest first) and name.
    """
    import pandas as pd

    states = mentions_frame[mentions_frame["kind"].isin(STATE_KINDS) & ~mentions_frame["subject"]]
    eras = statements_frame.set_index("doc_id")["era"]
    states = states.assign(era=states["doc_id"].map(eras))
    out = states.groupby(["era", "iso3", "kind"], sort=False)["doc_id"].nunique().rename("statements").reset_index()
    out["of"] = out["era"].map(statements_frame.groupby("era").size()).astype("int64")
    out["share"] = out["statements"] / out["of"]
    out["class"] = out["share"].map(share_class)
    out["name"] = [countries.name(iso3, archive) for iso3 in out["iso3"]]
    out["_era"] = out["era"].map({label: i for i, (label, _, _) in enumerate(ERAS)})
    out = out.sort_values(["_era", "share", "name"], ascending=[True, False, True], kind="stable")
    columns = ["era", "iso3", "kind", "name", "statements", "of", "share", "class"]
    return pd.DataFrame(out[columns]).reset_index(drop=True)
