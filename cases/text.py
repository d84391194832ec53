"""Text from the public that staff will read: without the characters that make it read differently than it is."""

import re

# Bidirectional controls (LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI; LRM, RLM): "gnp.exe" with a right-to-left
# override reads "exe.png". Vietnamese and every script the hotline receives read correctly without them.
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_bidi(text):
    """The text without bidirectional control characters (None and "" stay empty)."""
    return BIDI_CONTROLS.sub("", text or "")
