"""Calibration: the observed series (``observed``), history matching with emulators
(``history_matching``) and the calibrated ensemble's projections (``ensemble``)."""
