"""What of the glossary the visitor may see: their access rule, compiled once per request
for every glossary read (kb.index.candidates.Access; None for one who reads everything)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from kb.index.candidates import Access
from kb.index.filters import Filters
from web.deps import SettingsDep
from web.security import ViewerDep


def glossary_access(viewer: ViewerDep, settings: SettingsDep) -> Access | None:
    return Access.of(Filters(viewer=viewer, default_sensitivity=settings.default_sensitivity))


GlossaryAccessDep = Annotated[Access | None, Depends(glossary_access)]
