"""Reading origins and destinations: CSV and GeoJSON, and errors that name the place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jjj.access.points import parse_lat_lon, read_points
from jjj.errors import AccessError


def test_csv_columns_in_any_order_extra_columns_ignored(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("lon,name,id,lat\n116.4,Home,h1,39.9\n117.2,Work,w1,39.1\n", encoding="utf-8")
    points = read_points(path)
    assert points.ids == ["h1", "w1"]
    assert points.lat.tolist() == [39.9, 39.1]
    assert points.lon.tolist() == [116.4, 117.2]


def test_geojson_ids_from_feature_property_or_position(tmp_path: Path) -> None:
    features = [
        {"type": "Feature", "id": "a", "geometry": {"type": "Point", "coordinates": [116.4, 39.9]}},
        {
            "type": "Feature",
            "properties": {"id": "b"},
            "geometry": {"type": "Point", "coordinates": [117.2, 39.1]},
        },
        {
            "type": "Feature",
            "properties": {},
            "geometry": {"type": "Point", "coordinates": [114.5, 38.0]},
        },
    ]
    path = tmp_path / "p.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    points = read_points(path)
    assert points.ids == ["a", "b", "2"]
    assert points.lat.tolist() == [39.9, 39.1, 38.0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,lat\nx,39.9\n", "p.csv:1: missing column(s) lon"),
        ("id,lat,lon\nx,39.9,116\n,39.9,116\n", "p.csv:3: field id: empty"),
        ("id,lat,lon\nx,north,116\n", "p.csv:2: field lat: 'north' is not a number"),
        ("id,lat,lon\nx,39.9,196\n", "p.csv:2: field lon: 196.0 is outside"),
        ("id,lat,lon\nx,39.9,116\nx,39.8,116\n", "field id: 'x' appears more than once"),
    ],
)
def test_bad_csv_names_file_line_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "p.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AccessError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_points(path)


def test_bad_geojson_names_the_feature(tmp_path: Path) -> None:
    path = tmp_path / "p.geojson"
    feature = {"type": "Feature", "geometry": {"type": "LineString", "coordinates": []}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    with pytest.raises(AccessError, match="feature 0: field geometry: not a Point"):
        read_points(path)


def test_missing_file_and_lat_lon_text() -> None:
    with pytest.raises(AccessError, match="no such file"):
        read_points("/nonexistent/points.csv")
    assert parse_lat_lon(" 39.9, 116.4 ") == (39.9, 116.4)
    with pytest.raises(AccessError, match=r"field lat: 95\.0 is outside"):
        parse_lat_lon("95,116")
