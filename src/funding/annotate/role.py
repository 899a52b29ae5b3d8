"""A figure's role, commitment or context, decided from evidence for and against, with a certainty.

A commitment needs evidence. Each figure starts from a prior that depends on the kind of
document it stands in (``funding.annotate.kinds``: nine figures in ten of a press release are
commitments, few of a Budget's or an annual report's are), and each piece of evidence found
around it adds a weight, a log-odds in bits (``WEIGHTS``, the one table of them, read like the
repeat linker's). A figure whose score is 0 or more is a commitment; its certainty is the
probability the score stands for, ``1 / (1 + 2 ** -score)`` for a commitment and one minus it for
context, so that a score of +3.2 bits reads "0.90 sure it is a commitment". The evidence is
written beside each figure in ``mentions.csv`` (``role_evidence``), with its weight.

Evidence for a commitment:

- a verb or structure of giving in the figure's clause ("invest", "provide", "allocate", "make
  available", "fund", "award"), weaker in the rest of its sentence, or a word of a package;
- a government body as the giver named in its sentence (``giver`` terms of context_terms.csv
  and every department of departments.csv): a department, a minister, "the government", "we",
  a devolved government;
- a purpose ("for", "to support") right after it, and new money ("a further", "an additional");
- the cost of a spending measure in a policy-decisions table (a cell signed "-" in a row
  headed "Spend"), or a cell of an allocations table.

Evidence against:

- every context rule of ``funding.annotate.classify`` (a cut, a baseline, a track record, spending
  reported, settlement money, a price, a cost estimate, a third party's figure ...);
- the vocabularies of context_terms.csv in the figure's clause: fiscal aggregates and forecasts,
  tax measures, accounts, the economy, money of others;
- a track record however phrased ("since 2010", "so far", "to date", "over the last decade"),
  and a previous commitment cited as a baseline ("on the £X pledged to the previous round");
- a cell of a fiscal-aggregates, departmental-budgets, accounts or statistics table, of a tax
  row or a total row of a policy-decisions table, or a spending row's yield (a saving);
- no giver and no giving at all in its sentence.

The weights were set by hand from what each piece of evidence means, then checked against the
development corpus and the project's out-of-domain fixtures (``benchmarks/reliability.py``
prints the reliability table: certainty band, figures, share right). ``decide`` is a pure
function of the sentence, the figure's place in it, its table cell and the document's kind.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from funding.annotate.classify import COMMITMENT, CONTEXT, ContextTerms, _clause, classify, commitment_cue
from funding.annotate.kinds import TableCell
from funding.reference import trie, trie_pattern

__all__ = ["Role", "RoleVocabulary", "decide", "WEIGHTS", "PRIORS", "certainty_of"]


#: The prior of a figure (bits) by the kind of document it stands in (funding.annotate.kinds.DOCUMENT_KINDS).
PRIORS: dict[str, float] = {
    "announcement": 2.5,
    "written_statement": 2.5,
    "written_answer": 2.5,
    "committee_report": 1.5,
    "other": 1.5,
    "spending_review": 0.5,
    "strategy": -0.5,
    "budget": -1.0,
    "annual_report": -2.0,
    "statistics": -2.5,
}

#: evidence -> weight (bits); positive says "a commitment", negative "context".
WEIGHTS: dict[str, float] = {
    # for
    "a verb of giving": 2.0,
    "a word of a package": 1.0,
    "giving in its sentence": 1.0,
    "a government giver": 1.5,
    "a government giver in its sentence": 0.75,
    "a purpose": 2.0,
    "new money": 1.5,
    "a level of spending kept": 3.0,  # "protects ... spending, a total of £X": a commitment to a level, not spending reported
    "a spending measure's cost": 7.0,
    "a cell of an allocations table": 2.0,
    # against
    "a context rule": -7.0,  # the rules below are weaker: they fire on commitments too
    "a context rule: a cost estimate": -5.0,
    "a context rule: spending by others, past or planned": -2.5,
    "a context rule: a real-terms change": -2.0,
    "a fiscal aggregate": -4.0,
    "a tax measure": -4.0,
    "accounts": -4.0,
    "the economy": -4.0,
    "money of others": -3.5,
    "a track record": -5.0,
    "a baseline cited": -3.0,
    "no giver and no giving": -0.5,
    # more than a department spends in years: all public spending (about £1.2 trillion a year in
    # 2024-25), receipts, debt, GDP; no labelled commitment comes near it
    "an amount on the scale of the public finances": -8.0,
    # a term of the vocabularies above outside the figure's clause, elsewhere in its sentence
    # ("As set out in the OBR's outlook, the forecast for the net cash requirement (excluding
    # A, B and C) is £X"): weaker, for the sentence may hold a commitment beside it
    "a fiscal aggregate in its sentence": -2.0,
    "a tax measure in its sentence": -2.0,
    "accounts in its sentence": -2.0,
    "the economy in its sentence": -2.0,
    "money of others in its sentence": -2.0,
    "an outside body's figure cited": -4.0,
    "a figure attributed to a source": -4.0,
    "a giver outside government": -4.0,  # "Tata have announced a £4 billion gigafactory", "£2bn from Nissan"  # "£3.9 billion, according to the Office of Rail and Road"
    "a settlement's total": -7.0,  # "The Local Government Finance Settlement makes available up to £X": councils' general money  # "As reported by the OBR, ...", "According to the IFS, ..."
    "a citation of a publication": -6.0,  # "'Chancellor announces £X ...', HM Treasury, 4 June 2015, available on gov.uk"
    "a cell of a fiscal-aggregates table": -8.0,
    "a cell of a departmental-budgets table": -5.0,
    "a cell of an accounts table": -8.0,
    "a cell of a statistics table": -2.0,
    "a tax measure's row": -9.0,
    "a total row": -9.0,
    "a spending measure's yield (a saving)": -9.0,
}

_VOCABULARY_EVIDENCE = (("fiscal", "a fiscal aggregate"), ("tax", "a tax measure"), ("accounts", "accounts"),
                        ("economy", "the economy"), ("others", "money of others"))
_TABLE_EVIDENCE = {
    "fiscal_aggregates": "a cell of a fiscal-aggregates table",
    "departmental_budgets": "a cell of a departmental-budgets table",
    "accounts": "a cell of an accounts table",
    "statistics": "a cell of a statistics table",
    "allocations": "a cell of an allocations table",
}
_STRONG_CUES = frozenset({"make available", "invest", "provide", "allocate", "commit", "use", "fund", "grant", "announce", "launch", "pledge"})
# The reason written for each piece of evidence against when it decides (context_reason).
_REASONS = {
    "a fiscal aggregate": "a fiscal aggregate or forecast",
    "a tax measure": "a tax measure",
    "accounts": "accounts: income, expenditure or balances",
    "the economy": "the economy: a market, a price or a wage",
    "money of others": "money of others, not the government's",
    "a track record": "a cumulative track record",
    "a baseline cited": "a previous commitment cited as a baseline",
    "no giver and no giving": "no giver and no giving",
    "an amount on the scale of the public finances": "an amount on the scale of the public finances (a fiscal aggregate)",
    "a cell of a fiscal-aggregates table": "a fiscal aggregate or forecast (table)",
    "a cell of a departmental-budgets table": "a department's whole budget (table)",
    "a cell of an accounts table": "accounts: income, expenditure or balances (table)",
    "a cell of a statistics table": "a statistic (table)",
    "a tax measure's row": "a tax measure (policy-decisions table)",
    "a total row": "a total of policy decisions (table)",
    "a spending measure's yield (a saving)": "a saving (policy-decisions table)",
}


@dataclass(frozen=True)
class Role:
    role: str  # COMMITMENT or CONTEXT
    reason: str  # why: the evidence that weighs most on the side decided
    certainty: float  # 0.5 to 1: the probability the score stands for, of the role decided
    evidence: str  # each piece of evidence with its weight, "; "-joined


@dataclass(frozen=True)
class RoleVocabulary:
    """The terms the evidence needs, each kind as one pattern (from context_terms.csv and departments.csv)."""

    terms: ContextTerms
    patterns: dict[str, re.Pattern[str] | None]
    givers: re.Pattern[str] | None
    outside_lead: re.Pattern[str] | None = None  # a sentence opening on an outside body's figures
    settlement_giver: re.Pattern[str] | None = None  # a settlement as what makes the money available

    @classmethod
    def of(cls, context_terms: dict[str, tuple[str, ...]], bodies: frozenset[str] = frozenset()) -> "RoleVocabulary":
        terms = ContextTerms(context_terms.get("settlement", ()), context_terms.get("third_party", ()))
        patterns = {kind: _words(context_terms.get(kind, ())) for kind, _name in _VOCABULARY_EVIDENCE}
        givers = _words(tuple(context_terms.get("giver", ())) + tuple(sorted(b for b in bodies if len(b) > 2)), ignore_case=True)
        outside = _words(context_terms.get("third_party", ()))
        lead = re.compile(_OUTSIDE_LEAD + r"(?:(?!£)[^.;]){0,80}?(?:" + outside.pattern + ")") if outside is not None else None
        settlement = _words(context_terms.get("settlement", ()), ignore_case=True)
        settles = (re.compile(r"(?i:^\W*(?:the\s+)?(?:[\w-]+\s+){0,3}?)(?:" + settlement.pattern + r")\s+(?:\([^)]{1,20}\)\s+)?"
                              r"(?i:(?:will\s+|would\s+)?(?:makes?|making|provides?|providing|gives?|is\s+worth|totals?|is)\b)"
                              r"[^£.;]{0,60}\Z") if settlement is not None else None)
        return cls(terms, patterns, givers, lead, settles)


def _words(terms: tuple[str, ...], ignore_case: bool = False) -> re.Pattern[str] | None:
    """Any of ``terms`` as whole words; a term written in capitals ("DEL", "GDP") matches only so."""
    if not terms:
        return None
    exact = {t for t in terms if t.isupper() and len(t) <= 4 and not ignore_case}
    loose = set(terms) - exact
    space = r"\s+"
    groups = ["(?i:" + trie_pattern(trie(loose, fold=True), space) + ")"] if loose else []  # a trie: one pass, not one per term
    groups += [trie_pattern(trie(exact), space)] if exact else []
    return re.compile(r"(?<![\w-])(?:" + "|".join(groups) + r")(?![\w-])")


#: How many bits of the hand-set weights make one bit of evidence, as it turns out: fitted, the
#: one number fitted, by maximum likelihood on the development corpus's 460 figures alone
#: (``python benchmarks/reliability.py --fit``, 7 December 2026: 1.85), and checked on the
#: out-of-domain sets, which were not used to fit it. With 1.0 (the weights taken at their word)
#: every band was under-confident: figures given 0.84 were right every time.
CERTAINTY_SCALE = 1.85


def certainty_of(score: float) -> float:
    """The probability a score in bits stands for, of the side it falls on (``CERTAINTY_SCALE``)."""
    p = 1.0 / (1.0 + 2.0 ** (-CERTAINTY_SCALE * score))
    return max(p, 1.0 - p)


_PURPOSE = re.compile(r"(?i)\A[\s*_)]*(?:(?:of\s+)?(?:\w+\s+){0,3}?)?(?:for|towards|into|to\s+(?:support|help|fund|deliver|build|improve|tackle|create|expand|provide|develop|boost|protect|upgrade|repair|invest|enable|ensure|make|increase|reduce|transform))\b")
# "the sector, worth around £100 billion to the economy": what a sector is worth, not money given
_TO_THE_ECONOMY = re.compile(r"(?i)\A[^£;.]{0,20}?\bto\s+the\s+(?:UK\s+|UK's\s+|British\s+|national\s+|local\s+|wider\s+)?economy\b")
# "Tata have announced a £4 billion gigafactory", "up to £2bn from Nissan": a named giver that
# is not the government's (no giver term, department or public body), as the clause's subject
# or as where the money comes from
_NAMED_SUBJECT = re.compile(
    r"(?:^|[.;:,]\s+|\band\s+)(?P<name>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,3})\s+"
    r"(?:(?:have|has|had|will|is|are|was|were)\s+)?(?:also\s+)?"
    r"(?:announced|made|invested|investing|invest|committed|committing|pledged|unlocked|unlocking)\b[^£]{0,40}\Z"
)
_NAMED_SOURCE = re.compile(r"\A\s*(?:of\s+(?:\w+\s+){0,2})?(?:investment\s+)?from\s+(?P<name>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,3})")
_NOT_A_NAME = frozenset({"we", "i", "it", "this", "they", "he", "she", "the", "our", "these", "that", "there", "next", "last", "each", "every"}
                       | set("january february march april may june july august september october november december".split())
                       | set("monday tuesday wednesday thursday friday saturday sunday spring summer autumn winter".split()))


def _outside_giver(before: str, after: str, givers: re.Pattern[str] | None) -> tuple[str, bool]:
    """The name of a giver outside government the figure's clause gives, or "", and whether it
    is the subject of the clause's verb of giving (so that the giving is not the government's)."""
    for match, subject in ((_NAMED_SUBJECT.search(before), True), (_NAMED_SOURCE.match(after), False)):
        if match is None:
            continue
        name = match["name"].rstrip(".’'")
        if name.split()[0].lower() in _NOT_A_NAME or (givers is not None and givers.search(name)):
            continue
        return name, subject
    return "", False


# "... net subsidy of £3.9 billion, according to the Office of Rail and Road": a source's figure
_ACCORDING_AFTER = re.compile(r"(?i)\A[^£;]{0,80}?\baccording\s+to\b")
# where a sentence's coordinated clauses part: ", and", "and that", ";", ":"
_COORDINATE = re.compile(r",?\s*\band\s+that\b|,\s*(?:and|but|while|whereas)\b|[;:]")


def _leading_clauses(before: str) -> str:
    """The words before a figure back to the last coordinated clause's start: "the forecast for
    the net cash requirement (excluding A, B and C) is" stays whole; "..., and that spending on
    the NHS increases by" keeps only its own clause."""
    parts = list(_COORDINATE.finditer(before))
    return before[parts[-1].end() :] if parts else before


# "As reported by the OBR, ...", "According to the latest IFS analysis, ...": what follows is theirs.
_OUTSIDE_LEAD = r"(?im:^\W*(?:\d+(?:\.\d+)*\s+)?(?:as\s+(?:reported|set\s+out|forecast|shown|estimated|published|projected)\s+(?:by|in)|according\s+to)\b)"
# a footnote citing a publication: "'Title', Publisher, 4 June 2015, available on gov.uk"
_CITATION = re.compile(r"(?i)[‘'\"“][^‘’'\"“”]{5,200}[’'\"”]\s*,[^,]{2,80},\s*\d{1,2}\s+[a-z]+\s+\d{4}|\bavailable\s+(?:on|at|from)\s+(?:gov\.uk|www\.|https?://)")
# "will protect counter-fraud spending ... of £X", "maintains the schools budget at £X": the
# government undertakes to keep a level of spending, which is a commitment, however the
# spending is then described ("spent by a range of departments").
_LEVEL_KEPT = re.compile(r"(?i)\b(?:protect|protects|protected|protecting|maintain|maintains|maintaining)\b(?:(?!£)[^.;]){0,80}?\b(?:spending|budgets?|funding)\b(?:(?!£).){0,120}\Z")
_NEW_MONEY = re.compile(r"(?i)\b(?:a\s+further|an\s+additional|an\s+extra|additional|extra|new)\s*\Z")
_TRACK = re.compile(r"(?i)\bsince\s+(?:(?:19|20)\d\d|the\s+(?:start|beginning|launch)|its\s+launch)\b|\bso\s+far\b|\bto\s+date\b|\b(?:over|in|during)\s+the\s+(?:last|past|previous)\s+(?:decade|\w+\s+(?:years|decades))\b|\bin\s+recent\s+years\b|\b(?:over|in|during)\s+the\s+(?:last|previous)\s+Parliament\b")
_FUTURE = re.compile(r"(?i)\b(?:will|shall|plans?\s+to|is\s+to|are\s+to|going\s+to)\b")
_BASELINE = re.compile(r"(?i)\b(?:on|than|above|compared\s+(?:with|to))\s+(?:the\s+)?\Z")
_PREVIOUS = re.compile(r"(?i)\A[\s*_)]*(?:\w+\s+){0,4}?(?:to|for|at|in)\s+the\s+(?:previous|last|prior|earlier)\b")
_PURPOSE_WORD = re.compile(r"(?i)\b(?:for|to|towards|into|help|support)\b")
_ROW_MARK = ". Row:"


_LOCAL_BEFORE = re.compile(r"(?i)\blocal\s+\Z")


def _giver(givers: re.Pattern[str] | None, sentence: str) -> re.Match[str] | None:
    """The first government giver the sentence names; "local government" (councils, or a
    settlement's name) is not the government giving."""
    if givers is None:
        return None
    for match in givers.finditer(sentence):
        if not _LOCAL_BEFORE.search(sentence, 0, match.start()):
            return match
    return None


@functools.lru_cache(maxsize=1024)  # the figures of a sentence ask in turn
def _giver_in_sentence(givers: re.Pattern[str] | None, sentence: str) -> re.Match[str] | None:
    return _giver(givers, sentence)


@functools.lru_cache(maxsize=1024)
def _cites(sentence: str) -> bool:
    return _CITATION.search(sentence) is not None


def _clause_vocabulary(pattern: re.Pattern[str] | None, before: str, after: str) -> str:
    """A term of ``pattern`` in the figure's clause: close before it, or after it before any purpose word."""
    if pattern is None:
        return ""
    found = pattern.search(before[-60:])
    if found:
        return found.group()
    purpose = _PURPOSE_WORD.search(after)
    found = pattern.search(after[: min(purpose.start() if purpose else 80, 80)])
    return found.group() if found else ""


#: pounds from which an amount is a fiscal aggregate, whatever its words say: the largest
#: departmental budget is under £200 billion a year, all public spending about £1.2 trillion
FISCAL_SCALE_GBP = 500e9


def decide(
    sentence: str, start: int, end: int, vocabulary: RoleVocabulary, kind: str = "other",
    cell: TableCell | None = None, previous: str = "", amount_gbp: float | None = None,
) -> Role:
    """The role of the figure at sentence[start:end], from the evidence for and against it.

    >>> v = RoleVocabulary.of({"giver": ("the government",), "fiscal": ("borrowing",)})
    >>> decide("The government will invest £5 million in new buses.", 28, 38, v, "announcement").role
    'commitment'
    >>> r = decide("Borrowing is forecast to be £70 billion this year.", 28, 39, v, "budget")
    >>> r.role, r.reason
    ('context', 'a fiscal aggregate or forecast')
    """
    found: list[tuple[str, str]] = [(f"prior: {kind.replace('_', ' ')}", "")]
    weights: dict[str, float] = {found[0][0]: PRIORS.get(kind, PRIORS["other"])}

    def add(name: str, detail: str = "") -> None:
        if name not in weights:
            found.append((name, detail))
            weights[name] = WEIGHTS.get(f"{name}: {detail}", WEIGHTS[name])

    if amount_gbp is not None and amount_gbp >= FISCAL_SCALE_GBP:
        add("an amount on the scale of the public finances", f"£{amount_gbp / 1e9:,.0f} billion")
    rule = classify(sentence, start, end, vocabulary.terms, previous)
    in_table = cell is not None and _is_cell(sentence, start, end)  # a cell, not a "£" figure in a row's label
    before, after = _clause(sentence, start, end)  # the context rules' own clause, so both read the same words
    if rule.role == CONTEXT:
        add("a context rule", rule.reason)
    if cell is not None:
        _table_evidence(cell, in_table, add)
    words_before = before if not (cell is not None) else before[max(0, before.rfind(_ROW_MARK)) :]
    if not in_table:
        leading = _leading_clauses(sentence[:start])  # the figure's own clause chain, read once
        for kind_name, name in _VOCABULARY_EVIDENCE:
            term = _clause_vocabulary(vocabulary.patterns.get(kind_name), words_before, after)
            if term:
                add(name, term)
            elif vocabulary.patterns.get(kind_name) is not None:
                elsewhere = vocabulary.patterns[kind_name].search(leading)
                if elsewhere:
                    add(f"{name} in its sentence", elsewhere.group())
        if "the economy" not in weights and _TO_THE_ECONOMY.match(after):
            add("the economy", _TO_THE_ECONOMY.match(after).group().strip())
        if _ACCORDING_AFTER.search(after):
            add("a figure attributed to a source", _ACCORDING_AFTER.search(after).group().strip())
        if vocabulary.settlement_giver is not None and vocabulary.settlement_giver.search(sentence[:start]):
            add("a settlement's total", vocabulary.settlement_giver.search(sentence[:start]).group().strip())
        if vocabulary.outside_lead is not None and vocabulary.outside_lead.search(sentence[:start]):
            add("an outside body's figure cited", vocabulary.outside_lead.search(sentence[:start]).group().strip())
        if _cites(sentence):
            add("a citation of a publication")
        # "... will receive £15.1 billion, bringing total investment since 2021 to £41 billion":
        # a future verb of an earlier clause does not make the running total a plan
        if _TRACK.search(before + " " + after) and not _FUTURE.search(_leading_clauses(before.rsplit(",", 1)[-1])):
            add("a track record")
        if _BASELINE.search(before) or _PREVIOUS.search(after):
            add("a baseline cited")
        clause_cue = commitment_cue(before + " " + after)
        cue = rule.reason.removeprefix("commitment: ") if rule.role == COMMITMENT else clause_cue
        outside, theirs = _outside_giver(before, after, vocabulary.givers)
        if outside:
            add("a giver outside government", outside)
        if theirs:  # "Acme have announced a £3 billion plant": the giving is theirs
            clause_cue = cue = ""
        if clause_cue:
            add("a verb of giving" if clause_cue in _STRONG_CUES else "a word of a package", clause_cue)
        elif cue and cue != "no context cue":
            add("giving in its sentence", cue)
        giver = _giver(vocabulary.givers, leading + " " + after)
        if giver:
            add("a government giver", giver.group())
        else:  # named elsewhere in the sentence: perhaps of other money ("... Tata's £4bn ..., and the government can ...")
            giver = _giver_in_sentence(vocabulary.givers, sentence)
            if giver:
                add("a government giver in its sentence", giver.group())
        if _PURPOSE.search(after):
            add("a purpose")
        if _NEW_MONEY.search(before):
            add("new money")
        if _LEVEL_KEPT.search(before) and not _TRACK.search(before + " " + after):
            add("a level of spending kept")
        if not giver and (not cue or cue == "no context cue"):
            add("no giver and no giving")
    score = sum(weights.values())
    role = COMMITMENT if score >= 0 else CONTEXT
    evidence = "; ".join(f"{name}{': ' + detail if detail else ''} ({weights[name]:+.1f})" for name, detail in found)
    return Role(role, _reason(role, found, weights, rule), round(certainty_of(score), 2), evidence)


def _is_cell(sentence: str, start: int, end: int) -> bool:
    """Whether the figure is a cell of its row (no "£" of its own), not a "£" figure in a row's label."""
    return "£" not in sentence[start:end] and not any(c.isalpha() for c in sentence[start:end])


def _table_evidence(cell: TableCell, in_table: bool, add) -> None:
    if cell.kind == "policy_decisions":
        if cell.row == "total":
            add("a total row")
        elif cell.row == "tax":
            add("a tax measure's row")
        elif cell.row == "spend" and in_table:
            add("a spending measure's cost" if cell.sign == "-" else "a spending measure's yield (a saving)")
        return
    if in_table and cell.kind in _TABLE_EVIDENCE:
        add(_TABLE_EVIDENCE[cell.kind])


def _reason(role: str, found: list[tuple[str, str]], weights: dict[str, float], rule) -> str:
    if role == CONTEXT:
        name, detail = min(found, key=lambda item: weights[item[0]])
        if name == "a context rule":
            return rule.reason
        return _REASONS.get(name, name)
    positive = [(name, detail) for name, detail in found if weights[name] > 0 and not name.startswith("prior")]
    if not positive:
        return "commitment: the kind of document (no evidence against)"
    name, detail = max(positive, key=lambda item: weights[item[0]])
    return f"commitment: {detail or name}"
