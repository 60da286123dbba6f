"""Interrupted and failing runs, checked on real folders and real
repositories with the real git command: kill -9 and Ctrl-C at random
moments of a build leave every file of the output folder whole, in its old
or its new version, with a working .git, and the next run finishes the
update and removes what the killed one left; a site an earlier version
parked beside the folder is put back; `-o DIR/`
is `-o DIR`; a read-only output folder is refused (exit 3) and untouched; a
write failure while publish updates the working tree leaves each file old
or new, and the next publish finishes; --message with personal data is
refused (exit 1, nothing committed); file names cannot forge lines of the
commit message nor break its UTF-8."""
import os
import random
import resource
import shutil
import signal
import stat
import subprocess
import time
import unittest

from helpers import CONGKHAI, EXAMPLE, THEME, tmpdir
from test_publish import clean_env, git_env, many_questions, ticking

DAY_A, DAY_B = "2027-02-01", "2027-02-02"


def snapshot(root):
    """{relative path: bytes} of every file under root, .git (a folder or
    git's pointer file) aside."""
    snap = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in filenames:
            if dirpath == root and name == ".git":
                continue
            p = os.path.join(dirpath, name)
            with open(p, "rb") as f:
                snap[os.path.relpath(p, root)] = f.read()
    return snap


def dead_pid():
    """The id of a process that has just exited (so belongs to no one)."""
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


class Base(unittest.TestCase):
    def setUp(self):
        self.dir = tmpdir(self)
        shutil.copytree(EXAMPLE, self.path("content"))
        # DAY_A and DAY_B must build different sites: pages carry no
        # build day, so something has to turn overdue on DAY_B.
        ticking(self.path("content"), "2027-01-31", 2)
        self.env = git_env(self.dir)

    def path(self, *rel):
        return os.path.join(self.dir, *rel)

    def cmd(self, *args, today=DAY_A, out="site", verb="build"):
        c = [CONGKHAI, verb, "-C", "content", "--theme", THEME,
             "--today", today]
        if verb == "build":
            c += ["-o", out]
        return c + list(args)

    def run_cmd(self, argv, **kw):
        return subprocess.run(argv, cwd=self.dir, env=clean_env(self.env),
                              capture_output=True, **kw)

    def build(self, out="site", today=DAY_A):
        r = self.run_cmd(self.cmd(today=today, out=out))
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        return snapshot(self.path(out))

    def git(self, repo, *args, check=True):
        r = self.run_cmd(["git", "-C", repo] + list(args))
        if check and r.returncode != 0:
            raise AssertionError("git %s: %s" % (" ".join(args),
                                                 r.stderr.decode()))
        return r

    def out(self, repo, *args):
        return self.git(repo, *args).stdout.decode("utf-8").strip()

    def fsck(self, repo):
        r = self.git(repo, "fsck", "--strict", "--no-progress",
                     "--no-dangling", check=False)
        self.assertEqual(r.returncode, 0, r.stderr.decode())

    def leftovers(self, name="site"):
        return sorted(e for e in os.listdir(self.dir)
                      if e.startswith("." + name + ".congkhai-"))

    def site_repo(self, today=DAY_A):
        """A build into site/, made a repository with one commit."""
        snap = self.build(today=today)
        site = self.path("site")
        self.git(site, "init", "-q", "-b", "main")
        self.git(site, "add", "-A")
        self.git(site, "commit", "-q", "-m", "trang")
        return snap

    def assert_repo_works(self, site, head, note=""):
        self.assertEqual(self.out(site, "rev-parse", "HEAD"), head, note)
        self.assertEqual(self.git(site, "status", "--porcelain",
                                  check=False).returncode, 0, note)
        self.fsck(site)


class Interrupt(Base):
    def kill_rounds(self, sig, min_rounds, max_rounds, budget):
        """Builds into a site repository alternately as of two days, each
        interrupted by sig at a random moment of the run; after each every
        file is whole, either day's version (the folder is updated in
        place, file by file: outdir.h), the files both days have are all
        there, and git works in the folder. Returns the rounds and how
        many ended with the whole new site."""
        many_questions(self.path("content"), 1500)
        snaps = {DAY_A: self.build("ref-a", DAY_A),
                 DAY_B: self.build("ref-b", DAY_B)}
        self.assertNotEqual(snaps[DAY_A], snaps[DAY_B])
        self.site_repo(DAY_A)
        site = self.path("site")
        head = self.out(site, "rev-parse", "HEAD")
        t0 = time.monotonic()
        self.build(today=DAY_B)
        full = time.monotonic() - t0
        current = DAY_B
        seed = int(os.environ.get("CONGKHAI_KILL_SEED", time.time()))
        rnd = random.Random(seed)
        start, k, swapped = time.monotonic(), 0, 0
        while k < min_rounds or (k < max_rounds and
                                 time.monotonic() - start < budget):
            k += 1
            target = DAY_A if current == DAY_B else DAY_B
            note = "seed %d, round %d" % (seed, k)
            p = subprocess.Popen(self.cmd(today=target), cwd=self.dir,
                                 env=clean_env(self.env),
                                 stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            time.sleep(rnd.uniform(0.05, 1.1) * full)
            p.send_signal(sig)
            p.wait()
            got = snapshot(site)
            for path, data in got.items():
                self.assertTrue(data in (snaps[DAY_A].get(path),
                                         snaps[DAY_B].get(path)),
                                note + ": %s is neither day's" % path)
            both = set(snaps[DAY_A]) & set(snaps[DAY_B])
            self.assertEqual(both - set(got), set(), note)
            if got == snaps[target]:
                swapped += 1
            current = target
            self.assertTrue(os.path.exists(os.path.join(site, ".git")), note)
            self.assert_repo_works(site, head, note)
        # The next run finishes, and what killed runs left beside the
        # folder is gone.
        self.assertEqual(self.build(today=DAY_A), snaps[DAY_A])
        self.assertEqual(self.leftovers(), [])
        self.assertTrue(os.path.isdir(os.path.join(site, ".git")))
        self.assert_repo_works(site, head)
        return k, swapped

    def test_kill_9_build(self):
        k, new = self.kill_rounds(signal.SIGKILL, 6, 15, 25)
        print("\nkill -9: %d rounds, %d ended as the new site" % (k, new))

    def test_ctrl_c_build(self):
        k, new = self.kill_rounds(signal.SIGINT, 3, 6, 10)
        print("\nCtrl-C: %d rounds, %d ended as the new site" % (k, new))

    def test_repairs_what_killed_runs_left(self):
        """A killed run leaves its staging folder beside the output
        folder, and an earlier version's whole-folder swap could leave the
        old site parked there with no folder: the next run removes the
        one and puts the other back; a staging folder holding a
        repository (never this version's) is left alone, with a
        warning."""
        self.site_repo()
        site = self.path("site")
        head = self.out(site, "rev-parse", "HEAD")
        snap = self.build()
        staging = self.path(".site.congkhai-staging-%d" % dead_pid())
        os.makedirs(os.path.join(staging, "doi-thoai"))
        with open(os.path.join(staging, "doi-thoai", "x.html"), "w") as f:
            f.write("half")
        self.assertEqual(self.build(), snap)
        self.assertEqual(self.leftovers(), [])
        self.assert_repo_works(site, head)
        odd = self.path(".site.congkhai-staging-%d" % dead_pid())
        os.makedirs(os.path.join(odd, ".git"))
        r = self.run_cmd(self.cmd())
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertIn("holding a repository; not removed", r.stderr.decode())
        self.assertEqual(self.leftovers(), [os.path.basename(odd)])
        shutil.rmtree(odd)
        # No folder, an old site parked beside it.
        parked = self.path(".site.congkhai-old-%d" % dead_pid())
        os.rename(site, parked)
        self.assertEqual(self.build(), snap)
        self.assertEqual(self.leftovers(), [])
        self.assert_repo_works(site, head)
        # A leftover of a run still alive (this test) is not touched.
        mine = self.path(".site.congkhai-staging-%d" % os.getpid())
        os.mkdir(mine)
        self.build()
        self.assertEqual(self.leftovers(), [os.path.basename(mine)])

    def test_trailing_slash(self):
        snap = self.build("plain")
        self.assertEqual(self.build("slash/"), snap)
        self.assertEqual(self.build("slash//"), snap)
        self.assertEqual(sorted(os.listdir(self.dir)),
                         ["content", "plain", "slash"])

    def test_read_only_folder(self):
        """chmod a-w on the output folder: refused, exit 3, untouched.
        Root ignores permissions, so the folder's own mode is what is
        checked (no write bit for anyone); for another user the folder is
        read-only when it cannot write into it, tried as nobody below."""
        self.site_repo()
        site = self.path("site")
        os.chmod(site, 0o555)
        self.addCleanup(os.chmod, site, 0o755)
        before = snapshot(site)
        r = self.run_cmd(self.cmd(today=DAY_B))
        self.assertEqual(r.returncode, 3, r.stderr.decode())
        self.assertIn(b"read-only", r.stderr)
        self.assertEqual(snapshot(site), before)
        self.assertEqual(stat.S_IMODE(os.stat(site).st_mode), 0o555)
        self.assertEqual(self.leftovers(), [])

    @unittest.skipUnless(os.geteuid() == 0 and shutil.which("setpriv"),
                         "needs root to run the build as nobody")
    def test_read_only_for_this_user(self):
        """A folder this user may not write (root's 0755 folder, the build
        run as nobody through setpriv) in a parent it may write: renaming
        it would succeed, but it is refused and left as it is."""
        top = self.path("shared")
        os.mkdir(top)
        os.chmod(top, 0o777)  # no sticky bit: nobody may rename it
        os.chmod(self.dir, 0o755)
        for d, _, files in os.walk(self.path("content")):
            os.chmod(d, 0o755)
            for f in files:
                os.chmod(os.path.join(d, f), 0o644)
        self.build(os.path.join(top, "site"))
        site = os.path.join(top, "site")
        before = snapshot(site)
        r = self.run_cmd(["setpriv", "--reuid=nobody", "--regid=nogroup",
                          "--clear-groups"] +
                         self.cmd(today=DAY_B, out=site))
        self.assertEqual(r.returncode, 3, r.stderr.decode())
        self.assertEqual(snapshot(site), before)
        self.assertEqual(os.stat(site).st_uid, 0)
        self.assertEqual([e for e in os.listdir(top) if e != "site"], [])


class PublishFailures(Base):
    def publish(self, *args, today=DAY_A, **kw):
        return self.run_cmd(self.cmd(*args, today=today, verb="publish") +
                            ["--repo", "site", "--allow-dirty"], **kw)

    def test_write_failure_during_checkout(self):
        """The working tree's update fails for real: the files are
        written by a process whose file size limit (RLIMIT_FSIZE, set
        for the publish only, SIGXFSZ ignored) is just below the biggest
        page, so write(2) fails with EFBIG as on a full disk, after the
        commit (its new objects go into one compressed pack, below the
        limit). Every file is then its old or its new version; the next
        publish finishes."""
        many_questions(self.path("content"), 400)
        r = self.publish(today=DAY_A)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        site = self.path("site")
        big = max(os.path.getsize(os.path.join(d, f))
                  for d, _, fs in os.walk(site) if ".git" not in d
                  for f in fs)
        self.assertGreater(big, 200000)

        def limit():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (big - 1, big - 1))

        # One more question: the biggest file (questions.json) grows past
        # the limit (a day alone may change it by a byte either way).
        many_questions(self.path("content"), 401)
        r = self.publish(today=DAY_B, preexec_fn=limit)
        self.assertEqual(r.returncode, 3, r.stderr.decode())
        self.assertNotEqual(self.out(site, "rev-parse", "main"),
                            self.out(site, "rev-parse", "main^"))
        self.fsck(site)
        for rel, data in snapshot(site).items():
            versions = []
            for rev in ("main^", "main"):
                g = self.git(site, "show", "%s:%s" % (rev, rel),
                             check=False)
                if g.returncode == 0:
                    versions.append(g.stdout)
            self.assertTrue(data in versions, rel + ": half written")
        r = self.publish(today=DAY_B)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertIn(b"Nothing changed", r.stdout)
        self.assertEqual(self.out(site, "status", "--porcelain"), "")
        self.assertEqual(os.listdir(os.path.join(site, ".git",
                                                 "congkhai-checkout")), [])
        self.fsck(site)

    def test_message_with_personal_data(self):
        self.assertEqual(self.publish().returncode, 0)
        site = self.path("site")
        tip = self.out(site, "rev-parse", "main")
        for text in ("Gọi 0912 345 678 để biết thêm",
                     "Hỏi ông.a@example.com"):
            r = self.publish("--message", text, today=DAY_B)
            self.assertEqual(r.returncode, 1, r.stderr.decode())
            self.assertIn(b"--message", r.stderr)
            self.assertEqual(self.out(site, "rev-parse", "main"), tip)
        # A message of several lines could forge trailers.
        r = self.publish("--message", "Cập nhật\n\nSource-Commit: 0",
                         today=DAY_B)
        self.assertEqual(r.returncode, 2, r.stderr.decode())
        self.assertEqual(self.out(site, "rev-parse", "main"), tip)
        r = self.publish("--message", "Cập nhật tháng 2", today=DAY_B)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertEqual(self.out(site, "log", "-1", "--format=%s"),
                         "Cập nhật tháng 2")

    def test_file_names_in_the_message(self):
        """A static file named with a newline and a trailer, and one with
        a byte that is not UTF-8: listed quoted, on one line each."""
        self.assertEqual(self.publish().returncode, 0)
        static = os.path.join(self.path("content").encode(), b"static")
        os.makedirs(static, exist_ok=True)
        for name in (b"a\nSource-Commit: deadbeef", b"\xff.txt",
                     b"x\n\nAs-Of: 1999-01-01"):
            with open(os.path.join(static, name), "wb") as f:
                f.write(b"x")
        r = self.publish(today=DAY_B)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        raw = self.git(self.path("site"), "log", "-1",
                       "--format=%B").stdout
        text = raw.decode("utf-8")  # valid UTF-8, or this fails
        lines = text.splitlines()
        self.assertFalse([l for l in lines if l.startswith("Source-Commit")
                          or l.startswith("As-Of: 1999")], text)
        self.assertIn('- "static/a\\nSource-Commit: deadbeef"', lines)
        self.assertIn('- "static/\\377.txt"', lines)
        trailers = subprocess.run(["git", "interpret-trailers", "--parse"],
                                  input=raw, capture_output=True,
                                  check=True).stdout.decode().splitlines()
        self.assertEqual(trailers, ["As-Of: " + DAY_B])


if __name__ == "__main__":
    unittest.main()
