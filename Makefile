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

LAB_ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
# JupyterLab opens in notebooks/own/ (git-ignored: one's own notebooks; File > New puts them there).
# tests/browser.py starts the lab with these same options.
LAB_OPTIONS := --FileContentsManager.preferred_dir=notebooks/own
# The lab's settings overrides (lab/overrides.json: no news question, no update check), installed into
# the environment's JupyterLab settings as an overrides.d file of its own (other overrides are untouched).
LAB_OVERRIDES = $$($(PYTHON) -c "import sys; print(sys.prefix)")/share/jupyter/lab/settings/overrides.d
install_overrides = mkdir -p $(LAB_OVERRIDES) && cp lab/overrides.json $(LAB_OVERRIDES)/belarus-fp.json

# $(call step,NAME,COMMAND): run COMMAND, then one line with NAME and its duration (or its failure).
# Status 130 (Ctrl-C) passes through silently: the build has already said it was interrupted.
CLOCK = python3 -c "import sys, time; print(f'{time.time() - float(sys.argv[1]):.1f}' if sys.argv[1:] else time.time())"
define step
@start=$$($(CLOCK)); $(2); status=$$?; secs=$$($(CLOCK) $$start); \
	if [ $$status -eq 0 ]; then echo "[make] $(1): done in $$secs s"; \
	elif [ $$status -ne 130 ]; then echo "[make] $(1): FAILED (exit status $$status) after $$secs s"; fi; \
	exit $$status
endef

.PHONY: all install build test test-fast lint check lab lab-check book book-check bench clean

all: build

install: $(INSTALLED)

ifeq ($(USE_ACTIVE_ENV),1)
$(INSTALLED): pyproject.toml lab/overrides.json
	$(call step,install (the project only into $(shell python -c "import sys; print(sys.prefix)")),$(PYTHON) -m pip install --quiet --no-deps -e . && $(install_overrides) && mkdir -p $(dir $@) && touch $@)
else
$(INSTALLED): pyproject.toml constraints.txt lab/overrides.json
	@printf '%s' "[make] install: .venv with the pinned packages of constraints.txt (about a minute) ... "; \
	start=$$($(CLOCK)); \
	( [ -x $(PYTHON) ] || python3 -m venv .venv ) && \
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --upgrade pip && \
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]' && \
	$(install_overrides) && touch $@; \
	status=$$?; secs=$$($(CLOCK) $$start); \
	if [ $$status -eq 0 ]; then echo "done in $$secs s"; else echo "FAILED (exit status $$status) after $$secs s"; fi; \
	exit $$status
endif

# BUILD_ARGS passes options to the build, e.g. make build BUILD_ARGS='--force notebooks/01-trade-shares.ipynb'
build: install
	$(call step,build,$(PYTHON) -m belarus_fp.build $(BUILD_ARGS))

test: install
	$(call step,test,$(PYTHON) -m pytest -q)

# The tests that neither execute notebooks nor start kernels, subprocesses or installs: for quick edits.
# They run on every core (pytest-xdist; a module's tests stay together, so its fixtures are made once).
test-fast: install
	$(call step,test-fast,$(PYTHON) -m pytest -q -m "not notebooks and not slow" -n auto --dist loadfile)

# Lint and formatting (ruff, pinned in constraints.txt; configured in pyproject.toml). `ruff format` fixes the format.
lint: install
	$(call step,lint,$(PYTHON) -m ruff check && $(PYTHON) -m ruff format --check)

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
