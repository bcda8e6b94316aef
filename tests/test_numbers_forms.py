"""Every way of writing a count (issue 11): bare magnitudes with qualifiers, traditional script, mixed forms,
Chinese ranges — readings, non-quantities, and properties (render a number, read it back)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportmine.numbers import QUALIFIERS, find_quantities, fold_traditional, to_chinese_numeral


def _one(text: str):
    qs = find_quantities(text)
    assert len(qs) == 1, qs
    return qs[0]


@pytest.mark.parametrize(
    "text, surface, value, unit, qualifier, admits, bounds, kind",
    [
        # bare magnitudes with a qualifier (semantics: README "Quantities", data/qualifiers.json)
        ("近千人", "近千人", 1000, "人", "近", (500, 1000), "[)", "count"),
        ("近万名", "近万名", 10000, "名", "近", (5000, 10000), "[)", "count"),
        ("近百万条", "近百万条", 1000000, "条", "近", (500000, 1000000), "[)", "count"),
        ("上百场", "上百场", 100, "场", "上百", (100, 1000), "[)", "count"),
        ("上千万元", "上千万元", 10000000, "元", "上千", (10000000, 100000000), "[)", "count"),
        ("上十万人", "上十万人", 100000, "人", "上十", (100000, 1000000), "[)", "count"),
        ("数十家企业", "数十家", 10, "家", "数十", (10, 100), "()", "count"),
        ("数百名", "数百名", 100, "名", "数百", (100, 1000), "()", "count"),
        ("数十万人次", "数十万人次", 100000, "人次", "数十", (100000, 1000000), "()", "count"),
        ("几十个", "几十个", 10, "个", "几十", (10, 100), "()", "count"),
        ("好几千人", "好几千人", 1000, "人", "好几千", (1000, 10000), "()", "count"),
        ("千余人", "千余人", 1000, "人", "余", (1000, 2000), "()", "count"),
        ("百余家", "百余家", 100, "家", "余", (100, 200), "()", "count"),
        ("万余人", "万余人", 10000, "人", "余", (10000, 20000), "()", "count"),
        ("千余万元", "千余万元", 10000000, "元", "余", (10000000, 20000000), "()", "count"),
        ("十余期", "十余期", 10, "期", "余", (10, 20), "()", "count"),
        ("两万余人次", "两万余人次", 20000, "人次", "余", (20000, 30000), "()", "count"),
        ("逾千次", "逾千次", 1000, "次", "逾", (1000, None), "(]", "count"),
        ("过万人", "过万人", 10000, "人", "过万", (10000, None), "(]", "count"),
        ("约千人", "约千人", 1000, "人", "约", (500, 1500), "[]", "count"),
        ("成千上万名群众", "成千上万名", 1000, "名", "成千上万", (1000, None), "[]", "count"),
        ("参赛班组数以万计", "数以万计", 10000, None, "数以万计", (10000, None), "[]", "count"),
        # traditional script: measure words, magnitudes, qualifiers
        ("5個", "5個", 5, "个", None, (5, 5), "[]", "count"),
        ("12項", "12項", 12, "项", None, (12, 12), "[]", "count"),
        ("40場次", "40場次", 40, "场次", None, (40, 40), "[]", "count"),
        ("200條", "200條", 200, "条", None, (200, 200), "[]", "count"),
        ("4萬冊", "4萬冊", 40000, "册", None, (35000, 45000), "[)", "count"),
        ("3.2億元", "3.2億元", 320000000, "元", None, (315000000, 325000000), "[)", "count"),
        ("1.2萬餘份", "1.2萬餘份", 12000, "份", "余", (12000, 13000), "()", "count"),
        ("3.5万余人次", "3.5万余人次", 35000, "人次", "余", (35000, 36000), "()", "count"),
        ("約3,000人次", "約3,000人次", 3000, "人次", "约", (2500, 3500), "[]", "count"),
        ("超過1000萬次", "超過1000萬次", 10000000, "次", "超过", (10000000, None), "(]", "count"),
        ("近兩千人", "近兩千人", 2000, "人", "近", (1000, 2000), "[)", "count"),
        ("數十家", "數十家", 10, "家", "数十", (10, 100), "()", "count"),
        ("幾十支", "幾十支", 10, "支", "几十", (10, 100), "()", "count"),
        ("兩萬餘家", "兩萬餘家", 20000, "家", "余", (20000, 30000), "()", "count"),
        ("逾百萬人次", "逾百萬人次", 1000000, "人次", "逾", (1000000, None), "(]", "count"),
        # ranges
        ("300-500人", "300-500人", 300, "人", None, (300, 500), "[]", "range"),
        ("3至5万", "3至5万", 30000, None, None, (30000, 50000), "[]", "range"),
        ("3至5萬場", "3至5萬場", 30000, "场", None, (30000, 50000), "[]", "range"),
        ("二三十家", "二三十家", 20, "家", None, (20, 30), "[]", "range"),
        ("二三十份", "二三十份", 20, "份", None, (20, 30), "[]", "range"),
        ("三四十人", "三四十人", 30, "人", None, (30, 40), "[]", "range"),
        ("十二三个", "十二三个", 12, "个", None, (12, 13), "[]", "range"),
        ("两三万人", "两三万人", 20000, "人", None, (20000, 30000), "[]", "range"),
        ("一两百人", "一两百人", 100, "人", None, (100, 200), "[]", "range"),
        # percentages and changes of one are never counts
        # 几 standing for a digit of the next lower unit
        ("还有一百几十亿元的赤字", "一百几十亿元", 10000000000, "元", "几", (10000000000, 20000000000), "()", "count"),
        ("三千几百人", "三千几百人", 3000, "人", "几", (3000, 4000), "()", "count"),
        ("二十几个", "二十几个", 20, "个", "几", (20, 30), "()", "count"),
        # the part after 亿 counted in 万 when 万 follows the qualifier
        ("农具五亿二千多万件", "五亿二千多万件", 520000000, "件", "多", (520000000, 530000000), "()", "count"),
        ("损失二十五億七千多萬元", "二十五億七千多萬元", 2570000000, "元", "多", (2570000000, 2580000000), "()", "count"),
        ("1亿2千多万元", "1亿2千多万元", 120000000, "元", "多", (120000000, 130000000), "()", "count"),
        ("1亿2000万人次", "1亿2000万人次", 120000000, "人次", None, (115000000, 125000000), "[)", "count"),
        ("同比增长15.2%", "15.2%", 15.2, "%", None, (15.2, 15.2), "[]", "percent"),
        ("同比提高1.2个百分点", "1.2个百分点", 1.2, "个百分点", None, (1.2, 1.2), "[]", "percent"),
        ("同比增长1.5倍", "1.5倍", 1.5, "倍", None, (1.5, 1.5), "[]", "rate"),
        ("同比下降12.3％", "12.3％", 12.3, "%", None, (12.3, 12.3), "[]", "percent"),
    ],
)
def test_reading(text, surface, value, unit, qualifier, admits, bounds, kind):
    q = _one(text)
    assert (q.surface, q.value, q.unit, q.qualifier, q.admits, q.bounds, q.kind) == (
        surface, value, unit, qualifier, admits, bounds, kind,
    )
    assert text[q.span[0] : q.span[1]] == q.surface


@pytest.mark.parametrize(
    "text",
    [
        # a magnitude alone is a name or an idiom; a magnitude before 年 is a span of time
        "千人计划", "百场宣讲", "千家万户", "万众一心", "千方百计", "数十年", "上百年", "近百年历史", "百余年",
        # proportions
        "近九成", "八折", "三成以上", "超八成", "增长了百分之几十",
        # phases are ordinals; set phrases in traditional script
        "二期工程", "3期项目", "世上万物", "一案雙罰", "三級聯動", "雙輪驅動", "「五個一」", "十四五",
        # 突破 is a verb before 一: 突破一批关键技术
        "突破一批关键核心技术", "突破一些关键核心技术",
        # 上 / 数 / 几 inside other words
        "线上百场", "晚上十点", "通过百场", "茶几十",
        # traditional-script dates, 文号, ordinals, addresses, phones, times, counters
        "〔2015〕18號", "粵安委辦〔2015〕18號", "第十四個", "2016-06-08", "6月12日上午10時", "一段122號",
        "(020)83123456", "020-83123457", "瀏覽次數：2451", "二〇二三年六月二十日", "2012年度", "9時30分",
    ],
)
def test_not_a_quantity(text):
    assert find_quantities(text) == []


def test_count_before_a_number_word_is_not_several():
    """人数十万 is 人数 + 十万, not 数十万."""
    q = _one("参与人数十万")
    assert (q.surface, q.value, q.qualifier) == ("十万", 100000, None)


def test_traditional_unit_span_points_at_the_original():
    text = "全區開展應急演練40場次"
    q = _one(text)
    assert q.unit == "场次" and text[q.unit_span[0] : q.unit_span[1]] == "場次"


def test_magnitude_words_are_data():
    assert QUALIFIERS["上百"].rule == "reaching" and QUALIFIERS["上百"].position == "magnitude"
    assert QUALIFIERS["数十"].rule == "several" and QUALIFIERS["成千上万"].position == "word"
    assert QUALIFIERS["几"].position == "inner"  # 十几 keeps its reading beside 几十


# --------------------------------------------------------------------------- properties

_UNITS = ["人", "名", "场", "场次", "人次", "个", "项", "条", "家", "份"]
_TRAD = {"个": "個", "项": "項", "场": "場", "条": "條", "万": "萬", "亿": "億", "余": "餘", "两": "兩"}


def _trad(s: str) -> str:
    return "".join(_TRAD.get(ch, ch) for ch in s)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=2, max_value=10**12), st.sampled_from(_UNITS), st.booleans(), st.booleans())
def test_chinese_numeral_with_unit_reads_back(n, unit, traditional, in_sentence):
    written = to_chinese_numeral(n) + unit
    if traditional:
        written = _trad(written)
    text = f"全市共组织{written}参加。" if in_sentence else written
    q = _one(text)
    assert q.value == n and q.unit == unit and q.contains(n)
    assert q.surface == written and text[q.span[0] : q.span[1]] == written
    if "万" not in written and "萬" not in written and "亿" not in written and "億" not in written:
        assert q.admits == (n, n)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=99999), st.integers(min_value=0, max_value=2),
       st.sampled_from(["万", "萬"]), st.sampled_from(["余", "餘", "多"]), st.sampled_from(_UNITS))
def test_mixed_form_with_inner_qualifier(whole, decimals, wan, inner, unit):
    """1.2萬餘份: more than the figure, less than it plus one unit of its last written digit."""
    number = Decimal(whole).scaleb(-decimals)
    written = f"{number}{wan}{inner}{_trad(unit) if wan == '萬' else unit}"
    q = _one(written)
    value = number.scaleb(4)
    step = Decimal(1).scaleb(value.normalize().as_tuple().exponent)
    assert Decimal(str(q.value)) == value and q.unit == unit and q.bounds == "()"
    assert (Decimal(str(q.admits[0])), Decimal(str(q.admits[1]))) == (value, value + step)


_MAGNITUDES = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "十万": 10**5, "百万": 10**6, "千万": 10**7, "亿": 10**8}


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(_MAGNITUDES)), st.sampled_from(_UNITS),
       st.sampled_from(["近", "上", "数", "几", "逾", "余"]), st.booleans())
def test_bare_magnitude_intervals(mag, unit, word, traditional):
    """The documented semantics: 近M [M/2, M), 上M [M, 10M), 数M 几M (M, 10M), 逾M (M, ∞), M余 (M, 2M)."""
    m = _MAGNITUDES[mag]
    if word == "上" and mag[0] not in "十百千万亿":
        return
    written = f"{mag}余{unit}" if word == "余" else f"{word}{mag}{unit}"
    if traditional:
        written = _trad(written).replace("数", "數").replace("几", "幾")
    expected = {"近": ((m // 2, m), "[)"), "上": ((m, 10 * m), "[)"), "数": ((m, 10 * m), "()"),
                "几": ((m, 10 * m), "()"), "逾": ((m, None), "(]"), "余": ((m, 2 * m), "()")}[word]
    q = _one(f"活动期间{written}参与")
    assert (q.value, q.unit, q.admits, q.bounds, q.surface) == (m, unit, *expected, written)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=8), st.sampled_from(["十", "百", "千", "万", "百万"]), st.sampled_from(_UNITS))
def test_two_neighbouring_digits_are_a_range(a, mag, unit):
    digits = "一二三四五六七八九"
    first = "两" if a == 2 and mag != "十" else digits[a - 1]
    written = f"{first}{digits[a]}{mag}{unit}"
    q = _one(written)
    m = _MAGNITUDES[mag]
    assert (q.kind, q.value, q.admits, q.unit) == ("range", a * m, (a * m, (a + 1) * m), unit)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1, max_value=9999), st.sampled_from(_UNITS),
       st.sampled_from(["-", "至", "～", "到"]))
def test_arabic_range(lo, hi, unit, sep):
    lo, hi = min(lo, hi), max(lo, hi)
    if lo == hi:
        return
    q = _one(f"组织演练{lo}{sep}{hi}{_trad(unit)}")
    assert (q.kind, q.value, q.admits, q.unit) == ("range", lo, (lo, hi), unit)


_DISTRACTORS = st.one_of(
    st.builds(lambda y, m, d: f"{y}年{m}月{d}日", st.integers(1990, 2030), st.integers(1, 12), st.integers(1, 28)),
    st.builds(lambda y, m, d: f"{y}-{m:02d}-{d:02d}", st.integers(1990, 2030), st.integers(1, 12), st.integers(1, 28)),
    st.builds(lambda y, n, h: f"〔{y}〕{n}{h}", st.integers(1990, 2030), st.integers(1, 999), st.sampled_from("号號")),
    st.builds(lambda n: f"1{n}", st.integers(3000000000, 9999999999)),
    st.builds(lambda a, n: f"0{a}-{n}", st.integers(10, 999), st.integers(10000000, 99999999)),
    st.builds(lambda h, m: f"{h}:{m:02d}", st.integers(0, 23), st.integers(0, 59)),
    st.builds(lambda h, m, c: f"{h}{c}{m}分", st.integers(1, 23), st.integers(1, 59), st.sampled_from("时時")),
    st.builds(lambda n, u: f"第{n}{u}", st.integers(1, 99), st.sampled_from(["个", "個", "届", "屆", "次"])),
    st.builds(lambda n: f"第{to_chinese_numeral(n)}個", st.integers(1, 99)),
    st.builds(lambda n: f"{n}號", st.integers(1, 9999)),
)


@settings(max_examples=300, deadline=None)
@given(_DISTRACTORS, st.sampled_from(["于{}召开", "{}", "发布时间：{}　", "文号：粤安委办{}", "电话：{}", "（{}）"]))
def test_distractors_yield_nothing(distractor, frame):
    assert find_quantities(frame.format(distractor)) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("個項場條萬億餘約數幾兩近上千百十余多人次家0123456789.-至、，") + ["場次", "超過"]),
                max_size=30).map("".join))
def test_fold_keeps_spans(text):
    """Reading traditional text is reading its one-to-one simplified fold: the same spans and values."""
    folded = fold_traditional(text)
    assert len(folded) == len(text)
    got, ref = find_quantities(text), find_quantities(folded)
    assert [(q.span, q.value, q.unit, q.admits, q.kind) for q in got] == \
           [(q.span, q.value, q.unit, q.admits, q.kind) for q in ref]
    assert all(text[q.span[0] : q.span[1]] == q.surface for q in got)


@pytest.mark.parametrize(
    "text",
    ["近千" * 5000, "数十" * 5000, "一百几十" * 3000, "1亿2" * 4000, "千" * 10000, "二三十" * 3000,
     "成千上万" * 3000, "五亿二千多万" * 2000, "萬餘" * 5000, "上" * 5000 + "百人"],
)
def test_adversarial_new_forms_return(text):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a regex timeout warns: fail instead of silently truncating
        assert isinstance(find_quantities(text), list)
