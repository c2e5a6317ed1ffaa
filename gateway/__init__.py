"""The GraphQL face of the carts: HTTP app, GraphQL schema, settings and the CLI."""
