"""The Lessonbase web layer: server-rendered search pages and a small JSON API over kb/."""
