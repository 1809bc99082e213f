"""The browser UI: see experiments/app.py."""
