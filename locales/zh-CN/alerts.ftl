## 诈骗预警：订阅、群开关、管理员发布和群发进度

cmd-subscribe = 订阅诈骗预警
cmd-unsubscribe = 退订诈骗预警
cmd-alerts = 最近的诈骗预警

btn-alerts-subscribe = 🔔 订阅诈骗预警
alerts-subscribed =
    🔔 已订阅诈骗预警。出现针对京东用户的新骗局时，我会第一时间告诉你。
    为此我只保存你的 Telegram 用户 ID 和界面语言，不保存其他信息；订阅和案件数据是分开的，不需要同意保存案件。
    随时发 /unsubscribe 退订；/delete 会连同订阅一起删除。
alerts-already-subscribed = 你已经订阅了诈骗预警。退订请发 /unsubscribe。
alerts-unsubscribed = 已退订，不会再收到诈骗预警，你的订阅记录已删除。想再订阅时发 /subscribe。
alerts-not-subscribed = 你还没有订阅诈骗预警。订阅请发 /subscribe。
alerts-private-only = 请私聊我发送这个命令。群管理员可以用 /alerts_on 让本群接收诈骗预警。

alerts-latest-title = 🚨 <b>最近的诈骗预警</b>
alerts-latest-date = <b>{ $date }</b>
alerts-latest-none = 目前还没有发布过诈骗预警。发 /subscribe 订阅，新的预警会直接发给你。

alert-header = 🚨 <b>诈骗预警</b>
alert-footer-user = ——京东被盗维权助手。京东不会让你注销白条/金条、共享屏幕或把钱转到“安全账户”。退订发 /unsubscribe。
alert-footer-group = ——京东被盗维权助手。京东不会让你注销白条/金条、共享屏幕或把钱转到“安全账户”。私聊我发 /subscribe 可单独订阅。

alert-usage = 用法：<code>/alert 预警内容</code>，或回复一条消息发 /alert。
alert-refused = ⛔ 只有本群的管理员或群主，或者机器人的管理员（私聊时），才能发布诈骗预警。什么都没有发送。
alert-refused-group = ⛔ 这个群已不在诈骗预警名单里，无法从这里发布。什么都没有发送。
alert-too-long = 预警太长了：加上标题和结尾共 { $length } 个字符，最多 { $max } 个。请缩短后再发。
alert-rate-limited = 你在一小时内已经发布了 { $max } 条预警，请稍后再发。什么都没有发送。
alert-confirm =
    👆 上面是收件人会看到的预警。
    将发送给 { $users } 位订阅者和 { $groups } 个群。确认发送吗？
btn-alert-send = 📣 发送
btn-alert-cancel = 取消
btn-alert-stop = ⏹ 停止发送
alert-discarded = 已取消，什么都没有发送。
alert-not-yours = 这个按钮只有发布这条预警的管理员可以使用，什么都没有改变。
alert-not-draft = 这条预警已经开始发送或已取消了。
alert-stopping = 正在停止，剩下的不再发送。

alert-progress =
    📣 <b>正在发送预警 #{ $id }</b>
    已送达 { $sent } / { $total }
    失败 { $failed } · 已屏蔽机器人 { $blocked }
    预计还需 { $eta }
alert-eta-seconds = { $s } 秒
alert-eta-minutes = { $m } 分 { $s } 秒
alert-summary-done =
    ✅ <b>预警 #{ $id } 发送完毕</b>
    已送达 { $sent } / { $total }
    失败 { $failed } · 已屏蔽机器人 { $blocked } · 超时未确认 { $unknown }
alert-summary-cancelled =
    ⏹ <b>预警 #{ $id } 已停止</b>
    已送达 { $sent } / { $total } · 未发送 { $cancelled }
    失败 { $failed } · 已屏蔽机器人 { $blocked } · 超时未确认 { $unknown }

broadcasts-title = 📊 <b>最近的群发</b>
broadcasts-item = #{ $id } · { $date } · { $state } · 送达 { $sent }/{ $total } · 失败 { $failed } · 屏蔽 { $blocked } · 未确认 { $unknown }
broadcasts-none = 还没有群发记录。
broadcast-state-running = 发送中
broadcast-state-done = 已完成
broadcast-state-cancelled = 已停止

group-welcome = 👋 大家好，我是京东被盗维权助手。群管理员发 /alerts_on 即可让本群接收诈骗预警（随时用 /alerts_off 关闭）。个人问题请私聊我。
group-alerts-on = 🔔 本群已开启诈骗预警。关闭请发 /alerts_off。
group-alerts-off = 🔕 本群已关闭诈骗预警。重新开启请发 /alerts_on。
group-admin-only = ⛔ 只有群管理员或群主可以更改本群的诈骗预警设置。
group-only = 这个命令要在群里使用。私聊时请用 /subscribe 和 /unsubscribe。
