"""Records are built without validation (``Model.trusted``): every record reportmine builds must still be one
that validation accepts unchanged, value for value and type for type.

The record models build their pydantic schemas only when a record is validated or dumped (``defer_build``), so
``check`` and ``entities`` never pay for them (``tests/test_cold_start.py``); the price is that nothing checks
the values reportmine stores. These tests do, on every document the repository and ``../shared`` hold.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

import reportmine
from reportmine import record as rec
from reportmine.check import block_sums

from conftest import REPO, SHARED  # noqa: E402  (tests/conftest.py: ../shared or $REPORTMINE_SHARED)

MODELS = [getattr(rec, name) for name in rec.__all__ if isinstance(getattr(rec, name), type)
          and issubclass(getattr(rec, name), BaseModel)]
DOCUMENTS = sorted([*REPO.glob("corpus/*.txt"), *REPO.glob("tests/*/*.txt"), *REPO.glob("tests/*/*.html"),
                    *REPO.glob("tests/*/*.docx"), *REPO.glob("tests/*/*/*.txt"), *REPO.glob("tests/*/*/*.html")])


def _shared_documents() -> list[Path]:
    return sorted([*SHARED.glob("real/*.txt"), *SHARED.glob("real/*.html"), *SHARED.glob("corpus/*.txt")])


def _same(a, b, where: str = "record") -> list[str]:
    """Where ``a`` and ``b`` differ in value or in type (``1`` vs ``1.0``, a tuple vs a list), recursively."""
    if type(a) is not type(b):
        return [f"{where}: {type(a).__name__} {a!r:.60} vs {type(b).__name__} {b!r:.60}"]
    if isinstance(a, BaseModel):
        return _same(a.__dict__, b.__dict__, where)
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return [f"{where}: {len(a)} vs {len(b)} items"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _same(x, y, f"{where}[{i}]")]
    if isinstance(a, dict):
        if list(a) != list(b):
            return [f"{where}: keys {list(a)} vs {list(b)}"]
        return [d for k in a for d in _same(a[k], b[k], f"{where}.{k}")]
    return [] if a == b else [f"{where}: {a!r:.60} vs {b!r:.60}"]


def _assert_validates_unchanged(record: rec.CampaignRecord) -> None:
    dumped = record.model_dump(warnings="error")      # a value of another type than declared: an error here
    validated = rec.CampaignRecord.model_validate(dumped, strict=True)   # no coercion: '3' for 3 fails
    assert _same(record, validated) == []
    assert validated.model_dump_json() == record.model_dump_json()


def _reports(paths: list[Path]):
    for path in paths:
        yield path.name, reportmine.parse(path)


def test_every_record_of_the_repositorys_documents_validates_unchanged():
    assert len(DOCUMENTS) > 20
    for name, report in _reports(DOCUMENTS):
        _assert_validates_unchanged(report.record)
        for cell in block_sums(report.record.tables):       # the checker's sums of blocks are trusted too
            assert _same(cell, rec.TableCell.model_validate(cell.model_dump(warnings="error"), strict=True)) == []


def test_every_record_of_the_real_documents_validates_unchanged():
    paths = _shared_documents()
    if not paths:
        pytest.skip(f"{SHARED} absent: these tests need ../shared beside the repository (or REPORTMINE_SHARED)")
    for name, report in _reports(paths):
        _assert_validates_unchanged(report.record)
    with open(SHARED / "real" / "state-council-work-reports-1954-2025.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            _assert_validates_unchanged(reportmine.parse_text(row["content"], source=row["title"]).record)


def _example(model: type[BaseModel]) -> dict:
    """Values of every field of ``model`` with their declared types."""
    return {
        rec.ParseWarning: dict(code="c", message="m", line=3, column=4, span=(1, 2)),
        rec.Section: dict(no="一", level=1, title="t", span=(0, 5),
                          subsections=[rec.Section(no="（一）", level=2, title="s", span=(1, 2))]),
        rec.Document: dict(source="a.txt", issuers=["上海市应急管理局"], copies=2, spans={"title": (0, 3)}),
        rec.Campaign: dict(name="安全生产月", year=2023, edition=22, region="上海市"),
        rec.Reporter: dict(org="o", date="2023-07-03", span=(5, 9)),
        rec.Item: dict(no=1, title="t", span=(0, 1)),
        rec.Cell: dict(item=1, key="k", label="l", value=9216, unit="场", span=(0, 4), value_span=(1, 3), raw="9216"),
        rec.NamedField: dict(item=1, key="k", label="l", text="t", span=(0, 1)),
        rec.Annex: dict(title="t", items=[rec.Item(no=1, title="t", span=(0, 1))], span=(0, 9)),
        rec.TableCell: dict(table=0, key="k", row=["a", "b"], col=["c"], value=1.5, unit="%", raw="1.5%", span=(2, 6)),
        rec.TableRecord: dict(index=0, kind="grid", span=(0, 9), header_rows=1, n_rows=3, n_cols=2),
        rec.GenreCell: dict(key="k", table="t", row="r", col="c", label="l", value=0, span=(1, 2), source=0),
        rec.GenreSection: dict(key="k", title="t", span=(0, 1)),
        rec.GenreRecord: dict(genre="g", name="n", evidence=["e"], year=2023),
        rec.CampaignRecord: dict(document=rec.Document(source="a.txt"), warnings=[rec.ParseWarning(code="c",
                                                                                                  message="m")]),
    }[model]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_trusted_builds_what_the_validating_constructor_builds(model):
    values = _example(model)
    trusted, validated = model.trusted(**values), model(**values)
    assert _same(trusted, validated) == []
    assert trusted.model_fields_set == validated.model_fields_set == set(values)
    assert trusted.__getstate__() == validated.__getstate__()          # what pickle and copy see
    assert trusted.model_dump_json() == validated.model_dump_json()
    empty_lists = {k: [] for k, f in model.model_fields.items() if f.default_factory is list}
    assert model.trusted(**{**values, **empty_lists}) == model(**{**values, **empty_lists})


def test_trusted_copies_containers_and_makes_fresh_defaults():
    row = ["一、本年新收"]
    cells = [rec.TableCell.trusted(table=0, key=f"k{i}", row=row, col=["自然人"], raw="1", span=(i, i + 1))
             for i in range(2)]
    cells[0].row.append("x")
    assert row == ["一、本年新收"] and cells[1].row == ["一、本年新收"]      # no list shared, as validation copies
    a, b = rec.Annex.trusted(), rec.Annex.trusted()
    assert isinstance(a.reporter, rec.Reporter) and a.reporter is not b.reporter and a.cells is not b.cells
    assert rec.CampaignRecord.trusted(document=rec.Document.trusted(source="x")).annex == rec.Annex()


def test_trusted_refuses_unknown_and_missing_fields():
    with pytest.raises(TypeError, match="unknown field"):
        rec.Item.trusted(no=1, title="t", span=(0, 1), page=3)
    with pytest.raises(TypeError, match="'span' is required"):
        rec.Item.trusted(no=1, title="t")


def test_the_validating_constructor_still_validates():
    with pytest.raises(ValidationError):
        rec.Item(no="one", title="t", span=(0, 1))
    assert rec.Item(no="1", title="t", span=[0, 1]).span == (0, 1)     # lax coercion for users' own data
