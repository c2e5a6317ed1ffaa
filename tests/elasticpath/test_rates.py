"""The operator's rate table: the example file loads, and a bad file stops the gateway at
start with one line naming the entry.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from adapters.elasticpath.rates import RateTableError, load_rate_table, parse_rate_table
from adapters.elasticpath.wiring import ElasticPathSettings
from adapters.model import Backend
from sandboxes.elasticpath import SANDBOX_SHIPPING_RATES
from tests.conftest import gateway_settings

EXAMPLE = Path(__file__).parents[2] / "examples" / "elasticpath-shipping-rates.json"


def test_the_example_prices_each_zone_per_currency() -> None:
    table = load_rate_table(EXAMPLE)
    assert [(o.handle, o.cost.amount) for o in table.options("de", "EUR")] == [
        ("de-standard", Decimal("5.99")), ("de-express", Decimal("14.99"))]
    assert [str(o.cost.amount) for o in table.options("AT", "JOD")] == ["4.615", "11.360"]
    assert [str(o.cost.amount) for o in table.options("US", "JPY")] == ["1100", "2800"]
    assert table.options("FR", "EUR") == ()
    assert table.options("US", "GBP") == ()  # no price in that currency: not offered
    assert load_rate_table(SANDBOX_SHIPPING_RATES) == table


def _zone(**option: Any) -> dict[str, Any]:
    base = {"handle": "std", "title": "Standard", "prices": {"USD": "5.00"}}
    return {"zones": [{"countries": ["US"], "options": [{**base, **option}]}]}


@pytest.mark.parametrize(("document", "says"), [
    ([], "expected an object with a list of zones"),
    (_zone(prices={"USD": "5.005"}), "zones[0].options[0].prices.USD: 5.005 is not exact"),
    (_zone(prices={"JPY": "10.5"}), "prices.JPY: 10.5 is not exact in JPY"),
    (_zone(prices={"USD": 5}), "write amounts as strings"),
    (_zone(prices={"XXQ": "1"}), "'XXQ' is not an ISO 4217 code"),
    (_zone(prices={"USD": "-1"}), "'-1' is not an amount"),
    (_zone(handle="has space"), "handle must be"),
    ({"zones": [{"countries": ["US"], "options": []},
                {"countries": ["US"], "options": []}]}, "US is in an earlier zone too"),
    ({"zones": [{"countries": ["usa"], "options": []}]}, "'usa' is not an upper-case"),
])
def test_a_bad_table_names_the_entry(document: Any, says: str) -> None:
    with pytest.raises(RateTableError, match=None) as caught:
        parse_rate_table(document, "rates.json")
    assert says in str(caught.value)
    assert str(caught.value).startswith("rates.json")


def test_the_setting_is_checked_at_start(tmp_path: Path) -> None:
    bad = tmp_path / "rates.json"
    bad.write_text(json.dumps(_zone(prices={"USD": "1.001"})), encoding="utf-8")
    with pytest.raises(ValidationError, match="prices.USD: 1.001 is not exact"):
        gateway_settings(elasticpath_shipping_rates=str(bad))
    with pytest.raises(ValidationError, match="cannot read the rate table"):
        gateway_settings(elasticpath_shipping_rates=str(tmp_path / "missing.json"))
    good = tmp_path / "good.json"
    good.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    checked = gateway_settings(elasticpath_shipping_rates=str(good))
    elasticpath = checked.vendor_settings(Backend.ELASTIC_PATH)
    assert isinstance(elasticpath, ElasticPathSettings)
    assert elasticpath.shipping_rates == str(good)
