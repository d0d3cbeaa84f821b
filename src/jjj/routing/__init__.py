"""Journey planning on the compiled network: RAPTOR kernels, day views, itineraries."""

__all__: list[str] = []
