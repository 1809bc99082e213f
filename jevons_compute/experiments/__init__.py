"""What users do with the model, bottom-up: single runs and their files (``runs``),
sweeps on local processes or a Dask cluster (``sweeps``), their analysis (``analysis``),
history matching and the ensemble (``calibration``), scenario discovery (``discovery``),
the article's claims as named experiments (``named``), the browser UI (``ui``) and the
command line (``cli``)."""
