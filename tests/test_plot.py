"""reportmine.plot: the indicator by region and year, the contradictions per document, and Chinese labels in a CJK
font (or one warning naming what to install, never a warning per glyph)."""

from __future__ import annotations

import io
import re
import shutil
import warnings

import pytest

pytest.importorskip("matplotlib", reason="reportmine.plot needs matplotlib (the notebook extra)")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import pandas as pd  # noqa: E402

import reportmine  # noqa: E402
from reportmine import plot  # noqa: E402

from conftest import BUNDLED_SEED  # noqa: E402

REGIONS = {"上海市": 1.0, "江苏省南京市": 0.5, "浙江省": 2.0}
YEARS = (2022, 2023)


@pytest.fixture(scope="module")
def cells() -> pd.DataFrame:
    """The seed's cells as if three regions had reported for two years (values scaled per region and year)."""
    frame = reportmine.parse(BUNDLED_SEED).record.to_frame()
    out = []
    for region, k in REGIONS.items():
        for year in YEARS:
            g = frame.copy()
            g["region"], g["year"], g["doc_id"] = region, year, f"{region}-{year}"
            g["value"] = g["value"] * k * (year - 2020)
            out.append(g)
    return pd.concat(out, ignore_index=True)


def _draw(ax) -> list[warnings.WarningMessage]:
    """Render the figure as a notebook would (PNG) and return every warning raised on the way."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        ax.figure.savefig(io.BytesIO(), format="png")
    matplotlib.pyplot.close(ax.figure)
    return list(seen)


def test_indicator_by_region_and_year(cells):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", plot.MissingFontWarning)
        ax = plot.indicator(cells, "xuanguan.lectures")
    lectures = cells[cells["key"] == "xuanguan.lectures"]
    expected = lectures.groupby(["year", "region"])["value"].sum()
    heights = sorted(p.get_height() for p in ax.patches)
    assert heights == sorted(expected.tolist()) and len(heights) == len(REGIONS) * len(YEARS)
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(y) for y in YEARS]
    assert {t.get_text() for t in ax.get_legend().get_texts()} == set(REGIONS)
    assert ax.get_title() == "组织开展宣讲活动（场）"
    _draw(ax)


def test_unknown_key_suggests_close_ones(cells):
    with pytest.raises(KeyError, match="did you mean xuanguan.lectures"):
        plot.indicator(cells, "xuanguan.lecture")


def test_contradictions_per_document(tmp_path):
    shutil.copy(BUNDLED_SEED, tmp_path / "good.txt")
    text = BUNDLED_SEED.read_text(encoding="utf-8").replace("超过 1900 条", "超过 2900 条")
    text = text.replace("沪安委办函〔2023〕1号", "沪安委办函〔2023〕2号")     # another letter, not a duplicate
    (tmp_path / "bad.txt").write_text(text, encoding="utf-8")
    corpus = reportmine.parse_many(tmp_path, workers=1, cache=False, entities=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", plot.MissingFontWarning)
        ax = plot.contradictions(corpus)
    bars = {t.get_text(): p.get_width() for t, p in zip(ax.get_yticklabels(), ax.patches)}
    assert bars == {"bad": 1, "good": 0}
    _draw(ax)


def test_chinese_labels_render_without_glyph_warnings(cells):
    font = plot.find_cjk_font()
    if font is None:
        pytest.skip(f"no CJK font on this system ({plot.INSTALL_HINT})")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        ax = plot.indicator(cells, "xuanguan.lectures")
    assert not seen, [str(w.message) for w in seen]
    assert not _draw(ax), "no glyph warnings"
    assert matplotlib.rcParams["font.sans-serif"][0] == font


def test_without_a_cjk_font_one_warning_names_what_to_install(cells, monkeypatch):
    """With no CJK font known (matplotlib's own DejaVu Sans only): two plots, one warning, no glyph warnings."""
    monkeypatch.setattr(plot, "FONT_FAMILIES", ("No Such Font",))
    monkeypatch.setattr(plot, "FONT_FILE_WORDS", ("no-such-font-file",))
    monkeypatch.setattr(plot, "_warned", False)       # as in a fresh Python
    with matplotlib.rc_context({"font.family": ["sans-serif"], "font.sans-serif": ["DejaVu Sans"]}), \
            warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        for key in ("xuanguan.lectures", "xuanguan.articles"):
            ax = plot.indicator(cells, key)
            ax.figure.savefig(io.BytesIO(), format="png")
            matplotlib.pyplot.close(ax.figure)
    messages = [f"{type(w.message).__name__}: {w.message}" for w in seen]
    assert len(messages) == 1 and messages[0].startswith("MissingFontWarning"), messages
    assert "apt install fonts-noto-cjk" in messages[0]


def test_the_glyph_warnings_are_what_the_filter_stops():
    """Without the filter, matplotlib warns once per missing Chinese character: the pattern must match them."""
    fig, ax = matplotlib.pyplot.subplots()
    ax.set_title("组织开展宣讲活动")
    with matplotlib.rc_context({"font.family": ["sans-serif"], "font.sans-serif": ["DejaVu Sans"]}), \
            warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    matplotlib.pyplot.close(fig)
    glyphs = [str(w.message) for w in seen if re.search(plot.GLYPH_WARNING, str(w.message))]
    assert len(glyphs) >= 5 and len(glyphs) == len(seen)
