"""The agents of the Jevons compute-market model, one module per kind."""

from jevons_compute.agents.firm import Firm, FirmPopulation
from jevons_compute.agents.provider import CloudProvider
from jevons_compute.agents.vendor import ChipVendor

__all__ = ["ChipVendor", "CloudProvider", "Firm", "FirmPopulation"]
