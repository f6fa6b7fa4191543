"""The book: a static HTML site of the executed notebooks, built without executing anything.

Usage: ``python -m belarus_fp.book [--out FOLDER]`` (``make book``; default ``build/book/``).

Pages, all at the site's top level: ``index.html`` (the README), one page per notebook of the series
(``01-trade-shares.html``, with every output and figure as committed), ``data-dictionary.html``
(generated from ``data/curated/datapackage.json``: every table, field, type, unit and allowed value),
and a page for every other Markdown file the pages link to (``data-curated-README.html``) or folder
(its README, or a list of its files). Every other file a page links to (figures, CSV, BibTeX,
``CITATION.cff``) is copied into the site at its path in the repository, so every internal link works
offline; links to notebooks and Markdown files are rewritten to their pages. Each page is written by
nbconvert's HTML exporter (template ``lab``, with a navigation bar and without the scripts it would
load from the web), so the site needs no network and no JavaScript.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import sys
import time
from pathlib import Path, PurePosixPath

from .. import paths

paths.require_root(exit_on_error=__name__ == "__main__")

DICTIONARY = "data-dictionary.html"
#: A Markdown link or image: ``[text](target)`` (the target without spaces, as the repository writes them).
LINK = re.compile(r"(!?\[[^\]]*\]\()([^)\s]+)(\))")
HEADING = re.compile(r"<(h[1-6]) id=\"([^\"]*)\"[^>]*>(.*?)</\1>", re.S)

TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block extra_css %}
<style type="text/css">
body.jp-Notebook { max-width: 1100px; margin: 0 auto; padding: 0 16px 48px; }
nav.book { display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 10px 0; margin-bottom: 12px;
  border-bottom: 1px solid #ccc; font-family: var(--jp-ui-font-family, sans-serif); font-size: 14px; }
nav.book a { text-decoration: none; color: #1a5fb4; }
nav.book a.current { font-weight: bold; color: #000; }
.jp-RenderedHTMLCommon table { font-size: 13px; }
</style>
{% endblock extra_css %}
{%- block body_header -%}
{{ super() }}
<nav class="book">{{ resources.book_nav }}</nav>
{%- endblock body_header -%}
"""


class BookError(Exception):
    """The book cannot be built (a page links to a file that does not exist, ...); the text says which."""


def github_slug(text: str) -> str:
    """A heading's anchor as GitHub makes it (what the README's ``#fragment`` links use)."""
    text = re.sub(r"<[^>]+>", "", html.unescape(text)).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def page_name(repo_path: str) -> str:
    """The site page of a repository file: README.md -> index.html, a notebook -> its stem, other .md -> dashed path."""
    path = PurePosixPath(repo_path)
    if repo_path == "README.md":
        return "index.html"
    if path.suffix == ".ipynb":
        return f"{path.stem}.html"
    return "-".join(path.with_suffix("").parts) + ".html"


class _Site:
    def __init__(self, out: Path):
        from jinja2 import DictLoader
        from nbconvert import HTMLExporter

        self.out = out
        self.exporter = HTMLExporter(template_name="lab", extra_loaders=[DictLoader({"book.html.j2": TEMPLATE})])
        self.exporter.template_file = "book.html.j2"
        self.exporter.exclude_input_prompt = False
        self.queue: list[tuple[str, str]] = []  # (repository path, kind) of pages still to write
        self.pages: dict[str, str] = {}  # page name -> title
        self.copied: set[str] = set()
        self.nav: list[tuple[str, str]] = []  # (page, label) of the navigation bar, in order

    # --- links ---------------------------------------------------------------------------------

    def rewrite(self, markdown: str, source: str) -> str:
        """Markdown with every link to a repository file pointed at its page or its copy in the site."""

        def one(match):
            return match.group(1) + self.target(match.group(2), source) + match.group(3)

        return LINK.sub(one, markdown)

    def target(self, link: str, source: str) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:", link) or link.startswith("#"):
            return link  # an address elsewhere, or a place on this page
        where, _, fragment = link.partition("#")
        if where == DICTIONARY:  # a generated page, not a file of the repository
            return link
        base = PurePosixPath(source).parent
        resolved = (paths.ROOT / base / where).resolve()
        if not resolved.is_relative_to(paths.ROOT) or not resolved.exists():
            raise BookError(f"{source}: link {link!r}: {where} does not exist in the repository")
        repo_path = resolved.relative_to(paths.ROOT).as_posix()
        if resolved.is_dir():
            readme = resolved / "README.md"
            repo_path, kind = (f"{repo_path}/README.md", "markdown") if readme.is_file() else (repo_path, "folder")
        elif resolved.suffix in (".md", ".ipynb"):
            kind = "markdown" if resolved.suffix == ".md" else "notebook"
        else:
            kind = "file"
        if kind == "file":
            if repo_path not in self.copied:
                (self.out / repo_path).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(resolved, self.out / repo_path)
                self.copied.add(repo_path)
            name = repo_path
        else:
            name = self.page_of(repo_path, kind)
            if name not in self.pages and (repo_path, kind) not in self.queue:
                self.queue.append((repo_path, kind))
        return name + (f"#{fragment}" if fragment else "")

    @staticmethod
    def page_of(repo_path: str, kind: str) -> str:
        """The page a repository file or folder of this ``kind`` (markdown, notebook, folder) becomes."""
        return page_name(repo_path) if kind != "folder" else "-".join(PurePosixPath(repo_path).parts) + ".html"

    # --- pages ---------------------------------------------------------------------------------

    def write(self, name: str, nb, title: str) -> None:
        nav = " ".join(f'<a href="{href}"{" class=current" if href == name else ""}>{html.escape(label)}</a>' for href, label in self.nav)
        nb.metadata["title"] = title
        body, _ = self.exporter.from_notebook_node(nb, resources={"book_nav": nav})
        body = HEADING.sub(_github_anchor, body)
        (self.out / name).write_text(body, encoding="utf-8")
        self.pages[name] = title

    def markdown_page(self, name: str, markdown: str, source: str, title: str) -> None:
        import nbformat

        # a fixed cell id (nbformat draws a random one), so the page is the same on every build
        cell = nbformat.v4.new_markdown_cell(self.rewrite(markdown, source), id="page")
        nb = nbformat.v4.new_notebook(cells=[cell])
        self.write(name, nb, title)

    def notebook_page(self, repo_path: str) -> None:
        import nbformat

        nb = nbformat.read(paths.ROOT / repo_path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = self.rewrite(cell.source, repo_path)
        self.write(page_name(repo_path), nb, _title(nb, PurePosixPath(repo_path).stem))

    def folder_page(self, repo_path: str) -> None:
        folder = paths.ROOT / repo_path
        lines = [f"# `{repo_path}/`", "", "The files of this folder of the repository:", ""]
        lines += [f"- [`{p.name}`]({p.name})" for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")]
        self.markdown_page(self.page_of(repo_path, "folder"), "\n".join(lines), f"{repo_path}/x", f"{repo_path}/")


def _github_anchor(match) -> str:
    """Give a heading GitHub's anchor as well as nbconvert's (links written for GitHub keep working)."""
    tag, ident, inner = match.groups()
    slug = github_slug(re.sub(r"<a class=\"anchor-link\".*?</a>", "", inner, flags=re.S))
    extra = f'<span id="{slug}"></span>' if slug and slug != ident else ""
    return f"{match.group(0)[: -len(f'</{tag}>')]}{extra}</{tag}>"


def _title(nb, default: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return default


def _code(value) -> str:
    return f"<code>{html.escape(str(value))}</code>"


def dictionary_markdown(package: dict) -> str:
    """The data dictionary of a Frictionless data package, as Markdown: every table and field."""

    def cell(text) -> str:
        return str(text).replace("\n", " ")

    licences = ", ".join(f"[{x.get('title', x['name'])}]({x['path']})" if x.get("path") else x["name"] for x in package.get("licenses", []))
    lines = [
        f"# Data dictionary: {package.get('title', package['name'])}",
        "",
        package.get("description", ""),
        "",
        f"Data version **{package.get('version', '?')}** (the tables' version, kept apart from the package's: see the "
        "changelog). Licence: " + (licences or "not stated") + ". Generated from `data/curated/datapackage.json`; "
        "the tables are the CSV files of `data/curated/`.",
        "",
        "Tables: " + ", ".join(f"[`{r['name']}`](#table-{r['name']})" for r in package["resources"]) + ".",
        "",
    ]
    if package.get("sources"):
        lines += ["## Sources", ""] + [f"- {cell(s.get('title', s))}" for s in package["sources"]] + [""]
    for resource in package["resources"]:
        schema = resource["schema"]
        key = schema.get("primaryKey")
        key = [key] if isinstance(key, str) else key or []
        lines += [f"## Table `{resource['name']}`", "", f'<span id="table-{resource["name"]}"></span>', ""]
        lines += [resource.get("description", ""), ""]
        lines += [f"File `data/curated/{resource['path']}`; primary key: {', '.join(f'`{k}`' for k in key) or 'none'}."]
        for fk in schema.get("foreignKeys", []):
            fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            ref = fk["reference"]
            ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
            table = ref.get("resource") or resource["name"]
            lines.append(
                f"Foreign key: {', '.join(f'`{f}`' for f in fields)} → [`{table}`](#table-{table}) {', '.join(f'`{f}`' for f in ref_fields)}."
            )
        rows = []
        for field in schema["fields"]:
            constraints = field.get("constraints", {})
            allowed = []
            if "enum" in constraints:
                allowed.append(", ".join(_code(v) for v in constraints["enum"]))
            if "pattern" in constraints:
                allowed.append(f"pattern {_code(constraints['pattern'])}")
            for bound in ("minimum", "maximum", "minLength", "maxLength"):
                if bound in constraints:
                    allowed.append(f"{bound} {html.escape(str(constraints[bound]))}")
            if constraints.get("unique"):
                allowed.append("unique")
            extras = [f"({k}: {field[k]})" for k in ("unit", "format") if k in field and field[k] != "default"]
            description = html.escape(" ".join([field.get("description", ""), *extras]).strip())
            required = "yes" if constraints.get("required") else "no"
            rows.append(
                f"<tr><td>{_code(field['name'])}</td><td>{html.escape(field.get('type', 'any'))}</td><td>{required}</td>"
                f"<td>{description}</td><td>{'; '.join(allowed)}</td></tr>"
            )
        # An HTML table (Markdown tables cannot hold a "|" inside code, and the patterns have them).
        head = "<tr><th>field</th><th>type</th><th>required</th><th>description</th><th>allowed values</th></tr>"
        lines += ["", f"<table>\n<thead>{head}</thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"]
        lines.append("")
    return "\n".join(lines)


def build_book(out: Path | None = None, log=print) -> Path:
    """Write the site into ``out`` (default ``build/book``, emptied first); return the folder."""
    out = Path(out) if out is not None else paths.ROOT / "build" / "book"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    site = _Site(out)
    series = [nb.relative_to(paths.ROOT).as_posix() for nb in paths.notebooks()]
    site.nav = [("index.html", "Home")] + [(page_name(p), PurePosixPath(p).stem) for p in series] + [(DICTIONARY, "Data dictionary")]

    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    site.markdown_page("index.html", readme + f"\n\nSee also the [data dictionary]({DICTIONARY}).\n", "README.md", "Home")
    for repo_path in series:
        site.notebook_page(repo_path)
    package = json.loads((paths.CURATED / "datapackage.json").read_text(encoding="utf-8"))
    site.markdown_page(DICTIONARY, dictionary_markdown(package), "data/curated/datapackage.json", "Data dictionary")
    while site.queue:
        repo_path, kind = site.queue.pop(0)
        if site.page_of(repo_path, kind) in site.pages:  # linked before it was written (the README links the series)
            continue
        if kind == "notebook":
            site.notebook_page(repo_path)
        elif kind == "folder":
            site.folder_page(repo_path)
        else:
            site.markdown_page(page_name(repo_path), (paths.ROOT / repo_path).read_text(encoding="utf-8"), repo_path, repo_path)
    shown = out.relative_to(paths.ROOT) if out.is_relative_to(paths.ROOT) else out
    log(f"[book] {len(site.pages)} pages and {len(site.copied)} linked files in {shown}")
    return out


def main(argv=None) -> None:
    """``python -m belarus_fp.book [--out FOLDER]``: write the book."""
    parser = argparse.ArgumentParser(prog="python -m belarus_fp.book", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="the site's folder (default build/book; emptied first)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    from .build import without_iri_checks

    without_iri_checks()  # before nbconvert imports nbformat
    try:
        out = build_book(args.out)
    except BookError as exc:
        print(f"[book] error: {exc}", file=sys.stderr)
        sys.exit(1)
    print(f"[book] open {out / 'index.html'} (built in {time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
