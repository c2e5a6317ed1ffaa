"""The readings chosen where a vendor document contradicts itself or is silent.

Each is named as in READINGS.md, changes one place, and says which operations it may
affect, so the report can show, per row, which readings that row relied on. Nothing
here loosens validation as a whole. A name starting ``DEFECT-`` is not a reading but a
known sandbox defect whose fix lies outside this package (READINGS.md says where).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from openapi_schema_validator import (
    OAS30Validator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)

from adapters.model import Backend

Document = dict[str, Any]


@dataclass(frozen=True)
class Reading:
    """One named patch over one vendor document, and the operations it can affect."""

    name: str
    operations: frozenset[str]
    apply: Callable[[Document], None]

    def __call__(self, document: Document) -> None:
        self.apply(document)


def ep_get_cart_include_is_added(document: Document, override: Document) -> None:
    """getACart.yaml's ``include`` parameter is appended, not index-merged (READINGS.md)."""
    operation = document["paths"]["/v2/carts/{cartID}"]["get"]
    assert operation["operationId"] == "getACart"
    operation["parameters"] = [*operation.get("parameters", []),
                               *copy.deepcopy(override["parameters"])]


def ep_token_is_not_wrapped(operation: Document, override: Document) -> None:
    """createAnAccessToken.yaml replaces the 200 schema: the token is not under ``data``."""
    operation["responses"]["200"] = copy.deepcopy(override["responses"]["200"])


def ep_bearer_scheme_is_plain_http(document: Document) -> None:
    """The overrides give the http ``bearerAuth`` scheme apiKey's ``name``/``in``: dropped."""
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    scheme.pop("name", None)
    scheme.pop("in", None)


def _schemas(document: Document) -> dict[str, Any]:
    schemas: dict[str, Any] = document["components"]["schemas"]
    return schemas


def _base_item(document: Document, name: str) -> dict[str, Any]:
    base: dict[str, Any] = _schemas(document)[name]["allOf"][0]
    assert base["title"] == "Base Item"
    return base


def _nullable_as_in_checkouts(document: Document) -> None:
    for name in ("ItemPhysicalGet", "ItemDigitalGet"):
        parent_id = _base_item(document, name)["properties"]["parent_id"]
        assert parent_id["type"] == "string" and "nullable" not in parent_id
        parent_id["nullable"] = True
    gift_wrapping = _base_item(document, "ItemPhysicalGet")["properties"]["gift_wrapping"]
    assert gift_wrapping["type"] == "object" and "nullable" not in gift_wrapping
    gift_wrapping["nullable"] = True


def _line_item_any_of(document: Document) -> None:
    post = _schemas(document)["Cart_Line_Item_Update_Post"]["properties"]["line_items"]
    put = _schemas(document)["Cart_Line_Item_Update_Put"]["properties"]["line_item"]
    for schema in (post, put):
        schema["anyOf"] = schema.pop("oneOf")


NUMERIC = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}]}


def _custom_item_numbers_in_cart(document: Document) -> None:
    properties = _schemas(document)["ItemCustomGet"]["properties"]
    for name in ("quantity", "list_price"):
        assert properties[name]["type"] == "string"
        properties[name] = {**copy.deepcopy(NUMERIC), "description": properties[name].get(
            "description", "")}


def _custom_item_numbers_in_checkout(document: Document) -> None:
    cart = _schemas(document)["Checkout"]["properties"]["cart"]
    properties = cart["properties"]["line_items"]["properties"]["custom_items"]["items"][
        "properties"]
    for name in ("quantity", "list_price"):
        assert properties[name]["type"] == "number"
        properties[name] = copy.deepcopy(NUMERIC)


def _uuid_format(document: Document) -> None:
    cart_id = _schemas(document)["Cart_Full"]["properties"]["id"]
    parameters = document["components"]["parameters"]
    for schema in (cart_id, parameters["cartId"]["schema"], parameters["cart_id"]["schema"]):
        assert schema["format"] == "UUID"
        schema["format"] = "uuid"


def _no_body_when_content_is_empty(document: Document) -> None:
    for item in document["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for response in operation.get("responses", {}).values():
                if response.get("content") == {}:
                    del response["content"]


def _item_answers_are_not_requests(document: Document) -> None:
    # Only the fields a client must send are dropped from `required`; their types stay.
    for answer_name, data_name, request_only in (
        ("PromotionItemCartObject", "PromotionItemObjectData", "code"),
        ("CustomItemCartObject", "CustomItemObjectData", "price"),
    ):
        answer = _schemas(document)[answer_name]
        assert answer["allOf"][0] == {"$ref": f"#/components/schemas/{data_name}"}
        data = copy.deepcopy(_schemas(document)[data_name])
        data["required"] = [name for name in data["required"] if name != request_only]
        answer["allOf"][0] = data


def _cart_metafield_list_is_a_collection(document: Document) -> None:
    answer = document["paths"]["/carts/{cart_id}/metafields"]["get"]["responses"]["200"]
    content = answer["content"]["application/json"]
    assert answer["description"].strip() == "An array of metafields and metadata."
    assert content["schema"] == {"$ref": "#/components/schemas/MetafieldResponse"}
    content["schema"] = {"$ref": "#/components/schemas/MetaFieldCollectionResponse_Batch"}


def _promotion_banners_are_a_list(document: Document) -> None:
    banners = _schemas(document)["Cart_Full"]["properties"]["promotions"]["properties"]["banners"]
    assert banners["type"] == "object" and banners["title"] == "Banner"
    _schemas(document)["Cart_Full"]["properties"]["promotions"]["properties"]["banners"] = {
        "type": "array", "items": banners}


def _custom_discount_amount_is_number_or_object(document: Document) -> None:
    amount = _schemas(document)["CartsCustomDiscountsObject"]["properties"]["amount"]
    assert amount["type"] == "object" and {"type": "number", "examples": [-1000]} in [
        {k: v for k, v in option.items() if k in ("type", "examples")}
        for option in amount["oneOf"]]
    del amount["type"]


def _bulk_custom_discount_names_its_item(document: Document) -> None:
    request = _schemas(document)["CustomDiscountRelationshipsCartItemRequest"]
    assert request["required"] == ["type", "id"]
    item = request["properties"]["relationships"]["properties"]["item"]["properties"]["data"]
    assert "required" not in item
    del request["required"]
    item["required"] = ["type", "id"]

def _bulk_update_required_per_item(document: Document) -> None:
    # The schema's properties are `data` (the items) and `options`; its `required: [id,
    # quantity]` can only mean each item's, as the single-item update and the prose say.
    bulk = _schemas(document)["BulkUpdateCartsItems"]
    assert bulk["required"] == ["id", "quantity"] and set(bulk["properties"]) == {
        "data", "options"}
    bulk["properties"]["data"]["items"]["required"] = bulk.pop("required")


def _bulk_tax_id_is_read_only(document: Document) -> None:
    # Each bulk tax entry is `allOf` the tax item (whose `id` is readOnly: the vendor
    # makes it) and CartItemRelationship, which requires `id`: a new tax item has none.
    entry = _schemas(document)["CartsBulkTaxes"]["properties"]["data"]["items"]["allOf"]
    assert entry[1] == {"$ref": "#/components/schemas/CartItemRelationship"}
    assert _schemas(document)["CartsItemsTaxesObject"]["properties"]["id"]["readOnly"]
    relationship = copy.deepcopy(_schemas(document)["CartItemRelationship"])
    assert relationship["required"] == ["type", "id"]
    relationship["required"] = ["type"]
    entry[1] = relationship


def _ops(*names: str) -> frozenset[str]:
    return frozenset(names)


BC_CART_ANSWERS = _ops("GET /carts/{cartId}", "POST /carts", "PUT /carts/{cartId}",
                       "POST /carts/{cartId}/items", "PUT /carts/{cartId}/items/{itemId}",
                       "DELETE /carts/{cartId}/items/{itemId}")
BC_METAFIELDS = _ops("GET /carts/{cart_id}/metafields", "POST /carts/{cart_id}/metafields",
                     "PUT /carts/{cart_id}/metafields/{metafield_id}",
                     "DELETE /carts/{cart_id}/metafields/{metafield_id}")
BC_CHECKOUT_ANSWERS = _ops("POST /checkouts/{checkoutId}/coupons",
                           "DELETE /checkouts/{checkoutId}/coupons/{couponCode}")
EP_ITEM_ANSWERS = _ops("GET /v2/carts/{cartID}", "POST /v2/carts/{cartID}/items",
                       "PUT /v2/carts/{cartID}/items/{cartitemID}",
                       "DELETE /v2/carts/{cartID}/items/{cartitemID}")

EP_CUSTOM_DISCOUNT_WRITES = _ops(
    "POST /v2/carts/{cartID}/custom-discounts",
    "PUT /v2/carts/{cartID}/custom-discounts/{customdiscountID}",
    "POST /v2/carts/{cartID}/items/{cartitemID}/custom-discounts",
    "PUT /v2/carts/{cartID}/items/{cartitemID}/custom-discounts/{customdiscountID}")

BIGCOMMERCE_CARTS: list[Reading] = [
    Reading("bc-nullable-as-in-checkouts", BC_CART_ANSWERS, _nullable_as_in_checkouts),
    Reading("bc-line-item-any-of", _ops("POST /carts/{cartId}/items",
                                        "PUT /carts/{cartId}/items/{itemId}"), _line_item_any_of),
    Reading("bc-custom-item-numbers", BC_CART_ANSWERS, _custom_item_numbers_in_cart),
    Reading("bc-uuid-format", BC_CART_ANSWERS | BC_METAFIELDS | _ops("DELETE /carts/{cartId}"),
            _uuid_format),
    Reading("bc-promotion-banners-list", BC_CART_ANSWERS, _promotion_banners_are_a_list),
    Reading("bc-cart-metafield-list", _ops("GET /carts/{cart_id}/metafields"),
            _cart_metafield_list_is_a_collection),
]
BIGCOMMERCE_CHECKOUTS: list[Reading] = [
    Reading("bc-custom-item-numbers", BC_CHECKOUT_ANSWERS, _custom_item_numbers_in_checkout),
]
ELASTICPATH_CART_CHECKOUT: list[Reading] = [
    Reading("ep-empty-content-is-no-body",
            _ops("DELETE /v2/carts/{cartID}", "DELETE /v2/carts/{cartID}/discounts/{promoCode}",
                 "POST /v2/carts/{cartID}/relationships/customers",
                 "DELETE /v2/carts/{cartID}/relationships/customers",
                 "DELETE /v2/carts/{cartID}/taxes"),
            _no_body_when_content_is_empty),
    Reading("ep-item-answers-are-not-requests", EP_ITEM_ANSWERS, _item_answers_are_not_requests),
    Reading("ep-custom-discount-amount", EP_CUSTOM_DISCOUNT_WRITES,
            _custom_discount_amount_is_number_or_object),
    Reading("ep-bulk-custom-discount-item", _ops("POST /v2/carts/{cartID}/custom-discounts"),
            _bulk_custom_discount_names_its_item),
    Reading("ep-bulk-update-required-per-item", _ops("PUT /v2/carts/{cartID}/items"),
            _bulk_update_required_per_item),
    Reading("ep-bulk-tax-id-read-only", _ops("POST /v2/carts/{cartID}/taxes"),
            _bulk_tax_id_is_read_only),
]
# Applied while the document is assembled (specs.py), so listed here for the report only.
ELASTICPATH_OVERRIDES: list[Reading] = [
    Reading("ep-include-appended", _ops("GET /v2/carts/{cartID}"), lambda document: None),
    Reading("ep-token-not-wrapped", _ops("POST /oauth/access_token"), lambda document: None),
]


def scoped(vendor: Backend, operation: str) -> set[str]:
    """The names of the document readings that may affect ``operation``."""
    lists = (BIGCOMMERCE_CARTS + BIGCOMMERCE_CHECKOUTS if vendor is Backend.BIGCOMMERCE
             else ELASTICPATH_CART_CHECKOUT + ELASTICPATH_OVERRIDES)
    return {reading.name for reading in lists if operation in reading.operations}


# Where each document's undeclared error statuses find their envelope: (document, schema).
# checkouts.v3.yml defines none of its own, so BigCommerce's carts.v3 one serves both.
ERROR_ENVELOPES: dict[str, tuple[str, str]] = {
    "bigcommerce/carts.v3.yml": ("bigcommerce/carts.v3.yml", "ErrorResponse"),
    "bigcommerce/checkouts.v3.yml": ("bigcommerce/carts.v3.yml", "ErrorResponse"),
    "elasticpath/cart_checkout.yaml": ("elasticpath/cart_checkout.yaml", "Response.ErrorResponse"),
    "elasticpath/authentication.yaml": ("elasticpath/authentication.yaml", "ErrorResponse"),
    "elasticpath/settings.yaml": ("elasticpath/settings.yaml", "ErrorResponse"),
}


def undeclared_status(document_name: str, template: str, status: int, data: bytes | None,
                      documents: Mapping[str, Document]) -> tuple[str, Iterator[Exception]]:
    """The reading for a status the operation does not declare, and the body's errors."""
    if status < 400:
        return "undeclared-success", iter([LookupError(
            f"{template} does not declare {status}; only error statuses may be undeclared"
        )])
    source, schema_name = ERROR_ENVELOPES[document_name]
    return "undeclared-error", _schema_errors(documents[source], schema_name, data)


def _schema_errors(document: Document, schema_name: str,
                   data: bytes | None) -> Iterator[Exception]:
    try:
        body = json.loads(data or b"")
    except ValueError as exc:
        yield exc
        return
    schema = {"$ref": f"#/components/schemas/{schema_name}",
              "components": document["components"]}
    if document["openapi"].startswith("3.0"):
        validator: Any = OAS30Validator(schema, format_checker=oas30_format_checker)
    else:
        validator = OAS31Validator(schema, format_checker=oas31_format_checker)
    yield from validator.iter_errors(body)
