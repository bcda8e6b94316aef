"""Build the demonstration archive of ``archive.ipynb`` in a folder: what an analyst's archive looks like.

From the bundled reports in ``corpus/`` it writes

* the six reports as they are (.txt);
* the 2023 上海 report again as .docx and, when reportlab is installed, as .pdf (the same report in
  three formats: one 文号), and three byte-identical copies of the 2022 浙江 report (a re-download);
* a corrected edition of the 2022 浙江 report (same 文号) with an annex cell changed and a prose total
  whose parts now exceed it;
* two more regions for 2023 and 2024 (天津, 云南), made from the 上海 and 四川 reports with their own 文号,
  a different drills figure (so "which region did most" has a real choice each year) and an internal
  contradiction each (a list of three called four; parts beyond their whole).

Every change is a plain text replacement that must match exactly once: the builder fails rather than
write an archive that is not what it says.
"""

from __future__ import annotations

import shutil
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

#: (source report, target name, [(old, new, times it must occur; None: at least once)]).
VARIANTS = [
    # a corrected edition of the 2022 浙江 report (same 文号): an annex cell and a prose total changed, so its
    # parts (156条 + 98条) now exceed the whole (212条)
    ("2022-zhejiang-safety-month.txt", "zhejiang-2022-corrected.txt",
     [("相关信息412条", "相关信息212条", 1), ("观看安全生产警示教育片（ 9354 ）场", "观看安全生产警示教育片（ 9534 ）场", 1)]),
    # 天津 2023, made from 上海: its own 文号, more drills, and a list of three called four
    ("2023-shanghai-safety-month.txt", "tianjin-2023.txt",
     [("沪安委办函〔2023〕1号", "津安委办函〔2023〕7号", 1), ("上海", "天津", None),
      ("企业组织事故应急演练（ 33807 ）场", "企业组织事故应急演练（ 41250 ）场", 1),
      ("执法规范三个方面", "执法规范四个方面", 1)]),
    # 云南 2024, made from 四川: its own 文号, fewer drills, and parts (410条 + 150条) beyond their whole (530条)
    ("2024-sichuan-safety-month.txt", "yunnan-2024.txt",
     [("川安委办函〔2024〕12号", "云安委办函〔2024〕5号", 1), ("四川", "云南", None),
      ("企业组织事故应急演练（ 9876 ）场", "企业组织事故应急演练（ 7311 ）场", 1),
      ("“畅通生命通道”主题信息210条", "“畅通生命通道”主题信息410条", 1)]),
]


def _apply(text: str, changes: list[tuple[str, str, int | None]], name: str) -> str:
    for old, new, count in changes:
        found = text.count(old)
        if (count is None and found == 0) or (count is not None and found != count):
            raise ValueError(f"{name}: {old!r} occurs {found} times, expected {count if count is not None else '≥1'}")
        text = text.replace(old, new)
    return text


def write_docx(text: str, path: Path) -> None:
    """The report as a Word file: one paragraph per line, the annex rows (label TAB progress) as a table."""
    import docx

    document = docx.Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for i, row in enumerate(rows):
                for j, value in enumerate(row):
                    table.cell(i, j).text = value
            rows.clear()

    for line in text.splitlines():
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        flush()
        if line.strip():
            document.add_paragraph(line)
    flush()
    document.save(path)


def write_pdf(text: str, path: Path) -> bool:
    """The report as a PDF with a text layer (reportlab, CJK font STSong-Light), the annex rows as a ruled
    table; False when reportlab is not installed."""
    try:
        from reportlab.lib import colors
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
    except ImportError:
        return False
    from xml.sax.saxutils import escape

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=17, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=9, leading=13, wordWrap="CJK")
    story: list = []
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            width = max(len(r) for r in rows)
            grid = [[Paragraph(escape(c), cell) for c in r + [""] * (width - len(r))] for r in rows]
            table = Table(grid, colWidths=[130, 330][:width] if width <= 2 else None)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(table)
            rows.clear()

    for line in text.splitlines():
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        flush()
        if line.strip():
            story.append(Paragraph(escape(line), body))
    flush()
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return True


def build_archive(root: str | Path) -> Path:
    """Write the demonstration archive into ``root/archive`` and return that folder."""
    folder = Path(root) / "archive"
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(CORPUS.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    zhejiang = (CORPUS / "2022-zhejiang-safety-month.txt").read_bytes()
    for k in range(1, 4):                                            # byte-identical re-downloads
        (folder / f"downloads-{k}").mkdir(exist_ok=True)
        (folder / f"downloads-{k}" / "zhejiang.txt").write_bytes(zhejiang)
    shanghai = (CORPUS / "2023-shanghai-safety-month.txt").read_text(encoding="utf-8")
    write_docx(shanghai, folder / "shanghai-2023.docx")             # the same report in other formats
    write_pdf(shanghai, folder / "shanghai-2023.pdf")
    for source, name, changes in VARIANTS:
        text = (CORPUS / source).read_text(encoding="utf-8")
        (folder / name).write_text(_apply(text, changes, name), encoding="utf-8")
    return folder
