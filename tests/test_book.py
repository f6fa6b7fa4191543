"""The book (``make book``): every page there, every figure on its notebook's page, every internal link
and image resolving inside the site (fragments included), the data dictionary complete, nothing loaded
from the web."""

import base64
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest

from belarus_fp import paths
from belarus_fp.commands import book, build

pytestmark = pytest.mark.slow  # renders every notebook to HTML (about 10 s)


class _Page(HTMLParser):
    def __init__(self, text):
        super().__init__()
        self.links, self.images, self.ids, self.scripts = [], [], set(), []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "img" and attrs.get("src"):
            self.images.append(attrs["src"])
        if tag in ("script", "link") and (attrs.get("src") or attrs.get("href")):
            self.scripts.append(attrs.get("src") or attrs.get("href"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("book") / "site"
    book.build_book(out, log=lambda message: None)
    return out


@pytest.fixture(scope="module")
def pages(site):
    return {p.name: _Page(p.read_text(encoding="utf-8")) for p in site.glob("*.html")}


def test_the_landing_page_each_notebook_and_the_data_dictionary_are_pages(pages):
    expected = {"index.html", book.DICTIONARY} | {f"{nb.stem}.html" for nb in build.notebooks()}
    assert expected <= set(pages), f"missing pages: {expected - set(pages)}"
    nav = [link for link in pages["index.html"].links if link in expected]
    assert set(nav) == expected, "every page is in the navigation bar"


def test_every_figure_of_a_notebook_is_on_its_page(site, pages):
    for nb_path in build.notebooks():
        nb = nbformat.read(nb_path, as_version=4)
        shown = [o["data"]["image/png"] for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
        on_page = [src.split(",", 1)[1] for src in pages[f"{nb_path.stem}.html"].images if src.startswith("data:image/png;base64,")]
        assert [base64.b64decode(s) for s in on_page] == [base64.b64decode(s) for s in shown], nb_path.name
    figures = {p.name for p in paths.FIGURES.glob("*.png")}
    linked = {Path(link).name for link in pages["index.html"].links if link.startswith("figures/")}
    assert figures <= linked, "the landing page (README) links every figure"


def test_every_internal_link_and_image_resolves_in_the_site(site, pages):
    broken = []
    for name, page in pages.items():
        for link in page.links + page.images:
            if re.match(r"^[a-z][a-z0-9+.-]*:", link):  # http(s), mailto, data: none is fetched by the check
                continue
            where, _, fragment = link.partition("#")
            target = site / unquote(where) if where else site / name
            if not target.is_file():
                broken.append(f"{name}: {link} (no such file)")
            # a browser matches the fragment as written, then percent-decoded (nbconvert's ids are percent-encoded)
            elif fragment and target.suffix == ".html" and not {fragment, unquote(fragment)} & pages[target.name].ids:
                broken.append(f"{name}: {link} (no element with id {fragment!r})")
    assert not broken, "\n".join(broken)


def test_nothing_is_loaded_from_the_web(pages):
    for name, page in pages.items():
        assert not [s for s in page.scripts if "://" in s], f"{name} loads {page.scripts}"


def test_the_data_dictionary_lists_every_table_and_field(site):
    text = (site / book.DICTIONARY).read_text(encoding="utf-8")
    package = json.loads((paths.CURATED / "datapackage.json").read_text(encoding="utf-8"))
    assert f"Data version <strong>{package['version']}</strong>" in text
    for resource in package["resources"]:
        assert f'id="table-{resource["name"]}"' in text
        for field in resource["schema"]["fields"]:
            assert f"<td><code>{field['name']}</code></td>" in text, (resource["name"], field["name"])
            for value in field.get("constraints", {}).get("enum", []):
                assert f"<code>{value}</code>" in text


def test_a_link_to_a_missing_file_is_refused_naming_page_and_link(tmp_path, monkeypatch):
    site = book._Site(tmp_path)
    with pytest.raises(book.BookError, match=r"README.md: link 'no/such.csv': no/such.csv does not exist"):
        site.rewrite("see [this](no/such.csv)", "README.md")


def test_github_anchors_are_kept():
    assert book.github_slug("Data availability and provenance") == "data-availability-and-provenance"
    assert book.github_slug("1 · Relations in 2013, by their strongest kind") == "1--relations-in-2013-by-their-strongest-kind"


def test_a_generated_page_is_the_same_on_every_build(tmp_path):
    """The pages made from markdown (the landing page, the data dictionary) carry no random cell id."""
    package = json.loads((paths.CURATED / "datapackage.json").read_text(encoding="utf-8"))
    again = book._Site(tmp_path)
    again.nav = []
    for out in (tmp_path / "a", tmp_path / "b"):
        out.mkdir()
        again.out = out
        again.markdown_page(book.DICTIONARY, book.dictionary_markdown(package), "data/curated/datapackage.json", "Data dictionary")
    assert (tmp_path / "a" / book.DICTIONARY).read_bytes() == (tmp_path / "b" / book.DICTIONARY).read_bytes()
