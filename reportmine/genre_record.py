"""The genre's reading of a parsed report: which genre and template, issuer, year, level, sections, cells.

The genre is recognised from the title and headings (:func:`reportmine.genres.recognise`) or forced by the
caller; the template of its format is picked by the words only that format uses; the record fields come
from the title (``沭阳县发展和改革局2023年政府信息公开年度报告``: issuer and year) and the region table;
the cells are the grid tables aligned to the template (:mod:`reportmine.genre_cells`).
"""

from __future__ import annotations

import regex

from .document import DocumentModel
from .gazetteer import division_chain_of, division_path
from .genre_cells import align_tables
from .genres import Genre, choose_template, genre, issuer_and_year, recognise
from .normalize import NormalizedText
from .record import CampaignRecord, GenreRecord, GenreSection, ParseWarning
from .tables import bare_label

__all__ = ["read_genre", "GENRE_AUTO"]

#: The value of ``genre=`` that lets the parser recognise the genre (the default).
GENRE_AUTO = "auto"


def _level(g: Genre, issuer: str | None, region: str | None) -> str | None:
    if not issuer:
        return None
    chain = division_chain_of(region) if region else []
    if chain and chain[-1].name == issuer:               # the title names a division: 某县2023年…
        return chain[-1].level
    if not issuer.endswith(tuple(g.data.get("government_words", []))):
        return "department" if issuer.endswith(tuple(g.data.get("department_words", []))) else None
    if regex.search(r"(?:乡|镇|街道)(?:人民政府|办事处|街道办事处)$", issuer):
        return "town"
    chain = division_chain_of(region) if region else []
    if chain:
        return chain[-1].level
    return next((lv for suffix, lv in g.data.get("level_suffixes", {}).items() if issuer.endswith(suffix)), None)


def _sections(g: Genre, model: DocumentModel, norm: NormalizedText) -> list[GenreSection]:
    blocks = [b for b in model.blocks if b.table is None and len(b.text) <= 60]
    found: list[tuple[int, str, str, int]] = []     # (block index, key, title as written, start)
    pos = 0
    for spec in g.data.get("sections", []):
        names = [bare_label(n) for n in (spec["title"], *spec.get("also", []))]
        hits = [k for k in range(pos, len(blocks))
                if any(n in (bare := bare_label(blocks[k].text)) and len(bare) <= len(n) + 12 for n in names)]
        if not hits:
            continue
        top = [k for k in hits if blocks[k].level == 1]
        k = (top or hits)[0]
        found.append((k, spec["key"], blocks[k].text, blocks[k].start))
        pos = k + 1
    out = []
    for i, (k, key, title, start) in enumerate(found):
        end = found[i + 1][3] if i + 1 < len(found) else len(norm.text)
        out.append(GenreSection.trusted(key=key, title=title, span=norm.to_original(start, end)))
    return out


def read_genre(norm: NormalizedText, model: DocumentModel, record: CampaignRecord,
               forced: str | None = None) -> tuple[GenreRecord | None, list[ParseWarning]]:
    """The genre's reading of the report (None when no genre is recognised and none is forced); call it
    after the annex is read (a fill-in form genre takes the annex's template).

    ``forced``: a genre id to use whatever the text looks like (``ValueError`` for an unknown id);
    ``None`` or ``"auto"`` recognises it."""
    headings = [b.text for b in model.blocks if b.table is None and len(b.text) <= 60]
    title = record.document.title
    if forced and forced != GENRE_AUTO:
        g, evidence = genre(forced), ["forced"]
    else:
        g, evidence = recognise(title, headings, norm.text)
    if g is None:
        return None, []
    issuer, year = issuer_and_year(g, title)
    if issuer is None:
        issuer = next(iter(record.document.issuers or record.document.signatories), None)
    year = year or record.campaign.year
    region = record.campaign.region or (division_path(issuer) if issuer else None)
    warnings: list[ParseWarning] = []
    cells = []
    form_genre = bool(g.data.get("annex_templates"))
    if form_genre:       # a fill-in form genre: the annex reader picked its template (record.annex.template)
        template = g.template(record.annex.template or "")
        hits = [f"annex template {template.id}"] if template else []
    else:
        template, hits = choose_template(g, norm.text, year)
    if form_genre:
        pass             # its cells are the annex's (record.annex.cells), keyed by that template
    elif template is None:
        warnings.append(ParseWarning.trusted(
            code="genre_no_template",
            message=f"a {g.name} whose format matches none of the genre's templates "
                    f"({', '.join(t.id for t in g.templates)}): its tables keep their derived keys"))
    else:
        cells, warnings = align_tables(template, record.tables, norm)
    rec = GenreRecord.trusted(genre=g.id, name=g.name, template=template.id if template else None,
                              format=template.format if template else None, evidence=[*evidence, *hits],
                              issuer=issuer, year=year, region=region, level=_level(g, issuer, region),
                              sections=_sections(g, model, norm), cells=cells)
    return rec, warnings
