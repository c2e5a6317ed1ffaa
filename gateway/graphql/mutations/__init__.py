"""The mutations: the cart contract, delivery and tax, and the cross-vendor ones."""
