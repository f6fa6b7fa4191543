"""Belarus in international organisations: engagement grids, COW-style status, matches and checks.

Everything here works on the curated tables (``organizations``, ``multilateral``, ``facts``)
as :func:`belarus_fp.archive.tables.load_table` returns them, and derives what the text does not say
in so many words:

- the organisation tree (``parent`` chains), so bodies can be folded into their top-level
  organisation (``CTED`` → ``CTC`` → ``UNSC`` → ``UN``);
- an organisation × engagement grid that records which document states each engagement;
- a crosswalk to the status codes of the Correlates of War (COW) Intergovernmental
  Organizations data set (Pevehouse et al.): 0 no membership, 1 full member, 2 associate
  member, 3 observer. The codes are not taken from the COW data set. They apply to
  intergovernmental organisations only (a top-level organisation of the table that is not in
  :data:`NOT_IGO`); bodies, expert groups and forums are listed with what the text says, uncoded.
  Each code says where it comes from: the text states it (``member`` / ``observer`` rows), the
  text implies it (``implied_member`` rows, e.g. an election to an organ of the organisation), or a
  shipped reference records it (:data:`REFERENCE_MEMBERSHIP`: ``country_converter``'s data file);
- part-against-total checks of stated counts, which report a finding instead of fixing data;
- sums of money that refuse to add different currencies.
"""

from __future__ import annotations

import re

import pandas as pd

from ..archive import sources, vocabulary
from ..archive.texts import priorities, review_2013
from . import needs_tables

#: ``organizations.kind`` in display order, with labels (:mod:`belarus_fp.archive.vocabulary`).
KIND_ORDER = vocabulary.values("kind")
KIND_LABELS = vocabulary.LABELS["kind"]

#: Engagements that state a status in the organisation (membership, office held).
STATUS_ENGAGEMENTS = ("member", "implied_member", "observer", "presidency", "elected_to_body")
#: Every ``multilateral.engagement`` value, in display order: status first, ``mentioned`` last.
ENGAGEMENT_ORDER = vocabulary.values("engagement")

#: COW IGO status codes (Pevehouse, Nordstrom, McManus & Jamison 2020, IGO data v3):
#: 0 no membership, 1 full membership, 2 associate membership, 3 observer, -9 missing.
#: The engagements that state a status (the vocabulary has no associate membership, so code 2 is never given).
COW_CODES = {"member": 1, "observer": 3}
#: Labels of the codes this project gives (COW's code 2, associate member, is never given).
#: Code 1 is COW's "full membership", but the texts say "a member" (review paragraph 8 and 23): the label says what they say.
COW_LABELS = {0: "not a member", 1: "member", 3: "observer"}
NOT_MEMBER = COW_LABELS[0]
#: Where :func:`cow_status` takes a code from, in the order it tries them: the texts' statements,
#: what the texts imply, the country reference (``basis`` column; "" for no code).
STATED, IMPLIED, REFERENCE = BASES = ("stated", "implied by the text", "reference")
#: Engagements that imply Belarus is not (yet) a member: negotiating accession (code 0, implied).
NON_MEMBER_ENGAGEMENTS = ("accession_negotiation",)
#: Top-level organisations of the table that are not intergovernmental organisations (no status code).
NOT_IGO = {
    "BY-LT-EF": "an economic forum (a conference), not an organisation",
    # joint formats have no parent in organizations.csv (a body of two parties), but are not organisations either
    "Belarus-EU-CG": "a consultative format of Belarus and the European Union, not an organisation",
    "OPCW-UN-JM": "a joint mission of the UN and the OPCW, not an organisation of its own",
}
#: org_id -> column of ``country_converter``'s data file that records Belarus's membership
#: (the year of admission for the UN, a non-empty mark for the others; an empty cell: not a member).
#: These are the package's current lists, not a record for 2013 (the UN column gives the year).
REFERENCE_MEMBERSHIP = {"UN": "UNmember", "CIS": "CIS", "CoE": "CoE", "EU": "EU"}
#: Claims that state a status as fact (aims and plans do not confer a status).
STATUS_CLAIMS = ("stated", "achieved")

#: Currency and scale of each money unit of ``facts.unit``.
MONEY_UNITS = {
    "usd_bn": ("USD", "billion"),
    "usd_m": ("USD", "million"),
    "eur_m": ("EUR", "million"),
    "eur_bn": ("EUR", "billion"),
}


# --------------------------------------------------------------------------- organisations


@needs_tables
def organisation_tree(organizations: pd.DataFrame) -> pd.DataFrame:
    """The organisations in tree order, with their top-level organisation and depth.

    Roots are ordered by ``KIND_ORDER`` and then by table order (the order in which the
    documents first name them); each body follows its parent, bodies of one parent in
    table order.

    Args:
        organizations: the ``organizations`` table.

    Returns:
        A frame indexed by ``org_id`` with ``name``, ``kind``, ``parent``, ``top_org``
        (the root of the ``parent`` chain; the organisation itself for a root), ``depth``
        (0 for a root) and ``label`` (the org_id, indented by depth).

    Raises:
        ValueError: on a duplicate org_id, a parent that is not in the table, a cycle, an
            unknown kind, or a body whose kind differs from its parent's kind.
    """
    orgs = organizations.reset_index(drop=True)
    dup = orgs["org_id"][orgs["org_id"].duplicated()]
    if len(dup):
        raise ValueError(f"organizations: duplicate org_id {sorted(dup)}")
    bad_kind = sorted(set(orgs["kind"]) - set(KIND_ORDER))
    if bad_kind:
        raise ValueError(f"organizations: kind(s) {bad_kind} not in KIND_ORDER")
    parent = dict(zip(orgs["org_id"], orgs["parent"], strict=True))
    missing = sorted(p for p in set(parent.values()) if p and p not in parent)
    if missing:
        raise ValueError(f"organizations: parent(s) {missing} are not org_ids of the table")

    def chain(org):
        seen = [org]
        while parent[seen[-1]]:
            nxt = parent[seen[-1]]
            if nxt in seen:
                raise ValueError(f"organizations: parent cycle {' -> '.join([*seen, nxt])}")
            seen.append(nxt)
        return seen

    top = {org: chain(org)[-1] for org in parent}
    depth = {org: len(chain(org)) - 1 for org in parent}
    kind = dict(zip(orgs["org_id"], orgs["kind"], strict=True))
    off = sorted(o for o in parent if kind[o] != kind[top[o]])
    if off:
        raise ValueError(f"organizations: bodies {off} differ in kind from their top-level organisation")
    position = {org: i for i, org in enumerate(orgs["org_id"])}
    children: dict[str, list[str]] = {}
    for org in orgs["org_id"]:
        children.setdefault(parent[org], []).append(org)

    order = []

    def walk(org):
        order.append(org)
        for child in children.get(org, []):
            walk(child)

    roots = sorted(children.get("", []), key=lambda o: (KIND_ORDER.index(kind[o]), position[o]))
    for root in roots:
        walk(root)
    out = orgs.set_index("org_id").loc[order, ["name", "kind", "parent"]]
    out["top_org"] = [top[o] for o in order]
    out["depth"] = [depth[o] for o in order]
    out["label"] = ["    " * depth[o] + o for o in order]
    return out


def _check_org_ids(multilateral: pd.DataFrame, tree: pd.DataFrame) -> None:
    unknown = sorted(set(multilateral["org_id"]) - set(tree.index))
    if unknown:
        raise ValueError(f"multilateral: org_id(s) {unknown} not in organizations")
    bad = sorted(set(multilateral["engagement"]) - set(ENGAGEMENT_ORDER))
    if bad:
        raise ValueError(f"multilateral: engagement(s) {bad} not in ENGAGEMENT_ORDER")


@needs_tables
def engagement_matrix(
    multilateral: pd.DataFrame, organizations: pd.DataFrame, fold_bodies: bool = False, drop_empty: bool = True, archive=None
) -> pd.DataFrame:
    """Organisation × engagement grid; each cell says which document states the engagement.

    Args:
        multilateral: the ``multilateral`` table.
        organizations: the ``organizations`` table.
        fold_bodies: count a body's engagements for its top-level organisation
            (``ISAF`` → ``NATO``) and keep only top-level rows.
        drop_empty: drop engagement columns that no row uses.
        archive: the archive whose manifest orders the documents (default: the clone's).

    Returns:
        Integer frame with a (``kind``, ``org_id``) index in :func:`organisation_tree` order
        (every organisation of the table, even one with no row) and one column per engagement
        in ``ENGAGEMENT_ORDER``; a cell is the sum of :func:`belarus_fp.archive.sources.doc_bits` of the documents
        that state it (1, 2, 4, ... in the manifest's order; 0 none).
    """
    tree = organisation_tree(organizations)
    _check_org_ids(multilateral, tree)
    rows = multilateral[["doc_id", "org_id", "engagement"]].copy()
    if fold_bodies:
        rows["org_id"] = rows["org_id"].map(tree["top_org"])
        tree = tree[tree["depth"] == 0]
    rows["bit"] = rows["doc_id"].map(sources.doc_bits(docs=rows["doc_id"], archive=archive))
    rows = rows.drop_duplicates(["doc_id", "org_id", "engagement"])
    grid = rows.pivot_table(index="org_id", columns="engagement", values="bit", aggfunc="sum", fill_value=0)
    grid = grid.reindex(index=tree.index, columns=list(ENGAGEMENT_ORDER), fill_value=0).astype(int)
    if drop_empty:
        grid = grid.loc[:, grid.ne(0).any()]
    grid.index = pd.MultiIndex.from_arrays([tree["kind"], tree.index], names=["kind", "org_id"])
    grid.columns.name = "engagement"
    return grid


def reference_membership(iso3: str = "BLR") -> pd.DataFrame:
    """What the shipped country reference records about a country's membership of the organisations of :data:`REFERENCE_MEMBERSHIP`.

    Returns:
        One row per org_id with ``code`` (1 member, 0 not a member), ``since`` (year of
        admission where the column gives one, else "") and ``source`` (package, file, column).
    """
    from importlib.metadata import version

    from ..archive import countries

    row = countries.reference().loc[iso3]
    out = []
    for org, column in REFERENCE_MEMBERSHIP.items():
        cell = row[column].strip()
        since = cell if cell.isdigit() else ""
        source = f"country_converter {version('country_converter')} country_data.tsv, column {column}"
        out.append({"org_id": org, "code": 1 if cell else 0, "since": since, "source": source})
    return pd.DataFrame(out).set_index("org_id")


@needs_tables
def cow_status(
    multilateral: pd.DataFrame, organizations: pd.DataFrame, reference: pd.DataFrame | None = None, archive=None
) -> pd.DataFrame:
    """Belarus's COW-style status per organisation, each code with where it comes from.

    Only intergovernmental organisations get a code (``igo``: a top-level organisation not in
    :data:`NOT_IGO`): a body of an organisation (a committee, an expert group of individuals, a
    programme) is not an IGO, and a status in it is not a status in the organisation. For an IGO,
    in this order: a stated ``member`` row gives 1, ``observer`` 3 (only
    rows whose claim is in ``STATUS_CLAIMS``; the fuller status wins), ``basis`` ``stated``; else
    an ``implied_member`` row gives 1, an accession negotiation (:data:`NON_MEMBER_ENGAGEMENTS`) 0,
    ``basis`` ``implied by the text``; else the reference
    (:func:`reference_membership`) gives 1 or 0, ``basis`` ``reference``. Otherwise no code:
    the texts state no status and the reference has none. The reference's entry is shown for
    every organisation it covers, even when the text states a status, so the two can be compared.

    Args:
        multilateral: the ``multilateral`` table.
        organizations: the ``organizations`` table.
        reference: the frame of :func:`reference_membership` (default: Belarus's).
        archive: the archive whose manifest orders the documents (default: the clone's).

    Returns:
        One row per organisation (tree order, index ``org_id``) with ``kind``, ``level``
        (``organisation`` or ``body of <parent>``), ``igo``, one nullable stated code per document
        (``cow_code_DOC_ID``, one per document; IGOs only), ``cow_code`` (<NA> when
        not coded), ``basis``, ``status`` (a label saying the basis), ``evidence`` (the coded rows or the
        reference's source), ``reference`` (what the reference records, or "") and ``text_says``
        (every status-type row of the texts, coded or not: presidency, election, a status in a body).
    """
    tree = organisation_tree(organizations)
    _check_org_ids(multilateral, tree)
    reference = reference_membership() if reference is None else reference
    out = pd.DataFrame(index=tree.index)
    out["kind"] = tree["kind"]
    out["level"] = ["organisation" if not p else f"body of {p}" for p in tree["parent"]]
    out["igo"] = [(not p) and (o not in NOT_IGO) for o, p in zip(tree.index, tree["parent"], strict=True)]
    factual = multilateral[multilateral["claim"].isin(STATUS_CLAIMS) & multilateral["org_id"].isin(out.index[out["igo"]])]
    coded = factual[factual["engagement"].isin(COW_CODES)]
    coded = coded.assign(code=coded["engagement"].map(COW_CODES))
    docs = sources.in_manifest_order(multilateral["doc_id"], archive=archive)
    for doc in docs:
        best = coded[coded["doc_id"] == doc].groupby("org_id")["code"].min()
        out[f"cow_code_{doc}"] = best.reindex(out.index).astype("Int64")
    stated = out[[f"cow_code_{d}" for d in docs]].min(axis=1, skipna=True).astype("Int64")
    implied = factual[factual["engagement"] == "implied_member"]
    acceding = factual[factual["engagement"].isin(NON_MEMBER_ENGAGEMENTS)]

    def describe(frame):
        pairs = sorted(set(zip(frame["engagement"], frame["doc_id"], strict=True)), key=lambda p: (ENGAGEMENT_ORDER.index(p[0]), p[1]))
        return "; ".join(f"{e} ({d})" for e, d in pairs)

    ref = {o: r for o, r in reference.iterrows()}
    ref_text = {o: (f"member since {r['since']}" if r["since"] else "member") if r["code"] == 1 else NOT_MEMBER for o, r in ref.items()}
    rows = []
    for org in out.index:
        if not out.at[org, "igo"]:
            why = NOT_IGO.get(org) or f"a body of {tree.at[org, 'parent']}, not an IGO"
            rows.append((pd.NA, "", f"not coded: {why}", ""))
        elif pd.notna(stated[org]):
            code = int(stated[org])
            rows.append((code, STATED, f"{COW_LABELS[code]} (stated)", describe(coded[coded["org_id"] == org])))
        elif org in set(implied["org_id"]):
            rows.append((1, IMPLIED, "member (implied by the text, not stated)", describe(implied[implied["org_id"] == org])))
        elif org in set(acceding["org_id"]):
            rows.append((0, IMPLIED, f"{NOT_MEMBER} (implied: accession negotiations)", describe(acceding[acceding["org_id"] == org])))
        elif org in ref:
            code = int(ref[org]["code"])
            rows.append((code, REFERENCE, f"{ref_text[org]} (reference, not the texts)", ref[org]["source"]))
        else:
            rows.append((pd.NA, "", "no status in the texts", ""))
    out["cow_code"] = pd.array([r[0] for r in rows], dtype="Int64")
    out["basis"] = [r[1] for r in rows]
    out["status"] = [r[2] for r in rows]
    out["evidence"] = [r[3] for r in rows]
    out["reference"] = [f"{ref_text[o]} ({ref[o]['source']})" if o in ref else "" for o in out.index]
    status_rows = multilateral[multilateral["engagement"].isin(STATUS_ENGAGEMENTS)]
    out["text_says"] = pd.Series({o: describe(g) for o, g in status_rows.groupby("org_id")}, dtype="str").reindex(out.index).fillna("")
    return out


def _named_in(named: list, n_docs: int) -> str:
    if len(named) == n_docs > 1:
        return "both" if n_docs == 2 else "all"
    return f"{named[0]} only" if len(named) == 1 else "+".join(named)


@needs_tables
def organisations_by_document(
    multilateral: pd.DataFrame, organizations: pd.DataFrame, fold_bodies: bool = False, archive=None
) -> pd.DataFrame:
    """Which document names each organisation (any row, ``mentioned`` included).

    Returns:
        One row per organisation named (tree order) with ``kind``, one boolean column per
        document and ``named_in``: ``both`` (``all`` for three documents or more), ``DOC_ID only``, or the
        doc_ids joined with ``+``.
    """
    grid = engagement_matrix(multilateral, organizations, fold_bodies=fold_bodies, archive=archive)
    bits = grid.to_numpy()
    out = pd.DataFrame(index=grid.index.get_level_values("org_id"))
    out["kind"] = grid.index.get_level_values("kind")
    docs = sources.doc_bits(docs=multilateral["doc_id"], archive=archive)
    for doc, bit in docs.items():
        out[doc] = ((bits & bit) > 0).any(axis=1)
    out = out[out[list(docs)].any(axis=1)]
    out["named_in"] = [_named_in([d for d in docs if row[d]], len(docs)) for _, row in out.iterrows()]
    return out


def named_only_in(named: pd.DataFrame, doc_id: str, archive=None) -> pd.DataFrame:
    """The organisations of :func:`organisations_by_document` that ``doc_id`` names and no other document does."""
    sources.check_doc_id(doc_id, archive)  # a typo is an error listing the documents, not an empty result
    others = [d for d in named.columns if d not in ("kind", "named_in") and d != doc_id]
    return named[named[doc_id] & ~named[others].any(axis=1)]


def status_listing(cow: pd.DataFrame) -> str:
    """``ORG: status; ORG: status`` for rows of :func:`cow_status` (``none`` for no rows): for a sentence."""
    return "; ".join(f"{org}: {status}" for org, status in cow["status"].items()) or "none"


@needs_tables
def aims_without_counterpart(multilateral: pd.DataFrame, organizations: pd.DataFrame, aim_claims=("target",)) -> pd.DataFrame:
    """The priorities page's aims for organisations in which the 2013 review reports nothing.

    An aim is a priorities row whose claim is in ``aim_claims``. Its counterpart is any review
    row other than ``mentioned`` for the same organisation (``same_org``) or for any
    organisation of the same family, i.e. the same top-level organisation (``same_family``).

    Returns:
        The aims (org_id, engagement, quote, top_org) with the counts of review rows of the
        same organisation and of the same family; an aim with no counterpart has 0.
    """
    tree = organisation_tree(organizations)
    _check_org_ids(multilateral, tree)
    review = multilateral[(multilateral["doc_id"] == review_2013.DOC_ID) & (multilateral["engagement"] != "mentioned")]
    by_org = review["org_id"].value_counts()
    by_family = review["org_id"].map(tree["top_org"]).value_counts()
    aims = multilateral[(multilateral["doc_id"] == priorities.DOC_ID) & multilateral["claim"].isin(aim_claims)]
    out = aims[["org_id", "engagement", "quote"]].copy()
    out["top_org"] = out["org_id"].map(tree["top_org"])
    out["review_rows_same_org"] = out["org_id"].map(by_org).fillna(0).astype(int)
    out["review_rows_same_family"] = out["top_org"].map(by_family).fillna(0).astype(int)
    rank = {o: i for i, o in enumerate(tree.index)}
    return out.sort_values(["org_id", "engagement", "quote"], key=lambda s: s.map(rank) if s.name == "org_id" else s)


# --------------------------------------------------------------------------- facts


@needs_tables
def intensity_counts(
    facts: pd.DataFrame, topics=("integration", "multilateral"), doc_id: str = review_2013.DOC_ID, claims=("achieved",), archive=None
) -> pd.DataFrame:
    """Counts of activity (meetings, decisions, events, rounds of talks, ...) from ``facts``.

    Args:
        facts: the ``facts`` table.
        topics: fact topics to keep.
        doc_id: the document.
        claims: claims to keep (default: what was done; stocks and descriptions are ``stated``).
        archive: not read (the rows name their document); taken like every analysis's.

    Returns:
        The ``count`` rows, with ``counted`` (what the number counts, from :data:`belarus_fp.archive.vocabulary.COUNTED`; one
        chart axis per value) and ``lower_bound`` (the text says "more than").

    Raises:
        ValueError: if a kept metric is missing from ``vocabulary.COUNTED`` (it must not silently share
            an axis with something else).
    """
    rows = facts[
        (facts["unit"] == "count") & facts["topic"].isin(topics) & (facts["doc_id"] == doc_id) & facts["claim"].isin(claims)
    ].copy()
    unknown = sorted(set(rows["metric"]) - set(vocabulary.COUNTED))
    if unknown:
        raise ValueError(f"facts: count metric(s) {unknown} have no entry in belarus_fp.archive.vocabulary.COUNTED")
    rows["counted"] = rows["metric"].map(vocabulary.COUNTED)
    rows["lower_bound"] = rows["qualifier"].eq("lower_bound")
    return rows[["fact_id", "topic", "metric", "counted", "subject", "value", "qualifier", "lower_bound", "period", "quote"]]


@needs_tables
def money(facts: pd.DataFrame, topic: str = "development_finance") -> pd.DataFrame:
    """The money amounts of a topic, each with its currency and scale (never converted).

    Returns:
        Rows of unit in ``MONEY_UNITS`` with ``currency``, ``scale``, ``amount`` (the value
        as stated), ``qualifier``, ``period``, ``subject``, ``claim``, ``metric``, ``fact_id``.
    """
    rows = facts[(facts["topic"] == topic) & facts["unit"].isin(MONEY_UNITS)].copy()
    rows["currency"] = rows["unit"].map(lambda u: MONEY_UNITS[u][0])
    rows["scale"] = rows["unit"].map(lambda u: MONEY_UNITS[u][1])
    rows["amount"] = rows["value"].astype(float)
    return rows[["fact_id", "subject", "metric", "amount", "currency", "scale", "unit", "qualifier", "period", "claim"]]


def sum_amounts(rows: pd.DataFrame) -> float:
    """Sum money rows of :func:`money`, refusing to add different units or periods.

    Raises:
        ValueError: if the rows mix units (currency or scale), periods or qualifiers other
            than ``exact``.
    """
    for column in ("unit", "period"):
        if rows[column].nunique() != 1:
            raise ValueError(f"cannot sum amounts with different {column}s: {sorted(rows[column].unique())}")
    if not rows["qualifier"].eq("exact").all():
        raise ValueError("cannot sum amounts that are not exact")
    return float(rows["amount"].sum())


def fact_label(fact_id: str, acronyms=(), archive=None) -> str:
    """A readable label from a fact_id slug: its prefix dropped, dashes to spaces, acronyms upper-cased.

    The prefix is its document's (the manifest's ``id_prefix``).

    ``fact_label("r13-seec-meetings", {"SEEC"})`` → ``"SEEC meetings"``.
    """
    upper = {a.lower() for a in acronyms}
    prefixes = "|".join(re.escape(row["id_prefix"]) for row in sources.manifest(archive=archive))
    words = re.sub(rf"^(?:{prefixes})-", "", fact_id).split("-")
    words = [w.upper() if w in upper else w for w in words]
    text = " ".join(words)
    return text[:1].upper() + text[1:]
