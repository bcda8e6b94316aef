"""The seed report's record against the gold files, field by field."""

from __future__ import annotations

import json

import pytest

import reportmine
from reportmine.record import CampaignRecord

DOC_FIELDS = ["issuers", "doc_number", "title", "addressee", "signatories", "date", "enclosure_title",
              "attachments", "disclosure", "cc", "printed_by", "printed_date", "copies", "referenced_documents"]


@pytest.mark.parametrize("name", DOC_FIELDS)
def test_document_field_matches_gold(seed_report, gold_document, name):
    assert getattr(seed_report.record.document, name) == gold_document[name]


@pytest.mark.parametrize("name", ["name", "year", "edition", "theme", "region"])
def test_campaign_field_matches_gold(seed_report, gold_document, name):
    assert getattr(seed_report.record.campaign, name) == gold_document["campaign"][name]


def test_sections_match_gold(seed_report, gold_document):
    got = [{"no": s.no, "title": s.title, "subsections": len(s.subsections)}
           for s in seed_report.record.document.sections]
    assert got == gold_document["sections"]


def test_section_spans_point_at_their_titles(seed_report):
    text = seed_report.text
    for sec in seed_report.record.document.sections:
        for s in [sec, *sec.subsections]:
            raw = text[s.span[0]:s.span[1]]
            assert raw.replace(" ", "").endswith(s.title.replace(" ", ""))


def test_document_spans_cover_their_values(seed_report):
    doc = seed_report.record.document
    text = seed_report.text
    squash = lambda s: s.replace(" ", "").replace("\n", "")  # noqa: E731
    for name in ["doc_number", "title", "addressee", "enclosure_title", "disclosure"]:
        s, e = doc.spans[name]
        assert squash(text[s:e]) == squash(getattr(doc, name)), name
    s, e = doc.spans["copies"]
    assert str(doc.copies) in text[s:e]


def test_annex_has_all_gold_cells_in_order(seed_report, gold_annex):
    cells = seed_report.record.annex.cells
    assert len(cells) == len(gold_annex["cells"]) == 35
    for i, (got, want) in enumerate(zip(cells, gold_annex["cells"])):
        assert (got.item, got.label, got.value, got.unit) == (want["item"], want["label"], want["value"], want["unit"]), i
        assert list(got.value_span) == want["value_span"], i


def test_annex_cell_spans_cover_label_value_and_unit(seed_report):
    text = seed_report.text
    for c in seed_report.record.annex.cells:
        raw = text[c.span[0]:c.span[1]]
        assert str(c.value) in raw and c.unit in raw
        blank = text[c.value_span[0]:c.value_span[1]]
        assert blank[0] in "(（" and blank[-1] in ")）" and blank[1:-1].strip() == str(c.value)


def test_annex_items_reporter_named_fields(seed_report, gold_annex):
    annex = seed_report.record.annex
    assert annex.title == gold_annex["annex_title"]
    assert [{"no": i.no, "title": i.title} for i in annex.items] == gold_annex["items"]
    rep = annex.reporter
    assert {k: getattr(rep, k) for k in gold_annex["reporter"]} == gold_annex["reporter"]
    assert [{"item": f.item, "label": f.label, "text": f.text} for f in annex.named_fields] == gold_annex["named_fields"]


def test_zero_value_is_kept_as_zero(seed_report, gold_annex):
    zeros = [i for i, c in enumerate(gold_annex["cells"]) if c["value"] == 0]
    assert zeros, "the seed has a 0 cell"
    for i in zeros:
        assert seed_report.record.annex.cells[i].value == 0


def test_template_gives_stable_unique_keys_and_no_warnings(seed_report):
    rec = seed_report.record
    keys = [c.key for c in rec.annex.cells]
    assert rec.annex.template == "safety-month-2023-national"
    assert len(set(keys)) == len(keys)
    assert not any(k.startswith("item") for k in keys)
    assert rec.warnings == []
    assert rec.cell("xuanguan.lectures").value == 9216


def test_gbk_copy_gives_the_same_record(seed_text, tmp_path, seed_report):
    gbk = tmp_path / "seed-gbk.txt"
    gbk.write_bytes(seed_text.encode("gbk"))
    rec = reportmine.parse(gbk).record
    assert reportmine.load(gbk).source.encoding == "gb18030"
    want = seed_report.record.to_dict()
    got = rec.to_dict()
    got["document"]["source"] = want["document"]["source"]
    assert got == want


def test_bom_and_crlf_copy_gives_same_values(seed_text, tmp_path, seed_report):
    path = tmp_path / "seed-bom-crlf.txt"
    path.write_bytes(b"\xef\xbb\xbf" + seed_text.replace("\n", "\r\n").encode("utf-8"))
    report = reportmine.parse(path)
    assert [c.value for c in report.record.annex.cells] == [c.value for c in seed_report.record.annex.cells]
    for c in report.record.annex.cells:   # spans index the decoded text, CRs included
        assert str(c.value) in report.text[c.value_span[0]:c.value_span[1]]


def test_to_frame_one_row_per_cell(seed_report, gold_annex):
    frame = seed_report.record.to_frame()
    assert len(frame) == len(gold_annex["cells"])
    assert list(frame.columns[:9]) == ["source", "region", "year", "campaign", "item", "key", "label", "value", "unit"]
    assert set(frame["region"]) == {"上海市"} and set(frame["year"]) == {2023}
    assert frame["value"].tolist() == [c["value"] for c in gold_annex["cells"]]


def test_json_round_trip_and_schema(seed_report):
    rec = seed_report.record
    data = json.loads(rec.to_json())
    assert set(data) >= {"document", "campaign", "annex"}
    assert set(data["annex"]) >= {"items", "cells", "named_fields", "reporter"}
    assert set(data["annex"]["cells"][0]) >= {"item", "label", "value", "unit", "key", "span"}
    assert CampaignRecord.model_validate(data) == rec
    schema = CampaignRecord.json_schema()
    assert "annex" in schema["properties"]


def test_repr_and_html_view(seed_report):
    rec = seed_report.record
    assert "上海市 2023" in repr(rec) and "35 cells" in repr(rec)
    html = rec._repr_html_()
    assert "<table" in html and "9216" in html and "沪安委办函〔2023〕1号" in html
