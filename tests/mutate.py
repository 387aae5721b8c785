"""Mutation testing of the domain modules with mutmut 3, one module at a time (`make mutate`).

    .venv/bin/python tests/mutate.py                          # every module in MODULES
    .venv/bin/python tests/mutate.py registrations/signup.py  # one or more modules
    .venv/bin/python tests/mutate.py --show NAME              # the diff of one mutant

mutmut changes one small thing at a time in a module (a `>` into `>=`, a value into None, a
line dropped) and runs the tests that reach the changed function; a change no test notices
"survives". Each module runs only the test files listed for it in MODULES, so the whole run
takes about ten minutes on two cores.

mutmut reads its settings only from ./pyproject.toml and always works in ./mutants/, so each
module gets a fresh copy of the project in .mutmut/<module>/ whose pyproject.toml mutates that
one module and selects its tests; mutmut runs there and its results stay there (for `--show`
and `mutmut browse`). The score per module counts killed mutants among all mutants except
those listed in tests/equivalent_mutants.md, which change nothing anyone could observe.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutmut"
MUTMUT = Path(sys.executable).with_name("mutmut")
EQUIVALENT_FILE = ROOT / "tests" / "equivalent_mutants.md"
MIN_SCORE = 85.0

T = "tests/registrations/"
# Each module, and the test files that check it: its own, and the pages that show it.
MODULES = {
    "registrations/pricing.py": [T + "test_pricing.py"],
    "registrations/signup.py": [T + "test_signup_rules.py", T + "test_signup.py"],
    "registrations/changes.py": [
        T + "test_changes.py",
        T + "test_self_service.py",
        T + "test_member_page.py",
    ],
    "registrations/waiting_list.py": [T + "test_waiting_list.py", T + "admin/test_events.py"],
    "registrations/invoices.py": [
        T + "test_invoices.py",
        T + "test_changes.py",
        T + "test_payments.py",
        T + "test_invoice_export.py",  # money_totals, summed against the invoices CSV
        T + "test_accounts.py",
    ],
    "registrations/issuing.py": [T + "test_issuing.py", T + "test_invoice_export.py"],
    "registrations/payment_reminders.py": [T + "test_payment_reminders.py"],
    "registrations/privacy.py": [T + "test_privacy.py"],
    # The COPY path (test_export_copy.py) runs only with DATABASE_URL on PostgreSQL.
    "registrations/exports.py": [
        T + "test_exports.py",
        T + "test_invoice_export.py",
        T + "test_export_copy.py",
    ],
    "registrations/forms.py": [T + "test_forms.py", T + "test_signup.py"],
    "registrations/member_forms.py": [
        T + "test_forms.py",
        T + "test_signup.py",
        T + "test_signup_rules.py",
    ],
    "registrations/availability.py": [
        T + "test_availability.py",
        T + "test_placing.py",
        T + "test_signup_rules.py",
        T + "test_waiting_list.py",
    ],
    "registrations/locking.py": [
        T + "test_locking.py",
        T + "test_changes.py",
        T + "test_signup_rules.py",
    ],
}
# Modules with lines only PostgreSQL runs (the lock timeout): mutated on PostgreSQL when
# DATABASE_URL points at it, one mutant at a time in a test database of their own; skipped
# otherwise.
ON_POSTGRESQL = {"registrations/locking.py"}

# What the copy needs besides the apps; mutmut itself copies tests/ and pyproject.toml.
PROJECT = ["participatielab", "registrations", "sessions", "templates", "locale", "static"]
COPY_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", "e2e", "screenshots")
# Parallel mutants must never share a PostgreSQL test database or a Redis cache: each runs on
# its own in-memory SQLite database and local-memory cache.
DROP_ENV = ["DATABASE_URL", "REDIS_URL", "MUTANT_UNDER_TEST"]
DATABASE_URL = os.environ.get("DATABASE_URL", "")


def stage(module: str, tests: list[str]) -> Path:
    """Make a fresh copy of the project in .mutmut/<module>/ set up to mutate `module`."""
    pyproject = (ROOT / "pyproject.toml").read_text()
    if "[tool.mutmut]" in pyproject:
        sys.exit("pyproject.toml has a [tool.mutmut] section; tests/mutate.py writes its own.")
    work = WORK / dotted(module)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for name in [*PROJECT, "tests"]:
        shutil.copytree(ROOT / name, work / name, ignore=COPY_IGNORE)
    shutil.copy2(ROOT / "manage.py", work / "manage.py")
    app = module.split("/")[0]
    also_copy = [f"{name}/" for name in PROJECT if name != app] + ["manage.py"]
    settings = {
        "source_paths": [f"{app}/"],
        "only_mutate": [module],
        "pytest_add_cli_args_test_selection": tests,
        "also_copy": also_copy,
        # Every run starts from a fresh copy: nothing to detect or reuse.
        "use_git_change_detection": False,
        "on_dependency_change": "ignore",
    }
    lines = [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    (work / "pyproject.toml").write_text(pyproject + "\n[tool.mutmut]\n" + "\n".join(lines) + "\n")
    return work


def dotted(module: str) -> str:
    return module.removesuffix(".py").replace("/", ".")


def equivalent_mutants() -> dict[str, str]:
    """Return the mutants listed as equivalent: {name: why}."""
    listed = re.findall(r"^- `([^`]+)`: (.+)$", EQUIVALENT_FILE.read_text(), flags=re.MULTILINE)
    return dict(listed)


def results(work: Path, module: str, equivalent: dict[str, str]) -> dict:
    """Read mutmut's verdicts for `module` and work out its score."""
    # mutmut's names for its exit codes (1 killed, 0 survived, 33 no tests, 36 timeout, ...).
    from mutmut.stats import status_by_exit_code  # only installed by `make mutate`

    meta = json.loads((work / "mutants" / f"{module}.meta").read_text())
    counts: dict[str, int] = {}
    survivors, stale = [], []
    for name, code in meta["exit_code_by_key"].items():
        status = status_by_exit_code[code]
        if status in {"killed", "timeout"}:
            status = "killed"
            if name in equivalent:
                stale.append(name)
        elif name in equivalent:
            status = "equivalent"
        else:
            survivors.append((name, status))
        counts[status] = counts.get(status, 0) + 1
    total = sum(counts.values())
    counted = total - counts.get("equivalent", 0)
    return {
        "module": module,
        "mutants": total,
        "counts": counts,
        "score": round(100 * counts.get("killed", 0) / counted, 1) if counted else 100.0,
        "survivors": survivors,
        # Listed as equivalent, yet a test notices them now: the entry is out of date.
        "stale_equivalents": stale,
    }


def run_module(module: str, tests: list[str], children: int, equivalent: dict) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in DROP_ENV}
    if module in ON_POSTGRESQL:
        if not DATABASE_URL.startswith("postgres"):
            print(f"{module}: skipped; its lock timeout runs only on PostgreSQL (DATABASE_URL)")
            return {"module": module, "skipped": True, "seconds": 0}
        # A test database of its own ("test_<name>_mutate"), made and dropped by each run.
        url = urlsplit(DATABASE_URL)
        env["DATABASE_URL"] = urlunsplit(url._replace(path=url.path + "_mutate"))
        children = 1
    work = stage(module, tests)
    # Property tests draw the same examples in every run, so a verdict never depends on luck.
    env["HYPOTHESIS_PROFILE"] = "mutate"
    log = WORK / f"{work.name}.log"
    start = time.monotonic()
    with log.open("w") as out:
        returncode = subprocess.run(
            [str(MUTMUT), "run", "--max-children", str(children)],
            cwd=work,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        ).returncode
    seconds = round(time.monotonic() - start)
    if returncode != 0 or not (work / "mutants" / f"{module}.meta").exists():
        tail = log.read_text(errors="replace").replace("\r", "\n").splitlines()[-15:]
        print(f"{module}: mutmut failed (exit {returncode}); see {log}", *tail, sep="\n  ")
        return {"module": module, "error": returncode, "seconds": seconds}
    result = results(work, module, equivalent) | {"seconds": seconds}
    counts = ", ".join(f"{n} {status}" for status, n in sorted(result["counts"].items()))
    print(f"{module}: {result['score']} % of {result['mutants']} mutants ({counts}), {seconds} s")
    for name, status in result["survivors"]:
        print(f"  {status}: {name}")
        print(indent(diff(work, name)))
    for name in result["stale_equivalents"]:
        print(f"  listed as equivalent but killed now, remove it: {name}")
    return result


def diff(work: Path, name: str) -> str:
    """Return the lines a mutant changes, read from its module's mutated copy."""
    # Only installed by `make mutate`; in-process, as a `mutmut show` per survivor is slow.
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    module = name.split(".x")[0].replace(".", "/") + ".py"
    with contextlib.chdir(work):
        lines = get_diff_for_mutant(name, path=Path(module)).splitlines()
    return "\n".join(line for line in lines[2:] if line.startswith(("-", "+")))


def indent(text: str) -> str:
    return "\n".join(f"      {line}" for line in text.splitlines())


def show(name: str) -> int:
    """Print the diff of one mutant from the last run of its module."""
    work = WORK / re.split(r"\.x[_ǁ]", name)[0]
    if not work.is_dir():
        sys.exit(f"No results for {name} in {WORK}; run its module first.")
    return subprocess.run([str(MUTMUT), "show", name], cwd=work).returncode


def print_table(summary: list[dict]) -> None:
    columns = ["mutants", "killed", "survived", "equiv.", "score", "all"]
    print("\n" + f"{'module':34}" + "".join(f"{column:>9}" for column in columns))
    for r in summary:
        if "error" in r or "skipped" in r:
            print(f"{r['module']:34} {'failed' if 'error' in r else 'skipped'}")
            continue
        counts = r["counts"]
        survived = r["mutants"] - counts.get("killed", 0) - counts.get("equivalent", 0)
        row = [r["mutants"], counts.get("killed", 0), survived, counts.get("equivalent", 0)]
        every = 100 * counts.get("killed", 0) / r["mutants"]  # equivalent ones counted as alive
        print(
            f"{r['module']:34}"
            + "".join(f"{n:9}" for n in row)
            + f"{r['score']:8.1f}%{every:8.1f}%"
        )
    print(f"total time: {sum(r['seconds'] for r in summary) / 60:.1f} min")
    print("score: killed / (mutants - equivalent); all: killed / mutants")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules to mutate (default: all in MODULES)")
    parser.add_argument("--show", metavar="MUTANT", help="print one mutant's diff")
    parser.add_argument("--children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--min-score", type=float, default=MIN_SCORE)
    args = parser.parse_args()
    if args.show:
        return show(args.show)
    unknown = [module for module in args.modules if module not in MODULES]
    if unknown:
        sys.exit(f"Not in MODULES: {', '.join(unknown)}")
    equivalent = equivalent_mutants()
    WORK.mkdir(exist_ok=True)
    summary = [
        run_module(module, MODULES[module], args.children, equivalent)
        for module in args.modules or MODULES
    ]
    (WORK / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print_table(summary)
    low = [
        r["module"]
        for r in summary
        if "error" in r or ("score" in r and r["score"] < args.min_score)
    ]
    if low:
        print(f"Below {args.min_score} % or failed: {', '.join(low)}")
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
