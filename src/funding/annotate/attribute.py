"""Attribute a commitment to departments, a programme and one primary theme.

The text comes first, then the reference tables:

- department: by the first evidence of DEPARTMENT_ORDER that holds (money from a body, the
  programme's owner, a department acting in the sentence or the one before, the document's
  own voice, a department named in the sentence or paragraph, last the department whose work
  the sentence is about, from department_terms.csv); a document that speaks for the whole
  government (a Budget) puts its own voice after the names and the subject
  (CROSS_GOVERNMENT_ORDER). A public body (public_bodies.csv) stands for its department.
  Names are turned into the abbreviation in force at the document's date, following renames
  (a 2022 document's "MHCLG" is DLUHC); a body's or a subject's department is the one doing
  that work on the date (``in_force_on``: NHS money in 2015 is DH's). Several are joined by
  ";" in the order the text names them.
- programme: the programme whose alias stands in the figure's sentence, nearest the figure
  and within 80 characters of it ("Troubled Families" is Supporting Families); a programme
  named only elsewhere in the paragraph is too often another one.
- theme: the programme's theme; else the theme whose keywords the sentence holds most
  often, each keyword counted on its own (so "serious violence" scores for "serious
  violence" and for "violence"), the paragraph when the sentence holds none; ties go to
  the theme listed first in themes.csv.

Each answer records its basis (``sentence``, ``paragraph``, ``programme``, ``speaker``,
``keywords``) or says ``unknown``, so that the review file knows what it is overriding.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from funding.annotate.words import lowered
from funding.reference import Department, Programme, Reference, alias_pattern
from funding.sentences import sentence_before

__all__ = ["Attribution", "attribute", "departments_named", "department_called", "as_at", "in_force_on", "subject_department"]


@dataclass(frozen=True)
class Attribution:
    department: str
    department_basis: str
    programme: str
    programme_basis: str
    theme: str  # theme_id
    theme_basis: str


def as_at(dept_id: str, day: dt.date, departments: dict[str, Department]) -> Department:
    """The department a name stands for on ``day``, following renames forward."""
    dept = departments[dept_id]
    seen = {dept_id}
    while dept.valid_to is not None and dept.valid_to < day and dept.successor and dept.successor not in seen:
        seen.add(dept.successor)
        dept = departments[dept.successor]
    return dept


def _leads_to(dept: Department, dept_id: str, departments: dict[str, Department]) -> bool:
    """Whether ``dept``'s renames lead to ``dept_id``."""
    seen = set()
    while dept.successor and dept.successor not in seen:
        if dept.successor == dept_id:
            return True
        seen.add(dept.successor)
        dept = departments[dept.successor]
    return False


def in_force_on(dept_id: str, day: dt.date | None, departments: dict[str, Department]) -> Department:
    """The department doing ``dept_id``'s work on ``day``: renames followed forward (``as_at``),
    and back to the predecessor in force where ``day`` is before the department was made (the
    health department's work in 2015 was DH's). For names that stand for a department's work
    (a public body, a subject), not for a department's own name."""
    dept = departments[dept_id]
    if day is None:
        return dept
    if day < dept.valid_from:
        for other in departments.values():
            if other.valid_from <= day and (other.valid_to is None or day <= other.valid_to) and _leads_to(other, dept_id, departments):
                return other
        return dept
    return as_at(dept_id, day, departments)


def department_called(name: str, day: dt.date | None, departments: dict[str, Department]) -> Department | None:
    """The department an organisation's whole name is (a publisher's "From:", an answering body),
    by its name or an alias ("&" read as "and"), as at ``day``; None for none or several.

    A name two departments held in turn is the one in force on ``day``, followed forward through
    renames (``as_at``).
    """
    wanted = _normal(name)
    matches = [d for d in departments.values() if wanted and wanted in {_normal(a) for a in (d.name, *d.aliases)}]
    if day is not None:
        in_force = [d for d in matches if d.valid_from <= day and (d.valid_to is None or day <= d.valid_to)]
        chosen = {as_at(d.dept_id, day, departments).dept_id for d in in_force or matches}
    else:
        chosen = {d.dept_id for d in matches}
    if not matches:  # a public body's name: its department's work on the day
        chosen = {in_force_on(d.dept_id, day, departments).dept_id for d in departments.values() if wanted in {_normal(b) for b in d.bodies}}
    return departments[chosen.pop()] if len(chosen) == 1 else None


def _normal(name: str) -> str:
    return " ".join(name.replace("&", " and ").lower().split())


@lru_cache(maxsize=64)
def _alias_index(departments: tuple[Department, ...]):
    """One pattern for every department alias, and which departments each alias names."""
    names: dict[str, list[Department | tuple[str, Department]]] = {}
    for dept in departments:
        for alias in dept.aliases:
            # "Housing & Communities"; "Department of ..." for "Department for ..." and back
            swapped = alias.replace("Department for ", "Department of ") if "Department for " in alias else alias.replace("Department of ", "Department for ")
            for spelling in {alias, alias.replace(" and ", " & "), swapped}:
                names.setdefault(spelling, []).append(dept)
    for dept in departments:  # a public body stands for its department's work ("body", department)
        for body in dept.bodies:
            for spelling in {body, body.replace(" and ", " & ")}:
                if spelling not in names:
                    names[spelling] = [("body", dept)]
    return alias_pattern(tuple(names)), names


class LastAsked:
    """``compute(*tables)`` for the last tables asked about, kept while the same objects are
    asked again: reference tables are built once and not changed, so the same objects mean the
    same tables, and they need not be hashed (a tuple of rows costs more to hash than matching
    a sentence does)."""

    def __init__(self, compute):
        self._compute, self._key, self._value = compute, (), None

    def __call__(self, *tables):
        key = self._key
        if len(key) != len(tables) or any(a is not b for a, b in zip(key, tables)):
            self._value, self._key = self._compute(*tables), tables
        return self._value


TEXT_MEMO = 4096  # texts remembered: a sentence and its paragraph are asked about by each of their figures


def remembered(memo: dict, key, compute):
    """``memo[key]``, computed the first time it is asked; the memo is emptied once it holds
    ``TEXT_MEMO`` entries, so that it stays small however many texts are read."""
    found = memo.get(key)
    if found is None:
        if len(memo) >= TEXT_MEMO:
            memo.clear()
        found = memo[key] = compute()
    return found


# The alias index of a departments table, with a memo of each name's (row, day) -> the
# abbreviation it stands for, or None where the name was not in use (_valid_name).
_ALIASES_OF = LastAsked(lambda departments: (*_alias_index(tuple(departments.values())), {}, {}))


def _abbreviation(dept_id: str, day: dt.date | None, departments: dict[str, Department]) -> str:
    """The abbreviation in force on ``day``; with no date, the name's own."""
    return as_at(dept_id, day, departments).abbreviation if day is not None else departments[dept_id].abbreviation


def _names(text: str, day: dt.date | None, departments: dict[str, Department]) -> list[tuple[re.Match, str]]:
    """(match, abbreviation as at ``day``) for every department name in ``text``, in order
    (a list the callers only read: the same for every figure of the text)."""
    pattern, names, memo, texts = _ALIASES_OF(departments)
    return remembered(texts, (text, day), lambda: _names_found(pattern, names, memo, text, day, departments))


def _names_found(pattern, names, memo, text, day, departments) -> list[tuple[re.Match, str]]:
    found = []
    for match in pattern.finditer(text):
        for dept in names[match.group()]:
            key = (id(dept), day)
            if key not in memo:
                if isinstance(dept, tuple):  # a public body: its department's work on the day
                    memo[key] = in_force_on(dept[1].dept_id, day, departments).abbreviation
                else:
                    memo[key] = _abbreviation(dept.dept_id, day, departments) if _valid_name(dept, day, departments) else None
            if memo[key] is not None:
                found.append((match, memo[key]))
    return found


def _distinct(abbreviations) -> list[str]:
    ordered: list[str] = []
    for abbreviation in abbreviations:
        if abbreviation not in ordered:
            ordered.append(abbreviation)
    return ordered


def departments_named(text: str, day: dt.date | None, departments: dict[str, Department]) -> list[str]:
    """Abbreviations of the departments ``text`` names, as at ``day``, in order of first mention."""
    return _distinct(abbreviation for _, abbreviation in _names(text, day, departments))


# "£6 million from the Home Office", "funded by the Home Office" -- not "from the Home Office's
# fund", where the body named owns a fund that another department hands out.
_FROM_BEFORE = re.compile(r"(?i)\b(?:from|funded\s+by|provided\s+by)\s+(?:the\s+)?\Z")
_POSSESSIVE_AFTER = re.compile(r"\A\s*(?:\([^)]{1,12}\)\s*)?['’]s\b")
FROM_REACH = 80  # characters after a figure within which "from <department>" says whose money it is
# "the Home Office is investing", "MHCLG announced", "the Ministry of Justice (MOJ) is also providing"
_ACTS_AFTER = re.compile(
    r"""(?ix)\s*(?:\([^)]{1,12}\)\s*)?                # (MHCLG); matched from the name's end
    (?:(?:is|are|has|have|had|was|were|will|would)\s+)?   # is, has, will
    (?:(?:also|now|already|today|then|further|newly)\s+)?
    (?:be\s+)?
    (?:provid|invest|allocat|announc|award|fund|confirm|commit|spen[dt]|giv|gave|deliver|
       pa(?:y|id)|grant|ma(?:de|ke|king)\s+available|set\s+aside|distribut|unveil|launch)"""
)


def _source_of_money(sentence: str, position: int, day, departments) -> list[str]:
    """The department the sentence says the figure comes from, named just after it."""
    for match, abbreviation in _names(sentence[position : position + FROM_REACH], day, departments):
        before = sentence[position : position + match.start()]
        after = sentence[position + match.end() :]
        if _FROM_BEFORE.search(before) and not _POSSESSIVE_AFTER.match(after):
            return [abbreviation]
    return []


def _actors(text: str, day, departments) -> list[str]:
    """Departments ``text`` names as doing something with money ("X is providing", "X announced")."""
    return _distinct(a for match, a in _names(text, day, departments) if _ACTS_AFTER.match(text, match.end()))


def _valid_name(dept: Department, day: dt.date | None, departments: dict[str, Department]) -> bool:
    """Whether a name was in use on or before ``day`` (a name not yet coined cannot be meant).

    Where two rows share an alias ("MHCLG" 2018 and 2024), the row in force, or the latest
    before ``day``, is the one meant; with no date, the latest.
    """
    if day is not None and dept.valid_from > day:
        return False
    for other in departments.values():
        later = dept.valid_from < other.valid_from and (day is None or other.valid_from <= day)
        if other is not dept and set(other.aliases) & set(dept.aliases) and later:
            return False
    return True


@lru_cache(maxsize=64)
def _programme_index(programmes: tuple[Programme, ...]):
    return [(p, alias_pattern(p.aliases, ignore_case=True)) for p in programmes]


def _any_programme(programmes: tuple[Programme, ...]) -> re.Pattern[str] | None:
    """One pattern for every programme's aliases: where it finds nothing, no programme's does.
    None where a programme has no alias (its pattern matches the empty string anywhere)."""
    if not all(p.aliases for p in programmes):
        return None
    return alias_pattern(tuple(alias for p in programmes for alias in p.aliases), ignore_case=True)


_PROGRAMMES_OF = LastAsked(lambda programmes: (_programme_index(programmes), _any_programme(programmes)))


PROGRAMME_REACH = 80  # characters between a figure and a programme's name for one to be the other's


def _programme_in(text: str, programmes: tuple[Programme, ...], near: int) -> Programme | None:
    index, any_alias = _PROGRAMMES_OF(programmes)
    if any_alias is not None and any_alias.search(text) is None:
        return None
    best: tuple[int, Programme] | None = None
    for programme, pattern in index:
        for match in pattern.finditer(text):
            distance = max(0, match.start() - near, near - match.end())
            if distance <= PROGRAMME_REACH and (best is None or distance < best[0]):
                best = (distance, programme)
    return None if best is None else best[1]


@lru_cache(maxsize=64)
def _keyword_patterns(themes: tuple) -> list:
    # One pattern per keyword: a keyword inside a longer one ("violence" in "serious
    # violence") counts as well, so a theme's closely related words weigh together. Each
    # comes with its lower case, to skip at once the keywords an ASCII text cannot contain.
    return [
        (theme.theme_id, [(k.lower() if k.isascii() else None, alias_pattern((k,), ignore_case=True)) for k in theme.keywords])
        for theme in themes
    ]


_THEMES_OF = LastAsked(lambda themes: (tuple(themes.values()), {}))  # and a memo of text -> theme


def _theme_by_keywords(text: str, ref: Reference) -> str:
    themes, memo = _THEMES_OF(ref.themes)
    return remembered(memo, text, lambda: _theme_in(text, themes))


@lru_cache(maxsize=4096)  # the figures of one paragraph ask about it in turn
def _theme_in(text: str, themes: tuple) -> str:
    # An ASCII keyword matches, ignoring case, only where its lower case is in the lowered
    # text, unless the text holds one of the four letters that match ASCII ones ignoring case.
    lower_text = lowered(text)
    best = (0, "")
    for theme_id, patterns in _keyword_patterns(themes):
        score = sum(len(pattern.findall(text)) for lower, pattern in patterns if lower_text is None or lower is None or lower in lower_text)
        if score > best[0]:  # ties go to the theme listed first
            best = (score, theme_id)
    return best[1]


#: The evidence for a figure's department, strongest first (measured on the development corpus:
#: see README, "Departments"). The subject of the sentence ("topic": the NHS, schools, roads, in
#: department_terms.csv) is the last resort of a document that speaks for one department.
DEPARTMENT_ORDER = ("from", "programme", "actor", "actor before", "speaker", "sentence", "paragraph", "topic")
#: A document that speaks for the whole government (a Budget, a spending review: HM Treasury's,
#: but its money is the departments' that receive it) gives its own voice last but one: a
#: department the sentence names, then the work the sentence is about, come first.
CROSS_GOVERNMENT_ORDER = ("from", "programme", "actor", "actor before", "sentence", "topic", "topic in paragraph", "speaker", "paragraph")
CROSS_GOVERNMENT_KINDS = frozenset({"budget", "spending_review"})
#: The devolved governments (dept_ids of departments.csv): a budget in one of their voices is
#: theirs, its money not the UK departments' whose work its subjects are (health in Scotland is devolved).
DEVOLVED = frozenset({"SG", "WG", "NIE"})


@lru_cache(maxsize=16)
def _topic_index(terms: tuple[tuple[str, str], ...]):
    """Two patterns (acronyms matched as written, other terms in any case) and each term's rows."""
    rows: dict[str, list[str]] = {}
    for term, dept_id in terms:
        rows.setdefault(term.lower(), []).append(dept_id)
    exact = tuple(t for t, _ in terms if sum(c.isupper() for c in t) >= 2)
    loose = tuple(t for t, _ in terms if sum(c.isupper() for c in t) < 2)
    patterns = tuple(alias_pattern(tuple(dict.fromkeys(group)), ignore_case=not strict) for group, strict in ((exact, True), (loose, False)) if group)
    return patterns, rows


def subject_department(text: str, position: int, day: dt.date | None, ref: Reference) -> Department | None:
    """The department whose work ``text`` is about: the one its subject words name most often
    (department_terms.csv), ties to the word nearest ``position``; the department in force at
    ``day`` (a term listed for several departments names the one in force then)."""
    if not ref.department_terms:
        return None
    found = _subject_words(text, day, ref)
    if not found:
        return None
    return max(found, key=lambda item: (len(item[1]), -min(abs(at - position) for at in item[1])))[0]


_SUBJECTS_OF = LastAsked(lambda terms, departments: {})  # (text, day) -> its subject words' departments


def _subject_words(text: str, day: dt.date | None, ref: Reference) -> list[tuple[Department, list[int]]]:
    """Each department the subject words of ``text`` name, with where they stand, in order of
    first mention: the same for every figure of the text, so found once."""
    return remembered(_SUBJECTS_OF(ref.department_terms, ref.departments), (text, day), lambda: _subject_words_found(text, day, ref))


def _subject_words_found(text: str, day: dt.date | None, ref: Reference) -> list[tuple[Department, list[int]]]:
    patterns, rows = _topic_index(ref.department_terms)
    departments = ref.departments
    found: dict[str, tuple[Department, list[int]]] = {}
    for pattern in patterns:
        for match in pattern.finditer(text):
            candidates = rows[match.group().lower()]
            live = [d for d in candidates if day is not None and departments[d].valid_from <= day and (departments[d].valid_to is None or day <= departments[d].valid_to)]
            dept = in_force_on((live or candidates)[-1 if day is None else 0], day, departments)
            found.setdefault(dept.abbreviation, (dept, []))[1].append(match.start())
    return list(found.values())


def _topic(sentence: str, position: int, day: dt.date | None, ref: Reference) -> list[str]:
    """The abbreviation of the sentence's ``subject_department``, as the other evidence gives it."""
    found = subject_department(sentence, position, day, ref)
    return [found.abbreviation] if found is not None else []


def _department(sentence, position, paragraph, day, speaker, speaker_basis, programme, ref, kind="other") -> tuple[list[str], str]:
    """The figure's department(s) and the basis, by the first kind of evidence that holds, in
    DEPARTMENT_ORDER, or CROSS_GOVERNMENT_ORDER for a document of a kind that speaks for the
    whole government."""
    departments = ref.departments
    order = CROSS_GOVERNMENT_ORDER if kind in CROSS_GOVERNMENT_KINDS and speaker not in DEVOLVED else DEPARTMENT_ORDER
    for step in order:
        if step == "from":
            named, basis = _source_of_money(sentence, position, day, departments), "money from"
        elif step == "programme":
            owners = programme.owners if programme is not None else ()
            named, basis = _distinct(_abbreviation(o, day, departments) for o in owners), "programme"
        elif step == "actor":
            named, basis = _actors(sentence, day, departments), "actor in sentence"
        elif step == "actor before":
            named, basis = _actors(sentence_before(sentence, paragraph), day, departments), "actor in sentence before"
        elif step == "speaker":
            named, basis = ([_abbreviation(speaker, day, departments)] if speaker else []), speaker_basis
        elif step == "sentence":
            named, basis = departments_named(sentence, day, departments), "sentence"
        elif step == "topic":
            named, basis = _topic(sentence, position, day, ref), "subject of the sentence"
        elif step == "topic in paragraph":
            at = paragraph.find(sentence)
            named, basis = _topic(paragraph, max(at, 0) + position, day, ref), "subject of the paragraph"
        else:
            named, basis = departments_named(paragraph, day, departments), "paragraph"
        if named:
            return named, basis
    return [], "unknown"


def attribute(
    sentence: str, position: int, paragraph: str, day: dt.date | None, speaker: str, ref: Reference,
    speaker_basis: str = "speaker", kind: str = "other",
) -> Attribution:
    """Department, programme and theme of the figure at ``position`` in ``sentence``."""
    # A programme named elsewhere in the paragraph is too often another programme: only the
    # figure's own sentence, near the figure, names its programme.
    programme = _programme_in(sentence, ref.programmes, position)
    programme_basis = "sentence" if programme is not None else "unknown"

    named, basis = _department(sentence, position, paragraph, day, speaker, speaker_basis, programme, ref, kind)

    if programme is not None:
        theme, theme_basis = programme.theme_id, "programme"
    else:
        theme, theme_basis = _theme_by_keywords(sentence, ref), "keywords"
        if not theme:
            theme, theme_basis = _theme_by_keywords(paragraph, ref), "keywords in paragraph"
        if not theme:
            theme_basis = "unknown"
    return Attribution(
        ";".join(named), basis, programme.programme if programme else "", programme_basis, theme, theme_basis
    )
