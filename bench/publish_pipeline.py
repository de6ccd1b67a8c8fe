"""Benchmark the publish pipeline: articles per second per core through create + publish.

    .venv/bin/python bench/publish_pipeline.py                       # 10,000 pre-filled, 500 timed
    .venv/bin/python bench/publish_pipeline.py --prefill 2000 --articles 200 --rounds 2
    .venv/bin/python bench/publish_pipeline.py --texts cnews         # timed articles are real

Publishing analyses in the background (events delivered by the queue's consumer): each
timed article's request (`article_create` + `article_publish`) is followed by
`deliver_pending()`, which runs what the consumer would (analysis with the copy lookup,
search index, IDF, related lists, standing), timed apart; `article_analyse` is also timed
on its own: the analysis of one article, all steps (tokenize, keywords, fingerprints, copy
sketch, classifier, copy lookup, save, copy anchors). The article is published before its
events are delivered, so the first of them (article.created) analyses it twice: once
because it is live and has no analysis yet (`analysis_publish`: a new row, indexed for
search; timed apart as the first analysis), then as every change does (`article_analyse`,
the figure above, with the row there and the same text). The batch path is timed with the
delivery of its events too. `--texts cnews` takes the timed articles from the real
articles in ../shared/data/cnews-articles (the 124 of 1,500-2,500 characters, cut into
paragraphs of three sentences; so at most 124 per round) instead of the composer, whose
articles share whole template sentences and so are partial copies of one another by the
copy detector's measure (every lookup then checks the most candidates: the slow case).

One process (= one core), SQLite. The database is migrated and pre-filled once with
--prefill published articles (~2,000-character bodies from the demo composer, inserted with
the ORM's bulk_create, then `analysis_rebuild()` for the analysis rows, the FTS5 index and
the IDF table) and kept under bench/var/ as a template. Each round copies the template to a
fresh working file, then sends --articles new composed articles one by one through the real
code path: `article_create(...)` (render, tokenize, TF-IDF keywords with the IDF read from
TermStat, SimHash, predicted channel, near-duplicate lookup, revision) followed by
`article_publish(...)` (FTS5 triggers index it, its words are counted into TermStat).
Then the same articles through the batch path, `articles_import(..., publish=True)`: the
same steps, 200 articles per transaction with one IDF read and one IDF write per batch.

Prints per round and as the median of rounds: articles/s, ms/article (median, p99), and a
breakdown of where the time goes, measured inside the pipeline by timing wrappers:
render (Markdown -> HTML, plain text, summary), text engine (tokenize, keywords, SimHash,
grams, title key: the pure yaowen.textkit functions), classifier predict (unless
--no-classifier), SQL (each statement's execute, seen through Django's execute wrapper;
FTS5 trigger work included), commit, and the rest (ORM query building, fetching rows, model
instances, Python glue). Then the text engine alone, outside Django, on the same articles.
The classifier is trained on the pre-filled articles (C fixed, no tuning) and saved to a
temporary file that settings.CLASSIFIER_PATH points at.
"""

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var"
FIGURES = [f"/media/demo/figures/{index:02d}.webp" for index in range(48)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def compose_long(rng: random.Random, channel: str, chars: int, day: dt.date):
    """A composed article whose body is made ~`chars` characters long: paragraphs of
    further articles of the same channel are appended until the body is long enough."""
    from yaowen.demo.compose import compose_article

    piece = compose_article(rng, channel, FIGURES, day)
    paragraphs = piece.body_markdown.split("\n\n")
    size = len(piece.body_markdown)
    while size < chars:
        extra = compose_article(rng, channel, FIGURES, day).body_markdown.split("\n\n")
        for paragraph in extra[1:]:  # the lead paragraph repeats the dateline
            paragraphs.append(paragraph)
            size += len(paragraph) + 2
            if size >= chars:
                break
    return piece, "\n\n".join(paragraphs)


# -- the pre-filled template database ------------------------------------------------------


def build_template(prefill: int, chars: int, seed: int) -> None:
    """Migrate the working database and fill it with `prefill` published articles."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from tqdm import tqdm

    from yaowen.accounts.models import CreatorProfile, User
    from yaowen.analysis.services import analysis_rebuild
    from yaowen.demo.compose import CHANNELS, compose_creator
    from yaowen.newsroom.models import Article, Channel
    from yaowen.newsroom.rendering import render_body

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    channels = list(Channel.objects.filter(slug__in=CHANNELS).order_by("position"))
    password = make_password("bench")
    names: set[str] = set()
    creators = []
    for index in range(50):
        field = channels[index % len(channels)]
        name = compose_creator(rng, field.slug).display_name
        while name in names:
            name = f"{name[:26]}{rng.randrange(10, 99)}"
        names.add(name)
        user = User.objects.create(username=f"creator{index:03d}", password=password)
        creators.append(
            CreatorProfile.objects.create(user=user, display_name=name, field=field, bio="")
        )
    User.objects.create(username="bench-editor", password=password, is_staff=True)
    now = timezone.now()
    with tqdm(total=prefill, desc="compose + bulk_create", unit="art") as bar:
        for start in range(0, prefill, 1000):
            batch = []
            for _index in range(start, min(start + 1000, prefill)):
                creator = rng.choice(creators)
                channel = creator.field if rng.random() < 0.8 else rng.choice(channels)
                published = now - dt.timedelta(days=30 * rng.random() ** 1.6, minutes=5)
                piece, body = compose_long(rng, channel.slug, chars, published.date())
                batch.append(
                    Article(
                        author=creator,
                        channel=channel,
                        title=piece.title[:64],
                        summary=piece.summary[:200],
                        body_source=body,
                        body_html=render_body(body),
                        tags=piece.tags,
                        status=Article.Status.PUBLISHED,
                        published_at=published,
                        submitted_at=published,
                        created_at=published,
                        updated_at=published,
                    )
                )
            with transaction.atomic():
                Article.objects.bulk_create(batch)
            bar.update(len(batch))
    bars: list[tqdm] = []

    def progress(label: str, total: int) -> Callable[[int], None]:
        if bars:
            bars[-1].close()
        bars.append(tqdm(total=total, desc=f"analysis_rebuild: {label}", unit="art"))
        return bars[-1].update

    analysis_rebuild(progress=progress)
    if bars:
        bars[-1].close()
    print(f"template: {prefill} articles built in {time.monotonic() - started:.1f}s")


def train_classifier(path: Path, examples_max: int, seed: int) -> tuple[int, float]:
    from yaowen.newsroom.models import Article
    from yaowen.textkit.classifier import ChannelClassifier, Example

    started = time.monotonic()
    rows = list(
        Article.objects.order_by("?")[:examples_max].values_list(
            "channel__slug", "title", "body_source"
        )
    )
    examples = [Example(label=slug, title=title, body=body) for slug, title, body in rows]
    model = ChannelClassifier(c=1.0, seed=seed).fit(examples)
    model.save(path)
    return len(examples), time.monotonic() - started


# -- instrumentation ---------------------------------------------------------------------


class Meter:
    """Seconds spent per category, filled by wrappers around the pipeline's functions."""

    def __init__(self) -> None:
        self.seconds: Counter = Counter()
        self.calls: Counter = Counter()
        self.depth = 0

    def wrap(self, category: str, func: Callable) -> Callable:
        meter = self

        def timed(*args, **kwargs):
            if meter.depth:  # already inside a timed call: counted there
                return func(*args, **kwargs)
            meter.depth += 1
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                meter.seconds[category] += time.perf_counter() - start
                meter.calls[category] += 1
                meter.depth -= 1

        return timed

    def sql(self, execute, sql, params, many, context):
        if self.depth:  # inside a timed call (the copy lookup): counted there
            return execute(sql, params, many, context)
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds["sql"] += time.perf_counter() - start
            self.calls["sql"] += 1


class Calls:
    """Each call's duration, per function, whatever the meter counts inside it: wall-clock
    seconds, and this process's CPU seconds (which other processes on a busy machine do
    not inflate)."""

    def __init__(self) -> None:
        self.seconds: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}

    def wrap(self, name: str, func: Callable) -> Callable:
        seconds = self.seconds.setdefault(name, [])
        cpu = self.cpu.setdefault(name, [])

        def timed(*args, **kwargs):
            start, start_cpu = time.perf_counter(), time.process_time()
            try:
                return func(*args, **kwargs)
            finally:
                seconds.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)

        return timed


CALLS = Calls()


def instrument(meter: Meter) -> None:
    """Put timing wrappers around the functions the pipeline calls (this process only)."""
    from django.db import connection

    from yaowen.analysis import services as analysis
    from yaowen.newsroom.services import articles
    from yaowen.textkit import copies
    from yaowen.textkit.classifier import ChannelClassifier
    from yaowen.textkit.tokenize import Tokenizer

    Tokenizer.tokens = meter.wrap("text engine", Tokenizer.tokens)
    for name in ("keywords", "fingerprints", "subword_grams", "title_key"):
        setattr(analysis, name, meter.wrap("text engine", getattr(analysis, name)))
    # The copy lookup (anchor query, candidates' texts sketched and compared) apart from
    # the sketch of the article's own text.
    analysis.near_duplicates = meter.wrap("copy lookup", analysis.near_duplicates)
    copies.sketch = meter.wrap("text engine", copies.sketch)
    analysis.plain_text = meter.wrap("render", analysis.plain_text)
    from yaowen.analysis import listeners

    # Called by the listeners: one article's analysis, and a batch's.
    listeners.article_analyse = CALLS.wrap("article_analyse", listeners.article_analyse)
    # ... and the one `analysis_publish` makes for a live article with no analysis yet.
    analysis.article_analyse = CALLS.wrap("first analysis", analysis.article_analyse)
    listeners.analyses_for_new_articles = CALLS.wrap(
        "analyses_for_new_articles", listeners.analyses_for_new_articles
    )
    articles.render_body = meter.wrap("render", articles.render_body)
    articles.summarise = meter.wrap("render", articles.summarise)
    ChannelClassifier.predict = meter.wrap("classifier", ChannelClassifier.predict)
    original_commit = connection._commit

    def commit():
        start = time.perf_counter()
        try:
            return original_commit()
        finally:
            meter.seconds["commit"] += time.perf_counter() - start

    connection._commit = commit


# -- rounds ------------------------------------------------------------------------------


def compose_batch(count: int, chars: int, seed: int) -> list[tuple]:
    from yaowen.demo.compose import CHANNELS

    rng = random.Random(seed)
    day = dt.date.today()
    out = []
    for _index in range(count):
        channel = rng.choice(CHANNELS)
        piece, body = compose_long(rng, channel, chars, day)
        out.append((channel, piece, body, rng.random()))
    return out


def publish_all(
    batch: list[tuple], creators: list, channels: dict, editor
) -> tuple[list[float], list[float], list[float]]:
    """Create and publish each article, then deliver its events as the queue's consumer
    would; returns the seconds of each request (create + publish), of each create, and of
    each delivery (analysis, index, related lists, standing)."""
    from yaowen.jobs.delivery import deliver_pending
    from yaowen.newsroom.services import ReferenceInput, article_create, article_publish

    times, creates, background = [], [], []
    for channel, piece, body, draw in batch:
        author = creators[int(draw * len(creators))]
        started = time.perf_counter()
        article = article_create(
            author=author,
            channel=channels[channel],
            title=piece.title[:64],
            body_source=body,
            summary=piece.summary[:200],
            tags=piece.tags,
            references=[
                ReferenceInput(source=ref.source, title=ref.title, published_on=ref.published)
                for ref in piece.references
            ],
        )
        created = time.perf_counter()
        article_publish(article=article, by=editor)
        published = time.perf_counter()
        deliver_pending()
        times.append(published - started)
        creates.append(created - started)
        background.append(time.perf_counter() - published)
    return times, creates, background


def import_all(batch: list[tuple], creators: list, channels: dict, editor) -> tuple[float, float]:
    """The same articles through the batch path, imported by one creator; seconds of the
    import and of delivering its events (analysis of each batch, index, related lists)."""
    from yaowen.jobs.delivery import deliver_pending
    from yaowen.newsroom.services import ArticleInput, ReferenceInput, articles_import

    # One creator moving an archive in (内容搬家): the batches are full.
    author = creators[0]
    items = []
    for position, (channel, piece, body, _draw) in enumerate(batch, start=1):
        item = ArticleInput(
            title=piece.title[:64],
            channel=channels[channel],
            body_source=body,
            summary=piece.summary[:200],
            tags=piece.tags,
            references=[
                ReferenceInput(source=ref.source, title=ref.title, published_on=ref.published)
                for ref in piece.references
            ],
        )
        items.append((position, item))
    started = time.perf_counter()
    result = articles_import(author=author, items=items, by=editor, publish=True)
    assert not result.errors, result.errors
    imported = time.perf_counter()
    deliver_pending()
    return imported - started, time.perf_counter() - imported


def fresh_copy(template: Path, work: Path) -> tuple[list, dict, object]:
    """Start from a copy of the template; its creators, channels and editor."""
    from django.db import connection

    from yaowen.accounts.models import CreatorProfile, User
    from yaowen.newsroom.models import Channel

    connection.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, work)
    creators = list(CreatorProfile.objects.order_by("pk"))
    channels = {channel.slug: channel for channel in Channel.objects.all()}
    editor = User.objects.get(username="bench-editor")
    return creators, channels, editor


def import_round(
    template: Path, work: Path, batch: list[tuple], warmup: list[tuple]
) -> tuple[float, float, float]:
    """Seconds of the import, of its events' delivery, and of the batches' analysis."""
    creators, channels, editor = fresh_copy(template, work)
    import_all(warmup, creators, channels, editor)
    analyses = CALLS.seconds.setdefault("analyses_for_new_articles", [])
    analyses.clear()
    imported, delivered = import_all(batch, creators, channels, editor)
    return imported, delivered, sum(analyses)


def run_round(
    template: Path, work: Path, batch: list[tuple], warmup: list[tuple], meter: Meter
) -> tuple[list[float], Counter, Counter, Counter]:

    from yaowen.analysis.models import ArticleAnalysis

    creators, channels, editor = fresh_copy(template, work)
    publish_all(warmup, creators, channels, editor)
    meter.seconds.clear()
    meter.calls.clear()
    for name in ("article_analyse", "first analysis"):
        CALLS.seconds.setdefault(name, []).clear()
        CALLS.cpu.setdefault(name, []).clear()
    times, creates, background = publish_all(batch, creators, channels, editor)
    seconds, calls = Counter(meter.seconds), Counter(meter.calls)
    seconds["create"] = sum(creates)
    seconds["background"] = sum(background)
    first_new = ArticleAnalysis.objects.order_by("-article_id")[len(batch) - 1].article_id
    kinds = Counter(
        ArticleAnalysis.objects.filter(article_id__gte=first_new).values_list(
            "duplicate_kind", flat=True
        )
    )
    return times, seconds, calls, kinds


def text_engine_alone(batch: list[tuple], rounds: int) -> tuple[float, float]:
    """Seconds per article for tokenize + keywords + 3 SimHashes (+ grams, title key) alone,
    with the IDF held in memory; and for the Markdown to plain text step before it."""
    from yaowen.analysis.models import TermStat
    from yaowen.analysis.selectors import DOCUMENTS_TERM
    from yaowen.newsroom.rendering import plain_text
    from yaowen.textkit import copies
    from yaowen.textkit.keywords import idf_from_counts, keywords
    from yaowen.textkit.simhash import fingerprints, title_key
    from yaowen.textkit.tokenize import Tokenizer, subword_grams

    counts = dict(TermStat.objects.values_list("term", "df"))
    documents = counts.pop(DOCUMENTS_TERM, 0)
    idf = idf_from_counts(counts, documents)
    tok = Tokenizer()
    texts = [(piece.title[:64], plain_text(body)) for _c, piece, body, _d in batch]
    start = time.perf_counter()
    for _c, _piece, body, _d in batch:
        plain_text(body)
    plain = (time.perf_counter() - start) / len(batch)
    per_round = []
    for _round in range(rounds):
        start = time.perf_counter()
        for title, body in texts:
            title_tokens = tok.tokens(title)
            body_tokens = tok.tokens(body)
            keywords(title_tokens * 2 + body_tokens, idf, top=8)
            fingerprints(body_tokens)
            copies.sketch(body)
            subword_grams([*title_tokens, *body_tokens])
            title_key(title)
        per_round.append((time.perf_counter() - start) / len(texts))
    return statistics.median(per_round), plain


def migrated_as_code(path: Path) -> bool:
    """Whether the template holds exactly the migrations the code has (else rebuild it)."""
    import sqlite3

    from django.db.migrations.loader import MigrationLoader

    with sqlite3.connect(path) as db:
        applied = set(db.execute("SELECT app, name FROM django_migrations").fetchall())
    return applied == set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--prefill", type=int, default=10_000, help="published articles first")
    parser.add_argument("--articles", type=int, default=500, help="articles timed per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--chars", type=int, default=2000, help="body length in characters")
    parser.add_argument("--warmup", type=int, default=20, help="untimed articles per round")
    parser.add_argument("--no-classifier", action="store_true", help="no channel prediction")
    parser.add_argument("--train-examples", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--rebuild", action="store_true", help="build the template again")
    parser.add_argument(
        "--texts", choices=("composed", "cnews"), default="composed", help="the timed articles"
    )
    args = parser.parse_args()

    VAR.mkdir(parents=True, exist_ok=True)
    template = VAR / f"publish-{args.prefill}-c{args.chars}-s{args.seed}.sqlite3"
    work = VAR / "publish-work.sqlite3"
    os.environ["SQLITE_PATH"] = str(work)
    os.environ.setdefault("MEDIA_ROOT", str(VAR / "media"))
    # Its own task queue and cache: events are delivered here, in this process.
    os.environ["QUEUE_PATH"] = str(VAR / "publish-work.queue.sqlite3")
    os.environ["CACHE_DIR"] = str(VAR / "publish-cache")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from yaowen.analysis import engine

    print(f"machine: {os.cpu_count()} cores; one process; SQLite {work}")
    # Never the site's own model (var/classifier.joblib): ours, or none at all.
    model_dir = tempfile.mkdtemp(prefix="bench-classifier-", dir=VAR)
    settings.CLASSIFIER_PATH = str(Path(model_dir) / "classifier.joblib")
    try:
        if args.rebuild or not template.exists() or not migrated_as_code(template):
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{work}{suffix}").unlink(missing_ok=True)
            build_template(args.prefill, args.chars, args.seed)
            connection.close()  # the last connection checkpoints the WAL into the file
            shutil.copyfile(work, f"{template}.tmp")
            os.replace(f"{template}.tmp", template)
        else:
            print(f"template: reusing {template.name} (--rebuild to build it again)")
        print(f"template size: {template.stat().st_size / 1e6:.0f} MB")
        if not args.no_classifier:
            connection.close()
            shutil.copyfile(template, work)
            count, took = train_classifier(
                Path(settings.CLASSIFIER_PATH), args.train_examples, args.seed
            )
            print(f"classifier: trained on {count} pre-filled articles in {took:.1f}s")
        engine.reset()
        rounds(args, template, work)
    finally:
        shutil.rmtree(model_dir, ignore_errors=True)


def rounds(args, template: Path, work: Path) -> None:
    if args.texts == "cnews":
        batch = real_batch(args.articles, args.seed + 1000)
    else:
        batch = compose_batch(args.articles, args.chars, args.seed + 1000)
    warmup = compose_batch(args.warmup, args.chars, args.seed + 2000)
    bodies = [len(body) for _c, _p, body, _d in batch]
    print(
        f"timed articles: {len(batch)} per round ({args.texts}), body "
        f"{statistics.mean(bodies):.0f} chars on average ({min(bodies)}-{max(bodies)}); "
        f"{args.warmup} untimed first; classifier: {'off' if args.no_classifier else 'on'}"
    )
    meter = Meter()
    instrument(meter)
    from django.db import connection

    rates, medians, p99s, means, requests, analyses, cpus = [], [], [], [], [], [], []
    firsts = []
    parts: dict[str, list[float]] = {}
    order = (
        "render", "text engine", "classifier", "copy lookup", "sql", "commit", "rest"
    )  # fmt: skip
    for number in range(args.rounds):
        with connection.execute_wrapper(meter.sql):
            times, seconds, calls, kinds = run_round(template, work, batch, warmup, meter)
        analyse = CALLS.seconds["article_analyse"]
        total = sum(times) + seconds["background"]
        seconds["rest"] = total - sum(seconds[name] for name in order if name != "rest")
        rates.append(len(times) / total)
        means.append(total / len(times) * 1000)
        requests.append(sum(times) / len(times) * 1000)
        medians.append(statistics.median(analyse) * 1000)
        p99s.append(percentile(analyse, 0.99) * 1000)
        analyses.append(statistics.mean(analyse) * 1000)
        cpus.append(statistics.median(CALLS.cpu["article_analyse"]) * 1000)
        firsts.append(statistics.median(CALLS.seconds["first analysis"]) * 1000)
        share = {name: seconds[name] / len(times) * 1000 for name in order}
        for name, value in share.items():
            parts.setdefault(name, []).append(value)
        print(
            f"  round {number + 1}: {rates[-1]:.1f} articles/s; request (create + publish) "
            f"{requests[-1]:.2f} ms + background {means[-1] - requests[-1]:.2f} ms per "
            f"article; article_analyse median {medians[-1]:.2f} ms (CPU {cpus[-1]:.2f} ms), "
            f"p99 {p99s[-1]:.2f} ms; first analysis median {firsts[-1]:.2f} ms; "
            f"SQL statements {calls['sql'] / len(times):.1f}/article; flagged as copies: "
            f"{kinds.get('body', 0)} body, {kinds.get('title', 0)} title"
        )
        print("           per article: " + ", ".join(f"{k} {v:.2f}" for k, v in share.items()))
    print(
        f"\none article at a time, one core, {args.prefill} articles already published "
        f"(medians of {args.rounds} rounds):\n"
        f"  analysis of one article, all steps (article_analyse): median "
        f"{statistics.median(medians):.2f} ms, p99 {statistics.median(p99s):.2f} ms, mean "
        f"{statistics.median(analyses):.2f} ms; CPU time median "
        f"{statistics.median(cpus):.2f} ms\n"
        f"  its first analysis (analysis_publish: a new row): median "
        f"{statistics.median(firsts):.2f} ms\n"
        f"  create + publish + every background step: {statistics.median(rates):.1f} "
        f"articles/s ({statistics.median(means):.2f} ms/article, of which the request "
        f"{statistics.median(requests):.2f} ms); by kind:"
    )
    mean_total = sum(statistics.median(parts[name]) for name in order)
    for name in order:
        value = statistics.median(parts[name])
        print(f"  {name:12} {value:6.2f} ms/article  {value / mean_total:5.1%}")
    runs = [import_round(template, work, batch, warmup) for _ in range(args.rounds)]
    n = len(batch)
    print(
        f"\nbatch path (articles_import, publish=True, {n} articles of one creator, 200 per "
        f"transaction), articles/s/core, median of {args.rounds} rounds:\n"
        f"  import + analysis (articles.imported delivered): "
        f"{statistics.median(n / (imp + an) for imp, _d, an in runs):.1f}\n"
        f"  import + every background step (related lists included): "
        f"{statistics.median(n / (imp + d) for imp, d, _a in runs):.1f}\n"
        f"  analysis alone, per batch of 200 (analyses_for_new_articles): "
        f"{statistics.median(an for _i, _d, an in runs) / n * 1000:.2f} ms/article"
    )
    engine_alone, plain = text_engine_alone(batch, args.rounds)
    print(
        f"text engine alone (tokenize title+body, keywords, SimHash, copy sketch, grams, title "
        f"key; IDF in memory): {engine_alone * 1000:.2f} ms/article = {1 / engine_alone:.0f} "
        f"articles/s; Markdown to plain text before it: {plain * 1000:.2f} ms/article"
    )


def real_batch(count: int, seed: int) -> list[tuple]:
    """Up to `count` distinct real articles of 1,500-2,500 characters (cnews: 124 of them),
    as (channel, piece, body, draw) like `compose_batch`."""
    from types import SimpleNamespace

    from near_duplicates import DATA, split_sentences

    from yaowen.demo.compose import CHANNELS

    rng = random.Random(seed)
    with open(DATA, encoding="utf-8") as handle:
        rows = [line.rstrip("\n").split("\t") for line in handle]
    bodies = [body for _label, _title, body in rows if 1500 <= len(body) <= 2500]
    rng.shuffle(bodies)
    out = []
    for body in bodies[:count]:
        sentences = split_sentences(body)
        paragraphs = ["".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        piece = SimpleNamespace(title=body[:30], summary="", tags=[], references=[])
        out.append((rng.choice(CHANNELS), piece, "\n\n".join(paragraphs), rng.random()))
    return out


if __name__ == "__main__":
    main()
