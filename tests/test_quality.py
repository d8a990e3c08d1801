"""Each quality warning on a small log built for it; warnings never drop a row."""

import pandas as pd
import pytest

from discovery import to_event_log
from discovery.log.quality import find_similar_labels
from discovery.words import say

NOW = pd.Timestamp("2024-06-01", tz="UTC")


def findings(rows, columns=("case", "activity", "start", "end")):
    frame = pd.DataFrame(rows, columns=list(columns))
    mapping = {"timestamp": "end", **({"start_timestamp": "start"} if "start" in columns else {})}
    log = to_event_log(frame, mapping, timezone="UTC", now=NOW)
    assert log.n_events == len(rows)  # warnings drop nothing
    return {finding.check: finding for finding in log.quality.findings}


def test_end_before_start_future_and_old_dates():
    found = findings(
        [
            ("a", "Intake", "2024-01-02 10:00", "2024-01-02 09:00"),  # row 2: ends first
            ("a", "Besluit", "2024-01-03 10:00", "2024-01-03 11:00"),
            ("b", "Intake", "2024-07-01 10:00", "2024-07-01 11:00"),  # row 4: future
            ("c", "Intake", "1900-01-01 10:00", "1900-01-01 11:00"),  # row 5: placeholder
        ]
    )
    assert found["end_before_start"].rows == (2,)
    assert found["future_dates"].rows == (4,) and found["future_dates"].cases == ("b",)
    assert found["old_dates"].rows == (5,)
    assert "before 1990" in say(found["old_dates"].message)


def test_a_date_out_of_range_counts_whether_the_start_is_known_or_not():
    found = findings(
        [
            ("a", "Intake", "2024-01-02 10:00", "2024-01-02 11:00"),
            ("b", "Intake", None, "2024-07-01 11:00"),  # row 3: future, no start
            ("c", "Intake", "2024-05-31 23:00", "2024-06-02 01:00"),  # row 4: ends in the future
            ("d", "Intake", "1980-01-01 10:00", "2024-01-01 11:00"),  # row 5: began in 1980
            ("e", "Intake", None, "1900-01-01 11:00"),  # row 6: placeholder, no start
        ]
    )
    assert found["future_dates"].rows == (3, 4)
    assert found["old_dates"].rows == (5, 6)


def test_long_cases_stand_out_from_the_rest():
    rows = [(f"c{i}", step, None, f"2023-01-0{d} 10:00") for i in range(8) for step, d in
            (("Intake", 1), ("Besluit", 2))]  # fmt: skip
    rows += [
        ("slow", "Intake", None, "2020-01-01 10:00"),
        ("slow", "Besluit", None, "2023-01-01 10:00"),
    ]
    found = findings(rows)
    assert found["long_cases"].cases == ("slow",)
    assert "single_event_cases" not in found


def test_a_clean_log_has_no_warnings():
    found = findings(
        [
            ("a", "Intake", "2024-01-02 08:00", "2024-01-02 09:00"),
            ("a", "Besluit", "2024-01-03 10:00", "2024-01-03 11:00"),
        ]
    )
    assert found == {}


def test_similar_labels_by_case_spacing_and_one_typo_but_not_digits():
    counts = {"Intake": 40, "intake ": 30, "Beoordeling": 50, "Beoordelnig": 5, "Lab 1": 9,
              "Lab 2": 1, "Besluit": 7}  # fmt: skip
    assert find_similar_labels(counts) == [("Intake", "intake "), ("Beoordeling", "Beoordelnig")]


def test_a_typo_is_a_rare_spelling_of_a_common_label():
    # at most a tenth as frequent: 5 of 50 is a typo, 6 of 50 two labels in their own right
    assert find_similar_labels({"Beoordeling": 50, "Beoordelnig": 5}) == [
        ("Beoordeling", "Beoordelnig")
    ]
    assert find_similar_labels({"Beoordeling": 50, "Beoordelnig": 6}) == []
    # BPI 2011: two lab tests of about the same frequency
    assert find_similar_labels({"fsh enzym-immunologisch": 35, "tsh enzym-immunologisch": 39}) == []
    # case and spacing alone: always, whatever the counts (receipt's resources)
    assert find_similar_labels({"test": 5, "TEST": 2}) == [("test", "TEST")]
    assert find_similar_labels({"ass. bij": 4, "ass.bij": 2}) == [("ass. bij", "ass.bij")]


@pytest.mark.parametrize(
    ("common", "rare"),
    [
        ("Release A", "Release B"),  # sepsis
        ("Admission NC", "Admission IC"),  # sepsis
        ("A_ACCEPTED", "O_ACCEPTED"),  # BPI 2012
        ("01_HOOFD_101", "01_HOOFD_101b"),  # BPI 2015
        ("Org line A2", "Org line V2"),  # BPI 2013
        ("--Org line C", "J-Org line C"),  # BPI 2013 resources
        ("Lab 12", "Lab 13"),
        ("Release A", "release b"),  # the word differs only by case: still a code
    ],
)
def test_labels_that_differ_as_codes_are_not_typos(common, rare):
    assert find_similar_labels({common: 1000, rare: 1}) == []


def test_labels_differing_in_a_word_or_punctuation_are_typos_when_rare():
    counts = {"Registratie": 900, "Registatie": 3, "e-mail intake": 500, "email intake": 2,
              "Consult ARTS": 400, "Consult ARST": 1}  # fmt: skip
    assert find_similar_labels(counts) == [
        ("Consult ARTS", "Consult ARST"),
        ("e-mail intake", "email intake"),
        ("Registratie", "Registatie"),
    ]


def test_every_warning_speaks_english_and_dutch():
    found = findings(
        [
            ("a", "Intake", "2024-01-02 10:00", "2024-01-02 09:00"),  # ends before it starts
            ("a", "intake ", "2024-01-02 08:00", "2024-01-02 09:00"),  # same time, label variant
            ("b", "Intake", "2024-07-01 10:00", "2024-07-01 11:00"),  # future, single event
            ("d", "Intake", "2024-08-01 10:00", "2024-08-01 11:00"),  # future, single event
            ("c", "Intake", "1900-01-01 10:00", "1900-01-01 11:00"),  # placeholder date
            ("c", "Besluit", "1900-01-02 10:00", "1900-01-02 11:00"),  # placeholder date
        ]
    )
    assert set(found) == {
        "end_before_start",
        "identical_timestamps",
        "activity_label_variants",
        "future_dates",
        "old_dates",
        "single_event_cases",
    }
    for finding in found.values():
        english, dutch = say(finding.message, "en"), say(finding.message, "nl")
        assert english == finding.to_dict()["sentence"]
        assert dutch == finding.to_dict("nl")["sentence"]
        assert dutch and dutch != english
    assert say(found["future_dates"].message, "nl") == (
        "2 gebeurtenissen liggen in de toekomst (na 01-06-2024 00:00 UTC)."
    )
    assert say(found["old_dates"].message, "nl").startswith(
        "2 gebeurtenissen zijn gedateerd vóór 1990"
    )
    assert say(found["single_event_cases"].message, "nl") == (
        "2 zaken (50,0%) hebben maar één gebeurtenis."
    )
    assert say(found["activity_label_variants"].message, "nl") == (
        "1 paar labels voor activiteit verschilt alleen in hoofdletters, spaties of een kleine "
        "typefout; misschien is het hetzelfde label: 'Intake' (4) ~ 'intake ' (1)."
    )
    assert say(found["identical_timestamps"].message, "nl") == (
        "1 gebeurtenis heeft hetzelfde tijdstip als de vorige gebeurtenis van dezelfde zaak "
        "(1 zaak); de volgorde is die in het bestand."
    )
    assert say(found["identical_timestamps"].message, "en") == (
        "1 event shares its timestamp with the previous event of the same case (1 case); its "
        "order is taken from the file."
    )
    assert say(found["end_before_start"].message, "nl") == (
        "1 gebeurtenis met een eindtijd vóór de starttijd."
    )


def test_long_cases_in_dutch():
    rows = [(f"c{i}", step, None, f"2023-01-0{d} 10:00") for i in range(8) for step, d in
            (("Intake", 1), ("Besluit", 2))]  # fmt: skip
    rows += [
        ("slow", "Intake", None, "2020-01-01 10:00"),
        ("slow", "Besluit", None, "2023-01-01 10:00"),
    ]
    # the 8 quick cases last 1 day; "slow" lasts 1096 days (2020 is a leap year)
    long = findings(rows)["long_cases"]
    assert say(long.message, "en") == (
        "1 case lasts implausibly long: over 365 days, far beyond the rest (median 1 day); the "
        "longest lasts 1096 days."
    )
    assert say(long.message, "nl") == (
        "1 zaak duurt onwaarschijnlijk lang: meer dan 365 dagen, ver boven de rest "
        "(mediaan 1 dag); de langste duurt 1096 dagen."
    )


def test_near_labels_are_those_a_full_pairwise_comparison_finds():
    import random

    from discovery.log.quality import _one_deletion_apart, _within_one_edit

    rng = random.Random(3)
    words = ["Beoordeling", "Intake gesprek", "Röntgenfoto", "Ontslag", "Lab 12", "Bloedafname"]
    keys = set()
    for _ in range(400):
        word = list(rng.choice(words) + str(rng.randrange(30)) * rng.randrange(2))
        for _ in range(rng.randrange(3)):  # up to two typos
            at = rng.randrange(len(word))
            word[at : at + 1] = rng.choice([[], [rng.choice("aeiou")], [word[at], "x"]])
        keys.add("".join(word).lower())
    keys = sorted(keys)
    expected = {
        (a, b)
        for i, a in enumerate(keys)
        for b in keys[i + 1 :]
        if a != b and _within_one_edit(a, b)
    }
    found = {pair for pair in _one_deletion_apart(keys) if _within_one_edit(*pair)}
    assert found == expected
    assert len(expected) > 50  # the typos make plenty of near pairs
