"""Loads the project's packages as ``jevons_compute.<package>`` from their source files,
pointing their absolute imports of each other (``from model.x import y``) there too."""

from __future__ import annotations

import ast
import importlib.abc
import importlib.util
import sys
from pathlib import Path

PREFIX = "jevons_compute"
#: The project's top-level packages (the design card's folders), found beside this one.
PACKAGES = ("model", "agents", "experiments")
ROOT = Path(__file__).resolve().parent.parent


def _is_project_module(name: str) -> bool:
    return name.split(".")[0] in PACKAGES


class _Rewriter(ast.NodeTransformer):
    """``model...`` -> ``jevons_compute.model...`` in imports and in dotted module names
    given as strings (``import_module("model.model")``)."""

    def visit_ImportFrom(self, node):  # noqa: N802 - ast's naming
        if node.level == 0 and node.module and _is_project_module(node.module):
            node.module = f"{PREFIX}.{node.module}"
        return node

    def visit_Import(self, node):  # noqa: N802
        nodes = []
        for alias in node.names:
            if not _is_project_module(alias.name):
                nodes.append(ast.Import(names=[alias]))
            elif alias.asname:
                nodes.append(ast.Import(names=[ast.alias(f"{PREFIX}.{alias.name}", alias.asname)]))
            else:  # `import model.x` binds `model`: import the module, then bind the root
                root = alias.name.split(".")[0]
                if "." in alias.name:
                    nodes.append(ast.Import(names=[ast.alias(f"{PREFIX}.{alias.name}")]))
                nodes.append(ast.Import(names=[ast.alias(f"{PREFIX}.{root}", root)]))
        return [ast.copy_location(n, node) for n in nodes]

    def visit_Constant(self, node):  # noqa: N802
        value = node.value
        if (
            isinstance(value, str)
            and "." in value
            and _is_project_module(value)
            and all(part.isidentifier() for part in value.split("."))
            and _source(value.split(".")) is not None
        ):
            node.value = f"{PREFIX}.{value}"
        return node


def _source(parts: list[str]) -> tuple[Path, bool] | None:
    """(file, is_package) of the project module named by ``parts``, or None."""
    base = ROOT.joinpath(*parts)
    if (base / "__init__.py").is_file():
        return base / "__init__.py", True
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py"), False
    return None


class _Loader(importlib.abc.SourceLoader):
    def __init__(self, path: Path):
        self.path = str(path)

    def get_filename(self, fullname):
        return self.path

    def get_data(self, path):
        with open(path, "rb") as fh:
            return fh.read()

    # No path_stats: nothing is cached in __pycache__, whose files belong to the plain names.
    def source_to_code(self, data, path, *, _optimize=-1):
        tree = _Rewriter().visit(ast.parse(data, filename=path))
        return compile(ast.fix_missing_locations(tree), path, "exec", dont_inherit=True)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        parts = fullname.split(".")
        if len(parts) < 2 or parts[0] != PREFIX or parts[1] not in PACKAGES:
            return None
        found = _source(parts[1:])
        if found is None:
            return None
        file, is_package = found
        return importlib.util.spec_from_file_location(
            fullname,
            file,
            loader=_Loader(file),
            submodule_search_locations=[str(file.parent)] if is_package else None,
        )


def install() -> None:
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
