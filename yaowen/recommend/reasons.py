"""推荐理由: a recommended article together with the short reason shown beside it."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from yaowen.newsroom.cards import ArticleCard


class Why:
    """The kinds of reason; each has one sentence in `reason_text`."""

    KEYWORDS = "keywords"  # shares the article's keywords (related lists)
    INTEREST = "interest"  # matches keywords the reader reads about (feed)
    TOPIC = "topic"  # same topic, no shared keyword worth naming
    FOLLOW = "follow"  # by a creator the reader follows
    CHANNEL = "channel"  # from a channel the reader reads or picked
    HOT = "hot"
    EDITOR = "editor"


@dataclass(frozen=True, slots=True)
class Pick:
    """A recommended article and why it was picked: data, cached as it is, drawn by the card
    templates (`templates/jinja2/cards/`); `reason` is translated when rendered.

    It reads as its card (`pick.title`, `pick.url`), so every card template shows it.
    """

    card: ArticleCard
    why: str
    words: tuple[str, ...] = ()
    name: str = ""

    def __getattr__(self, name: str):
        if name.startswith("__"):  # copy and pickle probe dunders before fields exist
            raise AttributeError(name)
        return getattr(self.card, name)

    @property
    def reason(self) -> str:
        return reason_text(self.why, self.words, self.name)

    def __reduce__(self):
        return (Pick, (self.card, self.why, self.words, self.name))  # as ArticleCard's


def reason_text(why: str, words: tuple[str, ...] = (), name: str = "") -> str:
    """One short sentence in the active language: 与本文关键词“X”“Y”相关, 你关注了 Z, 热点…"""
    quoted = _("、").join(f"“{word}”" for word in words)
    if why == Why.KEYWORDS and quoted:
        return _("与本文关键词%(words)s相关") % {"words": quoted}
    if why == Why.INTEREST and quoted:
        return _("与你常看的%(words)s相关") % {"words": quoted}
    if why == Why.FOLLOW and name:
        return _("你关注了%(name)s") % {"name": name}
    if why == Why.CHANNEL and name:
        return _("来自你常看的%(name)s频道") % {"name": name}
    if why == Why.HOT:
        return _("热点")
    if why == Why.EDITOR:
        return _("编辑推荐")
    return _("同类话题")
