"""What the fare engine prices: a journey as a sequence of legs.

The engine defines its own input types so that it depends on no planner: the
application layer turns an itinerary (or a day of card taps) into
:class:`FareLeg` objects. Times are either timezone-aware datetimes, which the
engine converts to the local time of the stop, or naive datetimes already in
local time (a date plus a local time of day).

The JSON form read by ``jjj fare --journey`` is described in ``docs/fares.md``
and parsed by :func:`journey_from_dict`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from jjj.errors import FareError

__all__ = ["FareJourney", "FareLeg", "journey_from_dict"]


@dataclass(frozen=True, slots=True)
class FareLeg:
    """One ride on one vehicle (or one route) between two stops.

    Attributes
    ----------
    from_stop_id, to_stop_id:
        GTFS stop ids where the rider boards and alights (platforms or stations).
    departure, arrival:
        The boarding and alighting times; naive values are local times.
    route_id:
        The route ridden; gives the network through ``routes.network_id`` or
        ``route_networks.txt``.
    network_id:
        The network, when known directly (overrides the route's network).
    agency_id:
        The operating agency (informative).
    distance_m:
        The distance travelled in metres, for distance-based extension rules.
    station_count:
        The number of stations travelled (adjacent stations = 1), for
        station-count extension rules.
    """

    from_stop_id: str
    to_stop_id: str
    departure: dt.datetime
    arrival: dt.datetime
    route_id: str | None = None
    network_id: str | None = None
    agency_id: str | None = None
    distance_m: float | None = None
    station_count: int | None = None


@dataclass(frozen=True, slots=True)
class FareJourney:
    """A journey: legs in travel order.

    ``spent_in_period`` is the rider's spending so far in the current period of a
    spending-discount scheme (minor units), when a discount should be applied.
    """

    legs: tuple[FareLeg, ...]
    spent_in_period: int | None = None


_CLOCK = re.compile(r"^\s*(\d{1,3}):([0-5]\d):([0-5]\d)\s*$")


def _text(data: dict[str, Any], key: str, where: str, *, required: bool) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise FareError(f"{where}: missing {key!r}")
        return None
    if not isinstance(value, str | int):
        raise FareError(f"{where}: {key!r} must be a string")
    return str(value).strip()


def _moment(value: object, day: dt.date | None, key: str, where: str) -> dt.datetime:
    if not isinstance(value, str) or not value.strip():
        raise FareError(f"{where}: missing {key!r} (ISO datetime or HH:MM:SS with a date)")
    clock = _CLOCK.match(value)
    if clock:
        if day is None:
            raise FareError(f"{where}: {key!r} is a time of day, so the leg needs a 'date'")
        hours, minutes, seconds = (int(g) for g in clock.groups())
        midnight = dt.datetime.combine(day, dt.time())
        return midnight + dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)
    try:
        return dt.datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise FareError(f"{where}: {key!r} is not an ISO datetime: {value!r}") from exc


def _number(data: dict[str, Any], key: str, where: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise FareError(f"{where}: {key!r} must be a number")
    try:
        number = float(value)
    except ValueError as exc:
        raise FareError(f"{where}: {key!r} must be a number, not {value!r}") from exc
    if number < 0 or number != number:
        raise FareError(f"{where}: {key!r} must be a non-negative number")
    return number


def _leg(data: object, index: int, journey_day: dt.date | None, label: str) -> FareLeg:
    where = f"{label}: legs[{index}]"
    if not isinstance(data, dict):
        raise FareError(f"{where}: each leg must be an object")
    from_stop = _text(data, "from_stop_id", where, required=True) or ""
    to_stop = _text(data, "to_stop_id", where, required=True) or ""
    day_text = _text(data, "date", where, required=False)
    day = journey_day
    if day_text is not None:
        try:
            day = dt.date.fromisoformat(day_text)
        except ValueError as exc:
            raise FareError(f"{where}: 'date' is not YYYY-MM-DD: {day_text!r}") from exc
    departure = _moment(data.get("departure"), day, "departure", where)
    arrival = _moment(data.get("arrival"), day, "arrival", where)
    if (departure.tzinfo is None) != (arrival.tzinfo is None):
        raise FareError(f"{where}: departure and arrival must both have a UTC offset or neither")
    if arrival < departure:
        raise FareError(f"{where}: arrival {arrival} is before departure {departure}")
    stations = _number(data, "station_count", where)
    if stations is not None and stations != int(stations):
        raise FareError(f"{where}: 'station_count' must be a whole number")
    return FareLeg(
        from_stop_id=from_stop,
        to_stop_id=to_stop,
        departure=departure,
        arrival=arrival,
        route_id=_text(data, "route_id", where, required=False),
        network_id=_text(data, "network_id", where, required=False),
        agency_id=_text(data, "agency_id", where, required=False),
        distance_m=_number(data, "distance_m", where),
        station_count=None if stations is None else int(stations),
    )


def journey_from_dict(data: object, *, label: str = "journey") -> FareJourney:
    """Build a :class:`FareJourney` from its JSON form (see ``docs/fares.md``).

    ``spent_in_period`` is read as minor units when an integer and as a decimal
    amount (e.g. ``"103.50"``) when a string.

    Raises
    ------
    FareError
        If a field is missing or malformed; the message names ``label`` and the leg.
    """
    if not isinstance(data, dict):
        raise FareError(f"{label}: must be a JSON object with a 'legs' list")
    legs_data = data.get("legs")
    if not isinstance(legs_data, list) or not legs_data:
        raise FareError(f"{label}: 'legs' must be a non-empty list")
    day_text = _text(data, "date", label, required=False)
    journey_day = None
    if day_text is not None:
        try:
            journey_day = dt.date.fromisoformat(day_text)
        except ValueError as exc:
            raise FareError(f"{label}: 'date' is not YYYY-MM-DD: {day_text!r}") from exc
    legs = tuple(_leg(leg, i, journey_day, label) for i, leg in enumerate(legs_data))
    spent_value = data.get("spent_in_period")
    spent: int | None = None
    if spent_value is not None:
        spent = _spent(spent_value, label)
    return FareJourney(legs=legs, spent_in_period=spent)


def _spent(value: object, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise FareError(f"{label}: 'spent_in_period' must be minor units or a decimal string")
    if isinstance(value, int):
        if value < 0:
            raise FareError(f"{label}: 'spent_in_period' must not be negative")
        return value
    match = re.fullmatch(r"\s*(\d+)(?:\.(\d{1,2}))?\s*", value)
    if match is None:
        raise FareError(f"{label}: 'spent_in_period' is not an amount: {value!r}")
    whole, cents = match.group(1), (match.group(2) or "").ljust(2, "0")
    return int(whole) * 100 + int(cents)
