"""The environment paths: environment.yml (conda) equals pyproject.toml + constraints.txt, and the
Makefile does what the README says (checked with ``make -n``, which prints commands without running them)."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from belarus_fp import paths

CONDA_NAMES = {"matplotlib-base": "matplotlib"}


def _key(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def test_environment_yml_equals_pyproject_and_pins():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_key(d) for d in project["dependencies"] + project["optional-dependencies"]["test"]}
    pins = {}
    for line in (paths.ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line:
            name, version = line.split("==")
            pins[_key(name)] = version.strip()
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    conda = {}
    for dep in env["dependencies"]:
        # conda installs every package; pip (run by hand, README) installs only the project
        assert isinstance(dep, str), f"environment.yml: {dep!r}: no pip section, or pip would install packages into the conda env"
        name, _, version = dep.partition("=")
        if name in ("python", "pip"):
            continue
        conda[_key(CONDA_NAMES.get(name, name))] = version
    assert set(conda) == wanted, f"only in environment.yml: {set(conda) - wanted}; only in pyproject: {wanted - set(conda)}"
    for name, version in conda.items():
        assert pins.get(name) == version, f"{name}: environment.yml {version} vs constraints.txt {pins.get(name)}"


needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make_n(*args, env=None) -> str:
    """What ``make -n -B ARGS`` would run (-B: as if nothing were installed yet), from the repository root."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("USE_ACTIVE_ENV", "MAKEFLAGS", "MAKELEVEL")}
    full_env.update(env or {})
    proc = subprocess.run(["make", "-n", "-B", *args], cwd=paths.ROOT, env=full_env, capture_output=True, text=True, check=True)
    return proc.stdout


def install_plan(*args, env=None) -> str:
    """The commands ``make install ARGS`` would run: make's line (``make -n``), then tools/install.py's own (``--dry-run``)."""
    out = make_n("install", *args, env=env)
    [line] = [line for line in out.splitlines() if "tools/install.py" in line]
    full_env = {k: v for k, v in os.environ.items() if k not in ("USE_ACTIVE_ENV", "MAKEFLAGS", "MAKELEVEL")}
    full_env.update(env or {})
    plan = subprocess.run([*line.split(), "--dry-run"], cwd=paths.ROOT, env=full_env, capture_output=True, text=True, check=True).stdout
    return line + "\n" + plan


@needs_make
def test_an_active_conda_env_or_virtualenv_is_not_installed_into_by_default():
    out = install_plan(env={"CONDA_PREFIX": "/opt/conda/envs/base", "VIRTUAL_ENV": "/somewhere/venv"})
    calls = [line for line in out.splitlines() if "pip install" in line]
    assert calls and all(line.startswith((".venv/bin/python -m pip", ".venv/bin/uv pip install")) for line in calls), out
    assert "--python .venv/bin/python -c constraints.txt -e .[test]" in out  # uv, into .venv only
    assert "touch .venv/.installed" in out


def test_the_install_falls_back_to_pip_when_uv_cannot_be_had(tmp_path, monkeypatch, capsys):
    sys.path.insert(0, str(paths.ROOT / "tools"))
    import install

    ran = []

    def run(self, *command, env=None):
        ran.append([str(c) for c in command])
        if "uv" in command:  # the installer itself cannot be installed (no network to it, say)
            raise install.StepFailed("no uv")

    monkeypatch.setattr(install.Installer, "run", run)
    monkeypatch.setattr(install, "LOG", tmp_path / "install.log")
    monkeypatch.setattr(install, "install_overrides", lambda python, dry_run: None)
    venv = tmp_path / "venv"
    assert install.full(venv, "auto", dry_run=False) == "pip"
    assert ran[-1][-4:] == ["-c", "constraints.txt", "-e", ".[test]"] and ran[-1][1:3] == ["-m", "pip"]
    lines = capsys.readouterr().out.splitlines()
    assert any("uv (pinned in constraints.txt) ... failed after" in line and "pip installs the packages instead" in line for line in lines)
    assert len(lines) == 4, lines  # venv, uv (failed: the fallback said), the packages with pip, the overrides
    assert lines[-1].startswith("[make] install: JupyterLab settings overrides") and lines[-1].endswith(" s")


@needs_make
def test_use_active_env_installs_only_the_project_with_a_marker_per_interpreter():
    venv_bin = str(Path(sys.executable).parent)
    out = install_plan("USE_ACTIVE_ENV=1", env={"PATH": venv_bin + os.pathsep + os.environ["PATH"]})
    assert "python -m pip install --quiet --no-deps -e ." in out
    assert "constraints.txt" not in out and ".venv" not in out.replace(sys.prefix, "")
    marker = hashlib.sha256(sys.prefix.encode()).hexdigest()[:12]
    assert f"--marker .build/installed-{marker}" in out

    other = Path(getattr(sys, "_base_executable", sys.executable)).parent
    if (other / "python").exists() and other != Path(venv_bin):
        out_other = make_n("install", "USE_ACTIVE_ENV=1", env={"PATH": str(other) + os.pathsep + os.environ["PATH"]})
        assert f"--marker .build/installed-{marker}" not in out_other


@needs_make
def test_readme_conda_path_is_what_the_files_support():
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    for command in (
        "conda env create -f environment.yml",
        "conda activate belarus-fp",
        "pip install --no-deps -e .",
        "make all USE_ACTIVE_ENV=1",
    ):
        assert command in readme, f"README lacks `{command}`"
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    assert env["name"] == "belarus-fp"


@needs_make
def test_make_lab_serves_the_repository_root_opening_at_ones_own_folder_and_runs_as_root():
    out = make_n("lab")
    lab = [line for line in out.splitlines() if "jupyter lab" in line]
    assert len(lab) == 1, out
    assert "--ServerApp.root_dir=. " in lab[0] and "--FileContentsManager.preferred_dir=notebooks/own " in lab[0] + " "
    assert ("--allow-root" in lab[0]) == (os.getuid() == 0)
    sys.path.insert(0, str(paths.ROOT / "tests"))
    import browser  # the scripted browser check starts the lab with the same options

    assert all(option in lab[0] for option in browser.lab_options())


@needs_make
@pytest.mark.parametrize("mode", [(), ("USE_ACTIVE_ENV=1",)])
def test_the_install_puts_the_lab_settings_overrides_in_the_environment(mode):
    out = install_plan(*mode)
    assert "cp lab/overrides.json " in out and "/share/jupyter/lab/settings/overrides.d/belarus-fp.json" in out
    overrides = json.loads((paths.ROOT / "lab" / "overrides.json").read_text(encoding="utf-8"))
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


@needs_make
@pytest.mark.parametrize("target", ["build", "test", "test-fast", "lint", "check", "book", "bench"])
def test_each_make_step_says_how_long_it_took(target):
    assert f'echo "[make] {target}: done in $secs s"' in make_n(target)


@needs_make
def test_fast_tier_lint_and_ci_run_what_the_readme_says():
    fast = make_n("test-fast")
    assert '-m pytest -q -m "not notebooks and not slow" -n auto' in fast  # on every core (pytest-xdist)
    assert "-m pytest -q -n auto --dist worksteal" in make_n("test")  # every tier, on every core too
    lint = make_n("lint")
    assert "-m ruff check" in lint and "-m ruff format --check" in lint and "-m mypy" in lint
    fix = make_n("format")
    assert "-m ruff check --fix" in fix and "-m ruff format" in fix and "--check" not in fix
    ci = (paths.ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    steps = [line for line in ci if line.startswith(("make", "BELARUS_FP"))]
    # lint, then every notebook executed once (make check); the notebook tests then verify the build's stamps
    assert steps == ["make lint", "make check", "make book", "BELARUS_FP_NOTEBOOKS_JUST_CHECKED=1 make test"], steps


def test_binder_installs_the_run_time_packages_at_the_pinned_versions():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    lines = [line for line in (paths.ROOT / "binder" / "requirements.txt").read_text().splitlines() if line and not line.startswith("#")]
    assert lines[0] == "-c ../constraints.txt", "every package, direct or not, at the version of constraints.txt"
    assert {_key(name) for name in lines[1:]} == {_key(d) for d in project["dependencies"]}
    runtime = (paths.ROOT / "binder" / "runtime.txt").read_text().strip()
    built_with = json.loads((paths.NOTEBOOKS / "00-sources.ipynb").read_text())["metadata"]["language_info"]["version"]
    assert runtime == "python-" + ".".join(built_with.split(".")[:2]), "Binder's Python is the one the notebooks were built with"
    post = (paths.ROOT / "binder" / "postBuild").read_text()
    assert "pip install --no-deps -e ." in post and "lab/overrides.json" in post
    assert os.access(paths.ROOT / "binder" / "postBuild", os.X_OK)
