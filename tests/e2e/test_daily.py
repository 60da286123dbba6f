"""Daily publishing without noise (issue #8 item 6): a commune publishes
every day so that overdue flags appear on time; a day on which no
citizen-visible fact changes must make no commit, and the day an answer
becomes overdue makes one whose summary says so. Checked with real
publishes on consecutive --today values and the real git command."""
import json
import os
import unittest

from helpers import (THEME, git, read_json, run, tmpdir, tree_snapshot,
                     write)

SITE = """\
name: Xã Hằng Ngày
base_url: https://hangngay.example.invalid/
hamlets:
  - {id: thon-1, name: Thôn 1}
  - {id: thon-2, name: Thôn 2}
topics:
  - {id: dat-dai, name: Đất đai}
"""

# Held on Monday 2025-06-02. Two questions without an answer are due
# 2025-06-02 + 10 working days = Monday 2025-06-16 (no holiday in June),
# so they turn overdue on 2025-06-17. A third was answered on 2025-06-05.
DIALOGUE = """\
---
title: Hội nghị đối thoại tháng 6
date: 2025-06-02
location: Hội trường UBND xã
chairs: [Chủ tịch UBND xã]
registration_deadline: 2025-05-30
attendance: 80
---
Kế hoạch.
"""

OPEN_Q = """\
---
hamlet: thon-{n}
topic: dat-dai
channel: at_meeting
received: 2025-06-02
---
Đề nghị sửa đường số {n}.
"""

ANSWERED_Q = """\
---
hamlet: thon-1
topic: dat-dai
channel: registered
received: 2025-05-20
answer: {by: Chủ tịch UBND xã, date: 2025-06-05}
---
Đề nghị cấp giấy chứng nhận.

## Trả lời

Đã cấp.
"""


class DailyPublish(unittest.TestCase):
    def setUp(self):
        self.dir = tmpdir(self)
        self.content = os.path.join(self.dir, "content")
        write(os.path.join(self.content, "site.yaml"), SITE)
        dl = os.path.join(self.content, "dialogues", "thang-6")
        write(os.path.join(dl, "index.md"), DIALOGUE)
        write(os.path.join(dl, "questions", "001.md"), OPEN_Q.format(n=1))
        write(os.path.join(dl, "questions", "002.md"), OPEN_Q.format(n=2))
        write(os.path.join(dl, "questions", "003.md"), ANSWERED_Q)
        self.repo = os.path.join(self.dir, "site")

    def publish(self, today):
        r = run(["publish", "-C", self.content, "--theme", THEME,
                 "--repo", self.repo, "--today", today])
        self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def head(self):
        return git(["rev-parse", "HEAD"], cwd=self.repo).stdout.strip()

    def test_quiet_days_commit_nothing_and_overdue_day_says_so(self):
        self.publish("2025-06-10")
        first = self.head()
        # Quiet days, up to and including the answers' last due day.
        for day in ("2025-06-11", "2025-06-12", "2025-06-13", "2025-06-16"):
            r = self.publish(day)
            self.assertEqual(self.head(), first,
                             "a commit on the quiet day %s" % day)
            self.assertIn("Nothing changed", r.stdout + r.stderr)
        # 2025-06-17: both open questions are now overdue.
        self.publish("2025-06-17")
        overdue = self.head()
        self.assertNotEqual(overdue, first)
        subject = git(["log", "-1", "--format=%s"], cwd=self.repo).stdout
        self.assertIn("2 câu hỏi quá hạn trả lời", subject)
        parents = git(["rev-list", "--parents", "-n", "1", "HEAD"],
                      cwd=self.repo).stdout.split()
        self.assertEqual(parents[1:], [first])
        # The open data says the facts date from the day they turned.
        data = read_json_blob(self.repo, "data/questions.json")
        self.assertEqual(data["as_of"], "2025-06-17")
        self.assertEqual(sum(q["answer_overdue"] for q in data["questions"]),
                         2)
        # And the days after are quiet again.
        for day in ("2025-06-18", "2025-06-23"):
            self.publish(day)
            self.assertEqual(self.head(), overdue,
                             "a commit on the quiet day %s" % day)
        git(["fsck", "--strict"], cwd=self.repo)

    def test_builds_on_consecutive_quiet_days_are_byte_identical(self):
        snaps = []
        for day in ("2025-06-06", "2025-06-09", "2025-06-16"):
            out = os.path.join(self.dir, "out-" + day)
            r = run(["build", "-C", self.content, "--theme", THEME, "-o", out,
                     "--today", day])
            self.assertEqual(r.returncode, 0, r.stderr)
            snaps.append(tree_snapshot(out))
        self.assertEqual(snaps[0].keys(), snaps[1].keys())
        for path in snaps[0]:
            self.assertEqual(snaps[0][path], snaps[1][path], path)
            self.assertEqual(snaps[0][path], snaps[2][path], path)
        data = read_json(os.path.join(self.dir, "out-2025-06-16", "data",
                                      "questions.json"))
        # The answer of 2025-06-05 is the last fact before the 16th.
        self.assertEqual(data["as_of"], "2025-06-05")
        dialogues = read_json(os.path.join(self.dir, "out-2025-06-16", "data",
                                           "dialogues.json"))
        self.assertEqual(dialogues["as_of"], "2025-06-05")
        home = snaps[2]["index.html"].decode()
        self.assertIn('<p class="asof">Số liệu tính đến <time '
                      'datetime="2025-06-05">', home)
        self.assertNotIn("2025-06-16", home)

    def test_as_of_follows_the_day_a_plan_turns_held(self):
        # The dialogue's own day is a fact: planned -> held.
        r1 = os.path.join(self.dir, "a")
        r2 = os.path.join(self.dir, "b")
        for out, day in ((r1, "2025-06-01"), (r2, "2025-06-02")):
            r = run(["build", "-C", self.content, "--theme", THEME, "-o", out,
                     "--today", day])
            self.assertEqual(r.returncode, 0, r.stderr)
        a = read_json(os.path.join(r1, "data", "dialogues.json"))
        b = read_json(os.path.join(r2, "data", "dialogues.json"))
        self.assertEqual(a["as_of"], "2025-05-31")  # registration closed
        self.assertEqual(b["as_of"], "2025-06-02")
        self.assertEqual(a["dialogues"][0]["status"], "planned")
        self.assertEqual(b["dialogues"][0]["status"], "held")

    def test_a_new_quarter_is_a_fact(self):
        # On 2025-07-01 the quarter II report becomes complete: a change
        # (and the as_of day); 2025-07-02 is quiet again.
        snaps = {}
        for day in ("2025-06-30", "2025-07-01", "2025-07-02"):
            out = os.path.join(self.dir, "q-" + day)
            r = run(["build", "-C", self.content, "--theme", THEME, "-o", out,
                     "--today", day])
            self.assertEqual(r.returncode, 0, r.stderr)
            snaps[day] = tree_snapshot(out)
        self.assertEqual(json.loads(snaps["2025-07-01"][
            "data/questions.json"])["as_of"], "2025-07-01")
        self.assertNotEqual(snaps["2025-06-30"]["bao-cao/2025-q2/index.html"],
                            snaps["2025-07-01"]["bao-cao/2025-q2/index.html"])
        self.assertEqual(snaps["2025-07-01"], snaps["2025-07-02"])


def read_json_blob(repo, path):
    text = git(["show", "HEAD:" + path], cwd=repo).stdout
    return json.loads(text)


if __name__ == "__main__":
    unittest.main()
