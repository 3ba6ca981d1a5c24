"""Where an event happened: the places named behind a locative word, in text order."""

import pytest

from geo.extraction.rules.locations import event_places, most_specific


@pytest.mark.parametrize(
    ("sentence", "places"),
    [
        # A route keeps the order the text gives; the Tsushima Strait is the Korea Strait's east.
        (
            "Chinese and Russian warships sailed from the Sea of Japan through the Tsushima "
            "Strait into the East China Sea on Tuesday.",
            ["sea-of-japan", "korea-strait", "east-china-sea"],
        ),
        (
            "Ships that departed from Vladivostok held drills in the Sea of Japan on Thursday.",
            ["sea-of-japan"],
        ),
        (
            "Two destroyers departed Yokosuka and sailed into the Philippine Sea.",
            ["philippine-sea"],
        ),
        # Two islands that bound a strait name the strait.
        (
            "Chinese aircraft flew between the islands of Okinawa and Miyako on Monday.",
            ["miyako-strait"],
        ),
        ("Chinese drones flew between Yonaguni and Taiwan.", ["yonaguni-taiwan-gap"]),
        ("China staged drills around Taiwan.", ["taiwan"]),
        (
            "Russian troops held a tactical exercise on the islands of Iturup and Kunashir in the "
            "Southern Kurils.",
            ["southern-kurils"],
        ),
        ("Chinese H-6 bombers entered the KADIZ on Monday.", ["korea-adiz"]),
        # A verb whose object is the place: no preposition needed.
        ("A Chinese destroyer patrolled the Taiwan Strait on Monday.", ["taiwan-strait"]),
        ("The USS Ralph Johnson transited the Taiwan Strait.", ["taiwan-strait"]),
        # A zone named by its side, or without its owner after the owner's zone was named.
        ("Eight PLA aircraft entered Taiwan's southwest ADIZ.", ["taiwan-adiz"]),
        (
            "Russian bombers entered the KADIZ, then flew into the southwestern corner of the "
            "ADIZ again.",
            ["korea-adiz", "korea-adiz"],
        ),
        # "fire-control radar" is no claim of control over the sea it was used in.
        (
            "A Chinese frigate directed its fire-control radar at a Japanese destroyer in the "
            "East China Sea.",
            ["east-china-sea"],
        ),
        (
            "Russian bombers flew into its air defence identification zone, known as KADIZ.",
            ["korea-adiz"],
        ),
        # "in Okinawa Prefecture" only says where the island is.
        ("The drill took place near Miyako Island in Okinawa Prefecture.", ["miyako-jima"]),
        (
            "Territorial disputes, particularly over the Senkaku Islands, exacerbate tensions.",
            [],
        ),
        (
            "Chinese warships held drills in the South China Sea amid the dispute over the "
            "Spratly Islands.",
            ["south-china-sea"],
        ),
        # A country that qualifies a base is no place; a departure base is none either.
        ("Chinese bombers flew near the U.S. base on Guam.", ["guam"]),
        (
            "U.S. B-52 bombers from Andersen Air Force Base on Guam flew over the East China Sea.",
            ["east-china-sea"],
        ),
        (
            "The Russian Tu-142 flew above Okinawa, an island in the East China Sea, for an hour.",
            ["okinawa"],
        ),
        ("The ship was spotted 430 kilometers south of Miyako Island.", []),
        (
            "Russian aircraft landed at an airfield in China after the patrol over the Sea of "
            "Japan.",
            ["sea-of-japan"],
        ),
        (
            "Two Russian Tu-142 anti-submarine aircraft flew along Japan's Pacific coast.",
            ["pacific-ocean"],
        ),
        # A country is a place only behind "near", "over", "around" ... not after "warned".
        ("China's military warned Japan over the drills near Japan.", ["japan"]),
        ("Chinese ships stayed in the Indo-Pacific for a week.", []),
        # A list goes on past a country's possessive, a filler may stand in quotes, and
        # "to designated areas of" a sea is in it.
        (
            "Chinese warplanes flew around Jeju Island and Japan's Tsushima Island.",
            ["jeju", "tsushima"],
        ),
        (
            'Chinese aircraft crossed the so-called "median line" of the Taiwan Strait.',
            ["taiwan-strait"],
        ),
        (
            "The warships dispersed to designated areas of the Sea of Japan and the Bering Sea.",
            ["sea-of-japan", "bering-sea"],
        ),
        ("The Il-20 turned back at a point near the island of Tsushima.", ["tsushima"]),
        # Going home is not where it flew; the land beside a strait only says where it is.
        ("Japanese jets followed them until they turned back toward the Chinese mainland.", []),
        (
            "The ships sailed through the Osumi Strait off the southern island of Kyushu.",
            ["osumi-strait"],
        ),
        # Where the reporting headquarters sits is not where the ships were.
        (
            "Chinese ships stayed off the Senkaku Islands, according to the Coast Guard "
            "Headquarters in Naha.",
            ["senkaku-islands"],
        ),
        # A port call is where the ships stopped, not where they patrolled.
        ("The Russian flotilla sailed into Qingdao port on Monday.", []),
        ("Two Chinese destroyers pulled into the port of Vladivostok.", []),
        (
            "The Russian ships sailed into Peter the Great Gulf on Monday.",
            ["peter-the-great-gulf"],
        ),
    ],
)
def test_event_places(context, sentence: str, places: list[str]):
    located = event_places(context(sentence), 0, len(sentence))
    assert [m.place_id for m in located] == places


def test_a_country_place_is_the_second_naming(context):
    sentence = "China's military warned Japan over the drills near Japan."
    [japan] = event_places(context(sentence), 0, len(sentence))
    assert japan.start == sentence.rindex("Japan")


@pytest.mark.parametrize(
    ("places", "kept"),
    [
        (["japan", "sea-of-japan"], ["sea-of-japan"]),
        (["japan", "china"], ["japan", "china"]),
        (["taiwan", "taiwan-strait"], ["taiwan", "taiwan-strait"]),
        ([], []),
    ],
)
def test_most_specific_drops_countries_for_a_precise_place(gazetteer, places, kept):
    assert most_specific(places, gazetteer) == kept
