"""The GraphQL schema: types, inputs, ids, errors, payloads and the resolvers' context."""
