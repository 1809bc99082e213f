"""The documentation says what the code does."""

import run


def test_calibration_table_matches_the_parameters(root):
    text = (root / "docs" / "calibration.md").read_text()
    start = text.index("<!-- BEGIN PARAMETERS -->\n") + len("<!-- BEGIN PARAMETERS -->\n")
    end = text.index("<!-- END PARAMETERS -->")
    assert text[start:end] == run.params_markdown(), (
        "docs/calibration.md is stale: regenerate it with `python run.py params --markdown`"
    )


def test_readme_names_the_two_commands_and_ci_runs_the_test_command(root):
    readme = (root / "README.md").read_text()
    assert "./dev run" in readme and "./dev test" in readme
    ci = (root / ".ci" / "run").read_text()
    assert "./dev test" in ci


def test_readme_metric_table_matches_the_metrics(root):
    from jevons_compute.model.metrics.table import metrics_markdown

    text = (root / "README.md").read_text()
    start = text.index("<!-- BEGIN METRICS -->\n") + len("<!-- BEGIN METRICS -->\n")
    end = text.index("<!-- END METRICS -->")
    assert text[start:end] == metrics_markdown(), (
        "README.md's metric table is stale: paste `python run.py metrics` between its markers"
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
    for path in re.findall(r"`((?:model|agents|experiments)/[a-z_]+\.py)`", text):
        assert (root / path).exists(), path


def test_license_citation_and_changelog_agree_with_the_package(root):
    import tomllib

    from jevons_compute import __version__

    pyproject = tomllib.loads((root / "pyproject.toml").read_text())
    assert pyproject["project"]["license"] == "MIT"
    assert (root / "LICENSE").read_text().startswith("MIT License")
    citation = (root / "CITATION.cff").read_text()
    assert f"version: {__version__}\n" in citation and "license: MIT" in citation
    assert f"## {__version__}" in (root / "CHANGELOG.md").read_text()
