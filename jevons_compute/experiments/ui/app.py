"""The browser UI of the Jevons compute-market model (a Solara page around the Mesa model).

Start it with ``jevons-compute ui`` (which serves the offline front-end files), or
``solara run jevons_compute/experiments/ui/app.py``. The page lives in experiments/ui/:
``page`` (widgets), ``controls`` (controls from the parameter table, settings ->
scenario, the reproducing command), ``charts`` (the table of plots, as Vega-Lite 5) and
``views`` (the answer's words, the market network's data).
"""

from jevons_compute.experiments.ui.page import Page

__all__ = ["Page", "page"]

#: The page as an element, for a notebook cell (docs/tutorial.ipynb shows it inline).
page = Page()
