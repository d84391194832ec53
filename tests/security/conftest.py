import os

from hypothesis import settings

# In CI the examples are derived from the tests themselves, so a red run can be replayed exactly.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
