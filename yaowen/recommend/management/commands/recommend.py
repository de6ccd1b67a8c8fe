"""`manage.py recommend rebuild|topics|evaluate-related`: the related index, its topic
clusterings, and its measurement."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from yaowen.core.errors import ApplicationError
from yaowen.core.progress import bar_progress
from yaowen.core.throwaway import CHILD_FLAG, throwaway_run
from yaowen.recommend.services.evaluation import (
    LabelledText,
    baseline_evaluate,
    corpus_load,
    named_words_check,
    related_evaluate,
)
from yaowen.recommend.services.related import LIST_SIZE, related_rebuild, related_reindex
from yaowen.recommend.services.topics import topics_refit

# The corpus's most common words, by document frequency, that no reason or tag should be.
COMMON_WORDS = 1000


class Command(BaseCommand):
    help = "Rebuild the related index and lists, or measure related lists on a labelled TSV."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{rebuild,topics,evaluate-related}")
        rebuild = actions.add_parser("rebuild", help="recompute every published article's list")
        rebuild.add_argument(
            "--reindex",
            action="store_true",
            help="write every article's related vector again first (after `keywords refit`)",
        )
        actions.add_parser(
            "topics", help="refit the topic clusterings and assign every article (nightly)"
        )
        evaluate = actions.add_parser(
            "evaluate-related", help="precision@k and coverage on label<TAB>title<TAB>body"
        )
        evaluate.add_argument("--data", required=True, help="UTF-8 TSV: label, title, body")
        evaluate.add_argument("--k", type=int, default=10, help=f"list length, 1-{LIST_SIZE}")
        evaluate.add_argument("--limit", type=int, default=0, help="use only the first N lines")
        evaluate.add_argument(
            "--common",
            type=int,
            default=COMMON_WORDS,
            help="also count the reason words and tags shown that are among the corpus's "
            f"N most common words (default {COMMON_WORDS}; 0: skip)",
        )
        evaluate.add_argument(CHILD_FLAG, action="store_true", help="(internal)")

    def handle(self, *args, **options) -> None:
        action = options.get("action")
        if action == "rebuild":
            self.rebuild(reindex=options["reindex"])
        elif action == "topics":
            total = topics_refit(progress=bar_progress)
            self.stdout.write(f"Topics refitted; {total} articles assigned.")
        elif action == "evaluate-related":
            self.evaluate(options)
        else:
            raise CommandError("name a subcommand: rebuild, topics or evaluate-related")

    def rebuild(self, *, reindex: bool) -> None:
        if reindex:
            total = related_reindex(progress=bar_progress)
            topics_refit(progress=bar_progress)
            self.stdout.write(f"Indexed {total} published articles and refitted the topics.")
        with tqdm(desc="related lists", unit="article") as bar:
            total = related_rebuild(tick=bar.update)
        self.stdout.write(f"Stored the related lists of {total} articles.")

    def evaluate(self, options: dict) -> None:
        if not 1 <= options["k"] <= LIST_SIZE:
            raise CommandError(f"--k must be between 1 and {LIST_SIZE} (the stored list).")
        texts = _read_corpus(options["data"], options["limit"])
        if len(texts) <= options["k"]:
            raise CommandError(f"the corpus needs more than {options['k']} articles.")
        if not options[CHILD_FLAG.strip("-").replace("-", "_")]:
            self._run_child(options)
            return
        self.stdout.write(f"articles={len(texts)} labels={len({t.label for t in texts})}")
        with tqdm(total=len(texts), desc="publish", unit="article") as bar:
            try:
                ids = corpus_load(texts, tick=bar.update)
            except ApplicationError as error:
                raise CommandError(error.message) from error
        with tqdm(total=len(texts), desc="related", unit="article") as bar:
            ours = related_evaluate(texts, ids, k=options["k"], tick=bar.update)
        if options["common"] > 0:
            named = named_words_check(ids, common=options["common"])
            self.stdout.write(
                f"common words ({named.common} most common by document frequency) among "
                f"reason words: {_share(named.common_reason_words, named.reason_words)} "
                f"of {named.reason_words}; among tags shown: "
                f"{_share(named.common_tags, named.tags)} of {named.tags}"
                + (f" (e.g. {' '.join(named.examples)})" if named.examples else "")
            )
            self.stdout.write(
                f"list items naming a reason: {_share(named.items_named, named.items)} "
                f"of {named.items} (the others say 同类话题)"
            )
        base = baseline_evaluate(texts, k=options["k"])
        ratio = ours.precision / base.precision if base.precision else float("nan")
        self.stdout.write(
            "baseline (TF-IDF cosine over jieba words of title + body, sublinear tf): "
            f"precision_at_{options['k']}={base.precision:.4f} coverage={base.coverage:.4f}"
        )
        self.stdout.write(f"ours / baseline precision: {ratio:.3f}")
        self.stdout.write(
            f"precision_at_{options['k']}={ours.precision:.4f} coverage={ours.coverage:.4f}"
        )

    def _run_child(self, options: dict) -> None:
        evaluate = [
            "recommend",
            "evaluate-related",
            "--data",
            str(Path(options["data"]).resolve()),
            "--k",
            str(options["k"]),
            "--limit",
            str(options["limit"]),
            "--common",
            str(options["common"]),
        ]
        if not throwaway_run(evaluate, write=lambda text: self.stdout.write(text, ending="")):
            raise CommandError("the evaluation stopped; see the messages above.")


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.4f}" if whole else "n/a"


def _read_corpus(path: str, limit: int) -> list[LabelledText]:
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror}") from error
    texts, bad = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < 2 or not fields[0].strip() or not fields[1].strip():
            bad.append(number)
            continue
        texts.append(LabelledText(fields[0].strip(), fields[1].strip(), "\t".join(fields[2:])))
        if limit and len(texts) >= limit:
            break
    if bad:
        shown = ", ".join(map(str, bad[:10])) + (" …" if len(bad) > 10 else "")
        raise CommandError(
            f"{len(bad)} lines are not label<TAB>title<TAB>body (lines {shown}); nothing measured."
        )
    return texts
