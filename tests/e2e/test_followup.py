"""The follow-up of the work (issue #8 items 1, 2, 3 and 7): escalations to a
higher authority, the conclusion's directives, the Front's supervision,
staleness and lateness, and the open data with its JSON Schemas. Each new
error and warning is checked with its path:line:col; the rest through the
real output (pages, JSON, CSV) of real builds."""
import csv
import io
import os
import re
import unittest

from helpers import (EXAMPLE, FIXTURES, THEME, TOP, FixtureCase, copy_example,
                     read_json, run, tmpdir, tree_snapshot, write)

try:
    import jsonschema
except ImportError:  # python3-jsonschema: `make test-deps` installs it
    jsonschema = None

DLG = "content/dialogues/hoi-nghi-2025/index.md"
CONC = "content/dialogues/hoi-nghi-2025/conclusion.md"
Q1 = "content/dialogues/hoi-nghi-2025/questions/001.md"
Q2 = "content/dialogues/hoi-nghi-2025/questions/002.md"
SITE = "content/site.yaml"

CONCLUSION = """---
issued: 2025-06-20
number: 12/TB-UBND
directives:
  - id: cap-giay
    text: Hoàn thiện hồ sơ cấp giấy chứng nhận.
    assigned_to: dia-chinh
    due: 2025-06-30
    questions: ["001"]
    progress:
      - date: 2025-06-25
        status: in_progress
        note: Đang đo đạc.
    supervision:
      - date: 2025-06-28
        by: Ban Thường trực Ủy ban MTTQ xã
        note: Đề nghị làm đúng hạn.
  - id: sua-duong
    text: Sửa đường vào thôn Nà Mò.
    questions: ["002"]
    progress:
      - date: 2025-06-26
        status: resolved
---
Kết luận của Chủ tịch UBND xã.
"""

ESCALATION = """escalation:
  to: UBND tỉnh Thử Nghiệm
  number: 45/UBND-VP
  sent: 2025-06-13
  reply_due: 2025-06-20
"""


def at(dirpath, rel, needle, nth=1):
    """(line, column) of the nth occurrence of needle in the file."""
    with open(os.path.join(dirpath, rel), encoding="utf-8") as f:
        seen = 0
        for i, line in enumerate(f.read().split("\n"), 1):
            k = line.find(needle)
            while k >= 0:
                seen += 1
                if seen == nth:
                    return i, k + 1
                k = line.find(needle, k + 1)
    raise AssertionError("%s not in %s" % (needle, rel))


class FollowupCase(FixtureCase):
    def setUp(self):
        super().setUp()
        # The fixture is flat (no content/ folder inside): keep it so.
        self.assertTrue(os.path.exists(self.path(DLG)))

    def check(self, today=None):
        return run(["check", "-C", "content", "--today",
                    today or self.TODAY], cwd=self.dir)

    def diag(self, r, kind, rel, needle, msg, nth=1):
        line, col = at(self.dir, rel, needle, nth)
        want = re.compile(r"^%s:%d:%d: %s: %s" %
                          (re.escape(rel), line, col, kind, msg))
        self.assertTrue(any(want.search(l) for l in r.stderr.splitlines()),
                        "no %s:%d:%d: %s: %s in\n%s" %
                        (rel, line, col, kind, msg, r.stderr))

    def assert_error(self, rel, needle, msg, nth=1):
        r = self.build()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.diag(r, "error", rel, needle, msg, nth)
        self.assertEqual(tree_snapshot(self.out), self.before,
                         "a failed build changed the output folder")
        return r

    def assert_warning(self, rel, needle, msg, today=None):
        r = self.check(today)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.diag(r, "warning", rel, needle, msg)
        return r

    def built(self, today=None):
        r = run(["build", "-C", "content", "--theme", THEME, "-o", "site",
                 "--today", today or self.TODAY], cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def questions(self):
        return {q["id"]: q for q in
                read_json(os.path.join(self.out, "data", "questions.json"))
                ["questions"]}

    def page(self, rel):
        with open(os.path.join(self.out, rel), encoding="utf-8") as f:
            return f.read()


class Errors(FollowupCase):
    def test_conclusion_before_the_dialogue_is_an_error(self):
        write(self.path(CONC), "---\nissued: 2025-06-09\n---\nKết luận.\n")
        self.assert_error(CONC, "2025-06-09",
                          r"the conclusion is issued before the dialogue")

    def test_directive_unknown_department(self):
        write(self.path(CONC),
              CONCLUSION.replace("assigned_to: dia-chinh",
                                 "assigned_to: dia-chin"))
        self.assert_error(CONC, "dia-chin",
                          r"unknown department 'dia-chin' "
                          r"\(did you mean 'dia-chinh'\?\)")

    def test_directive_unknown_question_with_suggestion(self):
        write(self.path(CONC), CONCLUSION.replace('["002"]', '["0002"]'))
        self.assert_error(CONC, '"0002"',
                          r"unknown question '0002' of this dialogue "
                          r"\(did you mean '002'\?\)")

    def test_directive_question_of_another_dialogue(self):
        write(self.path(CONC),
              CONCLUSION.replace('["002"]', '["hoi-nghi-khac-2025/mot"]'))
        self.assert_error(CONC, '"hoi-nghi',
                          r"unknown question 'hoi-nghi-khac-2025/mot' of this "
                          r"dialogue$")

    def test_directive_duplicate_id(self):
        write(self.path(CONC),
              CONCLUSION.replace("id: sua-duong", "id: cap-giay"))
        self.assert_error(CONC, "cap-giay", r"duplicate directive id "
                          r"'cap-giay'", nth=2)

    def test_directive_unknown_key(self):
        write(self.path(CONC),
              CONCLUSION.replace("    assigned_to: dia-chinh",
                                 "    assinged_to: dia-chinh"))
        self.assert_error(CONC, "assinged_to:", r"unknown key 'assinged_to' "
                          r"\(did you mean 'assigned_to'\?\)")

    def test_directive_progress_backwards(self):
        write(self.path(CONC), CONCLUSION.replace(
            "        note: Đang đo đạc.\n",
            "        note: Đang đo đạc.\n      - date: 2025-06-21\n"
            "        status: resolved\n"))
        self.assert_error(CONC, "2025-06-21", r"progress goes backwards")

    def test_supervision_entry_must_be_a_map(self):
        self.edit(DLG, "---\nKế hoạch", "supervision:\n  - MTTQ giám sát\n"
                  "---\nKế hoạch")
        self.assert_error(DLG, "MTTQ giám sát", r"a supervision entry is \{date, by, "
                          r"note\}")

    def test_supervision_needs_by(self):
        self.edit(DLG, "---\nKế hoạch", "supervision:\n  - date: 2025-06-20\n"
                  "---\nKế hoạch")
        r = self.build()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"%s:\d+:\d+: error: .*'by'" %
                         re.escape(DLG))

    def test_escalation_reply_before_sent(self):
        self.edit(Q2, "---\nĐường", ESCALATION +
                  "  reply: {number: 7/UBND, date: 2025-06-12}\n---\nĐường")
        self.assert_error(Q2, "2025-06-12}", r"reply date is before the "
                          r"escalation was sent", nth=1)

    def test_escalation_sent_before_received(self):
        self.edit(Q2, "---\nĐường",
                  ESCALATION.replace("2025-06-13", "2025-06-09") +
                  "---\nĐường")
        self.assert_error(Q2, "2025-06-09", r"escalation sent before the "
                          r"question was received")

    def test_escalation_unknown_key_and_missing_to(self):
        self.edit(Q2, "---\nĐường",
                  ESCALATION.replace("  to: UBND tỉnh Thử Nghiệm\n", "")
                  .replace("reply_due:", "reply_by:") + "---\nĐường")
        r = self.assert_error(Q2, "reply_by", r"unknown key 'reply_by'")
        self.assertRegex(r.stderr, r"%s:\d+:\d+: error: .*'to'" %
                         re.escape(Q2))

    def test_personal_data_in_supervision_note(self):
        self.edit(DLG, "---\nKế hoạch",
                  "supervision:\n  - date: 2025-06-20\n    by: MTTQ\n"
                  "    note: Gọi ông Ba 0912 345 679\n---\nKế hoạch")
        self.assert_error(DLG, "0912 345 679", r".*phone")

    def test_personal_data_in_escalation(self):
        self.edit(Q2, "---\nĐường",
                  ESCALATION.replace("45/UBND-VP", "liên hệ a.b@example.com")
                  + "---\nĐường")
        r = self.build()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("%s:%d:" % (Q2, at(self.dir, Q2, "a.b@example")[0]),
                      r.stderr)

    def test_reserved_page_slug(self):
        write(self.path("content/pages/chuyen-cap.md"),
              "---\ntitle: Trang\n---\nx\n")
        r = self.build()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("chuyen-cap", r.stderr)


class Warnings(FollowupCase):
    def test_no_reply_past_reply_due(self):
        self.edit(Q2, "---\nĐường", ESCALATION + "---\nĐường")
        self.assert_warning(Q2, "2025-06-20",
                            r"no reply from the higher level: it was due "
                            r"2025-06-20")
        # Before reply_due: nothing to say.
        r = self.check("2025-06-20")
        self.assertNotIn("higher level", r.stderr)

    def test_reply_after_reply_due(self):
        self.edit(Q2, "---\nĐường", ESCALATION +
                  "  reply:\n    number: 77/UBND\n    date: 2025-06-24\n"
                  "---\nĐường")
        self.assert_warning(Q2, "2025-06-24",
                            r"the higher level replied late: the reply was "
                            r"due 2025-06-20")

    def test_answered_late(self):
        # Due 10 working days after the dialogue (2025-06-10): 2025-06-24.
        self.edit(Q1, "  date: 2025-06-10", "  date: 2025-06-25")
        self.assert_warning(Q1, "2025-06-25",
                            r"answered late: the answer was due 2025-06-24")
        self.built()
        q = self.questions()["hoi-nghi-2025/001"]
        self.assertTrue(q["answered_late"])
        self.assertIn("Trả lời chậm",
                      self.page("doi-thoai/hoi-nghi-2025/001/index.html"))

    def test_answered_on_the_due_day_is_not_late(self):
        self.edit(Q1, "  date: 2025-06-10", "  date: 2025-06-24")
        r = self.check()
        self.assertNotIn("answered late", r.stderr)

    def test_registered_after_the_deadline(self):
        self.edit(DLG, "location:", "registration_deadline: 2025-05-30\n"
                  "location:")
        self.assert_warning(Q1, "2025-06-01",
                            r"registered after the dialogue's "
                            r"registration_deadline 2025-05-30")
        # At the meeting is not registered: no warning for 002.
        self.assertNotIn(Q2 + ":5:11: warning: registered",
                         self.check().stderr)

    def test_hamlet_outside_the_dialogue(self):
        self.edit(DLG, "location:", "hamlets: [thon-1]\nlocation:")
        r = self.assert_warning(Q2, "na-mo",
                                r"hamlet 'na-mo' is not among the "
                                r"dialogue's hamlets")
        self.assertNotIn(Q1 + ":", r.stderr)


class Behaviour(FollowupCase):
    def test_undated_dialogue_has_no_answer_due(self):
        self.edit(DLG, "date: 2025-06-10",
                  "date_text: Quý III/2025 (thông báo sau)")
        self.built("2025-12-31")
        for q in self.questions().values():
            self.assertIsNone(q["answer_due"], q["id"])
            self.assertFalse(q["answer_overdue"], q["id"])
            self.assertFalse(q["answered_late"], q["id"])
        self.assertIn("tại buổi đối thoại (chưa ấn định ngày)",
                      self.page("doi-thoai/hoi-nghi-2025/002/index.html"))
        self.assertNotIn("answer overdue", self.check("2025-12-31").stderr)

    def test_stale_after_stale_working_days(self):
        # 002: last progress 2025-06-12; default 30 working days -> due for
        # an update on 2025-07-24, stale from the day after.
        self.built("2025-07-24")
        self.assertFalse(self.questions()["hoi-nghi-2025/002"]["stale"])
        self.built("2025-07-25")
        q = self.questions()
        self.assertTrue(q["hoi-nghi-2025/002"]["stale"])
        self.assertFalse(q["hoi-nghi-2025/001"]["stale"])  # closed
        page = self.page("doi-thoai/hoi-nghi-2025/002/index.html")
        self.assertRegex(page, r"cập nhật <time datetime=\"2025-06-12\">"
                         r"[^<]*</time> <span class=\"flag\">Lâu chưa cập "
                         r"nhật</span>")
        # The setting shortens it.
        self.edit(SITE, "departments:",
                  "deadlines:\n  stale_working_days: 5\ndepartments:")
        self.built("2025-06-20")
        self.assertTrue(self.questions()["hoi-nghi-2025/002"]["stale"])

    def test_escalation_page_and_record(self):
        self.edit(Q2, "---\nĐường", ESCALATION + "---\nĐường")
        self.built("2025-07-01")
        e = self.questions()["hoi-nghi-2025/002"]["escalation"]
        # 2025-06-13 (Fri) to 2025-07-01 (Tue): 12 working days after it.
        self.assertEqual(e, {
            "to": "UBND tỉnh Thử Nghiệm", "number": "45/UBND-VP",
            "sent": "2025-06-13", "reply_due": "2025-06-20", "reply": None,
            "replied": False, "working_days": 12, "reply_late": True,
            "days_past_due": 11})
        self.assertIsNone(self.questions()["hoi-nghi-2025/001"]["escalation"])
        page = self.page("chuyen-cap/index.html")
        self.assertIn("Đang chờ cấp trên trả lời (1)", page)
        self.assertIn("Cấp trên đã trả lời (0)", page)
        self.assertIn("12 ngày làm việc", page)
        self.assertIn("Quá hạn 11 ngày", page)
        self.assertIn('href="../doi-thoai/hoi-nghi-2025/002/index.html"', page)
        qp = self.page("doi-thoai/hoi-nghi-2025/002/index.html")
        self.assertIn("UBND tỉnh Thử Nghiệm", qp)
        self.assertIn("Số 45/UBND-VP", qp)
        self.assertIn("Chưa trả lời, đã 12 ngày làm việc", qp)
        self.assertIn('href="../../../chuyen-cap/index.html"', qp)

        # Replied: moves to the second list, counted up to the reply.
        self.edit(Q2, "  reply_due: 2025-06-20\n",
                  "  reply_due: 2025-06-20\n  reply: {number: 9/STNMT, "
                  "date: 2025-06-19}\n")
        self.built("2025-07-01")
        e = self.questions()["hoi-nghi-2025/002"]["escalation"]
        self.assertEqual(e["reply"], {"number": "9/STNMT",
                                      "date": "2025-06-19"})
        self.assertEqual((e["working_days"], e["reply_late"],
                          e["days_past_due"]), (4, False, 0))
        page = self.page("chuyen-cap/index.html")
        self.assertIn("Cấp trên đã trả lời (1)", page)
        self.assertNotIn("Quá hạn", page.split("<h1>")[1])

    def test_no_escalations_page_says_so(self):
        self.built()
        self.assertIn("Không có việc nào đang chờ cấp trên trả lời.",
                      self.page("chuyen-cap/index.html"))

    def test_directives_and_supervision(self):
        write(self.path(CONC), CONCLUSION)
        self.edit(DLG, "---\nKế hoạch",
                  "supervision:\n  - date: 2025-06-28\n    by: Ủy ban MTTQ "
                  "xã\n    note: Giám sát việc thực hiện kết luận.\n"
                  "---\nKế hoạch")
        self.built("2025-07-01")
        d = read_json(os.path.join(self.out, "data", "dialogues.json"))
        dl = d["dialogues"][0]
        self.assertEqual([x["id"] for x in dl["directives"]],
                         ["cap-giay", "sua-duong"])
        first, second = dl["directives"]
        self.assertEqual(first["assigned_to"],
                         {"id": "dia-chinh",
                          "name": "Công chức Địa chính - Xây dựng"})
        self.assertEqual(first["questions"], ["hoi-nghi-2025/001"])
        self.assertEqual((first["status"], first["done"], first["overdue"],
                          first["due"]),
                         ("in_progress", False, True, "2025-06-30"))
        self.assertEqual(first["supervision"][0]["by"],
                         "Ban Thường trực Ủy ban MTTQ xã")
        self.assertEqual((second["status"], second["done"], second["overdue"],
                          second["assigned_to"], second["due"]),
                         ("resolved", True, False, None, None))
        self.assertEqual(dl["supervision"],
                         [{"date": "2025-06-28", "by": "Ủy ban MTTQ xã",
                           "note_html": "<p>Giám sát việc thực hiện kết "
                                        "luận.</p>\n"}])
        self.assertEqual(dl["conclusion"],
                         {"number": "12/TB-UBND", "issued": "2025-06-20",
                          "signer": None, "late": False})
        page = self.page("doi-thoai/hoi-nghi-2025/index.html")
        self.assertIn('id="chi-dao-cap-giay"', page)
        self.assertIn("Đã hoàn thành <b>1</b> trên 2 nội dung chỉ đạo", page)
        self.assertIn("Quá hạn thực hiện", page)
        self.assertIn("Giám sát của Mặt trận Tổ quốc", page)
        self.assertIn("Đề nghị làm đúng hạn.", page)
        self.assertIn('href="../../doi-thoai/hoi-nghi-2025/001/index.html"',
                      page)
        qp = self.page("doi-thoai/hoi-nghi-2025/001/index.html")
        self.assertIn("Chỉ đạo trong thông báo kết luận", qp)
        self.assertIn("Hoàn thiện hồ sơ cấp giấy chứng nhận.", qp)
        self.assertIn('href="../../../doi-thoai/hoi-nghi-2025/index.html'
                      '#chi-dao-cap-giay"', qp)

    def test_dialogues_json_is_complete(self):
        c = copy_example(tmpdir(self))
        out = os.path.join(os.path.dirname(c), "site")
        r = run(["build", "-C", c, "--theme", THEME, "-o", out, "--today",
                 "2026-12-01"])
        self.assertEqual(r.returncode, 0, r.stderr)
        d = {x["slug"]: x for x in
             read_json(os.path.join(out, "data", "dialogues.json"))
             ["dialogues"]}
        dl = d["doi-thoai-2025"]
        self.assertEqual(dl["time"], "08:00")
        self.assertEqual(dl["chairs"][1], "Chủ tịch UBND xã")
        self.assertEqual(dl["plan"]["number"], "25-KH/ĐU")
        self.assertEqual(dl["plan"]["signer"],
                         {"name": "Hà Văn Quyết", "title": "Bí thư Đảng ủy"})
        self.assertEqual(dl["conclusion"]["number"], "41-TB/ĐU")
        self.assertEqual(len(dl["directives"]), 5)
        self.assertTrue(dl["legal_basis"])
        self.assertEqual(dl["topics"][0]["id"], "dat-dai")
        self.assertEqual(dl["hamlets"], [])  # every hamlet
        self.assertEqual(
            [h["id"] for h in d["tiep-xuc-dong-cham-go-mit-2026"]["hamlets"]],
            ["dong-cham", "go-mit"])
        self.assertEqual(d["tiep-cong-dan-thang-10-2026"]["attendance"], 9)
        self.assertTrue(d["tiep-cong-dan-thang-10-2026"]["conclusion"]["late"])
        qs = {q["id"]: q for q in
              read_json(os.path.join(out, "data", "questions.json"))
              ["questions"]}
        esc = [q for q in qs.values() if q["escalation"]]
        self.assertEqual(sorted(q["escalation"]["replied"] for q in esc),
                         [False, True])
        self.assertEqual(qs["doi-thoai-2025/001"]["answer_by"],
                         "Đồng chí Bùi Đức Tâm, Phó Chủ tịch UBND xã")

    def test_csv_has_the_new_columns(self):
        self.edit(Q1, "  date: 2025-06-10", "  date: 2025-06-25")
        self.built("2025-07-25")
        with open(os.path.join(self.out, "data", "questions.csv"),
                  encoding="utf-8-sig", newline="") as f:
            rows = {r["id"]: r for r in csv.DictReader(f)}
        self.assertEqual(rows["hoi-nghi-2025/001"]["answered_late"], "true")
        self.assertEqual(rows["hoi-nghi-2025/001"]["answer_by"],
                         "Chủ tịch UBND xã")
        self.assertEqual(rows["hoi-nghi-2025/002"]["stale"], "true")
        self.assertEqual(rows["hoi-nghi-2025/002"]["answered_late"], "false")

    def test_example_escalations_page(self):
        c = copy_example(tmpdir(self))
        out = os.path.join(os.path.dirname(c), "site")
        r = run(["build", "-C", c, "--theme", THEME, "-o", out, "--today",
                 "2026-12-01"])
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "chuyen-cap", "index.html"),
                  encoding="utf-8") as f:
            page = f.read()
        self.assertIn("Đang chờ cấp trên trả lời (1)", page)
        self.assertIn("Cấp trên đã trả lời (1)", page)
        self.assertIn("287/UBND-KT", page)
        self.assertIn("318/UBND-VP", page)
        # Fully private data never reaches the escalation list.
        self.assertNotIn("0912", page)


@unittest.skipIf(jsonschema is None, "python3-jsonschema is not installed")
class Schema(unittest.TestCase):
    """data/schema/*.json (draft 2020-12) describe data/*.json exactly:
    every key required, no other key allowed."""

    def validate(self, out):
        for name in ("questions.json", "dialogues.json"):
            schema = read_json(os.path.join(out, "data", "schema", name))
            self.assertEqual(schema["$schema"],
                             "https://json-schema.org/draft/2020-12/schema")
            jsonschema.Draft202012Validator.check_schema(schema)
            data = read_json(os.path.join(out, "data", name))
            errors = sorted(
                jsonschema.Draft202012Validator(schema).iter_errors(data),
                key=lambda e: list(e.path))
            self.assertEqual([], ["%s: %s" % (e.json_path, e.message)
                                  for e in errors[:5]], name)

    def build(self, content, today):
        out = os.path.join(tmpdir(self), "site")
        r = run(["build", "-C", content, "--theme", THEME, "-o", out,
                 "--today", today])
        self.assertEqual(r.returncode, 0, r.stderr)
        return out

    def test_example_content(self):
        self.validate(self.build(EXAMPLE, "2026-12-01"))

    def test_goldens(self):
        for case in ("basic", "edge"):
            with self.subTest(case=case):
                self.validate(self.build(
                    os.path.join(TOP, "tests", "golden", case, "content"),
                    "2025-07-01"))

    def test_schema_catches_a_stray_field(self):
        out = self.build(EXAMPLE, "2026-12-01")
        schema = read_json(os.path.join(out, "data", "schema",
                                        "questions.json"))
        data = read_json(os.path.join(out, "data", "questions.json"))
        data["questions"][0]["phone"] = "0912 345 678"
        self.assertFalse(jsonschema.Draft202012Validator(schema)
                         .is_valid(data))
        del data["questions"][0]["phone"]
        data["questions"][0]["stale"] = "no"
        self.assertFalse(jsonschema.Draft202012Validator(schema)
                         .is_valid(data))


if __name__ == "__main__":
    unittest.main()
