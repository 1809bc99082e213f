"""The fall of the fixed-capability price in its parts: "costs keep collapsing" as an
outcome with causes, not one rate.

The GPT-4-class tier's price per token at provider p (``set_prices``, after the month's
clearing) is the product

    P_p = 1e6 x F_p x H_p x U x M_p x S_p   (USD per million tokens)

with F_p its FLOPs per token (algorithmic efficiency; the open-weight model's share
blended in where it lands in this tier), H_p the USD per peak FLOP-second of the cheapest
chip on sale to the provider (chip price-performance: capital at the planned utilisation
plus electricity), U = 1 / serving MFU (batching: useful FLOPs per peak FLOP), M_p the
markup factor on cost (1 + markup of the tier's blend of proprietary and open-weight
serving) and S_p the scarcity multiplier the clearing set. The world's price
(``hedonic_price_index``) is the served-token-weighted mean of P_p; its parts are nested
weighted means whose product is that mean exactly:

    F = sum w F / sum w,  H = sum w F H / sum w F,  U = sum w F H U / sum w F H, ...

each part averaged with the weights of the cost built up before it (a provider's share
of the price so far). ``price_fall_<part>`` is the part's step-0 value over this month's,
so the parts' falls multiply to the fall of ``hedonic_price_index`` since step 0.
"""

from __future__ import annotations

import math

#: The parts of the fixed-capability price, in the order they are nested.
PARTS = ("flops_per_token", "hardware", "utilisation", "markup", "scarcity")


def price_parts(providers, weights: list[float], mfu: float) -> dict[str, float]:
    """The world's parts of the GPT-4-class tier's price this month (``PARTS``: FLOP per
    token, USD per peak FLOP-second, peak per useful FLOP, markup and scarcity factors),
    weighted by ``weights`` (tokens served; equal weights where none were served)."""
    values = [
        (p.hedonic_flops, p.rent_per_peak_flop, 1.0 / mfu, p.hedonic_markup, p.scarcity)
        for p in providers
    ]
    level = list(weights) if sum(weights) > 0 else [1.0] * len(providers)
    total = math.fsum(level)
    parts = {}
    for k, name in enumerate(PARTS):
        level = [x * v[k] for x, v in zip(level, values)]
        built = math.fsum(level)
        parts[name] = built / total if total > 0 else math.nan
        total = built
    return parts


class PriceSplit:
    """The price split of ``Metrics`` (a mixin: ``self`` is the Metrics)."""

    price_base: dict[str, float] | None = None

    def price_split(self, providers, weights: list[float], mfu: float) -> dict[str, float]:
        """``price_fall_<part>`` (step-0 value / this month's) and ``serving_mfu``."""
        parts = price_parts(providers, weights, mfu)
        if self.price_base is None:
            self.price_base = parts
        falls = {
            f"price_fall_{name}": self.price_base[name] / parts[name]
            if parts[name] > 0
            else math.nan
            for name in PARTS
        }
        return falls | {"serving_mfu": mfu}
