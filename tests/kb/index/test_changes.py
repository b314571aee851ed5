"""A store notes what an index run changed, for the derived indexes to follow."""

from kb.index.changes import StoreChanges

TEXTS = {1: "Vendor lead times", 2: "Runbook gaps", 3: "Vendor runbook"}


def test_changes_count_added_and_removed_documents_words():
    changes = StoreChanges()
    changes.document_removed(1, [10, 11], lambda: TEXTS[1])  # stored before this run
    changes.document_added(2, [12])
    changes.document_added(3, [13])
    assert changes.term_deltas(TEXTS.get) == {  # "vendor": one document less, one more
        "lead": -1, "times": -1, "vendor lead": -1, "lead times": -1, "runbook": 2, "gaps": 1,
        "runbook gaps": 1,
        "vendor runbook": 1,
    }  # fmt: skip
    assert (changes.added_chunks, changes.removed_chunks) == ([12, 13], [10, 11])


def test_changes_a_document_added_then_removed_in_one_run_leaves_no_words():
    changes = StoreChanges()
    changes.document_added(2, [12])
    changes.document_removed(2, [12], lambda: TEXTS[2])
    assert changes.term_deltas(TEXTS.get) == {}
    assert changes.removed_chunks == [12]
