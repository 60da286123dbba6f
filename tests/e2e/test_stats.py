"""The statistics page thong-ke/index.html (issue #9, item 3): on-time
answer rate, resolution rate and median days to answer and to resolve, for
the whole unit and by topic, hamlet and department, each an inline SVG bar
with its number written beside it, no JavaScript; every figure recomputed
here from questions.json (the same records, another road) and compared with
what the page says."""
import datetime
import html.parser
import os
import re
import statistics
import unittest

from helpers import EXAMPLE, FIXTURES, THEME, run, tmpdir, read_json
import shutil

TODAY = "2027-01-15"


class Tables(html.parser.HTMLParser):
    """{(section id, caption): [(row header, cell text, bar width)]}"""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tables = {}
        self.section = None
        self.cap = None
        self.rows = None
        self.cell = None
        self.where = None
        self.bar = None
        self.scripts = 0
        self.svgs = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "section" and "id" in a:
            self.section = a["id"]
        if tag == "table" and "chart" in a.get("class", ""):
            self.rows, self.cap = [], ""
        if tag == "caption":
            self.where = "cap"
        if tag in ("th", "td") and self.rows is not None:
            self.where = tag
            if tag == "th":
                self.rows.append(["", "", None])
        if tag == "svg":
            self.svgs += 1
        if tag == "rect" and "bar-fg" in a.get("class", "") and self.rows:
            self.rows[-1][2] = int(a["width"])

    def handle_endtag(self, tag):
        if tag in ("caption", "th", "td"):
            self.where = None
        if tag == "table" and self.rows is not None:
            self.tables[(self.section, " ".join(self.cap.split()))] = [
                (" ".join(r[0].split()), " ".join(r[1].split()), r[2])
                for r in self.rows]
            self.rows = None

    def handle_data(self, data):
        if self.where == "cap":
            self.cap += data
        elif self.where == "th":
            self.rows[-1][0] += data
        elif self.where == "td":
            self.rows[-1][1] += data


def day(s):
    return datetime.date.fromisoformat(s)


def figures(qs):
    """What the page must say of these questions."""
    den = on_time = resolved = 0
    adays, rdays = [], []
    for q in qs:
        if q["answered"]:
            den += 1
            if q["answer_due"] is None or q["answered"] <= q["answer_due"]:
                on_time += 1
            adays.append((day(q["answered"]) - day(q["received"])).days)
        elif q["answer_overdue"]:
            den += 1
        if q["status"] == "resolved":
            resolved += 1
            rdays.append((day(q["progress"][-1]["date"])
                          - day(q["received"])).days)

    def rate(n, d):
        return "%d%% (%d/%d)" % ((n * 100 + d // 2) // d, n, d) if d else \
            "chưa có"

    def med(xs):
        if not xs:
            return "chưa có"
        m = statistics.median(xs)
        text = ("%d" % m) if m == int(m) else ("%d,5" % int(m))
        return "%s ngày (%d câu)" % (text, len(xs))

    return {"Trả lời đúng hạn": rate(on_time, den),
            "Đã giải quyết": rate(resolved, len(qs)),
            "Số ngày trả lời": med(adays),
            "Số ngày giải quyết": med(rdays)}


CAPTIONS = {"Trả lời đúng hạn": "Trả lời đúng hạn",
            "Đã giải quyết": "Đã giải quyết",
            "Số ngày trả lời": "Số ngày trả lời (trung vị)",
            "Số ngày giải quyết": "Số ngày giải quyết (trung vị)"}


class Stats(unittest.TestCase):
    def build(self, content):
        out = os.path.join(tmpdir(self), "site")
        r = run(["build", "-C", content, "--theme", THEME, "-o", out,
                 "--today", TODAY])
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "thong-ke", "index.html"),
                  encoding="utf-8") as f:
            page = f.read()
        return out, page

    def test_figures_match_the_open_data(self):
        out, page = self.build(EXAMPLE)
        t = Tables(page)
        self.assertEqual(t.scripts, 0)
        data = read_json(os.path.join(out, "data", "questions.json"))
        qs = data["questions"]
        site = data["site"]

        total = [v for k, v in t.tables.items() if k[1].startswith("Toàn")]
        self.assertEqual(len(total), 1)
        want = figures(qs)
        self.assertEqual({r[0]: r[1] for r in total[0]}, want)

        dims = (("linh-vuc", site["topics"], lambda q: q["topic"]["id"]),
                ("thon", site["hamlets"], lambda q: q["hamlet"]["id"]),
                ("bo-phan", site["departments"]
                 + [{"id": None, "name": "Chưa giao bộ phận"}],
                 lambda q: q["assigned_to"]["id"] if q["assigned_to"]
                 else None))
        checked = 0
        for sec, entries, key in dims:
            for label, caption in CAPTIONS.items():
                rows = {r[0]: r for r in t.tables[(sec, caption)]}
                for e in entries:
                    mine = [q for q in qs if key(q) == e["id"]]
                    if not mine:
                        self.assertNotIn(e["name"], rows)
                        continue
                    self.assertEqual(rows[e["name"]][1],
                                     figures(mine)[label],
                                     "%s %s %s" % (sec, label, e["name"]))
                    checked += 1
            counts = {r[0]: r[1] for r in
                      t.tables[(sec, "Số câu hỏi, kiến nghị")]}
            for e in entries:
                n = sum(1 for q in qs if key(q) == e["id"])
                if n:
                    self.assertEqual(counts[e["name"]], "%d câu" % n)
        self.assertGreater(checked, 40)

    def test_bars_draw_the_numbers(self):
        _, page = self.build(EXAMPLE)
        t = Tables(page)
        self.assertGreater(t.svgs, 50)
        for (sec, cap), rows in t.tables.items():
            for name, text, bar in rows:
                m = re.match(r"(\d+)% ", text)
                if m and bar is not None:
                    self.assertEqual(bar, int(m.group(1)), (sec, cap, name))
                if text == "chưa có":
                    self.assertEqual(bar, 0)
        # Pictures are decoration: the numbers say it all to a reader.
        self.assertNotRegex(page, r"<svg(?![^>]*aria-hidden=\"true\")")

    def test_same_content_same_bytes(self):
        _, a = self.build(EXAMPLE)
        _, b = self.build(EXAMPLE)
        self.assertEqual(a, b)

    def test_no_questions_yet(self):
        d = tmpdir(self)
        content = os.path.join(d, "content")
        shutil.copytree(os.path.join(FIXTURES, "minimal"), content)
        shutil.rmtree(os.path.join(content, "dialogues", "hoi-nghi-2025",
                                   "questions"))
        _, page = self.build(content)
        self.assertIn("Chưa có câu hỏi nào.", page)
        self.assertNotIn("<svg", page)


if __name__ == "__main__":
    unittest.main()
