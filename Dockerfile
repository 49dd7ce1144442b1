# JD Recovery Bot: long polling against the Bot API (BOT_TOKEN required), data in a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_PATH=/data/bot.sqlite3

WORKDIR /app
# Dependencies first so code changes do not re-install them.
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-cache-dir -e .
COPY flows ./flows
COPY locales ./locales

RUN useradd --system --uid 10001 --no-create-home --home-dir /app bot \
    && mkdir -p /data && chown bot /data
USER bot
VOLUME ["/data"]

# SIGTERM shuts the bot down cleanly; reminders and broadcasts resume on the next start.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot", "run"]
