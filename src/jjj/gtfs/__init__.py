"""GTFS feeds: schema, reading, validation and the typed columns the compiler needs."""

from jjj.gtfs.notices import Notice, Severity
from jjj.gtfs.read import Feed, read_feed

__all__ = ["Feed", "Notice", "Severity", "read_feed"]
