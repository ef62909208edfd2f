"""gunicorn settings: ``gunicorn -c python:portal.gunicorn_conf``."""

import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '5000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = 30
graceful_timeout = 20
# The portal writes one line per request itself, without query strings;
# gunicorn's access log would repeat every full URL.
accesslog = None
errorlog = "-"
control_socket_disable = True
wsgi_app = "portal:create_app()"
