"""A credential that never shows itself: not in reprs, logs, tracebacks or dict dumps."""

from __future__ import annotations


class Secret:
    """Holds a credential; only ``reveal()`` gives it, at the moment it is sent."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)
