"""The site as `bin/serve` runs it: two web workers and the queue consumer under the
supervisor (`manage.py serve`), on their own database, cache and queue. What only several
processes can show: schedules that fire with nothing else running, invalidation and
purges that reach every worker, a consumer killed mid-task losing nothing."""

import json
import os
import signal
import time
import urllib.parse

import pyotp
import pytest

from yaowen.jobs.tests.harness import Site, until

# Enough requests that both web workers answer some (each takes a request at random).
SPREAD = 24

pytestmark = pytest.mark.processes


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    running = Site(tmp_path_factory.mktemp("site"))
    try:
        running.manage("migrate", "--noinput", "-v0")
        # Production settings serve hashed static files: a fresh checkout has none yet.
        running.manage("collectstatic", "--noinput", "-v0")
        seeded = running.shell("from yaowen.jobs.tests.site_seed import seed; seed()")
        running.ids = json.loads(seeded.strip().splitlines()[-1])
        running.start()
        yield running
    finally:
        running.close()


def _spread(site: Site, path: str) -> list:
    return [site.get(path) for _request in range(SPREAD)]


def test_a_second_copy_refuses_to_start_beside_the_first(site):
    again = site.manage("serve", "--port", str(site.port), check=False)
    assert again.returncode != 0
    assert "already being served" in again.stderr


def test_an_edit_is_seen_from_every_worker(site):
    live = site.ids["live"][0]
    assert all("越冬候鸟第1批" in page.text for page in _spread(site, f"/a/{live}/"))
    site.shell(
        "from yaowen.newsroom.models import Article;"
        "from yaowen.newsroom.services import ArticleInput, article_update;"
        f"a = Article.objects.get(pk={live});"
        "article_update(article=a, data=ArticleInput.from_article(a, title='青岚湖湿地候鸟"
        "数量创十年新高'), by=a.author.user)"
    )
    pages = _spread(site, f"/a/{live}/")
    assert all("候鸟数量创十年新高" in page.text for page in pages)


def test_purge_pages_reaches_the_running_server(site):
    live = site.ids["live"][1]
    # A title changed behind the cache's back (no invalidation) stays unseen while the
    # page is cached; the purge shows it everywhere. On a loaded machine the entry can
    # expire (60 s) or a job can drop it between the two looks: then the change shows
    # without the purge and proves nothing, so the check starts again with a new title.
    for attempt in range(3):
        assert all(page.status == 200 for page in _spread(site, f"/a/{live}/"))
        title = f"悄悄改过的标题{attempt}"
        site.shell(
            "from yaowen.newsroom.models import Article;"
            f"Article.objects.filter(pk={live}).update(title={title!r})"
        )
        if not any(title in page.text for page in _spread(site, f"/a/{live}/")):
            break
    else:
        pytest.fail("the page was never served from the cache after a change")
    assert "Every cached page" in site.manage("purge_pages", "--all").stdout
    assert all(title in page.text for page in _spread(site, f"/a/{live}/"))


def test_a_take_down_by_one_worker_is_served_by_none(site):
    live = site.ids["live"][1]
    assert all(page.status == 200 for page in _spread(site, f"/a/{live}/"))
    # Editors sign in with a second factor: an authenticator app, then its next code.
    secret = pyotp.random_base32()
    site.shell(
        "import pyotp;"
        "from yaowen.accounts.models import User;"
        "from yaowen.accounts.security.services import totp_enable;"
        f"totp_enable(user=User.objects.get(username='editor'), secret={secret!r},"
        f" code=pyotp.TOTP({secret!r}).now())"
    )
    editor = site.login("editor", "editor-pass-123")
    step = site.get("/accounts/login/verify/", editor)
    code = pyotp.TOTP(secret).at(time.time() + 30)
    site.post("/accounts/login/verify/", {"code": code}, editor, step.text)
    form = site.get(f"/review/articles/{live}/", editor)
    assert form.status == 200
    done = site.post(
        f"/review/articles/{live}/",
        {"action": "take_down", "reason": "经核实存在侵权内容", "category": ""},
        editor,
        form.text,
    )
    assert done.getcode() in (200, 302)
    assert [page.status for page in _spread(site, f"/a/{live}/")] == [410] * SPREAD


def test_after_approval_search_and_the_neighbours_lists_have_it_within_10_s(site):
    pending = site.ids["pending"]
    neighbour = site.ids["live"][0]
    started = time.monotonic()
    site.shell(
        "from yaowen.accounts.models import User;"
        "from yaowen.newsroom.models import Article;"
        "from yaowen.newsroom.services import article_approve;"
        f"article_approve(article=Article.objects.get(pk={pending}),"
        " reviewer=User.objects.get(username='editor'))"
    )
    link = f'href="/a/{pending}/"'
    found = until(
        lambda: (
            link in site.get("/search/?q=" + urllib.parse.quote("白鹤种群")).text
            and link in site.get(f"/a/{neighbour}/").text
        ),
        seconds=10,
    )
    assert found, (
        f"not listed {time.monotonic() - started:.1f} s after approval: in search "
        f"{link in site.get('/search/?q=' + urllib.parse.quote('白鹤种群')).text}, "
        f"in the neighbour's list {link in site.get(f'/a/{neighbour}/').text}"
    )


def test_a_failing_listener_is_retried_then_shown_as_failed(site):
    site.shell("from yaowen.jobs.events import announce; announce('probe.fail')")
    listed = until(
        lambda: (
            "probe.fail → yaowen.jobs.tests.probes.fail (3 attempts)" in site.manage("jobs").stdout
        ),
        seconds=30,
    )
    assert listed, site.manage("jobs").stdout
    assert "FAILED for good" in site.log()


def test_a_consumer_killed_mid_task_loses_no_event_and_is_restarted_loudly(site, tmp_path):
    site.shell(
        "from yaowen.jobs.events import announce;"
        f"announce('probe.slow', folder={str(tmp_path)!r}, seconds=8)"
    )
    assert until(lambda: (tmp_path / "started").exists(), seconds=20)
    consumer = site.pids("queue consumer")[-1]
    os.kill(consumer, signal.SIGKILL)
    assert until(lambda: len(site.pids("queue consumer")) >= 2, seconds=20), site.log()
    assert f"queue consumer DIED with exit code -{signal.SIGKILL}" in site.log()
    assert until(lambda: (tmp_path / "done").exists(), seconds=40), site.log()
    started = (tmp_path / "started").read_text().split()
    assert len(started) == 2 and len(set(started)) == 1  # the same delivery, run again
    status = site.shell(
        "from yaowen.jobs.models import Delivery;"
        "print(Delivery.objects.filter(event='probe.slow').get().status)"
    )
    assert status.strip() == "done"


def test_a_scheduled_article_goes_live_within_90_s_with_nothing_else_running(site):
    made = site.shell_json(
        "from yaowen.jobs.tests.site_seed import seed_scheduled; seed_scheduled()"
    )
    assert made["status"] == "scheduled"
    article = made["scheduled"]
    assert site.get(f"/a/{article}/").status == 404
    deadline = made["at"] + 30  # 90 s after it was scheduled
    live = until(
        lambda: site.get(f"/a/{article}/").status == 200,
        seconds=max(1, deadline - time.time()),
    )
    assert live, site.manage("jobs").stdout
