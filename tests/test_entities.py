"""Entities against the annotated reports in benchmarks/entities/gold (seed + reports written for evaluation)."""

from __future__ import annotations

import datetime
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reportmine
from reportmine.cli import main
from reportmine.entities import EntityContext, find_entities

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

GOLD_DIR = REPO / "benchmarks" / "entities" / "gold"
HELD_OUT = sorted(p for p in GOLD_DIR.glob("*.json") if not p.name.startswith("2023-shanghai"))


def _gold(name: str) -> dict:
    return json.loads((GOLD_DIR / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_gold() -> dict:
    return _gold("2023-shanghai-safety-month.json")


@pytest.fixture(scope="module")
def seed(seed_gold):
    return reportmine.parse(REPO / seed_gold["file"])


def f1(found: set, gold: set) -> float:
    tp = len(found & gold)
    return 2 * tp / (len(found) + len(gold)) if found or gold else 1.0


def forms(frame, label: str) -> set[str]:
    return set(frame[frame["label"] == label]["text"])


def gold_forms(gold: dict, label: str) -> set[str]:
    return {e["text"] for e in gold["entities"] if e["label"] == label}


def test_gold_files_point_at_their_text():
    for path in sorted(GOLD_DIR.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = (REPO / gold["file"]).read_text(encoding="utf-8")
        for e in gold["entities"]:
            assert text[e["start"]:e["end"]] == e["text"], (path.name, e)


def test_every_entity_span_indexes_the_original_text(seed):
    for row in seed.entities.itertuples():
        assert seed.text[row.start:row.end] == row.text


def test_seed_org_and_person_goals(seed, seed_gold):
    assert f1(forms(seed.entities, "ORG"), gold_forms(seed_gold, "ORG")) >= 0.95
    assert f1(forms(seed.entities, "PERSON"), gold_forms(seed_gold, "PERSON")) == 1.0


def test_seed_dates_are_all_found_and_resolved(seed, seed_gold):
    ours = {(r.start, r.end): r.value for r in seed.entities.itertuples() if r.label == "DATE"}
    wrong = [(e["text"], e["value"], ours.get((e["start"], e["end"])))
             for e in seed_gold["entities"] if e["label"] == "DATE" and ours.get((e["start"], e["end"])) != e["value"]]
    assert wrong == []


@pytest.mark.parametrize("path", HELD_OUT, ids=lambda p: p.stem)
def test_org_f1_on_reports_of_other_regions_and_years(path):
    gold = json.loads(path.read_text(encoding="utf-8"))
    report = reportmine.parse(REPO / gold["file"])
    assert f1(forms(report.entities, "ORG"), gold_forms(gold, "ORG")) >= 0.90


def test_abbreviations_resolve_against_the_report_region(seed):
    ents = seed.entities
    canon = dict(zip(ents["text"], ents["canonical"]))
    assert canon["市应急局"] == "上海市应急管理局"
    assert canon["市安委会"] == "上海市安全生产委员会"
    zhejiang = reportmine.parse(REPO / "corpus" / "2022-zhejiang-safety-month.txt").entities
    assert "浙江省应急管理厅" in set(zhejiang[zhejiang["text"] == "省应急厅"]["canonical"])


def test_canonical_names_in_a_region_the_rules_never_saw():
    text = "省应急厅、省安委办联合团省委举办培训班。市应急局局长张伟出席。"
    ents = find_entities(text, EntityContext(region="广东省", city="广州市", date=datetime.date(2021, 7, 1)))
    canon = {e.text: e.canonical for e in ents if e.label == "ORG"}
    assert canon["省应急厅"] == "广东省应急管理厅"
    assert canon["省安委办"] == "广东省安全生产委员会办公室"
    assert canon["团省委"] == "共青团广东省委员会"
    assert canon["市应急局"] == "广州市应急管理局"
    assert [(e.text, e.roles) for e in ents if e.label == "PERSON"] == [("张伟", ("局长",))]


def test_person_roles_gathered_across_the_report(seed, seed_gold):
    ours = {r.text: set(r.roles) for r in seed.entities.itertuples() if r.label == "PERSON"}
    gold = {e["text"]: set(e.get("roles", [])) for e in seed_gold["entities"] if e["label"] == "PERSON"}
    assert set(ours) == set(gold)
    assert ours["马坚泓"] >= {"局长", "党委书记"}


def test_no_dates_from_doc_numbers_counts_or_phone_numbers(seed):
    dates = seed.entities[seed.entities["label"] == "DATE"]
    start, end = seed.record.document.spans["doc_number"]
    assert not any(s < end and start < e for s, e in zip(dates["start"], dates["end"]))
    for text in dates["text"]:
        assert not any(mark in text for mark in ("〔", "条", "(", "-2"))


def test_event_with_its_date_venue_and_sentence(seed):
    events = seed.events
    launch = events[events["name"].str.contains("启动仪式暨")].iloc[0]
    assert launch["date_iso"] == "2023-05-31" and launch["date_precision"] == "day"
    assert launch["date"] == launch["date_end"] == datetime.datetime(2023, 5, 31)   # a datetime64 column
    assert launch["venue"] == "金山城市沙滩"
    assert seed.text[launch["start"]:launch["end"]] == launch["name"]


@given(st.integers(1, 12), st.integers(1, 28), st.integers(0, 27))
def test_day_ranges_resolve_to_intervals(month, first, extra):
    last = min(first + extra, 28)
    text = f"活动于{month}月{first}日至{last}日举行"
    dates = [e for e in find_entities(text, EntityContext(date=datetime.date(2023, 7, 1)), labels=("DATE",))]
    assert len(dates) == 1
    assert dates[0].value == f"2023-{month:02d}-{first:02d}/2023-{month:02d}-{last:02d}"


@pytest.mark.parametrize("text,value", [
    ("今年2月，", "2023-02"), ("4月，", "2023-04"), ("6 月 16 日上午，", "2023-06-16"), ("2023.7.3", "2023-07-03"),
    ("2020年以来，", "2020/.."), ("5月下旬，", "2023-05-21/2023-05-31"), ("6月份，", "2023-06"),
])
def test_date_expressions(text, value):
    dates = find_entities(text, EntityContext(date=datetime.date(2023, 7, 13)), labels=("DATE",))
    assert [d.value for d in dates] == [value]


@pytest.mark.parametrize("text", ["沪安委办函〔2023〕1号", "发现隐患1900条", "填报（1975）场", "电话：021-23305878",
                                  "下一年度", "今年以来"])
def test_not_dates(text):
    assert find_entities(text, EntityContext(date=datetime.date(2023, 7, 13)), labels=("DATE",)) == []


def test_pipeline_is_built_once_and_components_are_registered():
    nlp = reportmine.nlp()
    assert nlp is reportmine.nlp()
    assert nlp.pipe_names == ["reportmine_quantities", "reportmine_entities"]
    doc = nlp("上海市应急管理局局长马坚泓于6月16日出席活动。")
    assert {(s.label_, s.text) for s in doc.ents} >= {("ORG", "上海市应急管理局"), ("PERSON", "马坚泓")}
    assert not [s for s in doc.spans["reportmine_entities"] if s.label_ == "DATE"]  # no year known: not guessed
    from reportmine.pipeline import annotate

    doc = annotate("马坚泓于6月16日出席活动。", EntityContext(region="上海市", date=datetime.date(2023, 7, 13)))
    date = next(s for s in doc.spans["reportmine_entities"] if s.label_ == "DATE")
    assert (date.text, date._.value) == ("6月16日", "2023-06-16")


def test_a_users_pipeline_keeps_its_own_entities():
    import spacy

    from reportmine.pipeline import make_pipeline

    user = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ruler = user.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PRODUCT", "pattern": "安全手册"}])
    nlp = make_pipeline(user)
    doc = nlp("市应急局发放安全手册。")
    assert ("PRODUCT", "安全手册") in {(e.label_, e.text) for e in doc.ents}
    assert "reportmine_entities" in nlp.pipe_names


def test_cli_entities_json(capsys):
    assert main(["entities", str(REPO / "corpus" / "2023-shanghai-safety-month.txt"), "--format", "json",
                 "--label", "PERSON"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and set(rows[0]) == {"label", "text", "start", "end", "canonical", "value", "roles"}
    assert {r["text"] for r in rows} >= {"马坚泓", "李政", "杨靖"}


def test_entities_html_marks_entities(seed):
    html = seed.entities_html()
    assert "<mark" in html and "上海市应急管理局" in html
    assert seed.show_entities()._repr_html_() == html and "HTML" in repr(seed.show_entities())


def test_long_texts_recognised_in_chunks_give_the_same_entities(monkeypatch):
    """A long text is segmented and recognised chunk by chunk (memory); the entities must not change."""
    import reportmine.entities as entities_module
    from reportmine.entities import chunks, find_events, infer_context

    for path in sorted((REPO / "corpus").glob("*.txt")):
        text = reportmine.parse(path).norm.text
        ctx = infer_context(text)
        whole = find_entities(text, ctx)
        monkeypatch.setattr(entities_module, "CHUNK", 300)
        cuts = list(chunks(text))
        assert len(cuts) > 10 and cuts[0][0] == 0 and cuts[-1][1] == len(text)
        assert all(a < b == c for (a, b), (c, _) in zip(cuts, cuts[1:]))
        chunked = find_entities(text, ctx)
        monkeypatch.undo()
        assert chunked == whole, path.name
        assert find_events(text, chunked) == find_events(text, whole)


def test_text_without_sentence_marks_is_recognised_with_exact_spans(monkeypatch):
    """No punctuation and no line break for tens of thousands of characters: chunks and pieces are cut
    anyway (bounded cost), and every span still indexes the text."""
    import reportmine.entities as entities_module

    monkeypatch.setattr(entities_module, "CHUNK", 2000)
    text = ("上海市应急管理局在金山城市沙滩举办2023年安全生产月启动仪式局长马坚泓出席" * 800)
    assert len(list(entities_module.chunks(text))) >= 7
    found = find_entities(text, EntityContext(region="上海市", date=datetime.date(2023, 7, 1)))
    assert found and all(text[e.start:e.end] == e.text for e in found)
    assert {"ORG", "DATE"} <= {e.label for e in found}


@given(st.text(alphabet=st.sampled_from(list("沪应急〔［[(（2023〕]］)）1号 文国办发\na１")), max_size=40))
def test_document_numbers_found_from_their_year_are_the_patterns_own_matches(text):
    # doc_number_spans looks for the bracketed year first and walks back: it must find what the pattern finds
    from reportmine.entities import DOC_NUMBER, doc_number_spans

    assert doc_number_spans(text) == [m.span() for m in DOC_NUMBER.finditer(text)]


@given(st.lists(st.text(alphabet="局长书记主任（）.*+?副", min_size=1, max_size=4), max_size=8),
       st.text(alphabet="局长书记主任（）.*+?副文", max_size=30))
def test_word_lists_are_found_as_the_regex_alternation_finds_them(words, text):
    # titles, event names, regions and known names are scanned with the standard library's re
    import regex

    from reportmine.entities.common import literal_pattern

    ordered = sorted(words, key=len, reverse=True)
    want = [m.span() for m in regex.finditer("|".join(map(regex.escape, ordered)), text)] if words else []
    assert [m.span() for m in literal_pattern(words).finditer(text)] == want
