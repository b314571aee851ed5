"""Checklist lines: actions a team can take at a kickoff, that stand on their own."""

from __future__ import annotations

import pytest

from kb.kickoff.actionable import is_action

ACTIONS = [
    "Put delivery dates and late-delivery penalties into purchase orders.",
    "Document all interfaces in one interface control document.",
    "Ensure that cognizant engineers verify their hardware against the drawings.",
    "Do not sign a contract without written acceptance criteria.",
    "Projects should budget for acceptance testing at the site.",
    "The SC contractor must be added to the ICD approval process.",
    "Always review the vendor's test report before payment.",
]
NOT_ACTIONS = [  # the examples first
    "Reference (4) provides two major recommendations for the program.",
    "In particular, the replacement of the mass storage device should be planned early.",
    "A contract cycle is part of the sales cycle.",
    "Vendor dates and change freezes compound: a slip that lands on a freeze costs it too.",
    "Test results showed a drift in the sensor readings.",
    "The team should have checked the vendor data sooner.",
    "Click here to view a video discussion of this lesson.",
    "This means the schedule slipped by a month.",
    "Every cutover runbook step gets a named owner.",
    "The following steps were taken:",
]


@pytest.mark.parametrize("sentence", ACTIONS)
def test_kickoff_actionable_accepts_imperatives_and_recommendations(sentence):
    assert is_action(sentence)


@pytest.mark.parametrize("sentence", NOT_ACTIONS)
def test_kickoff_actionable_refuses_statements_and_leaning_sentences(sentence):
    assert not is_action(sentence)
