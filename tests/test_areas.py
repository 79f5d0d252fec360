"""The 纲要 area classifier on clear passages."""

from __future__ import annotations

import pytest

from drafter.extract.areas import AreaIndex, area_scores, classify_area
from drafter.models import AREAS


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("深化“放管服”改革,公布市级行政许可事项238项", "functions"),
        ("依法开展行政规范性文件备案审查", "rules"),
        ("严格落实重大行政决策法定程序,组织召开专家论证会10次", "decisions"),
        ("全面推行行政执法“三项制度”", "enforcement"),
        ("编制《突发事件总体应急预案》,开展应急演练1645次", "emergency"),
        ("新收行政复议案件218件", "disputes"),
        ("统筹办理人大代表建议29件、政协委员提案140件", "oversight"),
        ("发布数据资源共享目录547条,推进“一网通办”", "digital"),
        ("党政主要负责人履行推进法治建设第一责任人职责,开展年终述法", "leadership"),
        ("组织开展“谁执法谁普法”履职报告评议", "publicity"),
        ("对全市1163名“法律明白人”开展巡回培训", "publicity"),
        # Issue 8: a problem about the leaders' learning stays leadership though it goes on to 数字化 (周村 (一)).
        (("部分部门单位学习贯彻习近平法治思想不够深入系统全面,个别领导干部运用法治思维和法治方式推进工作、解决问题的能力有待提高;"
          "法治政府建设不均衡,统筹协调推进机制有待进一步完善,数字化技术赋能法治政府建设还需加强"), "leadership"),
        ("全面强化组织领导", "leadership"),
        ("抓住“关键少数”", "leadership"),
        ("调兵山市获评全省首批“法治政府建设示范市(县、区)”荣誉称号", "leadership"),
        ("部分群众法治观念有待提高", "publicity"),
        ("切实增强全民法律意识和法治素养", "publicity"),
        ("落实企业免检免扰制度", "enforcement"),
        ("健全完善科学、民主、依法决策机制", "decisions"),
        ("推进政府机构职能优化协同高效", "functions"),
        ("深化政务增值服务改革", "functions"),
    ],
)
def test_clear_passages(text, area):
    assert classify_area(text) == area


def test_nothing_matches():
    assert classify_area("天气晴朗,风和日丽") is None
    assert classify_area("") is None


def test_context_is_a_weaker_signal():
    # The heading says 营商环境 (functions) but the clause is about 行政复议: the clause wins.
    assert classify_area("办理行政复议案件18件", context="(四)坚持优化服务,着力打造一流法治化营商环境") == "disputes"
    # With a neutral clause, the heading decides.
    assert classify_area("办结率100%", context="(五)强化行政权力制约监督") == "oversight"
    assert area_scores("办结率100%", context="行政复议") == {"disputes": 1.5}


def test_longer_keywords_win_over_their_parts():
    assert area_scores("谁执法谁普法") == {"publicity": 3}  # not also 执法 (enforcement)
    assert classify_area("在司法所设立法庭巡回审判点") is None  # 设立法庭 is not 立法
    # keywords that extend one another (执法 → 执法证, 行政执法 → 行政执法监督): the longest one scores, once
    assert area_scores("行政执法监督") == {"enforcement": 3}
    assert area_scores("办理执法证") == {"enforcement": 2}
    assert area_scores("应急演练和应急") == {"emergency": 5}


def test_every_area_is_reachable():
    samples = ["营商环境", "规范性文件", "重大行政决策", "行政执法", "应急", "行政复议", "政务公开", "数字政府", "述法", "普法"]
    assert [classify_area(s) for s in samples] == list(AREAS)


def test_unified_leadership_of_the_party_is_leadership():
    assert area_scores("加强党的集中统一领导") == {"leadership": 2}


def test_the_whole_text_index_answers_as_a_scan_of_the_stretch():
    # 谁执法谁普法: a stretch from its 执法 finds enforcement, though the whole-text scan found 谁执法谁普法 there
    text = "组织开展“谁执法谁普法”履职报告评议,全面推行行政执法“三项制度”,设立法庭。"
    index = AreaIndex(text)
    cut = text.index("执法谁")
    assert index.classify(cut, cut + 2) == classify_area("执法") == "enforcement"
    assert index.classify(0, text.index(",")) == "publicity"
    assert index.classify(text.index("设立"), len(text)) is None  # 设立法庭 shadows 立法 in both
    assert index.classify(text.index("立法"), len(text)) == "rules"  # cut inside 设立: 立法 counts on its own
    # a heading before the body is scored apart, as "heading body" was
    assert index.classify(0, 0, lead="（一）行政复议") == classify_area("（一）行政复议 ") == "disputes"


def test_the_index_agrees_with_classify_area_on_every_stretch_of_the_seeds():
    import random
    from pathlib import Path

    rng = random.Random(7)
    for seed in sorted((Path(__file__).parent.parent / "seeds").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        index = AreaIndex(text)
        for _ in range(400):
            start = rng.randrange(len(text))
            end = min(len(text), start + rng.randrange(1, 120))
            context = rng.choice(["", "（三）坚持严格规范公正文明执法", "二、存在的不足"])
            assert index.classify(start, end, context=context) == classify_area(text[start:end], context), (
                seed.name, start, end)
