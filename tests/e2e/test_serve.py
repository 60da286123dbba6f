"""congkhai serve, with a real HTTP client against the real server: pages
and assets with their Content-Type, folder URLs, paths that leave the
built folder refused (however encoded, and through symbolic links the
server itself would have to follow), 200 requests at once, a rebuild and
reload after an edit (also in a folder made after the start), the build's
errors shown HTML-escaped and the last good assets still served, a clean
stop on SIGINT and SIGTERM with the temporary folder removed."""
import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import threading
import time
import unittest
import urllib.parse

from helpers import CONGKHAI, FIXTURES, THEME, run, tmpdir, write

TODAY = "2025-07-01"
Q1 = "content/dialogues/hoi-nghi-2025/questions/001.md"
RELOAD = "/__congkhai/version"
SCRIPT_MARK = "congkhai serve: reloads after a rebuild"
# A rebuild of the small fixture takes well under a second; the sanitizer
# build on a busy machine is much slower.
WAIT = 60


class Server:
    """One `congkhai serve --port 0` in its own process; TMPDIR points into
    the test's folder, so its private folder can be found and checked."""

    def __init__(self, top, args=(), env_extra=None):
        self.top = top
        self.tmp = os.path.join(top, "tmp")
        os.makedirs(self.tmp, exist_ok=True)
        env = dict(os.environ)
        env.pop("GLIBC_TUNABLES", None)
        env.update(env_extra or {})
        env["TMPDIR"] = self.tmp
        self.proc = subprocess.Popen(
            [CONGKHAI, "serve", "-C", "content", "--theme", THEME,
             "--port", "0", "--today", TODAY] + list(args),
            cwd=top, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.stderr = []
        self._drain = threading.Thread(target=self._read_stderr, daemon=True)
        self._drain.start()
        line = self._readline(WAIT)
        m = re.match(r"congkhai serve: http://\[?([0-9a-f.:]+?)\]?:(\d+)/ "
                     r"\(built into (\S+); ", line)
        if not m:
            self.stop()
            raise AssertionError("no URL printed: %r %s" %
                                 (line, "".join(self.stderr)))
        self.host, self.port, self.site = m.group(1), int(m.group(2)), \
            m.group(3)
        self.private = os.path.dirname(self.site)

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.stderr.append(line.decode("utf-8", "replace"))

    def _readline(self, timeout):
        end = time.time() + timeout
        buf = b""
        fd = self.proc.stdout.fileno()
        while not buf.endswith(b"\n") and time.time() < end:
            r, _, _ = select.select([fd], [], [], 0.2)
            if r:
                c = os.read(fd, 1)
                if not c:
                    break
                buf += c
        return buf.decode("utf-8", "replace")

    def request(self, path, method="GET"):
        """(status, headers dict with lower-case names, body bytes); the
        path is sent exactly as given (no client-side normalising)."""
        c = http.client.HTTPConnection(self.host, self.port, timeout=WAIT)
        try:
            c.putrequest(method, path, skip_accept_encoding=True)
            c.endheaders()
            r = c.getresponse()
            body = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, body
        finally:
            c.close()

    def version(self):
        status, headers, body = self.request(RELOAD)
        assert status == 200, status
        assert headers["content-type"] == "application/json"
        return json.loads(body)

    def wait_version(self, after):
        """The state once the version has moved past `after`."""
        end = time.time() + WAIT
        while time.time() < end:
            v = self.version()
            if v["version"] > after:
                return v
            time.sleep(0.05)
        raise AssertionError("no rebuild after version %d: %s" %
                             (after, "".join(self.stderr)))

    def wait_page(self, url, text, status=200):
        """The page's body once url answers status with text in it: a save
        may come as more than one burst, so more than one rebuild."""
        end = time.time() + WAIT
        while time.time() < end:
            s, h, body = self.request(url)
            page = body.decode("utf-8", "replace")
            if s == status and text in page:
                return page
            time.sleep(0.05)
        raise AssertionError("%s never answered %d with %r: %d %s %s" %
                             (url, status, text, s, page[:500],
                              "".join(self.stderr)))

    def stop(self, sig=signal.SIGTERM):
        """Stops the server (once); returns its exit status."""
        if self.proc.stdout.closed:
            return self.proc.returncode
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(WAIT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        self._drain.join(5)
        self.proc.stdout.close()
        return rc


class ServeCase(unittest.TestCase):
    def setUp(self):
        self.dir = tmpdir(self)
        shutil.copytree(os.path.join(FIXTURES, "minimal"),
                        os.path.join(self.dir, "content"))
        # Assets of every kind the server names, published from static/.
        static = os.path.join(self.dir, "content", "static")
        write(os.path.join(static, "app.js"), "console.log('xin chao');\n")
        with open(os.path.join(static, "anh.png"), "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
        self.server = Server(self.dir)
        self.addCleanup(self.stopped, self.server)

    def stopped(self, srv):
        """Every server ends with status 0 (under the sanitizers too: a
        leak or an error found at exit changes it)."""
        self.assertEqual(srv.stop(), 0, "".join(srv.stderr))

    def path(self, rel):
        return os.path.join(self.dir, rel)

    def edit(self, rel, old, new):
        with open(self.path(rel), encoding="utf-8") as f:
            text = f.read()
        self.assertIn(old, text)
        # As editors save: a new file renamed over the old one (made
        # outside the watched folders, so no stray file is ever built).
        tmp = self.path("edit.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, 1))
        os.replace(tmp, self.path(rel))

    def get_text(self, url, status=200):
        s, h, body = self.server.request(url)
        self.assertEqual(s, status, body[:300])
        return h, body.decode("utf-8")

    def proc_file(self, srv, name):
        with open("/proc/%d/%s" % (srv.proc.pid, name), "rb") as f:
            return f.read()

    def test_restarted_with_huge_pages_for_the_heap(self):
        """main.c starts the program once more with glibc's heap on huge
        pages (a tunable read from the environment only), and leaves a
        GLIBC_TUNABLES of the user's as it is; not under AddressSanitizer,
        whose allocator is its own."""
        if not os.path.exists("/proc/self/environ"):
            self.skipTest("no /proc to read a process's environment from")
        env = self.proc_file(self.server, "environ").split(b"\0")
        asan = b"libasan" in self.proc_file(self.server, "maps")
        tunables = [e for e in env if e.startswith(b"GLIBC_TUNABLES=")]
        if asan:
            self.assertEqual(tunables, [])
        else:
            self.assertEqual(tunables,
                             [b"GLIBC_TUNABLES=glibc.malloc.hugetlb=1"])
        self.assertEqual(self.server.request("/")[0], 200)

        mine = Server(self.dir, env_extra={
            "GLIBC_TUNABLES": "glibc.malloc.perturb=0"})
        try:
            env = self.proc_file(mine, "environ").split(b"\0")
            self.assertIn(b"GLIBC_TUNABLES=glibc.malloc.perturb=0", env)
            self.assertEqual(
                len([e for e in env if e.startswith(b"GLIBC_TUNABLES=")]),
                1)
            self.assertEqual(mine.request("/")[0], 200)
        finally:
            self.stopped(mine)

    def test_pages_and_assets_with_their_types(self):
        srv = self.server
        want = {
            "/": "text/html; charset=utf-8",
            "/index.html": "text/html; charset=utf-8",
            "/assets/style.css": "text/css; charset=utf-8",
            "/assets/icon.svg": "image/svg+xml",
            "/data/questions.json": "application/json",
            "/data/questions.csv": "text/csv; charset=utf-8",
            "/static/app.js": "text/javascript; charset=utf-8",
            "/static/anh.png": "image/png",
        }
        for url, ctype in want.items():
            s, h, body = srv.request(url)
            self.assertEqual(s, 200, url)
            self.assertEqual(h["content-type"], ctype, url)
            self.assertEqual(h.get("x-content-type-options"), "nosniff")
            if not ctype.startswith("text/html"):
                # Assets are the built files byte for byte.
                with open(srv.site + url, "rb") as f:
                    self.assertEqual(body, f.read(), url)
        s, h, body = srv.request("/static/anh.png", method="HEAD")
        self.assertEqual((s, body), (200, b""))
        self.assertEqual(h["content-length"], str(8 + 256))

    def test_reload_script_only_in_responses(self):
        srv = self.server
        _, page = self.get_text("/")
        with open(os.path.join(srv.site, "index.html"), encoding="utf-8") as f:
            on_disk = f.read()
        self.assertNotIn(SCRIPT_MARK, on_disk)
        self.assertNotIn(RELOAD, on_disk)
        self.assertIn(SCRIPT_MARK, page)
        self.assertIn(RELOAD, page)
        # The script sits just before </body>; the rest is the file.
        m = re.search(r"<script>/\* congkhai serve:.*?</script>\n", page,
                      re.S)
        self.assertEqual(page[:m.start()] + page[m.end():], on_disk)
        self.assertEqual(page[m.end():].lstrip().lower()[:7], "</body>")
        self.assertEqual(srv.version(), {"version": 1, "ok": True})
        # The user's site/ is never touched: the build is private.
        self.assertFalse(os.path.exists(self.path("site")))
        self.assertTrue(srv.site.startswith(srv.tmp + "/"))

    def test_folder_urls_serve_index(self):
        srv = self.server
        _, index = self.get_text("/index.html")
        _, root = self.get_text("/")
        self.assertEqual(root, index)
        _, a = self.get_text("/doi-thoai/hoi-nghi-2025/001/")
        _, b = self.get_text("/doi-thoai/hoi-nghi-2025/001/index.html")
        self.assertEqual(a, b)
        self.assertIn("Đề nghị cấp giấy chứng nhận", a)
        # Without its '/', relative links would break: redirect.
        s, h, _ = srv.request("/doi-thoai/hoi-nghi-2025/001")
        self.assertEqual(s, 301)
        self.assertEqual(h["location"], "/doi-thoai/hoi-nghi-2025/001/")
        s, h, body = srv.request("/khong-co-trang-nay/")
        self.assertEqual(s, 404)
        self.assertIn("Không tìm thấy trang", body.decode("utf-8"))
        s, _, _ = srv.request("/", method="POST")
        self.assertEqual(s, 405)

    def test_refuses_paths_outside_the_folder(self):
        srv = self.server
        secret = "BI-MAT-NGOAI-THU-MUC"
        # Beside the built folder, in the private folder and above it.
        write(os.path.join(srv.private, "secret.txt"), secret)
        write(os.path.join(srv.tmp, "secret.txt"), secret)
        write(self.path("secret.txt"), secret)
        # Symbolic links the server would have to follow out of the
        # folder (the build refuses them in content/static, so they are
        # put into the built folder itself), and one that stays inside.
        os.symlink(os.path.join(srv.private, "secret.txt"),
                   os.path.join(srv.site, "leak.txt"))
        os.symlink(self.dir, os.path.join(srv.site, "leakdir"))
        os.symlink("/etc", os.path.join(srv.site, "assets", "etc"))
        os.symlink("style.css", os.path.join(srv.site, "assets", "alias.css"))
        for url in ["/../secret.txt", "/../../secret.txt",
                    "/../../../secret.txt", "/%2e%2e/secret.txt",
                    "/%2E%2E/%2e%2e/secret.txt", "/assets/../../secret.txt",
                    "/..%2fsecret.txt", "/assets%2f..%2f..%2fsecret.txt",
                    "/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret.txt",
                    "/./index.html", "/leak.txt", "/leakdir/secret.txt",
                    "/leakdir/content/site.yaml", "/assets/etc/passwd",
                    "/assets/etc/", "%2e%2e/secret.txt",
                    "/" + urllib.parse.quote(self.path("secret.txt"), "")]:
            s, _, body = srv.request(url)
            self.assertIn(s, (403, 404), url)
            self.assertNotIn(secret.encode(), body, url)
            self.assertNotIn(b"root:", body, url)
        self.assertEqual(srv.request("/leak.txt")[0], 403)
        self.assertEqual(srv.request("/%2e%2e/secret.txt")[0], 403)
        s, h, body = srv.request("/assets/alias.css")
        self.assertEqual((s, h["content-type"]), (200,
                                                  "text/css; charset=utf-8"))

    def test_200_requests_at_once(self):
        srv = self.server
        urls = ["/", "/assets/style.css", "/data/questions.json",
                "/doi-thoai/hoi-nghi-2025/002/", "/static/anh.png"]
        expect = {u: srv.request(u)[2] for u in urls}
        results = [None] * 200
        barrier = threading.Barrier(200)

        def one(i):
            u = urls[i % len(urls)]
            try:
                c = http.client.HTTPConnection(srv.host, srv.port,
                                               timeout=WAIT)
                c.connect()
                barrier.wait(WAIT)  # every connection open, then go
                c.request("GET", u)
                r = c.getresponse()
                results[i] = (r.status, r.read() == expect[u])
                c.close()
            except Exception as e:  # reported below, per request
                results[i] = ("error", repr(e))

        threads = [threading.Thread(target=one, args=(i,))
                   for i in range(200)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(2 * WAIT)
        self.assertEqual(results, [(200, True)] * 200)
        self.assertIsNone(srv.proc.poll())

    def test_rebuilds_and_reloads_after_an_edit(self):
        srv = self.server
        v0 = srv.version()["version"]
        self.edit(Q1, "Đề nghị cấp giấy chứng nhận",
                  "Đề nghị SỬA MỚI cấp giấy chứng nhận")
        v = srv.wait_version(v0)
        self.assertTrue(v["ok"])
        page = srv.wait_page("/doi-thoai/hoi-nghi-2025/001/",
                             "Đề nghị SỬA MỚI cấp giấy chứng nhận")
        self.assertRegex(page, r"var v=%d;" % srv.version()["version"])
        # A theme change rebuilds too.
        theme = os.path.join(self.dir, "theme")
        shutil.copytree(THEME, theme)
        srv2 = Server(self.dir + "/", ["--theme", theme])
        self.addCleanup(self.stopped, srv2)
        w0 = srv2.version()["version"]
        with open(os.path.join(theme, "assets", "style.css"), "a") as f:
            f.write("\n.them-moi { color: red; }\n")
        srv2.wait_version(w0)
        srv2.wait_page("/assets/style.css", ".them-moi")

    def test_watches_folders_made_after_the_start(self):
        srv = self.server
        v0 = srv.version()["version"]
        d = self.path("content/dialogues/hoi-nghi-moi")
        os.makedirs(os.path.join(d, "questions"))
        shutil.copy(self.path("content/dialogues/hoi-nghi-2025/index.md"),
                    os.path.join(d, "index.md"))
        shutil.copy(self.path(Q1), os.path.join(d, "questions", "009.md"))
        srv.wait_version(v0)
        srv.wait_page("/doi-thoai/hoi-nghi-moi/009/", "Đề nghị cấp")
        # An edit inside the new, nested folder is seen as well (without
        # a watch on it, the page would never change).
        self.edit("content/dialogues/hoi-nghi-moi/questions/009.md",
                  "Đề nghị cấp", "Câu hỏi TRONG THƯ MỤC MỚI: đề nghị cấp")
        srv.wait_page("/doi-thoai/hoi-nghi-moi/009/",
                      "Câu hỏi TRONG THƯ MỤC MỚI")

    def test_errors_shown_then_recovered(self):
        srv = self.server
        v0 = srv.version()["version"]
        self.edit(Q1, "channel: registered", 'channel: <b>"registered"')
        v = srv.wait_version(v0)
        self.assertFalse(v["ok"])
        for url in ["/", "/doi-thoai/hoi-nghi-2025/002/", "/khong-co/"]:
            s, h, body = srv.request(url)
            self.assertEqual(s, 500, url)
            self.assertEqual(h["content-type"], "text/html; charset=utf-8")
            page = body.decode("utf-8")
            self.assertRegex(page, r"dialogues/hoi-nghi-2025/questions/"
                             r"001\.md:\d+:\d+: error: unknown channel")
            self.assertIn("&lt;b&gt;&quot;registered&quot;", page)
            self.assertNotIn('<b>"registered"', page)
            self.assertIn(SCRIPT_MARK, page)  # it reloads when fixed
        # The last good site still serves its assets.
        s, h, _ = srv.request("/assets/style.css")
        self.assertEqual((s, h["content-type"]),
                         (200, "text/css; charset=utf-8"))
        self.assertEqual(srv.request("/data/questions.json")[0], 200)
        # The fix brings the site back.
        self.edit(Q1, 'channel: <b>"registered"', "channel: registered")
        srv.wait_version(v["version"])
        srv.wait_page("/doi-thoai/hoi-nghi-2025/001/",
                      "Đề nghị cấp giấy chứng nhận")
        self.assertTrue(srv.version()["ok"])

    def test_symlink_out_of_static_is_a_build_error(self):
        srv = self.server
        secret = "BI-MAT-NGOAI-THU-MUC"
        write(self.path("secret.txt"), secret)
        v0 = srv.version()["version"]
        os.symlink(self.path("secret.txt"),
                   self.path("content/static/leak.txt"))
        v = srv.wait_version(v0)
        self.assertFalse(v["ok"])
        s, _, body = srv.request("/")
        self.assertEqual(s, 500)
        self.assertRegex(body.decode("utf-8"),
                         r"static/leak\.txt:1:1: error")
        s, _, body = srv.request("/static/leak.txt")
        self.assertIn(s, (403, 404, 500))
        self.assertNotIn(secret.encode(), body)

    def stop_cleanly(self, sig):
        srv = self.server
        self.get_text("/")
        self.assertTrue(os.path.isdir(srv.private))
        self.assertEqual(srv.stop(sig), 0, "".join(srv.stderr))
        self.assertFalse(os.path.exists(srv.private))
        self.assertEqual(os.listdir(srv.tmp), [])
        with self.assertRaises(OSError):
            socket.create_connection((srv.host, srv.port), timeout=5)

    def test_stops_cleanly_on_sigint(self):
        self.stop_cleanly(signal.SIGINT)

    def test_stops_cleanly_on_sigterm(self):
        self.stop_cleanly(signal.SIGTERM)


class ServeOptions(unittest.TestCase):
    def test_usage_errors(self):
        for args in (["--port", "x"], ["--port", "70000"],
                     ["--bind", "localhost-ish"], ["extra"]):
            r = run(["serve"] + args)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn("congkhai serve:", r.stderr)
        r = run(["serve", "--help"])
        self.assertEqual(r.returncode, 0)
        self.assertIn("--port N", r.stdout)

    def test_ipv6(self):
        try:
            with socket.socket(socket.AF_INET6) as probe:
                probe.bind(("::1", 0))
        except OSError:
            self.skipTest("no IPv6 loopback on this machine")
        d = tmpdir(self)
        shutil.copytree(os.path.join(FIXTURES, "minimal"),
                        os.path.join(d, "content"))
        srv = Server(d, ["--bind", "::1"])
        try:
            self.assertEqual(srv.host, "::1")
            s, h, body = srv.request("/")
            self.assertEqual(s, 200)
            self.assertIn(SCRIPT_MARK.encode(), body)
        finally:
            self.assertEqual(srv.stop(), 0, "".join(srv.stderr))

    def test_missing_content_folder(self):
        d = tmpdir(self)
        r = run(["serve", "-C", os.path.join(d, "nope"), "--theme", THEME,
                 "--port", "0"], env={"TMPDIR": d}, timeout=60)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(os.listdir(d), [])

    def test_port_in_use(self):
        d = tmpdir(self)
        shutil.copytree(os.path.join(FIXTURES, "minimal"),
                        os.path.join(d, "content"))
        busy = socket.socket()
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        self.addCleanup(busy.close)
        os.makedirs(os.path.join(d, "tmp"))
        r = run(["serve", "-C", "content", "--theme", THEME, "--port",
                 str(busy.getsockname()[1]), "--today", TODAY],
                cwd=d, env={"TMPDIR": os.path.join(d, "tmp")}, timeout=120)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("cannot listen", r.stderr)
        self.assertEqual(os.listdir(os.path.join(d, "tmp")), [])


if __name__ == "__main__":
    unittest.main()
