"""Sentences rebuilt across the artefacts that PDF conversion leaves in Markdown."""

from __future__ import annotations

import pytest

from funding.sentences import SentenceFinder, clean_markup, row_start


def sentence_of(text: str, marker: str) -> str:
    return SentenceFinder(text).sentence_at(text.index(marker))


CASES = [
    pytest.param(
        "Intro.\n\nThe £5m plan was launched in\n\n---\n\n<sup>1</sup> [A footnote](http://x)\n\n"
        "March 2021 to respond to the pandemic, of which £2m is for children\n\nNext paragraph.",
        "£2m",
        "The £5m plan was launched in March 2021 to respond to the pandemic, of which £2m is for children",
        id="page-break-and-footnote-mid-sentence",
    ),
    pytest.param(
        "Intro.\n\nThe £5m plan was launched in\n\n---\n\n<sup>1</sup> [A footnote](http://x)\n\nMarch 2021 to respond.",
        "£5m",
        "The £5m plan was launched in March 2021 to respond.",
        id="sentence-before-the-break-reaches-past-it",
    ),
    pytest.param(
        "DCMS is investing £56m. £36m of this will provide up to 300\n\nnew youth facilities. More follows.",
        "£36m",
        "£36m of this will provide up to 300 new youth facilities.",
        id="paragraph-split-across-pages",
    ),
    pytest.param(
        "It also says this. The grant, worth £1m, goes to councils with the\n\nhighest need. Another sentence.",
        "£1m",
        "The grant, worth £1m, goes to councils with the highest need.",
        id="split-after-function-word",
    ),
    pytest.param(
        "It helps. Work is under way and the Early\n\nIntervention Foundation has £3m. It helps.",
        "£3m",
        "Work is under way and the Early Intervention Foundation has £3m.",
        id="split-before-capitalised-word-in-prose",
    ),
    pytest.param(
        "core legal requirements on\n\n¹ [newbook.book (socialworkengland.org.uk)](http://x)\n\n"
        "individuals and organisations, costing £2m.",
        "£2m",
        "core legal requirements on individuals and organisations, costing £2m.",
        id="unicode-superscript-footnote-block",
    ),
    pytest.param(
        "*This money should fund family support*\n\n*programmes costing £4m.*",
        "£4m",
        "This money should fund family support programmes costing £4m.",
        id="italic-paragraph-split",
    ),
    pytest.param(
        "Family Hubs\n\nWe are investing £12m in hubs.",
        "£12m",
        "We are investing £12m in hubs.",
        id="plain-heading-is-not-joined",
    ),
    pytest.param(
        "## Funding for schools\n\nthe £4m grant is new.",
        "£4m",
        "the £4m grant is new.",
        id="markdown-heading-is-not-joined",
    ),
    pytest.param(
        "**Response: Partially accept**\n\nThe Government is providing £3m.",
        "£3m",
        "The Government is providing £3m.",
        id="bold-label-is-not-joined",
    ),
    pytest.param(
        "The Chancellor announced a £500m package. This includes:\n\n- hubs (£82m);\n- parenting (£50m); and\n- an additional £200m.",
        "£50m",
        "This includes: parenting (£50m); and",
        id="list-item-after-lead-in",
    ),
    pytest.param(
        "This £300m builds on £39m, which includes:\n\n- a new £12m fund which will support\n  at least 12 councils.\n- grants",
        "£12m",
        "This £300m builds on £39m, which includes: a new £12m fund which will support at least 12 councils.",
        id="wrapped-list-item",
    ),
    pytest.param(
        "Points raised:\n- we spent £5m. Then we stopped.",
        "£5m",
        "Points raised: we spent £5m.",
        id="lead-in-in-same-block",
    ),
    pytest.param(
        "- A list with no lead-in costs £7m.",
        "£7m",
        "A list with no lead-in costs £7m.",
        id="list-without-lead-in",
    ),
    pytest.param(
        "Allocations:\n\n| Fund | Amount |\n|---|---|\n| Family hubs | £82m |\n| Parenting | **£50m** |\n\nAfter.",
        "£50m",
        "Table columns: Fund; Amount. Row: Parenting | £50m",
        id="markdown-table-row",
    ),
    pytest.param(
        "Table 2: grants by council (£000)\n\n| Council | 2024-25 |\n|---|---|\n| Oakshire | £40 |\n",
        "£40",
        "Caption: Table 2: grants by council (£000). Table columns: Council; 2024-25. Row: Oakshire | £40",
        id="table-row-led-by-a-caption-stating-its-unit",
    ),
    pytest.param(
        "Grants, £ million\n| Council | 2024-25 |\n|---|---|\n| Oakshire | £3 |\n",
        "£3",
        "Caption: Grants, £ million. Table columns: Council; 2024-25. Row: Oakshire | £3",
        id="table-caption-with-no-blank-line-is-not-the-header",
    ),
    pytest.param(
        "This is e.g. a test of £5m. Second sentence £6m.",
        "£5m",
        "This is e.g. a test of £5m.",
        id="abbreviation-does-not-end-sentence",
    ),
    pytest.param(
        "Funding of £4.8 billion. Next.",
        "£4.8",
        "Funding of £4.8 billion.",
        id="decimal-point-does-not-end-sentence",
    ),
    pytest.param(
        "We welcome it. This financial year (2021/22), we have made £130 million available.",
        "£130",
        "This financial year (2021/22), we have made £130 million available.",
        id="second-sentence-of-paragraph",
    ),
    pytest.param(
        "Text.\r\n\r\nWe give £5m.",
        "£5m",
        "We give £5m.",
        id="blank-line-with-carriage-return",
    ),
]


@pytest.mark.parametrize("text, marker, expected", CASES)
def test_sentence(text, marker, expected):
    assert sentence_of(text, marker) == expected


def test_sentences_of_many_figures_in_one_paragraph_are_each_right():
    text = "First £1m here. Second £2m there. Third £3m everywhere."
    finder = SentenceFinder(text)
    assert [finder.sentence_at(text.index(f"£{n}m")) for n in (1, 2, 3)] == [
        "First £1m here.",
        "Second £2m there.",
        "Third £3m everywhere.",
    ]


def test_sentence_with_no_punctuation_is_capped():
    text = "word " * 5000 + "£5m " + "word " * 5000
    sentence = sentence_of(text, "£5m")
    assert "£5m" in sentence and len(sentence) <= 2010


@pytest.mark.parametrize(
    "raw, clean",
    [
        pytest.param("***Recommendation 3:*** *Spending fell*", "Recommendation 3: Spending fell", id="emphasis"),
        pytest.param("[Working Together](#) 2018", "Working Together 2018", id="link-stub"),
        pytest.param("GOV.UK \\(www.gov.uk\\)", "GOV.UK (www.gov.uk)", id="escaped-brackets"),
        pytest.param("published<sup>1</sup>, and", "published, and", id="sup-footnote-mark"),
        pytest.param("Act 2017](#)¹, make", "Act 2017](#), make", id="superscript-digit"),
        pytest.param("snake_case_name stays", "snake_case_name stays", id="underscore-inside-word"),
    ],
)
def test_clean_markup(raw, clean):
    assert clean_markup(raw) == clean


@pytest.mark.parametrize(
    "sentence, expected",
    [
        pytest.param("Table columns: Fund; 2012-13. Row: Hubs | 12", 34, id="after-the-header"),
        pytest.param("Caption: £m. Table columns: Fund. Row: Hubs | 12", 38, id="after-a-caption-and-header"),
        pytest.param("We give £12m. Row: none.", 0, id="not-a-table-row"),
    ],
)
def test_row_start(sentence, expected):
    assert row_start(sentence) == expected


def test_two_sentences_of_the_same_words_are_two_places():
    text = "Ports get £5 million. Roads get £7 million.\n\nPorts get £5 million. Roads get £7 million."
    finder = SentenceFinder(text)
    first, second = (finder.context_at(i) for i in (text.find("£5"), text.rfind("£5")))
    assert first.sentence == second.sentence == "Ports get £5 million."
    assert (first.sentence_start, second.sentence_start) == (0, text.rfind("Ports"))
    assert (first.paragraph_start, second.paragraph_start) == (0, text.rfind("Ports"))
    roads = finder.context_at(text.rfind("£7"))
    assert roads.sentence_start == text.rfind("Roads")


# -- long tables and lists are walked once, not once per figure (issue 11) -----------------

import funding.sentences  # noqa: E402
from funding.extract import extract_text  # noqa: E402


def _table(rows: int) -> str:
    body = "".join(f"| Area {i} | £{i + 1}m |\n" for i in range(rows))
    return f"Intro.\n\n| Area | Allocation |\n|---|---|\n{body}"


def _bullets(rows: int) -> str:
    return "The funding includes:\n\n" + "".join(f"- £{i + 1} million for place {i};\n" for i in range(rows))


def _wrapped(rows: int) -> str:
    return "Each place receives:\n\n" + "".join(f"- Place {i} receives\n  £{i + 1}m over two years.\n" for i in range(rows))


@pytest.mark.parametrize("make", [_table, _bullets, _wrapped], ids=["table", "bulleted-list", "wrapped-list"])
def test_long_tables_and_lists_are_read_in_linear_work(make, monkeypatch):
    """Lines looked at per row stay the same whether the block has 200 rows or 800."""
    counts = {"lines": 0}
    real_match = funding.sentences._LIST_ITEM

    class Counting:
        def match(self, text, pos=0, *args):
            counts["lines"] += 1
            return real_match.match(text, pos, *args)

    real_rfind_block = funding.sentences._block_at

    def counting_block_at(text, pos):
        start, end = real_rfind_block(text, pos)
        counts["lines"] += text.count("\n", start, end) + 1  # the lines _block_at walked
        return start, end

    monkeypatch.setattr(funding.sentences, "_LIST_ITEM", Counting())
    monkeypatch.setattr(funding.sentences, "_block_at", counting_block_at)
    per_row = []
    for rows in (200, 800):
        counts["lines"] = 0
        mentions, _ = extract_text(make(rows), "doc")
        assert len(mentions) == rows
        per_row.append(counts["lines"] / rows)
    assert per_row[1] < 1.5 * per_row[0], per_row


def test_items_of_a_wrapped_list_share_their_list_and_lead_in():
    finder = SentenceFinder(_wrapped(3))
    text = finder.text
    contexts = [finder.context_at(text.index(f"£{i}m")) for i in (1, 2, 3)]
    assert len({c.list_id for c in contexts}) == 1
    assert [c.sentence for c in contexts] == [
        f"Each place receives: Place {i} receives £{i + 1}m over two years." for i in range(3)
    ]


def test_a_govuk_footnote_mark_ends_a_sentence():
    from funding.sentences import _sentence_starts
    paragraph = "Acme made a £6 million commitment, which protected jobs.[footnote 5] The government has confirmed 5 zones."
    assert _sentence_starts(paragraph) == [0, paragraph.index("The government")]


# Text copied from a web page often writes one paragraph a line with no blank line between:
# each long line is then a paragraph of its own, not the whole page one paragraph.
_LINE_PARAGRAPHS = (
    "The island council has set out its budget for next year, with money for ferries, harbours and the roads that serve them, "
    "and for the schools on the outer islands, after a long consultation with residents, businesses and the harbour users across all of the islands.\n"
    "The Department of Harbours, which runs the piers, will receive £4 million for repairs to the north pier and the breakwater "
    "beside it, which were damaged in the winter storms, and for new lighting along the harbour wall, the slipway and the car park above the ferry terminal.\n"
    "The budget includes:\n"
    "- £2 million for ferries\n"
    "- £1 million for roads\n"
    "Ministers said the settlement was fair, and that the council would return to the question of school transport in the spring, "
    "once the review of the routes and the contracts for the buses that serve the outer islands had reported to the committee."
)


def test_one_paragraph_a_line_is_read_a_line_at_a_time():
    finder = SentenceFinder(_LINE_PARAGRAPHS)
    first = finder.context_at(_LINE_PARAGRAPHS.index("£4 million"))
    assert first.paragraph.startswith("The Department of Harbours") and "island council" not in first.paragraph
    item = finder.context_at(_LINE_PARAGRAPHS.index("£1 million"))
    assert item.list_id is not None
    assert item.paragraph.startswith("The budget includes:") and item.paragraph.endswith("£1 million for roads")


def test_wrapped_lines_are_still_one_paragraph():
    text = "The council will spend £4 million on the north pier\nand the breakwater, and £2 million on the\nferries."
    assert "ferries" in SentenceFinder(text).context_at(text.index("£4 million")).paragraph
