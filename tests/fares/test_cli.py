"""``jjj fare FEED --journey FILE.json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jjj.cli import main
from tests.conftest import FIXTURES

REGION = FIXTURES / "fares" / "jjj_region"

JOURNEY = {
    "date": "2025-03-04",
    "spent_in_period": "150.00",
    "legs": [
        {
            "from_stop_id": "bj_pingguoyuan",
            "to_stop_id": "bj_fuxingmen",
            "route_id": "bj_L1",
            "departure": "08:00:00",
            "arrival": "08:20:00",
            "distance_m": 9000,
        },
        {
            "from_stop_id": "bj_fuxingmen",
            "to_stop_id": "bj_xizhimen",
            "route_id": "bj_L2",
            "departure": "08:25:00",
            "arrival": "08:35:00",
            "distance_m": 4000,
        },
    ],
}


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = 0
    try:
        main(args)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_fare_prints_each_medium(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journey = tmp_path / "trip.json"
    journey.write_text(json.dumps(JOURNEY), encoding="utf-8")
    code, out, _ = run(["fare", str(REGION), "--journey", str(journey)], capsys)
    assert code == 0
    # 9 + 4 km joined into one 13 km leg: ¥5; with ¥150 spent the Yikatong pays half.
    assert "legs 1-2" in out
    assert "yikatong / (any rider): 2.50 CNY" in out
    assert "single_ticket / (any rider): 5.00 CNY" in out
    assert "tj_card / (any rider): fare unknown" in out


def test_fare_json_for_one_medium(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journey = tmp_path / "trip.json"
    journey.write_text(json.dumps(JOURNEY), encoding="utf-8")
    code, out, _ = run(
        ["fare", str(REGION), "--journey", str(journey), "--media", "yikatong", "--json"], capsys
    )
    assert code == 0
    data = json.loads(out)
    assert data["effective_legs"] == [[0, 1]]
    (result,) = data["results"]
    assert (result["fare_media_id"], result["total"], result["currency"]) == (
        "yikatong",
        "2.50",
        "CNY",
    )
    assert [c["kind"] for c in result["charges"]] == ["leg", "discount"]
    assert result["spending_discounts"][0]["discount"] == "2.50"


def test_fare_bad_journey_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journey = tmp_path / "trip.json"
    journey.write_text('{"legs": [{"from_stop_id": "a"}]}', encoding="utf-8")
    code, out, err = run(["fare", str(REGION), "--journey", str(journey)], capsys)
    assert code == 2
    assert err.strip().splitlines() == ["jjj: error: trip.json: legs[0]: missing 'to_stop_id'"]
    assert "Traceback" not in out + err


def test_fare_unknown_medium(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journey = tmp_path / "trip.json"
    journey.write_text(json.dumps(JOURNEY), encoding="utf-8")
    code, _, err = run(
        ["fare", str(REGION), "--journey", str(journey), "--media", "oyster"], capsys
    )
    assert code == 2
    assert "unknown fare_media_id 'oyster'" in err


def test_fare_skips_rows_in_error_unless_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "fare_products.txt").write_text("fare_product_id,amount,currency\nflat,2.00,EUR\n")
    (feed / "fare_leg_rules.txt").write_text("fare_product_id\nflat\nmissing\n")
    journey = tmp_path / "trip.json"
    journey.write_text(json.dumps(JOURNEY), encoding="utf-8")
    code, out, err = run(["fare", str(feed), "--journey", str(journey)], capsys)
    assert code == 0
    assert "(any medium) / (any rider): 4.00 EUR" in out  # two legs at 2.00, no transfers
    assert "skipped: feed/fare_leg_rules.txt:3 fare_product_id" in err
    code, _, err = run(["fare", str(feed), "--journey", str(journey), "--strict"], capsys)
    assert code == 2
    assert "fare_leg_rules.txt:3 fare_product_id" in err
