"""The GTFS schedule files in one declarative place: columns, types, presence, keys.

Transcribed from the GTFS reference (revision of April 2026). Every file the
specification defines as a ``.txt`` table is here, including GTFS-Fares v2
(``fare_media``, ``fare_products``, ``fare_leg_rules``, ``fare_leg_join_rules``,
``fare_transfer_rules``, ``rider_categories``, ``timeframes``, ``areas``,
``stop_areas``, ``networks``, ``route_networks``), Flex (``location_groups``,
``location_group_stops``, ``booking_rules``) and the rest.

The validator reads this table to check required files and columns, value
types and ranges, enum values, primary keys and foreign keys. Conditional
rules ("required if ...") are marked :attr:`Presence.CONDITIONAL` here and
checked in code, one rule per check.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "EXTENDED_ROUTE_TYPES",
    "FILES",
    "ROUTE_TYPES",
    "Field",
    "FieldType",
    "FileSpec",
    "Presence",
    "Sign",
    "file_spec",
]


class FieldType(StrEnum):
    """The value types of the GTFS reference ("Field Types")."""

    ID = "id"
    TEXT = "text"
    URL = "url"
    EMAIL = "email"
    PHONE = "phone"
    LANGUAGE = "language"
    TIMEZONE = "timezone"
    CURRENCY = "currency"
    CURRENCY_AMOUNT = "currency_amount"
    COLOR = "color"
    DATE = "date"
    #: Service time ``H:MM:SS``; hours may exceed 23.
    TIME = "time"
    #: Wall-clock time ``H:MM:SS``; at most ``24:00:00`` (timeframes).
    LOCAL_TIME = "local_time"
    INTEGER = "integer"
    FLOAT = "float"
    LATITUDE = "latitude"
    LONGITUDE = "longitude"
    #: An integer from a fixed set of values (:attr:`Field.allowed`).
    ENUM = "enum"


class Presence(StrEnum):
    """Whether a file or field must be there ("Presence" in the reference)."""

    REQUIRED = "required"
    CONDITIONAL = "conditional"
    RECOMMENDED = "recommended"
    OPTIONAL = "optional"


class Sign(StrEnum):
    """Sign constraints on numbers ("Field Signs" in the reference)."""

    NON_NEGATIVE = "non_negative"
    POSITIVE = "positive"
    NON_ZERO = "non_zero"


@dataclass(frozen=True)
class Field:
    """One column of a GTFS file.

    Attributes
    ----------
    name:
        The column name, e.g. ``"stop_lat"``.
    type:
        The value type.
    presence:
        ``REQUIRED`` means the column must be in the header and every row must
        have a value (unless ``empty_ok``); ``CONDITIONAL`` rules are checked in code.
    allowed:
        The valid values of an ``ENUM`` field.
    sign:
        A sign constraint on an ``INTEGER`` or ``FLOAT`` field.
    references:
        ``(file, column)`` pairs this foreign ID may point into; a value is valid
        if it is found in any of them.
    empty_ok:
        A required column whose empty value has a meaning (e.g. ``transfers``
        in ``fare_attributes.txt``: empty means unlimited).
    weak_reference:
        A dangling value only makes its row inert (a fare rule for a zone no stop
        is in) rather than breaking the feed: reported as a warning, not an error.
    """

    name: str
    type: FieldType
    presence: Presence = Presence.OPTIONAL
    allowed: frozenset[int] | None = None
    sign: Sign | None = None
    references: tuple[tuple[str, str], ...] = ()
    empty_ok: bool = False
    weak_reference: bool = False

    @property
    def column_required(self) -> bool:
        """Whether the column must appear in the file's header."""
        return self.presence is Presence.REQUIRED


@dataclass(frozen=True)
class FileSpec:
    """One GTFS file.

    Attributes
    ----------
    name:
        The file name, e.g. ``"stops.txt"``.
    presence:
        Whether the feed must contain it (conditional rules are checked in code).
    fields:
        Its columns in the order of the reference.
    primary_key:
        The columns that identify a row; ``("*",)`` means all columns present
        in the file; ``()`` means the file may hold only one row.
    """

    name: str
    presence: Presence
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]

    def field(self, name: str) -> Field | None:
        """The field called ``name``, or ``None`` if the reference has no such column."""
        for item in self.fields:
            if item.name == name:
                return item
        return None

    @property
    def field_names(self) -> tuple[str, ...]:
        """Every column the reference defines for this file."""
        return tuple(item.name for item in self.fields)


_T = FieldType
_REQ = Presence.REQUIRED
_COND = Presence.CONDITIONAL
_REC = Presence.RECOMMENDED
_NN = Sign.NON_NEGATIVE
_POS = Sign.POSITIVE


def _enum(*values: int) -> frozenset[int]:
    return frozenset(values)


def _ref(*targets: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for target in targets:
        file, column = target.split(".txt.")
        pairs.append((f"{file}.txt", column))
    return tuple(pairs)


#: The basic route types of the reference.
ROUTE_TYPES = _enum(0, 1, 2, 3, 4, 5, 6, 7, 11, 12)
#: Google's extended (HVT) route types, widely used by European feeds and
#: accepted by OpenTripPlanner and others; valid here too.
EXTENDED_ROUTE_TYPES = frozenset(
    (
        *range(100, 118),  # railway
        *range(200, 210),  # coach
        *range(400, 406),  # urban railway
        *range(700, 717),  # bus
        800,  # trolleybus
        *range(900, 907),  # tram
        1000,  # water transport
        1100,  # air
        1200,  # ferry
        *range(1300, 1308),  # aerial lift
        1400,  # funicular
        *range(1500, 1508),  # taxi
        1700,  # miscellaneous
        1702,  # horse-drawn carriage
    )
)

_SERVICE_REF = _ref("calendar.txt.service_id", "calendar_dates.txt.service_id")
_NETWORK_REF = _ref("routes.txt.network_id", "networks.txt.network_id")
_ZONE_REF = _ref("stops.txt.zone_id")
_PICKUP = _enum(0, 1, 2, 3)
_WHEELCHAIR = _enum(0, 1, 2)
_BOOL = _enum(0, 1)

_FILE_LIST: tuple[FileSpec, ...] = (
    FileSpec(
        "agency.txt",
        _REQ,
        (
            Field("agency_id", _T.ID, _COND),
            Field("agency_name", _T.TEXT, _REQ),
            Field("agency_url", _T.URL, _REQ),
            Field("agency_timezone", _T.TIMEZONE, _REQ),
            Field("agency_lang", _T.LANGUAGE),
            Field("agency_phone", _T.PHONE),
            Field("agency_fare_url", _T.URL),
            Field("agency_email", _T.EMAIL),
            Field("cemv_support", _T.ENUM, allowed=_WHEELCHAIR),
        ),
        ("agency_id",),
    ),
    FileSpec(
        "stops.txt",
        _REQ,  # Optional only for Flex feeds that define zones in locations.geojson.
        (
            Field("stop_id", _T.ID, _REQ),
            Field("stop_code", _T.TEXT),
            Field("stop_name", _T.TEXT, _COND),
            Field("tts_stop_name", _T.TEXT),
            Field("stop_desc", _T.TEXT),
            Field("stop_lat", _T.LATITUDE, _COND),
            Field("stop_lon", _T.LONGITUDE, _COND),
            Field("zone_id", _T.ID),
            Field("stop_url", _T.URL),
            Field("location_type", _T.ENUM, allowed=_enum(0, 1, 2, 3, 4)),
            Field("parent_station", _T.ID, _COND, references=_ref("stops.txt.stop_id")),
            Field("stop_timezone", _T.TIMEZONE),
            Field("wheelchair_boarding", _T.ENUM, allowed=_WHEELCHAIR),
            Field("level_id", _T.ID, references=_ref("levels.txt.level_id")),
            Field("platform_code", _T.TEXT),
            Field("stop_access", _T.ENUM, _COND, allowed=_BOOL),
        ),
        ("stop_id",),
    ),
    FileSpec(
        "routes.txt",
        _REQ,
        (
            Field("route_id", _T.ID, _REQ),
            Field("agency_id", _T.ID, _COND, references=_ref("agency.txt.agency_id")),
            Field("route_short_name", _T.TEXT, _COND),
            Field("route_long_name", _T.TEXT, _COND),
            Field("route_desc", _T.TEXT),
            Field("route_type", _T.ENUM, _REQ, allowed=ROUTE_TYPES | EXTENDED_ROUTE_TYPES),
            Field("route_url", _T.URL),
            Field("route_color", _T.COLOR),
            Field("route_text_color", _T.COLOR),
            Field("route_sort_order", _T.INTEGER, sign=_NN),
            Field("continuous_pickup", _T.ENUM, _COND, allowed=_PICKUP),
            Field("continuous_drop_off", _T.ENUM, _COND, allowed=_PICKUP),
            Field("network_id", _T.ID, _COND),
            Field("cemv_support", _T.ENUM, allowed=_WHEELCHAIR),
        ),
        ("route_id",),
    ),
    FileSpec(
        "trips.txt",
        _REQ,
        (
            Field("route_id", _T.ID, _REQ, references=_ref("routes.txt.route_id")),
            Field("service_id", _T.ID, _REQ, references=_SERVICE_REF),
            Field("trip_id", _T.ID, _REQ),
            Field("trip_headsign", _T.TEXT),
            Field("trip_short_name", _T.TEXT),
            Field("direction_id", _T.ENUM, allowed=_BOOL),
            Field("block_id", _T.ID),
            Field("shape_id", _T.ID, _COND, references=_ref("shapes.txt.shape_id")),
            Field("wheelchair_accessible", _T.ENUM, allowed=_WHEELCHAIR),
            Field("bikes_allowed", _T.ENUM, allowed=_WHEELCHAIR),
            Field("cars_allowed", _T.ENUM, allowed=_WHEELCHAIR),
            Field("safe_duration_factor", _T.FLOAT),
            Field("safe_duration_offset", _T.FLOAT),
        ),
        ("trip_id",),
    ),
    FileSpec(
        "stop_times.txt",
        _REQ,
        (
            Field("trip_id", _T.ID, _REQ, references=_ref("trips.txt.trip_id")),
            Field("arrival_time", _T.TIME, _COND),
            Field("departure_time", _T.TIME, _COND),
            Field("stop_id", _T.ID, _COND, references=_ref("stops.txt.stop_id")),
            Field(
                "location_group_id",
                _T.ID,
                _COND,
                references=_ref("location_groups.txt.location_group_id"),
            ),
            Field("location_id", _T.ID, _COND),  # An id in locations.geojson.
            Field("stop_sequence", _T.INTEGER, _REQ, sign=_NN),
            Field("stop_headsign", _T.TEXT),
            Field("start_pickup_drop_off_window", _T.TIME, _COND),
            Field("end_pickup_drop_off_window", _T.TIME, _COND),
            Field("pickup_type", _T.ENUM, _COND, allowed=_PICKUP),
            Field("drop_off_type", _T.ENUM, _COND, allowed=_PICKUP),
            Field("continuous_pickup", _T.ENUM, _COND, allowed=_PICKUP),
            Field("continuous_drop_off", _T.ENUM, _COND, allowed=_PICKUP),
            Field("shape_dist_traveled", _T.FLOAT, sign=_NN),
            Field("timepoint", _T.ENUM, allowed=_BOOL),
            Field(
                "pickup_booking_rule_id",
                _T.ID,
                references=_ref("booking_rules.txt.booking_rule_id"),
            ),
            Field(
                "drop_off_booking_rule_id",
                _T.ID,
                references=_ref("booking_rules.txt.booking_rule_id"),
            ),
        ),
        ("trip_id", "stop_sequence"),
    ),
    FileSpec(
        "calendar.txt",
        _COND,
        (
            Field("service_id", _T.ID, _REQ),
            *(
                Field(day, _T.ENUM, _REQ, allowed=_BOOL)
                for day in (
                    "monday",
                    "tuesday",
                    "wednesday",
                    "thursday",
                    "friday",
                    "saturday",
                    "sunday",
                )
            ),
            Field("start_date", _T.DATE, _REQ),
            Field("end_date", _T.DATE, _REQ),
        ),
        ("service_id",),
    ),
    FileSpec(
        "calendar_dates.txt",
        _COND,
        (
            # A foreign ID into calendar.txt when both files are used, else an ID.
            Field("service_id", _T.ID, _REQ),
            Field("date", _T.DATE, _REQ),
            Field("exception_type", _T.ENUM, _REQ, allowed=_enum(1, 2)),
        ),
        ("service_id", "date"),
    ),
    FileSpec(
        "fare_attributes.txt",
        Presence.OPTIONAL,
        (
            Field("fare_id", _T.ID, _REQ),
            Field("price", _T.FLOAT, _REQ, sign=_NN),
            Field("currency_type", _T.CURRENCY, _REQ),
            Field("payment_method", _T.ENUM, _REQ, allowed=_BOOL),
            # Empty means unlimited transfers.
            Field("transfers", _T.ENUM, _REQ, allowed=_enum(0, 1, 2), empty_ok=True),
            Field("agency_id", _T.ID, _COND, references=_ref("agency.txt.agency_id")),
            Field("transfer_duration", _T.INTEGER, sign=_NN),
        ),
        ("fare_id",),
    ),
    FileSpec(
        "fare_rules.txt",
        Presence.OPTIONAL,
        (
            Field("fare_id", _T.ID, _REQ, references=_ref("fare_attributes.txt.fare_id")),
            Field("route_id", _T.ID, references=_ref("routes.txt.route_id")),
            Field("origin_id", _T.ID, references=_ZONE_REF, weak_reference=True),
            Field("destination_id", _T.ID, references=_ZONE_REF, weak_reference=True),
            Field("contains_id", _T.ID, references=_ZONE_REF, weak_reference=True),
        ),
        ("*",),
    ),
    FileSpec(
        "timeframes.txt",
        Presence.OPTIONAL,
        (
            Field("timeframe_group_id", _T.ID, _REQ),
            Field("start_time", _T.LOCAL_TIME, _COND),
            Field("end_time", _T.LOCAL_TIME, _COND),
            Field("service_id", _T.ID, _REQ, references=_SERVICE_REF),
        ),
        ("*",),
    ),
    FileSpec(
        "rider_categories.txt",
        Presence.OPTIONAL,
        (
            Field("rider_category_id", _T.ID, _REQ),
            Field("rider_category_name", _T.TEXT, _REQ),
            # "0 or empty": not the default category.
            Field("is_default_fare_category", _T.ENUM, _REQ, allowed=_BOOL, empty_ok=True),
            Field("eligibility_url", _T.URL),
        ),
        ("rider_category_id",),
    ),
    FileSpec(
        "fare_media.txt",
        Presence.OPTIONAL,
        (
            Field("fare_media_id", _T.ID, _REQ),
            Field("fare_media_name", _T.TEXT),
            Field("fare_media_type", _T.ENUM, _REQ, allowed=_enum(0, 1, 2, 3, 4)),
        ),
        ("fare_media_id",),
    ),
    FileSpec(
        "fare_products.txt",
        Presence.OPTIONAL,
        (
            Field("fare_product_id", _T.ID, _REQ),
            Field("fare_product_name", _T.TEXT),
            Field(
                "rider_category_id",
                _T.ID,
                references=_ref("rider_categories.txt.rider_category_id"),
            ),
            Field("fare_media_id", _T.ID, references=_ref("fare_media.txt.fare_media_id")),
            Field("amount", _T.CURRENCY_AMOUNT, _REQ),
            Field("currency", _T.CURRENCY, _REQ),
        ),
        ("fare_product_id", "rider_category_id", "fare_media_id"),
    ),
    FileSpec(
        "fare_leg_rules.txt",
        Presence.OPTIONAL,
        (
            Field("leg_group_id", _T.ID),
            Field("network_id", _T.ID, references=_NETWORK_REF),
            Field("from_area_id", _T.ID, references=_ref("areas.txt.area_id")),
            Field("to_area_id", _T.ID, references=_ref("areas.txt.area_id")),
            Field(
                "from_timeframe_group_id",
                _T.ID,
                references=_ref("timeframes.txt.timeframe_group_id"),
            ),
            Field(
                "to_timeframe_group_id",
                _T.ID,
                references=_ref("timeframes.txt.timeframe_group_id"),
            ),
            Field(
                "fare_product_id",
                _T.ID,
                _REQ,
                references=_ref("fare_products.txt.fare_product_id"),
            ),
            Field("rule_priority", _T.INTEGER, sign=_NN),
        ),
        (
            "network_id",
            "from_area_id",
            "to_area_id",
            "from_timeframe_group_id",
            "to_timeframe_group_id",
            "fare_product_id",
        ),
    ),
    FileSpec(
        "fare_leg_join_rules.txt",
        Presence.OPTIONAL,
        (
            Field("from_network_id", _T.ID, _REQ, references=_NETWORK_REF),
            Field("to_network_id", _T.ID, _REQ, references=_NETWORK_REF),
            Field("from_stop_id", _T.ID, _COND, references=_ref("stops.txt.stop_id")),
            Field("to_stop_id", _T.ID, _COND, references=_ref("stops.txt.stop_id")),
        ),
        ("from_network_id", "to_network_id", "from_stop_id", "to_stop_id"),
    ),
    FileSpec(
        "fare_transfer_rules.txt",
        Presence.OPTIONAL,
        (
            Field(
                "from_leg_group_id",
                _T.ID,
                references=_ref("fare_leg_rules.txt.leg_group_id"),
            ),
            Field("to_leg_group_id", _T.ID, references=_ref("fare_leg_rules.txt.leg_group_id")),
            Field("transfer_count", _T.INTEGER, _COND, sign=Sign.NON_ZERO),
            Field("duration_limit", _T.INTEGER, sign=_POS),
            Field("duration_limit_type", _T.ENUM, _COND, allowed=_enum(0, 1, 2, 3)),
            Field("fare_transfer_type", _T.ENUM, _REQ, allowed=_enum(0, 1, 2)),
            Field(
                "fare_product_id",
                _T.ID,
                references=_ref("fare_products.txt.fare_product_id"),
            ),
        ),
        (
            "from_leg_group_id",
            "to_leg_group_id",
            "fare_product_id",
            "transfer_count",
            "duration_limit",
        ),
    ),
    FileSpec(
        "areas.txt",
        Presence.OPTIONAL,
        (Field("area_id", _T.ID, _REQ), Field("area_name", _T.TEXT)),
        ("area_id",),
    ),
    FileSpec(
        "stop_areas.txt",
        Presence.OPTIONAL,
        (
            Field("area_id", _T.ID, _REQ, references=_ref("areas.txt.area_id")),
            Field("stop_id", _T.ID, _REQ, references=_ref("stops.txt.stop_id")),
        ),
        ("*",),
    ),
    FileSpec(
        "networks.txt",
        _COND,  # Forbidden when routes.txt has network_id.
        (Field("network_id", _T.ID, _REQ), Field("network_name", _T.TEXT)),
        ("network_id",),
    ),
    FileSpec(
        "route_networks.txt",
        _COND,  # Forbidden when routes.txt has network_id.
        (
            Field("network_id", _T.ID, _REQ, references=_ref("networks.txt.network_id")),
            Field("route_id", _T.ID, _REQ, references=_ref("routes.txt.route_id")),
        ),
        ("route_id",),
    ),
    FileSpec(
        "shapes.txt",
        Presence.OPTIONAL,
        (
            Field("shape_id", _T.ID, _REQ),
            Field("shape_pt_lat", _T.LATITUDE, _REQ),
            Field("shape_pt_lon", _T.LONGITUDE, _REQ),
            Field("shape_pt_sequence", _T.INTEGER, _REQ, sign=_NN),
            Field("shape_dist_traveled", _T.FLOAT, sign=_NN),
        ),
        ("shape_id", "shape_pt_sequence"),
    ),
    FileSpec(
        "frequencies.txt",
        Presence.OPTIONAL,
        (
            Field("trip_id", _T.ID, _REQ, references=_ref("trips.txt.trip_id")),
            Field("start_time", _T.TIME, _REQ),
            Field("end_time", _T.TIME, _REQ),
            Field("headway_secs", _T.INTEGER, _REQ, sign=_POS),
            Field("exact_times", _T.ENUM, allowed=_BOOL),
        ),
        ("trip_id", "start_time"),
    ),
    FileSpec(
        "transfers.txt",
        Presence.OPTIONAL,
        (
            Field("from_stop_id", _T.ID, _COND, references=_ref("stops.txt.stop_id")),
            Field("to_stop_id", _T.ID, _COND, references=_ref("stops.txt.stop_id")),
            Field("from_route_id", _T.ID, references=_ref("routes.txt.route_id")),
            Field("to_route_id", _T.ID, references=_ref("routes.txt.route_id")),
            Field("from_trip_id", _T.ID, _COND, references=_ref("trips.txt.trip_id")),
            Field("to_trip_id", _T.ID, _COND, references=_ref("trips.txt.trip_id")),
            # "0 or empty": a recommended transfer point.
            Field("transfer_type", _T.ENUM, _REQ, allowed=_enum(0, 1, 2, 3, 4, 5), empty_ok=True),
            Field("min_transfer_time", _T.INTEGER, sign=_NN),
        ),
        (
            "from_stop_id",
            "to_stop_id",
            "from_trip_id",
            "to_trip_id",
            "from_route_id",
            "to_route_id",
        ),
    ),
    FileSpec(
        "pathways.txt",
        Presence.OPTIONAL,
        (
            Field("pathway_id", _T.ID, _REQ),
            Field("from_stop_id", _T.ID, _REQ, references=_ref("stops.txt.stop_id")),
            Field("to_stop_id", _T.ID, _REQ, references=_ref("stops.txt.stop_id")),
            Field("pathway_mode", _T.ENUM, _REQ, allowed=_enum(1, 2, 3, 4, 5, 6, 7)),
            Field("is_bidirectional", _T.ENUM, _REQ, allowed=_BOOL),
            Field("length", _T.FLOAT, sign=_NN),
            Field("traversal_time", _T.INTEGER, sign=_POS),
            Field("stair_count", _T.INTEGER, sign=Sign.NON_ZERO),
            Field("max_slope", _T.FLOAT),
            Field("min_width", _T.FLOAT, sign=_POS),
            Field("signposted_as", _T.TEXT),
            Field("reversed_signposted_as", _T.TEXT),
        ),
        ("pathway_id",),
    ),
    FileSpec(
        "levels.txt",
        _COND,  # Required when pathways.txt has elevators (pathway_mode=5).
        (
            Field("level_id", _T.ID, _REQ),
            Field("level_index", _T.FLOAT, _REQ),
            Field("level_name", _T.TEXT),
        ),
        ("level_id",),
    ),
    FileSpec(
        "location_groups.txt",
        Presence.OPTIONAL,
        (Field("location_group_id", _T.ID, _REQ), Field("location_group_name", _T.TEXT)),
        ("location_group_id",),
    ),
    FileSpec(
        "location_group_stops.txt",
        Presence.OPTIONAL,
        (
            Field(
                "location_group_id",
                _T.ID,
                _REQ,
                references=_ref("location_groups.txt.location_group_id"),
            ),
            Field("stop_id", _T.ID, _REQ, references=_ref("stops.txt.stop_id")),
        ),
        ("*",),
    ),
    FileSpec(
        "booking_rules.txt",
        Presence.OPTIONAL,
        (
            Field("booking_rule_id", _T.ID, _REQ),
            Field("booking_type", _T.ENUM, _REQ, allowed=_enum(0, 1, 2)),
            Field("prior_notice_duration_min", _T.INTEGER, _COND),
            Field("prior_notice_duration_max", _T.INTEGER, _COND),
            Field("prior_notice_last_day", _T.INTEGER, _COND),
            Field("prior_notice_last_time", _T.TIME, _COND),
            Field("prior_notice_start_day", _T.INTEGER, _COND),
            Field("prior_notice_start_time", _T.TIME, _COND),
            Field(
                "prior_notice_service_id",
                _T.ID,
                _COND,
                references=_ref("calendar.txt.service_id"),
            ),
            Field("message", _T.TEXT),
            Field("pickup_message", _T.TEXT),
            Field("drop_off_message", _T.TEXT),
            Field("phone_number", _T.PHONE),
            Field("info_url", _T.URL),
            Field("booking_url", _T.URL),
        ),
        ("booking_rule_id",),
    ),
    FileSpec(
        "translations.txt",
        Presence.OPTIONAL,
        (
            Field("table_name", _T.TEXT, _REQ),
            Field("field_name", _T.TEXT, _REQ),
            Field("language", _T.LANGUAGE, _REQ),
            Field("translation", _T.TEXT, _REQ),
            Field("record_id", _T.ID, _COND),
            Field("record_sub_id", _T.ID, _COND),
            Field("field_value", _T.TEXT, _COND),
        ),
        ("table_name", "field_name", "language", "record_id", "record_sub_id", "field_value"),
    ),
    FileSpec(
        "feed_info.txt",
        _COND,  # Required when translations.txt is present, recommended otherwise.
        (
            Field("feed_publisher_name", _T.TEXT, _REQ),
            Field("feed_publisher_url", _T.URL, _REQ),
            Field("feed_lang", _T.LANGUAGE, _REQ),
            Field("default_lang", _T.LANGUAGE),
            Field("feed_start_date", _T.DATE, _REC),
            Field("feed_end_date", _T.DATE, _REC),
            Field("feed_version", _T.TEXT, _REC),
            Field("feed_contact_email", _T.EMAIL),
            Field("feed_contact_url", _T.URL),
        ),
        (),
    ),
    FileSpec(
        "attributions.txt",
        Presence.OPTIONAL,
        (
            Field("attribution_id", _T.ID),
            Field("agency_id", _T.ID, references=_ref("agency.txt.agency_id")),
            Field("route_id", _T.ID, references=_ref("routes.txt.route_id")),
            Field("trip_id", _T.ID, references=_ref("trips.txt.trip_id")),
            Field("organization_name", _T.TEXT, _REQ),
            Field("is_producer", _T.ENUM, allowed=_BOOL),
            Field("is_operator", _T.ENUM, allowed=_BOOL),
            Field("is_authority", _T.ENUM, allowed=_BOOL),
            Field("attribution_url", _T.URL),
            Field("attribution_email", _T.EMAIL),
            Field("attribution_phone", _T.PHONE),
        ),
        ("attribution_id",),
    ),
)

#: Every GTFS file by name, in the order of the reference.
FILES: dict[str, FileSpec] = {spec.name: spec for spec in _FILE_LIST}


def file_spec(name: str) -> FileSpec | None:
    """The specification of file ``name`` (e.g. ``"trips.txt"``), or ``None`` if unknown."""
    return FILES.get(name)
