"""The message checker: normalisation, each detector alone, and the bot's answers end to end."""

from __future__ import annotations

import asyncio
import json
import math
from pathlib import Path
from typing import Any

import pytest

from bot.checker.engine import (
    MODEL_SUSPICIOUS,
    MODEL_SUSPICIOUS_UNPROMPTED,
    MODEL_VETO,
    Checker,
    Verdict,
)
from bot.checker.handlers import feature, mask
from bot.checker.model import Model
from bot.checker.normalize import normalize, spell
from bot.checker.rules import load_rules
from bot.i18n import Translator
from tests.conftest import (
    Harness,
    both_dialects,
    database_url_for,
    make_settings,
    start_harness,
    stop_harness,
)
from tests.test_triage import (
    answer_all,
    consent,
    last_message_with_buttons,
    pick,
    stored_values,
)

CORPUS_LINES = [json.loads(x) for x in (Path(__file__).resolve().parent.parent / "corpus"
                                        / "messages.jsonl").read_text(encoding="utf-8").splitlines()
                if x.strip()]

# The store-level and harness tests run on SQLite and on PostgreSQL.
dialect = both_dialects

RULES = load_rules(Translator())
CHECKER = Checker(RULES)
ADMIN = 900


@pytest.mark.parametrize(("text", "plain"), [
    ("注 销.白-条", "注销白条"),
    ("註銷白條", "注销白条"),
    ("ＪＤ．ＣＯＭ", "jdcom"),
    ("注💰销白😀条", "注销白条"),
])
def test_normalisation(text: str, plain: str) -> None:
    assert normalize(text).plain == plain


def test_sound_matches_keep_syllables_whole_and_quote_the_original() -> None:
    norm = normalize("zhu销bai条，影响正信")
    start = norm.sounds.find(spell("注销白条"))
    span = norm.sound_span(start, start + len(spell("注销白条")))
    assert span is not None and norm.quote(*span) == "zhu销bai条"
    # "xiao" inside 小 + the next syllable must not match half a character.
    assert normalize("想").sound_span(1, 5) is None


@pytest.mark.parametrize(("text", "verdict", "kind"), [
    ("您好，我是京东金融客服，您的白条需要注销，否则会影响征信", Verdict.SCAM, "cancel_credit"),
    ("註銷白條，否則影響徵信", Verdict.SCAM, "cancel_credit"),
    ("zhu销bai条，不然影响正信", Verdict.SCAM, "cancel_credit"),
    ("注 销 白 条 否 则 影 响 征 信", Verdict.SCAM, "cancel_credit"),
    ("您的百万保障免费期结束，将开始自动扣费，请联系取消", Verdict.SCAM, "baiwan_baozhang"),
    ("您的快递丢失，我们给您双倍赔偿，请加理赔群", Verdict.SCAM, "parcel_compensation"),
    ("请下载腾讯会议，输入会议号后开启屏幕共享", Verdict.SCAM, "screen_share"),
    ("请把资金转到安全账户进行资金核查", Verdict.SCAM, "safe_account"),
    ("我是网警，可以帮你追回被骗的钱，需要先交保证金", Verdict.SCAM, "recovery"),
    ("Click http://jd.com-refund.cn to get your refund", Verdict.SCAM, "phishing_link"),
    ("把收到的验证码发给我，我帮你处理", Verdict.SUSPICIOUS, "code_request"),
    # An English victim gets what a Chinese one gets: the red flags quoted back, the known scam
    # and its truth, and a recovery offer the strongest answer.
    ("This is JD Finance. According to new regulations, student loan accounts must be closed "
     "or it will damage your credit score.", Verdict.SCAM, "cancel_credit"),
    ("Your free trial of Million Protection has ended and you will be charged 500 yuan every "
     "month. Press 1 to cancel.", Verdict.SCAM, "baiwan_baozhang"),
    ("Dear customer, your parcel was lost by our courier. We will pay you double compensation. "
     "Please add our claims group.", Verdict.SCAM, "parcel_compensation"),
    ("I am a certified fund recovery agent. I can get your lost money back from the scammers, "
     "just pay a 10% processing fee first.", Verdict.SCAM, "recovery"),
    ("We are a team of ethical hackers and recovered $50,000 for victims last month. Contact us "
     "to get your stolen funds back.", Verdict.SCAM, "recovery"),
    ("This is the cyber police. We froze the scammer's account; to release your money, pay a "
     "deposit of 2000 yuan.", Verdict.SCAM, "recovery"),
    ("Please read me the 6-digit code you just received so I can verify your identity.",
     Verdict.SUSPICIOUS, "code_request"),
    ("Earn 300 a day! Just like videos and write reviews. Pay a small deposit to start.",
     Verdict.SUSPICIOUS, "brushing_parttime"),
    ("Join our VIP stock group, our teacher guarantees 30% returns per week.",
     Verdict.SUSPICIOUS, "investment"),
    ("Hi Mum, I dropped my phone, this is my new number. Can you send me some money for a bill?",
     Verdict.SUSPICIOUS, "fake_relative"),
    ("爸，我出事了，被公安抓了，急用钱，打到这张卡上，先别告诉妈",
     Verdict.SUSPICIOUS, "fake_relative"),
])
def test_known_scripts(text: str, verdict: Verdict, kind: str) -> None:
    result = CHECKER.check(text)
    assert result.verdict is verdict or (
        verdict is Verdict.SUSPICIOUS and result.verdict is Verdict.SCAM), result
    assert result.kind == kind, result
    assert result.flags and all(f.quote and f.quote in text for f in result.flags), (
        "every red flag is quoted back as written")
    assert RULES.kind(kind).truth


@pytest.mark.parametrize("text", [
    "京东不会要求你注销白条，接到这种电话请挂断",
    "警方提醒：不要共享屏幕，不要把验证码告诉任何人",
    "【京东】验证码482913，请勿泄露给他人。",
    "您的订单已发货，预计明天送达",
    "退款已原路退回到您的支付账户",
    "明天一起吃饭吗",
    "https://item.jd.com/100012043978.html 这个好用吗",
    "Your order has shipped and will arrive tomorrow.",
    "Reminder: JD will never ask you to share your screen or cancel your Baitiao.",
    "Your refund of 199 yuan has been returned to your original payment method.",
    "Scammers may say your parcel was lost and offer double compensation. Ignore them.",
    "Hello, Baitiao does not need to be cancelled and not using it does not affect your credit.",
    "Your bank will never ask you to move money to a safe account. Hang up and call 110.",
    "Is this a scam? Someone asked me to share my screen to get a refund.",
    "明天上午十点腾讯会议开组会，会议号老地方",
    # Retold calls and passed-on warnings (a user trial found the English ones called scams).
    "My dad nearly got scammed: a man said he was from the police, that his account was linked"
    " to money laundering and he had to move his savings to a safe account.",
    "I got a text saying my parcel was lost and they would pay double compensation, I just"
    " deleted it.",
    "Heads up everyone: people are calling pretending to be JD customer service asking you to"
    " cancel your Baitiao. It's a scam, just hang up.",
    "A guy on Telegram offered to recover the money I lost for a 10% fee. I blocked him.",
    "我妈接到电话说包裹丢了要双倍赔偿，让她加群，我让她别理。",
    "刚才有个自称网警的人说能帮我追回被骗的钱，要先交保证金，我没理他。",
])
def test_hard_negatives_are_not_flagged(text: str) -> None:
    assert CHECKER.check(text).verdict in (Verdict.UNKNOWN, Verdict.SPAM), text


def test_advertising_is_spam_not_scam() -> None:
    assert CHECKER.check("双11大促，满减优惠券限时领取，回TD退订").verdict is Verdict.SPAM


def test_a_code_is_warned_about_and_similarity_finds_rewordings() -> None:
    result = CHECKER.check("【京东】验证码482913，请勿泄露给他人。")
    assert result.has_secret
    checker = Checker(RULES, examples=["恭喜您获得京东内部员工福利名额请添加微信领取"])
    assert checker.check("恭喜您获得京东内部员工福利名额，请添加微信领取！").similar > 0.9
    assert checker.check("恭喜您获得京东内部员工福利名额，请添加微信领取！").verdict is (
        Verdict.SCAM)


def test_mask_hides_digit_runs() -> None:
    assert mask("卡号 6222021234567890 验证码 482913 ok 12") == (
        "卡号 ################ 验证码 ###### ok 12")


# ---- through the Application ------------------------------------------------------------------


@pytest.fixture
async def h(tmp_path: Any, dialect: str, request: pytest.FixtureRequest) -> Any:
    from tests.conftest import FakeClock

    settings = make_settings(tmp_path, admin_ids=str(ADMIN),
                             database_url=database_url_for(request, dialect))
    harness = await start_harness(settings, FakeClock())
    try:
        yield harness
    finally:
        await stop_harness(harness)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
async def test_check_command_answers_with_verdict_flags_and_truth(h: Harness,
                                                                  lang: str) -> None:
    await h.send("/check 您的白条需要注销，否则影响征信，请开启屏幕共享", lang=lang)
    text = h.last_text(1)
    assert text.startswith(h.t("checker-verdict-scam", lang))
    assert "«" in text and "注销" in text and "征信" in text
    assert h.t("checker-advice-scam", lang) in text
    kinds = [k for k in RULES.kinds if h.t(k.truth, lang) in text]
    assert kinds, "the truth about the scam it resembles"
    await h.send("/check", lang=lang)
    assert h.last_text(1) == h.t("checker-prompt", lang)


async def test_a_forwarded_code_sms_is_checked_and_nothing_is_stored(h: Harness) -> None:
    body = {
        "message_id": 5, "date": 0, "chat": {"id": 1, "type": "private"},
        "from": {"id": 1, "is_bot": False, "first_name": "U", "language_code": "zh-CN"},
        "forward_origin": {"type": "hidden_user", "date": 0, "sender_user_name": "x"},
        "text": "【京东】验证码482913，用于修改支付密码，请勿泄露。",
    }
    await h.app.process_update(h.updates.raw({"message": body}))
    text = h.last_text(1)
    assert h.t("checker-secret-warning") in text
    dump = await stored_values(h)
    assert "482913" not in dump


async def test_stray_scam_text_gets_the_checker_and_other_text_the_pointer(
        h: Harness) -> None:
    await consent(h)
    await pick(h, ["unknown_orders"])
    await answer_all(h)
    await h.send("客服说我的快递丢失了，要给我双倍赔偿，让我加理赔群")
    assert h.last_text(1).startswith(h.t("checker-verdict-scam"))
    await h.send("好的谢谢")
    assert h.last_text(1) == h.t("fallback-planned", case=1)


async def test_reports_reach_admins_and_a_confirmed_scam_is_matched(h: Harness) -> None:
    message = "恭喜您获得京东内部员工福利名额，添加客服微信 wx12345678 领取"
    await consent(h)
    await h.send("/check " + message)
    before = feature(h.svc).checker.check(message).verdict
    await h.press(h.t("btn-checker-wrong"))
    assert h.alerts()[-1] == h.t("checker-report-thanks")
    await h.send("/reports", user=2)
    assert h.last_text(2) == h.t("reports-only-admins")
    await h.send("/reports", user=ADMIN)
    shown = h.last_text(ADMIN)
    assert "########" in shown and "12345678" not in shown, "digits are masked"
    message_with_buttons = dict(last_message_with_buttons(h, ADMIN))
    await h.press(h.t("btn-report-scam"), user=ADMIN)
    assert h.saw(ADMIN, "reports-done", id=1, decision=h.t("btn-report-scam"))
    after = feature(h.svc).checker.check(message.replace("，", " "))
    assert before is not Verdict.SCAM and after.verdict is Verdict.SCAM and after.similar > 0.9
    # Deciding twice is stale; a report can become an alert draft in one step.
    await h.press_data("cr:1:s", message_with_buttons, user=ADMIN)
    assert h.alerts()[-1] == h.t("button-stale")
    await h.press_data("cr:1:a", message_with_buttons, user=ADMIN)
    assert h.saw(ADMIN, "alert-confirm", users=0, groups=0)


async def test_a_message_cleared_by_admins_counts_against_calling_its_like_a_scam(
        h: Harness) -> None:
    """A false positive reported and marked "not a scam" becomes a neighbour that votes so:
    the same message, and one that says the same, score lower from then on."""
    message = "Are we still on for lunch tomorrow? I booked the usual place for 12:30."
    checker = feature(h.svc).checker
    assert checker.neighbours is not None
    size, before = len(checker.neighbours), checker.check(message).probability
    await consent(h, lang="en")
    await h.send("/check " + message, lang="en")
    await h.press(h.t("btn-checker-wrong", "en"))
    await h.send("/reports", user=ADMIN)
    await h.press(h.t("btn-report-not"), user=ADMIN)
    assert h.saw(ADMIN, "reports-done", id=1, decision=h.t("btn-report-not"))
    checker = feature(h.svc).checker
    assert checker.neighbours is not None and len(checker.neighbours) == size + 1
    after = checker.check(message).probability
    assert before is not None and after is not None and after < before
    # The stored report is masked: the index holds that, once however often it is cleared.
    checker.add_cleared([mask(message)])
    assert len(checker.neighbours) == size + 1
    # Started again, the bot reads the decided reports back (their embedding in the background).
    again = await start_harness(h.settings, h.clock)
    try:
        other = feature(again.svc).checker
        for _ in range(400):
            if other.neighbours is not None and len(other.neighbours) == size + 1:
                break
            await asyncio.sleep(0.05)
        assert other.neighbours is not None and len(other.neighbours) == size + 1
        assert other.check(message).probability == after
    finally:
        await stop_harness(again)


GROUP = -100777
SCAM = "您好我是京东金融客服，您的白条需要注销，否则影响征信，请下载腾讯会议开启屏幕共享"


async def test_group_guard_is_opt_in_admin_only_and_rate_limited(h: Harness) -> None:
    from bot.checker import guard

    guard._last_warning.clear()
    calls = await h.send(SCAM, user=5, chat_id=GROUP, chat_type="supergroup")
    assert not [c for c in calls if c.method == "sendMessage"], "off unless an admin opts in"
    await h.send("/guard warn", user=6, chat_id=GROUP, chat_type="supergroup")
    assert h.last_text(GROUP) == h.t("guard-admins-only")
    h.api.chat_members[(GROUP, 5)] = "administrator"
    await h.send("/guard warn", user=5, chat_id=GROUP, chat_type="supergroup")
    assert h.last_text(GROUP) == h.t("guard-status", mode="warn")
    # Ordinary talk, and a merely suspicious message, are left alone.
    for quiet in ("明天开会别迟到", "把收到的验证码发给我"):
        calls = await h.send(quiet, user=7, chat_id=GROUP, chat_type="supergroup")
        assert not [c for c in calls if c.method == "sendMessage"], quiet
    calls = await h.send(SCAM, user=7, chat_id=GROUP, chat_type="supergroup")
    warned = [c for c in calls if c.method == "sendMessage"]
    assert len(warned) == 1
    assert warned[0].params.get("reply_to_message_id") or warned[0].params.get(
        "reply_parameters"), "the warning answers the scam message itself"
    calls = await h.send(SCAM, user=8, chat_id=GROUP, chat_type="supergroup")
    assert not [c for c in calls if c.method == "sendMessage"], "one warning per interval"


async def test_group_guard_delete_mode_needs_the_right(h: Harness) -> None:
    from bot.checker import guard

    guard._last_warning.clear()
    h.api.chat_members[(GROUP, 5)] = "creator"
    await h.send("/guard delete", user=5, chat_id=GROUP, chat_type="supergroup")
    assert h.last_text(GROUP) == h.t("guard-needs-delete-right")
    h.api.chat_members[(GROUP, h.app.bot.id)] = "administrator"
    await h.send("/guard delete", user=5, chat_id=GROUP, chat_type="supergroup")
    assert h.last_text(GROUP) == h.t("guard-status", mode="delete")
    calls = await h.send(SCAM, user=7, chat_id=GROUP, chat_type="supergroup")
    assert [c.method for c in calls if c.method in ("deleteMessage", "sendMessage")] == [
        "deleteMessage", "sendMessage"]
    await h.send("/guard off", user=5, chat_id=GROUP, chat_type="supergroup")
    assert h.last_text(GROUP) == h.t("guard-status", mode="off")


def scam_screenshot() -> bytes:
    """A chat screenshot with a scammer's words, rendered with the repository's CJK font."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    from bot.evidence.pdf import FONT_FILE

    image = Image.new("RGB", (720, 360), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT_FILE), 30)
    for i, line in enumerate(["京东金融客服：您的白条需要注销", "否则影响征信，请下载腾讯会议",
                              "开启屏幕共享配合操作"]):
        draw.text((30, 40 + i * 90), line, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


async def test_a_screenshot_captioned_check_is_read_offline_and_checked(h: Harness) -> None:
    before = len(h.api.calls)
    await h.app.process_update(h.updates.file(1, scam_screenshot(), photo=True, caption="/check"))
    calls = h.api.calls[before:]
    assert [c.method for c in calls][:1] == ["sendChatAction"]
    text = h.last_text(1)
    assert text.startswith(h.t("checker-verdict-scam")), text
    assert "征信" in text
    dump = await stored_values(h)
    assert "屏幕共享" not in dump and "征信" not in dump, "OCR text is never stored"


@pytest.mark.parametrize("text", ["500", "你好，我现在该怎么办？", "好的谢谢", "金额改成500",
                                  "我的快递到了吗", "hello"])
async def test_ordinary_stray_text_is_not_answered_with_a_warning(h: Harness, text: str) -> None:
    await consent(h)
    await pick(h, ["unknown_orders"])
    await answer_all(h)
    await h.send(text)
    assert not h.last_text(1).startswith(h.t("checker-verdict-suspicious"))
    assert not h.last_text(1).startswith(h.t("checker-verdict-scam"))


def test_the_shipped_model_is_trained_on_the_current_train_split() -> None:
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    lines = [json.loads(x) for x in (root / "corpus" / "messages.jsonl").read_text(
        encoding="utf-8").splitlines() if x.strip()]
    train = sum(1 for x in lines if x["split"] == "train")
    shipped = json.loads((root / "bot" / "checker" / "model.json").read_text(encoding="utf-8"))
    assert shipped["trained_on"].endswith(f"({train} lines)"), (
        "run scripts/train_checker.py after changing the corpus")
    # The model runs nothing on load: plain numbers only.
    assert all(isinstance(v, list) and len(v) == 2 for v in shipped["vocab"].values())
    # It was fitted with what the rules found (bot.checker.engine.marks) beside the n-grams.
    assert any(g.startswith("f:") for g in shipped["vocab"]) and "m:warning" in shipped["vocab"]


def test_the_rules_marks_fed_to_the_classifier() -> None:
    from bot.checker.engine import marks

    _, flags, warning = CHECKER.signals("警方提醒：不要共享屏幕")
    assert warning and marks(flags, warning)[-1] == "m:warning"
    _, flags, warning = CHECKER.signals("请下载腾讯会议，输入会议号后开启屏幕共享")
    assert marks(flags, warning) == ["f:meeting_app", "f:screen_share"] and not warning


@pytest.mark.parametrize(("text", "kind"), [
    ("Please install AnyDesk so I can process your refund from my side.", "screen_share"),
    ("Sorry, I sent a 6-digit code to your number by mistake, can you send me the code?",
     "code_request"),
    ("Our lawyers can get your money back, just pay the recovery fee first.", "recovery"),
    ("Your account has been suspended. Verify your account at http://jd.com-secure.top now",
     "phishing_link"),
    ("Hi mum, I've dropped my phone, this is my new number, can you text me on WhatsApp?",
     "fake_relative"),
])
def test_english_scripts_raise_red_flags(text: str, kind: str | None) -> None:
    result = CHECKER.check(text)
    assert result.verdict in (Verdict.SCAM, Verdict.SUSPICIOUS), result
    assert result.kind == kind


def test_the_classifier_alone_needs_more_on_unprompted_text() -> None:
    # Asked to check, a probability over the threshold chosen on train CV is enough; typed with
    # no question open it is not, even beside a red flag, until the stricter one.
    assert MODEL_SUSPICIOUS < MODEL_SUSPICIOUS_UNPROMPTED
    between = (MODEL_SUSPICIOUS + MODEL_SUSPICIOUS_UNPROMPTED) / 2
    assert Checker._model_says(between, 1.0, 0.0, 20, unprompted=False)
    assert not Checker._model_says(between, 1.0, 0.0, 20, unprompted=True)
    assert Checker._model_says(MODEL_SUSPICIOUS_UNPROMPTED + 0.02, 1.0, 0.0, 20, unprompted=True)
    assert not Checker._model_says(MODEL_SUSPICIOUS - 0.03, 0.0, 0.0, 20, unprompted=False)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
async def test_a_verdict_without_a_phrase_to_quote_says_what_it_rests_on(h: Harness,
                                                                         lang: str) -> None:
    checker = feature(h.svc).checker
    lines = CORPUS_LINES
    # A train-split opener with no red-flag phrase that the shipped classifier still catches
    # (scam lines are confirmed examples, so those are caught by their resemblance instead).
    model_only = next(x["text"] for x in lines if x["split"] == "train"
                      and x["label"] == "suspicious"
                      and checker.check(x["text"]).reasons == ("model",))
    await h.send("/check " + model_only, lang=lang)
    text = h.last_text(1)
    assert text.startswith(h.t("checker-verdict-suspicious", lang))
    assert h.t("checker-why-model", lang) in text
    # Red flags too weak alone, with the classifier's reading: both named.
    flags_and_model = next(x["text"] for x in lines if x["split"] == "train"
                           and x["label"] == "suspicious"
                           and checker.check(x["text"]).reasons == ("model+rules",))
    await h.send("/check " + flags_and_model, lang=lang)
    text = h.last_text(1)
    assert text.startswith(h.t("checker-verdict-scam", lang)) and "«" in text
    assert h.t("checker-why-model-flags", lang) in text
    assert h.t("checker-why-model", lang) not in text
    # A rewording of a confirmed scam with nothing in it the rules know: the resemblance, in %.
    checker.add_examples(["恭喜您获得京东内部员工福利名额请添加客服企鹅号领取礼品"])
    await h.send("/check 恭喜您获得京东内部员工福利名额，请添加客服企鹅号领取礼品！", lang=lang)
    text = h.last_text(1)
    assert text.startswith(h.t("checker-verdict-scam", lang))
    assert h.t("checker-why-similar", lang, percent=100) in text


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
async def test_suspicious_advice_fits_a_scam_that_is_not_about_jd(h: Harness, lang: str) -> None:
    """'Check with JD customer service yourself' does not help with a fake relative: the advice
    is the kind's own where it has one."""
    text = ("Hi Mum, I dropped my phone, this is my new number. "
            "Can you send me some money for a bill?")
    # The red flags alone (the shipped classifier may call this text a scam outright, whose
    # advice is the general one, checked below).
    feature(h.svc).checker.model = None
    result = feature(h.svc).checker.check(text)
    assert result.verdict is Verdict.SUSPICIOUS and result.kind == "fake_relative", result
    await h.send("/check " + text, lang=lang)
    shown = h.last_text(1)
    assert h.t("checker-advice-fake-relative", lang) in shown
    assert h.t("checker-advice-suspicious", lang) not in shown
    # A scam keeps the general advice (hang up, report, 110).
    await h.send("/check 我是网警，可以帮你追回被骗的钱，需要先交保证金", lang=lang)
    assert h.t("checker-advice-scam", lang) in h.last_text(1)


def test_red_flags_the_classifier_firmly_rejects_do_not_decide() -> None:
    """A warning or a retold call uses the scam's words; when the classifier (which sees the
    same flags) is sure the message is not one, the flags alone do not make it a scam."""
    text = "我爸差点被骗，有人说他涉嫌洗钱，要把钱转到安全账户，还好银行柜员拦下来了。"
    rules = load_rules()
    assert Checker(rules).check(text).verdict is Verdict.SCAM  # the rules alone say scam
    sure_not = Model({}, {}, -5.0)  # probability 0.007 whatever the text
    vetoed = Checker(rules, sure_not).check(text)
    assert vetoed.verdict is Verdict.UNKNOWN and vetoed.flags and vetoed.probability is not None
    # Above the veto, below the classifier's own threshold: the flags decide.
    p = (MODEL_VETO + MODEL_SUSPICIOUS) / 2
    unsure = Model({}, {}, math.log(p / (1 - p)))
    result = Checker(rules, unsure).check(text)
    assert result.verdict is Verdict.SCAM and result.probability is not None
    assert MODEL_VETO < result.probability < MODEL_SUSPICIOUS


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
async def test_scam_words_in_a_message_not_called_a_scam_are_explained(h: Harness,
                                                                       lang: str) -> None:
    checker = feature(h.svc).checker
    checker.model = Model({}, {}, -5.0)
    retold = "我爸差点被骗，有人说他涉嫌洗钱，要把钱转到安全账户，还好银行柜员拦下来了。"
    await h.send("/check " + retold, lang=lang)
    text = h.last_text(1)
    assert text.startswith(h.t("checker-verdict-unknown", lang))
    assert h.t("checker-flags-intro-mild", lang) in text and "«安全账户»" in text
    assert h.t("checker-flags-context", lang) in text
    assert h.t("checker-flags-intro", lang) not in text
    # A scam keeps "red flags found" and no excuse for them.
    checker.model = None
    await h.send("/check 你涉嫌洗钱，请把钱转到安全账户配合调查，不要告诉家人。", lang=lang)
    text = h.last_text(1)
    assert text.startswith(h.t("checker-verdict-scam", lang))
    assert h.t("checker-flags-intro", lang) in text
    assert h.t("checker-flags-context", lang) not in text
