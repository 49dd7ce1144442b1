# Sourced by scripts/run and scripts/check: make .venv and install the project (once per
# pyproject.toml version, so repeated runs start fast). Set EXTRAS (e.g. "[dev]") before
# sourcing: POSIX sh does not pass arguments to a sourced file.
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
extras="${EXTRAS:-}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
stamp=".venv/.installed-$(cksum pyproject.toml | cut -d' ' -f1)${extras:+-dev}"
if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"
    touch "$stamp"
fi
