# Entry points. `make all` on a fresh clone: environment, install, every notebook, every figure.
# Uses the active virtualenv/conda environment if there is one, else creates .venv with python3.

ifneq ($(or $(VIRTUAL_ENV),$(CONDA_PREFIX)),)
PYTHON := python
INSTALLED := .build/installed-active-env
else
PYTHON := .venv/bin/python
INSTALLED := .venv/.installed
endif

.PHONY: all install build test check lab bench clean

all: build

install: $(INSTALLED)

$(INSTALLED): pyproject.toml constraints.txt
	@if [ ! -x "$(PYTHON)" ] && [ "$(PYTHON)" = ".venv/bin/python" ]; then \
		echo "[make] creating .venv"; python3 -m venv .venv; fi
	@echo "[make] installing belarus_fp and its pinned dependencies (constraints.txt)"
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -c constraints.txt -e '.[test]'
	@mkdir -p $(dir $@) && touch $@

build: install
	$(PYTHON) -m belarus_fp.build

test: install
	$(PYTHON) -m pytest

# Rebuild everything from scratch, then fail if any committed notebook or figure changed.
check: install
	$(PYTHON) -m belarus_fp.build --force
	git diff --stat --exit-code -- notebooks figures
	@untracked=$$(git ls-files --others --exclude-standard -- notebooks figures); \
	if [ -n "$$untracked" ]; then echo "untracked build outputs:"; echo "$$untracked"; exit 1; fi
	@echo "[check] notebooks and figures are byte-identical to the committed ones"

lab: install
	$(PYTHON) -m jupyter lab notebooks/

bench: install
	$(PYTHON) benchmarks/bench.py

clean:
	rm -rf .build
