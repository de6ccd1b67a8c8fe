"""Near-duplicates on real articles: edited copies of cnews articles, found through the platform.

    .venv/bin/python bench/near_duplicates.py                    # pairs file + the command
    .venv/bin/python bench/near_duplicates.py --compare          # also the methods side by side
    .venv/bin/python bench/near_duplicates.py --seed 19          # another draw
    .venv/bin/python bench/near_duplicates.py --pairs-only --out /tmp/pairs.tsv
    .venv/bin/python bench/near_duplicates.py --latency 1000000 [--database postgres]

Data: `../shared/data/cnews-articles/articles.tsv` (969 real Sina News articles, 10
categories; never copied into the project). The body runs as one line there; it is cut into
sentences and grouped into paragraphs of 2-5 sentences, so that paragraph edits mean
something. Articles whose story the corpus holds twice (30 % or more of one's shingles in
another) are left out but for the first. Per category, one half (seeded shuffle) is
published; the other half is held out and only ever supplies foreign text: replacement
sentences, the new text around a partial copy, and the distinct articles.

Every published article gets one copy of each kind. All kinds start from the issue's edits
(the base): about one neighbouring sentence pair in ten swapped (at least one), about 10 %
of the sentences replaced by sentences of held-out articles of the same category (at least
one from three sentences up), and four 1-3-character insertions or deletions. On top of that:

    base          nothing more
    reordered     the paragraphs shuffled
    replaced20    20 % of the sentences replaced instead of 10 %
    traditional   the copy rendered in traditional characters (OpenCC s2t)
    punctuation   punctuation marks swapped for others or dropped (half of them), quotes
                  changed, spaces and line breaks sprinkled in, paragraphs broken elsewhere
    partial       洗稿: 60 % of the article (two runs of whole sentences) inside as much new
                  text as the whole article, taken from held-out articles of the category
    everything    reordered + 20 % replaced + traditional + punctuation together

Each copy line has a distinct counterpart: the same recipe applied to a held-out article of
the same category, paired with the same published article (`distinct`). A pair is found
when the lookup of `text_b` returns `id_a`'s article; recall is over the copy lines,
precision over everything found.

The pairs file (`kind<TAB>id_a<TAB>id_b<TAB>text_a<TAB>text_b`, line breaks inside texts as
`\\n`) is fed to `manage.py analysis evaluate-near-duplicates --pairs FILE`, which publishes
every `text_a` into a throwaway database and looks every `text_b` up the way publishing
does. `--compare` first measures, in memory on the same pairs, the former three SimHashes,
MinHash LSH over character 5-shingles (datasketch, 128 permutations, threshold 0.3: the
anchor; skipped when datasketch is not importable) and the platform's method.
`--latency N` times the real lookup with N synthetic articles' anchors in a scratch
SQLite or PostgreSQL database (see `latency`).
"""

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "cnews-articles" / "articles.tsv"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

KINDS = (
    "base",
    "reordered",
    "replaced20",
    "traditional",
    "punctuation",
    "partial",
    "everything",
)
# A sentence ends at 。！？!? (with any closing quotes or brackets after them).
_SENTENCE_END = re.compile(r"([。！？!?]+[”’」』）)]*)")
_PUNCTUATION = re.compile(r"[，。、；：！？“”‘’「」『』（）《》,.;:!?()\"'—…·-]")
PUNCTUATION_POOL = "，。、；：！？,.;:!? "
QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})
SPACES = (" ", "  ", "\u3000", "\n", " \n ")


@dataclass(frozen=True)
class Source:
    label: str
    paragraphs: list[list[str]]  # sentences, grouped

    @property
    def text(self) -> str:
        return "\n\n".join("".join(p) for p in self.paragraphs)

    @property
    def sentences(self) -> list[str]:
        return [s for p in self.paragraphs for s in p]


@dataclass(frozen=True)
class Pair:
    kind: str  # "dup" or "distinct"
    recipe: str
    id_a: str
    id_b: str
    text_a: str
    text_b: str


def split_sentences(text: str) -> list[str]:
    parts = _SENTENCE_END.split(text)
    out = [parts[i] + parts[i + 1] for i in range(0, len(parts) - 1, 2)]
    if parts[-1].strip():
        out.append(parts[-1])
    return [s for s in out if s.strip()]


def load_sources(path: Path, rng: random.Random) -> list[Source]:
    sources = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            label, _title, body = line.rstrip("\n").split("\t", 2)
            sentences = split_sentences(body.strip())
            paragraphs, at = [], 0
            while at < len(sentences):
                size = rng.randint(2, 5)
                paragraphs.append(sentences[at : at + size])
                at += size
            sources.append(Source(label, paragraphs))
    return sources


class Editor:
    """The copier's edits, drawing foreign text from held-out articles of the category."""

    def __init__(self, rng: random.Random, held_out: dict[str, list[Source]]) -> None:
        self.rng = rng
        self.held_out = held_out
        self._s2t = None

    def foreign_sentences(self, label: str, avoid: Source | None = None) -> list[str]:
        pool = [s for s in self.held_out[label] if s is not avoid]
        donor = self.rng.choice(pool)
        return [s for s in donor.sentences if len(s) >= 8] or donor.sentences

    def swap_neighbours(self, paragraphs: list[list[str]]) -> None:
        spots = [(p, i) for p, par in enumerate(paragraphs) for i in range(len(par) - 1)]
        if not spots:
            return
        for p, i in self.rng.sample(spots, max(1, round(len(spots) / 10))):
            par = paragraphs[p]
            par[i], par[i + 1] = par[i + 1], par[i]

    def replace(self, paragraphs: list[list[str]], share: float, label: str, avoid) -> None:
        spots = [(p, i) for p, par in enumerate(paragraphs) for i in range(len(par))]
        spare = self.foreign_sentences(label, avoid)
        # About `share` of them, at least one from three sentences up: replacing the one
        # sentence of a two-sentence item leaves no copy to find.
        count = int(share * len(spots) + 0.5) or (1 if len(spots) >= 3 else 0)
        for p, i in self.rng.sample(spots, count):
            paragraphs[p][i] = self.rng.choice(spare)

    def characters(self, text: str, label: str, edits: int = 4) -> str:
        spare = "".join(self.foreign_sentences(label))
        for _ in range(edits):
            at = self.rng.randrange(len(text))
            size = self.rng.randint(1, 3)
            if self.rng.random() < 0.5:
                start = self.rng.randrange(max(1, len(spare) - size))
                text = text[:at] + spare[start : start + size] + text[at:]
            else:
                text = text[:at] + text[at + size :]
        return text

    def traditional(self, text: str) -> str:
        if self._s2t is None:
            import opencc

            self._s2t = opencc.OpenCC("s2t")
        return self._s2t.convert(text)

    def punctuation(self, text: str) -> str:
        rng = self.rng
        flat = text.replace("\n\n", "").translate(QUOTES)

        def mark(match: re.Match) -> str:
            roll = rng.random()
            if roll < 0.25:
                return ""
            if roll < 0.5:
                return rng.choice(PUNCTUATION_POOL)
            return match.group(0)

        flat = _PUNCTUATION.sub(mark, flat)
        out = []
        for char in flat:
            out.append(char)
            if rng.random() < 0.03:
                out.append(rng.choice(SPACES))
        flat = "".join(out)
        # New paragraph breaks, about every 150 characters, wherever they fall.
        cuts = sorted(rng.sample(range(1, len(flat)), min(len(flat) - 1, len(flat) // 150)))
        pieces = [flat[a:b] for a, b in zip([0, *cuts], [*cuts, len(flat)], strict=True)]
        return "\n\n".join(pieces)

    def partial(self, source: Source) -> list[list[str]]:
        """60 % of the source's characters in two runs of sentences, inside new text."""
        sentences = source.sentences
        total = sum(map(len, sentences))
        goal = 0.6 * total
        # A run of consecutive sentences holding 60 % of the text, cut in two.
        best = (0, len(sentences))
        start = self.rng.randrange(len(sentences))
        for first in [*range(start, len(sentences)), *range(0, start)]:
            size, end = 0, first
            while end < len(sentences) and size < goal:
                size += len(sentences[end])
                end += 1
            if size >= goal:
                best = (first, end)
                break
        run = sentences[best[0] : best[1]]
        cut = self.rng.randint(1, max(1, len(run) - 1)) if len(run) > 1 else 1
        runs = [run[:cut], run[cut:]]
        new: list[str] = []
        while sum(map(len, new)) < total:
            new.extend(self.foreign_sentences(source.label, source))
        new_text_cut = sorted(self.rng.sample(range(1, len(new)), 2)) if len(new) > 2 else [1, 1]
        a, b = new_text_cut
        pieces = [new[:a], runs[0], new[a:b], runs[1], new[b:]]
        paragraphs = []
        for piece in pieces:
            for at in range(0, len(piece), 4):
                if piece[at : at + 4]:
                    paragraphs.append(list(piece[at : at + 4]))
        return paragraphs

    def copy(self, source: Source, recipe: str) -> str:
        rng = self.rng
        paragraphs = (
            self.partial(source) if recipe == "partial" else [list(p) for p in source.paragraphs]
        )
        if recipe in ("reordered", "everything") and len(paragraphs) > 1:
            order = list(range(len(paragraphs)))
            while order == sorted(order):
                rng.shuffle(order)
            paragraphs = [paragraphs[i] for i in order]
        self.swap_neighbours(paragraphs)
        share = 0.2 if recipe in ("replaced20", "everything") else 0.1
        self.replace(paragraphs, share, source.label, source)
        text = "\n\n".join("".join(p) for p in paragraphs)
        text = self.characters(text, source.label)
        if recipe in ("punctuation", "everything"):
            text = self.punctuation(text)
        if recipe in ("traditional", "everything"):
            text = self.traditional(text)
        return text


def same_stories(sources: list[Source], share: float = 0.3) -> set[int]:
    """The articles to leave out because the corpus itself holds them twice: of each
    group whose members share `share` or more of one's 5-character shingles (plain sets
    over NFKC + simplified text without punctuation), all but the first."""
    import numpy as np
    import scipy.sparse

    from yaowen.textkit.normalize import normalize

    vocabulary: dict[str, int] = {}
    indptr, indices = [0], []
    for source in sources:
        clean = re.sub(r"[\W_]+", "", normalize(source.text))
        grams = {clean[i : i + 5] for i in range(max(1, len(clean) - 4))}
        indices.extend(sorted(vocabulary.setdefault(g, len(vocabulary)) for g in grams))
        indptr.append(len(indices))
    ones = np.ones(len(indices), dtype=np.float32)
    matrix = scipy.sparse.csr_matrix((ones, indices, indptr), (len(sources), len(vocabulary)))
    shared = (matrix @ matrix.T).toarray()
    sizes = np.diag(shared).copy()
    np.fill_diagonal(shared, 0)
    contained = np.maximum(shared / sizes[:, None], shared / sizes[None, :])
    dropped: set[int] = set()
    for i, j in np.argwhere(np.triu(contained, 1) >= share):
        if i not in dropped:
            dropped.add(int(j))
    return dropped


def make_pairs(path: Path, seed: int) -> tuple[list[Pair], int]:
    rng = random.Random(seed)
    sources = load_sources(path, rng)
    dropped = same_stories(sources)
    by_label: dict[str, list[int]] = defaultdict(list)
    for index, source in enumerate(sources):
        if index not in dropped:
            by_label[source.label].append(index)
    published, held_out = [], defaultdict(list)
    for label in sorted(by_label):
        indexes = by_label[label][:]
        rng.shuffle(indexes)
        half = len(indexes) // 2
        published.extend(indexes[:half])
        held_out[label] = [sources[i] for i in indexes[half:]]
    held_index = {id(s): i for i, s in enumerate(sources)}
    editor = Editor(rng, held_out)
    pairs = []
    for index in sorted(published):
        source = sources[index]
        for recipe in KINDS:
            pairs.append(
                Pair("dup", recipe, f"a{index}", f"c{index}-{recipe}", source.text,
                     editor.copy(source, recipe))
            )  # fmt: skip
            other = rng.choice(held_out[source.label])
            pairs.append(
                Pair("distinct", recipe, f"a{index}", f"d{held_index[id(other)]}-{recipe}",
                     source.text, editor.copy(other, recipe))
            )  # fmt: skip
    return pairs, len(dropped)


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def write_pairs(pairs: list[Pair], out: Path) -> None:
    with open(out, "w", encoding="utf-8") as handle:
        for p in pairs:
            handle.write(f"{p.kind}\t{p.id_a}\t{p.id_b}\t{escape(p.text_a)}\t{escape(p.text_b)}\n")


def describe(pairs: list[Pair]) -> None:
    originals = {p.id_a: p.text_a for p in pairs}
    lengths = sorted(len(t) for t in originals.values())
    copies = [len(p.text_b) for p in pairs if p.kind == "dup"]
    print(
        f"pairs: {len(pairs)} ({sum(p.kind == 'dup' for p in pairs)} dup, "
        f"{sum(p.kind == 'distinct' for p in pairs)} distinct) over {len(originals)} published "
        f"articles (median {lengths[len(lengths) // 2]} characters, "
        f"{lengths[0]}-{lengths[-1]}); copies {sum(copies) / len(copies):.0f} characters on "
        f"average; kinds: {', '.join(KINDS)}"
    )


# -- methods side by side, in memory (--compare) ------------------------------------------


def compare(pairs: list[Pair]) -> None:
    """Recall per kind and precision of each method on the same pairs, all in memory: every
    text_a indexed, every text_b looked up against all of them. A pair counts as found when
    its id_a is among the articles returned."""
    import django

    django.setup()
    from yaowen.analysis.selectors import CHECKED_CANDIDATES, MIN_SHARED_ANCHORS
    from yaowen.newsroom.rendering import plain_text
    from yaowen.textkit import copies
    from yaowen.textkit.normalize import normalize
    from yaowen.textkit.simhash import fingerprints, hamming
    from yaowen.textkit.tokenize import Tokenizer

    tok = Tokenizer()
    originals = {p.id_a: plain_text(p.text_a) for p in pairs}
    queries = [(p, plain_text(p.text_b)) for p in pairs]
    methods = {}

    prints = {key: fingerprints(tok.tokens(text)) for key, text in originals.items()}

    def simhash_lookup(text: str) -> set[str]:
        mine = fingerprints(tok.tokens(text))
        return {
            key
            for key, theirs in prints.items()
            if any(hamming(x, y) <= 3 for x, y in zip(mine, theirs, strict=True))
        }

    methods["three SimHashes <= 3 bits (before)"] = simhash_lookup

    sketches = {key: copies.sketch(text) for key, text in originals.items()}

    def verified(sketch: copies.Sketch, candidates) -> set[str]:
        return {key for key in candidates if copies.overlap(sketch, sketches[key]).is_copy}

    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        print("datasketch is not importable: the anchor is left out")
    else:

        def minhash(text: str) -> MinHash:
            clean = re.sub(r"[\W_]+", "", normalize(text))
            grams = {clean[i : i + 5].encode() for i in range(max(1, len(clean) - 4))}
            m = MinHash(num_perm=128, seed=1)
            m.update_batch(list(grams))
            return m

        lsh = MinHashLSH(threshold=0.3, num_perm=128)
        for key, text in originals.items():
            lsh.insert(key, minhash(text))
        methods["MinHash LSH 5-shingles t=0.3 (anchor)"] = lambda t: set(lsh.query(minhash(t)))
        methods["  same, candidates checked by containment"] = lambda t: verified(
            copies.sketch(t), lsh.query(minhash(t))
        )

    index: dict[int, list[str]] = defaultdict(list)
    for key, sketch in sketches.items():
        if sketch.comparable:
            for anchor in sketch.kept_anchors().tolist():
                index[anchor].append(key)

    def anchor_lookup(text: str) -> set[str]:
        sketch = copies.sketch(text)
        if not sketch.comparable:
            return set()
        shared = Counter(k for a in sketch.lookup_anchors().tolist() for k in index.get(a, ()))
        ranked = sorted(
            (k for k, n in shared.items() if n >= MIN_SHARED_ANCHORS),
            key=lambda k: (-shared[k], k),
        )
        return verified(sketch, ranked[:CHECKED_CANDIDATES])

    methods["anchors + containment (platform)"] = anchor_lookup

    header = " ".join(f"{k[:11]:>11}" for k in KINDS)
    print(f"\n{'method':42} {header} {'recall':>7} {'precision':>9} {'others':>6} {'ms':>5}")
    for name, lookup in methods.items():
        found, total = Counter(), Counter()
        false = others = 0
        started = time.perf_counter()
        for pair, text in queries:
            hits = lookup(text)
            if pair.kind == "dup":
                total[pair.recipe] += 1
                found[pair.recipe] += pair.id_a in hits
            else:
                false += pair.id_a in hits
            others += len(hits - {pair.id_a})
        took = (time.perf_counter() - started) / len(queries) * 1000
        hit = sum(found.values())
        recall = hit / sum(total.values())
        precision = hit / (hit + false) if hit + false else 1.0
        shares = " ".join(f"{found[k] / total[k]:11.1%}" for k in KINDS)
        print(
            f"{name:42} {shares} {recall:7.3f} {precision:9.3f} {others:6d} {took:5.1f}",
            flush=True,
        )
    print(
        "others: articles returned that are not the pair's id_a (every one is a false alarm: "
        "the corpus was cleared of its own repeats); ms: per lookup, in memory."
    )


# -- lookup latency at scale (--latency) -----------------------------------------------

SYNTHETIC_FIRST_ID = 10_000_000


def latency(pairs: list[Pair], size: int, database: str, lookups: int, keep: bool) -> None:
    """Median and p99 of `near_duplicates` with `size` articles' anchors in the index.

    A scratch database is migrated; the published originals go in through the real path
    (articles_import + the analysis events), then `size` synthetic articles' anchor rows
    are bulk-inserted (foreign keys off: they have no article rows, so the lookup reads and
    ranks them but never fetches them). Each synthetic article copies the anchors of a
    random real article (all 969) that other real articles share too (sign-offs, datelines,
    common phrases: the boilerplate, which so grows with the corpus), its other anchors are
    random; an anchor list stops at CopyAnchor.COMMON_ANCHOR holders, as the write path
    does. Lookups are the pairs' copies and distinct texts, through the real selector."""
    import statistics

    name = f"copy_latency_{size}"
    if database == "postgres":
        import psycopg

        admin = psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True)
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not keep:
            admin.execute(f"DROP DATABASE {name}")
        if not exists or not keep:
            admin.execute(f"CREATE DATABASE {name}")
        admin.close()
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        path = ROOT / "bench" / "var" / f"{name}.sqlite3"
        path.parent.mkdir(exist_ok=True)
        if not keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["SQLITE_PATH"] = str(path)
        os.environ["DATABASE_URL"] = ""
    scratch = Path(tempfile.mkdtemp(prefix="copy-latency-"))
    os.environ.update(
        QUEUE_PATH=str(scratch / "queue.sqlite3"),
        CACHE_DIR=str(scratch / "cache"),
        MEDIA_ROOT=str(scratch / "media"),
        CLASSIFIER_PATH=str(scratch / "classifier.joblib"),
        REDIS_URL="",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from yaowen.analysis.evaluation import Pair as EvalPair
    from yaowen.analysis.evaluation import pairs_evaluate
    from yaowen.analysis.models import CopyAnchor
    from yaowen.analysis.selectors import near_duplicates
    from yaowen.newsroom.models import Article
    from yaowen.newsroom.rendering import plain_text
    from yaowen.textkit import copies

    started = time.perf_counter()
    table = CopyAnchor._meta.db_table
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        have = cursor.fetchone()[0]
    if not have:
        originals = list({p.id_a: p for p in pairs}.values())
        # The originals published; pairs_evaluate also looks one text_b of each up.
        pairs_evaluate([EvalPair(p.kind, p.id_a, p.id_b, p.text_a, p.text_b) for p in originals])
        real = corpus_anchors()
        boilerplate = shared_anchors(real)
        print(
            f"{len(originals)} originals published; {len(boilerplate):,} anchors shared by 2+ "
            f"of the 969 real articles model the boilerplate",
            flush=True,
        )
        rows = synthetic_rows(real, boilerplate, size, CopyAnchor.COMMON_ANCHOR)
        bulk_insert(connection, table, rows)
        print(
            f"{size:,} synthetic articles, {len(rows):,} anchor rows inserted; built in "
            f"{time.perf_counter() - started:.0f}s",
            flush=True,
        )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), COUNT(DISTINCT article_id) FROM {table}")
        total_rows, articles = cursor.fetchone()
        if database == "postgres":
            cursor.execute(f"SELECT pg_total_relation_size('{table}')")
            print(f"anchor table with its indexes: {cursor.fetchone()[0] / 1e9:.2f} GB")
        else:
            print(f"database file: {Path(os.environ['SQLITE_PATH']).stat().st_size / 1e9:.2f} GB")
    print(f"{articles:,} articles, {total_rows:,} anchor rows in the index", flush=True)
    id_of = {
        text: pk
        for pk, text in Article.objects.filter(status="published").values_list("pk", "body_source")
    }
    sample = random.Random(5).sample(pairs, min(lookups, len(pairs)))
    sketches = [(p, id_of[p.text_a], copies.sketch(plain_text(p.text_b))) for p in sample]
    for _pair, _original, sketch in sketches[:200]:  # warm-up
        near_duplicates(sketch)
    times, found, seen, others = [], 0, 0, 0
    for pair, original, sketch in sketches:
        t0 = time.perf_counter()
        matches = near_duplicates(sketch)
        times.append((time.perf_counter() - t0) * 1000)
        ids = {m.article_id for m in matches}
        if pair.kind == "dup":
            seen += 1
            found += original in ids
        others += len(ids - {original} if pair.kind == "dup" else ids)
    times.sort()
    print(
        f"{database} near_duplicates over {len(times)} lookups (copies and distinct texts): "
        f"median {statistics.median(times):.2f} ms, p90 {times[int(0.9 * (len(times) - 1))]:.2f}"
        f" ms, p99 {times[int(0.99 * (len(times) - 1))]:.2f} ms; copies found {found}/{seen}, "
        f"other articles returned {others}"
    )


def corpus_anchors() -> list:
    """The kept anchors (signed) of all 969 real articles."""
    from yaowen.textkit import copies

    out = []
    with open(DATA, encoding="utf-8") as handle:
        for line in handle:
            sketch = copies.sketch(line.rstrip("\n").split("\t", 2)[2])
            if sketch.comparable:
                out.append(copies.to_signed(sketch.kept_anchors()))
    return out


def shared_anchors(real: list) -> set[int]:
    counts = Counter(anchor for anchors in real for anchor in set(anchors))
    return {anchor for anchor, count in counts.items() if count >= 2}


def synthetic_rows(real: list, boilerplate: set[int], size: int, cap: int):
    """(anchor, article_id) rows of `size` synthetic articles, sorted by anchor."""
    import numpy as np

    rng = np.random.default_rng(7)
    templates = [np.array(anchors, dtype=np.int64) for anchors in real]
    masks = [np.isin(t, list(boilerplate)) for t in templates]
    picks = rng.integers(0, len(templates), size)
    lengths = np.array([len(templates[i]) for i in picks])
    anchors = np.empty(lengths.sum(), dtype=np.int64)
    ids = np.repeat(np.arange(size, dtype=np.int64) + SYNTHETIC_FIRST_ID, lengths)
    at = 0
    for pick, length in zip(picks, lengths, strict=True):
        anchors[at : at + length] = templates[pick]
        at += length
    keep_real = np.concatenate([masks[i] for i in picks])
    randoms = rng.integers(-(2**63), 2**63 - 1, (~keep_real).sum(), dtype=np.int64)
    anchors[~keep_real] = randoms
    order = np.lexsort((ids, anchors))
    anchors, ids = anchors[order], ids[order]
    # At most `cap` holders per anchor, the first ones (real articles hold some already).
    starts = np.concatenate(([True], anchors[1:] != anchors[:-1]))
    group = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    rank = np.arange(len(anchors)) - first[group]
    keep = rank < cap
    return np.stack([anchors[keep], ids[keep]], axis=1)


def bulk_insert(connection, table: str, rows) -> None:
    """Rows in anchor order, the article index built after them; foreign keys unchecked."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    index = next(
        name
        for name, c in constraints.items()
        if c["index"] and not c["primary_key"] and c["columns"] == ["article_id"]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {index}")
        if connection.vendor == "sqlite":
            raw = connection.connection
            raw.execute("PRAGMA foreign_keys = OFF")
            raw.execute("PRAGMA cache_size = -1000000")
            for start in range(0, len(rows), 500_000):
                # One transaction per chunk: Django's connection commits every statement.
                raw.execute("BEGIN")
                raw.executemany(
                    f"INSERT OR IGNORE INTO {table} (anchor, article_id) VALUES (?, ?)",
                    rows[start : start + 500_000].tolist(),
                )
                raw.execute("COMMIT")
        else:
            cursor.execute("SET session_replication_role = replica")
            with cursor.copy(f"COPY {table} (anchor, article_id) FROM STDIN") as copy:
                for start in range(0, len(rows), 500_000):
                    chunk = rows[start : start + 500_000].tolist()
                    copy.write("".join(f"{a}\t{b}\n" for a, b in chunk))
            cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute(f"CREATE INDEX {index} ON {table} (article_id)")
        cursor.execute(f"ANALYZE {table}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--out", type=Path, help="where to write the pairs (default: a temp file)")
    parser.add_argument("--pairs-only", action="store_true", help="write the pairs, stop")
    parser.add_argument("--compare", action="store_true", help="methods side by side first")
    parser.add_argument(
        "--latency", type=int, metavar="ARTICLES", help="lookup latency with this many articles"
    )
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--lookups", type=int, default=2000, help="timed lookups (--latency)")
    parser.add_argument("--keep", action="store_true", help="reuse the scratch database")
    args = parser.parse_args()

    started = time.perf_counter()
    pairs, dropped = make_pairs(args.data, args.seed)
    print(f"{dropped} articles left out: the corpus holds their story twice")
    describe(pairs)
    out = args.out or Path(tempfile.mkstemp(prefix="near-duplicates-", suffix=".tsv")[1])
    write_pairs(pairs, out)
    print(f"pairs file: {out} ({out.stat().st_size / 1e6:.1f} MB) in "
          f"{time.perf_counter() - started:.1f}s")  # fmt: skip
    if args.pairs_only:
        return
    if args.latency:
        latency(pairs, args.latency, args.database, args.lookups, args.keep)
        return
    if args.compare:
        compare(pairs)
    print("\nmanage.py analysis evaluate-near-duplicates (throwaway database):", flush=True)
    results = out.with_name(out.stem + "-results.tsv")
    command = [sys.executable, str(ROOT / "manage.py"), "analysis", "evaluate-near-duplicates"]
    started = time.perf_counter()
    subprocess.run([*command, "--pairs", str(out), "--results", str(results)], check=True, cwd=ROOT)
    print(f"(the command took {time.perf_counter() - started:.0f}s)")
    breakdown(pairs, results)
    if args.out is None:
        out.unlink()
        results.unlink()


def breakdown(pairs: list[Pair], results: Path) -> None:
    """The command's outcomes by kind of copy and by the original's length."""
    lengths = {p.id_a: len("".join(p.text_a.split())) for p in pairs}
    found, total = Counter(), Counter()
    with open(results, encoding="utf-8") as handle:
        for pair, line in zip(pairs, handle, strict=True):
            kind, id_a, id_b, returned, _share = line.rstrip("\n").split("\t")
            assert (kind, id_a, id_b) == (pair.kind, pair.id_a, pair.id_b)
            if kind == "dup":
                band = "originals < 200 characters" if lengths[id_a] < 200 else "200 or more"
                for key in (pair.recipe, band):
                    total[key] += 1
                    found[key] += returned == id_a
    print("recall by kind: " + ", ".join(f"{k} {found[k] / total[k]:.3f}" for k in KINDS))
    for band in ("originals < 200 characters", "200 or more"):
        print(f"recall, {band}: {found[band] / total[band]:.4f} ({found[band]}/{total[band]})")


if __name__ == "__main__":
    main()
