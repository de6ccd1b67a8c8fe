"""What an 入驻 application must not contain, checked before staff review it.

Pure functions without the database: the form and the service both call them, with the
channel names passed in. The one exception is `check_words`, which screens names, bios and
statements against the administrators' sensitive-word lists (yaowen.wordfilter). Every
check matches on `normalise()`d text so that full-width letters, traditional characters,
zero-width characters and spaced-out words do not slip through; names are shown as typed.
Each refusal has its own message, and the functions return those messages as plain strings
(compare with `str(CONSTANT)`).

The rules follow what the large Chinese self-media platforms refuse: names that
impersonate the platform, the state or the press; names too generic to identify anyone;
contact details, links and advertising in the bio or the statement; and personal accounts
in news and current affairs.
"""

import re
import unicodedata
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _


class AccountType:
    """The values of `CreatorProfile.AccountType`, as plain strings (no model import)."""

    PERSONAL = "personal"
    MEDIA = "media"
    ENTERPRISE = "enterprise"
    GOVERNMENT = "government"
    ORGANISATION = "organisation"


# Every account type but a personal one is an organisation.
ORGANISATION_TYPES: frozenset[str] = frozenset(
    {
        AccountType.MEDIA,
        AccountType.ENTERPRISE,
        AccountType.GOVERNMENT,
        AccountType.ORGANISATION,
    }
)

# Channel slugs that are news / current affairs (时政/要闻): only organisations may write there.
NEWS_FIELDS: frozenset[str] = frozenset({"news", "world", "military"})

NAME_MIN_LENGTH = 2
NAME_MAX_LENGTH = 20
BIO_MAX_LENGTH = 40

NAME_TOO_SHORT = _("名称至少需要 2 个字。")
NAME_TOO_LONG = _("名称不能超过 20 个字。")
NAME_GENERIC = _(
    "名称过于宽泛（如“新闻”“体育资讯”“用户123456”），请使用能体现你或你的机构特色的名称。"
)
NAME_RESERVED = _(
    "名称不能包含平台名称或“官方”“认证”“客服”等字样，"
    "也不能冒充党政机关、新闻媒体；个人账号名称不能使用“新闻”“日报”等媒体字样。"
)
NAME_BAD_CHARS = _(
    "名称只能使用中文、英文字母、数字、间隔号“·”和下划线，不能有表情符号，"
    "首尾不能有空格或符号，符号也不能连用。"
)
TEXT_HAS_URL = _("请不要填写网址、域名或短链接。")
TEXT_HAS_PHONE = _("请不要填写手机号、电话号码或 QQ、微信等联系方式。")
TEXT_HAS_AD = _("请不要填写广告、招商、引流或营销内容。")
FIELD_NEEDS_ORGANISATION = _(
    "时政、国际、军事领域只对媒体、政务、企业等机构账号开放，个人账号请选择其他领域。"
)
BIO_TOO_LONG = _("简介请控制在 40 个字以内，一句话介绍自己即可。")


# --- Names the platform keeps ------------------------------------------------------------

# The platform itself, its staff and its system accounts: no account type may use them.
_PLATFORM_NAMES = frozenset(
    {
        "要闻",
        "要闻号",
        "要闻官方",
        "要闻客服",
        "要闻团队",
        "要闻小助手",
        "要闻编辑部",
        "要闻头条",
        "官方",
        "官方账号",
        "官网",
        "管理员",
        "超级管理员",
        "系统管理员",
        "客服",
        "系统消息",
        "系统通知",
        "通知中心",
        "编辑部",
        "审核员",
        "审核组",
        "运营团队",
        "安全中心",
        "举报中心",
        "辟谣中心",
    }
)

# Well-known state media: only a media account may carry them (staff verify who it is).
_STATE_MEDIA_NAMES = frozenset(
    {
        "新华社",
        "新华网",
        "新华每日电讯",
        "人民日报",
        "人民网",
        "央视新闻",
        "央视网",
        "央视频",
        "新闻联播",
        "中央电视台",
        "中央广播电视总台",
        "中央人民广播电台",
        "中国新闻社",
        "中新社",
        "中新网",
        "光明日报",
        "经济日报",
        "中国日报",
        "解放军报",
        "求是杂志",
        "环球时报",
        "参考消息",
        "中国青年报",
        "学习强国",
    }
)

# Party and state bodies: only a government account may carry them.
_GOVERNMENT_NAMES = frozenset(
    {
        "国务院",
        "中共中央",
        "中央政府",
        "全国人大",
        "全国政协",
        "外交部",
        "国防部",
        "公安部",
        "国家安全部",
        "教育部",
        "财政部",
        "商务部",
        "国家卫健委",
        "国家发改委",
        "最高人民法院",
        "最高人民检察院",
        "中央纪委",
        "国家监委",
        "中央网信办",
        "国新办",
        "国家统计局",
        "应急管理部",
        "海关总署",
        "中国人民银行",
        "证监会",
        "共青团中央",
        "解放军",
    }
)

RESERVED_NAMES: frozenset[str] = _PLATFORM_NAMES | _STATE_MEDIA_NAMES | _GOVERNMENT_NAMES

# Words that claim officialdom, for every account type ("管理" is handled on its own).
_OFFICIAL_WORDS = ("官方", "官网", "官微", "认证", "平台", "客服")

# Words of the press: only media and government accounts may use them (北京青年报, 江州日报).
_PRESS_WORDS = (
    "新闻",
    "日报",
    "晚报",
    "早报",
    "晨报",
    "时报",
    "商报",
    "青年报",
    "都市报",
    "法治报",
    "通讯社",
    "报社",
    "杂志社",
    "电视台",
    "广播电台",
    "融媒体",
    "记者站",
)

# Words of party and state bodies: only government accounts may use them.
_STATE_WORDS = (
    "政府",
    "政务",
    "党委",
    "纪委",
    "监委",
    "宣传部",
    "网信办",
    "公安局",
    "公安厅",
    "公安机关",
    "派出所",
    "法院",
    "检察院",
    "交警",
    "网警",
    "特警",
)

# "管理" is an officialdom claim unless it is a topic: 时间管理达人, 管理学笔记.
_MANAGEMENT_TOPICS = (
    "时间",
    "财务",
    "财富",
    "理财",
    "资产",
    "健康",
    "情绪",
    "压力",
    "睡眠",
    "体重",
    "身材",
    "皮肤",
    "肌肤",
    "家庭",
    "项目",
    "企业",
    "团队",
    "知识",
    "自我",
    "精力",
    "目标",
    "习惯",
    "个人",
    "人力资源",
    "供应链",
    "库存",
    "私域",
    "品牌",
    "风险",
    "产品",
    "店铺",
    "质量",
    "档案",
    "工程",
)
_ALWAYS_RESERVED = _PLATFORM_NAMES | frozenset(_OFFICIAL_WORDS)
_GOVERNMENT_ONLY = _GOVERNMENT_NAMES | frozenset(_STATE_WORDS)
_MANAGEMENT_TAILS = ("学", "师", "课", "笔记", "心得", "干货", "方法", "思维", "之道")

# Latin words that claim officialdom or name state media, matched as whole words.
_LATIN_RESERVED = re.compile(
    r"(?<![a-z])(?:admin|administrator|official|guanfang|kefu|cctv|cgtn|xinhuanet)(?![a-z])"
)

# --- Generic names ---------------------------------------------------------------------------

# Topic words that name nobody; the channel names passed in are added to them.
_GENERIC_TOPICS = frozenset(
    {
        # The default channels (yaowen.newsroom.channels), also when none are passed.
        "要闻",
        "国际",
        "军事",
        "社会",
        "体育",
        "娱乐",
        "财经",
        "科技",
        "汽车",
        "房产",
        "教育",
        "旅游",
        "文化",
        "历史",
        "健康",
        "亲子",
        "家居",
        "艺术",
        "游戏",
        "数码",
        # Other generic topics and news words.
        "新闻",
        "资讯",
        "头条",
        "热点",
        "热搜",
        "热门",
        "快讯",
        "快报",
        "时事",
        "时政",
        "国内",
        "视频",
        "生活",
        "美食",
        "时尚",
        "情感",
        "搞笑",
        "八卦",
        "段子",
        "音乐",
        "电影",
        "影视",
        "动漫",
        "星座",
        "三农",
        "养生",
        "宠物",
        "摄影",
        "职场",
        "科学",
        "法律",
        "育儿",
        "股票",
        "理财",
        "news",
        "headlines",
        "sports",
        "sport",
        "finance",
        "tech",
        "technology",
        "entertainment",
        "food",
        "travel",
        "world",
        "military",
        "games",
        "auto",
        "health",
        "culture",
        "history",
        "video",
    }
)
_GENERIC_PREFIXES = (
    "每日",
    "今日",
    "每天",
    "今天",
    "天天",
    "最新",
    "实时",
    "热门",
    "热点",
    "头条",
    "全网",
    "全球",
    "中国",
    "国内",
    "精选",
    "24小时",
    "daily",
    "today",
    "top",
    "hot",
    "breaking",
    "the",
)
_GENERIC_SUFFIXES = (
    "新闻",
    "资讯",
    "频道",
    "号",
    "头条",
    "快讯",
    "快报",
    "速递",
    "热点",
    "热搜",
    "日报",
    "早报",
    "晚报",
    "网",
    "在线",
    "天地",
    "大全",
    "精选",
    "视频",
    "news",
    "daily",
    "channel",
    "online",
)
# Names that look generated: 用户123456, 网友, 小编, user_8848.
_PLACEHOLDER_NAME = re.compile(
    r"(?:用户|新用户|手机用户|微信用户|网友|游客|访客|匿名用户|匿名|小编|user|guest|visitor|anonymous)"
    r"(?P<tail>[0-9a-z]*)"
)

# --- Normalisation -------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u00ad\u034f\u061c\u115f\u1160\u180e\u200b\u200c\u200d\u200e\u200f"
        "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064"
        "\u2066\u2067\u2068\u2069\u3164\ufe0e\ufe0f\ufeff\uffa0",
    )
)

# Traditional characters that matter for matching (names, press, contact and ad words).
_TRADITIONAL = (
    "聞闻號号網网務务導导電电視视臺台廣广報报華华國国時时經经濟济頭头條条體体樂乐們们"
    "訊讯資资話话門门東东軍军錢钱貸贷費费領领優优價价碼码掃扫單单結结職职聯联員员"
    "廳厅會会黨党長长衛卫戰战聽听讀读說说認认證证統统點点鏈链購购與与為为兒儿學学"
    "動动發发實实歷历車车編编輯辑記记紀纪監监審审檢检屬属區区處处總总戶户開开關关"
    "營营團团紅红薦荐註注冊册權权稅税財财產产業业銀银獎奖勵励傳传愛爱題题熱热親亲"
    "藝艺遊游戲戏數数歲岁漢汉書书館馆畫画間间見见觀观這这個个來来對对應应幾几還还"
    "過过進进運运選选場场際际環环參参鄉乡縣县鎮镇廠厂貨货幣币賺赚贏赢賭赌騙骗兌兑"
    "換换擊击載载輸输圖图劵券盤盘漲涨萬万億亿週周雲云線线陸陆貳贰兩两寶宝驗验絡络"
    "眾众衆众龍龙馬马魚鱼飯饭廚厨讚赞評评論论訂订閱阅專专師师頻频裝装機机繫系係系"
    "紙纸誌志雜杂劇剧綜综壇坛賽赛匯汇險险樓楼設设計计園园養养醫医藥药療疗權权"
)
_SIMPLIFY = {ord(t): s for t, s in zip(_TRADITIONAL[::2], _TRADITIONAL[1::2], strict=True)}
# Dots that look like the middle dot of 张三·历史.
_DOTS = {ord(dot): "·" for dot in "・･•‧∙⋅⸱"}

_CJK = r"\u3007\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f"
_NOT_WORD = re.compile(rf"[^0-9a-z{_CJK}]")
_ALLOWED_NAME_CHAR = re.compile(rf"[0-9A-Za-z{_CJK}·_ ]")


def _fold(text: str) -> str:
    """NFKC, no invisible characters, simplified, lower case; whitespace runs become a space."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = text.translate(_SIMPLIFY).translate(_DOTS).lower()
    return re.sub(r"\s+", " ", text).strip()


def normalise(text: str) -> str:
    """The form of `text` that the checks match on (never shown).

    NFKC (full-width letters, digits and spaces become half-width), invisible and zero-width
    characters dropped, the traditional characters in `_TRADITIONAL` simplified (聞 → 闻),
    middle-dot look-alikes made "·", lower case, and no whitespace at all.
    """
    return _fold(text).replace(" ", "")


def _skeleton(key: str) -> str:
    """Only the letters, digits and CJK characters of a normalised text: 要·闻_号 → 要闻号."""
    return _NOT_WORD.sub("", key)


def _latin_skeleton(key: str) -> str:
    """The Latin letters and digits, accents dropped: "Yào Wén" → "yaowen"."""
    decomposed = unicodedata.normalize("NFKD", key)
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if not unicodedata.combining(c)))


# --- Names ---------------------------------------------------------------------------------


def _has_bad_chars(name: str) -> bool:
    if name != name.strip():
        return True
    if name.translate(_INVISIBLE) != name:
        return True
    form = unicodedata.normalize("NFKC", name).translate(_DOTS)
    if any(not _ALLOWED_NAME_CHAR.fullmatch(char) for char in form):
        return True
    # One space between words is fine ("Tech Notes"); separators stand between characters.
    return bool(re.search(r"[·_ ]{2,}", form) or re.match(r"[·_]", form) or form[-1] in "·_")


def _claims_management(skeleton: str) -> bool:
    start = skeleton.find("管理")
    while start != -1:
        before, after = skeleton[:start], skeleton[start + 2 :]
        if not (before.endswith(_MANAGEMENT_TOPICS) or after.startswith(_MANAGEMENT_TAILS)):
            return True
        start = skeleton.find("管理", start + 2)
    return False


def _impersonates(key: str, spaced: str, account_type: str) -> bool:
    """The platform, its staff, officialdom, state media or state bodies."""
    skeleton = _skeleton(key)
    # The platform's own name in any form: 要聞, 要 闻, ＹＡＯＷＥＮ, yao wen, Yào Wén.
    if "要闻" in skeleton or "yaowen" in _latin_skeleton(key):
        return True
    if any(word in skeleton for word in _ALWAYS_RESERVED):
        return True
    if _LATIN_RESERVED.search(spaced):
        return True
    # Government bodies, companies and organisations may be 管理局, 物业管理 and the like.
    if account_type in {AccountType.PERSONAL, AccountType.MEDIA} and _claims_management(skeleton):
        return True
    if account_type != AccountType.MEDIA and any(word in skeleton for word in _STATE_MEDIA_NAMES):
        return True
    if account_type != AccountType.GOVERNMENT:
        if any(word in skeleton for word in _GOVERNMENT_ONLY):
            return True
        # 北京发布, 江州公安发布: how government accounts are named.
        if skeleton.endswith("发布"):
            return True
    return False


def _uses_press_words(key: str, account_type: str) -> bool:
    """新闻, 日报 and the like, outside media and government accounts."""
    if account_type in {AccountType.MEDIA, AccountType.GOVERNMENT}:
        return False
    skeleton = _skeleton(key)
    return any(word in skeleton for word in _PRESS_WORDS)


def _generic_cores(skeleton: str) -> set[str]:
    """The name with any generic prefixes and suffixes taken off, in every order."""
    seen = {skeleton}
    todo = [skeleton]
    while todo:
        core = todo.pop()
        options = [core[len(p) :] for p in _GENERIC_PREFIXES if core.startswith(p)]
        options += [core[: -len(s)] for s in _GENERIC_SUFFIXES if core.endswith(s)]
        for option in options:
            if option not in seen:
                seen.add(option)
                todo.append(option)
    return seen


def _is_generic(key: str, channel_names: Iterable[str]) -> bool:
    skeleton = _skeleton(key)
    if not skeleton:
        return False
    if skeleton.isdigit():
        return True
    placeholder = _PLACEHOLDER_NAME.fullmatch(skeleton)
    if placeholder and (not placeholder["tail"] or any(c.isdigit() for c in placeholder["tail"])):
        return True
    channels = {_skeleton(normalise(name)) for name in channel_names} - {""}
    topics = _GENERIC_TOPICS | channels
    return any(core == "" or core in topics for core in _generic_cores(skeleton))


def check_display_name(
    name: str, *, account_type: str, channel_names: Iterable[str] = ()
) -> list[str]:
    """Why the display name (名称) is refused; empty when it is fine."""
    key = normalise(name)
    if not key:
        return [str(NAME_TOO_SHORT)]
    messages = []
    if _has_bad_chars(name):
        messages.append(NAME_BAD_CHARS)
    if len(key) < NAME_MIN_LENGTH:
        messages.append(NAME_TOO_SHORT)
    elif len(key) > NAME_MAX_LENGTH:
        messages.append(NAME_TOO_LONG)
    # One reason at most: impersonation first, then a generic name (新闻资讯 is generic
    # rather than a personal account using a press word), then the press words.
    if _impersonates(key, _fold(name), account_type):
        messages.append(NAME_RESERVED)
    elif _is_generic(key, channel_names):
        messages.append(NAME_GENERIC)
    elif _uses_press_words(key, account_type):
        messages.append(NAME_RESERVED)
    return [str(message) for message in messages]


# --- Links ---------------------------------------------------------------------------------

# Top-level domains that are no word: "example 。 com" and "example点com" count too.
_COMMON_TLDS = "com|cn|net|org|xyz|cc|icu"
# Others (some are words: Top10, VIP, Wang), and short-link hosts, only as a plain "label.tld".
_OTHER_TLDS = (
    "top|vip|wang|ltd|biz|hk|tw|info|club|shop|site|online|store|link|ink|fun|asia|mobi|cloud"
    "|tech|app|live|tv|pro|work|io|me|ly|co|gl|gd|so|la|ai|us|uk|jp|im|tk"
)
_DOT = r"(?:\.|。|丶|点|dot|\(\s*(?:\.|点|dot)\s*\)|\[\s*(?:\.|点|dot)\s*\]|【\s*(?:\.|点)\s*】)"
_SCHEME = re.compile(r"(?:https?|ftp)[:：]//")
_WWW = re.compile(rf"(?<![a-z])www{_DOT}")
_COMMON_DOMAIN = re.compile(rf"[a-z0-9]\s*{_DOT}\s*(?:{_COMMON_TLDS})(?![a-z])")
_OTHER_DOMAIN = re.compile(rf"[a-z0-9]\.(?:{_OTHER_TLDS})(?![a-z0-9])")
_SPELLED_TLD = re.compile(rf"(?:点|dot)\s*(?:{_COMMON_TLDS})(?![a-z])")
_IP_ADDRESS = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])")
# Names of technologies that look like domains.
_NOT_DOMAINS = re.compile(r"(?<![a-z])(?:asp|vb|ado)\s*\.\s*net(?![a-z])")


def _has_url(text: str) -> bool:
    spaced = _NOT_DOMAINS.sub(" ", _fold(text))
    key = spaced.replace(" ", "")
    return bool(
        _SCHEME.search(key)
        or _WWW.search(key)
        or _COMMON_DOMAIN.search(spaced)
        or _OTHER_DOMAIN.search(spaced)
        or _SPELLED_TLD.search(spaced)
        or _IP_ADDRESS.search(spaced)
    )


# --- Phone numbers and chat handles ----------------------------------------------------------

_NUMERALS = "零〇一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖"
_NUMERAL_DIGITS = str.maketrans(_NUMERALS, "0012345678912123456789")
# Seven or more digits or Chinese numerals in a row: 一三八零零一三八零零零 → 13800138000.
_NUMERAL_RUN = re.compile(rf"[0-9{_NUMERALS}](?:[ \-]?[0-9{_NUMERALS}]){{6,}}")
# Digits with a few separators between groups: 138 0013 8000, (010) 12345678.
_DIGIT_RUN = re.compile(r"\d+(?:[ \-–—()]{1,3}\d+)*")
_PHONE_NUMBER = re.compile(
    r"(?:0086|86)?1[3-9]\d{9}"  # mobile
    r"|0[1-9]\d{8,10}"  # landline with its area code
    r"|[48]00\d{7}"  # 400 / 800 service numbers
)
# A mobile number in 3-4-4 groups with any separators: 138.0013.8000, 138_0013_8000.
_MOBILE_GROUPED = re.compile(r"(?<!\d)1[3-9]\d[\s.\-_/·]+\d{4}[\s.\-_/·]+\d{4}(?!\d)")
_QQ = re.compile(
    r"(?<![a-z])(?:qq|扣扣|企鹅)\s*(?:号码|号|群)?\s*[:：是为]?\s*[1-9](?:[ \-]?\d){4,11}"
    r"|(?<![a-z])q\s*[:：]\s*[1-9]\d{4,11}"
)
_WECHAT = re.compile(
    r"(?<![a-z])(?:微信|薇信|威信|徽信|维信|卫信|v信|微x|vx|wx|weixin|wechat)"
    r"\s*(?:公众号|号码|号|id)?\s*[:：是为]?\s*[a-z0-9][a-z0-9_\-]{4,19}"
    r"|(?<![a-z])(?:v|微|薇|威)\s*[:：]\s*[a-z0-9][a-z0-9_\-]{4,19}"
)
# 加V, 加vx, 联系QQ, +v: asking readers to add a chat account (加V认证 is Weibo's badge).
_ADD_ME = re.compile(
    r"(?:(?<![增参更追叠施附])加|联系)\s*(?:我\s*)?(?:的\s*)?"
    r"(?:vx|wx|v信|v|薇信|威信|徽信|qq|q|扣扣|企鹅)(?![a-z0-9])(?!\s*认证)"
    r"|(?<![a-z0-9+])\+\s*(?:vx|wx|v|qq|q)(?![a-z0-9])"
)


def _has_phone_number(spaced: str) -> bool:
    for run in _DIGIT_RUN.finditer(spaced):
        groups = re.findall(r"\d+", run.group())
        for first in range(len(groups)):
            digits = ""
            for group in groups[first:]:
                digits += group
                if len(digits) > 13:
                    break
                if _PHONE_NUMBER.fullmatch(digits):
                    return True
    return bool(_MOBILE_GROUPED.search(spaced))


def _has_contact(text: str) -> bool:
    spaced = _NUMERAL_RUN.sub(lambda run: run.group().translate(_NUMERAL_DIGITS), _fold(text))
    return bool(
        _has_phone_number(spaced)
        or _QQ.search(spaced)
        or _WECHAT.search(spaced)
        or _ADD_ME.search(spaced)
    )


# --- Advertising ---------------------------------------------------------------------------

_AD = re.compile(
    "|".join(
        (
            r"(?<![增参更追叠施附])加(?:我)?(?:的)?(?:微信|薇信|威信|徽信|v信|vx|好友领)",
            r"[加进入]群领",
            r"代理(?!人|律师|服务器|记账)",
            r"招商(?!银行|局|证券|蛇口|基金|引资)",
            # Reporting on scams is not advertising: 揭秘刷单骗局.
            r"(?<!打击|防范|揭秘|警惕|识破)(?:刷单|刷粉|刷量|刷赞)(?!骗局|诈骗|陷阱)",
            r"兼职日结|日结工资|日结兼职|当天结算|招兼职|兼职招聘|兼职赚钱|在家兼职|网络兼职|手机兼职",
            r"免费领|免费送|免费赠送|领券|优惠券|优惠码|代金券",
            r"点击链接|点击下方链接|点链接|戳链接|点击主页链接",
            r"私信领|私信我领|私信获取|私信免费|私聊领",
            r"(?<!最)低价(?!倾销|竞争)|包邮",
            r"返利|返现|代购|微商|扫码|扫一扫|二维码",
            r"诚邀加盟|招商加盟|加盟费|诚招",
            r"月入过万|月入万元|日赚|躺赚|稳赚|包赚|网赚|一夜暴富|无抵押贷款",
        )
    )
)


def _has_ad(text: str) -> bool:
    return bool(_AD.search(normalise(text)))


# --- Public checks -------------------------------------------------------------------------


def _text_messages(text: str) -> list[str]:
    messages = []
    if _has_url(text):
        messages.append(str(TEXT_HAS_URL))
    if _has_contact(text):
        messages.append(str(TEXT_HAS_PHONE))
    if _has_ad(text):
        messages.append(str(TEXT_HAS_AD))
    return messages


def check_bio(bio: str) -> list[str]:
    """Why the one-line bio (简介) is refused; empty when it is fine (it may be empty)."""
    messages = []
    if len(bio.strip()) > BIO_MAX_LENGTH:
        messages.append(str(BIO_TOO_LONG))
    return messages + _text_messages(bio)


def check_statement(text: str) -> list[str]:
    """Why the qualification statement (资质说明) is refused: links, contacts, advertising."""
    return _text_messages(text)


def check_field(*, account_type: str, field_slug: str) -> list[str]:
    """Why this account type may not write in this field (领域): news needs an organisation."""
    if field_slug.strip().lower() in NEWS_FIELDS and account_type not in ORGANISATION_TYPES:
        return [str(FIELD_NEEDS_ORGANISATION)]
    return []


def check_application(
    *,
    account_type: str,
    display_name: str,
    field_slug: str,
    bio: str,
    statement: str,
    channel_names: Iterable[str] = (),
) -> dict[str, list[str]]:
    """Every rule above, by form field; only the fields with messages appear."""
    errors = {
        "display_name": check_display_name(
            display_name, account_type=account_type, channel_names=channel_names
        ),
        "bio": check_bio(bio),
        "statement": check_statement(statement),
        "field": check_field(account_type=account_type, field_slug=field_slug),
    }
    return {field: messages for field, messages in errors.items() if messages}


# --- Sensitive words -----------------------------------------------------------------------


def check_words(
    texts: dict[str, str], *, strict: Iterable[str] = ()
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Screen each field's text against the sensitive-word lists (this reads them).

    Returns the messages by field and the texts to store. A "block" word is an error
    naming it; a "mask" word is replaced by ＊ in the stored text, except in the `strict`
    fields (names: a name with ＊ in it names nobody), where it is an error too. "review"
    words pass: applications are reviewed anyway, and the workspace highlights them.
    """
    from yaowen.wordfilter.services import screen_text, word_blocked_message

    strict = frozenset(strict)
    errors: dict[str, list[str]] = {}
    stored: dict[str, str] = {}
    for field, text in texts.items():
        screening = screen_text(text or "")
        refused = ("block", "mask") if field in strict else ("block",)
        words = screening.words(*refused)
        if words:
            errors[field] = [word_blocked_message(words)]
        stored[field] = text if field in strict else screening.masked
    return errors, stored
