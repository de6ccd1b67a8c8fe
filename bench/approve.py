"""Benchmark the approve request: an editor approves pending articles in the review workspace.

    .venv/bin/python bench/approve.py                                  # 100,000 articles
    .venv/bin/python bench/approve.py --articles 2000 --rounds 2       # a quick run
    .venv/bin/python bench/approve.py --checkout /work/approve-before  # before and after

The corpus is the demo site of --articles articles (bench/var/bench-<N>.sqlite3, built once
by `manage.py demo`, see bench/_corpus.py), with its channel classifier beside it. Each
checkout measured gets its own copy of that corpus, migrated by its own `manage.py`, and
its own on-disk cache and task queue in a scratch folder.

Each round composes --pending articles of about 1,500 Chinese characters (the demo
composer, a seed per round) and, for every checkout, starts one process (DEBUG off, the
production settings `config.settings.base`, that checkout's code) that:

1. creates them through the real services, `article_create` then `article_submit`, each
   by a different active creator, so they are analysed as on the site, and runs any
   background tasks that queued (a checkout with a task queue analyses in a task);
2. logs the demo editor in with Django's test `Client` and POSTs the review workspace's
   approve form (`moderation:article`, verdict=approve with a note) for each article,
   timing each request with `time.perf_counter()` (server time: middleware, view,
   services, the commit and what runs in it; no network), and checks that it answered
   with a redirect and that the article is published.

One more article is approved first, untimed: its time is printed as "first" (a worker's
first request after start-up). With --checkout, "this" (the checkout holding this script)
and the other run in turn in each round, in alternating order, so a slow minute on a shared
machine slows both. Prints each round's median, p90 and first request in ms, then the
median over rounds.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import ROOT, VAR, build_corpus, corpus_env, log, percentile  # noqa: E402

EDITOR = "editor"
BODY_CHARS = 1500
NOTE = "内容属实，来源清楚，予以通过。"
FIGURES = [f"/media/demo/figures/{index:02d}.webp" for index in range(48)]
_HAN = re.compile("[\u4e00-\u9fff]")


# -- the articles ------------------------------------------------------------------------


def compose(count: int, seed: int) -> list[dict]:
    """`count` articles of about BODY_CHARS Chinese characters, channels in turn: paragraphs
    of further articles of the same channel are appended until the body is long enough."""
    from yaowen.demo.compose import CHANNELS, compose_article

    rng = random.Random(seed)
    day = dt.date.today()
    articles = []
    for index in range(count):
        channel = CHANNELS[index % len(CHANNELS)]
        piece = compose_article(rng, channel, FIGURES, day)
        paragraphs = piece.body_markdown.split("\n\n")
        size = len(_HAN.findall(piece.body_markdown))
        while size < BODY_CHARS:
            extra = compose_article(rng, channel, FIGURES, day).body_markdown.split("\n\n")
            for paragraph in extra[1:]:  # the lead paragraph repeats the dateline
                paragraphs.append(paragraph)
                size += len(_HAN.findall(paragraph))
                if size >= BODY_CHARS:
                    break
        articles.append(
            {
                "channel": channel,
                "title": piece.title[:64],
                "summary": piece.summary[:200],
                "body": "\n\n".join(paragraphs),
                "tags": piece.tags,
            }
        )
    return articles


# -- the measuring process (runs with one checkout's code) -------------------------------


def drain_queue() -> int:
    """Run the tasks that creating the articles queued; 0 for a checkout without a queue."""
    from django.conf import settings

    if "huey.contrib.djhuey" not in settings.INSTALLED_APPS:
        return 0
    from huey.contrib.djhuey import HUEY

    done = 0
    while (task := HUEY.dequeue()) is not None:
        HUEY.execute(task)
        done += 1
    return done


def measure(articles_file: Path, seed: int) -> dict:
    """Create and submit the articles, then approve each through the workspace's form."""
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    import yaowen
    from yaowen.accounts.models import CreatorProfile, User
    from yaowen.newsroom.models import Article, Channel
    from yaowen.newsroom.services import article_create, article_submit

    pieces = json.loads(articles_file.read_text(encoding="utf-8"))
    channels = {channel.slug: channel for channel in Channel.objects.all()}
    active = list(
        CreatorProfile.objects.filter(status=CreatorProfile.Status.ACTIVE)
        .select_related("user")
        .order_by("pk")
    )
    if len(active) < len(pieces):
        sys.exit(
            f"{len(pieces)} articles need as many active creators; the corpus has {len(active)}"
        )
    creators = random.Random(seed).sample(active, len(pieces))

    started = time.perf_counter()
    ids = []
    for piece, creator in zip(pieces, creators, strict=True):
        article = article_create(
            author=creator,
            channel=channels[piece["channel"]],
            title=piece["title"],
            body_source=piece["body"],
            summary=piece["summary"],
            tags=piece["tags"],
            by=creator.user,
        )
        article = article_submit(article=article, by=creator.user)
        if article.status != Article.Status.PENDING:
            sys.exit(f"article {article.pk} went to {article.status!r}, not to review")
        ids.append(article.pk)
    tasks = drain_queue()
    prepared = time.perf_counter() - started

    client = Client()
    # A fully signed-in session (staff pass a second factor at the login form since
    # issue 16; force_login signs in as if they had, in either checkout).
    client.force_login(User.objects.get(username=EDITOR))
    times = []
    for pk in ids:
        url = reverse("moderation:article", args=[pk])
        start = time.perf_counter()
        response = client.post(url, {"verdict": "approve", "note": NOTE})
        elapsed = time.perf_counter() - start
        if response.status_code not in (200, 302):
            sys.exit(f"POST {url} answered {response.status_code}")
        status = Article.objects.filter(pk=pk).values_list("status", flat=True).get()
        if status != Article.Status.PUBLISHED:
            sys.exit(f"POST {url} answered {response.status_code} but the article is {status!r}")
        times.append(elapsed * 1000)
    # What publishing queued runs now, untimed, as a consumer keeping up would: the next
    # round starts from a site with nothing left to do.
    tasks += drain_queue()
    return {
        "code": str(Path(yaowen.__file__).resolve().parent.parent),
        "prepared_s": prepared,
        "tasks": tasks,
        "first_ms": times[0],
        "times_ms": times[1:],
    }


# -- the driver --------------------------------------------------------------------------


def checkout_env(root: Path, scratch: Path, base: dict[str, str]) -> dict[str, str]:
    """One checkout's environment: its code first on the path; its own database copy,
    cache folder and task queue."""
    env = dict(base)
    env.update(
        {
            "PYTHONPATH": str(root),
            "SQLITE_PATH": str(scratch / "db.sqlite3"),
            "CACHE_DIR": str(scratch / "cache"),
            "QUEUE_PATH": str(scratch / "queue.sqlite3"),
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DEBUG": "0",
            # Every submission goes to review, trusted creators' included.
            "TRUSTED_CREATORS_SKIP_REVIEW": "0",
        }
    )
    return env


def copy_database(source: str, target: Path) -> None:
    """A consistent copy of the corpus (its write-ahead log included), through SQLite's backup."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def ensure_classifier(env: dict[str, str]) -> None:
    """The demo trains the classifier while building; a corpus built without this
    benchmark's CLASSIFIER_PATH gets one trained now, once."""
    if Path(env["CLASSIFIER_PATH"]).exists():
        return
    log(f"classifier: training {env['CLASSIFIER_PATH']} on the corpus, once")
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "classifier", "train"],
        check=True,
        cwd=ROOT,
        env=env,
        stdout=sys.stderr,
    )


def run_round(root: Path, env: dict[str, str], articles_file: Path, seed: int) -> dict:
    """One measuring process with `root`'s code; its figures (the last line it prints).
    Its log (a task queue logs every task) is shown only when it fails."""
    result = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--measure",
            str(articles_file),
            "--seed",
            str(seed),
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"the measuring process for {root} failed:\n{result.stderr}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    if Path(figures["code"]) != root:
        sys.exit(f"the process for {root} ran the code in {figures['code']}")
    return figures


def summary(name: str, rounds: list[dict]) -> dict:
    medians = [statistics.median(r["times_ms"]) for r in rounds]
    p90s = [percentile(r["times_ms"], 0.9) for r in rounds]
    firsts = [r["first_ms"] for r in rounds]
    print(f"\n{name}: {rounds[0]['code']}")
    for index, figures in enumerate(rounds):
        print(
            f"  round {index + 1}: median {medians[index]:6.1f} ms  p90 {p90s[index]:6.1f} ms  "
            f"first {firsts[index]:6.1f} ms  ({len(figures['times_ms'])} requests; "
            f"prepared in {figures['prepared_s']:.1f} s; {figures['tasks']} tasks run)"
        )
    result = {
        "median": statistics.median(medians),
        "p90": statistics.median(p90s),
        "first": statistics.median(firsts),
    }
    print(
        f"  median over rounds: median {result['median']:.1f} ms, p90 {result['p90']:.1f} ms, "
        f"first {result['first']:.1f} ms"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000, help="corpus size")
    parser.add_argument("--pending", type=int, default=40, help="timed approvals per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument(
        "--checkout",
        type=Path,
        help="another checkout (a git worktree) to measure beside this one",
    )
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.measure:
        print(json.dumps(measure(options.measure, options.seed)))
        return

    scratch = VAR / f"approve-{os.getpid()}"
    base = dict(os.environ)
    base["CLASSIFIER_PATH"] = str(VAR / f"bench-{options.articles}.classifier.joblib")
    # Building the corpus must not touch the development site's cache or queue in var/.
    base["CACHE_DIR"] = str(scratch / "build" / "cache")
    base["QUEUE_PATH"] = str(scratch / "build" / "queue.sqlite3")
    corpus = corpus_env(options.articles, base)
    checkouts = {"this": ROOT}
    if options.checkout:
        checkouts["other"] = options.checkout.resolve()
    try:
        build_corpus(options.articles, corpus)
        ensure_classifier(corpus)
        envs = {}
        for index, (name, root) in enumerate(checkouts.items()):
            envs[name] = checkout_env(root, scratch / str(index), corpus)
            log(f"{name}: copying the corpus and migrating it with {root}/manage.py")
            copy_database(corpus["SQLITE_PATH"], Path(envs[name]["SQLITE_PATH"]))
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
                check=True,
                cwd=root,
                env=envs[name],
            )

        results: dict[str, list[dict]] = {name: [] for name in checkouts}
        for index in range(options.rounds):
            seed = options.seed + index
            articles_file = scratch / f"articles-{index}.json"
            pieces = compose(options.pending + 1, seed)
            articles_file.write_text(json.dumps(pieces, ensure_ascii=False), encoding="utf-8")
            order = list(checkouts) if index % 2 == 0 else list(checkouts)[::-1]
            for name in order:
                log(f"round {index + 1}/{options.rounds}: {name}")
                results[name].append(run_round(checkouts[name], envs[name], articles_file, seed))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"approve request, {options.articles} articles, {options.pending} approvals per round, "
        f"{options.rounds} rounds; {os.cpu_count()} cores, load {load}"
    )
    overall = {name: summary(name, rounds) for name, rounds in results.items()}
    if "other" in overall:
        ratio = overall["other"]["median"] / overall["this"]["median"]
        print(f"\nmedian: other / this = {ratio:.2f}")


if __name__ == "__main__":
    main()
