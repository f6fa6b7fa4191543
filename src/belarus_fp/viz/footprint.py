"""Notebook 02's figures: the maps of relations, embassies, visa agreements, visits and the partner arc, with their colours.

Each builder draws one figure from the tables and returns it; the notebook saves it with ``save_figure``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from ..analysis import footprint
from ..archive import countries, geodata
from ..archive.texts import priorities, review_2013
from .figures import PALETTE, source_line

#: Colour of each direction of a high-level visit (:data:`belarus_fp.analysis.footprint.VISIT_DIRECTIONS`).
VISIT_COLOURS = {"high_level_visit_out": PALETTE[0], "high_level_visit_in": PALETTE[3]}


#: Colours of ``footprint.MAP_CLASSES`` in class order: clearly separated lightness steps of
#: YlGnBu (sequential, colour-blind safe), dark = closest.
MAP_CLASS_COLOURS = ("#253494", "#2C7FB8", "#41B6C4", "#A1DAB4", "#F7F4A8")


#: Colours of the arc-map categories (:data:`belarus_fp.archive.texts.priorities.ARC_CATEGORIES`, notebook 02):
#: lighter tones for "no activity reported".
ARC_COLOURS = dict(zip(priorities.ARC_CATEGORIES.values(), (PALETTE[0], "#9CC8E8", PALETTE[3], "#F2B38C", "#9E9E9E"), strict=True))


#: Colour of each kind of visa agreement (:data:`belarus_fp.analysis.footprint.VISA_KINDS`) on the visa map.
VISA_COLOURS = dict(zip(footprint.VISA_KINDS, (PALETTE[2], PALETTE[1], PALETTE[0]), strict=True))


def map_class_colours() -> dict:
    """Map class -> colour, in the classes' order (closest first)."""
    return dict(zip(dict.fromkeys(footprint.MAP_CLASSES.values()), MAP_CLASS_COLOURS, strict=True))


def visits_map(visits, directions: dict, archive=None):
    """Notebook 02: the review's high-level visits from and to Minsk, the whole reach and the neighbourhood.

    Args:
        visits: one row per (iso3, relation) with geometry (:func:`belarus_fp.archive.geodata.join_iso3`) and
            ``distance_km_derived``.
        directions: relation (``high_level_visit_out`` / ``_in``) -> its label in the legend.
        archive: the archive whose map data and manifest are used (default: the clone's).
    """
    from . import geo

    def visit_panel(ax, radius_km, title, min_label_km=0):
        crs, labelled, names, rings = geodata.reach_crs(archive=archive), set(), [], []
        geo.draw_layer(
            geodata.basemap(crs, radius_m=radius_km * 1000, archive=archive),
            ax,
            color=geo.BASE_FACE,
            edgecolor=geo.BASE_EDGE,
            linewidth=0.4,
        )
        for ring in plt.MaxNLocator(4).tick_values(0, radius_km)[1:]:
            if ring <= radius_km:
                ax.add_patch(plt.Circle((0, 0), ring * 1000, fill=False, color="#999999", linewidth=0.6, linestyle=":"))
                rings.append(ax.annotate(f"{ring:,.0f} km", (0, -ring * 1000), fontsize=9, color="#666666", ha="center", va="bottom"))
        ends = geodata.anchors(visits).to_crs(crs)
        for (_, row), end in zip(visits.iterrows(), ends, strict=True):
            if row["distance_km_derived"] > radius_km:
                continue
            out = row["relation"] == "high_level_visit_out"
            start, stop = ((0, 0), (end.x, end.y)) if out else ((end.x, end.y), (0, 0))
            ax.annotate(
                "",
                stop,
                xytext=start,
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": VISIT_COLOURS[row["relation"]],
                    "linewidth": 1.3,
                    "shrinkA": 2,
                    "shrinkB": 2,
                    "connectionstyle": "arc3,rad=0.12",
                },
            )
            if row["distance_km_derived"] > min_label_km and row["iso3"] not in labelled:
                labelled.add(row["iso3"])
                names.append((countries.name(row["iso3"], archive), end.x, end.y))
        ax.plot(0, 0, marker="*", color="black", markersize=10, zorder=5)
        r = radius_km * 1000
        ax.set_ylim(-r, r)  # x follows from the equal aspect: the panel keeps its full width for labels
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_axis_off()
        ax.set_title(title, loc="left")
        minsk = ax.annotate(
            "Minsk", (0, 0), xytext=(-6, 6), textcoords="offset points", ha="right", va="bottom", fontsize=10, fontweight="bold"
        )
        geo.place_labels(ax, names, avoid=[(0, 0), minsk, *rings])  # beside each end, or further out with a leader line

    far_km = 1.1 * visits["distance_km_derived"].max()
    near_km = (
        1.15
        * visits.loc[
            visits["iso3"].map(lambda code: countries.vector(code, archive)).isin(countries.EUROPE_AND_CIS), "distance_km_derived"
        ].max()
    )
    fig, (ax_far, ax_near) = plt.subplots(2, 1, figsize=(9.6, 15.5))
    fig.subplots_adjust(left=0.01, right=0.99, top=0.94, bottom=0.06, hspace=0.08)
    visit_panel(ax_far, far_km, "Whole reach (azimuthal equidistant from Minsk)", min_label_km=near_km)
    visit_panel(ax_near, near_km, "Neighbourhood: the CIS and Europe")
    handles = [plt.Line2D([], [], color=VISIT_COLOURS[relation], lw=1.5, label=directions[relation]) for relation in VISIT_COLOURS]
    fig.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.01, 0.01),
        ncols=2,
        title=f"High-level visit in {review_2013.YEAR}",
        alignment="left",
    )
    fig.suptitle(f"High-level visits in {review_2013.YEAR}, from and to Minsk", fontweight="bold", x=0.01, ha="left")
    source_line(
        fig,
        [review_2013.DOC_ID],
        extra="Visits of heads of state or government, ministers and high-level delegations. Map: Natural Earth 1:110m.",
        archive=archive,
    )
    return fig


def relations_map(kinds: pd.DataFrame, archive=None):
    """Notebook 02: each country's strongest kind of relation, on the world and on Europe and the CIS.

    The kind is :func:`belarus_fp.analysis.footprint.strongest_kind`, in :data:`belarus_fp.analysis.footprint.MAP_CLASSES`;
    Europe and the CIS are drawn in an equal-area panel.
    """
    from . import geo

    colours = map_class_colours()
    located = geodata.join_iso3(kinds.assign(map_class=kinds["tier"].map(footprint.MAP_CLASSES)), archive=archive)
    in_region = located["iso3"].map(lambda code: countries.vector(code, archive)).isin(countries.EUROPE_AND_CIS)
    region = located[in_region]
    fig, (ax_w, ax_e) = plt.subplots(2, 1, figsize=(9.6, 12.4), height_ratios=[1, 1.25])
    fig.subplots_adjust(left=0.01, right=0.99, top=0.95, bottom=0.02, hspace=0.3)
    geo.category_map(
        located,
        "map_class",
        colours,
        ax=ax_w,
        title="World (Equal Earth); Europe and the CIS below",
        labels=located.loc[geodata.small(located) & ~in_region, "iso3"],
        legend_title="Strongest kind of relation",
        other_label="no relation done or stated in the review",
        archive=archive,
    )
    geo.category_map(
        located,
        "map_class",
        colours,
        ax=ax_e,
        crs=geodata.EUROPE_CRS,
        title="Europe and the CIS (LAEA Europe)",
        extent=geodata.extent(region, geodata.EUROPE_CRS),
        labels=list(region["iso3"]),
        mark_below_km2=geodata.SMALL_POLYGON_KM2 / 10,
        legend_loc=None,
        archive=archive,
    )
    fig.suptitle(f"Belarus's bilateral relations in {review_2013.YEAR}, by their strongest kind", fontweight="bold", x=0.01, ha="left")
    source_line(
        fig,
        [review_2013.DOC_ID],
        extra="Classes group the tiers of belarus_fp.analysis.footprint.TIERS. Map: Natural Earth 1:110m (public domain).",
        archive=archive,
    )
    return fig


def embassies_map(embassies: pd.DataFrame, note: str, note_at: str, archive=None):
    """Notebook 02: embassies opened, planned or considered (:func:`belarus_fp.analysis.footprint.embassies`).

    ``note`` is drawn in a box pointing at the country ``note_at`` (ISO3).
    """
    from . import geo

    located = geodata.join_iso3(embassies, archive=archive)
    fig, ax = geo.category_map(
        located,
        "status",
        dict(zip(review_2013.EMBASSY_STATUS.values(), PALETTE, strict=False)),  # the first colours of the palette
        title=f"Belarus's embassies: opened in {review_2013.YEAR}, planned for {review_2013.PLANS_FOR}, under consideration",
        labels="all",
        legend_title=f"Status ({review_2013.NAME})",
        other_label="no change reported",
        archive=archive,
    )
    at = geodata.anchors(located[located["iso3"] == note_at]).to_crs(geodata.WORLD_CRS).iloc[0]
    ax.annotate(
        note,
        (at.x, at.y),
        xytext=(0.995, 0.0),
        textcoords="axes fraction",
        fontsize=9,
        ha="right",
        va="bottom",
        bbox={"facecolor": "white", "edgecolor": PALETTE[0], "boxstyle": "round,pad=0.4"},
        arrowprops={"arrowstyle": "-", "color": PALETTE[0], "linewidth": 0.8, "shrinkB": 4},
        zorder=7,
    )
    source_line(fig, [review_2013.DOC_ID], extra="Map: Natural Earth 1:110m (public domain), Equal Earth projection.", archive=archive)
    return fig


def visa_map(visas: pd.DataFrame, archive=None):
    """Notebook 02: the visa agreements of :func:`belarus_fp.analysis.footprint.visa_agreements`, by kind and stage.

    Raises:
        ValueError: two stages of one kind (the map gives each kind one colour).
    """
    from . import geo

    kinds = visas.drop_duplicates("label").set_index("label")["relation"].sort_index()
    if kinds.duplicated().any():
        raise ValueError(f"two stages of one kind of visa agreement, one colour each would be needed: {list(kinds.index)}")
    fig, _ = geo.category_map(
        geodata.join_iso3(visas, archive=archive),
        "label",
        {label: VISA_COLOURS[kind] for label, kind in kinds.items()},
        title=f"Visa agreements reported in the {review_2013.NAME}",
        labels="all",
        legend_title="Agreement and stage",
        other_label="none reported",
        archive=archive,
    )
    source_line(
        fig,
        [review_2013.DOC_ID],
        extra="Stage: the curated column bilateral.stage. Map: Natural Earth 1:110m, Equal Earth projection.",
        archive=archive,
    )
    return fig


def arc_map(arc: pd.DataFrame, archive=None):
    """Notebook 02: the priorities page's two partner lists against the review's activity (:func:`belarus_fp.analysis.footprint.arc`)."""
    from . import geo

    located = geodata.join_iso3(arc, archive=archive)
    fig, _ = geo.category_map(
        located,
        "category",
        ARC_COLOURS,
        legend_title=f"Priorities page ({priorities.DATED}) vs {review_2013.NAME}",
        labels=located.loc[geodata.small(located) & (located["arc"] != ""), "iso3"],
        title=f"The priorities page's partner lists (its \"foreign policy arc\" passage) against the {review_2013.NAME}'s activity",
        other_label="neither",
        archive=archive,
    )
    source_line(
        fig,
        [priorities.DOC_ID, review_2013.DOC_ID],
        extra="Active = a relation of tiers integration to cooperation (belarus_fp.analysis.footprint). Map: Natural Earth 1:110m, Equal Earth.",
        archive=archive,
    )
    return fig
