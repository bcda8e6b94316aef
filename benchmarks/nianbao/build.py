"""Write the synthetic 年报 evaluation documents of this folder and their gold files.

Run by hand (``python benchmarks/nianbao/build.py``); its output is committed, so tests read fixed files. Every
document is invented (issuers are real divisions, all figures fictional). Each starts from a table that adds
up; the prose restates it; then the errors listed in ``PLANTED`` are planted — a table cell changed, a prose
figure changed, a qualitative claim the table refutes — and recorded in the gold with the cells or the prose
surface where an alarm about them is legitimate. Layouts: tab text with ``/``-joined row labels (as the HTML
pages of government sites are saved), ``[表格]`` blocks, Markdown pipes damaged as PDF-to-Markdown damages them
(generic 数据1… headers, split tables, a shifted header row, a garbled label), a Word file with real Word tables
(merged header cells), and an HTML page with ``rowspan``/``colspan`` tables.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parents[2] / "tests" / "nianbao"    # where the documents are written
COLS = ["natural", "legal.business", "legal.research", "legal.public_welfare", "legal.legal_services",
        "legal.other", "total"]
COL_LABELS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]

LEAVES_2021 = [
    ("result.public", ["三、本年度办理结果", "（一）予以公开"]),
    ("result.partial", ["三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]),
    ("result.withheld.state_secret", ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"]),
    ("result.withheld.prohibited", ["三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开"]),
    ("result.withheld.security", ["三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”"]),
    ("result.withheld.third_party", ["三、本年度办理结果", "（三）不予公开", "4.保护第三方合法权益"]),
    ("result.withheld.internal", ["三、本年度办理结果", "（三）不予公开", "5.属于三类内部事务信息"]),
    ("result.withheld.process", ["三、本年度办理结果", "（三）不予公开", "6.属于四类过程性信息"]),
    ("result.withheld.enforcement", ["三、本年度办理结果", "（三）不予公开", "7.属于行政执法案卷"]),
    ("result.withheld.inquiry", ["三、本年度办理结果", "（三）不予公开", "8.属于行政查询事项"]),
    ("result.unavailable.not_held", ["三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关政府信息"]),
    ("result.unavailable.needs_creation", ["三、本年度办理结果", "（四）无法提供", "2.没有现成信息需要另行制作"]),
    ("result.unavailable.unclear", ["三、本年度办理结果", "（四）无法提供", "3.补正后申请内容仍不明确"]),
    ("result.not_processed.complaint", ["三、本年度办理结果", "（五）不予处理", "1.信访举报投诉类申请"]),
    ("result.not_processed.repeated", ["三、本年度办理结果", "（五）不予处理", "2.重复申请"]),
    ("result.not_processed.publication", ["三、本年度办理结果", "（五）不予处理", "3.要求提供公开出版物"]),
    ("result.not_processed.mass", ["三、本年度办理结果", "（五）不予处理", "4.无正当理由大量反复申请"]),
    ("result.not_processed.confirmation", ["三、本年度办理结果", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"]),
    ("result.other.no_correction", ["三、本年度办理结果", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"]),
    ("result.other.unpaid_fee", ["三、本年度办理结果", "（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"]),
    ("result.other.other", ["三、本年度办理结果", "（六）其他处理", "3.其他"]),
]
LEAVES_2019 = LEAVES_2021[:18] + [("result.other", ["三、本年度办理结果", "（六）其他处理"])]
HEAD = [("new", ["一、本年新收政府信息公开申请数量"]), ("carried_over", ["二、上年结转政府信息公开申请数量"])]
TAIL = [("result.total", ["三、本年度办理结果", "（七）总计"]), ("carry_forward", ["四、结转下年度继续办理"])]
REVIEW_ROWS = [("review", "行政复议"), ("suit_direct", "未经复议直接起诉"), ("suit_after_review", "复议后起诉")]
REVIEW_COLS = [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"),
               ("total", "总计")]


def build_requests(leaves: list, values: dict[str, list], carried: list, forward: list) -> dict[str, list]:
    """The application table (row key -> 7 values) from its leaf rows: totals, (七)总计 and 一 computed."""
    rows: dict[str, list] = {}

    def with_total(v: list) -> list:
        return v + [sum(x or 0 for x in v)]

    for key, _ in leaves:
        rows[key] = with_total(values.get(key, [0, None, None, None, None, None]))
    total = [sum(rows[k][j] or 0 for k, _ in leaves) if any(rows[k][j] is not None for k, _ in leaves) else None
             for j in range(7)]
    rows["carried_over"] = with_total(carried)
    rows["carry_forward"] = with_total(forward)
    rows["result.total"] = total
    rows["new"] = [None if t is None else t + (f or 0) - (c or 0)
                   for t, c, f in zip(total, rows["carried_over"], rows["carry_forward"])]
    return rows


def review(values: dict[str, list]) -> dict[str, list]:
    return {k: v + [sum(v)] for k, v in values.items()}


def fmt(v) -> str:
    return "" if v is None else str(v)


def ordered(leaves: list) -> list:
    return HEAD + leaves + TAIL


# -- layouts ------------------------------------------------------------------------------------------

def tab_table(leaves: list, rows: dict[str, list]) -> str:
    out = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况",
           "\t自然人\t法人或其他组织\t\t\t\t\t总计",
           "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t"]
    for key, path in ordered(leaves):
        out.append("/".join(path) + "\t" + "\t".join(fmt(v) for v in rows[key]))
    return "\n".join(out)


def review_tab(rv: dict[str, list]) -> str:
    head = ["行政复议\t\t\t\t\t行政诉讼",
            "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉",
            "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计"]
    body = "\t".join(str(v) for k, _ in REVIEW_ROWS for v in rv[k])
    return "\n".join(head + [body])


def md_row(cells: list) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def md_table(header: list, body: list[list]) -> str:
    return "\n".join([md_row(header), md_row(["---"] * len(header))] + [md_row(r) for r in body])


def damaged_markdown(leaves: list, rows: dict[str, list], garble: str | None = None) -> str:
    """The application table as a PDF-to-Markdown tool leaves it: one small table per block under headings,
    generic 数据1… headers, the last rows cut into a table whose header row belongs to another table."""
    generic = ["类别", "数据1", "数据2", "数据3", "数据4", "数据5", "数据6", "总计"]
    out = ["(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", ""]
    for key, path in HEAD:
        out += [f"### {path[0]}", md_table(generic, [[path[0][2:]] + [fmt(v) or "-" for v in rows[key]]]), ""]
    out += ["### 三、本年度办理结果", ""]
    groups: dict[str, list] = {}
    for key, path in leaves:
        groups.setdefault(path[1], []).append((key, path))
    names = list(groups)
    for g in names[:-1]:
        body = []
        for key, path in groups[g]:
            label = path[-1] if len(path) == 3 else path[1][3:]
            if garble and key == garble:
                label = "1. 属于国▉秘■"
            body.append([label.replace(".", ". ", 1)] + [fmt(v) or "-" for v in rows[key]])
        out += [f"### {g.replace('）', ') ').replace('（', '(')}", md_table(generic, body), ""]
    last = groups[names[-1]]
    out += [f"### {names[-1].replace('）', ') ').replace('（', '(')}",
            md_table(generic, [[last[0][1][-1].replace(".", ". ", 1)] + [fmt(v) or "-" for v in rows[last[0][0]]]]), ""]
    shifted = ["项目", "本年新收件数", "上年结转件数", "予以公开", "部分公开", "不予公开", "结转下年度", "总计"]
    tail = [[p[-1].replace(".", ". ", 1)] + [fmt(v) or "-" for v in rows[k]] for k, p in last[1:]]
    tail += [["（七）总计"] + [fmt(v) or "-" for v in rows["result.total"]],
             ["四、结转下年度继续办理"] + [fmt(v) or "-" for v in rows["carry_forward"]]]
    out += [md_table(shifted, tail), ""]
    return "\n".join(out)


def review_markdown(rv: dict[str, list]) -> str:
    out = []
    for k, name in REVIEW_ROWS:
        title = "行政复议" if k == "review" else f"行政诉讼（{name}）"
        out += [f"### {title}", md_table([c for _, c in REVIEW_COLS], [rv[k]]), ""]
    return "\n".join(out)


def html_tables(leaves: list, rows: dict[str, list], rv: dict[str, list]) -> str:
    h = ['<table border="1"><tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
         '<td colspan="7">申请人情况</td></tr>',
         '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>',
         '<tr>' + "".join(f"<td>{c}</td>" for c in COL_LABELS[1:6]) + '</tr>']
    seen: set = set()
    for key, path in ordered(leaves):
        cells = ""
        if len(path) == 1:
            cells = f'<td colspan="3">{path[0]}</td>'
        else:
            if path[0] not in seen:
                n = sum(1 for _, p in ordered(leaves) if p[0] == path[0])
                cells += f'<td rowspan="{n}">{path[0]}</td>'
                seen.add(path[0])
            if len(path) == 2:
                cells += f'<td colspan="2">{path[1]}</td>'
            else:
                if path[1] not in seen:
                    n = sum(1 for _, p in leaves if len(p) > 2 and p[1] == path[1])
                    cells += f'<td rowspan="{n}">{path[1]}</td>'
                    seen.add(path[1])
                cells += f"<td>{path[2]}</td>"
        h.append("<tr>" + cells + "".join(f"<td>{fmt(v)}</td>" for v in rows[key]) + "</tr>")
    h.append("</table>")
    r = ['<table border="1"><tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>',
         '<tr>' + "".join(f'<td rowspan="2">{c}</td>' for _, c in REVIEW_COLS) +
         '<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>',
         '<tr>' + "".join(f"<td>{c}</td>" for _, c in REVIEW_COLS) * 2 + '</tr>',
         '<tr>' + "".join(f"<td>{v}</td>" for k, _ in REVIEW_ROWS for v in rv[k]) + '</tr></table>']
    return "\n".join(h), "\n".join(r)


def docx_file(path: Path, title: str, paragraphs: list, leaves: list, rows: dict, rv: dict, signature: list) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph(title)
    for p in paragraphs:
        if p == "@requests":
            t = d.add_table(rows=3 + len(ordered(leaves)), cols=10)
            t.cell(0, 0).merge(t.cell(2, 2)).text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
            t.cell(0, 3).merge(t.cell(0, 9)).text = "申请人情况"
            t.cell(1, 3).merge(t.cell(2, 3)).text = "自然人"
            t.cell(1, 4).merge(t.cell(1, 8)).text = "法人或其他组织"
            t.cell(1, 9).merge(t.cell(2, 9)).text = "总计"
            for j, c in enumerate(COL_LABELS[1:6]):
                t.cell(2, 4 + j).text = c
            for i, (key, labels) in enumerate(ordered(leaves)):
                r = 3 + i
                if len(labels) == 1:
                    t.cell(r, 0).merge(t.cell(r, 2)).text = labels[0]
                elif len(labels) == 2:
                    t.cell(r, 0).text = labels[0]
                    t.cell(r, 1).merge(t.cell(r, 2)).text = labels[1]
                else:
                    t.cell(r, 0).text, t.cell(r, 1).text, t.cell(r, 2).text = labels
                for j, v in enumerate(rows[key]):
                    t.cell(r, 3 + j).text = fmt(v)
        elif p == "@review":
            t = d.add_table(rows=4, cols=15)
            t.cell(0, 0).merge(t.cell(0, 4)).text = "行政复议"
            t.cell(0, 5).merge(t.cell(0, 14)).text = "行政诉讼"
            for j, (_, c) in enumerate(REVIEW_COLS):
                t.cell(1, j).merge(t.cell(2, j)).text = c
                t.cell(2, 5 + j).text = c
                t.cell(2, 10 + j).text = c
            t.cell(1, 5).merge(t.cell(1, 9)).text = "未经复议直接起诉"
            t.cell(1, 10).merge(t.cell(1, 14)).text = "复议后起诉"
            for j, v in enumerate(v for k, _ in REVIEW_ROWS for v in rv[k]):
                t.cell(3, j).text = str(v)
        else:
            d.add_paragraph(p)
    for s in signature:
        d.add_paragraph(s)
    d.save(path)


# -- the documents ------------------------------------------------------------------------------------

def text_of(paragraphs: list, tables: dict) -> str:
    return "\n".join(tables.get(p, p) for p in paragraphs) + "\n"


def write(name: str, suffix: str, content, gold: dict) -> None:
    path = HERE / f"{name}{suffix}"
    if suffix == ".docx":
        content(path)
    else:
        path.write_text(content, encoding="utf-8")
    (HERE / f"{name}.gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def gold_cells(rows: dict, leaves: list, rv: dict) -> dict:
    out = {}
    for key, _ in ordered(leaves):
        for c, v in zip(COLS, rows[key]):
            out[f"requests/{key}/{c}"] = v
    for k, _ in REVIEW_ROWS:
        for (c, _), v in zip(REVIEW_COLS, rv[k]):
            out[f"review/{k}/{c}"] = v
    return out


def main() -> None:
    # 1. 清江浦区人民政府 2023: tab text (2021 format); the 2024 report of the same body follows (cross-year).
    leaves = LEAVES_2021
    vals = {"result.public": [120, 8, 0, 1, 2, 3], "result.partial": [15, 1, 0, 0, 0, 0],
            "result.withheld.third_party": [4, 0, 0, 0, 0, 0], "result.withheld.process": [3, 1, 0, 0, 0, 0],
            "result.withheld.inquiry": [2, 0, 0, 0, 0, 0], "result.unavailable.not_held": [30, 2, 0, 0, 1, 0],
            "result.unavailable.needs_creation": [5, 0, 0, 0, 0, 0], "result.not_processed.complaint": [6, 0, 0, 0, 0, 0],
            "result.not_processed.repeated": [3, 0, 0, 0, 0, 0], "result.other.no_correction": [4, 0, 0, 0, 0, 0],
            "result.other.other": [2, 0, 0, 0, 0, 0]}
    rows = build_requests(leaves, vals, [10, 1, 0, 0, 0, 0], [12, 0, 0, 0, 1, 0])
    rv = review({"review": [5, 1, 0, 2], "suit_direct": [2, 0, 1, 0], "suit_after_review": [1, 0, 0, 0]})
    true = {k: list(v) for k, v in rows.items()}
    t = lambda k: true[k][6]
    withheld = sum(true[k][6] for k, _ in leaves if k.startswith("result.withheld"))
    received_wrong = t("new") + 10
    paras = [
        "淮安市清江浦区人民政府2023年政府信息公开工作年度报告",
        "本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）要求编制。",
        "一、总体情况",
        f"2023年，我区共收到政府信息公开申请{received_wrong}件，上年结转{t('carried_over')}件。全年办结{t('result.total')}件，"
        f"其中予以公开{t('result.public')}件，占办结总数的{round(t('result.public') * 100 / t('result.total'), 1)}%；"
        f"不予公开{true['result.withheld.third_party'][6]}件；结转下年度继续办理{t('carry_forward')}件。",
        f"全年发生政府信息公开行政复议{rv['review'][4]}件，行政诉讼{rv['suit_direct'][4] + rv['suit_after_review'][4]}件。",
        "二、主动公开政府信息情况",
        "第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n行政规范性文件\t5\t2\t41",
        "第二十条第（五）项\n信息内容\t本年处理决定数量\n行政许可\t3521",
        "第二十条第（六）项\n信息内容\t本年处理决定数量\n行政处罚\t812\n行政强制\t17",
        "第二十条第（八）项\n信息内容\t本年收费金额（单位：万元）\n行政事业性收费\t126.5",
        "三、收到和处理政府信息公开申请情况",
        "@requests",
        "四、政府信息公开行政复议、行政诉讼情况",
        "@review",
        "五、存在的主要问题及改进情况",
        "政策解读形式还不够丰富。下一步将加强培训。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
        "淮安市清江浦区人民政府",
        "2024年1月20日",
    ]
    rows["result.withheld.process"][0] = 5          # planted: (三)6 自然人 3 -> 5: block no longer adds up
    text = text_of(paras, {"@requests": tab_table(leaves, rows), "@review": review_tab(rv)})
    write("qingjiangpu-2023-tab", ".txt", text, {
        "genre": "xxgk-annual", "template": "xxgk-annual-2021", "issuer": "淮安市清江浦区人民政府", "year": 2023,
        "level": "county", "cells": gold_cells(rows, leaves, rv),
        "planted": [
            {"kind": "statement", "id": "received", "surface": f"{received_wrong}件", "after": "收到政府信息公开申请",
             "why": f"新收 is {t('new')} (and 新收 + 结转 {t('new') + t('carried_over')})"},
            {"kind": "statement", "id": "withheld", "surface": f"{true['result.withheld.third_party'][6]}件",
             "after": "不予公开", "why": f"one row of the 不予公开 block; the block totals {withheld}"},
            {"kind": "rule", "cells": ["requests/result.withheld.process/natural"],
             "why": "a 自然人 cell of (三)6 changed from 3 to 5: (七)总计 and the row total no longer add up"},
        ]})

    # 2. the same body, 2024: PDF-to-Markdown damage; its 上年结转 is not last year's 结转下年度.
    vals2 = {"result.public": [140, 6, 0, 0, 1, 2], "result.partial": [11, 0, 0, 0, 0, 0],
             "result.withheld.state_secret": [1, 0, 0, 0, 0, 0], "result.withheld.internal": [6, 0, 0, 0, 0, 0],
             "result.unavailable.not_held": [25, 1, 0, 0, 0, 0], "result.unavailable.unclear": [3, 0, 0, 0, 0, 0],
             "result.not_processed.complaint": [9, 0, 0, 0, 0, 0], "result.not_processed.mass": [2, 0, 0, 0, 0, 0],
             "result.other.unpaid_fee": [1, 0, 0, 0, 0, 0], "result.other.other": [7, 0, 0, 0, 0, 0]}
    rows2 = build_requests(leaves, vals2, [14, 0, 0, 0, 1, 0], [9, 1, 0, 0, 0, 0])   # 结转 should be 12, 0,…,1
    rv2 = review({"review": [4, 0, 1, 1], "suit_direct": [1, 0, 0, 1], "suit_after_review": [0, 0, 0, 0]})
    t2 = lambda k: rows2[k][6]
    rows2["result.total"][6] += 1                   # planted: (七)总计 总计 one too many
    paras2 = [
        "# 淮安市清江浦区人民政府2024年政府信息公开工作年度报告",
        "依据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号)编制本报告。",
        "## 一、总体情况",
        f"2024年，全区共受理政府信息公开申请{t2('new') + t2('carried_over')}件，其中本年新收{t2('new')}件、上年结转{t2('carried_over')}件；"
        f"共办结{t2('result.total')}件，结转下一年{t2('carry_forward')}件。行政复议和行政诉讼结果均为维持。",
        "## 二、主动公开政府信息情况",
        "### 第二十条第（一）项\n" + md_table(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                                             [["规章", 0, 0, 0], ["行政规范性文件", 4, 1, 44]]),
        "## 三、收到和处理政府信息公开申请情况",
        "@requests",
        "## 四、政府信息公开行政复议、行政诉讼情况",
        "@review",
        "## 五、政府信息公开工作存在的主要问题及改进情况",
        "依申请公开答复质量还需提升。",
        "六、其他需要报告的事项",
        "无。",
        "淮安市清江浦区人民政府",
        "2025年1月18日",
    ]
    text2 = text_of(paras2, {"@requests": damaged_markdown(leaves, rows2, garble="result.withheld.state_secret"),
                             "@review": review_markdown(rv2)})
    write("qingjiangpu-2024-pdf-markdown", ".txt", text2, {
        "genre": "xxgk-annual", "template": "xxgk-annual-2021", "issuer": "淮安市清江浦区人民政府", "year": 2024,
        "level": "county",
        "cells": {k: v for k, v in gold_cells(rows2, leaves, rv2).items()
                  if not k.startswith("requests/result.withheld.state_secret/")},
        "planted": [
            {"kind": "rule", "cells": ["requests/result.total/total"],
             "why": "(七)总计 总计 is one more than its column and its row"},
            {"kind": "qualitative", "id": "all_upheld", "surface": "均为维持",
             "why": "the table shows 其他结果 and 尚未审结 cases"},
            {"kind": "cross_year", "key": "requests/carried_over/total", "previous": "qingjiangpu-2023-tab",
             "why": f"上年结转 {t2('carried_over')} but the 2023 report carried {t('carry_forward')} forward"},
            {"kind": "unaligned", "row": "属于国▉秘■", "why": "a garbled row label: a warning, no key guessed"},
        ]})

    # 3. 2019 format (国办公开办函〔2019〕60号), [表格] blocks, a county's 2020 report.
    leaves3 = LEAVES_2019
    vals3 = {"result.public": [56, 4, 0, 0, 0, 1], "result.partial": [6, 0, 0, 0, 0, 0],
             "result.withheld.third_party": [2, 0, 0, 0, 0, 0], "result.unavailable.not_held": [18, 1, 0, 0, 0, 0],
             "result.unavailable.unclear": [2, 0, 0, 0, 0, 0],
             "result.not_processed.repeated": [4, 0, 0, 0, 0, 0], "result.other": [3, 0, 0, 0, 0, 0]}
    rows3 = build_requests(leaves3, vals3, [2, 0, 0, 0, 0, 0], [5, 0, 0, 0, 0, 0])
    rv3 = review({"review": [3, 1, 0, 0], "suit_direct": [1, 0, 0, 0], "suit_after_review": [0, 0, 0, 0]})
    t3 = lambda k: rows3[k][6]
    review_wrong = rv3["review"][4] + 2
    rv3["suit_direct"][4] = 2                       # planted: 直接起诉 总计 2, its parts add up to 1
    paras3 = [
        "义乌市人民政府2020年政府信息公开工作年度报告",
        "本报告依据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2019〕60号）编制。",
        "一、总体情况",
        f"2020年，我市收到政府信息公开申请{t3('new')}件，上年结转{t3('carried_over')}件。其中予以公开{t3('result.public')}件，"
        f"部分公开{t3('result.partial')}件，无法提供{t3('result.unavailable.not_held')}件，结转下年度继续办理{t3('carry_forward')}件。",
        f"全年共发生政府信息公开行政复议{review_wrong}件，行政诉讼{rv3['suit_direct'][4]}件，行政复议案件全部维持。",
        "二、主动公开政府信息情况",
        "[表格]\n第二十条第（一）项\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n规章\t0\t0\t0\n规范性文件\t6\t6\t58\n"
        "第二十条第（五）项\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n行政许可\t312\t-4\t18873\n其他对外管理服务事项\t40\t2\t1300\n"
        "第二十条第（六）项\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n行政处罚\t2210\t15\t4102\n行政强制\t61\t0\t88\n"
        "第二十条第（八）项\n信息内容\t上一年项目数量\t本年增/减\n行政事业性收费\t21\t-1\n"
        "第二十条第（九）项\n信息内容\t采购项目数量\t采购总金额\n政府集中采购\t415\t52310.6\n[/表格]",
        "三、收到和处理政府信息公开申请情况",
        "[表格]\n@requests\n[/表格]",
        "四、政府信息公开行政复议、行政诉讼情况",
        "[表格]\n@review\n[/表格]",
        "五、存在的主要问题及改进情况",
        "公开的及时性有待提高。",
        "六、其他需要报告的事项",
        "无。",
    ]
    text3 = text_of(paras3, {}).replace("@requests", tab_table(leaves3, rows3)).replace("@review", review_tab(rv3))
    write("yiwu-2020-format2019-brackets", ".txt", text3, {
        "genre": "xxgk-annual", "template": "xxgk-annual-2019", "issuer": "义乌市人民政府", "year": 2020,
        "cells": gold_cells(rows3, leaves3, rv3),
        "planted": [
            {"kind": "statement", "id": "review", "surface": f"{review_wrong}件", "after": "行政复议",
             "why": f"the table has {rv3['review'][4]} 行政复议 cases"},
            {"kind": "statement", "id": "unavailable", "surface": f"无法提供{t3('result.unavailable.not_held')}件",
             "offset": 4, "why": "one row of the 无法提供 block"},
            {"kind": "rule", "cells": ["review/suit_direct/total"], "why": "直接起诉 总计 2, its parts add up to 1"},
            {"kind": "qualitative", "id": "all_upheld", "surface": "全部维持", "why": "the table shows a 结果纠正 case"},
        ]})
    # fix the unavailable planted surface: the figure only
    g = json.loads((HERE / "yiwu-2020-format2019-brackets.gold.json").read_text(encoding="utf-8"))
    g["planted"][1]["surface"] = f"{t3('result.unavailable.not_held')}件"
    g["planted"][1]["after"] = "无法提供"
    del g["planted"][1]["offset"]
    (HERE / "yiwu-2020-format2019-brackets.gold.json").write_text(json.dumps(g, ensure_ascii=False, indent=1) + "\n",
                                                                  encoding="utf-8")

    # 4. Word file with real Word tables (merged header cells), a city department, 2022.
    vals4 = {"result.public": [88, 12, 1, 0, 3, 0], "result.partial": [9, 2, 0, 0, 0, 0],
             "result.withheld.security": [1, 0, 0, 0, 0, 0], "result.unavailable.not_held": [21, 3, 0, 0, 0, 0],
             "result.not_processed.complaint": [5, 0, 0, 0, 0, 0], "result.other.no_correction": [2, 1, 0, 0, 0, 0]}
    rows4 = build_requests(leaves, vals4, [6, 1, 0, 0, 0, 0], [7, 0, 0, 0, 0, 0])
    rv4 = review({"review": [6, 2, 1, 0], "suit_direct": [2, 0, 0, 1], "suit_after_review": [1, 0, 0, 0]})
    t4 = lambda k: rows4[k][6]
    public_wrong = t4("result.public") - 3
    rows4["result.partial"][6] = rows4["result.partial"][6] + 2      # planted: row total ≠ its columns
    paras4 = [
        "宁波市鄞州区市场监督管理局2022年政府信息公开工作年度报告",
        "本报告根据《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号要求编制。",
        "一、总体情况",
        f"2022年，本局共收到政府信息公开申请{t4('new')}件，其中自然人提出申请{rows4['new'][0]}件，法人或其他组织提出申请"
        f"{sum(rows4['new'][1:6])}件。予以公开{public_wrong}件，结转下年度{t4('carry_forward')}件。",
        "本局行政复议案件均未被纠错。",
        "二、主动公开政府信息情况",
        "本年度制发行政规范性文件3件。",
        "三、收到和处理政府信息公开申请情况",
        "@requests",
        "四、政府信息公开行政复议、行政诉讼情况",
        "@review",
        "五、存在的主要问题及改进情况",
        "信息公开工作人员力量不足。",
        "六、其他需要报告的事项",
        "无。",
    ]
    write("yinzhou-scj-2022-word", ".docx",
          lambda p: docx_file(p, paras4[0], paras4[1:], leaves, rows4, rv4, ["宁波市鄞州区市场监督管理局", "2023年1月15日"]), {
        "genre": "xxgk-annual", "template": "xxgk-annual-2021", "issuer": "宁波市鄞州区市场监督管理局", "year": 2022,
        "level": "department", "cells": gold_cells(rows4, leaves, rv4),
        "planted": [
            {"kind": "statement", "id": "public", "surface": f"{public_wrong}件", "after": "予以公开",
             "why": f"予以公开 is {t4('result.public')}"},
            {"kind": "rule", "cells": ["requests/result.partial/total"], "why": "部分公开 总计 is 2 more than its columns"},
            {"kind": "qualitative", "id": "none_corrected", "surface": "未被纠错", "why": "2 行政复议 results were corrected"},
        ]})

    # 5. HTML page with rowspan/colspan tables, a district government, 2023.
    vals5 = {"result.public": [310, 20, 2, 1, 4, 6], "result.partial": [41, 2, 0, 0, 0, 0],
             "result.withheld.third_party": [7, 0, 0, 0, 0, 0], "result.withheld.enforcement": [3, 0, 0, 0, 0, 0],
             "result.unavailable.not_held": [95, 4, 0, 0, 1, 0], "result.unavailable.needs_creation": [12, 0, 0, 0, 0, 0],
             "result.unavailable.unclear": [4, 0, 0, 0, 0, 0], "result.not_processed.complaint": [22, 1, 0, 0, 0, 0],
             "result.other.no_correction": [8, 0, 0, 0, 0, 0], "result.other.other": [5, 1, 0, 0, 0, 0]}
    rows5 = build_requests(leaves, vals5, [25, 2, 0, 0, 0, 0], [31, 1, 0, 0, 0, 0])
    rv5 = review({"review": [18, 3, 2, 4], "suit_direct": [6, 1, 0, 2], "suit_after_review": [3, 0, 0, 1]})
    t5 = lambda k: rows5[k][6]
    pct = t5("result.public") * 100 / t5("result.total")
    pct_wrong = f"{pct + 1.3:.1f}"
    forward_wrong = t5("carry_forward") + 5
    unavailable_row = rows5["result.unavailable.not_held"][6]
    rv5["review"][4] = rv5["review"][4] - 1         # planted: 行政复议 总计 one short
    html_req, html_rev = html_tables(leaves, rows5, rv5)
    body = (
        "<html><head><meta charset='utf-8'><title>信息公开年报</title></head><body>"
        "<div class='nav'>首页 &gt; 政府信息公开 &gt; 年度报告</div><div class='article'>"
        "<h1>苏州市姑苏区人民政府2023年政府信息公开工作年度报告</h1>"
        "<p>根据《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号规定编制本报告。</p>"
        "<h2>一、总体情况</h2>"
        f"<p>2023年，全区共收到政府信息公开申请{t5('new')}件。办结{t5('result.total')}件，其中予以公开{t5('result.public')}件，"
        f"占{pct_wrong}%；无法提供{unavailable_row}件。结转下年度继续办理{forward_wrong}件。</p>"
        "<h2>二、主动公开政府信息情况</h2><p>全年主动公开政府信息5120条。</p>"
        "<h2>三、收到和处理政府信息公开申请情况</h2>" + html_req +
        "<h2>四、政府信息公开行政复议、行政诉讼情况</h2>" + html_rev +
        "<h2>五、存在的主要问题及改进情况</h2><p>公开平台建设有待加强。</p>"
        "<h2>六、其他需要报告的事项</h2><p>无。</p>"
        "<p>苏州市姑苏区人民政府</p><p>2024年1月22日</p></div></body></html>")
    unavailable_block = sum(rows5[k][6] for k, _ in leaves if k.startswith("result.unavailable"))
    write("gusu-2023-web", ".html", body, {
        "genre": "xxgk-annual", "template": "xxgk-annual-2021", "issuer": "苏州市姑苏区人民政府", "year": 2023,
        "level": "county", "cells": gold_cells(rows5, leaves, rv5),
        "planted": [
            {"kind": "percent", "id": "public", "surface": f"{pct_wrong}%", "after": "占", "why": f"{pct:.2f}% from the table"},
            {"kind": "statement", "id": "unavailable", "surface": f"{unavailable_row}件", "after": "无法提供",
             "why": f"one row of the 无法提供 block, which totals {unavailable_block}"},
            {"kind": "statement", "id": "carry_forward", "surface": f"{forward_wrong}件", "after": "结转下年度继续办理",
             "why": f"结转下年度 is {t5('carry_forward')}"},
            {"kind": "rule", "cells": ["review/review/total"], "why": "行政复议 总计 one less than its parts"},
        ]})

    # 6. clean control: a department's 2021 report as a clean Markdown table; nothing planted.
    vals6 = {"result.public": [12, 1, 0, 0, 0, 0], "result.unavailable.not_held": [3, 0, 0, 0, 0, 0],
             "result.other.other": [1, 0, 0, 0, 0, 0]}
    rows6 = build_requests(leaves, vals6, [1, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0])
    rv6 = review({"review": [1, 0, 0, 0], "suit_direct": [0, 0, 0, 0], "suit_after_review": [0, 0, 0, 0]})
    t6 = lambda k: rows6[k][6]
    md = ["| 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
          "|---|---|---|---|---|---|---|---|"]
    md += [md_row(["/".join(p)] + [fmt(v) for v in rows6[k]]) for k, p in ordered(leaves)]
    rev_md = md_table([f"行政复议/{c}" for _, c in REVIEW_COLS] + [f"行政诉讼/未经复议直接起诉/{c}" for _, c in REVIEW_COLS]
                      + [f"行政诉讼/复议后起诉/{c}" for _, c in REVIEW_COLS],
                      [[v for k, _ in REVIEW_ROWS for v in rv6[k]]])
    paras6 = [
        "# 杭州市西湖区教育局2021年政府信息公开工作年度报告",
        "依据国办公开办函〔2021〕30号编制。",
        "## 一、总体情况",
        f"2021年，我局新收政府信息公开申请{t6('new')}件，上年结转{t6('carried_over')}件，全部在法定期限内答复。"
        f"予以公开{t6('result.public')}件，占新收申请的{round(t6('result.public') * 100 / t6('new'))}%。"
        f"行政复议{rv6['review'][4]}件，结果维持，未发生行政诉讼。",
        "## 二、主动公开政府信息情况", "全年主动公开信息860条。",
        "## 三、收到和处理政府信息公开申请情况", "\n".join(md),
        "## 四、政府信息公开行政复议、行政诉讼情况", rev_md,
        "## 五、存在的主要问题及改进情况", "无。", "## 六、其他需要报告的事项", "无。",
    ]
    write("xihu-edu-2021-markdown-clean", ".txt", text_of(paras6, {}), {
        "genre": "xxgk-annual", "template": "xxgk-annual-2021", "issuer": "杭州市西湖区教育局", "year": 2021,
        "level": "department", "cells": gold_cells(rows6, leaves, rv6), "planted": []})


if __name__ == "__main__":
    main()
