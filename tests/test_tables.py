"""Tables in any layout: the document model finds them, tables.py reads their cells, arithmetic checks them."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reportmine
from reportmine.check import check_report
from reportmine.document import build_document
from reportmine.normalize import normalize
from reportmine.tables import cell_number, read_tables, unit_in_text


def _tables(text: str):
    norm = normalize(text)
    return read_tables(build_document(norm))[0]


def test_cell_numbers_blanks_and_damage():
    assert cell_number("1,234") == ("number", 1234)
    assert cell_number("4068.208") == ("number", 4068.208)
    assert cell_number("12.5%") == ("percent", 12.5)
    for blank in ("—", "-", "/", "", "  "):
        assert cell_number(blank) == ("blank", None)
    for damaged in ("9a16", "338O7", "1 459 084", "145.9万"):
        assert cell_number(damaged)[0] == "unreadable", damaged
    for words in ("4月", "合计", "约9216", "九千二百"):
        assert cell_number(words)[0] == "text", words


def test_units_from_headers():
    assert unit_in_text("本年收费金额（单位：万元）") == "万元"
    assert unit_in_text("参与人次") == "人次"
    assert unit_in_text("本年制发件数") == "件"
    assert unit_in_text("检查单位（家）") == "家"
    assert unit_in_text("活动内容") is None


def test_markdown_table_with_a_caption_and_not_applicable_cells():
    text = "### 表1 培训情况\n\n| 项目 | 期数 | 人数 |\n|---|---|---|\n| 安全培训 | 12 | 340 |\n| 应急培训 | — | 15 |\n"
    (table,) = _tables(text)
    assert table.caption == "表1培训情况" and table.kind == "markdown"   # 表1 培训: a digit-space is PDF damage
    got = {(tuple(c.row), tuple(c.col)): (c.value, c.unit, c.status) for c in table.cells}
    assert got[(("安全培训",), ("期数",))] == (12, "期", "value")
    assert got[(("应急培训",), ("期数",))] == (None, "期", "blank")
    assert got[(("应急培训",), ("人数",))] == (15, "人", "value")


def test_merged_group_headers_spread_over_their_columns():
    text = ("[表格]\n\t申请人情况\n\t自然人\t法人或其他组织\t\t总计\n\t\t商业企业\t其他\t\n"
            "一、本年新收申请数量\t5\t1\t\t6\n[/表格]\n")
    (table,) = _tables(text)
    cols = [tuple(c.col) for c in table.cells]
    assert cols == [("申请人情况", "自然人"), ("申请人情况", "法人或其他组织", "商业企业"),
                    ("申请人情况", "法人或其他组织", "其他"), ("申请人情况", "总计")]
    assert [c.value for c in table.cells] == [5, 1, None, 6]


def test_unreadable_cell_is_none_with_a_warning_at_its_place():
    text = "序号\t项目\t数量\n1\t演练\t12\n2\t培训\t3O7\n"
    report = reportmine.parse_text(text, source="damaged-table.txt")
    (cell,) = [c for t in report.record.tables for c in t.cells if c.raw == "3O7"]
    assert cell.value is None and cell.status == "unreadable"
    (warning,) = [w for w in report.warnings if w.code == "unreadable_cell"]
    assert (warning.line, warning.column) == (3, text.split("\n")[2].index("3O7") + 1)
    result = check_report(report)
    assert result.not_checked and any("could not be read" in r for r in result.not_checked)


def test_the_seed_form_is_not_read_as_a_grid(seed_report):
    assert seed_report.record.tables == []
    assert len(seed_report.record.annex.cells) == 35


def test_stated_relation_of_a_table_is_checked():
    rows = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t数量",
            "一、本年新收申请数量\t10", "二、上年结转申请数量\t2", "三、本年度办理结果/（一）予以公开\t7",
            "三、本年度办理结果/（二）不予公开\t3", "三、本年度办理结果/（三）总计\t10", "四、结转下年度继续办理\t3"]
    result = check_report(reportmine.parse_text("[表格]\n" + "\n".join(rows) + "\n[/表格]\n"))
    rule = [c for c in result.table_checks if c.kind == "stated_rule"]
    assert rule and rule[0].verdict == "contradicted" and (rule[0].expected, rule[0].found) == ("12", "13")
    total = [c for c in result.table_checks if c.kind == "total_row"]
    assert total and total[0].verdict == "consistent"


def test_part_row_larger_than_its_whole_is_flagged():
    text = "行业\t检查单位（家）\n工贸行业\t642\n其中：粉尘涉爆\t695\n非煤矿山\t23\n"
    bad = [c for c in check_report(reportmine.parse_text(text)).table_checks if c.verdict == "contradicted"]
    assert [(c.kind, c.expected, c.found) for c in bad] == [("part_row", "695", "642")]


_CELL_TEXT = st.text(alphabet="0123456789,.%—-/ 一二三合计其中（）单位：人次场万元\u3000", max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_CELL_TEXT, min_size=1, max_size=5), min_size=1, max_size=6),
       st.sampled_from(["\t", " | ", "  "]))
def test_any_grid_reads_without_error_and_spans_index_the_original(rows, sep):
    lines = [(f"| {sep.join(r)} |" if sep == " | " else sep.join(r)) for r in rows]
    text = "某某报告\n\n" + "\n".join(lines) + "\n"
    report = reportmine.parse_text(text, source="fuzz.txt")
    for table in report.record.tables:
        for c in table.cells:
            assert 0 <= c.span[0] <= c.span[1] <= len(text)
            if c.raw:
                assert text[c.span[0]:c.span[1]].replace("\u3000", " ").strip() != "" or c.status == "blank"
            assert c.value is None or c.status == "value"
    check_report(report)   # never raises
