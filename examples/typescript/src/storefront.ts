// A storefront's cart code on cartgate: Apollo Client 4 with the documents codegen typed.
import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";

import {
  AddLinesDocument,
  type CartFieldsFragment,
  CreateCartDocument,
  ReadCartDocument,
  SetDiscountCodesDocument,
} from "./gql/graphql";
import { typePolicies } from "./typePolicies.mjs";

// CartCost, CartLineCost and Money merged into their parent (see typePolicies.mjs).
export const cache = new InMemoryCache({ typePolicies });

export function storefrontClient(uri = "http://127.0.0.1:8000/graphql"): ApolloClient {
  return new ApolloClient({ link: new HttpLink({ uri }), cache });
}

export class CartError extends Error {}

function cartOf(
  payload: { cart?: CartFieldsFragment | null; userErrors: { code: string; message: string }[] }
    | undefined,
): CartFieldsFragment {
  if (!payload?.cart) {
    const reasons = payload?.userErrors.map((e) => `${e.code}: ${e.message}`) ?? [];
    throw new CartError(reasons.join("; ") || "no cart in the answer");
  }
  return payload.cart;
}

export async function createCart(
  client: ApolloClient, sku: string, quantity: number,
): Promise<CartFieldsFragment> {
  const { data } = await client.mutate({
    mutation: CreateCartDocument,
    variables: { input: { backend: "BIGCOMMERCE", currencyCode: "USD", lines: [{ sku, quantity }] } },
  });
  return cartOf(data?.cartCreate);
}

export async function addLine(
  client: ApolloClient, cart: CartFieldsFragment, sku: string, quantity: number,
): Promise<CartFieldsFragment> {
  const { data } = await client.mutate({
    mutation: AddLinesDocument,
    variables: { cartId: cart.id, lines: [{ sku, quantity }], expectedVersion: cart.version },
  });
  return cartOf(data?.cartLinesAdd);
}

export async function setCodes(
  client: ApolloClient, cartId: string, codes: string[],
): Promise<CartFieldsFragment> {
  // The list replaces every code on the cart: pass the ones to keep too.
  const { data } = await client.mutate({
    mutation: SetDiscountCodesDocument,
    variables: { cartId, codes },
  });
  return cartOf(data?.cartDiscountCodesUpdate);
}

export async function readCart(
  client: ApolloClient, id: string,
): Promise<CartFieldsFragment | null> {
  const { data } = await client.query({ query: ReadCartDocument, variables: { id } });
  return data?.cart ?? null;
}

// Amounts are Decimal strings: show `formatted`, compute with a decimal library, never Number.
export function totalLabel(cart: CartFieldsFragment): string {
  const amount: string = cart.cost.totalAmount.amount;
  return `${cart.cost.totalAmount.formatted} (${amount} ${cart.currencyCode})`;
}

export function lastUpdated(cart: CartFieldsFragment): Date | null {
  const stamp: string | null | undefined = cart.updatedAt;
  return stamp ? new Date(stamp) : null;
}
