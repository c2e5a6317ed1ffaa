// Runs one cart through Apollo's cache against a served gateway and prints, as JSON, the
// warnings Apollo gave: `node --conditions=development cache-check.mjs URL [--no-policies]`.
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";

import { typePolicies } from "./src/typePolicies.mjs";

const [url, flag] = process.argv.slice(2);
const cache = new InMemoryCache(flag === "--no-policies" ? {} : { typePolicies });
const client = new ApolloClient({ link: new HttpLink({ uri: url }), cache });
const warnings = [];
console.warn = (...args) => warnings.push(args.map(String).join(" "));

const CART = gql`fragment CheckedCart on Cart {
  id version
  cost { subtotalAmount { amount currencyCode } totalAmount { amount currencyCode } }
  lines { id quantity cost { totalAmount { amount currencyCode } } }
}`;
const created = await client.mutate({
  mutation: gql`mutation CheckCreate {
    cartCreate(input: { currencyCode: "USD", lines: [{ sku: "MUG-ORBIT", quantity: 2 }] }) {
      cart { ...CheckedCart }
    }
  } ${CART}`,
});
const id = created.data.cartCreate.cart.id;
// A mutation selecting less of the cost than the cache holds: the case Apollo warns about.
await client.mutate({
  mutation: gql`mutation CheckCodes($id: ID!) {
    cartDiscountCodesUpdate(cartId: $id, discountCodes: ["SAVE10"]) {
      cart { id cost { totalAmount { formatted } } }
    }
  }`,
  variables: { id },
});
const cost = cache.readFragment({ id: cache.identify({ __typename: "Cart", id }),
  fragment: gql`fragment KeptCost on Cart { cost { subtotalAmount { amount } totalAmount { amount formatted } } }` });
process.stdout.write(JSON.stringify({ warnings, cost: cost?.cost ?? null }) + "\n");
