## First conversation: consent, symptoms, emergency steps, questions, verdict and plan

welcome =
    🚨 <b>If money is leaving right now: call 110 first, then the number on the back of your bank card to freeze it</b>, and come back after.

    👋 Hello, I'm the <b>JD Recovery Bot</b>.
    If your JD.com account was stolen or misused, I'll walk you through it step by step:
    • first, what to do <b>right now</b> to stop further loss;
    • then a few short questions to assess whether JD's theft protection may cover the loss;
    • then the evidence checklist for your case, how to file the claim in the JD app, and a record of your progress.
    { bot-identity }
bot-identity = ℹ️ I am not JD and not the police. I never charge, and I will never ask you to transfer money or for a code, a password, a full card number or an ID number.
privacy-short =
    🔒 <b>Privacy</b>: I store case data (the situation you pick, your answers, progress and any evidence you file) only if you agree. You can export it with /export and delete it with /delete at any time; closed cases are deleted automatically after a set period. If you don't agree, you still get the emergency steps, but no case data is kept (the chat history itself stays in Telegram, under your control). Details: /privacy.
btn-consent-yes = ✅ Agree and start
btn-consent-no = 🚨 Don't store, just the emergency steps
consent-thanks = Your consent is recorded. Let's begin.
anon-note = (Not stored: I keep none of your choices or ticks; the chat history itself stays in Telegram.)
anon-after =
    Those are the emergency steps. For the full plan (whether JD's theft protection may cover the loss, your evidence checklist, claim steps and follow-up reminders) I need to store your case: press "Agree to storage" under the emergency steps, and what you picked and ticked is kept.
resume-offer =
    You have an open case <b>#{ $case }</b> (now at: { $step }).
    Continue it, or open a new one?
btn-resume = ▶️ Continue the case
btn-new-case = ➕ Open a new case
private-only = Please message me privately about your case; a group is no place for personal details.

step-plan-ready = plan ready
step-name-symptoms = choosing what you see
step-name-emergency = emergency steps
step-name-choice = answering a question
step-name-amount = entering the amount lost
step-name-verdict = working out the verdict

triage-symptoms-prompt =
    <b>What do you see?</b>
    Pick all that apply: tap to select (✅), tap again to clear, then press Done.
symptom-unknown-orders = Orders I don't recognise
symptom-balance-card = Balance dropped or linked card charged
symptom-baitiao = Someone used my 白条 (Baitiao) credit
symptom-jintiao = Someone took a 金条 (Jintiao) loan
symptom-ecard-coupons = JD E-card or coupons used up
symptom-binding-changed = Bound phone or email changed
symptom-unknown-login = Login from an unknown device
symptom-suspicious-code = Suspicious SMS code or call
symptom-other = Something else
btn-done = Done ✔️
symptoms-none = Please pick at least one before pressing Done.
symptoms-chosen = What you see:

triage-emergency-prompt =
    <b>Do these first, the sooner the better:</b>
    Tick each one off with its button as you go.
emergency-urgent = 🚨 <b>Money may still be leaving:</b> call 110 first and the number on the back of your bank card. An emergency stop-payment usually has only a short window (police often speak of about 30 minutes).
emergency-added = ⚠️ <b>Because of your answer, do this first:</b>
emergency-stop-scammer = <b>Cut off the other side now</b>: hang up, stop the screen sharing or meeting, uninstall the app they had you install; do not transfer, borrow or read out any code to them again. Then do the other steps.
emergency-stop-scammer-short = Hang up, stop sharing, uninstall
emergency-call-110 = Call <b>110</b>: say your account was misused and money has just left or is leaving, and ask for an emergency stop-payment (police often speak of about 30 minutes).
emergency-call-110-short = Call 110
emergency-call-bank = Call the number on the back of your card to <b>freeze the card that was charged, or the card a 金条 loan was paid into and then moved from</b>, and ask whether unfinished transactions can be stopped.
emergency-call-bank-short = Call the bank, freeze the card
emergency-change-passwords = Change your JD <b>login password</b> and <b>payment password</b>; don't reuse a password from another site.
emergency-change-passwords-short = Change both passwords
emergency-check-bindings = In Account Security (账户安全), check the <b>bound phone number and email</b> were not changed, and remove devices you don't know.
emergency-check-bindings-short = Check bound phone/email
emergency-freeze-pay = Contact customer service in the JD app (我的 → 客户服务) and ask them to <b>freeze JD Pay</b> and any payment tool at risk (usually possible through in-app customer service).
emergency-freeze-pay-short = Freeze JD Pay
emergency-freeze-baitiao = <b>Freeze 白条</b> through in-app customer service; its settings usually also offer a lock (锁定白条) you can switch on yourself.
emergency-freeze-baitiao-short = Freeze / lock 白条
emergency-freeze-jintiao = <b>Freeze 金条</b> through in-app customer service and say you did not apply for the loan.
emergency-freeze-jintiao-short = Freeze 金条
emergency-password-free-off = Turn off <b>password-free small payments</b> (小额免密), usually under 我的 → 设置 → 支付设置 → 小额免密.
emergency-password-free-off-short = Turn off 小额免密
emergency-lock-account = Consider <b>locking the account</b>, usually under Account Security → 账号锁定管理; locking usually logs out every session.
emergency-lock-account-short = Lock the account
emergency-recover-phone = If the bound phone was changed and codes don't reach you: use "can't receive code" (无法接收验证码) on the login page to appeal; manual unbinding usually takes 1–3 working days. Until then you may not be able to change the password, so first have in-app customer service freeze JD Pay, 白条 and 金条.
emergency-recover-phone-short = Recover the bound phone
emergency-never-share-code = <b>Never give a code to anyone</b>, including people who say they are JD customer service or the police. An unexpected JD code means someone is trying to log in or use your account right now.
emergency-never-share-code-short = Never share a code
btn-proceed = Next: a few questions →
tick-saved = Saved

q-noticed = <b>When did you notice?</b>
q-noticed-hour = Within the last hour
q-noticed-today = Today
q-noticed-week = This week
q-noticed-earlier = Earlier
q-amount =
    <b>Roughly how much was lost?</b> (including 白条, 金条 and E-card amounts)
    Just type the number, e.g. <code>1299.5</code>, <code>1,299元</code> or <code>¥300</code>. Not sure? Press the button below.
q-amount-invalid = I couldn't read that amount. Please type just the number, e.g. <code>1299.5</code> or <code>¥300</code>, or press "Not sure".
q-amount-unknown = Not sure / still adding up
q-cause = <b>How might it have happened?</b> (Answer honestly: it decides which road comes first, JD or the police.)
q-cause-code-shared = I read out or forwarded an SMS code to someone
q-cause-remote = A caller had me share my screen or install an app
q-cause-talked-into = A caller talked me into borrowing or transferring money myself
q-cause-phishing = I typed my account details into a link or app
q-cause-off-platform = The deal happened outside JD (WeChat, QQ, a second-hand site)
q-cause-shared = I shared the password with someone (family, friends)
q-cause-known-person = Someone I know (family, a friend) may have used it
q-cause-none = None of these: I did nothing
q-cause-unsure = Not sure
q-police = <b>Have you reported it to the police?</b>
q-police-reported = Yes, reported
q-police-not-yet = Not yet

verdict-intro = 📋 <b>Case #{ $case }: first assessment</b>
verdict-covered = At first sight it meets both conditions of theft protection: you can claim
verdict-claimable = Can be claimed if the conditions are met
verdict-considered = Within what JD looks at and may pay for
verdict-at-risk = You can claim, but the outcome is uncertain
verdict-hard = Hard to claim from JD's theft protection: go to the police first
verdict-excluded = Usually not covered by theft protection
verdict-no-loss = No loss yet: secure the account; no claim needed for now
verdict-reason-default = There is not enough to go on yet; JD's investigation decides.
verdict-reason-orders = Orders you did not place or authorise: money taken from the account this way is a kind of loss theft protection covers.
verdict-reason-balance = Balance or card charges you did not make or authorise: a kind of money loss theft protection covers.
verdict-reason-baitiao = 白条 debt someone else ran up: can be claimed where the conditions are met.
verdict-reason-jintiao = A 金条 loan someone else took: can be claimed where the conditions are met.
verdict-reason-assets = E-cards or coupons someone else used: within what JD looks at and may pay for, less clear-cut than money.
verdict-reason-unsure = The cause is unclear: JD checks devices, places and habits against your history, and its review decides.
verdict-reason-caller-contact = You had a suspicious code or call: if you did anything the caller asked, tell JD and the police honestly; it changes the assessment.
verdict-reason-late = You noticed some time ago: the longer it has been, the harder the checks and the evidence, so file soon.
verdict-reason-unclear = The kind of loss is not clear yet: state exactly what is missing in your evidence.
verdict-reason-code-shared = You gave a code to someone: that completed the check for them, so JD usually finds it hard to accept as "not done by you". This is fraud; the police route matters more than JD's cover.
verdict-reason-remote = A caller had you share your screen or install an app: JD may find it hard to accept as theft, though it is not certain to refuse. This is a classic scam: report it to the police first and keep the chat and call records.
verdict-reason-talked-into = You were talked into borrowing or transferring money yourself: you made the transfer, so it is usually hard for JD's theft protection to cover it. This is fraud: report it to the police now; they may be able to stop or recover the money.
verdict-reason-phishing = You typed your details into a link or another app: after review JD may find it hard to accept as theft. It is fraud, though: be sure to report it to the police.
verdict-reason-off-platform = The deal happened outside JD's official channels: JD's theft claim does not handle it. It is very likely fraud: report it to the police and to the platform where the deal happened.
verdict-reason-shared = You shared the password: JD usually treats this as a dispute between people, not theft.
verdict-reason-known-person = If someone you know used your account: JD usually treats it as a dispute between the two of you, not as theft to pay for.
verdict-reason-no-loss = No money or assets lost yet: claims pay for actual losses, so no claim is needed now; secure the account and keep the evidence.
verdict-reason-no-loss-fraud = You did what someone asked: even with nothing lost yet, they may try again. Report it to the police or in the 国家反诈中心 App now.
verdict-reason-prompt = You noticed quickly and reported it to the police, which helps your claim.
verdict-reason-police = Not reported to the police yet: a report receipt makes a claim more convincing; the larger the amount, the more it's advised.
verdict-amount = Loss recorded: ¥{ $amount }
verdict-amount-unknown = Loss: not known yet (put it in the claim once you know).
verdict-disclaimer = ⚠️ This is a first assessment from your answers, not a promise. Whether and how much JD pays depends on its investigation and the policy terms, and is usually capped at the actual loss.
shield-recovery = 🛡 <b>Beware of recovery scams:</b> nobody can get your money back for a fee. "Hackers", "lawyers", "recovery centres" or "cyber police" who offer it are scammers; real police never ask you to transfer money.
shield-caller = 📞 If someone calls during the review saying they are JD: hang up, then open the app and contact customer service yourself to verify it (the 京东金融 app usually also has a check on whether a call is genuine). Never give any code.

route-police-first =
    👮 <b>The police route comes first:</b> in cases like this the police matter more than JD's cover.
    • Money just left: call 110 now and ask for an emergency stop-payment (police often speak of a window of about 30 minutes).
    • Report it at a police station, or with the 报案助手 in the 国家反诈中心 App.
    • Police usually ask for: your ID, the account that paid, each amount and time, the other side's account and payee, transfer receipts, chat records, the links or app names involved. Ask for the report receipt.
route-known-person =
    👥 <b>If someone you know used it:</b> JD usually won't pay it as theft. You can talk to them first and ask for the money back; if that fails, you can report it to the police (using someone's account without permission may be unlawful) or go to court, and the same evidence helps.
plan-lead-claim = 📎 <b>Next: gather the evidence, then claim in the JD app.</b>
plan-lead-police = 📎 <b>Next: report to the police first, then tell JD what happened, and keep the evidence.</b>
plan-lead-excluded = 📎 <b>Next: secure the account and keep the evidence; where you can go is below.</b>
plan-lead-secure = 🔐 <b>Next: secure the account and keep the evidence.</b> No claim is needed now; if money turns out to be missing later, send /new to open a new case.

evidence-intro = 📎 <b>Your evidence checklist</b> (tick each item when it's ready):
evidence-never = 🚫 Evidence <b>never</b> needs passwords, SMS codes, full card numbers or ID numbers; cover them before taking screenshots.
evidence-tx-screenshots = A screenshot of every transaction you did not make, showing the <b>order number, time and amount</b>.
evidence-tx-screenshots-short = Transaction screenshots
evidence-bank-record = The bank's or card issuer's charge SMS or statement.
evidence-bank-record-short = Bank charge record
evidence-baitiao-bill = Screenshots of the 白条 bill and instalments.
evidence-baitiao-bill-short = 白条 bill
evidence-jintiao-record = Screenshots of the 金条 loan record and where the money went.
evidence-jintiao-record-short = 金条 loan record
evidence-ecard-record = Screenshots of the E-card and coupon usage records.
evidence-ecard-record-short = E-card / coupon records
evidence-login-records = Screenshots of <b>abnormal logins</b> from Account Security (unknown devices, places, times).
evidence-login-records-short = Abnormal login records
evidence-binding-notice = The SMS or email saying your phone or email was changed, and screenshots of suspicious code messages.
evidence-binding-notice-short = Change notices / odd SMS
evidence-cs-records = Your conversations with JD customer service (screenshots or ticket numbers).
evidence-cs-records-short = Customer-service records
evidence-police-receipt = The police report receipt (报案回执). Police usually register a walk-in report on the spot and give a receipt that says how to follow progress.
evidence-scam-records = Your chats and call records with the other side, their number, and the links they sent or the app they had you install (screenshots; don't delete anything).
evidence-scam-records-short = Chats / calls with them
evidence-police-receipt-short = Police report receipt
evidence-timeline = A short timeline: when you noticed, which transactions, what you have already done.
evidence-timeline-short = Timeline of events

claim-intro = 📝 <b>Filing the claim in the JD app:</b>
claim-open-app = Open the JD app and go to 我的 (Me) → 客户服务 (Customer Service) or 我的客服.
claim-keyword = Type 账户被盗 ("account stolen") to start the self-service flow, or ask for a human agent.
claim-upload = Upload the items from your evidence checklist as prompted.
claim-describe = State the facts plainly: when you noticed, which transactions were not yours, how much, and what you already did (passwords, freezes, police).
claim-reachable = Keep your phone reachable during the review and answer requests for more material; note the ticket number.
claim-expect = The review usually takes several working days, longer for complex cases; you can check progress through customer service.
claim-tell-jd = Still tell JD through 我的 → 客户服务 in the app: ask them to freeze the account and payment tools, and get it on record.
claim-tell-jd-ask = Ask what the platform can do (for example stop orders not yet shipped), but don't count on theft protection paying; screenshot the answers.
claim-intro-tell-jd = 📝 <b>Telling JD:</b>

escalate-intro-now = 🧭 <b>What you can do now:</b>
escalate-intro-later = 🧭 <b>If JD refuses or stays silent:</b>
escalate-none = Nothing has been lost yet, so there is no need to complain for now. If money turns out to be missing later, send /new to open a new case.
escalate-110 = <b>110</b>: report the crime. Where fraud or moved money is involved, the report receipt helps every later step.
escalate-antifraud-app = <b>国家反诈中心 App</b> (National Anti-Fraud Centre): report scam numbers, links and accounts; its 报案助手 files a report with local police.
escalate-96110 = <b>96110</b>: the anti-fraud warning line. If 96110 calls you, answer: it warns and dissuades; it does not take reports.
escalate-12321 = <b>12321</b>: report scam SMS, calls, websites and apps; don't edit the SMS text when you report it.
escalate-12315 = <b>12315 / the national 12315 platform</b>: consumer disputes with the platform. Acceptance is usually decided within 7 working days, mediation ends within about 45; disputes older than 3 years are refused.
escalate-12363 = <b>12363 (People's Bank of China)</b>: payment problems (JD Pay included) and credit-record (征信) problems. Complain to the company itself first.
escalate-12378 = <b>12378 (金融监管总局, the financial regulator)</b>: a refused insurance claim, a lender, or debt collection; replies usually take about 15 working days.
escalate-court = <b>Court / lawyer</b>: the last resort; the same evidence applies. A real lawyer won't promise "guaranteed recovery" or ask for an "unfreezing fee" up front.

plan-footer =
    ✅ The plan for case #{ $case } is saved. The buttons below open each part; send /case any time to see progress.
btn-show-emergency = 🚨 Emergency steps
btn-show-evidence = 📎 Evidence checklist
btn-show-claim = 📝 Claim steps
btn-show-escalation = 🧭 Where to escalate
plan-not-ready = The plan is ready once the questions are answered.

case-title = 📁 <b>Case #{ $case }</b> · { $status }
case-opened = Opened: { $date }
case-step = Now: { $step }
case-symptoms = <b>What you see:</b>
case-emergency-progress = Emergency steps: { $done } of { $total } done
case-evidence-progress = Evidence: { $done } of { $total } ready
case-verdict = First assessment: { $verdict }
case-history = <b>History:</b>
case-none = You have no case yet. Send /start to begin.
cases-title = 📂 <b>Your cases</b>
cases-line = { $current ->
        [yes] ▶️
       *[no] •
    } #{ $case } · { $date } · { $status }
btn-open-case = Open case #{ $case }

status-triage = gathering details
status-planned = plan ready
status-claim-submitted = claim submitted
status-escalated = escalated
status-closed = closed

event-opened = Case opened
event-symptoms = Situation chosen
event-verdict = First assessment: { $outcome ->
        [covered] meets the theft-protection conditions, can claim
        [claimable] can claim if the conditions are met
        [considered] within what JD may pay for
        [at_risk] outcome uncertain
        [hard] hard to claim, police first
        [no_loss] no loss yet
       *[excluded] usually not covered
    }
event-emergency-done = All emergency steps done
event-closed = Case closed

cancel-done = OK, we'll stop here. Case #{ $case } is saved; send /start to pick up where you left off.
cancel-nothing = There's no open question right now. Send /start to begin or continue.
fallback-idle = If your JD account was stolen or misused, send /start and I'll walk you through it. /case shows your case, /help lists everything.
fallback-use-buttons = Please answer this step with the buttons. Here it is again:
secret-warning =
    🛑 <b>Please don't send passwords, codes, card numbers or ID numbers.</b>
    I did not store that message and tried to delete it. Nobody, JD customer service included, will ever ask for your code or password; anyone who does is a scammer.
button-stale = This button is out of date; nothing was changed. Use the latest message, or send /case.
button-foreign = This button doesn't belong to your case; nothing was changed.

## Changing answers, confirming amounts, managing cases, short plan pages

triage-symptoms-title = What you see
q-noticed-title = When noticed
q-amount-title = Amount lost
q-cause-title = How it happened
q-police-title = Police report
btn-back = ⬅️ Back
current-answer = Your answer before: { $answer }
amount-echo = ✅ Amount lost recorded: <b>¥{ $amount }</b>
btn-change-amount = ✏️ Change the amount
amount-code-confirm =
    This number looks like an <b>SMS verification code</b>. If it is a code, don't send it to anyone (me included).
    If it really is the amount lost, ¥{ $amount }, confirm with the button below.
btn-amount-yes = Yes, I lost ¥{ $amount }
btn-amount-retype = No, type it again
amount-zero = That amount is 0. If nothing is missing yet, press "Not sure"; otherwise type the amount lost, e.g. <code>300</code>.
amount-too-small = That is less than 1 yuan: were some digits left out? Type the amount lost, e.g. <code>300</code>.
amount-negative = The amount can't be negative. Type how much was lost, e.g. <code>300</code>.
amount-too-large = That is more than 10 million yuan, perhaps a few digits too many. Check it and type it again, or press "Not sure".
edit-menu = ✏️ <b>Case #{ $case }: which answer do you want to change?</b> The assessment, the evidence checklist and the reminders follow your new answers.
answer-none = not answered
btn-back-to-plan = ⬅️ Back to the plan
btn-edit-answers = ✏️ Change my answers
btn-show-plan = 📋 Show the plan
btn-close-case = ✅ Close the case
btn-delete-case = 🗑 Delete the case
btn-consent-keep = ✅ Agree to storage for the full plan (keeps your picks and ticks)
consent-thanks-kept = Your consent is recorded. What you picked and ticked is saved; let's go on from there.
status-at-step = in progress: { $step }
event-changed = Changed an answer: { $what }
case-closed-ok = Closed
case-closed = Case #{ $case } is closed and its reminders have stopped. Send /cases to see it, or /new to open a new case.
case-delete-confirm = Delete case #{ $case }? Its history, reminders and evidence records are deleted too; this can't be undone.
btn-delete-case-yes = 🗑 Yes, delete case #{ $case }
btn-keep-case = Keep it
case-deleted = Case #{ $case } is deleted.
case-kept = OK, case #{ $case } stays.
cases-hint = Open a case to continue it, change answers, close or delete it.
fallback-symptoms = Pick what you see with the buttons above, then press Done.
fallback-emergency = Work through the emergency steps above and tick each one as you go; when ready, press "Next: a few questions".
fallback-paused = Case #{ $case } is paused at: { $step }. Press the button below to continue.
fallback-planned = The plan for case #{ $case } is ready. Use the buttons below to see it or change your answers; /help lists everything.
