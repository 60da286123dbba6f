"""congkhai calendar YEAR [-C DIR]: the days off the deadlines skip, from
the same calendar (a question's answer_due in the open data counts past
exactly the days it lists), with site.yaml's holidays and workdays; and
check's warning when a year it counts deadlines in has no site.yaml
holidays around Tết."""
import datetime
import os
import shutil
import unittest

from helpers import (EXAMPLE, FIXTURES, THEME, read_json, run, tmpdir,
                     write)

STATUTORY_2026 = [
    "2026-01-01  Thứ Năm   statutory  Tết Dương lịch",
    "2026-02-16  Thứ Hai   statutory  Tết Nguyên Đán",
    "2026-02-17  Thứ Ba    statutory  Tết Nguyên Đán",
    "2026-02-18  Thứ Tư    statutory  Tết Nguyên Đán",
    "2026-02-19  Thứ Năm   statutory  Tết Nguyên Đán",
    "2026-02-20  Thứ Sáu   statutory  Tết Nguyên Đán",
    # Giỗ Tổ (lunar 10/3) on a Sunday: the Monday is given back.
    "2026-04-26  Chủ Nhật  statutory  Giỗ Tổ Hùng Vương",
    "2026-04-27  Thứ Hai   nghỉ bù    Nghỉ bù",
    "2026-04-30  Thứ Năm   statutory  "
    "Ngày Giải phóng miền Nam, thống nhất đất nước",
    "2026-05-01  Thứ Sáu   statutory  Ngày Quốc tế Lao động",
    "2026-09-02  Thứ Tư    statutory  Quốc khánh",
]

SITE_EXTRA = """holidays:
  - {date: 2026-02-13..2026-02-22, name: Nghỉ Tết Bính Ngọ}
  - 2026-09-01
workdays:
  - 2026-04-27
"""


def day(s):
    return datetime.date.fromisoformat(s)


class CalendarCommand(unittest.TestCase):
    def setUp(self):
        self.dir = tmpdir(self)
        self.content = os.path.join(self.dir, "content")
        shutil.copytree(os.path.join(FIXTURES, "minimal"), self.content)

    def add_to_site(self, text):
        with open(os.path.join(self.content, "site.yaml"), "a",
                  encoding="utf-8") as f:
            f.write(text)

    def calendar(self, *args):
        r = run(["calendar"] + list(args), cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        return r.stdout.splitlines()

    def test_statutory_days(self):
        self.assertEqual(self.calendar("2026"), STATUTORY_2026)
        # Tết 2025 fell on Wednesday 29 January: the 28th to 1 February.
        lines = self.calendar("2025")
        self.assertEqual([l[:10] for l in lines if "Tết Nguyên" in l],
                         ["2025-01-28", "2025-01-29", "2025-01-30",
                          "2025-01-31", "2025-02-01"])
        # ... and its Saturday (lunar 4) gives Monday 3 February back.
        self.assertIn("2025-02-03  Thứ Hai   nghỉ bù    Nghỉ bù", lines)

    def test_site_holidays_and_workdays(self):
        self.add_to_site(SITE_EXTRA)
        lines = self.calendar("2026", "-C", "content")
        self.assertIn("2026-02-13  Thứ Sáu   site.yaml  Nghỉ Tết Bính Ngọ",
                      lines)
        self.assertIn("2026-02-21  Thứ Bảy   site.yaml  Nghỉ Tết Bính Ngọ",
                      lines)
        # The site's name wins on a statutory day, which stays statutory.
        self.assertIn("2026-02-17  Thứ Ba    statutory  Nghỉ Tết Bính Ngọ",
                      lines)
        self.assertIn("2026-09-01  Thứ Ba    site.yaml  Ngày nghỉ", lines)
        # A workday takes the nghỉ bù away.
        self.assertFalse(any(l.startswith("2026-04-27") for l in lines))
        self.assertEqual(len(lines), len(STATUTORY_2026) - 1 + 10 - 5 + 1)
        # Without -C, site.yaml is not read.
        self.assertEqual(self.calendar("2026"), STATUTORY_2026)

    def test_deadlines_skip_exactly_the_listed_days(self):
        # A question received just before Tết: its answer_due, computed by
        # the build, is 10 working days on, skipping weekends and what
        # `calendar` lists (site.yaml's Tết included).
        self.add_to_site(SITE_EXTRA)
        dlg = os.path.join(self.content, "dialogues", "hoi-nghi-2025",
                           "index.md")
        with open(dlg, encoding="utf-8") as f:
            text = f.read()
        write(dlg, text.replace("date: 2025-06-10", "date: 2026-02-10"))
        q2 = os.path.join(self.content, "dialogues", "hoi-nghi-2025",
                          "questions", "002.md")
        with open(q2, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("received: 10/06/2025", text)
        write(q2, text.replace("10/06/2025", "11/02/2026")
              .replace("2025-06-12", "2026-02-12"))
        off = {l[:10] for l in self.calendar("2026", "-C", "content")}
        d, n = day("2026-02-11"), 0
        while n < 10:
            d += datetime.timedelta(days=1)
            if d.weekday() < 5 and d.isoformat() not in off:
                n += 1
        r = run(["build", "-C", "content", "--theme", THEME, "-o", "site",
                 "--today", "2026-03-01"], cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        qs = read_json(os.path.join(self.dir, "site", "data",
                                    "questions.json"))
        qs = qs["questions"] if isinstance(qs, dict) else qs
        got = [x["answer_due"] for x in qs if x["id"].endswith("/002")]
        self.assertEqual(got, [d.isoformat()])
        self.assertEqual(d.isoformat(), "2026-03-05")

    def test_errors(self):
        for args, msg in ((["calendar"], "which year?"),
                          (["calendar", "26x"], "'26x' is not a year"),
                          (["calendar", "1899"], "'1899' is not a year"),
                          (["calendar", "2026", "2027"],
                           "unexpected argument '2027'"),
                          (["calendar", "2026", "-C"],
                           "option '-C' needs a value"),
                          (["calendar", "2026", "-C", "nowhere"],
                           "content folder 'nowhere' not found")):
            r = run(args, cwd=self.dir)
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            self.assertIn(msg, r.stderr)
            self.assertEqual(r.stdout, "")
        self.add_to_site("holidays:\n  - 2026-02-30\n")
        r = run(["calendar", "2026", "-C", "content"], cwd=self.dir)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"content/site.yaml:\d+:\d+: error: ")
        self.assertEqual(r.stdout, "")


class TetWarning(unittest.TestCase):
    def setUp(self):
        self.dir = tmpdir(self)
        self.content = os.path.join(self.dir, "content")
        shutil.copytree(os.path.join(FIXTURES, "minimal"), self.content)

    def check(self, today):
        r = run(["check", "-C", "content", "--today", today], cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        return [l for l in r.stderr.splitlines() if "around Tết" in l]

    def test_missing_tet_holidays_are_named(self):
        # Today's year; the minimal commune has no holidays at all.
        w = self.check("2025-07-01")
        self.assertEqual(len(w), 1, w)
        self.assertTrue(w[0].startswith(
            "content/site.yaml:1:1: warning: no holidays around Tết 2025 "
            "in site.yaml"), w[0])
        self.assertIn("2025-01-28..2025-02-01", w[0])
        self.assertIn("'holidays'", w[0])
        # In 2026 the deadlines (in 2025) and today's year both count.
        w = self.check("2026-03-01")
        self.assertEqual([x.split("Tết ")[1][:4] for x in w],
                         ["2025", "2026"])

    def test_entered_tet_silences_it(self):
        with open(os.path.join(self.content, "site.yaml"), "a",
                  encoding="utf-8") as f:
            f.write("holidays:\n  - 2025-01-25..2025-02-02\n"
                    "  - {date: 2025-09-01, name: Quốc khánh}\n")
        self.assertEqual(self.check("2025-07-01"), [])
        w = self.check("2026-03-01")
        self.assertEqual(len(w), 1, w)
        # It points at the 'holidays' key.
        self.assertRegex(w[0], r"^content/site.yaml:\d+:1: warning: no "
                         r"holidays around Tết 2026 ")
        self.assertFalse(w[0].startswith("content/site.yaml:1:1:"))
        # A warning: --strict fails on it.
        r = run(["check", "-C", "content", "--today", "2026-03-01",
                 "--strict"], cwd=self.dir)
        self.assertEqual(r.returncode, 1)

    def test_example_commune_has_its_tet(self):
        r = run(["check", "-C", EXAMPLE, "--today", "2026-12-01"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("around Tết", r.stderr)


if __name__ == "__main__":
    unittest.main()
