"""A short device name ("Chrome · Windows") from a User-Agent header (pure function)."""

from django.utils.translation import gettext as _

# (marker in the header, name); the first marker found wins, so order matters: in-app
# browsers and Chromium derivatives name themselves before the "Chrome" and "Safari" tokens
# they also carry.
BROWSERS = (
    ("MicroMessenger", "wechat"),
    ("DingTalk", "DingTalk"),
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("FxiOS", "Firefox"),
    ("HeadlessChrome", "Chrome"),
    ("CriOS", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("HarmonyOS", "HarmonyOS"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)


def device_label(user_agent: str) -> str:
    browser = next((name for marker, name in BROWSERS if marker in user_agent), "")
    if browser == "wechat":
        browser = _("微信")
    system = next((name for marker, name in SYSTEMS if marker in user_agent), "")
    parts = [part for part in (browser, system) if part]
    return " · ".join(parts) if parts else _("未知设备")
