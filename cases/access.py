"""Case references and access codes.

The reference is short and readable (it names the case, it is not a secret). The access code is the reporter's
key: 16 symbols of a 32-symbol alphabet (80 bits), shown once, stored only as its SHA-256. A fast hash is enough
for a random 80-bit secret; a slow one would only protect guessable passwords.
"""

import hashlib
import hmac
import re
import secrets

# No 0/O, 1/I/L: a frightened child copies a reference from a phone screen onto paper.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8
# Crockford's base32: 32 symbols, 5 bits each, readers' mistakes (O, I, L, U) folded back on input.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16
CODE_BITS = CODE_LENGTH * 5
_CODE_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
_NOT_CODE = re.compile(r"[\s\-_.]")


def new_reference() -> str:
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{body[:4]}-{body[4:]}"


def normalize_reference(raw: str | None) -> str:
    cleaned = _NOT_CODE.sub("", (raw or "").upper())[: REFERENCE_LENGTH + 4]
    if len(cleaned) != REFERENCE_LENGTH:
        return ""
    return f"{cleaned[:4]}-{cleaned[4:]}"


def new_access_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_access_code(raw: str | None) -> str:
    return _NOT_CODE.sub("", (raw or "").upper()).translate(_CODE_FOLD)[:64]


def format_access_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def hash_access_code(code: str | None) -> str:
    return hashlib.sha256(normalize_access_code(code).encode()).hexdigest()


def access_code_matches(code: str | None, stored_hash: str | None) -> bool:
    return hmac.compare_digest(hash_access_code(code), stored_hash or "")
