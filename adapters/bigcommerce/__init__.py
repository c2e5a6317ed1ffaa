"""The CartBackend over BigCommerce's REST v3 cart, checkout and catalog APIs."""
