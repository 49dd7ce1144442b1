"""JD-like screenshots rendered with Pillow and the repository's CJK font, with their truth.

Used by the claim-pack tests (OCR reads them back) and by bench/ocr_bench.py (accuracy).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from bot.evidence.pdf import FONT_FILE

CHANNEL_TEXT = {
    "baitiao": ["京东白条", "白条"],
    "jintiao": ["京东金条"],
    "bank_card": ["招商银行储蓄卡(0521)", "工商银行信用卡(8812)", "建设银行储蓄卡(3349)"],
    "balance": ["余额", "小金库"],
    "ecard": ["京东E卡"],
}
PRODUCTS = ["Apple iPhone 15 128GB 黑色", "小米 Redmi K70 手机", "京东E卡 面值1000元",
            "茅台 飞天 53度 500ml", "华为 MatePad 平板电脑", "戴森 吹风机 HD15"]


@dataclass(frozen=True)
class Truth:
    """What a rendered screenshot shows."""

    order: str
    at: str
    amount: str
    channel: str


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_FILE), size)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def order_page(truth: Truth, *, style: int = 0, extra: list[str] | None = None,
               width: int = 720, product: str = PRODUCTS[0], channel_text: str | None = None
               ) -> bytes:
    """A phone screenshot of a JD order (style 0) or a JD Pay record (style 1)."""
    height = 1280
    image = Image.new("RGB", (width, height), (245, 245, 245))
    draw = ImageDraw.Draw(image)
    big, mid, small = _font(36), _font(28), _font(24)
    draw.rectangle((0, 0, width, 110), fill=(226, 35, 26))
    title = "订单详情" if style == 0 else "交易详情"
    draw.text((width // 2 - 72, 35), title, font=big, fill="white")
    y = 150
    draw.rectangle((20, y, width - 20, y + 150), fill="white")
    draw.text((50, y + 25), "交易成功" if style == 0 else "支付成功", font=mid, fill=(226, 35, 26))
    draw.text((50, y + 85), product, font=small, fill=(60, 60, 60))
    y += 190
    paid = f"¥{truth.amount}" if style == 0 else f"-¥{truth.amount}"
    chan = channel_text or CHANNEL_TEXT[truth.channel][0]
    if style == 0:
        rows = [("订单编号", truth.order), ("下单时间", truth.at + ":05"), ("支付方式", chan),
                ("商品总额", paid), ("运费", "¥0.00"), ("实付款", paid)]
    else:
        rows = [("交易金额", paid), ("交易时间", truth.at + ":05"), ("付款方式", chan),
                ("交易单号", truth.order), ("商户名称", "京东商城")]
    draw.rectangle((20, y, width - 20, y + 70 * len(rows) + 40), fill="white")
    y += 30
    for label, value in rows:
        draw.text((50, y), f"{label}：", font=small, fill=(120, 120, 120))
        draw.text((230, y), value, font=small, fill=(30, 30, 30))
        y += 70
    for line in extra or []:
        y += 20
        draw.text((50, y), line, font=small, fill=(30, 30, 30))
        y += 50
    return _png(image)


def card_leak_page(card: str) -> bytes:
    """A bank-card binding page that shows a full card number (must be refused)."""
    truth = Truth("305512348765", "2026-11-20 14:32", "1299.00", "bank_card")
    return order_page(truth, extra=[f"银行卡号：{card}"])


def luhn_complete(prefix: str) -> str:
    """Return prefix plus the Luhn check digit."""
    for check in "0123456789":
        digits = prefix + check
        total = 0
        for i, ch in enumerate(reversed(digits)):
            d = int(ch)
            if i % 2 == 1:
                d = d * 2 - 9 if d > 4 else d * 2
            total += d
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable")


def samples(n: int, seed: int = 8) -> list[tuple[bytes, Truth]]:
    """Render ``n`` varied screenshots (orders and payment records) with their truth."""
    rng = random.Random(seed)
    out = []
    for k in range(n):
        channel = rng.choice(sorted(CHANNEL_TEXT))
        truth = Truth(
            order=str(rng.randrange(200_000_000_000, 329_999_999_999)),
            at=f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d} "
               f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
            amount=f"{rng.randint(1, 19999)}.{rng.randint(0, 99):02d}",
            channel=channel,
        )
        amount = truth.amount
        shown = Truth(truth.order, truth.at, _grouped(amount), channel)
        image = order_page(shown, style=k % 2, product=rng.choice(PRODUCTS),
                           channel_text=rng.choice(CHANNEL_TEXT[channel]))
        out.append((image, truth))
    return out


def _grouped(amount: str) -> str:
    whole, cents = amount.split(".")
    return f"{int(whole):,}.{cents}"
