"""Column names and controlled vocabularies, defined once and imported everywhere else.

Notebooks, tests and the command line import these names rather than retyping strings,
so that a renamed column or a new qualifier changes in one place.
"""

from __future__ import annotations

# --- mentions table -------------------------------------------------------------------------

MENTION_COLUMNS: tuple[str, ...] = (
    "mention_id",  # stable id: a hash of source, words and sentence (see extract.mention_id)
    "source_id",  # the document's file stem
    "line",  # 1-based line of the mention's first character in the decoded text
    "page",  # 1-based page it was printed on (PDF); empty for formats without pages
    "start",  # 0-based character offset of the first character in the decoded text
    "end",  # 0-based offset one past the last character: text == decoded[start:end]
    "text",  # the mention exactly as written
    "amount",  # the (low) amount in the currency as written, in units (not millions)
    "amount_high",  # the high end of a range in that currency; empty when not a range
    "currency",  # ISO 4217 code
    "amount_gbp",  # amount in pounds; empty when the currency is not GBP
    "amount_high_gbp",  # high end of a range in pounds; empty when not a range or not GBP
    "qualifier",  # one of QUALIFIERS, or empty
    "rate",  # one of RATES
    "sentence",  # the whole sentence the mention stands in, markup removed
)

#: The reason that starts the set-aside row of a whole document that could not be read (a scan
#: with no text layer, an encrypted or broken file): its figures are in no table.
UNREAD = "document not read"

SET_ASIDE_COLUMNS: tuple[str, ...] = (
    "source_id",
    "line",
    "page",
    "start",
    "end",
    "text",  # the currency marker and what follows it, as written
    "reason",
)

#: Columns that hold ids: keys that join the tables, written exactly as they are (never
#: formula-escaped: a document named "-dash.md" has the source_id "-dash" in every table).
ID_COLUMNS: frozenset[str] = frozenset({
    "mention_id", "source_id", "commitment_id", "first_mention_id", "linked_to", "parent_id", "package_id", "from_id", "to_id",
})

#: The analyst's review file, data/raw/review.csv (see funding.review).
REVIEW_COLUMNS: tuple[str, ...] = ("id", "field", "value", "reason")

# --- money ----------------------------------------------------------------------------------

#: Currency symbols and the ISO code each stands for. "$" alone is read as US dollars, the
#: usual meaning in UK government text; a dollar with a prefix ("C$", "HK$") is its own currency.
CURRENCY_SYMBOLS: dict[str, str] = {
    "£": "GBP",
    "US$": "USD",
    "C$": "CAD",
    "CA$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "S$": "SGD",
    "$": "USD",
    "€": "EUR",
    "¥": "JPY",
}

#: ISO codes recognised before an amount ("GBP 5 million", "EUR 3bn") or after it ("5 million USD").
CURRENCY_CODES: frozenset[str] = frozenset(
    {"GBP", "USD", "EUR", "JPY", "CHF", "CAD", "AUD", "NZD", "HKD", "SGD", "CNY", "INR", "SEK", "NOK", "DKK"}
)

#: Currency words written after an amount ("5 million pounds", "3 billion euros") and their code.
CURRENCY_WORDS: dict[str, str] = {
    "pounds sterling": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "euros": "EUR",
    "euro": "EUR",
    "dollars": "USD",
    "us dollars": "USD",
    "canadian dollars": "CAD",
    "australian dollars": "AUD",
    "new zealand dollars": "NZD",
    "hong kong dollars": "HKD",
    "singapore dollars": "SGD",
    "swiss francs": "CHF",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
}

#: Currency words after an amount that name more than one currency: such a figure is set aside
#: with the reason, never read as one of them ("528 million francs": Swiss, CFA or French?).
AMBIGUOUS_CURRENCY_WORDS: tuple[str, ...] = (
    "francs", "rupees", "pesos", "kroner", "kronor", "krona", "krone", "dinars", "shillings", "rials",
)

#: Figures larger than this, or written with more significant digits than MAX_DIGITS, are not
#: amounts (a run of digits, a broken table): they are set aside with the reason, never rounded.
AMOUNT_CEILING: int = 10**15
MAX_DIGITS: int = 28  # what decimal arithmetic keeps exactly by default

#: Scale words and abbreviations, and the multiplier each stands for.
SCALES: dict[str, int] = {
    "trillion": 10**12,
    "tn": 10**12,
    "billion": 10**9,
    "billon": 10**9,  # a misspelling real documents print ("£10 billon")
    "bn": 10**9,
    "b": 10**9,
    "million": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "m": 10**6,
    "thousand": 10**3,
    "k": 10**3,
}

#: The qualifier vocabulary. Each key is the canonical form written to the tables; the
#: values are the spellings that mean the same and are read as it.
QUALIFIERS: dict[str, tuple[str, ...]] = {
    "over": ("over", "just over", "well over"),
    "more than": ("more than",),
    "in excess of": ("in excess of",),
    "at least": ("at least", "a minimum of"),
    "up to": ("up to", "as much as", "a maximum of"),
    "under": ("under", "just under", "less than", "below"),
    "nearly": ("nearly",),
    "almost": ("almost",),
    "around": ("around", "about"),
    "approximately": ("approximately", "approx.", "roughly", "circa", "c."),
    "some": ("some",),
    "between": ("between",),
}

#: Kinds of term in data/raw/reference/context_terms.csv, read by the classify stage:
#: ``settlement`` names general local-government funding (figures cited through it are the
#: council's formula money, not a programme's); ``third_party`` names outside bodies whose
#: estimates and recommendations are theirs, not the government's.
#: The other kinds are the vocabulary of the role's evidence (``funding.annotate.role``): ``fiscal``
#: (fiscal aggregates and forecasts), ``tax`` (tax measures), ``accounts`` (a body's income and
#: balances), ``economy`` (markets, prices, wages), ``others`` (money of others: private
#: investors, industry, donors) and ``giver`` (a government body that gives money).
CONTEXT_TERM_KINDS: tuple[str, ...] = ("settlement", "third_party", "fiscal", "tax", "accounts", "economy", "others", "giver")

#: Whether a figure is a total or a rate. A rate is never added to a total without
#: multiplying it out over its years; the commitment model does that explicitly.
RATE_TOTAL = "total"
RATES: tuple[str, ...] = (RATE_TOTAL, "per year", "per month", "per week", "per day", "per unit")

# --- documents ------------------------------------------------------------------------------

#: File name endings read as HTML (text extracted, tags dropped).
HTML_SUFFIXES: frozenset[str] = frozenset({".html", ".htm", ".xhtml"})
#: File name endings read as plain text or Markdown.
TEXT_SUFFIXES: frozenset[str] = frozenset({".md", ".markdown", ".txt", ".text", ""})
