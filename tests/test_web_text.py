"""Web-page damage in text: furniture lines, pinyin glosses and mojibake, removed or named with every span
still indexing the original."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reportmine
from reportmine.furniture import furniture_lines, line_kind
from reportmine.glosses import gloss_spans
from reportmine.mojibake import mojibake_runs
from reportmine.normalize import normalize
from reportmine.numbers import find_quantities

BODY = "全市共组织开展宣讲活动9216场，参与78万人次。"


def _quantities(text: str) -> list[tuple[str, str | None]]:
    n = normalize(text)
    return [(n.original_slice(*q.span), q.unit) for q in find_quantities(n.text)]


# -- pinyin glosses -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("glossed,clean", [
    ("某某公司(sī)组织培训12场", "某某公司组织培训12场"),
    ("召开會議(yì)3次", "召开會議3次"),
    ("强化安全（ān quán）意识", "强化安全意识"),
    ("西安(xī'ān)市", "西安市"),
    ("组织(zǔ zhī)演练（9216）场", "组织演练（9216）场"),
])
def test_pinyin_glosses_are_removed_and_spans_map_back(glossed, clean):
    assert normalize(glossed).text == normalize(clean).text
    n = normalize(glossed, simplify=False)
    for i, ch in enumerate(n.text):
        assert glossed[n.offsets[i]] == ch or ch in "（）"


@pytest.mark.parametrize("text", ["开展活动（9216）场", "（一）强化组织领导", "地区生产总值（GDP）增长", "细颗粒物(PM2.5)浓度",
                                  "使用（app）报名", "公司(si)无声调", "2023(nián)", "（注：ān quán 为拼音）",
                                  "主任（zhǔ rèn wěi yuán huì）", "签约(Chéngdū Hotel)"])
def test_real_brackets_and_doubtful_glosses_are_kept(text):
    """No tone mark, not after a Chinese character, a word that is no syllable, or more syllables than the
    characters before the bracket: not a gloss."""
    assert normalize(text).text == text.replace("(", "（").replace(")", "）")


# -- mojibake ------------------------------------------------------------------------------------------------

def _cp1252(text: str) -> str:
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8"))


@pytest.mark.parametrize("garbled", [_cp1252("组织培训1200场"), _cp1252(_cp1252("安全")), "锟斤拷锟斤拷",
                                     "烫烫烫烫烫烫", "\ufffd\ufffd3\ufffd",
                                     "组织安全培训".encode("utf-8").decode("gbk", errors="replace")])
def test_mojibake_run_is_named_at_its_line_and_column_and_gives_no_figure(garbled):
    text = f"{BODY}\n另有{garbled}场次，其余活动12场。\n"
    report = reportmine.parse_text(text)
    warnings = [w for w in report.warnings if w.code == "mojibake"]
    assert len(warnings) == 1
    w = warnings[0]
    at = text.index(garbled)
    assert (w.line, w.column) == (2, at - text.index("\n"))
    assert w.span[0] <= at and w.span[1] >= at + len(garbled)
    assert garbled[:4] in w.message or repr(garbled[:4])[1:-1] in w.message
    surfaces = [s for s, _ in _quantities(text)]
    assert "9216场" in surfaces and "12场" in surfaces
    assert not any(text.index(s) >= at and text.index(s) < at + len(garbled) + 2 for s in surfaces
                   if s not in ("9216场", "78万人次", "12场"))


def test_a_digit_touching_a_run_belongs_to_it():
    text = "全市开展锟斤拷2000场演练。"
    assert _quantities(text) == []
    assert mojibake_runs(text) == [(4, 11)]


@pytest.mark.parametrize("text", ["“安全生产月”——人人讲安全。", "长×宽×高", "Café 与 Müller", "……", "××单位：",
                                  "温度25°C，±2", "“ABC”", "第1页·共3页", "© 2023", "¥300元"])
def test_ordinary_latin_and_punctuation_is_not_mojibake(text):
    assert mojibake_runs(text) == []
    assert normalize(text).garbled == ()


def test_clean_documents_have_no_mojibake():
    """No false alarm on the bundled reports, the layout documents and the real documents (1.2 million
    characters of work reports included)."""
    from conftest import REPO, SHARED
    import json

    texts = [p.read_text(encoding="utf-8") for p in [*REPO.glob("corpus/*.txt"), *REPO.glob("tests/layouts/*/*.txt")]]
    real = SHARED / "real"
    if real.exists():
        texts += [p.read_text(encoding="utf-8") for p in real.glob("*.txt")]
        with open(real / "state-council-work-reports-1954-2025.jsonl", encoding="utf-8") as f:
            texts += [json.loads(line)["content"] for line in f if line.strip()]
    found = [text[s:e] for text in texts for s, e in mojibake_runs(text)]
    assert found == []


def test_a_line_of_nothing_but_mojibake_is_removed_and_spans_still_map():
    garbled = _cp1252("全市组织安全培训1200场次。")
    text = f"{BODY}\n\n{garbled}\n\n召开会议12次。\n"
    n = normalize(text)
    assert garbled not in n.text and "\ufffd" not in n.text
    assert n.original_slice(n.text.index("12次"), n.text.index("12次") + 3) == "12次"
    assert n.garbled == ((text.index(garbled), text.index(garbled) + len(garbled)),)


def test_a_few_replacement_characters_are_read_with_a_warning_many_are_refused(tmp_path):
    few = tmp_path / "few.txt"
    few.write_text(f"{BODY * 2}\n共\ufffd\ufffd场。\n" * 3, encoding="utf-8")
    report = reportmine.parse(few)
    assert sum(w.code == "mojibake" for w in report.warnings) == 3
    many = tmp_path / "many.txt"
    many.write_text("\ufffd" * 50 + BODY, encoding="utf-8")
    with pytest.raises(reportmine.ReportLoadError, match="U\\+FFFD"):
        reportmine.parse(many)


# -- furniture -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("line", ["浏览次数：1024", "阅读量：3万", "点击数：1.2万次", "当前位置：首页 > 政务公开 > 工作总结",
                                  "首页 | 政务公开 | 办事服务", "分享到：微信 微博", "【打印本页】【关闭窗口】", "【字体：大 中 小】",
                                  "京ICP备12345678号-1", "网站标识码：3100000001", "京公网安备 11010502030377号",
                                  "发布时间：2023-07-20 10:31 来源：市应急局 浏览次数：1024", "上一篇：关于开展检查的通知",
                                  "（责任编辑：张三）", "扫一扫在手机打开当前页", "Copyright © 2023 应急管理局 All Rights Reserved"])
def test_strong_furniture_lines_go_and_give_no_quantity(line):
    assert line_kind(line) in ("strong", "related")
    text = f"{BODY}\n{line}\n召开会议12次。\n"
    n = normalize(text)
    assert line not in n.text and BODY in n.text and "召开会议12次。" in n.text
    assert sorted(s for s, _ in _quantities(text)) == ["12次", "78万人次", "9216场"]


@pytest.mark.parametrize("line", ["主办单位：上海市应急管理局", "来源：国家统计局", "联系电话：021-64830000",
                                  "发布时间：2023-07-20", "打印", "相关工作", "2023年7月20日", "上海市应急管理局",
                                  "组织开展宣讲活动（9216）场", "阅读《安全生产法》1200遍", "58271"])
def test_report_lines_and_weak_items_alone_are_kept(line):
    text = f"{BODY}\n{line}\n召开会议12次。\n"
    assert normalize(text).text == normalize(text).original.replace("(", "（").replace(")", "）")


def test_weak_items_go_only_beside_strong_ones_and_fields_never_alone():
    page = ("主办单位：应急管理局 承办单位：信息中心\n版权所有：应急管理局 京ICP备12345678号\n"
            "联系电话：021-64830000\n")
    text = f"{BODY}\n\n{page}"
    n = normalize(text)
    assert "主办单位" not in n.text and "ICP" not in n.text
    assert "联系电话：021-64830000" in n.text          # a field on a line of its own is never furniture


def test_related_headlines_go_up_to_the_next_report_line():
    text = (f"{BODY}\n\n相关新闻\n· 全市组织安全培训1200场次\n· 点击数：1.2万次的视频上线 2023-06-30\n\n"
            "附件\n全国“安全生产月”活动进展情况统计表\n")
    n = normalize(text)
    assert "1200场次" not in n.text and "1.2万次" not in n.text and "附件\n" in n.text
    assert [s for s, _ in _quantities(text)] == ["9216场", "78万人次"]


def test_spam_digit_lines_go_only_on_a_web_page():
    plain = f"{BODY}\n\n58271\n\n召开会议12次。\n"
    assert "58271" in normalize(plain).text
    web = "浏览次数：1024\n\n" + plain
    assert "58271" not in normalize(web).text and "召开会议12次。" in normalize(web).text


def test_furniture_lines_cost_is_linear_and_long_lines_are_content():
    long_line = "分享到" + "安" * 5000
    assert line_kind(long_line) == "content"
    text = ("浏览次数：1024\n" + BODY + "\n") * 2000
    assert len(furniture_lines(text)) == 2000


_PIECES = ["浏览次数：1024", "当前位置：首页 > 工作", "主办单位：某局", "58271", "相关新闻", "· 某新闻标题",
           "公司(sī)", "安全（ān quán）", _cp1252("培训"), "锟斤拷", "\ufffd", "（9216）场", "组织活动12场。",
           "联系电话：021-1234", "\n", "\n\n", "\t", " ", "“安全”"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_every_kept_character_maps_to_itself_in_the_original(raw):
    n = normalize(raw)
    assert len(n.offsets) == len(n.text) + 1
    prev = -1
    for i, ch in enumerate(n.text):
        o = n.offsets[i]
        assert o > prev
        prev = o
        assert ch == raw[o] or ch == "\ufffd" or (raw[o], ch) in (("(", "（"), (")", "）"), ("\u3000", " "))
    for s, e in n.garbled:
        assert 0 <= s < e <= len(raw)
    # a report sentence is never taken for furniture (only garbled text nearby may swallow it)
    if not n.garbled:
        assert n.text.count("组织活动12场。") == raw.count("组织活动12场。")


def test_an_editors_note_and_trailing_spam_digits_leave_the_report_line():
    text = f"浏览次数：12\n\n{BODY}（责任编辑：张三）\n\n召开会议12次。58271\n\n共培训3000人。\n2023\n年6月\n"
    n = normalize(text)
    assert BODY + "\n" in n.text and "召开会议12次。\n" in n.text and "张三" not in n.text and "58271" not in n.text
    assert "2023" in n.text                         # a line of its own right before a report line stays
    plain = text.replace("浏览次数：12\n\n", "")
    assert "58271" in normalize(plain).text          # no sign of a web page: digits are kept


@pytest.mark.parametrize("line", ["瀏覽次數：1024", "點擊數：1.2萬次", "當前位置：首頁 > 政務公開", "分享到：微信 微博",
                                  "【列印本頁】【關閉視窗】", "【字體：大 中 小】", "京ICP備12345678號", "網站標識碼：3100000001",
                                  "上一篇：關於開展檢查的通知", "（責任編輯：張三）"])
def test_traditional_script_furniture_goes_too(line):
    text = f"{BODY}\n{line}\n召開會議12次。\n"
    for simplify in (True, False):        # converted by OpenCC first, or matched through the fold alone
        n = normalize(text, simplify=simplify)
        assert n.text == normalize(f"{BODY}\n召開會議12次。\n", simplify=simplify).text


def test_traditional_footer_block_goes_with_its_weak_lines():
    text = f"{BODY}\n\n主辦單位：應急管理廳　承辦單位：資訊中心\n版權所有：應急管理廳　京ICP備12345678號\n"
    n = normalize(text)
    assert n.text.strip() == BODY


# -- saved pages: any mix of report paragraphs and furniture -----------------------------------------------

_CONTENT = ["全市共组织开展宣讲活动9216场，参与78万人次。", "主办单位：上海市应急管理局。", "（一）强化组织领导",
            "联系电话：021-64830000", "组织演练（9216）场", "2023年7月20日"]
_FURNITURE = ["<div class=\"xx\">发布时间：2023-07-20　浏览次数：<span>1024</span></div>",
              "<div class=\"wz\">当前位置：<a>首页</a> &gt; <a>工作</a></div>", "<p>分享到：<a>微信</a></p>",
              "<div><a>【打印本页】</a><a>【关闭窗口】</a></div>",
              "<div class=\"r\"><h3>相关新闻</h3><ul><li><a>培训1200场次</a></li></ul></div>",
              "<p>版权所有：某局　京ICP备12345678号</p>", "<span style=\"display:none\">58271</span>",
              "<p>（责任编辑：张三）</p>"]
_MARKERS = ["浏览次数", "当前位置", "分享到", "打印本页", "相关新闻", "1200场次", "ICP备", "58271", "责任编辑"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_CONTENT).map(lambda c: ("c", c)),
                          st.sampled_from(_FURNITURE).map(lambda f: ("f", f))), min_size=1, max_size=12),
       st.booleans())
def test_saved_page_keeps_every_report_paragraph_and_no_furniture(tmp_path_factory, parts, named):
    pytest.importorskip("bs4")
    import html as html_lib

    if not any(kind == "c" for kind, _ in parts):
        parts = [("c", _CONTENT[0]), *parts]
    body = "".join(f"<p>{html_lib.escape(x)}</p>" if kind == "c" else x for kind, x in parts)
    wrapper = "<div id=\"zoom\">{}</div>" if named else "<div class=\"w\"><div>{}</div></div>"
    page = f"<html><body><div class=\"dh\">首页 | 政务公开 | 办事服务</div>{wrapper.format(body)}</body></html>"
    path = tmp_path_factory.mktemp("page") / "page.html"
    path.write_text(page, encoding="utf-8")
    text = reportmine.load(path).text
    for kind, x in parts:
        if kind == "c":
            assert x.replace("(", "（").replace(")", "）") in text
    assert [m for m in _MARKERS if m in text] == []


def test_a_file_of_nothing_but_mojibake_is_a_clear_error(tmp_path):
    path = tmp_path / "garbled.txt"
    path.write_text(_cp1252("全市组织安全培训1200场次。") + "\n", encoding="utf-8")
    with pytest.raises(reportmine.ReportLoadError, match=r"garbled\.txt.*no readable text.*line 1:1") as err:
        reportmine.parse(path)
    assert "Traceback" not in str(err.value)


def test_a_year_or_short_number_on_its_own_is_never_spam():
    text = f"浏览次数：12\n\n{BODY}\n\n2023\n\n{BODY}2024\n\n{BODY}4471\n"
    n = normalize(text)
    assert "\n2023\n" in n.text and "2024" in n.text and "4471" not in n.text
