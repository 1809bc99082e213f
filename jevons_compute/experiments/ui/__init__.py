"""The browser UI: a Solara page around the Mesa model (``app`` is the page's module for
``solara run``; ``page`` the widgets, ``controls`` the controls built from the parameter
table, ``charts`` the plots, ``views`` the answer's words and the market network)."""
