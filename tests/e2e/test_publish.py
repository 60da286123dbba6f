"""congkhai publish against real repositories, checked with the real git
command: the commit's tree is exactly a plain build (plus .nojekyll and
CNAME), fsck accepts every repository, a publish with nothing new commits
nothing, dirty records and content errors are refused, a branch that is not
checked out moves alone, SOURCE_DATE_EPOCH gives identical commit ids,
pushes go to a bare repository and to git daemon (and rejections fail),
two publishers at once lose nothing, and kill -9 at any moment leaves a
sound repository."""
import base64
import datetime
import http.server
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import tarfile
import threading
import time
import unittest

from git_daemon import GitDaemon
from helpers import (CONGKHAI, EXAMPLE, THEME, git, replace_once, run,
                     tmpdir, tree_snapshot, write)

TODAY = "2026-11-20"
IDENTITY = {
    "GIT_AUTHOR_NAME": "Văn phòng UBND xã",
    "GIT_AUTHOR_EMAIL": "vanphong@example.invalid",
    "GIT_COMMITTER_NAME": "Văn phòng UBND xã",
    "GIT_COMMITTER_EMAIL": "vanphong@example.invalid",
}
Q_NEW = "content/dialogues/doi-thoai-quy-1-2027/questions/001.md"


def git_env(top):
    """An environment where git and congkhai see no user configuration
    and no repository above the test's folder."""
    e = dict(IDENTITY)
    e.update({"HOME": top, "GIT_CONFIG_NOSYSTEM": "1",
              "GIT_CEILING_DIRECTORIES": os.path.dirname(top),
              "LC_ALL": "C.UTF-8"})
    for k in ("SOURCE_DATE_EPOCH", "CONGKHAI_GIT_TOKEN", "GIT_DIR",
              "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        e[k] = ""
    return e


def clean_env(env):
    """os.environ plus env, with empty values meaning unset."""
    e = dict(os.environ)
    e.update(env)
    return {k: v for k, v in e.items() if v != ""}


class Base(unittest.TestCase):
    def setUp(self):
        self.dir = tmpdir(self)
        shutil.copytree(EXAMPLE, self.path("content"))
        self.env = git_env(self.dir)

    def path(self, *rel):
        return os.path.join(self.dir, *rel)

    def congkhai(self, args, cwd=None, env=None):
        e = dict(self.env)
        e.update(env or {})
        r = subprocess.run([CONGKHAI] + list(args), cwd=cwd or self.dir,
                           env=clean_env(e), capture_output=True, text=True,
                           timeout=300)
        return r

    def publish(self, *args, today=TODAY, content="content", cwd=None,
                env=None):
        return self.congkhai(["publish", "-C", content, "--theme", THEME,
                              "--today", today] + list(args), cwd=cwd,
                             env=env)

    def build(self, out, today=TODAY, content="content"):
        r = self.congkhai(["build", "-C", content, "--theme", THEME,
                           "--today", today, "-o", out])
        self.assertEqual(r.returncode, 0, r.stderr)
        return tree_snapshot(self.path(out) if not os.path.isabs(out)
                             else out)

    def git(self, repo, *args, check=True):
        r = subprocess.run(["git", "-C", repo] + list(args),
                           env=clean_env(self.env), capture_output=True)
        if check and r.returncode != 0:
            raise AssertionError("git %s: %s" % (" ".join(args),
                                                 r.stderr.decode()))
        return r

    def out(self, repo, *args):
        return self.git(repo, *args).stdout.decode("utf-8").strip()

    def fsck(self, repo):
        r = self.git(repo, "fsck", "--strict", "--no-progress",
                     "--no-dangling", check=False)
        self.assertEqual(r.returncode, 0, r.stderr.decode() +
                         r.stdout.decode())
        self.assertEqual(r.stdout + r.stderr, b"")

    def tree_files(self, repo, rev):
        """{path: (mode, bytes)} of rev's tree, read by git itself."""
        modes = {}
        for line in self.git(repo, "ls-tree", "-r", "-z", "--full-tree",
                             rev).stdout.split(b"\0"):
            if line:
                meta, path = line.split(b"\t", 1)
                modes[path.decode()] = meta.split()[0].decode()
        data = self.git(repo, "archive", "--format=tar", rev).stdout
        files = {}
        with tarfile.open(fileobj=io.BytesIO(data)) as t:
            for m in t.getmembers():
                if m.isfile():
                    files[m.name] = (modes[m.name],
                                     t.extractfile(m).read())
        self.assertEqual(sorted(files), sorted(modes))
        return files

    def assert_tree_is(self, repo, rev, snapshot, cname=None):
        want = {p: ("100644", b) for p, b in snapshot.items()}
        want[".nojekyll"] = ("100644", b"")
        if cname:
            want["CNAME"] = ("100644", (cname + "\n").encode())
        got = self.tree_files(repo, rev)
        self.assertEqual(sorted(got), sorted(want))
        for p in want:
            self.assertEqual(got[p], want[p], p)

    def message(self, repo, rev="HEAD"):
        return self.out(repo, "log", "-1", "--format=%B", rev)

    def assert_pages_as_git_diff(self, repo):
        """The message's lists of pages added, changed and removed are what
        git's own diff of the commit with its parent says, in its order."""
        want = {"A": [], "M": [], "D": []}
        for line in self.out(repo, "-c", "core.quotePath=false", "diff",
                             "--no-renames", "--name-status", "HEAD^",
                             "HEAD").splitlines():
            status, path = line.split("\t", 1)
            want[status[0]].append(path)
        titles = {"Trang mới:": "A", "Trang thay đổi:": "M",
                  "Trang bỏ:": "D"}
        got = {"A": [], "M": [], "D": []}
        kind = None
        for line in self.message(repo).splitlines():
            if line in titles:
                kind = titles[line]
            elif kind is not None and line.startswith("- "):
                got[kind].append(line[2:])
            else:
                kind = None
        self.assertEqual(got, want)
        self.assertTrue(any(want.values()))

    def trailers(self, repo, rev="HEAD"):
        r = subprocess.run(["git", "interpret-trailers", "--parse"],
                           input=self.message(repo, rev).encode(),
                           capture_output=True, check=True)
        return r.stdout.decode().strip().splitlines()

    def edit(self, rel, old, new):
        replace_once(self, self.path(rel), old, new)

    def records_repo(self):
        """Makes the test folder the records' repository, content
        committed."""
        self.git(self.dir, "init", "-q", "-b", "main")
        write(self.path(".gitignore"), "/site/\n/built/\n")
        self.git(self.dir, "add", "-A")
        self.git(self.dir, "commit", "-q", "-m", "Hồ sơ")
        return self.out(self.dir, "rev-parse", "HEAD")


class Publish(Base):
    def test_tree_is_the_build(self):
        built = self.build("built")
        r = self.publish()
        self.assertEqual(r.returncode, 0, r.stderr)
        site = self.path("site")
        tip = self.out(site, "rev-parse", "main")
        self.assertRegex(r.stdout, r"Published %s to main in site: " %
                         tip[:12])
        self.assertEqual(self.out(site, "symbolic-ref", "HEAD"),
                         "refs/heads/main")
        self.assert_tree_is(site, "main", built)
        self.fsck(site)
        # Checked out: the files on disk are the commit's, status clean.
        disk = tree_snapshot(site)
        self.assertEqual(disk.pop(".nojekyll"), b"")
        self.assertEqual(disk, built)
        self.assertEqual(self.out(site, "status", "--porcelain",
                                  "--ignored"), "")

        data = json.loads(built["data/questions.json"])
        dialogues = json.loads(built["data/dialogues.json"])
        lines = self.message(site).splitlines()
        self.assertEqual(lines[0], "Công khai lần đầu: %d câu hỏi, %d đối "
                         "thoại" % (len(data["questions"]),
                                    len(dialogues["dialogues"])))
        self.assertEqual(lines[1], "")
        self.assertEqual(lines[2], "Trang mới:")
        self.assertIn("- data/questions.json", lines)
        # Not in a repository: no Source-Commit.
        self.assertEqual(self.trailers(site), ["As-Of: " + TODAY])

        # Nothing new: no commit, exit 0, and it says so.
        r = self.publish()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), "Nothing changed: main stays at "
                         "%s." % tip[:12])
        self.assertEqual(self.out(site, "rev-parse", "main"), tip)
        self.assertEqual(self.out(site, "rev-list", "--count", "main"), "1")

    def test_unborn_checked_out_branch(self):
        """A repository made with git init: its unborn, checked-out branch
        gets the site; a file of the user's own stays, untracked."""
        site = self.path("site")
        self.git(self.dir, "init", "-q", "-b", "main", site)
        write(os.path.join(site, "ghi-chu.txt"), "của tôi\n")
        built = self.build("built")
        r = self.publish()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("Created", r.stdout)
        self.assertEqual(self.out(site, "rev-list", "--count", "main"), "1")
        self.assert_tree_is(site, "main", built)
        disk = tree_snapshot(site)
        self.assertEqual(disk.pop("ghi-chu.txt"), "của tôi\n".encode())
        self.assertEqual(disk.pop(".nojekyll"), b"")
        self.assertEqual(disk, built)
        self.assertEqual(self.out(site, "status", "--porcelain"),
                         "?? ghi-chu.txt")
        self.fsck(site)

    def test_cname_and_changes(self):
        ticking(self.path("content"), TODAY, 1)
        self.edit("content/site.yaml",
                  "# cname: congkhai.xa-tanphonglac.example",
                  "cname: congkhai.xa-tanphonglac.example")
        self.assertEqual(self.publish().returncode, 0)
        site = self.path("site")
        first = self.out(site, "rev-parse", "main")

        # One new question, one answered: the summary says so.
        self.edit(Q_NEW, "assigned_to: hanh-chinh-cong\n",
                  "assigned_to: hanh-chinh-cong\nanswer:\n  by: Chủ tịch "
                  "UBND xã\n  date: 2026-11-16\n")
        with open(self.path(Q_NEW), "a", encoding="utf-8") as f:
            f.write("\n## Trả lời\n\nGiấy tờ đã có trong cơ sở dữ liệu "
                    "không phải nộp lại.\n")
        q2 = Q_NEW.replace("001.md", "002.md")
        write(self.path(q2), "---\nhamlet: minh-khai\ntopic: "
              "thu-tuc-hanh-chinh\nchannel: registered\nreceived: "
              "2026-11-12\n---\n\nXin hỏi về giờ làm việc của Trung tâm.\n")
        built = self.build("built")
        r = self.publish()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_tree_is(site, "main", built,
                            cname="congkhai.xa-tanphonglac.example")
        self.assertEqual(self.out(site, "rev-parse", "main^"), first)
        lines = self.message(site).splitlines()
        self.assertEqual(lines[0], "Công khai: 1 câu hỏi mới, 1 câu trả "
                         "lời mới")
        body = "\n".join(lines)
        self.assertIn("\nTrang mới:\n- doi-thoai/doi-thoai-quy-1-2027/002/"
                      "index.html\n", body)
        self.assertIn("\nTrang thay đổi:\n", body)
        self.assertIn("- doi-thoai/doi-thoai-quy-1-2027/001/index.html\n",
                      body)
        self.assertNotIn("Trang bỏ:", body)
        self.assert_pages_as_git_diff(site)
        self.assertEqual(self.trailers(site), ["As-Of: " + TODAY])
        self.assertEqual(self.out(site, "status", "--porcelain"), "")
        self.fsck(site)

        # Resolved, with --message replacing the summary only; a page
        # gone.
        self.edit(Q_NEW, "assigned_to: hanh-chinh-cong\n",
                  "assigned_to: hanh-chinh-cong\nprogress:\n  - date: "
                  "2026-11-18\n    status: resolved\n    note: Đã bỏ yêu "
                  "cầu nộp bản giấy.\n")
        os.remove(self.path(q2))
        r = self.publish()
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = self.message(site).splitlines()
        self.assertEqual(lines[0], "Công khai: 1 câu hỏi đã giải quyết, 1 "
                         "câu hỏi bị gỡ")
        self.assertIn("Trang bỏ:", lines)
        self.assertIn("- doi-thoai/doi-thoai-quy-1-2027/002/index.html",
                      lines)
        self.assertFalse(os.path.exists(self.path(
            "site/doi-thoai/doi-thoai-quy-1-2027/002/index.html")))
        self.assert_pages_as_git_diff(site)
        r = self.publish("--message", "Sửa lỗi chính tả", today="2026-11-21")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = self.message(site).splitlines()
        self.assertEqual(lines[0], "Sửa lỗi chính tả")
        self.assertEqual(lines[1], "")
        self.assertEqual(lines[2], "Trang thay đổi:")
        self.assertEqual(self.trailers(site), ["As-Of: 2026-11-21"])
        self.assertEqual(self.out(site, "rev-list", "--count", "main"), "4")
        self.fsck(site)

    def test_dirty_records_and_content_errors(self):
        head = self.records_repo()
        # Uncommitted changes under the content folder: refused, before
        # anything is written.
        self.edit("content/site.yaml", "name: Xã Tân Phong Lạc",
                  "name: Xã Tân Phong Lạc mới")
        write(self.path("content/pages/moi.md"), "---\ntitle: Mới\n---\n")
        r = self.publish()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("uncommitted changes", r.stderr)
        self.assertIn("content/site.yaml", r.stderr)
        self.assertIn("content/pages/moi.md", r.stderr)
        self.assertIn("--allow-dirty", r.stderr)
        self.assertFalse(os.path.exists(self.path("site")))

        # A change outside the content folder is not the records'.
        self.git(self.dir, "checkout", "-q", "--", "content")
        os.remove(self.path("content/pages/moi.md"))
        write(self.path("NOTES.txt"), "not records\n")
        r = self.publish()
        self.assertEqual(r.returncode, 0, r.stderr)
        site = self.path("site")
        self.assertEqual(self.trailers(site),
                         ["Source-Commit: " + head, "As-Of: " + TODAY])
        tip = self.out(site, "rev-parse", "main")

        # --allow-dirty publishes, and says the records were not all
        # committed.
        self.edit("content/site.yaml", "name: Xã Tân Phong Lạc",
                  "name: Xã Tân Phong Lạc mới")
        r = self.publish("--allow-dirty")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.trailers(site),
                         ["Source-Commit: " + head, "Source-Dirty: yes",
                          "As-Of: " + TODAY])
        tip = self.out(site, "rev-parse", "main")

        # Content errors: exit 1, no commit, the working tree as it was.
        before = tree_snapshot(site)
        self.edit(Q_NEW, "hamlet: minh-khai", "hamlet: minh-khai-2")
        r = self.publish("--allow-dirty")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("error:", r.stderr)
        self.assertEqual(self.out(site, "rev-parse", "main"), tip)
        self.assertEqual(tree_snapshot(site), before)
        self.fsck(site)

    def test_summary_from_the_dialogues_files(self):
        """The summary compares only the dialogues' open data files that
        changed (data/doi-thoai/<slug>.json), and the whole questions.json
        when the last publication has no such files (an older congkhai):
        both say the same."""
        self.assertEqual(self.publish().returncode, 0)
        site = self.path("site")
        # The last publication as an older congkhai made it.
        self.git(site, "rm", "-r", "-q", "data/doi-thoai")
        self.git(site, "commit", "-q", "-m", "Công khai: cập nhật trang")
        q2 = Q_NEW.replace("001.md", "002.md")
        write(self.path(q2), "---\nhamlet: minh-khai\ntopic: "
              "thu-tuc-hanh-chinh\nchannel: registered\nreceived: "
              "2026-11-12\n---\n\nXin hỏi về giờ làm việc của Trung tâm.\n")
        r = self.publish()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.message(site).splitlines()[0],
                         "Công khai: 1 câu hỏi mới")
        self.assertIn("data/doi-thoai/doi-thoai-2025.json",
                      self.out(site, "ls-tree", "-r", "--name-only", "main"))
        # A whole dialogue gone: its file is gone, its questions counted.
        shutil.rmtree(self.path("content", "dialogues",
                                "tiep-cong-dan-thang-10-2026"))
        os.remove(self.path(q2))
        r = self.publish()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.message(site).splitlines()[0],
                         "Công khai: 3 câu hỏi bị gỡ")
        self.fsck(site)

    def test_branch_not_checked_out(self):
        """--repo . --branch gh-pages inside the records' repository: only
        the branch moves; HEAD, index and working tree stay."""
        ticking(self.path("content"), TODAY, 1)
        head = self.records_repo()
        built = self.build("built")
        # State that must survive: a staged change and an edit outside
        # the content, an untracked file.
        write(self.path("README.md"), "staged\n")
        self.git(self.dir, "add", "README.md")
        write(self.path("README.md"), "staged, then edited\n")
        write(self.path("untracked.txt"), "u\n")
        before = {
            "head": self.out(self.dir, "symbolic-ref", "HEAD"),
            "tip": self.out(self.dir, "rev-parse", "HEAD"),
            "status": self.out(self.dir, "status", "--porcelain"),
            "diff": self.out(self.dir, "diff", "--cached"),
        }
        with open(self.path(".git/index"), "rb") as f:
            index = f.read()
        files = tree_snapshot(self.dir)

        r = self.publish("--repo", ".", "--branch", "gh-pages")
        self.assertEqual(r.returncode, 0, r.stderr)
        # An unborn branch: a root commit.
        self.assertEqual(self.out(self.dir, "rev-list", "--count",
                                  "gh-pages"), "1")
        self.assert_tree_is(self.dir, "gh-pages", built)
        self.assertEqual(self.trailers(self.dir, "gh-pages"),
                         ["Source-Commit: " + head, "As-Of: " + TODAY])

        r = self.publish("--repo", ".", "--branch", "gh-pages",
                         today="2026-11-21")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.out(self.dir, "rev-list", "--count",
                                  "gh-pages"), "2")
        self.assert_tree_is(self.dir, "gh-pages",
                            self.build(self.path("built2"),
                                       today="2026-11-21"))
        shutil.rmtree(self.path("built2"))

        after = {
            "head": self.out(self.dir, "symbolic-ref", "HEAD"),
            "tip": self.out(self.dir, "rev-parse", "HEAD"),
            "status": self.out(self.dir, "status", "--porcelain"),
            "diff": self.out(self.dir, "diff", "--cached"),
        }
        self.assertEqual(after, before)
        with open(self.path(".git/index"), "rb") as f:
            self.assertEqual(f.read(), index)
        self.assertEqual(tree_snapshot(self.dir), files)
        self.fsck(self.dir)

        # The branch checked out over the records: refused.
        r = self.publish("--repo", ".", "--branch", "main")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("holds the records", r.stderr)
        self.assertEqual(self.out(self.dir, "rev-parse", "HEAD"), head)

    def test_source_date_epoch(self):
        env = {"SOURCE_DATE_EPOCH": "1763600000"}
        ids = []
        for name in ("a", "b"):
            r = self.publish("--repo", name, env=env)
            self.assertEqual(r.returncode, 0, r.stderr)
            ids.append(self.out(self.path(name), "rev-parse", "main"))
        self.assertEqual(ids[0], ids[1])
        a = self.path("a")
        self.assertEqual(self.out(a, "log", "-1", "--date=raw",
                                  "--format=%ad|%cd"),
                         "1763600000 +0700|1763600000 +0700")
        self.assertEqual(self.out(a, "log", "-1", "--format=%an <%ae>"),
                         "Văn phòng UBND xã <vanphong@example.invalid>")
        # The identity from the repository's configuration when the
        # environment has none.
        self.git(self.dir, "init", "-q", "-b", "main", "c")
        self.git(self.path("c"), "config", "user.name", "Cán bộ Văn phòng")
        self.git(self.path("c"), "config", "user.email", "cb@example.invalid")
        env.update({k: "" for k in IDENTITY})
        r = self.publish("--repo", "c", env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.out(self.path("c"), "log", "-1",
                                  "--format=%an <%ae>|%cn <%ce>"),
                         "Cán bộ Văn phòng <cb@example.invalid>|Cán bộ Văn "
                         "phòng <cb@example.invalid>")
        self.assertNotEqual(self.out(self.path("c"), "rev-parse", "main"),
                            ids[0])

    def test_usage(self):
        r = self.publish("--branch", "a..b")
        self.assertEqual(r.returncode, 2)
        self.assertIn("branch", r.stderr)
        r = self.congkhai(["publish", "--help"])
        self.assertEqual(r.returncode, 0)
        for opt in ("--repo", "--branch", "--message", "--push",
                    "--allow-dirty", "CONGKHAI_GIT_TOKEN"):
            self.assertIn(opt, r.stdout)
        r = self.publish("--bogus")
        self.assertEqual(r.returncode, 2)
        self.assertFalse(os.path.exists(self.path("site")))


class Push(Base):
    def test_push_to_bare_repository(self):
        ticking(self.path("content"), TODAY, 2)
        bare = self.path("remote.git")
        self.git(self.dir, "init", "-q", "--bare", "-b", "main", bare)
        r = self.publish("--push", "remote.git")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Pushed main to remote.git.", r.stdout)
        site = self.path("site")
        self.assertEqual(self.out(bare, "rev-parse", "main"),
                         self.out(site, "rev-parse", "main"))
        self.fsck(bare)

        # A named remote; a fast-forward.
        self.git(site, "remote", "add", "origin", bare)
        r = self.publish("--push", "origin", today="2026-11-21")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.out(bare, "rev-parse", "main"),
                         self.out(site, "rev-parse", "main"))
        self.assertEqual(self.out(bare, "rev-list", "--count", "main"), "2")

        # Someone else pushed meanwhile: rejected, exit 3, and which
        # reference and why.
        other = self.path("other")
        self.git(self.dir, "clone", "-q", bare, other)
        write(os.path.join(other, "x.txt"), "x\n")
        self.git(other, "add", "x.txt")
        self.git(other, "commit", "-q", "-m", "x")
        self.git(other, "push", "-q", "origin", "main")
        theirs = self.out(bare, "rev-parse", "main")
        r = self.publish("--push", "origin", today="2026-11-22")
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertRegex(r.stderr, r"push to origin rejected "
                         r"refs/heads/main: non-fast-forward")
        self.assertEqual(self.out(bare, "rev-parse", "main"), theirs)
        self.fsck(bare)

    def test_push_to_git_daemon(self):
        base = self.path("served")
        bare = os.path.join(base, "pub.git")
        os.makedirs(base)
        self.git(self.dir, "init", "-q", "--bare", "-b", "main", bare)
        daemon = GitDaemon(self, base)
        url = daemon.url("pub.git")
        r = self.publish("--push", url)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Pushed main to %s." % url, r.stdout)
        site = self.path("site")
        self.assertEqual(self.out(bare, "rev-parse", "main"),
                         self.out(site, "rev-parse", "main"))
        self.fsck(bare)
        # An unchanged site still pushes (the remote may lag behind).
        r = self.publish("--push", url)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Nothing changed", r.stdout)

        # The server refuses: exit 3, with the reference and the reason.
        hook = os.path.join(bare, "hooks", "pre-receive")
        write(hook, "#!/bin/sh\necho 'trang đang bảo trì' >&2\nexit 1\n")
        os.chmod(hook, 0o755)
        before = self.out(bare, "rev-parse", "main")
        r = self.publish("--push", url, today="2026-11-21")
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("push to %s rejected refs/heads/main: pre-receive "
                      "hook declined" % url, r.stderr)
        self.assertIn("remote: trang đang bảo trì", r.stderr)
        self.assertEqual(self.out(bare, "rev-parse", "main"), before)
        daemon.stop()


class SmartHTTP(http.server.BaseHTTPRequestHandler):
    """git's smart HTTP (git http-backend) behind Basic authentication,
    the way forges take a CI token."""
    base = None
    credentials = None

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.backend()

    def do_POST(self):
        self.backend()

    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
            return self.rfile.read(int(self.headers.get("Content-Length") or
                                       0))
        out = b""
        while True:
            n = int(self.rfile.readline().split(b";")[0], 16)
            if n == 0:
                self.rfile.readline()
                return out
            out += self.rfile.read(n)
            self.rfile.readline()

    def backend(self):
        data = self.body()
        want = "Basic " + base64.b64encode(
            self.credentials.encode()).decode()
        if self.headers.get("Authorization") != want:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="git"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        path, _, query = self.path.partition("?")
        env = {"GIT_PROJECT_ROOT": self.base, "GIT_HTTP_EXPORT_ALL": "1",
               "PATH_INFO": path, "QUERY_STRING": query,
               "REQUEST_METHOD": self.command, "REMOTE_USER": "ci",
               "REMOTE_ADDR": "127.0.0.1", "CONTENT_LENGTH": str(len(data)),
               "CONTENT_TYPE": self.headers.get("Content-Type", ""),
               "PATH": os.environ["PATH"]}
        if self.headers.get("Content-Encoding"):
            env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
        r = subprocess.run(["git", "http-backend"], input=data, env=env,
                           capture_output=True)
        head, _, rest = r.stdout.partition(b"\r\n\r\n")
        status, headers = 200, []
        for line in head.decode().split("\r\n"):
            k, _, v = line.partition(": ")
            if k.lower() == "status":
                status = int(v.split()[0])
            elif k:
                headers.append((k, v))
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(rest)))
        self.end_headers()
        self.wfile.write(rest)


class PushHTTPS(Base):
    def test_token_from_environment(self):
        ticking(self.path("content"), TODAY, 1)
        base = self.path("served")
        bare = os.path.join(base, "pub.git")
        os.makedirs(base)
        self.git(self.dir, "init", "-q", "--bare", "-b", "main", bare)
        handler = type("Handler", (SmartHTTP,),
                       {"base": base,
                        "credentials": "x-access-token:ci-s3cret"})
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        self.addCleanup(srv.server_close)
        self.addCleanup(srv.shutdown)
        url = "http://127.0.0.1:%d/pub.git" % srv.server_address[1]

        r = self.publish("--push", url)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("CONGKHAI_GIT_TOKEN", r.stderr)
        r = self.publish("--push", url, env={"CONGKHAI_GIT_TOKEN": "wrong"})
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("refused the token", r.stderr)
        self.assertNotIn("wrong", r.stdout + r.stderr)
        self.assertEqual(self.git(bare, "rev-parse", "--verify", "-q",
                                  "main", check=False).returncode, 1)
        r = self.publish("--push", url,
                         env={"CONGKHAI_GIT_TOKEN": "ci-s3cret"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.out(bare, "rev-parse", "main"),
                         self.out(self.path("site"), "rev-parse", "main"))
        # Another user name, from CONGKHAI_GIT_USER.
        handler.credentials = "cong-khai-bot:ci-s3cret"
        r = self.publish("--push", url, today="2026-11-21",
                         env={"CONGKHAI_GIT_TOKEN": "ci-s3cret"})
        self.assertEqual(r.returncode, 3, r.stderr)
        r = self.publish("--push", url, today="2026-11-21",
                         env={"CONGKHAI_GIT_TOKEN": "ci-s3cret",
                              "CONGKHAI_GIT_USER": "cong-khai-bot"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.out(bare, "rev-list", "--count", "main"), "2")
        self.fsck(bare)


def many_questions(content, n):
    """Adds n questions to a dialogue of the example: a site of n+ pages."""
    d = os.path.join(content, "dialogues", "doi-thoai-quy-1-2027",
                     "questions")
    for i in range(n):
        with open(os.path.join(d, "q%04d.md" % i), "w",
                  encoding="utf-8") as f:
            f.write("---\nhamlet: minh-khai\ntopic: thu-tuc-hanh-chinh\n"
                    "channel: registered\nreceived: 2026-11-10\n---\n\n"
                    "Câu hỏi số %d về thủ tục hành chính.\n" % i)


def ticking(content, first, n):
    """Adds n open questions promised for first, first + 1 day, ...: from
    the day after first, each day makes one more overdue. Pages carry no
    build day (test_daily.py), so only such a day gives a new commit."""
    d = os.path.join(content, "dialogues", "doi-thoai-quy-1-2027",
                     "questions")
    day = datetime.date.fromisoformat(first)
    for i in range(n):
        with open(os.path.join(d, "t%03d.md" % i), "w",
                  encoding="utf-8") as f:
            f.write("---\nhamlet: minh-khai\ntopic: thu-tuc-hanh-chinh\n"
                    "channel: written\nreceived: 2026-11-10\ndue: %s\n"
                    "---\n\nĐề nghị số %d.\n"
                    % (day + datetime.timedelta(days=i), i))


def publish_cmd(today, repo="site", extra=()):
    return [CONGKHAI, "publish", "-C", "content", "--theme", THEME,
            "--today", today, "--repo", repo] + list(extra)


class Races(Base):
    def test_concurrent_publishers(self):
        """Publishers started together on one checked-out branch: each
        either commits or exits 3; no commit is lost; history linear."""
        ticking(self.path("content"), "2026-12-31", 18)
        self.assertEqual(self.publish().returncode, 0)
        site = self.path("site")
        env = clean_env(self.env)
        published, losers = [], 0
        day = 0
        for _ in range(6):
            procs = []
            for _ in range(3):
                day += 1
                procs.append(subprocess.Popen(
                    publish_cmd("2027-01-%02d" % day), cwd=self.dir,
                    env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                    text=True))
            for p in procs:
                out, err = p.communicate(timeout=120)
                if p.returncode == 0:
                    m = re.search(r"Published ([0-9a-f]{12}) ", out)
                    self.assertTrue(m, out)
                    published.append(m.group(1))
                else:
                    self.assertEqual(p.returncode, 3, err)
                    self.assertRegex(err, r"moved while publishing|locked")
                    self.assertIn("nothing was lost", err)
                    losers += 1
        history = self.out(site, "rev-list", "--parents", "main").split("\n")
        # Linear: every commit has at most one parent.
        self.assertTrue(all(len(l.split()) <= 2 for l in history))
        ids = [l.split()[0] for l in history]
        self.assertEqual(len(ids), 1 + len(published))
        for p in published:
            self.assertTrue(any(i.startswith(p) for i in ids), p)
        self.assertGreater(losers, 0, "no publisher ever lost a race")
        self.fsck(site)
        self.assertEqual(self.out(site, "status", "--porcelain"), "")

    def test_kill_9(self):
        """kill -9 at random moments of a publish of a few thousand
        pages: fsck accepts the repository, the branch is at the old
        commit or at a complete new one, and the next publish works."""
        many_questions(self.path("content"), 2000)
        ticking(self.path("content"), "2027-01-31", 10)
        site = self.path("site")
        env = clean_env(self.env)
        r = self.publish(today="2027-02-01")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertGreater(len(self.tree_files(site, "main")), 2000)
        # How long one publish takes here (every page changes with the
        # day): the kills land anywhere in it.
        t0 = time.monotonic()
        r = self.publish(today="2027-02-02")
        full = time.monotonic() - t0
        self.assertEqual(r.returncode, 0, r.stderr)
        seed = int(os.environ.get("CONGKHAI_KILL_SEED", time.time()))
        rnd = random.Random(seed)
        # At least 3 rounds, more while the time allows (sanitizer builds
        # and slow machines run fewer).
        start, k = time.monotonic(), -1
        while k < 2 or (k < 7 and time.monotonic() - start < 15):
            k += 1
            old = self.out(site, "rev-parse", "main")
            today = "2027-02-%02d" % (k + 3)
            p = subprocess.Popen(publish_cmd(today), cwd=self.dir, env=env,
                                 stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            time.sleep(rnd.uniform(0.02, 1.0) * full)
            p.send_signal(signal.SIGKILL)
            p.wait()
            note = "seed %d, round %d" % (seed, k)
            self.fsck(site)
            tip = self.out(site, "rev-parse", "main")
            # A lock left by the kill (as git leaves them): the next
            # publish says which and changes nothing.
            for lock in ("refs/heads/main.lock", "index.lock"):
                if os.path.exists(os.path.join(site, ".git", lock)):
                    r = self.publish(today=today)
                    self.assertEqual(r.returncode, 3, note)
                    self.assertIn(lock, r.stderr, note)
                    os.remove(os.path.join(site, ".git", lock))
            r = self.publish(today=today)
            self.assertEqual(r.returncode, 0, note + r.stderr)
            if tip != old:
                # The killed publish moved the branch: to a whole commit
                # on the old one, the same the finishing publish makes.
                self.assertEqual(self.out(site, "rev-parse", "main^"), old,
                                 note)
                self.assertIn("Nothing changed", r.stdout, note)
                self.assertEqual(self.out(site, "rev-parse", "main"), tip)
            else:
                self.assertEqual(self.out(site, "rev-parse", "main^"), old,
                                 note)
            self.assertEqual(self.out(site, "status", "--porcelain"), "",
                             note)
        self.fsck(site)
        history = self.out(site, "rev-list", "--parents", "main").split("\n")
        self.assertTrue(all(len(l.split()) <= 2 for l in history))


if __name__ == "__main__":
    unittest.main()
