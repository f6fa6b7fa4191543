"""Install the project's environment: what ``make install`` runs (standard library only).

Default (``python3 tools/install.py .venv``): create the virtual environment, install the installer
uv (pinned in ``constraints.txt``, from PyPI) and with it every package at its pinned version plus the
project (editable, with the test extra); if uv cannot be installed or fails, pip does the same job.
Then the lab's settings overrides (``lab/overrides.json``) and the marker file.

``--project-only PYTHON`` (``make install USE_ACTIVE_ENV=1``): into an environment that already has
the packages (conda), only the project (``pip install --no-deps -e .``) and the overrides.

One progress line per step (``[make] install: STEP ... done in 2.1 s``), nothing else on success;
every command's own output goes to ``.build/install.log``, whose end is printed if a step fails.
``--installer pip`` or ``uv`` forces one (the benchmark compares them); ``--dry-run`` prints the
commands instead of running them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / ".build" / "install.log"
OVERRIDES = ROOT / "lab" / "overrides.json"


class StepFailed(Exception):
    """A step's command failed (its output is in the log)."""


class Installer:
    """Runs the steps of an install: progress lines on the terminal, the commands' output in the log."""

    def __init__(self, dry_run: bool = False, quiet: bool = False):
        self.dry_run, self.quiet = dry_run, quiet
        self.log = None
        if not dry_run:
            LOG.parent.mkdir(parents=True, exist_ok=True)
            self.log = open(LOG, "w", encoding="utf-8")  # noqa: SIM115  open while the installer runs, then closed by the process

    def run(self, *command, env=None) -> None:
        """Run ``command`` with its output in the log; raises StepFailed if it fails (``--dry-run``: print it)."""
        command = [str(c) for c in command]
        if self.dry_run:
            print(" ".join(command))
            return
        self.log.write(f"$ {' '.join(command)}\n")
        self.log.flush()
        done = subprocess.run(command, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        if done.returncode:
            raise StepFailed(f"`{' '.join(command)}` exited with status {done.returncode}")

    def step(self, name: str, action, fallback: str = "") -> float:
        """Run one step with its progress line; a failing step with a ``fallback`` says so in the line and raises quietly."""
        if self.dry_run:
            action()
            return 0.0
        if not self.quiet:
            print(f"[make] install: {name} ... ", end="", flush=True)
        start = time.perf_counter()
        try:
            action()
        except StepFailed as exc:
            seconds = time.perf_counter() - start
            self.log.flush()
            if fallback:
                if not self.quiet:
                    print(f"failed after {seconds:.1f} s ({fallback}; details in {_shown(LOG)})")
                raise
            if not self.quiet:
                print(f"FAILED after {seconds:.1f} s")
            tail = LOG.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
            print(f"[make] install: {exc}; the end of {_shown(LOG)}:", *("    " + line for line in tail), sep="\n")
            raise
        seconds = time.perf_counter() - start
        if not self.quiet:
            print(f"done in {seconds:.1f} s", flush=True)
        return seconds


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def prefix_of(python: str) -> Path:
    """``sys.prefix`` of the interpreter ``python``."""
    out = subprocess.run([python, "-c", "import sys; print(sys.prefix)"], capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def install_overrides(python: str, dry_run: bool) -> None:
    """The lab's settings overrides, as a file of its own in the environment's overrides.d (others untouched)."""
    if dry_run:
        print(f"cp lab/overrides.json {python}:sys.prefix/share/jupyter/lab/settings/overrides.d/belarus-fp.json")
        return
    folder = prefix_of(python) / "share" / "jupyter" / "lab" / "settings" / "overrides.d"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(OVERRIDES, folder / "belarus-fp.json")


def full(venv: Path, installer: str, dry_run: bool, quiet: bool = False) -> str:
    """Create ``venv`` and install everything; returns the installer that did the packages."""
    inst = Installer(dry_run, quiet)
    python = venv / "bin" / "python"
    quiet_pip = ("-m", "pip", "--disable-pip-version-check", "install", "--quiet")
    if not python.exists() or dry_run:
        inst.step(f"virtual environment {venv}", lambda: inst.run(sys.executable, "-m", "venv", venv))
    used = "pip"
    if installer in ("auto", "uv"):
        fallback = "" if installer == "uv" else "pip installs the packages instead"
        try:
            command = (python, *quiet_pip, "-c", "constraints.txt", "uv")
            inst.step("the installer uv (pinned in constraints.txt)", lambda: inst.run(*command), fallback)
            used = "uv"
        except StepFailed:
            if installer == "uv":
                raise
    env = {**os.environ, "VIRTUAL_ENV": str(venv)}
    if used == "uv":
        uv = venv / "bin" / "uv"
        command = (uv, "pip", "install", "--quiet", "--compile-bytecode", "--python", python, "-c", "constraints.txt", "-e", ".[test]")
        try:
            inst.step("the pinned packages and the project (uv)", lambda: inst.run(*command, env=env), fallback)
        except StepFailed:
            if installer == "uv":
                raise
            used = "pip"
    if used == "pip":
        command = (python, *quiet_pip, "-c", "constraints.txt", "-e", ".[test]")
        inst.step("the pinned packages and the project (pip)", lambda: inst.run(*command))
    inst.step("JupyterLab settings overrides (lab/overrides.json)", lambda: install_overrides(str(python), dry_run))
    return used


def project_only(python: str, dry_run: bool) -> None:
    """Install only the project (no dependencies) and the lab's overrides into ``python``'s environment."""
    inst = Installer(dry_run)
    prefix = sys.prefix if dry_run else prefix_of(python)
    inst.step(f"the project only into {prefix}", lambda: inst.run(python, "-m", "pip", "install", "--quiet", "--no-deps", "-e", "."))
    inst.step("JupyterLab settings overrides (lab/overrides.json)", lambda: install_overrides(python, dry_run))


def main(argv=None) -> int:
    """The command line (see the module docstring); returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("venv", nargs="?", type=Path, help="the virtual environment to create and fill (default mode)")
    parser.add_argument("--project-only", metavar="PYTHON", help="install only the project into PYTHON's environment")
    parser.add_argument("--installer", choices=("auto", "uv", "pip"), default="auto")
    parser.add_argument("--marker", type=Path, help="file touched when everything succeeded")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        if args.project_only:
            project_only(args.project_only, args.dry_run)
        elif args.venv:
            full(args.venv, args.installer, args.dry_run)
        else:
            parser.error("give a virtual environment folder or --project-only PYTHON")
    except StepFailed:
        return 1
    if args.marker:
        if args.dry_run:
            print(f"touch {args.marker}")
        else:
            args.marker.parent.mkdir(parents=True, exist_ok=True)
            args.marker.touch()
    if not args.dry_run:
        print(f"[make] install: done in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
