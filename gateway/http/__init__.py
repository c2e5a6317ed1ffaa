"""The HTTP side: the GraphQL view, body limits, request ids, idempotency and pages."""
