"""benchmarks/bench_two_servers.py: its load is bounded in clients, time, count and wait."""

from __future__ import annotations

import pytest

from benchmarks.bench_two_servers import parse_args


def test_two_servers_defaults_are_the_issue_load():
    args = parse_args([])
    assert (args.clients, args.seconds, args.kb) == (20, 30.0, None)
    assert args.max_requests == 100_000 and args.timeout == 30.0


@pytest.mark.parametrize(
    "option, value",
    [("--clients", "0"), ("--clients", "201"), ("--seconds", "0.5"), ("--seconds", "601"),
     ("--max-requests", "0"), ("--timeout", "0"), ("--timeout", "121")],
)  # fmt: skip
def test_two_servers_refuses_unbounded_load_naming_the_option(option, value, capsys):
    with pytest.raises(SystemExit) as exc:
        parse_args([option, value])
    assert exc.value.code == 2
    error = capsys.readouterr().err
    assert option in error and "outside" in error
