"""Read the 公文 elements (GB/T 9704-2012) of a normalised report.

The letter is read top-down as a sequence of non-blank lines: header (issuing
authorities) -> 发文字号 -> title -> 主送机关 -> body -> signatures + 成文日期 ->
the enclosed report with its numbered sections -> 附件说明 -> the annex ->
信息公开形式, 抄送, 印发机关/印发日期, 份数. Positions are found on the normalised
text and reported as spans in the original text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from .dates import parse_date
from .gazetteer import division_path
from .normalize import NormalizedText
from .numbers import parse_number
from .record import Campaign, Document, ParseWarning, Section
from .resources import data_lines

__all__ = ["Line", "Layout", "Province", "read_structure", "split_lines", "region_of", "region_of_doc_number",
           "provinces", "year_of"]

DOC_NUMBER = regex.compile(r"[\p{Han}]{1,15}[〔［\[]\d{4}[〕］\]]\d{1,4}号")
DATE_LINE = regex.compile(r"^(\d{4}年\d{1,2}月\d{1,2}日)$")
PRINTED_LINE = regex.compile(r"^(?:(.+?)\s*)?(\d{4}年\d{1,2}月\d{1,2}日)印发$")
COPIES = regex.compile(r"共印(\d+)份")
DISCLOSURE = regex.compile(r"^（?信息公开(?:形式|选项)[：:](.+?)）?$")
ATTACHMENT_NOTE = regex.compile(r"^附件[：:]\s*(.+)$")
ANNEX_HEAD = regex.compile(r"^附件\s*\d*$")
CC_LINE = regex.compile(r"^抄送[：:](.*)$")
SENTENCE_END = regex.compile(r"[。！？；]")
HEADING = regex.compile(
    r"^(?:(?P<l1>[一二三四五六七八九十]+)、|（(?P<l2>[一二三四五六七八九十]+)）|(?P<l3>\d+)[.．]|（(?P<l4>\d+)）)\s*")
QUOTED_DOC = regex.compile(r"《([^《》]+)》")
NESTED_DOC = regex.compile(r"〈([^〈〉]+)〉")
EDITION = regex.compile(r"第(\d+|[一二三四五六七八九十]+)(?:个|届)")
THEME_PATTERNS = [
    regex.compile(r"以“([^”]{4,30})”为(?:重点|主题)"),
    regex.compile(r"“([^”]{4,30})”(?:活动)?主题"),
    regex.compile(r"主题(?:为|是)“([^”]{4,30})”"),
]


@dataclass(frozen=True)
class Line:
    """A non-blank line of the normalised text, stripped, with its normalised offsets."""

    start: int
    end: int
    text: str
    blank_before: bool


@dataclass(frozen=True)
class Layout:
    """Where the big blocks of the report lie, as line indexes (end exclusive)."""

    lines: list[Line]
    enclosure: tuple[int, int] | None
    annex: tuple[int, int] | None


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with their positions; ``blank_before`` marks a paragraph break."""
    out: list[Line] = []
    pos, blank = 0, True
    for raw in text.split("\n"):
        stripped = raw.strip(" \t")
        if stripped:
            lead = len(raw) - len(raw.lstrip(" \t"))
            out.append(Line(pos + lead, pos + lead + len(stripped), stripped, blank))
            blank = False
        else:
            blank = True
        pos += len(raw) + 1
    return out


def _iso(date_text: str) -> str | None:
    try:
        return parse_date(date_text).isoformat()
    except ValueError:
        return None


def _is_org_line(text: str) -> bool:
    return len(text) <= 40 and not SENTENCE_END.search(text) and "，" not in text and not DATE_LINE.match(text)


class _Reader:
    """One pass over the lines; collects fields, spans and warnings."""

    def __init__(self, norm: NormalizedText, source: str):
        self.norm = norm
        self.lines = split_lines(norm.text)
        self.doc = Document.trusted(source=source)
        self.campaign = Campaign.trusted()
        self.warnings: list[ParseWarning] = []

    # -- helpers -------------------------------------------------------------
    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.norm.to_original(start, end)

    def put(self, name: str, value, start: int, end: int) -> None:
        setattr(self.doc, name, value)
        self.doc.spans[name] = self.span(start, end)

    def warn(self, code: str, message: str, at: int | None = None) -> None:
        line = col = None
        span = None
        if at is not None:
            o = self.norm.to_original(at, at)[0]
            line, col = self.norm.line_col(o)
            span = (o, o)
        self.warnings.append(ParseWarning.trusted(code=code, message=message, line=line, column=col, span=span))

    def find(self, pattern: regex.Pattern[str], start: int = 0, stop: int | None = None) -> int | None:
        stop = len(self.lines) if stop is None else stop
        for i in range(start, stop):
            if pattern.search(self.lines[i].text):
                return i
        return None

    # -- the letter ------------------------------------------------------------
    def own_doc_number(self, top: int) -> int | None:
        """The line holding the document's own 发文字号: the number on a line of its own (a 签发人 may
        stand beside it). A 文号 inside a sentence (依据…（国办公开办函〔2021〕30号）) cites another document."""
        for i in range(top):
            t = self.lines[i].text
            m = DOC_NUMBER.search(t)
            if m and len(SIGNER.sub("", t.replace(m.group(), "")).strip(" ：:")) <= 4:
                return i
        return None

    def read_letter_head(self) -> int:
        """Header, 文号, title and addressee; returns the index of the first body line.

        The 文号 usually stands between the issuer's header and the title; a 通报 or 通知 may put it
        under its title instead. Without a 文号 the first line that is not page furniture is the title."""
        lines = self.lines
        top = min(len(lines), 12)
        n = self.own_doc_number(top)
        title_at = 0
        while title_at < len(lines) - 1 and (FURNITURE.match(lines[title_at].text)
                                             or lines[title_at].text.endswith("文件")):
            title_at += 1
        for ln in lines[:max(title_at, n or 0)]:   # the issuer's header: 上海市…办公室 上海市应急管理局 文件
            if ln.text.endswith("文件"):
                self.doc.issuers = ln.text[: -len("文件")].split()
                self.doc.spans["issuers"] = self.span(ln.start, ln.end - 2)
        if n is not None:
            m = DOC_NUMBER.search(lines[n].text)
            self.put("doc_number", m.group(), lines[n].start + m.start(), lines[n].start + m.end())
            above = lines[n - 1].text if n > 0 else ""
            if n > 0 and n - 1 >= title_at and looks_like_title(above) and not above.endswith("文件"):
                title_at = n - 1          # 通报 layout: title, then 文号, then 主送
                after_number = n + 1
            else:
                title_at = n + 1
                after_number = None
        else:
            self.warn("no_doc_number", "no 发文字号 (like 沪安委办函〔2023〕1号) on a line of its own near the top")
            after_number = None
        if title_at >= len(lines):
            return title_at
        title = lines[title_at]
        if len(title.text) > 80 and SENTENCE_END.search(title.text):
            self.warn("no_title", "the text starts with a paragraph, not a title (a news item?)", title.start)
            return title_at
        text, start = title.text, title.start
        if (h := MARKDOWN_HEADING.match(text)):
            text, start = text[h.end():], start + h.end()
        end = start + len(text)
        body = (after_number if after_number is not None else title_at + 1)
        # a title broken over two lines (PDF): the next line is short, ends the title and is not a heading
        nxt = lines[title_at + 1] if title_at + 1 < len(lines) and after_number is None else None
        if nxt is not None and not nxt.blank_before and len(nxt.text) <= 30 and not HEADING.match(nxt.text) \
                and not nxt.text.endswith(("：", ":")) and looks_like_title(text + nxt.text) \
                and (not looks_like_title(text) or text.count("“") > text.count("”")):
            text, end = text + nxt.text, nxt.end
            body += 1
        self.doc.title = text
        self.doc.spans["title"] = self.span(start, end)
        if not self.doc.issuers and "关于" in text:
            self.doc.issuers = text.split("关于")[0].split()
        if body < len(lines) and lines[body].text.endswith(("：", ":")) and len(lines[body].text) <= 120 \
                and not HEADING.match(lines[body].text):
            a = lines[body]
            self.put("addressee", a.text[:-1], a.start, a.end - 1)
            body += 1
        return body

    def read_signature(self, body: int) -> int | None:
        """Signatories and 成文日期: org lines just above the first date-only line."""
        d = self.find(DATE_LINE, body)
        if d is None:
            self.warn("no_date", "no 成文日期 line (like 2023年7月13日) after the letter body")
            return None
        line = self.lines[d]
        self.put("date", _iso(line.text), line.start, line.end)
        first = d
        while first - 1 >= body and _is_org_line(self.lines[first - 1].text):
            first -= 1
        names = [n for ln in self.lines[first:d] for n in ln.text.split()]
        if names:
            self.doc.signatories = names
            self.doc.spans["signatories"] = self.span(self.lines[first].start, self.lines[d - 1].end)
        return d

    # -- the enclosed report ---------------------------------------------------
    def read_sections(self, start: int, stop: int) -> list[Section]:
        """Numbered headings between ``start`` and ``stop``, nested by level."""
        roots: list[Section] = []
        stack: list[Section] = []
        for ln in self.lines[start:stop]:
            m = HEADING.match(ln.text)
            if not m:
                continue
            level = next(i for i, g in enumerate(("l1", "l2", "l3", "l4"), 1) if m.group(g))
            rest = ln.text[m.end():]
            stop_at = SENTENCE_END.search(rest)
            title = rest[: stop_at.start()] if stop_at else rest
            sec = Section.trusted(no=m.group(f"l{level}"), level=level, title=title.strip(),
                                  span=self.span(ln.start, ln.start + m.end() + len(title)))
            while stack and stack[-1].level >= level:
                stack.pop()
            if stack:
                stack[-1].subsections.append(sec)
            elif level == 1 or not roots:
                roots.append(sec)
            else:
                roots[-1].subsections.append(sec)
            stack.append(sec)
        return roots

    def read_tail(self, start: int) -> None:
        """附件说明, 信息公开形式, 抄送, 印发 and 份数, wherever they are after ``start``."""
        lines = self.lines
        i = start
        while i < len(lines):
            ln = lines[i]
            t = ln.text
            if (m := ATTACHMENT_NOTE.match(t)) and not self.doc.attachments:
                names = [regex.sub(r"^\d+[.．、]\s*", "", m.group(1))]
                j = i + 1
                while j < len(lines) and regex.match(r"^\d+[.．、]", lines[j].text) and not lines[j].blank_before:
                    names.append(regex.sub(r"^\d+[.．、]\s*", "", lines[j].text))
                    j += 1
                self.doc.attachments = names
                self.doc.spans["attachments"] = self.span(ln.start + m.start(1), lines[j - 1].end)
            elif m := DISCLOSURE.match(t):
                self.put("disclosure", m.group(1), ln.start + m.start(1), ln.start + m.end(1))
            elif m := CC_LINE.match(t):
                j = i + 1
                while j < len(lines) and not lines[j].blank_before:
                    j += 1
                joined = "".join([m.group(1)] + [x.text for x in lines[i + 1:j]])
                self.doc.cc = [p.strip() for p in regex.split(r"[，、,；;]", joined.rstrip("。")) if p.strip()]
                self.doc.spans["cc"] = self.span(ln.start + m.start(1), lines[j - 1].end)
                i = j
                continue
            elif m := PRINTED_LINE.match(t):
                self.put("printed_date", _iso(m.group(2)), ln.start + m.start(2), ln.start + m.end(2))
                if m.group(1):
                    self.put("printed_by", m.group(1), ln.start, ln.start + m.end(1))
                elif i > 0 and _is_org_line(lines[i - 1].text):
                    p = lines[i - 1]
                    self.put("printed_by", p.text, p.start, p.end)
            elif m := COPIES.search(t):
                self.put("copies", int(m.group(1)), ln.start + m.start(), ln.start + m.end())
            i += 1

    def read_references(self, stop: int) -> None:
        """Documents cited as 《title》 whose title ends with a document type (通知, 方案, 意见 ...)."""
        kinds = tuple(data_lines("document_types.txt"))
        seen: list[str] = []
        found = [m for p in (QUOTED_DOC, NESTED_DOC) for m in p.finditer(self.norm.text, 0, stop)]
        for m in sorted(found, key=lambda m: m.start()):
            title = m.group(1).strip()
            if title.endswith(kinds) and title not in seen:
                seen.append(title)
        self.doc.referenced_documents = seen

    # -- the campaign --------------------------------------------------------
    def read_campaign(self, text_stop: int) -> None:
        text = self.norm.text[:text_stop]
        title = self.doc.title or ""
        c = self.campaign
        name = regex.search(r"“([^”]+)”", title) or regex.search(r"“([^”]+)”", self.doc.enclosure_title or "")
        if name:
            c.name = name.group(1)
        c.year = year_of(title) or year_of(self.doc.enclosure_title or "")
        if c.year is None and self.doc.date:
            c.year = int(self.doc.date[:4])
        if c.year is None and self.doc.doc_number and (m := regex.search(r"[〔［\[](\d{4})[〕］\]]",
                                                                          self.doc.doc_number)):
            c.year = int(m.group(1))
        for m in EDITION.finditer(text):
            after = text[m.end(): m.end() + len(c.name or "") + 4]  # 第21个全国“安全生产月”
            if c.name and c.name in after:
                c.edition = int(parse_number(m.group(1)))
                break
        found = [(m.start(), m.group(1)) for p in THEME_PATTERNS for m in p.finditer(text)]
        if found:
            c.theme = min(found)[1]
        c.region = self.region()

    def region(self) -> str | None:
        """The reporting region as its full division path (江苏省无锡市梁溪区; 上海市 for a province; a town's report
        ends with the town: 江苏省苏州市昆山市周市镇): named by
        the enclosed report's title, the issuers, the letter's title (after 关于/关于报送) or the signatories;
        else the 文号's first character (沪 -> 上海市), unless those name a place below province level
        (南京市… with 宁…〔2023〕: 宁 is not 宁夏 there)."""
        title = ABOUT.sub("", self.doc.title or "")
        places = [self.doc.enclosure_title or "", *self.doc.issuers, title, *self.doc.signatories]
        hint = region_of_doc_number(self.doc.doc_number or "")
        for place in places:
            if hit := division_path(place, hint, towns=True):
                return hit
            if hit := region_of(place):
                return hit
        if any(LOCAL_PLACE.match(p) for p in places if p):
            return None
        return region_of_doc_number(self.doc.doc_number or "")


ABOUT = regex.compile(r"^关于(?:报送|上报|呈报|印发|转发)?")
#: A 签发人 beside the 文号 on the header line.
SIGNER = regex.compile(r"签发人[：:]\s*\S*")
#: Lines above a title that are page furniture, not the document: saved-page metadata, 索引号 lines.
FURNITURE = regex.compile(r"^(?:\[页面元数据\]|索引号|发布机构|发布日期|来源[：:]|浏览次数)")
MARKDOWN_HEADING = regex.compile(r"^#{1,6}\s+")
#: Words a document title ends with (the type of the document), from data/document_types.txt and a few more.
TITLE_END = regex.compile(r"(?:总结|报告|通知|通报|函|情况|决定|意见|方案|公报|统计表|纪要|请示|批复|汇报|总结报告|年度报告)"
                          r"(?:[（(][^（）()]*[）)])?$")


def looks_like_title(text: str) -> bool:
    """A short line without sentence punctuation that names a document (…关于…的通报, …活动总结)."""
    t = MARKDOWN_HEADING.sub("", text).strip()
    return 4 <= len(t) <= 80 and not SENTENCE_END.search(t) and "，" not in t and \
        (bool(TITLE_END.search(t)) or ("关于" in t and len(t) >= 8)) and not t.endswith(("：", ":"))
#: A name that begins with a place below province level (a city, prefecture, county or district).
LOCAL_PLACE = regex.compile(r"^\p{Han}{2,7}?(?:市|自治州|州|盟|地区|县|区)")
YEAR = regex.compile(r"(?<![\d〇零一二三四五六七八九])(\d{4}|[〇零一二三四五六七八九]{4})\s*年")
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}


@dataclass(frozen=True)
class Province:
    """A province-level division from ``data/provinces.tsv``."""

    code: str
    full: str
    short: str
    abbr: tuple[str, ...]
    doc_prefix: tuple[str, ...]
    kind: str


@lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    """The 34 province-level divisions: full name, short name, 简称 and 文号 prefixes."""
    rows = [line.split("\t") for line in data_lines("provinces.tsv")]
    header, rows = rows[0], rows[1:]
    assert header == ["code", "full", "short", "abbr", "doc_prefix", "kind"], header

    def chars(field: str) -> tuple[str, ...]:
        return () if field == "-" else tuple(field.split(","))

    return tuple(Province(code, full, short, chars(abbr), chars(prefix), kind)
                 for code, full, short, abbr, prefix, kind in rows)


@lru_cache(maxsize=1)
def _region_names() -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Full names (regions.txt, longest first) and (short name, full name) pairs."""
    full = sorted(dict.fromkeys([*data_lines("regions.txt"), *(p.full for p in provinces())]), key=len, reverse=True)
    short = [(p.short, p.full) for p in provinces()]
    short += [(s, r) for r in full if len(s := REGION_SUFFIX.sub("", r)) >= 2 and (s, r) not in short]
    return tuple(full), tuple(sorted(short, key=lambda sr: len(sr[0]), reverse=True))


@lru_cache(maxsize=1)
def _doc_prefixes() -> dict[str, str]:
    return {ch: p.full for p in provinces() for ch in (*p.abbr, *p.doc_prefix)}


REGION_SUFFIX = regex.compile(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")


def region_of(name: str) -> str | None:
    """The provincial-level region a name starts with, by full or short name: '广西应急厅' -> '广西壮族自治区'."""
    full, short = _region_names()
    hit = next((r for r in full if name.startswith(r)), None)
    return hit or next((r for s, r in short if name.startswith(s)), None)


def region_of_doc_number(doc_number: str) -> str | None:
    """The region whose 简称 begins a 发文字号: '沪安委办函〔2023〕1号' -> '上海市', '川应急函…' -> '四川省'.

    National 文号 (国办发, 安委办, 应急) give None. A city's 文号 may begin with a province's character
    (宁 for 南京); :meth:`_Reader.region` only falls back to this when nothing names a city.
    """
    return _doc_prefixes().get(doc_number[:1]) if doc_number else None


def year_of(text: str) -> int | None:
    """The first year written in ``text``: '2023年…' or '二〇二二年…' -> 2022."""
    m = YEAR.search(text)
    if not m:
        return None
    digits = "".join(_CN_DIGITS.get(ch, ch) for ch in m.group(1))
    year = int(digits)
    return year if 1949 <= year <= 2100 else None


#: A row of a fill-in form: 1. item<TAB>…（N）unit…
FORM_ROW = regex.compile(r"^\d{1,2}[.．、]\s*[^\t]+\t.*（[^（）]*）")


def _annex_sections(lines: list[Line], start: int, stop: int) -> list[tuple[int, int]]:
    """Line ranges of the 附件 / 附件1 / 附件2 … sections between ``start`` and ``stop``."""
    heads = [i for i in range(start, stop) if ANNEX_HEAD.match(lines[i].text)]
    return [(h, heads[k + 1] if k + 1 < len(heads) else stop) for k, h in enumerate(heads)]


def _is_form(lines: list[Line], section: tuple[int, int]) -> bool:
    return sum(bool(FORM_ROW.match(ln.text)) for ln in lines[section[0]:section[1]]) >= 2


def _is_report(lines: list[Line], section: tuple[int, int]) -> bool:
    """An enclosed report: a title line, then prose (long lines or numbered headings)."""
    body = lines[section[0] + 1:section[1]]
    prose = sum(len(ln.text) >= 40 and bool(SENTENCE_END.search(ln.text)) for ln in body)
    return len(body) >= 3 and prose >= 2 and not any(FORM_ROW.match(ln.text) for ln in body)


def read_structure(norm: NormalizedText, source: str) -> tuple[Document, Campaign, Layout, list[ParseWarning]]:
    """Read document fields, campaign and block layout from normalised text.

    The report may follow the letter's signature (the seed), stand in a 附件 of its own (附件1, with the
    table as 附件2), or be the whole document (no letter). The statistics annex is the 附件 that holds
    a fill-in form, wherever it is among the 附件.
    """
    r = _Reader(norm, source)
    lines = r.lines
    if not lines:
        raise ValueError("no text")
    body = r.read_letter_head()
    d = r.read_signature(body)
    note_at = r.find(ATTACHMENT_NOTE, body)
    tail_marks = [i for i in (r.find(DISCLOSURE, body), r.find(CC_LINE, body)) if i is not None]
    sections = _annex_sections(lines, body, len(lines))
    sections = [(a, min(b, min([i for i in tail_marks if i > a], default=b))) for a, b in sections]
    annex_section = next((sec for sec in sections if _is_form(lines, sec)), None)
    report_section = next((sec for sec in sections if sec != annex_section and _is_report(lines, sec)), None)
    first_annex = sections[0][0] if sections else None
    body_end = min([i for i in (first_annex, note_at, *tail_marks) if i is not None], default=len(lines))

    enclosure = None
    if report_section is not None:
        e = lines[report_section[0] + 1]
        r.put("enclosure_title", MARKDOWN_HEADING.sub("", e.text), e.start + (len(e.text) - len(
            MARKDOWN_HEADING.sub("", e.text))), e.end)
        enclosure = (report_section[0] + 1, report_section[1])
        r.doc.sections = r.read_sections(enclosure[0] + 1, enclosure[1])
    else:
        # the report follows the signature; the 附件说明 may stand before the signature (GB/T 9704) or after it
        after_date = min([i for i in (first_annex, note_at, *tail_marks) if i is not None and d is not None and i > d],
                         default=len(lines))
        if d is not None and d + 1 < after_date:
            e = lines[d + 1]
            if _is_org_line(e.text) and not HEADING.match(e.text):
                r.put("enclosure_title", e.text, e.start, e.end)
                enclosure = (d + 1, after_date)
                body_end = max(body_end, after_date)
        sections_from = enclosure[0] + 1 if enclosure else body
        r.doc.sections = r.read_sections(sections_from, body_end)

    annex = annex_section
    if annex is None and sections and report_section is None:
        annex = sections[0]          # an annex we cannot read as a form: read_annex says what is wrong
    r.read_tail(min(i for i in (note_at, body_end) if i is not None))
    text_stop = lines[annex[0]].start if annex and annex != report_section else len(norm.text)
    if report_section is not None and annex is not None and annex[0] < report_section[0]:
        text_stop = len(norm.text)
    r.read_references(text_stop)
    r.read_campaign(text_stop)
    return r.doc, r.campaign, Layout(lines, enclosure, annex), r.warnings
