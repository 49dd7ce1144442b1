# Sourced by scripts/run and scripts/check: make .venv and install the project (once per
# pyproject.toml version, so repeated runs start fast).
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
extras="${1:-}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
stamp=".venv/.installed-$(cksum pyproject.toml | cut -d' ' -f1)${extras:+-dev}"
if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"
    touch "$stamp"
fi
