"""Newsroom writes. Services keep counters, revisions and page caches true; models never do.

- articles: create, edit, revisions, remove
- workflow: submit, review, schedule and publish
- images: uploads turned into cleaned originals and resized variants
- imports: many articles of one creator through the same pipeline, a batch at a time
"""

from yaowen.newsroom.services.articles import (
    ALREADY_REMOVED,
    BODY_REQUIRED,
    NOT_EDITABLE,
    NOT_YOUR_ARTICLE,
    REASON_REQUIRED,
    TITLE_REQUIRED,
    ArticleInput,
    ReferenceInput,
    article_create,
    article_remove,
    article_update,
    revision_restore,
)
from yaowen.newsroom.services.images import image_upload
from yaowen.newsroom.services.imports import ImportResult, articles_import
from yaowen.newsroom.services.workflow import (
    CANNOT_PUBLISH,
    CREATOR_CANNOT_PUBLISH,
    NOT_A_REVIEWER,
    NOT_PENDING,
    ORIGINAL_CLAIM_BLOCKED,
    REJECT_REASON_REQUIRED,
    SCHEDULE_IN_PAST,
    article_approve,
    article_publish,
    article_reject,
    article_submit,
    articles_publish_due,
)

__all__ = [
    "ALREADY_REMOVED",
    "BODY_REQUIRED",
    "CANNOT_PUBLISH",
    "CREATOR_CANNOT_PUBLISH",
    "NOT_A_REVIEWER",
    "NOT_EDITABLE",
    "NOT_PENDING",
    "NOT_YOUR_ARTICLE",
    "ORIGINAL_CLAIM_BLOCKED",
    "REASON_REQUIRED",
    "REJECT_REASON_REQUIRED",
    "SCHEDULE_IN_PAST",
    "TITLE_REQUIRED",
    "ArticleInput",
    "ImportResult",
    "ReferenceInput",
    "article_approve",
    "article_create",
    "article_publish",
    "article_reject",
    "article_remove",
    "article_submit",
    "article_update",
    "articles_import",
    "articles_publish_due",
    "image_upload",
    "revision_restore",
]
