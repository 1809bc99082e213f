"""The package's architecture: layers with imports only downward and no import circle,
counting every import of the project's modules, at the top of a module or inside a
function."""

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import jevons_compute

PACKAGE = Path(jevons_compute.__file__).parent

#: Bottom to top. A module may import modules of its own layer or of the layers below.
LAYERS = (
    ("jevons_compute._version", "jevons_compute.world"),
    ("jevons_compute.agents",),
    ("jevons_compute.model.market", "jevons_compute.model.metrics"),
    ("jevons_compute.model",),
    ("jevons_compute.experiments.runs",),
    ("jevons_compute.experiments.sweeps",),
    ("jevons_compute.experiments.analysis",),
    ("jevons_compute.experiments.calibration",),
    ("jevons_compute.experiments.discovery",),
    ("jevons_compute.experiments.named",),
    ("jevons_compute.experiments.ui",),
    ("jevons_compute.experiments.cli", "jevons_compute.experiments"),
    ("jevons_compute",),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    """The layer of ``module``: the one naming its longest prefix."""
    best, found = -1, None
    for i, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, found = len(prefix), i
    assert found is not None, module
    return found


def project_imports(path: Path, modules: set[str], own: str | None = None) -> set[str]:
    """The project's modules ``path`` (the module ``own``) imports: ``from pkg import
    module`` counts as the module, ``from module import name`` as the module."""
    tree = ast.parse(path.read_text())
    own = own or module_name(path)
    package = own if path.name == "__init__.py" else own.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        else:
            continue
        for name in names:
            if name.split(".")[0] != "jevons_compute":
                continue
            while name not in modules:  # a name inside a module: the module
                name = name.rpartition(".")[0]
            if name != own:
                found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    files = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(f) for f in files}
    return {module_name(f): project_imports(f, modules) for f in files}


def test_every_module_is_in_a_layer():
    for module in import_graph():
        layer(module)


def test_imports_go_only_downward():
    upward = [
        f"{source} (layer {layer(source)}) imports {target} (layer {layer(target)})"
        for source, targets in import_graph().items()
        for target in targets
        if layer(target) > layer(source)
    ]
    assert not upward, "\n".join(upward)


def test_no_import_circle():
    try:
        list(TopologicalSorter(import_graph()).static_order())
    except CycleError as exc:
        raise AssertionError(f"import circle: {' -> '.join(exc.args[1])}") from None


def test_the_walk_sees_imports_inside_functions(tmp_path):
    """The checker counts an import inside a function (a hidden circle would)."""
    source = PACKAGE / "world" / "technology.py"
    graph = import_graph()
    assert "jevons_compute.world.facts" in graph["jevons_compute.world.technology"]
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from jevons_compute.model.model import JevonsModel\n")
    found = project_imports(probe, set(graph), own="jevons_compute.world.probe")
    assert found == {"jevons_compute.model.model"} and source.exists()
