"""Amounts typed by victims parse to decimals; anything else is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.money import MAX_AMOUNT, AmountError, format_amount, parse_amount


@pytest.mark.parametrize(("typed", "expected"), [
    ("1299.5", "1299.50"),
    ("1,299元", "1299.00"),
    ("¥300", "300.00"),
    ("￥300", "300.00"),
    ("  300  ", "300.00"),
    ("1,299.99", "1299.99"),
    ("１２９９．５", "1299.50"),
    ("1，299元", "1299.00"),
    ("RMB 88", "88.00"),
    ("88 yuan", "88.00"),
    ("500块", "500.00"),
    ("500块钱", "500.00"),
    ("人民币300元", "300.00"),
    ("1.2万", "12000.00"),
    ("3w", "30000.00"),
    ("1 299", "1299.00"),
    ("100000000", "100000000.00"),
])
def test_amounts(typed: str, expected: str) -> None:
    assert parse_amount(typed) == Decimal(expected)


@pytest.mark.parametrize("typed", [
    "", "很多", "abc", "-5", "1,29", "12.345", "1.2.3", "1299,5", "1e5", "0x10", "NaN",
    "Infinity", "三百", "100000000.01", "999999999999", "¥", "元", "300元 左右",
    "1 2 3 4", "12 34",
])
def test_not_amounts(typed: str) -> None:
    with pytest.raises(AmountError):
        parse_amount(typed)


def test_limit() -> None:
    assert parse_amount(str(MAX_AMOUNT)) == MAX_AMOUNT


@pytest.mark.parametrize(("value", "shown"), [("1299", "1,299"), ("1299.5", "1,299.50"),
                                              ("0.5", "0.50"), ("100000000", "100,000,000")])
def test_format(value: str, shown: str) -> None:
    assert format_amount(Decimal(value)) == shown
