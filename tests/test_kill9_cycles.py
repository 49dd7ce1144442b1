"""kill -9 at random moments during the triage and during the plan, 50 cycles.

The bot runs as a real process (``python -m bot run``) polling ``FakeBotApi``. Users walk the
triage (``tests/delivery_kit.Walker``); at every step that moves the case (consent, symptoms
done, proceed, each answer, the typed amount, the last answer that brings the plan) the
process is killed with SIGKILL at a moment drawn from a seeded random generator: after a random
number of the bot's calls for that chat (0: before the update was even fetched), or after a
random delay. It is restarted on the same database, and without the user doing anything:

* the stored state is settled: the update was handled (redelivered by Telegram if it was not
  confirmed) and no screen is owed any more;
* every screen for the step the case stands at (or the whole plan) has reached the user;
* nothing acknowledged is lost: if the bot had sent the user anything for the action before it
  died, the action was already stored, and answers stored at the kill are still stored after;
* at the end of each walk the case is planned, and no screen reached a user more than twice.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from pathlib import Path

import pytest

from bot.app import build_services
from bot.handlers.common import delivery
from bot.services import Services
from bot.store.cases import CaseRow, CaseStatus
from tests.delivery_kit import Walker, http_settings
from tests.fakes.botapi import FakeBotApi
from tests.proc import BotProcess, run_bot

# Not in the default run: ~95 s, and one run in four hung (cause not found yet; see the README).
pytestmark = [pytest.mark.slow, pytest.mark.soak]

CYCLES = 50
SEED = 20261129
FIRST_CHAT = 6100


def counts(api: FakeBotApi, chat: int) -> Counter[str]:
    """How many times each text was sent (confirmed) to a chat."""
    return Counter(str(c.params.get("text")) for c in api.sent(chat) if c.method == "sendMessage")


def bot_calls(api: FakeBotApi, chat: int, since: int) -> int:
    """How many requests the bot made for a chat from a call index on."""
    return sum(1 for c in api.calls[since:] if c.chat_id == chat)


def state(case: CaseRow | None) -> tuple[object, ...] | None:
    """What an advancing action changes in the stored case."""
    if case is None:
        return None
    return (case.id, case.step, tuple(case.symptoms), tuple(case.emergency_done),
            tuple(sorted(case.answers.items())), case.verdict, case.status)


async def kill_at_random(api: FakeBotApi, bot: BotProcess, walker: Walker, update_id: int,
                         since: int, rng: random.Random) -> str:
    """Kill the process at a random moment of the action just pushed; return how."""
    if rng.random() < 0.6:
        calls = rng.randint(0, 6)
        how = f"after {calls} calls"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 5.0
        # Stop waiting if the action is done and fewer calls were made (then it dies idle).
        while (bot_calls(api, walker.chat, since) < calls and loop.time() < deadline  # noqa: ASYNC110
               and not (await delivery(walker.svc).store.handled(update_id)
                        and not await delivery(walker.svc).store.owed()
                        and bot_calls(api, walker.chat, since) > 0)):
            await asyncio.sleep(0.005)
    else:
        delay = rng.uniform(0.0, 0.25)
        how = f"after {delay * 1000:.0f} ms"
        await asyncio.sleep(delay)
    await bot.kill9()
    return how


async def settled(api: FakeBotApi, walker: Walker, update_id: int,
                  timeout: float = 20.0) -> list[str]:
    """Wait until the action's update was handled, nothing is owed, and every screen for the
    stored step reached the user (twice in a row, 0.03 s apart); return those screens."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    good = 0
    while True:
        handled = await delivery(walker.svc).store.handled(update_id)
        expected = await walker.expected() if handled else []
        sent = counts(api, walker.chat)
        if (handled and not await delivery(walker.svc).store.owed()
                and all(sent[text] >= 1 for text in expected)):
            good += 1
            if good == 2:
                return expected
        else:
            good = 0
        owed = await delivery(walker.svc).store.owed()
        assert loop.time() < deadline, (
            f"chat {walker.chat}: not settled; handled {handled}, owed {owed},"
            f" missing {[t[:40] for t in expected if sent[t] == 0]}")
        await asyncio.sleep(0.03)


async def walk_with_kills(api: FakeBotApi, reader: Services, database: Path, chat: int,
                          bot: BotProcess, rng: random.Random,
                          cycles: list[str]) -> BotProcess:
    """Walk one user to the plan, killing the bot at every advancing action."""
    walker = Walker(api, reader, chat)
    while (action := await walker.next_action()) is not None:
        name, do, advances = action
        if not advances or len(cycles) >= CYCLES:
            await walker.act()
            continue
        before = state(await walker.case())
        answers = dict(case.answers) if (case := await walker.case()) is not None else {}
        since = len(api.calls)
        update_id = do()
        how = await kill_at_random(api, bot, walker, update_id, since, rng)

        at_kill = await walker.case()
        told = [c for c in api.calls[since:]
                if c.chat_id == chat and c.method == "sendMessage" and c.ok]
        if told:
            assert state(at_kill) != before, f"{name} {how}: sent before it was stored"
        if at_kill is not None:
            answers = dict(at_kill.answers)

        bot = run_bot(database, api.base_url)
        await bot.start()
        await settled(api, walker, update_id)
        case = await walker.case()
        assert case is not None
        assert answers.items() <= case.answers.items(), f"{name} {how}: an answer was lost"
        if state(at_kill) != before:
            moved = "stored before the kill"
        elif state(case) != before:
            moved = "stored after the restart (redelivered)"
        else:
            moved = "not stored (the update was cut short; the user still has its screen)"
        cycles.append(f"{name} {how}: {moved}")
    case = await walker.case()
    assert case is not None and case.status is CaseStatus.PLANNED and case.verdict is not None
    assert case.symptoms and case.emergency_done and case.answers
    twice = {text[:40]: n for text, n in counts(api, chat).items() if n > 2}
    assert not twice, f"chat {chat}: screens sent more than twice: {twice}"
    return bot


async def test_kill_9_at_random_moments_50_cycles(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    rng = random.Random(SEED)
    cycles: list[str] = []
    async with FakeBotApi() as api:
        reader = await build_services(http_settings(database, api))
        bot = run_bot(database, api.base_url)
        await bot.start()
        try:
            chat = FIRST_CHAT
            while len(cycles) < CYCLES:
                bot = await walk_with_kills(api, reader, database, chat, bot, rng, cycles)
                chat += 1
        finally:
            assert await bot.terminate() == 0
            await reader.db.close()
        assert len(cycles) == CYCLES
        print("\n".join(cycles))
        print(Counter(c.split(": ", 1)[1] for c in cycles))
        # Printed (shown by pytest -s or on failure): which kills hit what.
        assert any("before the kill" in c for c in cycles)
        assert any("answer" in c for c in cycles), "the plan was in flight at some kills"
        assert "Traceback" not in "\n".join(bot.log)
        assert not api.server_errors
