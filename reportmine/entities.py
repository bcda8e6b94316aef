"""Named entities of a report: organisations, persons, places, dates and events.

Rules, not a trained model: each recogniser works on the jieba tokens of the normalised text
(``(token, offset)`` pairs, from the spaCy ``Doc`` or from :func:`tokens_of`) plus the word
lists in :mod:`reportmine.gazetteer`. They generalise by grammar rather than by listing one
report's names:

* ORG — a token that can close a name (…局 委 办 厅 部 司 中心 集团 公司 协会 总队 报 社 台 网 院 会,
  ``data/org_heads.txt``) extended to the left over name parts back to an anchor: a division
  name (上海市, 浦东新区, 金山), a level prefix (市, 省, 区, 国家, 全国), or a known body
  (应急管理部). Company, association and media heads need no anchor (申能（集团）有限公司).
  Adjacent names join (市委 + 宣传部). Abbreviations get a canonical name using the report's
  region (市应急局 -> 上海市应急管理局).
* PERSON — a surname-led name next to a title (局长马坚泓, 联系人：杨靖), with every role seen.
* GPE — division names (full everywhere; county short forms only in the report's province) and
  the province abbreviation used as a place (来沪). LOC — venues by head (…公园 广场 沙滩) and
  named regions (长三角).
* DATE — :mod:`reportmine.dates` plus ranges (6月1日至30日), open intervals (2020年以来), 份 and
  parts of day; values are ISO 8601 resolved against the report's year.
* EVENT — a name closed by an event head (…启动仪式 推进会 大赛 演练 咨询日), with the date, venue and
  organisers of its sentence in :class:`Event`.
"""

from __future__ import annotations

import bisect
import datetime
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .dates import find_dates
from .gazetteer import PROVINCE_ABBREVIATIONS, data_pairs, data_set, division_names
from .resources import data_lines

__all__ = ["Entity", "Event", "EntityContext", "find_entities", "find_events", "tokens_of", "LABELS"]

LABELS = ("ORG", "PERSON", "GPE", "LOC", "DATE", "EVENT")

Token = tuple[str, int]


@dataclass(frozen=True)
class Entity:
    """One entity mention; ``start``/``end`` index the text the recogniser ran on."""

    label: str
    text: str
    start: int
    end: int
    canonical: str | None = None
    value: str | None = None
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    """A named event with what its sentence says about it."""

    name: str
    start: int
    end: int
    date: str | None = None
    venue: str | None = None
    organisers: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntityContext:
    """What the recognisers need to know about the report: its region and date."""

    region: str | None = None  # provincial-level full name, e.g. 上海市
    city: str | None = None  # prefecture-level full name when the issuer is a city
    date: datetime.date | None = None

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None


# --------------------------------------------------------------------------------------------
# shared word lists

_CJK = regex.compile(r"^[\p{Han}]+$")
_PUNCT_STOP = set("，。；：！？、,.;:!?\n\t （）()《》〈〉“”\"'‘’【】[]—-…·/")
LEVEL_PREFIXES = frozenset({"市", "省", "区", "县", "州", "镇", "乡", "街道"})
NATIONAL_PREFIXES = frozenset({"国家", "中国", "中华", "全国", "中央", "中共", "共青团", "团", "国务院"})

#: Words that end the leftward walk of a name: verbs and function words that precede names.
STOP_WORDS = frozenset("""
的 了 和 与 及 以及 或 同 跟 在 于 由 对 向 从 为 以 将 把 被 让 请 是 有 等 等等 也 都 还 又 并 并且 其 该 各 全 本 我 其中
包括 如 即 均 共 已 已经 正在 将要 要 会同 联合 牵头 主办 承办 协办 指导 支持 举办 组织 开展 召开 举行 邀请 按照 根据 利用 以上 以下 同台 地级 设区市 地级市 各设区市
通过 推出 策划 参与 参加 推动 督促 要求 印发 下发 发布 连线 依托 协调 配合 深入 走进 来到 前往 赴 到 派 经 经过 报送 函报
抄送 报 发 送 致 会 会上 向 同时 此外 另外 今年 期间 以来 近年来 目前 当天 上午 下午 晚上 每年 全年 分别 先后 积极 主动
切实 持续 不断 广泛 大力 充分 进一步 重点 主要 有关 相关 各级 各类 各区 各地 全市 全省 全区 各部门 各单位 我市 我省 本市
本省 有效 结合 围绕 聚焦 紧扣 突出 加强 强化 提升 提高 做好 落实 贯彻 学习 宣传 宣讲 培训 检查 督导 调研 走访 慰问 观看
收看 部署 启动 开幕 闭幕 出席 讲话 致辞 主持 介绍 表示 指出 强调 面向 针对 关于 带领 率 率队 陪同 参观 考察 视察 成立
""".split())

#: Words made only of generic nouns are not names (企业集团, 相关部门).
GENERIC_PARTS = frozenset("企业 单位 部门 机关 行业 重点 相关 有关 各类 基层 全市 地区 区域 各级 成员 成员单位 所属 下属 "
                          "主管 监管 属地 其他 多家 多个 有关部门 职能 生产".split())

#: 市（州）, 县（市、区）: a body at every one of these levels, not one body.
_EVERY_LEVEL = regex.compile(r"[（(][市州区县、\s]+[）)]")

#: Heads strong enough to close a name without a place or level anchor.
STRONG_HEADS = ("有限公司", "有限责任公司", "股份公司", "公司", "集团", "协会", "学会", "联合会", "商会", "基金会",
                "红十字会", "研究院", "研究所", "科学院", "大学", "学院", "医院", "日报", "晚报", "报社", "电视台",
                "广播电台", "电台", "卫视", "新闻网", "管委会", "监管局", "管理局", "海事局", "分院", "分公司", "总队", "支队")

#: Tokens that end with an ORG head character but are ordinary words.
NOT_ORG_TOKENS = frozenset("""
格局 布局 结局 开局 当局 大局 全局 新格局 社会 机会 大会 体会 心得体会 都会 集会 聚会 约会 晚会 全会 例会 年会 班会 班前会
推进会 发布会 座谈会 部署会 现场会 观摩会 交流会 研讨会 动员会 培训会 宣讲会 报告会 运动会 博览会 展会 干部 内部 全部 外部
局部 部分 总部 基部 俱乐部 海报 简报 情报 电报 汇报 函报 上报 填报 申报 举报 通报 预报 快报 周报 月报 年报 画报 平台 舞台
出台 阳台 前台 后台 网络 上网 联网 互联网 物联网 官网 举办 主办 承办 协办 创办 督办 交办 代办 申办 合办 好处 之处
到处 处置 庭院 影院 大院 公社 结社 司机 上司 重心 核心 信心 决心 爱心 用心 身心 热心 民心 人心 场所 处所 住所 会所 厕所
诊所 车站 网站 驿站 岗站 代表队 团队 部队 排队 梯队 入队 带队 率队 组队 部门 部署 部长 厅长 局长 处长 司长 院长 台风 厅堂 听取汇报 杂志社 月刊 专刊 一处 多处 各处 办法
""".split())

_NOT_ORG_SUFFIXES = tuple(w for w in NOT_ORG_TOKENS if w not in ("汇报",)) + ("党委政府", "党政")
_ORG_HEADS = tuple(sorted(data_set("org_heads.txt"), key=len, reverse=True))
#: Names of a kind of body, not of one body, when they stand alone (各地应急管理局, 安委办).
GENERIC_BODIES = frozenset("应急管理局 应急局 应急管理厅 应急厅 应急管理部门 安委会 安委办 安委会办公室 党委 党组 政府 人民政府 "
                           "团委 工会 妇联 居委会 村委会 管委会 消防救援站 派出所 党委政府".split())


@lru_cache(maxsize=1)
def _tags() -> dict[str, str]:
    """jieba's part-of-speech tag of every dictionary word, plus the domain dictionary's."""
    from .pipeline import _jieba

    _jieba()
    import jieba.posseg as pseg

    tags = dict(pseg.dt.word_tag_tab) if pseg.dt.word_tag_tab else {}
    if not tags:
        pseg.dt.load_word_tag(pseg.dt.tokenizer.get_dict_file())
        tags = dict(pseg.dt.word_tag_tab)
    for line in data_lines("userdict.txt"):
        parts = line.split()
        if len(parts) >= 3:
            tags[parts[0]] = parts[2]
    return tags


def tokens_of(text: str) -> list[Token]:
    """jieba tokens of ``text`` with their offsets (the same segmentation as the spaCy pipeline)."""
    from .pipeline import tokens_with_offsets

    return tokens_with_offsets(text)


@lru_cache(maxsize=65536)
def _is_name_part(tok: str) -> bool:
    return bool(_CJK.match(tok)) and tok not in STOP_WORDS and len(tok) <= 8


@lru_cache(maxsize=4096)
def _org_head(tok: str) -> str | None:
    """The head suffix a token closes an organisation name with, if it can."""
    if tok in NOT_ORG_TOKENS or any(tok.endswith(w) for w in _NOT_ORG_SUFFIXES):
        return None
    for head in _ORG_HEADS:
        if tok.endswith(head):
            if len(head) == 1 and len(tok) > 1 and _tags().get(tok, "x")[0] not in "nxj":
                return None
            return head
    return None


# --------------------------------------------------------------------------------------------
# ORG


def _venue_head(name: str) -> str:
    """The place head a name ends with (市民中心, 广场), or ''."""
    return next((h for h in _PLACE_HEADS if name.endswith(h)), "")


@lru_cache(maxsize=65536)
def _is_anchor(tok: str, region: str | None) -> bool:
    """A token an organisation name may start with: a place, a level prefix or a national prefix."""
    if tok in LEVEL_PREFIXES or tok in NATIONAL_PREFIXES or tok in division_names(region) or _is_level_body(tok):
        return True
    if tok in data_pairs("org_names.txt"):
        return True
    tag = _tags().get(tok)
    if tag == "ns":
        return True
    return tag is None and len(tok) >= 2 and tok[0] in "市省区县" and _CJK.match(tok) is not None


def _walk_left(tokens: list[Token], i: int, limit: int = 8) -> int:
    """Index of the leftmost token of the name that ends at token ``i`` (quotes and （集团） inside)."""
    j = i
    while j > 0 and i - j < limit:
        prev = tokens[j - 1][0]
        if prev in ("）", ")") and j >= 3:
            k = j - 2
            while k > 0 and tokens[k][0] not in ("（", "(") and j - k <= 4:
                k -= 1
            if tokens[k][0] in ("（", "(") and k > 0 and _is_name_part(tokens[k - 1][0]):
                j = k - 1 if _is_name_part(tokens[k - 1][0]) else k
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
        if prev in ("和", "与") and j >= 3 and _is_name_part(tokens[j - 2][0]) and _org_head(tokens[j - 2][0]) is None and not (
                _is_anchor(tokens[j][0], None) or _is_level_body(tokens[j][0])) and any(
                _is_anchor(t, None) or _is_level_body(t) or t.endswith(STRONG_HEADS) for t, _ in tokens[max(0, j - 5):j - 1]):
            j -= 2  # 省 + 文化 + 和 + 旅游厅, 大学 + 安全科学 + 与 + 工程研究所: 和/与 inside a name
            continue
        if not _is_name_part(prev) or prev in _titles():
            break
        j -= 1
    return j


@lru_cache(maxsize=1)
def _org_name_pattern() -> regex.Pattern[str]:
    names = sorted(data_pairs("org_names.txt"), key=len, reverse=True)
    return regex.compile("|".join(map(regex.escape, names)))


@lru_cache(maxsize=4)
def _known_org_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of organisations known by name (org_names.txt); asked twice per text."""
    return tuple(m.span() for m in _org_name_pattern().finditer(text))


def _token_ranges(tokens: list[Token], spans) -> list[tuple[int, int]]:
    """Token index ranges of character spans that start and end on token boundaries."""
    spans = list(spans)
    if not spans:
        return []
    starts = [s for _, s in tokens]
    out = []
    for a, b in spans:
        i = bisect.bisect_left(starts, a)
        j = bisect.bisect_left(starts, b)
        if i < len(starts) and starts[i] == a and (j == len(starts) or starts[j] == b) and j > i and (
                tokens[j - 1][1] + len(tokens[j - 1][0]) == b):
            out.append((i, j))
    return out


@lru_cache(maxsize=65536)
def _is_level_body(tok: str) -> bool:
    """市委, 省政府, 省公安厅: a level prefix and a body in one token."""
    if len(tok) < 2 or tok[0] not in "市省区县":
        return False
    return tok[1:] in ("委", "政府", "人大", "政协", "纪委") or (
        len(tok) >= 3 and tok.startswith(("市场", "区域", "县域")) is False and _org_head(tok) is not None)


def _org_spans(tokens: list[Token], region: str | None, text: str = "") -> list[tuple[int, int]]:
    """Token index ranges ``[s, e)`` of organisation names."""
    names = data_pairs("org_names.txt")
    tags = _tags()
    found: list[tuple[int, int]] = _token_ranges(tokens, _known_org_spans(text))
    for i, (tok, _) in enumerate(tokens):
        if tok in names or _is_level_body(tok):
            found.append((i, i + 1))
            continue
        head = _org_head(tok)
        if head is not None and i + 1 < len(tokens) and tokens[i + 1][0] in ("区", "园区", "基地", "行业", "企业", "产业"):
            continue  # 大亚湾石化区, 化工企业: a kind of place or firm, not a name
        h = i
        if head is None and i > 0 and tokens[i - 1][0] + tok in _ORG_HEADS and len(tok) == 1:
            head, h = tokens[i - 1][0] + tok, i - 1  # 中心 + 组
        if head is None:
            continue
        j = _walk_left(tokens, h)
        strong = tok.endswith(STRONG_HEADS)
        anchors = [k for k in range(j, i + 1) if _is_anchor(tokens[k][0], region)]
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
        parts = [t for t, _ in tokens[start:i + 1]]
        if "".join(parts).count("）") + "".join(parts).count(")") > "".join(parts).count("（") + "".join(parts).count("("):
            continue
        body = [t for t in parts[:-1] if t not in LEVEL_PREFIXES and t not in division_names(region)]
        if parts[-1] in _ORG_HEADS and len(parts) == 1:
            continue  # a bare head (局, 委) is not a name
        if body and all(t in GENERIC_PARTS for t in body):
            continue
        if start > 0 and tokens[start - 1][0] in ("各", "各级", "各区", "各地", "有关", "相关", "基层", "其他", "全市", "设区",
                                                  "地级", "）", ")"):
            continue
        if parts[0] in ("）", ")") or "".join(parts) in GENERIC_BODIES or _EVERY_LEVEL.search("".join(parts)):
            continue
        if len(_venue_head("".join(parts))) >= 3:
            continue
        if start > 0 and tokens[start - 1][0] == "团" and parts[0] in ("市委", "省委", "区委"):
            start -= 1
        found.append((start, i + 1))
    # Longest first, no overlaps; then join names that touch (市委 + 宣传部, 应急管理部 + 新闻宣传司).
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
        if merged and merged[-1][1] == s and not tokens[s][0].isspace() and (left in names or not (
                tokens[s][0] in LEVEL_PREFIXES or _is_level_body(tokens[s][0]) or tokens[s][0] in division_names(region))):
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
    is_sep = [t == "、" for t, _ in tokens]
    covered = {k for s, e in spans for k in range(s, e)}
    out = list(spans)
    i = 0
    n = len(tokens)
    while i < n:
        if not is_sep[i]:
            i += 1
            continue
        # collect a run of items separated by 、 around position i
        items: list[tuple[int, int]] = []
        j = i
        start = _walk_left(tokens, j - 1) if j > 0 else j
        items.append((start, j))
        while j < n and is_sep[j]:
            k = j + 1
            while k < n and _is_name_part(tokens[k][0]) and k - j <= 8:
                k += 1
            items.append((j + 1, k))
            j = k
        i = j + 1
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
            if _tags().get(words[0], "n")[:1] == "v" or _tags().get(item) in ("nr", "nrfg"):
                continue
            if _title_pattern().search(item) or "等" in item or item in division_names(region) or item.endswith(
                    _PLACE_HEADS) or item.endswith(_COLLECTIVES) or item.endswith(("人员", "群众", "机构")):
                continue
            if 2 <= chars <= 10 and not any(w in GENERIC_PARTS or w in division_names(region) and len(words) == 1
                                            for w in words):
                out.append((a, b))
                covered.update(range(a, b))
    return sorted(out)


def canonical_org(name: str, ctx: EntityContext) -> str:
    """The full name of a body written in short: 市应急局 -> 上海市应急管理局 in a Shanghai report."""
    known = data_pairs("org_names.txt")
    if name in known:
        return known[name]
    abbreviations = data_pairs("org_abbreviations.tsv")
    prefix, rest = "", name
    if name.startswith("团") and name[1:] in ("市委", "省委", "区委"):
        place = _place_for(name[1], ctx)
        return f"共青团{place}委员会" if place else name
    for level in ("市", "省", "区", "县"):
        if name.startswith(level) and not name.startswith(("市场", "省级", "区域", "县域")):
            place = _place_for(level, ctx)
            if place:
                prefix, rest = place, name[1:]
            break
    if rest in ("委", "政府"):
        return f"中共{prefix}委员会" if rest == "委" and prefix else (f"{prefix}人民政府" if prefix else name)
    for short in sorted(abbreviations, key=len, reverse=True):
        if rest.endswith(short) and (rest == short or not rest.endswith(abbreviations[short])):
            rest = rest[: -len(short)] + abbreviations[short]
            break
    return prefix + rest


def _unresolved_level(name: str, ctx: EntityContext) -> bool:
    """市安委会 in a provincial report means every city's: a kind of body, not one."""
    return (name[:1] in ("市", "县", "区") and not name.startswith(("市场", "区域", "县域"))
            and _place_for(name[0], ctx) is None)


def _place_for(level: str, ctx: EntityContext) -> str | None:
    """Which division a bare level prefix (市/省) means in this report."""
    if level == "省" and ctx.region and ctx.region.endswith("省"):
        return ctx.region
    if level == "市":
        if ctx.city:
            return ctx.city
        if ctx.region and ctx.region.endswith("市"):
            return ctx.region
    return None


# --------------------------------------------------------------------------------------------
# PERSON


@lru_cache(maxsize=1)
def _surnames() -> tuple[frozenset[str], frozenset[str]]:
    names = data_lines("surnames.txt")
    return frozenset(n for n in names if len(n) == 1), frozenset(n for n in names if len(n) == 2)


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    return frozenset(data_lines("person_titles.txt"))


@lru_cache(maxsize=1)
def _title_pattern() -> regex.Pattern[str]:
    titles = sorted(data_lines("person_titles.txt"), key=len, reverse=True)
    return regex.compile("|".join(map(regex.escape, titles)))


_NAME_END = set("出在等的和与、，。及同为作讲主带率参到指对表致介进宣是就也都将从向于了说称")


_FUNCTION_CHARS = frozenset("和与及向于对从在为同将把被由等是也都就还又并但而或")


def _frequency(word: str) -> int:
    """How common a word is in jieba's dictionary (common nouns are not given names)."""
    from .pipeline import _jieba

    return _jieba().dt.FREQ.get(word, 0)


def _name_at(text: str, pos: int, tokens_at: dict[int, str], after_title: bool = False) -> int | None:
    """End offset of a person's name starting at ``pos`` (surname first, 2-4 characters), or None.

    The name must not be a dictionary word, and what follows the surname must not be one either
    (负责人谈安全 is not a person): jieba splits unknown names into single characters.
    """
    single, double = _surnames()
    tags = _tags()
    whole = tokens_at.get(pos, "")
    if 2 <= len(whole) <= 4 and tags.get(whole, "") in ("nr", "nrfg") and _CJK.match(whole):
        return pos + len(whole)
    if whole in _FUNCTION_CHARS:
        return None
    if text[pos:pos + 2] in double:
        lengths, given_at = (4, 3), pos + 2
    elif text[pos:pos + 1] in single:
        lengths, given_at = (3, 2), pos + 1
    else:
        return None
    if len(whole) in lengths and tags.get(whole, "nr").startswith("nr"):
        return pos + len(whole)
    if len(whole) >= 2 and not tags.get(whole, "nr").startswith("nr"):
        return None
    if pos not in tokens_at and not after_title:
        return None
    given = tokens_at.get(given_at, "")
    if len(given) >= 2 and _frequency(given) > 5000:
        return None  # 负责人谈安全: a common word after a surname character is not a given name
    for n in lengths:
        name = text[pos:pos + n]
        if len(name) != n or not _CJK.match(name) or any(ch in _NAME_END for ch in name[1:]):
            continue
        after = text[pos + n:pos + n + 1]
        if (pos + n in tokens_at or n == lengths[-1] or after in _NAME_END or after in _FUNCTION_CHARS
                or text[pos + n:pos + n + 2] in tags or not _CJK.match(after or "。")):
            return pos + n  # 许建中通报: a word (通报) starts right after the name
    return None


def find_persons(text: str, tokens: list[Token]) -> list[Entity]:
    """Persons next to a title: 局长马坚泓, 习近平总书记, 联系人：杨靖. Roles are gathered per name."""
    tokens_at = {s: t for t, s in tokens}
    tags = _tags()
    spans: list[tuple[int, int, str]] = []
    for m in _title_pattern().finditer(text):
        title, after = m.group(), m.end()
        if text[after:after + 1] in "：:":
            after += 1
            while text[after:after + 1] in " \u3000":
                after += 1
        end = _name_at(text, after, tokens_at, after_title=True)
        if end is not None and text[end:end + 1] not in ("局", "厅", "委", "部", "办", "司", "处"):
            spans.append((after, end, title))
            clause = max(text.rfind(c, 0, m.start()) for c in "，。；\n") + 1
            for earlier in _title_pattern().finditer(text, clause, m.start()):  # 党委书记、局长马坚泓
                spans.append((after, end, earlier.group()))
            continue
        for n in (3, 2, 4):  # the name before the title: 习近平总书记
            s = m.start() - n
            if s < 0 or _name_at(text, s, tokens_at) != m.start():
                continue
            if tags.get(tokens_at.get(s, ""), "") in ("nr", "nrfg") or s == 0 or text[s - 1] in "，、。（(：:“ \n":
                spans.append((s, m.start(), title))
                break
    roles: dict[str, list[str]] = {}
    for s, e, title in spans:
        roles.setdefault(text[s:e], [])
        if title not in roles[text[s:e]]:
            roles[text[s:e]].append(title)
    # every mention of a name seen with a title is the same person
    out: dict[tuple[int, int], Entity] = {}
    for name, rs in roles.items():
        for m in regex.finditer(regex.escape(name), text):
            out[m.span()] = Entity("PERSON", name, m.start(), m.end(), canonical=name, roles=tuple(rs))
    return sorted(out.values(), key=lambda e: e.start)


# --------------------------------------------------------------------------------------------
# GPE / LOC

#: Development zones listed among the divisions; they are places (LOC), not administrative divisions.
_ZONES = ("园区", "开发区", "高新区", "示范区", "试验区", "新片区", "保税区")
_NOT_WATERS = frozenset("护城河 运河 小河 大河 内河 江河湖".split())
COUNTRIES = {"中国": "中华人民共和国", "中华人民共和国": "中华人民共和国"}
_PLACE_HEADS = tuple(sorted(data_set("place_heads.txt"), key=len, reverse=True))
_ABBREVIATION_CONTEXT = regex.compile(r"(?<=[来在赴驻离返留抵])([京津沪渝冀晋辽黑苏浙皖闽赣鲁豫鄂湘粤琼川蜀黔滇陕甘陇桂藏])"
                                      r"(?![\p{Han}]*[〔\[［]\d)")


def _joined(tokens: list[Token], i: int, n: int) -> str:
    return "".join(t for t, _ in tokens[i:i + n])


def _division_at(tokens: list[Token], i: int, names: dict) -> tuple[int, object] | None:
    """The division named by the tokens at ``i`` (崇明 + 区 counts as one name): (token count, division)."""
    if i >= len(tokens):
        return None
    if i + 1 < len(tokens) and tokens[i + 1][0] in LEVEL_PREFIXES | {"新区", "自治区", "自治州", "自治县"}:
        two = _joined(tokens, i, 2)
        if two in names:
            return 2, names[two]
    return (1, names[tokens[i][0]]) if tokens[i][0] in names else None


@lru_cache(maxsize=1)
def _region_pattern() -> regex.Pattern[str]:
    return regex.compile("|".join(map(regex.escape, sorted(data_set("regions_extra.txt"), key=len, reverse=True))))


def _nested(outer, inner) -> bool:
    """Is ``inner`` a division inside ``outer`` (北仑区 in 宁波市)?"""
    if outer is None or inner is None or outer.level == "county" or inner.level == "province":
        return False
    depth = 2 if outer.level == "province" else 4
    return inner.adcode[:depth] == outer.adcode[:depth] and inner.adcode != outer.adcode


def find_places(text: str, tokens: list[Token], ctx: EntityContext) -> list[Entity]:
    """GPE: division names as tokens; LOC: venues closed by a place head and named regions."""
    names = division_names(ctx.region)
    tags = _tags()
    out: list[Entity] = []
    skip_to = -1
    region_at = {a: b for a, b in _token_ranges(tokens, (m.span() for m in _region_pattern().finditer(text)))}
    place_last = _last_chars(_PLACE_HEADS)
    n_tokens = len(tokens)
    for i, (tok, s) in enumerate(tokens):
        if i < skip_to:
            continue
        if not (tok in names or tok[-1:] in place_last or i in region_at or tok in COUNTRIES or (
                tok[:1] in PROVINCE_ABBREVIATIONS) or (i + 1 < n_tokens and tokens[i + 1][0] in LEVEL_PREFIXES)
                or (i + 1 < n_tokens and tokens[i + 1][0] in ("新区", "自治区", "自治州", "自治县"))):
            continue
        if i in region_at:  # 粤港澳大湾区, 长三角: named regions
            end = tokens[region_at[i] - 1][1] + len(tokens[region_at[i] - 1][0])
            out.append(Entity("LOC", text[s:end], s, end, canonical=text[s:end]))
            skip_to = region_at[i]
            continue
        first = _division_at(tokens, i, names)
        if first is not None:
            n, division = first
            inner = _division_at(tokens, i + n, names)
            if inner is not None and inner[1].name == _joined(tokens, i + n, inner[0]) and _nested(division, inner[1]):
                n, division = n + inner[0], inner[1]  # 宁波市北仑区: one place, the district of the city
            surface = _joined(tokens, i, n)
            label = "LOC" if division.name.endswith(_ZONES) else "GPE"  # 苏州工业园区: a zone, not a division
            out.append(Entity(label, surface, s, s + len(surface), canonical=division.name))
            skip_to = i + n
        elif 2 <= len(tok) <= 4 and all(ch in PROVINCE_ABBREVIATIONS for ch in tok) and tags.get(tok, "ns")[:1] in "nj":
            for k, ch in enumerate(tok):  # 川渝, 京津冀
                out.append(Entity("GPE", ch, s + k, s + k + 1, canonical=PROVINCE_ABBREVIATIONS[ch]))
        elif tok in names:
            out.append(Entity("GPE", tok, s, s + len(tok), canonical=names[tok].name))
        elif tok in COUNTRIES:
            out.append(Entity("GPE", tok, s, s + len(tok), canonical=COUNTRIES[tok]))
        elif (h := _head_start(tokens, i, _PLACE_HEADS)) is not None and (i > 0 or h < i):
            if h == i and len(tok) > 4:
                continue
            j = h
            while j > 0 and h - j < 4 and _is_name_part(tokens[j - 1][0]) and tokens[j - 1][0] not in GENERIC_PARTS:
                j -= 1
            k = next((k for k in range(j, i + 1) if tokens[k][0] in names or tags.get(tokens[k][0]) == "ns"), None)
            if k is None or k > h or (k == h and len(tok) <= 1):
                if (k is None or k == i) and tok.endswith(("江", "河", "湖")) and (
                        (len(tok) == 2 and tags.get(tok) == "ns") or (len(tok) == 3 and tok not in _NOT_WATERS)):
                    out.append(Entity("LOC", tok, s, s + len(tok), canonical=tok))  # 岷江, 玄武湖: waters
                elif k is None and h == i and any(tok[:n] in names and len(tok) > n + len(_venue_head(tok)) - 1
                                                  for n in (2, 3)):
                    out.append(Entity("LOC", tok, s, s + len(tok), canonical=tok))  # 广州塔: one jieba word
                continue
            head_len = len(_venue_head(_joined(tokens, h, i + 1 - h)))
            if tokens[k][0] in names and names[tokens[k][0]].name == tokens[k][0] and (
                    k < h - 1 or (k == h - 1 and len(text[tokens[k + 1][1]:s + len(tok)]) > head_len)):
                k += 1  # 杭州市西湖文化广场: the city is a place of its own, the venue starts after it
            start = tokens[k][1]
            out.append(Entity("LOC", text[start:s + len(tok)], start, s + len(tok)))
    for m in _ABBREVIATION_CONTEXT.finditer(text):
        out.append(Entity("GPE", m.group(1), m.start(1), m.end(1), canonical=PROVINCE_ABBREVIATIONS[m.group(1)]))
    return out


# --------------------------------------------------------------------------------------------
# DATE

_PART_OF_DAY = regex.compile(r"[ \t]*(?:上午|下午|晚上|中午|早上|傍晚|凌晨|晚)")
_RANGE_TO = regex.compile(r"[ \t]*(?:至|到|—|－|-|~|～)[ \t]*")
_DAY_ONLY = regex.compile(r"(\d{1,2})[ \t]*[日号]")
_SINCE = regex.compile(r"[ \t]*以来")
_TEN_DAYS = regex.compile(r"[ \t]*(上旬|中旬|下旬)")
_BARE_YEAR = regex.compile(r"(?<![\d.])((?:19|20)\d\d)(?=行动|专项|计划|版|攻坚)")
_YEAR_RANGE = regex.compile(r"(?<!\d)(\d{4})[ \t]*(?:—|－|-|~|～|至|到)[ \t]*(\d{4})[ \t]*年(?!\d)")
_VAGUE = frozenset({"今年", "去年"})


def find_date_entities(text: str, ctx: EntityContext) -> list[Entity]:
    """Dates with ISO values; ranges as ``start/end`` and open intervals as ``start/..``."""
    mentions = [m for m in find_dates(text, ref_year=ctx.year) if m.surface.strip() not in _VAGUE]
    out: list[Entity] = []
    for m in _BARE_YEAR.finditer(text):  # 整治2023行动: a year naming a campaign
        out.append(Entity("DATE", m.group(), m.start(), m.end(), value=m.group(1)))
    for m in _YEAR_RANGE.finditer(text):  # 2024—2026年
        out.append(Entity("DATE", m.group(), m.start(), m.end(), value=f"{m.group(1)}/{m.group(2)}"))
        mentions = [d for d in mentions if d.span[1] <= m.start() or d.span[0] >= m.end()]
    i = 0
    while i < len(mentions):
        m = mentions[i]
        start, end, value = m.span[0], m.span[1], m.iso
        if text[end:end + 1] == "份" and m.granularity == "month":
            end += 1
        elif text[end:end + 1] == "度" and m.granularity == "year":
            end += 1
        elif m.granularity == "month" and (tens := _TEN_DAYS.match(text, end)):
            first = {"上旬": 1, "中旬": 11, "下旬": 21}[tens.group(1)]
            last = {"上旬": 10, "中旬": 20, "下旬": m.end.day}[tens.group(1)]
            value = f"{m.start.replace(day=first).isoformat()}/{m.start.replace(day=last).isoformat()}"
            end = tens.end()
        rest = text[end:]
        to = _RANGE_TO.match(rest)
        if to and m.granularity == "day":
            nxt = mentions[i + 1] if i + 1 < len(mentions) else None
            day_only = _DAY_ONLY.match(rest, to.end())
            if nxt is not None and nxt.span[0] == end + to.end() and nxt.granularity == "day":
                value, end = f"{value}/{nxt.iso}", nxt.span[1]
                i += 1
            elif day_only:
                try:
                    last = m.start.replace(day=int(day_only.group(1)))
                    value, end = f"{value}/{last.isoformat()}", end + day_only.end()
                except ValueError:
                    pass
        elif (since := _SINCE.match(rest)):
            value, end = f"{value}/..", end + since.end()
        if (part := _PART_OF_DAY.match(text, end)) and "/" not in value:
            end = part.end()
        out.append(Entity("DATE", text[start:end], start, end, value=value))
        i += 1
    return out


# --------------------------------------------------------------------------------------------
# EVENT

_EVENT_HEADS = tuple(sorted(data_set("event_heads.txt"), key=len, reverse=True))
GENERIC_EVENT_PARTS = frozenset("各类 各种 相关 系列 专题 主题 多场 多次 一系列 开展 线上 线下 有关 日常 常态化 全员 实战 "
                                "综合 专项 桌面 现场 应急".split())


EVENT_STOP = frozenset("""
举办 举行 开展 组织 召开 参加 参与 承办 主办 协办 观看 收看 在 于 由 与 和 及 等 的 了 是 为 对 向 以 通过 开幕 进行
先后 分别 还 也 并 积极 共 同时 期间 其中 包括 首次 成功 顺利 隆重 圆满 并且 又 该 此次 本次 今年 各 各类 各区 相关 有关
将 把 被 让 请 要 已 正 推出 联手 推动 争取 纳入 作为 成为 列入 助力 发布 策划 打造 开设 上线 录制 邀请 依托 围绕 通过 利用 借助
""".split())
_INTRODUCING_VERBS = ("推出", "举办", "开展", "组织", "举行", "召开", "发布", "承办", "主办")
_SCOPES = ("全省", "全市", "全区", "全县", "全国")
_ORDINAL = regex.compile(r"^(?:首|第[\d一二三四五六七八九十]*)届?$")
_YEAR_DIGITS = regex.compile(r"^\d{4}$")


@lru_cache(maxsize=1)
def _event_name_pattern() -> regex.Pattern[str]:
    names = sorted(data_set("event_names.txt"), key=len, reverse=True)
    return regex.compile("|".join(map(regex.escape, names)))


def _event_walk_left(tokens: list[Token], i: int, limit: int = 18) -> int:
    """Leftmost token of an event name ending at token ``i``: over words, quotes, 《titles》 and a year."""
    j = i
    while j > 0 and i - j < limit:
        prev = tokens[j - 1][0]
        if prev == "》":
            k = j - 2
            while k >= 0 and tokens[k][0] != "《" and j - k <= 40:
                k -= 1
            if k < 0 or tokens[k][0] != "《":
                break
            j = k
            continue
        if prev == "”":
            k = j - 2
            while k >= 0 and tokens[k][0] != "“" and j - k <= 24:
                k -= 1
            if k < 0 or tokens[k][0] != "“":
                break
            j = k
            continue
        if prev == "年":
            k = j - 2
            while k >= 0 and tokens[k][0].isspace():
                k -= 1
            if k >= 0 and _YEAR_DIGITS.match(tokens[k][0]):
                j = k
            break
        if prev in ("“", "”", "-", "－", "—", "·") or (_CJK.match(prev) and prev not in EVENT_STOP and len(prev) <= 10
                                                         and not prev.endswith(_INTRODUCING_VERBS)):
            j -= 1
            continue
        if prev in ("和", "与") and any(_event_anchor(t) or t in _SCOPES for t, _ in tokens[max(0, j - 8):j - 1]):
            j -= 1  # 化工和危险化学品企业…培训班: 和 inside a name that has an anchor further left
            continue
        break
    return j


def _event_anchor(tok: str) -> bool:
    return (tok in ("“", "《", "全国", "国家", "中国") or _YEAR_DIGITS.match(tok) is not None
            or _ORDINAL.match(tok) is not None or tok in division_names() or tok in data_set("regions_extra.txt"))


@lru_cache(maxsize=8)
def _last_chars(heads: tuple[str, ...]) -> frozenset[str]:
    return frozenset(h[-1] for h in heads)


def _head_start(tokens: list[Token], i: int, heads: tuple[str, ...]) -> int | None:
    """Index of the first token of a head word that ends with token ``i`` (启动 + 仪式), or None."""
    if tokens[i][0][-1:] not in _last_chars(heads):
        return None
    tail, found = "", None
    for k in range(i, max(-1, i - 3), -1):
        tail = tokens[k][0] + tail
        if tail in heads:
            found = k
        if len(tail) >= 6:
            break
    if found is not None:
        return found
    tok = tokens[i][0]
    return i if tok.endswith(heads) and len(tok) > 1 else None


def _event_spans(tokens: list[Token], text: str) -> list[tuple[int, int]]:
    """Token ranges of named events: a head (…启动仪式 推进会 大赛 演练) after a name with an anchor —
    a year, a place, 全国, a “quoted” or 《titled》 name — or a fixed name (安全宣传咨询日)."""
    spans = _token_ranges(tokens, (m.span() for m in _event_name_pattern().finditer(text)))
    last = _last_chars(_EVENT_HEADS)
    for i, (tok, _) in enumerate(tokens):
        if tok[-1:] not in last:
            continue
        h = _head_start(tokens, i, _EVENT_HEADS)
        if h is None:
            continue
        j = _event_walk_left(tokens, h)
        anchor = next((k for k in range(j, h) if _event_anchor(tokens[k][0])), None)
        if anchor is None:
            continue
        scope = next((k for k in range(j, anchor) if tokens[k][0] in _SCOPES), None)
        if scope is not None:
            anchor = scope  # 全省…暨“安全生产月”…部署会: the scope belongs to a name that has an anchor
        words = [t for t, _ in tokens[anchor:i + 1]]
        if words.count("“") > words.count("”"):  # the head is inside quotes: the quoted name only
            anchor = max(k for k in range(anchor, i) if tokens[k][0] == "“") + 1
        if anchor >= h and "".join(t for t, _ in tokens[h:i + 1]) in _EVENT_HEADS:
            continue
        spans.append((anchor, i + 1))
    return spans


def find_events(text: str, entities: list[Entity]) -> list[Event]:
    """Each EVENT with the date, venue (LOC/GPE after 在) and organisers (ORGs) of its sentence."""
    events = []
    for ev in (e for e in entities if e.label == "EVENT"):
        s = max(text.rfind(c, 0, ev.start) for c in "。；\n!！？") + 1
        ends = [p for c in "。；\n" if (p := text.find(c, ev.end)) != -1]
        e = min(ends) if ends else len(text)
        inside = [x for x in entities if s <= x.start and x.end <= e and x is not ev]
        dates = [x for x in inside if x.label == "DATE" and not (ev.start <= x.start < ev.end) and "/" not in (x.value or "")
                 and len(x.value or "") >= 7]  # a month or a day; a bare year says little about one event
        dates.sort(key=lambda x: abs(x.start - ev.start))
        places = [x for x in inside if x.label in ("LOC", "GPE") and text[max(s, x.start - 3):x.start].find("在") != -1]
        orgs = [x.canonical or x.text for x in inside if x.label == "ORG" and x.end <= ev.start]
        events.append(Event(ev.text, ev.start, ev.end, date=dates[0].value if dates else None,
                            venue=places[0].text if places else None,
                            organisers=tuple(dict.fromkeys(orgs))))
    return events


# --------------------------------------------------------------------------------------------
# all together

_DOC_NUMBER = regex.compile(r"[\p{Han}]{1,12}[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号")


def _prepared(text: str, tokens: list[Token]) -> list[Token]:
    """Tokens ready for the rules: whitespace between tokens as tokens of its own, and words jieba
    did not know split where they swallowed a neighbour:

    * at the edge of a known name, next to a function character (中国应急管理报等 -> …报 + 等);
    * a function character before a level prefix (由省 -> 由 + 省) or after a name (冯嘉欣为);
    * a body's last character glued to a title (局局长 -> 局 + 局长).
    """
    tags = _tags()
    titles = _titles()
    cuts = sorted({b for span in _known_org_spans(text) for b in span})
    out: list[Token] = []
    end = 0
    for tok, start in tokens:
        if start > end:
            out.append((text[end:start], end))  # spaCy keeps whitespace as token.whitespace_
        end = start + len(tok)
        if len(tok) >= 3 and tok[0] in "局厅部委办处司" and tok[1:] in titles:
            out += [(tok[0], start), (tok[1:], start + 1)]
            continue
        if tok in tags or len(tok) < 2 or not _CJK.match(tok):
            out.append((tok, start))
            continue
        lo, hi = bisect.bisect_right(cuts, start), bisect.bisect_left(cuts, end)
        inner = [c - start for c in cuts[lo:hi] if tok[c - start] in _FUNCTION_CHARS or tok[c - start - 1] in _FUNCTION_CHARS]
        if inner:
            out += [(tok[x:y], start + x) for x, y in zip([0] + inner, inner + [len(tok)])]
        elif tok[0] in _FUNCTION_CHARS and tok[1] in "省市区县":
            out += [(tok[0], start), (tok[1:], start + 1)]
        elif (len(tok) >= 3 and tok[-1] in _FUNCTION_CHARS) or (len(tok) == 2 and tok[-1] in "等和及与"):
            out += [(tok[:-1], start), (tok[-1], end - 1)]
        else:
            out.append((tok, start))
    return out


def _token_span(tokens: list[Token], s: int, e: int) -> tuple[int, int]:
    return tokens[s][1], tokens[e - 1][1] + len(tokens[e - 1][0])


def find_entities(text: str, ctx: EntityContext | None = None, tokens: list[Token] | None = None,
                  labels: tuple[str, ...] = LABELS) -> list[Entity]:
    """Every entity in ``text`` (sorted by position), resolved with the report's context."""
    ctx = ctx or EntityContext()
    tokens = _prepared(text, tokens if tokens is not None else tokens_of(text))
    blocked = [m.span() for m in _DOC_NUMBER.finditer(text)]

    def free(s: int, e: int) -> bool:
        return all(e <= bs or s >= be for bs, be in blocked)

    out: list[Entity] = []
    orgs: list[Entity] = []
    if "ORG" in labels:
        for s, e in _org_spans(tokens, ctx.region, text):
            a, b = _token_span(tokens, s, e)
            name = text[a:b]
            if free(a, b) and not _unresolved_level(name, ctx):
                orgs.append(Entity("ORG", name, a, b, canonical=canonical_org(name, ctx)))
    events: list[Entity] = []
    if "EVENT" in labels:
        for s, e in _event_spans(tokens, text):
            a, b = _token_span(tokens, s, e)
            if free(a, b):
                events.append(Entity("EVENT", text[a:b], a, b))
    out += orgs + events
    if "PERSON" in labels:
        people = [p for p in find_persons(text, tokens) if free(p.start, p.end)]
        person_spans = {(p.start, p.end) for p in people}
        orgs = [o for o in orgs if (o.start, o.end) not in person_spans]  # 林海涛 in a list of experts
        out = [o for o in out if o.label != "ORG" or (o.start, o.end) not in person_spans]
        out += [p for p in people if not any(o.start <= p.start and p.end <= o.end for o in orgs)]
    places = find_places(text, tokens, ctx) if {"GPE", "LOC", "ORG"} & set(labels) else []
    place_spans = {(p.start, p.end) for p in places}
    out = [o for o in out if o.label != "ORG" or (o.start, o.end) not in place_spans]
    orgs = [o for o in orgs if (o.start, o.end) not in place_spans]
    if "GPE" in labels or "LOC" in labels:
        named = bytearray(len(text))  # places are not annotated inside names of other things
        for n in orgs + events:
            named[n.start:n.end] = b"\x01" * (n.end - n.start)
        in_loc = bytearray(len(text))
        for n in places:
            if n.label == "LOC":
                in_loc[n.start:n.end] = b"\x01" * (n.end - n.start)
        for p in places:
            inside = named.find(0, p.start, p.end) == -1 or (p.label == "GPE" and in_loc.find(0, p.start, p.end) == -1)
            if p.label in labels and free(p.start, p.end) and not inside:
                out.append(p)
    if "DATE" in labels:
        out += [d for d in find_date_entities(text, ctx) if free(d.start, d.end)]
    return sorted(_dedupe(out, len(text)), key=lambda x: (x.start, -x.end, x.label))


def _dedupe(entities: list[Entity], size: int) -> list[Entity]:
    """Same-label overlaps keep the longest mention (one occupancy map of characters per label)."""
    kept: list[Entity] = []
    occupied: dict[str, bytearray] = {}
    for ent in sorted(entities, key=lambda x: (x.start - x.end, x.start)):
        occ = occupied.setdefault(ent.label, bytearray(size))
        if occ.find(1, ent.start, ent.end) == -1:
            occ[ent.start:ent.end] = b"\x01" * (ent.end - ent.start)
            kept.append(ent)
    return kept


@dataclass
class EntityTables:
    """Entities and events of one report as lists; :mod:`reportmine.report` turns them into frames."""

    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


_FULL_DATE = regex.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def infer_context(text: str) -> EntityContext:
    """Region and date read from the text itself, for a ``Doc`` made without a parsed report."""
    from .structure import region_of

    region = next((r for line in text.splitlines()[:12] if line.strip() and (r := region_of(line.strip()))), None)
    date = None
    for m in _FULL_DATE.finditer(text[:4000]):
        try:
            date = datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            break
        except ValueError:
            continue
    return EntityContext(region=region, date=date)


def context_for(region: str | None, issuers: list[str], date: str | None, year: int | None) -> EntityContext:
    """The context of a parsed report: its region, the city when a city body issued it, its date."""
    city = None
    for issuer in issuers:
        for name, division in division_names(region).items():
            if division.level == "city" and issuer.startswith(division.name):
                city = division.name
                break
    when = None
    if date:
        try:
            when = datetime.date.fromisoformat(date)
        except ValueError:
            when = None
    if when is None and year:
        when = datetime.date(year, 12, 31)
    return EntityContext(region=region, city=city, date=when)
