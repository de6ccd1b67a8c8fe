"""cached_shared: a value read by every page, held per process, never staler than the cache."""

from django.core.cache import cache

from yaowen.core import cache as shared
from yaowen.core.cache import cached_shared, invalidate


def counting(values):
    calls = []

    def compute():
        calls.append(1)
        return values[len(calls) - 1]

    return compute, calls


def test_computed_once_then_held_while_the_stamp_stands():
    compute, calls = counting([["a"], ["b"]])
    assert cached_shared("t:list", 60, compute) == ["a"]
    assert cached_shared("t:list", 60, compute) == ["a"]
    assert len(calls) == 1


def test_another_process_storing_a_new_value_is_seen_at_once():
    compute, calls = counting([["old"]])
    assert cached_shared("t:other", 60, compute) == ["old"]
    # What a recompute in another worker leaves in the shared cache: a new stamp and value.
    cache.set_many({"t:other": ("s2", ["new"]), "t:other:stamp": "s2"}, 60)
    assert cached_shared("t:other", 60, compute) == ["new"]
    assert len(calls) == 1


def test_invalidate_and_a_cleared_cache_both_force_a_recompute():
    compute, calls = counting([1, 2, 3])
    assert cached_shared("t:n", 60, compute) == 1
    invalidate("t:n")
    assert cached_shared("t:n", 60, compute) == 2
    cache.clear()  # held values in this process must not outlive the cache
    assert cached_shared("t:n", 60, compute) == 3
    assert "t:n" in shared._held
