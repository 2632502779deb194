"""gunicorn settings for the portal: gunicorn -c deploy/gunicorn.conf.py union_portal.wsgi

- Bound to the loopback address only: nginx is the one way in (it sets X-Real-IP, which the
  portal trusts for rate limits; exposing gunicorn would let clients choose their address).
- Sync workers, 2 per core + 1: requests are short and mostly database-bound; a slow client is
  buffered by nginx, so sync workers are never held by the network.
- max_requests with jitter recycles workers to keep memory flat over weeks.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"
