## 首次对话：同意、症状、紧急措施、提问、结论与方案

welcome =
    🚨 <b>如果钱正在被转走：先打 110 报警，再打银行卡背面的客服电话冻结卡</b>，然后再回来。

    👋 你好，我是<b>京东被盗维权助手</b>。
    如果你的京东账户被盗或被人乱用，我会一步步陪你处理：
    • 先告诉你<b>现在马上</b>该做的紧急措施；
    • 再问几个简单问题，判断损失是否可能获得京东被盗保障赔付；
    • 为你的情况列出证据清单和在 App 里申请赔付的步骤，并记录案件进度。
    { bot-identity }
bot-identity = ℹ️ 我不是京东，也不是警方；我从不收费，也绝不会让你转账，或索要验证码、密码、完整银行卡号或身份证号。
privacy-short =
    🔒 <b>隐私说明</b>：只有在你同意后，我才会保存案件信息（你选择的情况、回答、进度和你提交的证据）。你可随时用 /export 导出、用 /delete 删除；结案的案件过一段时间会自动删除。不同意也可以，我照样给出紧急措施，但不会保存任何案件信息（聊天记录本身仍留在 Telegram 里，由你自己管理）。详见 /privacy。
btn-consent-yes = ✅ 同意并开始
btn-consent-no = 🚨 不保存，只看紧急措施
consent-thanks = 已记录你的同意。我们开始吧。
anon-note = （未保存模式：我不保存你的选择和打勾；聊天记录本身仍留在 Telegram 里。）
anon-after =
    以上是紧急措施。如果想要完整方案——能否赔付的判断、证据清单、申请步骤和后续提醒——需要保存你的案件信息：点紧急措施下面的「同意保存」按钮，你选的和勾的都会保留。
resume-offer =
    你有一个进行中的案件 <b>#{ $case }</b>（当前：{ $step }）。
    要继续，还是新开一个案件？
btn-resume = ▶️ 继续案件
btn-new-case = ➕ 新开案件
private-only = 请私聊我处理案件，群里不方便填写个人情况。

step-plan-ready = 方案已生成
step-name-symptoms = 选择遇到的情况
step-name-emergency = 紧急措施
step-name-choice = 回答问题
step-name-amount = 填写损失金额
step-name-verdict = 生成结论

triage-symptoms-prompt =
    <b>你看到了哪些异常？</b>
    可多选，点一下选中（✅），再点取消；选好后点「完成」。
symptom-unknown-orders = 出现不认识的订单
symptom-balance-card = 余额减少或绑定的银行卡被扣款
symptom-baitiao = 白条被人使用
symptom-jintiao = 金条被人借款
symptom-ecard-coupons = 京东E卡或优惠券被用掉
symptom-binding-changed = 绑定的手机号或邮箱被改
symptom-unknown-login = 有陌生设备登录
symptom-suspicious-code = 收到可疑验证码或来电
symptom-other = 其他异常
btn-done = 完成 ✔️
symptoms-none = 请至少选择一项再点「完成」。
symptoms-chosen = 你选择的情况：

triage-emergency-prompt =
    <b>先做这些，越快越好：</b>
    每做完一项就点下面对应的按钮打勾。
emergency-urgent = 🚨 <b>钱可能还在被转走：</b>请先打 110 报警并打银行卡背面的客服电话，紧急止付的时间窗口通常很短（警方常说约 30 分钟）。
emergency-added = ⚠️ <b>根据你刚才的回答，请先做这一步：</b>
emergency-stop-scammer = <b>马上切断和对方的联系</b>：挂断电话，停止屏幕共享或会议，卸载对方让你安装的 App；不要再转账、借款或告诉对方任何验证码。然后再做其他措施。
emergency-stop-scammer-short = 挂断、停止共享、卸载 App
emergency-call-110 = 拨打 <b>110</b> 报警，说明账户被人盗用、钱刚被转走或正在被转走，请求紧急止付（警方常说窗口约 30 分钟）。
emergency-call-110-short = 打 110 报警
emergency-call-bank = 打银行卡背面的客服电话，<b>冻结被扣款的卡，或收到金条借款后钱又被转走的那张卡</b>，并询问能否拦截还没完成的交易。
emergency-call-bank-short = 打银行电话冻结卡
emergency-change-passwords = 修改京东<b>登录密码</b>和<b>支付密码</b>，新密码不要和其他网站相同。
emergency-change-passwords-short = 改登录和支付密码
emergency-check-bindings = 在「账户安全」里检查<b>绑定的手机号和邮箱</b>有没有被改，并移除不认识的登录设备。
emergency-check-bindings-short = 检查绑定手机/邮箱
emergency-freeze-pay = 在京东 App「我的 → 客户服务」联系客服，要求<b>冻结京东支付</b>等有风险的支付工具（一般可以在 App 内客服办理）。
emergency-freeze-pay-short = 冻结京东支付
emergency-freeze-baitiao = 通过 App 内客服<b>冻结白条</b>；白条设置里一般也有「锁定白条」可以自己操作。
emergency-freeze-baitiao-short = 冻结/锁定白条
emergency-freeze-jintiao = 通过 App 内客服<b>冻结金条</b>，说明借款不是你本人申请的。
emergency-freeze-jintiao-short = 冻结金条
emergency-password-free-off = 关闭<b>小额免密支付</b>：一般在「我的 → 设置 → 支付设置 → 小额免密」。
emergency-password-free-off-short = 关闭小额免密
emergency-lock-account = 考虑<b>锁定账号</b>：一般在「账户安全 → 账号锁定管理」里，锁定后通常会退出所有登录。
emergency-lock-account-short = 锁定账号
emergency-recover-phone = 绑定手机被改、收不到验证码时：在登录页选「无法接收验证码」申诉找回；人工解绑一般要 1–3 个工作日。在这之前可能改不了密码，所以先通过 App 内客服冻结京东支付、白条和金条。
emergency-recover-phone-short = 找回绑定手机号
emergency-never-share-code = <b>验证码绝不能告诉任何人</b>，包括自称京东客服或警察的人。突然收到京东验证码，说明有人正在尝试登录或操作你的账户。
emergency-never-share-code-short = 验证码绝不告诉别人
btn-proceed = 接下来：回答几个问题 →
tick-saved = 已记录

q-noticed = <b>你是什么时候发现异常的？</b>
q-noticed-hour = 1 小时内
q-noticed-today = 今天
q-noticed-week = 这周内
q-noticed-earlier = 更早
q-amount =
    <b>大约损失了多少钱？</b>（包括被盗刷的白条、金条和 E卡）
    直接输入数字即可，比如 <code>1299.5</code>、<code>1,299元</code>、<code>¥300</code>。不确定就点下面的按钮。
q-amount-invalid = 没看懂这个金额。请只输入数字，比如 <code>1299.5</code> 或 <code>¥300</code>；不确定的话点「不确定」。
q-amount-unknown = 不确定 / 还没算清
q-cause = <b>你觉得可能是怎么发生的？</b>（如实选择：这决定先走哪条路，京东还是警方）
q-cause-code-shared = 我把短信验证码读给或转发给了别人
q-cause-remote = 我按来电者要求共享了屏幕或装了 App
q-cause-talked-into = 有人打电话说服我自己借款或转账
q-cause-phishing = 我在某个链接或 App 里输入过账号信息
q-cause-off-platform = 交易是在京东以外谈的（微信、QQ、二手网站）
q-cause-shared = 我把密码告诉过别人（如亲友）
q-cause-known-person = 可能是我认识的人（家人、朋友）用的
q-cause-none = 以上都没有，我什么都没做
q-cause-unsure = 不确定
q-police = <b>报警了吗？</b>
q-police-reported = 已经报警
q-police-not-yet = 还没有

verdict-intro = 📋 <b>案件 #{ $case } 的初步判断</b>
verdict-covered = 初步看符合被盗保障的两个条件，可以申请
verdict-claimable = 符合条件时可以申请赔付
verdict-considered = 属于平台关注、可能赔付的范围
verdict-at-risk = 可以申请，但结果不确定
verdict-hard = 很难通过京东被盗保障获赔，先走报警途径
verdict-excluded = 通常不在被盗保障范围内
verdict-no-loss = 目前还没有损失：先保护账户，暂时不需要申请
verdict-reason-default = 现有信息不足以判断，结论以京东调查为准。
verdict-reason-orders = 不认识的订单：不是你下单、也没授权任何人，这样从账户被拿走的钱属于被盗保障的损失类型。
verdict-reason-balance = 余额或绑定的卡被扣款：不是你本人操作、也没授权，属于被盗保障的资金损失类型。
verdict-reason-baitiao = 白条被别人用了：在符合条件的情况下可以申请赔付。
verdict-reason-jintiao = 金条被别人借了：在符合条件的情况下可以申请赔付。
verdict-reason-assets = E卡或优惠券被别人用了：属于平台关注、可能赔付的范围，但不像资金损失那样明确。
verdict-reason-unsure = 原因还不清楚：京东会对照你的历史核查设备、地点和操作习惯，结论以审核为准。
verdict-reason-caller-contact = 你收到过可疑验证码或来电：如果按对方要求做过任何事，请如实告诉京东和警方，这会改变判断。
verdict-reason-late = 发现得较晚：时间越久，核查和举证越难，请尽快申请。
verdict-reason-unclear = 损失类型还不明确：请在证据里写清楚具体少了什么。
verdict-reason-code-shared = 你把验证码给了别人：这等于替对方完成了验证，平台通常难以认定为「非本人操作」。这是诈骗，警方途径比京东赔付更重要。
verdict-reason-remote = 按来电者要求共享屏幕或安装 App：平台可能难以认定为被盗，但也不是一定不赔；这是典型诈骗，请先报警，并保留聊天和通话记录。
verdict-reason-talked-into = 被人说服自己借款或转账：钱是你本人操作转出的，京东被盗保障通常难以覆盖。这是诈骗，请立即报警，警方可能拦截或追回资金。
verdict-reason-phishing = 自己在链接或其他 App 里输入过账号信息：平台调查后可能难以认定为被盗；这是诈骗，请务必报警。
verdict-reason-off-platform = 交易是在京东官方渠道以外进行的：这不走京东的被盗赔付流程。这很可能是诈骗，请报警，并向交易所在的平台举报。
verdict-reason-shared = 把密码告诉过别人：平台通常认为这不属于「被盗」，多按个人之间的纠纷处理。
verdict-reason-known-person = 如果是认识的人用了你的账户：平台通常按你们之间的纠纷处理，而不是按「被盗」赔付。
verdict-reason-no-loss = 目前还没有钱或资产损失：赔付只针对实际损失，现在不需要申请，重点是把账户保护好、保留证据。
verdict-reason-no-loss-fraud = 你按对方要求做过操作：即使现在还没少钱，对方可能还会再试。请马上向警方或国家反诈中心 App 举报。
verdict-reason-prompt = 你发现及时并已报警，这对申请有帮助。
verdict-reason-police = 还没报警：报案回执能让申请更有说服力，金额越大越建议报警。
verdict-amount = 登记的损失金额：¥{ $amount }
verdict-amount-unknown = 损失金额：尚未确定（确定后写进申请里）。
verdict-disclaimer = ⚠️ 这只是根据你的回答做的初步判断，不是承诺。是否赔付、赔多少由京东调查和保险条款决定，赔付一般以实际损失为上限。
shield-recovery = 🛡 <b>小心二次诈骗：</b>没有人能收费帮你追回钱。自称能追款的「黑客」「律师」「追款中心」「网警」都是骗子；真警察绝不会让你转账。
shield-caller = 📞 审核期间如果有人自称京东来电：先挂断，再自己打开 App 联系客服核实（京东金融 App 一般也有核验来电真假的功能）；任何验证码都不要给。

route-police-first =
    👮 <b>先走报警途径：</b>这类案件里，警方比京东赔付更关键。
    • 钱刚转走：马上打 110，请求紧急止付（警方常说窗口约 30 分钟）。
    • 报案：去派出所，或用国家反诈中心 App 的「报案助手」。
    • 警方一般会问：你的身份证件、付款账户、每笔金额和时间、对方的账户和收款人、转账凭证、聊天记录、对方给的链接或 App 名称。报案后记得要报案回执。
route-known-person =
    👥 <b>如果是认识的人用的：</b>京东一般不按被盗赔付。可以先和对方沟通、要求退还；谈不拢，可以报警（未经允许使用他人账户消费可能涉嫌违法），或向法院起诉，手里的证据同样有用。
plan-lead-claim = 📎 <b>下一步：准备证据，然后在京东 App 里申请。</b>
plan-lead-police = 📎 <b>下一步：先报警，再把经过告诉京东，并保留证据。</b>
plan-lead-excluded = 📎 <b>下一步：保护好账户，保留证据；下面写了你可以去哪里。</b>
plan-lead-secure = 🔐 <b>下一步：保护好账户，保留证据。</b>现在不需要申请赔付；如果之后发现少了钱，发 /new 开一个新案件。

evidence-intro = 📎 <b>你的证据清单</b>（准备好一项就点一下打勾）：
evidence-never = 🚫 证据里<b>永远不需要</b>密码、短信验证码、完整银行卡号或身份证号，截图前请遮住这些。
evidence-tx-screenshots = 每一笔非本人交易的截图，要能看清<b>订单号、时间和金额</b>。
evidence-tx-screenshots-short = 交易截图
evidence-bank-record = 银行或信用卡的扣款短信、账单截图。
evidence-bank-record-short = 银行扣款记录
evidence-baitiao-bill = 白条账单和分期记录截图。
evidence-baitiao-bill-short = 白条账单
evidence-jintiao-record = 金条借款记录和资金去向截图。
evidence-jintiao-record-short = 金条借款记录
evidence-ecard-record = 京东E卡、优惠券的使用记录截图。
evidence-ecard-record-short = E卡/优惠券记录
evidence-login-records = 「账户安全」里的<b>异常登录记录</b>截图（陌生设备、地点、时间）。
evidence-login-records-short = 异常登录记录
evidence-binding-notice = 手机号、邮箱被修改的通知短信或邮件，以及可疑验证码短信的截图。
evidence-binding-notice-short = 改绑通知/可疑短信
evidence-cs-records = 和京东客服的沟通记录（截图或工单号）。
evidence-cs-records-short = 客服沟通记录
evidence-police-receipt = 报警回执（报案回执）。到派出所报案，警方一般会当场登记并出具回执，上面会写怎么查询进度。
evidence-scam-records = 和对方的聊天记录、通话记录、对方的号码，以及对方发来的链接或让你装的 App 名称（截图保存，不要删除）。
evidence-scam-records-short = 和对方的聊天/通话记录
evidence-police-receipt-short = 报警回执
evidence-timeline = 一份简短的时间线：什么时候发现、哪些交易、已经做了哪些补救。
evidence-timeline-short = 事件时间线

claim-intro = 📝 <b>在京东 App 里申请赔付：</b>
claim-open-app = 打开京东 App，进入「我的」→「客户服务」（或「我的客服」）。
claim-keyword = 在对话框里输入「账户被盗」，进入自助流程，或要求转人工客服。
claim-upload = 按提示上传证据清单里的材料。
claim-describe = 客观写清楚：什么时候发现、哪几笔交易不是你做的、金额多少、已经做了哪些补救（改密码、冻结、报警）。
claim-reachable = 审核期间保持手机畅通，配合补充材料；记下工单号。
claim-expect = 审核一般需要几个工作日，复杂案件会更久；进度可以在客服渠道查询。
claim-tell-jd = 仍然在京东 App「我的 → 客户服务」里说明情况，要求冻结账户和支付工具，并留下记录。
claim-tell-jd-ask = 问清楚平台能做什么（例如拦截还没发货的订单），但不要指望被盗保障一定赔付；把客服的答复截图保存。
claim-intro-tell-jd = 📝 <b>告诉京东：</b>

escalate-intro-now = 🧭 <b>现在就可以做：</b>
escalate-intro-later = 🧭 <b>如果京东拒绝或长时间不答复：</b>
escalate-none = 目前还没有损失，暂时不需要投诉。如果之后发现少了钱，发 /new 开一个新案件。
escalate-110 = <b>110</b>：报警。涉及诈骗或资金被转走时，报案回执对后续每一步都有用。
escalate-antifraud-app = <b>国家反诈中心 App</b>：举报诈骗电话、链接和账号，「报案助手」可以向当地警方报案。
escalate-96110 = <b>96110</b>：反诈预警专线。如果 96110 给你打电话，请接听；它用来劝阻和提醒，不受理报案。
escalate-12321 = <b>12321</b>：举报诈骗短信、电话、网站和 App；举报时不要改动短信原文。
escalate-12315 = <b>12315 / 全国12315平台</b>：与平台的消费纠纷。一般 7 个工作日内决定是否受理，调解最长约 45 个工作日；超过 3 年的纠纷不受理。
escalate-12363 = <b>12363（中国人民银行）</b>：京东支付等支付问题或征信记录问题。需先向机构本身投诉。
escalate-12378 = <b>12378（金融监管总局）</b>：保险理赔被拒、放贷机构或催收问题，一般约 15 个工作日答复。
escalate-court = <b>法院 / 律师</b>：最后的途径，同样的证据都用得上。正规律师不会承诺「保证追回」，也不会让你先付「解冻费」。

plan-footer =
    ✅ 案件 #{ $case } 的方案已保存。下面的按钮打开方案的各部分；随时发 /case 查看进度。
btn-show-emergency = 🚨 紧急措施
btn-show-evidence = 📎 证据清单
btn-show-claim = 📝 申请步骤
btn-show-escalation = 🧭 升级投诉渠道
plan-not-ready = 先回答完问题，方案才会生成。

case-title = 📁 <b>案件 #{ $case }</b> · { $status }
case-opened = 开始于：{ $date }
case-step = 当前：{ $step }
case-symptoms = <b>遇到的情况：</b>
case-emergency-progress = 紧急措施：已完成 { $done } / { $total }
case-evidence-progress = 证据：已准备 { $done } / { $total }
case-verdict = 初步判断：{ $verdict }
case-history = <b>记录：</b>
case-none = 你还没有案件。发 /start 开始。
cases-title = 📂 <b>你的案件</b>
cases-line = { $current ->
        [yes] ▶️
       *[no] •
    } #{ $case } · { $date } · { $status }
btn-open-case = 打开案件 #{ $case }

status-triage = 了解情况中
status-planned = 方案已生成
status-claim-submitted = 已提交申请
status-escalated = 已升级投诉
status-closed = 已结案

event-opened = 开始案件
event-symptoms = 选好了遇到的情况
event-verdict = 得出初步判断：{ $outcome ->
        [covered] 符合被盗保障条件，可以申请
        [claimable] 符合条件时可以申请
        [considered] 可能赔付的范围
        [at_risk] 结果不确定
        [hard] 很难获赔，先报警
        [no_loss] 还没有损失
       *[excluded] 通常不在保障范围内
    }
event-emergency-done = 紧急措施全部完成
event-closed = 案件结束

cancel-done = 好的，先停在这里。案件 #{ $case } 已保存，发 /start 可以从刚才的地方继续。
cancel-nothing = 现在没有正在回答的问题。发 /start 开始或继续。
fallback-idle = 如果你的京东账户被盗或被人乱用，发 /start，我一步步陪你处理。/case 查看案件进度，/help 查看全部功能。
fallback-use-buttons = 这一步请点按钮回答。我把问题再发一次：
secret-warning =
    🛑 <b>请不要发送密码、验证码、银行卡号或身份证号。</b>
    我没有保存这条消息，也已尽量删除它。任何人——包括京东客服——都不会向你要验证码或密码；有人要，就是诈骗。
button-stale = 这个按钮已经过期了，什么都没有改变。请用最新的消息，或发 /case 查看。
button-foreign = 这个按钮不属于你的案件，什么都没有改变。

## 修改回答、金额确认、案件管理、简短的方案页面

triage-symptoms-title = 遇到的情况
q-noticed-title = 发现时间
q-amount-title = 损失金额
q-cause-title = 可能的原因
q-police-title = 是否报警
btn-back = ⬅️ 返回上一步
current-answer = 之前的回答：{ $answer }
amount-echo = ✅ 已记录损失金额：<b>¥{ $amount }</b>
btn-change-amount = ✏️ 改金额
amount-code-confirm =
    这个数字看起来像<b>短信验证码</b>。如果是验证码，请不要发给任何人（包括我）。
    如果它确实是损失金额 ¥{ $amount }，请点下面的按钮确认。
btn-amount-yes = 是的，损失 ¥{ $amount }
btn-amount-retype = 不是，重新输入
amount-zero = 金额是 0。如果还没有少钱，请点「不确定」；或者输入实际损失的金额，比如 <code>300</code>。
amount-too-small = 这个金额不到 1 元，是不是少输了几位？请输入实际损失的金额，比如 <code>300</code>。
amount-negative = 金额不能是负数。请输入损失了多少钱，比如 <code>300</code>。
amount-too-large = 这个金额超过 1000 万元，可能多输了几位。请再检查一下重新输入；不确定就点「不确定」。
edit-menu = ✏️ <b>案件 #{ $case }：要改哪个回答？</b>改完后，判断、证据清单和后续提醒会按新的回答重新计算。
answer-none = 未回答
btn-back-to-plan = ⬅️ 回到方案
btn-edit-answers = ✏️ 修改回答
btn-show-plan = 📋 查看方案
btn-close-case = ✅ 结束案件
btn-delete-case = 🗑 删除案件
btn-consent-keep = ✅ 同意保存，得到完整方案（保留已选和已勾）
consent-thanks-kept = 已记录你的同意。你刚才选的情况和打的勾都已保存，接着往下走吧。
status-at-step = 进行中：{ $step }
event-changed = 修改了回答：{ $what }
case-closed-ok = 已结束
case-closed = 案件 #{ $case } 已结束，后续提醒也已停止。需要时发 /cases 查看，或发 /new 开新案件。
case-delete-confirm = 确定删除案件 #{ $case } 吗？它的记录、提醒和证据信息都会删除，无法恢复。
btn-delete-case-yes = 🗑 确定删除案件 #{ $case }
btn-keep-case = 保留
case-deleted = 案件 #{ $case } 已删除。
case-kept = 好的，案件 #{ $case } 保留。
cases-hint = 打开一个案件后，可以继续、修改回答、结束或删除它。
fallback-symptoms = 请用上面的按钮选出你看到的情况，再点「完成」。
fallback-emergency = 照着上面的紧急措施做，做完一项点一下打勾；准备好了点「接下来：回答几个问题」。
fallback-paused = 案件 #{ $case } 停在：{ $step }。点下面的按钮继续。
fallback-planned = 案件 #{ $case } 的方案已经生成。点下面的按钮查看方案，或修改回答；发 /help 查看全部功能。
