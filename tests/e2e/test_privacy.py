"""Personal data that hides (issue #6): data hidden by Markdown (character
references, escapes, emphasis, comments, links), the spellings people really
write (dashes, tabs, line breaks, international prefixes, grouped or glued
CCCD, Unicode spaces, format characters, full-width forms, internationalised
domains), and the staff's escape for public numbers (site.yaml
public_numbers) and tax codes named as such. Each case is a real build of a
real fixture; errors must name the source line and column, and a failed
build must leave the output folder as it was."""
import csv
import io
import json
import os
import re
import unittest

from helpers import FixtureCase, run, tree_snapshot, write

PAGE = "content/pages/gioi-thieu.md"
Q2 = "content/dialogues/hoi-nghi-2025/questions/002.md"
SITE = "content/site.yaml"

# (source text after "Gọi ", column of the datum's first character in that
# line counted in code points, kind). The page body starts on line 4 and
# each case is its own paragraph, two lines apart.
HIDDEN_BY_MARKDOWN = [
    ("09&#49;2345678", 5, "phone number"),        # decimal reference
    ("09&#x31;2 345 678", 5, "phone number"),     # hexadecimal reference
    ("0912\\-345\\-678", 5, "phone number"),      # backslash escapes
    ("0912*345*678", 5, "phone number"),          # emphasis inside
    ("0912**345**678", 5, "phone number"),        # strong inside
    ("0912<!-- x -->345678", 5, "phone number"),  # raw HTML comment
    ("`0912`345678", 6, "phone number"),          # code span, glued
    ("0250850&#48;1234", 5, "citizen ID"),        # CCCD with a reference
    ("nam&#64;mail.vn", 5, "e-mail address"),     # &#64; is '@'
    ("nam&commat;mail.vn", 5, "e-mail address"),  # named reference
    ("[thư](mailto:nam&#64;mail.vn)", 5, "e-mail address"),  # link target
]

SPELLINGS = [
    ("0912-345-678", 5, "phone number"),
    ("0912  345   678", 5, "phone number"),
    ("0912\t345\t678", 5, "phone number"),
    ("0912\n345 678", 5, "phone number"),
    ("+84-912-345-678", 5, "phone number"),
    ("84912345678", 5, "phone number"),
    ("0084 912 345 678", 5, "phone number"),
    ("+84 (0) 912 345 678", 5, "phone number"),
    ("0912\u00a0345\u00a0678", 5, "phone number"),   # no-break space
    ("0912\u202f345\u202f678", 5, "phone number"),   # narrow no-break
    ("0912\u2009345\u2009678", 5, "phone number"),   # thin space
    ("09\u200b12\u200b345678", 5, "phone number"),   # zero-width space
    ("0912\u00ad345\u00ad678", 5, "phone number"),   # soft hyphen
    ("\uff10\uff19\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18", 5,
     "phone number"),                                # full-width digits
    ("CCCD 025 085 001 234", 10, "citizen ID"),
    ("CCCD025085001234", 9, "citizen ID"),
    ("nam\uff20mail.vn", 5, "e-mail address"),       # full-width '@'
    ("nam@bưuđiện.việtnam", 5, "e-mail address"),   # internationalised
]

# Must still publish: dates, money, dispatch and law numbers, years, hamlet
# numbers, times, URLs with digits, and tax codes named as such.
CLEAN = """Ngày 05.01.2024 và 2025-06-02, lúc 07:30, năm 2025, thôn 3.

Kinh phí 150.000.000 đồng, tổng 1.500.000.000 đồng, 2 050 000 000 000 đồng.

Công văn 123/UBND-VP, Kế hoạch 13-KH/ĐU, Công văn số 123456789/UBND-VP.

Căn cứ Luật số 45/2013/QH13; xem https://vbpl.vn/ItemID=123456789012.

Nhà thầu: Công ty ABC, MST 0301234567; Công ty XYZ, mã số thuế: 0501234567;
mã số doanh nghiệp 0901234567.
"""


class Privacy(FixtureCase):
    def check(self):
        return run(["check", "-C", "content", "--today", "2025-07-01"],
                   cwd=self.dir)

    def assert_all_found(self, cases):
        """Writes each case as a paragraph of the page; one build must report
        every one at its line and column, and write nothing."""
        body, expected, line = [], [], 4
        for text, col, kind in cases:
            body.append("Gọi " + text)
            expected.append((line, col, kind))
            line += text.count("\n") + 2
        self.edit(PAGE, "Trang giới thiệu.", "\n\n".join(body))
        r = self.build()
        self.assertEqual(r.returncode, 1, r.stderr)
        for (line, col, kind), (text, _, _) in zip(expected, cases):
            want = re.compile(r"(?m)^%s:%d:%d: error: personal data .*%s" %
                              (re.escape(PAGE), line, col, kind))
            self.assertRegex(r.stderr, want, "case %r" % text)
        errors = [l for l in r.stderr.splitlines() if ": error: " in l]
        self.assertEqual(len(errors), len(cases), r.stderr)
        self.assertEqual(tree_snapshot(self.out), self.before,
                         "a failed build changed the output folder")
        c = self.check()
        self.assertEqual(c.returncode, 1)
        self.assertEqual(
            sorted(l for l in c.stderr.splitlines() if ": error: " in l),
            sorted(errors))

    def test_hidden_by_markdown(self):
        self.assert_all_found(HIDDEN_BY_MARKDOWN)

    def test_spellings(self):
        self.assert_all_found(SPELLINGS)

    def test_hidden_in_a_markdown_field(self):
        # progress[].note is rendered as Markdown on the question's page.
        self.edit(Q2, "note: Đã kiểm tra hiện trường.",
                  "note: Gọi 09&#49;2 345 678")
        r = self.build()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"(?m)^%s:9:15: error: personal data "
                         r".*phone number" % re.escape(Q2))
        self.assertEqual(tree_snapshot(self.out), self.before)

    def test_ordinary_numbers_still_publish(self):
        self.edit(PAGE, "Trang giới thiệu.", CLEAN)
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("error", r.stderr)
        with open(os.path.join(self.out, "gioi-thieu", "index.html"),
                  encoding="utf-8") as f:
            self.assertIn("MST 0301234567", f.read())

    def test_public_numbers(self):
        # A bank account (12 digits from "0"), a business's tax code written
        # without its name, and a hotline: refused until listed.
        text = ("Ủng hộ qua tài khoản 012345678901, đơn vị thi công "
                "0301234567, đường dây nóng 0912 345 678.")
        self.edit(Q2, "Đường vào thôn bị sạt lở.", text)
        r = self.build()
        self.assertEqual(r.returncode, 1, r.stderr)
        account, tax, hotline = (text.index(x) + 1 for x in (
            "012345678901", "0301234567", "0912 345 678"))
        for col in (account, tax, hotline):
            self.assertRegex(r.stderr, r"(?m)^%s:11:%d: error: personal data"
                             % (re.escape(Q2), col))
        self.assertEqual(tree_snapshot(self.out), self.before)

        # Listed in site.yaml as staff write them: published, each use a
        # note in the output for review, and the hotline alone still refused.
        self.edit(SITE, "hamlets:",
                  'public_numbers:\n  - "0123 4567 8901"\n'
                  '  - "0301234567"\nhamlets:')
        r = self.build()
        self.assertEqual(r.returncode, 1, r.stderr)
        errors = [l for l in r.stderr.splitlines() if ": error: " in l]
        self.assertEqual(len(errors), 1, r.stderr)
        self.assertIn("%s:11:%d: error: personal data" % (Q2, hotline),
                      errors[0])

        self.edit(Q2, ", đường dây nóng 0912 345 678.", ".")
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("%s:11:%d: note: 012345678901 published as listed in "
                      "site.yaml public_numbers" % (Q2, account), r.stderr)
        self.assertIn("%s:11:%d: note: 0301234567 published" % (Q2, tax),
                      r.stderr)
        c = self.check()
        self.assertEqual(c.returncode, 0, c.stderr)
        self.assertIn(": note: 012345678901 published", c.stderr)

        with open(os.path.join(self.out, "data", "questions.json"),
                  encoding="utf-8") as f:
            data = f.read()
        json.loads(data)
        self.assertIn("012345678901", data)
        self.assertIn("0301234567", data)
        with open(os.path.join(self.out, "data", "questions.csv"),
                  encoding="utf-8-sig") as f:
            cells = [c for row in csv.reader(io.StringIO(f.read()))
                     for c in row]
        self.assertTrue(any("012345678901" in c and "0301234567" in c
                            for c in cells))
        page = os.path.join(self.out, "doi-thoai", "hoi-nghi-2025", "002",
                            "index.html")
        with open(page, encoding="utf-8") as f:
            self.assertIn("012345678901", f.read())

    def test_public_numbers_must_be_numbers(self):
        self.edit(SITE, "hamlets:", "public_numbers:\n  - \"123/UBND\"\n"
                  "hamlets:")
        r = self.build()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"(?m)^%s:8:5: error: '123/UBND' in "
                         r"public_numbers has fewer than 9 digits"
                         % re.escape(SITE))


if __name__ == "__main__":
    unittest.main()
