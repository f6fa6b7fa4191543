"""Foreign trade as the two documents state it: shares, the implied total, balances, regional roles.

Curation and derivation decisions (used by notebook 01, reusable elsewhere):

- **Selection.** Facts are selected by ``metric``, ``subject`` and ``unit`` (:func:`belarus_fp.archive.facts.find`), never
  by value or row number; a selection that matches no row or several rows is an error.
- **The implied total** of Belarusian foreign trade is *derived*: Russia's stated turnover
  divided by Russia's stated share (``total = turnover / (share / 100)``). It is never stored in
  the curated tables. Both inputs are rounded in the text (to the digits of ``value_text``), so
  :func:`rounding_range` gives the interval the total can lie in.
- **The United States.** "The bilateral trade exceeded $0.5 billion" is a lower bound
  (``qualifier`` ``lower_bound``); so is the US share of the implied total computed from it.
- **Everyone else.** "All other partners" is the implied total minus Russia minus the United
  States. Because the US figure is a lower bound, the remainder is an *upper* bound.
- **A balance is not a turnover.** Trade balances (:func:`balances`) are kept in their own
  table and never added to, or plotted on one axis with, turnover.
- **Regional roles.** Trade-related relations (:data:`TRADE_RELATIONS`) of ``bilateral.csv``
  are counted per foreign-policy vector (:func:`belarus_fp.archive.countries.vector`) as distinct
  countries; statements about a whole group (``groupings.csv``) are counted per vector through
  :data:`GROUP_VECTORS`. Eurasian integration groups (the Customs Union "troika", its founding
  members) include Russia and go to the ``cis_eurasian`` row. Groups that span the world or are
  not fixed by the text (:data:`GLOBAL_GROUPS`) belong to no vector. A trade-related group in
  neither list is an error, so a new grouping row cannot be dropped silently.
"""

from __future__ import annotations

import pandas as pd

from ..archive import countries, sources, vocabulary
from ..archive.facts import find as find_fact
from ..archive.texts import priorities, review_2013
from . import needs_tables

#: Relations of the closed vocabulary that give a partner a trade or investment role. The two partner
#: lists count too: the priorities page names its traditional partners for "political and economic
#: interaction" and its prospective partners as "markets" for "active penetration", and the review's
#: "new prospective partners" are named for "political, economic and trade cooperation".
TRADE_RELATIONS = (
    "trade",
    "investment",
    "joint_production",
    "economic_cooperation",
    "free_trade_negotiation",
    "traditional_partner",
    "prospective_partner",
)

#: Short labels of :data:`TRADE_RELATIONS` for tables and figures.
RELATION_LABELS = {relation: vocabulary.label("relation", relation) for relation in TRADE_RELATIONS}

#: Topics of ``facts.csv`` whose rows are trade-related statements.
STATEMENT_TOPICS = ("trade", "export_support", "population")

#: Metrics that :func:`shares_table` uses (kept out of :func:`statements` by default).
SHARE_METRICS = ("trade_turnover", "share_of_foreign_trade")

#: Readable labels of the trade-related metrics.
METRIC_LABELS = {
    "trade_turnover": "Trade turnover",
    "share_of_foreign_trade": "Share of Belarus's foreign trade",
    "trade_balance": "Trade balance (Belarusian surplus)",
    "largest_trading_partners_group_size": "Size of the partner's top group of trading partners (Belarus among them)",
    "agreements_value": "Value of treaties and commercial agreements signed on the state visits to Indonesia, Singapore and China",
    "new_export_markets": "New countries Belarusian goods were exported to",
    "foreign_trade_partners": "Foreign trade partners",
    "share_of_exports": "Share of Belarusian exports",
    "distribution_network_enterprises": "Belarusian enterprises in the distribution network abroad",
    "common_market_population": "Population of the common market",
    "programme_period": "National export development programme",
    "activity_start_year": "Export logistics coordination became an MFA function",
    "reference_date": "Reference date of the distribution-network figure",
}

#: Trade-related group ids of ``groupings.csv`` -> the vector(s) the statement is about.
GROUP_VECTORS = {
    "cis_countries": ("cis_eurasian",),
    "cis_region": ("cis_eurasian",),
    "cis_excl_russia_plus_georgia": ("cis_eurasian",),
    "cu_founding_members": ("cis_eurasian",),
    "troika": ("cis_eurasian",),
    "european_countries": ("europe",),
    "eu_member_states": ("europe",),
    "asia_pacific_south_southeast_asia": ("asia_pacific",),
    "asia": ("asia_pacific",),
    "latin_america": ("latin_america",),
    "africa": ("africa",),
    "middle_east": ("middle_east",),
    "asia_latin_america_middle_east_africa": countries.SOUTH,
    "traditional_partners": countries.SOUTH,
    "prospective_partners": countries.SOUTH,
}
#: Groups that are about Belarus's trade as a whole, or whose membership the text leaves open.
GLOBAL_GROUPS = (
    "main_trade_partners",
    "countries_with_belarusian_missions",
    "new_export_countries_2013",
    "foreign_trade_partners",
    "nam_member_states",
)


def implied_total(turnover: float, share_pct: float) -> float:
    """The whole that a partner's turnover is ``share_pct`` percent of: ``turnover / (share_pct / 100)``.

    Raises:
        ValueError: if the share is not in (0, 100].
    """
    if not 0 < share_pct <= 100:
        raise ValueError(f"share must be in (0, 100], got {share_pct}")
    return turnover / (share_pct / 100)


def half_unit(value_text: str) -> float:
    """Half a unit of the last digit a number is written with: ``"39.7"`` -> 0.05, ``"196"`` -> 0.5."""
    digits = value_text.strip().replace(" ", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return 0.5 * 10 ** (-decimals)


def rounding_range(turnover: pd.Series, share: pd.Series) -> tuple[float, float]:
    """The interval the implied total lies in when both stated numbers are rounded.

    Args:
        turnover: the turnover fact (``value``, ``value_text``).
        share: the share fact (``value``, ``value_text``).

    Returns:
        ``(low, high)``: smallest turnover over largest share, largest turnover over smallest share.
    """
    t, dt = float(turnover["value"]), half_unit(turnover["value_text"])
    s, ds = float(share["value"]), half_unit(share["value_text"])
    return implied_total(t - dt, s + ds), implied_total(t + dt, s - ds)


def with_sign(value: float, qualifier: str, digits: int = 1) -> str:
    """A number with the sign its qualifier calls for: ``with_sign(0.5, "lower_bound")`` -> ``"≥ 0.5"``."""
    return f"{vocabulary.QUALIFIER_SIGNS[qualifier]}{value:,.{digits}f}"


@needs_tables
def shares_table(
    facts: pd.DataFrame, partner: str = "RUS", bounded: str = "USA", doc_id: str = review_2013.DOC_ID, archive=None
) -> pd.DataFrame:
    """Russia, the United States, all other partners and the implied total of Belarus's foreign trade.

    The partner's turnover and share are stated; the total, the bounded partner's share and
    the remainder are derived (see the module docstring).

    Args:
        facts: the curated ``facts`` table.
        partner: the country whose turnover *and* share are stated (defines the total).
        bounded: a second country with a stated turnover (possibly a bound).
        doc_id: the document both figures come from.
        archive: the archive whose manifest lists the known documents and whose historical states are named
            (default: the clone's).

    Returns:
        One row per ``partner_id`` (``partner``, ``bounded``, ``others``, ``total``), columns
        ``partner``, ``value_usd_bn``, ``share_pct``, ``qualifier`` (``exact`` /
        ``lower_bound`` / ``upper_bound``, for value and share alike), ``value_derived``,
        ``share_derived``, ``arithmetic`` (how a derived number was computed), ``period``,
        ``fact_ids`` (the stated facts used).

    Raises:
        ValueError: if the facts are of different periods, or the remainder would be negative.
    """
    sources.check_doc_id(doc_id, archive)  # a typo is an error listing the documents, not an empty result
    turnover = find_fact(facts, "trade_turnover", partner, "usd_bn", doc_id, archive=archive)
    share = find_fact(facts, "share_of_foreign_trade", partner, "percent", doc_id, archive=archive)
    other = find_fact(facts, "trade_turnover", bounded, "usd_bn", doc_id, archive=archive)
    periods = {turnover["period"], share["period"], other["period"]}
    if len(periods) != 1:
        raise ValueError(f"trade facts of different periods cannot be combined: {sorted(periods)}")
    if turnover["qualifier"] != "exact" or share["qualifier"] != "exact":
        raise ValueError("the implied total needs an exact turnover and an exact share")
    if other["qualifier"] not in ("exact", "lower_bound"):
        raise ValueError(f"{bounded}: qualifier {other['qualifier']!r} not supported (exact or lower_bound)")

    t, s, o = float(turnover["value"]), float(share["value"]), float(other["value"])
    total = implied_total(t, s)
    o_share = 100 * o / total
    rest, rest_share = total - t - o, 100 - s - o_share
    if rest < 0:
        raise ValueError(f"stated turnovers exceed the implied total ({t} + {o} > {total:.2f})")
    rest_qualifier = "upper_bound" if other["qualifier"] == "lower_bound" else "exact"
    p_name, b_name = countries.name(partner, archive), countries.name(bounded, archive)
    rows = [
        (partner, p_name, t, s, "exact", False, False, "stated", [turnover["fact_id"], share["fact_id"]]),
        (
            bounded,
            b_name,
            o,
            o_share,
            other["qualifier"],
            False,
            True,
            f"share = {o:g} / {total:.2f} × 100 = {o_share:.2f} %",
            [other["fact_id"]],
        ),
        (
            "others",
            "All other partners",
            rest,
            rest_share,
            rest_qualifier,
            True,
            True,
            f"value = {total:.2f} − {t:g} − {o:g} = {rest:.2f}; share = 100 − {s:g} − {o_share:.2f} = {rest_share:.2f} %",
            [turnover["fact_id"], share["fact_id"], other["fact_id"]],
        ),
        (
            "total",
            "Total foreign trade (implied)",
            total,
            100.0,
            "exact",
            True,
            False,
            f"total = {t:g} / ({s:g} / 100) = {total:.2f}",
            [turnover["fact_id"], share["fact_id"]],
        ),
    ]
    out = pd.DataFrame(
        rows,
        columns=[
            "partner_id",
            "partner",
            "value_usd_bn",
            "share_pct",
            "qualifier",
            "value_derived",
            "share_derived",
            "arithmetic",
            "fact_ids",
        ],
    )
    out["period"] = turnover["period"]
    out["fact_ids"] = out["fact_ids"].map(lambda ids: ";".join(ids))
    return out.set_index("partner_id")


@needs_tables
def subject_label(subject: str, groupings: pd.DataFrame | None = None, organizations: pd.DataFrame | None = None, archive=None) -> str:
    """A readable name for a ``facts.subject``: a country name, a group's wording in the text, an organisation's name.

    An empty subject means the number is about Belarus as a whole or is not split by partner.
    An unknown code is an error. A historical state is named by ``archive``'s name table (default: the clone's).
    """
    if subject == "":
        return "Belarus (not split by partner)"
    if subject in countries.known_iso3(archive):
        return countries.name(subject, archive)
    if groupings is not None and subject in set(groupings["group_id"]):
        text = groupings.loc[groupings["group_id"] == subject, "name_in_text"].iloc[0]
        return text[4:] if text.startswith("the ") else text
    if organizations is not None and subject in set(organizations["org_id"]):
        return organizations.loc[organizations["org_id"] == subject, "name"].iloc[0]
    raise KeyError(f"subject {subject!r} is neither an ISO3 code, a group_id nor an org_id")


def unit_label(metric: str, unit: str) -> str:
    """What a number is measured in: ``usd_bn`` -> ``"USD bn"``; a count says what it counts.

    The labels are :mod:`belarus_fp.archive.vocabulary`'s (``LABELS["unit"]``, ``COUNTED``).
    """
    if unit == "count":
        try:
            return vocabulary.COUNTED[metric]
        except KeyError:
            raise KeyError(f"count metric {metric!r} has no entry in belarus_fp.archive.vocabulary.COUNTED") from None
    return vocabulary.LABELS["unit"][unit]


@needs_tables
def balances(facts: pd.DataFrame, groupings: pd.DataFrame | None = None, archive=None) -> pd.DataFrame:
    """The stated trade balances, kept apart from turnover (a balance is not a turnover).

    Partners are named by :func:`subject_label` (``archive``: whose historical states; default the clone's).

    Returns:
        One row per ``trade_balance`` fact: ``fact_id``, ``doc_id``, ``subject``, ``partner``
        (readable subject), ``balance_usd_bn`` (positive = Belarusian surplus), ``qualifier``,
        ``period``, ``quote``; sorted by ``fact_id``.

    Raises:
        ValueError: if a balance is not in ``usd_bn``.
    """
    rows = facts[facts["metric"] == "trade_balance"]
    wrong = sorted(rows.loc[rows["unit"] != "usd_bn", "fact_id"])
    if wrong:
        raise ValueError(f"facts: trade balances not in usd_bn: {wrong}")
    out = rows.assign(
        **{
            "partner": rows["subject"].map(lambda s: subject_label(s, groupings, archive=archive)),
            "balance_usd_bn": rows["value"].astype(float),
        }
    )
    return out[["fact_id", "doc_id", "subject", "partner", "balance_usd_bn", "qualifier", "period", "quote"]].sort_values("fact_id")


@needs_tables
def statements(
    facts: pd.DataFrame,
    groupings: pd.DataFrame | None = None,
    organizations: pd.DataFrame | None = None,
    topics=STATEMENT_TOPICS,
    exclude_metrics=SHARE_METRICS,
    archive=None,
) -> pd.DataFrame:
    """Every other trade-related statement of the documents, as a tidy table.

    Args:
        facts: the curated ``facts`` table.
        groupings: the curated ``groupings`` table, for readable subject names.
        organizations: the curated ``organizations`` table, for readable subject names.
        topics: ``facts.topic`` values that count as trade-related.
        exclude_metrics: metrics shown elsewhere (default: the turnover and share of :func:`shares_table`).
        archive: the archive whose historical states :func:`subject_label` names (default: the clone's).

    Returns:
        One row per fact: ``fact_id``, ``doc_id``, ``statement`` (:data:`METRIC_LABELS`),
        ``subject``, ``about`` (readable subject), ``as_stated`` (number with its qualifier
        sign, or the date / period as written), ``value``, ``unit``, ``measured_in``,
        ``qualifier``, ``period``, ``claim``; numbers first (by unit, then fact_id), then dates.

    Raises:
        KeyError: if a metric has no label (a new row must not go unlabelled).
    """
    rows = facts[facts["topic"].isin(topics) & ~facts["metric"].isin(exclude_metrics)].copy()
    unknown = sorted(set(rows["metric"]) - set(METRIC_LABELS))
    if unknown:
        raise KeyError(f"facts: trade-related metric(s) {unknown} have no label in belarus_fp.analysis.trade.METRIC_LABELS")
    rows["statement"] = rows["metric"].map(METRIC_LABELS)
    rows["about"] = rows["subject"].map(lambda s: subject_label(s, groupings, organizations, archive=archive))
    rows["measured_in"] = [unit_label(m, u) for m, u in zip(rows["metric"], rows["unit"], strict=True)]

    def stated(row) -> str:
        if pd.isna(row["value"]):
            return row["value_text"]
        text = with_sign(float(row["value"]), row["qualifier"], digits=0 if float(row["value"]).is_integer() else 1)
        return text + ("th" if row["unit"] == "ordinal" else "")

    rows["as_stated"] = rows.apply(stated, axis=1)
    rows["is_number"] = rows["value"].notna()
    rows = rows.sort_values(["is_number", "unit", "fact_id"], ascending=[False, True, True])
    return rows[
        ["fact_id", "doc_id", "statement", "subject", "about", "as_stated", "value", "unit", "measured_in", "qualifier", "period", "claim"]
    ]


def remainder_pct(share_pct: float) -> float:
    """The rest of a whole after a stated share: ``100 - share_pct`` (a derived number)."""
    if not 0 <= share_pct <= 100:
        raise ValueError(f"share must be in [0, 100], got {share_pct}")
    return 100 - share_pct


def group_vectors(group_id: str) -> tuple[str, ...]:
    """The vector(s) a trade-related group statement is about; ``()`` for a global group.

    Raises:
        KeyError: if the group is in neither :data:`GROUP_VECTORS` nor :data:`GLOBAL_GROUPS`.
    """
    if group_id in GROUP_VECTORS:
        return GROUP_VECTORS[group_id]
    if group_id in GLOBAL_GROUPS:
        return ()
    raise KeyError(f"group {group_id!r} has a trade relation but no entry in belarus_fp.analysis.trade.GROUP_VECTORS or GLOBAL_GROUPS")


def _trade_pairs(bilateral: pd.DataFrame, relations, archive=None) -> pd.DataFrame:
    pairs = bilateral.loc[bilateral["relation"].isin(relations), ["doc_id", "iso3", "relation"]].drop_duplicates()
    return pairs.assign(vector=pairs["iso3"].map(lambda code: countries.vector(code, archive)))


def _trade_groups(groupings: pd.DataFrame, relations) -> pd.DataFrame:
    groups = groupings.loc[groupings["relation"].isin(relations), ["doc_id", "group_id", "name_in_text", "relation", "quote"]]
    groups = groups.assign(vector=groups["group_id"].map(group_vectors)).explode("vector")
    return groups.dropna(subset=["vector"])


def _docs(bilateral: pd.DataFrame, groupings: pd.DataFrame, archive=None) -> list[str]:
    """The documents with rows in either table, in the manifest's order."""
    return sources.in_manifest_order([*bilateral["doc_id"], *groupings["doc_id"]], archive=archive)


@needs_tables
def regional_roles(bilateral: pd.DataFrame, groupings: pd.DataFrame, relations=TRADE_RELATIONS, archive=None) -> pd.DataFrame:
    """Trade-related relations per document, vector and relation.

    Args:
        bilateral: the curated ``bilateral`` table.
        groupings: the curated ``groupings`` table.
        relations: the relations that count (default :data:`TRADE_RELATIONS`).
        archive: the archive whose manifest lists the documents (default: the clone's).

    Returns:
        The full grid (documents in the manifest's order × ``countries.VECTORS`` ×
        ``relations``, zeros included): ``doc_id``, ``vector``, ``relation``, ``countries``
        (distinct countries with that relation), ``country_names`` (sorted, ``", "``-joined),
        ``group_statements`` (distinct quotes of grouping rows about the vector: two groups
        named in one sentence count once), ``groups`` (their wording in the text, sorted,
        ``"; "``-joined). All claims count (achieved, stated, planned, considered, target).
    """
    pairs, groups = _trade_pairs(bilateral, relations, archive), _trade_groups(groupings, relations)
    grid = pd.MultiIndex.from_product(
        [_docs(bilateral, groupings, archive=archive), countries.VECTORS, list(relations)], names=["doc_id", "vector", "relation"]
    )
    keys = ["doc_id", "vector", "relation"]
    by_country = pairs.groupby(keys).agg(
        countries=("iso3", "nunique"),
        country_names=("iso3", lambda s: ", ".join(sorted(countries.name(c, archive) for c in set(s)))),
    )
    by_group = groups.groupby(keys).agg(
        group_statements=("quote", "nunique"),
        groups=("name_in_text", lambda s: "; ".join(sorted(set(s)))),
    )
    out = pd.DataFrame(index=grid).join(by_country).join(by_group)
    for col in ("countries", "group_statements"):
        out[col] = out[col].fillna(0).astype(int)
    for col in ("country_names", "groups"):
        out[col] = out[col].fillna("")
    return out.reset_index()


@needs_tables
def regional_summary(bilateral: pd.DataFrame, groupings: pd.DataFrame, relations=TRADE_RELATIONS, archive=None) -> pd.DataFrame:
    """Per vector and document: distinct countries with any trade-related relation, and distinct group statements.

    Unlike summing :func:`regional_roles` over relations, a country with two relations counts once.

    Returns:
        Index ``countries.VECTORS`` (in order, zeros included); columns a MultiIndex
        (``countries`` / ``group_statements``, doc_id).
    """
    pairs, groups = _trade_pairs(bilateral, relations, archive), _trade_groups(groupings, relations)
    docs = _docs(bilateral, groupings, archive=archive)
    parts = {("countries", doc): pairs[pairs["doc_id"] == doc].groupby("vector")["iso3"].nunique() for doc in docs}
    parts |= {("group_statements", doc): groups[groups["doc_id"] == doc].groupby("vector")["quote"].nunique() for doc in docs}
    out = pd.DataFrame(parts).reindex(countries.VECTORS).fillna(0).astype(int)
    out.columns = pd.MultiIndex.from_tuples(out.columns)
    out.index.name = "vector"
    return out


@needs_tables
def read_together(bilateral: pd.DataFrame, groupings: pd.DataFrame, archive=None) -> str:
    """Notebook 01's closing paragraph (Markdown): what the review and the priorities page each say of trade partners.

    Every count is computed here from ``bilateral`` and ``groupings``; the prose is about these two texts.
    """
    review, page = review_2013.DOC_ID, priorities.DOC_ID
    traditional, prospective = priorities.PARTNER_LISTS
    pairs = bilateral[bilateral["relation"].isin(TRADE_RELATIONS)]
    named_by = pairs.groupby("doc_id")["iso3"].agg(lambda s: set(s))
    lists = pairs[(pairs["doc_id"] == page) & pairs["relation"].isin(priorities.PARTNER_LISTS)]
    n_list = lists.groupby("relation")["iso3"].nunique()
    rest = sorted(countries.name(c, archive) for c in named_by[page] - set(lists["iso3"]))
    listed = {countries.vector(code, archive) for code in lists["iso3"]}
    regions = [countries.VECTOR_LABELS[v] for v in countries.VECTORS if v in listed]
    list_regions = " and ".join([", ".join(regions[:-1]), regions[-1]] if len(regions) > 1 else regions)
    per_region = regional_summary(bilateral, groupings, archive=archive)[("countries", review)]
    top = per_region.idxmax()
    return (
        f"**Read together.** The {review_2013.NAME} gives trade roles country by country: {len(named_by[review])} countries, "
        f"the largest group of them ({per_region[top]}) in the {countries.VECTOR_LABELS[top]} row. The priorities page gives them to "
        f"{len(named_by[page])} countries, almost all through the two lists of one sentence: "
        f"{n_list[traditional]} traditional partners and {n_list[prospective]} "
        '"markets with a substantial potential", '
        f"all in the regions {list_regions}; besides them only {' and '.join(rest)}. Its other trade "
        'statements are about regions and groups (the diamonds: "the CIS countries", "The European Union countries", '
        '"the countries of these regions"). '
        "The United States has a trade role only through the turnover figure of the review. Counts of named relations "
        "measure what a text says, not the size of the trade."
    )
