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


def test_license_citation_and_changelog_agree_with_the_package(root):
    import tomllib

    from jevons_compute import __version__

    pyproject = tomllib.loads((root / "pyproject.toml").read_text())
    assert pyproject["project"]["license"] == "MIT"
    assert (root / "LICENSE").read_text().startswith("MIT License")
    citation = (root / "CITATION.cff").read_text()
    assert f"version: {__version__}\n" in citation and "license: MIT" in citation
    assert f"## {__version__}" in (root / "CHANGELOG.md").read_text()
