## 跟进提醒：按时间表推进案件，回答按钮，/reminders

cmd-reminders = 查看和暂停跟进提醒

fu-step-emergency = 检查紧急措施
fu-step-report-claim = { $police ->
    [reported] 提交赔付申请
   *[other] 报警和提交申请
}
fu-step-jd-answer = 京东是否答复
fu-step-escalate = 升级投诉
fu-step-last-check = 30 天回访

fu-emergency =
    ⏰ <b>案件 #{ $case }：紧急措施做完了吗？</b>
    下面这些还没有打勾。做完了就点「已完成」；还没来得及，点「还没有」，我明天再问你。
fu-report-claim =
    ⏰ <b>案件 #{ $case }：{ $police ->
        [reported] 赔付申请进行得怎么样？
       *[other] 报警和赔付申请进行得怎么样？
    }</b>
    { $police ->
        [reported] 你已经报了警：在京东 App「我的 → 客户服务」里提交被盗申请，上传证据时附上报案回执。
       *[other] 金额较大时，最好先去派出所报案并拿到报案回执，再在京东 App「我的 → 客户服务」里提交被盗申请并上传证据。
    }
    提交了申请就点「已提交申请」，我会帮你记下日期并跟进京东的答复。
fu-jd-answer =
    ⏰ <b>案件 #{ $case }：京东答复了吗？</b>
    申请已经提交了几个工作日。审核通常需要几个工作日，复杂的情况会更久；请保持手机畅通，留意 App 消息。
    { shield-caller }
fu-jd-answer-again =
    ⏰ <b>案件 #{ $case }：京东还没有答复吗？</b>
    已经过了一周多的工作日。可以在 App 客服里追问进度，并把每次沟通截图保存，这些记录在后续投诉时都有用。
    { shield-caller }
fu-escalate =
    🧭 <b>案件 #{ $case }：可以考虑升级投诉了。</b>
    京东长时间没有答复、拒绝赔付或只赔了一部分时，可以向下面这些渠道反映（按你的情况挑选）：
    { shield-recovery }
fu-escalate-prepare =
    <b>投诉前准备好：</b>
    • 每笔异常交易的截图（订单号、时间、金额）
    • 异常登录记录截图
    • 与京东客服沟通的记录，以及京东的答复或拒绝理由
    • 报案回执（如果报了警）
    • 一段按时间顺序写的经过说明
fu-last-check =
    📋 <b>案件 #{ $case }：一个月了，情况怎么样？</b>
    告诉我最后的结果，我会更新案件记录。如果还没有解决，可以继续走升级投诉的渠道。
    { shield-recovery }

fu-btn-done = ✅ 已完成
fu-btn-not-yet = ⏳ 还没有（明天再问）
fu-btn-claim-submitted = 📨 已提交申请
fu-btn-paid-full = 💰 京东已全额赔付
fu-btn-paid-part = 🪙 只赔了一部分
fu-btn-refused = ❌ 京东拒绝了
fu-btn-stop = 🔕 不再提醒

fu-next-done = 已记录，谢谢。{ $more ->
    [yes] 后面的提醒照常进行。
   *[no] 这个案件没有待发的提醒了；需要时发 /case 查看案件。
}
fu-next-not-yet = 好的，明天再问你。
fu-next-claim-submitted = 已记下提交日期。我会在 3 个工作日后问你京东有没有答复。
fu-next-paid-full = 太好了！案件已结案，这个案件不会再有提醒。
fu-next-paid-part =
    已记录。剩下的部分可以继续争取，我稍后把可以投诉的渠道发给你。
    { shield-recovery }
fu-next-refused =
    已记录。不要灰心，我稍后把可以投诉的渠道和需要准备的材料发给你。
    { shield-recovery }
fu-next-stop = 已停止这个案件的所有提醒。需要时可以用 /case 查看案件。

fu-saved = 已记录
fu-stale = 这条提醒已经回答过或已经失效，什么都没有改变。发 /reminders 查看最新的提醒。

fu-list-title = ⏰ <b>跟进提醒</b>
fu-list-case = <b>案件 #{ $case }</b>（{ $status }）
fu-list-item = • { $date }：{ $step }
fu-list-paused = ⏸ 提醒已暂停
fu-list-blocked = ⏸ 提醒已暂停（之前无法给你发消息）
fu-list-empty = 目前没有待发的跟进提醒。
fu-btn-pause = ⏸ 暂停案件 #{ $case } 的提醒
fu-btn-resume = ▶️ 恢复案件 #{ $case } 的提醒
fu-paused-ok = 已暂停
fu-resumed-ok = 已恢复

event-claim-submitted = 已提交赔付申请
event-jd-answered = 京东答复：{ $outcome ->
    [paid_full] 全额赔付
    [paid_part] 部分赔付
   *[refused] 拒绝赔付
}
event-escalated = 已升级投诉
event-reminders-stopped = 停止了跟进提醒
event-reminders-paused = 暂停了跟进提醒
event-reminders-resumed = 恢复了跟进提醒

fu-btn-restart = 🔔 恢复跟进提醒
fu-btn-restart-case = 🔔 恢复案件 #{ $case } 的提醒
fu-list-stopped = 🔕 你停止了这个案件的提醒
fu-next-restarted = 好的，提醒已恢复，会按案件现在的进度重新安排。
event-reminders-restarted = 恢复了跟进提醒
