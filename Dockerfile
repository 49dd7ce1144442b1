# JD Recovery Bot: long polling against the Bot API (BOT_TOKEN required), data in a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_PATH=/data/bot.sqlite3

WORKDIR /app
# OpenCV (pulled in by the OCR, rapidocr-onnxruntime) needs libGL and GLib, which slim lacks.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgl1 libglib2.0-0 \
    && rm -rf /var/lib/apt/lists/*
# Dependencies first, from pyproject.toml alone: this layer is rebuilt only when pyproject.toml
# changes, not when the code, flows or words do.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt
# Then the code, installed without dependencies (editable: flows/ and locales/ are found next
# to bot/).
COPY README.md ./
COPY bot ./bot
RUN pip install --no-cache-dir --no-deps -e .
COPY flows ./flows
COPY locales ./locales

RUN useradd --system --uid 10001 --no-create-home --home-dir /app bot \
    && mkdir -p /data && chown bot /data
USER bot
VOLUME ["/data"]

# SIGTERM shuts the bot down cleanly; reminders and broadcasts resume on the next start.
# Exit codes: 2 a setting is wrong, 3 Telegram unreachable, 4 token rejected, 5 BOT_API_BASE_URL
# is not a Bot API (README, "Exit codes").
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot", "run"]
