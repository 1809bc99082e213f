"""The documentation says what the code does: the generated tables are current, the ODD
names only parameters, metrics and files that exist, the licence, citation and changelog
agree with the package."""

from jevons_compute.experiments.cli.run_commands import params_markdown, uncertain_markdown


def between_markers(text: str, name: str) -> str:
    start = text.index(f"<!-- BEGIN {name} -->\n") + len(f"<!-- BEGIN {name} -->\n")
    return text[start : text.index(f"<!-- END {name} -->")]


def test_calibration_tables_match_the_parameters(root):
    text = (root / "docs" / "calibration.md").read_text()
    assert between_markers(text, "PARAMETERS") == params_markdown(), (
        "docs/calibration.md is stale: regenerate it with `jevons-compute params --markdown`"
    )
    assert between_markers(text, "UNCERTAIN") == uncertain_markdown(), (
        "docs/calibration.md is stale: paste `jevons-compute params --uncertain` between its "
        "markers"
    )


def test_readme_names_the_two_commands_and_ci_runs_the_test_command(root):
    readme = (root / "README.md").read_text()
    assert "./dev run" in readme and "./dev test" in readme
    ci = (root / ".ci" / "run").read_text()
    assert "./dev test" in ci


def test_the_metric_table_matches_the_metrics(root):
    from jevons_compute.model.metrics.table import metrics_markdown

    text = (root / "docs" / "metrics.md").read_text()
    assert between_markers(text, "METRICS") == metrics_markdown(), (
        "docs/metrics.md's metric table is stale: paste `jevons-compute metrics` between its "
        "markers"
    )


def test_odd_names_only_parameters_metrics_and_files_that_exist(root):
    """docs/odd.md describes the model: every parameter or metric it names in backticks
    exists, so renaming one without updating the description fails here."""
    import re

    from jevons_compute.model.metrics.table import METRICS
    from jevons_compute.world.parameters import BY_NAME

    text = (root / "docs" / "odd.md").read_text()
    names = set(re.findall(r"`([a-z][a-z0-9_]*_[a-z0-9_]+)`", text))
    choices = {c for p in BY_NAME.values() for c in (p.choices or ())}
    known = set(BY_NAME) | set(METRICS) | choices
    unknown = {n for n in names if n not in known}
    assert not unknown, f"docs/odd.md names what the model does not have: {sorted(unknown)}"
    paths = re.findall(r"`(jevons_compute/[a-z_/]*[a-z_](?:\.py|/))`", text)
    assert paths  # the ODD names the package's modules
    for path in paths:
        assert (root / path).is_dir() if path.endswith("/") else (root / path).is_file(), path


def test_license_citation_and_changelog_agree_with_the_package(root):
    import tomllib

    from jevons_compute import __version__

    pyproject = tomllib.loads((root / "pyproject.toml").read_text())
    assert pyproject["project"]["license"] == "MIT"
    assert (root / "LICENSE").read_text().startswith("MIT License")
    citation = (root / "CITATION.cff").read_text()
    assert f"version: {__version__}\n" in citation and "license: MIT" in citation
    assert f"## {__version__}" in (root / "CHANGELOG.md").read_text()
