"""Air defense identification zones as published, turned into polygons.

Corners are typed here as the announcing documents give them (degrees, minutes, seconds;
latitude first), so a reviewer can check each against the document named beside it. Where a
document's text was not at hand, the corner is marked `published=False` and the gazetteer
entry's note says the boundary is approximate there.

All four polygons are the area inside each zone's outer line. Japan's directive also cuts out
an "inner line" close to its coasts, and China's zone ends at its territorial sea; neither cut
matters at the scale news places things, so both are left out (China's closing side runs along
its 1996 baseline points instead of 12 nautical miles seaward of them).
"""

from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry import Polygon


@dataclass(frozen=True)
class Corner:
    lat: tuple[float, ...]  # (degrees, minutes, seconds), trailing parts optional
    lon: tuple[float, ...]
    published: bool = True

    @property
    def lonlat(self) -> tuple[float, float]:
        return _degrees(self.lon), _degrees(self.lat)


def _degrees(parts: tuple[float, ...]) -> float:
    degrees, minutes, seconds = (*parts, 0.0, 0.0)[:3]
    return degrees + minutes / 60 + seconds / 3600


def _approx(lon: float, lat: float) -> Corner:
    """A corner read off published maps, not from the defining text."""
    return Corner((lat,), (lon,), published=False)


# Japan: Ministry of Defense directive No. 36 of 1969 (防空識別圏における飛行要領に関する訓令),
# article 2(2), outer-line points (1)–(7) as amended (text on ja.wikisource.org). Points (8) on
# are approximated: the line runs south along 125°E, meets Taiwan's zone at 123°E, bulges 14
# nautical miles west around Yonaguni since the 2010 amendment, and closes east of the Nansei
# and Izu islands and off Hokkaido leaving out the Russian-held southern Kurils.
JAPAN_ADIZ = (
    Corner((45, 45, 7), (138, 44, 47)),
    Corner((40, 40, 9), (132, 59, 50)),
    Corner((37, 17, 10), (132, 59, 50)),
    Corner((36, 0, 11), (130, 29, 51)),
    Corner((35, 13, 11), (129, 47, 52)),
    Corner((33, 0, 12), (126, 59, 53)),
    Corner((33, 0, 12), (124, 59, 53)),
    _approx(125.0, 30.0),
    _approx(123.0, 29.0),
    _approx(123.0, 24.735),
    _approx(122.85, 24.71),
    _approx(122.72, 24.6),
    _approx(122.68, 24.455),
    _approx(122.72, 24.31),
    _approx(122.85, 24.2),
    _approx(123.0, 24.175),
    _approx(123.0, 23.0),
    _approx(132.0, 23.0),
    _approx(138.0, 28.0),
    _approx(142.0, 29.5),
    _approx(145.0, 33.0),
    _approx(147.0, 38.0),
    _approx(147.0, 42.5),
    _approx(145.95, 43.3),
    _approx(145.6, 43.45),
    _approx(145.3, 43.7),
    _approx(145.4, 44.1),
    _approx(145.45, 44.45),
    _approx(145.2, 45.0),
    _approx(142.2, 45.8),
)

# South Korea: the zone announced by the Ministry of National Defense on 8 December 2013
# (in force 15 December 2013), whose southern part follows the Incheon FIR; main boundary
# points as reported that day (e.g. newdaily.co.kr/site/data/html/2013/12/08/2013120800033.html).
# The report prints the south-west corner as 30°N 122°25'E; the FIR corner is 30°N 125°25'E,
# which is used here (122°25'E would reach the Zhoushan coast). The two corners on Japan's line
# are Japan's points (4) and (5) above, which the two zones share.
KOREA_ADIZ = (
    Corner((39, 0), (123, 30)),
    Corner((39, 0), (133, 0)),
    Corner((37, 17), (133, 0)),
    Corner((36, 0, 11), (130, 29, 51)),
    Corner((35, 13, 11), (129, 47, 52)),
    Corner((34, 17), (128, 52)),
    Corner((32, 30), (127, 30)),
    Corner((32, 30), (126, 50)),
    Corner((30, 0), (125, 25)),  # printed as 122°25'E in the report; see above
    Corner((30, 0), (124, 0)),
    Corner((37, 0), (124, 0)),
)

# China: statement of the PRC government of 23 November 2013 (Ministry of National Defense,
# via Xinhua, e.g. news.xinhuanet.com/mil/2013-11/23/c_118262792.htm): the six points, closed
# by "the outer limit of China's territorial sea". That side is drawn through the mainland
# baseline points of the PRC declaration of 15 May 1996 (points 10–18).
CHINA_ECS_ADIZ = (
    Corner((33, 11), (121, 47)),
    Corner((33, 11), (125, 0)),
    Corner((31, 0), (128, 20)),
    Corner((25, 38), (125, 0)),
    Corner((24, 45), (123, 0)),
    Corner((26, 44), (120, 58)),
    Corner((27, 27.9), (121, 7.8)),  # baseline 18 Daotiaoshan
    Corner((28, 23.9), (121, 55.0)),  # baseline 16 Taizhou Liedao (1)
    Corner((28, 53.3), (122, 16.5)),  # baseline 15 Yushan Liedao
    Corner((30, 10.1), (122, 56.7)),  # baseline 14 Liangxiongdi Yu
    Corner((30, 44.1), (123, 9.4)),  # baseline 12 Haijiao
    Corner((31, 25.3), (122, 14.6)),  # baseline 11 Sheshan Dao
    Corner((33, 0.9), (121, 38.4)),  # baseline 10 Waikejiao
)

# Taiwan: the line 22°30'N 123°E – 21°N 121°30'E bounds the zone to the south-east (Ministry
# of National Defense, 2 December 2013, as reported by Taiwan Today); 123°E is the line with
# Japan's zone (Ministry of Foreign Affairs, 29 May 2010). The zone spans 21°N–29°N; its west
# side at 117°30'E (the Taipei FIR's) is approximate.
TAIWAN_ADIZ = (
    Corner((21, 0), (121, 30)),
    Corner((22, 30), (123, 0)),
    Corner((29, 0), (123, 0)),
    _approx(117.5, 29.0),
    _approx(117.5, 21.0),
)

ZONES: dict[str, tuple[Corner, ...]] = {
    "japan-adiz": JAPAN_ADIZ,
    "korea-adiz": KOREA_ADIZ,
    "china-ecs-adiz": CHINA_ECS_ADIZ,
    "taiwan-adiz": TAIWAN_ADIZ,
}


def zone_polygon(place_id: str) -> Polygon:
    """The zone's outer line as a polygon (corners joined by straight lines in lon/lat)."""
    polygon = Polygon([corner.lonlat for corner in ZONES[place_id]])
    if not polygon.is_valid:
        raise ValueError(f"{place_id}: corners do not make a simple polygon")
    return polygon
