"""The search in a real browser (issue #9 item 1): headless Chromium opens
the built example site from disk (file://, where a page may load scripts
but not fetch() files), a search is typed in the box of the home page and
submitted with Enter, and the results page lists what the open data says
it should (the same from a web server). Filters (?thon=, ?linh-vuc=,
?trang-thai=) and references ("GM2026-004") likewise.

Chromium is driven through the DevTools protocol over a pipe
(--remote-debugging-pipe: NUL-separated JSON on file descriptors 3 and 4),
so no websocket library is needed. Without a Chromium on the machine the
tests are skipped, saying so (Debian: apt-get install chromium)."""
import functools
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import unicodedata
import unittest

from helpers import EXAMPLE, THEME, read_json, run

CHROMIUM = (shutil.which("chromium") or shutil.which("chromium-browser")
            or shutil.which("google-chrome"))
WAIT = 60  # seconds; the test machine is shared and slow at times


def fold(s):
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.category(c).startswith("M"))
    return s.lower().replace("đ", "d")


def plain(h):
    return html.unescape(re.sub(r"<[^>]+>", " ", h))


def published(q):
    """What a question's page shows of it, folded: what is indexed."""
    return fold(" ".join(
        [plain(q["question_html"]), plain(q["answer_html"] or ""),
         q["hamlet"]["name"], q["topic"]["name"], q["asked_by"] or "",
         q["ref"]] + [plain(p["note_html"]) for p in q["progress"]]))


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves the built site without a line per request."""

    def log_message(self, *args):
        pass


class Browser:
    """One headless Chromium and one page of it, over the DevTools pipe."""

    def __init__(self, profile):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def fds():
            # Chromium reads commands on fd 3 and writes on fd 4. Moved
            # through high numbers first: a pipe may already be 3 or 4, and
            # dup2 onto itself would keep its close-on-exec flag.
            r, w = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(r, 3)
            os.dup2(w, 4)

        args = [CHROMIUM, "--headless", "--remote-debugging-pipe",
                "--user-data-dir=" + profile, "--no-first-run",
                "--disable-gpu", "--window-size=360,800",
                "--no-default-browser-check", "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses root otherwise
        self.proc = subprocess.Popen(args, preexec_fn=fds, pass_fds=(),
                                     stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL,
                                     close_fds=False)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        target = self.call("Target.createTarget", url="about:blank")
        self.session = self.call("Target.attachToTarget",
                                 targetId=target["targetId"],
                                 flatten=True)["sessionId"]
        self.call("Page.enable", session=self.session)
        self.call("Runtime.enable", session=self.session)

    def close(self):
        try:
            os.close(self.to_chrome)
        except OSError:
            pass
        try:
            self.proc.terminate()
            self.proc.wait(10)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        os.close(self.from_chrome)

    def _read(self, deadline):
        while b"\0" not in self.buf:
            if time.time() > deadline:
                raise AssertionError("Chromium did not answer")
            chunk = os.read(self.from_chrome, 65536)
            if not chunk:
                raise AssertionError("Chromium exited")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, session=None, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + WAIT
        while True:
            r = self._read(deadline)
            if r.get("id") == self.next_id:
                if "error" in r:
                    raise AssertionError("%s: %s" % (method, r["error"]))
                return r.get("result", {})
            self.events.append(r)

    def page(self, method, **params):
        return self.call(method, session=self.session, **params)

    def eval(self, js):
        r = self.page("Runtime.evaluate", expression=js, returnByValue=True)
        return r.get("result", {}).get("value")

    def goto(self, url):
        self.page("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete' && "
                      "location.href === %s" % json.dumps(url))

    def wait_for(self, js):
        deadline = time.time() + WAIT
        while time.time() < deadline:
            v = self.eval(js)
            if v:
                return v
            time.sleep(0.1)
        raise AssertionError("timed out waiting for: " + js)

    def results(self):
        """The hrefs listed, once the search has finished."""
        self.wait_for("(document.getElementById('tim-trang-thai') || {})"
                      ".textContent && !/Đang tìm/.test(document."
                      "getElementById('tim-trang-thai').textContent) && "
                      "document.getElementById('tim-them').hidden")
        return self.eval("[...document.querySelectorAll('#tim-ket-qua "
                         "a.q-title')].map(a => a.getAttribute('href'))")


@unittest.skipUnless(CHROMIUM, "no Chromium on this machine (Debian: "
                     "apt-get install chromium); the browser search tests "
                     "are skipped")
class SearchInChromium(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="congkhai-browser-")
        cls.site = os.path.join(cls.dir, "site")
        r = run(["build", "-C", EXAMPLE, "--theme", THEME, "-o", cls.site,
                 "--today", "2026-11-20"])
        assert r.returncode == 0, r.stderr
        cls.questions = read_json(os.path.join(
            cls.site, "data", "questions.json"))["questions"]
        cls.browser = Browser(os.path.join(cls.dir, "profile"))

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        shutil.rmtree(cls.dir, True)

    def url(self, rel):
        return "file://" + os.path.join(self.site, rel)

    def search_url(self, query):
        return self.url("tim-kiem/index.html") + "?" + query

    def paths(self, hrefs):
        """Result links (relative to tim-kiem/) as site paths."""
        self.assertTrue(all(h.startswith("../") for h in hrefs), hrefs)
        return [h[3:] for h in hrefs]

    def test_typed_without_diacritics_in_the_box_of_the_home_page(self):
        b = self.browser
        b.goto(self.url("index.html"))
        b.eval("document.getElementById('tim-q').focus()")
        b.page("Input.insertText", text="dat dai")
        for kind in ("keyDown", "keyUp"):
            b.page("Input.dispatchKeyEvent", type=kind, key="Enter",
                   code="Enter", windowsVirtualKeyCode=13,
                   **({"text": "\r"} if kind == "keyDown" else {}))
        b.wait_for("location.pathname.endsWith('/tim-kiem/index.html')")
        self.assertEqual(b.eval("new URLSearchParams(location.search)"
                                ".get('q')"), "dat dai")
        got = self.paths(b.results())
        want = [q["path"] for q in self.questions
                if "dat dai" in fold(plain(q["question_html"]))]
        self.assertTrue(want, "the example has a question about đất đai")
        for p in want:
            self.assertIn(p, got)
        # The search page's own form shows what was searched.
        self.assertEqual(b.eval("document.getElementById('tim-q2').value"),
                         "dat dai")

    def test_with_diacritics_finds_the_same(self):
        b = self.browser
        b.goto(self.search_url("q=dat+dai"))
        plain_results = b.results()
        b.goto(self.search_url("q=%C4%90%E1%BA%A5t+%C4%91ai"))  # Đất đai
        self.assertEqual(b.results(), plain_results)

    def test_filter_by_hamlet(self):
        b = self.browser
        b.goto(self.search_url("thon=go-mit"))
        want = [q["path"] for q in self.questions
                if q["hamlet"]["id"] == "go-mit"]
        self.assertTrue(want)
        self.assertEqual(sorted(self.paths(b.results())), sorted(want))
        # The filter shows as chosen.
        self.assertEqual(b.eval("document.getElementById('tim-thon')"
                                ".value"), "go-mit")

    def test_filters_combine_with_words(self):
        b = self.browser
        b.goto(self.search_url("q=giay&linh-vuc=dat-dai&trang-thai=resolved"))
        got = sorted(self.paths(b.results()))
        pool = [q for q in self.questions if q["topic"]["id"] == "dat-dai"
                and q["status"] == "resolved"]
        # Words match from their start, in all a question's page shows.
        want = sorted(q["path"] for q in pool
                      if re.search(r"\bgiay", published(q)))
        self.assertTrue(0 < len(want) < len(pool), "a discriminating case")
        self.assertEqual(got, want)

    def test_a_reference(self):
        b = self.browser
        q = next(q for q in self.questions if q["ref"] == "GM2026-004")
        for typed in ("GM2026-004", "gm2026-004"):
            b.goto(self.search_url("q=" + typed))
            got = self.paths(b.results())
            self.assertEqual(got[0], q["path"])
            self.assertEqual(len(got), 1)
        # Its status shows as on the lists.
        self.assertEqual(b.eval("document.querySelector('#tim-ket-qua "
                                ".badge').className"),
                         "badge st-" + q["status"])

    def test_from_a_web_server_too(self):
        handler = functools.partial(Quiet, directory=self.site)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        b = self.browser
        b.goto(self.search_url("q=dat+dai"))
        from_disk = b.results()
        b.goto("http://127.0.0.1:%d/tim-kiem/index.html?q=dat+dai"
               % server.server_address[1])
        self.assertEqual(b.results(), from_disk)
        self.assertTrue(from_disk)

    def test_nothing_found_shows_the_lists(self):
        b = self.browser
        b.goto(self.search_url("q=khongcotucnaytrongxa"))
        self.assertEqual(b.results(), [])
        self.assertFalse(b.eval("document.getElementById('tim-thay-the')"
                                ".hidden"))


if __name__ == "__main__":
    unittest.main()
