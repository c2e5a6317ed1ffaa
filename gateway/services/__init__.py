"""Use cases over several backends (transfer, compare), with no GraphQL and no HTTP."""
