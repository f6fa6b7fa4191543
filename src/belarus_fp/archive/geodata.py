"""World geometry for maps: Natural Earth countries with fixed codes, small states as points, projections.

Reading and checking the map data only; drawing is :mod:`belarus_fp.viz.geo`.

Reference data (``data/external/``, documented in its README files):

- ``naturalearth_lowres/``: Natural Earth 1:110m admin-0 countries (public domain), copied from
  the pyogrio 0.13.0 wheel's test fixture. Its ``iso_a3`` is ``-99`` for five features;
  :data:`NE_CODE_FIXES` decides each one (France ``FRA``, Norway ``NOR``, Kosovo ``XKX``;
  N. Cyprus and Somaliland are dissolved into the UN members ``CYP`` and ``SOM``).
  Crimea, which the layer draws in Russia's feature, is drawn with Ukraine (:data:`CRIMEA_POINT`).
- ``capital_points.csv``: approximate capital locations for the states and territories the
  1:110m layer has no polygon for (Singapore, Bahrain, Malta, the small island states,
  Abkhazia ``XAB``) and Minsk, the origin of the reach-from-Minsk maps.

Joins are on ISO3 only (Natural Earth abbreviates names). A code with neither polygon nor point
is an error that names the code, never a silent gap.

Projections: :data:`WORLD_CRS` (Equal Earth, equal-area, for "where" maps), :func:`reach_crs`
(azimuthal equidistant centred on Minsk: true distance and direction from Minsk, so a line from
Minsk to any country is a straight radial geodesic), :data:`EUROPE_CRS` (ETRS89 LAEA, equal-area,
for the Europe and CIS panel).

geopandas is imported here and in :mod:`belarus_fp.viz.geo` only, never by ``belarus_fp/__init__``.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
from shapely.geometry import MultiPolygon, Point

from . import countries
from .folders import Archive
from .reading import content_hash

NATURAL_EARTH = Path("naturalearth_lowres") / "naturalearth_lowres.shp"
POINTS = Path("capital_points.csv")

#: Natural Earth features whose ``iso_a3`` is ``-99``: NE name -> the code this project gives them.
NE_CODE_FIXES = {
    "France": "FRA",
    "Norway": "NOR",
    "Kosovo": "XKX",  # the project's user-assigned code (countries.EXTRA_CODES)
    "N. Cyprus": "CYP",  # dissolved into the UN member whose territory it lies in
    "Somaliland": "SOM",  # dissolved into the UN member whose territory it lies in
}

#: A point in Crimea. The 1:110m layer draws Crimea as a polygon of Russia's feature (Natural Earth's de facto
#: line since 2014); the maps show the documents' relations of 2013, when Crimea was part of Ukraine (UN General
#: Assembly resolution 68/262 of 2014 affirms Ukraine's territorial integrity), so :func:`world` draws it with Ukraine.
CRIMEA_POINT = (34.1, 45.0)

#: Equal Earth (EPSG:8857): equal-area world projection for "where" maps.
WORLD_CRS = "EPSG:8857"
#: ETRS89 / LAEA Europe (EPSG:3035): equal-area, for the Europe and CIS panel.
EUROPE_CRS = "EPSG:3035"
#: Left off every map: not a country, and it swallows a third of an Equal Earth map.
LEFT_OFF = ("ATA",)

#: On world maps, polygons smaller than this (km², equal-area) also get a marker so they stay visible.
SMALL_POLYGON_KM2 = 100_000


class UnmatchedCodes(KeyError):
    """Codes that have no geometry (neither polygon nor point), or are not known codes at all.

    A historical state (``countries.is_historical`` of the ``archive`` given, default the clone's: SUN, YUG, DDR ...)
    has no geometry today: the message says so; with ``on_missing="warn"`` a map leaves it out.
    """

    def __init__(self, codes, where: str = "", archive: Archive | None = None):
        self.codes = sorted(codes)
        names = ", ".join(f"{c} (a historical state: no geometry today)" if countries.is_historical(c, archive) else c for c in self.codes)
        super().__init__(f"no polygon or point for ISO3 code(s) {names}{where}")

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


def _contents(archive: Archive, files) -> str:
    """The cache key of a map builder: its own files and the archive's historical states.

    The historical states say which codes are known, and their names; so a copy with an edited file is never served
    another archive's result.
    """
    return content_hash([*files, archive.reference / "historical_states.csv"])


@lru_cache(maxsize=4)
def _world(archive: Archive, contents: str) -> gpd.GeoDataFrame:
    external = archive.external
    raw = gpd.read_file(external / NATURAL_EARTH)
    raw = raw.rename(columns={"name": "ne_name", "iso_a3": "iso3"})
    fix = raw["iso3"] == "-99"
    unexpected = sorted(set(raw.loc[fix, "ne_name"]) - set(NE_CODE_FIXES))
    if unexpected:
        raise ValueError(f"{external / NATURAL_EARTH}: iso_a3 '-99' with no decision in NE_CODE_FIXES: {unexpected}")
    raw.loc[fix, "iso3"] = raw.loc[fix, "ne_name"].map(NE_CODE_FIXES)
    # Dissolve so each code is one row (N. Cyprus into CYP, Somaliland into SOM); keep the main feature's attributes.
    raw["_main"] = ~fix | raw["iso3"].isin(["FRA", "NOR", "XKX"])
    parts = raw.groupby("iso3", sort=True)
    geometry = parts["geometry"].agg(lambda s: s.union_all())
    main = raw[raw["_main"]].set_index("iso3")[["ne_name", "continent"]]
    world = gpd.GeoDataFrame(main.join(geometry, how="right"), geometry="geometry", crs=raw.crs)
    world.index.name = "iso3"
    world = world.reset_index()
    if world["iso3"].duplicated().any() or (world["iso3"] == "-99").any():
        raise ValueError(f"{external / NATURAL_EARTH}: codes still duplicated or '-99' after the fixes")
    world = _crimea_with_ukraine(world, external)
    known = countries.known_iso3(archive)
    world["name"] = [countries.name(c, archive) if c in known else n for c, n in zip(world["iso3"], world["ne_name"], strict=True)]
    world["shape"] = "polygon"
    return world[["iso3", "name", "ne_name", "continent", "shape", "geometry"]]


def _crimea_with_ukraine(world: gpd.GeoDataFrame, external: Path) -> gpd.GeoDataFrame:
    """Move the polygon holding :data:`CRIMEA_POINT` from RUS to UKR (a layer that has it in UKR is left as it is)."""
    point = Point(*CRIMEA_POINT)
    rus, ukr = (world.index[world["iso3"] == code][0] for code in ("RUS", "UKR"))
    if world.at[ukr, "geometry"].contains(point):
        return world
    parts = list(getattr(world.at[rus, "geometry"], "geoms", [world.at[rus, "geometry"]]))
    crimea = [part for part in parts if part.contains(point)]
    if len(crimea) != 1:
        raise ValueError(f"{external / NATURAL_EARTH}: expected Crimea as one polygon of RUS or inside UKR, found {len(crimea)} in RUS")
    world.at[rus, "geometry"] = MultiPolygon([part for part in parts if part is not crimea[0]])
    world.at[ukr, "geometry"] = world.at[ukr, "geometry"].union(crimea[0])
    return world


def world(archive: Archive | None = None) -> gpd.GeoDataFrame:
    """The world's countries as polygons, one row per ISO3, with the ``-99`` codes fixed.

    Args:
        archive: the archive whose ``external/naturalearth_lowres/`` is read (default: the clone's).

    Returns:
        GeoDataFrame (EPSG:4326) with ``iso3``, ``name`` (from ``belarus_fp.archive.countries``),
        ``ne_name`` (Natural Earth's abbreviated name), ``continent``, ``shape`` ("polygon"),
        ``geometry``; sorted by ``iso3``.
    """
    archive = Archive.of(archive)
    shapefile = archive.external / NATURAL_EARTH
    return _world(archive, _contents(archive, sorted(shapefile.parent.glob(f"{shapefile.stem}.*")))).copy()


@lru_cache(maxsize=4)
def _points(archive: Archive, contents: str) -> gpd.GeoDataFrame:
    path = archive.external / POINTS
    table = pd.read_csv(path, keep_default_na=False, dtype={"iso3": str, "place": str, "role": str, "note": str})
    problems = []
    known = countries.known_iso3(archive)
    for line, row in zip(range(2, len(table) + 2), table.itertuples(), strict=True):
        if row.iso3 not in known:
            problems.append(f"{path}, line {line}, column 'iso3': unknown code {row.iso3!r}")
        if not (-180 <= row.lon <= 180 and -90 <= row.lat <= 90):
            problems.append(f"{path}, line {line}: lon/lat out of range ({row.lon}, {row.lat})")
        if row.role not in ("stand_in", "origin"):
            problems.append(f"{path}, line {line}, column 'role': {row.role!r} is not stand_in or origin")
    if table["iso3"].duplicated().any():
        problems.append(f"{path}: duplicated iso3 {sorted(table.loc[table['iso3'].duplicated(), 'iso3'])}")
    if problems:
        raise ValueError("\n".join(problems))
    frame = gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(table["lon"], table["lat"]), crs="EPSG:4326")
    frame["name"] = [countries.name(code, archive) for code in frame["iso3"]]
    frame["shape"] = "point"
    return frame.sort_values("iso3", ignore_index=True)


def points(archive: Archive | None = None) -> gpd.GeoDataFrame:
    """The capital points of ``capital_points.csv`` (stand-ins for missing polygons, and Minsk).

    Returns:
        GeoDataFrame (EPSG:4326) with ``iso3``, ``place``, ``lon``, ``lat``, ``role``, ``note``,
        ``name``, ``shape`` ("point"), ``geometry``.
    """
    archive = Archive.of(archive)
    return _points(archive, _contents(archive, [archive.external / POINTS])).copy()


def drawable(archive: Archive | None = None) -> gpd.GeoDataFrame:
    """Every code that can be drawn: the polygons of :func:`world`, plus a point for each code without one.

    A point is used only where no polygon exists (Belarus is its polygon, not Minsk).

    Returns:
        GeoDataFrame (EPSG:4326), one row per ISO3, columns ``iso3``, ``name``, ``shape``
        ("polygon" or "point"), ``geometry``; sorted by ``iso3``.
    """
    polys = world(archive)
    pts = points(archive)
    pts = pts[(pts["role"] == "stand_in") & ~pts["iso3"].isin(polys["iso3"])]
    cols = ["iso3", "name", "shape", "geometry"]
    both = pd.concat([polys[cols], pts[cols]], ignore_index=True).sort_values("iso3", ignore_index=True)
    return gpd.GeoDataFrame(both, geometry="geometry", crs="EPSG:4326")


def missing(codes, archive: Archive | None = None) -> list[str]:
    """The codes among ``codes`` that have neither polygon nor point, sorted."""
    return sorted(set(codes) - set(drawable(archive)["iso3"]))


def join_iso3(frame: pd.DataFrame, iso3_col: str = "iso3", on_missing: str = "raise", archive: Archive | None = None) -> gpd.GeoDataFrame:
    """Attach geometry (polygon, or point for small states and territories) to any ISO3-keyed frame.

    Args:
        frame: a DataFrame with a column of ISO3 codes (several rows per code are fine).
        iso3_col: the name of that column.
        on_missing: ``"raise"`` (default) raises :class:`UnmatchedCodes` naming every code that
            has no geometry; ``"warn"`` warns with the same message and drops those rows.
        archive: the archive whose map data is read (default: the clone's).

    Returns:
        GeoDataFrame (EPSG:4326): ``frame``'s rows and columns, in their order and with their
        index, plus ``shape`` ("polygon" / "point") and ``geometry``.

    Raises:
        UnmatchedCodes: a code of ``frame`` has no polygon or point (``on_missing="raise"``).
    """
    if iso3_col not in frame.columns:
        raise KeyError(f"join_iso3: no column {iso3_col!r} in the frame (columns: {list(frame.columns)})")
    shapes = drawable(archive).set_index("iso3")[["shape", "geometry"]]
    codes = frame[iso3_col]
    unmatched = sorted(set(codes[~codes.isin(shapes.index)].astype(str)))
    if unmatched:
        error = UnmatchedCodes(unmatched, f" in column {iso3_col!r}", archive=archive)
        if on_missing == "raise":
            raise error
        if on_missing != "warn":
            raise ValueError(f"on_missing must be 'raise' or 'warn', not {on_missing!r}")
        warnings.warn(str(error), stacklevel=2)
        frame = frame[codes.isin(shapes.index)]
    extra = shapes.reindex(frame[iso3_col].to_numpy())
    out = frame.copy()
    out["shape"] = extra["shape"].to_numpy()
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(extra["geometry"].to_numpy(), index=frame.index, crs="EPSG:4326"))


def minsk(archive: Archive | None = None) -> Point:
    """Minsk (lon/lat), from ``capital_points.csv``."""
    pts = points(archive)
    return pts.loc[pts["iso3"] == "BLR", "geometry"].iloc[0]


def reach_crs(centre: Point | None = None, archive: Archive | None = None) -> pyproj.CRS:
    """Azimuthal equidistant projection centred on ``centre`` (default Minsk, of ``archive``'s ``capital_points.csv``).

    True distances from the centre, in metres.
    """
    centre = centre or minsk(archive)
    return pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={centre.y:.4f} +lon_0={centre.x:.4f} +datum=WGS84 +units=m +no_defs")


def _main_part(geom):
    if isinstance(geom, MultiPolygon):
        return max(geom.geoms, key=lambda g: g.area)
    return geom


def extent(frame: gpd.GeoDataFrame, crs, pad: float = 0.05) -> tuple[float, float, float, float]:
    """Map extent (xmin, xmax, ymin, ymax) in ``crs`` around the main landmass of each row, padded by a fraction.

    The main landmass keeps French Guiana and Svalbard from stretching a map of Europe.
    """
    main = gpd.GeoSeries([_main_part(g) for g in frame.geometry], crs=frame.crs).to_crs(crs)
    x0, y0, x1, y1 = main.total_bounds
    dx, dy = pad * (x1 - x0), pad * (y1 - y0)
    return x0 - dx, x1 + dx, y0 - dy, y1 + dy


def anchors(frame: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """One point per row: the point itself, or a representative point of a polygon's largest part.

    The largest part keeps France's anchor in Europe (not French Guiana) and Russia's on the mainland.
    """

    def anchor(geom):
        geom = _main_part(geom)
        return geom if geom.geom_type == "Point" else geom.representative_point()

    return gpd.GeoSeries([anchor(g) for g in frame.geometry], index=frame.index, crs=frame.crs)


def geodesic_km(frame: gpd.GeoDataFrame, origin: Point | None = None, archive: Archive | None = None) -> pd.Series:
    """Great-circle (WGS 84 geodesic) distance in km from ``origin`` to each row's anchor.

    ``origin`` defaults to Minsk, of ``archive``'s ``capital_points.csv`` (default: the clone's).
    """
    origin = origin or minsk(archive)
    pts = anchors(frame.to_crs("EPSG:4326"))
    geod = pyproj.Geod(ellps="WGS84")
    _, _, dist = geod.inv(np.full(len(pts), origin.x), np.full(len(pts), origin.y), pts.x.to_numpy(), pts.y.to_numpy())
    return pd.Series(dist / 1000, index=frame.index, name="distance_km")


def basemap(crs=WORLD_CRS, radius_m: float | None = None, archive: Archive | None = None) -> gpd.GeoDataFrame:
    """The polygons of :func:`world` in ``crs`` without Antarctica; for an azimuthal CRS, clipped to ``radius_m`` of its centre."""
    base = world(archive)
    base = base[~base["iso3"].isin(LEFT_OFF)].to_crs(crs)
    if radius_m is not None:
        disc = Point(0, 0).buffer(radius_m, 256)
        base["geometry"] = base.geometry.make_valid().intersection(disc)
        base = base[~base.geometry.is_empty]
    return base


def small(frame: gpd.GeoDataFrame, below_km2: float = SMALL_POLYGON_KM2) -> pd.Series:
    """True for rows drawn as points or as polygons smaller than ``below_km2`` (area in an equal-area CRS)."""
    area_km2 = frame.to_crs(WORLD_CRS).geometry.area / 1e6
    return (frame["shape"] == "point") | (area_km2 < below_km2)
