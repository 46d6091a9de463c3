"""CLI: ``keys create`` (key on the last line), ``replay`` (exit 0/1/2), ``serve`` (first start)."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session

from cli.main import main
from store import decisions, demo, open_store
from store.keys import authenticate
from store.settings import StoreSettings

ROOT = Path(__file__).resolve().parents[2]


def test_keys_create_prints_a_working_key_as_its_last_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["keys", "create", "--role", "learner", "--learner", "ben"]) == 0
    key = capsys.readouterr().out.strip().splitlines()[-1]
    engine = open_store()
    with Session(engine, expire_on_commit=False) as session:
        principal = authenticate(session, key)
    assert principal is not None and principal.role == "learner" and principal.learner_id == "ben"
    assert main(["keys", "create", "--role", "king"]) == 2
    assert "king" in capsys.readouterr().err


def test_replay_exits_0_same_1_differs_2_unknown(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = open_store(StoreSettings())
    demo.seed(engine, ROOT / "examples")
    ask = decisions.DecisionRequest("stackwise-demo", "mc-prog", "ben", as_of=dt.date(2026, 11, 28))
    with Session(engine, expire_on_commit=False) as session:
        (row,), _ = decisions.decide(session, [ask], "k")
    assert main(["replay", row.id]) == 0
    assert "same" in capsys.readouterr().out
    with Session(engine, expire_on_commit=False) as session:
        stored = decisions.get(session, row.id)
        stored.decision = (stored.decision or "").replace('"progress":1.0', '"progress":0.5', 1)
        session.add(stored)
        session.commit()
    assert main(["replay", row.id]) == 1
    assert "progress" in capsys.readouterr().out
    assert main(["replay", "no-such-id"]) == 2
    assert "no-such-id" in capsys.readouterr().err


def test_serve_first_start_loads_the_demo_and_prints_a_usable_admin_key(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "STACKWISE_DATA_DIR": str(tmp_path)}
    env.pop("STACKWISE_DATABASE_URL", None)
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "stackwise"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=20)
    assert "loaded demo catalog stackwise-demo@2026.2 and 6 learners" in output
    assert f"{base}/web" in output
    key = re.search(r"admin key \(shown once\): (\S+)", output)
    assert key is not None
    engine = open_store(StoreSettings(data_dir=tmp_path, database_url=None))
    with Session(engine, expire_on_commit=False) as session:
        principal = authenticate(session, key.group(1))
    assert principal is not None and principal.role == "admin"


@pytest.mark.parametrize(
    ("variable", "value", "command"),
    [
        ("STACKWISE_REQUEST_THREADS", "0", ["serve", "--port", "1"]),
        ("STACKWISE_KEY_CACHE_SECONDS", "soon", ["serve", "--port", "1"]),
        ("STACKWISE_SQLITE_SYNCHRONOUS", "sometimes", ["keys", "create", "--role", "admin"]),
    ],
)
def test_a_bad_setting_exits_2_naming_the_variable_before_the_store_is_touched(
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    command: list[str],
) -> None:
    monkeypatch.setenv(variable, value)
    assert main(command) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: environment: ") and variable in err
    assert f"{variable} = {value!r}" in err and "Traceback" not in err
    assert list(data_dir.iterdir()) == []  # no database, no key: nothing was written
