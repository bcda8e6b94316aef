"""The spaCy pipeline: jieba segmentation with the domain dictionary, quantities on the Doc."""

from __future__ import annotations

from reportmine.pipeline import content_tokens, make_pipeline, segment


def test_domain_dictionary_keeps_campaign_terms_whole():
    assert "逃生演练训练营" in segment("参加线上“逃生演练训练营”活动发布视频")
    assert "安全生产月" in segment("第22个“安全生产月”活动")


def test_content_tokens_drop_function_words_and_numbers():
    toks = content_tokens("全市共组织开展宣讲活动9200多场")
    assert "宣讲" in toks or "宣讲活动" in toks
    assert not {"共", "组织", "开展", "9200"} & toks


def test_pipeline_marks_quantities_with_their_values():
    nlp = make_pipeline()
    doc = nlp("全市共组织开展宣讲活动9200多场，参与人次超过78万。")
    assert [t.text for t in doc][:3] == ["全市", "共", "组织"]
    spans = doc.spans["quantities"]
    assert [s._.quantity.value for s in spans] == [9200, 780000]
    assert spans[0]._.quantity.admits == (9200, 9300)
    assert make_pipeline(nlp) is nlp and nlp.pipe_names.count("reportmine_quantities") == 1
