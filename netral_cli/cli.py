"""The ``netral`` command: click only, no logic. Every command ends in one call into :mod:`netral_cli.api`.

Exit codes: 0 success; 1 usage or input error (and an output that cannot be written, a scan that could
not finish); 2 rule or model file invalid (and failing rule checks); 3 ``--fail-on`` reached; 130 and
143 interrupted by Ctrl-C (SIGINT) or SIGTERM, the shell's codes for them (no report is left half-written).
Errors are one line on stderr; ``--debug`` shows the traceback. A reader that closes standard output early
(``netral scan ... | head -1``) ends the command quietly with exit code 1.
"""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from typing import Any

import click

from netral_cli import __version__
from netral_cli.errors import NetralError

EXIT_INPUT, EXIT_INVALID, EXIT_FAIL_ON = 1, 2, 3
EXIT_INTERRUPTED, EXIT_TERMINATED = 128 + signal.SIGINT, 128 + signal.SIGTERM
LEVEL_CHOICES = ("high", "medium", "low")
# Spelled out here so that `netral --help` loads no report code; a test checks them against the writers.
REPORT_FORMATS = ("jsonl", "csv", "html", "xlsx", "md")
LANGUAGES = ("id", "en")
MAX_REJECTED_SHOWN = 20
OUT_OF_MEMORY = "out of memory; nothing was written (try --workers 1, or --top N to keep fewer records)"


class Terminated(BaseException):
    """SIGTERM, raised where the program is so that every ``finally`` runs (temporary files are removed)."""


def _terminate(signum: int, frame: Any) -> None:
    raise Terminated()


class NetralGroup(click.Group):
    """Maps errors to the contract's exit codes (click's own usage errors would exit 2, not 1)."""

    def main(self, args: Any = None, prog_name: Any = None, complete_var: Any = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        argv = list(args) if args is not None else sys.argv[1:]
        debug = "--debug" in argv
        if not debug:  # what a failed command leaves behind (a report writer's generator closed with its
            # file) may complain as Python cleans up, after the one-line error: not shown
            sys.unraisablehook = lambda unraisable: None
        previous = signal.signal(signal.SIGTERM, _terminate)
        try:
            code = super().main(args=argv, prog_name=prog_name, complete_var=complete_var,
                                standalone_mode=False, **extra)
        except click.UsageError as exc:
            exc.show()
            sys.exit(EXIT_INPUT)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort as exc:  # Ctrl-C (click turns the KeyboardInterrupt into an Abort)
            _fail("Aborted!", EXIT_INTERRUPTED if isinstance(exc.__cause__, KeyboardInterrupt) else EXIT_INPUT)
        except Terminated:
            _fail("Aborted!", EXIT_TERMINATED)
        except NetralError as exc:
            if debug:
                raise
            _fail(f"Error: {exc}", exc.exit_code)
        except MemoryError:
            if debug:
                raise
            _fail(f"Error: {OUT_OF_MEMORY}", EXIT_INPUT)
        except OSError as exc:  # the system refused something (a full disk, no permission): not a bug
            if debug:
                raise
            place = f"{_printable(exc.filename)}: " if exc.filename else ""
            _fail(f"Error: {place}{exc.strerror or exc}", EXIT_INPUT)
        except Exception as exc:
            if debug:
                raise
            _fail(f"Error: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)",
                  EXIT_INPUT)
        finally:
            signal.signal(signal.SIGTERM, previous)
        sys.exit(code or 0)


def _fail(message: str, code: int) -> None:
    click.echo(message, err=True)
    sys.exit(code)


def _printable(name: Any) -> str:
    from netral_cli.system import printable

    return printable(str(name))


@click.group(cls=NetralGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="netral")
@click.option("--debug", is_flag=True, help="Show the Python traceback of an error.")
def cli(debug: bool) -> None:
    """netral: find breaches of ASN election neutrality (SKB 2/2022) in social-media exports."""


def ingest_options(function: Any) -> Any:
    """Options shared by every command that reads inputs."""
    decorators = [
        click.option("--input-format", type=click.Choice(_parser_names()), help="Override format detection."),
        click.option("--map", "mapping", multiple=True, metavar="FIELD=COLUMN",
                     help="Read FIELD (text, author, account, timestamp, target, platform, kind, group) "
                          "from COLUMN. Repeatable."),
        click.option("--tz", default="Asia/Jakarta", show_default=True,
                     help="Time zone of timestamps written without one; all times are shown in it."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def _parser_names() -> list[str]:
    from netral_cli.ingest import parser_names

    return parser_names()


def _ingest_options(input_format: str | None, mapping: tuple[str, ...], tz: str) -> Any:
    from netral_cli.ingest import IngestOptions

    pairs = {}
    for entry in mapping:
        name, sep, column = entry.partition("=")
        if not sep or not name or not column:
            raise click.UsageError(f"--map takes FIELD=COLUMN, got {entry!r}")
        pairs[name.strip()] = column.strip()
    return IngestOptions(input_format=input_format, mapping=pairs, tz=tz)


class ProgressBar:
    """Progress on stderr as a running count of items scored (a streaming scan does not know the total)."""

    def __init__(self, label: str):
        self.label = label
        self.shown = False

    def __call__(self, done: int, total: int | None) -> None:
        start = "\r" if self.shown else ""
        end = "\n" if total is not None and done >= total else ""
        click.echo(f"{start}{self.label}: {done} items{end}", nl=False, err=True)
        self.shown = True


def show_text_option(function: Any) -> Any:
    return click.option("--show-text", is_flag=True,
                        help="On stderr, show the values a rejected record's reason quotes and an excerpt of the "
                             "record (by default logs carry no post text).")(function)


def _report_rejected(rejected: list[Any], skipped: list[Any], limit: int | None, show_text: bool) -> None:
    """One stderr line per rejected record (its file, locator and reason; the values the reason quotes and an
    excerpt of the record only with ``--show-text``: logs end up in CI systems and tickets) and skipped file."""
    from netral_cli.report.pseudonym import without_quoted_values

    shown = rejected if limit is None else rejected[:limit]
    for record in shown:
        reason = record.reason if show_text else without_quoted_values(record.reason)
        excerpt = f" | {record.excerpt}" if show_text and record.excerpt else ""
        click.echo(f"rejected: {record.source_file} {record.locator}: {reason}{excerpt}", err=True)
    if len(rejected) > len(shown):
        click.echo(f"rejected: … {len(rejected) - len(shown)} more (`netral ingest` lists them all)", err=True)
    for record in skipped:
        click.echo(f"skipped: {record.source_file}: {record.reason}", err=True)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", default="-", show_default=True, help="Report file; - for stdout.")
@click.option("--format", "fmt", type=click.Choice(list(REPORT_FORMATS)),
              help="Report format (default: from the output suffix, else jsonl).")
@click.option("--lang", type=click.Choice(list(LANGUAGES)), default="id", show_default=True,
              help="Language of the reports and of the reasons in records: id (Bahasa Indonesia) or en.")
@click.option("--rules", "rules_dir", type=click.Path(), help="Rule folder (default: the bundled rules).")
@click.option("--model", type=click.Path(), help="Model file (default: the bundled model).")
@click.option("--trust-model", is_flag=True, help="Load a model whose hash is not recorded in a model card.")
@click.option("--context", "context_file", type=click.Path(),
              help="Election context file (tickets, campaign accounts, calendar), e.g. rules/contexts/pemilu-2024.yaml.")
@click.option("--all", "include_all", is_flag=True, help="Write every item, level none included.")
@click.option("--top", type=click.IntRange(min=1), help="Write only the N most suspicious items.")
@click.option("--fail-on", type=click.Choice(LEVEL_CHOICES), help="Exit with code 3 when an item reaches LEVEL.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr (default: when stderr is a terminal).")
@click.option("--export-uncertain", nargs=2, type=(click.IntRange(min=1), click.Path()), metavar="N FILE",
              help="Also write the N items the model is least sure of to FILE (JSONL, label empty) "
                   "for labelling and `netral train`.")
@click.option("--found-on", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="DATE",
              help="Day the findings count as found, YYYY-MM-DD (default: today): starts the 7-day window "
                   "to report them (report_by, days_left).")
@click.option("--pseudonymize", is_flag=True,
              help="Replace names, handles and phone numbers with stable keyed hashes in every output.")
@click.option("--pseudonym-key", metavar="KEY",
              help="Key of --pseudonymize (default: $NETRAL_PSEUDONYM_KEY); the same key, the same pseudonyms.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Score chunks of items in N processes (this one reads the inputs and writes the report); "
                   "default: one per core when the inputs hold 1 MiB or more, else 1.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where chunks are scored: here, or on a dask.distributed cluster (needs the `dask` extra).")
@click.option("--scheduler", metavar="ADDRESS",
              help="With --engine dask: the scheduler, e.g. tcp://host:8786 (default: a local cluster of "
                   "--workers processes).")
@show_text_option
@ingest_options
def scan(inputs: tuple[str, ...], output: str, fmt: str | None, rules_dir: str | None, model: str | None,
         trust_model: bool, context_file: str | None, include_all: bool, top: int | None, fail_on: str | None,
         progress: bool | None, export_uncertain: tuple[int, str] | None, found_on: Any, pseudonymize: bool,
         pseudonym_key: str | None, workers: int | None, engine: str, scheduler: str | None, lang: str,
         show_text: bool, input_format: str | None, mapping: tuple[str, ...], tz: str) -> int:
    """Scan exports (files, folders, zips) and write a ranked report."""
    from netral_cli import api
    from netral_cli.report import format_for

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler goes with --engine dask")
    if pseudonym_key and not pseudonymize:
        raise click.UsageError("--pseudonym-key goes with --pseudonymize")
    options = api.ScanOptions(rules=rules_dir, model=model, trust_model=trust_model, context=context_file,
                              ingest=_ingest_options(input_format, mapping, tz), include_all=include_all, top=top,
                              uncertain=export_uncertain[0] if export_uncertain else 0, workers=workers,
                              engine=engine, scheduler=scheduler, lang=lang,
                              found_on=found_on.date() if found_on else None, pseudonymize=pseudonymize,
                              pseudonym_key=pseudonym_key)
    api.check_outputs([output, *([export_uncertain[1]] if export_uncertain else [])], inputs)
    show = sys.stderr.isatty() if progress is None else progress
    with api.scan(inputs, options, on_progress=ProgressBar("scoring") if show else None) as result:
        api.write_report(result.report(), output, format_for(output, fmt), sys.stdout)
    if export_uncertain:
        path = export_uncertain[1]
        api.write_records(result.uncertain, path, sys.stdout)
        click.echo(f"wrote {len(result.uncertain)} uncertain item(s) to {path}: label them, then `netral train`",
                   err=True)
    _report_rejected(result.rejected, result.skipped, MAX_REJECTED_SHOWN, show_text)
    levels = {name: result.levels[name] for name in (*LEVEL_CHOICES, "none")}
    click.echo(f"{result.summary}; " + ", ".join(f"{n} {k}" for k, n in levels.items()) +
               (f"; wrote {result.reported} to {output}" if output != "-" else ""), err=True)
    for problem in result.rule_problems:
        click.echo(f"Error: {problem}", err=True)
    if fail_on and result.reached(fail_on):
        click.echo(f"--fail-on {fail_on}: threshold reached", err=True)
    if result.rule_problems:
        return EXIT_INVALID
    return EXIT_FAIL_ON if fail_on and result.reached(fail_on) else 0


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", default="-", show_default=True, help="Items as JSONL; - for stdout.")
@click.option("--stats", is_flag=True,
              help="Print tables of counts per file, platform and kind, every rejected record and skipped file "
                   "(on stdout, or on stderr when the items go to stdout).")
@click.option("--json", "as_json", is_flag=True, help="With --stats: print the statistics as JSON.")
@show_text_option
@ingest_options
def ingest(inputs: tuple[str, ...], output: str, stats: bool, as_json: bool, show_text: bool,
           input_format: str | None, mapping: tuple[str, ...], tz: str) -> int:
    """Parse inputs only: write unified items, print counts and every rejected record."""
    from netral_cli import api

    if as_json and not stats:
        raise click.UsageError("--json goes with --stats")
    api.check_outputs([output], inputs)
    result, items = api.ingest_stream(inputs, _ingest_options(input_format, mapping, tz))
    api.write_records((item.to_dict() for item in items), output, sys.stdout)
    if stats:
        summary = api.ingest_stats(result)
        text = json.dumps(summary, ensure_ascii=False, indent=2) if as_json else api.stats_table(summary)
        click.echo(text.rstrip("\n"), err=output == "-")
    else:
        for (source, platform, kind), count in sorted(result.counts().items()):
            click.echo(f"{source}\t{platform}\t{kind}\t{count}", err=True)
        _report_rejected(result.rejected, result.skipped, None, show_text)
    click.echo(api.accounting_line(result), err=True)
    return 0


@cli.command()
@click.argument("text", required=False)
@click.option("--item-json", help="An item as JSON (text, kind, target, group, timestamp), e.g. one line of "
                                   "`netral ingest`.")
@click.option("--rules", "rules_dir", type=click.Path(), help="Rule folder (default: the bundled rules).")
@click.option("--model", type=click.Path(), help="Model file (default: the bundled model).")
@click.option("--trust-model", is_flag=True, help="Load a model whose hash is not recorded in a model card.")
@click.option("--context", "context_file", type=click.Path(), help="Election context file (stage, context rules).")
@click.option("--timestamp", help="When the text was posted (ISO 8601, e.g. 2024-02-12T08:00:00+07:00).")
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
def explain(text: str | None, item_json: str | None, rules_dir: str | None, model: str | None,
            trust_model: bool, context_file: str | None, timestamp: str | None, as_json: bool) -> int:
    """Show how one text is normalised, which rules fire where, and what the model says."""
    from netral_cli import api

    item: dict[str, Any] = {"timestamp": timestamp}
    if item_json:
        try:
            item = {**item, **json.loads(item_json)}
        except json.JSONDecodeError as exc:
            raise click.UsageError(f"--item-json is not valid JSON: {exc.msg}") from exc
        text = item.get("text") or ""
    if text is None:
        raise click.UsageError("give a TEXT or --item-json")
    result = api.explain(text, rules=rules_dir, model=model, trust_model=trust_model,
                         kind=item.get("kind") or "post", target=item.get("target"), group=item.get("group"),
                         context=context_file, timestamp=_timestamp(item.get("timestamp")))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    click.echo(f"normalised : {result['normalised']}")
    click.echo(f"stems      : {result['stems']}")
    if context_file:
        click.echo(f"stage      : {result['stage']}" + (" (masa tenang)" if result["quiet_period"] else ""))
    for hit in result["rules"]:
        spans = ", ".join(f"\u201c{e['text']}\u201d [{e['start']}:{e['end']}]" + (f" = {e['note']}" if "note" in e else "")
                          for e in hit["evidence"])
        click.echo(f"rule       : {hit['rule']} ({hit['skb']}, {hit['severity']}) {spans}")
    if not result["rules"]:
        click.echo("rule       : (none)")
    guess = f"; SKB guess {result['skb_guess']}" if result["skb_guess"] else ""
    click.echo(f"model      : {result['model_score']:.3f} (threshold {result['threshold']:.3f}{guess})")
    for side in ("for", "against"):
        click.echo(f"{side:<11}: " + (", ".join(_feature(f) for f in result["features"][side]) or "(none)"))
    click.echo(f"score      : {result['score']:.3f} ({result['level']})")
    return 0


def _timestamp(value: Any) -> Any:
    """A time for explain, read as ingest reads one (ISO 8601, epoch; naive = Asia/Jakarta)."""
    from netral_cli.ingest.timestamps import parse_timestamp

    try:
        return parse_timestamp(value)
    except ValueError as exc:
        raise click.UsageError(f"--timestamp: {exc}") from exc


def _feature(feature: dict[str, Any]) -> str:
    """``coblos nomor +0.812`` for a stem n-gram, ``‹coblos› +0.650`` for a word's character n-grams."""
    name = feature["ngram"] if feature["source"] == "stems" else f"\u2039{feature['ngram']}\u203a"
    return f"{name} {feature['weight']:+.3f}"


@cli.group()
def rules() -> None:
    """Check, test and list rule files."""


CHECK_FORMATS = ("text", "json", "junit", "github")


def check_options(function: Any) -> Any:
    """Options shared by ``rules check``, ``validate`` and ``test``."""
    function = click.option("--strict", is_flag=True, help="Warnings fail too (exit 2).")(function)
    function = click.option("--format", "fmt", type=click.Choice(CHECK_FORMATS), default="text",
                            show_default=True, help="Output format (records on stdout, summary on stderr).")(function)
    return click.argument("directory", required=False, type=click.Path())(function)


def _print_check(result: Any, fmt: str, strict: bool) -> int:
    from netral_cli.rules.formats import FORMATS

    report = result.to_report()
    FORMATS[fmt](report, sys.stdout)
    summary = report["summary"]
    line = (f"{summary['rules']} rule(s) in {summary['files']} file(s): {summary['errors']} error(s), "
            f"{summary['warnings']} warning(s)")
    if "tp" in summary:
        passed, failed = summary["tp"] + summary["tn"], summary["fn"] + summary["fp"]
        line += f"; examples: {passed} passed, {failed} failed"
    if report["budgets"]:
        over = sum(1 for row in report["budgets"] if not row["within_budget"])
        line += f"; corpus: {over} rule(s) over their false-positive budget"
    click.echo(line, err=True)
    return EXIT_INVALID if result.failed or (strict and report["records"]) else 0


@rules.command("validate")
@check_options
def rules_validate(directory: str | None, fmt: str, strict: bool) -> int:
    """Schema, loader and every validator; each problem with its file, line and column."""
    from netral_cli import api

    return _print_check(api.check_rules(directory, examples=False), fmt, strict)


@rules.command("test")
@check_options
def rules_test(directory: str | None, fmt: str, strict: bool) -> int:
    """Run every rule's match / no_match examples (TP/FN/TN/FP per rule)."""
    from netral_cli import api

    return _print_check(api.check_rules(directory, validate=False), fmt, strict)


@rules.command("check")
@check_options
@click.option("--corpus", type=click.Path(), help="Labelled CSV/JSONL (text, label): fail when a rule's false "
                                                  "positives exceed its false_positive_budget.")
def rules_check(directory: str | None, fmt: str, strict: bool, corpus: str | None) -> int:
    """CI entry point: schema, validators and every example (and --corpus budgets). Exit 2 on any error."""
    from netral_cli import api

    return _print_check(api.check_rules(directory, corpus=corpus), fmt, strict)


@rules.command("schema")
@click.option("--kind", type=click.Choice(["rule", "context"]), default="rule", show_default=True)
def rules_schema(kind: str) -> int:
    """Print the JSON Schema of rule (or context) files, for editors and CI."""
    from netral_cli.rules.schema import schema_text

    click.echo(schema_text(kind), nl=False)
    return 0


@rules.command("list-checks")
def rules_list_checks() -> int:
    """List the validators that `rules check` runs."""
    from netral_cli.rules.validators import VALIDATORS

    for name, validator in VALIDATORS.items():
        click.echo(f"{name}\t{validator.severity}\t{validator.description}")
    return 0


@rules.command("diff")
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@click.option("--corpus", required=True, type=click.Path(), help="Labelled CSV/JSONL (text, label).")
@click.option("--json", "as_json", is_flag=True, help="Print the changes and the summary as JSON.")
def rules_diff(old: str, new: str, corpus: str, as_json: bool) -> int:
    """Corpus items newly matched or no longer matched by rule folder NEW compared with OLD."""
    from netral_cli import api

    result = api.diff_rules(old, new, corpus)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    for change in result["changes"]:
        sign = "+" if change["change"] == "newly_matched" else "-"
        click.echo(f"{sign} {change['where']} label={change['label']} [{', '.join(change['rules'])}] "
                   f"{change['text']}")
    summary = result["summary"]
    click.echo(f"{summary['items']} item(s): {summary['newly_matched']} newly matched "
               f"({summary['newly_matched_label_0']} with label 0), {summary['no_longer_matched']} no longer "
               f"matched ({summary['no_longer_matched_label_1']} with label 1)")
    return 0


@rules.command("list")
@click.argument("directory", required=False, type=click.Path())
def rules_list(directory: str | None) -> int:
    """List rules: id, SKB items, severity, title."""
    from netral_cli.api import rules_dir
    from netral_cli.rules.engine import load_rules

    ruleset = load_rules(rules_dir(directory))
    for rule in ruleset.rules:
        click.echo(f"{rule.id}\t{rule.skb_items('unknown')}\t{rule.severity}\t{rule.status}\t{rule.title}")
    return EXIT_INVALID if ruleset.errors else 0


def labelled_data_options(function: Any) -> Any:
    """Column options shared by train and evaluate."""
    decorators = [
        click.option("--text-column", default="text", show_default=True),
        click.option("--label-column", default="label", show_default=True,
                     help="Labels: 1/0, yes/no or true/false."),
        click.option("--skb-column", help="SKB 2/2022 item(s) of each positive row (A4, A2/B2, A4|B6) "
                                          "[default: skb, when the data has it]."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


@cli.command()
@click.argument("data", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(), help="Model file to write (.joblib).")
@labelled_data_options
@click.option("--folds", default=5, show_default=True, type=click.IntRange(min=0),
              help="Stratified cross-validation folds; 0 skips it (threshold 0.5).")
@click.option("--class-weight", type=click.Choice(["balanced", "none"]), default="balanced", show_default=True)
@click.option("--seed", default=13, show_default=True, type=int, help="Same data and seed, same model.")
@click.option("--target-precision", default=0.9, show_default=True, type=click.FloatRange(0, 1),
              help="Pick the decision threshold that reaches this out-of-fold precision.")
def train(data: tuple[str, ...], output: str, text_column: str, label_column: str, skb_column: str | None,
          folds: int, class_weight: str, seed: int, target_precision: float) -> int:
    """Train a classifier from labelled CSV/JSONL; write it and its model card."""
    from netral_cli.classifier import TrainOptions, card_path
    from netral_cli.classifier import train as train_model

    model = train_model(data, output, TrainOptions(
        text_column=text_column, label_column=label_column, skb_column=skb_column, folds=folds,
        class_weight=class_weight, seed=seed, target_precision=target_precision))
    card = model.card
    validation = card["metrics"].get("cross_validation")
    if validation:
        for fold in validation["folds"]:
            click.echo(f"fold {fold['fold']}/{folds}: " + _figures(fold))
        click.echo("mean ± sd: " + ", ".join(f"{name} {mean:.4f} ± {validation['sd'][name]:.4f}"
                                             for name, mean in validation["mean"].items()))
        threshold = card["threshold"]
        click.echo(f"threshold {threshold['value']:.4f}: out-of-fold precision {threshold['precision']:.4f}, "
                   f"recall {threshold['recall']:.4f} (target precision {threshold['target_precision']}"
                   + ("" if threshold["reached"] else ", not reached: the highest precision instead") + ")")
    click.echo(f"wrote {output} and {card_path(Path(output)).name} ({card['training_data']['items']} items, "
               f"{card['training_data']['positives']} positive)")
    return 0


def _figures(values: dict[str, Any]) -> str:
    names = ("precision", "recall", "f1", "macro_f1", "pr_auc", "skb_accuracy")
    return ", ".join(f"{name} {values[name]:.4f}" for name in names if name in values)


@cli.command()
@click.argument("data", nargs=-1, required=True, type=click.Path())
@click.option("--model", type=click.Path(), help="Model file (default: the bundled model).")
@click.option("--trust-model", is_flag=True, help="Load a model whose hash is not recorded in a model card.")
@labelled_data_options
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@click.option("--plots", "plots_dir", type=click.Path(file_okay=False),
              help="Write precision-recall and confusion-matrix PNGs here (needs the `plot` extra).")
def evaluate(data: tuple[str, ...], model: str | None, trust_model: bool, text_column: str, label_column: str,
             skb_column: str | None, as_json: bool, plots_dir: str | None) -> int:
    """Metrics of a model on labelled data, at its card's threshold and at 0.5."""
    from netral_cli import api
    from netral_cli.classifier import TrainOptions

    result = api.evaluate_model(data, model, trust_model, TrainOptions(
        text_column=text_column, label_column=label_column, skb_column=skb_column), plots_dir)
    metrics = result.metrics
    if as_json:
        click.echo(json.dumps(metrics, indent=2))
    else:
        click.echo(f"model      : {metrics['model']}")
        click.echo(f"items      : {metrics['n']} ({metrics['positives']} positive)")
        click.echo(f"PR-AUC     : {metrics.get('pr_auc', '-')}   ROC-AUC {metrics.get('roc_auc', '-')}")
        click.echo("p@k        : " + ", ".join(f"p@{k} {v:.4f}" for k, v in metrics["precision_at_k"].items()))
        for name in ("at_threshold", "at_0.5"):
            at = metrics[name]
            (tn, fp), (fn, tp) = at["confusion_matrix"]
            click.echo(f"at {at['threshold']:<7.4f} : {_figures(at)}; TP {tp} FP {fp} FN {fn} TN {tn}")
        for item, figures in metrics["skb"]["items"].items():
            click.echo(f"SKB {item:<7}: n {figures['n']}, " + ", ".join(
                f"{k} {v:.4f}" for k, v in figures.items() if k != "n"))
        if metrics["skb"]["head"]:
            click.echo(f"SKB head   : accuracy {metrics['skb']['head']['accuracy']:.4f} "
                       f"on {metrics['skb']['head']['n']} positives")
    for path in result.plots:
        click.echo(f"wrote {path}", err=True)
    if result.plots_skipped:
        click.echo(result.plots_skipped, err=True)
    return 0


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
