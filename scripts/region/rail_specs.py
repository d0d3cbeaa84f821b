"""What the intercity feed is made of: stations, lines, published figures, modelled service.

Every number here is either read from ../shared/data/jjj (rail_lines.csv, cities.csv,
notes.md; the ``source`` strings say which) or is a modelling assumption, marked
``MODELLED``. Station chainages (km) are from rail_lines.csv where it gives them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["LINES", "STATIONS", "LineSpec", "Pattern", "StationSpec"]


@dataclass(frozen=True)
class StationSpec:
    """A railway station and how its coordinate is found.

    ``coord`` is one of ``city:<cities.csv name>`` (the row's coordinate is this
    station's), ``centre:<cities.csv name>`` (a city-centre coordinate stands in),
    ``subway:<Tools station>`` (the co-located subway station's OSM coordinate),
    ``notes:lat,lon`` (a coordinate quoted in notes.md) or ``interpolate``
    (placed along its line between located stations, by km where known).
    """

    name_en: str
    name_zh: str
    coord: str
    coord_note: str = ""


STATIONS: dict[str, StationSpec] = {
    s.name_en: s
    for s in (
        StationSpec("Beijing South", "北京南", "city:Beijing"),
        StationSpec("Beijing West", "北京西", "subway:北京西站"),
        StationSpec(
            "Beijing North",
            "北京北",
            "subway:西直门",
            "the station adjoins Xizhimen subway station (not stated in the sources)",
        ),
        StationSpec("Qinghe", "清河", "subway:清河站"),
        StationSpec("Beijing Chaoyang", "北京朝阳", "subway:朝阳站"),
        StationSpec("Yizhuang", "亦庄", "subway:亦庄火车站"),
        StationSpec("Daxing Airport", "大兴机场", "subway:大兴机场"),
        StationSpec(
            "Changping",
            "昌平",
            "subway:昌平",
            "the Changping Line station of the same name (not stated in the sources)",
        ),
        StationSpec("Beijing Sub-Center", "北京城市副中心", "city:Beijing Sub-Centre (Tongzhou)"),
        StationSpec("Tianjin", "天津", "city:Tianjin"),
        StationSpec("Binhai", "滨海", "city:Binhai New Area"),
        StationSpec("Shijiazhuang", "石家庄", "city:Shijiazhuang"),
        StationSpec("Cangzhou West", "沧州西", "city:Cangzhou"),
        StationSpec("Xiong'an", "雄安", "city:Xiong'an New Area"),
        StationSpec("Baoding", "保定", "city:Baoding"),
        StationSpec("Tangshan", "唐山", "centre:Tangshan"),
        StationSpec("Qinhuangdao", "秦皇岛", "centre:Qinhuangdao"),
        StationSpec("Zhangjiakou", "张家口", "centre:Zhangjiakou"),
        StationSpec("Chengde South", "承德南", "centre:Chengde"),
        StationSpec("Langfang", "廊坊", "centre:Langfang"),
        StationSpec("Xingtai East", "邢台东", "centre:Xingtai"),
        StationSpec("Handan East", "邯郸东", "centre:Handan"),
        StationSpec("Yanqing", "延庆", "centre:Yanqing"),
        StationSpec(
            "Taizicheng",
            "太子城",
            "centre:Chongli",
            "no coordinates found for Taizicheng station; Chongli district centre used",
        ),
        StationSpec(
            "Tianjin West",
            "天津西",
            "centre:Tianjin",
            "no coordinates found for Tianjin West; Tianjin station's (about 3 km away) used",
        ),
        StationSpec("Tianjin South", "天津南", "interpolate"),
        StationSpec("Wuqing", "武清", "interpolate"),
        StationSpec("Junliangcheng North", "军粮城北", "interpolate"),
        StationSpec("Binhai West", "滨海西", "interpolate"),
        StationSpec("Tanggu", "塘沽", "interpolate"),
        StationSpec("Zhuozhou East", "涿州东", "interpolate"),
        StationSpec("Gaobeidian East", "高碑店东", "interpolate"),
        StationSpec("Baoding East", "保定东", "interpolate"),
        StationSpec("Dingzhou East", "定州东", "interpolate"),
        StationSpec("Zhengding Airport", "正定机场", "interpolate"),
        StationSpec("Gaoyi West", "高邑西", "interpolate"),
        StationSpec("Badaling Great Wall", "八达岭长城", "interpolate"),
        StationSpec("Donghuayuan North", "东花园北", "interpolate"),
        StationSpec("Huailai", "怀来", "interpolate"),
        StationSpec("Xiahuayuan North", "下花园北", "interpolate"),
        StationSpec("Xuanhua North", "宣化北", "interpolate"),
        StationSpec("Gu'an East", "固安东", "interpolate"),
        StationSpec("Bazhou North", "霸州北", "interpolate"),
        StationSpec("Shunyi West", "顺义西", "interpolate"),
        StationSpec("Huairou South", "怀柔南", "interpolate"),
        StationSpec("Miyun", "密云", "interpolate"),
        StationSpec("Xinglong County West", "兴隆县西", "interpolate"),
        StationSpec("Anjiang", "安匠", "interpolate"),
        StationSpec("Yanjiao", "燕郊", "interpolate"),
        StationSpec("Dachang", "大厂", "interpolate"),
        StationSpec("Xianghe", "香河", "interpolate"),
        StationSpec("Baodi", "宝坻", "interpolate"),
        StationSpec("Yutian South", "玉田南", "interpolate"),
        StationSpec("Tangshan West", "唐山西", "interpolate"),
        StationSpec("Binhai North", "滨海北", "interpolate"),
        StationSpec("Luanhe", "滦河", "interpolate"),
        StationSpec("Beidaihe", "北戴河", "interpolate"),
        StationSpec("Shengfang", "胜芳", "interpolate"),
        StationSpec("Bazhou West", "霸州西", "interpolate"),
        StationSpec("Baigou", "白沟", "interpolate"),
        StationSpec("Baiyangdian", "白洋淀", "interpolate"),
        StationSpec("Xushui", "徐水", "interpolate"),
        StationSpec("Anci", "安次", "interpolate"),
        StationSpec("Yongqing East", "永清东", "interpolate"),
    )
}


@dataclass(frozen=True)
class Pattern:
    """A stopping pattern: the stations called at and trains per day each way."""

    stops: tuple[str, ...]
    trains_per_day: int
    label: str


@dataclass(frozen=True)
class LineSpec:
    """One route of the feed.

    ``stations`` in order with km from the first where the source gives it;
    ``fixed`` pins the non-stop running time (minutes from the first station) at
    stations where a published fastest time exists; running time between pinned
    stations is shared out by km (or straight-line distance when km is missing).
    """

    route_id: str
    name_en: str
    name_zh: str
    source_line: str  # the line column of rail_lines.csv
    stations: tuple[tuple[str, float | None], ...]
    fixed: dict[str, float]
    fixed_source: str
    patterns: tuple[Pattern, ...]
    frequency_source: str
    extra_fixed: dict[str, float] = field(default_factory=dict)


#: Minutes added per intermediate call (braking, dwell, acceleration). MODELLED.
CALL_PENALTY_MIN = 3.0
#: Dwell at an intermediate call, part of the penalty above. MODELLED.
DWELL_MIN = 1.0
#: Service hours when no first/last train is published. MODELLED.
FIRST_DEPARTURE = "06:30:00"
LAST_DEPARTURE = "21:30:00"

LINES: tuple[LineSpec, ...] = (
    LineSpec(
        route_id="jingjin",
        name_en="Beijing–Tianjin intercity",
        name_zh="京津城际铁路",
        source_line="Beijing–Tianjin intercity",
        stations=(
            ("Beijing South", 0.0),
            ("Yizhuang", 21.321),
            ("Wuqing", 83.242),
            ("Tianjin", 116.939),
        ),
        fixed={"Beijing South": 0, "Tianjin": 30},
        fixed_source="Beijing South–Tianjin fastest 30 min (rail_lines.csv)",
        patterns=(
            Pattern(("Beijing South", "Tianjin"), 32, "non-stop"),
            Pattern(("Beijing South", "Yizhuang", "Wuqing", "Tianjin"), 15, "all stations"),
        ),
        frequency_source=(
            "47 trains per direction (2008 opening count, rail_lines.csv; current count not "
            "verified); the split into 32 non-stop and 15 stopping trains is MODELLED"
        ),
    ),
    LineSpec(
        route_id="jingjin_binhai",
        name_en="Beijing–Tianjin intercity, Binhai extension",
        name_zh="京津城际铁路延伸线",
        source_line="Beijing–Tianjin intercity extension",
        stations=(
            ("Beijing South", 0.0),
            ("Tianjin", 116.939),
            ("Junliangcheng North", None),
            ("Binhai West", None),
            ("Tanggu", None),
            ("Binhai", 116.939 + 44.75),
        ),
        fixed={"Beijing South": 0, "Tianjin": 30, "Binhai": 45},
        fixed_source=(
            "Beijing South–Tianjin 30 min, Beijing South–Binhai (Yujiapu) 45 min (rail_lines.csv)"
        ),
        patterns=(
            Pattern(("Beijing South", "Tianjin", "Binhai"), 17, "Tianjin only"),
            Pattern(
                (
                    "Beijing South",
                    "Tianjin",
                    "Junliangcheng North",
                    "Binhai West",
                    "Tanggu",
                    "Binhai",
                ),
                18,
                "all stations",
            ),
        ),
        frequency_source=(
            "~35 departures a day from Yujiapu at its 2015 opening (rail_lines.csv); the split "
            "between patterns is MODELLED"
        ),
    ),
    LineSpec(
        route_id="jinghu",
        name_en="Beijing–Shanghai HSR (Beijing South–Cangzhou West)",
        name_zh="京沪高速铁路",
        source_line="Beijing–Shanghai HSR (Beijing South–Cangzhou West section)",
        stations=(
            ("Beijing South", 0.0),
            ("Langfang", 59.5),
            ("Tianjin South", 131.4),
            ("Cangzhou West", 219.27),
        ),
        fixed={"Beijing South": 0, "Cangzhou West": 219.27 / 117.0 * 30},
        fixed_source=(
            "no fastest time published: MODELLED at the Beijing–Tianjin intercity's published "
            "average (117 km in 30 min)"
        ),
        patterns=(
            Pattern(("Beijing South", "Langfang", "Tianjin South", "Cangzhou West"), 16, "all"),
        ),
        frequency_source="not found in the sources: 16 a day MODELLED",
    ),
    LineSpec(
        route_id="jingguang",
        name_en="Beijing–Guangzhou HSR (Beijing West–Handan East)",
        name_zh="京广高速铁路",
        source_line="Beijing–Guangzhou HSR (Beijing West–Handan East section)",
        stations=(
            ("Beijing West", 0.0),
            ("Zhuozhou East", 59.0),
            ("Gaobeidian East", 84.0),
            ("Baoding East", 139.0),
            ("Dingzhou East", 200.0),
            ("Zhengding Airport", 244.0),
            ("Shijiazhuang", 280.0),
            ("Gaoyi West", 323.0),
            ("Xingtai East", 384.0),
            ("Handan East", 437.0),
        ),
        fixed={"Beijing West": 0, "Baoding East": 41, "Shijiazhuang": 60},
        extra_fixed={"Handan East": 60 + 157 / 280 * 60},
        fixed_source=(
            "Beijing West–Shijiazhuang about 60 min; Beijing–Baoding East fastest 41 min "
            "(rail_lines.csv); south of Shijiazhuang MODELLED at the Beijing West–Shijiazhuang "
            "average"
        ),
        patterns=(
            Pattern(("Beijing West", "Shijiazhuang"), 20, "non-stop"),
            Pattern(
                (
                    "Beijing West",
                    "Baoding East",
                    "Shijiazhuang",
                    "Xingtai East",
                    "Handan East",
                ),
                20,
                "fast",
            ),
            Pattern(
                (
                    "Beijing West",
                    "Zhuozhou East",
                    "Gaobeidian East",
                    "Baoding East",
                    "Dingzhou East",
                    "Zhengding Airport",
                    "Shijiazhuang",
                    "Gaoyi West",
                    "Xingtai East",
                    "Handan East",
                ),
                20,
                "all stations",
            ),
        ),
        frequency_source=(
            "~60 high-speed pairs stopping at Shijiazhuang at the 2012 opening (rail_lines.csv); "
            "the three equal patterns are MODELLED"
        ),
    ),
    LineSpec(
        route_id="jingzhang",
        name_en="Beijing–Zhangjiakou HSR",
        name_zh="京张高速铁路",
        source_line="Beijing–Zhangjiakou HSR",
        stations=(
            ("Beijing North", None),
            ("Qinghe", None),
            ("Changping", None),
            ("Badaling Great Wall", None),
            ("Donghuayuan North", None),
            ("Huailai", None),
            ("Xiahuayuan North", None),
            ("Xuanhua North", None),
            ("Zhangjiakou", 173.947),
        ),
        fixed={"Beijing North": 0, "Qinghe": 56 - 47, "Zhangjiakou": 56},
        fixed_source=(
            "Beijing North–Zhangjiakou 56 min and Qinghe–Zhangjiakou 47 min (rail_lines.csv)"
        ),
        patterns=(
            Pattern(("Beijing North", "Qinghe", "Zhangjiakou"), 11, "fast"),
            Pattern(
                (
                    "Beijing North",
                    "Qinghe",
                    "Changping",
                    "Badaling Great Wall",
                    "Donghuayuan North",
                    "Huailai",
                    "Xiahuayuan North",
                    "Xuanhua North",
                    "Zhangjiakou",
                ),
                11,
                "all stations",
            ),
        ),
        frequency_source=(
            "22 pairs in the first timetable (rail_lines.csv); the split into fast and stopping "
            "trains is MODELLED"
        ),
    ),
    LineSpec(
        route_id="jingzhang_yanqing",
        name_en="Beijing–Zhangjiakou HSR, Yanqing branch",
        name_zh="京张高铁延庆线",
        source_line="Beijing–Zhangjiakou HSR Yanqing branch",
        stations=(
            ("Beijing North", None),
            ("Qinghe", None),
            ("Changping", None),
            ("Yanqing", None),
        ),
        fixed={"Beijing North": 0, "Qinghe": 9, "Yanqing": 9 + 26},
        fixed_source="Qinghe–Yanqing 26 min (rail_lines.csv); Beijing North–Qinghe as above",
        patterns=(Pattern(("Beijing North", "Qinghe", "Changping", "Yanqing"), 6, "all"),),
        frequency_source="not found in the sources: 6 a day MODELLED",
    ),
    LineSpec(
        route_id="chongli",
        name_en="Chongli railway (Taizicheng branch)",
        name_zh="崇礼铁路",
        source_line="Chongli railway (Beijing–Zhangjiakou HSR Taizicheng branch)",
        stations=(
            ("Beijing North", None),
            ("Qinghe", None),
            ("Xiahuayuan North", None),
            ("Taizicheng", None),
        ),
        fixed={"Beijing North": 0, "Qinghe": 9, "Taizicheng": 64},
        fixed_source="Beijing–Taizicheng 1 h 04 in the first timetable (rail_lines.csv)",
        patterns=(
            Pattern(("Beijing North", "Qinghe", "Xiahuayuan North", "Taizicheng"), 8, "all"),
        ),
        frequency_source=(
            "17 pairs ran during the 2022 Games (rail_lines.csv); 8 a day outside them MODELLED"
        ),
    ),
    LineSpec(
        route_id="jingxiong",
        name_en="Beijing–Xiong'an intercity",
        name_zh="京雄城际铁路",
        source_line="Beijing–Xiong'an intercity",
        stations=(
            ("Beijing West", 0.0),
            ("Daxing Airport", 91.0 - 59.0),
            ("Gu'an East", None),
            ("Bazhou North", None),
            ("Xiong'an", 91.0),
        ),
        fixed={"Beijing West": 0, "Daxing Airport": 50 - 19, "Xiong'an": 50},
        fixed_source=(
            "Beijing West–Xiong'an ~50 min, Daxing Airport–Xiong'an 19 min, 59 km of 91 "
            "(rail_lines.csv)"
        ),
        patterns=(
            Pattern(("Beijing West", "Daxing Airport", "Xiong'an"), 10, "fast"),
            Pattern(
                ("Beijing West", "Daxing Airport", "Gu'an East", "Bazhou North", "Xiong'an"),
                6,
                "all stations",
            ),
        ),
        frequency_source="not found in the sources: 16 a day MODELLED",
    ),
    LineSpec(
        route_id="jingcheng",
        name_en="Beijing–Harbin HSR (Beijing Chaoyang–Chengde South)",
        name_zh="京哈高速铁路京承段",
        source_line="Beijing–Harbin HSR (Beijing Chaoyang–Chengde South section)",
        stations=(
            ("Beijing Chaoyang", 0.0),
            ("Shunyi West", None),
            ("Huairou South", None),
            ("Miyun", None),
            ("Xinglong County West", None),
            ("Anjiang", None),
            ("Chengde South", 192.0),
        ),
        fixed={"Beijing Chaoyang": 0, "Miyun": 20, "Chengde South": 49},
        fixed_source=(
            "Beijing Chaoyang–Chengde 49 min (rail_lines.csv); Miyun ~20 min (notes.md, "
            "china.org.cn)"
        ),
        patterns=(
            Pattern(("Beijing Chaoyang", "Chengde South"), 6, "non-stop"),
            Pattern(
                (
                    "Beijing Chaoyang",
                    "Shunyi West",
                    "Huairou South",
                    "Miyun",
                    "Xinglong County West",
                    "Anjiang",
                    "Chengde South",
                ),
                6,
                "all stations",
            ),
        ),
        frequency_source=(
            "12 Beijing–Harbin round trips a day after opening (rail_lines.csv); Chengde-only "
            "trains not counted; the split is MODELLED"
        ),
    ),
    LineSpec(
        route_id="jingtang",
        name_en="Beijing–Tangshan intercity",
        name_zh="京唐城际铁路",
        source_line="Beijing–Tangshan intercity",
        stations=(
            ("Beijing Sub-Center", 0.0),
            ("Yanjiao", None),
            ("Dachang", None),
            ("Xianghe", None),
            ("Baodi", None),
            ("Yutian South", None),
            ("Tangshan West", None),
            ("Tangshan", 173.0),
        ),
        fixed={"Beijing Sub-Center": 0, "Tangshan": 55},
        fixed_source="Tongzhou (Sub-Center)–Tangshan fastest 55 min (rail_lines.csv)",
        patterns=(
            Pattern(("Beijing Sub-Center", "Baodi", "Tangshan"), 8, "fast"),
            Pattern(
                (
                    "Beijing Sub-Center",
                    "Yanjiao",
                    "Dachang",
                    "Xianghe",
                    "Baodi",
                    "Yutian South",
                    "Tangshan West",
                    "Tangshan",
                ),
                8,
                "all stations",
            ),
        ),
        frequency_source="not found in the sources: 16 a day MODELLED",
    ),
    LineSpec(
        route_id="jinqin",
        name_en="Tianjin–Qinhuangdao HSR",
        name_zh="津秦高速铁路",
        source_line="Tianjin–Qinhuangdao HSR (Jinqin)",
        stations=(
            ("Tianjin West", None),
            ("Tianjin", None),
            ("Junliangcheng North", None),
            ("Binhai", None),
            ("Binhai North", None),
            ("Tangshan", None),
            ("Luanhe", None),
            ("Beidaihe", None),
            ("Qinhuangdao", 287.0),
        ),
        fixed={"Tianjin West": 0, "Qinhuangdao": 71},
        fixed_source=(
            "Tianjin West–Qinhuangdao fastest 1 h 11, all stations 1 h 35 (rail_lines.csv)"
        ),
        patterns=(
            Pattern(("Tianjin West", "Tianjin", "Tangshan", "Qinhuangdao"), 8, "fast"),
            Pattern(
                (
                    "Tianjin West",
                    "Tianjin",
                    "Junliangcheng North",
                    "Binhai",
                    "Binhai North",
                    "Tangshan",
                    "Luanhe",
                    "Beidaihe",
                    "Qinhuangdao",
                ),
                8,
                "all stations",
            ),
        ),
        frequency_source="not found in the sources: 16 a day MODELLED",
    ),
    LineSpec(
        route_id="jinbao",
        name_en="Tianjin–Baoding intercity",
        name_zh="津保铁路",
        source_line="Tianjin–Baoding intercity",
        stations=(
            ("Tianjin West", 0.0),
            ("Shengfang", None),
            ("Bazhou West", None),
            ("Baigou", None),
            ("Baiyangdian", None),
            ("Xushui", None),
            ("Baoding", 157.925),
        ),
        fixed={"Tianjin West": 0, "Baoding": 60 - 5 * 3},
        fixed_source=(
            "no fastest time published; the planned '<1 hour' (rail_lines.csv) is taken as the "
            "all-stations time: MODELLED"
        ),
        patterns=(
            Pattern(
                (
                    "Tianjin West",
                    "Shengfang",
                    "Bazhou West",
                    "Baigou",
                    "Baiyangdian",
                    "Xushui",
                    "Baoding",
                ),
                8,
                "all stations",
            ),
        ),
        frequency_source="not found in the sources: 8 a day MODELLED",
    ),
    LineSpec(
        route_id="jinxing",
        name_en="Tianjin–Daxing Airport intercity",
        name_zh="津兴城际铁路",
        source_line="Tianjin–Daxing Airport intercity (Jinxing)",
        stations=(
            ("Tianjin West", 0.0),
            ("Shengfang", None),
            ("Anci", None),
            ("Yongqing East", None),
            ("Gu'an East", None),
            ("Daxing Airport", 101.0),
        ),
        fixed={"Tianjin West": 0, "Daxing Airport": 41},
        fixed_source="Tianjin West–Daxing Airport fastest 41 min (rail_lines.csv)",
        patterns=(
            Pattern(
                (
                    "Tianjin West",
                    "Shengfang",
                    "Anci",
                    "Yongqing East",
                    "Gu'an East",
                    "Daxing Airport",
                ),
                8,
                "all stations",
            ),
        ),
        frequency_source="8 a day at the 2023 opening (rail_lines.csv)",
    ),
)
