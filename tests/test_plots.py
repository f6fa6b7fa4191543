"""Each figure builder of belarus_fp.viz's figure modules draws its figure from the real tables, and the figure passes
save_figure's legibility checks (no text too small, none overlapping, nothing outside the figure)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from belarus_fp.analysis import emphasis, footprint, mentions, trade
from belarus_fp.analysis import multilateral as ml
from belarus_fp.archive import sources
from belarus_fp.archive.facts import find
from belarus_fp.archive.tables import load_all
from belarus_fp.archive.texts import review_2013
from belarus_fp.viz import corpus as corpus_plots
from belarus_fp.viz import documents as documents_figures
from belarus_fp.viz import emphasis as emphasis_figures
from belarus_fp.viz import footprint as footprint_figures
from belarus_fp.viz import framing as framing_figures
from belarus_fp.viz import multilateral as multilateral_figures
from belarus_fp.viz import trade as trade_figures
from belarus_fp.viz.figures import check_figure, save_figure, use_style

pytestmark = pytest.mark.slow  # renders every figure of the series (about 10 s): left out of `make test-fast`

T = {}  # the tables, loaded by the first test (not at collection: the module is collected by make test-fast too)
CORPUS = {}  # the derived mentions and the statements, likewise


def emphasis_inputs():
    docs = sources.doc_ids(collection="ministry")
    word_share = emphasis.word_shares(docs)
    region_share = pd.DataFrame({d: emphasis.region_shares(mentions.document_mentions(d)) for d in docs})
    return word_share, region_share, {d: d for d in docs}


def shares_inputs():
    facts = T["facts"]
    low, high = trade.rounding_range(
        find(facts, "trade_turnover", "RUS", "usd_bn"), find(facts, "share_of_foreign_trade", "RUS", "percent")
    )
    return trade.shares_table(facts), low, high


def counts_inputs():
    counts = ml.intensity_counts(T["facts"])
    acronyms = set(T["organizations"]["org_id"])
    return (counts.assign(label=[ml.fact_label(f, acronyms) for f in counts["fact_id"]]),)


def treaty_inputs():
    from belarus_fp.analysis import checks

    t = checks.treaty_values(T["facts"])
    return t, t["bilateral_stock"] + t["multilateral_stock"]


def finance_inputs():
    facts = T["facts"]
    periods = facts[(facts["topic"] == "development_finance") & facts["unit"].isin(["period", "date"])]
    return periods, ml.money(facts), T["organizations"]


def visits_inputs():
    from belarus_fp.archive import geodata

    visits = geodata.join_iso3(footprint.visits(T["bilateral"]))
    visits["distance_km_derived"] = geodata.geodesic_km(visits).round(-1)
    return visits, footprint.VISIT_DIRECTIONS


BUILDERS = {
    "visits_map": visits_inputs,
    "framing_terms": lambda: (T["framing"], {d: d for d in sources.doc_ids(collection="ministry")}),
    "claims_by_kind": lambda: (T["facts"], T["bilateral"], T["multilateral"], {d: d for d in sources.doc_ids(collection="ministry")}),
    "trade_concentration": shares_inputs,
    "trade_statements": lambda: (trade.statements(T["facts"], T["groupings"], T["organizations"]), T["facts"], T["groupings"]),
    "trade_roles_by_region": lambda: (trade.regional_roles(T["bilateral"], T["groupings"]),),
    "engagement_landscape": lambda: (T["multilateral"], T["organizations"]),
    "intensity_counts": counts_inputs,
    "treaty_base": treaty_inputs,
    "development_finance": finance_inputs,
    "emphasis_bars": emphasis_inputs,
    "paragraph_lengths": lambda: (sources.paragraph_lengths(collection="ministry"),),
    "relations_map": lambda: (footprint.strongest_kind(T["bilateral"], review_2013.DOC_ID),),
    "embassies_map": lambda: (footprint.embassies(T["bilateral"]), "A note in a box,\non two lines", "ETH"),
    "visa_map": lambda: (footprint.visa_agreements(T["bilateral"]),),
    "arc_map": lambda: (footprint.arc(T["bilateral"]),),
}


def corpus_tables():
    """The derived mentions (every row checked) and the statements, read once for both corpus builders (copies each time)."""
    from belarus_fp.analysis import corpus, mention_table

    if not CORPUS:
        CORPUS.update(mentions=mention_table.load_mentions(), statements=corpus.statements())
    return CORPUS["mentions"].copy(), CORPUS["statements"].copy()


def attention_inputs():
    from belarus_fp.analysis import timelines

    attention = timelines.country_attention(*corpus_tables())
    return attention, timelines.group_shares(attention), "A note on the finder's accuracy."


def footprint_inputs():
    from belarus_fp.analysis import timelines

    return timelines.state_shares(*corpus_tables()), "A note on the finder's accuracy."


#: The builders of belarus_fp.viz.corpus (notebook 08).
CORPUS_BUILDERS = {"attention_over_time": attention_inputs, "footprint_by_era": footprint_inputs}


#: One figure module per analysis topic (viz/<topic>.py); documents: notebook 00 and every document's colour and marker.
FIGURE_MODULES = (documents_figures, trade_figures, footprint_figures, multilateral_figures, emphasis_figures, framing_figures)


def builder(name):
    """The figure builder ``name`` of the figure module that has it."""
    (found,) = [getattr(m, name) for m in FIGURE_MODULES if hasattr(m, name) and getattr(m, name).__module__ == m.__name__]
    return found


@pytest.mark.parametrize("name", sorted(BUILDERS) + sorted(CORPUS_BUILDERS))
def test_the_builder_draws_a_legible_figure(name, tmp_path):
    T.update(T or load_all(collection="ministry"))
    use_style()
    draw, inputs = (getattr(corpus_plots, name), CORPUS_BUILDERS[name]) if name in CORPUS_BUILDERS else (builder(name), BUILDERS[name])
    fig = draw(*inputs())
    try:
        png, svg = save_figure(fig, f"test-{name.replace('_', '-')}", directory=tmp_path, show=False)
        assert png.stat().st_size > 10_000 and svg.is_file()
        assert any("Source" in t.get_text() for t in fig.texts), "the figure has a source line"
    finally:
        plt.close(fig)


def test_every_builder_is_tested():
    builders = {
        name
        for module in FIGURE_MODULES
        for name, obj in vars(module).items()
        if callable(obj) and getattr(obj, "__module__", "") == module.__name__ and not name.startswith("_")
    }
    assert builders - {"document_colours", "document_markers", "document_offsets", "map_class_colours"} == set(BUILDERS)
    corpus_builders = {
        name
        for name, obj in vars(corpus_plots).items()
        if callable(obj) and getattr(obj, "__module__", "") == corpus_plots.__name__ and not name.startswith("_")
    }
    assert corpus_builders == set(CORPUS_BUILDERS)
    assert list(framing_figures.CLAIM_COLOURS) == list(framing_figures.vocabulary.values("claim"))


def test_document_colours_follow_the_manifest():
    assert list(documents_figures.document_colours()) == sources.doc_ids(collection="ministry")


def test_every_tier_has_one_map_class_and_every_class_one_colour():
    from belarus_fp.analysis import footprint

    assert set(footprint.MAP_CLASSES) == set(footprint.TIERS)
    colours = footprint_figures.map_class_colours()
    assert list(colours) == list(dict.fromkeys(footprint.MAP_CLASSES[t] for t in footprint.TIERS))  # closest class first
    assert len(set(colours.values())) == len(colours) == 5


def test_per_document_figures_stay_legible_with_eight_documents(tmp_path, monkeypatch):
    """The builders that draw one panel or bar group per document, on a copy of the data whose two
    documents are each registered four times (8 documents, rows copied), pass save_figure's checks."""
    import shutil

    from belarus_fp import paths
    from belarus_fp.commands import documents

    T.update(T or load_all(collection="ministry"))
    word_share, region_share, _ = emphasis_inputs()
    roles = trade.regional_roles(T["bilateral"], T["groupings"])
    root = tmp_path / "repo"
    shutil.copytree(paths.DATA, root / "data", ignore=shutil.ignore_patterns("proposed"))
    copies, added = {}, []  # new doc_id -> original; (file, fields) to add
    for row in (r for r in sources.manifest(root / "data") if r["collection"] == "ministry"):
        for k in range(1, 4):
            text = tmp_path / f"copy{k}-{row['file']}"
            text.write_bytes((root / "data" / "raw" / row["file"]).read_bytes() + b"\n" * k)
            fields = {c: row.get(c, "") for c in (*documents.OPTIONS, *documents.OPTIONAL)}
            fields.update(doc_id=f"{row['doc_id']}-copy{k}", label=f"{row['label']} (copy {k})", id_prefix=f"{row['id_prefix']}c{k}")
            added.append((text, fields))
            copies[fields["doc_id"]] = row["doc_id"]
    documents.add_many(added, root)  # one transaction (one validation of the archive), as a batch import does
    monkeypatch.setenv(paths.ENV_ROOT, str(root))
    docs = sources.doc_ids(collection="ministry")
    assert len(docs) == 8
    roles = pd.concat([roles, *(roles[roles["doc_id"] == old].assign(doc_id=new) for new, old in copies.items())])
    for share in (word_share, region_share):
        for new, old in copies.items():
            share[new] = share[old]
    use_style()
    labels = sources.labels(collection="ministry")
    for name, args in [
        ("trade-roles-by-region", (roles,)),
        ("emphasis-bars", (word_share[docs], region_share[docs], {d: d for d in docs})),
        ("engagement-landscape", (T["multilateral"], T["organizations"])),  # one marker per document in each cell
        ("framing-terms", (T["framing"], {d: d for d in docs})),
        ("paragraph-lengths", (sources.paragraph_lengths(collection="ministry"),)),  # one panel per document
        ("claims-by-kind", (T["facts"], T["bilateral"], T["multilateral"], {d: d for d in docs})),  # likewise
    ]:
        fig = builder(name.replace("-", "_"))(*args)
        try:
            shown = " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))
            missing = [d for d in docs if not any(n and n in shown for n in (d, labels[d], multilateral_figures.STATED_IN.get(d)))]
            assert not missing, f"{name}: no panel or legend entry for {missing}"
            check_figure(fig, f"test-8-{name}")  # raises IllegibleFigure if not
        finally:
            plt.close(fig)
