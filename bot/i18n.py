"""Fluent catalogues: every user-facing word lives in locales/<locale>/*.ftl."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource
from fluent.runtime.types import fluent_number
from fluent.syntax import FluentParser, ast

from bot.settings import SUPPORTED_LOCALES

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
SOURCE_LOCALE = "zh-CN"

Value = str | int | float | Decimal


def locale_for(language_code: str | None, default: str = SOURCE_LOCALE) -> str:
    """Map a Telegram language_code to a supported locale (zh* -> zh-CN, else en)."""
    if not language_code:
        return default
    return "zh-CN" if language_code.lower().startswith("zh") else "en"


@dataclass(frozen=True)
class CatalogueEntry:
    """One message of a catalogue: its placeholders and where it is defined."""

    key: str
    variables: frozenset[str]
    source: str
    attributes: frozenset[str] = field(default_factory=frozenset)


def _variables(node: object, found: set[str]) -> None:
    """Collect variable names referenced anywhere inside a Fluent AST node."""
    if isinstance(node, ast.VariableReference):
        found.add(node.id.name)
    if isinstance(node, ast.BaseNode):
        for value in vars(node).values():
            if isinstance(value, list):
                for item in value:
                    _variables(item, found)
            else:
                _variables(value, found)


def parse_catalogue(locale_dir: Path) -> tuple[dict[str, CatalogueEntry], list[str]]:
    """Parse every .ftl file of one locale strictly; return entries and syntax errors."""
    parser = FluentParser(with_spans=False)
    entries: dict[str, CatalogueEntry] = {}
    errors: list[str] = []
    for path in sorted(locale_dir.glob("*.ftl")):
        resource = parser.parse(path.read_text(encoding="utf-8"))
        for item in resource.body:
            if isinstance(item, ast.Junk):
                errors.append(f"{path.name}: syntax error near {(item.content or '')[:40]!r}")
            elif isinstance(item, ast.Message):
                key = item.id.name
                if key in entries:
                    errors.append(f"{path.name}: duplicate key {key}")
                found: set[str] = set()
                _variables(item, found)
                entries[key] = CatalogueEntry(
                    key, frozenset(found), path.name, frozenset(a.id.name for a in item.attributes)
                )
    return entries, errors


def _arg(value: Value) -> object:
    """Pass numbers without digit grouping (case #1234, not #1,234); plurals still work."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return fluent_number(value, useGrouping=False)
    if isinstance(value, Decimal):
        return str(value)
    return value


class Translator:
    """Format messages by key in a chosen locale, falling back to the source locale."""

    def __init__(self, locales_dir: Path = LOCALES_DIR) -> None:
        self._bundles: dict[str, FluentBundle] = {}
        self.keys: dict[str, frozenset[str]] = {}
        for locale in SUPPORTED_LOCALES:
            bundle = FluentBundle([locale], use_isolating=False)
            keys: set[str] = set()
            for path in sorted((locales_dir / locale).glob("*.ftl")):
                # Parsed once: the bundle formats from it, its messages give the keys (the
                # strict checks of ``parse_catalogue`` belong to the catalogue tests).
                resource = FluentResource(path.read_text(encoding="utf-8"))
                bundle.add_resource(resource)
                keys.update(item.id.name for item in resource.body
                            if isinstance(item, ast.Message))
            self._bundles[locale] = bundle
            self.keys[locale] = frozenset(keys)

    def has(self, key: str, locale: str = SOURCE_LOCALE) -> bool:
        """Tell whether a key exists in a locale."""
        return key in self.keys.get(locale, frozenset())

    def __call__(self, locale: str, key: str, /, **variables: Value) -> str:
        """Format one message; a missing key is logged and shown as the key itself."""
        bundle = self._bundles.get(locale) or self._bundles[SOURCE_LOCALE]
        if not bundle.has_message(key):
            bundle = self._bundles[SOURCE_LOCALE]
            if not bundle.has_message(key):
                log.error("missing message key %s", key)
                return key
        message = bundle.get_message(key)
        if message.value is None:
            log.error("message %s has no value", key)
            return key
        args: dict[str, object] = {k: _arg(v) for k, v in variables.items()}
        text, errors = bundle.format_pattern(message.value, args)
        for error in errors:
            log.error("formatting %s in %s: %s", key, locale, error)
        return str(text)

    def lines(self, locale: str, keys: Iterable[str], **variables: Value) -> list[str]:
        """Format several keys with the same variables."""
        return [self(locale, key, **variables) for key in keys]

    def all_locales(self, key: str, **variables: Value) -> Mapping[str, str]:
        """Format one key in every supported locale."""
        return {locale: self(locale, key, **variables) for locale in SUPPORTED_LOCALES}
