"""Headless Chromium, driven over the DevTools protocol: the scripted browser checks.

``python tests/browser.py lab [NOTEBOOK ...]`` (``make lab-check``) copies the repository's files
into a temporary git repository, starts JupyterLab there with the options of ``make lab``, and
in Chromium, for each notebook (default: all of the series): opens it and checks that opening did
not mark it modified; runs all cells (a fresh kernel, as a user's Run All), saves, and checks that
``git status`` is clean. It also checks that the lab starts without the news question, that File ›
New › Notebook creates its notebook in the folder for one's own work (git-ignored), and writes a
screenshot of the lab to ``.build/screenshots/``.

``python tests/browser.py book`` takes a screenshot of every page of the built book (``make book``).

Needs the Debian packages ``chromium`` (``apt-get install chromium``); nothing else beyond the
project's environment (the protocol is spoken with ``websocket-client``, already a dependency of
JupyterLab). Exit status 0: every check passed; 1: a check failed (each failure printed); 2: no
Chromium.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / ".build" / "screenshots"
#: What `make lab` passes to JupyterLab besides the root folder (kept equal to the Makefile's LAB_OPTIONS by a test).
OWN = "notebooks/own"


def chromium() -> str | None:
    """The Chromium executable, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """One headless Chromium with one page, spoken to over the DevTools protocol."""

    def __init__(self, width: int = 1400, height: int = 900):
        import websocket  # websocket-client, installed with JupyterLab

        self.profile = tempfile.mkdtemp(prefix="bfp-chromium-")
        port = _free_port()
        self.process = subprocess.Popen(
            [
                chromium(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--hide-scrollbars",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as answer:
                    pages = [t for t in json.load(answer) if t["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError("Chromium did not start (its DevTools port never answered)")
            time.sleep(0.2)
        self.socket = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=600, suppress_origin=True)
        self.ids = itertools.count(1)
        self.console: list[str] = []
        self.call("Runtime.enable")
        self.call("Page.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    def call(self, method: str, **params):
        """Send one command and return its result (events that arrive meanwhile are kept or dropped)."""
        ident = next(self.ids)
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("method") == "Runtime.exceptionThrown":
                self.console.append(str(message["params"]["exceptionDetails"].get("text")))
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def evaluate(self, expression: str):
        """Evaluate JavaScript in the page (awaiting a promise) and return its value as JSON."""
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise RuntimeError(f"in the page: {details.get('exception', {}).get('description') or details.get('text')}")
        return result["result"].get("value")

    def goto(self, url: str, timeout: float = 60) -> None:
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        time.sleep(0.2)
        while self.evaluate("document.readyState") != "complete":
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not load within {timeout:g} s")
            time.sleep(0.2)

    def wait_for(self, expression: str, timeout: float = 120, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while not self.evaluate(expression):
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out after {timeout:g} s waiting for {what or expression}")
            time.sleep(0.25)

    def screenshot(self, path: Path, full_page: bool = False) -> Path:
        params = {"format": "png"}
        if full_page:
            metrics = self.call("Page.getLayoutMetrics")["cssContentSize"]
            params.update(
                captureBeyondViewport=True, clip={"x": 0, "y": 0, "width": metrics["width"], "height": metrics["height"], "scale": 1}
            )
        data = self.call("Page.captureScreenshot", **params)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.socket.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def lab_options() -> list[str]:
    """The options `make lab` passes to JupyterLab, read from the Makefile (one place)."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    line = re.search(r"^LAB_OPTIONS := (.*)$", text, flags=re.M)
    return line.group(1).split()


def _copy_of_the_repository(target: Path) -> None:
    """The repository's tracked files as they are in the work tree, committed in a fresh git repository."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git = ["git", "-c", "user.name=check", "-c", "user.email=check@localhost"]
    subprocess.run([*git, "init", "-q"], cwd=target, check=True)
    subprocess.run([*git, "add", "-A"], cwd=target, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "copy"], cwd=target, check=True)


def _git_status(repo: Path) -> str:
    return subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True, check=True).stdout


@contextlib.contextmanager
def jupyterlab(repo: Path, scratch: Path):
    """JupyterLab serving ``repo`` with `make lab`'s options and a private config, data and settings folder."""
    port, token = _free_port(), "check"
    env = {
        **os.environ,
        "BELARUS_FP_ROOT": str(repo),  # the kernels read and write the copy, not this clone
        "JUPYTER_CONFIG_DIR": str(scratch / "config"),
        "JUPYTER_DATA_DIR": str(scratch / "data"),
        "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(scratch / "user-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(scratch / "workspaces"),
    }
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--ServerApp.root_dir={repo}", *lab_options()]
    command += [f"--ServerApp.port={port}", f"--IdentityProvider.token={token}", "--LabApp.expose_app_in_browser=True"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    with open(scratch / "lab.log", "w") as log:
        server = subprocess.Popen(command, cwd=repo, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        log.flush()
                        tail = (scratch / "lab.log").read_text(errors="replace")[-3000:]
                        raise RuntimeError(f"JupyterLab did not start; the end of its log:\n{tail}") from None
                    time.sleep(0.3)
            yield f"http://127.0.0.1:{port}", token
        finally:
            server.terminate()
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


APP = "window.jupyterapp"
OPEN = """(async () => {{
  const app = window.jupyterapp;
  const widget = await app.commands.execute('docmanager:open', {{path: {path}, factory: 'Notebook'}});
  await widget.context.ready;
  await widget.sessionContext.ready;
  const kernel = widget.sessionContext.session.kernel;
  await kernel.info;
  window.__checked = widget;
  return true;
}})()"""
SETTLED = "window.__checked.sessionContext.session.kernel.status === 'idle'"
DIRTY = "window.__checked.context.model.dirty"
RUN_ALL_AND_SAVE = """(async () => {
  const app = window.jupyterapp, widget = window.__checked;
  app.shell.activateById(widget.id);
  const ran = await app.commands.execute('notebook:run-all-cells');
  await widget.context.save();
  await widget.sessionContext.shutdown();
  widget.close();
  return ran;
})()"""


def check_lab(names=None) -> list[str]:
    """The JupyterLab round trip and the lab's start; returns the failures (empty when all passed)."""
    failures = []
    with tempfile.TemporaryDirectory(prefix="bfp-lab-") as tmp:
        repo, scratch = Path(tmp) / "repo", Path(tmp) / "scratch"
        repo.mkdir()
        scratch.mkdir()
        _copy_of_the_repository(repo)
        names = names or sorted(p.name for p in (repo / "notebooks").glob("[0-9][0-9]-*.ipynb"))
        with jupyterlab(repo, scratch) as (url, token):
            browser = Browser()
            try:
                browser.goto(f"{url}/lab?token={token}")
                browser.wait_for(f"{APP} !== undefined && document.querySelector('.jp-DirListing-content') !== null", what="the lab")
                browser.evaluate(f"{APP}.restored")
                time.sleep(3)  # the news question appears a moment after start, when it appears
                toasts = browser.evaluate("[...document.querySelectorAll('.Toastify__toast')].map(t => t.innerText)")
                if any("news" in t.lower() for t in toasts):
                    failures.append(f"the lab asks about news at start: {toasts}")
                where = browser.evaluate(f"{APP}.shell.currentWidget ? null : document.querySelector('.jp-BreadCrumbs').innerText")
                browser.screenshot(SHOTS / "lab-start.png")
                # File > New > Notebook: where does it go, and does git see it?
                made = browser.evaluate(
                    f"""(async () => {{
                      const w = await {APP}.commands.execute('notebook:create-new', {{kernelName: 'python3'}});
                      await w.context.ready; await w.context.save();
                      const path = w.context.path;
                      await w.sessionContext.shutdown(); w.close();
                      return path; }})()"""
                )
                if not made.startswith(OWN + "/"):
                    failures.append(f"File > New > Notebook made {made}, not a notebook in {OWN}/ (breadcrumbs: {where})")
                status = _git_status(repo)
                if status:
                    failures.append(f"after File > New > Notebook, git status is not clean:\n{status}")
                for name in names:
                    path = f"notebooks/{name}"
                    start = time.monotonic()
                    browser.evaluate(OPEN.format(path=json.dumps(path)))
                    browser.wait_for(SETTLED, what=f"the kernel of {name}")
                    time.sleep(1)
                    if browser.evaluate(DIRTY):
                        failures.append(f"{name}: opening it marked it modified")
                    if name == names[0]:
                        browser.screenshot(SHOTS / "lab-notebook.png")
                    ran = browser.evaluate(RUN_ALL_AND_SAVE)
                    status = _git_status(repo)
                    if not ran:
                        failures.append(f"{name}: Run All reported a failing cell")
                    if status:
                        diff = subprocess.run(["git", "diff", "--stat"], cwd=repo, capture_output=True, text=True).stdout
                        failures.append(f"{name}: after Run All and Save, git status is not clean:\n{status}{diff}")
                        with open(SHOTS.parent / f"lab-{name}.diff", "w") as diff_file:
                            subprocess.run(["git", "diff", "--", path], cwd=repo, stdout=diff_file)
                        subprocess.run(["git", "checkout", "-q", "--", "."], cwd=repo, check=True)
                    print(
                        f"[lab-check] {name}: opened, Run All, saved in {time.monotonic() - start:.1f} s; {'clean' if not status else 'CHANGED'}"
                    )
            finally:
                browser.close()
    return failures


def check_book(site: Path) -> list[str]:
    """A screenshot of every page of the built book; a page that throws a script error fails."""
    failures = []
    browser = Browser(width=1200, height=900)
    try:
        for page in sorted(site.glob("*.html")):
            browser.goto(page.as_uri())
            shot = browser.screenshot(SHOTS / "book" / f"{page.stem}.png", full_page=page.stem != "index")
            broken = browser.evaluate("[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)")
            if broken:
                failures.append(f"{page.name}: images that did not load: {broken}")
            print(f"[book-check] {page.name}: {shot.relative_to(ROOT)}")
        failures += [f"script error: {e}" for e in browser.console]
    finally:
        browser.close()
    return failures


def main(argv) -> int:
    if not argv or argv[0] not in ("lab", "book"):
        print(__doc__)
        return 2
    if chromium() is None:
        print("[browser] no Chromium: install it (apt-get install chromium) to run the browser checks")
        return 2
    failures = check_lab(argv[1:]) if argv[0] == "lab" else check_book(ROOT / "build" / "book")
    for failure in failures:
        print(f"[{argv[0]}-check] FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
