## Checking a suspicious message: forward or paste it, get a verdict and its red flags

cmd-check = Check a suspicious message
checker-prompt = Send me the suspicious SMS, chat or the caller's words: paste them here as your reply, or forward the message to me. I don't store it.
checker-prompt-placeholder = Paste the suspicious message here
checker-no-text = That forward has no text. Forward a text message, or paste the words after /check.
checker-verdict-scam = 🚨 <b>This is a scam.</b>
checker-verdict-suspicious = ⚠️ <b>Suspicious: be careful.</b>
checker-verdict-spam = 📢 <b>This looks like spam or advertising.</b>
checker-verdict-unknown = ℹ️ <b>No known scam pattern found.</b> That doesn't make it safe: I can only compare it with known scripts.
checker-secret-warning = 🛑 This message holds a code or password: <b>don't give it to anyone</b>, including people who say they are JD or the police. I don't store it.
checker-flags-intro = <b>Red flags found:</b>
checker-flags-intro-mild = <b>It uses words that scams often use:</b>
checker-flags-context = The message as a whole reads like a warning or ordinary talk, so I did not call it a scam.
checker-flag-lookalike = The link borrows JD's name but is not JD's official site.
checker-flag-odd-caller = A number starting with +, 00 or 192: scam calls often use these.
checker-flag-link = There is a link: don't open it or type anything into it.
checker-why-similar = <b>Why:</b> it is { $percent }% similar to a confirmed scam message.
checker-why-model = <b>Why:</b> no single phrase gives it away, but the message as a whole reads like the scam messages I learned from (a statistical judgement that can be wrong: when unsure, check first).
checker-why-model-flags = <b>Why:</b> the red flags above, together with how much the whole message reads like the scam messages I learned from.
checker-resembles = <b>It resembles this known scam:</b> { $kind }
checker-advice-scam = <b>What to do now:</b> don't reply, don't open links, don't transfer money, hang up. Report it in the 国家反诈中心 App or to 12321. If money already moved: call 110 now, then send /start and I'll help.
checker-advice-suspicious = <b>What to do now:</b> don't do what they ask yet. Check with the company or person yourself: their official app (for JD, the JD app's customer service) or a number you already had; never use a number or link from the message. If money already moved: call 110 now, then send /start.
checker-advice-brushing = <b>What to do now:</b> don't pay anything up front: no deposits, membership fees or "tasks" you pay for, and don't install their app. Jobs that make you pay first and promise commission later are scams. If money already moved: call 110 now, then send /start.
checker-advice-investment = <b>What to do now:</b> don't join the group, install their app, top up or transfer. Real investments never guarantee returns. If money already moved: call 110 now, then send /start.
checker-advice-fake-relative = <b>What to do now:</b> don't send money yet. Call them on the number you already had saved, or ask in person; check all the more if they say not to call or not to tell anyone. If money already moved: call 110 now, then send /start.
checker-advice-spam = To stop it, unsubscribe the way the message says; don't open links you don't trust.
checker-advice-unknown = If anyone asks you to transfer money, give a code, share your screen or install an app, stop and check first, however real they sound.
btn-checker-wrong = 🙋 This verdict is wrong
btn-checker-case = 🆘 I already lost money: get help
checker-report-thanks = Thanks: sent to the admins for review (digits hidden).
checker-report-expired = This check has expired; forward the message again to report it.
reports-only-admins = Only the bot's admins can see reports.
reports-empty = No reports waiting for review.
reports-line = <b>Report #{ $id }</b> · { $date } · verdict: { $verdict } · kind: { $kind }
btn-report-scam = ✅ A scam
btn-report-not = ❌ Not a scam
btn-report-alert = 📣 Send a scam alert
reports-decided = Saved
reports-done = Report #{ $id }: { $decision }
checker-alert-body = ⚠️ Users have received scam messages like this one; be careful: { $text }

checker-kind-cancel-credit = "Cancel your 白条/金条 or your credit record suffers"
checker-truth-cancel-credit = The truth: JD never asks anyone to cancel 白条, 金条 or a "student account", nor to install meeting software or share a screen. Anyone asking you to move money to a "safe account" is a scammer.
checker-kind-baiwan = "Your 百万保障 cover starts charging"
checker-truth-baiwan = The truth: 百万保障 is free and automatic; there is nothing to cancel and nothing is charged.
checker-kind-parcel = "Your parcel was lost: double compensation"
checker-truth-parcel = The truth: couriers compensate the seller; refunds go back the original way inside the app, with no group chats, QR codes, card details or codes.
checker-kind-screen-share = "Join a meeting and share your screen"
checker-truth-screen-share = The truth: a shared screen shows them your codes and passwords. Hang up, stop sharing, uninstall the app they had you install, and freeze the account if needed.
checker-kind-code = "Send me the verification code"
checker-truth-code = The truth: anyone asking for a code is a scammer. An unexpected JD code means someone is using your account right now.
checker-kind-safe-account = "Move your money to a safe account"
checker-truth-safe-account = The truth: there is no "safe account". Real police and real customer service never ask you to transfer money.
checker-kind-recovery = "Pay us and we'll recover your loss" (a recovery scam)
checker-truth-recovery = The truth: every online offer to recover money for a fee is a scam, whether from "hackers", "lawyers", "recovery centres" or "cyber police". Only the police can recover money.
checker-kind-fake-refund = "Customer service will refund you"
checker-truth-fake-refund = The truth: JD refunds go back the original way inside the app; you never need to borrow, open a credit line or transfer money.
checker-kind-brushing = "Part-time order brushing: pay first, earn commission"
checker-truth-brushing = The truth: order brushing is illegal in itself, and "pay first, commission later" jobs are all scams.
checker-kind-investment = "Guaranteed high-return investment"
checker-truth-investment = The truth: investments that promise sure profits, "trading mentors" or insider tips are scams.
checker-kind-phishing = "A link that imitates JD"
checker-truth-phishing = The truth: JD's address is jd.com; other addresses that borrow JD's name are phishing sites. Don't type anything into them.
checker-kind-fake-relative = "It's me, your relative, friend or boss: I need money now"
checker-truth-fake-relative = The truth: scammers take over or imitate the accounts of relatives, friends, bosses and teachers, say they changed number or are in trouble, and ask for money. Call them on the number you already had, or see them, before sending anything.

guard-groups-only = /guard works in groups, for their admins.
guard-admins-only = Only this group's admins can set the scam guard.
guard-usage = Usage: /guard warn (warn about scam messages), /guard delete (delete them and warn; needs the right to delete messages), /guard off.
guard-status = The scam guard in this group: { $mode ->
        [warn] on, warning about scam messages
        [delete] on, deleting scam messages and warning
       *[off] off
    }
guard-needs-delete-right = "Delete and warn" is on, but I can't delete messages yet: give me the "Delete messages" right in the group settings; until then I only warn.
guard-warning = ⚠️ This message looks very much like a scam ({ $kind }). Don't open links, transfer money or give codes; message me /check for details.
guard-deleted = ⚠️ I deleted a message that looked very much like a scam ({ $kind }). Don't open unknown links, transfer money or give codes.

checker-image-too-big = That image is over 20 MB, more than I can download. Send a smaller screenshot.
checker-ocr-busy = Too many screenshots are being read right now; try again in a minute.
checker-ocr-failed = I couldn't read that image. Send a clear screenshot, or paste the words after /check.
checker-ocr-empty = I found no text in that screenshot. Paste the words after /check instead.
