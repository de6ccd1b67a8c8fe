"""SimHash fingerprints: stability, near-duplicates, unrelated texts, index blocks, storage."""

import datetime as dt
import random

import pytest

from yaowen.demo.compose import CHANNELS, compose_article
from yaowen.textkit.keywords import idf_fit
from yaowen.textkit.simhash import (
    blocks16,
    fingerprints,
    from_signed64,
    hamming,
    simhash64,
    title_key,
    to_signed64,
)
from yaowen.textkit.tokenize import Tokenizer

EDIT_WORDS = ("调整", "官方", "数据", "地方", "市场", "规定")


@pytest.fixture(scope="module")
def tok():
    return Tokenizer(engine="rjieba")


@pytest.fixture(scope="module")
def articles():
    rng = random.Random(2024)
    day = dt.date(2025, 6, 1)
    return [
        compose_article(rng, CHANNELS[i % len(CHANNELS)], [], day).body_markdown for i in range(100)
    ]


def near_duplicate(text: str, rng: random.Random, edits: int) -> str:
    """Reorder the paragraphs and change one word in each of `edits` sentences."""
    paragraphs = text.split("\n\n")
    rng.shuffle(paragraphs)
    sentences = "\n\n".join(paragraphs).split("。")
    candidates = [i for i, s in enumerate(sentences) if len(s) > 8]
    for index in rng.sample(candidates, edits):
        s = sentences[index]
        cut = rng.randrange(2, len(s) - 4)
        sentences[index] = s[:cut] + rng.choice(EDIT_WORDS) + s[cut + 2 :]
    return "。".join(sentences)


def test_articles_are_about_1500_characters(articles):
    assert 1000 <= sum(map(len, articles)) / len(articles) <= 2000


def test_identical_text_is_distance_zero(tok, articles):
    assert hamming(simhash64(tok.tokens(articles[0])), simhash64(tok.tokens(articles[0]))) == 0


def test_fingerprint_is_stable_across_processes(tok):
    # A fixed value: blake2b is the same everywhere, Python's hash() is salted per process.
    tokens = tok.tokens("国务院常务会议研究部署稳就业工作")
    assert simhash64(tokens) == simhash64(list(tokens))
    assert simhash64(tokens) == 0x6872096A20BEFFBD


def test_fingerprints_are_the_seeded_simhashes(tok, articles):
    for text in articles[:20]:
        tokens = tok.tokens(text)
        assert fingerprints(tokens) == tuple(simhash64(tokens, seed=seed) for seed in range(3))
    assert fingerprints([]) == (0, 0, 0)


def test_near_duplicates_are_within_three_bits(tok, articles):
    rng = random.Random(1)
    dists = [
        hamming(simhash64(tok.tokens(text)), simhash64(tok.tokens(near_duplicate(text, rng, 2))))
        for text in articles[:50]
    ]
    assert sum(d <= 3 for d in dists) >= 45, sorted(dists)


def test_near_duplicates_weighted_by_idf_are_within_three_bits(tok, articles):
    model = idf_fit(tok.tokens(text) for text in articles[50:])
    rng = random.Random(2)
    dists = []
    for text in articles[:50]:
        copy = near_duplicate(text, rng, 2)
        dists.append(
            hamming(simhash64(tok.tokens(text), model.idf), simhash64(tok.tokens(copy), model.idf))
        )
    assert sum(d <= 3 for d in dists) >= 45, sorted(dists)


def test_unrelated_articles_are_far_apart(tok, articles):
    fingerprints = [simhash64(tok.tokens(text)) for text in articles]
    dists = [hamming(fingerprints[i], fingerprints[i + 1]) for i in range(len(articles) - 1)]
    # Same channel, different article: the composer's shared vocabulary makes this harder.
    step = len(CHANNELS)
    dists += [hamming(fingerprints[i], fingerprints[i + step]) for i in range(50)]
    assert sum(d >= 10 for d in dists) >= 0.95 * len(dists), sorted(dists)


def test_empty_input_gives_zero():
    assert simhash64([]) == 0
    assert simhash64(["的", "2025"]) == 0


def test_blocks_pigeonhole():
    rng = random.Random(9)
    for _ in range(2000):
        a = rng.getrandbits(64)
        b = a
        for bit in rng.sample(range(64), rng.randrange(4)):
            b ^= 1 << bit
        assert hamming(a, b) <= 3
        assert any(x == y for x, y in zip(blocks16(a), blocks16(b), strict=True))
        assert sum(block << (16 * (3 - i)) for i, block in enumerate(blocks16(a))) == a


def test_signed_round_trip():
    rng = random.Random(4)
    values = [0, 1, 2**63 - 1, 2**63, 2**64 - 1] + [rng.getrandbits(64) for _ in range(1000)]
    for value in values:
        signed = to_signed64(value)
        assert -(2**63) <= signed < 2**63
        assert from_signed64(signed) == value


def test_title_key_ignores_punctuation_width_and_script():
    assert title_key("《國際新聞》：ＡＩ 來了！") == title_key("国际新闻ai来了")
    assert title_key("") == ""
