"""Which chunks pass a search's filters, kept per generation and per filters (`PassingChunks`).

A server's generation never changes, and most searches carry the same few filters: a
viewer's access rule, with archived lessons hidden. Evaluating that rule in SQL for every
search (the probed chunks' documents, their `audience` lists read with json_each) cost a
department reader 3-4 ms a search on the NASA index (bench_access_cost.py); a chunk mask
per filters, computed once by the same SQL, answers the same question with one numpy
gather.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict

import numpy as np

from kb.index.filters import Filters
from kb.index.store import Store

# Filters whose masks are kept, least recently used dropped first: a viewer's access rule
# with each of a few chosen filters. A mask is one byte per chunk (1 MB at a million).
CACHED_FILTERS = 32


class PassingChunks:
    """The chunks of a read-only store that pass each of the recent filters, as masks by
    chunk id: exactly what the store's `ids_passing` lists, kept."""

    def __init__(self, store: Store, size: int = CACHED_FILTERS):
        self._store = weakref.ref(store)  # kept per store (below): no reference back to it
        self.size = size
        self._masks: OrderedDict[Filters, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def mask(self, filters: Filters) -> np.ndarray:
        """Whether each chunk id passes (one slot past the largest id: False)."""
        with self._lock:
            found = self._masks.get(filters)
            if found is not None:
                self._masks.move_to_end(filters)
                return found
        ids = self._store().chunks.ids_passing(filters)
        mask = np.zeros(int(ids.max()) + 2 if len(ids) else 1, dtype=bool)
        mask[ids] = True
        with self._lock:
            self._masks[filters] = mask
            while len(self._masks) > self.size:
                self._masks.popitem(last=False)
        return mask

    def ids(self, filters: Filters) -> np.ndarray:
        """Ids of the chunks that pass, ascending (Chunks.ids_passing)."""
        return np.flatnonzero(self.mask(filters))

    def kept(self, chunk_ids: np.ndarray, filters: Filters) -> np.ndarray:
        """Those of ``chunk_ids`` that pass, in their order."""
        mask = self.mask(filters)
        ids = np.asarray(chunk_ids, dtype=np.int64)
        inside = (ids >= 0) & (ids < len(mask))
        return ids[inside][mask[ids[inside]]]

    def owners(self, chunk_ids: list[int], filters: Filters) -> dict[int, int]:
        """{chunk id: document rowid} of those of ``chunk_ids`` that pass
        (Chunks.owners_passing)."""
        return self._store().chunks.owners(self.kept(chunk_ids, filters).tolist())


_PER_STORE: weakref.WeakKeyDictionary[Store, PassingChunks] = weakref.WeakKeyDictionary()
_PER_STORE_LOCK = threading.Lock()


def passing_chunks(store: Store) -> PassingChunks | None:
    """The kept masks of a read-only store (a server's generation, which never changes);
    None for a writable one, whose chunks may change between two searches."""
    if not store.read_only:
        return None
    with _PER_STORE_LOCK:
        found = _PER_STORE.get(store)
        if found is None:
            found = _PER_STORE[store] = PassingChunks(store)
        return found
