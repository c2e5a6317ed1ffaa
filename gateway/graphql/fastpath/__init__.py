"""The fast path: documents that ran cleanly, compiled to skip graphql-core's executor."""
