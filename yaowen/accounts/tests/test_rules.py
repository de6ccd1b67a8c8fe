"""The 入驻 rules refuse what large self-media platforms refuse, and only that."""

import pytest

from yaowen.accounts.rules import (
    BIO_TOO_LONG,
    FIELD_NEEDS_ORGANISATION,
    NAME_BAD_CHARS,
    NAME_GENERIC,
    NAME_RESERVED,
    NAME_TOO_LONG,
    NAME_TOO_SHORT,
    NEWS_FIELDS,
    RESERVED_NAMES,
    TEXT_HAS_AD,
    TEXT_HAS_PHONE,
    TEXT_HAS_URL,
    AccountType,
    check_application,
    check_bio,
    check_display_name,
    check_field,
    check_statement,
    normalise,
)

PERSONAL = AccountType.PERSONAL
MEDIA = AccountType.MEDIA
ENTERPRISE = AccountType.ENTERPRISE
GOVERNMENT = AccountType.GOVERNMENT
ORGANISATION = AccountType.ORGANISATION

# The default channels, as the service passes them.
CHANNELS = ("要闻", "国际", "军事", "社会", "体育", "娱乐", "财经", "科技", "汽车", "旅游")


def messages(*constants) -> list[str]:
    return [str(constant) for constant in constants]


# --- normalise -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＹＡＯＷＥＮ", "yaowen"),
        ("要聞號", "要闻号"),
        ("要 闻\u3000官方", "要闻官方"),
        ("要\u200b闻\ufeff号", "要闻号"),
        ("１３８ ００１３", "1380013"),
        ("要聞・號", "要闻·号"),
        ("新聞網", "新闻网"),
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


def test_the_constants_match_the_model_and_the_brief():
    assert AccountType.PERSONAL == "personal"
    assert AccountType.ORGANISATION == "organisation"
    assert {"news", "world", "military"} == NEWS_FIELDS
    assert len(RESERVED_NAMES) >= 30
    assert {
        "要闻",
        "要闻号",
        "官方",
        "管理员",
        "客服",
        "新华社",
        "国务院",
        "公安部",
    } <= RESERVED_NAMES


# --- display names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "account_type"),
    [
        ("体坛老张", PERSONAL),
        ("财经夜读", PERSONAL),
        ("小林的厨房", PERSONAL),
        ("城市观察者", PERSONAL),
        ("李明说车", PERSONAL),
        ("科技早知道", PERSONAL),
        ("Tech_Notes", PERSONAL),
        ("Tech Notes", PERSONAL),
        ("张三·历史", PERSONAL),
        ("Tom·Wang", PERSONAL),
        ("时间管理达人", PERSONAL),
        ("管理学笔记", PERSONAL),
        ("游戏周报", PERSONAL),
        ("中央视角", PERSONAL),
        ("办公安全课", PERSONAL),
        ("Badminton Club", PERSONAL),
        ("江州日报", MEDIA),
        ("北京青年报", MEDIA),
        ("江州电视台", MEDIA),
        ("新华社", MEDIA),
        ("江州融媒体中心", GOVERNMENT),
        ("北京市公安局", GOVERNMENT),
        ("江州发布", GOVERNMENT),
        ("江州市场监督管理局", GOVERNMENT),
        ("江州物业管理", ENTERPRISE),
        ("江州旅游协会", ORGANISATION),
        ("二十个字的名称刚好可以通过长度检查上限值", PERSONAL),
    ],
)
def test_legitimate_names_pass(name, account_type):
    assert check_display_name(name, account_type=account_type, channel_names=CHANNELS) == []


@pytest.mark.parametrize(
    ("name", "account_type", "expected"),
    [
        # Length, after normalisation.
        ("张", PERSONAL, NAME_TOO_SHORT),
        ("", PERSONAL, NAME_TOO_SHORT),
        ("二十一个字的名称已经超过了长度检查的上限值", PERSONAL, NAME_TOO_LONG),
        ("abcdefghijklmnopqrstu", PERSONAL, NAME_TOO_LONG),
        # Characters.
        ("张三😀", PERSONAL, NAME_BAD_CHARS),
        (" 张三", PERSONAL, NAME_BAD_CHARS),
        ("张三 ", PERSONAL, NAME_BAD_CHARS),
        ("王小二!", PERSONAL, NAME_BAD_CHARS),
        ("王小二。", PERSONAL, NAME_BAD_CHARS),
        ("张三··历史", PERSONAL, NAME_BAD_CHARS),
        ("Tech__Notes", PERSONAL, NAME_BAD_CHARS),
        ("·张三", PERSONAL, NAME_BAD_CHARS),
        ("张三  历史", PERSONAL, NAME_BAD_CHARS),
        ("张\u200b三", PERSONAL, NAME_BAD_CHARS),
        # The platform's own name, in any form and for any account type.
        ("要闻", GOVERNMENT, NAME_RESERVED),
        ("要闻号", MEDIA, NAME_RESERVED),
        ("要 闻 官方", PERSONAL, NAME_RESERVED),
        ("要聞號", PERSONAL, NAME_RESERVED),
        ("要·闻观察", PERSONAL, NAME_RESERVED),
        ("ＹＡＯＷＥＮ", PERSONAL, NAME_RESERVED),
        ("y a o w e n", PERSONAL, NAME_RESERVED),
        ("Yaowen_Official", MEDIA, NAME_RESERVED),
        # Officialdom and staff.
        ("体育官方", PERSONAL, NAME_RESERVED),
        ("江州日报官网", MEDIA, NAME_RESERVED),
        ("认证作者李明", PERSONAL, NAME_RESERVED),
        ("平台小助手", ENTERPRISE, NAME_RESERVED),
        ("社区管理", PERSONAL, NAME_RESERVED),
        ("售后客服", ENTERPRISE, NAME_RESERVED),
        ("管理员", GOVERNMENT, NAME_RESERVED),
        ("系统消息", PERSONAL, NAME_RESERVED),
        ("编辑部", MEDIA, NAME_RESERVED),
        ("Tech Admin", PERSONAL, NAME_RESERVED),
        # State media and state bodies, for the wrong account types.
        ("新华社", PERSONAL, NAME_RESERVED),
        ("人民日报评论", PERSONAL, NAME_RESERVED),
        ("央视新闻", ENTERPRISE, NAME_RESERVED),
        ("国务院", PERSONAL, NAME_RESERVED),
        ("公安部", MEDIA, NAME_RESERVED),
        ("交警小王", PERSONAL, NAME_RESERVED),
        ("江州发布", PERSONAL, NAME_RESERVED),
        # Press words are for media and government accounts only.
        ("北京青年报", PERSONAL, NAME_RESERVED),
        ("李明新闻评论", PERSONAL, NAME_RESERVED),
        ("江州新闻科技", ENTERPRISE, NAME_RESERVED),
        # Generic names.
        ("新闻", MEDIA, NAME_GENERIC),
        ("新闻", PERSONAL, NAME_GENERIC),
        ("新闻资讯", PERSONAL, NAME_GENERIC),
        ("体育新闻", PERSONAL, NAME_GENERIC),
        ("资讯", PERSONAL, NAME_GENERIC),
        ("头条", PERSONAL, NAME_GENERIC),
        ("体育", PERSONAL, NAME_GENERIC),
        ("美食", PERSONAL, NAME_GENERIC),
        ("热点", PERSONAL, NAME_GENERIC),
        ("每日新闻", MEDIA, NAME_GENERIC),
        ("新闻资讯", GOVERNMENT, NAME_GENERIC),
        ("今日头条", PERSONAL, NAME_GENERIC),
        ("体育资讯", PERSONAL, NAME_GENERIC),
        ("财经频道", PERSONAL, NAME_GENERIC),
        ("科技号", PERSONAL, NAME_GENERIC),
        ("體育資訊", PERSONAL, NAME_GENERIC),
        ("中国体育", MEDIA, NAME_GENERIC),
        ("Daily_News", PERSONAL, NAME_GENERIC),
        ("用户123456", PERSONAL, NAME_GENERIC),
        ("user_8848", PERSONAL, NAME_GENERIC),
        ("网友", PERSONAL, NAME_GENERIC),
        ("小编", PERSONAL, NAME_GENERIC),
        ("12345678", PERSONAL, NAME_GENERIC),
    ],
)
def test_names_refused_with_their_reason(name, account_type, expected):
    result = check_display_name(name, account_type=account_type, channel_names=CHANNELS)
    assert result == messages(expected)


def test_a_channel_passed_in_is_generic_too():
    assert check_display_name("宠物频道", account_type=PERSONAL) == messages(NAME_GENERIC)
    assert check_display_name("萌宠", account_type=PERSONAL) == []
    result = check_display_name("萌宠资讯", account_type=PERSONAL, channel_names=["萌宠"])
    assert result == messages(NAME_GENERIC)


def test_a_name_can_break_several_rules():
    result = check_display_name("要闻官方😀", account_type=PERSONAL)
    assert result == messages(NAME_BAD_CHARS, NAME_RESERVED)


# --- bios and statements -------------------------------------------------------------------


@pytest.mark.parametrize(
    "bio",
    [
        "",
        "十年体育记者，专注足球报道",
        "每天一篇科技评论",
        "2024年11月发布",
        "年均增长13.5%",
        "关注我们了解更多",
        "三十年工龄，一九八五年入行",
        "前微信产品经理，QQ音乐资深编辑",
        "前招商银行分析师，复盘历史最低价",
        "揭秘刷单骗局，参加群众活动",
        "专注ASP.NET开发",
        "专注AI。Top10榜单",
        "周一至周五 9:00-18:00 更新",
        "申请加V认证中",
    ],
)
def test_legitimate_bios_pass(bio):
    assert check_bio(bio) == []


@pytest.mark.parametrize(
    ("bio", "expected"),
    [
        ("这是一段超过四十个字的简介，" * 3, BIO_TOO_LONG),
        # Links and domains, however they are written.
        ("详见 http://example.com", TEXT_HAS_URL),
        ("h t t p s : / / a", TEXT_HAS_URL),
        ("www .example. com", TEXT_HAS_URL),
        ("ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ", TEXT_HAS_URL),
        ("example点com", TEXT_HAS_URL),
        ("baidu。com", TEXT_HAS_URL),
        ("example dot com", TEXT_HAS_URL),
        ("t.cn/abc", TEXT_HAS_URL),
        ("bit.ly/abc", TEXT_HAS_URL),
        ("我的站点 abc.top", TEXT_HAS_URL),
        ("邮箱 abc@qq.com", TEXT_HAS_URL),
        ("192.168.1.1", TEXT_HAS_URL),
        # Phone numbers and chat handles.
        ("电话：13800138000", TEXT_HAS_PHONE),
        ("138 0013 8000", TEXT_HAS_PHONE),
        ("138-0013-8000", TEXT_HAS_PHONE),
        ("138.0013.8000", TEXT_HAS_PHONE),
        ("１３８００１３８０００", TEXT_HAS_PHONE),
        ("一三八零零一三八零零零", TEXT_HAS_PHONE),
        ("1 3 8 0 0 1 3 8 0 0 0", TEXT_HAS_PHONE),
        ("+86 138 0013 8000", TEXT_HAS_PHONE),
        ("手机13800138000 24小时", TEXT_HAS_PHONE),
        ("报料热线 010 6509 1234", TEXT_HAS_PHONE),
        ("(0571) 8888 6666", TEXT_HAS_PHONE),
        ("400-800-8888", TEXT_HAS_PHONE),
        ("加V", TEXT_HAS_PHONE),
        ("vx:abc123", TEXT_HAS_PHONE),
        ("wx：abc123", TEXT_HAS_PHONE),
        ("V:abc123", TEXT_HAS_PHONE),
        ("QQ 12345678", TEXT_HAS_PHONE),
        ("Q:123456", TEXT_HAS_PHONE),
        ("扣扣 一二三四五六七八", TEXT_HAS_PHONE),
        ("联系QQ", TEXT_HAS_PHONE),
        ("微信号：abc_123", TEXT_HAS_PHONE),
        # Advertising.
        ("加微信领资料", TEXT_HAS_AD),
        ("诚招代理", TEXT_HAS_AD),
        ("品牌招商中", TEXT_HAS_AD),
        ("刷单", TEXT_HAS_AD),
        ("兼职日结", TEXT_HAS_AD),
        ("免费领取", TEXT_HAS_AD),
        ("优惠券天天发", TEXT_HAS_AD),
        ("点击链接", TEXT_HAS_AD),
        ("私信领取资料", TEXT_HAS_AD),
        ("低价出售", TEXT_HAS_AD),
        ("购物返利", TEXT_HAS_AD),
        ("海外代购", TEXT_HAS_AD),
        ("扫码关注", TEXT_HAS_AD),
        ("兼 职 日 结", TEXT_HAS_AD),
    ],
)
def test_bios_refused_with_their_reason(bio, expected):
    assert check_bio(bio) == messages(expected)


@pytest.mark.parametrize(
    ("bio", "expected"),
    [
        ("加薇信 abc123", [TEXT_HAS_PHONE, TEXT_HAS_AD]),
        ("加我vx", [TEXT_HAS_PHONE, TEXT_HAS_AD]),
        ("官网 www.example.com 电话 13800138000", [TEXT_HAS_URL, TEXT_HAS_PHONE]),
    ],
)
def test_bios_breaking_several_rules(bio, expected):
    assert check_bio(bio) == messages(*expected)


@pytest.mark.parametrize(
    "statement",
    [
        "持有新闻记者证，编号：B1101xxxx",
        "统一社会信用代码 91110000MA01234567，营业执照注册号 110108012345678",
        "ISBN 978-7-111-12345-6，ISO 9001:2015 认证",
        "2019年至2023年，累计发表稿件1300篇，2024-01-15 13:30 获奖",
        "法定代理人：张三；负责招商引资报道。" + "从事新闻工作十余年，" * 40,
    ],
)
def test_legitimate_statements_pass(statement):
    assert check_statement(statement) == []


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("资质证明见 www.example.com", TEXT_HAS_URL),
        ("如需核实请致电 0571-88886666", TEXT_HAS_PHONE),
        ("本公司诚招代理，欢迎合作", TEXT_HAS_AD),
    ],
)
def test_statements_refused_with_their_reason(statement, expected):
    assert check_statement(statement) == messages(expected)


# --- fields and whole applications ---------------------------------------------------------


@pytest.mark.parametrize(
    ("account_type", "field_slug", "expected"),
    [
        (PERSONAL, "news", [FIELD_NEEDS_ORGANISATION]),
        (PERSONAL, "world", [FIELD_NEEDS_ORGANISATION]),
        (PERSONAL, "military", [FIELD_NEEDS_ORGANISATION]),
        (PERSONAL, "sports", []),
        (PERSONAL, "tech", []),
        (MEDIA, "news", []),
        (GOVERNMENT, "world", []),
        (ENTERPRISE, "military", []),
        (ORGANISATION, "news", []),
    ],
)
def test_news_fields_need_an_organisation(account_type, field_slug, expected):
    assert check_field(account_type=account_type, field_slug=field_slug) == messages(*expected)


def test_a_good_application_has_no_errors():
    errors = check_application(
        account_type=PERSONAL,
        display_name="体坛老张",
        field_slug="sports",
        bio="十年体育记者，专注足球报道",
        statement="持有新闻记者证，编号：B1101xxxx",
        channel_names=CHANNELS,
    )
    assert errors == {}


def test_a_bad_application_lists_errors_by_field():
    errors = check_application(
        account_type=PERSONAL,
        display_name="要聞號",
        field_slug="news",
        bio="加V",
        statement="详见 t.cn/abc",
        channel_names=CHANNELS,
    )
    assert errors == {
        "display_name": messages(NAME_RESERVED),
        "bio": messages(TEXT_HAS_PHONE),
        "statement": messages(TEXT_HAS_URL),
        "field": messages(FIELD_NEEDS_ORGANISATION),
    }


def test_only_fields_with_errors_appear():
    errors = check_application(
        account_type=MEDIA,
        display_name="江州日报",
        field_slug="news",
        bio="兼职日结",
        statement="",
        channel_names=iter(CHANNELS),
    )
    assert errors == {"bio": messages(TEXT_HAS_AD)}
