"""The proposer: its rules, its measured recall on the curated documents, and a third
(synthetic) document added, proposed, partly accepted and validated in a copy of the repository."""

import csv
import os
import shutil

import pytest
from conftest import copy_data
from test_documents import FIELDS, SYNTHETIC, in_process, options, repo_copy  # noqa: F401  (fixture)

from belarus_fp import paths
from belarus_fp.archive import sources, tables
from belarus_fp.commands import documents, propose, propose_scores

CLONE_CURATED = paths.CURATED  # the clone's own, resolved before a test points the root at a copy
COMMITTED_CURATED = {p.name: p.read_bytes() for p in CLONE_CURATED.glob("*.csv")}


def test_sentences_do_not_end_at_abbreviations():
    text = "A delegation of the U.S. Department of State came. Mr. Fedotov met them. It was the 5th visit."
    assert [s for _, s in propose.sentences(text)] == [
        "A delegation of the U.S. Department of State came.",
        "Mr. Fedotov met them.",
        "It was the 5th visit.",
    ]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("turnover amounted to $39.7 billion in 2013", [("39.7", "usd_bn", "exact"), ("2013", "date", "exact")]),
        ("more than 140 decisions were adopted", [("140", "count", "lower_bound")]),
        ("around $1.9 billion", [("1.9", "usd_bn", "approximate")]),
        ("426 140 of foreign nationals", [("426 140", "count", "exact")]),
        ("On January 15-17, 2013 in Minsk", [("January 15-17, 2013", "period", "exact")]),
        ("for 2014-2017 financial years", [("2014-2017", "period", "exact")]),
        ("became the 5th mission and twenty-six states", [("5th", "ordinal", "exact"), ("twenty-six", "count", "exact")]),
        ("a maximum of 200 million euro", [("200", "eur_m", "exact")]),
        ("95 percent of Belarusian export", [("95", "percent", "exact")]),
    ],
)
def test_numbers_units_and_qualifiers(sentence, expected):
    assert [(n["value_text"], n["unit"], n["qualifier"]) for n in propose.numbers(sentence)] == expected


def test_dates_are_written_iso():
    found = {
        n["value_text"]: n["date"] for n in propose.numbers("on October 10, 2013, in May, in December 2013 and 1 January 2015; 2013-2015")
    }
    assert found == {
        "October 10, 2013": "2013-10-10",
        "May": "",
        "December 2013": "2013-12",
        "1 January 2015": "2015-01-01",
        "2013-2015": "2013/2015",
    }


def test_claim_cues():
    assert propose.guess_claim("In 2014, Belarus plans to open its Embassies in Australia.") == "planned"
    assert propose.guess_claim("Similar agreements with New Zealand are being considered.") == "considered"
    assert propose.guess_claim("The meeting was held in Minsk.") == "achieved"
    assert propose.guess_claim("Belarus is a country with 9.5 million people.") == "stated"


def test_recall_on_the_curated_documents_meets_the_targets():
    """The proposer's recall targets (``propose.TARGETS``): facts >= 95 %, countries >= 98 %, organisations >= 90 %, relations >= 80 %."""
    scores = propose.evaluate()
    for measure, target in propose.TARGETS.items():
        assert scores.loc[measure, "recall"] >= target, f"{measure}: recall {scores.loc[measure, 'recall']:.3f} < {target}"
    assert scores.loc["facts (value, unit)", "curated"] == len(tables.load_table("facts", collection="ministry"))
    assert 0 < scores.loc["claim of facts (accuracy)", "recall"] <= 1


def test_saved_proposals_of_the_un_statements_scored_out_of_sample():
    """The raw proposals saved before the 2013 and 2016 UN statements were curated (data/gold/proposals-ungd/),
    scored against the curated rows: the counts notebook 07 reports, and the frame of ``evaluate``."""
    folder = paths.DATA / "gold" / "proposals-ungd"
    docs = propose_scores.saved_documents(folder)
    assert docs == ["ungd-2013", "ungd-2016"]
    for doc in docs:  # a frozen record of the proposer's output: every row as proposed, none marked by a curator
        for name in propose.TABLES:
            assert {r["status"] for r in read(folder / doc / f"{name}.csv")} <= {"proposed"}
    scores = propose_scores.score_saved_proposals(folder, docs)
    assert list(scores.columns) == ["curated", "proposed", "both", "recall", "precision", "target"]
    assert scores.index.name == "measure" and set(propose.TARGETS) <= set(scores.index)
    counts = {m: tuple(int(v) for v in scores.loc[m, ["curated", "proposed", "both"]]) for m in scores.index}
    assert counts == {
        "facts (value, unit)": (15, 26, 13),
        "countries (doc, iso3)": (3, 3, 3),
        "organisations (doc, org_id)": (5, 3, 3),
        "relations (doc, iso3, relation)": (3, 3, 0),
        "engagements (doc, org_id, engagement)": (9, 12, 3),
        "claim of facts (accuracy)": (13, 13, 11),
    }
    facts = tables.load_table("facts")
    assert counts["facts (value, unit)"][0] == facts["doc_id"].isin(docs).sum()
    assert counts["facts (value, unit)"][1] == sum(len(read(folder / d / "facts.csv")) for d in docs)
    assert scores.loc["facts (value, unit)", "recall"] == 13 / 15 and scores.loc["organisations (doc, org_id)", "recall"] == 0.6
    # 2016 names no country but Belarus: nothing curated, nothing proposed, so no ratio (evaluate would say 1.0)
    alone = propose_scores.score_saved_proposals(folder, ["ungd-2016"])
    assert alone.loc["countries (doc, iso3)", ["curated", "proposed"]].tolist() == [0, 0]
    assert alone.loc["countries (doc, iso3)", ["recall", "precision"]].isna().all()


def test_every_proposed_quote_is_a_passage_of_its_document():
    # the ministry's texts and UN statements of three layouts (a paragraph a line; hard-wrapped; with form feeds)
    for doc_id in [*sources.doc_ids(collection=sources.MINISTRY), "ungd-1946", "ungd-1993", "ungd-2013"]:
        for name, rows in propose.propose(doc_id).items():
            for row in rows:
                assert sources.contains(row["quote"], doc_id), (doc_id, name, row["quote"])


def read(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def mark(path, accept):
    """Set status 'accepted' on the rows for which accept(row) is true (edits in place); returns the rows."""
    rows = read(path)
    for row in rows:
        if accept(row):
            row["status"] = "accepted"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return rows


def propose_main(*args, root):
    """`python -m belarus_fp.propose ARGS` in-process, in a test that made root the package's root."""
    assert os.environ[paths.ENV_ROOT] == str(root)
    return in_process(propose.main, *args, root=root, module="belarus_fp.propose")


@pytest.fixture(scope="session")
def synthetic_added_once(tmp_path_factory, request):
    """A copy of data/ with the synthetic document added through the CLI's ``main``, made once."""
    root = tmp_path_factory.mktemp("synthetic") / "repo"
    copy_data(paths.DATA, root / "data", request, ignore=shutil.ignore_patterns("proposed"))
    out = in_process(documents.main, "add", str(SYNTHETIC), *options(), root=root)
    assert out.returncode == 0, out.stderr
    return root


@pytest.fixture
def synthetic_added(synthetic_added_once, tmp_path, monkeypatch, request):
    """A fresh copy of that repository for each test (tests edit it), made the package's root."""
    root = copy_data(synthetic_added_once, tmp_path / "repo", request)
    monkeypatch.setenv(paths.ENV_ROOT, str(root))
    return root


@pytest.fixture(scope="session")
def synthetic_proposed_once(synthetic_added_once, tmp_path_factory, request):
    """That repository after the proposer's ``main`` on the synthetic document, run once."""
    root = copy_data(synthetic_added_once, tmp_path_factory.mktemp("proposed") / "repo", request)
    out = in_process(propose.main, FIELDS["doc_id"], root=root, module="belarus_fp.propose")
    assert out.returncode == 0, out.stderr
    return root


@pytest.fixture
def synthetic_proposed(synthetic_proposed_once, tmp_path, monkeypatch, request):
    """A fresh copy of that repository for each test, made the package's root."""
    root = copy_data(synthetic_proposed_once, tmp_path / "repo", request)
    monkeypatch.setenv(paths.ENV_ROOT, str(root))
    return root


@pytest.mark.slow  # renders a whole map / runs the whole pipeline: the slow tier, so the fast tier stays fast
def test_a_third_document_end_to_end(synthetic_added):
    """Synthetic document: added, proposed, partly accepted (one bad row refused), validated."""
    root, doc = synthetic_added, FIELDS["doc_id"]
    out = propose_main(doc, root=root)
    assert out.returncode == 0, out.stderr
    folder = root / "data" / "proposed" / doc
    assert sorted(p.name for p in folder.glob("*.csv")) == ["bilateral.csv", "facts.csv", "multilateral.csv", "sections.csv"]
    for name in propose.TABLES:
        rows = read(folder / f"{name}.csv")
        assert rows and {r["status"] for r in rows} == {"proposed"}
    before = {p.name: p.read_bytes() for p in (root / "data" / "curated").glob("*.csv")}
    out = propose_main("accept", doc, root=root)  # nothing marked: nothing moves
    assert out.returncode == 0 and {p.name: p.read_bytes() for p in (root / "data" / "curated").glob("*.csv")} == before

    mark(folder / "facts.csv", lambda r: r["value_text"] in ("2.5", "fifth"))
    facts = read(folder / "facts.csv")
    bad_line = next(i for i, r in enumerate(facts, start=2) if r["value_text"] == "fifth")
    facts[bad_line - 2]["value"] = "6"  # a curator's slip: the value no longer matches "fifth"
    with open(folder / "facts.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(facts[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(facts)
    mark(
        folder / "bilateral.csv", lambda r: (r["iso3"], r["relation"]) in {("MNG", "high_level_visit_out"), ("ARG", "visa_free_agreement")}
    )
    mark(folder / "multilateral.csv", lambda r: (r["org_id"], r["engagement"]) == ("OSCE", "cooperation"))
    mark(folder / "sections.csv", lambda r: True)
    out = propose_main("accept", doc, root=root)
    assert out.returncode == 1, out.stdout + out.stderr  # a refusal is reported with a non-zero status
    assert (
        f"refused data/proposed/{doc}/facts.csv, line {bad_line}: column 'value', value '6.0': differs from the number in value_text 'fifth'"
        in out.stdout
    )
    for name, count in {"facts": 1, "bilateral": 2, "multilateral": 1, "sections": 3}.items():
        assert f"accepted {count} row(s) into data/curated/{name}.csv" in out.stdout, out.stdout

    loaded = tables.load_all(root / "data")  # the full validation, quotes checked against the new document
    assert list(loaded["facts"].loc[loaded["facts"]["doc_id"] == doc, "value_text"]) == ["2.5"]
    assert set(loaded["bilateral"].loc[loaded["bilateral"]["doc_id"] == doc, "iso3"]) == {"MNG", "ARG"}
    assert list(loaded["sections"].loc[loaded["sections"]["doc_id"] == doc, "section_id"]) == ["s14-01", "s14-02", "s14-03"]
    statuses = [r["status"] for r in read(folder / "facts.csv")]
    assert statuses.count("moved") == 1 and statuses.count("accepted") == 1  # the refused row stays accepted, to be fixed
    after = {p.name: p.read_bytes() for p in (root / "data" / "curated").glob("*.csv")}
    out = propose_main("accept", doc, root=root)  # again: the moved rows are not added twice
    assert "accepted" not in out.stdout and f"line {bad_line}" in out.stdout
    assert {p.name: p.read_bytes() for p in (root / "data" / "curated").glob("*.csv")} == after
    for name, data in before.items():  # existing rows are kept as they were, new ones appended
        assert (root / "data" / "curated" / name).read_bytes().startswith(data)
    assert {p.name: p.read_bytes() for p in CLONE_CURATED.glob("*.csv")} == COMMITTED_CURATED  # the clone's own tables are untouched


def test_accept_never_writes_a_partly_valid_table(synthetic_proposed):
    """Sections must tile the document: accepting only some of them refuses them all, and the table stays as it was."""
    root, doc = synthetic_proposed, FIELDS["doc_id"]  # proposed by the CLI once, in the fixture
    folder = root / "data" / "proposed" / doc
    mark(folder / "sections.csv", lambda r: r["section_id"] != "s14-02")
    before = (root / "data" / "curated" / "sections.csv").read_bytes()
    result = propose.accept(doc, root / "data")
    assert result["accepted"].get("sections", 0) == 0 and result["refused"]
    assert all(name == "sections" for name, _, _ in result["refused"])
    assert (root / "data" / "curated" / "sections.csv").read_bytes() == before
    tables.load_all(root / "data")


def test_accept_names_a_malformed_proposals_file_and_moves_nothing(synthetic_proposed):
    root, doc = synthetic_proposed, FIELDS["doc_id"]  # proposed by the CLI once, in the fixture
    path = root / "data" / "proposed" / doc / "multilateral.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace("proposed,", "accepted,", 1) + ',"a note left open'
    path.write_text("\n".join(lines), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in (root / "data" / "curated").glob("*.csv")}
    out = propose_main("accept", doc, root=root)
    assert out.returncode == 1 and "multilateral.csv, line 2" in out.stderr and "not closed on the same line" in out.stderr, out.stderr
    assert {p.name: p.read_bytes() for p in (root / "data" / "curated").glob("*.csv")} == before


def test_propose_refuses_to_overwrite_a_curators_marks(synthetic_proposed):
    root, doc = synthetic_proposed, FIELDS["doc_id"]  # proposed by the CLI once, in the fixture
    out = propose_main(doc, root=root)
    assert out.returncode == 1 and "already holds proposals" in out.stderr and "--force" in out.stderr


def test_propose_names_an_unknown_document(repo_copy):  # noqa: F811
    out = propose_main("review-2099", root=repo_copy)
    assert out.returncode == 1 and "unknown doc_id 'review-2099'" in out.stderr


@pytest.mark.notebooks
def test_the_comparison_notebook_compares_three_documents(synthetic_added, tmp_path, monkeypatch):
    from belarus_fp.commands import execution

    root, doc = synthetic_added, FIELDS["doc_id"]
    assert propose_main(doc, root=root).returncode == 0
    folder = root / "data" / "proposed" / doc
    mark(folder / "sections.csv", lambda r: True)
    mark(folder / "bilateral.csv", lambda r: r["relation"] in ("high_level_visit_out", "visa_free_agreement", "trade"))
    mark(folder / "multilateral.csv", lambda r: r["engagement"] == "cooperation")
    result = propose.accept(doc, root / "data")
    assert not result["refused"], result["refused"]
    monkeypatch.setenv("BELARUS_FP_FIGURES", str(tmp_path / "figures"))
    (root / "notebooks").mkdir()
    shutil.copytree(CLONE_CURATED.parents[1] / "tests" / "data", root / "tests" / "data")  # notebook 04 reads the mention gold set
    # the notebooks that compare documents: the sources at a glance, the comparison, framing and claims
    names = ("00-sources.ipynb", "04-priorities-vs-review.ipynb", "05-framing-and-claims.ipynb")
    for name in names:
        shutil.copy(CLONE_CURATED.parents[1] / "notebooks" / name, root / "notebooks" / name)
    execution.execute_all([root / "notebooks" / name for name in names], jobs=2, log=lambda message: None)
    for name in names:
        text = (root / "notebooks" / name).read_text(encoding="utf-8")
        assert FIELDS["label"] in text or doc in text, name
