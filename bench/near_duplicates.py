"""Near-duplicate detection quality: precision and recall of "within 3 bits" on edited copies.

    .venv/bin/python bench/near_duplicates.py [--articles 800] [--copies 200] [--seed 5]

Articles: composed by the demo composer, each body made ~2,000 characters long from
paragraphs of same-channel articles (as in bench/publish_pipeline.py), reduced to prose
with `rendering.plain_text` and segmented by the platform tokenizer. The first half is the
published corpus; copies are made of `--copies` of them with the edits a copier makes:
paragraphs shuffled, then 1, 2 or 3 sentences replaced by sentences of another article,
and three words changed here and there. Each copy is looked up against the whole corpus
by fingerprint; a hit on its own original is a true positive, a hit on any other article
is a false positive (the composer's template sentences make some articles genuinely
alike, so this is a pessimistic count), a miss of the original is a false negative.

Compared side by side on the same copies: one SimHash (the issue-5 start), two and three
independently seeded SimHashes (near when any is within 3 bits), and an IDF-weighted one.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

from publish_pipeline import compose_long  # noqa: E402
from textkit import near_duplicate  # noqa: E402

from yaowen.newsroom.rendering import plain_text  # noqa: E402
from yaowen.textkit.keywords import idf_fit  # noqa: E402
from yaowen.textkit.simhash import hamming, simhash64  # noqa: E402
from yaowen.textkit.tokenize import Tokenizer  # noqa: E402

CHANNELS = ["news", "world", "society", "sports", "finance", "tech", "auto", "edu", "health"]
BITS = 3
WORD_EDITS = ("调整", "官方", "数据", "地方", "市场", "规定")


def edited_copy(text: str, donor: str, sentences: int, rng: random.Random) -> str:
    copy = near_duplicate(text, rng, sentences, donor)  # shuffled, sentences replaced
    for _ in range(3):
        cut = rng.randrange(len(copy) - 2)
        copy = copy[:cut] + rng.choice(WORD_EDITS) + copy[cut + 2 :]
    return copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=800, help="composed articles in all")
    parser.add_argument("--copies", type=int, default=200, help="copies per edit size")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    if args.copies > args.articles // 2:
        parser.error("--copies must be at most half of --articles")

    rng = random.Random(args.seed)
    tok = Tokenizer()
    start = time.perf_counter()
    texts = [
        plain_text(compose_long(rng, CHANNELS[i % len(CHANNELS)], 2000, dt.date(2026, 1, 1))[1])
        for i in range(args.articles)
    ]
    tokens = [tok.tokens(text) for text in texts]
    half = args.articles // 2
    corpus = tokens[:half]
    idf = idf_fit(corpus, min_df=1)
    copies = {
        edits: [
            tok.tokens(edited_copy(texts[i], texts[half + i], edits, rng))
            for i in range(args.copies)
        ]
        for edits in (1, 2, 3)
    }
    mean_chars = sum(map(len, texts)) / len(texts)
    print(
        f"{half} published articles (mean {mean_chars:.0f} characters), "
        f"{3 * args.copies} copies; prepared in {time.perf_counter() - start:.1f}s"
    )

    schemes = {
        "one SimHash (tf)": lambda t: (simhash64(t),),
        "two seeded SimHashes": lambda t: (simhash64(t), simhash64(t, seed=1)),
        "three seeded SimHashes (default)": lambda t: tuple(simhash64(t, seed=s) for s in range(3)),
        "one SimHash, IDF-weighted": lambda t: (simhash64(t, weights=idf.idf),),
    }
    print(f"\n{'scheme':34} {'1 sent.':>8} {'2 sent.':>8} {'3 sent.':>8} {'recall':>7} "
          f"{'precision':>9} {'unrelated pairs <=3':>20}")  # fmt: skip
    for name, prints_of in schemes.items():
        stored = [prints_of(t) for t in corpus]

        def near(a: tuple, b: tuple) -> bool:
            return any(hamming(x, y) <= BITS for x, y in zip(a, b, strict=True))

        found, false_hits, shares = 0, 0, []
        for copy_tokens in copies.values():
            hits_here = 0
            for index, tokens_ in enumerate(copy_tokens):
                prints = prints_of(tokens_)
                hits = [j for j in range(half) if near(prints, stored[j])]
                hits_here += index in hits
                false_hits += sum(1 for j in hits if j != index)
            shares.append(hits_here / len(copy_tokens))
            found += hits_here
        total = sum(len(c) for c in copies.values())
        recall = found / total
        precision = found / (found + false_hits) if found + false_hits else 1.0
        unrelated = sum(
            1 for i in range(half) for j in range(i + 1, half) if near(stored[i], stored[j])
        )
        print(
            f"{name:34} {shares[0]:8.0%} {shares[1]:8.0%} {shares[2]:8.0%} {recall:7.3f} "
            f"{precision:9.3f} {unrelated:20d}"
        )


if __name__ == "__main__":
    main()
