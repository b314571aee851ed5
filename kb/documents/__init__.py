"""Documents: the standard format (schema), reading files of every format into Documents
(parsers, mapping files, bounds on what one file may cost), and cutting them into chunks."""
