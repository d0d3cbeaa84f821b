"""Journey-planning rules on tiny timetables written in the test.

Each expected journey is read off the timetable text by hand; the oracle (a plain
connection scan) is asked too, so both must agree with the reading.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jjj.routing.itinerary import Journey
from jjj.routing.planner import Plan, Planner
from jjj.timetable import Network
from tests.routing.oracle import Rules, connections_for, earliest_arrivals
from tests.routing.texttable import timetable

DAY = dt.date(2026, 9, 15)  # a Tuesday; the base calendar runs every day of 2026


def hm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 3600 + int(minutes) * 60


def path(journey: Journey) -> str:
    """``A R1 08:00-08:10 B walk C R2 ...``: stops, routes and times of a journey."""

    def clock(seconds: int) -> str:
        return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"

    parts: list[str] = []
    for leg in journey.legs:
        start = (leg.origin.stop_id or leg.origin.name).removeprefix("f:")
        end = (leg.destination.stop_id or leg.destination.name).removeprefix("f:")
        if not parts or parts[-1] != start:
            parts.append(start)
        if leg.mode == "walk":
            parts.append("walk")
        else:
            seated = "=" if leg.stay_seated else ""
            parts.append(f"{seated}{leg.route} {clock(leg.departure)}-{clock(leg.arrival)}")
        parts.append(end)
    return " ".join(parts)


def plan(net: Network, origin: str, destination: str, when: str, **options: object) -> Plan:
    date = dt.date.fromisoformat(options.pop("date", DAY.isoformat()))  # type: ignore[arg-type]
    return Planner(net).plan(f"f:{origin}", f"f:{destination}", (date, hm(when)), **options)  # type: ignore[arg-type]


def oracle(
    net: Network, origin: str, destination: str, when: str, *, date: dt.date = DAY
) -> list[int | None]:
    """Earliest arrival per number of transfers (0..4) from the oracle."""
    a, b = net.stop_ids.index_of(f"f:{origin}"), net.stop_ids.index_of(f"f:{destination}")
    start = hm(when)
    best = earliest_arrivals(
        net, connections_for(net, date), Rules(net), {a: 0}, {b: 0}, start, 5, start + 6 * 3600 + 1
    )
    return [None if t >= 2**31 - 1 else t for t in best[1:]]


def check(
    result: Plan, net: Network, origin: str, destination: str, when: str, **kw: object
) -> None:
    assert result.best_by_transfers[:5] == oracle(net, origin, destination, when, **kw)  # type: ignore[arg-type]


def test_boarding_at_the_same_second(tmp_path: Path) -> None:
    text = """
        R1: A B
          T1 08:00 08:05
        R2: B C
          T2 08:05 08:10
          T3 08:15 08:20
    """
    net = timetable(tmp_path, text)
    result = plan(net, "A", "C", "08:00")
    assert [path(j) for j in result.journeys] == ["A R1 08:00-08:05 B R2 08:05-08:10 C"]
    check(result, net, "A", "C", "08:00")
    # one minute to change at B: T2 leaves as T1 arrives, too early
    slow = timetable(
        tmp_path / "slow",
        text,
        transfers="from_stop_id,to_stop_id,transfer_type,min_transfer_time\nB,B,2,60",
    )
    result = plan(slow, "A", "C", "08:00")
    assert [path(j) for j in result.journeys] == ["A R1 08:00-08:05 B R2 08:15-08:20 C"]
    check(result, slow, "A", "C", "08:00")


def test_overtaking_trips(tmp_path: Path) -> None:
    net = timetable(
        tmp_path,
        """
        R1: A B C
          SLOW 08:00 08:20 08:40
          EXPRESS 08:05 08:10 08:15
        """,
    )
    result = plan(net, "A", "C", "08:00")
    assert [path(j) for j in result.journeys] == ["A R1 08:05-08:15 C"]
    check(result, net, "A", "C", "08:00")
    assert [path(j) for j in plan(net, "A", "B", "08:01").journeys] == ["A R1 08:05-08:10 B"]


RULE_TIMETABLE = """
    R1: A B
      T1 08:00 08:10
    R2: B C
      T2 08:10 08:20
      T3 08:15 08:25
      T4 08:30 08:40
    R3: B C
      T5 08:45 08:55
"""
HEADER = (
    "from_stop_id,to_stop_id,from_route_id,to_route_id,from_trip_id,to_trip_id,"
    "transfer_type,min_transfer_time"
)
SLACK = "B,B,,,,,2,300"  # five minutes to change at B


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("", "A R1 08:00-08:10 B R2 08:15-08:25 C"),
        ("B,B,R1,R2,,,1,", "A R1 08:00-08:10 B R2 08:10-08:20 C"),  # timed: 0 min
        ("B,B,,,T1,T2,1,", "A R1 08:00-08:10 B R2 08:10-08:20 C"),
        ("B,B,R1,,,,1,", "A R1 08:00-08:10 B R2 08:10-08:20 C"),  # from R1 to any route
        ("B,B,R1,R2,,,2,900", "A R1 08:00-08:10 B R2 08:30-08:40 C"),  # 15 min
        ("B,B,R1,R2,,,3,", "A R1 08:00-08:10 B R3 08:45-08:55 C"),  # R1 → R2 forbidden
        ("B,B,,,T1,T3,3,", "A R1 08:00-08:10 B R2 08:30-08:40 C"),  # only T3 forbidden
        ("B,B,R1,R2,,,0,", "A R1 08:00-08:10 B R2 08:15-08:25 C"),  # recommended: no change
        # the most specific rule wins: the trip pair beats the route pair
        ("B,B,R1,R2,,,3,\nB,B,,,T1,T3,2,0", "A R1 08:00-08:10 B R2 08:15-08:25 C"),
    ],
)
def test_transfer_rules(tmp_path: Path, rule: str, expected: str) -> None:
    transfers = "\n".join(line for line in (HEADER, SLACK, rule) if line)
    net = timetable(tmp_path, RULE_TIMETABLE, transfers=transfers)
    result = plan(net, "A", "C", "07:55")
    assert [path(j) for j in result.journeys] == [expected]
    check(result, net, "A", "C", "07:55")


def test_forbidden_stop_pair_removes_the_walk(tmp_path: Path) -> None:
    text = """
        R1: A X
          T1 08:00 08:10
        R2: Y C
          T2 08:20 08:30
    """
    near = {"X": (39.9, 116.35), "Y": (39.9, 116.3505)}  # ≈ 43 m apart
    linked = timetable(tmp_path / "linked", text, stops=near)
    assert [path(j) for j in plan(linked, "A", "C", "08:00").journeys] == [
        "A R1 08:00-08:10 X walk Y R2 08:20-08:30 C"
    ]
    cut = timetable(
        tmp_path / "cut",
        text,
        stops=near,
        transfers="from_stop_id,to_stop_id,transfer_type\nX,Y,3",
    )
    result = plan(cut, "A", "C", "08:00")
    assert result.journeys == []
    check(result, cut, "A", "C", "08:00")


def test_timed_transfer_between_stops_without_a_footpath(tmp_path: Path) -> None:
    text = """
        R1: A B
          T1 08:00 08:10
        R2: B2 C
          T2 08:10 08:20
    """
    apart = timetable(tmp_path / "apart", text)
    assert plan(apart, "A", "C", "07:55").journeys == []  # B and B2 are 1.7 km apart
    timed = timetable(
        tmp_path / "timed", text, transfers="from_stop_id,to_stop_id,transfer_type\nB,B2,1"
    )
    result = plan(timed, "A", "C", "07:55")
    assert [path(j) for j in result.journeys] == ["A R1 08:00-08:10 B walk B2 R2 08:10-08:20 C"]
    check(result, timed, "A", "C", "07:55")


def test_trips_past_midnight(tmp_path: Path) -> None:
    calendar = (
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "FRI,0,0,0,0,1,0,0,20260101,20261231"
    )
    net = timetable(
        tmp_path,
        """
        R1: A B C
          LATE 23:50 24:40 25:10 | service=FRI
        """,
        files={"calendar.txt": calendar},
    )
    friday, saturday = "2026-09-18", "2026-09-19"
    # on Friday evening it is Friday's trip, arriving at 25:10 of Friday's service day
    result = plan(net, "A", "C", "23:45", date=friday)
    assert [j.to_dict()["arrival"] for j in result.journeys] == ["2026-09-19T01:10:00+08:00"]
    check(result, net, "A", "C", "23:45", date=dt.date.fromisoformat(friday))
    # early on Saturday the same (Friday) trip is still running
    result = plan(net, "B", "C", "00:30", date=saturday)
    assert [path(j) for j in result.journeys] == ["B R1 00:40-01:10 C"]
    check(result, net, "B", "C", "00:30", date=dt.date.fromisoformat(saturday))
    # and on Sunday early there is none (no Saturday service)
    assert plan(net, "B", "C", "00:30", date="2026-09-20").journeys == []
    # arriving by 01:30 on Saturday means leaving on Friday evening
    result = plan(net, "A", "C", "01:30", date=saturday, arrive_by=True)
    assert [(j.to_dict()["departure"], j.to_dict()["arrival"]) for j in result.journeys] == [
        ("2026-09-18T23:50:00+08:00", "2026-09-19T01:10:00+08:00")
    ]


BLOCK = """
    R1: A B
      IN 08:00 08:10 | block=K
    R2: B C
      OUT 08:15 08:25 | block=K
      LATER 09:00 09:10
"""


def test_staying_seated_in_a_block(tmp_path: Path) -> None:
    net = timetable(
        tmp_path,
        BLOCK,
        transfers="from_stop_id,to_stop_id,transfer_type,min_transfer_time\nB,B,2,600",
    )
    result = plan(net, "A", "C", "07:55")
    # ten minutes to change at B, but seated one needs none, and it is not a transfer
    assert [path(j) for j in result.journeys] == ["A R1 08:00-08:10 B =R2 08:15-08:25 C"]
    assert result.journeys[0].transfers == 0
    check(result, net, "A", "C", "07:55")


def test_in_seat_rules(tmp_path: Path) -> None:
    slack = "B,B,,,,,2,600"
    not_seated = timetable(
        tmp_path / "five", BLOCK, transfers=f"{HEADER}\n{slack}\nB,B,,,IN,OUT,5,"
    )
    result = plan(not_seated, "A", "C", "07:55")
    assert [path(j) for j in result.journeys] == ["A R1 08:00-08:10 B R2 09:00-09:10 C"]
    check(result, not_seated, "A", "C", "07:55")
    unblocked = BLOCK.replace(" | block=K", "")
    seated = timetable(
        tmp_path / "four", unblocked, transfers=f"{HEADER}\n{slack}\nB,B,,,IN,OUT,4,"
    )
    result = plan(seated, "A", "C", "07:55")
    assert [path(j) for j in result.journeys] == ["A R1 08:00-08:10 B =R2 08:15-08:25 C"]
    check(result, seated, "A", "C", "07:55")


def test_pickup_and_drop_off_types(tmp_path: Path) -> None:
    net = timetable(
        tmp_path,
        """
        R1: A B C
          T1 08:00 08:05< 08:10
          T2 08:20 08:25> 08:30
        """,
    )
    # T1 does not take passengers at B, T2 does not let them off there
    assert [path(j) for j in plan(net, "B", "C", "08:00").journeys] == ["B R1 08:25-08:30 C"]
    assert [path(j) for j in plan(net, "A", "B", "08:00").journeys] == ["A R1 08:00-08:05 B"]
    assert plan(net, "A", "B", "08:10").journeys == []


def test_arrive_by(tmp_path: Path) -> None:
    net = timetable(
        tmp_path,
        """
        R1: A B
          T1 07:50 08:10
          T2 08:20 08:40
        R2: B C
          T3 08:12 08:25
          T4 08:45 08:55
        """,
    )
    result = plan(net, "A", "C", "08:30", arrive_by=True)
    assert [path(j) for j in result.journeys] == ["A R1 07:50-08:10 B R2 08:12-08:25 C"]
    assert result.best_by_transfers[:2] == [None, hm("07:50")]
    result = plan(net, "A", "C", "09:00", arrive_by=True)
    assert [path(j) for j in result.journeys] == ["A R1 08:20-08:40 B R2 08:45-08:55 C"]
    assert plan(net, "A", "C", "08:20", arrive_by=True).journeys == []


def test_window_crossing_midnight(tmp_path: Path) -> None:
    net = timetable(
        tmp_path,
        """
        R1: A B
          EARLY 00:05 00:15
          LATE 23:50 24:00
          LATER 24:10 24:20
        """,
    )
    result = plan(net, "A", "B", "23:45", window_minutes=40)
    departures = [j.to_dict()["departure"] for j in result.journeys]
    # the day's own trips at 23:50 and 24:10, and the next day's at 00:05
    assert departures == [
        "2026-09-15T23:50:00+08:00",
        "2026-09-16T00:05:00+08:00",
        "2026-09-16T00:10:00+08:00",
    ]


def test_agency_in_another_timezone_is_shifted(tmp_path: Path) -> None:
    from jjj.gtfs.read import read_feed
    from jjj.timetable.build import build_network
    from tests.feedtext import write_feed
    from tests.routing.texttable import timetable_files

    home = write_feed(tmp_path / "home", timetable_files("R1: A B\n  T1 08:00 08:10"))
    tokyo_agency = (
        "agency_id,agency_name,agency_url,agency_timezone\nA,Far,https://example.org,Asia/Tokyo"
    )
    away = write_feed(
        tmp_path / "away",
        {
            **timetable_files(
                "R9: C D\n  T9 10:00 10:30", stops={"C": (39.9, 116.5), "D": (39.9, 116.52)}
            ),
            "agency.txt": tokyo_agency,
        },
    )
    net = build_network([read_feed(home, "f"), read_feed(away, "g")])
    assert net.timezone == "Asia/Shanghai"
    result = Planner(net).plan("g:C", "g:D", (DAY, hm("08:55")))
    # 10:00 in Tokyo is 09:00 in Shanghai
    assert [j.to_dict()["departure"] for j in result.journeys] == ["2026-09-15T09:00:00+08:00"]
    a, b = net.stop_ids.index_of("g:C"), net.stop_ids.index_of("g:D")
    best = earliest_arrivals(
        net, connections_for(net, DAY), Rules(net), {a: 0}, {b: 0}, hm("08:55"), 2, hm("14:00")
    )
    assert best[1] == hm("09:30") == result.best_by_transfers[0]
