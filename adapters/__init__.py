"""The cart model, money, errors and the CartBackend contract, with one package per vendor."""
