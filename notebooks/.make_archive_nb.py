import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = [
    new_markdown_cell("""# An analyst's archive: three questions in a few lines of pandas

An archive as it arrives: the bundled reports, the same 上海 report again as `.docx` and `.pdf`, three
byte-identical re-downloads of the 浙江 report, a corrected edition of it, and two more regions made for the
demonstration (天津 2023, 云南 2024) — some of them with figures that disagree with their own tables or with
themselves. `demo_archive.build_archive` writes it into a temporary folder (see its docstring for every
change it makes). reportmine reads it once; every answer below is at most three lines of pandas and
nobody opens a report."""),
    new_code_cell("""import tempfile

import reportmine
from demo_archive import build_archive

archive = build_archive(tempfile.mkdtemp())
corpus = reportmine.parse_many(archive, workers=2, cache=False)
print(corpus.summary())"""),
    new_markdown_cell("""The warning says what happened to the duplicates: they are left out of every table, so nothing is
counted twice. `corpus.duplicates` says which file repeats which, and why (`parse_many(..., duplicates="keep")`
keeps them, marked in `documents.duplicate_of`; `corpus.unique()` drops them again)."""),
    new_code_cell("""corpus.duplicates[["doc_id", "duplicate_of", "reason"]]"""),
    new_markdown_cell("""## 1. Which region ran the most 应急演练 each year?

Annex cells have stable keys across regions and years (`drills.enterprise_drills` is 企业组织事故应急演练, in 场),
and `value` is a whole-number column."""),
    new_code_cell("""drills = corpus.cells[corpus.cells["key"] == "drills.enterprise_drills"]
drills.loc[drills.groupby("year")["value"].idxmax(), ["year", "region", "value", "unit"]]""",
                  metadata={"reportmine": {"question": 1}}),
    new_markdown_cell("""## 2. Every contradiction in the archive

One row per disagreement, whatever found it: a prose figure against its table cell (`claim`), a whole
against its 其中 parts (`part_whole`), a stated count against its list (`enumeration`), table arithmetic, and
the same cell differing between two documents of one region, year and campaign (`across_documents` — here
the corrected edition of the 浙江 report). `line`/`column` point into the file."""),
    new_code_cell("""corpus.contradictions[["doc_id", "kind", "surface", "expected", "found", "line", "column"]]""",
                  metadata={"reportmine": {"question": 2}}),
    new_code_cell("""corpus.contradictions["explanation"].tolist()"""),
    new_markdown_cell("""## 3. Organisations named in more than one distinct report

Entities carry canonical names (市应急局 → 上海市应急管理局), so one organisation written two ways counts once;
the duplicates are already out, so a report downloaded four times counts once too. (天津 2023 was made from
the 上海 report for this demonstration, so the two share many organisations.)"""),
    new_code_cell("""orgs = corpus.entities[corpus.entities["label"] == "ORG"]
reports = orgs.groupby("canonical")["doc_id"].nunique()
reports[reports > 1].sort_values(ascending=False)""", metadata={"reportmine": {"question": 3}}),
    new_markdown_cell("""## The summary per document, and the types

`summary_frame()` counts each document's linked and unlinked prose figures and its contradictions by kind
(the first sheet of `corpus.save("archive.xlsx")`). Every table uses one set of types: nullable integers,
dates as `datetime64` with a `date_precision`, lists as lists."""),
    new_code_cell("""corpus.summary_frame()[["doc_id", "region", "year", "linked", "unlinked", "contradictions"]]"""),
    new_code_cell("""corpus.documents[["doc_id", "date", "date_precision", "issuers", "n_cells"]].head(3)"""),
    new_code_cell("""corpus.documents.dtypes[["year", "date", "issuers", "n_cells"]]"""),
]
nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                        "language": "python"},
                                         "language_info": {"name": "python"}})
nbformat.write(nb, "/work/wt-archive/notebooks/archive.ipynb")
