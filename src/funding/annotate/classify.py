"""Decide whether a money figure is a commitment or context, and record why.

A *commitment* is money the government commits, allocates, invests, provides or has made
available, whatever the tense, including per-unit rates, annual levels, year-on-year increases
and totals that take in earlier money ("bringing total funding to £X"). *Context* is everything
else a document quotes. Context figures never enter totals.

Rules look at the figure's own clause, not the whole sentence, so that "approximately £54
billion core spending power ..., up from £50 billion in 2021-22" gives each figure its own
reason. A clause ends at ; : a dash (also a spaced hyphen, " - ") or a full stop, so that the
single years listed after a track-record total ("... £90m since 2020 - £30m in 2021/22 ...")
keep their own role. Hedge words right before a figure ("over", "almost", "an estimated") are
set aside before the rules look. The first rule that matches decides:

- a cut or fall: "cut by £5m", "£9m of savings", "a saving of £4m", "reduced the grant ... by
  £2m", "decreased ... to £85m" (the level a cut leaves), unless a rise or a commitment verb
  stands between the cut word and the figure;
- a baseline: the "from" figure of a change ("rise from £7bn to £9bn", "up from"), "compared
  with";
- a cumulative track record: a perfect-tense verb of giving ("has provided", "have received")
  with a span that reaches back: "since 2020", "in each of the past three years", or a total
  over stated years ("a total of £X between 2018/19 and 2022/23"); also a simple past verb
  of giving with a span of past years ("awarded £X between 2021/22 and 2023/24", "the £X
  invested between 2015 and 2021"). Not an annual level ("£5m a year since 2020") and not
  fresh money ("a further £5m since April");
- spending reported as expenditure: "spent £X", "£X was spent", "expenditure ... was £X";
  not the government's planned spending ("will be spending £X a year") nor a Spending Review;
- local-government settlement money cited as a service's source: money "through" or "via" a
  term of data/raw/reference/context_terms.csv of kind ``settlement``, unless ring-fenced or
  for a programme or scheme the clause names (that is the programme's own money, delivered
  through the settlement); also a sentence that refers back to such money ("This fund has a
  value of £X" after "... receive funding through the Formula Spending.");
- a price or charge the public pays ("holds single fares at £3", "the tariff cap ... will rise to
  £3,610"); a statistic the clause reports "according to the latest outturn" (or statistics,
  figures, data, returns, a survey);
- a cost estimate ("the cost of filling a pothole is £75"), a gap or backlog ("a funding gap of
  £30 billion", "a maintenance backlog of £11.6 billion"), a benefit ratio ("every £1 spent generated £2.28"), a difference from
  another scheme ("£21,000 above what was provided under ..."), a deficit or a requirement
  ("the £12m required"), a real-terms change, spending power ("£54bn core spending power", "Core
  Spending Power for councils will be £78bn");
- a third party's figure: a recommended sum, or a figure a named outside body (kind
  ``third_party``) estimates, finds or calls for;
- a questioner's proposal: in a "To ask ..." question, money the question asks the government
  whether it will provide. The government's own money quoted in a question stays a commitment;
- a committee's finding or demand ("Recommendation 4:", "the Government should").

Anything no context rule catches is a commitment, with the verb that says so when there is one
("commitment: invest").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable

from funding.annotate.words import lowered
from funding.vocab import QUALIFIERS

__all__ = ["Role", "ContextTerms", "classify", "COMMITMENT", "CONTEXT", "CONTEXT_REASONS"]

COMMITMENT = "commitment"
CONTEXT = "context"


@dataclass(frozen=True)
class Role:
    role: str  # COMMITMENT or CONTEXT
    reason: str


@dataclass(frozen=True)
class ContextTerms:
    """Vocabulary some context rules need (data/raw/reference/context_terms.csv, by kind)."""

    settlement: tuple[str, ...] = ()  # general local-government funding ("Local Government Finance Settlement")
    third_party: tuple[str, ...] = ()  # outside bodies whose figures are theirs ("independent review")


_CLAUSE_BREAK = re.compile(r"[;:–—]|\s-\s|,(?=\s+(?:up|down)\s+from\b)|\.\s")  # "up from" stays in the clause after

# Hedges are set aside so that "fell by almost £5m" reads like "fell by £5m".
_HEDGE_WORDS = sorted({s for spellings in QUALIFIERS.values() for s in spellings} | {"an estimated", "estimated"}, key=len, reverse=True)
_HEDGE = re.compile(r"(?i)(?:\b(?:" + "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in _HEDGE_WORDS) + r")\s*)+\Z")

# Words of change, in each direction, and verbs that say money is given.
_DOWN = r"(?:fell|fallen|falls?|falling|cut|cuts|cutting|reduc\w*|decreas\w*|declin\w*|dropp?(?:ed|ing|s)?|lower(?:ed|ing|s)?|lost|los(?:e|es|ing)|sav(?:e|es|ed|ing|ings)|shortfalls?|deficits?|underspend\w*)"
_UP = r"(?:ris(?:e|es|en|ing)|rose|increas\w*|gr(?:ow|ows|ew|own|owing|owth)|boost\w*|rais\w*|uplift\w*|doubl\w*|tripl\w*|restor\w*|add(?:s|ed|ing)?|bring\w*|brought|tak(?:e|es|ing)|top(?:ped|ping)?\s+up)"
_GIVE = r"(?:invest\w*|provid\w*|allocat\w*|commit\w*|announc\w*|award\w*|available|receiv\w*|fund(?:s|ed)|support\w*|backed|worth)"
_NO_FIGURE = r"(?:(?!£)[^\x00])"  # any character of the clause but a figure

# Perfect tense of a verb of giving or getting: the sum of money already provided.
_PERFECT = r"\b(?:has|have|had)\s+(?:(?:now|already|so\s+far|also|together|collectively|previously|in\s+total)\s+)?(?:been\s+)?(?:\w+ed|spent|given|paid|made|put|sent|won)\b"
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_SINCE = rf"\bsince\s+(?:{_MONTH}\b|(?:19|20)\d\d\b|the\s+(?:start|beginning|launch)\b|its\s+launch\b)"
_PAST_SPAN = r"\b(?:in|over|during|across|for)\s+(?:each\s+of\s+)?the\s+(?:past|last|previous)\s+(?:\w+\s+)?(?:(?:financial\s+)?years?|decades?|months)\b"
_BETWEEN_YEARS = r"\b(?:between\s+\S*\d{4}\S*\s+and|from\s+\S*\d{4}\S*\s+to)\s+\S*\d{4}"  # "between 2018/19 and 2022/23", "from 2015 to 2021"
_TOTAL_SPAN = rf"\b(?:a\s+total\s+of|in\s+total|cumulative\w*|altogether|in\s+all)\b.*?{_BETWEEN_YEARS}"
_CUT_END = re.compile(r"(?i)\b(?:by|of|to|total(?:ling)?)\s*[\s*_(]*\Z")
_DOWN_WORD = re.compile(rf"(?i)\b{_DOWN}\b")
_TURN = re.compile(rf"(?i)\b(?:{_UP}|{_GIVE})\b|[.;]")  # a rise or a gift after the cut word: not a cut
_FROM_END = re.compile(r"(?i)\bfrom\s*[\s*_(]*\Z")
_CHANGE_WORD = re.compile(rf"(?i)\b(?:{_UP}|{_DOWN})\b")
_TRACK_RECORD = re.compile(rf"(?i){_SINCE}|{_PAST_SPAN}|{_TOTAL_SPAN}")
# The figure is the verb's object, a few words on at most, with no new verb between.
_GIVEN_BEFORE = re.compile(rf"(?i){_PERFECT}(?:\s+(?!(?:and|but|while|which|are|is|will)\b)[\w'’-]+){{0,4}}\s*\Z")
_GIVEN_AFTER = re.compile(rf"(?i)\A[\s*_)]*(?:\w+\s+){{0,4}}?{_PERFECT}")
# Simple past: "The Department awarded £X ...", "the £X invested through the fund between ...".
_PAST_GIVEN_BEFORE = re.compile(r"(?i)(?<!\bbe\s)(?<!\bbeen\s)(?<!\bis\s)(?<!\bare\s)(?<!\bwas\s)(?<!\bwere\s)\b(?:awarded|invested|provided|allocated|gave|paid|distributed)\s+(?:[\w'’-]+\s+){0,3}\Z")
_PAST_GIVEN_AFTER = re.compile(r"(?i)\A[\s*_)]*(?:awarded|invested|spent|paid|distributed)\b")
_YEARS_SPAN = re.compile(rf"(?i){_BETWEEN_YEARS}")
_ANNUAL_OR_UNIT = re.compile(r"(?i)\A[\s*_)]*(?:of\s+(?:\w+\s+){0,2}?)?(?:(?:per|each|every)\s+\w+|a\s+(?:year|week|month|day|term|head)\b)")
_FRESH = re.compile(r"(?i)\b(?:a\s+further|an\s+additional|an\s+extra|additional|extra|new)\s*\Z")

_RATIO = re.compile(r"(?i)\bevery\s+(?:pound|£\s?1(?![\d.,]))")  # "every pound spent ... generated £2"
_EVERY = re.compile(r"(?i)\bevery\s*\Z")  # the pound itself: "for every £1 invested"
_SPENT_BEFORE = re.compile(r"(?i)\bspent\s*\Z")
_SPENT_AFTER = re.compile(r"(?i)\A[\s*_)]*(?:was|were|has\s+been|have\s+been|had\s+been)\s+spent\b")
_RING_FENCED = re.compile(r"(?i)\bring[\s-]?fenced?\b")
_PROGRAMME = re.compile(r"(?i)\b(?:programmes?|schemes?|initiatives?|pilots?|projects?)\b")  # money for a named programme
_REFERS_BACK = re.compile(r"(?i)\A\W*(?:this|that|the\s+same|such)\s+(?:fund|funding|money|grant|pot|allocation)\b")
_QUESTION = re.compile(r"(?i)\bto\s+ask\s+the\b")
_PROPOSAL = re.compile(rf"(?i)\b(?:whether|if)\b{_NO_FIGURE}*?\b(?:will|plans?\s+to|intends?\s+to|would)\b{_NO_FIGURE}*?\b(?:(?:provid|allocat|invest|giv|increas|fund|commit)\w*\b{_NO_FIGURE}*|make\s+)\Z")
_REPORTING = r"(?:estimat\w*|recommend\w*|f[io]und|calculat\w*|call(?:s|ed)?\s+for|propos\w*|suggest\w*|says?|said|warn\w*)"

_Test = Callable[[str, str], bool]  # (words before the figure, words after it) -> does the rule match?


def _before(pattern: str) -> _Test:
    compiled = re.compile("(?i)" + pattern)
    return lambda before, after: compiled.search(before) is not None


def _after(pattern: str) -> _Test:
    compiled = re.compile("(?i)" + pattern)
    return lambda before, after: compiled.search(after) is not None


def _track_record(before: str, after: str) -> bool:
    """A sum already given over a span reaching back ("has provided £X since 2020")."""
    if _ANNUAL_OR_UNIT.search(after) or _FRESH.search(before):
        return False
    if _GIVEN_BEFORE.search(before) or _GIVEN_AFTER.search(after):
        return _TRACK_RECORD.search(before + "\x00" + after) is not None
    if _PAST_GIVEN_BEFORE.search(before) or _PAST_GIVEN_AFTER.search(after):
        return _YEARS_SPAN.search(before + "\x00" + after) is not None
    return False


def _cut_further_back(before: str, after: str) -> bool:
    """A cut word further back, with nothing between that turns it round ("reduce the grant ... by £3m")."""
    end = _CUT_END.search(before)
    if not end:
        return False
    cuts = list(_DOWN_WORD.finditer(before, 0, end.start()))
    return bool(cuts) and not _TURN.search(before, cuts[-1].end(), end.start())


def _from_before_a_change(before: str, after: str) -> bool:
    """The "from" figure of a change written further back ("decreased by £2m from £9m")."""
    end = _FROM_END.search(before)
    return bool(end) and _CHANGE_WORD.search(before, 0, end.start()) is not None


# (reason, test on the clause, words one of which the clause must hold for the test to match:
# the side it reads, "before" or "after", and the words in lower case, or None to always look);
# the first that matches decides.
_CONTEXT_RULES: list[tuple[str, _Test, tuple[str, tuple[str, ...]] | None]] = [
    ("a cut or fall", _before(r"\b(?:fell|fallen|falls?|cut|cuts|reduced|reductions?|decreased?|declined?|lost|shortfall)\b(?:\s+\w+){0,2}\s+(?:by|of)?\s*[\s*_(]*\Z"),
     ("before", ("fell", "fall", "cut", "reduc", "decrease", "decline", "lost", "shortfall"))),
    ("a baseline for comparison", _before(r"\b(?:up|down)\s+from\s*\Z|\bcompared\s+(?:with|to)\s*\Z|\b(?:rose|risen|increased|grew)\s+from\s*\Z"),
     ("before", ("from", "compared"))),
    ("spending power, not new money", _after(r"\A[\s*_)]*(?:of\s+)?(?:core\s+)?spending\s+power\b"), ("after", ("power",))),
    ("spending power, not new money", _before(r"\bspending\s+power\b[^£;.]{0,60}\b(?:is|are|was|were|will\s+be|of|to|at)\s*\Z"), ("before", ("power",))),  # "Core Spending Power ... will be £78bn"
    ("a benefit ratio", lambda before, after: bool(_RATIO.search(before) or _RATIO.search(after) or _EVERY.search(before)), None),
    ("a third party's figure", _before(rf"\brecommend(?:ed|s)\b{_NO_FIGURE}{{0,60}}\Z"), ("before", ("recommend",))),
    ("spending by others, past or planned", _before(r"(?<!\bbe\s)\b(?:spending(?!\s+(?:review|round)\b)|spend|spent|expenditure)\b(?:(?!£).){0,80}?\b(?:to|of|was|were|at)\s*\Z"),
     ("before", ("spen", "expenditure"))),
    ("a deficit, debt or pressure", _after(r"\A[\s*_)]*(?:funding\s+)?(?:gap|deficit|shortfall|overspend|of\s+debt|debt)\b|\A[\s*_)]*(?:required|needed)\b"),
     ("after", ("gap", "deficit", "shortfall", "overspend", "debt", "required", "needed"))),
    ("a cost estimate", _before(r"\b(?:costs?|costing|would\s+cost|estimated\s+(?:to\s+)?(?:cost|at))\b(?:(?![£,]).){0,30}\Z|\b(?:estimated|projected)\s+(?:annual\s+)?costs?\b(?:(?!£).){0,80}\Z"),
     ("before", ("cost", "estimated"))),
    ("a cost estimate", _before(r"\bcosts?\s+of\b[^£,;]{0,60}\b(?:is|was|are|were|would\s+be|will\s+be)\s*\Z"), ("before", ("cost",))),  # "the cost of filling a pothole is £75"
    ("a deficit, debt or pressure", _before(r"\b(?:gap|deficit|shortfall|backlog|overspend)\s+of\s*\Z"),
     ("before", ("gap", "deficit", "shortfall", "backlog", "overspend"))),  # "a funding gap of £30 billion"
    ("a price or charge, not public money", _before(r"\b(?:fares?|prices?|tariffs?|tickets?|charges?|price\s+cap|tariff\s+cap)\b[^£,;]{0,60}\b(?:at|of|to|is|be)\s*\Z"),
     ("before", ("fare", "price", "tariff", "ticket", "charge"))),
    ("a reported statistic", _after(rf"\A{_NO_FIGURE}*?\baccording\s+to\s+(?:the\s+)?(?:latest\s+|official\s+|published\s+|annual\s+)?(?:[\w-]+\s+){{0,2}}?(?:statistics|figures|data|outturn|returns|survey)\b"),
     ("after", ("according",))),
    ("a cut or fall", _before(r"\bsav(?:e|es|ed|ing)\s*\Z"), ("before", ("sav",))),
    ("a real-terms change", _after(r"\A[\s*_)]*in\s+real\s+terms\b"), ("after", ("real",))),
    # -- the same roles in longer forms: a cut word or change verb further back, sums over past years, spending reported --
    ("a cut or fall", _after(r"\A[\s*_)]*(?:\([^()£]{0,20}\)\s*)?(?:of\s+)?(?:(?!(?:to|for|and|or|in|on|which|that|will|is|are|was)(?![\w-]))[\w-]+\s+){0,3}?(?:savings?|cuts?|reductions?)\b"),
     ("after", ("saving", "cut", "reduction"))),
    ("a cut or fall", _cut_further_back, None),
    ("a baseline for comparison", _from_before_a_change, ("before", ("from",))),
    ("a cumulative track record", _track_record, None),
    ("spending reported as expenditure", lambda before, after: bool(_SPENT_BEFORE.search(before) or _SPENT_AFTER.search(after)), None),
    ("a difference between schemes", _after(r"\A[\s*_)]*(?:above|below|(?:more|less|higher|lower)\s+than)\s+(?:what|the\s+amount|that|(?:it|they|he|she|we|you)\s+(?:had\s+|has\s+|have\s+)?(?:asked|requested|sought|bid|planned|expected|needed)\b)\b"),
     ("after", ("above", "below", "than"))),
]
# Each rule's words as one pattern, to look for in the lowered clause (funding.annotate.words).
_GATES = [
    (reason, test, None if needs is None else (needs[0] == "before", re.compile("|".join(map(re.escape, needs[1])))))
    for reason, test, needs in _CONTEXT_RULES
]
_COMMITTEE_REASON = "a committee's finding or demand"
_SETTLEMENT_REASON = "local-government settlement money, not ring-fenced"
_THIRD_PARTY_REASON = "a third party's figure"
_PROPOSAL_REASON = "a questioner's proposal, not a commitment"

# Committee text quoted in a response: its figures are findings or demands, not commitments.
_COMMITTEE = re.compile(r"(?i)\A\W*recommendation\s+\d+\s*:|\bthe\s+government\s+should\b|\bwe\s+recommend\b")

# Words that say the money is committed, each with the label recorded as the reason, and the
# words (lower case) one of which its match must hold: a cue none of whose words is in the
# lowered text is not tried, as the context rules' gates.
_COMMITMENT_CUES: list[tuple[str, re.Pattern[str], tuple[str, ...]]] = [
    (label, re.compile(r"(?i)\b(?:" + pattern + r")\b"), words)
    for label, pattern, words in [
        ("make available", r"made\s+(?:\S+\s+){0,3}available|available", ("available",)),
        ("invest", r"invest\w*", ("invest",)),
        ("provide", r"provid\w*", ("provid",)),
        ("allocate", r"allocat\w*", ("allocat",)),
        ("commit", r"commit\w*", ("commit",)),
        ("use", r"will\s+be\s+used|to\s+be\s+spent", ("used", "spent")),
        ("is for", r"is\s+for|are\s+for|there\s+is", ("for", "there")),
        ("fund", r"fund(?:s|ed|ing)?", ("fund",)),
        ("grant", r"grants?", ("grant",)),
        ("announce", r"announc\w*", ("announc",)),
        ("launch", r"launch\w*", ("launch",)),
        ("package", r"package|settlement|plan", ("package", "settlement", "plan")),
        ("part of a package", r"includes?|including", ("includ",)),
        ("worth", r"worth", ("worth",)),
        ("pledge", r"pledg\w*|award\w*", ("pledg", "award")),
    ]
]

CONTEXT_REASONS = tuple(dict.fromkeys(
    [reason for reason, _test, _words in _CONTEXT_RULES]
    + [_SETTLEMENT_REASON, _THIRD_PARTY_REASON, _PROPOSAL_REASON, _COMMITTEE_REASON]
))


@functools.lru_cache(maxsize=8)
def _terms_pattern(terms: tuple[str, ...], channel: bool = False) -> re.Pattern[str] | None:
    """Any of ``terms`` as whole words, case-insensitive, longest first; None when there are none.

    With ``channel``, only a term the money comes through ("through the Education Formula
    Spending", "via the Local Government Finance Settlement"), not one used as a period
    ("for each year of the settlement").
    """
    if not terms:
        return None
    parts = sorted((re.escape(t).replace(r"\ ", r"\s+") for t in terms), key=len, reverse=True)
    lead = r"\b(?:through|via|from|within|under|in)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?" if channel else ""
    return re.compile(r"(?i)" + lead + r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


@functools.lru_cache(maxsize=256)  # asked by the context rules and again by the role's evidence
def _clause(sentence: str, start: int, end: int) -> tuple[str, str]:
    """The words of the figure's own clause before and after it, hedges before it set aside."""
    before = sentence[:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    after = sentence[end:]
    following = _CLAUSE_BREAK.search(after)
    if following:
        after = after[: following.start()]
    hedge = _HEDGE.search(before)
    return (before[: hedge.start()] if hedge else before), after


def _vocabulary_rule(sentence: str, before: str, after: str, terms: ContextTerms, previous: str) -> str:
    """The reason from a rule that needs the vocabulary, or ""."""
    settlement = _terms_pattern(terms.settlement, channel=True)
    if settlement and not _sentence_facts(sentence).ring_fenced and not _PROGRAMME.search(before + " " + after):
        if settlement.search(before) or settlement.search(after):
            return _SETTLEMENT_REASON
        if _REFERS_BACK.search(sentence) and settlement.search(previous):
            return _SETTLEMENT_REASON
    third_party = _terms_pattern(terms.third_party)
    if third_party:
        named = third_party.search(before)
        if named and re.search(rf"(?i)\b{_REPORTING}\b{_NO_FIGURE}*\Z", before[named.end() :]):
            return _THIRD_PARTY_REASON
    return ""


def classify(sentence: str, start: int, end: int, terms: ContextTerms = ContextTerms(), previous: str = "") -> Role:
    """The role of the figure at sentence[start:end], with the reason.

    ``terms`` is the vocabulary of context_terms.csv; ``previous`` is the sentence before, read
    only when this one refers back to it ("This fund ...").

    >>> s = "councils will have approximately £54 billion core spending power, up from £50 billion in 2021-22."
    >>> classify(s, 33, 44), classify(s, 74, 85)
    (Role(role='context', reason='spending power, not new money'), Role(role='context', reason='a baseline for comparison'))
    >>> classify("we have made £130 million available", 13, 25)
    Role(role='commitment', reason='commitment: make available')
    """
    before, after = _clause(sentence, start, end)
    lowered_before, lowered_after = lowered(before), lowered(after)
    folds = lowered_before is None or lowered_after is None  # then every rule looks, whatever words the clause holds
    for reason, test, gate in _GATES:
        if gate is not None and not folds and gate[1].search(lowered_before if gate[0] else lowered_after) is None:
            continue  # the clause lacks every word the rule needs
        if test(before, after):
            return Role(CONTEXT, reason)
    reason = _vocabulary_rule(sentence, before, after, terms, previous)
    if reason:
        return Role(CONTEXT, reason)
    facts = _sentence_facts(sentence)
    if facts.question and _PROPOSAL.search(before):
        return Role(CONTEXT, _PROPOSAL_REASON)
    if facts.committee:
        return Role(CONTEXT, _COMMITTEE_REASON)
    label = commitment_cue(before + " " + after) or facts.cue
    return Role(COMMITMENT, f"commitment: {label or 'no context cue'}")


def commitment_cue(words: str) -> str:
    """The label of the first commitment cue (in the order of _COMMITMENT_CUES) in ``words``, or ""."""
    lower = lowered(words)
    for label, pattern, needs in _COMMITMENT_CUES:
        if (lower is None or any(word in lower for word in needs)) and pattern.search(words):
            return label
    return ""


@dataclass(frozen=True)
class _SentenceFacts:
    """What the rules ask of a whole sentence, whichever of its figures they are deciding."""

    question: bool  # a written question's "To ask the ..."
    committee: bool  # a committee's finding or demand quoted
    ring_fenced: bool
    cue: str  # the first commitment cue anywhere in it


@functools.lru_cache(maxsize=1024)  # the figures of a sentence are decided in turn
def _sentence_facts(sentence: str) -> _SentenceFacts:
    return _SentenceFacts(
        _QUESTION.search(sentence) is not None, _COMMITTEE.search(sentence) is not None,
        _RING_FENCED.search(sentence) is not None, commitment_cue(sentence),
    )
