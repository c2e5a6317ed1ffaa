"""Every third-party package the code imports is declared in pyproject.toml.

An import that works only because another dependency happens to pull its package in
breaks the day that dependency stops doing so. The shipped packages may import only the
runtime dependencies; the tests and benchmarks may also import the ``test`` extra.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ("adapters", "gateway", "sandboxes")
CHECKED_ONLY = ("tests", "benchmarks")
FIRST_PARTY = frozenset((*SHIPPED, *CHECKED_ONLY))


def _normalized(name: str) -> str:
    """A distribution name as PEP 503 compares them: PyJWT, pyjwt and py_jwt are one."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _names(requirements: Iterable[str]) -> frozenset[str]:
    found = set()
    for requirement in requirements:
        name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
        assert name is not None, f"not a requirement: {requirement!r}"
        found.add(_normalized(name.group()))
    return frozenset(found)


def _project() -> dict[str, object]:
    project: dict[str, object] = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project


def _runtime() -> frozenset[str]:
    dependencies = _project()["dependencies"]
    assert isinstance(dependencies, list)
    return _names(dependencies)


def _test_extra() -> frozenset[str]:
    extras = _project()["optional-dependencies"]
    assert isinstance(extras, dict)
    return _names(extras["test"])


def _imports(root: Path, folders: Iterable[str]) -> Iterator[tuple[str, Path]]:
    """Each absolute import's dotted name, with the file it is in."""
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            if "node_modules" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        yield alias.name, path
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    # `from pkg import sub` may import the module pkg.sub (namespace packages).
                    for alias in node.names:
                        yield f"{node.module}.{alias.name}", path


@cache
def _distributions() -> dict[str, list[str]]:
    """Top-level module name -> the distributions that install it (reads every one)."""
    return dict(importlib.metadata.packages_distributions())


@cache
def _files(distribution: str) -> frozenset[str]:
    return frozenset(str(file) for file in importlib.metadata.files(distribution) or ())


def _providers(module: str) -> set[str]:
    """The distributions that install ``module`` (for ``a.b.c``, the longest of ``a.b.c``,
    ``a.b``, ``a`` that one of them holds a file for), normalized.
    """
    top = module.partition(".")[0]
    candidates = _distributions().get(top, [])
    if len(candidates) <= 1:
        return {_normalized(name) for name in candidates}
    # A namespace package (opentelemetry) is split over several distributions.
    parts = module.split(".")
    for length in range(len(parts), 0, -1):
        path = "/".join(parts[:length])
        holders = {_normalized(name) for name in candidates
                   if {f"{path}.py", f"{path}/__init__.py"} & _files(name)}
        if holders:
            return holders
    return set()


def _undeclared(root: Path, folders: Iterable[str], declared: frozenset[str]) -> list[str]:
    undeclared = []
    for module, path in _imports(root, folders):
        top = module.partition(".")[0]
        if top in FIRST_PARTY or top in sys.stdlib_module_names:
            continue
        providers = _providers(module)
        if not providers & declared:
            where = path.relative_to(root)
            undeclared.append(f"{where}: {module} (from {sorted(providers) or 'nothing'})")
    return undeclared


def test_the_shipped_packages_import_only_runtime_dependencies() -> None:
    assert _undeclared(ROOT, SHIPPED, _runtime()) == []


def test_the_tests_and_benchmarks_import_only_declared_dependencies() -> None:
    assert _undeclared(ROOT, CHECKED_ONLY, _runtime() | _test_extra()) == []


@pytest.mark.parametrize(("module", "distribution"), [
    ("jwt", "pyjwt"),
    ("yaml", "pyyaml"),
    ("opentelemetry.trace", "opentelemetry-api"),
    ("opentelemetry.sdk.trace", "opentelemetry-sdk"),
    ("opentelemetry.exporter.otlp.proto.http.trace_exporter",
     "opentelemetry-exporter-otlp-proto-http"),
])
def test_an_import_is_traced_to_the_distribution_that_installs_it(
    module: str, distribution: str,
) -> None:
    assert _providers(module) == {distribution}


def test_a_package_installed_only_as_a_dependency_of_another_is_caught(tmp_path: Path) -> None:
    # h11 arrives with uvicorn and httpcore but is declared nowhere.
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "wire.py").write_text("import h11\nfrom httpx import Client\n")
    assert _undeclared(tmp_path, ["probe"], _runtime()) == [
        f"{Path('probe', 'wire.py')}: h11 (from ['h11'])"]
