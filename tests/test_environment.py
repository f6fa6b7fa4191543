"""environment.yml (conda) holds the same packages as pyproject.toml at the versions of constraints.txt."""

import re
import tomllib

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
        if isinstance(dep, dict):
            assert dep == {"pip": ["-e ."]}
            continue
        name, _, version = dep.partition("=")
        if name in ("python", "pip"):
            continue
        conda[_key(CONDA_NAMES.get(name, name))] = version
    assert set(conda) == wanted, f"only in environment.yml: {set(conda) - wanted}; only in pyproject: {wanted - set(conda)}"
    for name, version in conda.items():
        assert pins.get(name) == version, f"{name}: environment.yml {version} vs constraints.txt {pins.get(name)}"
