"""Contributions written in the browser or through the API (see kb/contributions/model.py)."""

from kb.contributions.model import (
    STATES,
    Contribution,
    ContributionError,
    NoSuchContribution,
    ReviewRules,
)
from kb.contributions.service import ContributionDesk, DeskSettings, Publisher, contributions_root

__all__ = [
    "STATES",
    "Contribution",
    "ContributionDesk",
    "ContributionError",
    "DeskSettings",
    "NoSuchContribution",
    "Publisher",
    "ReviewRules",
    "contributions_root",
]
