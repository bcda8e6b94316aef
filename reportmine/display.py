"""How results look to people: aligned plain-text tables for terminals (two columns per CJK character) and the
HTML views of notebooks (check result, record, corpus), which lead with the answer and escape every text.

The HTML builders take the objects they show and read their attributes; they import none of the modules that
define them (those modules call in here from their ``_repr_html_``), so there is no import circle.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

__all__ = ["display_width", "pad", "clip", "format_table", "Mark", "marked_text", "check_html", "record_html",
           "corpus_html", "corpus_contradictions", "COLOURS"]


def display_width(s: str) -> int:
    """Terminal columns of ``s``: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def pad(s: str, width: int, right: bool = False) -> str:
    """``s`` padded with spaces to ``width`` display columns (on the left when ``right``)."""
    fill = " " * max(0, width - display_width(s))
    return fill + s if right else s + fill


def clip(s: str, width: int) -> str:
    """Cut ``s`` to ``width`` display columns, marking the cut with an ellipsis."""
    if display_width(s) <= width:
        return s
    out, used = [], 0
    for ch in s:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def format_table(header: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[int] = (),
                 max_width: int = 48) -> str:
    """Align columns for people reading Chinese in a terminal; long cells are clipped."""
    cells = [[clip("" if v is None else str(v), max_width) for v in row] for row in rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = ["  ".join(pad(h, w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(pad(v, w, i in right) for i, (v, w) in enumerate(zip(r, widths))).rstrip() for r in cells]
    return "\n".join(lines)


# -- HTML building blocks -------------------------------------------------------------------------------

#: Colours of the views (background, border): readable on white, told apart without relying on red/green alone
#: (contradictions also carry a thick border and a word in the legend).
COLOURS = {
    "bad": ("#ffcdd2", "#b71c1c"),        # a figure that contradicts its cell, a failed check
    "ok": ("#c8f7c5", "#2e7d32"),         # a figure that agrees with its cell
    "none": ("#eeeeee", "#9e9e9e"),       # a figure with no table cell: not compared
    "check": ("#e3f2fd", "#1565c0"),      # a statement checked against the prose itself, that holds
    "cell": ("#fff59d", "#f57f17"),       # the cell (and its row) of the figure under the pointer
}

_TEXT = "color:#212121"
_CELL = "text-align:left;vertical-align:top;padding:2px 8px;border-bottom:1px solid #e0e0e0"
_NUM = "text-align:right;vertical-align:top;padding:2px 8px;border-bottom:1px solid #e0e0e0;white-space:nowrap"
_HEAD = "text-align:left;padding:2px 8px;border-bottom:2px solid #9e9e9e;white-space:nowrap"
_TABLE = "border-collapse:collapse;margin:4px 0;font-size:13px;table-layout:auto"


def esc(value: Any) -> str:
    """Text (or any value's ``str``) as HTML, quotes included, so it can stand in an attribute too."""
    return html.escape("" if value is None else str(value), quote=True)


def _uid(*parts: str) -> str:
    """An id prefix from what is shown: results of different reports keep their anchors apart in one notebook,
    and re-running a notebook gives the same HTML (no noise in stored outputs)."""
    h = hashlib.blake2b(digest_size=5)
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass") + b"\0")
    return "rm" + h.hexdigest()


def _td(value: Any, num: bool = False, extra: str = "", attrs: str = "") -> str:
    return f"<td style='{_NUM if num else _CELL}{extra}'{attrs}>{esc(value)}</td>"


def _table(header: Sequence[str], rows: Iterable[str], width: str = "") -> str:
    head = "".join(f"<th style='{_HEAD}'>{esc(h)}</th>" for h in header)
    style = _TABLE + (f";width:{width}" if width else "")
    return f"<table style='{style}'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _swatch(kind: str, label: str) -> str:
    bg, border = COLOURS[kind]
    return (f"<span style='display:inline-block;margin-right:12px;white-space:nowrap'>"
            f"<span style='background:{bg};border:2px solid {border};padding:0 6px;{_TEXT}'>12</span> "
            f"{esc(label)}</span>")


def _details(summary: str, body: str, open_: bool = False) -> str:
    return (f"<details{' open' if open_ else ''} style='margin:4px 0'><summary style='cursor:pointer'>"
            f"{summary}</summary><div style='overflow-x:auto;max-width:100%'>{body}</div></details>")


@dataclass
class Mark:
    """A stretch ``[start, end)`` of the text to wrap in ``<tag attrs>``; ``attrs`` are written escaped. When
    marks cross they are split; ``id`` is kept on the first piece only."""

    start: int
    end: int
    attrs: dict[str, str] = field(default_factory=dict)
    tag: str = "span"


def _open(m: Mark, first: bool) -> str:
    attrs = "".join(f" {k}=\"{esc(v)}\"" for k, v in m.attrs.items() if first or k != "id")
    return f"<{m.tag}{attrs}>"


def marked_text(text: str, marks: Sequence[Mark]) -> str:
    """``text`` escaped, with every mark wrapped around its stretch; longer marks enclose shorter ones
    starting at the same place, and a mark that crosses another's end is closed and reopened."""
    marks = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    bounds = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    by_start: dict[int, list[int]] = {}
    for i, m in enumerate(marks):
        by_start.setdefault(m.start, []).append(i)
    active: list[int] = []          # indices of marks covering the current piece
    stack: list[int] = []           # tags open in the output, outermost first
    started: set[int] = set()
    out: list[str] = []
    for a, b in itertools.pairwise(bounds):
        active = [i for i in active if marks[i].end > a] + by_start.get(a, [])
        want = sorted(active, key=lambda i: (marks[i].start, -marks[i].end, i))
        keep = 0
        while keep < len(stack) and keep < len(want) and stack[keep] == want[keep]:
            keep += 1
        for i in reversed(stack[keep:]):
            out.append(f"</{marks[i].tag}>")
        for i in want[keep:]:
            out.append(_open(marks[i], i not in started))
            started.add(i)
        stack = want
        out.append(html.escape(text[a:b], quote=False))
    out += [f"</{marks[i].tag}>" for i in reversed(stack)]
    return "".join(out)


def _style_block(uid: str, rules: Iterable[str]) -> str:
    """Scoped CSS (hover highlighting needs it; the colours are inline too, for viewers that drop <style>)."""
    return "<style>" + "".join(f"#{uid} {r}" if not r.startswith(":") else f"#{uid}{r}" for r in rules) + "</style>"


# -- the check view -------------------------------------------------------------------------------------

_VERDICTS = {
    "contradicted": ("CONTRADICTED", "bad"),
    "unchecked": ("NOT CHECKED", "none"),
    "partial": ("PARTLY CHECKED", "cell"),
    "consistent": ("CONSISTENT", "ok"),
}
_KIND_WORDS = {"part_whole": "parts vs whole", "enumeration": "count vs list", "total_column": "table total",
               "total_row": "table total", "part_row": "table 其中 row", "stated_rule": "stated rule"}


def _mark_style(kind: str, strong: bool = False) -> str:
    bg, border = COLOURS[kind]
    line = "2px solid" if strong else "1px solid" if kind != "none" else "1px dotted"
    return f"background:{bg};border-bottom:{line} {border};{_TEXT}"


def _line_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The line(s) of ``text`` holding ``[start, end)``: a table row as the readers write it."""
    s = text.rfind("\n", 0, start) + 1
    e = text.find("\n", end)
    return s, len(text) if e < 0 else e


def _cell_row(cell: Any, record: Any) -> tuple[str, list[tuple[str, str, bool]]]:
    """The row a cell sits in, for people: its label and (column, value, is-this-cell) of each cell of it."""
    def value(c: Any) -> str:
        return f"{c.value if c.value is not None else (getattr(c, 'raw', None) or '—')}{c.unit or ''}"

    if hasattr(cell, "row"):            # a grid-table cell
        row = [c for t in record.tables for c in t.cells if c.table == cell.table and c.row == cell.row]
        if not row or getattr(cell, "status", "") == "sum":
            return cell.label, [("", value(cell), True)]
        return "/".join(cell.row) or "—", [("/".join(c.col), value(c), c.key == cell.key) for c in row]
    items = {i.no: i.title for i in record.annex.items}
    row = [c for c in record.annex.cells if c.item == cell.item]
    return f"{cell.item}. {items.get(cell.item, '')}", [(c.label, value(c), c.key == cell.key) for c in row]


def _row_html(label: str, row: list[tuple[str, str, bool]]) -> str:
    bg, border = COLOURS["cell"]
    parts = [f"<b>{esc(label)}</b>: "]
    for col, val, this in row:
        text = f"{col} {val}".strip()
        parts.append(f"<span style='background:{bg};outline:2px solid {border};padding:0 2px'>{esc(text)}</span>"
                     if this else esc(text))
    return parts[0] + "；".join(parts[1:])


def check_html(result: Any, cells: Sequence[Any], admits: Callable[[Any], str] = str) -> str:
    """The check view: the verdict and counts, what disagrees (linked to the text), then the other checks and
    the text with every figure marked. ``cells``: the cells claims index (``check.check_cells``); ``admits``:
    a quantity's admitted interval for people (``check.admits_text``)."""
    report = result.report
    text, norm, record = report.text, report.norm, report.record
    claims = sorted(result.claims, key=lambda c: c.span)
    uid = _uid(report.source.name, text, result.outcome, *(c.explanation for c in claims),
               *(c.explanation for c in result.internal_checks), *(c.explanation for c in result.table_checks))
    bad_internal = [c for c in result.internal_checks if c.verdict == "contradicted"]
    bad_tables = [c for c in result.table_checks if c.verdict == "contradicted"]
    word, kind = _VERDICTS.get(result.outcome, (result.outcome.upper(), "none"))
    bg, border = COLOURS[kind]
    n_bad = len(result.contradicted)
    counts = [f"{len(claims)} linked", f"{n_bad} contradicted", f"{len(result.unlinked)} unlinked",
              f"{len(result.internal_checks)} internal checks ({len(bad_internal)} bad)",
              f"{len(result.table_checks)} table checks ({len(bad_tables)} bad)"]
    head = (f"<div style='display:flex;flex-wrap:wrap;align-items:center;gap:10px;margin-bottom:4px'>"
            f"<span data-verdict='{esc(result.outcome)}' style='background:{bg};border:2px solid {border};{_TEXT};"
            f"font-weight:bold;padding:2px 10px;font-size:15px'>{esc(word)}</span>"
            f"<span style='font-weight:bold'>{esc(report.source.name)}</span>"
            f"<span>{' · '.join(esc(c) for c in counts)}</span></div>")
    head += "".join(f"<div style='color:#8a4b00'><b>NOT CHECKED</b>: {esc(r)}</div>" for r in result.not_checked)
    legend = ("<div style='margin:4px 0;font-size:12px'>"
              + _swatch("bad", "contradicts its cell / check fails") + _swatch("ok", "agrees with its cell")
              + _swatch("none", "no table cell (not compared)") + _swatch("check", "checked against the prose")
              + _swatch("cell", "the cell and row of the figure under the pointer") + "</div>")

    marks: list[Mark] = []
    rules = [".rm-f:hover{background:#fffde7}"]
    linked_cells: dict[int, None] = {}          # cells the figures restate, in order
    for j, c in enumerate(claims):
        verdict = "bad" if c.verdict == "contradicted" else "ok"
        attrs = {"id": f"{uid}-c{j}", "class": f"rm-claim rm-{verdict}", "data-verdict": c.verdict or "",
                 "data-cell": str(c.cell), "title": c.explanation, "style": _mark_style(verdict, verdict == "bad")}
        marks.append(Mark(c.span[0], c.span[1], attrs, tag="mark"))
        linked_cells[c.cell] = None
    for c in result.unlinked:
        attrs = {"class": "rm-claim rm-none", "data-verdict": "unlinked",
                 "title": "no table cell: this figure was not compared", "style": _mark_style("none")}
        marks.append(Mark(c.span[0], c.span[1], attrs, tag="mark"))
    cbg, cborder = COLOURS["cell"]
    rows_of: dict[tuple[int, int], list[str]] = {}
    for idx in linked_cells:
        cell = cells[idx] if idx < len(cells) else None
        if cell is None or getattr(cell, "status", "") == "sum":
            continue     # a block's sum has no place of its own in the text
        s, e = cell.value_span if getattr(cell, "value_span", None) else cell.span
        marks.append(Mark(s, e, {"class": "rm-cell", "data-cell": str(idx), "title": f"{cell.label}"}))
        rows_of.setdefault(_line_span(text, *cell.span), []).append(str(idx))
        rules.append(f":has([data-cell='{idx}']:hover) [data-cell='{idx}']"
                     f"{{background:{cbg} !important;outline:2px solid {cborder}}}")
        rules.append(f":has([data-cell='{idx}']:hover) [data-rowof~='{idx}']{{background:#fff9c4}}")
    marks += [Mark(s, e, {"class": "rm-row", "data-rowof": " ".join(ids)}) for (s, e), ids in rows_of.items()]
    for k, c in enumerate(result.internal_checks):
        verdict = "bad" if c.verdict == "contradicted" else "check"
        line = f"border-bottom:2px {'solid' if verdict == 'bad' else 'dashed'} {COLOURS[verdict][1]}"
        marks.append(Mark(c.span[0], c.span[1], {"id": f"{uid}-i{k}", "class": f"rm-internal rm-{verdict}",
                                                 "title": c.explanation, "style": line}))
    for k, c in enumerate(result.table_checks):
        if c.verdict != "contradicted":
            continue
        marks.append(Mark(c.span[0], c.span[1], {"id": f"{uid}-t{k}", "class": "rm-table rm-bad", "data-tcheck": str(k),
                                                 "title": c.explanation, "style": _mark_style("bad", True)}))
        rs, re_ = _line_span(text, *c.span)
        marks.append(Mark(rs, re_, {"class": "rm-row", "data-trow": str(k)}))
        rules.append(f":has([data-tcheck='{k}']:hover) [data-tcheck='{k}']{{outline:2px solid {cborder}}}")
        rules.append(f":has([data-tcheck='{k}']:hover) [data-trow='{k}']{{background:#fff9c4}}")

    # what disagrees, in reading order, each with a link to its place in the text
    found: list[tuple[int, str]] = []
    for j, c in enumerate(claims):
        if c.verdict != "contradicted":
            continue
        cell = cells[c.cell] if c.cell is not None and c.cell < len(cells) else None
        label, row = _cell_row(cell, record) if cell is not None else ("", [])
        said = f"{c.surface.replace(' ', '')} (admits {admits(c.quantity)})"
        found.append((c.span[0], _finding(f"{uid}-c{j}", c.line, c.column, "prose vs table", esc(said),
                                          _row_html(label, row), c.explanation, f" data-cell='{c.cell}'")))
    for k, c in enumerate(result.internal_checks):
        if c.verdict != "contradicted":
            continue
        line, col = norm.line_col(c.span[0])
        if c.kind == "enumeration":
            against = f"{c.listed} listed: {'、'.join(c.items)}"
        else:
            against = f"the whole {c.whole or ''}; its parts {' + '.join(c.parts)}"
        against += f" ({c.note})" if c.note else ""
        found.append((c.span[0], _finding(f"{uid}-i{k}", line, col, _KIND_WORDS.get(c.kind, c.kind),
                                          esc(text[c.span[0]:c.span[1]]), esc(against), c.explanation)))
    for k, c in enumerate(result.table_checks):
        if c.verdict != "contradicted":
            continue
        found.append((c.span[0], _finding(f"{uid}-t{k}", c.line, c.column, _KIND_WORDS.get(c.kind, c.kind),
                                          esc(_table_said(c)), esc(_table_against(c)), c.explanation,
                                          f" data-tcheck='{k}'")))
    for k, c in enumerate(getattr(result, "genre_checks", [])):   # the genre's rules, statements and claims
        if c.verdict not in ("contradicted", "questionable"):
            continue
        kind = f"{'questionable: ' if c.verdict == 'questionable' else ''}genre {c.kind} {c.id}"
        marks.append(Mark(c.span[0], c.span[1], {"id": f"{uid}-g{k}", "class": "rm-genre rm-bad",
                                                 "title": c.explanation, "style": _mark_style("bad", True)}))
        found.append((c.span[0], _finding(f"{uid}-g{k}", c.line or 0, c.column or 0, kind, esc(c.stated or c.id),
                                          esc(", ".join(c.cells[:6]) + (" …" if len(c.cells) > 6 else "")),
                                          c.explanation)))
    found.sort(key=lambda f: f[0])
    body = [head, legend]
    if found:
        body.append(f"<div style='font-weight:bold;margin-top:6px'>What disagrees ({len(found)})</div>")
        body.append(_table(["where", "kind", "stated", "checked against", "why"],
                           (f for _, f in found), width="100%"))
    # the rest on demand
    ok_rows = [f"<tr class='rm-f' data-cell='{c.cell}'>{_where(f'{uid}-c{j}', c.line, c.column)}"
               f"{_td(c.surface.replace(' ', ''))}{_td(c.explanation)}</tr>"
               for j, c in enumerate(claims) if c.verdict != "contradicted"]
    if ok_rows:
        body.append(_details(f"Figures that agree with their cell ({len(ok_rows)})",
                             _table(["where", "figure", "why"], ok_rows, width="100%")))
    if result.internal_checks:
        rows = []
        for k, c in enumerate(result.internal_checks):
            line, col = norm.line_col(c.span[0])
            rows.append(f"<tr class='rm-f'>{_where(f'{uid}-i{k}', line, col)}"
                        f"{_td('BAD' if c.verdict == 'contradicted' else 'OK')}"
                        f"{_td(_KIND_WORDS.get(c.kind, c.kind))}{_td(c.explanation)}</tr>")
        body.append(_details(f"Internal checks ({len(result.internal_checks)}, {len(bad_internal)} bad)",
                             _table(["where", "", "kind", "what"], rows, width="100%")))
    if result.table_checks:
        rows = [f"<tr class='rm-f'><td style='{_CELL}'>{c.line}:{c.column}</td>"
                f"{_td('BAD' if c.verdict == 'contradicted' else 'OK')}{_td(_KIND_WORDS.get(c.kind, c.kind))}"
                f"{_td(c.explanation)}</tr>" for c in result.table_checks]
        body.append(_details(f"Table arithmetic ({len(result.table_checks)} checks, {len(bad_tables)} bad)",
                             _table(["where", "", "kind", "what"], rows, width="100%")))
    if result.unlinked:
        body.append(_details(f"Figures with no table cell, not compared ({len(result.unlinked)})",
                             "<div style='line-height:1.8'>" + "、".join(
                                 f"<span title='line {c.line}:{c.column}'>{esc(c.surface)}</span>"
                                 for c in result.unlinked) + "</div>"))
    body.append("<div style='font-weight:bold;margin-top:6px'>The text</div>")
    body.append(f"<div class='rm-text' style='white-space:pre-wrap;max-height:32em;overflow:auto;"
                f"border:1px solid #e0e0e0;padding:6px;font-size:13px;line-height:1.6;text-align:left;{_TEXT}'>"
                f"{marked_text(text, marks)}</div>")
    return (f"<div id='{uid}' class='rm-check' style='text-align:left;max-width:100%'>"
            f"{_style_block(uid, rules)}{''.join(body)}</div>")


def _table_said(c: Any) -> str:
    if c.kind == "stated_rule":
        return f"the table states “{c.total}”"
    return f"the table says {c.found}" if c.found is not None else str(c.total)


def _table_against(c: Any) -> str:
    if c.kind == "stated_rule":
        return f"one side adds up to {c.expected}, the other to {c.found}"
    return f"its parts add up to {c.expected}" if c.expected is not None else "、".join(c.parts)


def _where(anchor: str, line: int, column: int) -> str:
    return f"<td style='{_CELL};white-space:nowrap'><a href='#{anchor}'>line {line}:{column}</a></td>"


def _finding(anchor: str, line: int, column: int, kind: str, said_html: str, other_html: str, why: str,
             attrs: str = "") -> str:
    bg, border = COLOURS["bad"]
    return (f"<tr class='rm-f rm-finding'{attrs} style='border-left:4px solid {border}'>{_where(anchor, line, column)}"
            f"<td style='{_CELL};white-space:nowrap'>{esc(kind)}</td>"
            f"<td style='{_CELL}'><span style='background:{bg};{_TEXT}'>{said_html}</span></td>"
            f"<td style='{_CELL}'>{other_html}</td>{_td(why)}</tr>")


# -- the record view ------------------------------------------------------------------------------------

def record_html(record: Any, max_table_cells: int = 300) -> str:
    """The record view: the 公文 header, the annex by item (title, cells, named fields), the 填报 block, the
    grid tables and the warnings; Chinese left-aligned whatever the notebook's CSS says."""
    c, d, a = record.campaign, record.document, record.annex
    meta = [x for x in (d.doc_number, d.date, "、".join(d.issuers)) if x]
    camp = " ".join(x for x in (c.region, f"{c.year}年" if c.year else None,
                                f"第{c.edition}个" if c.edition else None,
                                f"“{c.name}”" if c.name else None) if x)
    out = [f"<div style='font-size:15px;font-weight:bold'>{esc(d.title or d.source)}</div>",
           f"<div>{' · '.join(esc(x) for x in meta)}</div>" if meta else "",
           f"<div>{esc(camp)}{' · 主题 ' + esc(c.theme) if c.theme else ''}</div>" if camp or c.theme else ""]
    r = a.reporter
    reporter = [(k, v) for k, v in (("填报单位", r.org), ("联系人", r.contact), ("电话", r.phone), ("日期", r.date))
                if v]
    if a.items or a.cells:
        out.append(f"<div style='font-weight:bold;margin-top:8px'>{esc(a.title or 'Annex')}"
                   f"{' (template ' + esc(a.template) + ')' if a.template else ''}</div>")
    if reporter:
        out.append("<div style='margin:2px 0'><b>填报</b>: "
                   + " · ".join(f"{esc(k)} {esc(v)}" for k, v in reporter) + "</div>")
    if a.items or a.cells:
        titles = {i.no: i for i in a.items}
        rows = []
        for no in sorted({*titles, *(x.item for x in a.cells), *(f.item for f in a.named_fields)}):
            item = titles.get(no)
            note = f" <span style='color:#757575'>({esc(item.note)})</span>" if item is not None and item.note else ""
            rows.append(f"<tr><td colspan='4' style='{_CELL};font-weight:bold;background:#f5f5f5'>"
                        f"{no}. {esc(item.title if item else '')}{note}</td></tr>")
            indent = ";padding-left:2em"
            rows += [f"<tr>{_td(f.label, extra=indent)}<td style='{_CELL}' colspan='3'>{esc(f.text)}</td></tr>"
                     for f in a.named_fields if f.item == no]
            rows += [f"<tr>{_td(x.label, extra=indent)}{_td('' if x.value is None else x.value, num=True)}"
                     f"{_td(x.unit or '')}<td style='{_CELL};color:#757575'><code>{esc(x.key)}</code></td></tr>"
                     for x in a.cells if x.item == no]
        out.append(_table(["活动项目 / label", "value", "unit", "key"], rows))
    for t in record.tables:
        rows = [f"<tr>{_td('/'.join(x.row))}{_td('/'.join(x.col))}"
                f"{_td(x.value if x.value is not None else x.raw, num=x.value is not None)}{_td(x.unit or '')}</tr>"
                for x in t.cells[:max_table_cells]]
        more = f"<div>… {len(t.cells) - max_table_cells} more cells</div>" if len(t.cells) > max_table_cells else ""
        out.append(_details(f"Table {t.index + 1}: {esc(t.caption or t.kind)} ({t.n_rows}×{t.n_cols}, "
                            f"{len(t.cells)} cells)", _table(["row", "column", "value", "unit"], rows) + more))
    if record.warnings:
        out.append(_details(f"Warnings ({len(record.warnings)})",
                            "<ul style='margin:2px 0'>" + "".join(f"<li>{esc(w)}</li>" for w in record.warnings)
                            + "</ul>", open_=len(record.warnings) <= 5))
    return f"<div class='rm-record' style='text-align:left;max-width:100%;{_TEXT}'>{''.join(out)}</div>"


# -- the corpus view ------------------------------------------------------------------------------------

def _count_by(frame: Any, column: str, where: Any = None) -> dict:
    if frame is None or not len(frame) or column not in frame.columns:
        return {}
    if where is not None:
        frame = frame[where]
    return {k: int(v) for k, v in frame.groupby(column, dropna=True).size().items()}


def _blank(v: Any) -> Any:
    """A value for a table cell: None, NaN, pandas' NA and NaT empty, lists joined with 、."""
    if v is None or (isinstance(v, float) and v != v) or type(v).__name__ in ("NAType", "NaTType"):
        return ""
    if isinstance(v, (list, tuple)) or type(v).__name__ == "ndarray":
        return "、".join(str(x) for x in v)      # a list column (issuers, organisers): as a reader writes it
    return v


def corpus_contradictions(corpus: Any) -> tuple[Any, str]:
    """The rows of a corpus that disagree and the name of their document column: ``corpus.contradictions``
    (every kind) where the corpus has it, else the claims of ``corpus.checks`` that contradict their cell."""
    found = getattr(corpus, "contradictions", None)
    doc = next((c for c in ("doc_id", "doc") if c in getattr(found, "columns", ())), None)
    if doc is not None:
        return found, doc
    checks = corpus.checks
    return (checks[checks["verdict"] == "contradicted"] if "verdict" in checks.columns else checks.iloc[:0]), "doc_id"


def corpus_html(corpus: Any, max_rows: int = 50) -> str:
    """The corpus view: a one-line summary, then one compact row per document (region, year, cells,
    contradictions, warnings, errors) that fits a laptop screen; every column and the lists on demand."""
    docs, errors = corpus.documents, corpus.errors
    contradictions, doc = corpus_contradictions(corpus)
    bad = _count_by(contradictions, doc)
    errs = _count_by(errors, "file")
    out = [f"<div style='margin-bottom:4px'><b>Corpus</b>: {esc(corpus.summary())}</div>"]
    rows = []
    for r in docs.head(max_rows).to_dict("records"):
        n_bad, n_err = bad.get(r["doc_id"], 0), errs.get(r["file"], 0)
        title = _blank(r.get("title"))
        clipped = "overflow:hidden;text-overflow:ellipsis;white-space:nowrap"
        name = (f"<div title='{esc(r['file'])}' style='font-weight:bold;{clipped}'>{esc(r['doc_id'])}</div>"
                f"<div title='{esc(title)}' style='{clipped};color:#616161;font-size:12px'>{esc(title)}</div>")
        red = f";color:{COLOURS['bad'][1]};font-weight:bold"
        rows.append(f"<tr><td style='{_CELL};max-width:0;width:50%'>{name}</td>{_td(_blank(r.get('region')))}"
                    f"{_td(_blank(r.get('year')), num=True)}"
                    f"<td style='{_CELL};white-space:nowrap'>{esc(_blank(r.get('doc_number')))}</td>"
                    f"{_td(_blank(r.get('n_cells')), num=True)}"
                    f"{_td(n_bad, num=True, extra=red if n_bad else '')}"
                    f"{_td(_blank(r.get('n_warnings')), num=True)}"
                    f"{_td(n_err, num=True, extra=red if n_err else '')}</tr>")
    out.append(_table(["document", "region", "year", "文号", "cells", "contradictions", "warnings", "errors"], rows,
                      width="100%"))
    if len(docs) > max_rows:
        out.append(f"<div>… {len(docs) - max_rows} more documents (<code>corpus.documents</code>)</div>")
    if len(contradictions):
        cols = [c for c in ("doc_id", "doc", "kind", "line", "column", "surface", "expected", "found", "explanation",
                            "context") if c in contradictions.columns]
        rows = ["<tr>" + "".join(_td(_blank(v)) for v in row) + "</tr>"
                for row in contradictions[cols].head(200).itertuples(index=False, name=None)]
        out.append(_details(f"Contradictions ({len(contradictions)})", _table(cols, rows)))
    if len(errors):
        rows = ["<tr>" + "".join(_td(v) for v in row) + "</tr>"
                for row in errors.head(200).itertuples(index=False, name=None)]
        out.append(_details(f"Errors ({len(errors)})", _table(list(errors.columns), rows)))
    if len(docs):
        cols = [c for c in docs.columns if c not in ("sha256",)]
        rows = ["<tr>" + "".join(_td(_blank(v)) for v in row) + "</tr>"
                for row in docs[cols].head(max_rows).itertuples(index=False, name=None)]
        out.append(_details("All document columns", _table(cols, rows)))
    return f"<div class='rm-corpus' style='text-align:left;max-width:100%;{_TEXT}'>{''.join(out)}</div>"
