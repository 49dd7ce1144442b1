"""Callback data of the checker's buttons."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from bot.callbacks import Callback, register

PATTERN = r"^(ck|cr):"


@register
class CheckFeedback(Callback):
    """Under a verdict: "this was wrong" (w) or "start a case" (c); ``ref`` names the check."""

    prefix = "ck"
    ref: Annotated[int, Field(ge=0, lt=2**31)]
    a: Literal["w", "c"]


@register
class ReportDecision(Callback):
    """An admin's decision on a report: scam (s), not a scam (n), or make it an alert (a)."""

    prefix = "cr"
    id: Annotated[int, Field(ge=1, lt=2**63)]
    a: Literal["s", "n", "a"]
