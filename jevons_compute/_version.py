"""The project version: the one place it is written (pyproject.toml reads it from here).
Recorded in every output: summary.json, manifest.json, runs.parquet's metadata."""

__version__ = "0.1.0"
