"""belarus_fp.analysis.multilateral: organisation tree, engagement grid, COW crosswalk, matches and checks."""

import re

import pandas as pd
import pytest
from conftest import archive_with_documents

from belarus_fp.analysis import checks, initiatives
from belarus_fp.analysis import multilateral as ml
from belarus_fp.archive import facts as facts_module
from belarus_fp.archive import sources, tables
from belarus_fp.archive.tables import load_table
from belarus_fp.archive.texts import priorities, review_2013


@pytest.fixture(scope="module")
def orgs():
    return load_table("organizations")


@pytest.fixture(scope="module")
def multi():
    return load_table("multilateral")


@pytest.fixture(scope="module")
def facts():
    return load_table("facts")


def _paragraph(quote, doc_id):
    return sources.paragraphs(doc_id)[sources.locate(quote, doc_id).paragraph - 1]


# ---------------------------------------------------------------- vocabularies


def test_orders_cover_the_datapackage_vocabularies():
    enums = {}
    for name in ("multilateral", "organizations"):
        for field in tables.resource(name)["schema"]["fields"]:
            enums[(name, field["name"])] = field.get("constraints", {}).get("enum")
    # the order covers the vocabulary; it may hold values a newer curation adds (implied_member)
    assert set(enums[("multilateral", "engagement")]) <= set(ml.ENGAGEMENT_ORDER)
    assert set(ml.ENGAGEMENT_ORDER) - set(enums[("multilateral", "engagement")]) <= {"implied_member"}
    assert len(ml.ENGAGEMENT_ORDER) == len(set(ml.ENGAGEMENT_ORDER))
    assert set(ml.KIND_ORDER) == set(enums[("organizations", "kind")]) == set(ml.KIND_LABELS)


# ---------------------------------------------------------------- tree


def test_tree_holds_every_organisation_once_with_its_root(orgs):
    tree = ml.organisation_tree(orgs)
    assert sorted(tree.index) == sorted(orgs["org_id"])
    parent = dict(zip(orgs["org_id"], orgs["parent"]))
    for org, row in tree.iterrows():
        node = org
        while parent[node]:
            node = parent[node]
        assert row["top_org"] == node
    assert tree.loc["CTED", "top_org"] == "UN" and tree.loc["CTED", "depth"] == 3
    # a body comes after its parent
    position = {o: i for i, o in enumerate(tree.index)}
    assert all(position[o] > position[p] for o, p in parent.items() if p)


def test_tree_rejects_unknown_parent_and_cycles():
    base = pd.DataFrame({"org_id": ["A", "B"], "name": ["a", "b"], "kind": ["other", "other"], "parent": ["", "X"]})
    with pytest.raises(ValueError, match="X"):
        ml.organisation_tree(base)
    cyclic = base.assign(parent=["B", "A"])
    with pytest.raises(ValueError, match="cycle"):
        ml.organisation_tree(cyclic)


# ---------------------------------------------------------------- grid


def test_engagement_matrix_cells_name_the_documents_of_the_table(orgs, multi):
    grid = ml.engagement_matrix(multi, orgs, drop_empty=False)
    assert len(grid) == len(orgs)
    grid = grid.droplevel("kind")
    stated = {}
    for doc, org, eng in zip(multi["doc_id"], multi["org_id"], multi["engagement"]):
        stated.setdefault((org, eng), set()).add(doc)
    for org in grid.index:
        for eng in grid.columns:
            docs = stated.get((org, eng), set())
            assert grid.loc[org, eng] == sum(sources.doc_bits(docs=multi["doc_id"])[d] for d in docs), (org, eng)
    assert grid.loc["CIS", "presidency"] == 1 and grid.loc["SCO", "observer"] == 2 and grid.loc["EU", "dialogue"] == 3


def test_folded_matrix_carries_bodies_into_their_roots(orgs, multi):
    folded = ml.engagement_matrix(multi, orgs, fold_bodies=True).droplevel("kind")
    tree = ml.organisation_tree(orgs)
    assert list(folded.index) == list(tree.index[tree["depth"] == 0])
    assert folded.loc["NATO", "contribution"] == 1  # ISAF's row
    assert folded.loc["UN", "reporting"] == 1  # CERD, CESCR
    assert folded.loc["EU", "participation"] == 1  # EaP (review)
    # the Belarus-EU Coordination Group is a joint format of Belarus and the EU, not an EU body: a root of its own
    assert folded.loc["Belarus-EU-CG", "participation"] == 2  # priorities


def test_unknown_org_in_multilateral_is_an_error(orgs, multi):
    bad = multi.copy()
    bad.loc[bad.index[0], "org_id"] = "NOPE"
    with pytest.raises(ValueError, match="NOPE"):
        ml.engagement_matrix(bad, orgs)


# ---------------------------------------------------------------- COW crosswalk


def test_cow_status_codes_only_igos_from_stated_membership(orgs, multi):
    cow = ml.cow_status(multi, orgs)
    assert len(cow) == len(orgs)
    status_rows = multi[multi["engagement"].isin(["member", "observer"]) & multi["claim"].isin(ml.STATUS_CLAIMS)]
    for org in cow.index[cow["basis"] == "stated"]:
        engagements = set(status_rows.loc[status_rows["org_id"] == org, "engagement"])
        assert cow.loc[org, "cow_code"] == (1 if "member" in engagements else 3), org
    # bodies, expert groups and forums are never coded, whatever the text says of them
    assert cow.loc[~cow["igo"], "cow_code"].isna().all()
    assert not cow.loc[["GGE", "CAHDI", "OPCW-EC", "BY-LT-EF", "Belarus-EU-CG", "OPCW-UN-JM"], "igo"].any()
    assert "member" not in cow.loc["GGE", "text_says"] and pd.isna(cow.loc["GGE", "cow_code"])  # an expert group
    assert cow.loc["SCO", "cow_code_priorities"] == 3 and pd.isna(cow.loc["SCO", "cow_code_review-2013"])
    assert "presidency (review-2013)" in cow.loc["CIS", "text_says"]
    # UN membership comes from the reference, with its year and source, never as "no status"
    assert cow.loc["UN", "cow_code"] == 1 and cow.loc["UN", "basis"] == "reference"
    assert "1945" in cow.loc["UN", "status"] and "UNmember" in cow.loc["UN", "evidence"]
    # accession negotiations imply that Belarus is not a WTO member
    assert cow.loc["WTO", "cow_code"] == 0 and cow.loc["WTO", "basis"] == "implied by the text"


def _small(engagements, kinds=None, parents=None):
    ids = sorted({o for o, _, _, _ in engagements} | set(parents or {}))
    orgs = pd.DataFrame({"org_id": ids, "name": ids, "kind": ["other"] * len(ids), "parent": [(parents or {}).get(o, "") for o in ids]})
    multi = pd.DataFrame(
        [{"doc_id": d, "org_id": o, "engagement": e, "claim": c, "quote": f"q{i}"} for i, (o, d, e, c) in enumerate(engagements)]
    )
    return multi, orgs


NO_REFERENCE = pd.DataFrame(columns=["code", "since", "source"]).rename_axis("org_id")


def test_cow_status_prefers_full_membership_and_ignores_aims():
    multi, orgs = _small(
        [("A", "review-2013", "member", "stated"), ("A", "priorities", "observer", "achieved"), ("B", "priorities", "observer", "target")]
    )
    cow = ml.cow_status(multi, orgs, reference=NO_REFERENCE)
    assert cow.loc["A", "cow_code_review-2013"] == 1 and cow.loc["A", "cow_code_priorities"] == 3
    assert cow.loc["A", "cow_code"] == 1 and cow.loc["A", "status"] == "member (stated)"
    assert pd.isna(cow.loc["B", "cow_code"]) and cow.loc["B", "status"] == "no status in the texts"


def test_implied_membership_is_coded_as_implied_and_stated_wins():
    multi, orgs = _small(
        [
            ("CSTO", "review-2013", "implied_member", "stated"),
            ("CSTO", "priorities", "cooperation", "target"),
            ("EAEU", "priorities", "implied_member", "stated"),
            ("EAEU", "review-2013", "member", "stated"),
            ("AIM", "priorities", "implied_member", "target"),
        ]
    )
    cow = ml.cow_status(multi, orgs, reference=NO_REFERENCE)
    assert cow.loc["CSTO", "cow_code"] == 1 and cow.loc["CSTO", "basis"] == "implied by the text"
    assert "implied" in cow.loc["CSTO", "status"] and cow.loc["CSTO", "evidence"] == "implied_member (review-2013)"
    assert cow.loc["EAEU", "basis"] == "stated"  # a statement outranks an implication
    assert pd.isna(cow.loc["AIM", "cow_code"])  # an aim implies nothing
    grid = ml.engagement_matrix(multi, orgs)
    assert list(grid.columns[:2]) == ["member", "implied_member"]  # a status column, shaded with the others


def test_a_body_is_never_coded_and_the_reference_fills_what_the_text_leaves():
    multi, orgs = _small(
        [("GROUP", "review-2013", "member", "stated"), ("UN", "review-2013", "participation", "achieved")],
        parents={"GROUP": "UN", "UN": ""},
    )
    reference = pd.DataFrame(
        {"code": [1], "since": ["1945"], "source": ["ref file, column UNmember"]}, index=pd.Index(["UN"], name="org_id")
    )
    cow = ml.cow_status(multi, orgs, reference=reference)
    assert pd.isna(cow.loc["GROUP", "cow_code"]) and cow.loc["GROUP", "status"].startswith("not coded: a body of UN")
    assert cow.loc["UN", "cow_code"] == 1 and cow.loc["UN", "basis"] == "reference"
    assert cow.loc["UN", "status"] == "member since 1945 (reference, not the texts)"
    assert cow.loc["UN", "reference"] == "member since 1945 (ref file, column UNmember)"


def test_reference_membership_reads_the_country_reference():
    ref = ml.reference_membership("BLR")
    assert ref.loc["UN", "code"] == 1 and ref.loc["UN", "since"] == "1945"
    assert ref.loc["CIS", "code"] == 1 and ref.loc["EU", "code"] == 0
    assert ml.reference_membership("GEO").loc["CIS", "code"] == 0  # Georgia left the CIS: the column is not a constant


# ---------------------------------------------------------------- UN initiatives


def test_every_priorities_initiative_is_paired_or_listed(orgs, multi):
    pairs = initiatives.match_un_initiatives(multi, orgs, paragraph_of=_paragraph)
    listed = set(multi.loc[(multi["doc_id"] == "priorities") & (multi["engagement"] == "initiative"), "quote"])
    assert set(pairs.loc[pairs["status"] != initiatives.REVIEW_ONLY, "initiative"]) == listed
    for _, row in pairs[pairs["status"] == initiatives.MATCHED].iterrows():
        pattern = initiatives.UN_INITIATIVE_THEMES[row["theme"]]
        text = row["review_quote"] if row["basis"] == "quote" else _paragraph(row["review_quote"], "review-2013")
        assert re.search(pattern, text, flags=re.IGNORECASE)
        assert re.search(pattern, row["initiative"], flags=re.IGNORECASE)
    matched = set(pairs.loc[pairs["status"] == initiatives.MATCHED, "theme"])
    assert "trafficking in human organs" not in matched  # not confused with human trafficking
    assert {"human trafficking", "middle-income countries"} <= matched


def test_quote_only_matching_leaves_the_resolutions_unmatched(orgs, multi):
    pairs = initiatives.match_un_initiatives(multi, orgs)
    resolutions = pairs[pairs["review_quote"].str.startswith("The resolutions initiated")]
    assert len(resolutions) == 4 and set(resolutions["status"]) == {initiatives.REVIEW_ONLY}


def test_themes_must_partition_the_initiatives(orgs, multi):
    themes = dict(initiatives.UN_INITIATIVE_THEMES)
    themes.pop("UN energy agenda")
    with pytest.raises(ValueError, match="energy"):
        initiatives.match_un_initiatives(multi, orgs, themes=themes)


# ---------------------------------------------------------------- priorities vs review


def test_aims_without_counterpart_are_nam_and_sco(orgs, multi):
    aims = ml.aims_without_counterpart(multi, orgs)
    assert set(aims.loc[aims["review_rows_same_family"] == 0, "org_id"]) == {"NAM", "SCO"}
    review = multi[(multi["doc_id"] == "review-2013") & (multi["engagement"] != "mentioned")]
    for _, row in aims.iterrows():
        assert row["review_rows_same_org"] == (review["org_id"] == row["org_id"]).sum()


def test_organisations_by_document(orgs, multi):
    multi = multi[multi["doc_id"].isin(sources.doc_ids(collection=sources.MINISTRY))]  # the two texts compared
    named = ml.organisations_by_document(multi, orgs)
    pri = set(multi.loc[multi["doc_id"] == "priorities", "org_id"])
    rev = set(multi.loc[multi["doc_id"] == "review-2013", "org_id"])
    assert set(named.index[named["named_in"] == "both"]) == pri & rev
    assert set(ml.named_only_in(named, priorities.DOC_ID).index) == pri - rev
    assert set(named.index[named["named_in"] == f"{priorities.DOC_ID} only"]) == pri - rev


# ---------------------------------------------------------------- facts


def test_intensity_counts_are_achieved_counts_with_a_named_axis(facts):
    counts = ml.intensity_counts(facts)
    assert len(counts) > 0 and counts["counted"].notna().all()
    source = facts.loc[counts.index]
    assert (source["unit"] == "count").all() and (source["claim"] == "achieved").all()
    assert counts.loc[counts["fact_id"] == "r13-cu-ces-decisions-adopted", "lower_bound"].item()
    odd = facts.copy()
    odd.loc[counts.index[0], "metric"] = "widgets_made"
    with pytest.raises(ValueError, match="widgets_made"):
        ml.intensity_counts(odd)


def test_treaty_parts_add_up(facts):
    finding = checks.check_sum(
        facts, ["r13-bilateral-agreements-concluded", "r13-multilateral-agreements-concluded"], "r13-agreements-concluded"
    )
    parts = facts.set_index("fact_id")["value"]
    total = parts["r13-bilateral-agreements-concluded"] + parts["r13-multilateral-agreements-concluded"]
    assert finding["left"] == total
    assert finding["result"] == ("holds" if total == parts["r13-agreements-concluded"] else "does not hold")


def test_checks_report_failures_and_qualified_numbers(facts):
    altered = facts.copy()
    altered.loc[altered["fact_id"] == "r13-agreements-concluded", "value"] = 999
    parts = ["r13-bilateral-agreements-concluded", "r13-multilateral-agreements-concluded"]
    assert checks.check_sum(altered, parts, "r13-agreements-concluded")["result"] == "does not hold"
    assert checks.check_sum(facts, ["r13-cu-ces-decisions-adopted"], "r13-agreements-concluded")["result"] == "undetermined"
    assert checks.check_at_most(facts, "r13-bilateral-agreements-concluded", "r13-bilateral-agreements-stock")["result"] == "holds"
    # "more than 140" already exceeds an exact 115: fails even though 140 is a bound
    assert checks.check_at_most(facts, "r13-cu-ces-decisions-adopted", "r13-bilateral-agreements-concluded")["result"] == "does not hold"
    with pytest.raises(ValueError, match="no value"):
        facts_module.value(facts, "r13-ebrd-strategy-period")


def test_money_keeps_currencies_apart(facts):
    cash = ml.money(facts)
    assert set(cash["currency"]) == {"EUR", "USD"}
    with pytest.raises(ValueError, match="unit"):
        ml.sum_amounts(cash)
    wbg = cash[cash["subject"].isin(["IBRD", "IFC"])]
    assert ml.sum_amounts(wbg) == facts.loc[facts["subject"].isin(["IBRD", "IFC"]) & (facts["unit"] == "usd_m"), "value"].sum()


def test_fact_label():
    assert ml.fact_label("r13-seec-meetings", {"SEEC", "CU"}) == "SEEC meetings"
    assert ml.fact_label("pri-eaeu-population", {"EAEU"}) == "EAEU population"
    assert ml.fact_label("r13-union-state-meetings") == "Union state meetings"


def test_fact_label_drops_the_prefix_of_any_document_of_the_manifest(tmp_path):
    archive = archive_with_documents(tmp_path, [{"doc_id": "synthetic-2014", "id_prefix": "s14"}])
    assert ml.fact_label("s14-seec-meetings", {"SEEC"}, archive=archive) == "SEEC meetings"
    assert ml.fact_label("x99-seec-meetings", {"SEEC"}, archive=archive) == "X99 SEEC meetings"  # not a prefix of the manifest: kept
    assert ml.fact_label("s14-seec-meetings", {"SEEC"}) == "S14 SEEC meetings"  # the clone's manifest has no s14


def test_treaty_checks_hold_on_the_stated_numbers():
    facts = load_table("facts")
    found = checks.treaty_checks(facts)
    assert len(found) == 5 and "does not hold" not in set(found["result"])  # the Asia count is a lower bound: undetermined
    values = checks.treaty_values(facts)
    assert set(values) == set(review_2013.TREATY_FACTS)
    assert found.loc[0, "left"] == values["bilateral_concluded"] + values["multilateral_concluded"] == values["concluded"]


def test_status_listing_names_each_organisation_with_its_status(orgs, multi):
    cow = ml.cow_status(multi, orgs)
    assert set(cow["basis"]) == set(ml.BASES) | {""}  # every basis occurs, and no other
    stated = cow[cow["basis"] == ml.STATED]
    assert ml.status_listing(stated).split("; ") == [f"{org}: {status}" for org, status in stated["status"].items()]
    assert ml.status_listing(stated.iloc[:0]) == "none"
