"""Gunicorn settings for production: `gunicorn cooperation.wsgi` picks this file up
from the working directory. Every value can be overridden from the environment."""

import multiprocessing
import os

# PORT (as set by most platforms) or a full BIND address such as unix:/run/tracker.sock.
bind = os.environ.get("BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"

# The usual 2 × cores + 1 sync workers, capped so a large host does not open
# more PostgreSQL connections than the server allows (one per worker).
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 12)))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow forever; jitter avoids all restarting at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# Load the application once in the master and fork workers from it, warmed up (cooperation/wsgi.py):
# a recycled worker serves at full speed at once. A code change needs a full restart (not HUP).
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") not in {"0", "false", "no", "off"}


def when_ready(server):
    if preload_app:
        from cooperation.wsgi import warm_up

        warm_up()


# Trust X-Forwarded-* only from the reverse proxy on this host.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# %(M)s is the request time in milliseconds.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'
