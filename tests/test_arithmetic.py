"""The part/whole check of the prose (reportmine.arithmetic): each failure seen on real 统计公报 and 年报, the
exact-decimal property, and no false alarm on the real documents in ../shared/real/."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reportmine
from reportmine.arithmetic import InternalCheck, part_whole_checks
from reportmine.check import check_report
from reportmine.normalize import normalize
from reportmine.numbers import find_quantities

from conftest import SHARED  # noqa: E402  (tests/conftest.py: ../shared or $REPORTMINE_SHARED)

REAL = SHARED / "real"


def checks(text: str) -> list[InternalCheck]:
    norm = normalize(text)
    return part_whole_checks(norm, find_quantities(norm.text))


def only(text: str) -> InternalCheck:
    found = checks(text)
    assert len(found) == 1, [c.explanation for c in found]
    return found[0]


# -- the failures seen on real documents -------------------------------------------------------------

def test_a_breakdown_ends_at_its_clause():
    c = only("共有职工520人，其中：甲类120人，乙类400人；另一口径中女职工180人。")
    assert c.parts == ["120人", "400人"] and c.verdict == "consistent"
    c = only("全区共受理信息公开申请 530 件，其中公民申请 512 件，企业申请 18 件；共办理 500 件，结转下年 30 件。")
    assert [p.replace(" ", "") for p in c.parts] == ["512件", "18件"] and c.verdict == "consistent"
    assert "so 500件、30件 after it: not parts" in c.note


def test_a_list_of_parts_joined_by_dunhao_ends_at_the_comma():
    c = only("认定专精特新企业21家，其中小巨人企业3家、单项冠军企业15家、创新型企业3家，认定数字化示范企业4家；")
    assert c.parts == ["3家", "15家", "3家"] and c.verdict == "consistent"
    assert "not one of them" in c.note


def test_semicolon_items_after_a_colon_or_a_sentence_initial_qizhong_are_parts():
    c = only("全年主动公开信息320条，其中：规范性文件12条；人事信息8条；重点工作50条；网站动态250条。")
    assert c.parts == ["12条", "8条", "50条", "250条"] and c.verdict == "consistent"
    c = only("全年水果产量12.40万吨，比上年增长3.10%。其中，柑橘产量8.20万吨，增长4.00%；梨产量2.10万吨，"
             "下降1.20%；桃产量1.30万吨，增长2.50%；其他水果产量0.80万吨，增长6.00%。")
    assert c.whole == "12.40万吨" and len(c.parts) == 4 and c.verdict == "consistent"


def test_growth_percentages_are_not_parts():
    assert checks("重点产业增加值同比增长9.2%，其中甲产业增长18.4%，乙产业增长19.3%。") == []
    assert checks("全市居民恩格尔系数为30.5%，其中城镇为29.8%，农村为31.9%。") == []


def test_a_balance_is_not_mixed_with_its_change():
    c = only("年末存款余额600万元，比年初增加50万元，其中个人存款400万元，单位存款150万元。")
    assert c.whole == "600万元" and c.parts == ["400万元", "150万元"] and c.verdict == "consistent"
    # the changes of the parts are not parts, and are not checked against the change of the whole
    assert checks("年末存款余额600万元，比年初增加50万元，其中个人存款增加30万元，单位存款增加40万元。") == []
    c = only("各项存款余额820.40亿元，比年初增加61.20亿元。其中，住户存款530.10亿元，比年初增加66.30亿元；"
             "企业存款240.70亿元，比年初增加2.50亿元。")
    assert c.parts == ["530.10亿元", "240.70亿元"] and c.verdict == "consistent"


def test_a_prior_period_value_is_not_a_part():
    c = only("今年以来共查处违法行为300起，其中6月份120起，去年同期200起。")
    assert c.parts == ["120起"] and c.verdict == "consistent"


def test_exact_decimal_sum_is_not_a_contradiction():
    c = only("全年总产量64105.2吨，其中甲类64000.1吨，乙类105.1吨。")
    assert c.verdict == "consistent" and "64105.2 = 64105.2" in c.explanation


def test_published_rounding_is_not_a_contradiction():
    c = only("外贸进出口总额210.15亿元，其中出口150.48亿元，进口59.68亿元。")
    assert c.verdict == "consistent"      # 210.16 against 210.15: each figure rounded to 0.01亿


def test_a_single_part_larger_than_its_whole_is_flagged():
    c = only("卫生技术人员21400人，其中执业医师18210人，注册护士19000人。")
    assert c.verdict == "contradicted" and "37210 > 21400" in c.explanation
    c = only("卫生技术人员21400人，其中执业医师118210人。")   # an extra leading digit
    assert c.verdict == "contradicted" and "alone exceeds" in c.explanation
    # also when the parts are not summed (threshold classes may overlap)
    c = only("营业收入超亿元的企业412户，其中超10亿元的650户，超50亿元的7户。")
    assert c.verdict == "contradicted" and "650户 alone exceeds" in c.explanation


def test_parts_exceeding_the_whole_are_flagged():
    c = only("全年各类生产安全事故26起，其中，工矿商贸事故11起，道路运输事故19起。")
    assert c.verdict == "contradicted" and "30 > 26" in c.explanation


def test_two_breakdowns_of_one_whole_are_two_checks():
    found = checks("共受理申请530件，其中公民申请512件，企业申请18件；其中网上申请480件，信函申请150件。")
    assert [(c.parts, c.verdict) for c in found] == [(["512件", "18件"], "consistent"),
                                                      (["480件", "150件"], "contradicted")]
    found = checks("全年社会消费品零售总额640.0亿元，同比增长4.1%。其中，限额以上消费品零售额201.5亿元，增长9.7%。"
                   "按经营单位所在地分，城镇市场消费品零售额512.3亿元，增长3.9%；乡村市场消费品零售额127.7亿元，增长5.0%。")
    assert [(c.whole, c.parts) for c in found] == [("640.0亿元", ["201.5亿元"]),
                                                    ("640.0亿元", ["512.3亿元", "127.7亿元"])]
    assert all(c.verdict == "consistent" for c in found)


def test_nested_breakdown_in_brackets_is_its_own_check():
    found = checks("卫生技术人员21400人，其中执业（助理）医师8210人（其中执业医师7050人），注册护士9300人。")
    assert sorted((c.whole, tuple(c.parts)) for c in found) == [("21400人", ("8210人", "9300人")),
                                                                ("8210人", ("7050人",))]
    assert all(c.verdict == "consistent" for c in found)


def test_equality_only_when_the_last_part_is_the_rest():
    assert only("共有企业100家，其中国有企业30家，民营企业50家，其余20家。").verdict == "consistent"
    c = only("共有企业100家，其中国有企业30家，民营企业50家，其余10家。")
    assert c.verdict == "contradicted" and "90 < 100" in c.explanation
    c = only("共有企业100家，其中国有企业30家，民营企业50家。")
    assert c.verdict == "consistent" and "not claimed equal" in c.note


def test_when_unsure_nothing_is_claimed():
    # which whole? 8起 or 1起
    assert checks("全年共有4家企业发生了6起一般事故和1起较大事故，其中有4起发生在夜间，有5起发生在工地。") == []
    # an average or a per-head standard is not a whole
    assert checks("近三年年均完成投资310亿元，其中去年完成投资420亿元。") == []
    assert checks("将补助标准由每人每年30元提高到60元，其中省级补助由20元提高到45元。") == []
    # a stock after a flow ends the breakdown; a per-capita rate is not a part
    c = only("当年商标注册量5120件，其中集体商标注册量310件，年末有效商标拥有量1870件，每万人有效商标拥有量3.12件。")
    assert c.parts == ["310件"] and "1870件" in c.note
    # overlapping classes described after the figure are checked one by one, not summed
    c = only("全年发布短视频40条，其中2条点赞破百万、5条破十万、33条破万。")
    assert c.verdict == "consistent" and "not summed" in c.note


def test_a_contradiction_must_hold_for_every_reading_of_qizhong():
    # 其中 may refer to 排查 (1200) or to 整改 (1100): 1150 exceeds only one of them
    c = only("全年排查隐患1200处，整改1100处，其中一般隐患1150处。")
    assert c.verdict == "consistent" and "may refer to 1200处" in c.note
    assert only("全年排查隐患1200处，整改1100处，其中一般隐患1250处。").verdict == "contradicted"


def test_the_whole_has_the_parts_unit():
    c = only("全年接待游客520万人次，实现旅游收入48亿元，其中过夜游客210万人次，一日游游客350万人次。")
    assert c.whole == "520万人次" and c.verdict == "contradicted"      # 560万 > 520万
    assert checks("实现旅游收入48亿元，其中过夜游客210万人次。") == []  # no whole of that unit: nothing checked


def test_a_clause_with_a_verb_of_its_own_is_not_a_part():
    c = only("培训干部500人，其中处级干部200人，覆盖企业职工400人。")
    assert c.parts == ["200人"] and c.verdict == "consistent" and "new statement" in c.note
    # parallel verbs are a list: 其中发布9条，转发7条
    assert only("全年推送信息20条，其中发布原创信息9条，转发信息7条。").parts == ["9条", "7条"]
    assert only("获得省级奖励12项，其中主持5项、参与7项。").parts == ["5项", "7项"]


def test_check_report_uses_it_and_spans_point_at_the_original(seed_text):
    text = "关于工作的报告\n\n全年共检查企业31家，其中，化工企业17家，仓储企业 24 家。\n"
    result = check_report(reportmine.parse_text(text, source="x.txt"))
    pw = [c for c in result.internal_checks if c.kind == "part_whole"]
    assert len(pw) == 1 and pw[0].verdict == "contradicted" and not result.ok
    assert text[pw[0].span[0]:pw[0].span[1]].startswith("31家") and text[pw[0].span[0]:pw[0].span[1]].endswith("24 家")
    assert pw[0].to_dict()["kind"] == "part_whole"


# -- the property: exact decimal arithmetic ------------------------------------------------------------

_amount = st.integers(min_value=1, max_value=10**9).map(lambda n: Decimal(n).scaleb(-2))


@settings(max_examples=150, deadline=None)
@given(parts=st.lists(_amount, min_size=2, max_size=6), rest=st.booleans())
def test_parts_summing_exactly_to_the_whole_are_consistent(parts, rest):
    whole = sum(parts, Decimal(0))
    names = [f"第{'一二三四五六'[i]}类" for i in range(len(parts))]
    if rest:
        names[-1] = "其余"
    listed = "，".join(f"{n}{p:f}吨" for n, p in zip(names, parts))
    c = only(f"全年总产量{whole:f}吨，其中{listed}。")
    assert c.verdict == "consistent", c.explanation
    shown = format(whole.normalize(), "f")
    assert f" = {shown} = {shown} " in c.explanation, c.explanation   # exact: the sum is the whole


@settings(max_examples=150, deadline=None)
@given(parts=st.lists(_amount, min_size=2, max_size=6), cents=st.integers(min_value=1, max_value=10**6))
def test_parts_exceeding_the_whole_beyond_rounding_are_contradicted(parts, cents):
    excess = Decimal(len(parts) + 1) * Decimal("0.01") + Decimal(cents).scaleb(-2)  # beyond any rounding
    whole = sum(parts, Decimal(0)) - excess
    if whole <= 0:
        return
    listed = "，".join(f"第{'一二三四五六'[i]}类{p:f}吨" for i, p in enumerate(parts))
    assert only(f"全年总产量{whole:f}吨，其中{listed}。").verdict == "contradicted"


_PIECES = ["其中", "其中：", "，", "、", "；", "。", "（", "）", "（含", "\n", "共", "比上年增加", "增长", "人均",
           "其余", "超", "企业", "12", "3.5", "万", "亿", "人", "家", "元", "%", "按地区分，", "和", " "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60))
def test_any_text_gives_checks_with_valid_spans_and_never_raises(pieces):
    text = "".join(pieces)
    for c in checks(text):
        assert 0 <= c.span[0] < c.span[1] <= len(text)
        assert c.verdict in ("consistent", "contradicted") and c.parts
        assert text[c.span[0]:c.span[1]].startswith(c.whole) or c.whole in text[c.span[0]:c.span[1]]


# -- the real documents ----------------------------------------------------------------------------

REAL_DOCUMENTS = [
    "2022-yichun-statistical-communique.txt",
    "2022-jiangxi-statistical-communique.txt",
    "2018-anweibanhan-67-bulletin.txt",
    "2025-shuyang-county-xxgk-annual.txt",
    "2023-shuyang-fgj-xxgk-annual.txt",
    "2023-nea-safety-month-notice.txt",
    "2019-jiangsu-safety-month-summary.txt",
    "2022-yichun-statistical-communique.html",   # the pages as saved: the same prose, through the HTML loader
    "2022-jiangxi-statistical-communique.html",
]


def _real(name: str):
    path = REAL / name
    if not path.exists():
        pytest.skip(f"../shared/real absent: {path} not found")
    return check_report(reportmine.parse(path))


@pytest.mark.parametrize("name", REAL_DOCUMENTS)
def test_no_false_alarm_on_real_documents(name):
    bad = [c.explanation for c in _real(name).internal_checks
           if c.kind == "part_whole" and c.verdict == "contradicted"]
    assert bad == []


def test_real_breakdowns_are_read_as_written():
    def by_whole(result):
        return {c.whole.replace(" ", ""): [p.replace(" ", "") for p in c.parts]
                for c in result.internal_checks if c.kind == "part_whole"}

    yichun = by_whole(_real("2022-yichun-statistical-communique.txt"))
    assert yichun["16家"] == ["2家", "12家", "2家"]
    assert yichun["33025人"] == ["11835人", "15024人"] and yichun["11835人"] == ["9919人"]
    assert yichun["3473.12亿元"] == ["351.34亿元", "1508.90亿元", "1612.87亿元"]
    assert not any(p.endswith("%") for parts in yichun.values() for p in parts)
    assert by_whole(_real("2025-shuyang-county-xxgk-annual.txt"))["749件"] == ["741件", "8件"]
    assert len(by_whole(_real("2023-shuyang-fgj-xxgk-annual.txt"))["249条"]) == 8


def test_no_false_alarm_on_the_work_reports():
    import json

    path = REAL / "state-council-work-reports-1954-2025.jsonl"
    if not path.exists():
        pytest.skip(f"../shared/real absent: {path} not found")
    bad = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["content"]
        bad += [c.explanation for c in checks(text) if c.verdict == "contradicted"]
    assert bad == []
