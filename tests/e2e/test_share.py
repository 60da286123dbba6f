"""Sharing and printing (issue #9 item 5): Open Graph and Twitter card tags
(the question's status in og:title, og:description the page's own meta
description, absolute og:url and og:image, the PNG icon a valid PNG), the
print stylesheet (A4, checked by printing a real page with Chromium when it
is installed; addresses written out; no hyphenation or cut blocks), a
question page printed as a record (unit, date, address), and 404.html that
works from disk and, through a real HTTP server and a real browser, at any
depth and under a base_url path."""
import html
import html.parser
import http.server
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import threading
import unittest
import zlib
from urllib.parse import urljoin, urlsplit
from urllib.request import urlopen

from helpers import read_json, EXAMPLE, THEME, FixtureCase, run, tree_snapshot

TODAY = "2026-11-20"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class Head(html.parser.HTMLParser):
    """<meta>, <link> and <a> of a page, and its inline scripts/styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta, self.links, self.anchors, self.tags = {}, [], [], []
        self._in = None
        self.scripts, self.styles = [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "meta":
            key = a.get("property") or a.get("name")
            if key:
                self.meta[key] = a.get("content")
        elif tag == "link":
            self.links.append(a)
        elif tag == "a" and "href" in a:
            self.anchors.append(a["href"])
        elif tag in ("script", "style"):
            self._in = tag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)


def parse(path):
    p = Head()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p


def build(content, out, today=TODAY):
    return run(["build", "-C", content, "--theme", THEME, "-o", out,
                "--today", today])


class ExampleShare(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="congkhai-test-")
        cls.out = os.path.join(cls.dir, "site")
        r = build(EXAMPLE, cls.out)
        if r.returncode != 0:
            raise AssertionError(r.stderr)
        with open(os.path.join(cls.out, "data", "questions.json"),
                  encoding="utf-8") as f:
            data = json.load(f)
        cls.base = data["site"]["base_url"]
        cls.name = data["site"]["name"]
        cls.questions = data["questions"]
        cls.pages = []
        for dirpath, _, files in os.walk(cls.out):
            for name in files:
                if name.endswith(".html"):
                    cls.pages.append(os.path.relpath(
                        os.path.join(dirpath, name), cls.out))
        cls.pages.sort()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, True)

    def test_open_graph_on_every_page(self):
        for rel in self.pages:
            p = parse(os.path.join(self.out, rel))
            m = p.meta
            self.assertEqual(m.get("og:locale"), "vi_VN", rel)
            self.assertTrue(m.get("og:title"), rel)
            self.assertEqual(m.get("og:site_name"), self.name, rel)
            # The page's own meta description, word for word.
            self.assertEqual(m.get("og:description"), m.get("description"),
                             rel)
            self.assertTrue(m.get("og:description"), rel)
            self.assertEqual(m.get("og:image"),
                             self.base + "assets/icon.png", rel)
            self.assertEqual(m.get("twitter:card"), "summary", rel)
            canon = [l["href"] for l in p.links
                     if l.get("rel") == "canonical"]
            if rel == "404.html":
                self.assertNotIn("og:url", m)
                continue
            self.assertEqual([m.get("og:url")], canon, rel)
            self.assertTrue(m["og:url"].startswith(self.base), rel)

    def test_question_og_title_has_the_status(self):
        for q in self.questions:
            m = parse(os.path.join(self.out, q["path"])).meta
            num = q["id"].split("/")[1]
            self.assertTrue(m["og:title"].startswith(
                "Câu hỏi số %s (%s): " % (num, q["status_label"])),
                m["og:title"])
            self.assertNotIn("<", m["og:description"])

    def test_icon_png_is_a_valid_png(self):
        path = os.path.join(self.out, "assets", "icon.png")
        with open(path, "rb") as f:
            data = f.read()
        self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n")
        pos, chunks, idat = 8, [], b""
        while pos < len(data):
            (n,) = struct.unpack(">I", data[pos:pos + 4])
            kind = data[pos + 4:pos + 8]
            body = data[pos + 8:pos + 8 + n]
            (crc,) = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
            self.assertEqual(zlib.crc32(kind + body), crc, kind)
            chunks.append(kind)
            if kind == b"IHDR":
                w, h, depth, colour = struct.unpack(">IIBB", body[:10])
            if kind == b"IDAT":
                idat += body
            pos += 12 + n
        self.assertEqual(chunks[0], b"IHDR")
        self.assertEqual(chunks[-1], b"IEND")
        # Big enough for a share preview (Twitter's summary: 144 x 144).
        self.assertGreaterEqual(min(w, h), 144)
        self.assertEqual((depth, colour), (8, 2))
        self.assertEqual(len(zlib.decompress(idat)), h * (1 + w * 3))

    def test_print_record_on_question_pages(self):
        q = self.questions[0]
        with open(os.path.join(self.out, q["path"]), encoding="utf-8") as f:
            page = f.read()
        blocks = re.findall(r'<p class="print-only[^"]*">(.*?)</p>', page,
                            re.S)
        text = " ".join(re.sub(r"<[^>]+>", "", b) for b in blocks)
        self.assertIn(self.name, text)
        self.assertIn(q["url"], text)
        # The day of the figures: as_of, the last day a fact changed.
        y, m, d = (int(x) for x in read_json(os.path.join(
            self.out, "data", "questions.json"))["as_of"].split("-"))
        self.assertIn("ngày %d tháng %d năm %d" % (d, m, y), text)

    def test_print_stylesheet(self):
        with open(os.path.join(THEME, "assets", "style.css"),
                  encoding="utf-8") as f:
            css = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
        self.assertRegex(css, r"@page\s*\{[^}]*size:\s*A4")
        start = css.index("@media print")
        depth, i = 0, css.index("{", start)
        for i in range(i, len(css)):
            depth += {"{": 1, "}": -1}.get(css[i], 0)
            if depth == 0:
                break
        printed = css[start:i]
        self.assertRegex(printed,
                         r'a\[href\^="http"\]::after\s*\{[^}]*attr\(href\)')
        self.assertRegex(printed, r"hyphens:\s*none")
        self.assertRegex(printed, r"\.timeline li[^{]*\{[^}]*break-inside:"
                                  r"\s*avoid|[^{]*\.timeline li[^{]*\{"
                                  r"[^}]*break-inside:\s*avoid")
        for rule in re.findall(r"([^{}]+)\{([^}]*)\}", printed):
            if "display: none" in rule[1] or "display:none" in rule[1]:
                for hidden in (".timeline", ".answer", ".facts", ".prose",
                               ".print-only"):
                    self.assertNotIn(hidden, rule[0])

    @unittest.skipUnless(CHROMIUM, "needs Chromium to print a page")
    def test_printed_page_is_a4(self):
        q = self.questions[0]
        pdf = os.path.join(self.dir, "q.pdf")
        subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
             "--no-pdf-header-footer", "--print-to-pdf=" + pdf,
             "file://" + os.path.join(self.out, q["path"])],
            capture_output=True, timeout=120)
        with open(pdf, "rb") as f:
            data = f.read()
        boxes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)",
                               data))
        self.assertTrue(boxes)
        for w, h in boxes:
            # A4 is 595 x 842 points (Chromium's default is Letter).
            self.assertAlmostEqual(float(w), 595.3, delta=1.0)
            self.assertAlmostEqual(float(h), 841.9, delta=1.0)

    def test_404_from_disk(self):
        p = parse(os.path.join(self.out, "404.html"))
        # Styled even where assets/style.css cannot be reached.
        self.assertTrue(p.styles and "font" in p.styles[0])
        refs = [a for a in p.anchors] + [l["href"] for l in p.links]
        self.assertTrue(refs)
        for href in refs:
            if href.startswith(("mailto:", "tel:")):
                continue
            self.assertFalse(urlsplit(href).scheme or href.startswith("/"),
                             "absolute link in 404.html: " + href)
            target = os.path.join(self.out, urlsplit(href).path)
            self.assertTrue(os.path.exists(target), href)
        self.assertFalse([t for t, _ in p.tags if t == "base"])


class Serve404(http.server.SimpleHTTPRequestHandler):
    """A static host: files from `root` under `prefix`, 404.html for the
    rest, as GitHub Pages and common servers do."""
    root = prefix = None

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = urlsplit(self.path).path
        if path.startswith(self.prefix):
            rel = path[len(self.prefix):]
            f = os.path.join(self.root, rel)
            if os.path.isdir(f):
                f = os.path.join(f, "index.html")
            if rel and ".." not in rel and os.path.isfile(f):
                return self.send_file(200, f)
            if not rel:
                return self.send_file(200, os.path.join(self.root,
                                                        "index.html"))
        self.send_file(404, os.path.join(self.root, "404.html"))

    def send_file(self, code, f):
        with open(f, "rb") as fh:
            data = fh.read()
        self.send_response(code)
        ctype = "text/html; charset=utf-8" if f.endswith(".html") else \
            "text/css" if f.endswith(".css") else "application/octet-stream"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@unittest.skipUnless(CHROMIUM, "needs a browser to run the 404's script")
class Served404(FixtureCase):
    """404.html served at a deep address, by a real server, read by a real
    browser: its links and stylesheet must lead into the site."""

    def serve(self, prefix):
        handler = type("H", (Serve404,), {"root": self.out,
                                          "prefix": prefix})
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        self.addCleanup(srv.server_close)
        self.addCleanup(srv.shutdown)
        return "http://127.0.0.1:%d" % srv.server_address[1]

    def dom(self, url):
        r = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
             "--dump-dom", url], capture_output=True, text=True,
            timeout=120)
        p = Head()
        p.feed(r.stdout)
        return p

    def check(self, prefix):
        host = self.serve(prefix)
        deep = host + prefix + "khong/co/trang-nay"
        with self.assertRaises(Exception) as cm:
            urlopen(deep, timeout=30)
        self.assertEqual(getattr(cm.exception, "code", None), 404)
        p = self.dom(deep)
        bases = [a["href"] for t, a in p.tags if t == "base"]
        self.assertEqual(bases, [host + prefix])
        hrefs = [a for a in p.anchors if not a.startswith(("tel:",
                                                           "mailto:"))]
        hrefs += [l["href"] for l in p.links if l.get("rel") == "stylesheet"]
        self.assertIn("index.html", hrefs)
        for href in hrefs:
            with urlopen(urljoin(bases[0], href), timeout=30) as resp:
                self.assertEqual(resp.status, 200, href)

    def test_at_the_host_top(self):
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.check("/")

    def test_under_base_url_path(self):
        self.edit("content/site.yaml",
                  "base_url: https://congkhai.example.invalid/",
                  "base_url: https://congkhai.example.invalid/xa-thu/")
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.check("/xa-thu/")


class SharePrivacy(FixtureCase):
    def test_no_private_data_in_share_tags(self):
        # 001.md of the fixture has a private block (name and phone).
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        for rel, data in tree_snapshot(self.out).items():
            if not rel.endswith(".html"):
                continue
            p = Head()
            p.feed(data.decode("utf-8"))
            shared = " ".join(v or "" for k, v in p.meta.items())
            self.assertNotIn("Bí Mật", shared, rel)
            self.assertNotIn("0912", shared, rel)
            self.assertNotIn(self.dir, shared, rel)


if __name__ == "__main__":
    unittest.main()
