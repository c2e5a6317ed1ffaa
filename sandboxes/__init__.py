"""Simulators of the vendors' APIs served over real HTTP, their faults and the loopback server."""
