"""ORG: organisation names by a suffix grammar over jieba tokens, and their canonical full names."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Sequence

import regex

from ..gazetteer import TOWN_SUFFIXES, data_pairs, data_set, division_names, town_at
from ..resources import data_lines
from ..tokens import Token, word_tags
from .common import (
    CJK,
    GENERIC_PARTS,
    LEVEL_PREFIXES,
    NATIONAL_PREFIXES,
    SELF_WORDS,
    EntityContext,
    is_name_part,
    person_titles,
    title_pattern,
    literal_pattern,
    token_extent,
    token_ranges,
)
from .places import PLACE_HEADS, venue_head

#: 市（州）, 县（市、区）: a body at every one of these levels, not one body.
_EVERY_LEVEL = regex.compile(r"[（(][市州区县、\s]+[）)]")


#: Heads strong enough to close a name without a place or level anchor.
STRONG_HEADS = ("有限公司", "有限责任公司", "股份公司", "公司", "集团", "协会", "学会", "联合会", "商会", "基金会",
                "红十字会", "研究院", "研究所", "科学院", "大学", "学院", "医院", "日报", "晚报", "报社", "电视台",
                "广播电台", "电台", "卫视", "新闻网", "管委会", "监管局", "管理局", "海事局", "分院", "分公司", "总队", "支队",
                "居委会", "村委会", "居民委员会", "村民委员会")


#: Tokens that end with an ORG head character but are ordinary words.
NOT_ORG_TOKENS = frozenset("""
格局 布局 结局 开局 当局 大局 全局 新格局 社会 机会 大会 体会 心得体会 都会 集会 聚会 约会 晚会 全会 例会 年会 班会 班前会
常委 推进会 发布会 座谈会 部署会 现场会 观摩会 交流会 研讨会 动员会 培训会 宣讲会 报告会 运动会 博览会 展会 干部 内部 全部 外部
局部 部分 总部 基部 俱乐部 海报 简报 情报 电报 汇报 函报 上报 填报 申报 举报 通报 预报 快报 周报 月报 年报 画报 平台 舞台
出台 阳台 前台 后台 网络 上网 联网 互联网 物联网 官网 举办 主办 承办 协办 创办 督办 交办 代办 申办 合办 好处 之处
到处 处置 庭院 影院 大院 公社 结社 司机 上司 重心 核心 信心 决心 爱心 用心 身心 热心 民心 人心 场所 处所 住所 会所 厕所
诊所 车站 网站 驿站 岗站 代表队 团队 部队 排队 梯队 入队 带队 率队 组队 部门 部署 部长 厅长 局长 处长 司长 院长 台风 厅堂 听取汇报 杂志社 月刊 专刊 一处 多处 各处 办法
""".split())


_NOT_ORG_SUFFIXES = tuple(w for w in NOT_ORG_TOKENS if w not in ("汇报",)) + ("党委政府", "党政")


_ORG_HEADS = tuple(sorted(data_set("org_heads.txt"), key=len, reverse=True))
_ORG_HEAD_SET = frozenset(_ORG_HEADS)
_LAST_OF_LONG_HEADS = frozenset(h[-1] for h in _ORG_HEADS if len(h) > 1)


#: Names of a kind of body, not of one body, when they stand alone (各地应急管理局, 安委办).
GENERIC_BODIES = frozenset("应急管理局 应急局 应急管理厅 应急厅 应急管理部门 安委会 安委办 安委会办公室 党委 党组 政府 人民政府 "
                           "团委 工会 妇联 居委会 村委会 管委会 消防救援站 派出所 党委政府".split())



@lru_cache(maxsize=65536)
def _org_head(tok: str) -> str | None:
    """The head suffix a token closes an organisation name with, if it can."""
    if tok in NOT_ORG_TOKENS or tok.endswith(_NOT_ORG_SUFFIXES) or not tok.endswith(_ORG_HEADS):
        return None
    for head in _ORG_HEADS:     # the longest head it ends with
        if tok.endswith(head):
            if len(head) == 1 and len(tok) > 1 and word_tags().get(tok, "x")[0] not in "nxj":
                return None
            return head
    return None



@lru_cache(maxsize=65536)
def _is_anchor(tok: str, region: str | None) -> bool:
    """A token an organisation name may start with: a place, a level prefix or a national prefix."""
    if tok in LEVEL_PREFIXES or tok in NATIONAL_PREFIXES or tok in division_names(region) or _is_level_body(tok):
        return True
    if tok in data_pairs("org_names.txt") or tok in data_set("enterprise_prefixes.txt") or _bureau_name(tok):
        return True     # 大唐 + 锡林浩特电厂, 国网 + 凉山供电公司: a group's short name opens its units' names
    tag = word_tags().get(tok)
    if tag == "ns":
        return True
    return tag is None and len(tok) >= 2 and tok[0] in _LEVEL_CHARS and CJK.match(tok) is not None and (
        level_prefix(tok) is not None)



def _walk_left(tokens: list[Token], i: int, limit: int = 8) -> int:
    """Index of the leftmost token of the name that ends at token ``i`` (quotes and （集团） inside)."""
    j = i
    while j > 0 and i - j < limit:
        prev = tokens[j - 1][0]
        if prev in ("）", ")") and j >= 3:
            k = j - 2
            while k > 0 and tokens[k][0] not in ("（", "(") and j - k <= 4:
                k -= 1
            if tokens[k][0] in ("（", "(") and k > 0 and is_name_part(tokens[k - 1][0]):
                j = k - 1 if is_name_part(tokens[k - 1][0]) else k
                continue
            break
        if prev == "”":
            k = j - 2
            while k >= 0 and tokens[k][0] != "“" and j - k <= 6:
                k -= 1
            if k >= 1 and tokens[k][0] == "“" and tokens[k - 1][0] in NATIONAL_PREFIXES | LEVEL_PREFIXES:
                j = k - 1
                break
            break
        if prev in ("和", "与") and j >= 3 and is_name_part(tokens[j - 2][0]) and _org_head(tokens[j - 2][0]) is None and not (
                _is_anchor(tokens[j][0], None) or _is_level_body(tokens[j][0])) and any(
                _is_anchor(t, None) or _is_level_body(t) or t.endswith(STRONG_HEADS) for t, _ in tokens[max(0, j - 5):j - 1]):
            j -= 2  # 省 + 文化 + 和 + 旅游厅, 大学 + 安全科学 + 与 + 工程研究所: 和/与 inside a name
            continue
        if not is_name_part(prev) or prev in person_titles():
            break
        j -= 1
    return j



#: Chinese numerals of a numbered unit (三 of 中建三局, 十八 of 中铁十八局).
_UNIT_NUMERAL = "[一二三四五六七八九十]{1,3}"


@lru_cache(maxsize=1)
def _bureaus() -> tuple[tuple[regex.Pattern[str], str], ...]:
    """Numbered units of engineering groups (data/enterprise_bureaus.tsv): (full-name pattern, canonical
    template), longest group first."""
    rows = [line.split("\t") for line in data_lines("enterprise_bureaus.tsv")]
    rows.sort(key=lambda r: len(r[0]), reverse=True)
    return tuple((regex.compile(f"{regex.escape(g)}(?P<n>{_UNIT_NUMERAL}){regex.escape(u)}"), t) for g, u, t in rows)


@lru_cache(maxsize=1)
def _org_name_pattern() -> re.Pattern[str]:
    """The known names, longest first, for the standard library's ``re`` (it compiles and scans a plain
    alternation several times faster than ``regex``)."""
    return literal_pattern(data_pairs("org_names.txt"))


@lru_cache(maxsize=1)
def _bureau_pattern() -> regex.Pattern[str]:
    return regex.compile("|".join(p.pattern for p, _ in _bureaus()) or r"(?!)")


def bureau_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of numbered units (中铁十八局) in ``text[start:end]``: one token each, whatever jieba cut
    (中 + 铁十八局)."""
    return [m.span() for m in _bureau_pattern().finditer(text, start, len(text) if end is None else end)]


def _bureau_name(name: str) -> str | None:
    """The full name of a numbered unit written in short (中建三局 -> 中国建筑第三工程局有限公司), or None."""
    if _bureau_pattern().fullmatch(name) is None:    # all patterns in one: most names are no numbered unit
        return None
    for pattern, template in _bureaus():
        if m := pattern.fullmatch(name):
            return template.format(n=m.group("n"))
    return None



def known_org_spans(text: str, start: int = 0, end: int | None = None) -> tuple[tuple[int, int], ...]:
    """Spans of organisations known by name (org_names.txt) in ``text[start:end]``, in order."""
    end = len(text) if end is None else end
    names, bureaus = _org_name_pattern(), _bureau_pattern()
    spans: list[tuple[int, int]] = []
    # one scan, as of one pattern with the numbered units first (中建三局, not 中建); each pattern searched
    # again only when its next match was passed, so the work stays linear
    name, bureau = names.search(text, start, end), bureaus.search(text, start, end)
    while name is not None or bureau is not None:
        m = bureau if bureau is not None and (name is None or bureau.start() <= name.start()) else name
        spans.append(m.span())
        pos = m.end()
        if name is not None and name.start() < pos:
            name = names.search(text, pos, end)
        if bureau is not None and bureau.start() < pos:
            bureau = bureaus.search(text, pos, end)
    return tuple(spans)



#: Characters of a one-character level prefix (市委, 州委, 盟委, 旗委, 镇党委).
_LEVEL_CHARS = "市省区县州盟旗镇乡"
#: Words that start with a level character but are no level prefix.
_NOT_LEVEL_WORDS = ("市场", "省级", "区域", "县域", "州际", "乡村", "镇街", "旗帜", "旗下", "盟员")


@lru_cache(maxsize=65536)
def _is_level_body(tok: str) -> bool:
    """市委, 省政府, 省公安厅, 州委, 镇党委, 团区委: a level prefix and a body in one token."""
    if tok[:1] == "团" and tok[1:] in _YOUTH_LEAGUE:
        return True
    if len(tok) < 2 or tok[0] not in _LEVEL_CHARS or tok.startswith(_NOT_LEVEL_WORDS):
        return False
    return tok[1:] in ("委", "政府", "人大", "政协", "纪委", "党委") or (
        len(tok) >= 3 and _org_head(tok) is not None and level_prefix(tok) is not None)


#: 团市委, 团区委 …: the Communist Youth League committee of a level.
_YOUTH_LEAGUE = ("市委", "省委", "区委", "县委", "州委", "盟委", "旗委")
#: Level prefixes a name can start with, longest first (自治区安委办, 街道办事处, 盟应急管理局).
_LEVELS = ("自治区", "自治州", "街道", "苏木", "市", "省", "区", "县", "州", "盟", "旗", "镇", "乡")


@lru_cache(maxsize=65536)
def level_prefix(name: str) -> str | None:
    """The bare level a name starts with (市 of 市应急局, 盟 of 盟安委办, 镇 of 镇党委), or None when it
    starts with a place name instead (镇江市…, 市北区…) or with an ordinary word (市场, 区域)."""
    if name.startswith(_NOT_LEVEL_WORDS):
        return None
    level = next((lv for lv in _LEVELS if name.startswith(lv) and len(name) > len(lv)), None)
    if level is None:
        return None
    names = division_names(None)
    if any(name[:k] in names for k in range(2, min(len(name), 6) + 1)):
        return None
    return level



@lru_cache(maxsize=65536)
def _may_close_org(tok: str) -> bool:
    """Can a name end with this token (a known name, a level body, a head, or the last character of a
    two-token head: 中心 + 组)? The rest of the tokens are passed over without a look."""
    return (tok in data_pairs("org_names.txt") or _is_level_body(tok) or _org_head(tok) is not None
            or (len(tok) == 1 and tok in _LAST_OF_LONG_HEADS))


def org_spans(tokens: list[Token], region: str | None, text: str = "", known: Sequence[tuple[int, int]] | None = None,
              local: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Token index ranges ``[s, e)`` of organisation names (``known``: :func:`known_org_spans` of ``text``;
    ``local``: place names of the report below the divisions table, its town: 周市镇, 周市)."""
    names = data_pairs("org_names.txt")
    tags = word_tags()
    found: list[tuple[int, int]] = token_ranges(tokens, known_org_spans(text, *token_extent(tokens)) if known is None
                                                else known)
    for i in [i for i, (tok, _) in enumerate(tokens) if _may_close_org(tok)]:
        tok = tokens[i][0]
        if tok in names or _is_level_body(tok):
            youth = i > 0 and tokens[i - 1][0] == "团" and tok in _YOUTH_LEAGUE     # 团 + 州委
            found.append((i - 1 if youth else i, i + 1))
            continue
        head = _org_head(tok)
        if head is not None and i + 1 < len(tokens) and tokens[i + 1][0] in ("区", "园区", "基地", "行业", "企业", "产业"):
            continue  # 大亚湾石化区, 化工企业: a kind of place or firm, not a name
        h = i
        if head is None and len(tok) == 1 and i > 0 and tokens[i - 1][0] + tok in _ORG_HEAD_SET:
            head, h = tokens[i - 1][0] + tok, i - 1  # 中心 + 组
        if head is None:
            continue
        j = _walk_left(tokens, h)
        strong = tok.endswith(STRONG_HEADS)
        anchors = [k for k in range(j, i + 1) if _is_anchor(tokens[k][0], region) or tokens[k][0] in local]
        if anchors and not (strong and j < anchors[0]):
            start = anchors[0]
        elif (inner := max((k for k in range(j, i) if tokens[k][0].endswith(STRONG_HEADS)
                            and tokens[k + 1][0] not in ("）", ")")), default=None)) is not None:
            start = inner + 1  # 攀钢集团 + 安全环保部: the department joins the company below
        elif strong and j < i:
            start = j
            while start < i and tags.get(tokens[start][0], "x")[:1] in "dpcurmqft" and tokens[start][0] not in names:
                start += 1
        elif tags.get(tok) == "nt" or (tags.get(tok) is None and len(tok) >= 3 and not tok.endswith(tuple("台网报会处所"))) or (
                len(tok) >= 3 and tok.endswith(("报", "网", "社", "台")) and tags.get(tok) == "nz"):
            start = i
        else:
            continue
        if tokens[start][0] in TOWN_SUFFIXES and start > j and town_at(joined := "".join(
                t for t, _ in tokens[j:start + 1])) == joined:
            start = j       # 大路 + 镇 + 人民政府: a town of its own, not the level 镇
        parts = [t for t, _ in tokens[start:i + 1]]
        if parts[0].startswith("各"):
            continue        # 各子分公司: every one of a kind
        if "".join(parts).count("）") + "".join(parts).count(")") > "".join(parts).count("（") + "".join(parts).count("("):
            continue
        body = [t for t in parts[:-1] if t not in LEVEL_PREFIXES and t not in division_names(region)]
        if len(parts) == 1 and parts[-1] in _ORG_HEAD_SET:
            continue  # a bare head (局, 委) is not a name
        if body and all(t in GENERIC_PARTS for t in body):
            continue
        if start > 0 and tokens[start - 1][0] in ("各", "各级", "各区", "各地", "有关", "相关", "基层", "其他", "全市", "设区",
                                                  "地级", "）", ")"):
            continue
        if parts[0] in ("）", ")") or "".join(parts) in GENERIC_BODIES or "".join(parts) in SELF_WORDS or (
                _EVERY_LEVEL.search("".join(parts))):
            continue
        if len(venue_head("".join(parts))) >= 3:
            continue
        if start > 0 and tokens[start - 1][0] == "团" and parts[0] in _YOUTH_LEAGUE:
            start -= 1
        found.append((start, i + 1))
    # Longest first, no overlaps; then join names that touch (市委 + 宣传部, 应急管理部 + 新闻宣传司; a group and
    # its company: 统一企业（中国）投资有限公司 + 昆山分公司).
    chosen: list[tuple[int, int]] = []
    taken = bytearray(len(tokens) + 1)
    for s, e in sorted(found, key=lambda se: (se[0] - se[1], se[0])):
        if taken.find(1, s, e) == -1:
            taken[s:e] = b"\x01" * (e - s)
            chosen.append((s, e))
    chosen.sort()
    merged: list[tuple[int, int]] = []
    for s, e in chosen:
        left = "".join(t for t, _ in tokens[merged[-1][0]:merged[-1][1]]) if merged else ""
        unit = left.endswith(("集团", "公司")) and tokens[e - 1][0].endswith(("公司", "厂"))   # 攀钢集团 + 西昌钢钒有限公司
        if merged and merged[-1][1] == s and not tokens[s][0].isspace() and (left in names or unit or not (
                tokens[s][0] in LEVEL_PREFIXES or _is_level_body(tokens[s][0]) or tokens[s][0] in division_names(region)
                or tokens[s][0] in local)):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return _enumerated(tokens, merged, region)


#: Collective nouns after 等 that say the listed items were organisations.
_COLLECTIVES = ("单位", "企业", "部门", "集团", "企业集团", "国企", "央企", "市属国企", "公司", "协会", "机构", "媒体",
                "新闻媒体", "主流媒体", "组织", "高校", "医院", "学校", "成员单位", "委办局")



def _enumerated(tokens: list[Token], spans: list[tuple[int, int]], region: str | None) -> list[tuple[int, int]]:
    """Items of a 、-list are organisations too when the list is of organisations.

    A list is of organisations when it ends with 等 + a collective noun (等企业集团) or when at least
    half of its items are already names. Items are the name-like runs between 、 separators.
    """
    separators = [i for i, (t, _) in enumerate(tokens) if t == "、"]
    if not separators:
        return list(spans)
    is_sep = dict.fromkeys(separators, True)
    covered = {k for s, e in spans for k in range(s, e)}
    out = list(spans)
    n = len(tokens)
    next_sep = 0
    while next_sep < len(separators):
        i = separators[next_sep]
        # collect a run of items separated by 、 around position i
        items: list[tuple[int, int]] = []
        j = i
        start = _walk_left(tokens, j - 1) if j > 0 else j
        items.append((start, j))
        while j < n and j in is_sep:
            k = j + 1
            while k < n and is_name_part(tokens[k][0]) and k - j <= 8:
                k += 1
            items.append((j + 1, k))
            j = k
        i = j + 1
        next_sep = bisect.bisect_left(separators, i, next_sep)
        after = []
        for t, _ in tokens[j:j + 10]:
            if t in "，。；：:;,\n":
                break
            after.append(t)
        # 等企业集团 / 等 8 位…国有企业: the list names organisations
        is_orgs = "".join(after[:1]).startswith("等") and any(t.endswith(_COLLECTIVES) for t in after)
        named = [it for it in items if any(k in covered for k in range(it[0], it[1]))
                 or "".join(t for t, _ in tokens[it[0]:it[1]]) in division_names(region)]
        if not (is_orgs or (len(items) >= 3 and len(named) * 2 >= len(items))):
            continue
        for a, b in items:
            if b <= a or any(k in covered for k in range(a, b)):
                continue
            words = [t for t, _ in tokens[a:b]]
            chars = sum(len(w) for w in words)
            item = "".join(words)
            if word_tags().get(words[0], "n")[:1] == "v" or word_tags().get(item) in ("nr", "nrfg"):
                continue
            if title_pattern().search(item) or "等" in item or item in division_names(region) or item.endswith(
                    PLACE_HEADS) or item.endswith(_COLLECTIVES) or item.endswith(("人员", "群众", "机构")):
                continue
            if 2 <= chars <= 10 and not any(w in GENERIC_PARTS or w in division_names(region) and len(words) == 1
                                            for w in words):
                out.append((a, b))
                covered.update(range(a, b))
    return sorted(out)



def self_prefixes(ctx: EntityContext) -> dict[str, str]:
    """局, 公司, 集团 that stand for the issuer in its own report -> that issuer (中国建筑第三工程局有限公司)."""
    out = {}
    for word, part in SELF_WORDS.items():
        issuer = next((i for i in ctx.issuers if part in i), None)
        if issuer:
            out[word] = issuer
    return out


@lru_cache(maxsize=8)
def _longest_first(name: str) -> tuple[str, ...]:
    """The keys of a data file of pairs, longest first (the first that fits is the most specific)."""
    return tuple(sorted(data_pairs(name), key=len, reverse=True))


def canonical_org(name: str, ctx: EntityContext) -> str:
    """The full name of a body written in short: 市应急局 -> 上海市应急管理局 in a Shanghai report."""
    known = data_pairs("org_names.txt")
    if name in known:
        return known[name]
    if (bureau := _bureau_name(name)) is not None:
        return bureau
    abbreviations = data_pairs("org_abbreviations.tsv")
    prefix, rest = "", name
    if name.startswith("团") and name[1:] in _YOUTH_LEAGUE:
        place = place_for(name[1], ctx)
        return f"共青团{place}委员会" if place else name
    own = next((w for w in SELF_WORDS if name.startswith(w) and len(name) > len(w)), None)
    if own and (issuer := self_prefixes(ctx).get(own)):
        prefix, rest = issuer, name[len(own):]      # 局安委会 -> 中国建筑第三工程局有限公司安全生产委员会
    elif ctx.town and name.startswith(ctx.town) and ctx.county:
        county = place_for(ctx.county[-1], ctx)   # 周市镇人民政府 -> 昆山市周市镇人民政府: towns' names repeat
        if county:
            prefix, rest = county + ctx.town, name[len(ctx.town):]
    level = level_prefix(name) if not prefix else None
    if level is not None:
        place = place_for(level, ctx)
        if place:
            prefix, rest = place, name[len(level):]
    if rest == "党工委" and prefix and not own:
        return f"中共{prefix}工作委员会"      # 街道党工委
    if rest in ("委", "党委", "政府") and not (own and prefix):   # 局党委 of an enterprise stays its 党委
        return f"中共{prefix}委员会" if rest != "政府" and prefix else (f"{prefix}人民政府" if prefix else name)
    for short in _longest_first("org_abbreviations.tsv"):
        if rest.endswith(short) and (rest == short or not rest.endswith(abbreviations[short])):
            rest = rest[: -len(short)] + abbreviations[short]
            break
    return prefix + rest



def unresolved_level(name: str, ctx: EntityContext) -> bool:
    """市安委会 in a provincial report means every city's (镇安委办 in a county's every town's): a kind of
    body, not one."""
    level = level_prefix(name)
    return level is not None and level not in ("省", "自治区") and place_for(level, ctx) is None



def place_for(level: str, ctx: EntityContext) -> str | None:
    """Which division a bare level prefix (市/省/区/县) means in this report: 区应急管理局 in a report of
    梁溪区 is 无锡市梁溪区应急管理局."""
    if level in ("省", "自治区") and ctx.region and ctx.region.endswith(level):
        return ctx.region
    if level in ("镇", "乡", "街道", "苏木"):
        county = place_for(ctx.county[-1], ctx) if ctx.county else None
        return (county or "") + ctx.town if ctx.town and ctx.town.endswith(level) else None
    if ctx.county and ctx.county.endswith(level) and level in ("区", "县", "市", "旗"):
        return (ctx.city or "") + ctx.county if level != "市" else ctx.county
    if level in ("州", "自治州", "盟") and ctx.city and ctx.city.endswith(level):
        return ctx.city
    if level == "市":
        if ctx.city and ctx.city.endswith("市"):
            return ctx.city
        if ctx.region and ctx.region.endswith("市"):
            return ctx.region
    return None
