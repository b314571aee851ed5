"""Each request reads one index generation from start to end (KnowledgeBase.pinned).

A pure ASGI middleware rather than a dependency: the pin must last until the response's last
byte is sent, and sync endpoints, which Starlette runs in its threadpool, see it because that
threadpool copies the request's context.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from kb.knowledge_base import KnowledgeBase


class PinGeneration:
    def __init__(self, app: ASGIApp, kb: KnowledgeBase):
        self.app = app
        self.kb = kb

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with self.kb.pinned():  # takes the generation at the request's first read of it
            await self.app(scope, receive, send)
