"""Commitment or context: each rule with texts that must match and texts that must not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from funding.annotate.classify import COMMITMENT, CONTEXT, CONTEXT_REASONS, ContextTerms, classify


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
    # -- cuts, savings and deficits written at a distance from the cut word --
    ("savings-of", "The agency must find £6m of savings this year.", "£6m", CONTEXT, "a cut or fall"),
    ("savings-with-adjectives", "The board confirmed £6m of in-year budget reductions.", "£6m", CONTEXT, "a cut or fall"),
    ("savings-with-a-share", "The council must make £4m (3%) savings.", "£4m", CONTEXT, "a cut or fall"),
    ("saving-of-before", "It now needs to find a total saving of £6m.", "£6m", CONTEXT, "a cut or fall"),
    ("savings-which-total", "It will make the savings through measures which total £2m.", "£2m", CONTEXT, "a cut or fall"),
    ("reduce-grant-by", "The board will reduce the grant paid to bus operators by £3m.", "£3m", CONTEXT, "a cut or fall"),
    ("reduced-deficit-to", "Earlier measures reduced the deficit to £1m.", "£1m", CONTEXT, "a cut or fall"),
    ("fell-by-hedged", "Rural bus subsidy fell by almost £5m.", "£5m", CONTEXT, "a cut or fall"),
    ("decreased-to-level", "The grant decreased by £20m from £90m in 2015/16 to £70m this year.", "£70m", CONTEXT, "a cut or fall"),
    ("amount-required", "The £7m required comes on top of last year's overspend.", "£7m", CONTEXT, "a deficit, debt or pressure"),
    ("will-save", "The department will save £300m through efficiencies.", "£300m", CONTEXT, "a cut or fall"),
    ("near-miss-save-lives-with", "We will save lives with £300m for air ambulances.", "£300m", COMMITMENT, "commitment: no context cue"),
    ("near-miss-funding-to-cut-waits", "We are providing £5m of funding to cut waiting lists.", "£5m", COMMITMENT, "commitment: provide"),
    ("near-miss-allocated-despite-cuts", "Despite the cuts, the department has allocated funding of £8m to ports.", "£8m", COMMITMENT, "commitment: allocate"),
    ("near-miss-rise-after-cuts", "After years of cuts, the housing budget will rise to £9bn.", "£9bn", COMMITMENT, "commitment: no context cue"),
    ("near-miss-increase-by", "The grant will increase by £2m in 2026/27.", "£2m", COMMITMENT, "commitment: grant"),
    ("near-miss-purpose-then-backed-by", "Designed to reduce congestion, the scheme is backed by £40m.", "£40m", COMMITMENT, "commitment: no context cue"),
    ("near-miss-purpose-then-worth", "The fund, which aims to lower fares, is worth £40m.", "£40m", COMMITMENT, "commitment: fund"),
    ("near-miss-required-before", "We will provide the required £7m.", "£7m", COMMITMENT, "commitment: provide"),
    # -- baselines: the "from" figure of a change --
    ("rising-from-x-to-y", "Road maintenance funding will rise from £4bn to £5bn.", "£4bn", CONTEXT, "a baseline for comparison"),
    ("rising-from-x-to-y-keeps-y", "Road maintenance funding will rise from £4bn to £5bn.", "£5bn", COMMITMENT, "commitment: fund"),
    ("decreased-by-from", "The grant decreased by £20m from £90m in 2015/16 to £70m this year.", "£90m", CONTEXT, "a baseline for comparison"),
    ("decreased-by-amount", "The grant decreased by £20m from £90m in 2015/16 to £70m this year.", "£20m", CONTEXT, "a cut or fall"),
    # -- cumulative track records --
    ("track-record-since-year", "Since 2019 the department has provided £300m to bus operators.", "£300m", CONTEXT, "a cumulative track record"),
    ("track-record-since-month-after", "In total we have invested more than £40m since May 2023.", "£40m", CONTEXT, "a cumulative track record"),
    ("track-record-place-has-received", "Since 2021, the county has received over £12m in flood defence funding.", "£12m", CONTEXT, "a cumulative track record"),
    ("track-record-past-years", "The department has spent over £2bn in each of the past four years on rail.", "£2bn", CONTEXT, "a cumulative track record"),
    ("track-record-total-between-years", "The department has allocated a total of £800m to councils between 2017/18 and 2021/22.", "£800m", CONTEXT, "a cumulative track record"),
    ("track-record-passive", "Over £90m has been provided to ports since 2020.", "£90m", CONTEXT, "a cumulative track record"),
    ("spending-power-named-before-the-figure", "Core Spending Power for councils in Wales will be up to £9.1bn in 2026-27.", "£9.1bn", CONTEXT, "spending power, not new money"),
    ("spending-power-increase-of", "This is an increase in core spending power of up to £400m.", "£400m", CONTEXT, "spending power, not new money"),
    ("track-record-simple-past-between-years", "The agency awarded £150m through the ferry fund between 2019/20 and 2022/23.", "£150m", CONTEXT, "a cumulative track record"),
    ("track-record-participle-between-years", "The new plan doubles the £900m invested between 2012 and 2018.", "£900m", CONTEXT, "a cumulative track record"),
    ("simple-past-award-in-one-month", "The first round awarded £700m to 60 towns in March 2022.", "£700m", COMMITMENT, "commitment: pledge"),
    ("future-allocation-between-years", "£400m will be allocated between 2026-27 and 2028-29.", "£400m", COMMITMENT, "commitment: allocate"),
    ("near-miss-year-listed-after-dash", "Since 2019 the department has provided £300m - £100m in 2019/20 and £200m in 2020/21.", "£100m", COMMITMENT, "commitment: provide"),
    ("near-miss-year-listed-in-brackets", "Since 2019 the department has provided £300m (£100m in 2019/20 and £200m in 2020/21).", "£200m", COMMITMENT, "commitment: provide"),
    ("near-miss-annual-level-since", "Since 2021 the department has provided £50m a year for bus services.", "£50m", COMMITMENT, "commitment: provide"),
    ("near-miss-annual-level-of-funding", "Since 2021 the department has provided £50m of funding per year.", "£50m", COMMITMENT, "commitment: provide"),
    ("near-miss-fresh-money-since", "Since April we have announced a further £5m for hubs.", "£5m", COMMITMENT, "commitment: announce"),
    ("near-miss-total-over-coming-years", "We are providing a total of £2bn between 2025/26 and 2027/28.", "£2bn", COMMITMENT, "commitment: provide"),
    ("near-miss-since-as-because", "Since demand is high, we have provided £5m.", "£5m", COMMITMENT, "commitment: provide"),
    ("near-miss-since-then-investing", "Since 2015 we have reduced emissions by a third and are now investing £5bn in rail.", "£5bn", COMMITMENT, "commitment: invest"),
    ("near-miss-bringing-total-to", "This brings total funding for the programme to £3bn.", "£3bn", COMMITMENT, "commitment: fund"),
    # -- spending reported as expenditure --
    ("spent-before", "Councils spent £3bn on highway maintenance in 2022/23.", "£3bn", CONTEXT, "spending reported as expenditure"),
    ("was-spent-after", "£2bn was spent on temporary accommodation last year.", "£2bn", CONTEXT, "spending reported as expenditure"),
    ("near-miss-will-be-spent", "£2bn will be spent on new homes.", "£2bn", COMMITMENT, "commitment: no context cue"),
    ("near-miss-government-will-be-spending", "The department expects to be spending in excess of £6bn every year on insulation.", "£6bn", COMMITMENT, "commitment: no context cue"),
    ("near-miss-spending-review", "In the Spending Review we announced additional funding of £50m for ports.", "£50m", COMMITMENT, "commitment: fund"),
    # -- cost estimates, benefit ratios and differences between schemes --
    ("estimated-cost-of-a-problem", "The estimated cost of fuel poverty to the health service is around £1bn per year.", "£1bn", CONTEXT, "a cost estimate"),
    ("near-miss-costs-then-investment", "To meet the costs providers face, at an estimated £300m of additional investment, we will raise rates.", "£300m", COMMITMENT, "commitment: invest"),
    ("benefit-ratio-pound-word", "Every pound spent on insulation generated £2.50 in benefits.", "£2.50", CONTEXT, "a benefit ratio"),
    ("benefit-ratio-pound-sign", "For every £1 invested, the scheme saves £4.", "£4", CONTEXT, "a benefit ratio"),
    ("benefit-ratio-the-pound", "For every £1 invested, the scheme saves £4.", "£1", CONTEXT, "a benefit ratio"),
    ("near-miss-every-school", "Every school will receive £5,000.", "£5,000", COMMITMENT, "commitment: no context cue"),
    ("difference-between-schemes", "Each council will get £8,000 more than what was provided under the old scheme.", "£8,000", CONTEXT, "a difference between schemes"),
    ("difference-from-a-request", "The museum service will receive £4 million more than it asked for in its bid.", "£4 million", CONTEXT, "a difference between schemes"),
    ("near-miss-higher-than-last-year", "Funding is £40m higher in 2025/26 than in 2024/25.", "£40m", COMMITMENT, "commitment: fund"),
    ("near-miss-more-than-last-year", "We will invest £5m more than last year.", "£5m", COMMITMENT, "commitment: invest"),
    # -- third parties and questioners --
    ("recommended-spending", "The review's recommended spending of £3bn has not been met.", "£3bn", CONTEXT, "a third party's figure"),
    ("questioner-proposal", "To ask the Secretary of State for Transport, whether he will provide £50m for rural buses.", "£50m", CONTEXT, "a questioner's proposal, not a commitment"),
    ("cost-of-x-is", "The average cost of repairing one streetlight is around £320.", "£320", CONTEXT, "a cost estimate"),
    ("gap-of", "Trusts say they face a funding gap of £2 billion a year by 2030-31.", "£2 billion", CONTEXT, "a deficit, debt or pressure"),
    ("backlog-of", "Prisons reported a repair backlog of £1.4 billion in 2023/24.", "£1.4 billion", CONTEXT, "a deficit, debt or pressure"),
    ("fare-held-at", "The scheme holds ferry fares at £5 for islanders.", "£5", CONTEXT, "a price or charge, not public money"),
    ("price-cap-rises-to", "The water price cap for a typical home will rise to £480 a year.", "£480", CONTEXT, "a price or charge, not public money"),
    ("according-to-outturn", "Councils spend over £900 million a year on school transport, according to the latest outturn.", "£900 million", CONTEXT, "a reported statistic"),
    ("according-to-statistics", "Operators received grants of £1.1 billion in 2022-23, according to official statistics.", "£1.1 billion", CONTEXT, "a reported statistic"),
    ("near-miss-fund-for-fares", "We are providing £50 million to keep rural bus routes running.", "£50 million", COMMITMENT, "commitment: provide"),
    ("near-miss-according-to-formula", "Each council will receive £2 million according to the funding formula.", "£2 million", COMMITMENT, "commitment: fund"),
    ("questioner-proposal-make-available", "To ask the Chancellor, if she will make £20m available for lifeboats.", "£20m", CONTEXT, "a questioner's proposal, not a commitment"),
    ("near-miss-question-assessment", "To ask the Secretary of State for Energy, whether she will make an assessment of the £40m heat fund.", "£40m", COMMITMENT, "commitment: fund"),
    ("question-quotes-government-commitment", "To ask the Secretary of State for Health, how much of the £2bn announced in the Budget has been allocated.", "£2bn", COMMITMENT, "commitment: allocate"),
]


@pytest.mark.parametrize("sentence, figure, expected_role, reason", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_role(sentence, figure, expected_role, reason):
    found = role(sentence, figure)
    assert (found.role, found.reason) == (expected_role, reason)


def test_every_context_reason_is_in_the_vocabulary():
    for case in CASES:
        if case[3] == CONTEXT:
            assert case[4] in CONTEXT_REASONS


# A vocabulary written for these tests, standing in for data/raw/reference/context_terms.csv.
TERMS = ContextTerms(settlement=("Local Government Finance Settlement", "Revenue Support Grant"), third_party=("think tank", "independent review"))

VOCABULARY_CASES = [
    pytest.param("We announced £600m of extra funding through the Local Government Finance Settlement.", "£600m", "", CONTEXT, "local-government settlement money, not ring-fenced", id="settlement-through"),
    pytest.param("This funding is worth £90m in 2024/25.", "£90m", "Councils fund libraries through the Revenue Support Grant.", CONTEXT, "local-government settlement money, not ring-fenced", id="settlement-refers-back"),
    pytest.param("The warm homes programme is backed by £60m, via the Local Government Finance Settlement.", "£60m", "", COMMITMENT, "commitment: package", id="near-miss-settlement-for-a-programme"),
    pytest.param("We will continue the £40m for each year of the Local Government Finance Settlement.", "£40m", "", COMMITMENT, "commitment: package", id="near-miss-settlement-as-a-period"),
    pytest.param("£30m of ring-fenced funding will be paid through the Local Government Finance Settlement.", "£30m", "", COMMITMENT, "commitment: fund", id="near-miss-settlement-ring-fenced"),
    pytest.param("This funding is worth £90m.", "£90m", "Councils run the library service.", COMMITMENT, "commitment: fund", id="near-miss-refers-back-to-no-settlement"),
    pytest.param("A think tank estimates that councils need £2bn.", "£2bn", "", CONTEXT, "a third party's figure", id="third-party-estimates"),
    pytest.param("We are giving the independent review £2m to do its work.", "£2m", "", COMMITMENT, "commitment: no context cue", id="near-miss-third-party-paid"),
]


@pytest.mark.parametrize("sentence, figure, previous, expected_role, reason", VOCABULARY_CASES)
def test_role_with_vocabulary(sentence, figure, previous, expected_role, reason):
    start = sentence.index(figure)
    found = classify(sentence, start, start + len(figure), TERMS, previous)
    assert (found.role, found.reason) == (expected_role, reason)
    if expected_role == CONTEXT:
        assert reason in CONTEXT_REASONS


def test_vocabulary_rules_need_the_vocabulary():
    sentence = "We announced £600m of extra funding through the Local Government Finance Settlement."
    assert role(sentence, "£600m").role == COMMITMENT


_CUE_WORDS = ["made", "available", "investment", "provided", "allocation", "committed", "will", "be", "used", "to", "spent",
              "is", "for", "there", "fund", "funding", "grants", "announced", "launch", "package", "settlement", "plan",
              "planned", "including", "worth", "pledge", "awarded", "the", "new", "FUNDS", "are", "£5m", "ınvested", "Available"]


@given(st.lists(st.sampled_from(_CUE_WORDS), min_size=1, max_size=9))
def test_commitment_cue_is_the_first_listed_cue_found(words):
    from funding.annotate.classify import _COMMITMENT_CUES, commitment_cue

    text = " ".join(words)
    expected = next((label for label, pattern, _words in _COMMITMENT_CUES if pattern.search(text)), "")  # each cue tried in turn
    assert commitment_cue(text) == expected
