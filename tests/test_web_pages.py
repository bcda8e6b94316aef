"""Reports as users save them from the web: the bundled reports and the seed wrapped in page furniture
(counters, breadcrumbs, related headlines, share and print links, footers, spam digits), pinyin glosses and
mojibake, as a pasted .txt and as a saved .html page. The record, claims and checks must equal those of the
clean text; no furniture number may become a quantity; each mojibake run gives a warning."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

import reportmine
from reportmine.check import check_report

from conftest import REPO, SEED

pytest.importorskip("bs4", reason="the HTML pages need the [html] extra (beautifulsoup4)")

CORPUS = sorted((REPO / "corpus").glob("*.txt"))

#: Glosses a machine conversion puts after a word: (word, gloss). Inserted at every third occurrence.
GLOSSES = (("公司", "(sī)"), ("会议", "(yì)"), ("安全", "（ān quán）"), ("应急", "(yìng jí)"), ("组织", "(zǔ zhī)"))


def _windows_1252(data: bytes) -> str:
    """Bytes as a browser shows them under windows-1252 (undefined bytes become C1 controls)."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)


_SENTENCE = "全市组织安全培训1200场次，参与群众3.5万人次。"
#: Mojibake paragraphs: UTF-8 read as windows-1252, read twice (ÃÂ), GBK's 锟斤拷, replacement chars, and
#: UTF-8 read as GBK (鍏ㄥ競…).
MOJIBAKE = (
    _windows_1252(_SENTENCE.encode("utf-8")),
    _windows_1252(_windows_1252("开展应急演练860场".encode("utf-8")).encode("utf-8")),
    "锟斤拷锟斤拷2000锟斤拷锟斤拷锟斤拷锟斤拷",
    "\ufffd\ufffd\ufffd\ufffd1.2万\ufffd\ufffd\ufffd场",
    "组织专题培训1200场次，参与4.2万人次。".encode("utf-8").decode("gbk", errors="replace"),
)
#: The runs a saved page carries (one of each kind of misreading).
HTML_MOJIBAKE = (MOJIBAKE[0], MOJIBAKE[1], MOJIBAKE[4])

#: Page furniture with numbers that must never become quantities.
HEAD_TXT = ("首页 | 政务公开 | 办事服务 | 互动交流\n"
            "当前位置：首页 > 政务公开 > 工作总结\n"
            "发布时间：2023-07-20 10:31　来源：市应急局　浏览次数：1024\n"
            "【字体：大 中 小】\n\n")
TAIL_TXT = ("\n\n分享到：微信 微博 QQ空间\n"
            "【打印本页】【关闭窗口】\n"
            "阅读量：3万\n\n"
            "相关新闻\n"
            "· 全市组织安全培训1200场次\n"
            "· 点击数：1.2万次的安全视频上线 2023-06-30\n\n"
            "上一篇：关于开展安全生产大检查的通知\n"
            "下一篇：2022年“安全生产月”活动总结\n\n"
            "主办单位：应急管理局　承办单位：信息中心\n"
            "版权所有：应急管理局　京ICP备12345678号-1　网站标识码：3100000001\n"
            "京公网安备 11010502030377号　技术支持：某某科技有限公司\n")
SPAM = "58271"


@dataclass
class Page:
    text: str
    where: list[int]       # where[i]: offset in ``text`` of the clean text's character i (and len at the end)


def _gloss_points(clean: str) -> dict[int, str]:
    """Clean offsets after which a pinyin gloss goes (prose lines only, never table rows)."""
    out: dict[int, str] = {}
    for word, gloss in GLOSSES:
        at, n = clean.find(word), 0
        while at >= 0:
            line_start = clean.rfind("\n", 0, at) + 1
            line_end = clean.find("\n", at)
            if n % 3 == 0 and "\t" not in clean[line_start:line_end if line_end >= 0 else len(clean)]:
                out[at + len(word)] = gloss
            n += 1
            at = clean.find(word, at + len(word))
    return out


def _sentence_ends(clean: str) -> list[int]:
    """Offsets of line breaks right after a line that ends a sentence, in prose paragraphs."""
    ends = [i for i in range(1, len(clean)) if clean[i] == "\n" and clean[i - 1] == "。"
            and clean[i + 1:i + 2] == "\n"]
    return ends


def _insert(clean: str, points: dict[int, str]) -> Page:
    parts, where, pos = [], [], 0
    for i in range(len(clean) + 1):
        if i in points:
            parts.append(points[i])
            pos += len(points[i])
        where.append(pos)
        if i < len(clean):
            parts.append(clean[i])
            pos += 1
    return Page("".join(parts), where)


def _traditional(text: str) -> str:
    """Furniture in traditional script, through the fold table of the data file read backwards."""
    from reportmine.resources import data_json

    lines = data_json("web_furniture.json")["lines"]
    return text.translate(str.maketrans(lines["fold_to"], lines["fold"]))


def pasted_page(clean: str, traditional: bool = False) -> Page:
    """A web page's text as a user pastes it into a .txt: furniture around and inside, glosses, spam, mojibake."""
    points = _gloss_points(clean)
    ends = _sentence_ends(clean)
    picks = [ends[len(ends) * k // 7] for k in range(1, 7)]
    for k, at in enumerate(picks):
        extra = f"\n\n{SPAM}" if k in (1, 3) else ""
        if k < len(MOJIBAKE):
            extra += "\n\n" + MOJIBAKE[k]
        else:
            extra = SPAM                      # digits glued to the paragraph's last sentence
        points[at] = points.get(at, "") + extra
    head, tail = (_traditional(HEAD_TXT), _traditional(TAIL_TXT)) if traditional else (HEAD_TXT, TAIL_TXT)
    points[0] = head + points.get(0, "")
    points[len(clean)] = points.get(len(clean), "") + tail
    return _insert(clean, points)


# -- saved HTML pages ---------------------------------------------------------------------------------


def _html_body(clean: str, *, noisy: bool) -> str:
    """The clean text as HTML: paragraphs, tab-separated rows as a table; noise (glosses, hidden spam,
    mojibake paragraphs) when ``noisy``."""
    e = html.escape
    glosses = _gloss_points(clean) if noisy else {}
    out, rows, pos = [], [], 0
    mojibake = 0
    lines = clean.split("\n")
    ends = [n for n, line in enumerate(lines) if line.endswith("。") and "\t" not in line]
    garble_after = {ends[len(ends) * k // 4] for k in (1, 2, 3)}
    for n, line in enumerate(lines):
        start, pos = pos, pos + len(line) + 1
        if "\t" in line:
            rows.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in line.split("\t")) + "</tr>")
            continue
        if rows:
            out.append("<table border=\"1\">" + "".join(rows) + "</table>")
            rows = []
        if not line.strip():
            continue
        text, last = [], 0
        for at in sorted(k for k in glosses if start <= k <= start + len(line)):
            text.append(e(line[last:at - start]) + e(glosses[at]))
            last = at - start
        text.append(e(line[last:]))
        body = "".join(text)
        if noisy and len(line) > 40 and n % 4 == 0:      # anti-scraping digits hidden in the middle of a word
            cut = body.index("，") if "，" in body else 3
            body = body[:cut] + f"<span style=\"display:none\">{SPAM}</span>" + body[cut:]
        out.append(f"<p style=\"text-indent:2em\">{body}</p>")
        if noisy and n in garble_after:
            out.append(f"<p>{e(HTML_MOJIBAKE[mojibake])}</p>")
            mojibake += 1
    if rows:
        out.append("<table border=\"1\">" + "".join(rows) + "</table>")
    return "\n".join(out)


def saved_page(clean: str, *, noisy: bool, named: bool) -> str:
    """A government article page around ``clean``. ``named``: the body has a known id (zoom) and furniture
    sits inside it too; else no element has a telling name and the furniture is told by its text."""
    body = _html_body(clean, noisy=noisy)
    if not noisy:
        return f"<html><head><meta charset=\"utf-8\"></head><body><div id=\"zoom\">{body}</div></body></html>"
    info = ("<div class=\"xx\">发布时间：2023-07-20 10:31　来源：市应急局　浏览次数：<span id=\"c\">1024</span>"
            "　【字体：<a>大</a> <a>中</a> <a>小</a>】</div>")
    related = ("<div class=\"xgxw\"><h3>相关新闻</h3><ul><li><a href=\"#\">全市组织安全培训1200场次</a></li>"
               "<li><a href=\"#\">点击数：1.2万次的安全视频上线</a><span>2023-06-30</span></li></ul></div>")
    tools = ("<div class=\"bdsharebuttonbox\">分享到：<a>微信</a><a>微博</a></div>"
             "<div class=\"dy\"><a href=\"javascript:window.print()\">【打印本页】</a>"
             "<a href=\"javascript:window.close()\">【关闭窗口】</a></div><p>阅读量：3万</p>")
    footer = ("<div class=\"wrap2\"><p>主办单位：应急管理局　承办单位：信息中心</p>"
              "<p>版权所有：应急管理局　京ICP备12345678号-1　网站标识码：3100000001</p>"
              "<p>京公网安备 11010502030377号</p></div>")
    crumbs = "<div class=\"wz\">当前位置：<a>首页</a> &gt; <a>政务公开</a> &gt; 工作总结</div>"
    nav = "<div class=\"dh\"><a>首页</a> | <a>政务公开</a> | <a>办事服务</a> | <a>互动交流</a></div>"
    if named:
        main = f"{info}<div id=\"zoom\" class=\"TRS_Editor\">{body}<p>{SPAM}</p>{tools}{related}</div>"
    else:
        main = f"<div class=\"con\">{info}<div class=\"nr\">{body}</div><p>{SPAM}</p>{tools}{related}</div>"
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>应急管理局</title></head><body>"
            f"{nav}{crumbs}<div class=\"w1200\">{main}</div>{footer}</body></html>")


# -- comparison -----------------------------------------------------------------------------------------

_SPAN_KEYS = {"span", "value_span"}
_LINE_COL = re.compile(r"line \d+(?::\d+)?")


def _mapped(obj, where, *, key: str = ""):
    """``obj`` (a JSON-like record) with every span moved by ``where``; lines, columns and the source dropped."""
    if isinstance(obj, dict):
        return {k: _mapped(v, where, key="span" if key == "spans" else k) for k, v in obj.items()
                if k not in ("line", "column", "source")}
    if isinstance(obj, (list, tuple)):
        if key in _SPAN_KEYS and len(obj) == 2 and all(isinstance(x, int) for x in obj):
            s, e = obj
            return [where(s), where(e - 1) + 1 if e > s else where(s)]
        return [_mapped(v, where, key=key) for v in obj]
    if isinstance(obj, str):
        return _LINE_COL.sub("line ?", obj)
    return obj


def _summary(report, where=lambda i: i) -> dict:
    """The record and the check of a report, spans moved by ``where``, mojibake warnings left out."""
    record = report.record.model_dump()
    record["warnings"] = [w for w in record["warnings"] if w["code"] != "mojibake"]
    checked = check_report(report).to_dict()
    return {"record": _mapped(record, where), "check": _mapped(checked, where)}


def _quantity_surfaces(report) -> list[tuple]:
    checked = check_report(report)
    return sorted((c.surface, str(c.value), c.quantity.unit) for c in checked.claims + checked.unlinked)


def _mojibake_warnings(report) -> list:
    return [w for w in report.warnings if w.code == "mojibake"]


def _texts() -> list[Path]:
    return CORPUS + ([SEED] if SEED.exists() else [])


@pytest.fixture(scope="module", params=_texts(), ids=lambda p: p.stem)
def clean_report(request):
    text = request.param.read_text(encoding="utf-8")
    return text, reportmine.parse_text(text, request.param.name)


def test_pasted_page_gives_the_clean_record_claims_and_checks(clean_report, tmp_path):
    clean, want = clean_report
    page = pasted_page(clean)
    path = tmp_path / "page.txt"
    path.write_text(page.text, encoding="utf-8")
    got = reportmine.parse(path)
    assert _summary(got) == _summary(want, lambda i: page.where[i])
    # every span still indexes the original page: a claim's surface is the page's own characters
    for claim in check_report(got).claims:
        assert page.text[claim.span[0]:claim.span[1]] == claim.surface


@pytest.mark.parametrize("traditional", [False, True], ids=["simplified", "traditional-furniture"])
def test_pasted_page_furniture_gives_no_quantity(clean_report, traditional):
    clean, want = clean_report
    page = pasted_page(clean, traditional)
    assert traditional == ("瀏覽次數" in page.text)
    got = reportmine.parse_text(page.text)
    assert _quantity_surfaces(got) == _quantity_surfaces(want)


def test_pasted_page_names_each_mojibake_run(clean_report):
    clean, _ = clean_report
    page = pasted_page(clean)
    got = reportmine.parse_text(page.text)
    warnings = _mojibake_warnings(got)
    for run in MOJIBAKE:
        at = page.text.index(run)
        line = page.text.count("\n", 0, at) + 1
        hits = [w for w in warnings if w.line == line and w.span[0] <= at + 1 and w.span[1] >= at + len(run) - 1]
        assert len(hits) == 1, (run, line, [str(w) for w in warnings])
        assert hits[0].column == at - page.text.rfind("\n", 0, at)
        assert page.text[hits[0].span[0]:hits[0].span[1]][:4] in str(hits[0])


@pytest.mark.parametrize("named", [True, False], ids=["named-body", "unnamed-body"])
def test_saved_page_gives_the_clean_record_claims_and_checks(clean_report, tmp_path, named):
    clean, _ = clean_report
    plain, noisy = tmp_path / "clean.html", tmp_path / "page.html"
    plain.write_text(saved_page(clean, noisy=False, named=named), encoding="utf-8")
    noisy.write_text(saved_page(clean, noisy=True, named=named), encoding="utf-8")
    want, got = reportmine.parse(plain), reportmine.parse(noisy)
    strip = lambda d: _mapped(d, lambda i: 0)      # spans index different renderings: compare the rest
    assert strip(_summary(got)) == strip(_summary(want))
    assert _quantity_surfaces(got) == _quantity_surfaces(want)
    warned = " ".join(str(w) for w in _mojibake_warnings(got))
    assert len(_mojibake_warnings(got)) == 3 and all(repr(run[:3])[1:-1] in warned for run in HTML_MOJIBAKE)


# -- the real saved pages, pasted as text ------------------------------------------------------------------

REAL_PAGES = ("2022-yichun-statistical-communique.html", "2022-jiangxi-statistical-communique.html")
MARKERS = ("访问量", "ICP备", "公网安备", "扫一扫", "所在位置", "网站标识码", "返回顶部", "关闭本页", "即将离开", "网站无障碍")


def _pasted(path: Path) -> str:
    """The page as a user copies it from the browser: every text piece on a line of its own."""
    bs4 = pytest.importorskip("bs4")
    soup = bs4.BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for el in soup(["script", "style", "head"]):
        el.decompose()
    return "\n".join(line.strip() for line in soup.get_text("\n").split("\n") if line.strip())


@pytest.mark.parametrize("name", REAL_PAGES)
def test_real_page_pasted_as_text_loses_its_furniture_and_keeps_every_figure(name):
    from conftest import SHARED
    from reportmine.numbers import find_quantities

    path = SHARED / "real" / name
    if not path.exists():
        pytest.skip(f"{path} not found: this test needs ../shared beside the repository (or REPORTMINE_SHARED)")
    text = _pasted(path)
    assert all(marker in text for marker in MARKERS)          # the paste really carries the furniture
    pasted, saved = reportmine.parse_text(text, name), reportmine.parse(path)
    assert [m for m in MARKERS if m in pasted.norm.text] == []

    def figures(report) -> list[str]:
        return sorted(report.norm.original_slice(*q.span) for q in find_quantities(report.norm.text))

    assert figures(pasted) == figures(saved)
    assert not [w for w in pasted.warnings if w.code == "mojibake"]


def test_traditional_page_pasted_with_its_furniture_gives_the_clean_traditional_record(seed_text):
    """The seed in traditional script (OpenCC s2t), pasted from a page with traditional furniture, glosses
    and mojibake: OpenCC's conversion and the web cleaning together give the clean traditional text's record."""
    opencc = pytest.importorskip("opencc", reason="traditional-script conversion needs the reportmine[trad] extra")
    clean = opencc.OpenCC("s2t").convert(seed_text)
    page = pasted_page(clean, traditional=True)
    want, got = reportmine.parse_text(clean), reportmine.parse_text(page.text)
    assert any(w.code == "traditional_script" for w in got.warnings)
    assert _summary(got) == _summary(want, lambda i: page.where[i])
    assert len(_mojibake_warnings(got)) == len(MOJIBAKE)
