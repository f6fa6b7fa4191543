"""Maps in the house style: countries coloured by a category, labels that never overlap, a legend.

The geometry comes from :mod:`belarus_fp.archive.geodata` (Natural Earth countries with fixed codes, small
states as points, ISO3 joins that refuse gaps, projections): a map is ``geodata.join_iso3`` (a frame
with geometry), then :func:`category_map`.

geopandas is imported here and in :mod:`belarus_fp.archive.geodata` only, never by ``belarus_fp/__init__``.
"""

from __future__ import annotations

from collections.abc import Collection

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.patheffects import withStroke
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from shapely.geometry import Point

from ..archive import countries, geodata

#: Context shapes (countries not in the data) and their borders.
BASE_FACE = "#E8E8E8"
BASE_EDGE = "#FFFFFF"
#: Belarus, the country every map is about.
HOME_FACE = "#4D4D4D"

#: Font size (pt) of country labels: 9 pt is 12.5 px at 100 dpi, legible in a figure up to 980 px wide.
LABEL_SIZE = 9
#: Marker size (points², as ``scatter``'s ``s``) of states drawn as points or small polygons.
MARKER_SIZE = 30


def draw_layer(frame: gpd.GeoDataFrame, ax, **style):
    """``frame.plot(ax=ax, **style)``, without the whole-figure render geopandas ends each call with.

    geopandas' ``plot`` finishes with ``canvas.draw_idle()``, which on a non-interactive canvas (the
    notebooks' inline backend, Agg) renders the whole figure at once: a map of ten layers was
    rendered ten times before it was saved. The figure is rendered once, when it is saved or shown.
    """
    canvas = ax.figure.canvas
    shadowed = vars(canvas).get("draw_idle")
    canvas.draw_idle = lambda *args, **kwargs: None  # an instance attribute: this canvas, this call only
    try:
        return frame.plot(ax=ax, **style)
    finally:
        if shadowed is None:
            del canvas.draw_idle
        else:
            canvas.draw_idle = shadowed


def category_map(
    data: gpd.GeoDataFrame,
    column: str,
    colours: dict,
    *,
    title: str,
    ax=None,
    crs=geodata.WORLD_CRS,
    radius_m: float | None = None,
    extent=None,
    legend_title: str | None = None,
    legend_loc: str | None = "below",
    legend_cols: int = 2,
    other_label: str | None = "not in the data",
    labels: str | Collection[str] | None = "points",
    figsize=(9.6, 4.8),
    label_size: float = LABEL_SIZE,
    mark_below_km2: float = geodata.SMALL_POLYGON_KM2,
    home: str | None = "BLR",
    archive=None,
):
    """Draw countries coloured by a category, with legible labels and a legend, in the house style.

    Polygons are filled; states drawn as points (and polygons under ``mark_below_km2``) also
    get a marker of the same colour with a dark edge so they stay visible. Labels are placed by
    :func:`place_labels`: beside their marker (or centred on a large polygon) where there is
    room, else further out with a thin leader line to it; never over another label or marker.
    The legend lists the categories in the order of ``colours`` (only those present), then the
    home country and the grey of the context.

    A user's map of European states, from a dict of ISO3 -> category::

        import pandas as pd
        from belarus_fp.archive import geodata
        from belarus_fp.archive.texts import review_2013
        from belarus_fp.viz import geo
        from belarus_fp.viz.figures import PALETTE, save_figure, source_line, use_style

        use_style()
        status = {"POL": "neighbour", "LTU": "neighbour", "LVA": "neighbour", "DEU": "EU", "LUX": "EU", "MLT": "EU"}
        frame = pd.DataFrame({"iso3": list(status), "status": list(status.values())})
        data = geodata.join_iso3(frame)                    # adds geometry; Malta becomes a point
        fig, ax = geo.category_map(
            data, "status", {"neighbour": PALETTE[0], "EU": PALETTE[1]},
            title="My states", crs=geodata.EUROPE_CRS,     # an equal-area map of Europe
            extent=geodata.extent(data, geodata.EUROPE_CRS, pad=0.15),
            mark_below_km2=5_000,                          # on a regional map, mark only the smallest
            labels="all")
        source_line(fig, [review_2013.DOC_ID])
        save_figure(fig, "my-states")                      # written to the current folder

    Args:
        data: output of :func:`join_iso3`, one row per country, with ``column``.
        column: the category column; its values must be keys of ``colours``.
        colours: category -> colour, in legend order (``belarus_fp.viz.figures.PALETTE`` is
            colour-blind safe).
        title: axes title.
        ax: axes to draw on (its figure layout already final); a new figure if None.
        crs: map projection: :data:`WORLD_CRS` (default), :data:`EUROPE_CRS`, :func:`reach_crs`.
        radius_m: for an azimuthal CRS, clip the map to this distance from its centre.
        extent: (xmin, xmax, ymin, ymax) in ``crs`` units, for regional maps; see :func:`extent`.
        legend_title: title of the legend.
        legend_loc: ``"below"`` (default: under the map, never over the data), a matplotlib
            location inside the axes, or None for no legend.
        legend_cols: columns of the legend below the map.
        other_label: legend label of the grey context countries (None: no entry).
        labels: ``"points"`` (default) names each marked state, ``"all"`` every country of
            ``data``, None none; or a collection of ISO3 codes to name.
        figsize: size of a new figure, in inches, the legend below not counted; at the house
            100 dpi, 9.6 wide is 960 px, shown unscaled in a notebook.
        label_size: font size of the labels (pt).
        mark_below_km2: polygons smaller than this also get a marker (lower it for regional maps).
        home: the country the map is about, drawn in dark grey for orientation (None: not drawn).
        archive: the archive whose map data is drawn (default: the clone's).

    Returns:
        (fig, ax).

    Raises:
        KeyError: a category of ``column`` has no colour.
        ValueError: a country has several rows, or ``labels`` is not one of the forms above.
    """
    labels = _checked_labels(data, column, colours, labels)
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
        fig.subplots_adjust(left=0.01, right=0.99, top=0.93, bottom=0.01)  # the legend hangs below, inside the saved image
    else:
        fig = ax.figure
    base = geodata.basemap(crs, radius_m, archive=archive)
    draw_layer(base, ax, color=BASE_FACE, edgecolor=BASE_EDGE, linewidth=0.4)
    if home:
        draw_layer(base[base["iso3"] == home], ax, color=HOME_FACE, edgecolor=HOME_FACE, linewidth=0.4)
    data = data.to_crs(crs)
    polys = data[data["shape"] == "polygon"]
    if radius_m is not None:
        polys = polys.assign(geometry=polys.geometry.make_valid().intersection(Point(0, 0).buffer(radius_m, 256)))
    for cat, colour in colours.items():
        part = polys[polys[column] == cat]
        if len(part):
            draw_layer(part, ax, color=colour, edgecolor="white", linewidth=0.4)
    is_marked = geodata.small(data, mark_below_km2)
    marked = data[is_marked]
    marked_at = geodata.anchors(marked)
    for cat, colour in colours.items():
        sel = (marked[column] == cat).to_numpy()
        if sel.any():
            ax.scatter(marked_at.x[sel], marked_at.y[sel], s=MARKER_SIZE, color=colour, edgecolor="#333333", linewidth=0.7, zorder=5)
    if extent is not None:
        ax.set_xlim(extent[0], extent[1])
        ax.set_ylim(extent[2], extent[3])
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.set_title(title, loc="left")
    named = _named_rows(data, labels, is_marked)
    at = geodata.anchors(named)
    place_labels(
        ax,
        [(countries.name(code, archive), pt.x, pt.y, not is_marked[i]) for (i, code), pt in zip(named["iso3"].items(), at, strict=True)],
        avoid=list(zip(marked_at.x, marked_at.y, strict=True)),
        size=label_size,
    )
    if legend_loc is not None:
        handles = _legend_handles(data, column, colours, home, other_label, small_states=len(marked) > 0, archive=archive)
        style = {"title": legend_title, "alignment": "left"}
        if legend_loc == "below":
            ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, 0), ncols=min(legend_cols, len(handles)), **style)
        else:
            ax.legend(handles=handles, loc=legend_loc, **style)
    return fig, ax


def _checked_labels(data: gpd.GeoDataFrame, column: str, colours: dict, labels):
    """``labels`` of :func:`category_map` (a collection made a set), after checking its arguments."""
    unknown = sorted(set(data[column]) - set(colours))
    if unknown:
        raise KeyError(f"category_map: no colour for categories {unknown}")
    if data["iso3"].duplicated().any():
        raise ValueError(
            f"category_map: one row per country expected; duplicated {sorted(set(data.loc[data['iso3'].duplicated(), 'iso3']))}"
        )
    if labels is not None and not isinstance(labels, str):
        return set(labels)
    if labels not in (None, "points", "all"):
        raise ValueError(f"labels must be None, 'points', 'all' or a collection of ISO3 codes, not {labels!r}")
    return labels


def _named_rows(data: gpd.GeoDataFrame, labels, is_marked) -> gpd.GeoDataFrame:
    """The rows of ``data`` whose country :func:`category_map` names, by its (checked) ``labels``."""
    if labels is None:
        return data.iloc[:0]
    if labels == "points":
        return data[is_marked]
    if labels == "all":
        return data
    return data[data["iso3"].isin(labels)]


def _legend_handles(
    data, column: str, colours: dict, home: str | None, other_label: str | None, small_states: bool, archive=None
) -> list[Artist]:
    """The legend entries of :func:`category_map`: the categories present, home, the grey context, the small-state marker.

    Home is named by ``archive`` (default: the clone's).
    """
    present = [c for c in colours if (data[column] == c).any()]
    handles: list[Artist] = [Patch(facecolor=colours[c], edgecolor="none", label=c) for c in present]
    if home:
        handles.append(Patch(facecolor=HOME_FACE, edgecolor="none", label=countries.name(home, archive)))
    if other_label:
        handles.append(Patch(facecolor=BASE_FACE, edgecolor="#999999", linewidth=0.4, label=other_label))
    if small_states:
        handles.append(
            Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="#333333", label="small state (marker)")
        )
    return handles


#: Offsets tried for a label, in points from its point: distance, then direction (right, left, diagonals, up, down).
_DISTANCES_PT = (5, 12, 20, 30, 42, 56, 72, 90)
_ANGLES_DEG = (0, 180, 35, -35, 145, -145, 90, -90, 60, -60, 120, -120)
#: Half the side (px) of the square around a marker that no label may cover.
_MARKER_HALF_PX = 5


def place_labels(ax, labels, avoid=(), size: float = LABEL_SIZE, leader_colour: str = "#555555") -> list:
    """Name points on a map so no label covers another label or a marker; far labels get a leader line.

    Each label, in the order given, takes the first free place (covering no label placed before
    it, no marker of ``avoid`` and no other label's point) among offsets of growing distance
    around its point: beside it (right first, then left, the diagonals, above, below),
    or, for a large polygon, centred on it first. A label not directly beside its point gets a
    thin leader line to it. Where no place is free within :data:`_DISTANCES_PT`, the least
    crowded one is used (``save_figure`` then refuses the figure if labels overlap). Set the
    axes' extent and the figure's layout first: places are measured on screen.

    Args:
        ax: the map's axes.
        labels: (text, x, y) or (text, x, y, centred) in data coordinates; ``centred`` (a large
            polygon) tries the point itself first.
        avoid: what no label may cover: (x, y) data points (markers, a capital's star), or
            artists already drawn (texts such as ring labels).
        size: font size (pt).
        leader_colour: colour of the leader lines.

    Returns:
        The annotations, in the order of ``labels``.
    """
    fig = ax.figure
    ax.apply_aspect()
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    half = _MARKER_HALF_PX * fig.dpi / 100

    def square(x, y) -> Bbox:
        x0, y0 = ax.transData.transform((x, y)) - half
        return Bbox.from_bounds(x0, y0, 2 * half, 2 * half)

    taken = [a.get_window_extent(renderer) if hasattr(a, "get_window_extent") else square(*a) for a in avoid]
    # Every labelled point is an obstacle to the other labels (a label may sit on its own point).
    own = [square(label[1], label[2]) for label in labels]
    placed = []
    for k, label in enumerate(labels):
        text, x, y = label[:3]
        centred = bool(label[3]) if len(label) > 3 else False
        style = {
            "textcoords": "offset points",
            "fontsize": size,
            "zorder": 6,
            "path_effects": [withStroke(linewidth=2.5, foreground="white")],
        }
        ann = ax.annotate(text, (x, y), xytext=(0, 0), **style)
        candidates = [(0, 0, 0)] if centred else []
        candidates += [(d, np.cos(np.radians(a)) * d, np.sin(np.radians(a)) * d) for d in _DISTANCES_PT for a in _ANGLES_DEG]
        best = None
        for distance, dx, dy in candidates:
            ha = "left" if dx > 0.25 * distance else "right" if dx < -0.25 * distance else "center"
            va = "bottom" if dy > 0.25 * distance else "top" if dy < -0.25 * distance else "center"
            ann.xyann = (dx, dy)
            ann.set_horizontalalignment(ha)
            ann.set_verticalalignment(va)
            ann.update_positions(renderer)
            box = Text.get_window_extent(ann, renderer).padded(1.5)
            score = (
                sum(_overlap_area(box, other) for other in taken)
                + box.width * box.height
                - _overlap_area(box, frame)
                + sum(_overlap_area(box, other) for j, other in enumerate(own) if j != k)
            )
            if best is None or score < best[0]:
                best = (score, distance, (dx, dy), ha, va, box)
            if score == 0:
                break
        assert best is not None  # there is always a candidate
        _, distance, offset, ha, va, box = best
        ann.remove()
        leader = {"arrowprops": {"arrowstyle": "-", "color": leader_colour, "linewidth": 0.7, "shrinkA": 1, "shrinkB": 3}}
        ann = ax.annotate(text, (x, y), xytext=offset, ha=ha, va=va, **style, **(leader if distance > _DISTANCES_PT[0] else {}))
        taken.append(box)
        placed.append(ann)
    return placed


def _overlap_area(a, b) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0
