"""Layouts beyond the seed's: the report as 附件1, column tables, 通报 headers, cited 文号, real 年报 tables."""

from __future__ import annotations

from pathlib import Path

import pytest

import reportmine
from reportmine.check import check_report

from conftest import SHARED  # noqa: E402  (tests/conftest.py: ../shared or $REPORTMINE_SHARED)

REPO = Path(__file__).resolve().parents[1]
REAL = SHARED / "real"
BUNDLED = REPO / "corpus" / "2023-shanghai-safety-month.txt"


def _real(name: str) -> Path:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"../shared/real absent: {path} is needed for this test of a real published document")
    return path


def _as_attachment_1(text: str) -> str:
    """The bundled letter re-laid out as users send it: the report as 附件1, the table as 附件2."""
    lines = text.split("\n")
    sign = next(i for i, ln in enumerate(lines) if ln.startswith("上海市安全生产委员会办公室") and i > 10)
    report_at = next(i for i, ln in enumerate(lines) if "活动总结" in ln and i > sign)
    note_at = next(i for i, ln in enumerate(lines) if ln.startswith("附件："))
    annex_at = next(i for i, ln in enumerate(lines) if ln.strip() == "附件")
    tail_at = max(i for i, ln in enumerate(lines) if ln.startswith("上海市安全生产委员会办公室"))
    letter = lines[:sign]
    signature = lines[sign:report_at]
    report = lines[report_at:note_at]
    table = lines[annex_at + 1:tail_at]
    out = letter + ["附件：1．上海市2023年“安全生产月”活动总结", "　　　2．全国“安全生产月”活动进展情况统计表", ""]
    out += signature + ["附件1", ""] + report + ["附件2", ""] + table + lines[tail_at:]
    return "\n".join(out)


@pytest.fixture(scope="module")
def bundled():
    return reportmine.parse(BUNDLED)


def test_report_as_attachment_1_with_the_table_as_attachment_2(bundled):
    text = _as_attachment_1(BUNDLED.read_text(encoding="utf-8"))
    report = reportmine.parse_text(text, source="attachment-layout.txt")
    rec = report.record
    assert [(c.key, c.value) for c in rec.annex.cells] == [(c.key, c.value) for c in bundled.record.annex.cells]
    assert rec.document.enclosure_title == bundled.record.document.enclosure_title
    assert [s.title for s in rec.document.sections] == [s.title for s in bundled.record.document.sections]
    assert rec.campaign.region == "上海市" and rec.campaign.year == 2023
    assert rec.document.attachments == ["上海市2023年“安全生产月”活动总结", "全国“安全生产月”活动进展情况统计表"]
    result, original = check_report(report), check_report(bundled)
    assert [(c.surface, c.cell_key, c.verdict) for c in result.claims] == \
        [(c.surface, c.cell_key, c.verdict) for c in original.claims]
    assert result.outcome == original.outcome


def test_planted_error_in_attachment_layout_is_found(bundled):
    text = _as_attachment_1(BUNDLED.read_text(encoding="utf-8"))
    claim = next(c for c in check_report(bundled).claims if c.link == "label")
    wrong = text.replace(claim.surface, "1" + claim.surface, 1)
    result = check_report(reportmine.parse_text(wrong, source="planted.txt"))
    assert any(c.cell_key == claim.cell_key and c.verdict == "contradicted" for c in result.claims)
    assert result.outcome == "contradicted"


COLUMN_TABLE_REPORT = """梁溪区2024年“安全生产月”活动总结

今年6月，梁溪区以“人人讲安全、个个会应急”为主题，组织开展第23个“安全生产月”活动。全区共开展宣传咨询活动46场，参与人次超过1.2万。

一、主要活动情况

全区组织开展应急演练120场，参与演练人员8000余人次；开展安全培训35期，培训人员2800人。

二、活动统计

序号\t活动内容\t数量\t单位\t参与人次
1\t宣传咨询活动\t46\t场\t12500
2\t应急演练\t120\t场\t8150
3\t安全培训\t35\t期\t2800
4\t隐患排查\t—\t—\t—
合计\t\t\t\t23450

梁溪区安全生产委员会办公室
2024年7月5日
"""


def test_column_table_with_a_unit_column_and_not_applicable_marks():
    report = reportmine.parse_text(COLUMN_TABLE_REPORT, source="liangxi.txt")
    assert report.record.campaign.region == "江苏省无锡市梁溪区"   # a district's region is its full path
    (table,) = report.record.tables
    cells = {(tuple(c.row), tuple(c.col)): c for c in table.cells}
    assert cells[(("宣传咨询活动",), ("数量",))].value == 46
    assert cells[(("宣传咨询活动",), ("数量",))].unit == "场"
    assert cells[(("安全培训",), ("数量",))].unit == "期"
    assert cells[(("应急演练",), ("参与人次",))].unit == "人次"
    blank = cells[(("隐患排查",), ("数量",))]
    assert blank.value is None and blank.status == "blank" and blank.raw == "—"
    assert all(c.value != 0 for c in table.cells if c.raw == "—")
    for c in table.cells:   # spans index the original text
        assert report.text[c.span[0]:c.span[1]] == c.raw
    result = check_report(report)
    linked = {c.surface: c for c in result.claims}
    assert linked["46场"].verdict == "consistent" and linked["120场"].verdict == "consistent"
    assert linked["35期"].verdict == "consistent"
    total = [c for c in result.table_checks if c.kind == "total_row"]
    assert total and all(c.verdict == "consistent" for c in total)


def test_total_row_that_does_not_add_up_is_flagged_with_its_cells():
    text = COLUMN_TABLE_REPORT.replace("合计\t\t\t\t23450", "合计\t\t\t\t24450")
    result = check_report(reportmine.parse_text(text, source="liangxi-bad.txt"))
    bad = [c for c in result.table_checks if c.verdict == "contradicted"]
    assert len(bad) == 1 and bad[0].kind == "total_row"
    assert bad[0].found == "24450" and bad[0].expected == "23450"
    assert bad[0].line == text[:text.index("24450")].count("\n") + 1
    assert result.outcome == "contradicted"


def test_prose_figure_that_disagrees_with_a_grid_cell_is_contradicted():
    text = COLUMN_TABLE_REPORT.replace("开展应急演练120场", "开展应急演练210场")
    result = check_report(reportmine.parse_text(text, source="liangxi-prose.txt"))
    bad = [c for c in result.claims if c.verdict == "contradicted"]
    assert [c.surface for c in bad] == ["210场"]
    assert bad[0].table == 0 and "应急演练" in bad[0].explanation


def test_news_item_without_a_table_says_nothing_was_compared():
    path = _real("2019-jiangsu-safety-month-summary.txt")
    report = reportmine.parse(path)
    assert report.record.document.title is None
    assert "no_table" in {w.code for w in report.warnings}
    result = check_report(report)
    assert result.not_checked and "no statistics table" in result.not_checked[0]
    assert result.outcome in ("unchecked", "partial")
    assert "NOT CHECKED" in result.to_text() and result.to_dict()["outcome"] == result.outcome


def test_bulletin_with_its_number_under_the_title():
    report = reportmine.parse(_real("2018-anweibanhan-67-bulletin.txt"))
    doc = report.record.document
    assert doc.doc_number == "安委办函〔2018〕67号"
    assert doc.title == "国务院安委会办公室关于2018年上半年全国建筑业安全生产形势的通报"
    assert doc.addressee.startswith("各省、自治区、直辖市")


def test_cited_document_number_is_not_the_documents_own():
    report = reportmine.parse(_real("2025-shuyang-county-xxgk-annual.txt"))
    doc = report.record.document
    assert doc.doc_number is None
    assert doc.title.startswith("沐阳县人民政府") and doc.title.endswith("年度报告")
    notice = reportmine.parse(_real("2023-nea-safety-month-notice.txt")).record.document
    assert notice.doc_number is None and notice.title.endswith("活动的通知")


def _markdown_numbers(text: str) -> list[str]:
    """Every number written in a cell of a Markdown table row of ``text``."""
    out = []
    for line in text.split("\n"):
        if line.strip().startswith("|") and not set(line.strip()) <= set("|-: "):
            out += [c.strip() for c in line.strip().strip("|").split("|") if c.strip().replace(".", "").isdigit()]
    return out


def test_every_cell_of_the_real_markdown_annual_report_is_read():
    path = _real("2025-shuyang-county-xxgk-annual.txt")
    report = reportmine.parse(path)
    cells = [c for t in report.record.tables for c in t.cells]
    read = [c.raw for c in cells if c.value is not None]
    assert sorted(read) == sorted(_markdown_numbers(report.text))
    for c in cells:
        assert report.text[c.span[0]:c.span[1]] == c.raw
    by_path = {("/".join(c.row), "/".join(c.col)): c.value for c in cells}
    assert by_path[("三、本年度办理结果/（三） 不予公开/8. 属于国家秘密".replace("8. 属于国家秘密", "1. 属于国家秘密"), "总计")] == 0
    assert by_path[("三、本年度办理结果/（五） 不予处理/2. 重复申请", "总计")] == 7
    assert by_path[("第二十条第（八）项".replace("第二十条第（八）项", "行政事业性收费"), "本年收费金额（单位：万元）")] == 4068.208
    fee = next(c for c in cells if c.value == 4068.208)
    assert fee.unit == "万元"


def test_real_html_annual_report_table_with_merged_headers():
    report = reportmine.parse(_real("2023-shuyang-fgj-xxgk-annual.txt"))
    cells = [c for t in report.record.tables for c in t.cells]
    got = {("/".join(c.row), "/".join(c.col)): c for c in cells}
    assert got[("三、本年度办理结果/（七）总计", "申请人情况/自然人")].value == 26
    assert got[("三、本年度办理结果/（三）不予公开/1.属于国家秘密", "申请人情况/法人或其他组织/科研机构")].status == "blank"
    assert got[("", "行政诉讼/复议后起诉/总计")].value == 0
    assert got[("", "行政复议/尚未审结")].value == 1
    # the same row of the same national table lines up with the Markdown copy of another year
    keys_2025 = {c.key for t in reportmine.parse(_real("2025-shuyang-county-xxgk-annual.txt")).record.tables
                 for c in t.cells}
    assert "本年度办理结果/不予处理/重复申请|总计" in keys_2025
    assert "本年度办理结果/不予处理/重复申请|申请人情况/总计" in {c.key for c in cells}
    result = check_report(report)
    assert any(c.kind == "stated_rule" for c in result.table_checks)
    assert not [c for c in result.table_checks if c.verdict == "contradicted"]
    totals = {c.surface: c for c in result.claims}
    assert totals["26件"].cell_key == "本年新收政府信息公开申请数量|申请人情况/总计"


def test_real_annual_report_prose_total_links_to_the_total_cell():
    result = check_report(reportmine.parse(_real("2025-shuyang-county-xxgk-annual.txt")))
    linked = {c.surface.replace(" ", ""): c for c in result.claims}
    assert linked["718件"].cell_key == "本年度办理结果/总计|总计" and linked["718件"].verdict == "consistent"
    assert "749件" not in linked      # 新收 + 结转: a sum of two rows, no single cell
    assert not [c for c in result.table_checks if c.verdict == "contradicted"]
    assert {c.kind for c in result.table_checks} >= {"total_column", "total_row", "stated_rule"}


def test_pdf_line_breaks_inside_fill_in_blanks_are_healed(bundled):
    text = BUNDLED.read_text(encoding="utf-8")
    damaged = text.replace("(9216)", "(\n 9216 )", 1).replace("(781937)", "( 781937\n)", 1)
    assert damaged.count("\n") == text.count("\n") + 2
    report = reportmine.parse_text(damaged, source="pdf-blanks.txt")
    assert [(c.key, c.value) for c in report.record.annex.cells] == \
        [(c.key, c.value) for c in bundled.record.annex.cells]
    cell = report.record.cell("xuanguan.lectures")
    assert "9216" in report.text[cell.value_span[0]:cell.value_span[1]]


BLOCK_TABLE_REPORT = """某县2024年“安全生产月”活动情况报告

全县共开展应急演练50场，开展安全培训35期。

活动类别\t活动内容\t数量（场）
应急演练\t综合演练\t50
\t专项演练\t70
\t现场处置演练\t16
安全培训\t集中培训\t35
"""


def test_prose_total_is_compared_with_the_whole_block_not_its_first_row():
    report = reportmine.parse_text(BLOCK_TABLE_REPORT, source="block.txt")
    paths = {tuple(c.row) for t in report.record.tables for c in t.cells}
    assert ("应急演练", "专项演练") in paths        # a merged first column is filled down
    result = check_report(report)
    drills = next(c for c in result.claims if c.surface == "50场")
    assert drills.verdict == "contradicted" and "add up to 136" in drills.explanation
    consistent = check_report(reportmine.parse_text(BLOCK_TABLE_REPORT.replace("应急演练50场", "应急演练136场"),
                                                    source="block-ok.txt"))
    assert next(c for c in consistent.claims if c.surface == "136场").verdict == "consistent"


def test_cli_check_on_a_text_with_nothing_to_check_exits_4(tmp_path, capsys):
    from reportmine.cli import main

    path = tmp_path / "note.txt"
    path.write_text("关于做好夏季安全生产工作的通知\n\n各单位要切实做好夏季安全生产工作。\n", encoding="utf-8")
    assert main(["check", str(path)]) == 4
    out = capsys.readouterr().out
    assert "NOT CHECKED" in out and "0 prose figures" in out
    assert main(["check", str(path), "--format", "json"]) == 4
    assert '"outcome": "unchecked"' in capsys.readouterr().out


REAL_DOCUMENTS = ["2018-anweibanhan-67-bulletin.txt", "2019-jiangsu-safety-month-summary.txt",
                  "2022-jiangxi-statistical-communique.txt", "2022-yichun-statistical-communique.txt",
                  "2022-jiangxi-statistical-communique.html", "2022-yichun-statistical-communique.html",
                  "2023-nea-safety-month-notice.txt", "2023-shuyang-fgj-xxgk-annual.txt",
                  "2025-shuyang-county-xxgk-annual.txt"]


@pytest.mark.parametrize("name", REAL_DOCUMENTS)
def test_no_false_alarm_on_real_published_documents(name):
    """None of these published documents has an error the checker could see: every alarm would be false."""
    result = check_report(reportmine.parse(_real(name)))
    assert [c.explanation for c in result.contradicted] == []
    assert result.outcome in ("consistent", "partial", "unchecked")


def test_no_false_alarm_on_72_state_council_work_reports():
    import json

    path = _real("state-council-work-reports-1954-2025.jsonl")
    alarms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        result = check_report(reportmine.parse_text(record["content"], source=f"work report {record['year']}"))
        alarms += [(record["year"], c.explanation) for c in result.contradicted]
    assert alarms == []


def test_list_that_may_be_cut_wrongly_raises_no_alarm_but_a_clear_mismatch_does():
    doubtful = "我们坚持互相尊重主权和领土完整、互不侵犯、互不干涉内政、平等互利、和平共处五项原则。\n"
    assert not check_report(reportmine.parse_text(doubtful)).contradicted
    clear = "活动覆盖工厂、学校、社区、医院四个领域。\n"
    (bad,) = check_report(reportmine.parse_text(clear.replace("四个", "五个"))).contradicted
    assert bad.kind == "enumeration" and bad.listed == 4
    assert not check_report(reportmine.parse_text(clear)).contradicted


def test_district_report_resolves_its_bodies_under_the_full_division_path():
    text = ("梁溪区2024年“安全生产月”活动总结\n\n今年6月，区应急管理局会同区消防救援大队、区安委办组织开展“安全生产月”活动，"
            "区委、区政府主要领导出席启动仪式。\n\n梁溪区安全生产委员会办公室\n2024年7月5日\n")
    report = reportmine.parse_text(text, source="liangxi-orgs.txt")
    assert report.record.campaign.region == "江苏省无锡市梁溪区"
    orgs = dict(zip(report.entities["text"], report.entities["canonical"]))
    assert orgs["区应急管理局"] == "无锡市梁溪区应急管理局"
    assert orgs["区消防救援大队"] == "无锡市梁溪区消防救援大队"
    assert orgs["区安委办"] == "无锡市梁溪区安全生产委员会办公室"


MONTHLY_REPORT = """某县2024年安全宣传教育工作总结

一、宣传教育开展情况

全县共培训各类人员930人次，其中企业主要负责人120人次、安全管理人员310人次、一线从业人员500人次。6月“安全生产月”期间活动最为集中，当月开展宣讲活动88场、应急演练41场，参与6200人次。分月情况见表1。

表1　2024年第二季度安全宣传教育分月情况（单位：人次）

月份\t宣讲活动（场）\t应急演练（场）\t参与人次
4月\t35\t22\t3100
5月\t40\t30\t4100
6月\t88\t41\t6200
合计\t163\t93\t13400

表2　2024年安全培训情况（单位：人次）

对象\t企业主要负责人\t安全管理人员\t一线从业人员\t合计
全县合计\t120\t310\t500\t930
"""


def test_each_figure_of_a_breakdown_links_to_its_own_cell():
    result = check_report(reportmine.parse_text(MONTHLY_REPORT, source="monthly.txt"))
    links = {c.surface: (c.cell_key.split("|", 1)[1], c.verdict) for c in result.claims}
    assert links["930人次"] == ("全县合计|合计", "consistent")              # 全县共…各类人员: the grand total
    assert links["120人次"] == ("全县合计|企业主要负责人", "consistent")    # the words since the previous figure
    assert links["310人次"] == ("全县合计|安全管理人员", "consistent")
    assert links["500人次"] == ("全县合计|一线从业人员", "consistent")
    assert links["88场"][0] == "6月|宣讲活动场"                              # 当月 = the 6月 named before
    assert links["41场"][0] == "6月|应急演练场"
    assert links["6200人次"][0] == "6月|参与人次"
    assert not result.contradicted


def test_a_month_inside_a_date_or_a_range_names_no_row():
    text = MONTHLY_REPORT.replace("6月“安全生产月”期间活动最为集中，当月开展", "2024年6月3日起开展")
    result = check_report(reportmine.parse_text(text, source="monthly-date.txt"))
    assert "88场" not in {c.surface for c in result.claims}


def test_fewer_venues_than_the_places_named_is_a_contradiction():
    text = "某区安全生产月活动总结\n\n6月1日在甲街道、乙街道、丙街道和丁街道设立三个分会场同步启动。\n"
    (bad,) = [c for c in check_report(reportmine.parse_text(text)).internal_checks if c.kind == "enumeration"]
    assert bad.verdict == "contradicted" and bad.listed == 4 and "fewer than the places named" in bad.explanation
    for ok in ("设立四个分会场", "设立六个分会场"):      # one or more a place says nothing
        checks = check_report(reportmine.parse_text(text.replace("设立三个分会场", ok))).internal_checks
        assert not [c for c in checks if c.verdict == "contradicted"]


def test_a_conjunction_glued_to_the_next_word_still_separates_list_items():
    text = ("某县安全生产教育培训工作总结\n\n联合县人社局、县住建局、县交通运输局和县市场监管局等3个部门开展"
            "“安全生产大讲堂”。\n")
    (bad,) = [c for c in check_report(reportmine.parse_text(text)).internal_checks if c.kind == "enumeration"]
    assert bad.verdict == "contradicted" and bad.listed == 4
    good = text.replace("等3个部门", "等4个部门")
    assert all(c.verdict != "contradicted" for c in check_report(reportmine.parse_text(good)).internal_checks)
