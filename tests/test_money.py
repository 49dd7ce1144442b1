"""Amounts typed by victims parse to decimals; anything else is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.money import (
    MAX_AMOUNT,
    AmountError,
    Problem,
    format_amount,
    looks_like_code,
    parse_amount,
)


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
    ("10000000", "10000000.00"),
    # Chinese numerals and units, alone or with digits.
    ("3千", "3000.00"),
    ("2千元", "2000.00"),
    ("五百", "500.00"),
    ("一千二", "1200.00"),
    ("1.5万", "15000.00"),
    ("两千五", "2500.00"),
    ("三百", "300.00"),
    ("¥ 五百", "500.00"),
    ("五百块", "500.00"),
    ("300.", "300.00"),
    ("1", "1.00"),
])
def test_amounts(typed: str, expected: str) -> None:
    assert parse_amount(typed) == Decimal(expected)


@pytest.mark.parametrize("typed", [
    "", "很多", "abc", "1,29", "12.345", "1.2.3", "1299,5", "1e5", "0x10", "NaN",
    "Infinity", "¥", "元", "300元 左右", "1 2 3 4", "12 34", "三百多", "一些",
])
def test_not_amounts(typed: str) -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount(typed)
    assert caught.value.problem is Problem.UNREADABLE


@pytest.mark.parametrize(("typed", "problem"), [
    ("0", Problem.ZERO), ("0.00", Problem.ZERO), ("¥0", Problem.ZERO), ("零", Problem.ZERO),
    ("0.01", Problem.TOO_SMALL), ("0.5元", Problem.TOO_SMALL),
    ("-5", Problem.NEGATIVE), ("-1,299", Problem.NEGATIVE), ("负五百", Problem.NEGATIVE),
    ("10000000.01", Problem.TOO_LARGE), ("99999999999", Problem.TOO_LARGE),
    ("一亿", Problem.TOO_LARGE),
])
def test_amounts_refused_for_a_reason(typed: str, problem: Problem) -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount(typed)
    assert caught.value.problem is problem


def test_limit() -> None:
    assert parse_amount(str(MAX_AMOUNT)) == MAX_AMOUNT


@pytest.mark.parametrize(("typed", "shaped"), [
    ("482913", True), ("12345678", True), ("０４８２９１", True), ("1299", False),
    ("¥482913", False), ("482913元", False), ("1,299,000", False), ("123456789", False),
])
def test_code_shaped(typed: str, shaped: bool) -> None:
    assert looks_like_code(typed) is shaped


@pytest.mark.parametrize(("value", "shown"), [("1299", "1,299"), ("1299.5", "1,299.50"),
                                              ("0.5", "0.50"), ("100000000", "100,000,000")])
def test_format(value: str, shown: str) -> None:
    assert format_amount(Decimal(value)) == shown
