"""Japanese, Chinese, Korean and Russian documents: each rule family in each language.

The documents are short reports written for these tests (not copied from any outlet); each test
asserts on what `drillmap extract` would print for them.
"""

from __future__ import annotations

from datetime import date

import pytest

from geo.domain.model import Document, DocumentMeta
from geo.extraction.pipeline import extract_document, extraction_json
from geo.extraction.rules.native_time import resolve
from geo.extraction.scan import KeywordIndex
from geo.extraction.text import split_sentences
from geo.extraction.vocab.native import native_vocab
from geo.gazetteer.native import native_matcher, russian_term
from geo.gazetteer.places import default_gazetteer


def extract(text: str, published: str | None = "2023-07-21", lang: str | None = None) -> dict:
    meta = DocumentMeta(
        doc_id="t",
        path="t.txt",
        published=date.fromisoformat(published) if published else None,
        lang=lang,
    )
    return extraction_json(extract_document(Document(meta, text)))


def events(text: str, **kwargs) -> list[tuple]:
    return [
        (e["kind"], e["year"], e["actors"], e["places"]) for e in extract(text, **kwargs)["events"]
    ]


def places(text: str, lang: str) -> list[tuple[str, str]]:
    gazetteer = default_gazetteer()
    found = native_matcher(gazetteer, lang).find(text)
    for mention in found:
        assert text[mention.start : mention.end] == mention.text
    return [(m.text, gazetteer[m.place_id].name) for m in found]


# ---------------------------------------------------------------- places, without spaces


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("ja", "中国海軍の艦艇が日本海で演習", [("日本海", "Sea of Japan")]),
        (
            "ja",
            "東シナ海から宮古海峡を抜けた",
            [("東シナ海", "East China Sea"), ("宮古海峡", "Miyako Strait")],
        ),
        ("ja", "尖閣諸島周辺の領海", [("尖閣諸島", "Senkaku Islands")]),
        ("ja", "竹島の北", [("竹島", "Liancourt Rocks")]),
        ("ja", "対馬海峡を北上", [("対馬海峡", "Korea Strait")]),
        ("ja", "沖縄本島と宮古島の間を通過", [("沖縄本島と宮古島の間", "Miyako Strait")]),
        ("ja", "日本の防空識別圏に入った", [("日本の防空識別圏", "Japan ADIZ")]),
        ("zh", "在东海相关空域巡航", [("东海", "East China Sea")]),
        ("zh", "钓鱼岛领海", [("钓鱼岛", "Senkaku Islands")]),
        ("zh", "釣魚台列嶼周邊", [("釣魚台列嶼", "Senkaku Islands")]),
        (
            "zh",
            "臺灣海峽與台湾海峡",
            [("臺灣海峽", "Taiwan Strait"), ("台湾海峡", "Taiwan Strait")],
        ),
        # 以東海 is "east of", not the East China Sea (東海).
        ("zh", "臺灣以東海域", [("臺灣", "Taiwan")]),
        ("ko", "동해상으로 발사", [("동해상", "Sea of Japan")]),
        (
            "ko",
            "독도 동북쪽 방공식별구역에 진입",
            [("독도", "Liancourt Rocks"), ("방공식별구역", "Korea ADIZ")],
        ),
        ("ko", "대한해협을 통과", [("대한해협", "Korea Strait")]),
        ("ko", "동중국해 상공", [("동중국해", "East China Sea")]),
        ("ru", "в Японском море", [("Японском море", "Sea of Japan")]),
        ("ru", "акватории Японского моря", [("Японского моря", "Sea of Japan")]),
        ("ru", "над Восточно-Китайским морем", [("Восточно-Китайским морем", "East China Sea")]),
        ("ru", "у Курильских островов", [("Курильских островов", "Kuril Islands")]),
    ],
)
def test_native_names_are_found_inside_unspaced_text_with_exact_offsets(lang, text, expected):
    assert places(text, lang) == expected


def test_simplified_and_traditional_chinese_name_the_same_places():
    simplified = places("钓鱼岛、台湾海峡、东海、黄海", "zh")
    traditional = places("釣魚島、臺灣海峽、東海、黃海", "zh")
    assert [name for _, name in simplified] == [name for _, name in traditional]


def test_russian_names_take_their_case_endings():
    assert russian_term("Японское море") == "Японск* мор*"
    assert russian_term("Курилы") == "Курил*"


def test_a_cjk_key_needs_no_word_boundary_but_an_english_one_does():
    keys = KeywordIndex()
    keys.add("t", "日本海")
    keys.add("t", "ran")
    text = "中国軍が日本海で. grant ran"
    hits = [(s, e) for s, e, _ in keys.scan(text)["t"]]
    assert [text[s:e] for s, e in hits] == ["日本海", "ran"]


# ---------------------------------------------------------------- sentences


def test_sentences_end_at_full_width_stops_without_a_space():
    text = "防衛省は20日に発表した。「中国軍機が飛行した！」本当か？次の文．"
    assert [s.text for s in split_sentences(text)] == [
        "防衛省は20日に発表した。",
        "「中国軍機が飛行した！」",
        "本当か？",
        "次の文．",
    ]
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


def test_russian_sentences_end_before_a_cyrillic_capital():
    assert [s.text for s in split_sentences("Это первое. Второе тоже.")] == [
        "Это первое.",
        "Второе тоже.",
    ]


# ---------------------------------------------------------------- signals and kinds


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("中国海軍の駆逐艦2隻が20日、宮古海峡を通過した。", "naval_patrol"),
        ("ロシア海軍の艦艇10隻が日本海で演習を行った。", "naval_exercise"),
        ("中国とロシアの爆撃機が東シナ海上空で共同飛行した。", "air_patrol"),
        ("北朝鮮が日本海に向けて弾道ミサイル1発を発射した。", "missile_launch"),
        ("ロシア軍の哨戒機が礼文島の北で領空を侵犯した。", "other"),
        ("米空軍のB-52爆撃機と航空自衛隊の戦闘機が日本海上空で共同訓練を行った。", "bomber_flight"),
        ("中国軍のH-6爆撃機2機が沖縄本島と宮古島の間の上空を通って太平洋に出た。", "bomber_flight"),
        ("中国海軍の艦艇が宮古海峡を引き返した。", "naval_patrol"),
        # Types without their hyphen, as the Japanese press writes them.
        ("日米、日本海上空でB52と共同訓練", "bomber_flight"),
        ("アラスカ州の防空識別圏に入り、米国とカナダが戦闘機を発進させた。", "scramble"),
    ],
)
def test_japanese_signals_give_the_kind(text, kind):
    assert [e[0] for e in events(text)] == [kind]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("中俄两国空军在日本海、东海相关空域组织联合空中战略巡航。", "air_patrol"),
        ("解放军东部战区在台湾海峡举行联合演习，驱逐舰编队参加。", "naval_exercise"),
        ("山東號航艦編隊通過巴士海峽。", "naval_patrol"),
        ("火箭军向太平洋相关公海海域发射弹道导弹。", "missile_launch"),
    ],
)
def test_chinese_signals_give_the_kind(text, kind):
    assert [e[0] for e in events(text)] == [kind]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("중국 군용기 2대와 러시아 군용기 4대가 동해 상공의 카디즈에 진입했다.", "air_patrol"),
        ("북한이 동해상으로 탄도미사일 1발을 발사했다.", "missile_launch"),
        ("한미 해군은 동해에서 연합훈련을 실시했다. 구축함이 참가했다.", "naval_exercise"),
        ("한미 공군이 오늘 서해 상공에서 연합공중훈련을 실시했다.", "air_patrol"),
    ],
)
def test_korean_signals_give_the_kind(text, kind):
    assert [e[0] for e in events(text)][:1] == [kind]


def test_the_allies_forces_name_both_allies():
    # "한미 해군": the two navies, not the "미 해군" inside it alone.
    text = "한미 해군이 오늘 제주 남방 해역에서 연합해상훈련을 실시했다."
    assert [actors for _, _, actors, _ in events(text)] == [["United States", "South Korea"]]
    # "根据中俄两军年度合作计划": under the two militaries' plan, not "据" (according to) them.
    text = "根据中俄两军年度合作计划，两国空军在日本海上空组织实施联合空中战略巡航。"
    assert [actors for _, _, actors, _ in events(text)] == [["China", "Russia"]]
    # "美日海军": the navies of the two just named, not the PLA Navy a bare "海军" means.
    text = "美日海军在菲律宾海举行联合演习。"
    assert [actors for _, _, actors, _ in events(text)] == [["United States", "Japan"]]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Корабли Тихоокеанского флота провели учения в Японском море.", "naval_exercise"),
        (
            "Российские и китайские бомбардировщики выполнили совместное патрулирование "
            "над Японским морем.",
            "air_patrol",
        ),
        ("КНДР произвела пуск баллистической ракеты в сторону Японского моря.", "missile_launch"),
        ("Отряд кораблей ТОФ действовал юго-восточнее Хоккайдо.", "naval_patrol"),
        ("Бомбардировщики несколько раз заходили в KADIZ над Японским морем.", "air_patrol"),
        ("Российский А-50 дважды вторгся в воздушное пространство над Токто.", "other"),
    ],
)
def test_russian_signals_give_the_kind(text, kind):
    assert [e[0] for e in events(text)] == [kind]


def test_a_denied_violation_is_no_event():
    found = events("中国軍機が日本海上空を飛行した。領空侵犯はなかった。")
    assert [e[0] for e in found] == ["air_patrol"]
    assert events("2架中国军机进入韩国防空识别区，未侵犯韩国领空。")[0][0] == "air_patrol"


# ---------------------------------------------------------------- who acted


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        ("防衛省によると、中国海軍の駆逐艦が宮古海峡を通過した。", ["China"]),
        ("韓国軍合同参謀本部によると、ロシア軍機が日本海上空を飛行した。", ["Russia"]),
        ("합동참모본부에 따르면 중국 군용기가 카디즈에 진입했다.", ["China"]),
        ("据韩国联合参谋本部称，俄罗斯军机进入韩国防空识别区。", ["Russia"]),
        (
            "Минобороны России сообщило, что китайские корабли прошли через Цусимский пролив.",
            ["China"],
        ),
    ],
)
def test_who_reported_it_is_not_who_did_it(text, actors):
    assert events(text)[0][2] == actors


def test_the_scrambling_side_is_its_own_event():
    found = events("中国軍の爆撃機2機が東シナ海上空を飛行し、航空自衛隊が戦闘機を緊急発進させた。")
    assert ("scramble", 2023, ["Japan"], []) in found
    # One side's bombers on their own: a bomber flight, as in English.
    assert ("bomber_flight", 2023, ["China"], ["East China Sea"]) in found


def test_a_place_named_by_a_country_is_not_its_actor():
    assert events("中国海軍の艦艇が日本海で演習を行った。")[0][2] == ["China"]


# ---------------------------------------------------------------- when


@pytest.mark.parametrize(
    ("lang", "text", "year", "day"),
    [
        ("ja", "2023年7月20日に", 2023, date(2023, 7, 20)),
        ("ja", "令和5年7月20日に", 2023, date(2023, 7, 20)),
        ("ja", "令和元年に", 2019, None),
        ("ja", "平成25年（2013年）1月", 2013, None),
        ("ja", "7月20日に", 2023, date(2023, 7, 20)),
        ("ja", "12月20日に", 2022, date(2022, 12, 20)),  # a December in a July story: last year
        ("ja", "20日午前", 2023, date(2023, 7, 20)),
        ("ja", "昨年の演習", 2022, None),
        ("ja", "23年度は669回", 2023, None),
        ("zh", "民國113年10月", 2024, None),
        ("zh", "去年5月21日首次", 2022, date(2022, 5, 21)),
        ("zh", "25日（星期五）", 2023, date(2023, 6, 25)),
        ("zh", "周二", 2023, date(2023, 7, 18)),
        ("ko", "2023년 7월 20일", 2023, date(2023, 7, 20)),
        ("ko", "작년 훈련", 2022, None),
        ("ko", "화요일", 2023, date(2023, 7, 18)),
        ("ru", "в прошлом году", 2022, None),
        ("ru", "20 июля 2023 года", 2023, date(2023, 7, 20)),
        ("ru", "14 декабря", 2022, date(2022, 12, 14)),
        ("ru", "во вторник", 2023, date(2023, 7, 18)),
    ],
)
def test_dates_against_the_document_date(lang, text, year, day):
    when = resolve(text, native_vocab(lang), date(2023, 7, 21), 2023)
    assert when.year == year
    assert when.start == day


# ---------------------------------------------------------------- speculation


@pytest.mark.parametrize(
    "text",
    [
        "中国海軍が日本海で演習を行う可能性がある。",
        "中国海军可能在东海举行演习。",
        "중국 해군이 동해에서 훈련을 할 가능성이 있다.",
        "Россия может провести учения в Японском море.",
    ],
)
def test_speculation_is_kept_apart(text):
    result = extract(text)
    assert result["events"] == []
    assert len(result["speculative"]) == 1


def test_a_cue_before_a_japanese_signal_does_not_make_it_speculative():
    found = events("領空侵犯の恐れがある外国機に対し、航空自衛隊が緊急発進した。")
    assert [kind for kind, *_ in found] == ["scramble"]


# ---------------------------------------------------------------- the same outputs


def test_a_japanese_document_gives_english_names_and_keeps_its_own_evidence():
    result = extract(
        "防衛省統合幕僚監部によると、中国海軍の駆逐艦2隻が20日、宮古海峡を通過し、"
        "東シナ海から太平洋に出た。"
    )
    (event,) = result["events"]
    assert (event["kind"], event["year"], event["actors"]) == ("naval_patrol", 2023, ["China"])
    assert event["places"] == ["Miyako Strait", "East China Sea", "Pacific Ocean"]
    assert event["date_start"] == "2023-07-20"
    assert event["evidence"]["text"].startswith("防衛省統合幕僚監部によると")


def test_lang_overrides_detection():
    text = "Chinese warships sailed through the Miyako Strait."
    assert events(text)[0][0] == "naval_patrol"
    assert extract(text, lang="ja")["events"] == []  # read as Japanese, it says nothing


def test_a_release_in_sections_gives_one_event_from_its_parts():
    text = (
        "統合幕僚監部 報道発表資料\n日米共同訓練の実施について\n令和5年2月19日\n\n"
        "1 目的\n日米の即応態勢を確認する。\n\n2 日時\n令和5年2月19日（日）\n\n"
        "3 場所\n日本海上空\n\n4 参加部隊等\n（1）航空自衛隊：F-15戦闘機 3機\n"
        "（2）米空軍：B-1B爆撃機 2機\n"
    )
    found = [(k, y, sorted(a), p) for k, y, a, p in events(text, published="2023-02-19")]
    assert ("bomber_flight", 2023, ["Japan", "United States"], ["Sea of Japan"]) in found


# ---------------------------------------------------------------- who did it, by context


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        # The ministry's country reports; the aircraft's is the doer.
        (
            "Министерство обороны Японии заявило, что российский самолёт Ил-38 нарушил "
            "воздушное пространство страны над Японским морем.",
            ["Russia"],
        ),
        # "по данным X и Y": both only report.
        (
            "По данным японского правительства и южнокорейских военных, КНДР запустила "
            "баллистическую ракету в сторону Японского моря.",
            ["North Korea"],
        ),
        # A speech verb marks who commented, the genitive after the noun who flew.
        (
            "Токио назвал провокацией совместный полёт российских и китайских "
            "бомбардировщиков над Восточно-Китайским морем.",
            ["Russia", "China"],
        ),
    ],
)
def test_the_reporter_is_told_from_the_doer_by_context(text, actors):
    found = events(text)
    assert found and sorted(found[0][2]) == sorted(actors)


def test_a_type_names_its_owner_when_no_country_is_named():
    found = events("Два Ту-95МС выполнили полёт над Японским морем.", lang="ru")
    assert found == [("bomber_flight", 2023, ["Russia"], ["Sea of Japan"])]


def test_a_type_is_not_the_start_of_a_longer_one():
    # "H-60" is a helicopter, not an H-6 bomber; with no owner there is no actor at all.
    found = events("Вертолёт H-60 пролетел над Японским морем.", lang="ru")
    assert all("China" not in actors for _, _, actors, _ in found)


@pytest.mark.parametrize(
    ("text", "scrambler"),
    [
        # The passive names the fighters' owner after them.
        (
            "Для перехвата цели в воздух были подняты истребители Су-35С из состава дежурных "
            "сил ВВО.",
            ["Russia"],
        ),
        # After "на перехват", the aircraft met are the target, not who scrambled.
        ("Японские истребители поднимались на перехват китайских самолётов.", ["Japan"]),
    ],
)
def test_who_scrambled_when_the_sentence_names_them_after_the_verb(text, scrambler):
    scrambles = [e for e in events(text, lang="ru") if e[0] == "scramble"]
    assert [actors for _, _, actors, _ in scrambles] == [scrambler]


# ---------------------------------------------------------------- kinds and places, by context


def test_a_drill_of_troops_on_islands_is_not_naval():
    found = events("На Итурупе и Кунашире начались учения по отражению десанта.", lang="ru")
    assert [kind for kind, *_ in found] == ["other"]


def test_last_year_is_not_a_passage():
    found = events("Первое учение состоялось в апреле прошлого года в Жёлтом море.", lang="ru")
    assert [(kind, year) for kind, year, *_ in found] == [("naval_exercise", 2022)]


def test_a_missile_goes_on_in_the_next_sentence():
    text = (
        "КНДР запустила баллистическую ракету, которая упала в Тихий океан. "
        "Над Хоккайдо она прошла через две минуты после старта."
    )
    assert [kind for kind, *_ in events(text)] == ["missile_launch"]


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # Islands that bound a passage are not where it went.
        (
            "Десять кораблей прошли Сангарским проливом между островами Хонсю и Хоккайдо.",
            "Tsugaru Strait",
            "Hokkaido",
        ),
        (
            "Отряд кораблей прошёл между главным островом Окинава и островом Мияко.",
            "Miyako Strait",
            "Okinawa",
        ),
        # A larger place after a smaller one only locates it.
        (
            "Самолёт-разведчик пролетел от Хоккайдо до полуострова Ното на острове Хонсю.",
            "Noto Peninsula",
            "Honshu",
        ),
    ],
)
def test_places_that_only_locate_or_bound_another_are_left_out(text, expected, absent):
    found = {p for *_, places in events(text, lang="ru") for p in places}
    assert expected in found and absent not in found


def test_a_denial_a_clause_away_still_denies():
    text = (
        "Японские истребители поднимались на перехват; нарушений воздушного пространства, "
        "как подчеркнули в военном ведомстве, не было."
    )
    assert [kind for kind, *_ in events(text)] == ["scramble"]


def test_shells_fired_are_not_a_missile_launch():
    text = "북한군이 5일 서해 완충구역으로 해안포 포탄 200여 발을 쐈다."
    assert [kind for kind, *_ in events(text, published="2024-01-05")] == ["other"]


def test_a_headline_of_two_reports_gives_each_its_actors():
    text = "한미, 동해 상공서 연합공중훈련…北, 서해로 탄도미사일 발사"
    found = {kind: sorted(actors) for kind, _, actors, _ in events(text)}
    assert found["missile_launch"] == ["North Korea"]


def test_a_quoted_drill_without_a_year_is_kept_without_a_place():
    text = "한미 양국은 10일 연합연습 '자유의 방패'를 시작했다."
    found = events(text, published="2025-03-10")
    assert ("other", 2025, ["South Korea", "United States"], []) in [
        (k, y, sorted(a), p) for k, y, a, p in found
    ]


def test_what_is_done_as_a_rule_is_no_event():
    text = "Экипажи дальней авиации регулярно выполняют полёты над водами Японского моря."
    assert events(text, lang="ru") == []


def test_a_province_outnames_the_sea_inside_its_name():
    # 황해북도 is North Hwanghae Province, where the missiles left from; 황해 is the Yellow Sea.
    # 중화 (Junghwa County) counts as a place: "일대" follows it.
    assert places("황해북도 중화 일대에서", "ko") == [
        ("황해북도", "North Hwanghae Province"),
        ("중화", "Chunghwa"),
    ]
    found = events("북한은 황해북도 중화 일대에서 단거리탄도미사일 2발을 동해상으로 쐈다.")
    assert [p for *_, p in found] == [["Sea of Japan"]]


def test_a_gun_fired_is_no_missile_launch():
    text = "공격헬기가 북한 무인기를 향해 100여 발을 쐈지만 한 대도 떨어뜨리지 못했다."
    assert "missile_launch" not in [kind for kind, *_ in events(text, published="2022-12-26")]


def test_a_drone_crossing_into_airspace_is_one_violation():
    text = "북한 무인기 5대가 26일 군사분계선을 넘어와 우리 영공을 침범했다."
    assert [kind for kind, *_ in events(text, published="2022-12-26")] == ["other"]


def test_a_ship_in_territorial_waters_is_at_sea():
    text = "中国海軍の測量艦が屋久島周辺の領海に侵入した。"
    assert [kind for kind, *_ in events(text)] == ["naval_patrol"]


def test_the_topic_of_a_report_reported_it():
    # "韓国軍も…と発表": South Korea said so; who fired is named in the sentence before.
    text = (
        "北朝鮮が31日朝、ICBM級の弾道ミサイルを発射した。"
        "韓国軍も同じ時刻ごろ、長距離弾道ミサイルが高い角度で発射されたと発表した。"
    )
    actors = {a for _, _, found, _ in events(text, published="2024-10-31") for a in found}
    assert actors == {"North Korea"}


def test_a_route_point_after_from_is_kept():
    # "从郁陵岛以北进入": from north of Ulleungdo, a point passed, not a base left.
    text = "2架中国军机从郁陵岛以北进入韩国防空识别区。"
    assert "Ulleungdo" in {p for *_, places in events(text) for p in places}


def test_half_a_compass_point_is_not_a_sea():
    assert places("沿我东南海域通过巴士海峡", "zh") == [("巴士海峡", "Bashi Channel")]


def test_japans_navy_is_not_the_sea_of_japan():
    assert places("日本海上自衛隊のP-3C哨戒機", "ja") == []
    assert places("日本海上空を飛行", "ja") == [("日本海", "Sea of Japan")]


def test_a_japanese_island_is_found_in_chinese_in_both_scripts():
    assert places("共機飛越與那國島附近", "zh")[0] == ("與那國島", "Yonaguni")
    assert places("共機飛越與那國島與臺灣之間", "zh")[0][1] == "Yonaguni–Taiwan gap"
    assert places("无人机飞越与那国岛附近", "zh")[0] == ("与那国岛", "Yonaguni")


def test_who_only_saw_it_did_not_do_it():
    text = (
        "中国海軍の測量艦が屋久島周辺の領海に侵入した。"
        "海上自衛隊が同日午前、屋久島の南東の接続水域を航行する測量艦を確認した。"
    )
    assert {a for _, _, actors, _ in events(text) for a in actors} == {"China"}


def test_a_chinese_type_name_names_its_owner():
    text = "山东舰起飞的歼-15战斗机在太平洋上空两度异常接近日本海上自卫队P-3C巡逻机。"
    assert [(k, a) for k, _, a, _ in events(text, published="2025-06-11")] == [
        ("other", ["China"])
    ]


def test_a_korean_strait_is_found_with_or_without_the_space():
    assert places("소야 해협을 지나", "ko") == [("소야 해협", "Soya Strait")]
    assert places("소야해협을 지나", "ko") == [("소야해협", "Soya Strait")]


def test_an_exploding_missile_is_not_the_bohai_sea():
    assert places("초기 비행 단계에서 공중 폭발해 실패했다", "ko") == []


def test_a_japanese_headline_of_two_reports_gives_each_its_kind():
    text = "米B1B、空自F2と日本海上空で共同訓練　北朝鮮は同夜に短距離弾道ミサイル2発を発射"
    found = {kind: sorted(actors) for kind, _, actors, _ in events(text, published="2023-03-30")}
    assert found["missile_launch"] == ["North Korea"]


def test_a_headline_takes_the_year_its_lede_states():
    text = (
        "中国爆撃機H-6、宮古海峡を抜け太平洋へ\n\n"
        "防衛省によると、中国のH-6爆撃機2機が29日、沖縄本島と宮古島の間を通過した。"
    )
    years = {year for _, year, _, _ in events(text, published="2026-01-05")}
    assert years == {2025}


def test_a_place_only_headed_for_is_not_reached():
    text = "中国艦隊は6日、バシー海峡を通過し、南シナ海の方向へ進んだ。"
    places = {p for *_, found in events(text) for p in found}
    assert "Bashi Channel" in places and "South China Sea" not in places


def test_a_launch_that_is_part_of_a_drill_on_islands_is_a_drill_on_land():
    text = "ロシア国防省は10日、北方領土でミサイル発射を伴う訓練を行ったと発表した。"
    assert [k for k, *_ in events(text, published="2022-03-10")] == ["other"]


def test_the_day_a_release_came_out_is_not_the_day_it_reports():
    text = "防衛省統合幕僚監部は5日、中国軍のH-6爆撃機2機が先月29日、宮古海峡を通過したと発表した。"
    (event,) = [e for e in extract(text, published="2026-01-05")["events"]]
    assert (event["year"], event["date_start"]) == (2025, "2025-12-29")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("японские силы обнаружили корабли у мыса Соя", "Cape Soya"),
        ("корабли прошли у мыса Эримо", "Cape Erimo"),
        ("測量艦は屋久島の南西で", "Yakushima"),  # (Japanese, for contrast: the kept name)
        ("разведывательное судно вошло в воды у острова Якусима", "Yakushima"),
    ],
)
def test_japanese_capes_and_islands_are_found_in_russian(text, name):
    lang = "ja" if "測量艦" in text else "ru"
    assert name in [found for _, found in places(text, lang)]


def test_romaji_reads_as_russian_writes_it():
    from geo.gazetteer.native import polivanov

    assert [polivanov(w) for w in ("Erimo", "Yakushima", "Nosappu", "Tokai", "Tokyo")] == [
        "эримо", "якусима", "носаппу", "токай", "токё",
    ]
    assert polivanov("Vladivostok") is None  # not romaji


def test_what_someone_condemned_is_a_mention_not_an_event():
    text = "3국은 북한의 대륙간탄도미사일 시험발사 등 도발을 강력히 규탄했다."
    assert events(text, published="2024-11-15") == []


def test_a_coast_guard_patrol_is_at_sea():
    text = "中国海警将在钓鱼岛领海内开展执法巡查。"
    found = events(text, published="2024-01-10") + [
        (e["kind"], 0, [], []) for e in extract(text, published="2024-01-10")["speculative"]
    ]
    assert {kind for kind, *_ in found} <= {"naval_patrol"}


def test_a_flight_two_sentences_on_keeps_its_bombers():
    text = (
        "中国爆撃機6機、対馬海峡上空を通過し日本海へ　空自が緊急発進\n\n"
        "防衛省によると、8機は東シナ海の方面から対馬海峡の上空を抜けて日本海に入った。"
    )
    kinds = {kind for kind, *_ in events(text, published="2017-01-10")}
    assert "bomber_flight" in kinds and "air_patrol" not in kinds


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("中国軍は25日、ICBM1発を太平洋に向けて発射した。1980年以来とされる。", "2024-09-26"),
        ("учения «Морское взаимодействие» проводятся с 2012 года, сообщил штаб.", "2022-12-21"),
    ],
)
def test_the_year_a_comparison_counts_from_is_not_an_event_year(text, published):
    years = {year for _, year, _, _ in events(text, published=published)}
    assert int(published[:4]) in years or not years
    assert not years & {1980, 2012}


def test_balloons_are_an_incident_and_sorties_are_aircraft():
    assert [k for k, *_ in events("共軍氣球6枚飛越臺灣本島。", published="2024-02-10")] == ["other"]
    text = "其中18架次逾越海峽中線，進入我北部及西南空域。"
    assert [k for k, *_ in events(text, published="2025-10-05")] == ["air_patrol"]


def test_a_chinese_dateline_and_a_prefecture_before_an_island_are_no_places():
    text = "（中央社記者東京25日專電）一架無人機飛越沖繩縣宮古島附近上空。"
    found = {p for *_, places in events(text, published="2025-11-25") for p in places}
    assert "Tokyo Metropolis" not in found and "Okinawa" not in found


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("据美国媒体报道，美国海军驱逐舰2月25日过航台湾海峡。", "China"),  # not bare 海军
        ("导弹于日本时间8时37分落入日本海。", "Japan"),  # Japan's clock, not Japan
        ("這是韓國總統上任以來，朝鮮首次發射彈道導彈。", "South Korea"),  # a president's country
    ],
)
def test_a_country_named_for_something_else_is_not_an_actor(text, absent):
    assert all(absent not in actors for _, _, actors, _ in events(text, published="2025-02-26"))


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("中国軍の無人機が那覇上空を飛行した。", "Naha"),
        ("Российские бомбардировщики пролетели над Владивостоком.", "Vladivostok"),
        ("一枚中共氣球越過中線後，經基隆西南方上空向東飄移。", "Keelung"),
        ("共偵獲8枚中共氣球越過中線，部分行經基隆市北部。", "Keelung"),
    ],
)
def test_a_base_town_is_the_place_when_the_activity_was_over_or_at_it(text, place):
    [(_, _, _, places)] = events(text)
    assert places == [place]


def test_a_base_town_an_aircraft_left_from_is_not_the_place():
    [(_, _, _, places)] = events("러시아 군용기가 김포 기지에서 이륙해 동해 상공을 비행했습니다.")
    assert places == ["Sea of Japan"]


def test_ships_with_their_own_helicopters_are_at_sea():
    [(kind, _, _, _)] = events("中国海军编队进入日本海，舰载直升机随行。")
    assert kind == "naval_patrol"
    [(kind, _, _, _)] = events("中国海军编队进入日本海，直升机随行。")  # not said to be the ships'
    assert kind == "air_patrol"


@pytest.mark.parametrize(
    "text",
    ["中俄海军编队进入日本海。", "中露海軍の艦艇が日本海に進入した。", "中俄軍機飛越日本海。"],
)
def test_a_pair_before_a_service_names_both_countries(text):
    [(_, _, actors, _)] = events(text)
    assert actors == ["China", "Russia"]


def test_a_drill_only_suspected_is_kept_apart():
    found = extract("中國海警船駛入金門周邊水域，疑似進行海上演練。")
    assert "naval_exercise" not in [e["kind"] for e in found["events"]]
    assert "naval_exercise" in [e["kind"] for e in found["speculative"]]



def test_the_three_countries_navies_are_the_last_events_countries():
    found = events(
        "美日韓首度舉行三方聯合空中演習。本月初，三國海軍也在朝鮮半島以南公海舉行海上攔截演習。"
    )
    assert found[-1][2] == ["United States", "Japan", "South Korea"]


def test_the_fishing_boats_approached_are_not_an_actor():
    text = "今年の領海侵入は39回を数え、このうち18回は日本漁船に接近しようとした。"
    [(_, _, actors, _)] = events(text)
    assert actors == []


def test_the_aircraft_approached_is_not_an_actor():
    text = "中国軍のJH-7戦闘爆撃機が東シナ海上空で空自のYS-11EB電子測定機に異常接近した。"
    [(_, _, actors, _)] = events(text)
    assert actors == ["China"]


def test_a_headline_s_aircraft_and_the_body_s_bombers_are_one_bomber_flight():
    text = (
        "中国軍機8機が宮古海峡上空を往復\n\n"
        "防衛省は25日、中国軍のH-6爆撃機4機と情報収集機2機の計8機が、沖縄本島と宮古島の間の"
        "上空を通って太平洋に出たと発表した。"
    )
    assert events(text) == [("bomber_flight", 2023, ["China"], ["Miyako Strait", "Pacific Ocean"])]


def test_a_tally_of_sorties_and_ships_is_an_air_and_a_naval_patrol():
    text = "國防部今日公布，偵獲共機23架次、共艦6艘在臺海周邊活動，其中16架次逾越海峽中線。"
    assert sorted(e[0] for e in events(text)) == ["air_patrol", "naval_patrol"]
    assert [e[0] for e in events("偵獲共機23架次在臺海周邊活動，其中16架次逾越海峽中線。")] == [
        "air_patrol"
    ]


def test_fighters_and_helicopters_sent_up_to_shoot_down_are_a_scramble():
    found = events("군은 전투기와 공격헬기를 띄워 격추를 시도했습니다.")
    assert ("scramble", 2023, ["South Korea"], []) in found


def test_an_agreement_to_deploy_is_no_event():
    agreed = "한미 정상은 워싱턴 선언에서 미국 전략자산의 한반도 전개 가시성을 높이기로 합의했다."
    assert events(agreed) == []
    assert events("미국 전략폭격기가 한반도에 전개했다.") == [
        ("bomber_flight", 2023, ["United States"], ["Korean Peninsula"])
    ]


def test_an_airspace_violation_during_a_drill_is_its_own_event():
    text = (
        "ロシアの哨戒機が礼文島の北で領空を侵犯した。"
        "21日からは、中国とロシアの海軍が日本海で合同演習を始めている。"
    )
    assert sorted(e[0] for e in events(text)) == ["naval_exercise", "other"]


@pytest.mark.parametrize(
    "text",
    [
        "フィリピンの船がセカンド・トーマス礁付近で中国海警局の船から放水を受けた。",
        "中国海警船在仁爱礁附近对菲律宾补给船使用水炮。",
    ],
)
def test_a_water_cannon_is_an_incident(text):
    assert events(text) == [("other", 2023, ["China"], ["Second Thomas Shoal"])]


def test_a_flight_from_off_one_place_to_off_another_keeps_both():
    text = "ロシアの情報収集機1機が、北海道沖から能登半島沖にかけての公海上空を飛んだ。"
    assert events(text) == [("air_patrol", 2023, ["Russia"], ["Hokkaido", "Noto Peninsula"])]



def test_a_sentence_naming_no_craft_patrols_with_the_ships_before_it():
    text = (
        "中国海警船与多艘公务船当天驶入金门周边的限制水域。"
        "这是大陆方面宣布在金门附近海域常态化执法巡查以来规模较大的一次。"
    )
    assert {kind for kind, *_ in events(text)} == {"naval_patrol"}


def test_the_sorties_of_a_carrier_drill_are_the_drill():
    drill = (
        "中国海军山东舰航母在宫古岛以南海域组织了舰载机起降训练，"
        "舰载战斗机和直升机共起降约20架次。"
    )
    assert [kind for kind, *_ in events(drill)] == ["naval_exercise"]
    # A semicolon parts the drill from a flight of other aircraft.
    apart = "辽宁舰在冲绳以南海域组织舰载机起降逾百次；中国军机又经宫古海峡往返于东海与太平洋之间。"
    assert {kind for kind, *_ in events(apart)} == {"naval_exercise", "air_patrol"}


def test_a_navigation_warning_is_no_transit():
    assert events("해사국 항행 공지에 따르면 서해 북부 일부가 군사 임무 구역으로 묶였다.") == []
    assert events("中国海事局发布航行警告，黄海北部部分海域禁止驶入。") == []


def test_a_carrier_named_alone_in_russian_is_a_ship():
    text = (
        "В этом месяце «Ляонин» возглавил масштабные манёвры в Бохайском заливе, а затем "
        "с его палубы взлетали истребители J-15."
    )
    assert [kind for kind, *_ in events(text)] == ["naval_exercise"]


def test_the_country_whose_ship_transits_did_it_not_the_one_that_spoke_of_it():
    text = "中国外交部发言人此前表示，中方已就美舰过航台湾海峡向美方表达关切。"
    assert events(text) == [("naval_patrol", 2023, ["United States"], ["Taiwan Strait"])]


def test_a_side_of_an_island_only_locates_the_sea():
    found = events("北朝鮮は、朝鮮半島西側の黄海に向けて巡航ミサイル数発を発射した。")
    assert found == [("missile_launch", 2023, ["North Korea"], ["Yellow Sea"])]


def test_a_fleet_named_after_an_ocean_is_no_place():
    assert events("太平洋艦隊は4月中旬にも抜き打ちの演習を実施した。") == []
    named = extract("东海舰队在东海举行演习。", lang="zh")["places"]
    assert [(p["name"], len(p["mentions"])) for p in named] == [("East China Sea", 1)]


def test_a_standing_commitment_is_no_event():
    text = (
        "防衛省・自衛隊は、我が国周辺における警戒監視及び対領空侵犯措置に"
        "24時間365日万全を期していく。"
    )
    assert events(text) == []


def test_a_yearly_tally_gives_the_totals_it_is_compared_with():
    text = (
        "航空自衛隊の緊急発進は、2021年度は1004回だった。"
        "前年度の725回から大きく増え、過去最多だった16年度の1168回に次ぐ多さとなった。"
    )
    found = events(text, published="2022-04-15")
    assert sorted(year for kind, year, *_ in found if kind == "scramble") == [2016, 2020, 2021]
    assert {tuple(places) for *_, places in found} == {("Japan ADIZ",)}


def test_a_flight_between_two_seas_crossed_both():
    found = events("Il-20の1機がオホーツク海と太平洋の間を往復した。", lang="ja")
    assert found == [("air_patrol", 2023, ["Russia"], ["Sea of Okhotsk", "Pacific Ocean"])]
    found = events("中国军机经宫古海峡往返于东海与太平洋之间。")
    assert found[0][3] == ["Miyako Strait", "East China Sea", "Pacific Ocean"]
    # Two islands only bound the strait between them.
    found = events("中国海軍の艦艇が沖縄本島と宮古島の間を通過した。")
    assert found[0][3] == ["Miyako Strait"]


def test_the_passages_of_a_drills_sentence_are_the_drill():
    text = (
        "해군은 독도방어훈련을 실시했다. 훈련 해역은 독도 주변을 넘어 울릉도 인근까지 "
        "넓어졌고, 해군 특수전 요원들은 해상기동헬기에서 밧줄을 타고 독도에 내려 경계 태세를 "
        "점검했다."
    )
    assert {kind for kind, *_ in events(text)} == {"naval_exercise"}


def test_a_coast_guard_headquarters_that_speaks_is_no_doer():
    said = (
        "日本海上保安廳第11管區海上保安本部今天表示，中國海警船在釣魚臺周邊的鄰接區內航行。"
    )
    assert [actors for _, _, actors, _ in events(said)] == [["China"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("艦載機の発着艦を沖大東島の周辺で繰り返した", [("沖大東島", "Okidaitojima")]),
        ("ミサイルは渡島半島の上空を通過した", [("渡島半島", "Oshima Peninsula")]),
        ("海警船が魚釣島の周辺を航行した", [("魚釣島", "Senkaku Islands")]),
        ("艦艇が横当島の北西を航行した", [("横当島", "Yokoate-jima")]),
        ("野島崎の南東約300キロ", [("野島崎", "Cape Nojima")]),
    ],
)
def test_outlying_islands_and_capes_a_joint_staff_release_names(text, expected):
    assert places(text, "ja") == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # A short town name counts where a place word follows it ...
        ("ko", "북한이 신포 앞바다에서 SLBM을 발사했다.", [("신포", "Sinpo")]),
        ("ko", "속초항 인근 해상", [("속초", "Sokcho")]),
        ("ja", "舞鶴港を出港した護衛艦", [("舞鶴", "Maizuru")]),
        # ... not as an ordinary word, nor as the South Sea.
        ("ko", "훈련 구성에서 논의했다", []),
        ("ko", "남해 상공을 비행했다", []),
    ],
)
def test_a_short_town_name_needs_a_place_word_after_it(lang, text, expected):
    assert places(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # GeoNames gives Taiwan's towns in Traditional script; mainland reports write Simplified.
        ("解放军在宜兰附近海域演习", [("宜兰", "Yilan")]),
        ("解放軍在宜蘭附近海域演習", [("宜蘭", "Yilan")]),
        ("演习区域位于屏东外海", [("屏东", "Pingtung")]),
        # Japanese towns are not converted: 台東 (Taito, Tokyo) is not 台东 (Taitung).
        ("共机进入台东外海空域", [("台东", "Taitung")]),
    ],
)
def test_chinese_place_names_in_both_scripts(text, expected):
    assert places(text, "zh") == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # Foreign towns by the names each language's press writes them in (GeoNames' exonyms).
        ("ja", "北朝鮮は元山付近から短距離弾道ミサイルを発射した", [("元山", "Wonsan")]),
        ("ja", "爆撃機はアンカレッジの西を飛行した", [("アンカレッジ", "Anchorage")]),
        ("zh", "朝鲜从元山一带向东部海域发射导弹", [("元山", "Wonsan")]),
        ("ko", "러시아 함정이 앵커리지 인근에서 훈련했다", [("앵커리지", "Anchorage")]),
        ("ru", "КНДР запустила ракету из района Вонсана", [("Вонсана", "Wonsan")]),
        # Two Korean syllables need a place word: 세부 is Cebu and "details".
        ("ko", "세부 제원을 분석하고 있다", []),
        # A Russian exonym is matched as written, not as a stem; not as a person or a ship.
        ("ru", "Накануне корабли вышли в море", []),
        ("ru", "министр обороны Японии Ясукадзу Хамада заявил", []),
        ("ru", "фрегаты «Яньтай» и «Яньчэн» вышли из порта", []),
        # Chinese units without their unit word (花蓮縣, 花蓮市); ships named after places.
        ("zh", "共机出现在花蓮外海", [("花蓮", "Hualien")]),
        ("zh", "海巡署連江艦在附近監控", []),
    ],
)
def test_foreign_towns_by_the_names_of_each_language(lang, text, expected):
    assert places(text, lang) == expected


def test_who_scrambled_is_not_who_watched_in_the_next_clause():
    text = "日本航空自衛隊為此派出戰機緊急升空，海上自衛隊「有明」號驅逐艦則全程監視。"
    assert events(text, lang="zh") == [("scramble", 2023, ["Japan"], [])]


def test_the_sectors_of_taiwans_adiz_a_daily_report_names():
    text = "國軍偵獲共機103架次，其中40架次逾越海峽中線，進入我西南及東南空域。"
    assert {p for *_, places in events(text, lang="zh") for p in places} >= {"Taiwan ADIZ"}
    assert places("共機進入東南空域", "zh") == [("東南空域", "Taiwan ADIZ")]


def test_coast_guard_ships_that_intruded_into_territorial_waters_patrolled_there():
    text = (
        "尖閣諸島周辺の日本の領海に11日午前から侵入していた中国海警局の船2隻は、"
        "13日夜、領海を出た。"
    )
    assert events(text, published="2020-10-14") == [
        ("naval_patrol", 2020, ["China"], ["Senkaku Islands"])
    ]


def test_korea_and_japan_adiz_and_airspace_as_taiwan_and_hong_kong_write_them():
    assert places("闖入南韓防空識別區", "zh") == [("南韓防空識別區", "Korea ADIZ")]
    assert places("侵犯南韓領空", "zh") == [("南韓領空", "Korea ADIZ")]
    # The airspace a drone did not enter is no place of its flight.
    text = "日本航空自衛隊派遣戰機緊急升空應對，無人機未侵入日本領空。"
    assert events(text, lang="zh") == [("scramble", 2023, ["Japan"], [])]


def test_okhotsk_avacha_and_the_southern_kurils_by_their_chinese_names():
    assert places("进入鄂霍茨克海南部", "zh") == [("鄂霍茨克海", "Sea of Okhotsk")]
    assert places("在千岛群岛南部实施登陆", "zh") == [("千岛群岛南部", "Southern Kuril Islands")]
    assert places("阿瓦恰湾部分海域", "zh") == [("阿瓦恰湾", "Avacha Bay")]
    # A bay the ships docked at on the way is a port call, not the activity.
    text = (
        "编队从符拉迪沃斯托克启航后进入日本海，中途停靠堪察加半岛阿瓦恰湾补给，"
        "随后组织了联合演练。"
    )
    assert {p for *_, places_ in events(text, lang="zh") for p in places_} == {"Sea of Japan"}


def test_the_firings_a_drill_practises_are_the_drills():
    text = "检查期间，太平洋舰队在鄂霍茨克海演练抗击空袭，并进行鱼雷发射、舰炮射击和导弹射击。"
    assert [kind for kind, *_ in events(text, lang="zh")] == ["naval_exercise"]
    # A launch reported as such stays a launch.
    fired = "朝鲜向日本海发射了一枚弹道导弹。"
    assert [kind for kind, *_ in events(fired, lang="zh")] == ["missile_launch"]


def test_trains_that_stopped_running_did_not_sail():
    text = "日本政府呼籲北海道和青森縣居民前往避難，當地部分鐵路一度停駛。"
    assert events(text, lang="zh") == []


def test_korean_airspace_over_dokdo_is_koreas_and_a_japanese_name_no_actor():
    text = "ロシアのA50早期警戒管制機が独島（日本名・竹島）の上空で韓国の領空を2度侵犯した。"
    assert events(text, published="2019-07-24") == [
        ("other", 2019, ["Russia"], ["Liancourt Rocks", "Korea ADIZ"])
    ]


def test_a_joint_staff_release_says_the_ships_proceeded_and_went_out_to_sea():
    text = (
        "令和3年4月3日（土）、海上自衛隊は、中国海軍の空母1隻及び駆逐艦2隻の計3隻が、沖縄本島と"
        "宮古島との間の海域を南東に進み、東シナ海から太平洋へ出たことを確認した。"
    )
    assert events(text, published="2021-04-04") == [
        ("naval_patrol", 2021, ["China"], ["Miyako Strait", "East China Sea", "Pacific Ocean"])
    ]
    # A route described in general ("太平洋へ出入りする際の通り道") is no passage.
    assert events("宮古島周辺の海域は、中国海軍の艦艇が太平洋へ出入りする際の通り道だ。") == []



def test_launch_sites_and_west_sea_islands_by_their_korean_names():
    assert places("북한이 동창리 일대에서 발사체를 쐈다", "ko") == [
        ("동창리", "Sohae Satellite Launching Station")
    ]
    assert places("소청도와 격렬비열도 인근 해상", "ko") == [
        ("소청도", "Socheongdo"),
        ("격렬비열도", "Gyeongnyeolbiyeoldo"),
    ]


def test_a_korean_town_is_a_place_when_over_or_off_it_but_not_where_a_missile_left():
    text = "중국 군용기가 오전 11시쯤 부산 남동쪽 해상 상공을 지나 동해 상공으로 북상했습니다."
    assert {"Busan", "Sea of Japan"} <= {p for *_, places in events(text) for p in places}
    # "신포 해상서 … 발사" (해상에서, shortened): where the missile was fired from.
    text = "북, 신포 해상서 SLBM 추정 탄도미사일 발사"
    assert [places for *_, places in events(text, lang="ko")] == [[]]


def test_chinese_flights_to_a_place_a_distance_from_one_and_a_summit_town():
    text = "同日另有一架俄羅斯情報收集機由北海道北部附近一路飛至本州中部的能登半島附近。"
    assert [e[0] for e in events(text)] == ["air_patrol"]
    assert "Noto Peninsula" in events(text)[0][3]
    # "飞至距宫古岛…约10公里处": Miyako Island is where the distance is measured from.
    text = "直升机当天曾飞至距宫古岛上空日本领空约10公里处。"
    assert all("Miyako-jima" not in places for *_, places in events(text))
    # The town of a summit held that day is not where the bombers flew.
    text = "美日印澳領導人同日在東京舉行峰會，兩架中國轟炸機與兩架俄羅斯轟炸機由東海飛向太平洋。"
    [(_, _, actors, places)] = events(text)
    assert places == ["East China Sea", "Pacific Ocean"]
    assert actors == ["China", "Russia"]


def test_whose_contiguous_zone_is_not_who_sailed_it():
    text = (
        "宮古島と尖閣諸島の周辺で、日本の接続水域を潜ったまま航行した潜水艦について、防衛省は"
        "12日、中国海軍の攻撃型原子力潜水艦だったと発表しました。"
    )
    assert [actors for _, _, actors, _ in events(text, lang="ja")] == [["China"]]


def test_missiles_deployed_are_not_launched_and_a_claim_is_no_deed():
    text = "同艦隊は潜水艦発射弾道ミサイルを配備し、日本が返還を求める北方四島の防衛も担っている。"
    assert events(text, lang="ja") == []


def test_a_chinese_clause_after_bing_zai_is_an_event_of_its_own():
    # "…穿越宫古海峡进入西太平洋，并在冲绳以南海域进行…起降训练": a transit, then drills.
    text = (
        "中国海军辽宁舰航母编队当天穿越宫古海峡进入西太平洋，并在冲绳以南海域进行舰载战斗机起降"
        "训练。"
    )
    assert [kind for kind, *_ in events(text, lang="zh")] == ["naval_patrol", "naval_exercise"]
    # "該機" is the aircraft named before: it flew back, it did not sail.
    text = "一架中國無人機飛越宮古海峽。該機之後循原路折返，再度穿越宮古海峽後向東北脫離。"
    assert {kind for kind, *_ in events(text, lang="zh")} == {"air_patrol"}
