"""The ``funding`` command line: ``funding build``, ``extract``, ``export``, ``fetch``, ``report``, ``review``, ``text``.

Results go to standard output (or to files with ``--out``); progress, notes and errors go
to standard error, so ``funding extract doc.md > mentions.csv`` gives a clean table.
Exit status: 0 when every document was read, 1 when any could not be (the others are still
processed and written), 2 for a mistake in the command itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import io
import logging
import sys
from pathlib import Path
from typing import Sequence

from funding import __version__
from funding.read import DocumentError, read_document
from funding.extract import extract_paths
from funding.fetch import ENVIRONMENT, AddressError, FetchError, fetch
from funding.output import atomic_writer, write_csv, write_json
from funding.paths import CLEAN, RAW, project_root
from funding.annotate.document import Document
from funding.build import build_tables
from funding.queue import KINDS
from funding.pipeline import CACHE, build_into, data_version, render_tables, write_tables
from funding.reference import ReferenceError, load_reference
from funding.review import Review, ReviewError
from funding.vocab import MENTION_COLUMNS, SET_ASIDE_COLUMNS

log = logging.getLogger("funding")

_EXTRACT_HELP = """\
Find every money mention in the documents given and write one row per mention.

Documents may be PDF, Word (.docx), OpenDocument text (.odt), web pages (GOV.UK, written
questions and Hansard read for their content only), JSON saved by `funding fetch`, Markdown or
plain text in UTF-8 (with or without a byte-order mark), UTF-16 or Windows-1252; CRLF line ends
and double-decoded "Â£" are handled. A PDF's running headers, footers and page numbers are
dropped, its footnotes kept under "## Notes", and each mention keeps its page (column page). A
document that cannot be read (a scan with no text layer, an encrypted or damaged file, a
binary) is reported on standard error and the others are still processed; the exit status is
then 1.

Columns: {columns}.
Offsets (start, end) and line numbers index the decoded text that `funding text FILE` prints;
for a UTF-8 Markdown file with LF line ends that is the file itself. Amounts are in units
(1200000, not 1.2), exact; amount_gbp is empty for figures in another currency.

Currency markers with no amount after them ("the £ sign") are set aside, never dropped:
with --out they are listed in DIR/set_aside.csv with the reason; without it, on standard error.

examples:
  funding extract data/raw/documents/*.md
  funding extract report.html --format json
  funding extract new-doc.md --out /tmp/try
"""


_FETCH_HELP = """\
Fetch GOV.UK pages and answered written questions through the publishers' APIs, save each
unchanged in data/raw/documents/ (the API's JSON, which `funding build` reads as the page's
text), and add its row to data/raw/sources.csv: title, publisher, document type, the
publication date (GOV.UK first_published_at as the day in London; a question's dateAnswered),
financial year, department (speaker, when the publisher is one in departments.csv) and licence.

Addresses: https://www.gov.uk/PATH (or https://www.gov.uk/api/content/PATH), and
https://questions-statements.parliament.uk/written-questions/detail/DATE/UIN (or its API address
https://writtenquestions-api.parliament.uk/api/writtenquestions/questions/ID, .../questions/DATE/UIN
or .../questions?uin=UIN&tabledWhenFrom=DATE).

Every address is fetched before anything is written: offline, or with any address failing,
nothing changes. A document already saved with the same bytes is left alone; other bytes, or a
row that says otherwise, is an error unless --force. Requests are limited to 10 a second,
retried on 429 and 5xx (honouring Retry-After) and cached in data/.cache/http/ (--refresh
fetches again).

examples:
  funding fetch https://www.gov.uk/government/news/SOME-STORY
  funding fetch --attachments https://www.gov.uk/government/publications/SOME-REPORT
  funding fetch https://questions-statements.parliament.uk/written-questions/detail/2024-01-08/12345
  funding fetch --raw /tmp/try/data/raw URL1 URL2
"""

_FETCH_EPILOG = """\
environment (to test against another server; the tests use a local one):
  FUNDING_GOVUK_API       the Content API base (default {FUNDING_GOVUK_API})
  FUNDING_GOVUK_ASSETS    where attachments are (default {FUNDING_GOVUK_ASSETS})
  FUNDING_PARLIAMENT_API  the Written Questions API base (default {FUNDING_PARLIAMENT_API})
"""


_REVIEW_HELP = """\
List the automatic decisions no one has reviewed, the money at risk first ((1 - certainty) x amount: the decisions that move a total most): roles, repeats
(and equal amounts left apart), components and packages, periods and departments. Each
shows its certainty (0 to 1), the figure and where it stands (source_id:line), the decision
and its basis, the words behind it, and the lines to paste into data/raw/review.csv to
confirm it or change it ("<...>" marks a value only you know). Then run `funding build`.

examples:
  funding review                              # the 20 least certain decisions in data/clean
  funding review --kind repeat --limit 50     # repeat links nearest the threshold first
  funding extract new.md --out /tmp/try && funding review --tables /tmp/try
  funding review --limit 0 --format csv > queue.csv
"""


_REPORT_HELP = """\
Render one notebook with parameters, or --all (the overview, one report per theme and per
department in the data, and the data-quality report), to HTML pages with no code, the executed
notebook beside each; reports/index.html lists them.

Parameters are checked against the notebook's parameters cell before any kernel starts; themes
and departments are matched in any case, by id or name. Reports render in parallel with a
progress bar; one whose notebook, parameters, data and library are unchanged is skipped. A
failing notebook keeps the last good report, its executed copy goes to reports/failed/, and
the exit status is 1. Runs at once are safe; Ctrl-C stops the kernels and keeps the last good
reports. Reports rendered by hand with other parameters are listed apart; --prune deletes them.

examples:
  funding report --all
  funding report 02-theme -p theme youth
  funding report 03-department -p department dfe -p basis real
  funding report --prune
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with a sub-command per stage."""
    parser = argparse.ArgumentParser(
        prog="funding",
        description="Turn the money in UK government documents into tidy tables an analyst can trust.",
        epilog="Run `funding COMMAND --help` for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"funding {__version__}")
    quiet = argparse.ArgumentParser(add_help=False)
    quiet.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print errors only, no progress or notes")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only, no progress or notes")
    project = argparse.ArgumentParser(add_help=False)
    project.add_argument("--root", type=Path, metavar="DIR", help="the project folder (default: found from the current folder)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    extract = commands.add_parser(
        "extract",
        parents=[quiet],
        help="list every money mention in the documents given",
        description=_EXTRACT_HELP.format(columns=", ".join(MENTION_COLUMNS)),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    extract.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="documents to read (.pdf, .docx, .odt, .html, .json, .md, .txt)")
    extract.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="write the tables to DIR instead of printing: inside a project (data/raw/reference found), "
        "every clean table `funding build` writes, by the automatic rules alone (no review file); elsewhere "
        "mentions.csv (or .json) and set_aside.csv. CSV files carry a byte-order mark so that Excel shows £ correctly",
    )
    extract.add_argument(
        "--format", choices=("csv", "json"), default="csv", help="output format (default: csv)"
    )
    extract.add_argument(
        "--published",
        type=_date,
        metavar="YYYY-MM-DD",
        help="with --out: the documents' publication date, for periods such as 'next year', for every "
        "part of every document (default: the date each part states, such as 'Published ...' or "
        "'answered on ...'; a relative period in a part that states no date stays unknown)",
    )
    extract.set_defaults(run=run_extract)

    build = commands.add_parser(
        "build",
        parents=[quiet, project],
        help="write the clean tables in data/clean from data/raw",
        description="Read every document in data/raw/documents (those with no row in data/raw/sources.csv "
        "take their title and date from what they state of themselves), classify and link its money "
        "mentions, apply the analyst review file data/raw/review.csv, and write mentions.csv, "
        "commitments.csv, relations.csv, commitment_years.csv, packages.csv, set_aside.csv and "
        "datapackage.json to data/clean. The same inputs always give byte-identical tables; a build "
        "that fails leaves the previous tables as they were.",
    )
    build.add_argument("--check", action="store_true", help="write nothing; exit 1 if data/clean is out of date")
    build.add_argument(
        "--jobs", type=_positive, metavar="N",
        help="processes that read and annotate documents and make their rows (default: every core, at most one a document); "
             "the tables are the same whatever N",
    )
    build.add_argument(
        "--scheduler", metavar="ADDRESS",
        help="run the per-document stage on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786) "
        "instead of local processes; needs `pip install 'funding[dask]'`, funding installed on the workers, and "
        "the project folder at the same path on every worker; the tables are the same bytes",
    )
    build.add_argument(
        "--strict", action="store_true",
        help="fail, writing nothing, if any document cannot be read (default: build the others, warn, "
        "and list it in set_aside.csv with the reason)",
    )
    build.add_argument(
        "--no-cache", action="store_true",
        help="read every document again, ignoring and not filling the per-document cache in data/.cache "
        "(kept by the document's bytes, its sources.csv row and the rules' version; safe to delete)",
    )
    build.set_defaults(run=run_build)

    export = commands.add_parser(
        "export",
        parents=[quiet, project],
        help="write the clean tables to an Excel workbook for briefings",
        description="Write one workbook from data/clean that follows the government guidance on "
        "releasing statistics in spreadsheets: a cover sheet, a table of contents with links, notes, "
        "and one marked-up table per sheet (totals by theme, department and year, commitments, "
        "packages, components, every mention, sources). Filters narrow every sheet.",
    )
    export.add_argument("--theme", metavar="T", help="only this theme: a theme_id or theme name with commitments in the data (any case)")
    export.add_argument("--department", metavar="D", help="only commitments of this department: an abbreviation in the data, such as DfE (any case)")
    export.add_argument("--years", metavar="FIRST:LAST", help="only money phased into these financial years, such as 2022-23:2024-25")
    export.add_argument("--basis", choices=("cash", "real"), default="cash", help="cash (default) or real terms")
    export.add_argument("--base-year", metavar="YYYY-YY", help="prices for --basis real: a year of the GDP deflator table (default 2024-25)")
    export.add_argument("--out", type=Path, metavar="PATH.xlsx",
                        help="the workbook to write (default: reports/funding[-filters][-real-BASE].xlsx)")
    export.set_defaults(run=run_export)

    report = commands.add_parser(
        "report",
        parents=[quiet, project],
        help="render notebooks into HTML reports (reports/index.html lists them)",
        description=_REPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument("notebook", nargs="?", metavar="NOTEBOOK", help="a notebook name or path, such as 02-theme")
    report.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="a parameter for NOTEBOOK, such as -p theme youth (repeat for more)")
    report.add_argument("--all", action="store_true", help="render every scheduled report, with the notebooks' defaults")
    report.add_argument("--force", action="store_true", help="render even reports whose inputs are unchanged")
    report.add_argument("--jobs", type=_positive, metavar="N", help="worker processes, 1 or more (default: one per core)")
    report.add_argument("--out", type=Path, metavar="DIR", help="where reports go (default: reports/)")
    report.add_argument("--prune", action="store_true",
                        help="delete reports rendered by hand with parameters outside the scheduled set (after --all, if given)")
    report.add_argument("-v", "--verbose", action="store_true", help="show papermill's and the kernels' logs")
    report.set_defaults(run=run_report)

    fetch = commands.add_parser(
        "fetch",
        parents=[quiet],
        help="save GOV.UK pages and written answers from their APIs into data/raw, with their sources.csv rows",
        description=_FETCH_HELP,
        epilog=_FETCH_EPILOG.format(**ENVIRONMENT),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fetch.add_argument("urls", nargs="+", metavar="URL", help="a GOV.UK page or a written question")
    fetch.add_argument("--attachments", action="store_true", help="also save a GOV.UK page's PDF attachments, each with its own row")
    fetch.add_argument("--refresh", action="store_true", help="ask the APIs again instead of using data/.cache/http")
    fetch.add_argument("--force", action="store_true", help="replace a saved document or row that differs from what the API gives now")
    fetch.add_argument("--raw", type=Path, metavar="DIR",
                       help="the data/raw folder to save into (default: data/raw of the project found from here)")
    fetch.set_defaults(run=run_fetch)

    review = commands.add_parser(
        "review",
        parents=[quiet, project],
        help="list the least certain automatic decisions first, with the review.csv line to settle each",
        description=_REVIEW_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    review.add_argument("--tables", type=Path, metavar="DIR", help="read the tables in DIR (written by `funding extract --out DIR`) instead of data/clean")
    review.add_argument("--limit", type=int, default=20, metavar="N", help="show the N least certain (default 20; 0 for all)")
    review.add_argument("--kind", choices=KINDS, action="append",
                        help="only decisions of this kind (give --kind again for more; default: all)")
    review.add_argument("--format", choices=("table", "csv"), default="table", help="table (default) or csv")
    review.set_defaults(run=run_review)

    text = commands.add_parser(
        "text",
        parents=[quiet],
        help="print a document's decoded text, which mention offsets index",
        description="Print the decoded text of a document: the text that the start, end and line "
        "columns of the mentions table refer to (a PDF, Word file or web page reduced to text, encodings "
        "and line ends normalised). Give the file, or a source_id of the project's data/raw/documents.",
        epilog="examples:\n  funding text data/raw/documents/budget.pdf\n  funding text budget | sed -n 110,120p",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    text.add_argument("path", type=Path, metavar="PATH", help="the document, or its source_id")
    text.set_defaults(run=run_text)
    return parser


def run_extract(args: argparse.Namespace) -> int:
    """Extract mentions from ``args.paths`` and write them; return the exit status."""
    paths, failed = [], 0
    for path in args.paths:
        if path.is_dir():
            log.error("error: %s: is a directory; give the files in it (for example %s/*.md)", path, path)
        elif not path.exists():
            log.error("error: %s: no such file", path)
        else:
            paths.append(path)
            continue
        failed += 1
    set_aside_rows: list[dict] = []
    totals = {"documents": 0, "mentions": 0}

    def mention_rows():
        """Rows of every document in turn, streamed; errors and set-aside markers noted on the way."""
        nonlocal failed
        for index, result in enumerate(extract_paths(paths), start=1):
            if result.error is not None:
                failed += 1
                log.error("error: %s -- skipped, the other documents go on", result.error)
                continue
            totals["documents"] += 1
            totals["mentions"] += len(result.mentions)
            aside = f", {len(result.set_aside)} set aside" if result.set_aside else ""
            log.info("[%d/%d] %s: %d money mention(s)%s", index, len(paths), result.path, len(result.mentions), aside)
            for item in result.set_aside:
                set_aside_rows.append(item.row())
                if args.out is None:
                    log.warning("set aside: %s:%d: %r: %s", result.path, item.line, item.item.text, item.item.reason)
            for mention in result.mentions:
                yield mention.row()

    writer = write_json if args.format == "json" else write_csv
    root = project_root()
    if args.out is not None and root is not None and (root / RAW / "reference").exists():
        return _extract_tables(args, paths, failed, root / RAW)
    if args.out is not None:
        log.info("no data/raw/reference found here or above: writing mentions and set-aside markers only")
    if args.out is None:
        writer(mention_rows(), MENTION_COLUMNS, sys.stdout)
        sys.stdout.flush()
    else:
        target = args.out / f"mentions.{args.format}"
        with atomic_writer(target, bom=args.format == "csv") as handle:
            writer(mention_rows(), MENTION_COLUMNS, handle)
        with atomic_writer(args.out / "set_aside.csv", bom=True) as handle:
            write_csv(set_aside_rows, SET_ASIDE_COLUMNS, handle)
        log.info("wrote %s and %s", target, args.out / "set_aside.csv")
    could_not = f"; {failed} document(s) could not be read" if failed else ""
    log.info(
        "%d document(s) read, %d money mention(s), %d set aside%s",
        totals["documents"], totals["mentions"], len(set_aside_rows), could_not,
    )
    return 1 if failed else 0


def _extract_tables(args: argparse.Namespace, paths: list[Path], failed: int, raw: Path) -> int:
    """``extract --out``: every clean table for the documents given, by the automatic rules alone."""
    published = args.published  # None: each part of a text takes the date it states
    documents = []
    for result in extract_paths(paths):
        if result.error is not None:
            failed += 1
            log.error("error: %s -- skipped, the other documents go on", result.error)
            continue
        documents.append(Document(result.source_id, result.document.text, published, published))
    try:
        ref = load_reference(raw, with_sources=False)
        tables = build_tables(documents, ref, Review())
    except (ReferenceError, ValueError) as error:
        log.error("error: %s", error)
        return 1
    files = render_tables(tables)
    if args.format == "json":
        buffer = io.StringIO()
        write_json(tables.mentions, MENTION_COLUMNS, buffer)
        files["mentions.json"] = buffer.getvalue().encode("utf-8")
    write_tables(files, args.out)
    log.info(
        "%d document(s): %d mention(s), %d commitment(s), %d context, %d set aside; wrote %d files to %s (no review file applied)",
        len(documents), len(tables.mentions), len(tables.commitments),
        sum(r["role"] == "context" for r in tables.mentions), len(tables.set_aside), len(files), args.out,
    )
    return 1 if failed else 0


def _project(args: argparse.Namespace) -> Path | None:
    """The project folder (--root, else found from here upwards), or None after saying why."""
    root = args.root or project_root()
    if root is None:
        log.error("error: no data/raw/sources.csv here or above; run from the project folder or give --root")
    return root


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def run_build(args: argparse.Namespace) -> int:
    """Build data/clean from data/raw, or check that it is up to date."""
    root = _project(args)
    if root is None:
        return 2
    try:
        built = build_into(root / RAW, root / CLEAN, jobs=args.jobs, cache=None if args.no_cache else root / CACHE, scheduler=args.scheduler,
                           strict=args.strict, check=args.check)
    except (DocumentError, ReferenceError, ReviewError, ValueError) as error:
        log.error("error: %s", error)
        log.error("nothing written: the tables in %s are as they were", root / CLEAN)
        return 1
    rows = built.rows
    log.info(
        "%d mention(s): %d commitment(s) (%d counted), %d context, %d relation(s), %d package(s), %d set aside",
        rows["mentions"], rows["commitments"], built.counted, built.context, rows["relations"], rows["packages"], rows["set_aside"],
    )
    if built.unread:
        log.warning("%d document(s) not read, their figures in no table: %s", len(built.unread), ", ".join(r["text"] for r in built.unread))
    if args.check:
        if built.stale:
            log.error("error: %s is out of date: %s; run `funding build` (or `make`)", root / CLEAN, ", ".join(built.stale))
            return 1
        log.info("%s is up to date", root / CLEAN)
        return 0
    log.info("wrote %d files to %s", built.files, root / CLEAN)
    _say_what_totals_rest_on(root / CLEAN)
    return 0


def _say_what_totals_rest_on(clean: Path) -> None:
    """The headline the tables make, what it rests on, and every document whose total is implausible."""
    from funding.totals import IMPLAUSIBLE_GBP, UNCERTAIN_BELOW, at_risk, implausible, load_tables

    tables = load_tables(clean, {"mentions": ("commitment_id", "certainty"),  # what the two sums read, not every quote
                                 "commitments": ("commitment_id", "source_id", "total_gbp", "counted", "quote")})
    counted, uncertain, n = at_risk(tables)
    log.info("£%s counted; £%s of it rests on %d figure(s) whose role is less than %.1f certain (funding review lists them first)",
             _bn(counted), _bn(uncertain), n, UNCERTAIN_BELOW)
    found = implausible(tables)
    for source_id, total, top in found[:IMPLAUSIBLE_NAMED]:
        figures = "; ".join(f"£{_bn(amount)} ({quote[:80]}...)" for amount, quote in top)
        log.warning("%s counts £%s, over £%s: check what it counts before sending any total. Largest: %s",
                    source_id, _bn(total), _bn(IMPLAUSIBLE_GBP), figures)
    if len(found) > IMPLAUSIBLE_NAMED:
        log.warning("... and %d more documents over £%s (the data-quality report lists them all)",
                    len(found) - IMPLAUSIBLE_NAMED, _bn(IMPLAUSIBLE_GBP))


IMPLAUSIBLE_NAMED = 10  # documents over £100bn the build's summary names, largest first


def _bn(amount: float) -> str:
    return f"{amount / 1e9:,.1f}bn" if abs(amount) >= 1e9 else f"{amount / 1e6:,.1f}m"


class _Refused(ValueError):
    """A parameter refused before any work: exit 2 with this message."""


def _choose(value: str, present: list[str], what: str, names: dict[str, str] | None = None) -> str:
    """The choice ``value`` names, matched case-insensitively (or by its name); else refuse with a "did you mean"."""
    from funding.report import closest_choice

    found, close = closest_choice(value, present, names)
    if found is not None:
        return found
    hint = f" did you mean {close}?" if close else ""
    raise _Refused(f"{value!r} is not a {what} in the data;{hint} choose one of: {', '.join(present)}")


def _export_years(text: str | None) -> tuple[str, str] | None:
    from funding.years import parse_fy_label

    if not text:
        return None
    try:
        first, last = text.split(":")
        if parse_fy_label(first) > parse_fy_label(last):
            raise ValueError("the first year is after the last")
    except ValueError as error:
        raise _Refused(f"--years {text!r}: give FIRST:LAST such as 2022-23:2024-25 ({error})") from None
    return first, last


def _export_out(args: argparse.Namespace, root: Path, base_year: str | None) -> Path:
    """--out, which must end in .xlsx, or a name in reports/ that says the filters, basis and base year."""
    from funding.paths import safe_name

    if args.out is not None:
        if args.out.suffix.lower() != ".xlsx":
            raise _Refused(f"--out {str(args.out)!r}: the workbook is an Excel file; give a name ending in .xlsx")
        return args.out
    filters = [args.theme, args.department, args.years.replace(":", "-to-") if args.years else None,
               f"real-{base_year}" if base_year else None]
    return root / "reports" / ("funding" + "".join(f"-{safe_name(f)}" for f in filters if f) + ".xlsx")


def _export_choices(args: argparse.Namespace, tables, ref) -> None:
    """Match --theme and --department to the names in the data (themes.csv names too), in place."""
    from funding.totals import departments_in

    commitments = tables["commitments"]
    if args.theme:
        present = sorted({t for t in commitments["theme"] if t})
        args.theme = _choose(args.theme, present, "theme", {t: ref.themes[t].theme for t in present if t in ref.themes})
    if args.department:
        args.department = _choose(args.department, departments_in(commitments), "department")


def run_export(args: argparse.Namespace) -> int:
    """Write the Excel workbook from data/clean; exit 2, writing nothing, for a parameter that cannot work."""
    from funding.export import FilterError, export_workbook
    from funding.totals import load_deflators, load_tables

    root = _project(args)
    if root is None:
        return 2
    try:
        ref = load_reference(root / RAW)
    except ReferenceError as error:
        log.error("error: %s", error)
        return 1
    clean = root / CLEAN
    tables = load_tables(clean)
    deflators = load_deflators(root / RAW / "reference") if args.basis == "real" else None
    try:
        if args.base_year and deflators is None:
            raise _Refused("--base-year sets the prices of real terms: add --basis real, or leave it out")
        base_year = (args.base_year or "2024-25") if deflators else None
        if deflators and base_year not in deflators[0]:
            raise _Refused(f"--base-year {base_year!r} has no GDP deflator; choose one of {min(deflators[0])} to {max(deflators[0])}")
        years = _export_years(args.years)
        _export_choices(args, tables, ref)
        out = _export_out(args, root, base_year)
        version = data_version(clean)
        sources = tables["sources"]
        sheets = export_workbook(
            tables, sources, out, theme=args.theme, department=args.department, years=years, basis=args.basis,
            base_year=base_year or "2024-25", deflators=deflators, data_version=version,
            themes={t.theme_id: t.theme for t in ref.themes.values()},
        )
    except (_Refused, FilterError) as error:
        log.error("error: %s", error)
        return 2
    except ValueError as error:  # for example a year with no deflator
        log.error("error: %s", error)
        return 2
    log.info("wrote %s (%d sheets, data version %s)", out, len(sheets), version)
    return 0


def run_report(args: argparse.Namespace) -> int:
    """Render reports (or prune ad-hoc ones); exit 1 if any failed, 2 for a mistake in the command."""
    from funding.report import ParameterError, prune_reports, render_reports

    root = _project(args)
    if root is None:
        return 2
    out = args.out or root / "reports"
    if args.prune and args.notebook:
        log.error("error: --prune deletes the reports rendered by hand: give it alone or with --all, not with a NOTEBOOK")
        return 2
    if args.notebook or args.all or not args.prune:
        try:
            jobs = _report_jobs(args, root)
        except ParameterError as error:
            log.error("error: %s", error)
            return 2
        results = render_reports(jobs, root, out, force=args.force, workers=args.jobs, verbose=args.verbose)
        counts = {status: sum(r.status == status for r in results) for status in ("rendered", "skipped", "failed")}
        log.info("%d report%s: %d rendered, %d unchanged, %d failed; index: %s", len(results), "" if len(results) == 1 else "s",
                 counts["rendered"], counts["skipped"], counts["failed"], out / "index.html")
        for result in results:
            if result.status == "failed":
                copy = f"; executed copy: {result.executed}" if result.executed else ""
                log.error("error: %s failed at %s; the last good report is kept%s", result.job.slug, result.error, copy)
        if counts["failed"]:
            return 1
    if args.prune:
        try:
            pruned = prune_reports(root, out)
        except ValueError as error:
            log.error("error: %s", error)
            return 1
        log.info("pruned %d report(s) rendered by hand%s", len(pruned), (": " + ", ".join(pruned)) if pruned else "")
    return 0


def _report_jobs(args: argparse.Namespace, root: Path) -> list:
    """The jobs the command asks for, every parameter checked; ParameterError naming what is wrong."""
    from funding.report import ParameterError, allowed_values, check_parameters, make_job, plan_all, subject_names

    if args.all and args.notebook:
        raise ParameterError("give a NOTEBOOK or --all, not both")
    if args.all and args.parameter:
        raise ParameterError("-p sets a parameter of one NOTEBOOK; --all renders the scheduled set with the notebooks' "
                             "defaults: render the notebook on its own (funding report NOTEBOOK -p NAME VALUE)")
    if not args.all and not args.notebook:
        raise ParameterError("give a NOTEBOOK (such as 02-theme), --all or --prune")
    allowed = allowed_values(root)
    if args.all:
        return plan_all(root, allowed)
    path = _notebook_path(args.notebook, root)
    return [make_job(path, check_parameters(path, dict(args.parameter), allowed, subject_names(root)))]


def _notebook_path(name: str, root: Path) -> Path:
    """A notebook given by name (in notebooks/) or by path; ParameterError if it is neither."""
    from funding.report import ParameterError, read_notebook

    given = Path(name)
    if given.is_dir():
        raise ParameterError(f"{name}: is a folder; give a notebook (.ipynb)")
    path = given if given.exists() else root / "notebooks" / (name if name.endswith(".ipynb") else f"{name}.ipynb")
    if not path.exists():
        choices = ", ".join(p.stem for p in sorted((root / "notebooks").glob("*.ipynb")))
        raise ParameterError(f"no notebook {name!r}; choose one of: {choices}")
    read_notebook(path)
    return path


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} must be a whole number, 1 or more")
    return number


def run_review(args: argparse.Namespace) -> int:
    """Print the review queue of data/clean (or --tables DIR), the money at risk first."""
    from funding.queue import QUEUE_COLUMNS, read_tables, render_table, review_queue

    folder = args.tables
    if folder is None:
        root = _project(args)
        if root is None:
            return 2
        folder = root / CLEAN
    try:
        tables = read_tables(folder)
    except FileNotFoundError as error:
        hint = "run `funding extract ... --out DIR` inside the project" if args.tables else "run `funding build` first"
        log.error("error: %s: no such table; %s", error.filename, hint)
        return 1
    decisions = review_queue(tables, args.kind or KINDS)
    shown = decisions[: args.limit] if args.limit > 0 else decisions
    counts = ", ".join(f"{sum(d.kind == k for d in decisions)} {k}" for k in KINDS if k in (args.kind or KINDS))
    log.info("%d automatic decision(s) not yet reviewed in %s (%s); the %d that put most money at risk first", len(decisions), folder, counts, len(shown))
    if args.format == "csv":
        write_csv((d.row() for d in shown), QUEUE_COLUMNS, sys.stdout)
    else:
        sys.stdout.write(render_table(shown))
    return 0


def run_fetch(args: argparse.Namespace) -> int:
    """Fetch the addresses given and save them with their rows; 2 for an address it cannot fetch."""
    raw = args.raw
    if raw is None:
        root = project_root()
        raw = root / RAW if root is not None else RAW
    if not (raw / "reference").is_dir():
        log.error("error: %s: no reference/ folder here; run from the project folder or give --raw DATA/RAW", raw)
        return 2
    try:
        results = fetch(args.urls, raw, attachments=args.attachments, refresh=args.refresh, force=args.force)
    except AddressError as error:
        log.error("error: %s", error)
        return 2
    except FetchError as error:
        log.error("error: %s", error)
        log.error("nothing changed in %s", raw)
        return 1
    for file, outcome in results:
        log.info("%s: %s", raw / file, outcome)
    return 0


def run_text(args: argparse.Namespace) -> int:
    """Print the decoded text of one document."""
    path = args.path
    if not path.exists() and len(path.parts) == 1:  # a source_id: the project's document of that stem
        root = project_root()
        found = sorted(p for p in (root / RAW / "documents").glob(f"{glob.escape(path.name)}.*")) if root else []
        if len(found) == 1:
            path = found[0]
    try:
        document = read_document(path)
    except DocumentError as error:
        known = "" if path.exists() or len(path.parts) > 1 else " (nor is it the source_id of a document in data/raw/documents here)"
        log.error("error: %s%s", error, known)
        return 1
    for note in document.notes:
        log.info("%s: %s", args.path, note)
    sys.stdout.write(document.text)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.ERROR if getattr(args, "quiet", False) else logging.INFO, format="%(message)s", stream=sys.stderr, force=True
    )
    try:
        return args.run(args)
    except BrokenPipeError:  # `funding extract ... | head`
        sys.stderr.close()
        return 0
    except OSError as error:  # an --out folder that cannot be created or written
        log.error("error: %s: %s", error.filename or "output", error.strerror or error)
        return 1
    except KeyboardInterrupt:
        log.error("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
