"""Analysis on save and publish: keywords, fingerprints, earlier originals, IDF, dictionary."""

import random

import pytest
from django.core.management import call_command

from yaowen.analysis import engine
from yaowen.analysis.models import ArticleAnalysis, DictionaryWord, TermStat
from yaowen.analysis.selectors import near_duplicates
from yaowen.analysis.services import idf_refit
from yaowen.core.errors import ApplicationError
from yaowen.core.tests.factories import STORY, CreatorFactory, story
from yaowen.jobs.delivery import deliver_pending
from yaowen.newsroom.models import Article, Channel
from yaowen.newsroom.services import (
    ORIGINAL_CLAIM_BLOCKED,
    ArticleInput,
    article_create,
    article_remove,
    article_submit,
    article_update,
)
from yaowen.textkit.simhash import hamming

pytestmark = pytest.mark.django_db


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


def _flip(fingerprint: int, bits: int) -> int:
    for bit in random.Random(bits).sample(range(64), bits):
        fingerprint ^= 1 << bit
    return fingerprint


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


def test_lookup_finds_any_fingerprint_within_three_bits_and_not_ten(publish):
    article = publish()
    prints = _prints(article)
    assert len(set(prints)) == 3
    for bits in (0, 1, 2, 3):
        # One fingerprint close is enough, whichever it is.
        for close in range(3):
            query = [_flip(p, bits if n == close else 20) for n, p in enumerate(prints)]
            found = near_duplicates(query)
            assert [(m.article_id, m.distance) for m in found] == [(article.pk, bits)]
    assert near_duplicates([_flip(p, 10) for p in prints]) == []
    assert near_duplicates((0, 0, 0)) == []
    with pytest.raises(ValueError):
        near_duplicates(prints, bits=4)


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
    assert analysis.duplicate_distance <= 3
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

    article_approve(article=copy, reviewer=editor)
    client.logout()
    page = client.get(copy.get_absolute_url()).content.decode()
    assert "内容高度相似" in page and original.get_absolute_url() in page


def test_an_unrelated_article_and_the_same_creators_own_copy_are_not_flagged(publish):
    original = publish()
    other = _draft(
        CreatorFactory(),
        title="国产大飞机完成高原试飞",
        body=story(
            [
                "国产大型客机近日在青海完成高原机场试飞，验证了飞机在高海拔条件下的起降性能。",
                "试飞团队表示，高原试飞是适航取证的重要科目，需要在低气压、强紫外线环境中检验发动机。",
                "此次试飞历时两周，累计完成四十余个架次，各项数据达到设计要求。",
                "下一步，研制单位将继续开展高寒、高湿等特殊环境试验，为交付运营做好准备。",
                "业内人士认为，这标志着国产民机在复杂运行环境下的可靠性得到进一步验证。",
            ]
        ),
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
    prints = _prints(article)
    assert near_duplicates(prints)
    article_remove(article=article, by=article.author.user, reason="侵权")
    deliver_pending()
    assert near_duplicates(prints) == []


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
