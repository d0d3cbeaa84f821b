"""jjj — one public-transport network for the Beijing–Tianjin–Hebei region (and any GTFS region)."""

from jjj.kernel_cache import configure_kernel_cache

__version__ = "0.1.0"
__all__ = ["__version__"]

configure_kernel_cache()
