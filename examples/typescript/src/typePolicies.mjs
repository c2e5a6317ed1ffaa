// Apollo cache policies for cartgate's types. Cart and CartLine have ids and are normalized;
// CartCost, CartLineCost and Money have none. Without a policy Apollo replaces them on
// every answer and warns that cache data may be lost: they are plain values of their
// parent, so merging is right.
export const typePolicies = {
  CartCost: { merge: true },
  CartLineCost: { merge: true },
  Money: { merge: true },
};
