"""The package installed non-editable (``pip install .``) and used from another folder: every entry
point either works (data found through BELARUS_FP_ROOT or data_dir=) or stops with the message
saying how to point at a clone, and nothing is written into the installed package."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from belarus_fp import paths

pytestmark = pytest.mark.slow  # installs into a fresh environment: left out of `make test-fast`


def install(project, site):
    """``pip install --no-deps --target SITE PROJECT``, by uv when this environment has it (as `make install`
    installs): the same wheel, built by the same backend, in a third of the time (pip sets up its isolated
    build environment anew each time); by pip when there is no uv or it fails."""
    uv = Path(sys.executable).parent / "uv"
    commands = [[str(uv), "pip", "install", "--python", sys.executable]] if uv.is_file() else []
    commands.append([sys.executable, "-m", "pip", "install"])
    for command in commands:
        done = subprocess.run([*command, "--quiet", "--no-deps", "--target", str(site), str(project)], capture_output=True, text=True)
        if done.returncode == 0:
            return
    raise AssertionError(f"{' '.join(done.args)} failed:\n{done.stdout}{done.stderr}")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A non-editable install of a copy of the project into its own folder, and a folder to run in."""
    base = tmp_path_factory.mktemp("nonedit")
    project = base / "project"
    shutil.copytree(paths.ROOT / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (paths.ROOT / name).exists():
            shutil.copy(paths.ROOT / name, project / name)
    site = base / "site"
    install(project, site)
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    return site, elsewhere


def run(installed, code=None, module=None, **env_extra):
    site, elsewhere = installed
    env = {k: v for k, v in os.environ.items() if not k.startswith("BELARUS_FP_")}
    env.update(PYTHONPATH=str(site), **env_extra)
    args = [sys.executable, "-m", module] if module else [sys.executable, "-c", code]
    return subprocess.run(args, cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)


def files_under(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if "__pycache__" not in p.parts)


def test_the_installed_copy_is_the_one_imported(installed):
    out = run(installed, "import belarus_fp; print(belarus_fp.__file__)")
    assert out.returncode == 0 and out.stdout.startswith(str(installed[0])), out


def test_load_table_without_a_clone_says_how_to_point_at_one(installed):
    out = run(installed, "from belarus_fp import load_table; load_table('facts')")
    assert out.returncode == 1
    assert "RepositoryNotFound: belarus_fp is installed without its data" in out.stderr
    assert "BELARUS_FP_ROOT=/path/to/clone" in out.stderr and "data_dir=" in out.stderr


def test_build_without_a_clone_exits_1_with_the_message_and_writes_nothing(installed):
    before = files_under(installed[0].parent)
    out = run(installed, module="belarus_fp.build")
    assert out.returncode == 1
    assert out.stderr.startswith("error: belarus_fp is installed without its data") and "Traceback" not in out.stderr
    assert "notebook(s) executed" not in out.stdout
    assert files_under(installed[0].parent) == before


def test_save_figure_without_a_clone_writes_the_users_folder_never_the_package(installed):
    """A user's figure goes to the current folder (see save_figure), so it needs no clone; the
    installed package is never written to."""
    site, elsewhere = installed
    before = files_under(site)
    code = (
        "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt\n"
        "from belarus_fp.viz.figures import save_figure\n"
        "save_figure(plt.figure(), 'my-figure', show=False)"
    )
    out = run(installed, code)
    assert out.returncode == 0, out
    assert (elsewhere / "my-figure.png").exists() and (elsewhere / "my-figure.svg").exists()
    assert files_under(site) == before


def test_a_series_figure_without_a_clone_refuses_and_writes_nothing(installed):
    before = files_under(installed[0].parent)
    code = (
        "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt\n"
        "from belarus_fp.viz.figures import save_figure\n"
        "save_figure(plt.figure(), '99-test', show=False)"
    )
    out = run(installed, code, BELARUS_FP_SERIES="99-test.ipynb")
    assert out.returncode == 1 and "RepositoryNotFound" in out.stderr and "BELARUS_FP_ROOT" in out.stderr
    assert files_under(installed[0].parent) == before


def test_with_belarus_fp_root_everything_reads_the_clone(installed):
    code = (
        "from belarus_fp import load_table, cite, paths\n"
        "print(len(load_table('bilateral')), cite('r13-russia-trade-turnover').paragraph, paths.FIGURES)"
    )
    out = run(installed, code, BELARUS_FP_ROOT=str(paths.ROOT))
    from belarus_fp import cite, load_table

    expected = f"{len(load_table('bilateral'))} {cite('r13-russia-trade-turnover').paragraph} {paths.ROOT / 'figures'}"
    assert out.returncode == 0 and out.stdout.strip() == expected, out


def test_data_dir_needs_no_setting(installed):
    code = f"from belarus_fp import load_table; print(len(load_table('facts', data_dir={str(paths.DATA)!r})))"
    out = run(installed, code)
    from belarus_fp import load_table

    assert out.returncode == 0 and out.stdout.strip() == str(len(load_table("facts"))), out


def test_belarus_fp_root_pointing_at_a_wrong_folder_is_named(installed, tmp_path):
    out = run(installed, "from belarus_fp import load_table; load_table('facts')", BELARUS_FP_ROOT=str(tmp_path))
    assert out.returncode == 1
    assert f"BELARUS_FP_ROOT={tmp_path} is not a clone" in out.stderr and "manifest.csv does not exist" in out.stderr
