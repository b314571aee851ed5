"""Lessonbase domain library: documents, index, search, related lessons, glossary."""
