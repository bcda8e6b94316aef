"""Command line: ``reportmine parse|check FILE``.

Exit status: 0 success; 1 ``check`` found a contradiction; 2 unusable input
(missing, empty, binary or undecodable file) with a one-line message on stderr.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from typing import Sequence

from .io import ReportLoadError

__all__ = ["main", "format_table", "display_width"]


def display_width(s: str) -> int:
    """Terminal columns of ``s``: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - display_width(s))
    return fill + s if right else s + fill


def _clip(s: str, width: int) -> str:
    """Cut ``s`` to ``width`` display columns, marking the cut with an ellipsis."""
    if display_width(s) <= width:
        return s
    out = ""
    for ch in s:
        if display_width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def format_table(header: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[int] = (),
                 max_width: int = 48) -> str:
    """Align columns for people reading Chinese in a terminal; long cells are clipped."""
    cells = [[_clip("" if v is None else str(v), max_width) for v in row] for row in rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(v, w, i in right) for i, (v, w) in enumerate(zip(r, widths))).rstrip() for r in cells]
    return "\n".join(lines)


def _record_table(report) -> str:
    rec = report.record
    d, c, a = rec.document, rec.campaign, rec.annex
    fields = [
        ("文号", d.doc_number), ("标题", d.title), ("主送", d.addressee), ("发文机关", "、".join(d.issuers)),
        ("成文日期", d.date), ("活动", f"{c.region or ''} {c.year or ''} 第{c.edition or '?'}个“{c.name or ''}”"),
        ("主题", c.theme), ("附件", "、".join(d.attachments)), ("抄送", "、".join(d.cc)),
        ("印发", f"{d.printed_by or ''} {d.printed_date or ''}"), ("份数", d.copies),
        ("填报", f"{a.reporter.org or ''} {a.reporter.contact or ''} {a.reporter.phone or ''} {a.reporter.date or ''}"),
        ("模板", a.template or "(none)"),
    ]
    head = "\n".join(f"{_pad(k, 8)} {'' if v is None else v}" for k, v in fields)
    sections = "\n".join(f"  {s.no}、{s.title} ({len(s.subsections)})" for s in d.sections)
    table = format_table(["item", "key", "label", "value", "unit"],
                         [(x.item, x.key, x.label, x.value, x.unit) for x in a.cells], right=(3,))
    named = "\n".join(f"  {f.label}: {f.text}" for f in a.named_fields)
    warns = "\n".join(f"  {w}" for w in rec.warnings)
    out = [head, "sections:", sections, "", table]
    if named:
        out += ["named fields:", named]
    if warns:
        out += ["warnings:", warns]
    return "\n".join(out)


def _cmd_parse(args: argparse.Namespace) -> int:
    from .report import parse

    report = parse(args.file)
    if args.format == "json":
        print(report.record.to_json())
    elif args.format == "csv":
        print(report.record.to_frame().to_csv(index=False), end="")
    else:
        print(_record_table(report))
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from .check import check_report
    from .report import parse

    result = check_report(parse(args.file))
    print(result.to_json() if args.format == "json" else result.to_text())
    return 1 if result.contradicted else 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="reportmine", description="Chinese government reports -> checked, structured data.")
    sub = p.add_subparsers(dest="command", required=True)
    sp = sub.add_parser("parse", help="read a report into its campaign record")
    sp.add_argument("file")
    sp.add_argument("--format", choices=["json", "table", "csv"], default="table")
    sp.set_defaults(run=_cmd_parse)
    cp = sub.add_parser("check", help="check prose figures against the annex table (exit 1 on contradiction)")
    cp.add_argument("file")
    cp.add_argument("--format", choices=["text", "json"], default="text")
    cp.set_defaults(run=_cmd_check)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ReportLoadError as exc:
        print(f"reportmine: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
