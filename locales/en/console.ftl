## Console mode (python -m bot console): the banner and the console's own notes

console-banner =
    --- Console mode (BOT_TOKEN is not set; not connected to Telegram) ---
    Database: { $path }
    Log: { $log }
    Type text to send it; /quit leaves. To press a button type #N (e.g. #1), which always works; a bare N works too while I am not waiting for typed text.
    Where I ask you to type something, such as the amount, a bare number is sent as text. Files I send you are saved in { $files }. Try /start first.
console-file-saved = 📎 File saved: { $path }
console-no-button = There is no button { $n } (its message may have changed); use the newest button numbers.
