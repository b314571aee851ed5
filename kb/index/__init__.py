"""The index: a generation's SQLite database behind per-table repositories, and the
generation directory it lives in."""
