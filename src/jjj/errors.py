"""The one exception tree of jjj.

Every error a user can cause is a :class:`JjjError`; its message names the place
(file, line, field) where that makes sense. Interfaces (CLI, API) catch
``JjjError`` and print its message; anything else is a bug.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AccessError",
    "CardError",
    "FareError",
    "FeedError",
    "JjjError",
    "NetworkError",
    "RoutingError",
    "StreetsError",
]


class JjjError(Exception):
    """Base of every error jjj raises on bad input."""


class FeedError(JjjError):
    """A GTFS feed cannot be read or is unusable.

    ``problems`` holds the individual findings (each with file, line, field) when
    the error comes from validation.
    """

    def __init__(self, message: str, problems: Sequence[object] | None = None) -> None:
        super().__init__(message)
        self.problems: list[object] = list(problems or [])


class NetworkError(JjjError):
    """A compiled network file is missing, corrupt or of an unknown version."""


class RoutingError(JjjError):
    """A journey request cannot be answered (unknown stop, date out of range, ...)."""


class StreetsError(JjjError):
    """A street network (OpenStreetMap extract) cannot be read or has no walkable streets."""


class FareError(JjjError):
    """Fare rules are malformed or a journey cannot be priced."""


class AccessError(JjjError):
    """Accessibility input is unusable (points, grids, polygons, scenarios, places)."""


class CardError(JjjError):
    """A card operation failed for a reason that is not a ledger rejection."""
