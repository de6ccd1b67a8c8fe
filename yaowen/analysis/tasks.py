"""Analysis's periodic jobs (the queue's consumer runs them)."""

from yaowen.analysis.services import classifier_train, idf_refit
from yaowen.jobs.schedule import periodic_job
from yaowen.newsroom.models import Article

# Fewer published articles than this teach the classifier nothing useful.
MIN_TRAINING_ARTICLES = 50


@periodic_job(
    name="analysis.keywords_refit",
    minute="10",
    hour="3",
    description="按已发布文章重算词频（IDF）和关键词",
)
def keywords_refit() -> str:
    return f"refitted on {idf_refit()} articles"


@periodic_job(
    name="analysis.classifier_train",
    minute="10",
    hour="5",
    day_of_week="0",
    description="用已发布文章训练频道分类器",
)
def classifier_weekly() -> str:
    if Article.objects.filter(status=Article.Status.PUBLISHED).count() < MIN_TRAINING_ARTICLES:
        return "skipped: too few published articles"
    classifier_train()
    return "trained"
