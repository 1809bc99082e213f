"""CloudProvider: one agent whose parts live in their own modules: its ``fleet`` of chip
cohorts, its ``procurement`` of chips and power, and its ``serving`` (training, clearing,
energy); ``provider`` holds the agent, its costs and prices, and the open model."""

from jevons_compute.agents.provider.fleet import Cohort
from jevons_compute.agents.provider.provider import CloudProvider
from jevons_compute.agents.provider.serving import MAX_SCARCITY

__all__ = ["MAX_SCARCITY", "CloudProvider", "Cohort"]
