"""``stackwise serve``: its options reach uvicorn; an address it cannot use exits 2 early."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from cli.main import main


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """uvicorn.run replaced by a recorder of its keyword arguments (no server starts)."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(kwargs))
    return calls


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port another socket is listening on."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


def test_options_reach_uvicorn(data_dir: Path, started: list[dict[str, Any]]) -> None:
    assert main(["serve", "--port", "8123", "--workers", "2", "--no-access-log"]) == 0
    assert len(started) == 1
    call = started[0]
    assert (call["port"], call["workers"], call["access_log"]) == (8123, 2, False)


def test_the_access_log_is_on_by_default(data_dir: Path, started: list[dict[str, Any]]) -> None:
    assert main(["serve", "--port", "8123"]) == 0
    assert started[0]["access_log"] is True and started[0]["workers"] == 1


def test_a_port_in_use_exits_2_before_the_store_is_touched(
    data_dir: Path,
    started: list[dict[str, Any]],
    taken_port: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["serve", "--port", str(taken_port)]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{taken_port}" in err and "in use" in err
    assert started == [] and list(data_dir.iterdir()) == []  # no database, no key


@pytest.mark.parametrize(
    ("args", "culprit"),
    [
        (["--host", "no-such-host.invalid"], "no-such-host.invalid"),
        (["--port", "70000"], "--port"),
        (["--port", "0"], "--port"),
        (["--workers", "0"], "--workers"),
    ],
)
def test_a_bad_address_or_worker_count_exits_2_naming_it(
    data_dir: Path,
    started: list[dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    culprit: str,
) -> None:
    assert main(["serve", *args]) == 2
    captured = capsys.readouterr()
    assert culprit in captured.err and "Traceback" not in captured.err
    assert started == [] and list(data_dir.iterdir()) == []
