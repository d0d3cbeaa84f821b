"""The schema against the GTFS reference itself: every file, column, type, presence and key.

The oracle is the specification text in ../shared/specs/gtfs_reference.md, parsed
here independently of :mod:`jjj.gtfs.schema`.
"""

from __future__ import annotations

from jjj.gtfs.schema import FILES, ROUTE_TYPES, FieldType, Presence, Sign
from tests.gtfs.spec import enum_values, references, spec_files

#: (file, field) typed differently on purpose: an enum of table names, kept as text.
TEXT_ENUMS = {("translations.txt", "table_name")}
#: (file, field) whose reference the schema deliberately leaves out.
UNCHECKED_REFERENCES = {
    ("calendar_dates.txt", "service_id"),  # "calendar.service_id or ID": any id is valid
}


def _expected_type(spec_type: str) -> tuple[FieldType, Sign | None]:
    kind = spec_type.lower()
    sign = None
    if kind.startswith("non-negative"):
        sign = Sign.NON_NEGATIVE
    elif kind.startswith("positive"):
        sign = Sign.POSITIVE
    elif kind.startswith(("non-zero", "non-null")):
        sign = Sign.NON_ZERO
    table = [
        ("id", FieldType.ID),
        ("text", FieldType.TEXT),
        ("url", FieldType.URL),
        ("email", FieldType.EMAIL),
        ("phone", FieldType.PHONE),
        ("language code", FieldType.LANGUAGE),
        ("timezone", FieldType.TIMEZONE),
        ("currency code", FieldType.CURRENCY),
        ("currency amount", FieldType.CURRENCY_AMOUNT),
        ("color", FieldType.COLOR),
        ("date", FieldType.DATE),
        ("local time", FieldType.LOCAL_TIME),
        ("time", FieldType.TIME),
        ("integer", FieldType.INTEGER),
        ("float", FieldType.FLOAT),
        ("latitude", FieldType.LATITUDE),
        ("longitude", FieldType.LONGITUDE),
        ("enum", FieldType.ENUM),
    ]
    words = kind.replace("non-negative ", "").replace("non-zero ", "").replace("non-null ", "")
    words = words.replace("positive ", "").replace("unique ", "").replace("foreign ", "")
    for prefix, field_type in table:
        if words.startswith(prefix):
            return field_type, sign
    raise AssertionError(f"unknown type {spec_type!r}")


def test_every_file_of_the_reference_is_in_the_schema() -> None:
    assert sorted(spec_files()) == sorted(FILES)


def test_columns_types_presence_and_references_match_the_reference() -> None:
    problems = []
    for file, section in spec_files().items():
        spec = FILES[file]
        fields = section["fields"]
        assert isinstance(fields, list)
        names = [name for name, _, _ in fields]
        if list(spec.field_names) != names:
            problems.append(f"{file}: columns {list(spec.field_names)} != {names}")
            continue
        for name, spec_type, presence in fields:
            field = spec.field(name)
            assert field is not None
            field_type, sign = _expected_type(spec_type)
            if (file, name) in TEXT_ENUMS:
                field_type = FieldType.TEXT
            if field.type is not field_type or field.sign is not sign:
                problems.append(f"{file} {name}: {field.type}/{field.sign} != {spec_type}")
            required = presence == "**Required**"
            if required != (field.presence is Presence.REQUIRED):
                problems.append(f"{file} {name}: presence {field.presence} != {presence}")
            wanted = references(spec_type)
            if (file, name) not in UNCHECKED_REFERENCES and wanted != set(field.references):
                problems.append(f"{file} {name}: references {field.references} != {wanted}")
    assert problems == []


def test_primary_keys_match_the_reference() -> None:
    for file, section in spec_files().items():
        key = section["key"]
        assert isinstance(key, str), file
        expected = tuple(k.strip(" `") for k in key.split(",")) if key != "none" else ()
        assert FILES[file].primary_key == expected, file


def test_enum_values_match_the_reference() -> None:
    checked = 0
    for file, section in spec_files().items():
        fields = section["fields"]
        assert isinstance(fields, list)
        for name, spec_type, _ in fields:
            field = FILES[file].field(name)
            assert field is not None
            if spec_type != "Enum" or field.allowed is None:
                continue
            values = enum_values(file, name)
            allowed = ROUTE_TYPES if name == "route_type" else field.allowed
            if values:  # "Functions in the same way as monday" lists none
                assert values == set(allowed), (file, name)
                checked += 1
    assert checked >= 30
