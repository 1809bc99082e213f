"""Firm: a Mesa agent that is a view of one row of the model's FirmPopulation, so
``model.agents_by_type[Firm]`` and ``firm.adopted``, ``firm.tokens``, ``firm.provider``
work as for any Mesa agent."""

from __future__ import annotations

import mesa
from mesa.agentset import _HardKeyAgentSet

from jevons_compute.agents.firm.population import FirmPopulation
from jevons_compute.agents.firm.synthesis import SECTOR_NAMES


class Firm(mesa.Agent):
    """One firm agent: a view of row ``index`` of the model's FirmPopulation.

    Each agent stands for ``weight`` real firms of one size, sector, wage and exposure, of
    which ``adopted_share`` have adopted AI (all at ``provider``); ``demand``, ``tokens``
    and ``productivity_gain`` are per real firm of the agent, adopted or not, so
    ``weight`` x any of them is the agent's part of the model's total.
    """

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index

    @classmethod
    def create_views(cls, model, n: int) -> None:
        """Firm agents of rows 0..n-1, registered as ``Firm(model, i)`` one by one would
        register them (the same unique ids, order in ``model.agents`` and agent set), in
        one pass over Mesa's registries (Mesa 3.5): creating 10,000 agents one by one
        took ~8% of a 144-month run. One by one when the model already has firms, or
        anything (a data set, an observer of ``agents``) watches registrations."""
        registry = getattr(model, "_agents_by_type", None)
        everyone = getattr(model, "_all_agents", None)
        subscribers = getattr(model, "subscribers", None)
        watched = (
            cls._datasets or subscribers is None or any(key[0] == "agents" for key in subscribers)
        )
        if (
            watched
            or not isinstance(registry, dict)
            or cls in registry
            or not isinstance(everyone, _HardKeyAgentSet)
            or getattr(model, "_batch_context", None) is not None
        ):
            for i in range(n):
                cls(model, i)
            return
        first = model.agent_id_counter
        agents = [cls.__new__(cls) for _ in range(n)]
        for i, agent in enumerate(agents):
            agent.model, agent.unique_id, agent.pos, agent.index = model, first + i, None, i
        model.agent_id_counter = first + n
        everyone._agents.update(dict.fromkeys(agents))
        if agents:
            registry[cls] = _HardKeyAgentSet(agents, random=model.random)

    @property
    def _pop(self) -> FirmPopulation:
        return self.model.firms

    @property
    def region(self) -> str:
        return self._pop.regions[self._pop.region[self.index]]

    @property
    def sector(self) -> str:
        return SECTOR_NAMES[self._pop.sector[self.index]]

    @property
    def weight(self) -> float:
        """Real firms this agent stands for."""
        return float(self._pop.weight[self.index])

    @property
    def employees(self) -> float:
        return float(self._pop.employees[self.index])

    @property
    def wage(self) -> float:
        """USD per employee-month."""
        return float(self._pop.wage[self.index])

    @property
    def exposure(self) -> float:
        """Share of the firm's work AI can do."""
        return float(self._pop.exposure[self.index])

    @property
    def adopted(self) -> bool:
        """Whether any of the agent's firms adopted."""
        return bool(self._pop.adopted[self.index])

    @property
    def adopted_share(self) -> float:
        """Share of the agent's real firms that adopted AI."""
        return float(self._pop.share[self.index])

    @property
    def provider(self):
        """The chosen CloudProvider agent, or None before adoption."""
        slot = self._pop.slot[self.index]
        return self.model.providers[slot - 1] if slot > 0 else None

    @property
    def demand(self) -> float:
        """Tokens per month a firm of the agent asks for on average at its provider's price."""
        pop, i = self._pop, self.index
        per_worker = pop.tokens_per_worker[pop.cell[i], pop.slot[i]]
        return float(pop.workers[i] * pop.share[i] * per_worker)

    @property
    def tokens(self) -> float:
        """Tokens per month a firm of the agent is served on average (after rationing; at
        other providers too when it spilled over)."""
        pop, i = self._pop, self.index
        if pop.spilled is not None:
            return float(
                pop.workers[i] * pop.share[i] * pop.spilled.tokens[pop.cell[i], pop.slot[i]]
            )
        return self.demand * float(pop.served_share[pop.slot[self.index]])

    @property
    def productivity_gain(self) -> float:
        """USD per month a firm of the agent gains from AI on average (0 before adoption)."""
        pop = self._pop
        if not self.adopted:
            return 0.0
        i, slot = self.index, pop.slot[self.index]
        if pop.spilled is not None:
            return float(pop.workers[i] * pop.share[i] * pop.spilled.value[pop.cell[i], slot])
        if pop.economics is None:
            gain = pop.gain_usd[i]
        else:
            gain = pop.workers[i] * pop.value_per_worker[pop.cell[i], slot]
        return float(gain * pop.share[i] * pop.served_share[slot])
