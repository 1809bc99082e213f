"""Model-level metrics: the table of names, units and meanings (``table``), how each is
shown (``display``), how they are measured each month (``measure``) and the with/without
comparison with the counterfactual twins (``counterfactual``)."""
