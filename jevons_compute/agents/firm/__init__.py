"""Firms: many, alike in their rule, so their state lives in arrays updated at once.

``FirmPopulation`` (``population``) owns the arrays and the vectorized monthly update
(adopt, choose a provider, demand tokens), built from synthetic firms (``synthesis``) with
task economics (``tasks``) and a logit choice of provider (``choice``). ``Firm``
(``views``) is a Mesa agent that is a view of one row.
"""

from jevons_compute.agents.firm.choice import choice_cdf, logit_probabilities
from jevons_compute.agents.firm.population import FirmPopulation
from jevons_compute.agents.firm.tasks import TASK_MINUTES, TASKS_PER_WORKER
from jevons_compute.agents.firm.views import Firm

__all__ = [
    "TASKS_PER_WORKER",
    "TASK_MINUTES",
    "Firm",
    "FirmPopulation",
    "choice_cdf",
    "logit_probabilities",
]
