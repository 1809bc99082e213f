#!/usr/bin/env python3
"""The command line of the Jevons compute-market model (``jevons-compute --help``)."""

import sys

from jevons_compute.experiments.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
