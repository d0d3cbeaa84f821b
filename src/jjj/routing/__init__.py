"""Journey planning on the compiled network: RAPTOR kernels, day views, itineraries.

>>> from jjj.routing import Planner                                   # doctest: +SKIP
>>> plan = Planner(network).plan("nyc:101", "40.68,-73.97", "2026-09-15T08:00")  # doctest: +SKIP
>>> plan.to_dict()["journeys"][0]["arrival"]                          # doctest: +SKIP
"""

from jjj.routing.itinerary import Journey, Leg, Place
from jjj.routing.locations import Location, NamedPlace, PlaceResolver
from jjj.routing.planner import Plan, Planner, plan

__all__ = [
    "Journey",
    "Leg",
    "Location",
    "NamedPlace",
    "Place",
    "PlaceResolver",
    "Plan",
    "Planner",
    "plan",
]
