"""Command line: ``reportmine parse|check|entities FILE`` and ``reportmine batch SOURCE -o OUT``.

Exit status: 0 success; 1 ``check`` found a contradiction; 2 unusable input
(missing, empty or whitespace-only, binary, undecodable, too large, or not a regular file)
with a one-line message on stderr naming the file.
3: reportmine itself failed on the file (a bug; ``REPORTMINE_DEBUG=1`` shows the traceback).
4: ``check`` could check nothing (no table with numbers and no statement the prose checks against
itself): the output's ``NOT CHECKED`` lines (JSON ``outcome``/``not_checked``) say why.
``batch``: 0 at least one document parsed, 1 no file could be parsed, 2 no report files
or the output cannot be written (see ``BATCH_HELP``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

from .display import display_width, format_table, pad
from .io import DEFAULT_TIMEOUT, ReportLoadError

__all__ = ["main", "format_table", "display_width", "INTERNAL_ERROR"]

#: Exit status when reportmine itself fails (never 1, which for ``check`` means "contradiction found").
INTERNAL_ERROR = 3


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
    head = "\n".join(f"{pad(k, 8)} {'' if v is None else v}" for k, v in fields)
    sections = "\n".join(f"  {s.no}、{s.title} ({len(s.subsections)})" for s in d.sections)
    table = format_table(["item", "key", "label", "value", "unit"],
                         [(x.item, x.key, x.label, x.value, x.unit) for x in a.cells], right=(3,))
    named = "\n".join(f"  {f.label}: {f.text}" for f in a.named_fields)
    warns = "\n".join(f"  {w}" for w in rec.warnings)
    out = [head, "sections:", sections, ""]
    g = rec.genre
    if g is not None:
        out += [f"genre: {g.name} ({g.genre}), template {g.template or '(none)'} {g.format or ''}; issuer {g.issuer or '?'}, "
                f"year {g.year or '?'}, region {g.region or '?'}, level {g.level or '?'}",
                "genre sections: " + "、".join(s.title for s in g.sections)]
        if g.cells:
            out += [format_table(["key", "label", "value", "unit", "status"],
                                 [(x.key, x.label, "—" if x.value is None else x.value, x.unit or "", x.status)
                                  for x in g.cells], right=(2,))]
        out.append("")
    if a.cells or not rec.tables:
        out.append(table)
    for t in rec.tables:
        out += [f"table {t.index + 1}: {t.caption or ''} ({t.n_rows}×{t.n_cols}, {len(t.cells)} cells)",
                format_table(["row", "column", "value", "unit"],
                             [("/".join(x.row), "/".join(x.col), "—" if x.value is None else x.value, x.unit or "")
                              for x in t.cells], right=(2,))]
    if named:
        out += ["named fields:", named]
    if warns:
        out += ["warnings:", warns]
    return "\n".join(out)


def _cmd_parse(args: argparse.Namespace) -> int:
    from .report import parse

    report = parse(args.file, genre=None if args.genre == "auto" else args.genre)
    if args.format == "json":
        print(report.record.to_json())
    elif args.format == "csv":
        print(report.record.to_frame().to_csv(index=False), end="")
    else:
        print(_record_table(report))
    return 0


#: Exit statuses of ``check`` over several files, most severe first: the worst one is returned.
CHECK_SEVERITY = (INTERNAL_ERROR, 2, 1, 4, 0)


def _check_one(path: str, genre: str | None = None) -> tuple[int, object]:
    """(exit status, CheckResult or an error message) for one file."""
    from .check import check_report
    from .report import parse

    try:
        result = check_report(parse(path, genre=genre))
    except ReportLoadError as exc:
        return 2, f"reportmine: error: {exc}"
    except Exception as exc:  # noqa: BLE001 - a bug on one file: said, and the other files go on
        if os.environ.get("REPORTMINE_DEBUG"):
            raise
        return INTERNAL_ERROR, (f"reportmine: internal error on {path}: {type(exc).__name__}: {str(exc)[:300]} "
                                "(a bug in reportmine; REPORTMINE_DEBUG=1 shows the traceback)")
    if result.contradicted:
        return 1, result
    return (4 if result.outcome == "unchecked" else 0), result   # nothing checked must never look like a pass


def _cmd_check(args: argparse.Namespace) -> int:
    import json

    files = args.files
    statuses, objects = [], []
    for i, path in enumerate(files):
        status, got = _check_one(path, None if args.genre in (None, "auto") else args.genre)
        statuses.append(status)
        if isinstance(got, str):
            print(got, file=sys.stderr)
            if args.format == "json" and len(files) > 1:
                objects.append({"source": path, "error": got.removeprefix("reportmine: ")})
            continue
        if args.format == "json":
            objects.append(got.to_dict())
        else:
            if len(files) > 1 and i:
                print()
            print(got.to_text())
    if args.format == "json":
        if len(files) == 1:
            if objects:
                print(json.dumps(objects[0], ensure_ascii=False, indent=1, default=str))
        else:
            print(json.dumps(objects, ensure_ascii=False, indent=1, default=str))
    return min(statuses, key=CHECK_SEVERITY.index)


def _cmd_entities(args: argparse.Namespace) -> int:
    import json

    from .report import parse

    report = parse(args.file)
    found = report.entity_rows()          # plain rows: no pandas to load for a listing
    if args.label:
        found = [r for r in found if r["label"] in args.label]
    if args.format == "json":
        rows = [{k: r[k] for k in ("label", "text", "start", "end", "canonical", "value", "roles")} for r in found]
        print(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
    else:
        rows = [(r["label"], r["text"].replace("\n", " "), r["canonical"] if r["canonical"] and r["canonical"] != r["text"]
                 else "", r["value"] or "、".join(r["roles"]), r["start"], r["end"]) for r in found]
        print(format_table(["label", "text", "canonical", "value/roles", "start", "end"], rows, right=(4, 5)))
    return 0


BATCH_HELP = """\
Parse every report in SOURCE (a folder, searched recursively for .txt/.docx/.pdf/.html/.htm
files; a glob such as 'archive/**/*.txt'; or one file) in parallel and write the tables:
  OUT.xlsx     one workbook, a sheet per table: documents, cells, checks, entities, events, errors
  OUT.csv      OUT.documents.csv, OUT.cells.csv, OUT.checks.csv, OUT.entities.csv, OUT.events.csv and
               OUT.errors.csv beside each other (UTF-8 with BOM, opens in Excel)
  OUT.parquet  OUT.documents.parquet, OUT.cells.parquet, … likewise
A file that cannot be read or parsed is a row of the errors table; the others go on. So is a file
still running after --timeout seconds (its worker is killed), and an entry that only looks like a
report (a folder named x.txt, a FIFO, a device, a broken or looping link). Files larger than
$REPORTMINE_MAX_BYTES (default 200 MiB; e.g. 500M) are refused.
Results are cached by file content in DIR (default $REPORTMINE_CACHE or ~/.cache/reportmine),
so a re-run over an unchanged archive parses nothing.
Duplicates — a file with the same content as another, or the same 文号, issuers and year (the same
report as .txt, .docx and .pdf) — are left out of the tables and listed in the duplicates table
(--keep-duplicates keeps them, marked in documents.duplicate_of).
Prints one summary line: documents, cells, prose figures linked to a table cell, unlinked figures,
contradictions (the contradictions table: figure vs cell, parts vs whole, list counts, table
arithmetic, and the same cell differing across documents), entities, errors.

Exit status: 0 at least one document parsed (errors may exist); 1 no file could be parsed (errors
only); 2 no report files found, OUT cannot be written, or its writer is not installed (xlsx and
parquet need: pip install 'reportmine[export]').

Examples:
  reportmine batch archive/ -o archive.xlsx
  reportmine batch 'archive/**/*.docx' -o out.parquet --workers 4
  reportmine batch archive/ -o out.csv --no-entities --keep-duplicates"""


def _cmd_batch(args: argparse.Namespace) -> int:
    import warnings

    from .corpus import SAVED, DuplicateWarning, parse_many, require_writer

    try:
        require_writer(args.output)         # a missing openpyxl/pyarrow is said before any file is parsed
    except (ImportError, ValueError) as exc:
        print(f"reportmine: error: {exc}", file=sys.stderr)
        return 2
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DuplicateWarning)      # the summary line says it
            corpus = parse_many(args.source, workers=args.workers,
                                cache=False if args.no_cache else (args.cache or True),
                                check=not args.no_check, entities=not args.no_entities,
                                progress=False if args.no_progress else None, timeout=args.timeout or None,
                                duplicates="keep" if args.keep_duplicates else "drop",
                                genre=None if args.genre in (None, "auto") else args.genre)
    except FileNotFoundError as exc:
        print(f"reportmine: error: {exc}", file=sys.stderr)
        return 2
    if corpus.meta.get("files") == 0:
        print(f"reportmine: error: {args.source}: no report files (.txt .docx .pdf .html .htm)", file=sys.stderr)
        return 2
    try:
        written = corpus.save(args.output)
    except (OSError, ImportError, ValueError) as exc:
        print(f"reportmine: error: cannot write {args.output}: {exc}", file=sys.stderr)
        return 2
    for f, stage, reason in corpus.errors.head(10).itertuples(index=False, name=None):
        print(f"reportmine: {stage} error: {f}: {reason}", file=sys.stderr)
    if len(corpus.errors) > 10:
        print(f"reportmine: … {len(corpus.errors) - 10} more errors in the errors table", file=sys.stderr)
    out = Path(args.output)
    where = out if len(written) == 1 else out.with_name(f"{out.stem}.{{{','.join(SAVED)}}}{out.suffix}")
    print(f"{corpus.summary()} -> {where}")
    cross = corpus.meta.get("cross_year")
    if cross is not None and len(cross):
        print(f"cross-year mismatches ({len(cross)}):")
        for text in list(cross["explanation"])[:10]:
            print(f"  BAD {text}")
    return 0 if len(corpus.documents) else 1


def _positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r}: must be a whole number of at least 1")
    return int(value)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0 or seconds == float("inf"):
        raise argparse.ArgumentTypeError(f"{value!r}: must be a number of seconds (0 = no limit)")
    return seconds


def _batch_output(value: str) -> str:
    if Path(value).suffix.lower() not in (".csv", ".parquet", ".xlsx"):
        raise argparse.ArgumentTypeError(f"{value!r}: must end in .xlsx, .csv or .parquet")
    return value


def _add_batch(sub) -> None:
    bp = sub.add_parser("batch", help="parse a folder of reports in parallel into tables (xlsx, csv, parquet)",
                        description=BATCH_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    bp.add_argument("source", metavar="SOURCE", help="folder, glob pattern or file")
    bp.add_argument("-o", "--output", required=True, metavar="OUT", type=_batch_output,
                    help="OUT.xlsx, OUT.csv or OUT.parquet (csv/parquet: one OUT.<table>.<ext> per table)")
    bp.add_argument("--workers", type=_positive_int, default=None, metavar="N",
                    help="worker processes (default: CPU count; 1 = no pool)")
    bp.add_argument("--cache", metavar="DIR", help="cache folder (default $REPORTMINE_CACHE or ~/.cache/reportmine)")
    bp.add_argument("--no-cache", action="store_true", help="parse every file, read and write no cache")
    bp.add_argument("--no-check", action="store_true", help="skip the prose-vs-annex checks (empty checks table)")
    bp.add_argument("--no-entities", action="store_true", help="skip named entities (empty entities table)")
    bp.add_argument("--no-progress", action="store_true", help="no progress bar (shown for more than 5 files on a terminal or in a notebook)")
    bp.add_argument("--keep-duplicates", action="store_true",
                    help="keep documents that repeat another (marked in documents.duplicate_of)")
    bp.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                    help=f"seconds one file may take (default {DEFAULT_TIMEOUT:g}; 0 = no limit); a file that takes "
                         "longer is a row of errors (stage timeout) and the batch goes on")
    _add_genre(bp)
    bp.set_defaults(run=_cmd_batch)


def _add_genre(parser: argparse.ArgumentParser) -> None:
    from .genres import genres

    parser.add_argument("--genre", choices=["auto", *(g.id for g in genres())], default=None,
                        help="read the report as this genre (default: recognised from its title and headings)")


FILE_HELP = "a report: .txt (UTF-8, GBK/GB18030, Big5), .docx, .pdf (with a text layer) or .html"

DESCRIPTION = """\
Chinese government reports (公文 + statistics annex) -> checked, structured data.

Commands:
  parse FILE      the campaign record: 公文 elements, campaign, annex cells, tables, warnings
  check FILE...   prose figures vs the tables, parts vs wholes, list counts, table arithmetic
  entities FILE   organisations, persons, places, dates and events
  batch SOURCE    a folder of reports in parallel -> xlsx / csv / parquet tables

FILE is """ + FILE_HELP + """.
'reportmine COMMAND --help' explains each command."""

EXIT_HELP = """\
Exit status:
  0  success
  1  check: a contradiction was found (in any of the files)
  2  unusable input: missing, empty, binary, undecodable, not a regular file, larger than
     $REPORTMINE_MAX_BYTES (default 200 MiB), or a missing optional extra (the message names it)
  3  reportmine itself failed on a file (a bug; REPORTMINE_DEBUG=1 shows the traceback)
  4  check: nothing could be checked (no table with numbers and no statement to check); the
     NOT CHECKED lines say why
With several files, check returns the most severe status: 3, then 2, 1, 4, 0.

Examples:
  reportmine parse corpus/2023-shanghai-safety-month.txt
  reportmine parse report.docx --format json > report.json
  reportmine check report.pdf
  reportmine check archive/*.txt --format json > checks.json
  reportmine entities report.txt --label ORG --label PERSON
  reportmine batch archive/ -o archive.xlsx"""

CHECK_HELP = """\
Check each FILE: every figure in the prose that restates a table cell (of the annex form or any
grid table) is compared with it (OK / BAD, with the line:column and a one-line explanation); the
prose is checked against itself (a whole and its 其中 parts, a stated count vs the list before
it) and the tables against their own arithmetic (总计/合计/小计, 其中 rows, stated 勾稽关系).
What could not be checked is said (NOT CHECKED lines), never shown as a pass.
--format json prints one object per file (a list of them for several files), with the field
names of shared/gold/seed-claims.json."""


def build_parser() -> argparse.ArgumentParser:
    from .version import VERSION

    raw = argparse.RawDescriptionHelpFormatter
    p = argparse.ArgumentParser(prog="reportmine", description=DESCRIPTION, epilog=EXIT_HELP, formatter_class=raw)
    p.add_argument("--version", action="version", version=f"reportmine {VERSION}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sp = sub.add_parser("parse", help="read a report into its campaign record", formatter_class=raw,
                        description="Read FILE into its campaign record: the 公文 elements, the campaign, the annex "
                                    "cells and every grid table, with warnings at their line:column.",
                        epilog=EXIT_HELP)
    sp.add_argument("file", metavar="FILE", help=FILE_HELP)
    sp.add_argument("--format", choices=["json", "table", "csv"], default="table",
                    help="table: aligned text (default); json: the record with the gold files' field names; "
                         "csv: one row per cell")
    _add_genre(sp)
    sp.set_defaults(run=_cmd_parse)
    cp = sub.add_parser("check", help="check prose figures against the tables and themselves (exit 1 on a "
                                      "contradiction, 4 when nothing could be checked)",
                        description=CHECK_HELP, epilog=EXIT_HELP, formatter_class=raw)
    cp.add_argument("files", nargs="+", metavar="FILE", help=FILE_HELP + "; several may be given")
    cp.add_argument("--format", choices=["text", "json"], default="text",
                    help="text: OK/BAD lines (default); json: the full result")
    _add_genre(cp)
    cp.set_defaults(run=_cmd_check)
    ep = sub.add_parser("entities", help="list organisations, persons, places, dates and events in a report",
                        description="List the named entities of FILE with canonical names (市应急局 -> "
                                    "上海市应急管理局), ISO values of dates and the roles of persons.",
                        epilog=EXIT_HELP, formatter_class=raw)
    ep.add_argument("file", metavar="FILE", help=FILE_HELP)
    ep.add_argument("--format", choices=["table", "json"], default="table", help="table (default) or json")
    ep.add_argument("--label", action="append", choices=["ORG", "PERSON", "GPE", "LOC", "DATE", "EVENT"],
                    help="only this label (repeatable)")
    ep.set_defaults(run=_cmd_entities)
    _add_batch(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "run", None) is None:          # bare ``reportmine``: the help, not an error
        parser.print_help()
        return 0
    try:
        return args.run(args)
    except ReportLoadError as exc:
        print(f"reportmine: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - a bug: one clear line and its own status, not a traceback
        if os.environ.get("REPORTMINE_DEBUG"):
            raise
        where = getattr(args, "file", None) or getattr(args, "source", "") or " ".join(getattr(args, "files", []))
        print(f"reportmine: internal error on {where}: {type(exc).__name__}: {str(exc)[:300]} "
              f"(a bug in reportmine; REPORTMINE_DEBUG=1 shows the traceback)", file=sys.stderr)
        return INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())
