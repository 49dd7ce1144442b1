## Follow-ups: reminders on a schedule, answer buttons, /reminders

cmd-reminders = See and pause follow-up reminders

fu-step-emergency = Check the emergency steps
fu-step-report-claim = { $police ->
    [reported] File the claim
   *[other] Report to police and file the claim
}
fu-step-jd-answer = Has JD answered
fu-step-escalate = Escalate
fu-step-last-check = 30-day check

fu-emergency =
    ⏰ <b>Case #{ $case }: are the emergency steps done?</b>
    These are not ticked yet. Press "Done" once they are; if you have not got to them, press "Not yet" and I will ask again tomorrow.
fu-report-claim =
    ⏰ <b>Case #{ $case }: { $police ->
        [reported] how is the claim going?
       *[other] how are the police report and the claim going?
    }</b>
    { $police ->
        [reported] You have reported it to the police: file the theft claim in the JD app (我的 → 客户服务) and add the police receipt to your evidence.
       *[other] For larger amounts, it is best to report it at a police station first and get the receipt, then file the theft claim in the JD app (我的 → 客户服务) with your evidence.
    }
    Once the claim is in, press "Claim submitted": I will note the date and follow up on JD's answer.
fu-jd-answer =
    ⏰ <b>Case #{ $case }: has JD answered?</b>
    Your claim went in a few working days ago. The review usually takes several working days, longer for complex cases; keep your phone reachable and watch the app's messages.
    { shield-caller }
fu-jd-answer-again =
    ⏰ <b>Case #{ $case }: still no answer from JD?</b>
    More than a week of working days has passed. Ask about progress through in-app customer service and screenshot every conversation: these records help if you complain later.
    { shield-caller }
fu-escalate =
    🧭 <b>Case #{ $case }: time to consider escalating.</b>
    When JD stays silent, refuses, or pays only part, you can turn to these channels (pick what fits your case):
    { shield-recovery }
fu-escalate-prepare =
    <b>Have these ready before you complain:</b>
    • screenshots of each unauthorised transaction (order number, time, amount)
    • screenshots of the abnormal login records
    • your conversations with JD customer service, and JD's answer or reason for refusing
    • the police report receipt (if you reported it)
    • a short timeline of what happened
fu-last-check =
    📋 <b>Case #{ $case }: it has been a month. Where do things stand?</b>
    Tell me the outcome and I will update the case. If it is not settled, the escalation channels are still open to you.
    { shield-recovery }

fu-btn-done = ✅ Done
fu-btn-not-yet = ⏳ Not yet (ask tomorrow)
fu-btn-claim-submitted = 📨 Claim submitted
fu-btn-paid-full = 💰 JD paid in full
fu-btn-paid-part = 🪙 JD paid part
fu-btn-refused = ❌ JD refused
fu-btn-stop = 🔕 Stop reminders

fu-next-done = Noted, thank you. { $more ->
    [yes] The next reminders will come as planned.
   *[no] No more reminders are waiting for this case; send /case to look at it any time.
}
fu-next-not-yet = All right, I will ask again tomorrow.
fu-next-claim-submitted = I noted the date. In 3 working days I will ask whether JD has answered.
fu-next-paid-full = Great news! The case is closed and will get no more reminders.
fu-next-paid-part =
    Noted. You can still pursue the rest; I will send you the channels to complain to shortly.
    { shield-recovery }
fu-next-refused =
    Noted. Don't give up: I will send you where to complain and what to prepare shortly.
    { shield-recovery }
fu-next-stop = All reminders for this case are stopped. Use /case to look at the case any time.

fu-saved = Saved
fu-stale = This reminder was already answered or no longer applies; nothing changed. Send /reminders to see the current ones.

fu-list-title = ⏰ <b>Follow-up reminders</b>
fu-list-case = <b>Case #{ $case }</b> ({ $status })
fu-list-item = • { $date }: { $step }
fu-list-paused = ⏸ Reminders paused
fu-list-blocked = ⏸ Reminders paused (I could not message you earlier)
fu-list-empty = No follow-up reminders are waiting.
fu-btn-pause = ⏸ Pause reminders for case #{ $case }
fu-btn-resume = ▶️ Resume reminders for case #{ $case }
fu-paused-ok = Paused
fu-resumed-ok = Resumed

event-claim-submitted = Claim submitted
event-jd-answered = JD answered: { $outcome ->
    [paid_full] paid in full
    [paid_part] paid part
   *[refused] refused
}
event-escalated = Escalated the complaint
event-reminders-stopped = Stopped the follow-up reminders
event-reminders-paused = Paused the follow-up reminders
event-reminders-resumed = Resumed the follow-up reminders

fu-btn-restart = 🔔 Restart reminders
fu-btn-restart-case = 🔔 Restart reminders for case #{ $case }
fu-list-stopped = 🔕 You stopped this case's reminders
fu-next-restarted = OK, reminders are back on, scheduled from where the case stands now.
event-reminders-restarted = Restarted the reminders
