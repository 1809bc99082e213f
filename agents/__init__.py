"""The agents of the Jevons compute-market model, one module per kind."""

from agents.firm import Firm, FirmPopulation
from agents.provider import CloudProvider
from agents.vendor import ChipVendor

__all__ = ["ChipVendor", "CloudProvider", "Firm", "FirmPopulation"]
