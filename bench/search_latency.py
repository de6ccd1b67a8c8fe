"""Benchmark search latency on large SQLite corpora (copy lookup: bench/near_duplicates.py).

    .venv/bin/python bench/search_latency.py                        # 100,000 and 1,000,000
    .venv/bin/python bench/search_latency.py --sizes 20000 --queries 30 --rounds 2

Each size gets its own database under bench/var/ (search-<size>-t<tokens>-s<seed>.sqlite3),
built once and reused. Building real articles through the tokenizer is too slow at a
million, so the tables are filled directly: `newsroom_article` rows (published, short
bodies of --article-chars characters, FK to a few creators and the migrated channels) and
their `analysis_articleanalysis` rows with pre-segmented terms drawn from jieba's own
dictionary (dict.txt), each word drawn in proportion to its frequency there (a Zipf-like
vocabulary; only words our tokenizer gives back whole, stop words left out): titles of
4-9 words, bodies of --body-tokens words on average (0.5x-1.5x), `grams` exactly as
`subword_grams` makes them, three random 64-bit fingerprints,
published_at rising with the id over two years. Indexes and FTS5 triggers are dropped
during the load and recreated with the very SQL the migrations wrote; the FTS5 index is
built with the statements of `search.schema.statements("sqlite", "rebuild")` (its insert
run in id ranges for progress); the schema is then checked equal to the migrated one.

Measures, in one process through Django, with the real query code:
`yaowen.search.selectors.article_search(text=..., filters=..., page=1)` for queries drawn
  from the same vocabulary by bands: one character, two-character words, common words,
  rare words, two words; each without and with a channel filter.
Prints median and p99 per band and overall (all rounds together); also the
median time in `_candidates` (the FTS5 query, its rows fetched and converted; twice when
no article holds every term) and in `_hits` (the page's cards and snippets); and EXPLAIN
QUERY PLAN of the queries. The OS file cache is warm
(the build or an untimed warm-up pass read the file), SQLite's own cache is Django's default.
"""

import argparse
import datetime as dt
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var"
CHUNK = 5000  # articles per insert transaction


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


# -- vocabulary --------------------------------------------------------------------------


class Vocabulary:
    """jieba's dictionary words that our tokenizer keeps whole (no stop words), by frequency."""

    def __init__(self) -> None:
        import jieba
        import numpy as np

        from yaowen.textkit.tokenize import Tokenizer, subword_grams

        tok = Tokenizer()
        words, freqs = [], []
        text = (Path(jieba.__file__).parent / "dict.txt").read_text("utf-8")
        for line in text.splitlines():
            word, freq = line.split(" ")[:2]
            if not all("\u4e00" <= char <= "\u9fff" for char in word):
                continue
            if word in tok.stopwords or tok.tokens(word) != [word]:
                continue
            words.append(word)
            freqs.append(int(freq))
        order = sorted(range(len(words)), key=lambda i: (-freqs[i], words[i]))
        self.words = [words[i] for i in order]  # most frequent first: index = rank
        self.freqs = np.array([freqs[i] for i in order], dtype=np.float64)
        self.cumulative = np.cumsum(self.freqs) / self.freqs.sum()
        self.array = np.array(self.words, dtype=object)
        # A text's grams are its distinct words' grams joined (see the build below).
        self.grams = np.array([" ".join(subword_grams([w])) for w in self.words], dtype=object)

    def draw(self, rng, count: int):
        """`count` word ranks, each drawn in proportion to its dictionary frequency."""
        import numpy as np

        ranks = np.searchsorted(self.cumulative, rng.random(count), side="right")
        return np.minimum(ranks, len(self.words) - 1)


# -- building the corpus -----------------------------------------------------------------


def sqlite_master(db: sqlite3.Connection) -> list[tuple]:
    return db.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()


def build(path: Path, size: int, args, vocab: "Vocabulary") -> None:
    import numpy as np
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from tqdm import tqdm

    from yaowen.accounts.models import CreatorProfile, User
    from yaowen.analysis.facets import facet_tokens
    from yaowen.demo.compose import CHANNELS, compose_creator
    from yaowen.newsroom.models import Channel
    from yaowen.search.schema import _SQLITE_TRIGGERS, FTS, SQLITE_CREATE, SQLITE_REBUILD
    from yaowen.textkit.simhash import to_signed64

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    channels = list(Channel.objects.filter(slug__in=CHANNELS).values_list("pk", flat=True))
    password = make_password("bench")
    names: set[str] = set()
    creators = []
    for index in range(args.creators):
        name = compose_creator(rng, CHANNELS[index % len(CHANNELS)]).display_name
        while name in names:
            name = f"{name[:26]}{rng.randrange(10, 99)}"
        names.add(name)
        user = User.objects.create(username=f"creator{index:03d}", password=password)
        creators.append(CreatorProfile.objects.create(user=user, display_name=name).pk)
    now = timezone.now().replace(microsecond=0)
    sample = now - dt.timedelta(seconds=1.5)
    if connection.ops.adapt_datetimefield_value(sample) != str(sample.replace(tzinfo=None)):
        sys.exit("unexpected datetime storage format")
    connection.close()

    db = sqlite3.connect(path, isolation_level=None)
    schema = sqlite_master(db)
    for pragma in (
        "journal_mode=OFF",
        "synchronous=OFF",
        "cache_size=-1000000",
        "temp_store=MEMORY",
        "foreign_keys=OFF",
    ):
        db.execute(f"PRAGMA {pragma}")
    tables = ("newsroom_article", "analysis_articleanalysis")
    indexes = [
        (name, sql)
        for kind, name, table, sql in schema
        if kind == "index" and table in tables and sql is not None
    ]
    for name in _SQLITE_TRIGGERS:
        db.execute(f"DROP TRIGGER {name}")
    for name, _sql in indexes:
        db.execute(f"DROP INDEX {name}")

    article_columns = (
        "id", "created_at", "updated_at", "author_id", "channel_id", "title", "summary",
        "body_source", "body_html", "cover", "cover_alt", "status", "tags", "is_original",
        "submitted_at", "scheduled_at", "published_at", "rejection_reason", "removed_reason",
        "view_count", "comment_count", "like_count", "share_count", "hot_score",
    )  # fmt: skip
    analysis_columns = (
        "article_id", "author_id", "channel_id", "published_at", "title_terms", "body_terms",
        "grams", "facets", "keywords", "fingerprint", "fingerprint2", "fingerprint3",
        "title_key", "predicted_channel_id", "duplicate_of_id", "duplicate_kind",
        "duplicate_share", "analysed_at",
    )  # fmt: skip
    for table, columns in zip(tables, (article_columns, analysis_columns), strict=True):
        info = db.execute(f"PRAGMA table_info({table})").fetchall()
        required = {row[1] for row in info if row[3] and row[4] is None}
        missing = required - set(columns)
        if missing or set(columns) - {row[1] for row in info}:
            sys.exit(f"{table}: columns changed ({sorted(missing)} not filled)")

    def insert_sql(table: str, columns: tuple[str, ...]) -> str:
        return (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        )

    np_rng = np.random.default_rng(args.seed)
    first = now - dt.timedelta(days=730)
    span = 730 * 86400
    words, grams = vocab.array, vocab.grams
    with tqdm(total=size, desc=f"articles + analysis ({size:,})", unit="art") as bar:
        for start in range(0, size, CHUNK):
            count = min(CHUNK, size - start)
            title_sizes = np_rng.integers(4, 10, count)
            body_sizes = np.maximum(
                1, np.rint(args.body_tokens * np_rng.uniform(0.5, 1.5, count)).astype(int)
            )
            ranks = vocab.draw(np_rng, int(title_sizes.sum() + body_sizes.sum()))
            chunk_words, chunk_grams = words[ranks], grams[ranks]
            articles, analyses = [], []
            at = 0
            for offset in range(count):
                article_id = start + offset + 1
                title_end = at + int(title_sizes[offset])
                body_end = title_end + int(body_sizes[offset])
                title_words = chunk_words[at:title_end].tolist()
                body_words = chunk_words[title_end:body_end].tolist()
                # Once per distinct word, as `subword_grams` does for a whole text.
                gram_list = [g for g in dict.fromkeys(chunk_grams[at:body_end].tolist()) if g]
                at = body_end
                title = "".join(title_words)[:64]
                body, used = [], 0
                for word in body_words:
                    if used + len(word) > args.article_chars:
                        break
                    body.append(word)
                    used += len(word)
                body_source = "".join(body) + "。"
                seconds = (article_id - 1 + rng.random()) / size * span
                moment = first + dt.timedelta(seconds=seconds)
                published = str(moment.replace(tzinfo=None))
                prints = [rng.getrandbits(64) for _ in range(3)]
                channel = rng.choice(channels)
                author = rng.choice(creators)
                articles.append(
                    (
                        article_id, published, published, author, channel, title,
                        body_source[:60], body_source, f"<p>{body_source}</p>", "", "",
                        "published", "[]", 0, published, None, published, "", "",
                        int(rng.lognormvariate(6.0, 1.3)), 0, 0, 0, 0.0,
                    )
                )  # fmt: skip
                analyses.append(
                    (
                        article_id, author, channel, published, " ".join(title_words),
                        " ".join(body_words), " ".join(gram_list),
                        facet_tokens(channel_id=channel, author_id=author, published_at=moment),
                        "[]",
                        *map(to_signed64, prints),
                        title if len(title) >= 8 else "", None, None, "", None, published,
                    )
                )  # fmt: skip
            db.execute("BEGIN")
            db.executemany(insert_sql(tables[0], article_columns), articles)
            db.executemany(insert_sql(tables[1], analysis_columns), analyses)
            db.execute("COMMIT")
            bar.update(count)
    loaded = time.monotonic()
    for _name, sql in tqdm(indexes, desc="indexes", unit="idx"):
        db.execute(sql)
    indexed = time.monotonic()

    delete_all, insert_all, optimize = SQLITE_REBUILD
    if not insert_all.rstrip().endswith("published_at IS NOT NULL"):
        sys.exit("search.schema's rebuild insert changed shape; update this benchmark")
    db.execute(delete_all)
    step = 20_000
    with tqdm(total=size, desc="FTS5 index", unit="art") as bar:
        for low in range(1, size + 1, step):
            db.execute("BEGIN")
            db.execute(f"{insert_all} AND article_id BETWEEN ? AND ?", (low, low + step - 1))
            db.execute("COMMIT")
            bar.update(min(step, size - low + 1))
    filled = time.monotonic()
    print("FTS5 optimize (merging the index into one segment) ...", flush=True)
    db.execute(optimize)
    optimized = time.monotonic()
    triggers = SQLITE_CREATE[1:]
    if not all(sql.lstrip().startswith("CREATE TRIGGER") for sql in triggers):
        sys.exit("search.schema's create statements changed shape; update this benchmark")
    for sql in triggers:
        db.execute(sql)
    if sqlite_master(db) != schema:
        sys.exit("the built database's schema differs from the migrated one")
    count = db.execute(f"SELECT count(*) FROM {FTS}_docsize").fetchone()[0]
    if count != size:
        sys.exit(f"FTS5 index holds {count} documents, expected {size}")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    print(
        f"built {size:,} articles in {time.monotonic() - started:.0f}s: rows "
        f"{loaded - started:.0f}s, indexes {indexed - loaded:.0f}s, FTS5 insert "
        f"{filled - indexed:.0f}s, optimize {optimized - filled:.0f}s; "
        f"file {path.stat().st_size / 1e9:.2f} GB"
    )


# -- measuring ---------------------------------------------------------------------------


class Phases:
    """Seconds spent in named functions of a module, through wrappers (this process only)."""

    def __init__(self, module, names: tuple[str, ...]) -> None:
        self.seconds = dict.fromkeys(names, 0.0)
        for name in names:
            setattr(module, name, self._wrap(name, getattr(module, name)))

    def _wrap(self, name: str, func):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - start

        return timed

    def reset(self) -> None:
        self.seconds = dict.fromkeys(self.seconds, 0.0)


def explain(sql: str, params) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[-1] for row in cursor.fetchall()]


def search_bands(vocab: Vocabulary, rng: random.Random, count: int) -> dict[str, list[str]]:
    import numpy as np

    np_rng = np.random.default_rng(rng.randrange(1 << 30))
    lengths = np.array([len(word) for word in vocab.words])
    multi = np.flatnonzero(lengths >= 2)

    def weighted(ranks) -> list[str]:
        p = vocab.freqs[ranks] / vocab.freqs[ranks].sum()
        return [vocab.words[i] for i in np_rng.choice(ranks, size=count, p=p)]

    def uniform(ranks) -> list[str]:
        return [vocab.words[i] for i in np_rng.choice(ranks, size=count)]

    return {
        "1 char (by frequency)": weighted(np.flatnonzero(lengths == 1)),
        "2-char word (by frequency)": weighted(np.flatnonzero(lengths == 2)),
        "common word (top 1k, 2+ chars)": uniform(multi[:1000]),
        "rare word (rank > 100k)": uniform(multi[multi > 100_000]),
        "two words (ranks 1k-20k)": [
            f"{a} {b}"
            for a, b in zip(uniform(multi[1000:20_000]), uniform(multi[1000:20_000]), strict=True)
        ],
    }


def measure(size: int, args, vocab: Vocabulary) -> None:
    from yaowen.newsroom.models import Channel
    from yaowen.search import selectors
    from yaowen.search.selectors import Filters, article_search

    rng = random.Random(args.seed + 1)
    channels = list(Channel.objects.values_list("pk", flat=True))

    print(f"\n== {size:,} articles: search (article_search, page 1) ==")
    bands = search_bands(vocab, rng, args.queries)
    runs = []
    for label, texts in bands.items():
        runs.append((label, [(text, Filters()) for text in texts]))
        runs.append(
            (
                f"{label} + channel",
                [(text, Filters(channel_id=rng.choice(channels))) for text in texts],
            )
        )
    for _label, queries in runs:  # warm-up: a few of each band, untimed
        for text, filters in queries[:5]:
            article_search(text=text, filters=filters, page=1)
    common = bands["common word (top 1k, 2+ chars)"][0]
    plans = {
        f"{common!r}{label}": explain(*_fts_statements(common, filters)[0])
        for label, filters in (("", Filters()), (" + channel", Filters(channel_id=channels[0])))
    }
    every = []
    phases = Phases(selectors, ("_candidates", "_hits"))
    print(
        f"  {'band':45} {'median':>9} {'p99':>9} {'cands':>8} {'hits':>7} {'matches':>7} "
        f"{'capped':>6} {'empty':>5} {'any-term':>8}"
    )
    for label, queries in runs:
        times, parts, totals, capped, empty, any_term = [], [], [], 0, 0, 0
        for _round in range(args.rounds):
            for text, filters in queries:
                phases.reset()
                start = time.perf_counter()
                results = article_search(text=text, filters=filters, page=1)
                times.append((time.perf_counter() - start) * 1000)
                parts.append(dict(phases.seconds))
                totals.append(results.total)
                capped += results.capped
                empty += results.total == 0
                any_term += results.any_term
        every += times
        n = len(times)
        print(
            f"  {label:45} {statistics.median(times):6.2f} ms {percentile(times, 0.99):6.2f} ms "
            f"{statistics.median(p['_candidates'] for p in parts) * 1000:5.2f} ms "
            f"{statistics.median(p['_hits'] for p in parts) * 1000:4.2f} ms "
            f"{statistics.mean(totals):7.0f} {capped / n:6.0%} {empty / n:5.0%} {any_term / n:8.0%}"
        )
    print(
        f"  {'overall':45} {statistics.median(every):6.2f} ms {percentile(every, 0.99):6.2f} ms"
        f"   ({len(every)} searches)"
    )
    for label, plan in plans.items():
        print(f"  plan ({label}): " + " | ".join(plan))


def _fts_statements(text: str, filters) -> list[tuple[str, object]]:
    """The FTS5 candidate statements `article_search` runs for this query."""
    from django.db import connection

    from yaowen.search.schema import FTS
    from yaowen.search.selectors import article_search

    seen = []

    def record(execute, sql, params, many, context):
        if f"FROM {FTS}" in sql:
            seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        article_search(text=text, filters=filters, page=1)
    return seen


def migrated_as_code(path: Path) -> bool:
    """Whether the cached database holds exactly the migrations the code has (else rebuild)."""
    from django.db.migrations.loader import MigrationLoader

    with sqlite3.connect(path) as db:
        applied = set(db.execute("SELECT app, name FROM django_migrations").fetchall())
    return applied == set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def run_size(size: int, args) -> None:
    path = Path(os.environ["SQLITE_PATH"])
    marker = Path(f"{path}.building")
    import django

    django.setup()
    vocab = Vocabulary()
    print(f"vocabulary: {len(vocab.words):,} words of jieba's dict.txt")
    if not path.exists() or marker.exists() or not migrated_as_code(path):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        marker.touch()
        build(path, size, args, vocab)
        marker.unlink()
    else:
        print(f"corpus: reusing {path.name} ({path.stat().st_size / 1e9:.2f} GB)")
    measure(size, args, vocab)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated corpus sizes")
    parser.add_argument("--body-tokens", type=int, default=600, help="mean words per body")
    parser.add_argument("--article-chars", type=int, default=200, help="stored body length")
    parser.add_argument("--creators", type=int, default=20)
    parser.add_argument("--queries", type=int, default=100, help="searches per band and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    if args.one_size:
        run_size(args.one_size, args)
        return
    VAR.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores; SQLite {sqlite3.sqlite_version}")
    passed = [
        f"--{name.replace('_', '-')}={value}"
        for name, value in vars(args).items()
        if name not in ("sizes", "one_size")
    ]
    for size in (int(text) for text in args.sizes.split(",")):
        env = dict(os.environ)
        env["SQLITE_PATH"] = str(VAR / f"search-{size}-t{args.body_tokens}-s{args.seed}.sqlite3")
        env["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
        subprocess.run(
            [sys.executable, __file__, f"--one-size={size}", *passed], check=True, env=env
        )


if __name__ == "__main__":
    main()
