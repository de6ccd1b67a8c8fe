"""Related-article quality on labelled text: our index-bound algorithm beside a TF-IDF baseline.

    .venv/bin/python bench/related_quality.py FILE.tsv [FILE.tsv ...] [--caps 100,200,500]

Each FILE is `label<TAB>title<TAB>body` (an empty body becomes the title, as
`evaluate-related` publishes it). All rows of all files form one pool; labels are used
only to measure. For every article its 10 related
articles (itself excluded) are computed; precision@10 is the mean share of them with the
article's label, coverage the share of articles with a full list of 10.

Ours runs exactly as the platform will, in memory: stored vectors of at most VECTOR_TERMS
features, at most POSTING_CAP postings read per feature (highest weight first, newest
first among equal weights), one bounded expansion, topic ids from TOPIC_MODELS clusterings
fitted on the pool's stored vectors; each article passes what the platform passes: its
filtered title and body tokens and its normalised title as written. Posting rows read and
time per article are printed for each cap. The baseline is `evaluation.baseline_related`
(TF-IDF cosine over jieba words of title + body, sublinear tf), as `evaluate-related`
prints it. The platform's rules (no near-duplicates, two per creator) and the reasons and
tags are measured by `manage.py recommend evaluate-related`.
"""

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from yaowen.recommend.evaluation import baseline_related, coverage, precision_at_k  # noqa: E402
from yaowen.textkit import similarity  # noqa: E402
from yaowen.textkit.normalize import normalize  # noqa: E402
from yaowen.textkit.tokenize import default_tokenizer  # noqa: E402

K = 10


def read_rows(paths: list[str]) -> list[tuple[str, str, str]]:
    rows = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 2:
                    rows.append((parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
    return rows


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Index:
    """The posting table and per-article stored data, as the platform keeps them."""

    def __init__(self, vectors: list[list[tuple[str, float]]], topics: list[list[int]]):
        self.vectors = vectors
        self.topics = topics
        lists: dict[str, list[tuple[float, int]]] = {}
        for article_id, vector in enumerate(vectors):
            for feature, weight in vector:
                lists.setdefault(feature, []).append((weight, article_id))
        # (feature, weight DESC) order; among equal weights the newest (highest id) first.
        self.postings = {
            feature: [(article_id, weight) for weight, article_id in sorted(rows, reverse=True)]
            for feature, rows in lists.items()
        }
        self.rows_read = 0

    def reader(self, cap: int):
        def postings(features):
            rows = []
            for feature in features:
                for article_id, weight in self.postings.get(feature, ())[:cap]:
                    rows.append((feature, article_id, weight))
            self.rows_read += len(rows)
            return rows

        return postings

    def stored_vectors(self, ids):
        return {i: self.vectors[i] for i in ids}

    def stored_topics(self, ids):
        return {i: self.topics[i] for i in ids}


def measure_ours(titles, bodies, raw_titles, labels, caps):
    started = time.perf_counter()
    articles = list(zip(titles, bodies, raw_titles, strict=True))
    df: Counter = Counter()
    for title, body, raw in articles:
        df.update(similarity.related_features(title, body, title=raw))
    documents = len(titles)
    vectors = [
        similarity.related_vector(title, body, df, documents, title=raw)
        for title, body, raw in articles
    ]
    progress(f"  vectors: {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    models = similarity.topic_models_fit(vectors)
    topics = [similarity.topic_ids(vector, models) for vector in vectors]
    progress(f"  topic models fitted and assigned: {time.perf_counter() - started:.1f}s")
    index = Index(vectors, topics)
    sizes = [len(v) for v in vectors]
    print(
        f"stored vector features per article: mean {statistics.mean(sizes):.1f}, "
        f"max {max(sizes)} (VECTOR_TERMS {similarity.VECTOR_TERMS})"
    )
    for cap in caps:
        index.rows_read = 0
        postings = index.reader(cap)
        related = []
        started = time.perf_counter()
        for article_id, vector in enumerate(vectors):
            found = similarity.related_articles(
                article_id,
                vector,
                postings=postings,
                vectors=index.stored_vectors,
                topics=index.stored_topics,
                k=K,
            )
            related.append([i for i, _ in found])
            if article_id and article_id % 5000 == 0:
                progress(f"  cap {cap}: {article_id}/{len(vectors)}")
        elapsed = time.perf_counter() - started
        marker = "  <- POSTING_CAP" if cap == similarity.POSTING_CAP else ""
        print(
            f"ours      cap {cap:4d}  precision@{K} {precision_at_k(labels, related, K):.4f}  "
            f"coverage {coverage(related, K):.4f}  posting rows read/article "
            f"{index.rows_read / len(vectors):.0f}  "
            f"{1000 * elapsed / len(vectors):.2f} ms/article{marker}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", help="labelled TSV files, pooled together")
    parser.add_argument(
        "--caps",
        default=f"{similarity.POSTING_CAP},100,500",
        help="comma-separated POSTING_CAP values to measure",
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the TF-IDF baseline")
    args = parser.parse_args()
    caps = [int(cap) for cap in args.caps.split(",")]

    rows = read_rows(args.files)
    labels = [label for label, _, _ in rows]
    print(f"{len(rows)} articles, {len(set(labels))} labels, pooled from {len(args.files)} file(s)")
    if not args.no_baseline:
        started = time.perf_counter()
        progress("baseline: TF-IDF cosine over jieba words ...")
        related = baseline_related([f"{title} {body}" for _, title, body in rows], k=K)
        print(
            f"baseline            precision@{K} {precision_at_k(labels, related, K):.4f}  "
            f"coverage {coverage(related, K):.4f}  "
            f"({time.perf_counter() - started:.0f}s, exact, in memory)",
            flush=True,
        )
    progress("ours: tokenizing ...")
    tokenizer = default_tokenizer()
    titles = [tokenizer.tokens(title) for _, title, _ in rows]
    bodies = [tokenizer.tokens(body or title) for _, title, body in rows]
    raw_titles = [normalize(title) for _, title, _ in rows]
    measure_ours(titles, bodies, raw_titles, labels, caps)


if __name__ == "__main__":
    main()
