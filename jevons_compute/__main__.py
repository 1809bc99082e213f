"""``python -m jevons_compute``: the command line (the same as ``jevons-compute``)."""

import sys

from jevons_compute.experiments.cli.main import main

sys.exit(main())
