"""Offline OCR of screenshots (RapidOCR with the models inside its package), off the event loop.

One worker thread and a bounded queue: the event loop keeps answering other chats while a
screenshot is read, and a burst of uploads gets "busy" instead of an unbounded backlog.
"""

from __future__ import annotations

import asyncio
import io
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

log = logging.getLogger(__name__)

MAX_PIXELS = 40_000_000  # a phone screenshot is under 5 MP; more is not a screenshot


class OcrBusy(RuntimeError):
    """Too many screenshots are waiting to be read."""


class OcrFailed(RuntimeError):
    """The image could not be decoded or read."""


class Reader:
    """Read the text lines of images in a worker thread, at most ``queue`` at a time."""

    def __init__(self, *, workers: int = 1, queue: int = 16, threads: int = 1) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr")
        self._slots = asyncio.Semaphore(queue)
        self._waiting = 0
        self._queue = queue
        self._threads = threads
        self._local = threading.local()

    def _engine(self) -> Any:
        engine = getattr(self._local, "engine", None)
        if engine is None:
            from rapidocr_onnxruntime import RapidOCR  # heavy import: on first use only

            engine = RapidOCR(intra_op_num_threads=self._threads,
                              inter_op_num_threads=self._threads)
            self._local.engine = engine
        return engine

    def read_sync(self, data: bytes) -> list[str]:
        """Return the text lines of an image, top to bottom (runs in the calling thread)."""
        import numpy as np
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise OcrFailed("image too large")
                pixels = np.asarray(image.convert("RGB"))[:, :, ::-1]  # RGB -> BGR
        except (UnidentifiedImageError, OSError, ValueError) as exc:
            raise OcrFailed(type(exc).__name__) from None
        result, _ = self._engine()(np.ascontiguousarray(pixels))
        if not result:
            return []
        # Boxes come roughly in reading order; sort by the top edge, then left edge.
        boxes = sorted(result, key=lambda r: (round(r[0][0][1] / 10), r[0][0][0]))
        return [str(r[1]) for r in boxes]

    async def read(self, data: bytes) -> list[str]:
        """Read an image in the worker thread; raise OcrBusy when the queue is full."""
        if self._waiting >= self._queue:
            raise OcrBusy()
        self._waiting += 1
        try:
            async with self._slots:
                loop = asyncio.get_running_loop()
                return await loop.run_in_executor(self._pool, self.read_sync, data)
        finally:
            self._waiting -= 1

    async def warm_up(self) -> None:
        """Load the models in the worker thread (about a quarter of a second)."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._pool, self._engine)

    def close(self) -> None:
        """Stop the worker thread once queued work is done."""
        self._pool.shutdown(wait=True, cancel_futures=True)
