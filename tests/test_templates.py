"""Annex templates across years: the 2022 layout, keys shared with 2023, template choice by title/year/shape."""

from __future__ import annotations

from pathlib import Path

import pytest

import reportmine
from reportmine.annex import annex_year, templates

REPO = Path(__file__).resolve().parents[1]
ZHEJIANG_2022 = REPO / "corpus" / "2022-zhejiang-safety-month.txt"
SICHUAN_2024 = REPO / "corpus" / "2024-sichuan-safety-month.txt"

#: Cells that mean the same in the 2022 and 2023 national tables.
SHARED = {
    "xuanguan.lectures", "xuanguan.lectures_participants", "xuanguan.talks", "xuanguan.talks_participants",
    "wudaitou.pledge_events", "wudaitou.pledge_participants",
    "drills.enterprise_drills", "drills.enterprise_drill_participants", "drills.self_rescue_trainings",
    "drills.self_rescue_participants",
    "consult_day.consult_day_events", "consult_day.consult_day_participants", "consult_day.livestreams",
    "consult_day.livestream_viewers",
    "other.other_events", "other.other_participants",
}


def template(tid: str) -> dict:
    return next(t for t in templates() if t["id"] == tid)


def cells_of(tpl: dict) -> dict[str, dict]:
    return {c["key"]: {**c, "item": it["no"]} for it in tpl["items"] for c in it["cells"]}


def test_templates_are_well_formed():
    ids = [t["id"] for t in templates()]
    assert {"safety-month-2022-national", "safety-month-2023-national"} <= set(ids) and len(ids) == len(set(ids))
    for t in templates():
        assert t["campaign"] == "安全生产月" and t["years"] and t["title"]
        keys = [c["key"] for it in t["items"] for c in it["cells"]]
        assert len(keys) == len(set(keys)), t["id"]
        assert [it["no"] for it in t["items"]] == list(range(1, len(t["items"]) + 1))
        assert all(c["label"] and c["unit"] for it in t["items"] for c in it["cells"])
        for f in t.get("named_fields", []):
            assert f["item"] in {it["no"] for it in t["items"]}


def test_same_meaning_cells_share_keys_across_years():
    old, new = cells_of(template("safety-month-2022-national")), cells_of(template("safety-month-2023-national"))
    assert set(old) & set(new) == SHARED
    for key in SHARED:        # same metric: same label and unit, wherever the row sits in the table
        assert (old[key]["label"], old[key]["unit"]) == (new[key]["label"], new[key]["unit"]), key
    only_2022 = set(old) - set(new)
    assert {"safety_law.lectures", "safety_law.quiz_participants", "open_class.classes",
            "warning.film_screenings", "wujin.events", "wujin.audience"} <= only_2022
    assert old["wudaitou.pledge_events"]["item"] == 3 and new["wudaitou.pledge_events"]["item"] == 3
    assert old["other.other_events"]["item"] == 8 and new["other.other_events"]["item"] == 7


def test_2022_report_uses_the_2022_template_with_every_cell_keyed():
    report = reportmine.parse(ZHEJIANG_2022)
    rec = report.record
    assert rec.annex.template == "safety-month-2022-national"
    assert rec.warnings == []                  # no no_template, unknown_cell or missing_cells
    keys = [c.key for c in rec.annex.cells]
    assert len(keys) == 30 and len(set(keys)) == 30
    assert set(keys) == set(cells_of(template("safety-month-2022-national")))
    assert rec.cell("xuanguan.lectures").value == 12436
    assert rec.cell("safety_law.quiz_participants").value == 286413
    assert rec.cell("safety_law.materials").unit == "份"
    assert rec.cell("consult_day.livestream_viewers").value == 2386500
    assert rec.cell("wujin.audience").value == 3028400
    assert rec.cell("other.other_participants").value == 520
    (named,) = rec.annex.named_fields
    assert (named.item, named.key) == (8, "other.activity_name") and "主题宣讲大赛" in named.text
    assert (rec.campaign.region, rec.campaign.year) == ("浙江省", 2022)


def test_years_line_up_in_one_table():
    corpus = reportmine.parse_many([ZHEJIANG_2022, REPO / "corpus" / "2023-shanghai-safety-month.txt"],
                                   workers=1, cache=False, check=False, entities=False)
    assert list(corpus.documents["template"]) == ["safety-month-2022-national", "safety-month-2023-national"]
    assert not corpus.cells["key"].str.startswith("item").any()
    wide = corpus.cells.pivot(index="key", columns="year", values="value")
    both = wide.dropna()
    assert set(both.index) == SHARED
    assert both.loc["xuanguan.lectures"].tolist() == [12436, 9216]


@pytest.mark.skipif(not SICHUAN_2024.exists(), reason="corpus/2024-sichuan-safety-month.txt not present")
def test_2024_report_on_the_2023_form_keeps_the_2023_template():
    rec = reportmine.parse(SICHUAN_2024).record
    assert rec.annex.template == "safety-month-2023-national"
    assert not [w for w in rec.warnings if w.code in ("no_template", "unknown_cell", "missing_cells")]


def annex_letter(title: str, date: str = "2022.7.8") -> str:
    """A letter whose annex has only rows both layouts share (items 1, 5 and 6): the shape cannot decide."""
    return ("应急管理厅文件\n\n某应急函〔2022〕1号\n\n关于报送总结的函\n\n应急管理部：\n\n现报送。\n\n应急管理厅\n\n2022年7月10日\n\n"
            f"附件\n\n{title}\n\n填报单位（盖章）：应急管理厅 联系人：张三 电话：010-12345678 填报日期：{date}\n\n"
            "活动项目\t活动进展情况\n"
            "1. 宣贯活动\t组织开展宣讲活动(1)场，参与(2)人次； 组织开展“安全生产大家谈”“班前会”“以案说法”等活动(3)场，"
            "参与(4)人次。\n"
            "5. 应急演练\t企业组织事故应急演练（5）场，参与（6）人次，开展从业人员自救互救技能培训（7）场，参与（8）人次。\n"
            "6. 咨询日\t组织开展“安全宣传咨询日”现场活动（9）场、参与（10）人次，网络直播（11）场、（12）人观看。\n")


@pytest.mark.parametrize("title, date, expected", [
    ("2022年全国“安全生产月”活动进展情况统计表", "2022.7.8", "safety-month-2022-national"),
    ("2023年全国“安全生产月”活动进展情况统计表", "2022.7.8", "safety-month-2023-national"),
    ("全国“安全生产月”活动进展情况统计表", "2023.7.3", "safety-month-2023-national"),
    ("全国“安全生产月”活动进展情况统计表", "2022.7.8", "safety-month-2022-national"),
])
def test_template_chosen_by_title_year_when_the_shape_is_ambiguous(title, date, expected):
    rec = reportmine.parse_text(annex_letter(title, date)).record
    assert rec.annex.template == expected
    assert [c.key for c in rec.annex.cells][:2] == ["xuanguan.lectures", "xuanguan.lectures_participants"]
    assert rec.cell("consult_day.livestream_viewers").value == 12
    assert not [w for w in rec.warnings if w.code == "unknown_cell"]


def test_annex_year():
    assert annex_year("2022年全国“安全生产月”活动进展情况统计表") == 2022
    assert annex_year("全国“安全生产月”活动进展情况统计表", "2023-07-03") == 2023
    assert annex_year("全国“安全生产月”活动进展情况统计表") is None
    assert annex_year(None) is None


def test_the_annex_templates_are_those_the_genre_files_name():
    import json

    from reportmine.annex import templates
    from reportmine.resources import data_path

    named = {n for p in data_path("genres").iterdir() if p.suffix == ".json"
             for n in json.loads(p.read_text(encoding="utf-8")).get("annex_templates", [])}
    assert named and {t["id"] for t in templates()} == named
