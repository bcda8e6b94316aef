"""The two entry points: :func:`load` (read + normalise) and :func:`parse` (the full record)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property

from .annex import read_annex
from .formats.text import ReportLoadError, has_visible_text, require_text
from .io import Source, read_source, source_from_bytes
from .normalize import NormalizedText, normalize
from .record import CampaignRecord, ParseWarning
from .document import DocumentModel, build_document
from .genre_record import read_genre
from .structure import Layout, read_structure
from .tables import read_tables

__all__ = ["LoadedText", "Report", "load", "parse", "parse_text"]


@dataclass(frozen=True)
class LoadedText:
    """A decoded file and its normalised text (``norm.to_original`` maps spans back)."""

    source: Source
    norm: NormalizedText

    @property
    def text(self) -> str:
        """The normalised text."""
        return self.norm.text

    @property
    def original(self) -> str:
        return self.norm.original


@dataclass
class Report:
    """A parsed report: the text it was read from, its layout, the record and the warnings.

    ``report.check()`` checks its figures (:func:`reportmine.check.check_report`; the method is registered by
    :mod:`reportmine.check`, which ``import reportmine`` loads, since that module imports this one)."""

    source: Source
    norm: NormalizedText
    layout: Layout = field(repr=False)
    record: CampaignRecord
    document_model: DocumentModel | None = field(default=None, repr=False)

    @property
    def tables(self):
        """The grid tables of the report (``record.tables``): cells with row/column header paths."""
        return self.record.tables

    @property
    def text(self) -> str:
        """The original text; every span in the record indexes into it."""
        return self.norm.original

    @property
    def structure(self):
        """The 公文 elements and sections (``record.document``)."""
        return self.record.document

    @property
    def warnings(self) -> list[ParseWarning]:
        return self.record.warnings

    @cached_property
    def doc(self):
        """The spaCy ``Doc`` of the normalised text, with quantities and entities (see :mod:`reportmine.pipeline`)."""
        from .pipeline import annotate

        return annotate(self.norm.text, self.context)

    @property
    def context(self):
        """What entity resolution needs to know: the report's region, issuing city and date."""
        from .entities import context_for

        c, d = self.record.campaign, self.record.document
        return context_for(c.region, d.issuers, d.date, c.year)

    @cached_property
    def _found(self):
        """Entities of the normalised text (the same rules the spaCy component runs)."""
        from .entities import find_entities

        return find_entities(self.norm.text, self.context)

    @cached_property
    def _events(self):
        """Events of the normalised text, read from its entities (only when asked for)."""
        from .entities import find_events

        return find_events(self.norm.text, self._found)

    @cached_property
    def entities(self):
        """One row per entity: label, text, canonical, start, end (offsets into :attr:`text`), value (a date's
        ISO value), roles (a list), and for dates ``date``/``date_end``/``date_precision`` (see the README).

        ``text`` is the entity as written (traditional characters in a traditional text); ``canonical`` its
        full simplified name (for a traditional text also of persons and events, which have no other)."""
        from .frames import date_columns, typed_frame

        rows = self.entity_rows()
        dates = date_columns(row["value"] if row["label"] == "DATE" else None for row in rows)
        return typed_frame(rows, ENTITY_FRAME_COLUMNS[:7], {"start": "Int64", "end": "Int64"}, more=dates)

    def entity_rows(self) -> list[dict]:
        """The first seven columns of :attr:`entities` as plain dicts, a missing value None: what the CLI
        prints, without loading pandas (a third of a cold ``reportmine entities``)."""
        rows = []
        converted = self.norm.script.converted
        for ent in self._found:
            start, end = self.norm.to_original(ent.start, ent.end)
            surface, canonical = self.text[start:end], ent.canonical
            if converted and canonical is None and ent.label != "DATE" and ent.text != surface:
                canonical = ent.text    # 馬堅泓 -> 马坚泓: the simplified name of a traditional text
            rows.append({"label": ent.label, "text": surface, "canonical": canonical,
                         "start": start, "end": end, "value": ent.value, "roles": list(ent.roles)})
        return rows

    @cached_property
    def events(self):
        """One row per happening the report names (its mentions merged): name (the fullest mention, line
        breaks removed), kind, start, end, date (first day; ``date_end``, ``date_precision``, ``date_iso`` as
        resolved), venue, organisers (a list), participants (and as written), mentions (every ``[start, end]``).
        Offsets index :attr:`text`. A DataFrame: it shows as a table in notebooks."""
        import pandas as pd

        from .frames import date_columns, typed_frame

        rows = []
        for ev in self._events:
            start, end = self.norm.to_original(ev.start, ev.end)
            raw = self.text[start:end]
            name = "".join(line.strip() for line in raw.splitlines()) if "\n" in raw else raw
            rows.append({"name": name, "kind": ev.kind, "start": start, "end": end, "date_iso": ev.date,
                         "venue": ev.venue, "organisers": list(ev.organisers), "participants": ev.participants,
                         "participants_text": ev.participants_text,
                         "mentions": [list(self.norm.to_original(a, b)) for a, b in ev.mentions]})
        frame = typed_frame(rows, ["name", "kind", "start", "end", "date_iso", "venue", "organisers", "participants",
                                   "participants_text", "mentions"],
                            {"start": "Int64", "end": "Int64", "participants": "Int64"})
        for col, values in date_columns(frame["date_iso"]).items():
            frame[col] = pd.Series(values, index=frame.index)
        return frame[EVENT_FRAME_COLUMNS]

    def entities_html(self, labels: tuple[str, ...] | None = None) -> str:
        """The text with its entities marked (displaCy's entity view), for notebooks and reports."""
        from spacy import displacy

        doc = self.doc
        options = {"colors": ENTITY_COLORS, "ents": list(labels) if labels else list(ENTITY_COLORS)}
        return displacy.render(doc, style="ent", options=options, page=False, jupyter=False)

    def show_entities(self, labels: tuple[str, ...] | None = None):
        """A notebook cell value that renders :meth:`entities_html`."""
        return _HTML(self.entities_html(labels))

    def __repr__(self) -> str:
        return f"<Report {self.source.name}: {self.record!r}>"

    def _repr_html_(self) -> str:
        return self.record._repr_html_()


#: Columns of :attr:`Report.entities` and :attr:`Report.events`.
ENTITY_FRAME_COLUMNS = ["label", "text", "canonical", "start", "end", "value", "roles", "date", "date_end",
                        "date_precision"]
EVENT_FRAME_COLUMNS = ["name", "kind", "start", "end", "date", "date_end", "date_precision", "date_iso", "venue",
                       "organisers", "participants", "participants_text", "mentions"]

#: Colours of the entity labels in :meth:`Report.entities_html`.
ENTITY_COLORS = {"ORG": "#7aecec", "PERSON": "#aa9cfc", "GPE": "#feca74", "LOC": "#ff9561", "DATE": "#bfe1d9",
                 "EVENT": "#ffeb80"}


class _HTML:
    """HTML that notebooks display as such (``.html`` holds the markup)."""

    def __init__(self, html: str):
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<entities view: {len(self.html)} characters of HTML; display it in a notebook>"


def load(path: str | os.PathLike[str], *, max_bytes: int | None = None, data: bytes | None = None) -> LoadedText:
    """Read a report file and normalise its text; nothing else.

    ``max_bytes``: refuse larger files (default ``$REPORTMINE_MAX_BYTES`` or 200 MiB). ``data``: the file's
    bytes when the caller has read them already (they are decoded as ``path``'s format; nothing is read).
    """
    source = read_source(path, max_bytes) if data is None else source_from_bytes(path, data)
    return LoadedText(source, normalize(source.text))


def parse_text(text: str, source: str = "<text>", *, genre: str | None = None) -> Report:
    """Parse report text that is already in memory (``source`` names it in errors and output).

    ``genre`` as for :func:`parse`."""
    require_text(source, text)
    return _parse(Source(source, text, "str"), normalize(text), genre)


def parse(path: str | os.PathLike[str], *, max_bytes: int | None = None, data: bytes | None = None,
          genre: str | None = None) -> Report:
    """Load a report file and read its document, campaign and annex into a :class:`CampaignRecord`.

    ``max_bytes`` and ``data`` as for :func:`load`. ``genre``: a genre id of ``reportmine/data/genres``
    (``xxgk-annual``) to read the report as that genre whatever it looks like; ``None`` (or ``"auto"``)
    recognises the genre from the title and headings (``record.genre`` says which genre and template matched).
    """
    loaded = load(path, max_bytes=max_bytes, data=data)
    return _parse(loaded.source, loaded.norm, genre)


def _loader_warning(norm: NormalizedText, code: str, message: str, span: tuple[int, int] | None) -> ParseWarning:
    """A loader's warning, placed at its line:column when it has a span."""
    if span is None:
        return ParseWarning.trusted(code=code, message=message)
    line, column = norm.line_col(span[0])
    return ParseWarning.trusted(code=code, message=message, line=line, column=column, span=span)


def _mojibake_warnings(norm: NormalizedText) -> list[ParseWarning]:
    """One warning per garbled run, at its line:column: the run was not read and gave no figure."""
    out = []
    for s, e in norm.garbled:
        run = norm.original[s:e]
        shown = run if len(run) <= 24 else run[:24] + "…"
        line, column = norm.line_col(s)
        out.append(ParseWarning.trusted(code="mojibake", message=f"garbled text (mojibake: bytes read in the wrong "
                                        f"encoding) {shown!r}: not read, no figure taken from it", line=line,
                                        column=column, span=(s, e)))
    return out


def _script_warning(norm: NormalizedText) -> ParseWarning | None:
    """A note that the text was read after conversion from traditional script, or a warning that it could
    not be converted (OpenCC missing), so that nothing is misread in silence."""
    script = norm.script
    if not script.traditional:
        return None
    share = f"{script.share:.0%} of its Han characters are traditional-only"
    if script.converted:
        return ParseWarning.trusted(code="traditional_script", message=f"text in traditional script ({share}): read "
                                    "after conversion to simplified characters (OpenCC t2s); spans and entity texts "
                                    "are the original characters, canonical names simplified")
    return ParseWarning.trusted(code="traditional_not_converted", message=f"text in traditional script ({share}) but "
                                "OpenCC is not installed (pip install 'reportmine[trad]'): figures with traditional "
                                "measure words and traditional names may be missed")


def _parse(source: Source, norm: NormalizedText, genre: str | None = None) -> Report:
    if not has_visible_text(norm.text):     # e.g. nothing but page numbers, which normalisation removes
        if norm.garbled:
            first = _mojibake_warnings(norm)[0]
            raise ReportLoadError(source.path, f"has no readable text: {len(norm.garbled)} garbled run(s), the first "
                                               f"at {first}")
        raise ReportLoadError(source.path, "file is empty: no text (only page numbers and whitespace)")
    doc, campaign, layout, warnings = read_structure(norm, source.name)
    record = CampaignRecord.trusted(document=doc, campaign=campaign, warnings=warnings)
    record.warnings[:0] = [ParseWarning.trusted(code="encoding_guessed", message=note) for note in source.notes] + \
        [_loader_warning(norm, *w) for w in source.warnings]
    if (script_warning := _script_warning(norm)) is not None:
        record.warnings.insert(len(source.notes), script_warning)   # after how the bytes were decoded
    at = len(source.notes) + (script_warning is not None)
    record.warnings[at:at] = _mojibake_warnings(norm)
    model = build_document(norm, source.tables)
    record.tables, table_warnings = read_tables(model)
    record.warnings.extend(table_warnings)
    if layout.annex is not None:
        annex, annex_warnings = read_annex(norm, layout.lines[layout.annex[0]:layout.annex[1]])
        record.annex = annex
        record.warnings.extend(annex_warnings)
    elif not record.tables:
        record.warnings.append(ParseWarning.trusted(code="no_annex", message="no annex (附件) with a statistics table"))
    record.genre, genre_warnings = read_genre(norm, model, record, genre)
    record.warnings.extend(genre_warnings)
    if not record.tables and not record.annex.cells:
        record.warnings.append(ParseWarning.trusted(code="no_table", message="no statistics table with numbers "
                                                    "found: prose figures cannot be checked against a table"))
    return Report(source=source, norm=norm, layout=layout, record=record, document_model=model)
