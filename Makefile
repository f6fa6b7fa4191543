# Entry points. `make all` on a fresh clone: environment, install, every notebook, every figure.
#
# Environment: make installs into its own .venv (created with python3), whatever environment is
# active; an active conda env or virtualenv is left untouched. `make all USE_ACTIVE_ENV=1` uses the
# active environment's `python` instead and installs only the project into it (pip --no-deps): its
# packages come from environment.yml (conda) or `pip install -c constraints.txt -e '.[test]'`.
# The install marker is per interpreter (inside .venv, or .build/installed-<prefix hash>).

ifeq ($(USE_ACTIVE_ENV),1)
PYTHON := python
PREFIX_HASH := $(shell python -c "import hashlib, sys; print(hashlib.sha256(sys.prefix.encode()).hexdigest()[:12])")
INSTALLED := .build/installed-$(PREFIX_HASH)
else
PYTHON := .venv/bin/python
INSTALLED := .venv/.installed
endif

# Python may write its bytecode caches (src/**/__pycache__, and pytest's rewritten test modules in
# tests/__pycache__; git ignores both): with PYTHONDONTWRITEBYTECODE set, every test process and kernel
# recompiled the package and the tests, about 2.8 s of CPU each before a first test ran.
unexport PYTHONDONTWRITEBYTECODE

LAB_ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
# JupyterLab opens in notebooks/own/ (git-ignored: one's own notebooks; File > New puts them there).
# tests/browser.py starts the lab with these same options.
LAB_OPTIONS := --FileContentsManager.preferred_dir=notebooks/own

# $(call step,NAME,COMMAND): run COMMAND, then one line with NAME and its duration (or its failure).
# Status 130 (Ctrl-C) passes through silently: the build has already said it was interrupted.
CLOCK = python3 -c "import sys, time; print(f'{time.time() - float(sys.argv[1]):.1f}' if sys.argv[1:] else time.time())"
define step
@start=$$($(CLOCK)); $(2); status=$$?; secs=$$($(CLOCK) $$start); \
	if [ $$status -eq 0 ]; then echo "[make] $(1): done in $$secs s"; \
	elif [ $$status -ne 130 ]; then echo "[make] $(1): FAILED (exit status $$status) after $$secs s"; fi; \
	exit $$status
endef

.PHONY: all install build test test-fast lint format check lab lab-check book book-check bench clean

all: build

install: $(INSTALLED)

# tools/install.py: one progress line per step, nothing else on success (the commands' output goes to
# .build/install.log, shown when a step fails). The packages are installed with uv (pinned in
# constraints.txt, from PyPI), or with pip when uv cannot be had.
ifeq ($(USE_ACTIVE_ENV),1)
$(INSTALLED): pyproject.toml lab/overrides.json tools/install.py
	@python3 tools/install.py --project-only $(PYTHON) --marker $@
else
$(INSTALLED): pyproject.toml constraints.txt lab/overrides.json tools/install.py
	@python3 tools/install.py .venv --marker $@
endif

# BUILD_ARGS passes options to the build, e.g. make build BUILD_ARGS='--force notebooks/01-trade-shares.ipynb'
build: install
	$(call step,build,$(PYTHON) -m belarus_fp.build $(BUILD_ARGS))

# Every tier, on every core: --dist worksteal, because the slow tier's costs sit in a few files (the figure
# builders' file alone is a third of its CPU), which a per-file split leaves on one worker.
test: install
	$(call step,test,$(PYTHON) -m pytest -q -n auto --dist worksteal)

# The tests that neither execute notebooks nor start kernels, subprocesses or installs: for quick edits.
# They run on every core (pytest-xdist; a module's tests stay together, so its fixtures are made once).
test-fast: install
	$(call step,test-fast,$(PYTHON) -m pytest -q -m "not notebooks and not slow" -n auto --dist loadfile)

# Lint, formatting and types (ruff and mypy, pinned in constraints.txt; configured in pyproject.toml).
# `make format` fixes what can be fixed by itself: the fixable lint findings, then the format.
lint: install
	$(call step,lint,$(PYTHON) -m ruff check && $(PYTHON) -m ruff format --check && $(PYTHON) -m mypy)

format: install
	$(call step,format,$(PYTHON) -m ruff check --fix && $(PYTHON) -m ruff format)

# Rebuild everything from scratch, then fail if any committed notebook or figure changed.
check: install
	$(call step,check,$(PYTHON) -m belarus_fp.build --force && \
		git diff --stat --exit-code -- notebooks figures data/derived && \
		untracked=$$(git ls-files --others --exclude-standard -- notebooks figures data/derived) && \
		if [ -n "$$untracked" ]; then echo "untracked build outputs:"; echo "$$untracked"; false; fi && \
		echo "[check] notebooks and figures are byte-identical to the committed ones")

# JupyterLab on the whole repository (data/, notebooks/ and figures/ can be browsed), opening at notebooks/own/.
lab: install
	$(PYTHON) -m jupyter lab --ServerApp.root_dir=. $(LAB_OPTIONS) $(LAB_ROOT_FLAG)

# In headless Chromium: opening each notebook leaves it unmodified, Run All + Save leaves git status
# clean, File > New lands in notebooks/own/, no news question (tests/browser.py; needs chromium).
lab-check: install
	$(call step,lab-check,$(PYTHON) tests/browser.py lab)

# The book: a static HTML site of the executed notebooks (nothing executed), README as landing page,
# a data dictionary from datapackage.json; written to build/book/ (open build/book/index.html).
book: install
	$(call step,book,$(PYTHON) -m belarus_fp.book)

# Screenshots of every page of the book in headless Chromium (.build/screenshots/book/; needs chromium).
book-check: book
	$(call step,book-check,$(PYTHON) tests/browser.py book)

bench: install
	$(call step,bench,$(PYTHON) benchmarks/bench.py)

clean:
	rm -rf .build
