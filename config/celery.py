"""The Celery application. Its settings are the CELERY_* names in config/settings.py."""

import os
import warnings

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# A container often runs everything as root; Celery's multi-line warning about it on every
# start buries the lines that matter. Run the worker as another user where that is possible.
warnings.filterwarnings("ignore", message="You're running the worker with superuser privileges")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
