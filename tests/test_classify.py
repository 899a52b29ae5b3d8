"""Commitment or context: each rule with texts that must match and texts that must not."""

from __future__ import annotations

import pytest

from funding.classify import COMMITMENT, CONTEXT, CONTEXT_REASONS, classify


def role(sentence: str, figure: str):
    start = sentence.index(figure)
    return classify(sentence, start, start + len(figure))


CASES = [
    # -- the context figures of the sources --
    ("src-fell-by", "Spending on early intervention services in the 20% of local authorities in England with the highest levels of child poverty fell by £766 million in real terms between 2010 and 2019.", "£766 million", CONTEXT, "a cut or fall"),
    ("src-spending-power", "This means that next year (2022-23) councils will have access to approximately £54 billion core spending power for their services, including children's social care, up from £50 billion in 2021-22.", "£54 billion", CONTEXT, "spending power, not new money"),
    ("src-up-from", "This means that next year (2022-23) councils will have access to approximately £54 billion core spending power for their services, including children's social care, up from £50 billion in 2021-22.", "£50 billion", CONTEXT, "a baseline for comparison"),
    ("src-past-spending", "Local authorities, taking account of local needs, priorities and their statutory duties, have used this flexibility to increase spending on services for young people and children to £11.1 billion in 2020-21.", "£11.1 billion", CONTEXT, "spending by others, past or planned"),
    # -- commitments of the sources, whatever the tense --
    ("src-investing", "This Government has committed to championing the family hubs approach and is investing over £14m to support their practical implementation.", "£14m", COMMITMENT, "commitment: invest"),
    ("src-made-available", "This financial year (2021/22), we have made £130 million available to tackle serious violence.", "£130 million", COMMITMENT, "commitment: make available"),
    ("src-providing", "Over the next three years, government is providing councils with £4.8 billion of new grant funding.", "£4.8 billion", COMMITMENT, "commitment: provide"),
    ("src-is-for", "£171 million is for the National Citizen Service to create hundreds of thousands of positive activities.", "£171 million", COMMITMENT, "commitment: is for"),
    ("src-will-be-used", "The plan was launched in March 2021, of which £79 million will be used to significantly expand children's mental health services", "£79 million", COMMITMENT, "commitment: use"),
    ("src-list-item", "This includes: parenting programmes (£50 million);", "£50 million", COMMITMENT, "commitment: part of a package"),
    # -- small texts of my own --
    ("cut", "Funding was cut by £5m last year.", "£5m", CONTEXT, "a cut or fall"),
    ("reduction-of", "a reduction of £5m in the grant", "£5m", CONTEXT, "a cut or fall"),
    ("compared-with", "We will spend £7m, compared with £5m last year.", "£5m", CONTEXT, "a baseline for comparison"),
    ("cost-estimate", "The scheme would cost £40m a year.", "£40m", CONTEXT, "a cost estimate"),
    ("funding-gap", "councils face a £2bn funding gap", "£2bn", CONTEXT, "a deficit, debt or pressure"),
    ("committee-demand", "The Government should provide £1bn for early intervention.", "£1bn", CONTEXT, "a committee's finding or demand"),
    ("committee-recommendation", "Recommendation 4: fund hubs with £2bn.", "£2bn", CONTEXT, "a committee's finding or demand"),
    ("future-commitment", "We will invest £5m next year.", "£5m", COMMITMENT, "commitment: invest"),
    ("past-commitment", "The department provided £5m in 2019.", "£5m", COMMITMENT, "commitment: provide"),
    ("commitment-beside-a-cut", "We are investing £7m, after a cut of £5m.", "£7m", COMMITMENT, "commitment: invest"),
    ("no-cue-at-all", "£5m for hubs.", "£5m", COMMITMENT, "commitment: no context cue"),
]


@pytest.mark.parametrize("sentence, figure, expected_role, reason", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_role(sentence, figure, expected_role, reason):
    found = role(sentence, figure)
    assert (found.role, found.reason) == (expected_role, reason)


def test_every_context_reason_is_in_the_vocabulary():
    for case in CASES:
        if case[3] == CONTEXT:
            assert case[4] in CONTEXT_REASONS
