"""A bounded memo: what a process keeps between requests (dates written, option lists
written, data built from a version of the database), at most ``size`` entries.

When it is full, the entry used least recently goes. Clearing everything instead (what the
three memos did before) threw away the entries a request had just stored: a look-up made
twice in one request could then cost two queries, depending on how many entries earlier
requests had left (a test failed that way, only on one order of the suite).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Memo(Generic[V]):
    """``memo.get(key)`` (``None`` when absent), ``memo.put(key, value)``, or
    ``memo.get_or_make(key, make)``."""

    __slots__ = ("_entries", "size")

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("a memo keeps at least one entry")
        self.size = size
        self._entries: OrderedDict[Hashable, V] = OrderedDict()

    def get(self, key: Hashable) -> V | None:
        entries = self._entries
        value = entries.get(key)
        if value is not None:
            entries.move_to_end(key)
        return value

    def put(self, key: Hashable, value: V) -> V:
        entries = self._entries
        entries[key] = value
        entries.move_to_end(key)
        if len(entries) > self.size:
            entries.popitem(last=False)
        return value

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        entries = self._entries
        try:
            value = entries[key]
        except KeyError:
            return self.put(key, make())
        entries.move_to_end(key)
        return value

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries
