"""Organisations in the wild: district, town, league/banner, prefecture and enterprise reports (tests/orgs)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reportmine
from reportmine.entities import EntityContext, find_entities
from reportmine.gazetteer import division_path, split_town

from test_entities import f1  # noqa: E402  (the scorer of the entity tests)

REPO = Path(__file__).resolve().parents[1]
ORGS = REPO / "tests" / "orgs"
GOLD = sorted(ORGS.glob("*.json")) + sorted((ORGS / "heldout").glob("*.json"))


def _orgs(gold_file: Path):
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    if gold["script"] == "traditional":
        pytest.importorskip("opencc", reason="traditional-script text needs the reportmine[trad] extra")
    report = reportmine.parse(REPO / gold["file"])
    found = report.entities[report.entities["label"] == "ORG"]
    return gold, report, found


@pytest.mark.parametrize("gold_file", GOLD, ids=lambda p: p.stem)
def test_org_f1_and_region_on_reports_of_every_level(gold_file):
    gold, report, found = _orgs(gold_file)
    assert f1(set(found["text"]), {o["text"] for o in gold["orgs"]}) >= 0.90
    assert report.record.campaign.region == gold["region"]
    text = report.text
    for row in found.itertuples():
        assert text[row.start:row.end] == row.text


def test_canonical_names_of_the_organisations_found():
    right = total = 0
    for gold_file in GOLD:
        gold, _, found = _orgs(gold_file)
        canonical = dict(zip(found["text"], found["canonical"]))
        for org in gold["orgs"]:
            if org["text"] in canonical:
                total += 1
                right += canonical[org["text"]] == org["canonical"]
    assert right / total >= 0.9, (right, total)


def _canon(text: str, **ctx) -> dict[str, str]:
    ents = find_entities(text, EntityContext(date=datetime.date(2024, 7, 1), **ctx))
    return {e.text: e.canonical for e in ents if e.label == "ORG"}


def test_enterprises_without_a_legal_form_suffix():
    canon = _canon("中建八局、中铁十一局、中交二航局、中国二十冶、中国水电七局和宝武集团、鞍钢联合举办演练。")
    assert canon == {"中建八局": "中国建筑第八工程局有限公司", "中铁十一局": "中铁十一局集团有限公司",
                     "中交二航局": "中交第二航务工程局有限公司", "中国二十冶": "中国二十冶集团有限公司",
                     "中国水电七局": "中国水利水电第七工程局有限公司", "宝武集团": "中国宝武钢铁集团有限公司",
                     "鞍钢": "鞍钢集团有限公司"}
    assert "华能营口电厂" in _canon("华能营口电厂组织开展应急演练。")      # a group's short name opens its unit


def test_levels_below_and_beside_the_city():
    assert _canon("州应急管理局、州委、团州委召开会议。", region="四川省", city="甘孜藏族自治州") == {
        "州应急管理局": "甘孜藏族自治州应急管理局", "州委": "中共甘孜藏族自治州委员会", "团州委": "共青团甘孜藏族自治州委员会"}
    assert _canon("盟安委办、旗应急局联合检查。", region="内蒙古自治区", city="兴安盟", county="科尔沁右翼前旗") == {
        "盟安委办": "兴安盟安全生产委员会办公室", "旗应急局": "兴安盟科尔沁右翼前旗应急管理局"}
    town = dict(region="江苏省", city="苏州市", county="张家港市", town="塘桥镇")
    assert _canon("镇安委办会同塘桥派出所、镇党委开展检查。", **town) == {
        "镇安委办": "张家港市塘桥镇安全生产委员会办公室", "塘桥派出所": "塘桥派出所", "镇党委": "中共张家港市塘桥镇委员会"}
    # a level of every town in a county's report is a kind of body, not one; 镇江市 is a city, not a level
    assert _canon("各镇安委办和镇江市应急管理局参加。", region="江苏省", city="苏州市", county="张家港市") == {
        "镇江市应急管理局": "镇江市应急管理局"}


def test_a_subdistrict_alone_is_a_place_its_office_an_organisation():
    ents = find_entities("簇桥街道办事处组织簇桥街道各社区开展演练。", EntityContext(region="四川省"))
    assert ("ORG", "簇桥街道办事处") in {(e.label, e.text) for e in ents}
    assert ("GPE", "簇桥街道") in {(e.label, e.text) for e in ents}


def test_region_paths_reach_towns():
    assert division_path("昆山市周市镇人民政府", towns=True) == "江苏省苏州市昆山市周市镇"
    assert division_path("正蓝旗上都镇人民政府", towns=True) == "内蒙古自治区锡林郭勒盟正蓝旗上都镇"
    assert division_path("江阴市乡镇安全生产", towns=True) == "江苏省无锡市江阴市"     # 乡镇: every town
    assert division_path("昆山市周市镇人民政府") == "江苏省苏州市昆山市"
    assert split_town("江苏省苏州市昆山市周市镇") == ("江苏省苏州市昆山市", "周市镇")
    assert split_town("江苏省镇江市") == ("江苏省镇江市", None)


def test_the_issuer_itself_before_its_bodies():
    ctx = dict(issuers=("中国建筑第三工程局有限公司",))
    assert _canon("，局安全生产委员会召开会议，局党委书记陈某出席。", **ctx) == {
        "局安全生产委员会": "中国建筑第三工程局有限公司安全生产委员会", "局党委": "中国建筑第三工程局有限公司党委"}
    assert _canon("，局安全生产委员会召开会议。") == {}      # no issuing 局: nothing to resolve it to


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="周市镇人民政府派出所场、", min_size=1, max_size=30), st.data())
def test_rejoined_tokens_cover_the_text_and_join_each_span(text, data):
    from reportmine.entities.common import rejoined, tokens_of

    tokens = tokens_of(text)
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(text)), max_size=6))))
    spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if a < b]
    out = rejoined(tokens, spans)
    assert "".join(t for t, _ in out) == text
    assert all(text[s:s + len(t)] == t for t, s in out)
    starts = {s: s + len(t) for t, s in out}
    assert all(starts.get(a) == b for a, b in spans)
