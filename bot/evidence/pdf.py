"""The PDF dossier: a pure function of a case snapshot (and its images) to PDF bytes.

A4, page numbers and the generation time on every page, one embedded (subset) CJK font from
the repository (bot/evidence/fonts, licence beside it), so it prints the same anywhere. The
layout holds no words: every label comes from the catalogue through ``t``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos
from fpdf.fonts import FontFace
from PIL import Image

from bot.evidence.documents import CHANNEL_KEYS, CONTACT_KEYS, Words, log_detail, log_line
from bot.evidence.model import EvidenceFile, FileKind
from bot.evidence.snapshot import Snapshot
from bot.money import format_amount

FONT_FILE = Path(__file__).resolve().parent / "fonts" / "WenQuanYiMicroHei.ttf"
FONT = "wqy"
MARGIN = 15.0
IMAGE_MAX_SIDE = 1400  # pixels: legible on A4, keeps 30 screenshots to a few MB
JPEG_QUALITY = 80

# One font, one style: headings stand out by their shading, not by a bold face we lack.
HEADINGS = FontFace(emphasis="", fill_color=(230, 230, 230))

FILE_KIND_KEYS: dict[FileKind, str] = {
    FileKind.PHOTO: "pdf-kind-photo",
    FileKind.IMAGE: "pdf-kind-image",
    FileKind.PDF: "pdf-kind-pdf",
}


class _Dossier(FPDF):
    """FPDF with our footer: page n of N, generated at, case number."""

    def __init__(self, footer: Callable[[int], str]) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self._footer_text = footer

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(110)
        self.cell(0, 5, self._footer_text(self.page_no()), align="C")
        self.set_text_color(0)


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def _image(data: bytes) -> Image.Image | None:
    try:
        with Image.open(io.BytesIO(data)) as src:
            image = src.convert("RGB")
    except (OSError, ValueError):
        return None
    image.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))
    return image


def dossier(t: Words, snap: Snapshot) -> bytes:
    """Render the dossier: summary, transactions, contact log, evidence index, images."""
    pdf = _Dossier(lambda page: t("pdf-footer", page=page, pages="{nb}",
                                  generated=snap.generated_at, case=snap.case_id))
    pdf.add_font(FONT, "", str(FONT_FILE))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_image_filter("DCTDecode")
    pdf.set_title(t("pdf-title", case=snap.case_id))
    pdf.set_creator("jd-recovery-bot")
    pdf.set_lang("zh-CN" if snap.locale.startswith("zh") else "en")
    pdf.set_creation_date(datetime.strptime(snap.generated_at, "%Y-%m-%d %H:%M"))
    wrap = WrapMode.CHAR if snap.locale.startswith("zh") else WrapMode.WORD

    def heading(key: str, size: int = 14, **variables: str | int) -> None:
        pdf.set_font(FONT, size=size)
        pdf.multi_cell(0, size * 0.5, t(key, **variables), wrapmode=wrap,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
        pdf.set_font(FONT, size=10)

    def para(text: str, size: int = 10) -> None:
        pdf.set_font(FONT, size=size)
        pdf.multi_cell(0, 5.5, text, wrapmode=wrap, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def table(header: list[str], rows: list[list[str]], widths: tuple[float, ...],
              size: int = 9) -> None:
        pdf.set_font(FONT, size=size)
        with pdf.table(col_widths=widths, line_height=size * 0.55, wrapmode=wrap,
                       text_align="LEFT", first_row_as_headings=True,
                       headings_style=HEADINGS) as tbl:
            for values in [header, *rows]:
                row = tbl.row()
                for value in values:
                    row.cell(value)
        pdf.ln(4)

    # -- page 1: summary
    pdf.add_page()
    heading("pdf-title", 18, case=snap.case_id)
    para(t("pdf-generated", generated=snap.generated_at), 9)
    pdf.ln(3)
    summary = [
        [t("pdf-case"), f"#{snap.case_id}"],
        [t("pdf-opened"), snap.opened_at],
    ]
    if snap.verdict_key:
        summary.append([t("pdf-verdict"), t(snap.verdict_key)])
    if snap.symptom_keys:
        summary.append([t("pdf-symptoms"),
                        t("doc-list-sep").join(t(k) for k in snap.symptom_keys)])
    if snap.transactions:
        summary.append([t("pdf-loss"), t("pdf-loss-value", total=format_amount(snap.total),
                                         count=len(snap.transactions))])
        for channel, amount, count in snap.totals():
            summary.append([t(CHANNEL_KEYS[channel]),
                            t("pdf-loss-value", total=format_amount(amount), count=count)])
    if snap.triage_amount is not None:
        summary.append([t("pdf-loss-said"), format_amount(snap.triage_amount)])
    refs = snap.police_refs()
    summary.append([t("pdf-police-ref"), ", ".join(refs) if refs else t("pdf-none")])
    summary.append([t("pdf-evidence-count"), str(len(snap.files))])
    table([t("pdf-field"), t("pdf-value")], summary, (45, 135), size=10)

    heading("pdf-timeline", 13)
    timeline = [(snap.opened_at, t("pdf-timeline-opened"))]
    timeline += [(tx.at, t("pdf-timeline-tx", amount=format_amount(tx.amount),
                          channel=t(CHANNEL_KEYS[tx.channel]))) for tx in snap.transactions]
    timeline += [(line.at, log_line(t, line)) for line in snap.log]
    timeline.sort(key=lambda row: row[0])
    table([t("pdf-when"), t("pdf-what")], [[a, b] for a, b in timeline], (35, 145))

    # -- transactions
    heading("pdf-transactions", 13)
    if snap.transactions:
        rows = [[str(n), tx.at, tx.order_no, format_amount(tx.amount),
                 t(CHANNEL_KEYS[tx.channel])] for n, tx in enumerate(snap.transactions, 1)]
        rows.append(["", "", t("pdf-total"), format_amount(snap.total), ""])
        table([t("pdf-no"), t("pdf-when"), t("pdf-order"), t("pdf-amount"), t("pdf-channel")],
              rows, (10, 38, 62, 30, 40))
    else:
        para(t("pdf-none"))
        pdf.ln(3)

    # -- contact log
    heading("pdf-contacts", 13)
    if snap.log:
        rows = []
        for line in snap.log:
            detail = log_detail(t, line) if line.event else (line.note or "-")
            rows.append([line.at, t(CONTACT_KEYS[line.channel]), line.ref or "", detail])
        table([t("pdf-when"), t("pdf-whom"), t("pdf-ref"), t("pdf-what")], rows,
              (30, 30, 35, 85))
    else:
        para(t("pdf-none"))
        pdf.ln(3)

    # -- evidence index
    heading("pdf-index", 13)
    para(t("pdf-index-note"), 8)
    pdf.ln(2)
    if snap.files:
        rows = [_index_row(t, snap, n, f) for n, f in enumerate(snap.files, 1)]
        table([t("pdf-no"), t("pdf-item"), t("pdf-file"), t("pdf-type"), t("pdf-size"),
               t("pdf-sha256"), t("pdf-received")], rows, (8, 30, 28, 16, 16, 54, 28), size=7)
    else:
        para(t("pdf-none"))

    # -- the images themselves, one per page
    for n, f in enumerate(snap.files, 1):
        if f.kind is FileKind.PDF:
            continue
        pdf.add_page()
        item = snap.item_key(f.item)
        heading("pdf-image-title", 12, n=n, item=t(item) if item else t("pdf-unfiled"))
        para(f"SHA-256 {f.sha256}", 7)
        if f.note:
            para(t("pdf-note", note=f.note), 9)
        pdf.ln(2)
        image = _image(snap.images[f.id]) if f.id in snap.images else None
        if image is None:
            para(t("pdf-image-missing"))
            continue
        top = pdf.get_y()
        box_w = pdf.w - 2 * MARGIN
        box_h = pdf.h - top - 20
        scale = min(box_w / image.width, box_h / image.height)
        pdf.image(image, x=MARGIN + (box_w - image.width * scale) / 2, y=top,
                  w=image.width * scale, h=image.height * scale)
    return bytes(pdf.output())


def _index_row(t: Words, snap: Snapshot, n: int, f: EvidenceFile) -> list[str]:
    item = snap.item_key(f.item)
    received = snap.received.get(f.id, "")
    return [str(n), t(item) if item else t("pdf-unfiled"), f.file_name or "-",
            t(FILE_KIND_KEYS[f.kind]), _size(f.size), f.sha256, received]
