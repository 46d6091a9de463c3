"""The web page as a person sees it, in headless Chromium driven over the DevTools protocol."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.helpers import live_server

SCREENSHOT = Path(os.environ.get("STACKWISE_SCREENSHOT_DIR", tempfile.gettempdir()))


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and os.geteuid() == 0 and os.environ.get("CI") == "true":
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False)
        found = shutil.which("chromium")
    return found


class Page:
    """A Chromium tab over the DevTools protocol (a websocket)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.next_id = 0

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its result."""
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv(timeout=30))
            if message.get("id") == self.next_id:
                assert "error" not in message, message
                result: dict[str, Any] = message["result"]
                return result

    def js(self, expression: str) -> Any:
        """Evaluate JavaScript in the page and return its value."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def wait_for(self, expression: str, seconds: float = 15) -> None:
        """Wait until ``expression`` is true in the page."""
        deadline = time.monotonic() + seconds
        while not self.js(expression):
            assert time.monotonic() < deadline, f"timed out waiting for {expression}"
            time.sleep(0.1)


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    """A headless Chromium tab (skips, saying why, when Chromium is not installed)."""
    binary = _chromium()
    if binary is None:
        pytest.skip("chromium is not installed (installed automatically only as root with CI=true)")
    from websockets.sync.client import connect

    proc = subprocess.Popen(
        [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--remote-debugging-port=0",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1280,1600",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = tmp_path / "profile" / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            assert time.monotonic() < deadline, "chromium did not start"
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        targets = httpx.get(f"http://127.0.0.1:{port}/json/list").json()
        tab = next(t for t in targets if t["type"] == "page")
        with connect(tab["webSocketDebuggerUrl"], max_size=None) as ws:
            yield Page(ws)
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.browser
def test_a_learner_signs_in_and_sees_progress_next_steps_and_map(
    app: FastAPI, keys: dict[str, str], page: Page
) -> None:
    with live_server(app) as base:
        page.call("Page.navigate", url=f"{base}/web")
        page.wait_for("document.querySelector('#key') !== null")
        page.js(f"document.querySelector('#key').value = {json.dumps(keys['learner'])}")
        page.js("document.querySelector('form.signin').submit()")
        page.wait_for("document.querySelector('table.progress') !== null")
        text = page.js("document.body.innerText")
        assert "Progress per goal" in text and "Recommended next steps" in text
        assert "Programming Foundations" in text or "mc-prog" in text
        assert "signed in as learner (ben)" in text
        assert page.js("document.cookie") == ""  # the session cookie is HTTP-only
        page.wait_for("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
        shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        import base64

        (SCREENSHOT / "stackwise-learner.png").write_bytes(base64.b64decode(shot["data"]))
        page.call("Page.navigate", url=f"{base}/web/learners/carla")
        page.wait_for("document.readyState === 'complete'")
        assert "no learner 'carla'" in page.js("document.body.innerText")


def test_sign_in_sets_an_http_only_cookie_and_a_bad_key_is_refused(
    client: TestClient, keys: dict[str, str]
) -> None:
    assert client.get("/web", follow_redirects=False).headers["location"] == "/web/signin"
    bad = client.post("/web/signin", data={"key": "sw_x_y"})
    assert bad.status_code == 401 and "unknown or revoked" in bad.text
    good = client.post("/web/signin", data={"key": keys["auditor"]}, follow_redirects=False)
    assert good.status_code == 303
    cookie = good.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    home = client.get("/web")
    assert "stackwise-demo" in home.text and "carla" in home.text
    catalog = client.get("/web/catalogs/stackwise-demo")
    assert "Professional Programmer Certificate" in catalog.text
    svg = client.get("/web/catalogs/stackwise-demo/map.svg")
    assert svg.status_code == 200 and b"<svg" in svg.content
    client.post("/web/signout")
    assert client.get("/web", follow_redirects=False).status_code == 303
