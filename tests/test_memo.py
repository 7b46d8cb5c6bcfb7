"""The bounded memo that dates, option lists and versioned data are kept in."""

from __future__ import annotations

import pytest

from casework.memo import Memo


def test_a_full_memo_lets_go_of_the_entry_used_least_recently():
    memo: Memo[str] = Memo(3)
    for key in "abc":
        memo.put(key, key.upper())
    assert memo.get("a") == "A"  # used again: "b" is now the oldest
    memo.put("d", "D")
    assert "b" not in memo
    assert [memo.get(key) for key in "acd"] == ["A", "C", "D"]
    assert len(memo) == 3


def test_get_or_make_makes_once_and_keeps_what_it_made():
    made = []
    memo: Memo[int] = Memo(2)

    def make() -> int:
        made.append(1)
        return len(made)

    assert memo.get_or_make("k", make) == 1
    assert memo.get_or_make("k", make) == 1
    assert made == [1]
    memo.put("x", 0)
    memo.put("y", 0)  # "k" was the oldest
    assert memo.get_or_make("k", make) == 2


def test_a_value_that_is_none_is_kept_too():
    memo: Memo[None] = Memo(2)
    calls = []
    memo.get_or_make("nothing", lambda: calls.append(1))
    memo.get_or_make("nothing", lambda: calls.append(1))
    assert calls == [1]


def test_a_memo_keeps_at_least_one_entry():
    with pytest.raises(ValueError):
        Memo(0)
