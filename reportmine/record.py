"""The campaign record: typed models of what a report says, ready for JSON and pandas.

Field names follow the gold files in ``shared/gold`` (``document``, ``campaign``,
``annex`` with ``items``, ``cells``, ``named_fields``, ``reporter``). Every span is
``[start, end)`` in the ORIGINAL text of the file, so users can audit each value.
"""

from __future__ import annotations

import json
from typing import Any, Optional, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from .frames import number_dtype

__all__ = [
    "Span", "ParseWarning", "Section", "Document", "Campaign", "Reporter", "Item",
    "Cell", "NamedField", "Annex", "TableCell", "TableRecord", "GenreCell", "GenreSection", "GenreRecord",
    "CampaignRecord", "FRAME_COLUMNS", "FIELD_COLUMNS",
]

Span = tuple[int, int]

#: Columns of :meth:`CampaignRecord.to_frame`, one row per annex cell.
FRAME_COLUMNS = ["source", "region", "year", "campaign", "item", "key", "label", "value", "unit",
                 "start", "end", "table", "row", "col", "status", "item_title"]
#: Columns of :meth:`CampaignRecord.fields_frame`, one row per named field (活动名称（…）).
FIELD_COLUMNS = ["source", "region", "year", "campaign", "item", "item_title", "key", "label", "text", "start",
                 "end"]


_M = TypeVar("_M", bound="_Model")
#: Per model class: (field name, default, factory or None, required) in field order, for :meth:`_Model.trusted`.
_PLANS: dict[type, tuple[tuple[str, Any, Any, bool], ...]] = {}
_IMMUTABLE = (type(None), str, int, float, bool, tuple)


class _Model(BaseModel):
    """Base of the record models. Their validators are built on first use (``defer_build``), not at import:
    reportmine builds its records with :meth:`trusted`, so ``check`` and ``entities`` never build them."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    @classmethod
    def trusted(cls: type[_M], **values: Any) -> _M:
        """An instance of values reportmine computed itself, stored without validation (as ``model_construct``).

        The values must already have the declared types (``tests/test_record_trusted.py`` validates every record
        the bundled and real documents give); lists and dicts are copied, as validation copies them, and an
        unknown or missing field is a TypeError. Users who build records from their own data should call the
        class (validated)."""
        plan = _PLANS.get(cls) or _plan(cls)
        fields: dict[str, Any] = {}
        given = 0
        for name, default, factory, required in plan:
            if name in values:
                given += 1
                v = values[name]
                fields[name] = v.copy() if type(v) is list or type(v) is dict else v
            elif factory is not None:
                fields[name] = factory()
            elif required:
                raise TypeError(f"{cls.__name__}.trusted: the field {name!r} is required")
            else:
                fields[name] = default
        if given != len(values):
            raise TypeError(f"{cls.__name__}.trusted: unknown field(s) {sorted(set(values) - set(fields))}")
        obj = cls.__new__(cls)
        object.__setattr__(obj, "__dict__", fields)
        object.__setattr__(obj, "__pydantic_fields_set__", set(values))
        object.__setattr__(obj, "__pydantic_extra__", None)
        object.__setattr__(obj, "__pydantic_private__", None)
        return obj


def _plan(cls: type) -> tuple[tuple[str, Any, Any, bool], ...]:
    """How :meth:`_Model.trusted` fills each field of ``cls``: a model default is made trusted too."""
    plan = []
    for name, info in cls.model_fields.items():
        factory = info.default_factory
        if isinstance(factory, type) and issubclass(factory, _Model):
            factory = factory.trusted
        required = info.is_required()
        if not required and factory is None and not isinstance(info.default, _IMMUTABLE):
            raise TypeError(f"{cls.__name__}.{name}: a mutable default needs a default_factory")
        plan.append((name, info.default, factory, required))
    _PLANS[cls] = tuple(plan)
    return _PLANS[cls]


class ParseWarning(_Model):
    """Something the parser could read only in part; ``line``/``column`` are 1-based in the original."""

    code: str
    message: str
    line: Optional[int] = None
    column: Optional[int] = None
    span: Optional[Span] = None

    def __str__(self) -> str:
        where = f"line {self.line}:{self.column}: " if self.line else ""
        return f"{where}{self.message} [{self.code}]"


class Section(_Model):
    """A numbered heading of the report body (一、 / （一） / 1. / （1）) and what nests under it."""

    no: str
    level: int
    title: str
    span: Span
    subsections: list["Section"] = Field(default_factory=list)


class Campaign(_Model):
    name: Optional[str] = None
    year: Optional[int] = None
    edition: Optional[int] = None
    theme: Optional[str] = None
    region: Optional[str] = None


class Document(_Model):
    """The 公文 elements of GB/T 9704-2012 that the report carries; ``spans`` locates each one."""

    source: str
    issuers: list[str] = Field(default_factory=list)
    doc_number: Optional[str] = None
    title: Optional[str] = None
    addressee: Optional[str] = None
    signatories: list[str] = Field(default_factory=list)
    date: Optional[str] = None
    enclosure_title: Optional[str] = None
    attachments: list[str] = Field(default_factory=list)
    disclosure: Optional[str] = None
    cc: list[str] = Field(default_factory=list)
    printed_by: Optional[str] = None
    printed_date: Optional[str] = None
    copies: Optional[int] = None
    sections: list[Section] = Field(default_factory=list)
    referenced_documents: list[str] = Field(default_factory=list)
    spans: dict[str, Span] = Field(default_factory=dict)


class Reporter(_Model):
    """The 填报 block of an annex: who filled it in and when."""

    org: Optional[str] = None
    contact: Optional[str] = None
    phone: Optional[str] = None
    date: Optional[str] = None
    span: Optional[Span] = None


class Item(_Model):
    """One 活动项目 row of the annex table."""

    no: int
    title: str
    span: Span
    note: Optional[str] = None


class Cell(_Model):
    """One fill-in blank ``(N)unit``: the metric ``label`` it belongs to and its value.

    ``span`` covers label, blank and unit; ``value_span`` the bracketed blank, as in the gold files.
    ``raw`` is the blank's text as written. ``value`` is None when the blank is empty or does not hold one
    plain number (``l459084``, ``约9216``, ``145.9万``), or when the cell's place in its row cannot be told;
    a warning at its line:column says which. ``aligned`` is False when the cell could not be placed in the
    annex's template (or, without a template, a repeated label such as 参与 lost the cell before it): its key
    is a generated one and ``check`` never links a prose figure to it.
    """

    item: int
    key: str
    label: str
    value: Optional[float | int] = None
    unit: Optional[str] = None
    span: Span
    value_span: Optional[Span] = None
    raw: Optional[str] = None
    aligned: bool = True


class NamedField(_Model):
    """A text blank such as 活动名称（…）."""

    item: int
    key: str
    label: str
    text: str
    span: Span


class Annex(_Model):
    title: Optional[str] = None
    template: Optional[str] = None
    reporter: Reporter = Field(default_factory=Reporter)
    items: list[Item] = Field(default_factory=list)
    cells: list[Cell] = Field(default_factory=list)
    named_fields: list[NamedField] = Field(default_factory=list)
    span: Optional[Span] = None


class TableCell(_Model):
    """One numeric cell of a grid table: where it sits (row and column header paths) and its value.

    ``value`` is None for a not-applicable mark (—, /, -, empty: ``status="blank"``) or for text that is
    not a number (``status="unreadable"``, with a warning at its line:column); ``raw`` is the cell as written.
    ``key`` is derived from the normalised caption and header paths, so the same table of another
    region or year gives the same keys.
    """

    table: int
    key: str
    row: list[str]
    col: list[str]
    value: Optional[float | int] = None
    unit: Optional[str] = None
    raw: str
    status: str = "value"
    span: Span

    @property
    def label(self) -> str:
        """Row and column paths for people: '一、本年新收… · 自然人'."""
        return " · ".join(x for x in ("/".join(self.row), "/".join(self.col)) if x)


class TableRecord(_Model):
    """A grid table of the report (not the fill-in annex form): its caption, place and cells."""

    index: int
    part: int = 0
    caption: Optional[str] = None
    context: list[str] = Field(default_factory=list)
    kind: str
    span: Span
    header_rows: int
    n_rows: int
    n_cols: int
    cells: list[TableCell] = Field(default_factory=list)
    stated_rules: list[str] = Field(default_factory=list)

    def __repr__(self) -> str:
        return f"<TableRecord {self.index} {self.caption or ''} {self.n_rows}×{self.n_cols}, {len(self.cells)} cells>"


class GenreCell(_Model):
    """One cell of a genre's table template (``requests/new/natural``), read from a grid table.

    ``status`` is ``value``, ``blank`` (a not-applicable mark or an empty cell: ``value=None``, never 0),
    ``unreadable`` (digits that are not one number) or ``missing`` (the template's row was not found in the
    report). ``source`` is the index of the grid table it came from; ``aligned`` says how its column was
    told: by the header's ``label`` or, under generic or shifted headers, by column ``order``.
    """

    key: str
    table: str
    row: str
    col: str
    label: str
    value: Optional[float | int] = None
    unit: Optional[str] = None
    status: str = "value"
    raw: Optional[str] = None
    span: Optional[Span] = None
    source: Optional[int] = None
    aligned: str = "label"


class GenreSection(_Model):
    """A section the genre prescribes (``overview``, ``requests`` …) as found: its heading and extent."""

    key: str
    title: str
    span: Span


class GenreRecord(_Model):
    """What a genre file reads from a report: which genre and template matched, the record fields and
    the template's cells."""

    genre: str
    name: str
    template: Optional[str] = None
    format: Optional[str] = None
    evidence: list[str] = Field(default_factory=list)
    issuer: Optional[str] = None
    year: Optional[int] = None
    region: Optional[str] = None
    level: Optional[str] = None
    sections: list[GenreSection] = Field(default_factory=list)
    cells: list[GenreCell] = Field(default_factory=list)

    def cell(self, key: str) -> GenreCell:
        """The template cell with this key (KeyError if the template has none)."""
        for c in self.cells:
            if c.key == key:
                return c
        raise KeyError(key)

    def value(self, key: str):
        """The value of a cell (None for a blank, missing or unreadable one)."""
        return self.cell(key).value


def _unknown_key(key: str, keys: list[str]) -> str:
    """The message of an unknown cell key: the keys it is part of or close to, else a few keys there are."""
    import difflib

    if not keys:
        return f"{key!r}: this record has no annex cells"
    close = [k for k in keys if k.split(".")[-1] == key or key in k]
    close += [k for k in difflib.get_close_matches(key, keys, n=5, cutoff=0.6) if k not in close]
    if not close:
        tails = {k.split(".")[-1]: k for k in keys}
        close = [tails[t] for t in difflib.get_close_matches(key, list(tails), n=5, cutoff=0.6)]
    if close:
        return f"no cell {key!r}; did you mean {', '.join(repr(k) for k in close[:5])}?"
    return f"no cell {key!r}; keys are like {', '.join(repr(k) for k in keys[:5])} (record.annex.cells lists all)"


class CampaignRecord(_Model):
    """Everything reportmine reads from one report: document + campaign + annex (+ the genre's reading)."""

    document: Document
    campaign: Campaign = Field(default_factory=Campaign)
    annex: Annex = Field(default_factory=Annex)
    tables: list[TableRecord] = Field(default_factory=list)
    genre: Optional[GenreRecord] = None
    warnings: list[ParseWarning] = Field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-compatible: spans become lists)."""
        return self.model_dump(mode="json")

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        return cls.model_json_schema()

    def cell(self, key: str) -> Cell:
        """The annex cell with this stable key; a KeyError naming the closest keys if there is none."""
        for c in self.annex.cells:
            if c.key == key:
                return c
        raise KeyError(_unknown_key(key, [c.key for c in self.annex.cells]))

    def item_titles(self) -> dict[int, str]:
        """Annex item number -> its title (活动项目)."""
        return {i.no: i.title for i in self.annex.items}

    def fields_frame(self):
        """One row per named text field of the annex (活动名称（…）): item and its title, key, label, text, span."""
        from .frames import typed_frame

        titles = self.item_titles()
        head = {"source": self.document.source, "region": self.campaign.region, "year": self.campaign.year,
                "campaign": self.campaign.name}
        rows = [{**head, "item": f.item, "item_title": titles.get(f.item), "key": f.key, "label": f.label,
                 "text": f.text, "start": f.span[0], "end": f.span[1]} for f in self.annex.named_fields]
        return typed_frame(rows, FIELD_COLUMNS, {"year": "Int64", "item": "Int64", "start": "Int64", "end": "Int64"})

    def to_frame(self):
        """One row per cell — the annex's, then every grid table's (``table`` says which, ``row``/``col``
        are its header paths joined by /) — with region and year so records of many reports concatenate.
        When a genre template matched, its cells come first with the template's keys (``row``/``col`` are
        the template's row and column keys), so reports of any issuer and year line up; grid cells the
        template does not cover follow with their derived keys."""
        import pandas as pd

        g = self.genre
        head = {"source": self.document.source, "region": self.campaign.region or (g.region if g else None),
                "year": self.campaign.year or (g.year if g else None), "campaign": self.campaign.name}
        titles = self.item_titles()
        rows = [{**head, "item": c.item, "key": c.key, "label": c.label, "value": c.value, "unit": c.unit,
                 "start": c.span[0], "end": c.span[1], "table": None, "row": None, "col": None,
                 "status": "value" if c.value is not None else "blank", "item_title": titles.get(c.item)}
                for c in self.annex.cells]
        covered = set()
        if g is not None:
            rows += [{**head, "item": None, "key": c.key, "label": c.label, "value": c.value, "unit": c.unit,
                      "start": c.span[0] if c.span else None, "end": c.span[1] if c.span else None,
                      "table": c.source, "row": c.row, "col": c.col, "status": c.status, "item_title": None}
                     for c in g.cells]
            covered = {(c.source, tuple(c.span)) for c in g.cells if c.span is not None}
        rows += [{**head, "item": None, "key": c.key, "label": c.label, "value": c.value, "unit": c.unit,
                  "start": c.span[0], "end": c.span[1], "table": c.table, "row": "/".join(c.row),
                  "col": "/".join(c.col), "status": c.status, "item_title": None}
                 for t in self.tables for c in t.cells if (c.table, tuple(c.span)) not in covered]
        frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
        values = [r["value"] for r in rows]
        value = number_dtype(values)   # object: exact huge ints, never rounded
        if value == "object":
            frame["value"] = pd.Series(values, index=frame.index, dtype=object)
        return frame.astype({"year": "Int64", "item": "Int64", "value": value, "start": "Int64", "end": "Int64",
                             "table": "Int64"})

    def __repr__(self) -> str:
        c, d = self.campaign, self.document
        head = f"<CampaignRecord {c.region or '?'} {c.year or '?'} {c.name or ''}".rstrip()
        return (f"{head}: {d.doc_number or 'no 文号'}, {len(self.annex.items)} items, "
                f"{len(self.annex.cells)} cells, {len(self.warnings)} warnings>")

    __str__ = __repr__

    def _repr_html_(self) -> str:
        """The 公文 header, the annex by item with the 填报 block and named fields, tables and warnings."""
        from .display import record_html

        return record_html(self)
