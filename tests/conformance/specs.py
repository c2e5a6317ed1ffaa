"""The vendors' official OpenAPI documents, patched only where READINGS.md says so.

The files under ``shared/specs`` are never edited: every change is made here, in code,
on the parsed document. Elastic Path's overrides are merged the way its SDK's redocly
build does (lodash ``_.merge``); each reading is a named function over one place in
one document, so a reader can find, for every deviation from the files, its reason.
"""

from __future__ import annotations

import copy
import functools
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from openapi_core import OpenAPI

from adapters.model import Backend
from tests.conformance import readings

ROOT = Path(__file__).resolve().parents[2]
# The shared/ folder beside the checkout (as CI lays it), or wherever CARTGATE_SPECS_DIR says.
SPECS_DIR = Path(os.environ.get("CARTGATE_SPECS_DIR") or ROOT.parent / "shared" / "specs")
NO_SPECS = (f"vendor specs not found at {SPECS_DIR}: set CARTGATE_SPECS_DIR "
            "(README: Vendor specs)")
# The server each vendor's documents declare; requests are re-hosted onto it.
BIGCOMMERCE_HOST = "https://api.bigcommerce.com"
ELASTICPATH_HOST = "https://useast.api.elasticpath.com"

Document = dict[str, Any]
Patch = Callable[[Document], None]


@dataclass(frozen=True)
class Spec:
    """One vendor OpenAPI document, ready to validate against."""

    name: str
    document: Document
    openapi: OpenAPI
    host: str


def lodash_merge(target: Any, source: Any) -> Any:
    """``_.merge(target, source)``: objects and arrays merge deeply, arrays by index."""
    if isinstance(target, dict) and isinstance(source, Mapping):
        for key, value in source.items():
            target[key] = lodash_merge(target[key], value) if key in target else \
                copy.deepcopy(value)
        return target
    if isinstance(target, list) and isinstance(source, list):
        for index, value in enumerate(source):
            if index < len(target):
                target[index] = lodash_merge(target[index], value)
            else:
                target.append(copy.deepcopy(value))
        return target
    # lodash skips `undefined` sources only; YAML has none, so the source wins.
    return copy.deepcopy(source)


def _load_yaml(path: Path) -> Document:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as handle:
        document: Document = yaml.load(handle, Loader=loader)  # a safe loader
    return document


def _operation(document: Document, operation_id: str) -> Document:
    for item in document["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                return operation
    raise KeyError(f"no operation {operation_id} in the document")


def elasticpath_cart_checkout(specs_dir: Path = SPECS_DIR) -> Document:
    """cart_checkout.yaml with the SDK build's component and operation overrides."""
    document = _load_yaml(specs_dir / "elasticpath" / "cart_checkout.yaml")
    overrides = specs_dir / "elasticpath" / "overrides"
    lodash_merge(document, _load_yaml(overrides / "cart_checkout_components.yaml"))
    lodash_merge(document, _load_yaml(overrides / "security-schemes.yaml"))
    readings.ep_bearer_scheme_is_plain_http(document)
    readings.ep_get_cart_include_is_added(document, _load_yaml(overrides / "getACart.yaml"))
    return document


def elasticpath_authentication(specs_dir: Path = SPECS_DIR) -> Document:
    """authentication.yaml with the SDK's unwrapped token response."""
    document = _load_yaml(specs_dir / "elasticpath" / "authentication.yaml")
    override = _load_yaml(specs_dir / "elasticpath" / "overrides" / "createAnAccessToken.yaml")
    readings.ep_token_is_not_wrapped(_operation(document, "CreateAnAccessToken"), override)
    return document


def _build(name: str, document: Document, patches: Sequence[Patch], host: str) -> Spec:
    for patch in patches:
        patch(document)
    return Spec(name=name, document=document, openapi=OpenAPI.from_dict(document), host=host)


@functools.cache
def vendor_specs() -> dict[Backend, dict[str, Spec]]:
    """Every document per vendor, keyed by the path prefix it serves."""
    bigcommerce = SPECS_DIR / "bigcommerce"
    elasticpath = SPECS_DIR / "elasticpath"
    return {
        Backend.BIGCOMMERCE: {
            "/carts": _build("bigcommerce/carts.v3.yml", _load_yaml(bigcommerce / "carts.v3.yml"),
                             readings.BIGCOMMERCE_CARTS, BIGCOMMERCE_HOST),
            "/checkouts": _build("bigcommerce/checkouts.v3.yml",
                                 _load_yaml(bigcommerce / "checkouts.v3.yml"),
                                 readings.BIGCOMMERCE_CHECKOUTS, BIGCOMMERCE_HOST),
            "/catalog": _build("bigcommerce/product-variants_catalog.v3.yml",
                               _load_yaml(bigcommerce / "product-variants_catalog.v3.yml"), [],
                               BIGCOMMERCE_HOST),
        },
        Backend.ELASTIC_PATH: {
            "/oauth": _build("elasticpath/authentication.yaml", elasticpath_authentication(),
                             [], ELASTICPATH_HOST),
            "/v2/settings": _build("elasticpath/settings.yaml",
                                   _load_yaml(elasticpath / "settings.yaml"), [],
                                   ELASTICPATH_HOST),
            "/v2": _build("elasticpath/cart_checkout.yaml", elasticpath_cart_checkout(),
                          readings.ELASTICPATH_CART_CHECKOUT, ELASTICPATH_HOST),
            "/catalog": _build("elasticpath/catalog_view.yaml",
                               _load_yaml(elasticpath / "catalog_view.yaml"), [],
                               ELASTICPATH_HOST),
        },
    }
