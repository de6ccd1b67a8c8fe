"""Analysis on save and publish: keywords, fingerprints, copies and earlier originals, IDF,
dictionary."""

import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yaowen.analysis import engine
from yaowen.analysis.models import ArticleAnalysis, CopyAnchor, DictionaryWord, TermStat
from yaowen.analysis.selectors import near_duplicates
from yaowen.analysis.services import article_analyse, idf_refit
from yaowen.core.errors import ApplicationError
from yaowen.core.tests.factories import STORY, CreatorFactory, story
from yaowen.jobs.delivery import deliver_pending
from yaowen.newsroom.models import Article, Channel
from yaowen.newsroom.rendering import plain_text
from yaowen.newsroom.services import (
    ORIGINAL_CLAIM_BLOCKED,
    ArticleInput,
    article_create,
    article_remove,
    article_submit,
    article_update,
)
from yaowen.search.selectors import article_search
from yaowen.textkit import copies
from yaowen.textkit.simhash import hamming

pytestmark = pytest.mark.django_db

OTHER_STORY = [
    "国产大型客机近日在青海完成高原机场试飞，验证了飞机在高海拔条件下的起降性能。",
    "试飞团队表示，高原试飞是适航取证的重要科目，需要在低气压、强紫外线环境中检验发动机。",
    "此次试飞历时两周，累计完成四十余个架次，各项数据达到设计要求。",
    "下一步，研制单位将继续开展高寒、高湿等特殊环境试验，为交付运营做好准备。",
    "业内人士认为，这标志着国产民机在复杂运行环境下的可靠性得到进一步验证。",
]


def _draft(
    author,
    *,
    title="寒潮来袭：长江沿线城市降温超十度",
    body=None,
    original=False,
    channel="society",
):
    draft = article_create(
        author=author,
        channel=Channel.objects.get(slug="society"),
        title=title,
        body_source=body if body is not None else story(),
        is_original=original,
    )
    deliver_pending()  # analysed in the background, as the queue's consumer would
    return draft


def test_a_saved_article_has_keywords_terms_and_a_fingerprint(publish):
    article = publish()
    analysis = ArticleAnalysis.objects.get(article=article)
    terms = analysis.keyword_terms
    assert "寒潮" in terms
    assert all(weight > 0 for _term, weight in analysis.keywords)
    assert "寒潮" in analysis.title_terms.split()
    assert analysis.fingerprint != 0
    assert analysis.published_at == article.published_at


def test_keywords_show_as_tags_on_the_article_page(client, publish):
    article = publish()
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<ul class="keyword-tags">' in page
    assert "/search/?q=%E5%AF%92%E6%BD%AE" in page  # 寒潮 links to its search


def _prints(article) -> tuple[int, ...]:
    return ArticleAnalysis.objects.get(article=article).prints


def _sketch(text: str) -> copies.Sketch:
    return copies.sketch(plain_text(text))


def test_lookup_finds_whole_and_partial_copies_through_the_anchor_index(publish):
    article = publish()
    assert CopyAnchor.objects.filter(article=article).count() == len(
        _sketch(article.body_source).kept_anchors()
    )
    whole = near_duplicates(_sketch(story()))
    assert [(m.article_id, m.share) for m in whole] == [(article.pk, 100)]
    # Half of the paragraphs inside five paragraphs of another story: 洗稿.
    mixed = story([*STORY[:2], *OTHER_STORY, *STORY[3:5]])
    assert [m.article_id for m in near_duplicates(_sketch(mixed))] == [article.pk]
    assert near_duplicates(_sketch(story(OTHER_STORY))) == []
    assert near_duplicates(_sketch(STORY[0])) == []  # too short to call a copy
    assert near_duplicates(_sketch(story()), exclude_article=article.pk) == []


def test_a_reordered_and_edited_copy_is_flagged_and_cannot_claim_original(publish):
    original = publish()
    paragraphs = list(STORY)
    random.Random(1).shuffle(paragraphs)
    paragraphs[0] = paragraphs[0].replace("记者", "笔者")
    paragraphs[3] = "据当地媒体报道，" + paragraphs[3]
    copier = CreatorFactory()
    copy = _draft(copier, body=story(paragraphs), original=True)

    analysis = ArticleAnalysis.objects.get(article=copy)
    assert analysis.duplicate_of_id == original.pk
    assert analysis.duplicate_kind == ArticleAnalysis.DuplicateKind.BODY
    assert analysis.duplicate_share >= 80
    with pytest.raises(ApplicationError) as error:
        article_submit(article=copy, by=copier.user)
    assert str(error.value) == str(ORIGINAL_CLAIM_BLOCKED).format(title=original.title)
    copy.refresh_from_db()
    assert copy.status == Article.Status.DRAFT


def test_a_trusted_creators_copy_goes_to_review_and_links_to_the_original(
    client, publish, settings
):
    settings.TRUSTED_CREATORS_SKIP_REVIEW = True
    original = publish()
    copier = CreatorFactory(is_trusted=True)
    copy = _draft(copier, body=story(reversed(STORY)))
    article_submit(article=copy, by=copier.user)
    copy.refresh_from_db()
    assert copy.status == Article.Status.PENDING

    from django.contrib.auth.models import Permission

    from yaowen.core.tests.factories import UserFactory
    from yaowen.newsroom.services import article_approve

    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="review_article"))
    client.force_login(editor)
    review = client.get(f"/review/articles/{copy.pk}/").content.decode()
    assert "正文与其他作者更早发布的" in review and f"/review/articles/{original.pk}/" in review
    # Which paragraph comes from which: the copy's first paragraph is the original's last.
    assert "与原文重合的段落" in review
    assert "本文第 1 段" in review and f"原文第 {len(STORY)} 段" in review

    article_approve(article=copy, reviewer=editor)
    client.logout()
    page = client.get(copy.get_absolute_url()).content.decode()
    assert "内容高度相似" in page and original.get_absolute_url() in page


def test_an_unrelated_article_and_the_same_creators_own_copy_are_not_flagged(publish):
    original = publish()
    other = _draft(
        CreatorFactory(),
        title="国产大飞机完成高原试飞",
        body=story(OTHER_STORY),
    )
    assert ArticleAnalysis.objects.get(article=other).duplicate_of is None
    # A different story on another subject is far away on every fingerprint.
    distances = [hamming(a, b) for a, b in zip(_prints(original), _prints(other), strict=True)]
    assert min(distances) >= 10, distances
    own = _draft(original.author, body=story(reversed(STORY)))
    assert ArticleAnalysis.objects.get(article=own).duplicate_of is None


def test_a_short_text_is_matched_by_its_exact_normalised_title(publish):
    original = publish(title="武汉发布寒潮蓝色预警，市民注意保暖", body="简讯。")
    copy = _draft(CreatorFactory(), title="武汉發佈寒潮藍色預警 市民注意保暖！", body="转发简讯。")
    analysis = ArticleAnalysis.objects.get(article=copy)
    assert analysis.duplicate_of_id == original.pk
    assert analysis.duplicate_kind == ArticleAnalysis.DuplicateKind.TITLE


def test_a_later_publication_is_not_called_the_original(publish):
    copier = CreatorFactory()
    draft = _draft(copier)
    assert ArticleAnalysis.objects.get(article=draft).duplicate_of is None
    original = publish()  # published while the copy waited as a draft
    article_submit(article=draft, by=copier.user)
    assert ArticleAnalysis.objects.get(article=draft).duplicate_of_id == original.pk


def test_takedown_removes_an_article_from_lookups(publish):
    article = publish()
    assert near_duplicates(_sketch(article.body_source))
    article_remove(article=article, by=article.author.user, reason="侵权")
    deliver_pending()
    assert near_duplicates(_sketch(article.body_source)) == []


def test_publishing_counts_terms_and_refit_recounts_exactly(publish):
    publish()
    publish(title="寒潮之后气温回升", body=story(STORY[4:]))
    assert TermStat.objects.get(term="").df == 2
    assert TermStat.objects.get(term="寒潮").df == 2
    assert TermStat.objects.get(term="羽绒服").df == 1
    article = publish(title="第三篇寒潮报道", body=story(STORY[:3]))
    article_remove(article=article, by=article.author.user, reason="重复")
    deliver_pending()
    assert TermStat.objects.get(term="").df == 3  # takedowns wait for the refit
    assert idf_refit() == 2
    assert TermStat.objects.get(term="").df == 2
    assert TermStat.objects.get(term="羽绒服").df == 1


def test_keywords_refit_command_shows_progress_and_keeps_keywords(publish, capsys):
    article = publish()
    call_command("keywords", "refit")
    captured = capsys.readouterr()
    assert "IDF refitted on 1 published articles" in captured.out
    assert "keywords" in captured.err  # the progress bar
    call_command("keywords", "show", str(article.pk))
    assert "寒潮" in capsys.readouterr().out


def test_keywords_command_errors_are_messages():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="has not been analysed"):
        call_command("keywords", "show", "999999")
    with pytest.raises(CommandError, match="name a subcommand"):
        call_command("keywords")


def test_platform_words_are_segmented_whole(publish, monkeypatch):
    monkeypatch.setattr(engine, "RELOAD_CHECK_SECONDS", 0.0)
    engine.reset()
    assert "鲲鹏计划" not in engine.tokenizer().tokens("平台启动鲲鹏计划扶持原创作者")
    DictionaryWord.objects.create(word="鲲鹏计划")
    assert "鲲鹏计划" in engine.tokenizer().tokens("平台启动鲲鹏计划扶持原创作者")
    creator = CreatorFactory(display_name="江城晚报观察")
    assert "江城晚报观察" in engine.tokenizer().tokens(f"本文作者{creator.display_name}报道")
    engine.reset()


def _found(word: str) -> list[int]:
    return [hit.card.id for hit in article_search(text=word).page]


def _anchors(article) -> set[int]:
    return set(CopyAnchor.objects.filter(article=article).values_list("anchor", flat=True))


def test_analysing_unchanged_text_again_rewrites_no_index_entry_nor_anchors(publish):
    article = publish()
    anchors = _anchors(article)
    with CaptureQueriesContext(connection) as queries:
        analysis = article_analyse(article=article)
    writes = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SELECT")]
    # One write, of what the search index does not read: its entry is left as it was.
    assert len(writes) == 1 and "body_terms" not in writes[0], writes
    assert ArticleAnalysis.objects.get(article=article).keywords == analysis.keywords
    assert _anchors(article) == anchors
    assert _found("寒潮") == [article.pk]


def test_analysing_new_text_reindexes_it(publish):
    article = publish()
    article.title, article.body_source = "国产大飞机完成高原试飞", story(OTHER_STORY)
    article_analyse(article=article)
    assert _found("试飞") == [article.pk]
    assert _found("寒潮") == []
    expected = copies.to_signed(copies.sketch(plain_text(story(OTHER_STORY))).kept_anchors())
    assert _anchors(article) == set(expected)


def test_editing_a_draft_reanalyses_it():
    author = CreatorFactory()
    draft = _draft(author)
    data = ArticleInput.from_article(draft, title="国产大飞机完成高原试飞")
    article_update(article=draft, data=data, by=author.user)
    deliver_pending()
    assert "试飞" in ArticleAnalysis.objects.get(article=draft).title_terms


def test_staff_add_dictionary_words_in_the_admin(admin_client):
    response = admin_client.post("/admin/analysis/dictionaryword/add/", {"word": "鲲鹏计划"})
    assert response.status_code == 302
    assert DictionaryWord.objects.filter(word="鲲鹏计划").exists()
