"""Damaged or unfamiliar annex tables give warnings with line and column, and the rest of the record."""

from __future__ import annotations

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

