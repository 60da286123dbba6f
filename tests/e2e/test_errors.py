"""One failing-content test per error kind: the message, its line and
column, exit status 1, every error of the run reported, and the output
folder left exactly as it was."""
import os
import re
import unittest

from helpers import FIXTURES, FixtureCase, run, tmpdir, tree_snapshot, write

Q1 = "content/dialogues/hoi-nghi-2025/questions/001.md"
Q2 = "content/dialogues/hoi-nghi-2025/questions/002.md"
DLG = "content/dialogues/hoi-nghi-2025/index.md"
SITE = "content/site.yaml"


class ContentErrors(FixtureCase):
    def assert_errors(self, expected):
        """expected: [(path, line, col, message regex)], all present."""
        r = self.build()
        self.assertEqual(r.returncode, 1, r.stderr)
        lines = r.stderr.splitlines()
        for path, line, col, msg in expected:
            want = re.compile(r"^%s:%d:%d: error: %s" %
                              (re.escape(path), line, col, msg))
            self.assertTrue(any(want.search(l) for l in lines),
                            "no %s:%d:%d: error: %s in\n%s" %
                            (path, line, col, msg, r.stderr))
        for l in lines:
            self.assertRegex(l, r"^content/\S+?:\d+:\d+: "
                             r"(error|warning): \S")
        self.assertEqual(tree_snapshot(self.out), self.before,
                         "a failed build changed the output folder")
        c = run(["check", "-C", "content", "--today", "2025-07-01"],
                cwd=self.dir)
        self.assertEqual(c.returncode, 1)
        self.assertEqual(
            sorted(l for l in c.stderr.splitlines() if ": error: " in l),
            sorted(l for l in lines if ": error: " in l))
        return r

    def test_fixture_is_valid(self):
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("error", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.out, "stale")))

    def test_unknown_key_with_suggestion(self):
        self.edit(Q1, "received: 2025-06-01", "recieved: 2025-06-01")
        self.assert_errors([
            (Q1, 5, 1, r"unknown key 'recieved' \(did you mean 'received'\?\)"),
            (Q1, 2, 1, r"missing required key 'received'"),
        ])

    def test_unknown_key_without_suggestion(self):
        self.edit(DLG, "location:", "mood: vui\nlocation:")
        self.assert_errors([(DLG, 4, 1, r"unknown key 'mood'$")])

    def test_wrong_type(self):
        self.edit(DLG, "chairs:\n  - Chủ tịch UBND xã", "chairs: Chủ tịch UBND xã")
        self.assert_errors([(DLG, 5, 9, r"'chairs' must be a list")])

    def test_wrong_type_number(self):
        self.edit(DLG, "location:", "attendance: nhiều\nlocation:")
        self.assert_errors([(DLG, 4, 13, r"'attendance' must be a whole number")])

    def test_impossible_iso_date(self):
        self.edit(Q1, "received: 2025-06-01", "received: 2025-02-30")
        self.assert_errors([(Q1, 5, 11, r"impossible date '2025-02-30'")])

    def test_impossible_vietnamese_date(self):
        self.edit(Q2, "received: 10/06/2025", "received: 31/04/2025")
        self.assert_errors([(Q2, 5, 11, r"impossible date '31/04/2025'")])

    def test_not_a_date(self):
        self.edit(Q2, "received: 10/06/2025", "received: hôm qua")
        self.assert_errors([(Q2, 5, 11, r"'hôm qua' is not a date")])

    def test_unknown_hamlet_with_suggestion(self):
        self.edit(Q2, "hamlet: na-mo", "hamlet: na-mo2")
        self.assert_errors([
            (Q2, 2, 9, r"unknown hamlet 'na-mo2' \(did you mean 'na-mo'\?\)")])

    def test_unknown_topic_and_department(self):
        self.edit(Q1, "topic: dat-dai", "topic: giao-thong\nassigned_to: van-phong")
        self.assert_errors([
            (Q1, 3, 8, r"unknown topic 'giao-thong'"),
            (Q1, 4, 14, r"unknown department 'van-phong'"),
        ])

    def test_unknown_status_and_channel(self):
        self.edit(Q2, "status: in_progress", "status: in-progress")
        self.edit(Q2, "channel: at_meeting", "channel: meeting")
        self.assert_errors([
            (Q2, 8, 13, r"unknown status 'in-progress' \(did you mean 'in_progress'\?\)"),
            (Q2, 4, 10, r"unknown channel 'meeting'"),
        ])

    def test_bad_question_slug(self):
        os.rename(self.path(Q2), self.path(
            "content/dialogues/hoi-nghi-2025/questions/Cau_2.md"))
        r = self.build()
        self.assertEqual(r.returncode, 1)
        self.assertIn("content/dialogues/hoi-nghi-2025/questions/Cau_2.md:1:1: "
                      "error: bad question id 'Cau_2'", r.stderr)
        self.assertEqual(tree_snapshot(self.out), self.before)

    def test_bad_dialogue_slug(self):
        os.rename(self.path("content/dialogues/hoi-nghi-2025"),
                  self.path("content/dialogues/Hội-nghị"))
        r = self.build()
        self.assertEqual(r.returncode, 1)
        self.assertIn("error: bad dialogue slug 'Hội-nghị'", r.stderr)
        self.assertEqual(tree_snapshot(self.out), self.before)

    def test_duplicate_id(self):
        self.edit(SITE, "  - id: na-mo\n", "  - id: thon-1\n")
        self.assert_errors([(SITE, 10, 9, r"duplicate id 'thon-1' in 'hamlets'")])

    def test_progress_backwards(self):
        self.edit(Q2, "    note: Đã kiểm tra hiện trường.\n",
                  "    note: Đã kiểm tra hiện trường.\n"
                  "  - date: 2025-06-11\n    status: resolved\n")
        self.assert_errors([(Q2, 10, 11, r"progress goes backwards")])

    def test_progress_before_received(self):
        self.edit(Q2, "  - date: 2025-06-12", "  - date: 2025-06-02")
        self.assert_errors([(Q2, 7, 11, r"progress date is before the question was received")])

    def test_answer_section_without_metadata(self):
        self.edit(Q1, "answer:\n  by: Chủ tịch UBND xã\n  date: 2025-06-10\n", "")
        self.assert_errors([(Q1, 12, 1, r"answer section without 'answer: \{by, date\}'")])

    def test_answer_without_section(self):
        self.edit(Q1, "## Trả lời\n", "Trả lời:\n")
        self.assert_errors([(Q1, 6, 1, r"'answer' is set but the body has no")])

    def test_answer_missing_date(self):
        self.edit(Q1, "  date: 2025-06-10\n", "")
        self.assert_errors([(Q1, 7, 3, r"missing required key 'date'")])

    def test_invalid_utf8(self):
        with open(self.path(Q2), "rb") as f:
            data = f.read()
        data = data.replace("Đường vào".encode(), b"\xc4\x90\xff\xfeng v\xc3\xa0o")
        with open(self.path(Q2), "wb") as f:
            f.write(data)
        self.assert_errors([(Q2, 11, 2, r"invalid UTF-8")])

    def test_personal_data_phone_in_body(self):
        self.edit(Q2, "Đường vào thôn bị sạt lở.",
                  "Đường vào thôn bị sạt lở, gọi 0912.345.678 để biết thêm.")
        self.assert_errors([(Q2, 11, 31, r"personal data .*phone number")])

    def test_personal_data_id_in_front_matter(self):
        self.edit(Q2, "channel: at_meeting",
                  "channel: at_meeting\nasked_by: Ông A, CCCD 001203012345")
        self.assert_errors([(Q2, 5, 23, r"personal data .*citizen ID")])

    def test_personal_data_email_in_page(self):
        self.edit("content/pages/gioi-thieu.md", "Trang giới thiệu.",
                  "Liên hệ ông Nam: nam.nguyen@example.com")
        self.assert_errors([("content/pages/gioi-thieu.md", 4, 18,
                             r"personal data .*e-mail address")])

    def test_office_contact_is_not_personal_data(self):
        self.edit("content/pages/gioi-thieu.md", "Trang giới thiệu.",
                  "Điện thoại văn phòng: 0209 3123 456.")
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_private_block_may_hold_personal_data(self):
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        for rel, data in tree_snapshot(self.out).items():
            self.assertNotIn(b"0912 345 678", data, rel)
            self.assertNotIn("Bí Mật".encode(), data, rel)

    def test_missing_required_key(self):
        self.edit(DLG, "location: Hội trường UBND xã\n", "")
        self.assert_errors([(DLG, 2, 1, r"missing required key 'location'")])

    def test_yaml_syntax_error(self):
        self.edit(Q2, "topic: dat-dai", "topic: [dat-dai")
        r = self.build()
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"(?m)^%s:\d+:\d+: error: " % re.escape(Q2))
        self.assertEqual(tree_snapshot(self.out), self.before)

    def test_missing_front_matter(self):
        write(self.path(Q2), "Chỉ có nội dung, không có front matter.\n")
        self.assert_errors([(Q2, 1, 1, r"missing front matter")])

    def test_bad_base_url(self):
        self.edit(SITE, "https://congkhai.example.invalid/", "congkhai.example.invalid")
        self.assert_errors([(SITE, 3, 11, r"base_url must be an absolute")])

    def test_every_error_of_a_run_is_reported(self):
        self.edit(Q1, "hamlet: thon-1", "hamlet: thon-9")
        self.edit(Q2, "received: 10/06/2025", "received: 30/02/2025")
        self.edit(DLG, "date: 2025-06-10", "date: 2025-13-01")
        self.edit(SITE, "name: Xã Thử Nghiệm", "nam: Xã Thử Nghiệm")
        self.assert_errors([
            (Q1, 2, 9, r"unknown hamlet 'thon-9'"),
            (Q2, 5, 11, r"impossible date '30/02/2025'"),
            (DLG, 3, 7, r"impossible date '2025-13-01'"),
            (SITE, 1, 1, r"unknown key 'nam' \(did you mean 'name'\?\)"),
        ])

    def test_broken_site_yaml_does_not_cascade(self):
        # With the hamlets list broken, the questions' hamlet references
        # are not reported as unknown: the cause is site.yaml.
        self.edit(SITE, "hamlets:\n", "hamlet:\n")
        r = self.assert_errors([
            (SITE, 7, 1, r"unknown key 'hamlet' \(did you mean 'hamlets'\?\)"),
            (SITE, 1, 1, r"missing required key 'hamlets'"),
        ])
        self.assertNotIn("unknown hamlet", r.stderr)

    def test_check_warnings_point_at_keys(self):
        # Overdue answer (no answer, 10 working days after the dialogue)
        # and a promised date passed: warnings at the keys, exit 0, and
        # exit 1 with --strict.
        self.edit(Q2, "channel: at_meeting", "channel: at_meeting\ndue: 2025-06-20")
        c = run(["check", "-C", "content", "--today", "2025-07-01"], cwd=self.dir)
        self.assertEqual(c.returncode, 0, c.stderr)
        self.assertIn(Q2 + ":6:11: warning: answer overdue: it was due 2025-06-24",
                      c.stderr)
        self.assertIn(Q2 + ":5:6: warning: still open after the promised date "
                      "2025-06-20", c.stderr)
        self.assertIn(DLG + ":3:7: warning: conclusion overdue: it was due "
                      "2025-06-24", c.stderr)
        s = run(["check", "-C", "content", "--today", "2025-07-01", "--strict"],
                cwd=self.dir)
        self.assertEqual(s.returncode, 1)
        early = run(["check", "-C", "content", "--today", "2025-06-24"],
                    cwd=self.dir)
        self.assertNotIn("answer overdue", early.stderr)

    def test_missing_dialogue_index(self):
        os.remove(self.path(DLG))
        r = self.build()
        self.assertEqual(r.returncode, 1)
        self.assertIn(DLG + ":1:1: error: missing index.md", r.stderr)
        self.assertEqual(tree_snapshot(self.out), self.before)

    def test_duplicate_key_does_not_hide_other_errors(self):
        self.edit(Q2, "topic: dat-dai", "topic: dat-dai\ntopic: dat-dai\nnote: x")
        self.assert_errors([
            (Q2, 4, 1, r"duplicate key 'topic' \(first at line 3\)"),
            (Q2, 5, 1, r"unknown key 'note'"),
        ])

    def test_bad_list_item_does_not_hide_unknown_ids(self):
        self.edit(SITE, "  - id: na-mo\n", "  - id: thon-1\n")
        self.edit(Q1, "topic: dat-dai", "topic: dat-da")
        self.assert_errors([
            (SITE, 10, 9, r"duplicate id 'thon-1' in 'hamlets'"),
            (Q2, 2, 9, r"unknown hamlet 'na-mo'"),
            (Q1, 3, 8, r"unknown topic 'dat-da' \(did you mean 'dat-dai'\?\)"),
        ])

    def test_personal_data_phone_groupings(self):
        self.edit(Q2, "Đường vào thôn bị sạt lở.",
                  "Gọi 09 1234 5678, 03.9876.5432 hoặc 0 912 345 678.")
        self.assert_errors([
            (Q2, 11, 5, r"personal data .*phone number"),
            (Q2, 11, 19, r"personal data .*phone number"),
            (Q2, 11, 37, r"personal data .*phone number"),
        ])

    def test_published_after_the_dialogue(self):
        self.edit(DLG, "location:", "published: 2025-06-12\nlocation:")
        c = run(["check", "-C", "content", "--today", "2025-06-11"], cwd=self.dir)
        self.assertIn(DLG + ":4:12: warning: the plan was published after the "
                      "dialogue", c.stderr)

    def test_trailing_slash_in_content_path(self):
        self.edit(Q2, "hamlet: na-mo", "hamlet: na-mo2")
        r = run(["check", "-C", "content/", "--today", "2025-07-01"], cwd=self.dir)
        self.assertIn(Q2 + ":2:9: error: unknown hamlet", r.stderr)

    def test_decomposed_text_is_normalised(self):
        # "Nguyễn" typed with combining marks arrives decomposed.
        decomposed = "Nguye\u0302\u0303n"
        self.edit(Q2, "channel: at_meeting",
                  "channel: at_meeting\nasked_by: Bà %s Thị Hoa" % decomposed)
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(self.out, "data", "questions.json"),
                  encoding="utf-8") as f:
            text = f.read()
        self.assertIn("Bà Nguyễn Thị Hoa", text)
        self.assertNotIn(decomposed, text)


class Usage(unittest.TestCase):
    def test_exit_statuses(self):
        d = tmpdir(self)
        self.assertEqual(run(["frobnicate"], cwd=d).returncode, 2)
        self.assertEqual(run(["build", "--bogus"], cwd=d).returncode, 2)
        self.assertEqual(run(["build", "--today", "2025-02-30"], cwd=d).returncode, 2)
        r = run(["build", "-C", "no-such-folder"], cwd=d)
        self.assertEqual(r.returncode, 2)
        self.assertIn("no-such-folder", r.stderr)
        r = run(["build", "-C", os.path.join(FIXTURES, "minimal"), "--theme",
                 "no-such-theme", "-o", os.path.join(d, "out")], cwd=d)
        self.assertEqual(r.returncode, 2)
        self.assertIn("no-such-theme", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(d, "out")))
        with open(os.path.join(d, "file"), "w") as f:
            f.write("x")
        r = run(["publish", "-C", os.path.join(FIXTURES, "minimal"),
                 "--repo", "file"], cwd=d)
        self.assertEqual(r.returncode, 2)
        self.assertIn("not a folder", r.stderr)
        self.assertEqual(run(["--help"], cwd=d).returncode, 0)
        self.assertEqual(run(["build", "--help"], cwd=d).returncode, 0)
        self.assertRegex(run(["--version"], cwd=d).stdout, r"^congkhai \d")


if __name__ == "__main__":
    unittest.main()
