"""公文 structure beyond the seed: regions by short name, nested section levels."""

from __future__ import annotations

import reportmine


def test_region_by_full_or_short_name():
    from reportmine.structure import region_of

    assert region_of("上海市2023年“安全生产月”活动总结") == "上海市"
    assert region_of("广西应急管理厅") == "广西壮族自治区"
    assert region_of("新疆生产建设兵团应急管理局") == "新疆生产建设兵团"
    assert region_of("全国“安全生产月”组委会办公室") is None


def test_nested_section_levels_with_ascii_and_full_width_brackets():
    text = ("某局文件\n\n某函〔2024〕2号\n\n关于报送总结的函\n\n某办公室：\n\n现报送。\n\n某局\n\n2024年7月1日\n\n某市2024年活动总结\n\n"
            "一、总体情况\n\n(一)组织领导。内容。\n\n1. 健全机制。内容。\n\n(1) 制定方案。内容。\n\n（2）召开会议。内容。\n\n"
            "2.督促落实。内容。\n\n（二）宣传教育。内容。\n\n二、下一步打算\n\n内容。\n")
    report = reportmine.parse_text(text, source="nested.txt")
    secs = report.structure.sections
    assert [(s.no, s.title) for s in secs] == [("一", "总体情况"), ("二", "下一步打算")]
    sub = secs[0].subsections
    assert [(s.no, s.level, s.title) for s in sub] == [("一", 2, "组织领导"), ("二", 2, "宣传教育")]
    assert [(s.no, s.title) for s in sub[0].subsections] == [("1", "健全机制"), ("2", "督促落实")]
    assert [(s.no, s.level, s.title) for s in sub[0].subsections[0].subsections] == [("1", 4, "制定方案"), ("2", 4, "召开会议")]


def test_campaign_of_a_report_from_another_region_and_year():
    """第 21 个全国“安全生产月”: the edition may be written with 全国 before the campaign name."""
    from pathlib import Path

    import reportmine

    report = reportmine.parse(Path(__file__).resolve().parents[1] / "corpus" / "2022-zhejiang-safety-month.txt")
    c = report.record.campaign
    assert (c.name, c.year, c.edition, c.region) == ("安全生产月", 2022, 21, "浙江省")
