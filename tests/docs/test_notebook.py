"""The tutorial notebook runs top to bottom on a real Jupyter kernel."""

import nbformat
from nbclient import NotebookClient


def test_the_tutorial_notebook_runs_top_to_bottom(root):
    path = root / "docs" / "tutorial.ipynb"
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error
    outputs = [cell.get("outputs", []) for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.get("execution_count") for cell in notebook.cells if cell.cell_type == "code")
    texts = [o.get("text", "") for out in outputs for o in out if o.get("output_type") == "stream"]
    assert any("price_elasticity=9 is not allowed" in t for t in texts)
    assert any("6 runs, 0 failed" in t for t in texts)
    images = [o for out in outputs for o in out if "image/png" in o.get("data", {})]
    assert len(images) >= 2  # the run's plot and the sweep's plot
    widget = outputs[-1][-1]["data"]
    assert "application/vnd.jupyter.widget-view+json" in widget  # the browser page
