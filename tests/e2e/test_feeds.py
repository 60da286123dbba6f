"""Following the commune (issue #9 item 2): Atom feeds (RFC 4287) for the
site, each hamlet, topic and department, checked with a real XML parser
against the RFC's required elements and against the open data they come
from; sitemap.xml (sitemaps.org) against the pages really written;
robots.txt; the department pages (co-quan/<id>/), overdue first; and the
links from the pages to all of these."""
import html
import json
import os
import re
import shutil
import tempfile
import unittest
import xml.etree.ElementTree as ET
from urllib.parse import urljoin, urlsplit

from helpers import EXAMPLE, THEME, FixtureCase, run, tree_snapshot, write

TODAY = "2026-11-20"
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T00:00:00\+07:00$")
FEED_MAX = 50


def build(content, out, today=TODAY):
    return run(["build", "-C", content, "--theme", THEME, "-o", out,
                "--today", today])


def events(questions, dialogues):
    """Every event the open data records: (date, entry id, question or
    None, dialogue slug)."""
    ev = []
    for q in questions:
        ev.append((q["received"], q["url"] + "#cau-hoi", q, q["dialogue"]))
        if q["answered"]:
            ev.append((q["answered"], q["url"] + "#tra-loi", q,
                       q["dialogue"]))
        for i, p in enumerate(q["progress"]):
            ev.append((p["date"], "%s#tien-do-%d" % (q["url"], i + 1), q,
                       q["dialogue"]))
    for d in dialogues:
        if d["conclusion_issued"]:
            ev.append((d["conclusion_issued"], d["url"] + "#ket-luan", None,
                       d["slug"]))
    return ev


def parse_feed(path):
    root = ET.parse(path).getroot()
    assert root.tag == ATOM + "feed", root.tag
    return root


class ExampleFeeds(unittest.TestCase):
    """The example commune, built once."""

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
        cls.questions = data["questions"]
        with open(os.path.join(cls.out, "data", "dialogues.json"),
                  encoding="utf-8") as f:
            cls.dialogues = json.load(f)["dialogues"]
        cls.departments = data["site"]["departments"]
        cls.events = events(cls.questions, cls.dialogues)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, True)

    def feed_paths(self):
        paths = ["feed.xml"]
        for top in ("thon", "linh-vuc", "co-quan"):
            for name in sorted(os.listdir(os.path.join(self.out, top))):
                paths.append("%s/%s/feed.xml" % (top, name))
        return paths

    def check_feed(self, rel, expected_events):
        """RFC 4287 required elements, ordering, the limit, and that the
        entries are exactly the newest of expected_events."""
        root = parse_feed(os.path.join(self.out, rel))
        self.assertEqual(root.findtext(ATOM + "id"), self.base + rel)
        self.assertTrue(root.findtext(ATOM + "title").strip())
        updated = root.findtext(ATOM + "updated")
        self.assertRegex(updated, STAMP)
        # Every entry lacks an author: the feed must have one (4.1.1).
        self.assertTrue(root.findtext(ATOM + "author/" + ATOM + "name"))
        selfs = [l for l in root.findall(ATOM + "link")
                 if l.get("rel") == "self"]
        self.assertEqual(len(selfs), 1)
        self.assertEqual(selfs[0].get("href"), self.base + rel)
        alt = [l for l in root.findall(ATOM + "link")
               if l.get("rel") == "alternate"]
        self.assertEqual(len(alt), 1)
        page = alt[0].get("href")
        self.assertTrue(page.startswith(self.base))
        self.assertTrue(os.path.isfile(os.path.join(
            self.out, page[len(self.base):], "index.html")), page)

        entries = root.findall(ATOM + "entry")
        self.assertLessEqual(len(entries), FEED_MAX)
        ids, dates = [], []
        for e in entries:
            eid = e.findtext(ATOM + "id")
            self.assertTrue(eid and eid.startswith(self.base), eid)
            self.assertTrue(e.findtext(ATOM + "title").strip())
            self.assertRegex(e.findtext(ATOM + "updated"), STAMP)
            link = e.find(ATOM + "link")
            self.assertIsNotNone(link)
            href = link.get("href")
            self.assertTrue(href.startswith(self.base))
            target = urlsplit(href).path[len(urlsplit(self.base).path):]
            self.assertTrue(os.path.isfile(os.path.join(
                self.out, target, "index.html")), href)
            ids.append(eid)
            dates.append(e.findtext(ATOM + "updated")[:10])
        self.assertEqual(len(ids), len(set(ids)), "duplicate entry ids")
        self.assertEqual(dates, sorted(dates, reverse=True))

        by_id = {i: d for d, i, _, _ in expected_events}
        for i, d in zip(ids, dates):
            self.assertIn(i, by_id, "%s: entry not in the open data" % rel)
            self.assertEqual(by_id[i], d, i)
        want = min(len(expected_events), FEED_MAX)
        self.assertEqual(len(ids), want, rel)
        if ids:
            self.assertEqual(updated[:10], dates[0])
            # Nothing newer than the oldest entry was left out.
            newer = {i for d, i, _, _ in expected_events if d > dates[-1]}
            self.assertLessEqual(newer, set(ids), rel)
        else:
            self.assertEqual(updated[:10], TODAY)
        return root, entries

    def test_site_feed_is_the_newest_of_everything(self):
        self.assertGreater(len(self.events), FEED_MAX,
                           "the example should exceed one feed's limit")
        # The example has every kind: new questions, answers, status
        # changes (progress) and conclusions.
        kinds = {i.rsplit("#", 1)[1].rstrip("0123456789")
                 for _, i, _, _ in self.events}
        self.assertEqual(kinds, {"cau-hoi", "tra-loi", "tien-do-",
                                 "ket-luan"})
        self.check_feed("feed.xml", self.events)

    def dialogue_scope(self, slug):
        """The hamlets (None: all) and topics a dialogue's page names."""
        d = next(d for d in self.dialogues if d["slug"] == slug)
        with open(os.path.join(self.out, d["path"]), encoding="utf-8") as f:
            page = f.read()

        def dd(label):
            m = re.search(r"<dt>%s</dt><dd>(.*?)</dd>" % label, page)
            return m.group(1) if m else ""

        hamlets = re.findall(r'thon/([^/"]+)/index\.html', dd("Phạm vi"))
        topics = re.findall(r'linh-vuc/([^/"]+)/index\.html', dd("Lĩnh vực"))
        return (hamlets or None), topics

    def test_hamlet_topic_department_feeds(self):
        seen = set()
        for rel in self.feed_paths()[1:]:
            top, gid = rel.split("/")[:2]
            key = {"thon": "hamlet", "linh-vuc": "topic",
                   "co-quan": "assigned_to"}[top]
            mine = []
            for ev in self.events:
                q = ev[2]
                if q is not None:
                    if q[key] and q[key]["id"] == gid:
                        mine.append(ev)
                    continue
                # A conclusion: in the feeds of its dialogue's hamlets
                # (every hamlet when it concerns the whole commune) and
                # topics; a department has none.
                hamlets, topics = self.dialogue_scope(ev[3])
                if (top == "thon" and (hamlets is None or gid in hamlets)) \
                        or (top == "linh-vuc" and gid in topics):
                    mine.append(ev)
            root, entries = self.check_feed(rel, mine)
            seen.update(e.findtext(ATOM + "id").rsplit("#", 1)[1]
                        .rstrip("0123456789") for e in entries)
        self.assertEqual(seen, {"cau-hoi", "tra-loi", "tien-do-",
                                "ket-luan"})

    def test_feeds_are_dated_by_the_content_not_the_clock(self):
        out2 = os.path.join(self.dir, "later")
        r = build(EXAMPLE, out2, today="2027-03-01")
        self.assertEqual(r.returncode, 0, r.stderr)
        for rel in self.feed_paths():
            with open(os.path.join(self.out, rel), "rb") as a, \
                    open(os.path.join(out2, rel), "rb") as b:
                x, y = a.read(), b.read()
            if b"<entry>" in x:
                self.assertEqual(x, y, rel)
        out3 = os.path.join(self.dir, "again")
        self.assertEqual(build(EXAMPLE, out3).returncode, 0)
        for rel in self.feed_paths() + ["sitemap.xml", "robots.txt"]:
            with open(os.path.join(self.out, rel), "rb") as a, \
                    open(os.path.join(out3, rel), "rb") as b:
                self.assertEqual(a.read(), b.read(), rel)

    def test_sitemap_lists_every_page(self):
        root = ET.parse(os.path.join(self.out, "sitemap.xml")).getroot()
        self.assertEqual(root.tag, SM + "urlset")
        locs = []
        for u in root.findall(SM + "url"):
            self.assertEqual([c.tag for c in u][0], SM + "loc")
            for c in u:
                self.assertIn(c.tag, (SM + "loc", SM + "lastmod"))
                if c.tag == SM + "lastmod":
                    self.assertRegex(c.text, r"^\d{4}-\d{2}-\d{2}$")
            locs.append(u.findtext(SM + "loc"))
        self.assertEqual(len(locs), len(set(locs)))
        pages = set()
        for dirpath, _, files in os.walk(self.out):
            for name in files:
                rel = os.path.relpath(os.path.join(dirpath, name), self.out)
                if name == "index.html":
                    d = os.path.dirname(rel)
                    pages.add(self.base + (d + "/" if d else ""))
                elif rel.endswith(".html"):
                    self.assertEqual(rel, "404.html")
        self.assertEqual(set(locs), pages)
        # A question's lastmod is its updated date.
        q = self.questions[0]
        for u in root.findall(SM + "url"):
            if u.findtext(SM + "loc") == q["url"]:
                self.assertEqual(u.findtext(SM + "lastmod"), q["updated"])

    def test_robots_points_at_the_sitemap(self):
        with open(os.path.join(self.out, "robots.txt"),
                  encoding="utf-8") as f:
            text = f.read()
        self.assertIn("User-agent: *\n", text)
        self.assertIn("\nSitemap: %ssitemap.xml\n" % self.base, text)
        self.assertNotRegex(text, r"(?m)^Disallow: /\s*$")

    def test_pages_link_their_feeds(self):
        def alternates(rel):
            with open(os.path.join(self.out, rel), encoding="utf-8") as f:
                page = f.read()
            head = page[:page.index("</head>")]
            return [urljoin(rel, m) for m in re.findall(
                r'<link rel="alternate" type="application/atom\+xml" '
                r'href="([^"]+)"', head)]

        self.assertEqual(alternates("index.html"), ["feed.xml"])
        self.assertEqual(alternates("doi-thoai/index.html"), ["feed.xml"])
        for top in ("thon", "linh-vuc", "co-quan"):
            for gid in os.listdir(os.path.join(self.out, top)):
                rel = "%s/%s/index.html" % (top, gid)
                self.assertEqual(alternates(rel),
                                 ["feed.xml", "%s/%s/feed.xml" % (top, gid)])
                for a in alternates(rel):
                    self.assertTrue(os.path.isfile(
                        os.path.join(self.out, a)), a)

    def test_department_pages(self):
        self.assertGreater(len(self.departments), 2)
        for dept in self.departments:
            did, name = dept["id"], dept["name"]
            rel = "co-quan/%s/index.html" % did
            with open(os.path.join(self.out, rel), encoding="utf-8") as f:
                page = f.read()
            self.assertIn("<h1>Việc giao cho %s</h1>" % html.escape(name),
                          page)
            listed = re.findall(
                r'<a class="q-title" href="\.\./\.\./(doi-thoai/[^"]+)'
                r'index\.html"', page)
            mine = [q for q in self.questions
                    if q["assigned_to"] and q["assigned_to"]["id"] == did]
            self.assertEqual(sorted(listed), sorted(q["path"][:-10]
                                                    for q in mine), did)
            by_path = {q["path"][:-10]: q for q in mine}
            ranks = []
            for p in listed:
                q = by_path[p]
                ranks.append(0 if q["overdue"] or q["answer_overdue"]
                             else 1 if q["open"] else 2)
            self.assertEqual(ranks, sorted(ranks), did)
        # The example has an overdue assigned question, listed first.
        self.assertTrue(any(q["assigned_to"] and (q["overdue"] or
                                                  q["answer_overdue"])
                            for q in self.questions))

    def test_question_pages_link_their_department(self):
        n = 0
        for q in self.questions:
            with open(os.path.join(self.out, q["path"]),
                      encoding="utf-8") as f:
                page = f.read()
            if q["assigned_to"]:
                link = "../../../co-quan/%s/index.html" % q["assigned_to"]["id"]
                self.assertIn('href="%s"' % link, page)
                self.assertTrue(os.path.isfile(os.path.join(
                    self.out, os.path.dirname(q["path"]), link)), link)
                n += 1
        self.assertGreater(n, 5)


class FeedLimits(FixtureCase):
    """A small commune, edited: the limit, escaping, privacy."""

    def add_questions(self, n):
        for i in range(n):
            write(self.path("content/dialogues/hoi-nghi-2025/questions/"
                            "%03d.md" % (100 + i)),
                  "---\nhamlet: thon-1\ntopic: dat-dai\nchannel: written\n"
                  "assigned_to: dia-chinh\nreceived: 2025-06-%02d\n"
                  "answer:\n  date: 2025-06-%02d\n  by: UBND xã\n"
                  "---\nCâu hỏi số %d.\n\n## Trả lời\n\nĐã trả lời số %d.\n"
                  % (10 + i % 6, 16 + i % 10, i, i))

    def feed(self, rel="feed.xml"):
        return ET.parse(os.path.join(self.out, rel)).getroot()

    def test_latest_fifty_entries(self):
        self.add_questions(40)
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        for rel in ("feed.xml", "thon/thon-1/feed.xml",
                    "linh-vuc/dat-dai/feed.xml", "co-quan/dia-chinh/feed.xml"):
            entries = self.feed(rel).findall(ATOM + "entry")
            self.assertEqual(len(entries), FEED_MAX, rel)
        # The newest answer day is 2025-06-25: it leads the site feed.
        first = self.feed().find(ATOM + "entry")
        self.assertEqual(first.findtext(ATOM + "updated")[:10], "2025-06-25")
        # Thôn Nà Mò's one question: received, then one progress entry.
        na_mo = self.feed("thon/na-mo/feed.xml")
        self.assertEqual(len(na_mo.findall(ATOM + "entry")), 2)

    def test_empty_feed_is_valid(self):
        self.edit("content/site.yaml", "topics:\n",
                  "  - id: moi\n    name: Thôn Mới\ntopics:\n")
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        root = self.feed("thon/moi/feed.xml")
        self.assertEqual(root.findall(ATOM + "entry"), [])
        # A feed must have an updated: with nothing to date it, the day
        # the figures are as of (--today), never the clock.
        self.assertEqual(root.findtext(ATOM + "updated"),
                         self.TODAY + "T00:00:00+07:00")
        self.assertTrue(root.findtext(ATOM + "author/" + ATOM + "name"))

    def test_markup_in_text_is_escaped(self):
        self.edit("content/dialogues/hoi-nghi-2025/questions/002.md",
                  "Đường vào thôn bị sạt lở.",
                  "Đường <b>vào</b> thôn & cầu \"Khe\" bị sạt lở.")
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        titles = [e.findtext(ATOM + "title")
                  for e in self.feed().findall(ATOM + "entry")]
        self.assertTrue(any('thôn & cầu "Khe"' in t for t in titles),
                        titles)

    def test_no_private_data_in_feeds_or_sitemap(self):
        self.edit("content/dialogues/hoi-nghi-2025/questions/002.md",
                  "hamlet: na-mo\n",
                  "hamlet: na-mo\nprivate:\n  name: Nguyễn Văn Bí Mật\n"
                  "  phone: 0912 345 678\n")
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        snap = tree_snapshot(self.out)
        for rel, data in snap.items():
            if rel.endswith((".xml", ".txt")):
                self.assertNotIn("Bí Mật".encode(), data, rel)
                self.assertNotIn(b"0912", data, rel)
                self.assertNotIn(self.dir.encode(), data, rel)

    def test_page_cannot_take_the_departments_folder(self):
        os.rename(self.path("content/pages/gioi-thieu.md"),
                  self.path("content/pages/co-quan.md"))
        r = self.build()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("co-quan.md:", r.stderr)
        self.assertIn("page name 'co-quan' is taken", r.stderr)
        self.assertEqual(tree_snapshot(self.out), self.before)

    def test_failed_build_writes_no_feed(self):
        self.edit("content/dialogues/hoi-nghi-2025/questions/002.md",
                  "hamlet: na-mo", "hamlet: khong-co")
        r = self.build()
        self.assertEqual(r.returncode, 1)
        self.assertEqual(tree_snapshot(self.out), self.before)


if __name__ == "__main__":
    unittest.main()
