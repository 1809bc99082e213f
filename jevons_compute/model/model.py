"""JevonsModel: firms, cloud providers and chip vendors in a monthly compute market."""

from __future__ import annotations

import math

import mesa
import numpy as np

from jevons_compute.agents.consumer import ConsumerMarket
from jevons_compute.agents.firm import Firm, FirmPopulation, choice_cdf
from jevons_compute.agents.grid import RegionGrid
from jevons_compute.agents.provider import CloudProvider
from jevons_compute.agents.vendor import ChipVendor
from jevons_compute.model.market.clearing import clear
from jevons_compute.model.market.pricing import price_task_classes, set_prices
from jevons_compute.model.metrics.measure import Metrics
from jevons_compute.model.metrics.table import (
    COUNTERFACTUAL_METRICS,
    MAY_BE_UNDEFINED,
    METRICS,
    REGION_COLUMNS,
)
from jevons_compute.world.facts import VENDORS
from jevons_compute.world.parameters import BY_NAME as PARAMETERS_BY_NAME
from jevons_compute.world.parameters import ParameterError
from jevons_compute.world.presets import PRESETS
from jevons_compute.world.scenario import JevonsScenario, check_duration
from jevons_compute.world.technology import (
    COUNTERFACTUALS,
    SOURCES,
    EfficiencyPaths,
    capability_tiers,
    release_month,
)

# Stable seed-stream ids: adding an agent of one kind leaves the others' draws unchanged.
_FIRM_SETUP, _FIRM_STEP, _FIRM_INITIAL_ADOPTION, _PROVIDER = 1, 2, 101, 1000
#: Providers start with capacity for at least this share of eligible firms' demand.
MIN_INITIAL_MARKET = 0.01
#: The marginal twin scales the studied log efficiency gain by (1 - MARGINAL_DELTA).
MARGINAL_DELTA = 0.1


class JevonsModel(mesa.Model):
    """The Jevons compute-market model (one step = one month, step 0 = January of start_year).

    Build it from a scenario or keyword arguments, as any Mesa model::

        model = JevonsModel(JevonsScenario(rng=42, n_firms=2000))
        model = JevonsModel(rng=42, price_elasticity=1.5)
        model.run_for(144)
        df = model.datacollector.get_model_vars_dataframe()

    Attributes:
        vendors, providers: the ChipVendor and CloudProvider agents (lists, fixed order).
        grids: the RegionGrid of each simulated region (same order as ``regions``).
        firms: the FirmPopulation arrays behind the Firm agents.
        consumers: the ConsumerMarket (users by region and their tokens by provider).
        tiers: the capability tiers (release month, horizon, FLOPs per token at release,
            tokens per task); tier_quality their logit utility; tier_flops the FLOPs per
            token of each released tier's proprietary model this month; open_tier the tier
            the open-weight model lands in (the frontier tier at shock_step).
        offers: region -> [(vendor, chip, USD per peak FLOP-second)] on sale this month.
        serving_mfu: useful share of peak FLOP/s when serving this month (``EfficiencyPaths.
            serving_mfu``): providers' cost per useful FLOP is their rent over it.
        reference_price: USD per Mtok at step 0, where firms' reference demand is set.
        metrics: this month's model-level metrics (names in model.metrics.METRICS).
    """

    def __init__(
        self,
        scenario: JevonsScenario | None = None,
        *,
        rng=None,
        counterfactual: str = "algo",
        marginal: bool = True,
        paths: EfficiencyPaths | None = None,
        firm_agents: bool = True,
        **params,
    ):
        """Build the model, and its counterfactual twins unless ``counterfactual='none'``.

        Args:
            scenario: the parameters; or give them as keywords (``rng=42, n_firms=500``).
            counterfactual: the efficiency source the twin freezes: ``algo`` (algorithmic
                progress and the open-weight shock), ``shock`` (the shock alone),
                ``hardware`` (chips' cost and energy per FLOP), ``all``, or ``none``.
            marginal: also run the marginal twin (log gain of the source x 0.9), which
                gives ``jevons_elasticity``.
            paths: efficiency paths to follow instead of the scenario's (used for twins).
            firm_agents: create the ``Firm`` Mesa agents (views of the firm arrays); twins
                skip them, their arrays are in ``twin.firms``.
        """
        if counterfactual not in COUNTERFACTUALS:
            raise ParameterError(
                f"counterfactual={counterfactual!r} is not allowed: use one of "
                + ", ".join(repr(c) for c in COUNTERFACTUALS)
                + "."
            )
        if scenario is None:
            scenario = JevonsScenario(rng=rng, **params)
        elif params or rng is not None:
            raise TypeError("pass either a scenario or keyword parameters, not both")
        if not isinstance(scenario.rng, int | np.integer):
            # a whole-number seed, so that the twins can replay the same random streams
            seed = int(np.random.default_rng(scenario.rng).integers(2**63))
            scenario = JevonsScenario._unchecked(seed, scenario.parameters())
        super().__init__(scenario=scenario)
        s = scenario
        self.regions = tuple(s.regions.split(","))
        check_scenario(s)
        self.counterfactual = counterfactual
        self.paths = paths or EfficiencyPaths.of(s)
        self.tiers = capability_tiers(s)
        horizon = self.tiers.horizon_minutes
        self.tier_quality = s.capability_value * np.log(horizon / horizon[0])
        # firms' entry cost of each task class at step 0 (task creation's reference)
        self.class_entry_reference = None
        self.task_offers = None  # firms' offers this month (model/market/pricing.py)
        self.tier_task_cache = {}  # tiers released -> tiers' success and tokens by class
        self.open_tier = max(self.tiers.released(s.shock_step) - 1, 0)
        seed = self.rng.bit_generator.seed_seq
        streams = lambda i: np.random.default_rng(
            np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, i))
        )

        self.vendors = [ChipVendor(self, line) for line in VENDORS[s.vendor_set]]
        self.providers = [
            CloudProvider(
                self,
                self.regions[i % len(self.regions)],
                "premium" if (i // len(self.regions)) % 2 == 0 else "aggressive",
                streams(_PROVIDER + i),
            )
            for i in range(s.n_providers)
        ]
        self.grids = [RegionGrid(self, region) for region in self.regions]
        for grid in self.grids:
            for p in self.providers:
                if p.region == grid.region:
                    p.grid = grid
        self._offer_releases = None  # vendors' release months behind self.offers
        self.offers = {}
        self._rents = {}  # (vendor, region) -> (chip, premium, rent) last computed
        self.serving_mfu = s.inference_mfu  # useful share of peak FLOP/s serving, this month
        self.firm_rng = streams(_FIRM_STEP)
        self.firms = FirmPopulation(s, self.regions, len(self.providers), streams(_FIRM_SETUP))
        self.consumers = ConsumerMarket(s, self.regions)
        if firm_agents:
            Firm.create_views(self, self.firms.n)

        self._advance_technology(0)
        set_prices(self.providers, 0)
        self._price_tasks()
        self.firms.price(self.providers, s)
        probs = self.firms.probs
        expected = self.firms.expected_price(probs, self.providers)
        firm_weight = self.firms.weight_by_region()
        reachable = np.isfinite(expected) & (firm_weight > 0)
        self.reference_price = float(
            (expected[reachable] * firm_weight[reachable]).sum() / firm_weight[reachable].sum()
        )
        self.firms.adopt_initial(
            s.initial_adoption, expected, choice_cdf(probs), streams(_FIRM_INITIAL_ADOPTION)
        )
        # expected step-0 demand: firms for which adoption pays x max(initial adoption, 1%),
        # by the regions' choice probabilities (not which agents happened to adopt), and
        # the consumers'
        firm_tokens = self.firms.expected_demand(
            self.providers, self.reference_price, s, max(s.initial_adoption, MIN_INITIAL_MARKET)
        )
        consumer_tokens = self.consumers.ask(s, self.providers, probs, 0).sum(axis=0)
        consumer_revenue = self.consumers.revenue()
        for p, firm, consumer, revenue in zip(
            self.providers, firm_tokens, consumer_tokens, consumer_revenue
        ):
            p.seed_fleet(firm + consumer, (consumer, float(revenue)))
        for grid in self.grids:
            grid.open_contracts([p for p in self.providers if p.grid is grid])
        self.twin = self.marginal_twin = None
        if counterfactual != "none":
            frozen = SOURCES[counterfactual]
            self.twin = self._twin(EfficiencyPaths.of(s, frozen, 0.0))
            if marginal:
                self.marginal_twin = self._twin(EfficiencyPaths.of(s, frozen, 1 - MARGINAL_DELTA))
        self.metrics_tracker = Metrics(self)
        self.metrics = self.metrics_tracker.measure(clear(self), 0)
        check_finite(self)
        self.datacollector = MetricsCollector(
            model_reporters={name: _reporter(name) for name in METRICS}
        )
        self.running = True
        self.datacollector.collect(self)

    def run_for(self, duration) -> None:
        """Run ``duration`` whole months; anything else is a ParameterError."""
        super().run_for(check_duration(duration))

    def _twin(self, paths: EfficiencyPaths) -> JevonsModel:
        """The same scenario and seed on other efficiency paths, every rule active."""
        scenario = JevonsScenario._unchecked(self.scenario.rng, self.scenario.parameters())
        return JevonsModel(scenario, counterfactual="none", paths=paths, firm_agents=False)

    # --- the month
    def step(self) -> None:
        """One month: technology, grid power, chips, prices, firms' decisions, consumers'
        diffusion, clearing, data.

        The twins take the same month first (same rules, same random draws). A month whose
        state leaves the finite range raises NonFiniteError (one sentence)."""
        try:
            self._month()
        except ParameterError:
            raise
        except (OverflowError, ZeroDivisionError, ValueError) as exc:
            # a float too large for an integer, or math on an infinity or NaN
            if isinstance(exc, ValueError) and "math domain" not in str(exc):
                raise
            raise NonFiniteError(_left_finite_range(self, self.steps, f"{exc}")) from None

    def _month(self) -> None:
        for twin in (self.twin, self.marginal_twin):
            if twin is not None:
                twin.step()
        t = self.steps
        self._advance_technology(t)
        for p in self.providers:
            p.retire_chips(t)
        for grid in self.grids:
            grid.connect(t)
        for v in self.vendors:
            v.ship(t)
        # providers in a random order: AgentSet.shuffle's draw, without the new AgentSet
        providers = self.agents_by_type[CloudProvider]
        order = list(providers)
        providers.random.shuffle(order)
        for p in order:
            p.cancel_foreign_orders(t)
            p.cancel_financed_orders(t)
            p.order_chips(t)
        hosts = [p for p in self.providers if p.may_host_open_model()]
        adopted_share = sum(p.open_adopted for p in hosts) / len(hosts) if hosts else 0.0
        for p in self.providers:
            p.adopt_open_model(t, adopted_share)
        set_prices(self.providers, t)  # every provider's prices at once
        self._price_tasks()
        self.firms.step(self.scenario, self.providers, self.firm_rng)
        self.consumers.diffuse(self.scenario, self.firms.probs)
        self.metrics = self.metrics_tracker.measure(clear(self), t)
        check_finite(self)
        self.datacollector.collect(self)

    def _advance_technology(self, t: int) -> None:
        """Algorithmic progress, chips on sale to each region, providers' replacement costs
        (the last two recomputed only when a vendor releases a generation)."""
        s = self.scenario
        self.tier_flops = self.tiers.flops_per_token(t, self.paths.algo_gain, s.floor_ratio)
        mfu = self.paths.serving_mfu(s, t)
        # offers change only when a vendor releases a generation or re-prices; costs also
        # with the serving MFU
        releases = tuple((release_month(v.line, t, s), v.premium) for v in self.vendors)
        if releases == self._offer_releases:
            if mfu != self.serving_mfu:
                self.serving_mfu = mfu
                for p in self.providers:
                    p.update_costs(self.offers[p.region])
            return
        self._offer_releases = releases
        mfu_moved = mfu != self.serving_mfu
        self.serving_mfu = mfu
        before = self.offers
        self.offers = {}
        moved = set()  # regions whose offers changed (a vendor that re-priced sells there)
        for region in self.regions:
            offers = []
            for vendor in self.vendors:
                chip = vendor.offer(region, t)
                if chip is not None:
                    offers.append((vendor, chip, self._rent(vendor, region, chip)))
            if offers != before.get(region):
                moved.add(region)
            self.offers[region] = offers
        for p in self.providers:  # costs follow from the offers and the MFU alone
            if mfu_moved or p.region in moved:
                p.update_costs(self.offers[p.region])

    def _rent(self, vendor, region: str, chip) -> float:
        """``chip.rent_per_peak_flop_second`` at the vendor's premium, recomputed only
        when the chip or the premium changed."""
        rents = self._rents
        cached = rents.get((vendor, region))
        if cached is not None and cached[0] is chip and cached[1] == vendor.premium:
            return cached[2]
        rent = chip.rent_per_peak_flop_second(self.scenario, vendor.premium)
        rents[vendor, region] = (chip, vendor.premium, rent)
        return rent

    def _price_tasks(self) -> None:
        """Providers' prices per task class (firms' tasks: task_value only)."""
        if self.scenario.demand_model == "task_value":
            price_task_classes(self.providers, self)

    def open_model_released(self, t: int) -> bool:
        return self.scenario.shock_factor > 1.0 and t >= self.scenario.shock_step


def _reporter(name: str):
    reporter = lambda m: m.metrics[name]
    reporter.metric = name
    return reporter


class MetricsCollector(mesa.DataCollector):
    """Mesa's DataCollector; its model reporters made by ``_reporter`` are read from
    ``model.metrics`` without Mesa's deepcopy of each value (a metric is a plain float,
    int or str, ``Metrics.measure``: immutable). With any other reporter, Mesa collects."""

    _plain: tuple | None = None  # the reporters last found to be all ``_reporter``'s

    def collect(self, model) -> None:
        reporters = tuple(self.model_reporters.items())
        key = (reporters, tuple(self.agent_reporters), tuple(self.agenttype_reporters))
        if key != self._plain:
            if (
                self.agent_reporters
                or self.agenttype_reporters
                or any(getattr(r, "metric", None) != name for name, r in reporters)
            ):
                super().collect(model)
                return
            self._plain = key
        self._collection_steps.append(model.time)
        self._validated = True
        metrics = model.metrics
        for name, values in self.model_vars.items():
            values.append(metrics[name])


class NonFiniteError(ParameterError):
    """The model's state left the finite range (an infinity, or NaN where a metric is
    defined): the run stops, naming the month, the metric and the parameters set."""


def check_finite(model: JevonsModel) -> None:
    """Stop a run whose month's metrics are not all finite (NaN allowed only where a
    metric is undefined: ``MAY_BE_UNDEFINED``, regions not simulated, no twin)."""
    metrics = model.metrics
    for name in METRICS:
        value = metrics[name]
        if not isinstance(value, float) or math.isfinite(value):
            continue
        if value != value and _may_be_nan(model, name):
            continue
        raise NonFiniteError(_left_finite_range(model, metrics["step"], f"{name} = {value}"))


def _left_finite_range(model: JevonsModel, month: int, what: str) -> str:
    return (
        f"the run left the finite range in month {month} ({what}), with "
        f"{_set_parameters(model.scenario)}: use less extreme values (smaller growth rates, "
        "efficiency gains or elasticities, or fewer steps)."
    )


def _may_be_nan(model: JevonsModel, name: str) -> bool:
    region = name.rsplit("_", 1)[-1]
    if region in REGION_COLUMNS and region.upper() not in model.regions:
        return True
    return name in MAY_BE_UNDEFINED or (model.twin is None and name in COUNTERFACTUAL_METRICS)


def _set_parameters(s: JevonsScenario) -> str:
    """The parameters that differ both from their defaults and from the default preset
    (what the user changed)."""
    preset = PRESETS["default"]
    changed = [
        f"{k}={v!r}"
        for k, v in s.parameters().items()
        if v != PARAMETERS_BY_NAME[k].default and v != preset.get(k, PARAMETERS_BY_NAME[k].default)
    ]
    return ", ".join(changed) if changed else "the default parameters"


def check_scenario(s: JevonsScenario) -> None:
    """Reject parameter combinations the model cannot run (ParameterError, one sentence)."""
    regions = s.regions.split(",")
    if s.n_firms < len(regions):
        raise ParameterError(
            f"n_firms={s.n_firms} is too few for {len(regions)} regions ({s.regions}): use at "
            f"least {len(regions)} firms or fewer regions."
        )
    if s.inference_mfu_growth > 1 and s.inference_mfu_max < s.inference_mfu:
        raise ParameterError(
            f"inference_mfu_max={s.inference_mfu_max:g} is below inference_mfu="
            f"{s.inference_mfu:g}: serving MFU grows toward its bound, so give a bound of at "
            "least the starting MFU."
        )
    lines = VENDORS[s.vendor_set]
    for region in regions:
        sellers = [
            line
            for line in lines
            if not (line["region"] == "US" and region == "CN" and s.export_controls == "strict")
        ]
        if not sellers:
            raise ParameterError(
                f"vendor_set={s.vendor_set!r} with export_controls={s.export_controls!r} leaves "
                f"providers in {region} without any chip: choose vendor_set='default' or "
                "other export controls."
            )
