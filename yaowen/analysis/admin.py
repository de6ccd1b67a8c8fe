"""Staff edit the platform's dictionary words here; the tokenizer picks them up by itself."""

from django.contrib import admin

from yaowen.analysis.models import DictionaryWord


@admin.register(DictionaryWord)
class DictionaryWordAdmin(admin.ModelAdmin):
    list_display = ["word", "created_at"]
    search_fields = ["word"]
