## 控制台模式（python -m bot console）：终端里的横幅和提示

console-banner =
    —— 控制台模式（未设置 BOT_TOKEN，不连接 Telegram）——
    数据库：{ $path }
    日志：{ $log }
    输入文字直接发送，/quit 退出。点按钮：输入 #数字（例如 #1），任何时候都有效；不在等你输入文字时，直接输入数字也可以。
    在要你输入金额这类文字的地方，直接输入的数字按文字发送。我发给你的文件保存在 { $files }。先发 /start 试试。
console-file-saved = 📎 文件已保存：{ $path }
console-no-button = 没有编号为 { $n } 的按钮（按钮可能已经更新）；请看最新的按钮编号。
