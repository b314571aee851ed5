"""Filters as a search applies them: each bound and list keeps exactly what it names."""

import pytest

from kb.index.filters import Filters, SearchParameterError
from kb.knowledge_base import KnowledgeBase
from kb.search import SearchRequest


def dates_found(settings, filters: Filters, mode: str = "keyword") -> set[str]:
    kb = KnowledgeBase(settings)
    return {
        hit.date for hit in kb.search(SearchRequest("vendor", k=50, mode=mode, filters=filters))
    }


@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
def test_filters_date_bounds_include_the_day_they_name(database, fake_settings, mode):
    after = dates_found(fake_settings, Filters(date_from="2023-06-14"), mode)
    assert after == {"2023-06-14", "2023-12-31"}
    before = dates_found(fake_settings, Filters(date_to="2023-06-14"), mode)
    assert before == {"2022-03-01", "2023-01-01", "2023-06-14"}
    day = Filters(date_from="2023-06-14", date_to="2023-06-14")
    assert dates_found(fake_settings, day, mode) == {"2023-06-14"}


def test_filters_years_and_departments_combine(database, fake_settings):
    kb = KnowledgeBase(fake_settings)
    filters = Filters(years=("2023",), exclude_departments=("Operations",))
    hits = kb.search(SearchRequest("vendor", k=50, filters=filters))
    assert {(h.department, h.date) for h in hits} == {
        ("Finance", "2023-06-14"),
        ("Legal", "2023-12-31"),
    }


def test_filters_a_date_that_is_not_a_day_names_its_parameter():
    with pytest.raises(SearchParameterError) as raised:
        Filters(date_to="2023-02-30")
    assert raised.value.parameter == "date_to" and "2023-02-30" in raised.value.message
