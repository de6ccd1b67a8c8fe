"""Benchmark the sensitive-word matcher: compile 50,000 words, scan a 2,000-character article.

    .venv/bin/python bench/wordfilter.py                       # 50,000 words, 2,000 runs
    .venv/bin/python bench/wordfilter.py --words 100000 --runs 5000

Words are generated from the 3,000 most frequent characters of composed news text
(`yaowen.demo.compose`), 2-6 characters, spread over the categories and actions; the
article is composed news text cut to --chars characters. Prints the compile time, then the
median and p99 of `Matcher.scan` (and `Matcher.screen`, which masks too) for: the article
against the list less the words it happens to contain (no hits), the article as written (a
few incidental hits: the words are made of common characters), and the article with ten
listed words planted in it, disguised by spaces, punctuation and zero-width characters.
Deterministic per seed.
"""

import argparse
import datetime as dt
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from yaowen.demo.compose import CHANNELS, compose_article  # noqa: E402
from yaowen.textkit.wordfilter import Matcher  # noqa: E402

CATEGORIES = ("politics", "porn", "terror", "gambling", "drugs", "fraud", "ads", "abuse", "other")
ACTIONS = ("block", "review", "mask")
LENGTHS = (2, 3, 4, 5, 6)
LENGTH_WEIGHTS = (30, 30, 25, 10, 5)
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Ways to disguise a planted word: separators between characters, or another form.
_DISGUISES = (
    lambda w: " ".join(w),
    lambda w: ".".join(w),
    lambda w: "\u200b".join(w),
    lambda w: "*".join(w),
    lambda w: "-".join(w),
    lambda w: "_".join(w),
    lambda w: "\u2060".join(w),
    lambda w: "·".join(w),
    lambda w: "　".join(w),
    lambda w: "/".join(w),
)


def composed_text(rng: random.Random, articles: int) -> list[str]:
    day = dt.date(2025, 6, 1)
    texts = []
    for index in range(articles):
        article = compose_article(rng, CHANNELS[index % len(CHANNELS)], [], day)
        body = "\n".join(
            line for line in article.body_markdown.splitlines() if not line.startswith("![")
        )
        texts.append(f"{article.title}\n{article.summary}\n{body}")
    return texts


def generate_words(rng: random.Random, corpus: list[str], count: int) -> list[tuple]:
    frequent = [char for char, _n in Counter(_CJK.findall("".join(corpus))).most_common(3000)]
    words: dict[str, tuple] = {}
    while len(words) < count:
        length = rng.choices(LENGTHS, LENGTH_WEIGHTS)[0]
        word = "".join(rng.choice(frequent) for _ in range(length))
        words.setdefault(word, (word, rng.choice(CATEGORIES), rng.choice(ACTIONS)))
    return list(words.values())


def article_of(rng: random.Random, chars: int) -> str:
    text = ""
    while len(text) < chars:
        text += "\n\n".join(composed_text(rng, 4))
    return text[:chars]


def planted(rng: random.Random, article: str, words: list[tuple], count: int = 10) -> str:
    """`article` with `count` listed words disguised and inserted, same length overall."""
    pieces = []
    step = len(article) // count
    for index in range(count):
        word = rng.choice(words)[0]
        pieces.append(article[index * step : (index + 1) * step])
        pieces.append(_DISGUISES[index % len(_DISGUISES)](word))
    text = "".join(pieces)
    return text[: len(article)]


def timed(func, text: str, runs: int) -> list[float]:
    for _ in range(min(50, runs)):
        func(text)
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        func(text)
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return samples


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--chars", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    words = generate_words(rng, composed_text(rng, 200), args.words)
    article = article_of(rng, args.chars)
    dirty = planted(rng, article, words)

    start = time.perf_counter()
    matcher = Matcher(words)
    compile_s = time.perf_counter() - start
    print(f"words: {matcher.size:,} (2-6 characters), compile: {compile_s * 1000:.0f} ms")
    print(f"article: {len(article):,} characters, runs: {args.runs:,}")
    # The same list less the words the article happens to contain: the common, clean case.
    found = {hit.word for hit in matcher.scan(article)}
    clean = Matcher(entry for entry in words if entry[0] not in found)
    print(f"{'case':<40}{'hits':>6}{'median ms':>12}{'p99 ms':>10}{'mean ms':>10}")
    for label, used, text in (
        ("article, no listed word", clean, article),
        ("article as written", matcher, article),
        ("article + 10 disguised words", matcher, dirty),
    ):
        for name in ("scan", "screen"):
            samples = timed(getattr(used, name), text, args.runs)
            print(
                f"{name + ': ' + label:<40}{len(used.scan(text)):>6}"
                f"{statistics.median(samples):>12.3f}{percentile(samples, 0.99):>10.3f}"
                f"{statistics.fmean(samples):>10.3f}"
            )


if __name__ == "__main__":
    main()
