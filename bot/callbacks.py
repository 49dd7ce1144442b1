"""Typed callback data: each button kind is a pydantic model packed to at most 64 bytes.

The wire form is ``prefix:field1:field2``; fields are packed in declaration order. A feature
declares its own models with ``@register`` and a unique prefix; ``parse`` returns the model
or raises ``BadCallback`` for anything forged, truncated or from an older version.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

MAX_BYTES = 64
SEP = ":"


class BadCallback(ValueError):
    """Callback data that does not parse into any known button."""


class Callback(BaseModel):
    """Base of every button payload."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    prefix: ClassVar[str] = ""

    def pack(self) -> str:
        """Encode to the wire form, refusing anything over Telegram's 64 bytes."""
        parts = [self.prefix]
        for name in type(self).model_fields:
            value = getattr(self, name)
            text = str(int(value)) if isinstance(value, bool) else str(value)
            if SEP in text:
                raise ValueError(f"{name} may not contain {SEP!r}")
            parts.append(text)
        data = SEP.join(parts)
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data


_REGISTRY: dict[str, type[Callback]] = {}
C = TypeVar("C", bound=type[Callback])


def register(cls: C) -> C:
    """Make a callback model known to ``parse`` under its prefix."""
    if not cls.prefix or SEP in cls.prefix:
        raise ValueError(f"{cls.__name__} needs a prefix without {SEP!r}")
    if cls.prefix in _REGISTRY and _REGISTRY[cls.prefix] is not cls:
        raise ValueError(f"duplicate callback prefix {cls.prefix!r}")
    _REGISTRY[cls.prefix] = cls
    return cls


def parse(data: str | None) -> Callback:
    """Decode callback data into its model."""
    if not data:
        raise BadCallback("empty")
    prefix, *parts = data.split(SEP)
    cls = _REGISTRY.get(prefix)
    if cls is None:
        raise BadCallback(f"unknown prefix {prefix!r}")
    names = list(cls.model_fields)
    if len(parts) != len(names):
        raise BadCallback(f"{prefix}: expected {len(names)} fields, got {len(parts)}")
    values: dict[str, Any] = dict(zip(names, parts, strict=True))
    try:
        return cls.model_validate(values)
    except ValidationError as exc:
        raise BadCallback(f"{prefix}: {exc.error_count()} invalid fields") from None


def registered() -> dict[str, type[Callback]]:
    """Return the known prefixes and their models."""
    return dict(_REGISTRY)
