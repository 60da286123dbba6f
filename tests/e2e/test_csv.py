"""data/questions.csv is safe to open in a spreadsheet: a staff-written cell
that a spreadsheet would take for a formula (OWASP "CSV Injection": it
starts with = + - @ TAB or CR) gets a leading ' and is quoted; ordinary
cells are left exactly as written."""
import csv
import io
import os
import shutil
import unittest

from helpers import FIXTURES, THEME, run, tmpdir, write

QDIR = "content/dialogues/hoi-nghi-2025/questions"

# asked_by value -> the cell a spreadsheet must see.
ASKED_BY = {
    "010": ("=HYPERLINK(\"http://x.invalid\",\"bấm\")",
            "'=HYPERLINK(\"http://x.invalid\",\"bấm\")"),
    "011": ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    "012": ("-2+3", "'-2+3"),
    "013": ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
    "014": ("\t=1+1", "'\t=1+1"),
    "015": ("\r=1+1", "'\r=1+1"),
    # Spreadsheets may trim leading spaces on import.
    "016": ("  =1+1", "'  =1+1"),
    # Ordinary text, also with the triggers inside, is unchanged.
    "017": ("Ông A", "Ông A"),
    "018": ("Bà B = tổ trưởng", "Bà B = tổ trưởng"),
    # In a Vietnamese locale spreadsheets split on ;: quoted, not prefixed.
    "019": ("Ông C;=1+1", "Ông C;=1+1"),
}


def yaml_str(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"') \
        .replace("\t", "\\t").replace("\r", "\\r")


class CsvInjection(unittest.TestCase):
    def setUp(self):
        self.dir = tmpdir(self)
        shutil.copytree(os.path.join(FIXTURES, "minimal"),
                        os.path.join(self.dir, "content"))
        for qid, (asked_by, _) in ASKED_BY.items():
            write(os.path.join(self.dir, QDIR, qid + ".md"),
                  "---\nhamlet: thon-1\ntopic: dat-dai\nchannel: registered\n"
                  "received: 2025-06-01\nasked_by: %s\n---\n"
                  "=1+1 là câu hỏi của %s.\n" % (yaml_str(asked_by), qid))
        r = run(["build", "-C", "content", "--theme", THEME, "-o", "site",
                 "--today", "2025-07-01"], cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(self.dir, "site/data/questions.csv"),
                  "rb") as f:
            raw = f.read()
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"))
        self.raw = raw[3:].decode("utf-8")
        rows = list(csv.reader(io.StringIO(self.raw, newline="")))
        self.header = rows[0]
        self.rows = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}

    def row(self, qid):
        for k, v in self.rows.items():
            if k.endswith(qid):
                return v
        self.fail("no row for %s in %s" % (qid, sorted(self.rows)))

    def test_triggers_are_neutralised(self):
        for qid, (_, want) in ASKED_BY.items():
            self.assertEqual(self.row(qid)["asked_by"], want, qid)

    def test_question_text_is_neutralised(self):
        for qid in ASKED_BY:
            q = self.row(qid)["question"]
            self.assertTrue(q.startswith("'=1+1 là câu hỏi"), q)

    def test_no_cell_starts_a_formula(self):
        for row in self.rows.values():
            for k, cell in row.items():
                self.assertNotIn(cell.lstrip(" ")[:1], list("=+-@\t\r"),
                                 (k, cell))

    def test_neutralised_cells_are_quoted(self):
        # A spreadsheet reading the raw text sees the ' inside the quotes.
        self.assertIn(',"\'=HYPERLINK(""http://x.invalid"",""bấm"")",',
                      self.raw)
        self.assertIn(',"Ông C;=1+1",', self.raw)
        self.assertIn(",Ông A,", self.raw)


if __name__ == "__main__":
    unittest.main()
