"""Spotting what must never be stored: SMS codes, passwords, card and ID numbers."""

from __future__ import annotations

import pytest

from bot.safety import Secret, find_secrets, id_number_ok, luhn_ok, mask
from tests.test_triage import CARD, ID_NUMBER, id_complete, luhn_complete

CODE, PASSWORD, CARD_NO, ID_NO = (Secret.SMS_CODE, Secret.PASSWORD, Secret.CARD_NUMBER,
                                  Secret.ID_NUMBER)


@pytest.mark.parametrize(("text", "expected"), [
    ("验证码 837261", {CODE}),
    ("验证码是837261", {CODE}),
    ("收到的动态码：4821", {CODE}),
    ("my SMS code is 559013", {CODE}),
    ("OTP 12345678", {CODE}),
    ("837261", {CODE}),
    ("  4821 ", {CODE}),
    ("我的密码是 Hunter2xyz!", {PASSWORD}),
    ("支付密码：147258", {PASSWORD}),
    ("password: Tr0ub4dor&3", {PASSWORD}),
    ("pwd=abc", {PASSWORD}),
    (CARD, {CARD_NO}),
    (f"{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}", {CARD_NO}),
    (f"{CARD[:4]}-{CARD[4:8]}-{CARD[8:12]}-{CARD[12:]}", {CARD_NO}),
    (f"卡号{CARD}被扣了钱", {CARD_NO}),
    (ID_NUMBER, {ID_NO}),
    (f"身份证 {ID_NUMBER}", {ID_NO}),
    (id_complete("44030619900101123"), {ID_NO}),
])
def test_secrets_are_spotted(text: str, expected: set[Secret]) -> None:
    assert find_secrets(text) == expected


@pytest.mark.parametrize("text", [
    "金条被人借了 5000 元",
    "1,299元",
    "¥300",
    "1299.5",
    "昨天晚上 10 点发现的",
    "订单号 285412345678",  # 12 digits: an order number, not a card
    CARD[:-1] + str((int(CARD[-1]) + 1) % 10),  # fails the Luhn check
    "11010519491231002" + ("1" if ID_NUMBER[-1] != "1" else "2"),  # bad ID checksum
    "我忘记密码了",
    "the code did not arrive",
    "2026 年 11 月",
])
def test_ordinary_text_is_not_a_secret(text: str) -> None:
    assert find_secrets(text) == set()


@pytest.mark.parametrize("typed", ["837261", "1299", "12345678"])
def test_a_bare_number_is_an_amount_while_the_amount_is_asked(typed: str) -> None:
    assert find_secrets(typed, expecting_number=True) == set()
    assert find_secrets(typed) == {CODE}


def test_a_card_is_a_secret_even_when_an_amount_is_asked() -> None:
    assert find_secrets(CARD, expecting_number=True) == {CARD_NO}
    assert find_secrets("验证码 1234", expecting_number=True) == {CODE}


def test_checksums() -> None:
    assert luhn_ok(luhn_complete("411111111111111"))
    assert not luhn_ok("4111111111111112")
    assert id_number_ok(ID_NUMBER)
    assert id_number_ok(id_complete("11010519491231002").lower())


def test_mask() -> None:
    assert mask("285412345678") == "********5678"
    assert mask("12") == "**"
