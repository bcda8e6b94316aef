"""The notebook views (check result, record, corpus): the answer first, every text escaped, Chinese left-aligned.

The last test opens the views in a real headless browser (Playwright driving Chromium) when one is installed.
"""

from __future__ import annotations

import html.parser
import os
import shutil
from pathlib import Path

import pytest

import reportmine
from reportmine.check import check_report
from reportmine.corpus import parse_many

from conftest import BUNDLED_SEED

HOSTILE = "<script>evil</script>"
HOSTILE_ATTR = "\"'><img src=x onerror=evil>"


def _bad_seed_text() -> str:
    text = BUNDLED_SEED.read_text(encoding="utf-8")
    assert "超过 1900 条" in text
    return text.replace("超过 1900 条", "超过 2900 条")


@pytest.fixture(scope="module")
def bundled():
    """The bundled copy of the seed report (in the repository: these tests need no ../shared)."""
    return reportmine.parse(BUNDLED_SEED)


@pytest.fixture(scope="module")
def bad_check():
    return check_report(reportmine.parse_text(_bad_seed_text(), source="bad.txt"))


class _Tags(html.parser.HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML fragment."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if dict(attrs).get("id"):
            self.ids.add(dict(attrs)["id"])

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: str) -> _Tags:
    p = _Tags()
    p.feed(page)
    p.close()
    return p


def test_check_view_opens_with_the_verdict_then_the_contradiction(bad_check):
    page = bad_check._repr_html_()
    tags = _parse(page)
    verdict = page.index("CONTRADICTED")
    assert "7 linked" in page and "1 contradicted" in page and f"{len(bad_check.unlinked)} unlinked" in page
    first = page.index("What disagrees (1)")
    text = page.index("class=\"rm-text\"") if "class=\"rm-text\"" in page else page.index("class='rm-text'")
    assert verdict < first < text, "verdict, then what disagrees, then the text"
    bad = [a for t, a in tags.tags if t == "mark" and a.get("data-verdict") == "contradicted"]
    assert len(bad) == 1 and "2900" in bad[0]["title"]
    links = [a["href"][1:] for t, a in tags.tags if t == "a" and a.get("href", "").startswith("#")]
    assert links and bad[0]["id"] == links[0], "the first contradiction links to its mark in the text"
    assert all(link in tags.ids for link in links)
    assert "Internal checks (7, 0 bad)" in page and "Figures with no table cell" in page
    cell = [a for t, a in tags.tags if a.get("class") == "rm-cell"]
    assert bad[0]["data-cell"] in {a["data-cell"] for a in cell}, "the cell in the annex is marked for hover"
    assert f":has([data-cell='{bad[0]['data-cell']}']:hover)" in page
    for word in ("contradicts its cell", "agrees with its cell", "no table cell"):
        assert word in page, "the legend"


def test_check_view_is_the_same_each_time_and_ids_differ_between_reports(bad_check, bundled):
    assert bad_check._repr_html_() == bad_check._repr_html_(), "re-running a notebook changes no output"
    ids = [_parse(r._repr_html_()).ids for r in (bad_check, check_report(bundled))]
    assert ids[0] and ids[1] and not ids[0] & ids[1], "two results in one notebook keep their anchors apart"


def test_check_view_says_not_checked_when_nothing_could_be():
    result = check_report(reportmine.parse_text("关于2023年安全生产工作的报告\n今年全市共开展宣讲活动120场，参与8000人次。\n",
                                                source="plain.txt"))
    assert result.outcome == "unchecked"
    page = result._repr_html_()
    assert "data-verdict=\"unchecked\"" in page or "data-verdict='unchecked'" in page
    assert page.index("NOT CHECKED") < page.index("The text")
    assert "CONSISTENT" not in page


def test_check_view_shows_internal_and_table_failures():
    text = ("关于2023年工作情况的报告\n全年共检查企业54家，其中化工企业26家，建筑企业13家，其他企业20家。\n"
            "表1 检查情况\n项目\t数量\n化工\t26\n建筑\t13\n合计\t40\n")
    result = check_report(reportmine.parse_text(text, source="sums.txt"))
    page = result._repr_html_()
    kinds = {type(c).__name__ for c in result.contradicted}
    assert result.outcome == "contradicted" and kinds == {"InternalCheck", "TableCheck"}, result.to_text()
    assert "What disagrees (2)" in page and "parts vs whole" in page and "table total" in page
    assert "the table says 40" in page and "its parts add up to 39" in page
    assert "its parts 26家 + 13家 + 20家" in page
    tags = _parse(page)
    links = [a["href"][1:] for t, a in tags.tags if t == "a" and a.get("href", "").startswith("#")]
    assert len(links) >= 2 and set(links) <= tags.ids
    assert page.index("line 2:") < page.index("line 7:4"), "in reading order"
    total = [a for t, a in tags.tags if t == "span" and "rm-table" in a.get("class", "")]
    findings = [a for t, a in tags.tags if t == "tr" and "rm-finding" in a.get("class", "")]
    k = total[0]["data-tcheck"] if len(total) == 1 else None
    assert k is not None and any(a.get("data-tcheck") == k for a in findings)
    assert f":has([data-tcheck='{k}']:hover) [data-trow='{k}']" in page, "the total and its row light up on hover"


def test_seed_check_view_is_consistent(bundled):
    result = check_report(bundled)
    page = result._repr_html_()
    assert "CONSISTENT" in page and "What disagrees" not in page
    assert page.count('data-verdict="consistent"') == len(result.claims)


def test_record_view_has_titles_reporter_and_named_fields(bundled):
    page = bundled._repr_html_()
    annex = bundled.record.annex
    for item in annex.items:
        assert html_text(item.title) in page
    assert "填报" in page and html_text(annex.reporter.org) in page and html_text(annex.reporter.phone) in page
    assert annex.named_fields and all(html_text(f.text) in page for f in annex.named_fields)
    tags = _parse(page)
    cells = [a for t, a in tags.tags if t in ("td", "th")]
    assert cells and all("text-align:" in a.get("style", "") for a in cells), "alignment set inline on every cell"


def html_text(s: str) -> str:
    import html

    return html.escape(s, quote=True)


def _assert_inert(page: str, *texts: str) -> None:
    tags = _parse(page)
    names = {t for t, _ in tags.tags}
    assert not names & {"script", "img", "iframe", "object", "embed"}, names
    assert not [k for _, a in tags.tags for k in a if k.startswith("on")]
    shown = "".join(tags.text) + "".join(v or "" for _, a in tags.tags for v in a.values())
    for t in texts:
        assert t in shown, f"{t!r} is shown as text"


def test_views_escape_hostile_text(tmp_path):
    text = BUNDLED_SEED.read_text(encoding="utf-8")
    text = text.replace("关于报送", f"关于{HOSTILE}报送", 1).replace("超过 1900 条", f"超过 2900 条{HOSTILE_ATTR}")
    text = text.replace("组织开展宣讲活动", f"组织开展{HOSTILE_ATTR}宣讲活动")
    report = reportmine.parse_text(text, source=f"{HOSTILE_ATTR}.txt")
    _assert_inert(check_report(report)._repr_html_(), HOSTILE, HOSTILE_ATTR)
    _assert_inert(report._repr_html_(), HOSTILE)
    name = tmp_path / "x<img src=x onerror=alert(3)>.txt"
    name.write_text(text, encoding="utf-8")
    (tmp_path / "y<script>.txt").write_text("", encoding="utf-8")
    corpus = parse_many(tmp_path, workers=1, cache=False, entities=False)
    _assert_inert(corpus._repr_html_(), "x<img src=x onerror=alert(3)>", "y<script>")


def test_corpus_view_is_compact_with_details_on_demand(tmp_path):
    shutil.copy(BUNDLED_SEED, tmp_path / "a.txt")
    (tmp_path / "b.txt").write_text(_bad_seed_text(), encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    corpus = parse_many(tmp_path, workers=1, cache=False, entities=False)
    page = corpus._repr_html_()
    tags = _parse(page)
    first = page[:page.index("<details")]
    head = [t for t in _parse(first).text if t.strip()]
    for column in ("document", "region", "year", "cells", "contradictions", "errors"):
        assert column in head
    assert "sha256" not in first and "template" not in first, "the compact table leaves the rest for later"
    assert "Contradictions (1)" in page and "Errors (1)" in page and "All document columns" in page
    assert sum(1 for t, _ in tags.tags if t == "details") == 3


# -- in a real browser ----------------------------------------------------------------------------------

#: Where a Chromium may be: Debian's package, else Playwright's own download.
CHROMIUM = [os.environ.get("REPORTMINE_CHROMIUM", ""), "/usr/bin/chromium", "/usr/bin/chromium-browser"]
#: What JupyterLab's stylesheet does to tables in outputs (right-aligned cells): the views must win.
JUPYTER_CSS = """
.jp-RenderedHTMLCommon table { border-collapse: collapse; font-size: 12px; table-layout: fixed; }
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { text-align: right; vertical-align: middle; padding: .5em; }
body { margin: 0; padding: 0 16px; font-family: sans-serif; }
"""


@pytest.fixture(scope="module")
def browser():
    pw = pytest.importorskip("playwright.sync_api", reason="the browser test needs playwright (pip install playwright) "
                                                           "and Chromium (apt install chromium)")
    exe = next((p for p in CHROMIUM if p and Path(p).exists()), None)
    with pw.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=exe, args=["--no-sandbox"]) if exe else p.chromium.launch()
        except Exception as exc:  # noqa: BLE001 - no browser on this machine: skip, saying what is missing
            pytest.skip(f"no headless Chromium ({type(exc).__name__}): apt install chromium, or playwright install "
                        "chromium; REPORTMINE_CHROMIUM=PATH names another")
        yield b
        b.close()


def _open(browser, tmp_path: Path, name: str, fragment: str, width: str = "auto"):
    """The fragment as a notebook output area ``width`` wide, under Jupyter's table CSS, on a 1280×800 screen."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    path = tmp_path / f"{name}.html"
    path.write_text(f"<!doctype html><html><head><meta charset='utf-8'><style>{JUPYTER_CSS}</style></head>"
                    f"<body><div id='output' class='jp-RenderedHTMLCommon' style='width:{width};overflow-x:auto'>"
                    f"{fragment}</div></body></html>", encoding="utf-8")
    page.goto(path.as_uri())
    return page


def _on_first_screen(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 800 and box["x"] + box["width"] <= 1280


def test_views_in_a_headless_browser(browser, bad_check, bundled, tmp_path):
    page = _open(browser, tmp_path, "check", bad_check._repr_html_())
    assert _on_first_screen(page, "[data-verdict='contradicted']"), "the verdict on the first screen"
    assert _on_first_screen(page, ".rm-finding"), "the first contradiction on the first screen"
    assert "2900" in page.locator(".rm-finding").first.inner_text()
    n = page.locator(".rm-finding").first.get_attribute("data-cell")
    cell = page.locator(f".rm-cell[data-cell='{n}']")
    before = cell.evaluate("e => getComputedStyle(e).outlineStyle")
    page.locator(".rm-finding").first.hover()
    assert before == "none" and cell.evaluate("e => getComputedStyle(e).outlineStyle") == "solid", \
        "the cell lights up when its contradiction is under the pointer"
    row = page.locator(f".rm-row[data-rowof~='{n}']").evaluate("e => getComputedStyle(e).backgroundColor")
    assert row not in ("rgba(0, 0, 0, 0)", "transparent"), "and its row"
    page.locator(".rm-finding a").first.click()
    mark = page.locator("mark[data-verdict='contradicted']")
    assert _on_first_screen(page, "mark[data-verdict='contradicted']") and mark.is_visible(), "the link leads to it"
    page.close()

    record = _open(browser, tmp_path, "record", bundled._repr_html_())
    aligns = record.eval_on_selector_all(".rm-record td:not([style*='text-align:right'])",
                                         "es => es.map(e => getComputedStyle(e).textAlign)")
    assert aligns and set(aligns) == {"left"}, "Chinese text left-aligned under Jupyter's CSS"
    assert record.evaluate("document.documentElement.scrollWidth") <= 1280
    record.close()

    folder = tmp_path / "archive"
    folder.mkdir()
    for i in range(3):
        shutil.copy(BUNDLED_SEED, folder / f"2023-shanghai-{i}.txt")
    (folder / "bad.txt").write_text(_bad_seed_text(), encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    view = parse_many(folder, workers=1, cache=False, entities=False)._repr_html_()
    lab = _open(browser, tmp_path, "lab", view, width="850px")    # JupyterLab's output area beside its file browser
    assert lab.evaluate("(e => e.scrollWidth <= e.clientWidth)(document.getElementById('output'))"), \
        "fits JupyterLab's output area with the side panel open"
    lab.close()
    corpus = _open(browser, tmp_path, "corpus", view)
    assert corpus.evaluate("document.documentElement.scrollWidth") <= 1280, "no horizontal scroll at 1280 px"
    widths = corpus.eval_on_selector_all(".rm-corpus > table th", "es => es.map(e => e.getBoundingClientRect().width)")
    heights = corpus.eval_on_selector_all(".rm-corpus > table tbody tr",
                                          "es => es.map(e => e.getBoundingClientRect().height)")
    assert min(widths) > 30 and max(heights) < 60, "titles not squeezed, rows one or two lines tall"
    for summary in corpus.locator("summary").all():
        summary.click()                          # the details open without widening the page
    assert corpus.evaluate("document.documentElement.scrollWidth") <= 1280
    corpus.close()


# -- marking the text -----------------------------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from reportmine.display import Mark, marked_text  # noqa: E402


class _Balance(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.ok = True

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        self.ok = self.ok and bool(self.stack) and self.stack.pop() == tag

    def handle_data(self, data):
        self.text.append(data)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab<>&\"'中文\n", max_size=40), st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40),
                                                                        st.sampled_from(["mark", "span"])), max_size=8))
def test_marked_text_keeps_the_text_and_nests_tags(text, spans):
    marks = [Mark(min(a, b), max(a, b), {"id": f"m{i}", "title": text[:5]}, tag) for i, (a, b, tag) in enumerate(spans)]
    out = marked_text(text, marks)
    p = _Balance()
    p.feed(out)
    p.close()
    assert p.ok and not p.stack, out
    assert "".join(p.text) == text
    shown = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    assert all(out.count(f'id="{m.attrs["id"]}"') == 1 for m in shown), "each id once, on the first piece"
