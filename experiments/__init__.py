"""Experiments: single runs, their files and figures (sweeps build on these)."""
