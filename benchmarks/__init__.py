"""Scripts that measure the gateway and print figures (`make bench`), never timed tests."""
