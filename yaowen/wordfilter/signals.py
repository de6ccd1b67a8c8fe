"""Any write to the lists, however made (services, the Django admin, a shell, a test's
factory), makes every process recompile its matcher: derived data, so a signal."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from yaowen.wordfilter.models import SensitiveWord
from yaowen.wordfilter.screening import words_changed


@receiver(post_save, sender=SensitiveWord, dispatch_uid="wordfilter_saved")
@receiver(post_delete, sender=SensitiveWord, dispatch_uid="wordfilter_deleted")
def _lists_changed(**kwargs) -> None:
    words_changed()
