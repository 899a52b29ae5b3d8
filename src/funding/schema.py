"""The description of the clean tables: a Frictionless Data Package (datapackage.json).

Each field's type and meaning is written once here; the build writes ``datapackage.json``
beside the tables from it, and the tests check the tables against it.
"""

from __future__ import annotations

import json

from funding.build import TABLE_COLUMNS

__all__ = ["datapackage", "datapackage_json", "FIELDS"]

_S, _I, _N, _B, _D = "string", "integer", "number", "boolean", "date"

# name: (type, description); shared by every table that has the column
FIELDS: dict[str, tuple[str, str]] = {
    "mention_id": (_S, "Stable id of a money mention: a hash of its source, its words and the words around it on its line."),
    "source_id": (_S, "The document: its file name without extension, a row of data/raw/sources.csv."),
    "line": (_I, "1-based line of the mention's first character in the decoded text."),
    "page": (_I, "1-based page of the printed document the words stand on (PDF); empty for formats without pages (text, web pages, Word)."),
    "start": (_I, "0-based character offset of the first character in the decoded text."),
    "end": (_I, "0-based offset one past the last character: text == decoded[start:end]."),
    "text": (_S, "The words as written."),
    "amount": (_N, "The amount (the low end of a range) in units of its currency."),
    "amount_high": (_N, "The high end of a range in units of its currency; empty when not a range."),
    "currency": (_S, "ISO 4217 code of the currency."),
    "amount_gbp": (_N, "The amount in pounds; empty when the currency is not pounds."),
    "amount_high_gbp": (_N, "The high end of a range in pounds; empty when not a range or not pounds."),
    "qualifier": (_S, "over, more than, in excess of, at least, up to, under, nearly, almost, around, approximately, some, between, or empty."),
    "rate": (_S, "total, per year, per month, per week, per day or per unit."),
    "sentence": (_S, "The whole sentence the mention stands in, markup removed."),
    "role": (_S, "commitment or context."),
    "certainty": (_N, "How sure the role is, 0.5 to 1: the probability its evidence stands for (funding.annotate.role); of the figures given 0.9, about nine in ten are right. 1 where an analyst decided it."),
    "context_reason": (_S, "Why a context figure is context: the evidence that weighs most against it; empty for commitments."),
    "commitment_reason": (_S, "The evidence that weighs most for a commitment ('commitment: invest'); empty for context."),
    "role_evidence": (_S, "Every piece of evidence for and against the role, with its weight in bits ('prior: budget (-1.0); a verb of giving: invest (+2.0)'); positive says commitment."),
    "table_kind": (_S, "The kind of table the figure stands in: policy_decisions, fiscal_aggregates, departmental_budgets, allocations, accounts or statistics; empty in prose."),
    "commitment_id": (_S, "The commitment a mention states; mentions of the same money share it. Empty for context."),
    "link": (_S, "first mention, or the rule by which the mention was found to restate an earlier one."),
    "linked_to": (_S, "The earlier mention this one was found to restate (its best link); empty for a first mention."),
    "link_score": (_N, "The linkage score of that link, in bits of evidence (funding.link.repeats.WEIGHTS); empty for a review decision."),
    "link_evidence": (_S, "Every piece of evidence behind the link and its weight, e.g. 'referred back (+3.0); same part (+3.0)'."),
    "score": (_N, "How sure the link is: the rule's confidence from 0 to 1 for components and totals; empty for a review decision."),
    "reviewed": (_B, "Whether the analyst review file decided anything about this row."),
    "total_gbp": (_N, "The money over the commitment's period in pounds (a per-year rate times its years); empty when it cannot be known."),
    "department": (_S, "Departments as at the document's date (abbreviations, ';' between several)."),
    "department_basis": (_S, "How the department was found: sentence, paragraph, programme, speaker, inherited from its package, review or unknown."),
    "programme": (_S, "The programme: its proper name in data/raw/reference/programmes.csv, else the name the text gives it."),
    "programme_basis": (_S, "How the programme was found: reference (programmes.csv), text (a name in the sentence), review or unknown."),
    "label": (_S, "What the commitment is for, in a few words of the text: the programme's name, else the words after 'for'."),
    "theme": (_S, "The primary theme: a theme_id in data/raw/reference/themes.csv."),
    "theme_basis": (_S, "How the theme was found: programme, keywords, keywords in paragraph, inherited from its package, review or unknown."),
    "period_text": (_S, "The words the period was read from."),
    "fy_start": (_S, "First financial year covered, YYYY-YY; empty when unknown."),
    "fy_end": (_S, "Last financial year covered, YYYY-YY; empty when unknown."),
    "n_years": (_I, "Number of financial years covered, when known."),
    "period_basis": (_S, "stated, paragraph (a year opening an earlier sentence of the paragraph, or the year before 'in the same year'), sentence (the one year a sentence states before all its figures), title, named, relative, end date, duration, inherited from its package, inherited from the total that includes it, review or unknown (with why)."),
    "parent_id": (_S, "The package (commitment) this commitment is part of."),
    "counted": (_B, "Whether this row counts in totals that avoid double counting."),
    "count_note": (_S, "Why it is, or is not, counted."),
    "n_mentions": (_I, "How many mentions state this commitment."),
    "first_mention_id": (_S, "The earliest mention of the commitment."),
    "quote": (_S, "The sentence of the first mention."),
    "from_id": (_S, "The commitment the relation starts from."),
    "relation": (_S, "part_of (from is a component of to) or includes (from is a total that includes to)."),
    "to_id": (_S, "The commitment the relation points to."),
    "basis": (_S, "text (found in the words) or review (decided by an analyst)."),
    "rule": (_S, "The rule that found the relation, or the reviewer's reason."),
    "evidence": (_S, "The words that justify the relation."),
    "financial_year": (_S, "A financial year, YYYY-YY."),
    "allocation": (_S, "How the amount was put on the year: single year, even split or per-year rate."),
    "package_id": (_S, "A commitment that has components."),
    "n_components": (_I, "How many components it has."),
    "components_gbp": (_N, "The sum of its components in pounds."),
    "difference_gbp": (_N, "Components minus package, in pounds."),
    "status": (_S, "adds up, off by rounding, components cover part of the package, or components exceed the package."),
    "counted_as": (_S, "package (counted whole) or components (counted through its parts)."),
    "reason": (_S, "Why a currency marker, or a whole document ('document not read: ...'), was set aside."),
    "file": (_S, "The document's file, relative to data/raw/."),
    "format": (_S, "How it was read: text, html, pdf, docx, odt, or a site's format; empty if it could not be read."),
    "title": (_S, "The document's title: from sources.csv, else as the document states it, else its file name."),
    "publisher": (_S, "Who published it: from sources.csv, else the organisations the document says it is from."),
    "published_from": (_D, "The earliest date it can have been published (sources.csv, or the date the document states)."),
    "published_to": (_D, "The latest date it can have been published; the same as published_from when the date is known."),
    "date_estimated": (_B, "Whether the dates are an analyst's estimate (sources.csv)."),
    "dated_by": (_S, "Where the dates come from: sources.csv, the document's own metadata, or (empty dates) each part's stated date."),
    "speaker": (_S, "The department whose 'we' the document speaks in, where known for the whole document (dept_id)."),
    "url": (_S, "Where the document was published, where known."),
    "licence": (_S, "The licence it was published under, where known."),
    "pages": (_I, "How many printed pages it has (PDF); empty for formats without pages."),
    "kind": (_S, "The kind of document: budget, spending_review, strategy, annual_report, statistics, announcement, written_answer, written_statement, committee_report or other (funding.annotate.kinds)."),
    "kind_basis": (_S, "What told its kind: its title, GOV.UK's document type, or the markers of its text."),
    "listed": (_B, "Whether data/raw/sources.csv has a row for it (false: its row here was read from the document itself)."),
}

_DESCRIPTIONS = {
    "mentions": "Every money mention in every document, with its role and the commitment it states.",
    "commitments": "One row per commitment: money the government commits, allocates, invests, provides or has made available.",
    "relations": "Links between commitments: components and the totals that include earlier money.",
    "commitment_years": "Commitments phased over their financial years.",
    "packages": "Each package with components, and whether they add up to it.",
    "set_aside": "Currency markers that are not money figures, and documents that could not be read, with the reason.",
    "sources": "Every document built: where it came from, its format, title, publisher and dates, and how it was dated.",
}
_KEYS = {
    "mentions": ("mention_id", [{"fields": ["commitment_id"], "reference": {"resource": "commitments", "fields": ["commitment_id"]}}]),
    "commitments": ("commitment_id", [
        {"fields": ["parent_id"], "reference": {"resource": "commitments", "fields": ["commitment_id"]}},
        {"fields": ["first_mention_id"], "reference": {"resource": "mentions", "fields": ["mention_id"]}},
    ]),
    "relations": (["from_id", "relation", "to_id"], [
        {"fields": ["from_id"], "reference": {"resource": "commitments", "fields": ["commitment_id"]}},
        {"fields": ["to_id"], "reference": {"resource": "commitments", "fields": ["commitment_id"]}},
    ]),
    "commitment_years": (["commitment_id", "financial_year"], [
        {"fields": ["commitment_id"], "reference": {"resource": "commitments", "fields": ["commitment_id"]}},
    ]),
    "packages": ("package_id", [{"fields": ["package_id"], "reference": {"resource": "commitments", "fields": ["commitment_id"]}}]),
    "set_aside": (None, []),  # no natural key: a document not read has no offsets
    "sources": ("source_id", []),
}


def datapackage(name: str = "funding-clean-tables") -> dict:
    """The Data Package descriptor of the clean tables."""
    resources = []
    for table, columns in TABLE_COLUMNS.items():
        primary, foreign = _KEYS[table]
        fields = []
        for column in columns:
            kind, description = FIELDS[column]
            entry = {"name": column, "type": kind, "description": description}
            if kind == _B:
                entry["trueValues"], entry["falseValues"] = ["true"], ["false"]
            fields.append(entry)
        schema = {"fields": fields, "missingValues": [""]}
        if primary:
            schema["primaryKey"] = primary
        if foreign:
            schema["foreignKeys"] = foreign
        resources.append({
            "name": table.replace("_", "-"), "path": f"{table}.csv", "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
            "description": _DESCRIPTIONS[table], "schema": schema,
        })
    for resource in resources:  # references use resource names
        for key in resource["schema"].get("foreignKeys", []):
            key["reference"]["resource"] = key["reference"]["resource"].replace("_", "-")
    return {"name": name, "profile": "tabular-data-package", "title": "Money in UK government documents: clean tables",
            "licenses": [{"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0"}], "resources": resources}


def datapackage_json() -> str:
    return json.dumps(datapackage(), indent=2, ensure_ascii=False) + "\n"
