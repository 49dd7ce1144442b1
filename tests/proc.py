"""Run the bot as a real process (``python -m bot run|console``) for end-to-end and crash tests.

The process's stdout and stderr are drained by a thread each, not by the test's event loop: a
bot never blocks on a full pipe while the test is busy, failing or gone (a bot that logs into a
pipe nobody reads stops dead, and a test waiting for it then hangs). A process still running
when the test process exits is killed.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import faulthandler
import io
import os
import signal
import sys
import threading
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEST_TOKEN = "123456:TEST-token-never-real"
# Started and not yet reaped, by id: killed at exit if a test left one behind.
_LIVE: dict[int, BotProcess] = {}


@dataclass
class BotProcess:
    """A bot subprocess whose stderr (logs) is collected."""

    args: tuple[str, ...]
    env: dict[str, str]
    proc: asyncio.subprocess.Process | None = None
    log: list[str] = field(default_factory=list)
    stdout: list[str] = field(default_factory=list)
    _drains: list[threading.Thread] = field(default_factory=list)

    async def start(self, ready: str = "ready", timeout: float = 20.0) -> None:
        """Start the process and wait until a log line contains ``ready``."""
        err_r, err_w = os.pipe()
        out_r, out_w = os.pipe()
        try:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", *self.args,
                cwd=str(ROOT), env=self.env,
                stdin=asyncio.subprocess.PIPE, stdout=out_w, stderr=err_w,
            )
        except BaseException:
            for fd in (err_r, out_r):
                os.close(fd)
            raise
        finally:
            os.close(err_w)  # the child holds the writing ends now
            os.close(out_w)
        _LIVE[id(self)] = self
        self._drains = [
            threading.Thread(target=_drain, args=(err_r, self.log), daemon=True,
                             name=f"bot-{self.proc.pid}-stderr"),
            threading.Thread(target=_drain, args=(out_r, self.stdout), daemon=True,
                             name=f"bot-{self.proc.pid}-stdout"),
        ]
        for thread in self._drains:
            thread.start()
        if ready:
            await self.wait_log(ready, timeout)

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

    def dump_stacks(self) -> None:
        """Have the process print every thread's stack to its log and die (SIGABRT with
        faulthandler on, see ``bot_env``): what a hung bot was doing."""
        if self.proc is not None and self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGABRT)

    async def _reap(self) -> None:
        assert self.proc is not None
        await self.proc.wait()
        _LIVE.pop(id(self), None)
        # The pipes end with the process (nothing else holds them): take the last lines.
        await asyncio.to_thread(_join, self._drains, 5.0)
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc._transport.close()  # type: ignore[attr-defined]  # avoid a ResourceWarning


def _drain(fd: int, into: list[str]) -> None:
    """Read a pipe line by line into ``into`` until it ends (on its own thread)."""
    with open(fd, "rb") as stream:
        for line in stream:
            into.append(line.decode(errors="replace").rstrip("\n"))


def _join(threads: list[threading.Thread], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))


@atexit.register
def _kill_left_behind() -> None:
    """Kill bot processes a failed test did not stop (they would outlive the run)."""
    for bot in list(_LIVE.values()):
        if bot.proc is not None and bot.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(bot.proc.pid, signal.SIGKILL)


class Watchdog:
    """Turns a hung step of a test that drives bot processes into a failure with the stacks.

    ``step(what)`` bounds one step: past ``limit`` seconds it is cancelled and fails with where
    the test's tasks stood and what every live bot process was doing (SIGABRT: faulthandler
    prints its threads to its log). If the test's event loop itself stops turning for
    ``stuck`` seconds (a blocking call on it, so nothing can be cancelled), a thread prints the
    test's threads and the bots', kills the bots and ends the test process with exit code 3:
    CI fails with the stacks instead of hanging. Also measures the loop's longest stall.
    """

    def __init__(self, limit: float = 60.0, stuck: float = 45.0,
                 config: Any = None) -> None:
        self.limit = limit
        self.stuck = stuck
        self.config = config  # pytest's, to print past its output capture
        self.what = "start"
        self.max_stall = 0.0
        self._beat = time.monotonic()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True, name="watchdog")
        self._heart: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Watchdog:
        self._heart = asyncio.create_task(self._heartbeat(), name="watchdog-heartbeat")
        self._thread.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._done.set()
        if self._heart is not None:
            self._heart.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heart

    @contextlib.asynccontextmanager
    async def step(self, what: str) -> AsyncIterator[None]:
        """Run one step within ``limit`` seconds, or fail with the stacks."""
        self.what = what
        try:
            async with asyncio.timeout(self.limit) as bound:
                yield
        except TimeoutError as exc:
            if not bound.expired():
                raise
            report = await self._report()
            raise AssertionError(
                f"HANG: {what!r} took over {self.limit:.0f} s\n{report}") from exc

    async def _heartbeat(self) -> None:
        while True:
            before = time.monotonic()
            await asyncio.sleep(0.05)
            self._beat = time.monotonic()
            self.max_stall = max(self.max_stall, self._beat - before - 0.05)

    async def _report(self) -> str:
        out = io.StringIO()
        out.write("--- the test's tasks\n")
        for task in asyncio.all_tasks():
            if task is not asyncio.current_task():
                task.print_stack(limit=12, file=out)
        for bot in list(_LIVE.values()):
            bot.dump_stacks()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(bot._reap(), 10)
            out.write(f"--- bot {bot.proc.pid if bot.proc else None} (log tail, then its"
                      " threads)\n" + "\n".join(bot.log[-80:]) + "\n")
        return out.getvalue()

    def _watch(self) -> None:
        while not self._done.wait(1.0):
            if time.monotonic() - self._beat > self.stuck:
                self._stuck()

    def _stuck(self) -> None:
        """The loop is stuck: print every stack (past pytest's capture), kill the bots, exit."""
        bots = list(_LIVE.values())
        for bot in bots:
            bot.dump_stacks()
        time.sleep(2.0)  # the drain threads take the bots' dumps
        capture = self.config.pluginmanager.getplugin("capturemanager") if self.config else None
        if capture is not None:
            capture.suspend_global_capture(in_=False)
        err = sys.stderr
        err.write(f"\nHANG: the test's event loop was stuck for {self.stuck:.0f} s during"
                  f" {self.what!r}; the test's threads:\n")
        err.flush()
        faulthandler.dump_traceback(file=err, all_threads=True)
        for bot in bots:
            pid = bot.proc.pid if bot.proc else None
            err.write(f"--- bot {pid} (log tail, then its threads)\n"
                      + "\n".join(bot.log[-80:]) + "\n")
        err.flush()
        _kill_left_behind()
        os._exit(3)


def bot_env(database: Path, base_url: str | None = None, file_url: str | None = None,
            extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for a bot process: a test database, optionally a fake Bot API."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    env.update({
        "DATABASE_PATH": str(database),
        "PTB_TIMEDELTA": "true",
        "PYTHONUNBUFFERED": "1",
        # A fatal signal (SIGABRT from ``dump_stacks``) prints every thread's stack.
        "PYTHONFAULTHANDLER": "1",
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
