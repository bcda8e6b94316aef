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
    c = only("全县共受理政府信息公开申请 749 件，其中自然人申请 741 件，法人或其他组织申请 8 件；共办理 718 件，结转下一年 31 件。")
    assert [p.replace(" ", "") for p in c.parts] == ["741件", "8件"] and c.verdict == "consistent"


def test_a_list_of_parts_joined_by_dunhao_ends_at_the_comma():
    c = only("培育高成长性企业16家，其中种子独角兽企业2家、瞪羚企业12家、潜在瞪羚企业2家，培育绿色技术创新企业2家；")
    assert c.parts == ["2家", "12家", "2家"] and c.verdict == "consistent"
    assert "not one of them" in c.note


def test_semicolon_items_after_a_colon_or_a_sentence_initial_qizhong_are_parts():
    c = only("全年共审核发布各类公开政府信息249条，其中：行政公文9条；人事任免信息7条；重点工作39条；政府网站信息194条。")
    assert c.parts == ["9条", "7条", "39条", "194条"] and c.verdict == "consistent"
    c = only("全年肉类产量56.38万吨，比上年增长8.52%。其中，猪肉产量44.31万吨，增长8.99%；牛肉产量3.91万吨，"
             "下降2.73%；羊肉产量0.64万吨，增长1.83%；禽肉产量7.52万吨，增长13.07%。")
    assert c.whole == "56.38万吨" and len(c.parts) == 4 and c.verdict == "consistent"


def test_growth_percentages_are_not_parts():
    assert checks("八大重点产业工业增加值同比增长9.2%，其中锂电新能源产业增长18.4%，生物医药产业增长19.3%。") == []
    assert checks("全省居民恩格尔系数为32.0%，其中城镇为31.2%，农村为33.4%。") == []


def test_a_balance_is_not_mixed_with_its_change():
    c = only("年末存款余额600万元，比年初增加50万元，其中个人存款400万元，单位存款150万元。")
    assert c.whole == "600万元" and c.parts == ["400万元", "150万元"] and c.verdict == "consistent"
    # the changes of the parts are not parts, and are not checked against the change of the whole
    assert checks("年末存款余额600万元，比年初增加50万元，其中个人存款增加30万元，单位存款增加40万元。") == []
    c = only("各项存款余额4937.31亿元，比年初增加513.67亿元。其中，住户存款3298.25亿元，比年初增加493.16亿元；"
             "非金融企业存款1105.82亿元，比年初增加48.25亿元。")
    assert c.parts == ["3298.25亿元", "1105.82亿元"] and c.verdict == "consistent"


def test_exact_decimal_sum_is_not_a_contradiction():
    c = only("全年总产量64105.2吨，其中甲类64000.1吨，乙类105.1吨。")
    assert c.verdict == "consistent" and "64105.2 = 64105.2" in c.explanation


def test_published_rounding_is_not_a_contradiction():
    c = only("外贸进出口总额508.11亿元，其中出口474.78亿元，进口33.34亿元。")
    assert c.verdict == "consistent"      # 508.12 against 508.11: each figure rounded to 0.01亿


def test_a_single_part_larger_than_its_whole_is_flagged():
    c = only("卫生技术人员33025人，其中执业医师119919人。")   # an extra leading digit
    assert c.verdict == "contradicted" and "alone exceeds" in c.explanation
    # also when the parts are not summed (threshold classes may overlap)
    c = only("营业收入超亿元的企业827户，其中超10亿元的990户，超50亿元的9户。")
    assert c.verdict == "contradicted" and "990户 alone exceeds" in c.explanation


def test_parts_exceeding_the_whole_are_flagged():
    c = only("全年各类生产安全事故31起，其中，工矿商贸事故17起，道路运输事故24起。")
    assert c.verdict == "contradicted" and "41 > 31" in c.explanation


def test_two_breakdowns_of_one_whole_are_two_checks():
    found = checks("共受理申请749件，其中自然人申请741件，法人或其他组织申请8件；其中网上申请700件，信函申请149件。")
    assert [(c.parts, c.verdict) for c in found] == [(["741件", "8件"], "consistent"),
                                                      (["700件", "149件"], "contradicted")]
    found = checks("全年社会消费品零售总额1131.0亿元，同比增长5.6%。其中，限额以上消费品零售额313.2亿元，增长19.7%。"
                   "按经营单位所在地分，城镇市场消费品零售额949.2亿元，增长5.4%；乡村市场消费品零售额181.8亿元，增长6.3%。")
    assert [(c.whole, c.parts) for c in found] == [("1131.0亿元", ["313.2亿元"]),
                                                    ("1131.0亿元", ["949.2亿元", "181.8亿元"])]
    assert all(c.verdict == "consistent" for c in found)


def test_nested_breakdown_in_brackets_is_its_own_check():
    found = checks("卫生技术人员33025人，其中执业（助理）医师11835人（其中执业医师9919人），注册护士15024人。")
    assert sorted((c.whole, tuple(c.parts)) for c in found) == [("11835人", ("9919人",)),
                                                                ("33025人", ("11835人", "15024人"))]
    assert all(c.verdict == "consistent" for c in found)


def test_equality_only_when_the_last_part_is_the_rest():
    assert only("共有企业100家，其中国有企业30家，民营企业50家，其余20家。").verdict == "consistent"
    c = only("共有企业100家，其中国有企业30家，民营企业50家，其余10家。")
    assert c.verdict == "contradicted" and "90 < 100" in c.explanation
    c = only("共有企业100家，其中国有企业30家，民营企业50家。")
    assert c.verdict == "consistent" and "not claimed equal" in c.note


def test_when_unsure_nothing_is_claimed():
    # which whole? 8起 or 1起
    assert checks("上半年共有6家中央企业发生了8起较大事故和1起重大事故，其中有5起发生在公路，有7起发生在中西部地区。") == []
    # an average or a per-head standard is not a whole
    assert checks("从2003年到2006年年均超收2040亿元，其中去年超收2573亿元。") == []
    assert checks("将筹资标准由每人每年50元提高到100元，其中财政补助标准由40元提高到80元。") == []
    # a stock after a flow ends the breakdown; a per-capita rate is not a part
    c = only("当年专利授权量6742件，其中发明专利授权量659件，年末有效发明专利拥有量2188件，每万人有效发明专利拥有量4.37件。")
    assert c.parts == ["659件"] and "2188件" in c.note
    # overlapping classes described after the figure are checked one by one, not summed
    c = only("年度涌现爆款内容52条，其中1条播放量破亿、2条破千万、49条破百万。")
    assert c.verdict == "consistent" and "not summed" in c.note


def test_check_report_uses_it_and_spans_point_at_the_original(seed_text):
    text = "关于工作的报告\n\n全年各类生产安全事故31起，其中，工矿商贸事故17起，道路运输事故 24 起。\n"
    result = check_report(reportmine.parse_text(text, source="x.txt"))
    pw = [c for c in result.internal_checks if c.kind == "part_whole"]
    assert len(pw) == 1 and pw[0].verdict == "contradicted" and not result.ok
    assert text[pw[0].span[0]:pw[0].span[1]].startswith("31起") and text[pw[0].span[0]:pw[0].span[1]].endswith("24 起")
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


# -- the real documents ----------------------------------------------------------------------------

REAL_DOCUMENTS = [
    "2022-yichun-statistical-communique.txt",
    "2022-jiangxi-statistical-communique.txt",
    "2018-anweibanhan-67-bulletin.txt",
    "2025-shuyang-county-xxgk-annual.txt",
    "2023-shuyang-fgj-xxgk-annual.txt",
    "2023-nea-safety-month-notice.txt",
    "2019-jiangsu-safety-month-summary.txt",
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
