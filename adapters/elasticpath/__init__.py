"""The CartBackend over Elastic Path's REST v2 carts, catalog and client-credentials auth."""
