"""The example commune built whole: every path of the site table is there,
every relative link of every page resolves, pages are Vietnamese and well
formed, the open data matches the contract and the pages, nothing private
or machine-specific leaks, and builds are deterministic and leave no stale
files."""
import csv
import html.parser
import io
import json
import os
import re
import shutil
import unittest
from urllib.parse import unquote, urlsplit

from helpers import EXAMPLE, THEME, run, tmpdir, tree_snapshot, write

TODAY = "2026-11-20"
STATUSES = ["received", "in_progress", "escalated", "answered", "resolved",
            "declined"]
QUESTION_FIELDS = [
    "id", "ref", "dialogue", "url", "path", "asked_by", "hamlet", "topic",
    "assigned_to", "channel", "received", "status", "status_label", "open",
    "answered", "answer_due", "answer_overdue", "due", "overdue", "updated",
    "progress", "question_html", "answer_html", "revisions",
    "answer_by", "answered_late", "stale", "escalation"]
DIALOGUE_FIELDS = [
    "slug", "code", "title", "kind", "date", "date_text", "location", "status",
    "registration_deadline", "conclusion_due", "conclusion_issued",
    "conclusion_overdue", "url", "path", "question_count", "by_status",
    "time", "chairs", "participants", "attendance", "plan", "legal_basis",
    "topics", "hamlets", "conclusion", "directives", "supervision"]
CSV_FIELDS = [
    "id", "ref", "dialogue", "url", "path", "asked_by", "hamlet", "topic",
    "assigned_to", "channel", "received", "status", "status_label", "open",
    "answered", "answer_due", "answer_overdue", "due", "overdue", "updated",
    "question", "answer", "answer_by", "answered_late", "stale"]
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Page(html.parser.HTMLParser):
    """Links, lang and a tag-balance check of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.lang = None
        self.stack = []
        self.errors = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        for k in ("href", "src"):
            if a.get(k) is not None:
                self.links.append(a[k])
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes <%s>" %
                               (tag, self.stack[-1] if self.stack else ""))
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()


def private_values(content):
    """Every scalar under a `private:` key of the content's records."""
    vals = []
    for dirpath, _, names in os.walk(content):
        for n in names:
            if not n.endswith(".md") or n == "README.md":
                continue
            with open(os.path.join(dirpath, n), encoding="utf-8") as f:
                text = f.read()
            m = re.match(r"---\r?\n(.*?)\r?\n---", text, re.S)
            if not m:
                continue
            inside = False
            for line in m.group(1).splitlines():
                if re.match(r"^private:\s*$", line):
                    inside = True
                    continue
                if inside and line and not line[0].isspace():
                    inside = False
                if inside:
                    v = re.sub(r"^\s*(-\s+)?([\w-]+:\s*)?", "", line).strip()
                    v = v.strip("\"'")
                    if len(v) >= 6:
                        vals.append(v)
    return vals


class ExampleSite(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.dir = tempfile.mkdtemp(prefix="congkhai-site-")
        cls.content = os.path.join(cls.dir, "content")
        shutil.copytree(EXAMPLE, cls.content)
        cls.out = os.path.join(cls.dir, "site")
        cls.result = run(["build", "-C", cls.content, "--theme", THEME,
                          "-o", cls.out, "--today", TODAY])
        if cls.result.returncode != 0:
            raise AssertionError("build failed: %s" % cls.result.stderr)
        cls.files = tree_snapshot(cls.out)
        cls.questions = json.loads(cls.files["data/questions.json"])
        cls.dialogues = json.loads(cls.files["data/dialogues.json"])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, True)

    def pages(self):
        return sorted(p for p in self.files if p.endswith(".html"))

    def test_site_table_paths(self):
        want = ["index.html", "doi-thoai/index.html", "404.html",
                "data/questions.json", "data/questions.csv",
                "data/dialogues.json", "trang-thai/qua-han/index.html",
                "assets/style.css"]
        site = self.questions["site"]
        want += ["linh-vuc/%s/index.html" % t["id"] for t in site["topics"]]
        want += ["thon/%s/index.html" % h["id"] for h in site["hamlets"]]
        want += [d["path"] for d in self.dialogues["dialogues"]]
        want += ["doi-thoai/%s/index.html" % d["slug"]
                 for d in self.dialogues["dialogues"]]
        want += [q["path"] for q in self.questions["questions"]]
        want += ["doi-thoai/%s/%s/index.html" % tuple(q["id"].split("/"))
                 for q in self.questions["questions"]]
        for n in os.listdir(os.path.join(EXAMPLE, "pages")):
            if n.endswith(".md"):
                want.append("%s/index.html" % n[:-3])
        for dirpath, _, names in os.walk(os.path.join(EXAMPLE, "static")):
            for n in names:
                rel = os.path.relpath(os.path.join(dirpath, n),
                                      os.path.join(EXAMPLE, "static"))
                want.append("static/" + rel.replace(os.sep, "/"))
        for p in want:
            self.assertIn(p, self.files, p)
        # Six status pages plus the overdue one.
        status_pages = {p.split("/")[1] for p in self.files
                        if p.startswith("trang-thai/")}
        self.assertGreaterEqual(len(status_pages), 7)
        for s in STATUSES:
            self.assertIn("trang-thai/%s/index.html" % s, self.files)

    def test_static_copied_verbatim(self):
        for dirpath, _, names in os.walk(os.path.join(EXAMPLE, "static")):
            for n in names:
                p = os.path.join(dirpath, n)
                rel = os.path.relpath(p, os.path.join(EXAMPLE, "static"))
                with open(p, "rb") as f:
                    self.assertEqual(self.files["static/" + rel], f.read())

    def test_pages_are_vietnamese_and_well_formed(self):
        for p in self.pages():
            text = self.files[p].decode("utf-8")
            self.assertTrue(text.startswith("<!DOCTYPE html>"), p)
            parser = Page()
            parser.feed(text)
            parser.close()
            self.assertEqual(parser.lang, "vi", p)
            self.assertEqual(parser.errors, [], p)
            self.assertEqual(parser.stack, [], p)
            self.assertNotIn("{{", text, p)
            self.assertNotIn("}}", text, p)
            self.assertIn('<meta name="viewport"', text, p)

    def test_every_link_resolves(self):
        base = self.questions["site"]["base_url"]
        checked = 0
        for p in self.pages():
            parser = Page()
            parser.feed(self.files[p].decode("utf-8"))
            for link in parser.links:
                if link.startswith(base):
                    # Absolute links (canonical, 404.html) into the site.
                    target = link[len(base):]
                    target = urlsplit(target).path
                    if target == "" or target.endswith("/"):
                        target += "index.html"
                elif re.match(r"^[a-z]+:", link) or link.startswith("#"):
                    self.assertRegex(link, r"^(https?|mailto|tel):|^#", p)
                    continue
                else:
                    self.assertFalse(link.startswith("/"),
                                     "%s: root-relative link %s" % (p, link))
                    path = unquote(urlsplit(link).path)
                    self.assertFalse(path.endswith("/"),
                                     "%s: %s does not name a file" %
                                     (p, link))
                    target = os.path.normpath(
                        os.path.join(os.path.dirname(p), path))
                    self.assertFalse(target.startswith(".."),
                                     "%s: %s leaves the site" % (p, link))
                self.assertIn(target, self.files,
                              "%s links to missing %s" % (p, link))
                checked += 1
        self.assertGreater(checked, 100)

    def test_404_links_work_at_any_depth(self):
        # Written from the site's top (404.html lies there: right from
        # disk); a script sets <base> to the top when a server shows it
        # deeper (test_share.py serves it to a browser).
        text = self.files["404.html"].decode("utf-8")
        parser = Page()
        parser.feed(text)
        for link in parser.links:
            if re.match(r"^(mailto:|tel:|#)", link):
                continue
            self.assertIn(urlsplit(link).path, self.files,
                          "404.html: %s leads nowhere from the top" % link)
        self.assertIn("assets/style.css", parser.links)
        self.assertIn('createElement("base")', text)

    def test_questions_json(self):
        data = self.questions
        self.assertEqual(list(data), ["as_of", "site", "questions"])
        # as_of: the last day a fact changed (test_daily.py), not TODAY.
        self.assertLessEqual(data["as_of"], TODAY)
        self.assertGreaterEqual(data["as_of"], max(
            q["updated"] for q in data["questions"] if q["updated"] <= TODAY))
        site = data["site"]
        for k in ("name", "unit_type", "province", "base_url", "hamlets",
                  "topics", "departments"):
            self.assertIn(k, site)
        base = site["base_url"]
        qs = data["questions"]
        self.assertGreater(len(qs), 5)
        dates = {d["slug"]: d["date"] for d in self.dialogues["dialogues"]}
        keys = [((dates[q["dialogue"]] is None), dates[q["dialogue"]] or "",
                 q["dialogue"], q["id"]) for q in qs]
        self.assertEqual(keys, sorted(keys), "questions out of order")
        for q in qs:
            self.assertEqual(list(q), QUESTION_FIELDS, q["id"])
            slug, qid = q["id"].split("/")
            self.assertEqual(q["dialogue"], slug)
            self.assertEqual(q["path"],
                             "doi-thoai/%s/%s/index.html" % (slug, qid))
            self.assertEqual(q["url"], base + q["path"][:-len("index.html")])
            self.assertIn(q["status"], STATUSES)
            self.assertEqual(q["open"], q["status"] in STATUSES[:3])
            for k in ("hamlet", "topic"):
                self.assertEqual(list(q[k]), ["id", "name"])
            if q["assigned_to"] is not None:
                self.assertEqual(list(q["assigned_to"]), ["id", "name"])
            for k in ("received", "updated"):
                self.assertRegex(q[k], DATE)
            # answer_due: none while the dialogue has no date.
            for k in ("answered", "due", "answer_due"):
                self.assertTrue(q[k] is None or DATE.match(q[k]), k)
            self.assertEqual(q["answer_due"] is None,
                             dates[q["dialogue"]] is None)
            self.assertEqual(q["answered"] is None, q["answer_html"] is None)
            self.assertEqual(q["answer_overdue"],
                             q["answered"] is None and
                             q["answer_due"] is not None and
                             TODAY > q["answer_due"])
            self.assertEqual(q["answered_late"],
                             q["answered"] is not None and
                             q["answer_due"] is not None and
                             q["answered"] > q["answer_due"])
            self.assertEqual(q["overdue"], q["open"] and q["due"] is not None
                             and TODAY > q["due"])
            for p in q["progress"]:
                self.assertEqual(list(p), ["date", "status", "note_html"])
                self.assertIn(p["status"], STATUSES)
            if q["progress"]:
                self.assertEqual(q["status"], q["progress"][-1]["status"])
            for r in q["revisions"]:
                self.assertEqual(list(r), ["date", "commit"])
                self.assertRegex(r["commit"], r"^[0-9a-f]{12}$")

    def test_status_labels_are_the_spec_ones(self):
        labels = {"received": "Đã tiếp nhận",
                  "in_progress": "Đang giải quyết",
                  "escalated": "Đã chuyển cấp có thẩm quyền",
                  "answered": "Đã trả lời", "resolved": "Đã giải quyết",
                  "declined": "Không có cơ sở giải quyết"}
        for q in self.questions["questions"]:
            self.assertEqual(q["status_label"], labels[q["status"]])

    def test_dialogues_json(self):
        data = self.dialogues
        self.assertEqual(list(data), ["as_of", "dialogues"])
        self.assertEqual(data["as_of"], self.questions["as_of"])
        base = self.questions["site"]["base_url"]
        per = {}
        for q in self.questions["questions"]:
            per.setdefault(q["dialogue"], []).append(q)
        for d in data["dialogues"]:
            self.assertEqual(list(d), DIALOGUE_FIELDS, d["slug"])
            self.assertIn(d["status"], ["planned", "held", "concluded",
                                        "cancelled", "postponed"])
            self.assertEqual(d["path"], "doi-thoai/%s/index.html" % d["slug"])
            self.assertEqual(d["url"], base + "doi-thoai/%s/" % d["slug"])
            self.assertEqual(list(d["by_status"]), STATUSES)
            mine = per.get(d["slug"], [])
            self.assertEqual(d["question_count"], len(mine))
            for s in STATUSES:
                self.assertEqual(d["by_status"][s],
                                 sum(1 for q in mine if q["status"] == s))
            self.assertEqual(d["date"] is None, d["date_text"] is not None
                             and d["date"] is None)

    def test_per_dialogue_json(self):
        """data/doi-thoai/<slug>.json: each dialogue's entry and its
        questions, exactly as dialogues.json and questions.json give them,
        linked from the dialogue's page; nothing else in the folder."""
        per = {}
        for q in self.questions["questions"]:
            per.setdefault(q["dialogue"], []).append(q)
        slugs = [d["slug"] for d in self.dialogues["dialogues"]]
        self.assertEqual(
            sorted(p for p in self.files if p.startswith("data/doi-thoai/")),
            sorted("data/doi-thoai/%s.json" % s for s in slugs))
        for d in self.dialogues["dialogues"]:
            raw = self.files["data/doi-thoai/%s.json" % d["slug"]]
            one = json.loads(raw)
            self.assertEqual(list(one), ["as_of", "dialogue", "questions"])
            self.assertEqual(one["as_of"], self.dialogues["as_of"])
            self.assertEqual(one["dialogue"], d)
            self.assertEqual(one["questions"], per.get(d["slug"], []))
            page = self.files[d["path"]].decode("utf-8")
            self.assertIn('href="../../data/doi-thoai/%s.json"' % d["slug"],
                          page)
        self.assertTrue(any(per.get(s) for s in slugs))

    def test_csv_matches_json(self):
        raw = self.files["data/questions.csv"]
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"))
        text = raw[3:].decode("utf-8")
        # Every record ends in CRLF; no bare LF outside quoted fields.
        self.assertTrue(text.endswith("\r\n"))
        rows = list(csv.reader(io.StringIO(text, newline="")))
        self.assertEqual(rows[0], CSV_FIELDS)
        qs = self.questions["questions"]
        self.assertEqual(len(rows) - 1, len(qs))

        def scalar(v):
            if v is None:
                return ""
            if isinstance(v, bool):
                return "true" if v else "false"
            if isinstance(v, dict):
                return v["name"]
            return str(v)

        for row, q in zip(rows[1:], qs):
            rec = dict(zip(CSV_FIELDS, row))
            for k in CSV_FIELDS:
                if k not in ("question", "answer"):
                    self.assertEqual(rec[k], scalar(q[k]), (q["id"], k))
            self.assertNotIn("<", rec["question"])
            self.assertTrue(rec["question"])
            self.assertEqual(rec["answer"] == "", q["answer_html"] is None)

    def test_pages_show_the_data(self):
        for q in self.questions["questions"]:
            page = self.files[q["path"]].decode("utf-8")
            self.assertIn(q["question_html"], page, q["id"])
            if q["answer_html"] is not None:
                self.assertIn(q["answer_html"], page, q["id"])
            else:
                self.assertIn("Chưa trả lời", page, q["id"])
            self.assertIn("Lịch sử chỉnh sửa", page)
            for r in q["revisions"]:
                self.assertIn(r["commit"], page)
            for p in q["progress"]:
                self.assertIn(p["note_html"], page)
            self.assertIn('<link rel="canonical" href="%s">' % q["url"], page)
            # Listed on its dialogue, topic, hamlet and status pages.
            want = ('href="../../%s"' % q["path"]).encode()
            for lst in ("doi-thoai/%s/index.html" % q["dialogue"],
                        "linh-vuc/%s/index.html" % q["topic"]["id"],
                        "thon/%s/index.html" % q["hamlet"]["id"],
                        "trang-thai/%s/index.html" % q["status"]):
                self.assertTrue(want in self.files[lst],
                                "%s not listed on %s" % (q["id"], lst))
            late = want in self.files["trang-thai/qua-han/index.html"]
            self.assertEqual(late, q["overdue"] or q["answer_overdue"],
                             q["id"])

    def test_empty_lists_say_so(self):
        counts = {}
        for q in self.questions["questions"]:
            counts[q["topic"]["id"]] = counts.get(q["topic"]["id"], 0) + 1
        for t in self.questions["site"]["topics"]:
            page = self.files["linh-vuc/%s/index.html" % t["id"]].decode()
            self.assertEqual("Chưa có câu hỏi nào" in page,
                             t["id"] not in counts, t["id"])

    def test_nothing_private_leaks(self):
        values = private_values(EXAMPLE)
        self.assertGreater(len(values), 3, "the example has private blocks")
        for path, data in self.files.items():
            text = data.decode("utf-8", "replace")
            for v in values:
                self.assertNotIn(v, text, "%s leaks %r" % (path, v))
            self.assertNotIn("private", text if path.startswith("data/")
                             else "", path)

    def test_no_build_machine_paths(self):
        needles = [self.dir, os.path.dirname(EXAMPLE), os.path.expanduser("~")]
        for path, data in self.files.items():
            if path.startswith("static/"):
                continue
            for n in needles:
                if len(n) > 1:
                    self.assertNotIn(n.encode(), data, path)


def write_commune(root, nquestions):
    """A commune with one dialogue of nquestions questions, all on topic
    `t1` and hamlet `h1`; every third one answered."""
    write(os.path.join(root, "site.yaml"),
          "name: Xã Nhiều Câu\nbase_url: https://many.example/\n"
          "hamlets: [{id: h1, name: Thôn Một}]\n"
          "topics: [{id: t1, name: Đất đai}, {id: t2, name: Khác}]\n")
    write(os.path.join(root, "dialogues", "hn", "index.md"),
          "---\ntitle: Hội nghị\ndate: 2025-11-14\nlocation: Hội trường\n"
          "chairs: [Chủ tịch]\n---\n\nKế hoạch.\n")
    for i in range(1, nquestions + 1):
        ans = i % 3 == 0
        write(os.path.join(root, "dialogues", "hn", "questions",
                           "%03d.md" % i),
              "---\nhamlet: h1\ntopic: t1\nchannel: written\n"
              "received: 2025-11-10\n" +
              ("answer: {by: Chủ tịch, date: 2025-11-14}\n" if ans else "") +
              "---\n\nCâu hỏi số %d.\n" % i +
              ("\n## Trả lời\n\nĐã trả lời.\n" if ans else ""))


def links_of(files, page):
    """The site files the relative links of page lead to."""
    parser = Page()
    parser.feed(files[page].decode("utf-8"))
    out = []
    for link in parser.links:
        if re.match(r"^[a-z]+:", link) or link.startswith("#"):
            continue
        out.append(os.path.normpath(os.path.join(
            os.path.dirname(page), unquote(urlsplit(link).path))))
    return out


class LongLists(unittest.TestCase):
    """A list longer than a page is cut into pages that link each other."""

    def test_pages_of_a_long_list(self):
        d = tmpdir(self)
        c = os.path.join(d, "content")
        write_commune(c, 250)
        out = os.path.join(d, "site")
        r = run(["build", "-C", c, "--theme", THEME, "-o", out,
                 "--today", "2026-01-20"])
        self.assertEqual(r.returncode, 0, r.stderr)
        files = tree_snapshot(out)
        pages = ["linh-vuc/t1/index.html", "linh-vuc/t1/trang-2/index.html",
                 "linh-vuc/t1/trang-3/index.html"]
        seen = []
        for p in pages:
            self.assertIn(p, files)
            qs = [l for l in links_of(files, p)
                  if re.match(r"^doi-thoai/hn/\d{3}/index.html$", l)]
            self.assertGreater(len(qs), 0, p)
            self.assertLessEqual(len(qs), 100, p)
            seen += qs
            for l in links_of(files, p):
                self.assertIn(l, files, "%s links to missing %s" % (p, l))
        self.assertNotIn("linh-vuc/t1/trang-4/index.html", files)
        self.assertEqual(len(set(seen)), 250, "every question on one page")
        self.assertEqual(len(seen), 250, "no question on two pages")
        page2 = files[pages[1]].decode("utf-8")
        self.assertIn('<link rel="canonical" '
                      'href="https://many.example/linh-vuc/t1/trang-2/">',
                      page2)
        for p in pages[0], pages[2]:
            self.assertIn(pages[1], links_of(files, p))
        # Short lists have one page and no pager.
        self.assertIn("Chưa có câu hỏi nào",
                      files["linh-vuc/t2/index.html"].decode("utf-8"))
        self.assertNotIn('class="pager"',
                         files["linh-vuc/t2/index.html"].decode("utf-8"))
        # The open data is never cut.
        data = json.loads(files["data/questions.json"])
        self.assertEqual(len(data["questions"]), 250)


class ThemeErrors(unittest.TestCase):
    """A broken theme is reported with its path, and nothing is written."""

    def setUp(self):
        self.dir = tmpdir(self)
        self.theme = os.path.join(self.dir, "theme")
        shutil.copytree(THEME, self.theme)
        self.content = os.path.join(self.dir, "content")
        write_commune(self.content, 2)
        self.out = os.path.join(self.dir, "site")
        write(os.path.join(self.out, "index.html"), "old\n")

    def build(self):
        return run(["build", "-C", self.content, "--theme", self.theme,
                    "-o", self.out, "--today", "2026-01-20"])

    def assert_fails(self, pattern):
        r = self.build()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, pattern)
        self.assertEqual(tree_snapshot(self.out), {"index.html": b"old\n"})

    def test_missing_template(self):
        os.remove(os.path.join(self.theme, "templates", "question.mustache"))
        self.assert_fails(r"templates/question\.mustache:1:1: error: "
                          r"missing template 'question'")

    def test_template_syntax_error(self):
        write(os.path.join(self.theme, "templates", "topic.mustache"),
              "{{<base}}\n{{$main}}\n{{#topic}}{{name}}\n{{/main}}\n"
              "{{/base}}\n")
        self.assert_fails(r"templates/topic\.mustache:\d+:\d+: error: ")

    def test_broken_labels(self):
        write(os.path.join(self.theme, "labels.yaml"), "status: [a\n")
        self.assert_fails(r"labels\.yaml:\d+:\d+: error: ")

    def test_missing_label_warns(self):
        p = os.path.join(self.theme, "labels.yaml")
        with open(p, encoding="utf-8") as f:
            text = f.read()
        write(p, text.replace("  mttq: Qua Mặt trận Tổ quốc\n", ""))
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stderr, r"labels\.yaml:\d+:\d+: warning: "
                         r"no label for channel 'mttq'")


class Rebuilds(unittest.TestCase):
    def build(self, content, out):
        r = run(["build", "-C", content, "--theme", THEME, "-o", out,
                 "--today", TODAY])
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_deterministic(self):
        d = tmpdir(self)
        c1 = os.path.join(d, "a", "content")
        c2 = os.path.join(d, "b", "elsewhere")
        shutil.copytree(EXAMPLE, c1)
        shutil.copytree(EXAMPLE, c2)
        self.build(c1, os.path.join(d, "out1"))
        self.build(c2, os.path.join(d, "out2"))
        self.assertEqual(tree_snapshot(os.path.join(d, "out1")),
                         tree_snapshot(os.path.join(d, "out2")))

    def test_no_stale_files(self):
        d = tmpdir(self)
        c = os.path.join(d, "content")
        shutil.copytree(EXAMPLE, c)
        out = os.path.join(d, "site")
        self.build(c, out)
        first = tree_snapshot(out)
        write(os.path.join(out, "stale", "index.html"), "old\n")
        write(os.path.join(out, "doi-thoai", "gone", "index.html"), "old\n")
        # A page removed from the content disappears from the site.
        pages = sorted(n for n in os.listdir(os.path.join(c, "pages"))
                       if n.endswith(".md"))
        os.remove(os.path.join(c, "pages", pages[0]))
        self.build(c, out)
        second = tree_snapshot(out)
        self.assertNotIn("stale/index.html", second)
        self.assertNotIn("doi-thoai/gone/index.html", second)
        gone = "%s/index.html" % pages[0][:-3]
        self.assertIn(gone, first)
        self.assertNotIn(gone, second)
        self.assertEqual(set(first) - set(second), {gone})


if __name__ == "__main__":
    unittest.main()
