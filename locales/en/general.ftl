## Help, language, privacy, fallbacks

cmd-start = Start or continue a case
cmd-case = Show the current case and progress
cmd-cases = All my cases
cmd-new = Open a new case
cmd-cancel = Stop the current question
cmd-lang = Language / 切换语言
cmd-privacy = Privacy notice
cmd-export = Export my data
cmd-delete = Delete all my data
cmd-help = Help

help-intro =
    The <b>JD Recovery Bot</b> helps people whose JD account was stolen: emergency steps first, then whether JD's theft protection may cover the loss, your evidence checklist, how to claim in the app, and a record of your progress.
    I will never ask for passwords, SMS codes, full card numbers or ID numbers.
    Commands:
lang-name-zh = 中文
lang-name-en = English
lang-choose = 请选择语言 / Choose your language:
lang-set = OK, I'll talk to you in English from now on.

privacy-full =
    🔒 <b>Privacy</b>
    • Only after you agree, I store what handling your case needs: the situations you pick, your button answers, the amount lost, your ticks and timestamps, and the evidence you file (files, transactions, contact records and your notes on them).
    • To follow up on your case I store when reminders are due and the buttons you press on them; a scam-alert subscription (/subscribe) stores only your Telegram id and language.
    • Passwords, SMS codes, full card numbers and ID numbers are never collected; if you send one, I don't store it and try to delete the message.
    • Messages you ask me to check (/check) are not stored; only if you press "This verdict is wrong" is the message kept for the admins, with every run of digits hidden.
    • Closed cases are deleted automatically after { $days ->
        [one] 1 day
       *[other] { $days } days
    }; cases left untouched for a long time are deleted too.
    • /export sends you everything I store about you; /delete erases it all (and withdraws your consent).
    • This data is used only to help with your case and is not given to anyone.
    • The chat itself is kept by Telegram, not by me: /delete cannot remove the messages on your side; delete them in Telegram if you wish.
export-nothing = I have nothing stored about you.
export-caption = Everything I store about you.
delete-confirm = Delete all your data (every case, its progress and your consent)? This cannot be undone.
btn-delete-yes = 🗑 Delete everything
btn-delete-no = Cancel
delete-aborted = Cancelled; nothing was deleted.
delete-done = All your data is deleted ({ $cases ->
    [one] 1 case
   *[other] { $cases } cases
}). Send /start if you want to use the bot again.

fallback-other = I can only read text and buttons. Send /start to begin, or /help to see what I can do.
error-generic = Sorry, something went wrong just now. Your progress is saved; please try again, or send /case.
delivery-failed = Telegram did not take my reply just now; your answer is saved. Send /start in a minute to continue where you were.
