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
    from model.metrics import metrics_markdown

    text = (root / "README.md").read_text()
    start = text.index("<!-- BEGIN METRICS -->\n") + len("<!-- BEGIN METRICS -->\n")
    end = text.index("<!-- END METRICS -->")
    assert text[start:end] == metrics_markdown(), (
        "README.md's metric table is stale: paste `python run.py metrics` between its markers"
    )
