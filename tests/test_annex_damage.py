"""Damaged or unfamiliar annex tables give warnings with line and column, and the rest of the record."""

from __future__ import annotations

import pytest

import reportmine


def _line_col(text: str, needle: str) -> tuple[int, int]:
    i = text.index(needle)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


def test_unclosed_bracket_and_empty_blank(seed_text, gold_annex):
    damaged = seed_text.replace("活动(9216)场", "活动(9216场", 1).replace("心得体会(14681) 篇", "心得体会( ) 篇", 1)
    report = reportmine.parse_text(damaged, source="damaged.txt")
    warnings = {w.code: w for w in report.warnings}
    assert "unclosed_bracket" in warnings and "empty_blank" in warnings
    unclosed = warnings["unclosed_bracket"]
    assert (unclosed.line, unclosed.column) == _line_col(damaged, "(9216场")
    empty = warnings["empty_blank"]
    assert (empty.line, empty.column) == _line_col(damaged, "( ) 篇")
    assert "line 92:" in str(empty)
    cells = report.record.annex.cells
    articles = [c for c in cells if c.label == "发表评论文章或心得体会"]
    assert articles and articles[0].value is None
    # everything after the damage is still read
    gold_tail = [(c["label"], c["value"]) for c in gold_annex["cells"][3:]]
    assert [(c.label, c.value) for c in cells[-len(gold_tail):]] == gold_tail


def test_truncated_table_warns(seed_text):
    cut = seed_text[: seed_text.index("活动项目\t活动进展情况") + len("活动项目\t活动进展情况")]
    report = reportmine.parse_text(cut, source="cut.txt")
    assert "no_items" in {w.code for w in report.warnings}
    assert report.record.document.doc_number == "沪安委办函〔2023〕1号"


def test_annex_matching_no_template_gets_generated_keys():
    text = ("某市应急管理局文件\n\n某应急函〔2024〕3号\n\n关于报送活动总结的函\n\n某某办公室：\n\n现报送。\n\n某市应急管理局\n\n"
            "2024年7月1日\n\n附件\n\n某某活动统计表\n\n1. 培训\t举办培训班（12）期，培训（340）人。\n2. 宣传\t发放资料（5,000）份。\n")
    report = reportmine.parse_text(text, source="other.txt")
    cells = report.record.annex.cells
    assert [(c.item, c.label, c.value, c.unit) for c in cells] == [
        (1, "举办培训班", 12, "期"), (1, "培训", 340, "人"), (2, "发放资料", 5000, "份")]
    assert [c.key for c in cells] == ["item1_cell1", "item1_cell2", "item2_cell1"]
    assert report.record.annex.template is None
    assert "no_template" in {w.code for w in report.warnings}


def test_region_year_rows_line_up_in_one_frame(seed_text):
    import pandas as pd

    a = reportmine.parse_text(seed_text, source="sh.txt").record
    other = seed_text.replace("上海市", "江苏省").replace("沪安委", "苏安委").replace("(9216)", "(100)")
    b = reportmine.parse_text(other, source="js.txt").record
    assert b.campaign.region == "江苏省"
    frame = pd.concat([a.to_frame(), b.to_frame()])
    wide = frame.pivot(index="key", columns="region", values="value")
    assert wide.loc["xuanguan.lectures", "上海市"] == 9216
    assert wide.loc["xuanguan.lectures", "江苏省"] == 100



def _drills_row(cells: str) -> str:
    """A letter whose annex has item 5 (应急演练) of the 2023 form with the given progress text."""
    return ("应急管理局文件\n\n某应急函〔2023〕2号\n\n关于报送总结的函\n\n应急管理部：\n\n现报送。\n\n应急管理局\n\n2023年7月10日\n\n"
            "附件\n\n全国“安全生产月”活动进展情况统计表\n\n填报单位（盖章）：应急管理局 联系人：张三 电话：010-1 填报日期：2023.7.8\n\n"
            "活动项目\t活动进展情况\n"
            "1. 宣贯活动\t组织开展宣讲活动(1)场，参与(2)人次； 发表评论文章或心得体会(3) 篇。\n"
            f"5. 坚持全民参与，组织开展常态化应急演练活动\t{cells}\n"
            "6. 咨询日\t组织开展“安全宣传咨询日”现场活动（9）场、参与（10）人次，网络直播（11）场、（12）人观看。\n")


@pytest.mark.parametrize("joined", ["参与", "参与人数"])
def test_participants_take_the_key_after_their_own_row_neighbour(joined):
    """Rows written in another order than the form keep each 参与 (or a close form) with the activity before it."""
    rec = reportmine.parse_text(_drills_row(
        f"开展从业人员自救互救技能培训（7）场，{joined}（8）人次；企业组织事故应急演练（5）场，{joined}（6）人次。")).record
    assert rec.annex.template == "safety-month-2023-national"
    assert rec.cell("drills.enterprise_drills").value == 5
    assert rec.cell("drills.enterprise_drill_participants").value == 6
    assert rec.cell("drills.self_rescue_trainings").value == 7
    assert rec.cell("drills.self_rescue_participants").value == 8


def test_a_participants_cell_whose_neighbour_is_lost_is_none_with_a_warning_naming_it():
    text = _drills_row("企业组织事故应急演练（5）场，参与（6）人次，开展从业人员自救互救技能培训（7）场，参与（8）人次； "
                       "农村村庄、城市社区、学校、家庭开展科普知识宣传等活动，参与（485767）人次。")
    report = reportmine.parse_text(text)
    rec = report.record
    assert [rec.cell(k).value for k in ("drills.enterprise_drills", "drills.enterprise_drill_participants",
                                        "drills.self_rescue_trainings", "drills.self_rescue_participants")] == [5, 6, 7, 8]
    (lost,) = [c for c in rec.annex.cells if c.raw == "485767"]
    assert lost.value is None and not lost.aligned and lost.key.startswith("item5_")
    (w,) = [w for w in report.warnings if w.code == "unplaced_cell"]
    assert "drills.community_participants" in w.message
    assert (w.line, w.column) == _line_col(text, "（485767）")
    # the cell before it is lost, and said to be lost at its row
    assert any(w.code == "missing_cells" and "drills.community_activities" in w.message
               and w.line == _line_col(text, "5. 坚持")[0] for w in report.warnings)


@pytest.mark.parametrize("blank, value, code", [
    ("九千二百一十六", 9216, None),           # a Chinese numeral is exact
    ("1,459,084", 1459084, None),
    ("145.9万", None, "approximate_blank"),   # 1459000 would be a wrong exact number
    ("约9216", None, "approximate_blank"),
    ("1，459，084", None, "unreadable_blank"),  # full-width commas: one number or several?
    ("1 459 084", None, "unreadable_blank"),
    ("92．16", None, "unreadable_blank"),      # a fraction of 场
    ("l459084", None, "unreadable_blank"),
    ("-9216", None, "unreadable_blank"),
    ("1e30", None, "unreadable_blank"),
    ("—", None, "unreadable_blank"),
    ("", None, "empty_blank"),
])
def test_blank_reads_exactly_or_is_none_with_a_warning_at_it(blank, value, code):
    text = _drills_row(f"企业组织事故应急演练（{blank}）场，参与（6）人次，开展从业人员自救互救技能培训（7）场，参与（8）人次。")
    report = reportmine.parse_text(text)
    cell = report.record.cell("drills.enterprise_drills")
    assert cell.value == value and cell.raw == blank
    assert report.record.cell("drills.enterprise_drill_participants").value == 6
    warned = [w for w in report.warnings if "drills.enterprise_drills" in w.message]
    if code is None:
        assert not warned
    else:
        assert [(w.code, w.line, w.column) for w in warned] == [(code, *_line_col(text, f"（{blank}）"))]


def test_fraction_read_where_the_unit_allows_it():
    text = ("某市应急管理局文件\n\n某应急函〔2024〕3号\n\n关于报送活动总结的函\n\n某某办公室：\n\n现报送。\n\n某市应急管理局\n\n"
            "2024年7月1日\n\n附件\n\n某某活动统计表\n\n1. 投入\t投入资金（12.5）万元，培训（340）人。\n")
    cells = reportmine.parse_text(text).record.annex.cells
    assert [(c.label, c.value, c.unit) for c in cells] == [("投入资金", 12.5, "万元"), ("培训", 340, "人")]


def test_row_broken_across_lines_and_row_without_tab_or_number_read_right(seed_text, gold_annex):
    row5 = seed_text.index("5. 坚持全民参与")
    broken = seed_text.replace("参与（ 1459084 ）", "参与（ 1459084\n）", 1)
    no_tab = seed_text[:row5] + seed_text[row5:].replace("\t", "", 1)
    no_number = seed_text[:row5] + seed_text[row5 + 3:]
    gold = [(c["item"], c["label"], c["value"]) for c in gold_annex["cells"]]
    for text, code in ((broken, None), (no_tab, "missing_tab"), (no_number, "missing_row_number")):
        report = reportmine.parse_text(text)
        assert [(c.item, c.label, c.value) for c in report.record.annex.cells] == gold
        assert [w.code for w in report.warnings] == ([code] if code else [])


def test_unreadable_cell_is_never_linked_nor_its_figure_sent_elsewhere(seed_text):
    from reportmine.check import check_report

    damaged = seed_text.replace("组织开展宣讲活动(9216)场", "组织开展宣讲活动(92l6)场", 1)
    result = check_report(reportmine.parse_text(damaged))
    assert result.ok
    assert "xuanguan.lectures" not in {c.cell_key for c in result.claims}
    assert not [c for c in result.claims if c.surface.replace(" ", "") in ("9200多场", "超过78万")]


@pytest.mark.parametrize("title", ["五进", "五进 "])
def test_row_without_tab_splits_its_title_where_the_first_label_begins(seed_text, gold_annex, title):
    """A title no template has, run into the first label: split where the template's label for that cell
    begins (a space inside the label, as in 人人讲安全 个个会应急, is not the split)."""
    start = seed_text.index("2. ")
    tab = seed_text.index("\t", start)
    text = seed_text[:start + 3] + title + seed_text[tab + 1:]
    rec = reportmine.parse_text(text).record
    item = next(i for i in rec.annex.items if i.no == 2)
    assert item.title == title.strip() and text[item.span[0]:item.span[1]] == title.strip()
    assert [(c.item, c.label, c.value) for c in rec.annex.cells] == [
        (c["item"], c["label"], c["value"]) for c in gold_annex["cells"]]
