"""Benchmark the recommendation reads and writes (related lists, the feed) on large SQLite corpora.

    .venv/bin/python bench/recommend_latency.py                     # 100,000 and 1,000,000
    .venv/bin/python bench/recommend_latency.py --sizes 100000,1000000 --rounds 3 --seed 1
    .venv/bin/python bench/recommend_latency.py --reuse --analyze   # cached corpora, ANALYZE
    .venv/bin/python bench/recommend_latency.py --sizes 20000 --rounds 1 --recomputes 50

Builds, once per size, bench/var/recommend-<size>-<seed>.sqlite3, and rebuilds it when
the analysis or recommend migration names, the schema a fresh `migrate` gives (migrations
still being written are edited in place), what `document_terms`, `related_vector` and
the topic functions return for fixed input, or this generator's version change (the .json
beside the file keeps that fingerprint, the similarity constants and the build times;
--reuse measures a corpus whose vector functions changed since, e.g. retuned constants,
and says which). The migrations run in a
subprocess (`manage.py migrate`); the big tables are then filled directly, secondary
indexes dropped meanwhile and recreated with the migrations' own SQL:
- 1,000 creators (each writing mostly in a home channel) and 200 readers, the migrated
  channels;
- N published articles over one year, published_at rising with the id, hot_score > 0
  (lognormal) for the last 30 days only. Each article has one of 2,000 topics; a topic is
  a channel and 40 words of its own (mid-frequency words of jieba's dict.txt, the Zipf
  vocabulary of bench/search_latency.py), the first ones more likely. A title has 6-10
  words and a body 40-80, 60 % drawn from the topic and the rest from the whole
  vocabulary by frequency, so related lists have real structure;
- their `ArticleAnalysis` rows: those words, top-8 keywords (the real `keywords`, title
  counted twice, from the corpus IDF), three random fingerprints;
- `TermStat`: document frequencies of each article's `analysis.services.document_terms`
  (its words and related features, raw title grams included), and the '' row;
- `Posting`: every article's `related_vector(title words, body words, df, documents,
  title=normalize(title))`, strongest first, as `related_index` writes it;
- `TopicModel`: `topic_models_fit` of the newest FIT_ARTICLES vectors, as `topics_refit`
  fits it; `TopicAssignment`: every article's nearest centroids (`topic_ids`, computed as
  one sparse product per chunk; one article in 50 is checked against `topic_ids`);
- readers' histories: 30-80 `Reading`s each (85 % in two favourite channels, mostly recent
  articles), 3 follows of creators of those channels, 0-5 likes among what they read.
Articles are generated chunk by chunk (5,000) from a per-chunk seed, so the second pass
(keywords, vectors, topics) regenerates the words the first pass (articles, counts) made
instead of holding them. Both passes run in --workers processes, each writing its chunk to
a scratch SQLite file that the main process appends in one INSERT ... SELECT. No related
list is stored in bulk: every run starts with none and computes those of the sampled
articles while measuring. The search index (FTS5) is left empty: nothing measured here
reads it, and its triggers are restored.

Measures in one process through Django with the real code (config.settings.base, SQLite,
local-memory cache; no planner statistics unless --analyze), after an untimed pass that
reads the whole file into the OS cache and calls each operation a few times; --rounds
rounds over the same samples:
1. recompute: `related_recompute(article_id=...)` for --recomputes random articles (this
   stores their lists), with the rows it reads (postings, topics, vectors, facts);
2. read: `article_list_related(article=...)` of those, the cache cleared before each call
   (the cold, one-query path), then again from the cache;
3. feed: `reader_signals(user)` + `feed_page(signals=...)` for --feeds readers with every
   cache cleared before each (cold: Django's, and the candidates the feed keeps in the
   process), again with the caches warm, and page 2 (`shown=` page 1's ids, caches warm);
4. publish, for information: `related_publish(article=...)` in one transaction for
   --publishes articles whose neighbours' lists were stored first (untimed), as on a live
   site: re-index the vector and topics, recompute, offer the article to its neighbours.
Prints medians (of all rounds together, and each round's) and p99 per operation, rows read
per recompute, the database file size, then one more untimed pass per operation with every
statement timed (SELECTs run again with their rows fetched) and the costliest ones'
EXPLAIN QUERY PLAN, and at the end a figures table for all sizes.
"""

import argparse
import datetime as dt
import gc
import hashlib
import json
import multiprocessing
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var"
sys.path.insert(0, str(ROOT / "bench"))

# Bump when the generated data changes shape: a cached corpus is then rebuilt.
GENERATOR = 1
CHUNK = 5000  # articles per generated chunk and insert transaction
TOPIC_CHECK = 50  # one article in this many has its topic ids checked against topic_ids
CREATORS = 1000
READERS = 200
TOPICS = 2000
TOPIC_WORDS = 40
# Topic words come from these vocabulary ranks: below, words every topic uses; above, too rare.
TOPIC_RANKS = (300, 50_000)
TOPIC_SHARE = 0.6
TITLE_WORDS = (6, 10)
BODY_WORDS = (40, 80)
HOME_CHANNEL = 0.85  # share of a creator's articles in their home channel
OFF_TOPIC_CHANNEL = 0.1  # share of articles filed outside their topic's channel
DAYS = 365
HOT_DAYS = 30
READINGS = (30, 80)
FAVOURITE_SHARE = 0.85
READ_AGE_DAYS = 20.0  # mean age of what readers read (exponential)
FOLLOWS = 3
LIKES = (0, 5)
MAX_TERM_LENGTH = 64
# What `related_recompute` reads, through `related.Source`.
READERS_OF_LISTS = ("postings", "topics", "vectors", "facts", "generic")
LOADED_TABLES = ("newsroom_article", "analysis_articleanalysis", "recommend_posting")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


# -- generating the corpus ---------------------------------------------------------------


class Corpus:
    """Topics, creators and the per-chunk generator; deterministic from the seed."""

    def __init__(self, vocab, size: int, seed: int, channels: list[int], now: dt.datetime):
        import numpy as np

        self.vocab, self.size, self.seed, self.now = vocab, size, seed, now
        self.channels = np.array(channels)
        rng = np.random.default_rng([seed, 0])
        low, high = TOPIC_RANKS[0], min(TOPIC_RANKS[1], len(vocab.words))
        self.topic_words = np.array(
            [rng.choice(np.arange(low, high), TOPIC_WORDS, replace=False) for _ in range(TOPICS)]
        )
        self.topic_channel = self.channels[rng.integers(0, len(channels), TOPICS)]
        # Some topics are far more written about than others; inside a topic, the first words.
        self.topic_cumulative = _zipf_cumulative(TOPICS, 0.8)
        self.slot_cumulative = _zipf_cumulative(TOPIC_WORDS, 1.0)
        self.creator_home = self.channels[rng.integers(0, len(channels), CREATORS)]
        self.by_home = {
            int(channel): np.flatnonzero(self.creator_home == channel) + 1 for channel in channels
        }
        self.first = now - dt.timedelta(days=DAYS)

    def chunk(self, start: int, count: int) -> list[tuple]:
        """Articles start+1 .. start+count: (id, channel, author, published, hot, title words,
        body words, fingerprints); the same every time for the same chunk."""
        import numpy as np

        rng = np.random.default_rng([self.seed, 1, start])
        topics = np.searchsorted(self.topic_cumulative, rng.random(count), side="right")
        channels = self.topic_channel[topics]
        moved = rng.random(count) < OFF_TOPIC_CHANNEL
        channels[moved] = self.channels[rng.integers(0, len(self.channels), int(moved.sum()))]
        home = rng.random(count) < HOME_CHANNEL
        picks = rng.random(count)
        authors = rng.integers(1, CREATORS + 1, count)
        for index in np.flatnonzero(home):
            pool = self.by_home[int(channels[index])]
            if len(pool):
                authors[index] = pool[int(picks[index] * len(pool))]
        title_sizes = rng.integers(TITLE_WORDS[0], TITLE_WORDS[1] + 1, count)
        body_sizes = rng.integers(BODY_WORDS[0], BODY_WORDS[1] + 1, count)
        sizes = title_sizes + body_sizes
        total = int(sizes.sum())
        owner = np.repeat(np.arange(count), sizes)
        slots = np.searchsorted(self.slot_cumulative, rng.random(total), side="right")
        ranks = np.where(
            rng.random(total) < TOPIC_SHARE,
            self.topic_words[topics[owner], slots],
            self.vocab.draw(rng, total),
        )
        words = self.vocab.array[ranks].tolist()
        span = DAYS * 86400
        seconds = (np.arange(start, start + count) + rng.random(count)) / self.size * span
        age_days = DAYS - seconds / 86400
        hot = np.where(age_days <= HOT_DAYS, rng.lognormal(1.0, 1.2, count), 0.0)
        # Random 64-bit patterns: the doubling wraps around in int64, as meant.
        prints = rng.integers(0, 1 << 63, (count, 3), dtype=np.int64) * 2 + rng.integers(
            0, 2, (count, 3)
        )
        rows, at = [], 0
        for index in range(count):
            title_end = at + int(title_sizes[index])
            end = title_end + int(body_sizes[index])
            rows.append(
                (
                    start + index + 1,
                    int(channels[index]),
                    int(authors[index]),
                    self.first + dt.timedelta(seconds=float(seconds[index])),
                    float(hot[index]),
                    words[at:title_end],
                    words[title_end:end],
                    tuple(int(value) & (1 << 64) - 1 for value in prints[index]),
                )
            )
            at = end
        return rows


def _zipf_cumulative(count: int, exponent: float):
    import numpy as np

    weights = 1.0 / np.arange(1, count + 1) ** exponent
    return np.cumsum(weights) / weights.sum()


_CORPUS: Corpus | None = None  # set before the worker pool forks
_DF: dict | None = None
_IDF = None
_TOPICS: list | None = None
_TOPIC_MATRIX: tuple | None = None


def _stamp(moment: dt.datetime) -> str:
    """Django's SQLite storage of an aware datetime: UTC, naive, ISO with a space."""
    return str(moment.replace(tzinfo=None))


def _first_pass(start: int) -> tuple[Path, tuple, Counter, float]:
    """A chunk's article rows (in a scratch file), the channel, author and publication time
    of each, and the document frequencies the chunk adds."""
    import numpy as np

    from yaowen.analysis.services import document_terms

    began = time.process_time()
    df: Counter = Counter()
    rows = []
    articles = _CORPUS.chunk(start, min(CHUNK, _CORPUS.size - start))
    for _id, channel, author, published, hot, title, body, _prints in articles:
        headline = _headline(title)
        df.update(
            term
            for term in document_terms(" ".join(title), " ".join(body), headline)
            if len(term) <= MAX_TERM_LENGTH
        )
        stamp = _stamp(published)
        text = "".join(body)
        views = int(hot * 300) + 10
        rows.append(
            (
                _id, stamp, stamp, author, channel, headline, text[:60],
                text + "。", f"<p>{text}。</p>", "", "", "published", "[]", 0, stamp, None,
                stamp, "", "", views, 0, 0, 0, hot,
            )
        )  # fmt: skip
    path = _scratch_write(start, {"newsroom_article": (ARTICLE_COLUMNS, rows)})
    facts = tuple(np.array([article[index] for article in articles]) for index in (1, 2)) + (
        np.array([article[3].timestamp() for article in articles]),
    )
    return path, facts, df, time.process_time() - began


def _second_pass(start: int) -> tuple[Path, int, tuple[int, int], float]:
    """A chunk's analysis rows, postings and topic assignments (in a scratch file), from
    the corpus-wide counts; returns the file, the number of postings, (topic assignments
    checked against `topic_ids`, how many differ) and the CPU time."""
    from yaowen.analysis.facets import facet_tokens
    from yaowen.analysis.services import KEYWORDS_TOP, TITLE_WEIGHT
    from yaowen.textkit.keywords import keywords
    from yaowen.textkit.simhash import to_signed64
    from yaowen.textkit.similarity import topic_ids

    began = time.process_time()
    analyses, postings, vectors = [], [], []
    for article_id, channel, author, published, _hot, title, body, prints in _CORPUS.chunk(
        start, min(CHUNK, _CORPUS.size - start)
    ):
        stamp = _stamp(published)
        ranked = keywords(title * TITLE_WEIGHT + body, _IDF, top=KEYWORDS_TOP)
        analyses.append(
            (
                article_id, author, channel, stamp, " ".join(title), " ".join(body), "",
                facet_tokens(channel_id=channel, author_id=author, published_at=published),
                json.dumps([[term, round(weight, 4)] for term, weight in ranked]),
                *map(to_signed64, prints),
                "", None, None, "", None, stamp,
            )
        )  # fmt: skip
        vector = _related_vector(title, body)
        postings.extend((feature, weight, article_id) for feature, weight in vector)
        vectors.append((article_id, vector))
    assigned = _topic_ids_many([vector for _id, vector in vectors])
    checked = vectors[::TOPIC_CHECK]
    differ = sum(
        topic_ids(vector, _TOPICS) != assigned[index * TOPIC_CHECK]
        for index, (_id, vector) in enumerate(checked)
    )
    topics = [
        (article_id, json.dumps(ids))
        for (article_id, _v), ids in zip(vectors, assigned, strict=True)
    ]
    path = _scratch_write(
        start,
        {
            "analysis_articleanalysis": (ANALYSIS_COLUMNS, analyses),
            "recommend_posting": (POSTING_COLUMNS, postings),
            "recommend_topicassignment": (("article_id", "topics"), topics),
        },
    )
    return path, len(postings), (len(checked), differ), time.process_time() - began


def _topic_ids_many(vectors: list[list[tuple[str, float]]]) -> list[list[int]]:
    """`similarity.topic_ids` of many vectors as one sparse product: each model's nearest
    centroid by dot product, the first on a tie (a sample is checked against the real one)."""
    import numpy as np
    from scipy import sparse

    index, matrix, spans = _TOPIC_MATRIX
    rows, cols, values = [], [], []
    for row, vector in enumerate(vectors):
        for term, weight in vector:
            col = index.get(term)
            if col is not None:
                rows.append(row)
                cols.append(col)
                values.append(weight)
    found = sparse.csr_matrix((values, (rows, cols)), shape=(len(vectors), len(index)))
    sims = np.asarray((found @ matrix.T).todense())
    columns = [
        sims[:, start : start + count].argmax(axis=1) if count else np.zeros(len(vectors), int)
        for start, count in spans
    ]
    return np.stack(columns, axis=1).tolist() if columns else [[] for _ in vectors]


def _topic_matrix(models: list) -> tuple[dict[str, int], object, list[tuple[int, int]]]:
    """Every centroid of every model as one sparse matrix over the centroids' terms."""
    from scipy import sparse

    index: dict[str, int] = {}
    rows, cols, values, spans = [], [], [], []
    row = 0
    for centroids in models:
        spans.append((row, len(centroids)))
        for centroid in centroids:
            for term, weight in centroid.items():
                rows.append(row)
                cols.append(index.setdefault(term, len(index)))
                values.append(weight)
            row += 1
    return index, sparse.csr_matrix((values, (rows, cols)), shape=(row, len(index))), spans


def _headline(title: list[str]) -> str:
    """The article's title: its title words as written."""
    return "".join(title)[:64]


def _related_vector(title: list[str], body: list[str]) -> list[tuple[str, float]]:
    """The article's stored vector, as `related_index` computes it (the whole corpus's
    document frequencies instead of `idf_model`'s read of them)."""
    from yaowen.textkit.normalize import normalize
    from yaowen.textkit.similarity import related_vector

    return related_vector(title, body, _DF, _DF[""], title=normalize(_headline(title)))


def _newest_vectors(start: int) -> list[tuple[int, list]]:
    """(id, related vector) of the chunk's articles among the newest FIT_ARTICLES."""
    from yaowen.recommend.services.topics import FIT_ARTICLES

    first = _CORPUS.size - FIT_ARTICLES
    return [
        (article_id, _related_vector(title, body))
        for article_id, _c, _a, _p, _h, title, body, _prints in _CORPUS.chunk(
            start, min(CHUNK, _CORPUS.size - start)
        )
        if article_id > first
    ]


_SCRATCH: Path | None = None  # the build's directory of per-chunk files


def _scratch_write(start: int, tables: dict[str, tuple[tuple[str, ...], list]]) -> Path:
    """Rows for the main process to copy in C (ATTACH + INSERT ... SELECT): cheaper for it
    than unpickling them and binding every value, and the workers write in parallel."""
    path = _SCRATCH / f"chunk-{start:09d}.sqlite3"
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    for table, (columns, rows) in tables.items():
        db.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
        db.executemany(insert_sql(table, columns), rows)
    db.execute("COMMIT")
    db.close()
    return path


def _scratch_copy(db: sqlite3.Connection, path: Path) -> None:
    """Append a chunk file's tables to the same-named tables, in their order; delete it."""
    db.execute("ATTACH DATABASE ? AS chunk", (str(path),))
    tables = [row[0] for row in db.execute("SELECT name FROM chunk.sqlite_master")]
    db.execute("BEGIN")
    for table in tables:
        columns = ", ".join(row[1] for row in db.execute(f"PRAGMA chunk.table_info({table})"))
        db.execute(
            f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM chunk.{table} "
            "ORDER BY rowid"
        )
    db.execute("COMMIT")
    db.execute("DETACH DATABASE chunk")
    path.unlink()


def _worker_start() -> None:
    # The main process copies every chunk in turn; the workers yield the CPU to it.
    os.nice(5)


# -- building the database ---------------------------------------------------------------


def sqlite_master(db: sqlite3.Connection) -> list[tuple]:
    return db.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()


def insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def check_columns(db: sqlite3.Connection, table: str, columns: tuple[str, ...]) -> None:
    info = db.execute(f"PRAGMA table_info({table})").fetchall()
    required = {row[1] for row in info if row[3] and row[4] is None and not row[5]}
    missing = required - set(columns)
    if missing or set(columns) - {row[1] for row in info}:
        sys.exit(f"{table}: columns changed ({sorted(missing)} not filled); update this benchmark")


ARTICLE_COLUMNS = (
    "id", "created_at", "updated_at", "author_id", "channel_id", "title", "summary",
    "body_source", "body_html", "cover", "cover_alt", "status", "tags", "is_original",
    "submitted_at", "scheduled_at", "published_at", "rejection_reason", "removed_reason",
    "view_count", "comment_count", "like_count", "share_count", "hot_score",
)  # fmt: skip
ANALYSIS_COLUMNS = (
    "article_id", "author_id", "channel_id", "published_at", "title_terms", "body_terms",
    "grams", "facets", "keywords", "fingerprint", "fingerprint2", "fingerprint3",
    "title_key", "predicted_channel_id", "duplicate_of_id", "duplicate_kind",
    "duplicate_share", "analysed_at",
)  # fmt: skip
POSTING_COLUMNS = ("feature", "weight", "article_id")
USER_COLUMNS = (
    "id", "password", "last_login", "is_superuser", "username", "first_name", "last_name",
    "email", "is_staff", "is_active", "date_joined", "nickname",
)  # fmt: skip
CREATOR_COLUMNS = (
    "id", "created_at", "updated_at", "display_name", "bio", "avatar", "account_type", "badge",
    "status", "article_count", "follower_count", "field_id", "user_id", "contact", "is_trusted",
)  # fmt: skip


def build(path: Path, size: int, args) -> dict:
    import numpy as np
    from search_latency import Vocabulary
    from tqdm import tqdm

    global _CORPUS, _DF, _IDF, _SCRATCH, _TOPICS, _TOPIC_MATRIX
    stages: dict[str, float] = {}
    started = time.monotonic()
    migrate(path)
    stages["migrate"] = time.monotonic() - started
    mark = time.monotonic()
    vocab = Vocabulary()
    print(f"vocabulary: {len(vocab.words):,} words of jieba's dict.txt", file=sys.stderr)
    stages["vocabulary"] = time.monotonic() - mark

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
    for table, columns in (
        ("newsroom_article", ARTICLE_COLUMNS),
        ("analysis_articleanalysis", ANALYSIS_COLUMNS),
        ("recommend_posting", POSTING_COLUMNS),
        ("recommend_topicassignment", ("article_id", "topics")),
        ("recommend_topicmodel", ("id", "centroids", "articles", "fitted_at")),
        ("accounts_user", USER_COLUMNS),
        ("accounts_creatorprofile", CREATOR_COLUMNS),
    ):
        check_columns(db, table, columns)
    indexes = [
        (name, sql)
        for kind, name, table, sql in schema
        if kind == "index" and table in LOADED_TABLES and sql is not None
    ]
    triggers = [
        (name, sql)
        for kind, name, table, sql in schema
        if kind == "trigger" and table == "analysis_articleanalysis"
    ]
    for name, _sql in triggers:
        db.execute(f"DROP TRIGGER {name}")
    for name, _sql in indexes:
        db.execute(f"DROP INDEX {name}")

    channels = [row[0] for row in db.execute("SELECT id FROM newsroom_channel ORDER BY id")]
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    _CORPUS = Corpus(vocab, size, args.seed, channels, now)
    starts = list(range(0, size, CHUNK))
    _SCRATCH = VAR / f"{path.stem}-chunks"
    shutil.rmtree(_SCRATCH, ignore_errors=True)
    _SCRATCH.mkdir()
    context = multiprocessing.get_context("fork")
    gc.freeze()  # the workers share the parent's objects without copying them on a collection

    # Pass 1: articles, and the document frequencies of words and related features.
    mark = time.monotonic()
    df: Counter = Counter()
    channel_of = np.zeros(size + 1, dtype=np.int64)
    author_of = np.zeros(size + 1, dtype=np.int64)
    published_of = np.zeros(size + 1, dtype=np.float64)
    worker_seconds = inserting = 0.0
    with (
        context.Pool(args.workers, initializer=_worker_start) as pool,
        tqdm(total=size, desc=f"articles + counts ({size:,})", unit="art") as bar,
    ):
        for start, (chunk, facts, counts, seconds) in zip(
            starts, pool.imap(_first_pass, starts), strict=True
        ):
            worker_seconds += seconds
            df.update(counts)
            end = start + len(facts[0])
            channel_of[start + 1 : end + 1], author_of[start + 1 : end + 1] = facts[:2]
            published_of[start + 1 : end + 1] = facts[2]
            began = time.monotonic()
            _scratch_copy(db, chunk)
            inserting += time.monotonic() - began
            bar.update(end - start)
    df[""] = size
    stages["articles + counts"] = time.monotonic() - mark
    stages["  workers' CPU: generate + document_terms"] = worker_seconds
    stages["  main: article copies"] = inserting

    mark = time.monotonic()
    db.execute("BEGIN")
    db.executemany("INSERT INTO analysis_termstat (term, df) VALUES (?, ?)", sorted(df.items()))
    db.execute("COMMIT")
    stages["termstat"] = time.monotonic() - mark
    print(f"TermStat: {len(df):,} terms", file=sys.stderr)

    # The IDF of the keywords; pass 2 (analysis rows, postings, topics) regenerates the words.
    from yaowen.textkit.keywords import idf_from_counts
    from yaowen.textkit.similarity import GRAM_PREFIX, RAW_GRAM_PREFIX

    mark = time.monotonic()
    _DF = dict(df)
    del df
    # Keywords are words: the n-gram features need no IDF entry there.
    grams = (GRAM_PREFIX, RAW_GRAM_PREFIX)
    _IDF = idf_from_counts({t: n for t, n in _DF.items() if not t.startswith(grams)}, size)
    gc.freeze()
    stages["idf"] = time.monotonic() - mark

    # The topic clusterings, fitted as `topics_refit` does on the newest articles' vectors
    # (newest first), so pass 2 can assign every article its topics.
    from yaowen.recommend.services.topics import FIT_ARTICLES
    from yaowen.textkit.similarity import topic_models_fit

    mark = time.monotonic()
    newest = [start for start in starts if start + CHUNK > size - FIT_ARTICLES]
    with context.Pool(args.workers, initializer=_worker_start) as pool:
        vectors = dict(pair for chunk in pool.map(_newest_vectors, newest) for pair in chunk)
    _TOPICS = topic_models_fit([vectors[i] for i in sorted(vectors, reverse=True)])
    _TOPIC_MATRIX = _topic_matrix(_TOPICS)
    db.execute(
        "INSERT INTO recommend_topicmodel (centroids, articles, fitted_at) VALUES (?, ?, ?)",
        (json.dumps(_TOPICS), len(vectors), _stamp(now)),
    )
    del vectors
    gc.freeze()
    stages["topic models"] = time.monotonic() - mark

    mark = time.monotonic()
    worker_seconds = inserting = 0.0
    posting_count = topics_checked = topics_differ = 0
    with (
        context.Pool(args.workers, initializer=_worker_start) as pool,
        tqdm(total=size, desc=f"analysis + postings ({size:,})", unit="art") as bar,
    ):
        for start, (chunk, postings, (checked, differ), seconds) in zip(
            starts, pool.imap(_second_pass, starts), strict=True
        ):
            worker_seconds += seconds
            posting_count += postings
            topics_checked += checked
            topics_differ += differ
            began = time.monotonic()
            _scratch_copy(db, chunk)
            inserting += time.monotonic() - began
            bar.update(min(CHUNK, size - start))
    stages["analysis + postings"] = time.monotonic() - mark
    stages["  workers' CPU: keywords + related_vector + topic_ids"] = worker_seconds
    stages["  main: analysis + posting copies"] = inserting
    _DF = _IDF = _TOPICS = _TOPIC_MATRIX = None
    print(
        f"topic ids: {topics_differ} of {topics_checked} checked differ from topic_ids",
        file=sys.stderr,
    )
    _SCRATCH.rmdir()

    mark = time.monotonic()
    for _name, sql in tqdm(indexes, desc="indexes", unit="idx"):
        db.execute(sql)
    for _name, sql in triggers:
        db.execute(sql)
    stages["indexes"] = time.monotonic() - mark

    mark = time.monotonic()
    people(db, _CORPUS, channel_of, author_of, published_of, args.seed)
    stages["people"] = time.monotonic() - mark

    if sqlite_master(db) != schema:
        sys.exit("the built database's schema differs from the migrated one")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    stages["total"] = time.monotonic() - started
    return {
        "stages": stages,
        "postings": posting_count,
        "topic_ids_checked": [topics_checked, topics_differ],
    }


def people(db, corpus: Corpus, channel_of, author_of, published_of, seed: int) -> None:
    """Creators, readers, follows, readings and likes."""
    import numpy as np

    rng = random.Random(seed + 7)
    now = corpus.now
    joined = _stamp(corpus.first - dt.timedelta(days=30))
    password = "!bench"  # unusable, as set_unusable_password writes it
    users = [
        (index, password, None, 0, f"creator{index:04d}", "", "", "", 0, 1, joined, "")
        for index in range(1, CREATORS + 1)
    ] + [
        (CREATORS + index, password, None, 0, f"reader{index:03d}", "", "", "", 0, 1, joined, "")
        for index in range(1, READERS + 1)
    ]
    articles = Counter(author_of[1:].tolist())
    by_channel: dict[int, np.ndarray] = {}
    for channel in corpus.channels.tolist():
        ids = np.flatnonzero(channel_of == channel)
        by_channel[channel] = ids  # ids ascending = published_at ascending
    follows, readings, likes = [], [], []
    followers: Counter = Counter()
    channels = corpus.channels.tolist()
    for index in range(1, READERS + 1):
        user = CREATORS + index
        favourites = rng.sample(channels, 2)
        pool = [c for c in range(1, CREATORS + 1) if int(corpus.creator_home[c - 1]) in favourites]
        for creator in rng.sample(pool, FOLLOWS):
            followers[creator] += 1
            follows.append((_stamp(now - dt.timedelta(days=rng.uniform(1, 200))), creator, user))
        read: dict[int, float] = {}
        for _ in range(rng.randint(*READINGS)):
            channel = (
                rng.choice(favourites) if rng.random() < FAVOURITE_SHARE else rng.choice(channels)
            )
            ids = by_channel[channel]
            if not len(ids):
                continue
            target = now.timestamp() - min(rng.expovariate(1 / READ_AGE_DAYS), DAYS) * 86400
            at = int(np.searchsorted(published_of[ids], target, side="right")) - 1
            article = int(ids[max(at, 0)])
            published = published_of[article]
            window = max(60.0, min(2 * 86400.0, now.timestamp() - published))
            read[article] = published + rng.uniform(60.0, window)
        for article, moment in read.items():
            readings.append((_stamp(dt.datetime.fromtimestamp(moment, dt.UTC)), article, user))
        for article in rng.sample(sorted(read), min(rng.randint(*LIKES), len(read))):
            likes.append(
                (_stamp(dt.datetime.fromtimestamp(read[article] + 30, dt.UTC)), article, user)
            )
    creators = [
        (
            index, joined, joined, f"基准创作者{index:04d}", "", "", "personal", "", "active",
            articles.get(index, 0), followers.get(index, 0), int(corpus.creator_home[index - 1]),
            index, "", 0,
        )
        for index in range(1, CREATORS + 1)
    ]  # fmt: skip
    db.execute("BEGIN")
    db.executemany(insert_sql("accounts_user", USER_COLUMNS), users)
    db.executemany(insert_sql("accounts_creatorprofile", CREATOR_COLUMNS), creators)
    db.executemany(
        "INSERT INTO accounts_follow (created_at, followee_id, follower_id) VALUES (?, ?, ?)",
        follows,
    )
    db.executemany(
        "INSERT INTO recommend_reading (read_at, article_id, user_id) VALUES (?, ?, ?)", readings
    )
    db.executemany(
        "INSERT INTO engagement_like (created_at, article_id, user_id) VALUES (?, ?, ?)", likes
    )
    db.execute(
        "UPDATE newsroom_article SET like_count = (SELECT count(*) FROM engagement_like "
        "WHERE article_id = newsroom_article.id) "
        "WHERE id IN (SELECT article_id FROM engagement_like)"
    )
    db.execute("COMMIT")
    print(
        f"people: {CREATORS} creators, {READERS} readers, {len(follows)} follows, "
        f"{len(readings)} readings, {len(likes)} likes",
        file=sys.stderr,
    )


# -- measuring ---------------------------------------------------------------------------


class Tally:
    """Calls' seconds and returned rows of wrapped functions, by name."""

    def __init__(self) -> None:
        self.seconds: Counter = Counter()
        self.rows: Counter = Counter()

    def wrap(self, name: str, func):
        def tallied(*args, **kwargs):
            start = time.perf_counter()
            try:
                result = func(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - start
            if isinstance(result, dict) and name == "vectors":
                self.rows[name] += sum(len(vector) for vector in result.values())
            elif isinstance(result, list | dict):
                self.rows[name] += len(result)
            return result

        return tallied

    def patch(self, module, *names: str) -> None:
        for name in names:
            setattr(module, name, self.wrap(name, getattr(module, name)))

    def reset(self) -> None:
        self.seconds.clear()
        self.rows.clear()


class Statements:
    """Per statement shape: calls, seconds in `execute` and a few of its SQL + parameters.

    SQLite computes a SELECT's rows while they are fetched, after `execute` returns, so
    `costs` runs the sampled SELECTs again, fetching every row, for their full time.
    """

    SAMPLES = 10

    def __init__(self) -> None:
        self.shapes: dict[str, list] = {}

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - start
            entry = self.shapes.setdefault(_shape(sql), [0, 0.0, []])
            entry[0] += 1
            entry[1] += elapsed
            if not many and len(entry[2]) < self.SAMPLES:
                entry[2].append((sql, params))

    def costs(self, calls: int) -> list[tuple[float, float, str, int | None, tuple | None]]:
        """(ms per call, statements per call, shape, rows per statement, a sample), costliest
        first: SELECTs timed again with their rows fetched, others by `execute`."""
        from django.db import connection

        costs = []
        for shape, (count, seconds, samples) in self.shapes.items():
            rows = None
            if samples and shape.lstrip().upper().startswith("SELECT"):
                times, counts = [], []
                with connection.cursor() as cursor:
                    for sql, params in samples:
                        start = time.perf_counter()
                        cursor.execute(sql, params)
                        counts.append(len(cursor.fetchall()))
                        times.append(time.perf_counter() - start)
                seconds = statistics.median(times) * count
                rows = int(statistics.median(counts))
            costs.append(
                (
                    seconds / calls * 1000,
                    count / calls,
                    shape,
                    rows,
                    samples[-1] if samples else None,
                )
            )
        return sorted(costs, key=lambda item: -item[0])


def _shape(sql: str) -> str:
    union = " UNION ALL " in sql
    shape = re.sub(r"%s(?:, %s)+", "%s,…", sql.split(" UNION ALL ")[0])
    return shape + (" UNION ALL …" if union else "")


def explain(sql: str, params) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        lines = [row[-1] for row in cursor.fetchall()]
    # A UNION ALL of per-feature parts repeats one plan per part: show each line once.
    return list(dict.fromkeys(re.sub(r"\b[pP]\d+\b|part\d+", "…", line) for line in lines))


def warm_file(path: Path) -> float:
    """Read the whole database file once so the OS cache holds it (the untimed pass)."""
    start = time.monotonic()
    for suffix in ("", "-wal"):
        target = Path(f"{path}{suffix}")
        if target.exists():
            with open(target, "rb", buffering=0) as handle:
                while handle.read(16 << 20):
                    pass
    return time.monotonic() - start


def measure(size: int, args, path: Path, built: dict) -> dict:
    from django.core.cache import cache
    from django.db import connection, transaction

    from yaowen.accounts.models import User
    from yaowen.newsroom.models import Article
    from yaowen.recommend import feed as feed_module
    from yaowen.recommend.feed import feed_page, reader_signals
    from yaowen.recommend.selectors import article_list_related
    from yaowen.recommend.services import related
    from yaowen.textkit.similarity import POSTING_CAP, VECTOR_TERMS

    file_bytes = path.stat().st_size
    print(f"\n== {size:,} articles: {path.name}, {file_bytes / 1e9:.2f} GB ==")
    print(f"similarity: VECTOR_TERMS={VECTOR_TERMS}, POSTING_CAP={POSTING_CAP}")
    then, now = built.get("similarity", {}), similarity_constants()
    changed = [
        f"{name} {then[name]!r} (now {now.get(name)!r})"
        for name in sorted(then)
        if json.dumps(then[name]) != json.dumps(now.get(name))
    ]
    if changed:
        print("stored vectors were built with " + ", ".join(changed))
    print(f"warm-up: read the file into the OS cache in {warm_file(path):.1f}s")
    print("load average: " + ", ".join(f"{load:.2f}" for load in os.getloadavg()))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM recommend_relateditem")  # every run starts with no lists
        cursor.execute("SELECT count(*) FROM recommend_posting")
        postings = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM analysis_termstat")
        terms = cursor.fetchone()[0]
    print(f"rows: {postings:,} postings ({postings / size:.1f} per article), {terms:,} terms")

    rng = random.Random(args.seed * 1000 + 17)
    sample = rng.sample(range(1, size + 1), args.recomputes + args.publishes)
    recompute_ids, publish_ids = sample[: args.recomputes], sample[args.recomputes :]
    by_id = Article.objects.in_bulk([*recompute_ids, *publish_ids])
    recompute_articles = [by_id[i] for i in recompute_ids]
    publish_articles = [by_id[i] for i in publish_ids]
    readers = list(User.objects.filter(username__startswith="reader").order_by("pk"))
    readers = rng.sample(readers, min(args.feeds, len(readers)))

    # The recompute reads through `related.DATABASE`: its readers are wrapped to be counted.
    tally = Tally()
    tally.patch(related, "_stored_vector")
    source = related.DATABASE
    related.DATABASE = related.Source(
        **{name: tally.wrap(name, getattr(source, name)) for name in READERS_OF_LISTS}
    )
    feed_tally = Tally()
    feed_tally.patch(feed_module, "feed_candidates", "_picks")
    # Cold means every cache empty: Django's and any the feed keeps in the process.
    forget = getattr(feed_module, "candidates_forget", None)

    def caches_clear() -> None:
        cache.clear()
        if forget is not None:
            forget()

    print(
        "cold calls clear: Django's cache"
        + (" and the feed's candidates (candidates_forget)" if forget else "")
    )

    # Untimed: the neighbours of the articles to publish get their lists first, as every
    # published article has one on a live site; and a few calls of everything.
    prepared = 0
    for article in publish_articles:
        for item in related.related_recompute(article_id=article.pk)[: related.NEIGHBOURS_UPDATED]:
            related.related_recompute(article_id=item.related_id)
            prepared += 1
    for article in recompute_articles[:10]:
        related.related_recompute(article_id=article.pk)
        article_list_related(article=article)
    for user in readers[:10]:
        feed_page(signals=reader_signals(user))
    print(f"prepared: stored the lists of {prepared} neighbours of the articles to publish")

    def timed(call) -> float:
        start = time.perf_counter()
        call()
        return (time.perf_counter() - start) * 1000

    names = (
        "recompute",
        "read (cold, cache cleared)",
        "read (cached)",
        "feed page 1 (cold)",
        "feed page 1 (warm)",
        "feed page 2 (warm)",
        "publish (related_publish)",
    )
    results: dict[str, list[list[float]]] = {name: [] for name in names}
    recompute_rows: list[dict[str, int]] = []
    parts: Counter = Counter()
    feed_parts: dict[str, float] = Counter()
    list_lengths: list[int] = []
    feed_lengths: list[int] = []
    for number in range(args.rounds):
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        print(f"round {number + 1}/{args.rounds} (load {load}) ...", file=sys.stderr, flush=True)
        times = []
        for article in recompute_articles:
            tally.reset()
            times.append(timed(lambda a=article: list_lengths.append(
                len(related.related_recompute(article_id=a.pk)))))  # fmt: skip
            recompute_rows.append(dict(tally.rows))
            parts.update(tally.seconds)
        results["recompute"].append(times)

        cold, warm = [], []
        for article in recompute_articles:
            caches_clear()
            cold.append(timed(lambda a=article: article_list_related(article=a)))
            warm.append(timed(lambda a=article: article_list_related(article=a)))
        results["read (cold, cache cleared)"].append(cold)
        results["read (cached)"].append(warm)

        cold = []
        for user in readers:
            caches_clear()
            feed_tally.reset()
            start = time.perf_counter()
            signals = reader_signals(user)
            middle = time.perf_counter()
            feed_page(signals=signals)
            cold.append((time.perf_counter() - start) * 1000)
            feed_parts["reader_signals"] += middle - start
            for name, seconds in feed_tally.seconds.items():
                feed_parts[name] += seconds
        warm, second, first_pages = [], [], {}
        for user in readers:
            start = time.perf_counter()
            page = feed_page(signals=reader_signals(user))
            warm.append((time.perf_counter() - start) * 1000)
            first_pages[user.pk] = [pick.card.id for pick in page.items]
            feed_lengths.append(len(page.items))
        for user in readers:
            shown = first_pages[user.pk]
            second.append(
                timed(lambda u=user, s=shown: feed_page(signals=reader_signals(u), shown=s))
            )
        results["feed page 1 (cold)"].append(cold)
        results["feed page 1 (warm)"].append(warm)
        results["feed page 2 (warm)"].append(second)

        times = []
        for article in publish_articles:

            def publish(a=article) -> None:
                with transaction.atomic():
                    related.related_publish(article=a)

            times.append(timed(publish))
        results["publish (related_publish)"].append(times)

    figures: dict[str, dict] = {}
    print(f"\n  {'operation':30} {'median':>9} {'p99':>9}   round medians (ms)   calls/round")
    for name, rounds in results.items():
        every = [t for times in rounds for t in times]
        figures[name] = {
            "median": statistics.median(every),
            "p99": percentile(every, 0.99),
            "rounds": [statistics.median(times) for times in rounds],
        }
        print(
            f"  {name:30} {figures[name]['median']:6.2f} ms {figures[name]['p99']:6.2f} ms   "
            + ", ".join(f"{m:.2f}" for m in figures[name]["rounds"])
            + f"   {len(rounds[0])}"
        )
    calls = len(recompute_rows)
    fetched = [row.get("postings", 0) for row in recompute_rows]
    print(
        f"\n  recompute reads per call: postings fetched median {statistics.median(fetched):,.0f} "
        f"(p99 {percentile(fetched, 0.99):,.0f}, max {max(fetched):,}); mean rows of "
        + ", ".join(
            f"{name} {sum(row.get(name, 0) for row in recompute_rows) / calls:,.0f}"
            for name in ("_stored_vector", *READERS_OF_LISTS)
        )
        + f"; list length {statistics.mean(list_lengths):.1f}; feed page items "
        f"{statistics.mean(feed_lengths):.1f}"
    )
    print(
        "  recompute time by part (mean per call): "
        + ", ".join(f"{name} {seconds / calls * 1000:.2f} ms" for name, seconds in parts.items())
    )
    print(
        "  cold feed page 1 by part (mean per call): "
        + ", ".join(
            f"{name} {seconds / (args.rounds * len(readers)) * 1000:.2f} ms"
            for name, seconds in feed_parts.items()
        )
    )
    figures["postings fetched"] = {
        "median": statistics.median(fetched),
        "p99": percentile(fetched, 0.99),
    }

    # One more, untimed pass per operation with every statement timed and explained.
    cases = {
        "recompute": (
            recompute_articles,
            lambda a: related.related_recompute(article_id=a.pk),
            False,
        ),
        "read (cold)": (recompute_articles, lambda a: article_list_related(article=a), True),
        "feed page 1 (cold)": (readers, lambda u: feed_page(signals=reader_signals(u)), True),
        "feed page 1 (warm)": (readers, lambda u: feed_page(signals=reader_signals(u)), False),
        "publish": (
            publish_articles,
            lambda a: _atomic(transaction, lambda: related.related_publish(article=a)),
            False,
        ),
    }
    for label, (items, call, clear) in cases.items():
        statements = Statements()
        with connection.execute_wrapper(statements):
            for item in items:
                if clear:
                    caches_clear()
                call(item)
        costs = statements.costs(len(items))
        queries = sum(entry[0] for entry in statements.shapes.values()) / len(items)
        print(
            f"\n  {label}: {queries:.1f} statements per call, "
            f"{sum(cost[0] for cost in costs):.2f} ms in SQL per call; costliest:"
        )
        for ms, per_call, shape, rows, sample in costs[:5]:
            fetched = f"{rows:>5} rows" if rows is not None else " " * 10
            print(f"    {ms:6.2f} ms ×{per_call:<4.1f}{fetched}  {shape[:140]}")
            if rows is not None:
                print("             plan: " + " | ".join(explain(*sample))[:400])
    return {
        "size": size,
        "file_gb": file_bytes / 1e9,
        "postings": postings,
        "terms": terms,
        "build": built,
        "figures": figures,
    }


def _atomic(transaction, call) -> None:
    with transaction.atomic():
        call()


# -- orchestration -----------------------------------------------------------------------


def fingerprint() -> str:
    """What the cached corpus depends on besides the migrations: this generator's version
    and what `document_terms`, `related_vector`, `keywords` and the topic functions give
    for fixed articles."""
    from yaowen.analysis.services import document_terms
    from yaowen.textkit.keywords import idf_from_counts, keywords
    from yaowen.textkit.similarity import related_vector, topic_ids, topic_models_fit

    title = ["国足", "亚洲杯", "小组赛", "首战", "告捷"]
    body = ["国足", "今晚", "亚洲杯", "小组", "比赛", "中", "战胜", "对手", "球迷", "国足"]
    terms = sorted(document_terms(" ".join(title), " ".join(body), "国足 亚洲杯小组赛首战告捷"))
    df = {term: 1 + len(term) * 7 % 5 for term in terms}
    vectors = [
        related_vector(title[i:], body[: 4 + i], df, 1000, title="".join(title[i:]))
        for i in range(4)
    ]
    models = topic_models_fit(vectors)
    tags = keywords(title * 2 + body, idf_from_counts({**df, "国足": 30}, 1000))
    sample = (terms, vectors, models, topic_ids(vectors[0], models), tags)
    return hashlib.sha256(f"generator {GENERATOR} {sample!r}".encode()).hexdigest()[:16]


def migrate(path: Path) -> None:
    env = dict(os.environ, SQLITE_PATH=str(path), DATABASE_URL="", REDIS_URL="")
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--verbosity=0"],
        check=True,
        env=env,
        cwd=ROOT,
    )


def schema_changes(path: Path) -> str | None:
    """Why the cached corpus no longer fits the code's migrations, or None.

    The migration names of analysis and recommend first; then the whole schema against a
    freshly migrated file, since a migration still being written is edited in place.
    """
    from django.db.migrations.loader import MigrationLoader

    with sqlite3.connect(path) as db:
        applied = set(db.execute("SELECT app, name FROM django_migrations").fetchall())
        built = {row for row in sqlite_master(db) if not row[1].startswith("sqlite_")}
    disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    ours = {"analysis", "recommend"}
    if {key for key in applied if key[0] in ours} != {key for key in disk if key[0] in ours}:
        return "the analysis or recommend migrations changed"
    fresh = VAR / f"schema-{os.getpid()}.sqlite3"
    try:
        migrate(fresh)
        with sqlite3.connect(fresh) as db:
            wanted = {row for row in sqlite_master(db) if not row[1].startswith("sqlite_")}
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{fresh}{suffix}").unlink(missing_ok=True)
    changed = sorted({row[1] for row in built ^ wanted})
    return f"the migrated schema changed ({', '.join(changed)})" if changed else None


def run_size(size: int, args) -> None:
    import django

    django.setup()
    path = Path(os.environ["SQLITE_PATH"])
    meta_path = path.with_suffix(".json")
    marker = Path(f"{path}.building")
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    reason = None
    if not path.exists():
        reason = "no corpus yet"
    elif marker.exists():
        reason = "an earlier build was interrupted"
    else:
        reason = schema_changes(path)
        if reason is None and meta.get("fingerprint") != fingerprint():
            reason = "document_terms, related_vector, the topic functions or the generator changed"
            if args.reuse:
                print(f"corpus: {reason}; reused as asked (--reuse)")
                reason = None
    if reason:
        print(f"building {path.name}: {reason}", flush=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        marker.touch()
        meta = build(path, size, args)
        meta["fingerprint"] = fingerprint()
        meta["similarity"] = similarity_constants()
        meta["built_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        meta_path.write_text(json.dumps(meta, indent=1))
        marker.unlink()
        stages = meta["stages"]
        print(
            f"built {size:,} articles in {stages['total']:.0f}s: "
            + ", ".join(f"{name.strip()} {seconds:.0f}s" for name, seconds in stages.items())
        )
    else:
        print(f"corpus: reusing {path.name} (built {meta.get('built_at')})")
    statistics_set(path, args.analyze)
    result = measure(size, args, path, meta)
    result_path(path, args.analyze).write_text(json.dumps(result, indent=1))


def similarity_constants() -> dict:
    """The tuning constants of `recommend.similarity` (kept with a corpus, compared later)."""
    from yaowen.textkit import similarity

    return {
        name: value
        for name, value in vars(similarity).items()
        if name.isupper() and isinstance(value, int | float | str | tuple)
    }


def result_path(path: Path, analyze: bool) -> Path:
    return Path(f"{path}.result{'-analyze' if analyze else ''}.json")


def statistics_set(path: Path, analyze: bool) -> None:
    """Planner statistics as asked: ANALYZE run, or none (as `migrate` leaves a database)."""
    db = sqlite3.connect(path, isolation_level=None)
    present = db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
    if analyze:
        start = time.monotonic()
        db.execute("ANALYZE")
        print(f"planner statistics: ANALYZE took {time.monotonic() - start:.1f}s")
    elif present.fetchone()[0]:
        db.execute("DROP TABLE sqlite_stat1")
        print("planner statistics: dropped those an earlier --analyze run left")
    db.close()


def summary(results: list[dict], analyze: bool) -> None:
    stats = "with ANALYZE statistics" if analyze else "no planner statistics"
    print(f"\n== figures (median / p99 of all rounds; SQLite, {stats}, this machine) ==")
    width = 40
    print(f"  {'':{width}}" + "".join(f"{r['size']:>24,}" for r in results))
    print(
        f"  {'build':{width}}"
        + "".join(f"{r['build']['stages']['total'] / 60:>20.1f} min" for r in results)
    )
    print(f"  {'file':{width}}" + "".join(f"{r['file_gb']:>21.2f} GB" for r in results))
    print(f"  {'postings':{width}}" + "".join(f"{r['postings']:>24,}" for r in results))
    targets = {
        "read (cold, cache cleared)": 2,
        "recompute": 30,
        "feed page 1 (cold)": 50,
        "feed page 1 (warm)": 50,
        "feed page 2 (warm)": 50,
    }
    for name in results[0]["figures"]:
        figure = [r["figures"][name] for r in results]
        unit = "" if name == "postings fetched" else " ms"
        label = name + (f" (≤ {targets[name]} ms)" if name in targets else "")
        print(
            f"  {label:{width}}"
            + "".join(f"{f['median']:>10.2f}{unit} / {f['p99']:>7.2f}{unit}" for f in figure)
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated corpus sizes")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--recomputes", type=int, default=200, help="articles recomputed")
    parser.add_argument("--feeds", type=int, default=100, help="readers whose feed is built")
    parser.add_argument("--publishes", type=int, default=50, help="articles re-published")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="build processes")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure a cached corpus whose vector functions changed since (tuned constants); "
        "a changed schema still rebuilds it",
    )
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="measure with planner statistics (ANALYZE); without, any left are dropped",
    )
    parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    if args.one_size:
        run_size(args.one_size, args)
        return
    VAR.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores; SQLite {sqlite3.sqlite_version}")
    passed = [
        f"--{name.replace('_', '-')}" + ("" if value is True else f"={value}")
        for name, value in vars(args).items()
        if name not in ("sizes", "one_size") and value is not False
    ]
    results = []
    for size in (int(text) for text in args.sizes.split(",")):
        path = VAR / f"recommend-{size}-{args.seed}.sqlite3"
        env = dict(os.environ)
        env.update(
            SQLITE_PATH=str(path),
            DJANGO_SETTINGS_MODULE="config.settings.base",
            DATABASE_URL="",
            REDIS_URL="",
        )
        subprocess.run(
            [sys.executable, __file__, f"--one-size={size}", *passed], check=True, env=env
        )
        results.append(json.loads(result_path(path, args.analyze).read_text()))
    summary(results, args.analyze)


if __name__ == "__main__":
    main()
