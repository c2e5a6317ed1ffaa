"""Metrics, tracing, logs and the per-request telemetry that feeds them."""
