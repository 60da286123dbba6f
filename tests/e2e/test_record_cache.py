"""The record cache (issue #7): each dialogue's questions as the loader
made them, with each file's warnings, kept in the user's cache folder and
taken again while the file's device, inode, size and times are the same.
Checked on real builds of the example commune plus a question that uses
every field (extra, escalation with a reply, progress notes, a private
block) and draws warnings, its files older than the three seconds a file
must have settled for: a build that reads every question from the
cache is byte-identical to one that reads none and prints the same
diagnostics; a changed file, site.yaml or dialogue is read again; a
damaged cache file is only a miss. With CONGKHAI_CHECK_KEEP set (as here)
every question taken from the cache is also read from its file and the
program stops if the two records differ."""
import os
import re
import shutil
import subprocess
import time
import unittest

from helpers import (CONGKHAI, THEME, copy_example, replace_once, tmpdir,
                     tree_snapshot as tree, write)

TODAY = "2027-02-01"
# Files changed less than three seconds before a run are not recorded.
SETTLE = 3.1
DLG = os.path.join("dialogues", "tiep-xuc-dong-cham-go-mit-2026")
EVERY = os.path.join(DLG, "questions", "099.md")
EVERY_TEXT = """---
hamlet: lang-ha
topic: dat-dai
channel: registered
received: 2026-08-26
asked_by: Ông Lò Văn Tám
assigned_to: kinh-te
due: 2026-10-30
answer:
  by: Chủ tịch UBND xã
  date: 2026-09-10
progress:
  - date: 2026-08-28
    status: in_progress
    note: Giao *Phòng Kinh tế* kiểm tra [hiện trạng](https://example.org/a).
  - date: 2026-09-10
    status: escalated
    note: ""
escalation:
  to: UBND tỉnh
  number: 45/BC-UBND
  sent: 2026-09-10
  reply_due: 2026-10-10
  reply:
    number: 9/SNNMT
    date: 2026-10-01
private:
  phone: "0912 345 678"
extra:
  vi_tri: Bờ suối Khe Mạ
  so_thua: [12, 13, "14a"]
  chi_tiet:
    dien_tich: 250.5
    ghi_chu: |
      Hai dòng
      ghi chú.
    trong: ~
---

Đề nghị xã đo lại ranh giới thửa đất **số 12** bên suối.

## Trả lời

Xã đã đo lại; kết quả gửi Sở Nông nghiệp và Môi trường.
"""


def stats(stderr):
    """(hits, files) of the 'congkhai records:' line."""
    m = re.search(r"congkhai records: (\d+) of (\d+) question files",
                  stderr)
    assert m, stderr
    return int(m.group(1)), int(m.group(2))


class RecordCache(unittest.TestCase):
    def setUp(self):
        self.dir = tmpdir(self)
        self.content = copy_example(self.dir)
        write(os.path.join(self.content, EVERY), EVERY_TEXT)
        self.cache = os.path.join(self.dir, "cache")
        self.env = dict(os.environ, XDG_CACHE_HOME=self.cache,
                        CONGKHAI_BUILD_STATS="1", CONGKHAI_CHECK_KEEP="1")
        self.env.pop("CONGKHAI_NO_KEEP", None)
        self.n = sum(len(os.listdir(os.path.join(self.content, "dialogues",
                                                 d, "questions")))
                     for d in os.listdir(os.path.join(self.content,
                                                      "dialogues"))
                     if os.path.isdir(os.path.join(self.content, "dialogues",
                                                   d, "questions")))
        time.sleep(SETTLE)

    def build(self, out, env=None, expect=0):
        r = subprocess.run(
            [CONGKHAI, "build", "-C", "content", "--theme", THEME, "-o", out,
             "--today", TODAY], cwd=self.dir,
            env=dict(self.env, **(env or {})), capture_output=True,
            text=True, timeout=300)
        self.assertEqual(r.returncode, expect, r.stderr)
        return r

    def diagnostics(self, r):
        return [l for l in r.stderr.splitlines()
                if not l.startswith("congkhai ")]

    def cache_files(self):
        top = os.path.join(self.cache, "congkhai", "records")
        return sorted(os.path.join(d, f) for d, _, fs in os.walk(top)
                      for f in fs)

    def test_cached_build_is_the_read_one(self):
        cold = self.build("a")
        self.assertEqual(stats(cold.stderr), (0, self.n))
        # The question's warnings, replayed below from the cache.
        self.assertIn("099.md:5:11: warning: registered after", cold.stderr)
        self.assertIn("099.md:2:9: warning: hamlet 'lang-ha' is not among",
                      cold.stderr)
        self.assertEqual(len(self.cache_files()), 4)
        mtimes = [os.stat(f).st_mtime_ns for f in self.cache_files()]
        warm = self.build("b")
        self.assertEqual(stats(warm.stderr), (self.n, self.n))
        self.assertEqual(self.diagnostics(warm), self.diagnostics(cold))
        self.assertEqual(tree(os.path.join(self.dir, "b")),
                         tree(os.path.join(self.dir, "a")))
        # Nothing changed: no cache file was written again.
        self.assertEqual([os.stat(f).st_mtime_ns for f in self.cache_files()],
                         mtimes)
        # The private block is in no output and in no cache file.
        for f in self.cache_files():
            with open(f, "rb") as fh:
                self.assertNotIn("0912 345 678".encode(), fh.read())
        off = self.build("c", env={"CONGKHAI_NO_KEEP": "1"})
        self.assertNotIn("congkhai records:", off.stderr)
        self.assertEqual(tree(os.path.join(self.dir, "c")),
                         tree(os.path.join(self.dir, "a")))

    def test_changes_are_read_again(self):
        self.build("a")
        q = os.path.join(self.content, EVERY)
        # The same size, and the same modification time set back: the
        # change time still tells.
        st = os.stat(q)
        replace_once(self, q, "**số 12**", "**số 13**")
        os.utime(q, ns=(st.st_atime_ns, st.st_mtime_ns))
        self.assertEqual(os.stat(q).st_size, st.st_size)
        r = self.build("a")
        self.assertEqual(stats(r.stderr), (self.n - 1, self.n))
        with open(os.path.join(self.dir, "a", "doi-thoai",
                               "tiep-xuc-dong-cham-go-mit-2026", "099",
                               "index.html"), encoding="utf-8") as f:
            self.assertIn("<strong>số 13</strong>", f.read())
        # A dialogue's deadline: its questions are read again.
        replace_once(self, os.path.join(self.content, DLG, "index.md"),
                     "registration_deadline: 2026-08-24",
                     "registration_deadline: 2026-08-27")
        r = self.build("a")
        self.assertEqual(stats(r.stderr), (self.n - 7, self.n))
        self.assertNotIn("registered after", r.stderr)
        # site.yaml: everything is read again.
        with open(os.path.join(self.content, "site.yaml"), "a",
                  encoding="utf-8") as f:
            f.write("\n")
        self.assertEqual(stats(self.build("a").stderr), (0, self.n))
        # A removed file leaves its dialogue's cache file.
        os.remove(q)
        time.sleep(SETTLE)
        r = self.build("a")
        self.assertEqual(stats(r.stderr), (self.n - 1, self.n - 1))
        fresh = self.build("b")
        self.assertEqual(stats(fresh.stderr), (self.n - 1, self.n - 1))
        self.assertEqual(tree(os.path.join(self.dir, "b")),
                         tree(os.path.join(self.dir, "a")))

    def test_a_damaged_cache_is_a_miss(self):
        cold = self.build("a")
        files = self.cache_files()
        mine = [f for f in files if f.endswith(os.sep +
                                               os.path.basename(DLG))]
        self.assertEqual(len(mine), 1)
        with open(mine[0], "r+b") as f:
            data = f.read()
            f.seek(len(data) // 2)
            f.write(bytes([data[len(data) // 2] ^ 0x55]))
        r = self.build("b")
        self.assertEqual(stats(r.stderr), (self.n - 7, self.n))
        self.assertEqual(self.diagnostics(r), self.diagnostics(cold))
        self.assertEqual(tree(os.path.join(self.dir, "b")),
                         tree(os.path.join(self.dir, "a")))
        # Written anew: the next build takes everything again.
        with open(mine[0], "r+b") as f:
            f.truncate(10)
        self.assertEqual(stats(self.build("b").stderr),
                         (self.n - 7, self.n))
        self.assertEqual(stats(self.build("b").stderr), (self.n, self.n))

    def test_check_reads_the_cache_and_writes_none(self):
        def check():
            r = subprocess.run(
                [CONGKHAI, "check", "-C", "content", "--today", TODAY],
                cwd=self.dir, env=self.env, capture_output=True, text=True,
                timeout=300)
            self.assertEqual(r.returncode, 0, r.stderr)
            return r
        r = check()
        self.assertEqual(stats(r.stderr), (0, self.n))
        self.assertEqual(self.cache_files(), [])
        self.build("a")
        files = self.cache_files()
        mtimes = [os.stat(f).st_mtime_ns for f in files]
        r = check()
        self.assertEqual(stats(r.stderr), (self.n, self.n))
        # A changed file is read, and its dialogue's cache file not
        # written again.
        q = os.path.join(self.content, EVERY)
        replace_once(self, q, "**số 12**", "**số 13**")
        time.sleep(SETTLE)
        r = check()
        self.assertEqual(stats(r.stderr), (self.n - 1, self.n))
        self.assertEqual([os.stat(f).st_mtime_ns for f in files], mtimes)

    def test_errors_are_never_cached(self):
        q = os.path.join(self.content, EVERY)
        replace_once(self, q, "topic: dat-dai", "topic: dat-dia")
        time.sleep(SETTLE)
        r = self.build("a", expect=1)
        self.assertIn("099.md:3:8: error: unknown topic 'dat-dia'", r.stderr)
        r = self.build("a", expect=1)
        self.assertIn("099.md:3:8: error: unknown topic 'dat-dia'", r.stderr)
        self.assertEqual(stats(r.stderr), (self.n - 1, self.n))
        self.assertFalse(os.path.exists(os.path.join(self.dir, "a")))


if __name__ == "__main__":
    unittest.main()
