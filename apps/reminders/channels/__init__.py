"""Outside channels of reminders: who can be reached where (``reach``), the senders behind one
interface with console defaults (``senders``), and the messages fitted to each channel's rules
(``messages``). The delivery rules themselves are in ``apps.reminders.deliveries``."""
