"""The `revisions` of each question, when the records live in a git
repository: the commits that changed its file, oldest first, renames
followed, as `git log --follow` lists them (12-hex abbreviations, committer
days in UTC+7), in the open data and on the question's page; `build` and
`publish` give the same site; [] outside a repository."""
import json
import os
import shutil
import subprocess
import unittest

from helpers import (CONGKHAI, EXAMPLE, THEME, replace_once, tmpdir,
                     tree_snapshot, write)
from test_publish import clean_env, git_env

TODAY = "2026-11-20"
DLG = "content/dialogues/doi-thoai-2025/questions/"
OTHER = "content/dialogues/tiep-xuc-dong-cham-go-mit-2026/questions/"


class Revisions(unittest.TestCase):
    def setUp(self):
        self.dir = tmpdir(self)
        shutil.copytree(EXAMPLE, self.path("content"))
        self.env = clean_env(git_env(self.dir))

    def path(self, *rel):
        return os.path.join(self.dir, *rel)

    def git(self, *args, env=None):
        e = dict(self.env)
        e.update(env or {})
        r = subprocess.run(["git", "-C", self.dir] + list(args), env=e,
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def commit(self, date, message):
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message,
                 env={"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})

    def congkhai(self, *args):
        r = subprocess.run([CONGKHAI] + list(args), cwd=self.dir,
                           env=self.env, capture_output=True, text=True,
                           timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def build(self, out):
        self.congkhai("build", "-C", "content", "--theme", THEME, "--today",
                      TODAY, "-o", out)
        return tree_snapshot(self.path(out))

    def edit(self, rel, old, new):
        replace_once(self, self.path(rel), old, new)

    def follow(self, rel):
        """git log --follow of rel, oldest first, as the contract spells
        revisions."""
        out = self.git("log", "--no-merges", "--follow",
                       "--date=format-local:%Y-%m-%d", "--format=%cd %H",
                       "--", rel, env={"TZ": "Asia/Ho_Chi_Minh"})
        revs = []
        for line in reversed(out.splitlines()):
            date, commit = line.split()
            revs.append({"date": date, "commit": commit[:12]})
        return revs

    def make_history(self):
        self.git("init", "-q", "-b", "main")
        write(self.path(".gitignore"), "/site/\n/built/\n")
        # 20:30 UTC is the next day in UTC+7.
        self.commit("2025-11-01T20:30:00+00:00", "Hồ sơ ban đầu")
        # An answer changed after the fact.
        self.edit(DLG + "001.md", "Tiến độ được cập nhật tại trang này.",
                  "Tiến độ được cập nhật tại trang này (đã sửa).")
        self.commit("2025-12-01T09:00:00+07:00", "Sửa câu trả lời 001")
        # A question renamed (its id corrected), with an edit.
        self.git("mv", OTHER + "006.md", OTHER + "007.md")
        with open(self.path(OTHER + "007.md"), "a", encoding="utf-8") as f:
            f.write("\nBổ sung.\n")
        self.commit("2026-01-15T09:00:00+07:00", "Đổi mã câu hỏi 006 -> 007")
        # Something that is not a question.
        self.edit("content/site.yaml", "name: Xã Tân Phong Lạc",
                  "name: Xã Tân Phong Lạc ")
        self.commit("2026-02-01T09:00:00+07:00", "site.yaml")
        self.edit(OTHER + "007.md", "Bổ sung.", "Bổ sung lần hai.")
        self.commit("2026-02-02T23:30:00+07:00", "Sửa 007")

    def test_revisions_follow_git_log(self):
        self.make_history()
        built = self.build("built")
        data = json.loads(built["data/questions.json"])
        seen = 0
        for q in data["questions"]:
            slug, qid = q["id"].split("/")
            rel = "content/dialogues/%s/questions/%s.md" % (slug, qid)
            # date and commit as git log has them (changes: see
            # test_revisions_links.py).
            self.assertEqual([{"date": r["date"], "commit": r["commit"]}
                              for r in q["revisions"]],
                             self.follow(rel), q["id"])
            seen += 1
            # The page lists the same commits.
            page = built[q["path"]].decode("utf-8")
            self.assertIn("Lịch sử chỉnh sửa", page)
            for r in q["revisions"]:
                self.assertIn(r["commit"], page)
        self.assertEqual(seen, len(data["questions"]))

        by_id = {q["id"]: q for q in data["questions"]}
        first = self.follow(DLG + "001.md")[0]
        self.assertEqual(first["date"], "2025-11-02")
        self.assertEqual([r["date"] for r in
                          by_id["doi-thoai-2025/001"]["revisions"]],
                         ["2025-11-02", "2025-12-01"])
        # Renamed: the history before the rename comes along.
        renamed = by_id["tiep-xuc-dong-cham-go-mit-2026/007"]["revisions"]
        self.assertEqual([r["date"] for r in renamed],
                         ["2025-11-02", "2026-01-15", "2026-02-02"])
        self.assertNotIn("tiep-xuc-dong-cham-go-mit-2026/006", by_id)
        self.assertEqual([r["date"] for r in
                          by_id["doi-thoai-2025/002"]["revisions"]],
                         ["2025-11-02"])

        # publish builds the same site.
        r = self.congkhai("publish", "-C", "content", "--theme", THEME,
                          "--today", TODAY)
        self.assertIn("Published", r.stdout)
        site = tree_snapshot(self.path("site"))
        self.assertEqual(site.pop(".nojekyll"), b"")
        self.assertEqual(site, built)

    def test_not_in_a_repository(self):
        built = self.build("built")
        data = json.loads(built["data/questions.json"])
        self.assertTrue(data["questions"])
        for q in data["questions"]:
            self.assertEqual(q["revisions"], [])

    def test_no_commits_yet(self):
        self.git("init", "-q", "-b", "main")
        data = json.loads(self.build("built")["data/questions.json"])
        for q in data["questions"]:
            self.assertEqual(q["revisions"], [])

    def test_shallow_clone(self):
        """CI checks out one commit: revisions start there, with a
        warning, and the build works."""
        self.make_history()
        clone = self.path("clone")
        self.git("clone", "-q", "--depth", "1", "file://" + self.dir, clone)
        r = subprocess.run([CONGKHAI, "build", "-C", "content", "--theme",
                            THEME, "--today", TODAY, "-o", "out"], cwd=clone,
                           env=self.env, capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("shallow", r.stderr)
        tip = self.git("rev-parse", "HEAD").strip()
        with open(os.path.join(clone, "out", "data", "questions.json"),
                  encoding="utf-8") as f:
            data = json.load(f)
        for q in data["questions"]:
            # Where history was cut, nothing is told about what changed.
            self.assertEqual(q["revisions"],
                             [{"date": "2026-02-02", "commit": tip[:12],
                               "changes": None}])


if __name__ == "__main__":
    unittest.main()
