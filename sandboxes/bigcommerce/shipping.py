"""The sandbox store's shipping zones and tax rates: a small seeded table, by country.

A zone offers flat-rate methods priced per currency; tax is one rate per country,
charged on the goods after coupons plus the shipping cost (as BigCommerce does when
shipping is taxable). A country with no zone gets no shipping option.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .pricing import quantize


@dataclass(frozen=True, slots=True)
class ShippingMethod:
    """A flat-rate method of one zone; ``id`` is what a consignment selects."""

    id: str
    description: str
    transit_time: str
    costs: dict[str, Decimal]


def _costs(usd: str, eur: str, jpy: str, jod: str) -> dict[str, Decimal]:
    return {"USD": Decimal(usd), "EUR": Decimal(eur), "JPY": Decimal(jpy), "JOD": Decimal(jod)}


ZONES: dict[str, tuple[ShippingMethod, ...]] = {
    "US": (
        ShippingMethod("us-ground", "Ground", "3-5 business days",
                       _costs("7.50", "6.90", "1100", "5.325")),
        ShippingMethod("us-express", "Express", "1-2 business days",
                       _costs("19.00", "17.50", "2800", "13.490")),
    ),
    "DE": (
        ShippingMethod("de-standard", "DHL Paket", "2-4 business days",
                       _costs("6.50", "5.99", "950", "4.615")),
        ShippingMethod("de-express", "DHL Express", "next business day",
                       _costs("16.00", "14.99", "2350", "11.360")),
    ),
}

# Sales tax (US) and VAT (DE), on goods and shipping; countries not listed are not taxed.
TAX_RATES: dict[str, tuple[str, Decimal]] = {
    "US": ("Sales Tax", Decimal("0.0725")),
    "DE": ("MwSt.", Decimal("0.19")),
}


def methods_for(country_code: str) -> tuple[ShippingMethod, ...]:
    """The methods offered to a country."""
    return ZONES.get(country_code.upper(), ())


def shipping_cost(country_code: str, method_id: str | None, currency: str) -> Decimal | None:
    """The cost of the selected method, or None when none (or an unknown one) is selected."""
    method = next((m for m in methods_for(country_code) if m.id == method_id), None)
    if method is None:
        return None
    return quantize(method.costs[currency], currency)


def tax_on(country_code: str, taxable: Decimal, currency: str) -> tuple[str, Decimal] | None:
    """The tax's name and amount on a taxable amount, or None for an untaxed country."""
    entry = TAX_RATES.get(country_code.upper())
    if entry is None:
        return None
    name, rate = entry
    return name, quantize(taxable * rate, currency)
