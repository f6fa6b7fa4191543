"""The build under damage, load, interruption and misuse: each test runs tiny notebooks in a temporary folder."""

import fcntl
import functools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

from belarus_fp.commands import build, derived, execution, notebook_form
from belarus_fp.commands import stamps as build_stamps
from belarus_fp.commands.notebook_form import display_path

pytestmark = pytest.mark.slow  # kernels and subprocesses: left out of `make test-fast`

# python -m belarus_fp.build with its stamps file moved out of the repository (first argument).
MAIN_WITH_STAMPS = "import sys; from pathlib import Path; from belarus_fp.commands import build, stamps; stamps.STAMPS = Path(sys.argv[1]); build.main(sys.argv[2:])"


def tiny(folder: Path, *sources: str, name: str = "00-tiny.ipynb") -> Path:
    """A notebook with one code cell per source, saved as the build writes notebooks."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    path = folder / name
    path.write_text(notebook_form.canonical_text(nb), encoding="utf-8")
    return path


def jupyterlab_save(path: Path, python_version: str | None = None) -> None:
    """Rewrite a notebook's metadata as JupyterLab 4 does on save (through jupyter_server's nbformat.write),
    with a kernel of this interpreter's Python version unless another is given."""
    python_version = python_version or sys.version.split()[0]
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": python_version,
    }
    nbformat.write(nb, path)


@functools.cache
def current_inputs() -> str:
    return build_stamps.inputs_digest()


def seeded(path: Path) -> Path:
    """A stamps file at ``path`` saying the derived tables were written from the current inputs (as `make build`
    leaves them), so a build with it goes straight to its notebooks. Writing the derived tables costs seconds
    per build (and would write into the repository's data/derived/); the damaged-stamps test still does it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({derived.DERIVED_STAMP: current_inputs()}), encoding="utf-8")
    return path


@pytest.fixture
def stamps(tmp_path, monkeypatch):
    """Stamps (and the build lock) in a temporary folder, not in the repository's .build/ (:func:`seeded`)."""
    path = seeded(tmp_path / "build-state" / "stamps.json")
    monkeypatch.setattr(build_stamps, "STAMPS", path)
    return path


@pytest.fixture
def figures_elsewhere(tmp_path, monkeypatch):
    folder = tmp_path / "figures"
    monkeypatch.setenv("BELARUS_FP_FIGURES", str(folder))
    return folder


def outputs(path: Path) -> list:
    return [c.outputs for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


# --- normalisation ---------------------------------------------------------------------------


def test_consecutive_stream_outputs_are_merged_and_others_kept_apart():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    stream = nbformat.v4.new_output
    nb.cells[0].outputs = [
        stream("stream", name="stdout", text="a\n"),
        stream("stream", name="stdout", text="b\n"),
        stream("stream", name="stderr", text="warn\n"),
        stream("stream", name="stdout", text="c\n"),
    ]
    notebook_form.normalize_notebook(nb)
    assert [(o.name, o.text) for o in nb.cells[0].outputs] == [("stdout", "a\nb\n"), ("stderr", "warn\n"), ("stdout", "c\n")]


@pytest.fixture(scope="module")
def tiny_build(tmp_path_factory):
    """One build of a tiny notebook, shared by the tests that read only what it wrote and said (a kernel
    start each saved): its first cell prints the kernel's transport, its second prints in flushed pieces."""
    folder = tmp_path_factory.mktemp("tiny-build")
    nb_path = tiny(
        folder,
        "import json\nfrom ipykernel import get_connection_info\nprint(json.loads(get_connection_info())['transport'])",
        "import sys, time\nfor i in range(3):\n    print(i)\n    sys.stdout.flush()\n    time.sleep(0.3)",
    )
    log = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build_stamps, "STAMPS", seeded(folder / "build-state" / "stamps.json"))
        assert build.build([nb_path], log=log.append) == [nb_path]
    return nb_path, log


def test_output_flushed_in_pieces_is_stored_as_one(tiny_build):
    nb_path, _ = tiny_build
    [_, [out]] = outputs(nb_path)
    assert out.text == "0\n1\n2\n"


def test_a_jupyterlab_save_with_the_same_outputs_is_the_committed_file_byte_for_byte(tmp_path):
    committed = build.notebooks()[0]
    saved = tmp_path / committed.name
    saved.write_bytes(committed.read_bytes())
    jupyterlab_save(saved)
    assert saved.read_bytes() == committed.read_bytes()


def test_the_metadata_is_what_the_python3_kernel_reports():
    from ipykernel.ipkernel import IPythonKernel

    assert notebook_form.language_info() == IPythonKernel.language_info
    assert notebook_form.KERNELSPEC["display_name"] == "Python 3 (ipykernel)"


def test_a_save_on_another_python_differs_in_the_version_only(tmp_path):
    committed = build.notebooks()[0]
    saved = tmp_path / committed.name
    saved.write_bytes(committed.read_bytes())
    jupyterlab_save(saved, python_version="3.12.1")
    assert saved.read_bytes() != committed.read_bytes()
    assert notebook_form.canonical_text(notebook_form.read_notebook(saved), python_version="3.12.1") == saved.read_text(encoding="utf-8")
    assert notebook_form.canonical_text(notebook_form.read_notebook(saved)) == committed.read_text(encoding="utf-8")


# --- up to date ------------------------------------------------------------------------------


def test_jupyterlab_round_trip_metadata_only_is_up_to_date_and_an_edit_is_rebuilt(tmp_path, stamps):
    nb_path = tiny(tmp_path, "print('hello')")
    assert build.build([nb_path], log=lambda m: None) == [nb_path]
    built = nb_path.read_bytes()

    jupyterlab_save(nb_path)  # Run All + Save in JupyterLab: the same file
    assert nb_path.read_bytes() == built
    jupyterlab_save(nb_path, python_version="3.12.1")  # ... or with a kernel of another Python: other metadata
    assert build.build([nb_path], log=lambda m: None) == []  # not executed again ...
    assert nb_path.read_bytes() == built  # ... but written back as the build writes it (what `make check` compares)

    nb = nbformat.read(nb_path, as_version=4)  # an output edited (or left stale) in JupyterLab
    nb.cells[0].outputs[0].text = "stale\n"
    nbformat.write(nb, nb_path)
    assert build.build([nb_path], log=lambda m: None) == [nb_path]
    assert nb_path.read_bytes() == built


def test_damaged_stamps_are_reported_by_name_and_everything_rebuilds(tmp_path, stamps):
    nb_path = tiny(tmp_path, "1 + 1")
    build.build([nb_path], log=lambda m: None)
    stamps.write_text(stamps.read_text()[:10])  # truncated, as by a crash mid-write before writes were atomic
    log = []
    assert build.build([nb_path], log=log.append) == [nb_path]
    assert any("stamps.json is damaged" in line for line in log), log
    assert set(json.loads(stamps.read_text())) == {derived.DERIVED_STAMP, display_path(nb_path)}  # and written whole again


def test_a_damaged_notebook_is_named_with_how_to_restore_it(tmp_path, stamps):
    nb_path = tiny(tmp_path, "1 + 1")
    nb_path.write_text(nb_path.read_text()[:50])
    with pytest.raises(notebook_form.BuildError, match=r"00-tiny\.ipynb is not a readable notebook .*git checkout"):
        build.build([nb_path], log=lambda m: None)


def test_write_atomic_leaves_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("old")
    with pytest.raises(UnicodeEncodeError):
        notebook_form.write_atomic(target, "new \udc80")  # fails half-way through encoding
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]


# --- concurrency -----------------------------------------------------------------------------


def test_kernels_use_ipc_sockets_not_tcp_ports(tiny_build):
    nb_path, _ = tiny_build
    assert outputs(nb_path)[0][0].text == "ipc\n"


def test_a_second_build_waits_for_the_lock(tmp_path, stamps):
    nb_path = tiny(tmp_path, "1 + 1")
    lock = stamps.parent / "build.lock"
    log = []
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        worker = threading.Thread(target=build.build, args=([nb_path],), kwargs={"log": log.append})
        worker.start()
        time.sleep(1.0)
        assert any("waiting" in line for line in log), log
        assert not any("started" in line for line in log), log
    worker.join(60)
    assert any("executed" in line for line in log), log


def test_three_builds_at_once_all_succeed_and_agree(tmp_path):
    source = "import time\nfor i in range(4):\n    print(i, flush=True)\n    time.sleep(0.1)"
    runs = []
    for k in range(3):
        folder = tmp_path / f"run{k}"
        folder.mkdir()
        nb_path = tiny(folder, source)
        cmd = [sys.executable, "-c", MAIN_WITH_STAMPS, str(seeded(folder / "stamps.json")), str(nb_path)]
        runs.append((nb_path, subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    results = [(nb_path, proc.communicate(timeout=120), proc.returncode) for nb_path, proc in runs]
    for _, (_, err), code in results:
        assert code == 0, err
        assert "Address already in use" not in err and "TCP" not in err, err
    for nb_path, _, _ in results:
        assert outputs(nb_path) == [[nbformat.v4.new_output("stream", name="stdout", text="0\n1\n2\n3\n")]]


# --- interruption and failure ----------------------------------------------------------------


@pytest.mark.parametrize("parent_ignores_sigint", [False, True], ids=["terminal", "parent-ignores-SIGINT"])
def test_ctrl_c_stops_promptly_writes_nothing_and_says_one_line(tmp_path, parent_ignores_sigint):
    """Also when started by a process that ignores SIGINT (the ignored disposition is inherited)."""
    marker = tmp_path / "kernel.pid"
    nb_path = tiny(tmp_path, f"import os, time\nopen({str(marker)!r}, 'w').write(str(os.getpid()))\ntime.sleep(60)")
    before = nb_path.read_bytes()
    cmd = [sys.executable, "-c", MAIN_WITH_STAMPS, str(seeded(tmp_path / "stamps.json")), str(nb_path)]
    ignore = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if parent_ignores_sigint else None
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True, preexec_fn=ignore)
    deadline = time.monotonic() + 60
    while not (marker.exists() and marker.read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    kernel_pid = int(marker.read_text())
    start = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"the build did not stop within 30 s of Ctrl-C; it printed:\n{out}\n{err}")
    assert time.monotonic() - start < 5
    assert proc.returncode == 130, f"stdout:\n{out}\nstderr:\n{err}"
    assert err.strip().splitlines() == ["[build] interrupted: kernels stopped, no notebook or figure written after the interrupt"]
    assert nb_path.read_bytes() == before
    stamps = tmp_path / "stamps.json"  # the derived tables' stamp it was given, no notebook's
    assert set(json.loads(stamps.read_text(encoding="utf-8"))) == {derived.DERIVED_STAMP}
    with pytest.raises(ProcessLookupError):
        os.kill(kernel_pid, 0)


def test_a_failing_cell_names_the_notebook_once_the_cell_and_the_error_in_plain_text(tmp_path, stamps, figures_elsewhere):
    save = (
        "import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"
        "from belarus_fp.viz.figures import save_figure\nsave_figure(plt.figure(), '00-tiny-figure')"
    )
    nb_path = tiny(tmp_path, save, "x = 1", "1 / 0", "print('never')")
    before = nb_path.read_bytes()
    with pytest.raises(notebook_form.BuildError) as caught:
        build.build([nb_path], log=lambda m: None)
    message = str(caught.value)
    assert message.count("00-tiny.ipynb") == 1
    assert "00-tiny.ipynb: cell 3 of 4 (In [3]) failed: ZeroDivisionError: division by zero" in message
    assert "\x1b" not in message
    assert nb_path.read_bytes() == before  # a failed notebook is not written
    assert not figures_elsewhere.exists() or not any(figures_elsewhere.iterdir())  # nor its figures


def test_timeout_is_a_command_line_option(tmp_path):
    # The cell would sleep for an hour: the build returning at all (within the subprocess's 300 s, however
    # slow a loaded machine starts its kernel) shows the 1 s timeout stopped it; no wall-clock bound needed.
    nb_path = tiny(tmp_path, "import time\ntime.sleep(3600)")
    cmd = [sys.executable, "-c", MAIN_WITH_STAMPS, str(seeded(tmp_path / "stamps.json")), "--timeout", "1", str(nb_path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert "00-tiny.ipynb: cell 1 of 1 (In [1]) did not finish within 1 s (see --timeout)" in proc.stderr


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--jobs", "0"], "--jobs: must be greater than 0 (got 0)"),
        (["--jobs", "two"], "--jobs: 'two' is not a number"),
        (["--timeout", "0"], "--timeout: must be greater than 0 (got 0)"),
        (["--timeout", "-5"], "--timeout: must be greater than 0 (got -5)"),
    ],
)
def test_bad_options_are_refused_with_a_clear_message(argv, message, capsys):
    with pytest.raises(SystemExit) as caught:
        build.main(argv)
    assert caught.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    "name, message", [("README.md", "README.md: not a notebook"), ("nowhere.ipynb", "nowhere.ipynb: no such notebook")]
)
def test_a_path_that_is_not_a_notebook_is_refused(name, message, tmp_path, stamps, capsys, monkeypatch):
    (tmp_path / "README.md").write_text("# not a notebook\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as caught:
        build.main([name])
    assert caught.value.code == 1
    assert message in capsys.readouterr().err


def test_jobs_below_one_is_refused_by_the_api_too(tmp_path):
    with pytest.raises(notebook_form.BuildError, match="jobs must be at least 1"):
        execution.execute_all([tiny(tmp_path, "1")], jobs=0)


def test_no_notebooks_to_build_is_an_error_not_zero_executed(tmp_path, stamps, monkeypatch, capsys):
    monkeypatch.setattr(build.paths, "NOTEBOOKS", tmp_path / "notebooks")
    with pytest.raises(SystemExit) as caught:
        build.main([])
    assert caught.value.code == 1
    assert "no notebooks in" in capsys.readouterr().err


def test_the_build_says_when_each_notebook_starts_and_ends(tiny_build):
    _, log = tiny_build
    assert len(log) == 2
    assert log[0] == "[build] 00-tiny.ipynb: started"
    assert log[1].startswith("[build] 00-tiny.ipynb: executed in ") and log[1].endswith(" s")


def test_a_command_s_process_leaves_out_the_iri_parser_and_still_validates_notebooks():
    """jsonschema's optional rfc3987_syntax builds a parser at import (over a second): commands do without it."""
    code = (
        "import sys, belarus_fp.commands, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); "
        "sys.exit(sys.modules.get('rfc3987_syntax') is not None)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(build.notebooks()[0])], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
