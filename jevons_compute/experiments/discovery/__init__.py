"""Scenario discovery: where in parameter space efficiency backfires (PRIM from the EMA
Workbench, or a CART tree)."""
