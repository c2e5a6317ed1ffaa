"""Who may call and what: callers, tokens, trusted documents and fields, rate limits."""
