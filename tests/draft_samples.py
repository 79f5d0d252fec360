"""Hand-built Summary objects from the seed reports, for compose/render/check tests.

Every quote below was copied from the seed text; spans are located with drafter.ground.Aligner so offsets are
exact. Values, units and areas were read off the source by hand.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from drafter.compose import PLACEHOLDER_RE
from drafter.ground import Aligner
from drafter.models import (
    PARTS,
    REQUIRED_PARTS,
    Area,
    Compliance,
    Item,
    Meta,
    Metric,
    Part,
    PartStatus,
    Provenance,
    SourceFormat,
    Summary,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# (part, area, quote); title is the quote's first clause.
ItemSpec = tuple[Part, Area | None, str]
# (label, quote, raw, value, unit, qualifier, part, area)
MetricSpec = tuple[str, str, str, float, str, str | None, Part | None, Area | None]


def build_summary(
    text: str,
    source: str,
    meta: Meta,
    items: list[ItemSpec],
    metrics: list[MetricSpec],
    fmt: SourceFormat = "txt",
) -> Summary:
    aligner = Aligner(text)
    by_part: dict[Part, list[Item]] = {part: [] for part in PARTS}
    for part, area, quote in items:
        span, status = aligner.align(quote)
        assert status == "exact", quote
        title = quote.replace(",", "。").split("。")[0]
        by_part[part].append(Item(**span.model_dump(), title=title, summary=quote, area=area, part=part))
    found_metrics = []
    for label, quote, raw, value, unit, qualifier, part, area in metrics:
        span, status = aligner.align(quote)
        assert status == "exact", quote
        found_metrics.append(Metric(**span.model_dump(), label=label, value=value, unit=unit, qualifier=qualifier,
                                    raw=raw, part=part, area=area))
    present = [p for p in PARTS if by_part[p] or (p == "measures" and found_metrics)]
    compliance = Compliance(
        present=present,
        missing=[p for p in REQUIRED_PARTS if p not in present],
        parts=[PartStatus(part=p, present=p in present) for p in PARTS],
    )
    return Summary(
        meta=meta, sections=[], measures=by_part["measures"], problems=by_part["problems"], plans=by_part["plans"],
        leadership=by_part["leadership"], metrics=found_metrics, compliance=compliance,
        provenance=Provenance(source=source, format=fmt, sha256="0" * 64, backend="rules", drafter_version="test"),
    )


def xingning_2024() -> Summary:
    path = SEEDS / "xingning-2024.txt"
    meta = Meta(
        issuer="兴宁市人民政府", addressee="中共兴宁市委", region="兴宁市", province="广东省", prefecture="梅州市",
        level="county-level-city", report_year=2024, issued_date=date(2025, 1, 15),
    )
    items: list[ItemSpec] = [
        ("measures", "functions", "紧凑有序推进我市机构改革工作,完成了社会工作、金融、科技、民政、农业农村等重点领域机构设置、职能配置和编制管理的调整"),
        ("measures", "functions", "着力提升政务服务效能,已有9项国办“一件事”上线运行"),
        ("measures", "rules", "完善规范性文件管理制度,印发了《关于加强行政规范性文件制定和监督管理工作的实施意见》"),
        ("measures", "decisions", "严格落实重大行政决策法定程序,今年我市共制定重大行政决策11件"),
        ("measures", "enforcement", "全面推行行政执法“三项制度”,今年以来全市各镇(街道)和行政执法单位通过“粤执法”办理行政执法案件4515宗"),
        ("measures", "emergency", "2024年我市组织了7场次应急演练、22场次防汛抗旱业务培训、15场次的防灾减灾“五进”宣传活动"),
        ("measures", "disputes", "积极发挥行政复议主渠道作用和层级监督作用,至目前我市新收行政复议案件218件"),
        ("measures", "oversight", "统筹办理人大代表建议29件、政协委员提案140件,全部按时办结"),
        ("leadership", "leadership", "市政府主要负责同志积极履行法治建设第一责任职责,把法治工作摆在全局工作的重要位置"),
        ("leadership", "leadership", "组织全市50名领导干部旁听庭审活动,提升领导干部依法行政意识和规范执法水平"),
        ("problems", "rules", "文件及决策管理还需进一步加强 对规范性文件管理制度的思想认识还不到位"),
        ("problems", "oversight", "政务公开工作还需进一步提升 部分单位政府网站与政务新媒体信息发布频率较低"),
        ("problems", "enforcement", "行政执法工作有待进一步规范 部分执法人员监管不到位、执法不规范、不严格、执法随意性大等问题仍然存在"),
        ("plans", "leadership", "持续加强党的领导。聚焦法治建设“一规划两纲要”,统筹推进法治兴宁、法治政府、法治社会一体建设"),
        ("plans", "rules", "扎实推进各项工作。持续完善政府治理制度和决策管理制度,提高合法性审查质量"),
        ("plans", "publicity", "营造良好法治环境。提高法治宣传教育活动实效性精准性"),
    ]
    metrics: list[MetricSpec] = [
        ("受理转派12345热线工单", "受理转派12345热线工单14138件", "14138", 14138, "件", None, "measures", "functions"),
        ("制定重大行政决策", "制定重大行政决策11件", "11", 11, "件", None, "measures", "decisions"),
        ("办理行政执法案件", "办理行政执法案件4515宗", "4515", 4515, "宗", None, "measures", "enforcement"),
        ("应急演练", "组织了7场次应急演练", "7", 7, "场次", None, "measures", "emergency"),
        ("新收行政复议案件", "新收行政复议案件218件", "218", 218, "件", None, "measures", "disputes"),
        ("政府网站发布各类信息", "政府网站共发布各类信息9396条", "9396", 9396, "条", None, "measures", "oversight"),
        ("旁听庭审领导干部", "组织全市50名领导干部旁听庭审活动", "50", 50, "名", None, "leadership", "leadership"),
        ("普法汇演线上互动观众", "参加线上互动的观众超16万人次", "16万", 160000, "人次", "超", "leadership", "publicity"),
    ]
    return build_summary(path.read_text(encoding="utf-8"), str(path), meta, items, metrics)


def diaobingshan_2022() -> Summary:
    path = SEEDS / "diaobingshan-2022.txt"
    meta = Meta(
        issuer="调兵山市人民政府", region="调兵山市", province="辽宁省", prefecture="铁岭市", level="county-level-city",
        report_year=2022, issued_date=date(2023, 2, 28),
    )
    items: list[ItemSpec] = [
        ("measures", "leadership", "狠抓关键少数。调兵山市始终坚持把深入学习宣传贯彻习近平法治思想作为一项长期的重大政治任务抓紧抓实"),
        ("measures", "publicity", "制定实施高质量“八五”普法规划"),
        ("measures", "enforcement", "强化行政执法能力提升。做好行政执法人员培训考试工作"),
        ("measures", "disputes", "全面推进社会矛盾纠纷排查化解"),
        ("leadership", "leadership", "认真履行党政主要领导法治政府建设第一责任人职责,定期召开市委法治建设委员会工作会议研究部署具体工作"),
        ("problems", "leadership", "在组织领导上仍有一些短板和不足。履行法治建设职责不够,对法治政府建设工作研究不够深入"),
        ("problems", "publicity", "学习宣传习近平法治思想还不够全面系统。少数党委(党组)理论学习中心组没有做到专题学、系统学"),
        ("problems", "functions", "法治化营商环境仍需优化。在落实《优化营商环境条例》及我省实施办法上,还存在进展不均衡的问题"),
        ("problems", "publicity", "法律普及还缺乏实效性和针对性。在开展普法工作过程中,有些法律知识过于学术化,针对性不足"),
        ("problems", "enforcement", "执法行为还不够规范。一些执法人员对政策的理解还停留在表面上,不按照规定程序执法的现象仍时有发生"),
        ("problems", "publicity", "部分群众法治观念有待提高。群众知法、守法及运用法律保护自身合法权益的能力较弱"),
        ("plans", "leadership", "全面强化组织领导,在夯实工作责任上下功夫"),
        ("plans", "decisions", "建立健全工作机制,在提高决策水平上下功夫"),
        ("plans", "publicity", "扎实开展普法教育,在增强法治观念上下功夫"),
        ("plans", "enforcement", "深入推进依法行政,在提升服务效能上下功夫"),
        ("plans", "enforcement", "推进专项整治工作,在打造法治化营商环境上下功夫"),
        ("plans", None, "聚焦经济建设主战场,在法治建设助力“全面振兴新突破三年行动”上下功夫"),
    ]
    metrics: list[MetricSpec] = [
        ("行政执法培训", "2022年组织行政执法培训579人", "579", 579, "人", None, "measures", "enforcement"),
        ("取得行政执法证", "通过考试取得行政执法证515人", "515", 515, "人", None, "measures", "enforcement"),
        ("学习习近平法治思想", "学习习近平法治思想有关重要论述9次", "9", 9, "次", None, "measures", "leadership"),
    ]
    return build_summary(path.read_text(encoding="utf-8"), str(path), meta, items, metrics)


def chuxiong_2024() -> Summary:
    """A report with neither a problems part nor a plans part (only a closing 下步 sentence)."""
    path = SEEDS / "chuxiong-2024.txt"
    meta = Meta(
        region="楚雄市", province="云南省", prefecture="楚雄彝族自治州", level="county-level-city", report_year=2024,
    )
    items: list[ItemSpec] = [
        ("measures", "leadership", "全面统筹高位推动。市委、市政府高度重视法治政府建设"),
        ("leadership", "leadership", "建立健全党政主要负责人履行推进法治建设第一责任人述法评议和领导班子成员专题述法制度"),
    ]
    metrics: list[MetricSpec] = [
        ("党政主要负责人会议述法", "组织全市32名党政主要负责人进行会议述法", "32", 32, "名", None, "leadership", "leadership"),
        ("法律明白人巡回培训", "对全市1163名“法律明白人”开展巡回培训", "1163", 1163, "名", None, "measures", "publicity"),
    ]
    return build_summary(path.read_text(encoding="utf-8"), str(path), meta, items, metrics)


def fill(markdown: str) -> str:
    """What a writer does: the date, this year's figures beside their baselines, prose in every other gap."""
    markdown = re.sub(r"(\d{4})年【待填】月【待填】日", r"\1年1月20日", markdown)
    markdown = re.sub(r"【待填】([^（【\n]{0,4})（(\d{4})年：", r"235\1（\2年：", markdown)
    return PLACEHOLDER_RE.sub("已按计划完成", markdown)
