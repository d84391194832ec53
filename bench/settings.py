"""The hotline's own settings, plus the benchmark's baseline routes (bench/asgi.py) and a static folder of its own.

Everything else comes from hotline/settings.py and the environment bench/run.py sets, so the product and its
baselines are served by the same process with the same middleware, database and channel layer.
"""

from hotline.settings import *  # noqa: F403
from hotline.settings import BASE_DIR

ROOT_URLCONF = "bench.asgi"
STATIC_ROOT = BASE_DIR / "var" / "bench" / "static"
