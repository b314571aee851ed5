"""Text handling every part of kb shares: the stopword list.

It sits below kb.search and kb.terms_stats so that both can use it without importing each
other: kb.terms_stats is reached from the store, and kb.search imports the store.
"""

from __future__ import annotations

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers him his how i if in into is it its
    itself just me more most my no nor not now of off on once only or other our ours out over
    own same she should so some such than that the their theirs them then there these they
    this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours""".split()
)
