"""The CI examples of .ci/examples/, run for real: the post-receive hook
installed in a bare records repository publishes each push into a site
repository (checked with the real git command), publishes nothing and
tells the pusher the errors when the records have some, and ignores other
branches; the Actions workflow parses, triggers on pull requests, pushes to
main and a morning schedule in Vietnam, and the congkhai commands of its
steps are the real CLI, run as the workflow runs them (a pull request's
check, then two publications from fresh clones pushing gh-pages)."""
import os
import re
import shutil
import subprocess
import unittest

import yaml

from helpers import CONGKHAI, FIXTURES, THEME, TOP, tmpdir, write

EXAMPLES = os.path.join(TOP, ".ci", "examples")
HOOK = os.path.join(EXAMPLES, "post-receive")
WORKFLOW = os.path.join(EXAMPLES, "congkhai.yml")
Q1 = "content/dialogues/hoi-nghi-2025/questions/001.md"
Q1_PAGE = "doi-thoai/hoi-nghi-2025/001/index.html"
PRIVATE = ("0912 345 678", "Nguyễn Văn Bí Mật")


class Repos(unittest.TestCase):
    """A folder with git that sees no user configuration."""

    def setUp(self):
        self.dir = tmpdir(self)
        self.tmp = self.path("tmp")
        os.makedirs(self.tmp)
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("GIT_") and k != "CONGKHAI"}
        self.env.update({
            "HOME": self.dir, "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CEILING_DIRECTORIES": os.path.dirname(self.dir),
            "GIT_AUTHOR_NAME": "Văn phòng UBND xã",
            "GIT_AUTHOR_EMAIL": "vanphong@example.invalid",
            "GIT_COMMITTER_NAME": "Văn phòng UBND xã",
            "GIT_COMMITTER_EMAIL": "vanphong@example.invalid",
            "TMPDIR": self.tmp, "LC_ALL": "C.UTF-8"})

    def path(self, *rel):
        return os.path.join(self.dir, *rel)

    def sh(self, args, cwd, check=True, env=None, shell=False):
        e = dict(self.env)
        e.update(env or {})
        r = subprocess.run(args, cwd=cwd, env=e, capture_output=True,
                           text=True, timeout=300, shell=shell)
        if check and r.returncode != 0:
            raise AssertionError("%s: %s%s" % (args, r.stdout, r.stderr))
        return r

    def git(self, repo, *args, check=True):
        return self.sh(["git", "-C", repo] + list(args), self.dir, check)

    def out(self, repo, *args):
        return self.git(repo, *args).stdout.strip()

    def commit_all(self, work, message):
        self.git(work, "add", "-A")
        self.git(work, "commit", "-q", "-m", message)

    def edit(self, path, old, new):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertIn(old, text)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, 1))

    def records(self, with_theme=False):
        """A bare records repository (origin) and a clone of it holding the
        minimal commune, not yet pushed: (bare, work)."""
        bare, work = self.path("records.git"), self.path("work")
        self.git(self.dir, "init", "-q", "--bare", "-b", "main", bare)
        self.git(self.dir, "clone", "-q", bare, work)
        self.git(work, "checkout", "-q", "-b", "main")
        shutil.copytree(os.path.join(FIXTURES, "minimal"),
                        os.path.join(work, "content"))
        if with_theme:
            # A commune may keep its own theme beside the records.
            shutil.copytree(THEME, os.path.join(work, "themes", "default"))
        self.commit_all(work, "Hồ sơ hội nghị 2025")
        return bare, work

    def assert_no_private(self, repo, rev):
        for secret in PRIVATE:
            r = self.git(repo, "grep", "-F", "-q", secret, rev, check=False)
            self.assertEqual(r.returncode, 1, secret)


class PostReceiveHook(Repos):
    def setUp(self):
        super().setUp()
        self.bare, self.work = self.records()
        self.site = self.path("site.git")
        self.git(self.dir, "init", "-q", "--bare", "-b", "main", self.site)
        hook = os.path.join(self.bare, "hooks", "post-receive")
        shutil.copy(HOOK, hook)
        os.chmod(hook, 0o755)
        for k, v in (("site", self.site), ("theme", THEME),
                     ("program", CONGKHAI)):
            self.git(self.bare, "config", "congkhai." + k, v)

    def push(self, ref="main"):
        r = self.git(self.work, "push", "origin", ref)
        # The hook cleans up after itself, success or not.
        self.assertEqual(os.listdir(self.tmp), [])
        return r.stderr

    def site_head(self):
        r = self.git(self.site, "rev-parse", "-q", "--verify",
                     "refs/heads/main", check=False)
        return r.stdout.strip() or None

    def test_push_publishes_into_the_site_repository(self):
        said = self.push()
        self.assertIn("remote: congkhai: published", said)
        head = self.site_head()
        self.assertIsNotNone(head, said)
        files = self.out(self.site, "ls-tree", "-r", "--name-only",
                         "main").splitlines()
        for f in ("index.html", Q1_PAGE, "data/questions.json",
                  "data/questions.csv", "assets/style.css"):
            self.assertIn(f, files)
        page = self.out(self.site, "show", "main:" + Q1_PAGE)
        self.assertIn("Đề nghị cấp giấy chứng nhận quyền sử dụng đất", page)
        self.assert_no_private(self.site, "main")
        # The publication names the pushed records commit.
        self.assertIn("Source-Commit: " + self.out(self.bare, "rev-parse",
                                                   "main"),
                      self.out(self.site, "log", "-1", "--format=%B",
                               "main"))
        r = self.git(self.site, "fsck", "--strict", "--no-dangling")
        self.assertEqual(r.stdout, "")
        # The records' own repository is left as it was: no worktree.
        self.assertEqual(self.out(self.bare, "worktree", "list",
                                  "--porcelain").count("worktree "), 1)

        # The next push publishes on top, with the new text.
        self.edit(os.path.join(self.work, Q1), "Đề nghị cấp",
                  "Đề nghị (bổ sung) cấp")
        self.commit_all(self.work, "Sửa câu hỏi 001")
        said = self.push()
        self.assertIn("remote: congkhai: published", said)
        second = self.site_head()
        self.assertNotEqual(second, head)
        self.assertEqual(self.out(self.site, "rev-parse", "main~1"), head)
        self.assertIn("Đề nghị (bổ sung) cấp",
                      self.out(self.site, "show", "main:" + Q1_PAGE))
        self.assertIn("Source-Commit: " + self.out(self.work, "rev-parse",
                                                   "HEAD"),
                      self.out(self.site, "log", "-1", "--format=%B",
                               "main"))
        # Its pages list the records' history: the clone had all of it.
        page = self.out(self.site, "show", "main:" + Q1_PAGE)
        for rev in ("HEAD~1", "HEAD"):
            self.assertIn("<code>%s</code>" % self.out(
                self.work, "rev-parse", "--short=12", rev), page)

    def test_push_with_errors_publishes_nothing_and_tells_the_pusher(self):
        self.push()
        good = self.site_head()
        self.assertIsNotNone(good)
        self.edit(os.path.join(self.work, Q1), "channel: registered",
                  "channel: thu-tay")
        self.edit(os.path.join(self.work, Q1), "Đề nghị cấp",
                  "Đề nghị MỚI cấp")
        self.commit_all(self.work, "Sai kênh")
        said = self.push()  # the push itself lands
        self.assertEqual(self.out(self.bare, "rev-parse", "main"),
                         self.out(self.work, "rev-parse", "HEAD"))
        self.assertRegex(said, r"remote: content/dialogues/hoi-nghi-2025/"
                         r"questions/001\.md:\d+:\d+: error: unknown "
                         r"channel 'thu-tay'")
        self.assertIn("remote: congkhai: NOT published", said)
        self.assertNotIn("congkhai: published", said)
        self.assertEqual(self.site_head(), good)
        self.assertNotIn("MỚI", self.out(self.site, "show",
                                         "main:" + Q1_PAGE))
        # The fix publishes again.
        self.edit(os.path.join(self.work, Q1), "channel: thu-tay",
                  "channel: registered")
        self.commit_all(self.work, "Sửa kênh")
        said = self.push()
        self.assertIn("remote: congkhai: published", said)
        self.assertEqual(self.out(self.site, "rev-parse", "main~1"), good)
        self.assertIn("Đề nghị MỚI cấp",
                      self.out(self.site, "show", "main:" + Q1_PAGE))

    def test_other_branches_are_not_published(self):
        self.git(self.work, "checkout", "-q", "-b", "nhap")
        said = self.push("nhap")
        self.assertNotIn("remote:", said)
        self.assertIsNone(self.site_head())


class Workflow(Repos):
    def load(self):
        with open(WORKFLOW, encoding="utf-8") as f:
            wf = yaml.safe_load(f)
        # YAML 1.1 reads the key `on` as true.
        wf["on"] = wf.pop(True, wf.get("on"))
        return wf

    def test_triggers(self):
        wf = self.load()
        on = wf["on"]
        self.assertIn("pull_request", on)
        self.assertEqual(on["push"]["branches"], ["main"])
        crons = [s["cron"] for s in on["schedule"]]
        self.assertEqual(len(crons), 1)
        minute, hour, dom, month, dow = crons[0].split()
        self.assertEqual((dom, month, dow), ("*", "*", "*"))  # daily
        # UTC+7: a morning hour in Vietnam, before the office opens.
        self.assertIn((int(hour) + 7) % 24, range(5, 8))
        jobs = wf["jobs"]
        self.assertEqual(jobs["check"]["if"],
                         "github.event_name == 'pull_request'")
        self.assertEqual(jobs["publish"]["if"],
                         "github.event_name != 'pull_request'")
        checkout = jobs["publish"]["steps"][0]
        self.assertEqual(checkout["with"]["fetch-depth"], 0)

    def congkhai_lines(self, job):
        steps = self.load()["jobs"][job]["steps"]
        lines = []
        for s in steps:
            for line in s.get("run", "").splitlines():
                line = line.strip()
                if line.startswith("congkhai "):
                    lines.append(line)
        return lines

    def test_commands_are_the_real_cli(self):
        lines = self.congkhai_lines("check") + self.congkhai_lines("publish")
        self.assertEqual([ln.split()[1] for ln in lines],
                         ["check", "publish"])
        for line in lines:
            words = line.split()
            r = self.sh([CONGKHAI, words[1], "--help"], self.dir)
            self.assertEqual(r.returncode, 0, line)
            for w in words[2:]:
                if not w.startswith("-"):
                    continue
                if w == "--format" and "--format" not in r.stdout:
                    # Another branch of issue #10 adds check --format.
                    continue
                self.assertRegex(r.stdout, r"(^|\s)%s(\s|$)" % re.escape(w),
                                 line)

    def bin_dir(self):
        """A PATH folder whose congkhai is the program under test, as the
        workflow's install step leaves it."""
        d = self.path("bin")
        os.makedirs(d, exist_ok=True)
        link = os.path.join(d, "congkhai")
        if not os.path.exists(link):
            os.symlink(CONGKHAI, link)
        return d

    def run_job(self, job, work):
        """Runs the job's steps after the checkout and install ones, as the
        runner does: bash -e, in the checkout, with each step's env."""
        results = []
        for s in self.load()["jobs"][job]["steps"]:
            if "uses" in s or s.get("name") == "Install congkhai":
                continue
            env = {"PATH": self.bin_dir() + os.pathsep + self.env["PATH"]}
            for k, v in (s.get("env") or {}).items():
                # Secrets are empty here: pushing to a path needs none.
                env[k] = re.sub(r"\$\{\{.*?\}\}", "", str(v))
            results.append(self.sh(["bash", "-e", "-c", s["run"]], work,
                                   check=False, env=env))
        return results

    def test_pull_request_check(self):
        _, work = self.records()
        self.edit(os.path.join(work, Q1), "channel: registered",
                  "channel: thu-tay")
        (r,) = self.run_job("check", work)
        help_text = self.sh([CONGKHAI, "check", "--help"], self.dir).stdout
        if "--format" not in help_text:
            # This branch has no check --format yet: the step fails with
            # a usage error that names it, nothing else.
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("--format", r.stderr)
            return
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertRegex(r.stdout + r.stderr,
                         r"::error file=content/dialogues/hoi-nghi-2025/"
                         r"questions/001\.md,line=\d+")
        self.edit(os.path.join(work, Q1), "channel: thu-tay",
                  "channel: registered")
        (r,) = self.run_job("check", work)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_publish_on_push_and_schedule(self):
        bare, work = self.records(with_theme=True)
        self.git(work, "push", "-q", "origin", "main")
        pages = []
        # Two runs (a push, then the morning's), each in a fresh clone as a
        # runner makes it: the second continues the first's gh-pages.
        for run_no, text in ((1, None), (2, "Đề nghị LẦN HAI cấp")):
            if text:
                self.edit(os.path.join(work, Q1), "Đề nghị cấp", text)
                self.commit_all(work, "Sửa câu hỏi 001")
                self.git(work, "push", "-q", "origin", "main")
            ci = self.path("ci-%d" % run_no)
            self.git(self.dir, "clone", "-q", bare, ci)
            results = self.run_job("publish", ci)
            self.assertEqual([r.returncode for r in results], [0],
                             [r.stderr for r in results])
            pages.append(self.out(bare, "rev-parse", "gh-pages"))
        self.assertEqual(self.out(bare, "rev-parse", "gh-pages~1"), pages[0])
        self.assertIn("Đề nghị LẦN HAI cấp",
                      self.out(bare, "show", "gh-pages:" + Q1_PAGE))
        self.assert_no_private(bare, "gh-pages")
        # The records' branch did not move.
        self.assertEqual(self.out(bare, "rev-parse", "main"),
                         self.out(work, "rev-parse", "HEAD"))


class Readme(unittest.TestCase):
    def test_readme_points_at_the_examples(self):
        with open(os.path.join(TOP, "README.md"), encoding="utf-8") as f:
            readme = f.read()
        for f in (".ci/examples/congkhai.yml", ".ci/examples/post-receive"):
            self.assertTrue(f in readme, f)
        # The README shows the tested workflow itself, not a copy that
        # drifts: its yaml block is the file.
        with open(WORKFLOW, encoding="utf-8") as f:
            self.assertIn("```yaml\n" + f.read() + "```\n", readme)
        self.assertTrue(os.access(HOOK, os.X_OK))


if __name__ == "__main__":
    unittest.main()
