## First conversation: consent, symptoms, emergency steps, questions, verdict and plan

welcome =
    👋 Hello, I'm the <b>JD Recovery Bot</b>.
    If your JD.com account was stolen or misused, I'll walk you through it step by step:
    • first, what to do <b>right now</b> to stop further loss;
    • then a few short questions to judge whether JD's theft protection is likely to cover the loss;
    • then the evidence checklist for your case, how to file the claim in the JD app, and a record of your progress.
    I will never ask for your password, SMS codes, full card number or ID number.
privacy-short =
    🔒 <b>Privacy</b>: I store case data (the situation you pick, your answers and progress, never your chat text) only if you agree. You can export it with /export and delete it with /delete at any time; closed cases are deleted automatically. If you don't agree, you still get the emergency steps, but nothing is kept. Details: /privacy.
btn-consent-yes = ✅ Agree and start
btn-consent-no = 🚨 Don't store, just the emergency steps
consent-thanks = Your consent is recorded. Let's begin.
anon-note = (Not stored: nothing of this conversation is kept.)
anon-after =
    Those are the emergency steps. For the full plan (whether the loss is likely covered, your evidence checklist, claim steps and follow-up reminders) I need to store your case. Press the button below to agree.
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
    Tick each one off with its button as you go; I'll keep track.
emergency-urgent = 🚨 <b>Money may still be leaving:</b> call 110 and your bank first. An emergency stop-payment usually has only a short window (police often speak of about 30 minutes).
emergency-call-110 = Call <b>110</b>: say your account was stolen and money is being moved, and ask for an emergency stop-payment.
emergency-call-110-short = Call 110
emergency-call-bank = Call the number on the back of your card to <b>freeze the charged bank or credit card</b>, and ask whether the transaction can be stopped.
emergency-call-bank-short = Call the bank, freeze the card
emergency-change-passwords = Change your JD <b>login password</b> and <b>payment password</b> now; don't reuse a password from another site.
emergency-change-passwords-short = Change both passwords
emergency-check-bindings = In Account Security (账户安全), check the <b>bound phone number and email</b> were not changed, and remove devices you don't know.
emergency-check-bindings-short = Check bound phone/email
emergency-freeze-pay = Contact customer service in the JD app (我的 → 客户服务) and ask them to <b>freeze JD Pay</b> and any payment tool at risk.
emergency-freeze-pay-short = Freeze JD Pay
emergency-freeze-baitiao = <b>Freeze 白条</b> through in-app customer service; its settings usually also offer a lock (锁定白条) you can switch on yourself.
emergency-freeze-baitiao-short = Freeze / lock 白条
emergency-freeze-jintiao = <b>Freeze 金条</b> through in-app customer service and say you did not apply for the loan.
emergency-freeze-jintiao-short = Freeze 金条
emergency-password-free-off = Turn off <b>password-free small payments</b> (小额免密), usually under 我的 → 设置 → 支付设置 → 小额免密.
emergency-password-free-off-short = Turn off 小额免密
emergency-lock-account = Consider <b>locking the account</b> under Account Security → 账号锁定管理; locking logs out every session.
emergency-lock-account-short = Lock the account
emergency-recover-phone = If the old number no longer gets codes, use the "can't receive code" (无法接收验证码) route on the login page; manual unbinding usually takes 1–3 working days.
emergency-recover-phone-short = Recover the bound phone
emergency-never-share-code = Never give a code to <b>anyone</b>, including people who say they are JD customer service. An unexpected JD code means someone is trying to use your account right now.
emergency-never-share-code-short = Never share a code
btn-proceed = Next: a few questions →
tick-saved = Saved

q-noticed = <b>When did you notice?</b>
q-noticed-hour = Within the last hour
q-noticed-today = Today
q-noticed-week = This week
q-noticed-earlier = Earlier
q-amount =
    <b>Roughly how much was lost?</b>
    Just type the number, e.g. <code>1299.5</code>, <code>1,299元</code> or <code>¥300</code>. Not sure? Press the button below.
q-amount-invalid = I couldn't read that amount. Please type just the number, e.g. <code>1299.5</code> or <code>¥300</code>, or press "Not sure".
q-amount-unknown = Not sure / still adding up
q-cause = <b>How might it have happened?</b> (Answer honestly: it changes the assessment.)
q-cause-shared = I shared the password with someone (family, friends)
q-cause-phishing = I typed my details into a link or app
q-cause-remote = A caller had me share my screen or install an app
q-cause-none = None of these
q-cause-unsure = Not sure
q-police = <b>Have you reported it to the police?</b>
q-police-reported = Yes, reported
q-police-not-yet = Not yet

verdict-intro = 📋 <b>Case #{ $case }: first assessment</b>
verdict-covered = Likely covered by JD's theft protection
verdict-at-risk = May be covered, but at risk
verdict-excluded = Likely excluded from theft protection
verdict-reason-default = What you describe meets the two basic tests: not done by you, and not authorised by you.
verdict-reason-shared = You shared the password: this is usually treated as a personal dispute, not theft.
verdict-reason-phishing = You typed your details into a link or another app: after review this is often not accepted as theft. It is fraud, though: report it to the police.
verdict-reason-remote = A caller had you share your screen or install an app: JD may treat the transactions as your own. This is a classic scam; a police report and your call and chat records matter.
verdict-reason-unsure = The cause is unclear: JD checks devices, locations and habits against your history, and the review decides.
verdict-reason-late = You noticed it some time ago: the sooner you file, the easier the review and the evidence.
verdict-reason-police = A large amount without a police report: a report receipt makes your claim much stronger; report it soon.
verdict-reason-no-loss = No money or assets lost yet: claims pay for actual losses, so the priority now is securing the account.
verdict-reason-unclear = The kind of loss is not clear yet: state exactly what is missing in your evidence.
verdict-reason-money = Balance or linked-card charges you did not make are a kind of loss the protection covers.
verdict-reason-credit = Debt from stolen use of 白条 or 金条 can also be claimed when the conditions are met.
verdict-reason-prompt = You noticed quickly and reported it to the police, which helps your claim.
verdict-reason-assets = Stolen use of JD E-cards and coupons is an asset loss JD looks at.
verdict-amount = Loss recorded: ¥{ $amount }
verdict-amount-unknown = Loss: not known yet (put it in the claim once you know).
verdict-disclaimer = ⚠️ This is a first assessment from your answers, not a promise. Whether and how much JD pays depends on its investigation and the policy terms, and is usually capped at the actual loss.

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
evidence-police-receipt = The police report receipt (报案回执). Police must register a walk-in report on the spot and give a receipt that says how to follow progress.
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

escalate-intro = 🧭 <b>If JD refuses or does not answer:</b>
escalate-110 = <b>110</b>: report the crime. Where fraud or moved money is involved, the receipt helps every later step.
escalate-antifraud-app = <b>国家反诈中心 App</b> (National Anti-Fraud Centre): report numbers, links and accounts; its 报案助手 files a report with local police.
escalate-12315 = <b>12315 / the national 12315 platform</b>: consumer disputes with the platform. Acceptance is decided within 7 working days, mediation ends within about 45; disputes older than 3 years are refused.
escalate-12363 = <b>12363 (People's Bank of China)</b>: payment problems (JD Pay included) and credit-record (征信) problems. Complain to the company first.
escalate-12378 = <b>12378 (financial regulator)</b>: an insurer refusing a claim, a lender, or debt collection; replies usually take about 15 working days.
escalate-court = <b>Court / lawyer</b>: the last resort; the same evidence applies.

plan-footer =
    ✅ The plan for case #{ $case } is saved.
    Send /case any time to see progress, /help for everything I can do. These buttons reopen each part of the plan:
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
        [covered] likely covered
        [at_risk] at risk
       *[excluded] likely excluded
    }
event-emergency-done = All emergency steps done
event-closed = Case closed

cancel-done = OK, we'll stop here. Case #{ $case } is saved; send /start to pick up where you left off.
cancel-nothing = There's no open question right now. Send /start to begin or continue.
fallback-idle = I'm not waiting for an answer right now. Send /start to begin or continue a case, /case to see progress, /help for everything I can do.
fallback-use-buttons = Please answer this step with the buttons. Here it is again:
secret-warning =
    🛑 <b>Please don't send passwords, codes, card numbers or ID numbers.</b>
    I did not store that message and tried to delete it. Nobody, JD customer service included, will ever ask for your code or password; anyone who does is a scammer.
button-stale = This button is out of date; nothing was changed. Use the latest message, or send /case.
button-foreign = This button doesn't belong to your case; nothing was changed.
