"""Limits on what one request may ask: input sizes, query depth, aliases and cost."""
