"""Both catalogues parse, match each other, and hold every key the code and the flow use."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.engine.loader import load_flow
from bot.i18n import LOCALES_DIR, SOURCE_LOCALE, CatalogueEntry, parse_catalogue
from bot.settings import SUPPORTED_LOCALES

BOT_DIR = Path(__file__).resolve().parent.parent / "bot"


@dataclass(frozen=True)
class KeyUse:
    """A message key the code refers to, and the variables passed with it (None: unknown)."""

    key: str
    where: str
    variables: frozenset[str] | None = None


def _strings(node: ast.AST) -> Iterator[str]:
    """Yield every string constant inside an expression (dict values, tuples, lists)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.Dict):
        for value in node.values:
            yield from _strings(value)
    elif isinstance(node, ast.IfExp):  # t("a" if x else "b")
        yield from _strings(node.body)
        yield from _strings(node.orelse)
    elif isinstance(node, ast.Tuple | ast.List | ast.Set):
        for element in node.elts:
            yield from _strings(element)


def _menu_keys(node: ast.AST) -> Iterator[str]:
    """Yield the description keys of a (command, key) tuple or of a list of them."""
    single = isinstance(node, ast.Tuple) and not any(isinstance(e, ast.Tuple) for e in node.elts)
    for element in [node] if single else getattr(node, "elts", []):
        if isinstance(element, ast.Tuple) and len(element.elts) == 2:
            second = element.elts[1]
            if isinstance(second, ast.Constant) and isinstance(second.value, str):
                yield second.value


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def code_keys(root: Path = BOT_DIR) -> list[KeyUse]:
    """Scan the code for keys: literal args of t(...), *_KEYS dict values, MENU entries."""
    found: list[KeyUse] = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        rel = path.relative_to(root.parent)
        for stmt in tree.body:
            targets: list[ast.expr] = []
            value: ast.expr | None = None
            if isinstance(stmt, ast.Assign):
                targets, value = stmt.targets, stmt.value
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                targets, value = [stmt.target], stmt.value
            for target in targets:
                name = _name(target)
                if value is not None and name.endswith("_KEYS"):
                    found += [KeyUse(k, f"{rel}:{stmt.lineno} {name}") for k in _strings(value)]
                if value is not None and name == "MENU":
                    found += [KeyUse(k, f"{rel}:{stmt.lineno} MENU") for k in _menu_keys(value)]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = _name(node.func)
            if func == "t":
                if any(kw.arg is None for kw in node.keywords):
                    variables = None
                else:
                    variables = frozenset(str(kw.arg) for kw in node.keywords)
                for arg in node.args:
                    if not isinstance(arg, ast.Constant | ast.IfExp):
                        continue
                    found += [
                        KeyUse(key, f"{rel}:{node.lineno}", variables)
                        for key in _strings(arg) if key not in SUPPORTED_LOCALES
                    ]
            elif func in ("append", "extend", "insert") and isinstance(
                node.func, ast.Attribute
            ) and _name(node.func.value) == "MENU":
                for arg in node.args:
                    found += [KeyUse(k, f"{rel}:{node.lineno} MENU") for k in _menu_keys(arg)]
    return found


def check_catalogues(locales_dir: Path, uses: Iterable[KeyUse]) -> list[str]:
    """Return every problem: syntax, keys or placeholders differing, keys used but missing."""
    problems: list[str] = []
    catalogues: dict[str, dict[str, CatalogueEntry]] = {}
    for locale in SUPPORTED_LOCALES:
        directory = locales_dir / locale
        if not any(directory.glob("*.ftl")):
            problems.append(f"{locale}: no .ftl files")
        entries, errors = parse_catalogue(directory)
        problems += [f"{locale}/{e}" for e in errors]
        catalogues[locale] = entries
    source = catalogues[SOURCE_LOCALE]
    for locale, entries in catalogues.items():
        if locale == SOURCE_LOCALE:
            continue
        for key in sorted(set(source) - set(entries)):
            problems.append(f"{locale}: missing key {key} (from {source[key].source})")
        for key in sorted(set(entries) - set(source)):
            problems.append(f"{locale}: key {key} is not in {SOURCE_LOCALE}")
        for key in sorted(set(source) & set(entries)):
            if source[key].variables != entries[key].variables:
                problems.append(
                    f"{locale}: {key} has placeholders {sorted(entries[key].variables)}, "
                    f"{SOURCE_LOCALE} has {sorted(source[key].variables)}"
                )
            if entries[key].source != source[key].source:
                problems.append(f"{locale}: {key} is in {entries[key].source}, "
                                f"{SOURCE_LOCALE} has it in {source[key].source}")
    for use in uses:
        for locale, entries in catalogues.items():
            entry = entries.get(use.key)
            if entry is None:
                problems.append(f"{use.where}: key {use.key} is missing in {locale}")
            elif use.variables is not None and use.variables != entry.variables:
                problems.append(
                    f"{use.where}: {use.key} is given {sorted(use.variables)} but "
                    f"{locale} uses {sorted(entry.variables)}"
                )
    return sorted(set(problems))


def flow_keys() -> list[KeyUse]:
    return [KeyUse(k, "flows/triage.yaml") for k in load_flow().message_keys()]


def test_code_scan_finds_keys_of_every_kind() -> None:
    uses = code_keys()
    keys = {u.key for u in uses}
    # One of each source the scan must understand.
    assert "button-stale" in keys  # me.t("...") in triage
    assert "status-planned" in keys  # STATUS_KEYS values
    assert "event-opened" in keys  # EVENT_KEYS values
    assert "cmd-help" in keys  # general.MENU
    assert "error-generic" in keys  # svc.t(locale, "...")
    assert {"alerts-subscribed", "alerts-already-subscribed"} <= keys  # t("a" if x else "b")
    assert "alert-refused-group" in keys  # REFUSAL_KEYS values
    assert not keys & set(SUPPORTED_LOCALES)
    # The scan covers all of bot/, not only the triage.
    assert {u.where.split(":")[0].split("/")[1] for u in uses} >= {"handlers", "console.py"}


def test_catalogues_are_complete_and_consistent() -> None:
    problems = check_catalogues(LOCALES_DIR, [*code_keys(), *flow_keys()])
    assert problems == [], "\n".join(problems)


def test_every_ftl_file_exists_in_both_languages() -> None:
    names = {loc: {p.name for p in (LOCALES_DIR / loc).glob("*.ftl")} for loc in SUPPORTED_LOCALES}
    assert names["en"] == names["zh-CN"]
    assert {"general.ftl", "triage.ftl"} <= names["en"]


def test_no_chinese_in_python_code() -> None:
    for path in BOT_DIR.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), path


ZH = """
hello = 你好，{ $name }
bye = 再见
only-zh = 只有中文
count = { $n ->
    [one] 一个
   *[other] { $n } 个
}
"""
EN = """
hello = Hello, { $user }
bye = Bye
count = { $n ->
    [one] one
   *[other] { $n } items
}
extra = Only English
broken = { $oops
"""


def write_locales(tmp_path: Path, zh: str, en: str) -> Path:
    for locale, text in (("zh-CN", zh), ("en", en)):
        (tmp_path / locale).mkdir(parents=True)
        (tmp_path / locale / "feature.ftl").write_text(text, encoding="utf-8")
    return tmp_path


def test_checker_catches_every_kind_of_problem(tmp_path: Path) -> None:
    locales = write_locales(tmp_path, ZH, EN)
    uses = [KeyUse("bye", "x.py:1", frozenset()), KeyUse("missing-everywhere", "x.py:2"),
            KeyUse("hello", "x.py:3", frozenset({"name", "extra"}))]
    problems = "\n".join(check_catalogues(locales, uses))
    assert "en: missing key only-zh" in problems
    assert "en: key extra is not in zh-CN" in problems
    assert "en: hello has placeholders ['user'], zh-CN has ['name']" in problems
    assert "en/feature.ftl: syntax error" in problems
    assert "x.py:2: key missing-everywhere is missing in zh-CN" in problems
    assert "x.py:2: key missing-everywhere is missing in en" in problems
    assert "x.py:3: hello is given ['extra', 'name']" in problems
    assert "count" not in problems, "selectors with the same variable are fine"


def test_checker_passes_a_consistent_pair(tmp_path: Path) -> None:
    fine = "a = A { $x }\nb = B\n"
    locales = write_locales(tmp_path, fine, fine)
    assert check_catalogues(locales, [KeyUse("a", "y.py:1", frozenset({"x"}))]) == []


@pytest.mark.parametrize("scan_source", [
    'def f(me):\n    return me.t("not-a-real-key")\n',
    'SOME_KEYS = {"a": "also-not-real"}\n',
    'MENU = [("x", "cmd-not-real")]\n',
    'def g(menu):\n    MENU.append(("y", "cmd-y-not-real"))\n',
])
def test_checker_catches_a_missing_key_used_by_code(tmp_path: Path, scan_source: str) -> None:
    package = tmp_path / "bot"
    package.mkdir()
    (package / "feature.py").write_text(scan_source, encoding="utf-8")
    uses = code_keys(package)
    assert len(uses) == 1
    problems = check_catalogues(LOCALES_DIR, uses)
    assert len(problems) == 2 and all("is missing in" in p for p in problems)
