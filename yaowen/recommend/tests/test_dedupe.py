"""No article appears twice across the blocks of one page."""

from dataclasses import dataclass

from yaowen.recommend.dedupe import fill_blocks


@dataclass
class Card:
    id: int


def cards(*ids):
    return [Card(i) for i in ids]


def test_later_blocks_skip_articles_already_shown_and_refill_from_their_candidates():
    filled = fill_blocks(
        [("a", cards(1, 2, 3), 2), ("b", cards(2, 1, 4, 5), 2), ("c", cards(1, 2, 4, 5, 6), 2)]
    )
    assert [c.id for c in filled["a"]] == [1, 2]
    assert [c.id for c in filled["b"]] == [4, 5]
    assert [c.id for c in filled["c"]] == [6]


def test_excluded_articles_appear_nowhere():
    filled = fill_blocks([("a", cards(7, 8, 9), 3)], exclude={8})
    assert [c.id for c in filled["a"]] == [7, 9]


def test_a_block_repeated_in_the_input_is_not_repeated_in_the_output():
    same = cards(1, 2, 3, 4)
    filled = fill_blocks([("x", same, 2), ("y", same, 2)])
    ids = [c.id for block in filled.values() for c in block]
    assert len(ids) == len(set(ids)) == 4
