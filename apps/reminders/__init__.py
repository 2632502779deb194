"""Reminders: the in-site inbox, e-mail and digests, and the one way to tell people.

The rule, in one place (every app follows it; none keeps a second path):

- **One person (or a few named people) told about their own record** — call
  ``reminders.services.notify_all([person], kind=, key=, title=, …)`` *inside* the transaction
  that changes the record. The notification row commits or rolls back with the data; its
  e-mail leaves through the outbox after commit. Never a bare ``transaction.on_commit(lambda: …)``.
- **A fan-out** (everyone holding a role, a roster, a station's keepers, the reviewers of a
  campaign) — ``reminders.outbox.enqueue(task, *ids)`` inside the transaction; the task runs after
  commit (or after the broker comes back) and calls ``notify_all`` with the audience, which
  tells each person at most once per natural ``key``.
- **Clock-driven reminders** (deadlines, overdue, digests) are beat tasks that call services
  which call ``notify_all``; the natural key (``app.kind:<record>:<date>``) makes a rerun send nothing.
"""
