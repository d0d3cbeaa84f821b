"""The price of a fare product for one fare medium and rider category.

A ``fare_products.txt`` row with an empty ``fare_media_id`` is usable with any
medium, and one with an empty ``rider_category_id`` by any rider. When several
rows apply, the most specific wins (medium and category given, then medium only,
then category only, then neither); among equally specific rows the cheapest.
"""

from __future__ import annotations

from jjj.fares.model import FareProductRow, FareRules

__all__ = ["PriceTable"]


class PriceTable:
    """Cached ``(product, medium, rider) → row`` lookups."""

    def __init__(self, rules: FareRules) -> None:
        self._products = rules.products
        self._cache: dict[tuple[str, str | None, str | None], FareProductRow | None] = {}

    def get(
        self, product_id: str, media_id: str | None, rider_id: str | None
    ) -> FareProductRow | None:
        """The row that prices ``product_id`` for the medium and rider, or ``None``."""
        key = (product_id, media_id, rider_id)
        try:
            return self._cache[key]
        except KeyError:
            pass
        best: FareProductRow | None = None
        best_rank = 4
        for row in self._products.get(product_id, ()):
            if row.fare_media_id is not None and row.fare_media_id != media_id:
                continue
            if row.rider_category_id is not None and row.rider_category_id != rider_id:
                continue
            rank = (0 if row.fare_media_id is not None else 2) + (
                0 if row.rider_category_id is not None else 1
            )
            if rank < best_rank or (
                rank == best_rank and best is not None and row.amount < best.amount
            ):
                best, best_rank = row, rank
        self._cache[key] = best
        return best
