"""Programmes named in the text, and labels: short texts written for each rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from funding.annotate.programmes import ProgrammeFinder, label_after, label_of_item, programme_key
from funding.reference import load_reference

REF = load_reference(Path(__file__).resolve().parents[1] / "data" / "raw", with_sources=False)
BODIES = frozenset(alias.lower() for d in REF.departments.values() for alias in (*d.aliases, d.name))


def finder(text: str) -> ProgrammeFinder:
    return ProgrammeFinder(text, REF.programme_heads, REF.programme_events, BODIES)


def programme_of(text: str, figure: str) -> str | None:
    start = text.index(figure)
    found = finder(text).near(text, (start, start + len(figure)))
    return found.name if found else None


@pytest.mark.parametrize(
    "text, figure, expected",
    [
        pytest.param("We will provide £40 million through the Rural Bus Fund.", "£40 million", "Rural Bus Fund", id="capitalised-name-ending-in-fund"),
        pytest.param("The Clean Harbours Grant of £12 million opens today.", "£12 million", "Clean Harbours Grant", id="name-before-the-figure"),
        pytest.param("£8 million goes to the Warm Homes retrofit scheme.", "£8 million", "Warm Homes retrofit scheme", id="lower-case-head-after-name"),
        pytest.param("Over £300 million for the Coastal Towns and Villages Programme.", "£300 million", "Coastal Towns and Villages Programme", id="joining-word-inside-name"),
        pytest.param("At the Spring Budget we announced £5 million for ferries.", "£5 million", None, id="fiscal-event-is-not-a-programme"),
        pytest.param("The Department for Transport will invest £9 million in ferries.", "£9 million", None, id="department-is-not-a-programme"),
        pytest.param("We will provide £2 million to Leeds and Bradford councils.", "£2 million", None, id="places-are-not-programmes"),
        pytest.param("The Harbour Fund is closed; £3 million goes to new piers.", "£3 million", None, id="name-in-another-clause"),
        pytest.param("The Treasury's Shared Savings Fund provided £6 million.", "£6 million", "Shared Savings Fund", id="possessive-owner-dropped"),
    ],
)
def test_programme_named_near_a_figure(text, figure, expected):
    assert programme_of(text, figure) == expected


def test_defined_abbreviation_stands_for_its_name_later():
    text = "We launched the Bus Service Improvement Plan (BSIP) in 2021.\n\nCouncils will receive £70 million of BSIP funding."
    start = text.index("£70 million")
    found = finder(text).near(text[text.index("Councils"):], (start - text.index("Councils"), start - text.index("Councils") + 11))
    assert (found.name, found.key) == ("Bus Service Improvement Plan", programme_key("Bus Service Improvement Plan", REF.programme_heads))


def test_abbreviation_of_a_non_programme_is_not_defined():
    text = "Pupils in Special Schools (SS) matter.\n\nWe give £4 million to SS settings."
    assert finder(text).defined == {}


@pytest.mark.parametrize(
    "first, second",
    [
        pytest.param("the Safe Streets Fund", "Safe Streets funding", id="head-noun-and-funding-dropped"),
        pytest.param("The Warm Homes Grant", "warm homes grants", id="case-and-plural-head"),
    ],
)
def test_restatements_share_a_key(first, second):
    assert programme_key(first, REF.programme_heads) == programme_key(second, REF.programme_heads)


@pytest.mark.parametrize(
    "text, figure, expected",
    [
        pytest.param("We will provide £5 million for new bus shelters in rural areas.", "£5 million", "new bus shelters in rural areas", id="for-phrase"),
        pytest.param("We are investing £10 million in hospitals.", "£10 million", "hospitals", id="in-phrase"),
        pytest.param("We will spend £7 million in 2025 on roads.", "£7 million", "roads", id="year-skipped"),
        pytest.param("A total of £3 million was confirmed.", "£3 million", "", id="no-purpose-stated"),
    ],
)
def test_label_says_what_a_figure_is_for(text, figure, expected):
    start = text.index(figure)
    assert label_after(text, (start, start + len(figure))) == expected


@pytest.mark.parametrize(
    "sentence, lead_in, figure, expected",
    [
        pytest.param("This includes: new bus shelters (£5 million);", "This includes:", "£5 million", "new bus shelters", id="item-words-before-the-figure"),
        pytest.param("It will include: - an additional £20 million for coastal ferries;", "It will include:", "£20 million", "coastal ferries",
                     id="item-with-only-modifiers-before-takes-the-words-after"),
    ],
)
def test_label_of_a_list_item(sentence, lead_in, figure, expected):
    start = sentence.index(figure)
    assert label_of_item(sentence, (start, start + len(figure)), lead_in) == expected
