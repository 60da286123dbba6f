"""A `git daemon` serving bare repositories over loopback for the push
tests: a free port on 127.0.0.1, receive-pack enabled, stopped (its whole
process group) when the test ends."""
import os
import signal
import socket
import subprocess
import time


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class GitDaemon:
    """Serves every repository under base as git://127.0.0.1:PORT/<name>."""

    def __init__(self, testcase, base):
        self.base = base
        self.proc = None
        for _ in range(5):
            port = _free_port()
            proc = subprocess.Popen(
                ["git", "daemon", "--reuseaddr", "--base-path=" + base,
                 "--export-all", "--enable=receive-pack",
                 "--informative-errors", "--listen=127.0.0.1",
                 "--port=%d" % port, base],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and proc.poll() is None:
                if _accepts(port):
                    self.proc, self.port = proc, port
                    testcase.addCleanup(self.stop)
                    return
                time.sleep(0.05)
            self._kill(proc)  # the port was taken meanwhile: another one
        raise RuntimeError("git daemon did not start")

    def url(self, name):
        return "git://127.0.0.1:%d/%s" % (self.port, name)

    @staticmethod
    def _kill(proc):
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait()

    def stop(self):
        if self.proc is not None:
            self._kill(self.proc)
            self.proc = None
