"""Route groups: search, documents and the static-ish pages (formats, info, health)."""
