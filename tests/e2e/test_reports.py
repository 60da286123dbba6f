"""Reports for the higher level and hamlet coverage (issue #8 items 4, 5):
bao-cao/<period>/ pages whose every figure links to the list of exactly
the questions it counts, data/bao-cao/<period>.json and .csv with the same
figures, the hamlet x quarter table and check's warning for a hamlet missed
in a finished quarter; site.yaml `coverage` validated with positions.
Built by the real program from records written here, read back with real
parsers (json, csv, html.parser)."""
import csv
import io
import os
import posixpath
import re
import unittest
from html.parser import HTMLParser

from helpers import THEME, read_json, run, tmpdir, write

TODAY = "2025-11-05"

SITE = """\
name: Xã Báo Cáo
base_url: https://baocao.example.invalid/
hamlets:
  - {id: h1, name: Thôn Một}
  - {id: h2, name: Thôn Hai}
  - {id: h3, name: Thôn Ba}
topics:
  - {id: t1, name: Đất đai}
  - {id: t2, name: Giao thông}
coverage: {kind: hamlet_meeting, per: quarter}
"""

RECORDS = {
    # A conference in Q3 2025, concluded on time.
    "dialogues/hn-q3/index.md": """\
---
title: Hội nghị đối thoại quý III
date: 2025-07-15
location: Hội trường
chairs: [Chủ tịch UBND xã]
attendance: 50
---
Kế hoạch.
""",
    "dialogues/hn-q3/conclusion.md": """\
---
issued: 2025-07-20
---
Kết luận.
""",
    # Answered on time (due 2025-07-29), then resolved.
    "dialogues/hn-q3/questions/001.md": """\
---
hamlet: h1
topic: t1
channel: registered
received: 2025-07-10
answer: {by: Chủ tịch UBND xã, date: 2025-07-15}
progress:
  - {date: 2025-07-20, status: resolved, note: Xong.}
private: {phone: 0912 345 678, name: Nguyễn Văn Kín}
---
Câu hỏi một.

## Trả lời

Trả lời một.
""",
    # Answered late.
    "dialogues/hn-q3/questions/002.md": """\
---
hamlet: h2
topic: t2
channel: at_meeting
received: 2025-07-15
answer: {by: Chủ tịch UBND xã, date: 2025-08-20}
---
Câu hỏi hai.

## Trả lời

Trả lời hai.
""",
    # Not answered, overdue, escalated.
    "dialogues/hn-q3/questions/003.md": """\
---
hamlet: h3
topic: t1
channel: written
received: 2025-07-15
progress:
  - {date: 2025-07-25, status: escalated, note: Đã báo cáo huyện.}
---
Câu hỏi ba.
""",
    # A hamlet meeting of h1 and h2 in Q3, no conclusion (overdue).
    "dialogues/tx-q3/index.md": """\
---
title: Tiếp xúc thôn Một và thôn Hai
kind: hamlet_meeting
date: 2025-08-05
location: Nhà văn hóa thôn Một
chairs: [Phó Chủ tịch UBND xã]
hamlets: [h1, h2]
attendance: 30
---
Tiếp xúc.
""",
    # A cancelled hamlet meeting of h3 in Q3: it does not count.
    "dialogues/tx-q3-huy/index.md": """\
---
title: Tiếp xúc thôn Ba
kind: hamlet_meeting
date: 2025-09-10
location: Nhà văn hóa thôn Ba
chairs: [Phó Chủ tịch UBND xã]
hamlets: [h3]
status: cancelled
---
Hoãn vì mưa bão.
""",
    # A hamlet meeting without a hamlets list (all hamlets) in Q4,
    # concluded late (due 2025-10-21).
    "dialogues/tx-q4/index.md": """\
---
title: Tiếp xúc toàn xã quý IV
kind: hamlet_meeting
date: 2025-10-07
location: Hội trường
chairs: [Chủ tịch UBND xã]
attendance: 40
---
Tiếp xúc.
""",
    "dialogues/tx-q4/conclusion.md": """\
---
issued: 2025-11-01
---
Kết luận.
""",
    "dialogues/tx-q4/questions/001.md": """\
---
hamlet: h2
topic: t2
channel: mttq
received: 2025-10-07
---
Câu hỏi bốn.
""",
}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.tags, self.cells = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if "href" in a:
            self.hrefs.append(a["href"])
        if tag == "td":
            self.cells.append(a.get("class") or "")


def parse(path):
    p = Links()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p


class Reports(unittest.TestCase):
    def setUp(self):
        self.dir = tmpdir(self)
        self.content = os.path.join(self.dir, "content")
        write(os.path.join(self.content, "site.yaml"), SITE)
        for rel, text in RECORDS.items():
            write(os.path.join(self.content, rel), text)
        self.out = os.path.join(self.dir, "site")

    def build(self):
        r = run(["build", "-C", self.content, "--theme", THEME, "-o",
                 self.out, "--today", TODAY])
        self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def page(self, rel):
        return os.path.join(self.out, rel)

    def links(self, rel):
        """The site paths rel links to (relative links resolved)."""
        base = posixpath.dirname(rel)
        return {posixpath.normpath(posixpath.join(base, h))
                for h in parse(self.page(rel)).hrefs
                if not h.startswith(("http", "#"))}

    def listed(self, rel):
        """The question pages a list page links to, as site paths."""
        base = posixpath.dirname(rel)
        found = set()
        for h in parse(self.page(rel)).hrefs:
            p = posixpath.normpath(posixpath.join(base, h))
            if re.fullmatch(r"doi-thoai/[^/]+/[^/]+/index\.html", p):
                found.add(p)
        return found

    def test_figures_lists_and_open_data_agree(self):
        self.build()
        data = read_json(self.page("data/questions.json"))
        qs = {q["id"]: q for q in data["questions"]}
        self.assertEqual(len(qs), 4)
        index = self.links("bao-cao/index.html")
        for period in ("2025", "2025-q3", "2025-q4"):
            self.assertIn("bao-cao/%s/index.html" % period, index)
        self.assertFalse(os.path.exists(self.page("bao-cao/2025-q2")))

        rep = read_json(self.page("data/bao-cao/2025-q3.json"))
        self.assertEqual(rep["period"], {
            "id": "2025-q3", "kind": "quarter", "title": "Quý III/2025",
            "first": "2025-07-01", "last": "2025-09-30"})
        self.assertEqual(rep["dialogues"], {
            "held": 2, "attendance": 80, "conclusions_on_time": 1,
            "conclusions_late": 0, "conclusions_overdue": 1,
            "conclusions_awaited": 0, "directives": 0,
            "directives_done": 0})
        fig = rep["questions"]
        expect = {"received": 3, "answered_on_time": 1, "answered_late": 1,
                  "not_answered": 1, "answer_overdue": 1, "resolved": 1,
                  "escalated": 1, "escalated_replied": 0, "open": 1}
        self.assertEqual({k: fig[k] for k in expect}, expect)
        self.assertEqual({c["id"]: c["count"] for c in fig["by_channel"]},
                         {"registered": 1, "at_meeting": 1, "written": 1,
                          "mttq": 0, "other": 0})
        self.assertEqual({c["id"]: c["count"] for c in fig["by_hamlet"]},
                         {"h1": 1, "h2": 1, "h3": 1})
        # The year adds its quarters up.
        year = read_json(self.page("data/bao-cao/2025.json"))
        q4 = read_json(self.page("data/bao-cao/2025-q4.json"))
        for k in ("received", "not_answered", "answer_overdue", "open"):
            self.assertEqual(year["questions"][k],
                             fig[k] + q4["questions"][k], k)
        self.assertEqual(year["dialogues"]["held"], 3)
        self.assertEqual(year["dialogues"]["attendance"], 120)
        self.assertEqual(q4["dialogues"]["conclusions_late"], 1)

        # Each figure links to the list of exactly what it counts,
        # recomputed here from questions.json.
        def page_of(i):
            return qs[i]["path"]
        in_q3 = [i for i, q in qs.items() if "2025-07-01" <= q["received"]
                 <= "2025-09-30"]
        want = {
            "tiep-nhan": in_q3,
            "da-tra-loi-dung-han": [i for i in in_q3 if qs[i]["answered"]
                                    and qs[i]["answered"] <=
                                    qs[i]["answer_due"]],
            "da-tra-loi-tre-han": [i for i in in_q3 if qs[i]["answered"]
                                   and qs[i]["answered"] >
                                   qs[i]["answer_due"]],
            "chua-tra-loi": [i for i in in_q3 if not qs[i]["answered"]],
            "qua-han-tra-loi": [i for i in in_q3
                                if qs[i]["answer_overdue"]],
            "da-giai-quyet": [i for i in in_q3
                              if qs[i]["status"] == "resolved"],
            "da-chuyen-cap-tren": [i for i in in_q3
                                   if qs[i]["status"] == "escalated"],
            "chua-xong": [i for i in in_q3 if qs[i]["open"]],
            "kenh-at-meeting": [i for i in in_q3
                                if qs[i]["channel"] == "at_meeting"],
            "thon-h3": [i for i in in_q3 if qs[i]["hamlet"]["id"] == "h3"],
            "linh-vuc-t1": [i for i in in_q3 if qs[i]["topic"]["id"] == "t1"],
        }
        report = self.links("bao-cao/2025-q3/index.html")
        for slug, ids in want.items():
            rel = "bao-cao/2025-q3/%s/index.html" % slug
            self.assertIn(rel, report, slug)
            self.assertEqual(self.listed(rel), {page_of(i) for i in ids},
                             slug)
        # A figure of 0 has no list to link to.
        self.assertFalse(os.path.exists(self.page(
            "bao-cao/2025-q3/kenh-mttq/index.html")))

    def test_report_page_is_printable_and_self_contained(self):
        self.build()
        for rel in ("bao-cao/2025-q3/index.html", "bao-cao/2025/index.html",
                    "bao-cao/index.html", "bao-cao/thon-theo-quy/index.html",
                    "bao-cao/2025-q3/tiep-nhan/index.html"):
            p = parse(self.page(rel))
            self.assertNotIn("script", p.tags, rel)
            base = posixpath.dirname(rel)
            for h in p.hrefs:
                if h.startswith("http") or h.startswith("#"):
                    continue
                target = posixpath.normpath(posixpath.join(base, h))
                self.assertTrue(os.path.isfile(self.page(target)),
                                "%s: broken link %s" % (rel, h))
        html = open(self.page("bao-cao/2025-q3/index.html"),
                    encoding="utf-8").read()
        self.assertIn("<svg", html)
        # The number is written beside its bar: 1 of 3 = 33%.
        self.assertIn('<rect width="33" height="8" class="bar-fg"/>', html)
        self.assertIn("33%", html)
        css = open(self.page("assets/style.css"), encoding="utf-8").read()
        self.assertRegex(css, r"@page\s*\{\s*size:\s*A4")
        self.assertIn("bao-cao/index.html", self.links("index.html"))
        for rel in ("bao-cao/2025-q3/index.html",
                    "data/bao-cao/2025-q3.json", "data/bao-cao/2025-q3.csv"):
            text = open(self.page(rel), encoding="utf-8").read()
            self.assertNotIn("Nguyễn Văn Kín", text)
            self.assertNotIn("0912", text)

    def test_long_lists_are_paged_with_working_links(self):
        for i in range(150):
            write(os.path.join(self.content, "dialogues", "hn-q3",
                               "questions", "m%03d.md" % i),
                  "---\nhamlet: h1\ntopic: t2\nchannel: other\n"
                  "received: 2025-07-16\n---\nCâu hỏi %d.\n" % i)
        self.build()
        second = "bao-cao/2025-q3/tiep-nhan/trang-2/index.html"
        self.assertTrue(os.path.isfile(self.page(second)))
        for rel in (second, "bao-cao/2025-q3/kenh-other/trang-2/index.html"):
            links = self.links(rel)
            self.assertIn("assets/style.css", links)
            for target in links:
                self.assertTrue(os.path.isfile(self.page(target)),
                                "%s: broken link %s" % (rel, target))
        self.assertEqual(len(self.listed(second)), 153 - 100)

    def test_csv_has_the_json_figures(self):
        self.build()
        raw = open(self.page("data/bao-cao/2025-q3.csv"), "rb").read()
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"))
        self.assertIn(b"\r\n", raw)
        rows = list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"),
                                               newline="")))
        rep = read_json(self.page("data/bao-cao/2025-q3.json"))
        got = {(r["section"], r["id"]): int(r["count"]) for r in rows}
        for k, n in rep["dialogues"].items():
            self.assertEqual(got[("dialogues", k)], n)
        for k, n in rep["questions"].items():
            if isinstance(n, int):
                self.assertEqual(got[("questions", k)], n)
        for c in rep["questions"]["by_topic"]:
            self.assertEqual(got[("topic", c["id"])], c["count"])
        names = {(r["section"], r["id"]): r["name"] for r in rows}
        self.assertEqual(names[("topic", "t1")], "Đất đai")

    def test_coverage_table_and_check_warning(self):
        self.build()
        p = parse(self.page("bao-cao/thon-theo-quy/index.html"))
        # Rows h1, h2, h3; columns Q3 2025, Q4 2025.
        self.assertEqual(p.cells, ["met", "met", "met", "met",
                                   "missed", "met"])
        data = read_json(self.page("data/bao-cao/thon-theo-quy.json"))
        self.assertEqual([q["id"] for q in data["quarters"]],
                         ["2025-q3", "2025-q4"])
        self.assertEqual(
            {h["id"]: [(c["state"], c["dialogue"]) for c in h["quarters"]]
             for h in data["hamlets"]},
            {"h1": [("met", "tx-q3"), ("met", "tx-q4")],
             "h2": [("met", "tx-q3"), ("met", "tx-q4")],
             "h3": [("missed", None), ("met", "tx-q4")]})
        self.assertEqual([h["missed"] for h in data["hamlets"]], [0, 0, 1])
        r = run(["check", "-C", self.content, "--today", TODAY])
        self.assertEqual(r.returncode, 0, r.stderr)
        line = 1 + SITE.splitlines().index(
            "coverage: {kind: hamlet_meeting, per: quarter}")
        warns = [l for l in r.stderr.splitlines() if "hamlet meeting" in l]
        self.assertEqual(len(warns), 1, r.stderr)
        self.assertRegex(warns[0], r"site\.yaml:%d:1: warning: .*Thôn Ba "
                         r"\(h3\).*3/2025" % line)
        # --strict turns the warning into a failure.
        r = run(["check", "-C", self.content, "--today", TODAY, "--strict"])
        self.assertEqual(r.returncode, 1)
        # Before Q3 ends, h3 is "not yet", not missed.
        r = run(["check", "-C", self.content, "--today", "2025-09-30"])
        self.assertNotIn("hamlet meeting", r.stderr)

    def test_without_coverage_no_table_no_warning(self):
        write(os.path.join(self.content, "site.yaml"),
              SITE.replace("coverage: {kind: hamlet_meeting, per: quarter}\n",
                           ""))
        self.build()
        self.assertFalse(os.path.exists(self.page("bao-cao/thon-theo-quy")))
        self.assertTrue(os.path.isfile(self.page("bao-cao/index.html")))
        r = run(["check", "-C", self.content, "--today", TODAY])
        self.assertNotIn("hamlet meeting", r.stderr)

    def test_bad_coverage_is_an_error_with_its_position(self):
        write(os.path.join(self.content, "site.yaml"),
              SITE.replace("{kind: hamlet_meeting, per: quarter}",
                           "{kind: conference, per: month, every: 2}"))
        before = os.path.exists(self.out)
        r = run(["build", "-C", self.content, "--theme", THEME, "-o",
                 self.out, "--today", TODAY])
        self.assertEqual(r.returncode, 1)
        line = 1 + SITE.splitlines().index(
            "coverage: {kind: hamlet_meeting, per: quarter}")
        self.assertRegex(r.stderr, r"site\.yaml:%d:\d+: error: unknown "
                         r"coverage kind 'conference'" % line)
        self.assertRegex(r.stderr, r"site\.yaml:%d:\d+: error: unknown "
                         r"coverage period 'month'" % line)
        self.assertRegex(r.stderr, r"site\.yaml:%d:\d+: error: unknown key "
                         r"'every'" % line)
        self.assertEqual(os.path.exists(self.out), before)


if __name__ == "__main__":
    unittest.main()


class FollowUpFigures(unittest.TestCase):
    """The follow-up's figures in the reports of the example commune,
    recomputed from its open data: escalations the higher level answered
    (questions received in the period), and the conclusions' directives
    and those done (dialogues held in the period)."""

    def test_escalated_replied_and_directives_done(self):
        from helpers import EXAMPLE
        out = os.path.join(tmpdir(self), "site")
        r = run(["build", "-C", EXAMPLE, "--theme", THEME, "-o", out,
                 "--today", "2026-12-01"])
        self.assertEqual(r.returncode, 0, r.stderr)
        qs = read_json(os.path.join(out, "data", "questions.json"))
        ds = read_json(os.path.join(out, "data", "dialogues.json"))
        seen_reply = seen_directive = False
        for name in sorted(os.listdir(os.path.join(out, "data", "bao-cao"))):
            if not re.fullmatch(r"\d{4}(-q\d)?\.json", name):
                continue
            rep = read_json(os.path.join(out, "data", "bao-cao", name))
            first, last = rep["period"]["first"], rep["period"]["last"]
            replied = sum(1 for q in qs["questions"]
                          if first <= q["received"] <= last
                          and q["escalation"] is not None
                          and q["escalation"]["reply"] is not None)
            held = [d for d in ds["dialogues"] if d["date"]
                    and first <= d["date"] <= last
                    and d["status"] in ("held", "concluded")]
            dirs = sum(len(d["directives"]) for d in held)
            done = sum(1 for d in held for x in d["directives"] if x["done"])
            self.assertEqual(rep["questions"]["escalated_replied"], replied,
                             name)
            self.assertEqual(rep["dialogues"]["directives"], dirs, name)
            self.assertEqual(rep["dialogues"]["directives_done"], done, name)
            seen_reply |= replied > 0
            seen_directive |= done > 0
        # The example has both, so the figures are not all zero.
        self.assertTrue(seen_reply and seen_directive)
