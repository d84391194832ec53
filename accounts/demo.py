"""The demo accounts' fixed authenticator secret (README, "Staff sign-in"): DEBUG only, refused in production."""

import base64

# Base32, as an authenticator app takes it ("enter a setup key"): 20 bytes, 6 digits, 30 seconds, SHA-1.
DEMO_TOTP_SECRET = "HOTLINEDEMOBACNINHTOTPSECRET2345"  # noqa: S105 (published on purpose, DEBUG only)
DEMO_TOTP_KEY_HEX = base64.b32decode(DEMO_TOTP_SECRET).hex()
DEMO_DEVICE_NAME = "demo"
