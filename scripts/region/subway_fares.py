"""GTFS-Fares v2 files (with jjj's regional extensions) for the Beijing Subway feed.

Published rules only (fares_and_card_facts.md; Beijing-Subway-Tools ``fare_rules.json5``):

* Beijing Subway network: ¥3 up to 6 km, ¥4 to 12, ¥5 to 22, ¥6 to 32, then ¥1 per
  started 20 km (``fare_leg_distance_rules.txt``); changing lines inside the paid
  area is one fare on the summed distance (``fare_leg_join_rules.txt``).
* Capital Airport Express: ¥25 flat (``fare_leg_rules.txt``).
* Daxing Airport Express: ¥10 up to 20 km, ¥25 to 30, ¥35 beyond (Tools data).
* Xijiao Line tram: ¥3 up to 6 km, ¥4 beyond (Tools data).
* Yikatong monthly spending discount: 20 % off once ¥100 is spent in the calendar
  month, 50 % from ¥150, none from ¥400 (``fare_spending_discounts.txt``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from region.common import write_csv
from region.subway_source import SubwaySource

if TYPE_CHECKING:
    from region.subway_feed import SubwayFeed

__all__ = ["SUBWAY_NETWORKS", "write_subway_fares"]

#: network_id → (name, Tools lines). Lines not named here are on ``bj_subway``.
SUBWAY_NETWORKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "bj_airport_express": ("Capital Airport Express", ("首都机场线",)),
    "bj_daxing_airport_express": ("Daxing Airport Express", ("大兴机场线",)),
    "bj_xijiao_tram": ("Xijiao Line (tram)", ("西郊线",)),
}
_MEDIA = (("yikatong", "Beijing Yikatong card", 2), ("single_ticket", "Single-journey ticket", 1))

# (product id, name, yuan)
_PRODUCTS = (
    ("bj_subway_3", "Beijing Subway up to 6 km", "3.00"),
    ("bj_subway_4", "Beijing Subway 6 to 12 km", "4.00"),
    ("bj_subway_5", "Beijing Subway 12 to 22 km", "5.00"),
    ("bj_subway_6", "Beijing Subway 22 to 32 km", "6.00"),
    ("bj_subway_plus_1", "Beijing Subway each started 20 km past 32 km", "1.00"),
    ("bj_airport_express", "Capital Airport Express", "25.00"),
    ("bj_daxing_10", "Daxing Airport Express up to 20 km", "10.00"),
    ("bj_daxing_25", "Daxing Airport Express 20 to 30 km", "25.00"),
    ("bj_daxing_35", "Daxing Airport Express beyond 30 km", "35.00"),
    ("bj_xijiao_3", "Xijiao Line up to 6 km", "3.00"),
    ("bj_xijiao_4", "Xijiao Line beyond 6 km", "4.00"),
)

# leg_group_id, network_id, min_distance_m, max_distance_m, step_distance_m,
# step_fare_product_id, fare_product_id
_DISTANCE_RULES = (
    ("bj_subway", "bj_subway", "", 6000, "", "", "bj_subway_3"),
    ("bj_subway", "bj_subway", 6000, 12000, "", "", "bj_subway_4"),
    ("bj_subway", "bj_subway", 12000, 22000, "", "", "bj_subway_5"),
    ("bj_subway", "bj_subway", 22000, 32000, "", "", "bj_subway_6"),
    ("bj_subway", "bj_subway", 32000, "", 20000, "bj_subway_plus_1", "bj_subway_6"),
    ("bj_daxing", "bj_daxing_airport_express", "", 20000, "", "", "bj_daxing_10"),
    ("bj_daxing", "bj_daxing_airport_express", 20000, 30000, "", "", "bj_daxing_25"),
    ("bj_daxing", "bj_daxing_airport_express", 30000, "", "", "", "bj_daxing_35"),
    ("bj_xijiao", "bj_xijiao_tram", "", 6000, "", "", "bj_xijiao_3"),
    ("bj_xijiao", "bj_xijiao_tram", 6000, "", "", "", "bj_xijiao_4"),
)


def network_of(line: str) -> str:
    """The fare network of a Tools line."""
    for network_id, (_, lines) in SUBWAY_NETWORKS.items():
        if line in lines:
            return network_id
    return "bj_subway"


def write_subway_fares(source: SubwaySource, feed: SubwayFeed, out: Path) -> dict[str, int]:
    """Write the fare files into the feed folder ``out``; returns row counts."""
    del source
    counts: dict[str, int] = {}
    networks = [("bj_subway", "Beijing Subway")] + [
        (network_id, name) for network_id, (name, _) in SUBWAY_NETWORKS.items()
    ]
    counts["networks"] = write_csv(
        out / "networks.txt", ["network_id", "network_name"], sorted(networks)
    )
    counts["route_networks"] = write_csv(
        out / "route_networks.txt",
        ["network_id", "route_id"],
        sorted((network_of(line), route_id) for line, route_id in feed.route_ids.items()),
    )
    counts["fare_media"] = write_csv(
        out / "fare_media.txt", ["fare_media_id", "fare_media_name", "fare_media_type"], _MEDIA
    )
    counts["fare_products"] = write_csv(
        out / "fare_products.txt",
        ["fare_product_id", "fare_product_name", "fare_media_id", "amount", "currency"],
        sorted(
            (product, name, media, amount, "CNY")
            for product, name, amount in _PRODUCTS
            for media, _, _ in _MEDIA
        ),
    )
    counts["fare_leg_rules"] = write_csv(
        out / "fare_leg_rules.txt",
        ["leg_group_id", "network_id", "fare_product_id"],
        [("bj_airport_express", "bj_airport_express", "bj_airport_express")],
    )
    counts["fare_leg_distance_rules"] = write_csv(
        out / "fare_leg_distance_rules.txt",
        [
            "leg_group_id",
            "network_id",
            "min_distance_m",
            "max_distance_m",
            "step_distance_m",
            "step_fare_product_id",
            "fare_product_id",
        ],
        _DISTANCE_RULES,
    )
    counts["fare_leg_join_rules"] = write_csv(
        out / "fare_leg_join_rules.txt",
        ["from_network_id", "to_network_id"],
        [("bj_subway", "bj_subway")],
    )
    counts["fare_spending_discounts"] = write_csv(
        out / "fare_spending_discounts.txt",
        [
            "spending_discount_id",
            "network_id",
            "fare_media_id",
            "period",
            "min_spent",
            "currency",
            "discount_percent",
        ],
        [
            ("bj_subway_monthly", "bj_subway", "yikatong", "month", spent, "CNY", percent)
            for spent, percent in (("0.00", 0), ("100.00", 20), ("150.00", 50), ("400.00", 0))
        ],
    )
    return counts
