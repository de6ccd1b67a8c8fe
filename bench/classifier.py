"""Channel classifier benchmark: the plain baseline and our variants, side by side.

Usage: python bench/classifier.py --train A.tsv --test B.tsv [--only NAME ...]
Prints accuracy, macro-F1, training seconds and the median milliseconds of single-article
predict calls for each model: on the test file's own articles ("ms/art"), and on articles
whose ~2,000-character body is made of test headlines strung together ("ms/long"), the
worst case of the BODY_CHARS cap.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from yaowen.textkit.classifier import (  # noqa: E402
    ChannelClassifier,
    Example,
    baseline,
    evaluate,
    read_tsv,
    timed_fit,
)

LONG_BODY_CHARS = 2000


def variants() -> dict[str, ChannelClassifier]:
    return {
        "baseline (words+char1-3, tf, C=0.5)": baseline(),
        "svm only (our features, C=1)": ChannelClassifier(members=("svm",)),
        "svm + nbsvm": ChannelClassifier(members=("svm", "nbsvm")),
        "svm + nbsvm + nb (default)": ChannelClassifier(),
    }


def long_articles(examples: list[Example], count: int = 300, seed: int = 0) -> list[Example]:
    """Articles with a ~2,000-character body of unrelated headlines and the first as title."""
    rng = random.Random(seed)
    articles = []
    for _ in range(count):
        parts, size = [], 0
        while size < LONG_BODY_CHARS:
            title = rng.choice(examples).title
            parts.append(title)
            size += len(title) + 1
        articles.append(Example("?", parts[0], "。".join(parts[1:])[:LONG_BODY_CHARS]))
    return articles


def predict_ms(model: ChannelClassifier, examples, limit: int = 2000) -> float:
    timings = []
    for example in examples[:limit]:
        start = time.perf_counter()
        model.predict(example.title, example.body)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", required=True)
    parser.add_argument("--test", required=True)
    parser.add_argument("--only", nargs="*", help="substrings of variant names to run")
    args = parser.parse_args()
    train, test = read_tsv(args.train), read_tsv(args.test)
    long = long_articles(test)
    print(f"train {len(train)} articles, test {len(test)}", file=sys.stderr)
    rows = []
    for name, model in variants().items():
        if args.only and not any(part in name for part in args.only):
            continue
        seconds = timed_fit(model, train)
        _, accuracy, macro_f1 = evaluate(model, test)
        ms, long_ms = predict_ms(model, test), predict_ms(model, long)
        rows.append((name, accuracy, macro_f1, seconds, ms, long_ms))
        print(
            f"{name}: accuracy={accuracy:.4f} macro_f1={macro_f1:.4f} "
            f"train={seconds:.1f}s predict={ms:.3f}ms long={long_ms:.3f}ms",
            file=sys.stderr,
            flush=True,
        )
    print(
        f"{'model':40} {'accuracy':>9} {'macro_f1':>9} {'train s':>8} {'ms/art':>7} {'ms/long':>7}"
    )
    for name, accuracy, macro_f1, seconds, ms, long_ms in rows:
        print(f"{name:40} {accuracy:9.4f} {macro_f1:9.4f} {seconds:8.1f} {ms:7.3f} {long_ms:7.3f}")


if __name__ == "__main__":
    main()
