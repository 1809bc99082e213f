"""The market the agents meet in (pricing, clearing, spill-over), the metrics measured
every month, and ``JevonsModel``, which assembles world, agents, market and metrics."""

from jevons_compute.model.model import JevonsModel, check_scenario

__all__ = ["JevonsModel", "check_scenario"]
