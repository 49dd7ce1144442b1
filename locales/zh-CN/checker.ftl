## 可疑消息检查：转发或粘贴一条消息，得到判断和红旗

cmd-check = 检查一条可疑消息
checker-prompt = 把可疑的短信、聊天记录或来电里对方说的话发给我：直接粘贴在这里回复，或者把消息转发给我。我不会保存消息内容。
checker-prompt-placeholder = 在这里粘贴可疑消息
checker-no-text = 这条转发里没有文字。请转发文字消息，或把内容粘贴在 /check 后面。
checker-verdict-scam = 🚨 <b>这是诈骗。</b>
checker-verdict-suspicious = ⚠️ <b>可疑，请小心。</b>
checker-verdict-spam = 📢 <b>看起来是广告或推销。</b>
checker-verdict-unknown = ℹ️ <b>没有发现已知的诈骗特征。</b>这不代表一定安全，我只能对照已知的套路。
checker-secret-warning = 🛑 这条消息里有验证码或密码：<b>不要把它告诉任何人</b>，包括自称京东或警察的人。我不会保存它。
checker-flags-intro = <b>发现的危险信号：</b>
checker-flags-intro-mild = <b>里面有诈骗常用的说法：</b>
checker-flags-context = 整条消息读起来更像提醒或正常对话，所以我没有把它判为诈骗。
checker-flag-lookalike = 链接借用了京东的名字，但不是京东的官方网站。
checker-flag-odd-caller = 号码以 +、00 或 192 开头：诈骗电话常用这类号码。
checker-flag-link = 消息里有链接：不要点击，也不要在里面输入任何信息。
checker-why-similar = <b>为什么：</b>它和一条已确认的诈骗消息有 { $percent }% 相似。
checker-why-model = <b>为什么：</b>没有单独哪句话能指出来，但整条消息读起来很像我学过的诈骗消息（统计模型的判断，可能出错，不确定时先核实）。
checker-why-model-flags = <b>为什么：</b>上面这些危险信号，加上整条消息读起来很像我学过的诈骗消息。
checker-resembles = <b>像这种已知骗局：</b>{ $kind }
checker-advice-scam = <b>现在该做的：</b>不要回复、不要点链接、不要转账，挂断电话。可以在国家反诈中心 App 或拨打 12321 举报。如果已经转了钱：马上打 110，然后发 /start 让我帮你处理。
checker-advice-suspicious = <b>现在该做的：</b>先别照对方说的做。自己通过官方渠道核实：对方的官方 App（京东就在京东 App 里找客服），或你本来就存着的号码；不要用消息里给的号码或链接。如果已经转了钱：马上打 110，然后发 /start。
checker-advice-brushing = <b>现在该做的：</b>不要垫付，不要交会员费、保证金或任何“任务”的钱，不要下载对方的 App。要你先付钱再返佣金的“兼职”都是骗局。如果钱已经转出：马上打 110，然后发 /start。
checker-advice-investment = <b>现在该做的：</b>不要进群，不要下载对方给的 App，不要充值或转账。正规投资不会保证收益。如果钱已经转出：马上打 110，然后发 /start。
checker-advice-fake-relative = <b>现在该做的：</b>先别转钱。用你手机里原来存的号码给对方打电话，或者当面问清楚；对方说“别打电话”“别告诉别人”时更要核实。如果钱已经转出：马上打 110，然后发 /start。
checker-advice-spam = 不想收可以按短信里的方式退订；不要点来路不明的链接。
checker-advice-unknown = 如果对方让你转账、给验证码、共享屏幕或下载 App，不管说得多像真的，都先停下来核实。
btn-checker-wrong = 🙋 这个判断不对
btn-checker-case = 🆘 我的钱已经被骗了，开始处理
checker-report-thanks = 谢谢，已交给管理员复查（数字已隐藏）。
checker-report-expired = 这条检查已经过期了，请重新转发那条消息再报告。
reports-only-admins = 只有机器人管理员可以查看报告。
reports-empty = 没有待复查的报告。
reports-line = <b>报告 #{ $id }</b> · { $date } · 判断：{ $verdict } · 类型：{ $kind }
btn-report-scam = ✅ 是诈骗
btn-report-not = ❌ 不是诈骗
btn-report-alert = 📣 发诈骗预警
reports-decided = 已记录
reports-done = 报告 #{ $id }：{ $decision }
checker-alert-body = ⚠️ 有用户收到这样的诈骗消息，请警惕：{ $text }

checker-kind-cancel-credit = 「注销白条/金条，否则影响征信」
checker-truth-cancel-credit = 真相：京东从不要求任何人注销白条、金条或「学生账户」，也不会让你下载会议软件或共享屏幕。要求你把钱转到「安全账户」的都是诈骗。
checker-kind-baiwan = 「百万保障到期要扣费」
checker-truth-baiwan = 真相：百万保障是免费的、自动生效的，没有什么需要取消，也不会扣费。
checker-kind-parcel = 「快递丢了，双倍赔偿」
checker-truth-parcel = 真相：快递丢失由快递公司赔给商家，退款在 App 里原路退回，不需要进群、扫码或提供银行卡和验证码。
checker-kind-screen-share = 「开个会议，共享一下屏幕」
checker-truth-screen-share = 真相：共享屏幕会让对方看到你的验证码和密码。马上挂断、停止共享、卸载对方让你装的 App，必要时冻结账户。
checker-kind-code = 「把验证码发给我」
checker-truth-code = 真相：任何人要验证码都是诈骗。突然收到京东验证码，说明有人正在用你的账户。
checker-kind-safe-account = 「把钱转到安全账户」
checker-truth-safe-account = 真相：没有「安全账户」。真警察、真客服都不会让你转账。
checker-kind-recovery = 「交钱帮你追回损失」（二次诈骗）
checker-truth-recovery = 真相：网上任何收费「追回损失」的，不管自称黑客、律师、追款中心还是网警，都是诈骗。追回只能通过报警。
checker-kind-fake-refund = 「客服帮你退款」
checker-truth-fake-refund = 真相：京东的退款在 App 里原路退回，不需要你贷款、开通借款额度或转账。
checker-kind-brushing = 「刷单兼职，垫付返佣」
checker-truth-brushing = 真相：刷单本身违法，「先垫付后返佣」的兼职都是诈骗。
checker-kind-investment = 「稳赚高回报投资」
checker-truth-investment = 真相：承诺稳赚、带单、内幕消息的投资都是诈骗。
checker-kind-phishing = 「仿冒京东的链接」
checker-truth-phishing = 真相：京东的网址是 jd.com；借用京东名字的其他网址是钓鱼网站，不要在里面输入任何信息。
checker-kind-fake-relative = 「我是你家人/朋友/领导，急需用钱」
checker-truth-fake-relative = 真相：骗子会盗用或冒充亲友、领导、老师的账号，说换了号、出了事、急需钱。先用你原来存的号码打电话或当面核实，核实前一分钱都不要转。

guard-groups-only = /guard 只能在群里由管理员使用。
guard-admins-only = 只有本群管理员可以设置诈骗消息防护。
guard-usage = 用法：/guard warn（发现诈骗消息时提醒）、/guard delete（删除并提醒，需要删除消息的权限）、/guard off（关闭）。
guard-status = 本群的诈骗消息防护：{ $mode ->
        [warn] 已开启，发现诈骗消息时提醒
        [delete] 已开启，删除诈骗消息并提醒
       *[off] 已关闭
    }
guard-needs-delete-right = 已开启「删除并提醒」，但我还没有删除消息的权限：请在群管理里给我「删除消息」权限；在那之前我只提醒。
guard-warning = ⚠️ 这条消息很像诈骗（{ $kind }）。不要点链接、不要转账、不要给验证码；私聊我 /check 可以查看详情。
guard-deleted = ⚠️ 我删除了一条很像诈骗的消息（{ $kind }）。不要点陌生链接、不要转账、不要给验证码。

checker-image-too-big = 这张图片超过 20 MB，我下载不了。请截一张小一点的图再试。
checker-ocr-busy = 正在读取的截图太多了，请一分钟后再试。
checker-ocr-failed = 这张图片我读不出来。请发一张清晰的截图，或把文字粘贴在 /check 后面。
checker-ocr-empty = 截图里没有读到文字。请把文字粘贴在 /check 后面发给我。
