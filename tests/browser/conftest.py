"""A real `streamlit run app.py` on 127.0.0.1 and Debian's Chromium driven by Playwright.

The server gets its own data folder, WAYPOINT_ADMIN_PASSWORD and a two-file guideline folder
(so the first chat turn doesn't index the whole default set). scripts/browser-setup.sh installs
/usr/bin/chromium; without it these tests skip. We never run `playwright install`.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"]
ADMIN_PASSWORD = "browser test operator 1"
STARTUP_SECONDS = 90


@dataclass(frozen=True)
class Server:
    url: str
    home: Path
    log: Path
    shots: Path  # where the tests save screenshots
    admin_password: str = ADMIN_PASSWORD

    def service(self):
        """The app's service over the server's database, for seeding and checking."""
        from assistant.config import Settings
        from assistant.deps import build_deps
        from assistant.service import Service
        return Service(build_deps(Settings(home=self.home, database_url=None, llm="offline")))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


def _wait_until_up(proc: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        if _healthy(url):
            return
        time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer within {STARTUP_SECONDS}s:\n{log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run `sudo bash scripts/browser-setup.sh`")
    base = tmp_path_factory.mktemp("browser")
    home, guides, shots = base / "home", base / "guides", base / "screenshots"
    for folder in (home, guides, shots):
        folder.mkdir()
    for name in ("03-smart-goals.md", "04-meetings.md"):
        shutil.copy(ROOT / "knowledge" / name, guides / name)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("WAYPOINT_") and k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    env.update(WAYPOINT_HOME=str(home), WAYPOINT_ADMIN_PASSWORD=ADMIN_PASSWORD,
               WAYPOINT_KNOWLEDGE_DIR=str(guides), WAYPOINT_LLM="offline")
    port, log = _free_port(), base / "streamlit.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
             "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats",
             "false", "--server.fileWatcherType", "none", "--client.toolbarMode", "viewer"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(proc, url, log)
        yield Server(url, home, log, shots)
    finally:
        _stop(proc)
        _publish(shots)


def _publish(shots: Path) -> None:
    """WAYPOINT_UPDATE_SCREENSHOTS=1 copies the screenshots into docs/screenshots/."""
    print(f"\nbrowser screenshots: {shots}")
    if os.environ.get("WAYPOINT_UPDATE_SCREENSHOTS") == "1":
        target = ROOT / "docs" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        for shot in shots.glob("*.png"):
            shutil.copy(shot, target / shot.name)


@pytest.fixture(scope="session")
def browser(server):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def new_page(browser):
    """A fresh browser profile per person: its own cookies, like a different laptop."""
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-GB")
        context.set_default_timeout(60_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
