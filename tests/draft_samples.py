"""Hand-built Summary objects from the seed reports, for compose/render/check tests.

Every quote below was copied from the seed text; spans are located with drafter.ground.Aligner so offsets are
exact. Values, units and areas were read off the source by hand.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from drafter.drafting.compose import PLACEHOLDER_RE
from drafter.extract.indicators import map_indicator
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
        metric = Metric(**span.model_dump(), label=label, value=value, unit=unit, qualifier=qualifier, raw=raw,
                        part=part, area=area)
        # As in a real summary, a figure carries the standard indicator the catalogue maps it to.
        found_metrics.append(metric.model_copy(update={"indicator": map_indicator(metric, quote)}))
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


def ruzhou_2023() -> Summary:
    """Nine thematic sections and no problems or plans part (only a closing "2024年，市政府将…" sentence)."""
    path = SEEDS / "ruzhou-2023.txt"
    meta = Meta(
        region="汝州市", province="河南省", prefecture="平顶山市", level="county-level-city", report_year=2023,
    )
    items: list[ItemSpec] = [
        ("measures", "leadership", "持续完善“1211”法治政府建设推进机制"),
        ("measures", "leadership", "以创建全省法治政府建设示范市为引领,建立创建工作专班,印发工作方案"),
        ("measures", "functions", "推行证明事项告知承诺制工作,共汇总84项可实行告知承诺制的证明事项"),
        ("measures", "functions", "推进乡镇(街道)便民服务中心标准化建设,目前150项审批服务事项可直接在乡镇(街道)便民服务中心办理"),
        ("measures", "decisions", "按照《河南省重大行政决策程序规定》,梳理市政府重大行政决策目录,在市政府网站上进行公示"),
        ("measures", "rules", "落实政府行政规范性文件合法性审查和备案制度,所有行政规范性文件由牵头机关报政府办法制机构进行合法性审查"),
        ("measures", "enforcement", "深化行政执法体制改革。城市管理、市场监管、环境保护、文化市场、交通运输、农业农村、应急管理领域挂牌成立综合行政执法大队,实行“局队合一”管理体制"),
        ("measures", "enforcement", "推行包容审慎监管执法,全面推行轻微违法行为依法免予处罚清单,建立柔性执法清单管理制度"),
        ("measures", "emergency", "完善突发事件应对制度。按照《汝州市人民政府关于改革完善应急管理体系的通知》,相关部门建立应急管理预案体系"),
        ("measures", "disputes", "坚持“三调联动”。坚持调防结合的工作原则,充分发挥各自优势,推进行政调解与人民调解、司法调解有效衔接"),
        ("measures", "disputes", "发挥行政复议化解行政争议主渠道。设立行政复议委员会,积极通过调解实现行政争议实质性化解"),
        ("measures", "disputes", "约谈全市行政诉讼败诉率较高的单位一把手,督促单位依法行政"),
        ("measures", "digital", "加快推进政务数据有序共享。编制汝州市数字政府十四五建设规划,目前规划已编制完成进入评审阶段"),
        ("leadership", "leadership", "市委市政府主要负责人积极履行第一责任人职责,对法治政府建设工作亲自部署、亲自过问、亲自协调"),
        ("leadership", "leadership", "举行全市党政主要责任人向市委全面依法治市委员会述法活动"),
    ]
    metrics: list[MetricSpec] = [
        ("法治政府建设工作专题推进会", "共召开4次法治政府建设工作专题推进会", "4", 4, "次", None, "leadership", "leadership"),
        ("汇编法治政府建设指标体系资料", "汇编法治政府建设指标体系资料100余册", "100", 100, "册", "余", "measures", "leadership"),
        ("可实行告知承诺制的证明事项", "共汇总84项可实行告知承诺制的证明事项", "84", 84, "项", None, "measures", "functions"),
        ("乡镇(街道)便民服务中心可办理的审批服务事项", "目前150项审批服务事项可直接在乡镇(街道)便民服务中心办理", "150", 150, "项",
         None, "measures", "functions"),
        ("政务服务“好差评”评价数量", "2023年评价数量957768条", "957768", 957768, "条", None, "measures", "functions"),
        ("参与审核重大决策文件", "共参与审核各项重大决策文件80余件", "80", 80, "件", "余", "measures", "decisions"),
        ("乡镇综合行政执法大队赋权执法权限", "赋权72项执法权限", "72", 72, "项", None, "measures", "enforcement"),
        ("办理执法证", "全市办理执法证1940人", "1940", 1940, "人", None, "measures", "enforcement"),
        ("重大执法决定法制审核制度执行率", "重大执法决定法制审核制度执行率达100%", "100", 100, "%", "达", "measures", "enforcement"),
        ("应急普查采集数据", "共采集3649 条数据", "3649", 3649, "条", None, "measures", "emergency"),
        ("各类应急演练", "共开展各类应急演练180余次", "180", 180, "次", "余", "measures", "emergency"),
        ("被诉行政机关负责人出庭率", "被诉行政机关负责人出庭率达100%", "100", 100, "%", "达", "measures", "disputes"),
    ]
    return build_summary(path.read_text(encoding="utf-8"), str(path), meta, items, metrics)


def zhoucun_2024() -> Summary:
    """Four parts in the standard order, 第一责任人 first; a district report without 落款."""
    path = SEEDS / "zhoucun-2024.txt"
    meta = Meta(
        title="周村区人民政府2024年度法治政府建设情况报告", issuer="周村区人民政府", region="周村区", province="山东省",
        prefecture="淄博市", level="district", report_year=2024,
    )
    items: list[ItemSpec] = [
        ("leadership", "leadership", "严格落实党政主要负责人履行推进法治建设第一责任人职责,区委常委会、区政府常务会研究法治建设事项8次"),
        ("leadership", "leadership", "落实党政主要负责人年终述法制度,15个部门单位“一把手”向委员会述法"),
        ("leadership", "leadership", "创新建立领导干部学法“点线面”工作机制,打造“清单式”学法模式"),
        ("leadership", "oversight", "切实发挥法治督察“利剑”作用,建立“全闭环”督察工作体系"),
        ("measures", "functions", "深化“高效办成一件事”改革,设置“一件事”服务专区,全面落实国家13个第一批“一件事”"),
        ("measures", "functions", "优化“齐好办·金融管家”服务体系,为44个企业提供金融辅导服务,授信7.45亿元"),
        ("measures", "functions", "持续提升网上办事能力,升级10处政务服务驿站,推行“远程电子勘验”模式,办件量4万余件"),
        ("measures", "decisions", "严格执行重大行政决策程序,公布重大行政决策事项4项"),
        ("measures", "rules", "做好行政规范性文件备案审查和清理工作,审查规范性文件2件"),
        ("measures", "enforcement", "强化行政执法监督体系建设,推进行政执法特约监督员工作,设立21处行政执法监督联系点"),
        ("measures", "enforcement", "全面落实企业免检免扰和检查登记备案制度,公布2024年度区级免检免扰企业名单213家"),
        ("measures", "oversight", "自觉接受人大、政协监督,认真贯彻执行人大及其常委会的决议决定"),
        ("measures", "digital", "加强数字法治政府建设,推进政务数据有序共享,发布数据资源共享目录547条"),
        ("measures", "disputes", "创新构建“四联解纷”工作机制,发挥“周到有解”调解品牌效应"),
        ("measures", "disputes", "加强行政复议工作,举办府院联动同堂专题培训"),
        ("measures", "emergency", "完善应急预案体系,强化基层应急救援保障,编制各类应急预案32个"),
        ("problems", "leadership", "法治政府建设基础有待夯实。部分部门单位学习贯彻习近平法治思想不够深入系统全面,个别领导干部运用法治思维和法治方式推进工作、解决问题的能力有待提高"),
        ("problems", "enforcement", "依法行政能力水平有待提升。行政执法“三项制度”落实不到位,法制审核人员力量薄弱,基层执法队伍存在人员短缺、年龄老化、学历偏低等问题"),
        ("problems", "publicity", "法治宣传教育质效有待加强。“谁执法谁普法”普法责任制落实不平衡,部分部门存在“重执法、轻普法”问题"),
        ("plans", "leadership", "加强党的领导,完善法治政府推进机制。把习近平法治思想作为各级党委(党组)理论学习中心组学习的重要内容"),
        ("plans", "digital", "健全法治政府建设科技保障体系,推进政府治理信息化与法治化深度融合,大力提升法治政府建设数字化水平"),
        ("plans", "decisions", "严格落实重大行政决策程序制度、行政规范性文件合法性审核机制"),
        ("plans", "enforcement", "加强行政执法协调监督工作体系建设,落实企业免检免扰制度,加强企业合规管理,强化公平竞争审查"),
        ("plans", "disputes", "坚持和发展新时代“枫桥经验”,发挥信访、公证、仲裁、行政复议、行政诉讼等多种方式功能作用,不断加强矛盾纠纷源头治理"),
        ("plans", "publicity", "深入实施“八五”普法规划,严格落实“谁执法谁普法”普法责任制,创新履职评议形式,高标准迎接“八五”普法验收"),
    ]
    metrics: list[MetricSpec] = [
        ("区委常委会、区政府常务会研究法治建设事项", "区委常委会、区政府常务会研究法治建设事项8次", "8", 8, "次", None, "leadership",
         "leadership"),
        ("习近平法治思想学习培训", "全区83个部门单位开展习近平法治思想学习培训160余场次", "160", 160, "场次", "余", "leadership",
         "leadership"),
        ("项目审批一次性办结率", "项目审批一次性办结率达95%以上", "95", 95, "%", "以上", "measures", "functions"),
        ("“齐好办·金融管家”授信", "授信7.45亿元", "7.45", 7.45, "亿元", None, "measures", "functions"),
        ("“远程电子勘验”办件量", "办件量4万余件", "4万", 40000, "件", "余", "measures", "functions"),
        ("公布重大行政决策事项", "公布重大行政决策事项4项", "4", 4, "项", None, "measures", "decisions"),
        ("区级免检免扰企业", "公布2024年度区级免检免扰企业名单213家", "213", 213, "家", None, "measures", "enforcement"),
        ("承办人大代表建议和政协委员提案", "2024年完成政府系统承办市、区人大代表建议和政协委员提案262件", "262", 262, "件", None,
         "measures", "oversight"),
        ("发布数据资源共享目录", "发布数据资源共享目录547条", "547", 547, "条", None, "measures", "digital"),
        ("受理各类矛盾纠纷", "全区共受理各类矛盾纠纷2743件", "2743", 2743, "件", None, "measures", "disputes"),
        ("收到行政复议申请", "共收到行政复议申请131件", "131", 131, "件", None, "measures", "disputes"),
        ("开展应急演练", "开展应急演练1645次", "1645", 1645, "次", None, "measures", "emergency"),
    ]
    return build_summary(path.read_text(encoding="utf-8"), str(path), meta, items, metrics)


def fill(markdown: str, keep_baselines: bool = False) -> str:
    """What a writer does: the date, this year's figures in place of the gaps before their baselines, then the
    baselines deleted (unless `keep_baselines`: a writer half done), prose in every other gap."""
    markdown = re.sub(r"(\d{4})年【待填】月【待填】日", r"\1年1月20日", markdown)
    markdown = re.sub(r"【待填】([^（【\n]{0,4})（(\d{4})年：", r"235\1（\2年：", markdown)
    if not keep_baselines:
        markdown = re.sub(r"（\d{4}年：[^）]*）", "", markdown)
    return PLACEHOLDER_RE.sub("已按计划完成", markdown)
