"""Report metadata from the seeds and from synthetic openings of other levels; administrative divisions."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from drafter.extract import divisions
from drafter.extract.meta import _lookup_view, extract_meta
from drafter.ingest import read_document
from drafter.models import Document, Meta, SourceInfo

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def meta_of(text: str, title_hint: str | None = None) -> Meta:
    doc = Document(text=text, source=SourceInfo(path="r.txt", format="txt", sha256="0" * 64, title_hint=title_hint))
    meta = extract_meta(doc, [])
    for evidence in meta.evidence:
        assert text[evidence.start:evidence.end] == evidence.quote
    return meta


def fields(meta: Meta) -> dict:
    return meta.model_dump(exclude={"evidence"})


SEED_META = {
    "xingning-2024": dict(
        title=None, issuer="兴宁市人民政府", addressee="中共兴宁市委", region="兴宁市", province="广东省",
        prefecture="梅州市", level="county-level-city", report_year=2024, issued_date=date(2025, 1, 15),
    ),
    "zhoucun-2024": dict(
        title="周村区人民政府2024年度法治政府建设情况报告", issuer="周村区人民政府", addressee=None, region="周村区",
        province="山东省", prefecture="淄博市", level="district", report_year=2024, issued_date=None,
    ),
    "chuxiong-2024": dict(
        title=None, issuer=None, addressee=None, region="楚雄市", province="云南省", prefecture="楚雄彝族自治州",
        level="county-level-city", report_year=2024, issued_date=None,
    ),
    "ruzhou-2023": dict(
        title=None, issuer=None, addressee=None, region="汝州市", province="河南省", prefecture="平顶山市",
        level="county-level-city", report_year=2023, issued_date=None,
    ),
    "diaobingshan-2022": dict(
        title=None, issuer="调兵山市人民政府", addressee=None, region="调兵山市", province="辽宁省",
        prefecture="铁岭市", level="county-level-city", report_year=2022, issued_date=date(2023, 2, 28),
    ),
}


@pytest.mark.parametrize("name", sorted(SEED_META))
def test_seed_meta(name):
    meta = meta_of((SEEDS / f"{name}.txt").read_text(encoding="utf-8"))
    assert fields(meta) == SEED_META[name]


def test_seed_evidence_points_at_the_source():
    text = (SEEDS / "xingning-2024.txt").read_text(encoding="utf-8")
    evidence = {e.field: e for e in meta_of(text).evidence}
    assert evidence["addressee"].start == 0
    assert evidence["issued_date"].quote == "2025年1月15日"
    assert text.rstrip().endswith(evidence["issuer"].quote + " " + evidence["issued_date"].quote)
    assert evidence["report_year"].quote == "2024"


BODY = "\n2023年，我们坚持依法行政，全年办理行政复议案件12件。\n一、主要举措和成效\n（一）加强领导。\n"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("清水县人民政府关于清水县2023年度法治政府建设工作总结的报告",
         dict(issuer="清水县人民政府", region="清水县", province="甘肃省", prefecture="天水市", level="county",
              report_year=2023)),
        ("包头市人民政府关于2024年度法治政府建设情况的报告",
         dict(issuer="包头市人民政府", region="包头市", province="内蒙古自治区", prefecture="包头市",
              level="prefecture-city", report_year=2024)),
        ("湖北省人民政府关于2023年度法治政府建设情况的报告",
         dict(issuer="湖北省人民政府", region="湖北省", province="湖北省", prefecture=None, level="province",
              report_year=2023)),
        ("淮北市司法局2024年度法治政府建设情况报告",
         dict(issuer="淮北市司法局", region="淮北市", province="安徽省", prefecture="淮北市", level="department",
              report_year=2024)),
        ("中共淮北市烈山区委烈山区人民政府关于2024年法治政府建设情况的报告",
         dict(issuer="中共淮北市烈山区委烈山区人民政府", region="烈山区", province="安徽省", prefecture="淮北市",
              level="district", report_year=2024)),
        ("北京市海淀区人民政府2020年法治政府建设年度情况报告",
         dict(issuer="北京市海淀区人民政府", region="海淀区", province="北京市", prefecture=None, level="district",
              report_year=2020)),
    ],
)
def test_levels_from_titles(title, expected):
    meta = meta_of(title + BODY)
    assert meta.title == title
    assert {k: getattr(meta, k) for k in expected} == expected
    assert meta.issued_date is None and meta.addressee is None


def test_signoff_in_chinese_numerals_addressee_after_title_and_title_without_organ():
    text = (
        "关于2024年度法治政府建设情况的报告\n市委、市人大常委会：\n  2024年，我县坚持依法行政。\n"
        "一、主要举措和成效\n办理案件3件。\n\n清水县人民政府\n二〇二五年一月十五日\n"
    )
    meta = meta_of(text)
    assert fields(meta) == dict(
        title="关于2024年度法治政府建设情况的报告", issuer="清水县人民政府", addressee="市委、市人大常委会",
        region="清水县", province="甘肃省", prefecture="天水市", level="county", report_year=2024,
        issued_date=date(2025, 1, 15),
    )


def test_title_wrapped_over_two_lines_and_title_hint():
    meta = meta_of("湖北省人民政府关于2023年度\n法治政府建设情况的报告\n国务院：\n2023年，我省坚持…")
    assert (meta.title, meta.addressee, meta.region) == ("湖北省人民政府关于2023年度法治政府建设情况的报告", "国务院", "湖北省")
    hinted = meta_of("2024年，清水县坚持依法行政。", title_hint="清水县2024年法治政府建设年度报告_清水县人民政府网")
    assert (hinted.title, hinted.region, hinted.report_year) == ("清水县2024年法治政府建设年度报告", "清水县", 2024)
    assert "title" not in {e.field for e in hinted.evidence}  # the hint is not in the text: no span to cite


def test_report_year_is_the_reported_year_not_the_plan_year():
    text = "汝州市坚持依法行政。2023年,汝州市共召开4次会议。2023年评价数量957768条。\n2024年，市政府将继续努力。"
    assert meta_of(text).report_year == 2023


def test_nothing_is_invented_for_text_without_metadata():
    assert fields(meta_of("随便写点东西。没有任何信息。")) == dict(
        title=None, issuer=None, addressee=None, region=None, province=None, prefecture=None, level=None,
        report_year=None, issued_date=None,
    )


def test_division_lookup():
    xingning = divisions.lookup("兴宁市")
    assert (xingning.adcode, xingning.level) == ("441481", "county")
    assert (xingning.province, xingning.prefecture, xingning.is_county_level_city) == ("广东省", "梅州市", True)
    assert divisions.lookup("兴宁区").province == "广西壮族自治区"
    assert divisions.lookup("兴宁") is None  # 兴宁市 and 兴宁区: ambiguous short name
    assert divisions.lookup("兴宁", hint="梅州市下辖").name == "兴宁市"
    assert divisions.lookup("楚雄州").name == "楚雄彝族自治州"
    assert divisions.lookup("济源市").prefecture is None  # county-level, directly under 河南省
    assert divisions.lookup("仙桃市").province == "湖北省"
    haidian = divisions.lookup("海淀区")
    assert (haidian.province, haidian.prefecture) == ("北京市", None)
    assert divisions.lookup("北京市").level == "province"
    assert divisions.lookup("朝阳区") is None  # 北京 and 长春 both have one
    assert divisions.lookup("朝阳区", hint="北京市朝阳区").province == "北京市"
    assert divisions.lookup("市辖区") is None


def test_division_mentions():
    text = "中共淮北市烈山区委烈山区人民政府"
    assert [(m.name, m.start, m.end) for m in divisions.mentions(text)] == [
        ("淮北市", 2, 5), ("烈山区", 5, 8), ("烈山区", 9, 12),
    ]


def test_region_is_the_unit_the_text_is_about_not_the_superior_named_first():
    text = (
        "2024年，在梅州市委、市政府的坚强领导下，兴宁市坚持依法行政。\n一、主要举措和成效\n兴宁市办理案件3件。\n\n"
        "兴宁市司法局\n2025年1月15日\n（此件公开发布）"
    )
    meta = meta_of(text)
    assert (meta.region, meta.prefecture, meta.level) == ("兴宁市", "梅州市", "department")
    assert (meta.issuer, meta.issued_date) == ("兴宁市司法局", date(2025, 1, 15))


def test_numeric_signoff_date_and_ambiguous_district_resolved_by_the_text():
    text = "通州区2023年法治政府建设年度报告\n2023年，通州区坚持…，在北京市委领导下…\n一、主要举措\n\n通州区人民政府\n2024-02-05"
    meta = meta_of(text)
    assert (meta.region, meta.province, meta.level) == ("通州区", "北京市", "district")
    assert (meta.issuer, meta.issued_date, meta.report_year) == ("通州区人民政府", date(2024, 2, 5), 2023)


def test_title_and_addressee_on_one_line_with_the_body():
    text = "兴宁市人民政府关于2024年度法治政府建设工作情况的报告 中共兴宁市委: 2024年,我市坚持依法行政。 兴宁市人民政府 2025年1月15日"
    meta = meta_of(text)
    assert meta.title == "兴宁市人民政府关于2024年度法治政府建设工作情况的报告"
    assert (meta.addressee, meta.issuer, meta.region, meta.report_year) == ("中共兴宁市委", "兴宁市人民政府", "兴宁市", 2024)


@pytest.mark.parametrize(
    ("text", "title", "issuer"),
    [
        # web header lines (a date line, a breadcrumb, a site heading) above the title
        ("今天是:2023年5月6日 星期六\n工作报告\n\n您所在的位置:政务公开 > 工作报告\n\n"
         "清水县2023年度法治政府建设情况报告\n来源:司法局 发布时间:2024-03-01\n2023年,清水县坚持依法行政。",
         "清水县2023年度法治政府建设情况报告", None),
        ("法制查询\n \n 首页→ 网站公告\n淮北市人民政府关于2022年度法治政府建设情况的报告\n发布时间:2023年02月28日\n"
         "2022年以来,我市坚持依法行政。",
         "淮北市人民政府关于2022年度法治政府建设情况的报告", "淮北市人民政府"),
        # a menu line right above the title is not glued onto it
        ("登录 注册 退出\n淮北市人民政府2022年法治政府建设年度报告\n栏目:通知公告 发布时间:2023-02-27\n2022年,市政府坚持依法行政。",
         "淮北市人民政府2022年法治政府建设年度报告", "淮北市人民政府"),
        # the organ on its own line, the rest of the title below it
        ("\n烈山区人民政府\n关于2024年法治政府建设报告\n烈山区坚持依法行政。",
         "烈山区人民政府关于2024年法治政府建设报告", "烈山区人民政府"),
        ("清水县人民政府\n2022年度法治政府建设情况报告\n2022年,县政府坚持依法行政。",
         "清水县人民政府2022年度法治政府建设情况报告", "清水县人民政府"),
        ("淮北市司法局\n2023年法治政府建设年度报告\n2023年，市司法局坚持依法行政。",
         "淮北市司法局2023年法治政府建设年度报告", "淮北市司法局"),
        # a site name above a title that names its own place stays out of the title
        ("淮北市人民政府\n烈山区2023年度法治政府建设情况报告\n2023年,烈山区坚持依法行政。",
         "烈山区2023年度法治政府建设情况报告", None),
        # a mirror's watermark, the title and the body on one line
        ("文库之家—全网资源每日更新www.example.com甘肃省人民政府关于2023年度法治政府建设情况的报告2023年,省政府坚持依法行政。",
         "甘肃省人民政府关于2023年度法治政府建设情况的报告", "甘肃省人民政府"),
        # a breadcrumb naming the column is no title; the heading below it is
        ("当前位置: 首页 > 法治政府建设 > 年度报告\n清水县2023年度法治政府建设情况报告\n2023年,清水县坚持依法行政。",
         "清水县2023年度法治政府建设情况报告", None),
        # a sentence announcing the report is no title
        ("2024年,市政府坚持依法行政。现将2024年法治政府建设情况报告如下。\n一、主要举措\n淮北市办理案件3件。", None, None),
    ],
    ids=["date-and-breadcrumb", "site-menu", "login-line", "organ-line-about", "organ-line-year", "department-line",
         "site-name-line",
         "watermark-one-line", "breadcrumb-with-title-words", "announcement-sentence"],
)
def test_title_among_web_leftovers(text, title, issuer):
    meta = meta_of(text)
    assert (meta.title, meta.issuer) == (title, issuer)


def test_province_report_from_a_watermarked_line():
    meta = meta_of("文库之家www.example.com甘肃省人民政府关于2023年度法治政府建设情况的报告2023年,省政府坚持依法行政。")
    assert (meta.region, meta.province, meta.prefecture, meta.level, meta.report_year) == (
        "甘肃省", "甘肃省", None, "province", 2023)


# An opening long enough that places named further down lie outside the opening the region is first read from.
PADDING = "深入推进依法行政，全面提升政府工作法治化水平。" * 15


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 市政府 names no place; the only place is inside a 《》 title, which is weak evidence but all there is
        ("2024年,在市委的正确领导下,市政府坚持依法行政。" + PADDING + "\n一、加强组织领导。"
         "制定《淮北市2024年度法治政府建设工作要点》,明确37项重点工作。",
         dict(region="淮北市", province="安徽省", prefecture="淮北市", level="prefecture-city")),
        # 省政府: a province named in the text counts (provinces are otherwise ignored as the superior unit)
        ("根据有关规定,现将省政府2021年度法治政府建设情况报告如下。" + PADDING
         + "\n一、主要工作\n修订《甘肃省人民政府常务会议工作规范》。",
         dict(region="甘肃省", province="甘肃省", prefecture=None, level="province")),
        # a department named by its kind: level department, region from the place it serves
        ("2023年,市市场监管局在市委市政府的坚强领导下,深入学习贯彻习近平法治思想。" + PADDING
         + "\n--《淮北市电梯安全管理规定》正式施行。",
         dict(region="淮北市", province="安徽省", prefecture="淮北市", level="department")),
        # 我局: a department, and no place named anywhere
        ("2023年，我局坚持依法行政，全面推进法治机关建设。" + PADDING,
         dict(region=None, province=None, prefecture=None, level="department")),
        # a central ministry: a department serving the whole country, with no province
        ("2022年,司法部坚持以习近平新时代中国特色社会主义思想为指导,扎实推进法治政府建设。" + PADDING,
         dict(region="全国", province=None, prefecture=None, level="department")),
        # 区政府 does not pick the city named in passing
        ("2023年,区政府坚持依法行政。" + PADDING + "\n落实《淮北市行政执法条例》,烈山区办理案件3件。",
         dict(region="烈山区", province="安徽省", prefecture="淮北市", level="district")),
    ],
    ids=["city-government", "province-government", "city-department", "our-bureau", "ministry", "district-government"],
)
def test_region_and_level_from_how_an_untitled_report_names_itself(text, expected):
    meta = meta_of(text)
    assert (meta.title, meta.issuer) == (None, None)
    assert {k: getattr(meta, k) for k in expected} == expected


HELDOUT = Path(__file__).resolve().parent / "heldout"


@pytest.mark.parametrize("gold_path", sorted(HELDOUT.glob("*.gold.json")), ids=lambda p: p.name.split(".")[0])
def test_heldout_meta_matches_gold(gold_path):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["meta"]
    doc = read_document(gold_path.with_name(gold_path.name.replace(".gold.json", ".txt")))
    got = extract_meta(doc, []).model_dump(mode="json", exclude={"evidence"})
    if got["title"]:
        got["title"] = "".join(got["title"].split())
    assert got == gold


# Other levels (issue 8): each general pattern on synthetic text whose places differ from the held-out files'.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a township under the county its title names
        ("清水县永清镇人民政府2023年度法治政府建设情况报告\n2023年,永清镇坚持依法行政。",
         dict(issuer="清水县永清镇人民政府", region="永清镇", province="甘肃省", prefecture="天水市",
              level="township")),
        # a street office after its district's 人民政府
        ("海淀区人民政府学院路街道办事处关于2023年度法治政府建设情况的报告\n2023年,我街道坚持依法行政。",
         dict(issuer="海淀区人民政府学院路街道办事处", region="学院路街道", province="北京市", prefecture=None,
              level="township")),
        # untitled: the township is the opening's subject; its county is the one whose 县委、县政府 lead it
        ("2023年,在县委、县政府的坚强领导下,红旗乡坚持依法行政,落实《清水县2023年法治政府建设工作要点》。",
         dict(issuer=None, region="红旗乡", province="甘肃省", prefecture="天水市", level="township")),
        # "区委、区政府" and no district named: nothing is said of the province
        ("2023年,在区委、区政府的正确领导下,新华街道深入推进依法行政。全区各街道持续发力。",
         dict(issuer=None, region="新华街道", province=None, prefecture=None, level="township")),
        # "我街道" alone: the kind of unit, no place
        ("2023年,我街道坚持依法行政,全面推进法治建设。",
         dict(region=None, province=None, prefecture=None, level="township")),
    ],
    ids=["township-title", "street-office-title", "township-opening", "street-no-district", "our-street"],
)
def test_townships(text, expected):
    assert {k: getattr(meta_of(text), k) for k in expected} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023年,生态环境部坚持以习近平新时代中国特色社会主义思想为指导,扎实推进法治政府建设。" + PADDING,
         dict(issuer=None, region="全国", province=None, prefecture=None, level="department")),
        ("国家税务总局关于2022年度法治政府建设情况的报告\n2022年,税务总局坚持依法行政。",
         dict(issuer="国家税务总局", region="全国", province=None, prefecture=None, level="department")),
        # a provincial department is not a ministry, and a 厅 serves a province named only by its short name
        ("2023年,我厅坚持依法行政,确保各项部署在湖北公安落地落实。" + PADDING,
         dict(region="湖北省", province="湖北省", prefecture=None, level="department")),
        ("2023年,省司法厅坚持依法行政,认真落实《甘肃省法治政府建设实施方案》。" + PADDING,
         dict(region="甘肃省", province="甘肃省", prefecture=None, level="department")),
        # a municipal department whose title names only its kind, its city in the web 来源 line
        ("市司法局2023年法治政府建设工作报告\n来源:淮北市司法局\n2023年,我局坚持依法行政。",
         dict(issuer="市司法局", region="淮北市", province="安徽省", prefecture="淮北市", level="department")),
        # a county department
        ("2023年,清水县市场监管局坚持依法行政,全面推进法治机关建设。" + PADDING,
         dict(issuer=None, region="清水县", province="甘肃省", prefecture="天水市", level="department")),
    ],
    ids=["ministry", "ministry-title", "province-department-short-name", "province-department",
         "city-department", "county-department"],
)
def test_ministries_and_departments(text, expected):
    assert {k: getattr(meta_of(text), k) for k in expected} == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("黔东南州人民政府关于2022年度法治政府建设情况的报告",
         dict(region="黔东南苗族侗族自治州", province="贵州省", prefecture="黔东南苗族侗族自治州",
              level="prefecture-city")),
        ("科左中旗人民政府2022年法治政府建设年度报告",
         dict(region="科尔沁左翼中旗", province="内蒙古自治区", prefecture="通辽市", level="county")),
        ("城步县人民政府关于2022年度法治政府建设情况的报告",
         dict(region="城步苗族自治县", province="湖南省", prefecture="邵阳市", level="county")),
        # a 盟's 行政公署 is its government, not a department
        ("阿拉善盟行政公署2022年法治政府建设年度报告",
         dict(issuer="阿拉善盟行政公署", region="阿拉善盟", province="内蒙古自治区", prefecture="阿拉善盟",
              level="prefecture-city")),
    ],
    ids=["autonomous-prefecture", "banner-abbreviation", "autonomous-county", "league"],
)
def test_autonomous_units_by_their_short_names(title, expected):
    assert {k: getattr(meta_of(title + BODY), k) for k in expected} == expected


def test_short_names_of_autonomous_units_look_up():
    assert divisions.lookup("黔东南州").name == "黔东南苗族侗族自治州"
    assert divisions.lookup("湘西州").name == "湘西土家族苗族自治州"  # 土家, not 土
    assert divisions.short_name("黔西南布依族苗族自治州") == "黔西南"
    assert divisions.lookup("东乌旗").name == "东乌珠穆沁旗"
    assert [m.name for m in divisions.mentions("在黔西南州和东乌旗")] == ["黔西南州", "东乌旗"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("两江新区管委会关于2023年度法治政府建设情况的报告\n2023年,新区坚持依法行政。",
         dict(issuer="两江新区管委会", region="两江新区", province="重庆市", prefecture=None, level="district")),
        # the city's short name before the area's; the title wrapped after its 法治 words
        ("合肥高新区2023年法治政府建设\n年度报告\n2023年,高新区坚持依法行政。",
         dict(title="合肥高新区2023年法治政府建设年度报告", region="合肥高新区", province="安徽省",
              prefecture="合肥市", level="district")),
        ("芜湖滨江新区2023年法治政府建设情况报告\n2023年,新区坚持依法行政。",
         dict(region="滨江新区", province="安徽省", prefecture="芜湖市", level="district")),
        # untitled: the area is the opening's subject; its city the one whose 市委、市政府 lead it
        ("2023年,在市委、市政府的坚强领导下,临港开发区坚持依法行政,落实《淮北市2023年法治政府建设工作要点》。",
         dict(region="临港开发区", province="安徽省", prefecture="淮北市", level="district")),
        # a district the divisions data knows stays that district
        ("上海市浦东新区人民政府2023年法治政府建设情况报告\n2023年,浦东新区坚持依法行政。",
         dict(region="浦东新区", province="上海市", prefecture=None, level="district")),
    ],
    ids=["national-area", "city-short-name", "city-prefix-stripped", "area-opening", "known-district"],
)
def test_development_areas_are_districts(text, expected):
    assert {k: getattr(meta_of(text), k) for k in expected} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "县人民政府": a county, but which one the text does not say, so not the province either
        ("县人民政府关于2023年度法治政府建设情况的报告\n2023年,在省委、省政府和市委的坚强领导下,县政府坚持依法行政,"
         "认真落实《甘肃省法治政府建设实施方案》。",
         dict(issuer="县人民政府", region=None, province=None, prefecture=None, level="county")),
        # "我市" and only the province named: a 市 may be of two kinds, so nothing at all
        ("2023年,我市坚持依法行政,认真落实《河南省法治政府建设实施方案》。" + PADDING,
         dict(issuer=None, region=None, province=None, prefecture=None, level=None)),
    ],
    ids=["county-government", "our-city"],
)
def test_a_kind_without_a_place_says_nothing_of_the_place(text, expected):
    assert {k: getattr(meta_of(text), k) for k in expected} == expected


def test_traditional_characters_are_looked_up_simplified_and_kept_as_written():
    text = "北京市東城區人民政府關於2023年度法治政府建設情況的報告\n國務院：\n2023年，東城區堅持依法行政。"
    meta = meta_of(text)
    assert (meta.title, meta.issuer, meta.addressee) == (
        "北京市東城區人民政府關於2023年度法治政府建設情況的報告", "北京市東城區人民政府", "國務院")
    assert (meta.region, meta.province, meta.prefecture, meta.level, meta.report_year) == (
        "东城区", "北京市", None, "district", 2023)
    assert {e.field: e.quote for e in meta.evidence}["region"] == "東城區"


@pytest.mark.parametrize("seed", ["xingning-2024", "chuxiong-2024"])
def test_division_mentions_try_only_name_lengths_that_end_as_the_text_does(seed):
    text = (Path(__file__).resolve().parent.parent / "seeds" / f"{seed}.txt").read_text(encoding="utf-8")
    written = divisions._index().written
    expected, last_end = [], 0
    for e in (i + 1 for i, ch in enumerate(text) if ch in "省市县区州旗盟"):  # every start tried, longest first
        s = next((s for s in range(max(last_end, e - 12), e - 1) if written.get(text[s:e])), None)
        if s is not None:
            expected.append((text[s:e], s))
            last_end = e
    found = [(m.name, m.start) for m in divisions.mentions(text)]
    assert found == expected and len(found) >= 5


@pytest.mark.parametrize("count, converted", [(4, False), (5, True)])
def test_traditional_characters_outside_the_bmp_count_too(count, converted):
    # Five distinct traditional characters in the sample make a traditional text; these five are all beyond U+FFFF.
    written = "𠁞𠌥𠏢𠐊𠗣"[:count] + "清水县依法行政。"
    view, offsets = _lookup_view(written)
    assert offsets is None
    assert view == ("𠀾𠆿𠉗𫝋㓆"[:count] if converted else written[:count]) + "清水县依法行政。"


def test_a_mirrors_pinyin_notes_are_read_past_and_kept_as_written():
    text = "清水縣人(rén)民政府關於2023年度法治政府建設情況的報(bào)告\n2023年,清水縣堅持依法行政,統(tǒng)籌推進。"
    meta = meta_of(text)
    assert (meta.title, meta.issuer) == (
        "清水縣人(rén)民政府關於2023年度法治政府建設情況的報(bào)告", "清水縣人(rén)民政府")
    assert (meta.region, meta.province, meta.level, meta.report_year) == ("清水县", "甘肃省", "county", 2023)
    # a simplified report with an ordinary bracket is left alone
    assert meta_of("清水县2023年法治政府建设情况报告\n2023年,清水县(含开发区)坚持依法行政。").region == "清水县"


def test_addressee_after_the_web_lines_under_the_title():
    text = ("关于2023年度法治政府建设工作情况的报告\n时间:2024-01-21 来源:淮北市公安局 [字号: ]\n分享到:\n\n市政府:\n"
            "2023年,我局坚持依法行政。")
    meta = meta_of(text)
    assert (meta.title, meta.addressee, meta.issuer, meta.level) == (
        "关于2023年度法治政府建设工作情况的报告", "市政府", None, "department")


def test_a_column_tag_before_the_title_and_an_addressee_of_two_organs():
    meta = meta_of("【法治建设报告】甘肃省司法厅2023年法治政府建设年度报告\n2023年,省司法厅坚持依法行政。")
    assert (meta.title, meta.issuer, meta.region, meta.level) == (
        "甘肃省司法厅2023年法治政府建设年度报告", "甘肃省司法厅", "甘肃省", "department")
    # web lines above the addressee, and no title
    meta = meta_of("- 发布机构: 永清镇人民政府\n- 公文生成日期: 2025-02-07\n中共清水县委员会,清水县人民政府:\n"
                   "2024年,永清镇法治政府建设工作在县委、县政府的有力指导下稳步推进。")
    assert (meta.addressee, meta.region, meta.province, meta.prefecture, meta.level) == (
        "中共清水县委员会,清水县人民政府", "永清镇", "甘肃省", "天水市", "township")



@pytest.mark.parametrize(("text", "start", "found"), [
    ("市政府坚持依法行政。", 0, ("市", (1, 3))),  # at the text start
    ("现将省政府2021年度工作报告如下。", 0, ("省", (3, 5))),  # after 现将
    ("现将省政府2021年度工作报告如下。", 1, None),  # a 现 before the sentence does not count
    ("2024年,区政府深入推进。", 0, ("区", (7, 9))),  # after a comma
    ("将市政府坚持", 0, None),  # 将 without 现
])
def test_self_name_boundaries(text, start, found):
    from drafter.extract.meta import _self_name

    match = _self_name(text, (start, len(text)))
    assert ((match.group("tier"), match.span("organ")) if match else None) == found


def test_signoff_organ_searched_only_where_it_can_start():
    from drafter.extract.meta import _SIGNOFF_ORGAN, _signoff_organ

    name = "某" * 40 + "人民政府"
    for text in ("正文。" + name, "正文。" + name + " \n", "正文。" + "某" * 41 + "人民政府", "正文。x局\n"):
        match = _SIGNOFF_ORGAN.search(text, 0, len(text))
        assert _signoff_organ(text, 0, len(text)) == (match.span("org") if match else None)
    assert _signoff_organ("正文。" + name, 0, len("正文。" + name)) == (3, 3 + len(name))
