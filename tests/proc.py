"""Run the bot as a real process (``python -m bot run|console``) for end-to-end and crash tests."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_TOKEN = "123456:TEST-token-never-real"


@dataclass
class BotProcess:
    """A bot subprocess whose stderr (logs) is collected."""

    args: tuple[str, ...]
    env: dict[str, str]
    proc: asyncio.subprocess.Process | None = None
    log: list[str] = field(default_factory=list)
    stdout: list[str] = field(default_factory=list)
    _readers: list[asyncio.Task[None]] = field(default_factory=list)

    async def start(self, ready: str = "ready", timeout: float = 20.0) -> None:
        """Start the process and wait until a log line contains ``ready``."""
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *self.args,
            cwd=str(ROOT), env=self.env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        assert self.proc.stderr is not None and self.proc.stdout is not None
        self._readers = [
            asyncio.create_task(self._read(self.proc.stderr, self.log)),
            asyncio.create_task(self._read(self.proc.stdout, self.stdout)),
        ]
        if ready:
            await self.wait_log(ready, timeout)

    async def _read(self, stream: asyncio.StreamReader, into: list[str]) -> None:
        while line := await stream.readline():
            into.append(line.decode(errors="replace").rstrip("\n"))

    async def wait_log(self, needle: str, timeout: float = 20.0, *, stdout: bool = False) -> str:
        """Wait for a line (stderr by default) containing ``needle``."""
        lines = self.stdout if stdout else self.log
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        seen = 0
        while loop.time() < deadline:
            for line in lines[seen:]:
                if needle in line:
                    return line
            seen = len(lines)
            if self.proc is not None and self.proc.returncode is not None:
                break
            await asyncio.sleep(0.02)
        tail = "\n".join((self.stdout if stdout else self.log)[-30:])
        raise TimeoutError(f"no line with {needle!r}; last lines:\n{tail}")

    async def write(self, line: str) -> None:
        """Type a line on the process's standard input (console mode)."""
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write((line + "\n").encode())
        await self.proc.stdin.drain()

    async def kill9(self) -> None:
        """Kill the process with SIGKILL, as a crash would."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self._reap()

    async def terminate(self, timeout: float = 15.0) -> int:
        """Send SIGTERM and wait for a clean exit; return the exit code."""
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            self.proc.kill()
        await self._reap()
        return int(self.proc.returncode or 0)

    async def _reap(self) -> None:
        assert self.proc is not None
        await self.proc.wait()
        for task in self._readers:
            await task
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc._transport.close()  # type: ignore[attr-defined]  # avoid a ResourceWarning


def bot_env(database: Path, base_url: str | None = None, file_url: str | None = None,
            extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for a bot process: a test database, optionally a fake Bot API."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    env.update({
        "DATABASE_PATH": str(database),
        "PTB_TIMEDELTA": "true",
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "INFO",
    })
    if base_url:
        env["BOT_TOKEN"] = TEST_TOKEN
        env["BOT_API_BASE_URL"] = base_url
        env["BOT_API_FILE_URL"] = file_url or base_url.replace("/bot", "/file/bot")
    env.update(extra or {})
    return env


def run_bot(database: Path, base_url: str, extra: Mapping[str, str] | None = None) -> BotProcess:
    """Prepare ``python -m bot run`` against a fake Bot API (call ``start()`` on it)."""
    return BotProcess(("run",), bot_env(database, base_url, extra=extra))


def console_bot(database: Path, extra: Mapping[str, str] | None = None,
                lang: str = "zh-CN") -> BotProcess:
    """Prepare ``python -m bot console`` (call ``start(ready=...)`` on it)."""
    return BotProcess(("console", "--lang", lang), bot_env(database, extra=extra))
