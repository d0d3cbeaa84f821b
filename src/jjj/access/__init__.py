"""Accessibility: travel-time matrices, surfaces and isochrones, population reached,
the one-hour commuting circle and scenarios that change the network."""

__all__: list[str] = []
