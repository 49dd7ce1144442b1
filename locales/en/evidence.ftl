## The claim pack: evidence uploads, transactions, contact log and documents

cmd-evidence = Upload evidence, record transactions and contacts
cmd-report = Build the claim documents and the PDF dossier
event-amount-checked = Loss set to the transactions' total, ¥{ $total }
event-evidence-filed = Added a piece of evidence

ev-need-consent = To keep evidence and transactions I need your consent to store case data first: send /start. Until then I store no files.
ev-need-plan = Please answer the questions with /start and get your plan first, then collect the evidence.
ev-btn-upload = 📎 Upload evidence, record transactions
ev-menu-title = 📂 <b>Claim pack of case #{ $case }</b>
ev-menu-item = { $mark } { $n }. { $item } ({ $count ->
    [one] 1 file
   *[other] { $count } files
})
ev-menu-counts = { $files ->
    [one] 1 file
   *[other] { $files } files
} received; { $txs ->
    [one] 1 transaction
   *[other] { $txs } transactions
}, total ¥{ $total }; { $contacts ->
    [one] 1 contact-log entry
   *[other] { $contacts } contact-log entries
}.
ev-menu-hint =
    Tap an evidence item, then send me the screenshots or PDFs. Send screenshots <b>as files</b> where you can (📎 → File): the original is kept instead of being recompressed by Telegram, so its checksum matches the original.
    Screenshots must not show a full card number, ID number or verification code: I will not keep them; mask the digits and send again.
ev-btn-transactions = 💳 Transactions
ev-btn-add-tx = ➕ Add a transaction
ev-btn-contacts = 📞 Contact log
ev-btn-add-contact = ➕ Add a contact
ev-btn-report = 📄 Build documents and PDF
ev-btn-back = ↩️ Back
ev-btn-tx = #{ $n } · ¥{ $amount }
ev-btn-edit = ✏️ { $field }
ev-btn-save = 💾 Save
ev-btn-cancel = ✖️ Cancel
ev-btn-confirm = ✅ Correct, save
ev-btn-correct = ✏️ Correct it
ev-btn-discard = 🗑 Discard
ev-btn-today = 📅 Today
ev-btn-skip = ⏭ Skip
ev-btn-delete = 🗑 Delete
ev-btn-delete-yes = 🗑 Yes, delete
ev-btn-use-total = ✅ Make the list's total the loss
ev-btn-delete-contact = 🗑 Delete entry { $n } ({ $at })
ev-send-for-item = Good: now send me the screenshots or files for “{ $item }”; several in a row are fine. Sending them as files keeps the originals.
ev-missing = Still missing: { $items }
ev-all-filed = Everything on the checklist is here 👍 Use /report to build the documents.
ev-receiving = ⏳ Receiving and checking the file…
ev-filed = ✅ Filed under “{ $item }”.
ev-which-item = Which evidence item is this file for?
ev-photo-hint = 💡 This is a recompressed photo. Where the original matters (order screenshots, for example), send it again as a file.
ev-caption-secret = ⚠️ The caption seems to contain a code, a password or a full card number, so it was not stored.
ev-duplicate = I already have this file (“{ $item }”, { $date }); it is not stored twice.
ev-wrong-type = This kind of file cannot be kept as evidence. Please send screenshots (JPG, PNG, WEBP) or PDFs.
ev-too-big = The file is over { $mb } MB, which I cannot download. Crop it to the part that matters or compress it, then send it again.
ev-download-failed = The file could not be downloaded; please send it again in a moment.
ev-busy = Too many screenshots are being read right now; please send this one again in a minute.
ev-secret-in-image =
    ⚠️ This image seems to show a { $kinds }. For your safety I <b>did not keep</b> the image or anything read from it.
    Mask those digits (keep the last four) and send it again. Nobody, JD included, should ever ask you for a verification code.
ev-secret-code = verification code
ev-secret-password = password
ev-secret-card = full bank card number
ev-secret-id = ID number

ev-proposal = 🔎 I read a transaction from the screenshot; please check it:
ev-proposal-discarded = OK, that one is not recorded.
ev-field-line = { $field }: { $value }
ev-field-order = Order number
ev-field-at = Time
ev-field-amount = Amount
ev-field-channel = Paid with
ev-ask-order = Send the <b>order number</b> (JD app → My orders → order details, “订单编号”).
ev-ask-at = Send the <b>time of the order or charge</b>, e.g. 2026-11-20 14:32.
ev-ask-amount = Send the <b>amount</b> in yuan, e.g. 1299.50.
ev-ask-channel = Where did this money come from?
ev-ask-contact-channel = Whom were you in touch with?
ev-ask-contact-at = On which day? E.g. 2026-11-21, or tap “Today”.
ev-ask-contact-ref = Is there a ticket, case or police receipt number? Send it, or skip.
ev-ask-contact-note = What did they say or agree to? One or two sentences (no codes or passwords), or skip.
ev-invalid-order = That does not look like an order number: 6 to 32 digits or letters.
ev-invalid-at = I could not read that time, or it is in the future.
ev-invalid-amount = I could not read that amount; please send only the number, e.g. 1299.50.
ev-invalid-text = That is empty or too long; please keep it short (500 characters at most).
ev-tx-review = Please check this transaction:
ev-tx-saved = ✅ Transaction saved.
ev-tx-title = 💳 <b>Unauthorised transactions of case #{ $case }</b>
ev-tx-empty = No transactions yet. Send an order screenshot for me to read, or tap “Add a transaction” to type one.
ev-tx-channel-total = { $channel }: ¥{ $total } ({ $count })
ev-tx-total = <b>Total ¥{ $total } ({ $count ->
    [one] 1 transaction
   *[other] { $count } transactions
})</b>
ev-tx-differs = ℹ️ In the questions you put the loss at about ¥{ $said }; the transactions add up to ¥{ $total }. The documents use the transactions' total.
ev-tx-delete-confirm = Delete this transaction?
ev-tx-deleted = Deleted
ev-contacts-title = 📞 <b>Contact log of case #{ $case }</b>
ev-contacts-empty = No contacts recorded yet. Add one after each call or chat with JD, the bank or the police: complaints need them.
ev-contact-saved = ✅ Contact saved.
ev-entry-cancelled = Cancelled; nothing was saved.
ev-report-statement = 📋 Statement for JD customer service (copy and paste it)
ev-report-memo = 👮 Memo for the police report
ev-report-draft = 📮 Draft complaint to { $channel }
ev-report-building = 📄 Building the PDF dossier…
ev-report-pdf-caption = Claim dossier: summary, transactions, contact log, evidence index (with SHA-256 checksums) and the evidence images. Print it for JD or the police.

ev-channel-balance = Balance
ev-channel-bank-card = Bank card
ev-channel-baitiao = Baitiao (白条)
ev-channel-jintiao = Jintiao (金条)
ev-channel-ecard = JD E-card
ev-channel-coupon = Coupon
ev-channel-other = Other
ev-contact-jd = JD customer service
ev-contact-bank = Bank
ev-contact-police = Police
ev-contact-12315 = 12315
ev-contact-12363 = 12363
ev-contact-12378 = 12378
ev-contact-other = Other
ev-log-claim-submitted = Submitted the theft claim in the JD app
ev-log-escalated = Started escalating
ev-log-refused = JD's answer: claim refused
ev-log-paid-part = JD's answer: paid part of the loss
ev-log-paid-full = JD's answer: paid in full

## Documents (plain text, no HTML)

doc-list-sep = { ", " }
doc-tx-line = { $n }. { $at }  order { $order }  ¥{ $amount }  { $channel }
doc-log-ref = ref. { $ref }
doc-log-line = { $at } · { $channel } · { $detail }
doc-tx-head = { $count ->
    [one] 1 transaction
   *[other] { $count } transactions
} I did not make or authorise, total ¥{ $total }:
doc-loss-triage = The loss is about ¥{ $amount }; the list of transactions is being put together.
doc-loss-unknown = The amount lost is still being checked.
doc-noticed = I noticed it around { $date } ({ $when }).
doc-statement-open = Hello. Someone else used my JD account; the transactions below were not made or authorised by me, and I am applying for the account-theft compensation.
doc-statement-more = { $count } more are listed in the documents I am submitting.
doc-statement-done = What I have already done: { $steps }.
doc-statement-police-ref = I reported it to the police; receipt number: { $ref }.
doc-statement-police = I reported it to the police.
doc-statement-evidence = I can provide: { $items }.
doc-statement-close = Please look into it. Thank you.
doc-memo-title = Memo for the police report (case #{ $case })
doc-memo-bring = Bring your ID card, the phone the JD account is on, and the information below.
doc-memo-what = What happened: { $symptoms }
doc-memo-cause = How it may have happened: { $cause }
doc-memo-account = Paying account: my own JD account; payment channels involved: { $channels }
doc-memo-unknown = still being checked
doc-memo-payee = The other side's account, name and bank (if known): ______
doc-memo-receipts = Order, transfer and bill screenshots: { $count } collected, listed in the PDF dossier's evidence index (with SHA-256 checksums).
doc-memo-chats = Chat records, the caller's phone numbers, links or the names of apps you were told to install: bring them or screenshots of them.
doc-memo-contacts = Already contacted:
doc-memo-receipt = Ask for the report receipt (报案回执, it says how to follow the case) and add its number to the contact log (/evidence → Add a contact → Police).
doc-draft-title = To { $channel }: complaint (case #{ $case })
doc-draft-facts = Around { $date } someone else used my JD account and made { $count ->
    [one] 1 transaction
   *[other] { $count } transactions
} I did not authorise, total ¥{ $total }.
doc-draft-claim = On { $date } I applied for the account-theft compensation in the JD app.
doc-draft-claim-none = I reported it to JD customer service and asked for compensation.
doc-draft-answer-refused = JD refused my claim.
doc-draft-answer-paid-part = JD paid only part of the loss.
doc-draft-answer-none = I have had no clear answer so far.
doc-draft-request-12315 = Request: please have the JD platform examine these transactions and compensate my loss as the law provides.
doc-draft-request-12363 = Request: these transactions went through JD's payment or credit services (Baitiao, Jintiao); please have the payment institution examine and refund them, and correct any credit-report entries the misuse caused.
doc-draft-request-12378 = Request: the claim under the account-security cover was refused or underpaid; please have the insurer or financial institution handle it as the law provides.
doc-draft-attach = Attached: list of transactions, screenshots with their SHA-256 checksums (PDF dossier), the police receipt (if any).
doc-draft-sign = Complainant: ______  Phone: ______

## PDF dossier

pdf-title = JD account theft: claim dossier · case #{ $case }
pdf-generated = Generated at { $generated } (from the records at that time)
pdf-footer = Page { $page } of { $pages } · case #{ $case } · generated { $generated }
pdf-field = Item
pdf-value = Details
pdf-case = Case number
pdf-opened = Opened
pdf-verdict = First assessment
pdf-symptoms = What was seen
pdf-loss = Total loss
pdf-loss-value = ¥{ $total } ({ $count ->
    [one] 1 transaction
   *[other] { $count } transactions
})
pdf-loss-said = Loss given in the questions
pdf-police-ref = Police receipt number
pdf-none = none
pdf-evidence-count = Evidence files
pdf-timeline = Timeline
pdf-timeline-opened = Noticed and opened the case
pdf-timeline-tx = Unauthorised transaction ¥{ $amount } ({ $channel })
pdf-when = When
pdf-what = What
pdf-transactions = Unauthorised transactions
pdf-total = Total
pdf-no = No.
pdf-order = Order number
pdf-amount = Amount (yuan)
pdf-channel = Paid with
pdf-contacts = Contact log
pdf-whom = With
pdf-ref = Reference
pdf-index = Evidence index
pdf-index-note = Each file's SHA-256 is computed on the original file as received and shows that it has not been changed since. Images sent as photos were recompressed by Telegram; images sent as files are the originals. The pages below show reduced copies.
pdf-item = Evidence item
pdf-file = File name
pdf-type = Type
pdf-size = Size
pdf-sha256 = SHA-256
pdf-received = Received
pdf-image-title = Evidence { $n }: { $item }
pdf-note = Note: { $note }
pdf-image-missing = (The image could not be fetched just now; its checksum is in the evidence index.)
pdf-unfiled = not filed
pdf-kind-photo = photo
pdf-kind-image = original image
pdf-kind-pdf = PDF
