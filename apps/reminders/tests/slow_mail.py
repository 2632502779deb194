"""A test e-mail backend: writes each message to EMAIL_FILE_PATH (one file per message, as the
mail server would hold it), then waits SLOW_MAIL_SECONDS — the window in which a worker can be
killed after the server accepted the message but before the portal recorded it as sent."""

import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, messages):
        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        for message in messages:
            (folder / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "0")))
        return len(messages)
