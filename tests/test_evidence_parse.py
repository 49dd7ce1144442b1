"""What users type into the claim pack, and transactions read from OCR lines (pure functions)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from bot.evidence.model import Channel
from bot.evidence.parse import (
    InputError,
    parse_order,
    parse_positive_amount,
    parse_short_text,
    parse_when,
    read_receipt,
)
from tests.conftest import T0, TZ


@pytest.mark.parametrize(("typed", "stamp"), [
    ("2026-11-20 14:32", "2026-11-20 14:32"),
    ("2026/11/20 14:32:07", "2026-11-20 14:32"),
    ("2026年11月20日 14:32", "2026-11-20 14:32"),
    ("2026年11月20日14点32分", "2026-11-20 14:32"),
    ("11-20 9:05", "2026-11-20 09:05"),
    ("１１月２０日", "2026-11-20"),
    ("2026.11.20", "2026-11-20"),
])
def test_when(typed: str, stamp: str) -> None:
    assert parse_when(typed, T0, TZ) == stamp


@pytest.mark.parametrize("typed", ["2027-01-01 10:00", "2003-12-31", "2026-13-01", "yesterday",
                                   "20261120", ""])
def test_when_refused(typed: str) -> None:
    with pytest.raises(InputError):
        parse_when(typed, T0, TZ)


def test_contact_dates_drop_the_time() -> None:
    assert parse_when("2026-11-20 14:32", T0, TZ, with_time=False) == "2026-11-20"


def test_order_amount_and_text() -> None:
    assert parse_order(" 2891 0033-4455 ") == "289100334455"
    assert parse_order("JD2026ABC") == "JD2026ABC"
    for bad in ("abc", "12345", "订单号", "1" * 33):
        with pytest.raises(InputError):
            parse_order(bad)
    assert parse_positive_amount("¥1,299.5") == Decimal("1299.50")
    assert parse_positive_amount("１２９９元") == Decimal("1299.00")
    for bad in ("0", "-5", "很多"):
        with pytest.raises(InputError):
            parse_positive_amount(bad)
    assert parse_short_text("  agreed   to  review ", 64) == "agreed to review"
    with pytest.raises(InputError):
        parse_short_text("x" * 65, 64)


def test_receipt_from_an_order_page() -> None:
    lines = ["订单详情", "交易成功", "订单编号：", "305512348765", "下单时间：2026-11-2014:32:05",
             "支付方式：京东白条", "商品总额：￥1,299.00", "实付款：¥1,199.00"]
    found = read_receipt(lines, T0, TZ)
    assert found is not None
    # The order number on the next line, the glued date and time, the amount actually paid.
    assert (found.order, found.at, found.amount, found.channel) == (
        "305512348765", "2026-11-20 14:32", "1199.00", Channel.BAITIAO)


def test_receipt_from_a_payment_record() -> None:
    lines = ["交易详情", "交易金额：-¥16,220.73", "交易时间：2026-08-16 14:24:05",
             "付款方式：招商银行储蓄卡(0521)", "交易单号：202756803948"]
    found = read_receipt(lines, T0, TZ)
    assert found is not None and found.found() == 4
    assert (found.amount, found.channel) == ("16220.73", Channel.BANK_CARD)


def test_no_receipt_without_an_order_or_amount() -> None:
    assert read_receipt(["账户安全", "登录记录", "2026-11-20 03:12 北京"], T0, TZ) is None
    future = datetime(2027, 1, 1, tzinfo=TZ).strftime("%Y-%m-%d %H:%M")
    found = read_receipt([f"下单时间：{future}", "实付款：¥5.00"], T0, TZ)
    assert found is not None and found.at is None and found.amount == "5.00"
