## Scam alerts: subscriptions, group switch, admin alerts and broadcast progress

cmd-subscribe = Subscribe to scam alerts
cmd-unsubscribe = Stop scam alerts
cmd-alerts = Latest scam alerts

btn-alerts-subscribe = 🔔 Get scam alerts
alerts-subscribed =
    🔔 You are subscribed to scam alerts. When a new scam against JD users appears, I will warn you straight away.
    For this I keep only your Telegram user id and your interface language, nothing else. The subscription is separate from your case data and needs no consent to storing a case.
    Send /unsubscribe to leave at any time; /delete removes the subscription along with everything else.
alerts-already-subscribed = You are already subscribed to scam alerts. Send /unsubscribe to leave.
alerts-unsubscribed = Done: no more scam alerts, and your subscription record is deleted. Send /subscribe to come back.
alerts-not-subscribed = You are not subscribed to scam alerts. Send /subscribe to get them.
alerts-private-only = Please send me this command in a private chat. Group admins can use /alerts_on to get scam alerts in this group.

alerts-latest-title = 🚨 <b>Latest scam alerts</b>
alerts-latest-date = <b>{ $date }</b>
alerts-latest-none = No scam alerts have been sent yet. Send /subscribe and new ones will come straight to you.

alert-header = 🚨 <b>Scam alert</b>
alert-footer-user = — JD Recovery Bot. JD never asks you to cancel 白条/金条, share your screen or move money to a "safe account". Send /unsubscribe to stop these alerts.
alert-footer-group = — JD Recovery Bot. JD never asks you to cancel 白条/金条, share your screen or move money to a "safe account". Message me /subscribe to get alerts personally.

alert-usage = Usage: <code>/alert text of the alert</code>, or reply to a message with /alert.
alert-refused = ⛔ Only an administrator or the owner of this group, or one of the bot's admins in a private chat, can send scam alerts. Nothing was sent.
alert-refused-group = ⛔ This group is no longer registered for scam alerts, so alerts can't be sent from here. Nothing was sent.
alert-too-long = The alert is too long: { $length } characters with its header and footer, at most { $max }. Please shorten it.
alert-rate-limited = You have sent { $max ->
    [one] 1 alert
   *[other] { $max } alerts
} in the last hour; please wait before sending another. Nothing was sent.
alert-confirm =
    👆 Above is the alert as recipients will see it.
    It will go to { $users ->
        [one] 1 subscriber
       *[other] { $users } subscribers
    } and { $groups ->
        [one] 1 group
       *[other] { $groups } groups
    }. Send it?
btn-alert-send = 📣 Send
btn-alert-cancel = Cancel
btn-alert-stop = ⏹ Stop sending
alert-discarded = Cancelled; nothing was sent.
alert-not-yours = Only the admin who wrote this alert can use this button; nothing was changed.
alert-not-draft = This alert has already started sending or was cancelled.
alert-stopping = Stopping; nothing more will be sent.

alert-progress =
    📣 <b>Sending alert #{ $id }</b>
    Delivered { $sent } / { $total }
    Failed { $failed } · Blocked the bot { $blocked }
    About { $eta } left
alert-eta-seconds = { $s } s
alert-eta-minutes = { $m } min { $s } s
alert-summary-done =
    ✅ <b>Alert #{ $id } sent</b>
    Delivered { $sent } / { $total }
    Failed { $failed } · Blocked the bot { $blocked } · Timed out, unconfirmed { $unknown }
alert-summary-cancelled =
    ⏹ <b>Alert #{ $id } stopped</b>
    Delivered { $sent } / { $total } · Not sent { $cancelled }
    Failed { $failed } · Blocked the bot { $blocked } · Timed out, unconfirmed { $unknown }

broadcasts-title = 📊 <b>Recent broadcasts</b>
broadcasts-item = #{ $id } · { $date } · { $state } · delivered { $sent }/{ $total } · failed { $failed } · blocked { $blocked } · unconfirmed { $unknown }
broadcasts-none = No broadcasts yet.
broadcast-state-running = sending
broadcast-state-done = done
broadcast-state-cancelled = stopped

group-welcome = 👋 Hello, I am the JD Recovery Bot. A group admin can send /alerts_on to get scam alerts in this group (/alerts_off turns them off). For your own case, message me privately.
group-alerts-on = 🔔 Scam alerts are on for this group. Send /alerts_off to turn them off.
group-alerts-off = 🔕 Scam alerts are off for this group. Send /alerts_on to turn them back on.
group-admin-only = ⛔ Only a group administrator or the owner can change this group's scam-alert setting.
group-only = This command works in groups. In a private chat, use /subscribe and /unsubscribe.
