"""`manage.py classifier train|evaluate|predict`: the channel classifier from the shell.

- `train [--tsv FILE] [--out PATH]`: learn from published articles (or a TSV file) and save.
- `evaluate --train A.tsv --test B.tsv [--model-out PATH]`: per-class report; the last line
  of stdout is `accuracy=0.xxxx macro_f1=0.xxxx`.
- `predict [--model PATH] [--title T] [--body B]`: one label, or one per stdin line
  (`label<TAB>title<TAB>body`, `title<TAB>body` or a bare title).
"""

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from yaowen.analysis.selectors import training_examples
from yaowen.textkit.classifier import Example, evaluate, read_tsv

if TYPE_CHECKING:
    from yaowen.textkit.classifier import ChannelClassifier


def default_model_path() -> Path:
    return Path(settings.CLASSIFIER_PATH)


class Command(BaseCommand):
    help = "Train, evaluate or run the channel classifier."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", metavar="{train,evaluate,predict}")

        # Django's CommandParser makes subparsers raise CommandError under call_command.
        def sub(name: str, help: str):
            return commands.add_parser(name, help=help)

        train = sub("train", "train on published articles or a TSV file and save the model")
        train.add_argument("--tsv", help="train on this TSV file instead of the database")
        train.add_argument("--out", help="where to save the model (default var/classifier.joblib)")

        evaluate_ = sub("evaluate", "train on one TSV file, report on another")
        evaluate_.add_argument("--train", required=True, help="TSV file to train on")
        evaluate_.add_argument("--test", required=True, help="TSV file to test on")
        evaluate_.add_argument("--model-out", help="also save the trained model here")

        predict = sub("predict", "print the predicted channel of articles")
        predict.add_argument("--model", help="saved model (default var/classifier.joblib)")
        predict.add_argument("--title", help="title of one article; without it, read stdin")
        predict.add_argument("--body", default="", help="body of that article")

    def handle(self, *args, **options) -> None:
        action = options.get("action")
        if action == "train":
            self.train(options)
        elif action == "evaluate":
            self.evaluate(options)
        elif action == "predict":
            self.predict(options)
        else:
            raise CommandError("name a subcommand: train, evaluate or predict")

    # -- subcommands ----------------------------------------------------------------
    def train(self, options) -> None:
        if options["tsv"]:
            examples = self.read(options["tsv"])
            source = options["tsv"]
        else:
            examples = training_examples()
            source = "published articles"
        model = self.fit(examples, source)
        out = Path(options["out"]) if options["out"] else default_model_path()
        self.save(model, out)
        self.stdout.write(f"Saved a model of {len(model.classes_)} channels to {out}.")

    def evaluate(self, options) -> None:
        train, test = self.read(options["train"]), self.read(options["test"])
        if not test:
            raise CommandError(f"{options['test']} holds no articles to test on")
        model = self.fit(train, options["train"])
        if options["model_out"]:
            self.save(model, Path(options["model_out"]))
        self.stderr.write(f"testing on {len(test)} articles…")
        report, accuracy, macro_f1 = evaluate(model, test)
        self.stdout.write(report.rstrip("\n"))
        self.stdout.write(f"accuracy={accuracy:.4f} macro_f1={macro_f1:.4f}")

    def predict(self, options) -> None:
        from yaowen.textkit.classifier import ChannelClassifier  # numpy, so not at import

        path = Path(options["model"]) if options["model"] else default_model_path()
        try:
            model = ChannelClassifier.load(path)
        except (OSError, ValueError) as error:
            hint = " (run `manage.py classifier train` first)" if not path.exists() else ""
            raise CommandError(f"cannot load the model {path}: {error}{hint}") from error
        if options["title"] is not None:
            self.stdout.write(model.predict(options["title"], options["body"]))
            return
        for line in sys.stdin:
            line = line.lstrip("\ufeff").rstrip("\r\n")
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) >= 3:  # label<TAB>title<TAB>body: the label is ignored
                fields = fields[1:]
            self.stdout.write(model.predict(fields[0], "\t".join(fields[1:])))

    # -- helpers --------------------------------------------------------------------
    def read(self, path: str) -> list[Example]:
        try:
            return read_tsv(path)
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror or error}") from error
        except ValueError as error:
            raise CommandError(str(error)) from error

    def fit(self, examples: list[Example], source: str) -> "ChannelClassifier":
        from yaowen.textkit.classifier import ChannelClassifier  # numpy, so not at import

        if not examples:
            raise CommandError(f"no training data: {source} holds no articles")
        self.stderr.write(f"training on {len(examples)} articles from {source}…")
        try:
            return ChannelClassifier().fit(examples)
        except ValueError as error:
            raise CommandError(f"cannot train on {source}: {error}") from error

    def save(self, model: "ChannelClassifier", path: Path) -> None:
        try:
            model.save(path)
        except OSError as error:
            raise CommandError(f"cannot save the model to {path}: {error}") from error
