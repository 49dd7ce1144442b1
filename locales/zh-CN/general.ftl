## 帮助、语言、隐私、兜底回复

cmd-start = 开始或继续处理案件
cmd-case = 查看当前案件和进度
cmd-cases = 我的全部案件
cmd-new = 新开一个案件
cmd-cancel = 停止当前问题
cmd-lang = 切换语言 / Language
cmd-privacy = 隐私说明
cmd-export = 导出我的数据
cmd-delete = 删除我的全部数据
cmd-help = 帮助

help-intro =
    <b>京东被盗维权助手</b>帮助账户被盗的人：先给紧急措施，再判断能否赔付、列出证据清单、指导在 App 里申请，并记录进度。
    我永远不会向你索要密码、验证码、完整卡号或身份证号。
    可用命令：
lang-name-zh = 中文
lang-name-en = English
lang-choose = 请选择语言 / Choose your language:
lang-set = 好的，之后用中文和你交流。

privacy-full =
    🔒 <b>隐私说明</b>
    • 你同意后，我只保存处理案件需要的信息：你选择的情况、按钮回答、损失金额、打勾进度和时间记录，以及你提交的证据（文件、交易、联系记录和你写的说明）。
    • 为了提醒你跟进案件，我会保存提醒的时间和你在提醒里点的按钮；订阅诈骗预警（/subscribe）只保存你的 Telegram ID 和语言。
    • 密码、验证码、完整银行卡号、身份证号一律不收集；如果你发了，我不会保存，并会尽量删除那条消息。
    • 你让我检查的消息（/check）不会保存；只有你点了「这个判断不对」，那条消息才会交给管理员复查，其中的数字都会隐藏。
    • 结案后的案件在 { $days } 天后自动删除；长期无操作的案件也会被删除。
    • /export 导出我保存的关于你的全部数据，/delete 删除全部数据（同时撤回同意）。
    • 这些信息只用于帮你维权，不会提供给他人。
    • 聊天记录本身由 Telegram 保存，不在我这里：/delete 删不掉你那边的消息，需要的话请在 Telegram 里自己删除。
export-nothing = 我没有保存任何关于你的数据。
export-caption = 这是我保存的关于你的全部数据。
delete-confirm = 确定删除你的全部数据（所有案件、进度和同意记录）吗？删除后无法恢复。
btn-delete-yes = 🗑 确定删除
btn-delete-no = 取消
delete-aborted = 已取消，什么都没有删除。
delete-done = 已删除你的全部数据（{ $cases } 个案件）。如需再次使用，发 /start。

fallback-other = 我只能读懂文字和按钮。请发 /start 开始，或 /help 查看能做什么。
error-generic = 抱歉，刚才出了点问题。你的进度已经保存，请再试一次，或发 /case 查看。
delivery-failed = 刚才 Telegram 没能发出我的回复，你的回答已经保存。请过一分钟发 /start，从刚才的地方继续。
