"""A stand-in for SendGrid's v3 mail/send endpoint on 127.0.0.1.

Each request takes the next scripted behaviour (then the default):
"202", "429", "500" answer with that status; "hang" waits past the client's
timeout before answering 202 (too late to count); "drop" reads the request
and closes the connection without an answer. Every request's JSON body is
recorded with the behaviour it met.
"""

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict
    body: dict
    behaviour: str


class FakeSendGrid:
    def __init__(self, hang_seconds=1.5):
        self.script = []
        self.default = "202"
        self.received = []
        self.hang_seconds = hang_seconds
        self._lock = threading.Lock()
        self._message_ids = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def then(self, *behaviours):
        """Queue behaviours for the next requests, in order."""
        with self._lock:
            self.script.extend(behaviours)
        return self

    def accepted(self):
        """The bodies that were answered 202 in time, i.e. the delivered ones."""
        return [r.body for r in self.received if r.behaviour == "202"]

    def _next(self, path, headers, body):
        with self._lock:
            behaviour = self.script.pop(0) if self.script else self.default
            self.received.append(Received(path, headers, body, behaviour))
            self._message_ids += 1
            return behaviour, f"fake-{self._message_ids}"

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                body = json.loads(raw) if raw else {}
                behaviour, message_id = fake._next(self.path, dict(self.headers), body)
                if behaviour == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                if behaviour == "hang":
                    time.sleep(fake.hang_seconds)
                    behaviour = "202"
                self._answer(int(behaviour), message_id)

            def _answer(self, status, message_id):
                payload = b"" if status == 202 else b'{"errors":[{"message":"no"}]}'
                try:
                    self.send_response(status)
                    self.send_header("X-Message-Id", message_id)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, as a timed-out client does

            def log_message(self, *args):
                pass

        return Handler
