"""`manage.py analysis evaluate-near-duplicates`: copy detection measured on labelled pairs."""

from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from yaowen.analysis.evaluation import figures, pairs_evaluate, pairs_parse
from yaowen.core.errors import ApplicationError
from yaowen.core.throwaway import CHILD_FLAG, throwaway_run


class Command(BaseCommand):
    help = "Measure copy detection (原创 protection) on kind/id_a/id_b/text_a/text_b pairs."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{evaluate-near-duplicates}")
        evaluate = actions.add_parser(
            "evaluate-near-duplicates",
            help="recall and precision of the copy lookup, in a throwaway database",
        )
        evaluate.add_argument(
            "--pairs",
            required=True,
            help="UTF-8 TSV: kind (dup|distinct), id_a, id_b, text_a, text_b; \\n in a text "
            "is a line break",
        )
        evaluate.add_argument("--results", help="also write each pair's outcome to this TSV")
        evaluate.add_argument(CHILD_FLAG, action="store_true", help="(internal)")

    def handle(self, *args, **options) -> None:
        if options.get("action") != "evaluate-near-duplicates":
            raise CommandError("name a subcommand: evaluate-near-duplicates")
        pairs = _read_pairs(options["pairs"])
        if not options[CHILD_FLAG.strip("-").replace("-", "_")]:
            self._run_child(options)
            return
        originals = len({pair.id_a for pair in pairs})
        kinds = Counter(pair.kind for pair in pairs)
        self.stdout.write(
            f"pairs={len(pairs)} dup={kinds['dup']} distinct={kinds['distinct']} "
            f"originals={originals}"
        )
        with (
            tqdm(total=originals, desc="publish text_a", unit="article") as published,
            tqdm(total=len(pairs), desc="look up text_b", unit="article") as looked_up,
        ):
            try:
                outcomes = pairs_evaluate(
                    pairs, published=published.update, looked_up=looked_up.update
                )
            except ApplicationError as error:
                raise CommandError(error.message) from error
        if options["results"]:
            with open(options["results"], "w", encoding="utf-8") as handle:
                for o in outcomes:
                    handle.write(
                        f"{o.pair.kind}\t{o.pair.id_a}\t{o.pair.id_b}\t{o.returned or ''}\t"
                        f"{'' if o.share is None else o.share}\n"
                    )
        result = figures(outcomes)
        self.stdout.write(
            f"found {result.found} of {result.copies} copies; distinct pairs flagged as a copy "
            f"of their id_a: {result.false}; lookups that returned another article: "
            f"{result.others}"
        )
        self.stdout.write(f"recall={result.recall:.4f} precision={result.precision:.4f}")

    def _run_child(self, options: dict) -> None:
        evaluate = [
            "analysis",
            "evaluate-near-duplicates",
            "--pairs",
            str(Path(options["pairs"]).resolve()),
        ]
        if options["results"]:
            evaluate += ["--results", str(Path(options["results"]).resolve())]
        if not throwaway_run(evaluate, write=lambda text: self.stdout.write(text, ending="")):
            raise CommandError("the evaluation stopped; see the messages above.")


def _read_pairs(path: str) -> list:
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror}") from error
    try:
        pairs = pairs_parse(lines)
    except ApplicationError as error:
        raise CommandError(error.message) from error
    if not pairs:
        raise CommandError(f"{path} holds no pairs; nothing measured.")
    return pairs
