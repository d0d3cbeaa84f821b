"""jjj — one public-transport network for the Beijing–Tianjin–Hebei region (and any GTFS region)."""

__version__ = "0.1.0"
__all__ = ["__version__"]
