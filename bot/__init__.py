"""JD Recovery Bot: helps victims of JD.com account theft get their money back."""

import os

# PTB 22 warns on every RetryAfter unless durations are timedelta objects; opt in.
os.environ.setdefault("PTB_TIMEDELTA", "true")
