"""The Django side of the text engine: per-article analysis, the dictionary and the IDF."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "yaowen.analysis"
    verbose_name = _("文本分析")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from yaowen.accounts.models import CreatorProfile
        from yaowen.analysis.engine import dictionary_changed
        from yaowen.analysis.models import DictionaryWord
        from yaowen.newsroom.models import Channel

        def changed(**kwargs) -> None:
            dictionary_changed()

        # Derived data only: the tokenizer's word list follows these names.
        for model in (Channel, CreatorProfile, DictionaryWord):
            post_save.connect(
                changed, sender=model, weak=False, dispatch_uid=f"dictionary-{model.__name__}"
            )
            post_delete.connect(
                changed, sender=model, weak=False, dispatch_uid=f"dictionary-{model.__name__}-"
            )
