"""Settings of ``bench/fanout.py``: Warden's own, plus django-post-office, the peer it is
measured against. Only the bench process uses them; its workers run ``warden.settings``."""

from warden.settings import *  # noqa: F403
from warden.settings import INSTALLED_APPS as WARDEN_APPS

INSTALLED_APPS = [*WARDEN_APPS, "post_office"]

# The peer sends through Django's SMTP backend to the sink named by EMAIL_URL (EMAIL_HOST and
# EMAIL_PORT above). Batches of 5,000 rather than its default of 100: one pool of processes
# is forked per batch, which would otherwise dominate a run of 100,000.
POST_OFFICE = {
    "BACKENDS": {"default": "django.core.mail.backends.smtp.EmailBackend"},
    "BATCH_SIZE": 5000,
    "DEFAULT_PRIORITY": "medium",
}

LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "post_office": {"level": "WARNING"}}}  # noqa: F405
