"""Channel classifier benchmark: the plain baseline and our variants, side by side.

Usage: python bench/classifier.py --train A.tsv --test B.tsv [--only NAME ...]
Prints accuracy, macro-F1, training seconds and the median milliseconds of single-article
predict calls for each model.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from yaowen.textkit.classifier import (  # noqa: E402
    ChannelClassifier,
    CharGrams,
    Words,
    baseline,
    evaluate,
    read_tsv,
    timed_fit,
)


def variants() -> dict[str, ChannelClassifier]:
    return {
        "baseline (words+char1-3, tf, C=0.5)": baseline(),
        "ours, C=1 fixed": ChannelClassifier(c=1.0),
        "ours, title char 1-4, C=1": ChannelClassifier(
            c=1.0,
            blocks=[
                ("title-words", "title", Words(), 1.0),
                ("title-chars", "title", CharGrams(1, 4), 1.0),
                ("body-chars", "body", CharGrams(1, 2), 1.0),
            ],
        ),
        "ours, C tuned on a 10% split (default)": ChannelClassifier(),
    }


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
    print(f"train {len(train)} articles, test {len(test)}", file=sys.stderr)
    rows = []
    for name, model in variants().items():
        if args.only and not any(part in name for part in args.only):
            continue
        seconds = timed_fit(model, train)
        _, accuracy, macro_f1 = evaluate(model, test)
        ms = predict_ms(model, test)
        extra = f" C={model.chosen_c} {model.tuning}" if model.tuning else ""
        rows.append((name, accuracy, macro_f1, seconds, ms))
        print(
            f"{name}: accuracy={accuracy:.4f} macro_f1={macro_f1:.4f} "
            f"train={seconds:.1f}s predict={ms:.3f}ms{extra}",
            file=sys.stderr,
            flush=True,
        )
    print(f"{'model':45} {'accuracy':>9} {'macro_f1':>9} {'train s':>8} {'ms/art':>7}")
    for name, accuracy, macro_f1, seconds, ms in rows:
        print(f"{name:45} {accuracy:9.4f} {macro_f1:9.4f} {seconds:8.1f} {ms:7.3f}")


if __name__ == "__main__":
    main()
