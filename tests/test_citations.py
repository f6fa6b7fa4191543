"""cite(): every row of every table, by its primary key; misuse; the references export."""

import re

import pytest

from belarus_fp import Citation, cite, paths
from belarus_fp.archive import Archive, citations, sources, tables


def key_fields(name):
    key = tables.resource(name)["schema"]["primaryKey"]
    return [key] if isinstance(key, str) else key


@pytest.mark.parametrize("name", tables.table_names())
def test_every_row_of_every_table_cites(name):
    """Not a sample: each row, by its key, gives its own quote, document, address and paragraph."""
    frame = tables.load_table(name)
    fields = key_fields(name)
    urls = {row["doc_id"]: row["url"] for row in sources.manifest()}
    for line, row in frame.iterrows():
        key = row[fields[0]] if len(fields) == 1 else tuple(row[f] for f in fields)
        c = cite(key, table=name)
        assert isinstance(c, Citation) and c.table == name and c.line == line
        assert c.quote == sources.normalize(row["quote"]) and c.doc_id == row["doc_id"]
        paras = sources.paragraphs(c.doc_id)  # a quote starts in its paragraph (a section's may run on)
        if c.quote:
            assert 0 <= " ".join(paras[c.paragraph - 1 :]).find(c.quote) < len(paras[c.paragraph - 1])
        else:  # a speaker as the corpus records it (speakers, basis metadata): the document, no paragraph
            assert name == "speakers" and c.paragraph == 0 and c.footnote().endswith(c.url)
        assert c.url == urls[c.doc_id] and c.url in c.footnote() and c.quote in c.footnote()
        assert str(c).endswith(c.footnote()) and c.statement


def test_fact_citation_keeps_value_qualifier_and_dates():
    facts = tables.load_table("facts")
    for _, row in facts.iterrows():
        c = cite(row["fact_id"])  # the default table is facts
        assert c.fact_id == row["fact_id"] and c.label == f"fact {row['fact_id']}"
        assert row["fact_id"] not in str(c) and f"[{row['unit']}]" not in str(c)  # codes stay in the fields
        if row["unit"] in ("date", "period"):
            assert c.value is None and row["date"] in str(c)
        else:
            assert c.value == float(row["value"])
        assert row["value_text"] in str(c)


def test_a_row_of_a_loaded_frame_cites_itself():
    bilateral = tables.load_table("bilateral")
    row = bilateral.iloc[10]
    c = cite(row)
    assert c.table == "bilateral" and c.line == bilateral.index[10]
    assert c.key == (row["doc_id"], row["iso3"], row["relation"], row["quote"])
    assert c.label == f"bilateral {row['iso3']} {row['relation']}"


@pytest.mark.parametrize("bad", [None, 123, 1.5, ["r13-russia-trade-turnover"], {"fact_id": "x"}, ()])
def test_cite_misuse_is_a_type_error_saying_what_cite_takes(bad):
    with pytest.raises(TypeError) as err:
        cite(bad)
    message = str(err.value)
    assert message.startswith("cite takes one row's key") and "bilateral: (doc_id, iso3, relation, quote)" in message
    assert f"got {type(bad).__name__}" in message


def test_composite_key_given_as_one_string_is_a_type_error():
    with pytest.raises(TypeError, match=r"table 'bilateral' has the key \(doc_id, iso3, relation, quote\)"):
        cite("RUS", table="bilateral")


def test_unknown_key_suggests_near_ids():
    with pytest.raises(KeyError, match="r13-russia-trade-turnover"):
        cite("r13-russia-trade")
    with pytest.raises(KeyError, match="no row of bilateral with doc_id='review-2013', iso3='RUS'"):
        cite(("review-2013", "RUS", "embassy_opened", "Belarus opened an embassy in Moscow."), table="bilateral")


def test_unknown_table_lists_the_tables():
    with pytest.raises(ValueError, match="did you mean 'sections'"):
        cite("r13-01", table="section")


def test_references_bib_is_the_generators_output():
    committed = (paths.RAW / "references.bib").read_text(encoding="utf-8")
    assert committed == citations.bibtex(), "data/raw/references.bib is stale: regenerate it with belarus_fp.archive.citations.bibtex()"


def test_bibtex_has_one_entry_per_document_with_its_address():
    text = citations.bibtex()
    for row in sources.manifest():
        entry = text.split(f"@misc{{{row['doc_id']},", 1)[1].split("\n}\n", 1)[0]
        assert f"  url = {{{row['url']}}}" in entry
        assert row["sha256"] in entry and citations._bibtex_text(row["file"]) in entry
    assert text.count("@misc{") == len(sources.manifest()) + 2  # the dataset itself, and the UN corpus's deposit
    for key in ("ungdc-dataverse", "jankin-baturo-dasandi-ungdc", "baturo-dasandi-mikhaylov-2017"):  # as its authors ask
        assert text.count(f"{{{key},") == 1, key
    assert text.startswith(f"@misc{{{citations.DATASET_KEY},")
    assert text.count("{") == text.count("}")


def test_bibtex_escapes_special_characters(data_copy):
    path = data_copy / "raw" / "manifest.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Priorities of the", "Priorities & 100% of the", 1), encoding="utf-8")
    assert r"title = {{Priorities \& 100\% of the" in citations.bibtex(Archive.from_data_dir(data_copy))


def test_citation_cff_and_readme_give_each_address():
    cff = (paths.ROOT / "CITATION.cff").read_text(encoding="utf-8")
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    for row in sources.manifest():
        assert f'url: "{row["url"]}"' in cff, row["doc_id"]
        assert row["url"] in readme, row["doc_id"]


def test_a_row_of_a_frame_indexed_by_its_key_cites_itself():
    facts = tables.load_table("facts").set_index("fact_id")
    c = cite(facts.loc["r13-russia-trade-turnover"])
    assert c.table == "facts" and c.fact_id == "r13-russia-trade-turnover"
    assert c == cite("r13-russia-trade-turnover")


@pytest.mark.parametrize("name", tables.table_names())
def test_a_citation_reads_in_words_and_pastes_into_a_paper(name):
    """The statement uses the vocabulary's labels, not its codes; the footnote is author, title, year,
    address, paragraph and quote, with no internal code (the codes stay in the structured fields)."""
    from belarus_fp.archive import vocabulary

    frame = tables.load_table(name)
    codes = {v for voc in ("relation", "engagement", "kind", "term", "unit", "claim") for v in vocabulary.values(voc) if "_" in v}
    for _, row in frame.head(40).iterrows():
        c = cite(row)
        info = sources.document_info(c.doc_id)
        note = c.footnote()
        assert note.startswith(f'{info["publisher"]}, "{info["title"]}" (') and c.year and f"({c.year})" in note
        ending = f'paragraph {c.paragraph}: "{c.quote}"' if c.quote else c.url  # a speaker as recorded: no quote
        assert note.endswith(ending) and f"[{c.doc_id};" not in note
        words = set(re.findall(r"[a-z]+(?:_[a-z0-9]+)+", c.statement))
        assert not words & codes, (c.statement, words & codes)


def test_the_russia_turnover_reads_in_words():
    c = cite("r13-russia-trade-turnover")
    assert str(c).startswith("trade turnover: 39.7 USD bn (2013). Ministry of Foreign Affairs of the Republic of Belarus, ")
    assert "(2014)" in c.footnote() and c.unit == "usd_bn" and c.label == "fact r13-russia-trade-turnover"
    assert cite("EAEU", table="organizations").statement == "Eurasian Economic Union (EAEU), Eurasian integration"
