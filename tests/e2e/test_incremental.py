"""The output folder updated in place (issue #7 item 2), on real folders:
a rebuild writes only the files whose bytes changed (files are recognised
by their inode and modification time, which a rewrite changes), removes
stale files and the folders they leave empty, and ends byte-identical to a
build into an empty folder; the manifest lives in the cache folder, never
in or beside the output, and a missing or damaged one costs only reading;
a failed build touches nothing; whatever a hand or an earlier version left
in the way (a folder where a page goes, a file where a folder goes, a
symbolic link) is replaced."""
import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import time
import unittest

from helpers import (CONGKHAI, THEME, GeneratedCorpus, copy_example,
                     tmpdir, tree_snapshot, write)

TODAY = "2027-02-01"


def identities(root):
    """{relative path: (inode, mtime_ns)} of every file under root."""
    ids = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            ids[os.path.relpath(p, root)] = (st.st_ino, st.st_mtime_ns)
    return ids


def folders(root):
    """Every folder under root, relative."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        out += [os.path.relpath(os.path.join(dirpath, d), root)
                for d in dirnames]
    return sorted(out)


class Incremental(unittest.TestCase):
    def setUp(self):
        self.dir = tmpdir(self)
        self.content = copy_example(self.dir)
        self.cache = os.path.join(self.dir, "cache")
        self.env = dict(os.environ, XDG_CACHE_HOME=self.cache,
                        CONGKHAI_BUILD_STATS="1")

    def path(self, *rel):
        return os.path.join(self.dir, *rel)

    def build(self, out="site", ok=True, theme=THEME, jobs=None):
        r = subprocess.run(
            [CONGKHAI, "build", "-C", "content", "--theme", theme, "-o", out,
             "--today", TODAY] + (["--jobs", jobs] if jobs else []),
            cwd=self.dir, env=self.env,
            capture_output=True, text=True, timeout=300)
        if ok:
            self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def stats(self, r):
        """{files, written, compared, removed, folders read and unread}
        from CONGKHAI_BUILD_STATS."""
        line = [ln for ln in r.stderr.splitlines()
                if ln.startswith("congkhai build: ")][-1]
        words = line.replace(",", "").replace(":", "").replace(";", "")
        words = words.split()
        return {"files": int(words[2]), "written": int(words[4]),
                "compared": int(words[6]), "removed": int(words[8]),
                "read": int(words[13]), "unread": int(words[15])}

    def fresh(self):
        """A build of the same content into an empty folder."""
        shutil.rmtree(self.path("fresh"), ignore_errors=True)
        self.build("fresh")
        return tree_snapshot(self.path("fresh"))

    def manifests(self):
        """The manifests (not the memos named after them, "<m>.records")."""
        d = os.path.join(self.cache, "congkhai", "manifests")
        return sorted(f for f in os.listdir(d) if "." not in f) \
            if os.path.isdir(d) else []

    def test_no_change_writes_nothing(self):
        self.build()
        before = identities(self.path("site"))
        r = self.build()
        self.assertEqual(self.stats(r)["written"], 0)
        self.assertEqual(self.stats(r)["compared"], 0)
        self.assertEqual(identities(self.path("site")), before)
        # Nothing of the writer's in or beside the folder.
        self.assertEqual(sorted(os.listdir(self.dir)),
                         ["cache", "content", "site"])
        self.assertEqual(len(self.manifests()), 1)

    def test_one_question_changed(self):
        self.build()
        before = identities(self.path("site"))
        q = os.path.join(self.content, "dialogues", "doi-thoai-2025",
                         "questions", "003.md")
        with open(q, "a", encoding="utf-8") as f:
            f.write("\nMột câu mới được thêm vào câu hỏi.\n")
        r = self.build()
        after = identities(self.path("site"))
        changed = sorted(p for p in after if after[p] != before.get(p))
        self.assertEqual(sorted(after), sorted(before))
        self.assertIn(os.path.join("doi-thoai", "doi-thoai-2025", "003",
                                   "index.html"), changed)
        self.assertIn(os.path.join("data", "questions.json"), changed)
        # Only what shows the question's text: far fewer than the site.
        self.assertLess(len(changed), len(after) // 3, changed)
        self.assertEqual(self.stats(r)["written"], len(changed))
        self.assertEqual(tree_snapshot(self.path("site")), self.fresh())

    def test_stale_files_and_empty_folders_go(self):
        self.build()
        # A dialogue no conclusion refers into loses its questions.
        qdir = os.path.join(self.content, "dialogues",
                            "doi-thoai-quy-1-2027", "questions")
        gone = sorted(os.listdir(qdir))[0][:-len(".md")]
        shutil.rmtree(qdir)
        os.mkdir(qdir)
        write(self.path("site", "an", "extra", "file.html"), "not built")
        r = self.build()
        self.assertGreater(self.stats(r)["removed"], 1)
        self.assertFalse(os.path.exists(self.path(
            "site", "doi-thoai", "doi-thoai-quy-1-2027", gone)))
        self.assertFalse(os.path.exists(self.path("site", "an")))
        self.assertEqual(tree_snapshot(self.path("site")), self.fresh())
        self.assertEqual(folders(self.path("site")),
                         folders(self.path("fresh")))

    def test_stale_sweep_alike_on_any_threads(self):
        """The sweep shares the folders two levels down among threads and
        sweeps the levels above after them: on one thread or four it
        removes the same strays at every depth (links not followed, their
        targets kept), empties and removes the same folders, keeps the
        top's .git, and ends as a build into an empty folder."""
        outside = self.path("outside")
        write(os.path.join(outside, "keep.html"), "outside")
        qdir = os.path.join(self.content, "dialogues",
                            "doi-thoai-quy-1-2027", "questions")
        self.build("one")
        shutil.copytree(self.path("one"), self.path("four"), symlinks=True)
        shutil.rmtree(qdir)
        os.mkdir(qdir)
        for out in ("one", "four"):
            for rel in ("stray.html", "doi-thoai/stray.html",
                        "doi-thoai/doi-thoai-2025/stray.html",
                        "doi-thoai/doi-thoai-2025/003/stray.html",
                        "doi-thoai/new/deeper/still/stray.html",
                        "thon/a/b/c/d/e/stray.html", "extra/x/y.html",
                        ".git/kept", "doi-thoai/.git/HEAD"):
                write(self.path(out, rel), "not built")
            os.symlink(outside, self.path(out, "thon", "link-dir"))
            os.symlink(os.path.join(outside, "keep.html"),
                       self.path(out, "doi-thoai", "doi-thoai-2025",
                                 "link.html"))
        removed = {}
        for out, jobs in (("one", "1"), ("four", "4")):
            r = subprocess.run(
                [CONGKHAI, "build", "-C", "content", "--theme", THEME,
                 "-o", out, "--today", TODAY, "--jobs", jobs],
                cwd=self.dir, env=self.env, capture_output=True, text=True,
                timeout=300)
            self.assertEqual(r.returncode, 0, r.stderr)
            removed[out] = self.stats(r)["removed"]
        fresh = self.fresh()
        for out in ("one", "four"):
            self.assertEqual(tree_snapshot(self.path(out)), fresh)
            self.assertEqual(
                [f for f in folders(self.path(out))
                 if not f.startswith(".git")],
                folders(self.path("fresh")))
            self.assertTrue(os.path.exists(self.path(out, ".git", "kept")))
            self.assertFalse(os.path.lexists(self.path(out, "thon",
                                                       "link-dir")))
        self.assertEqual(removed["one"], removed["four"])
        # The questions of the emptied dialogue, and the ten strays.
        self.assertGreater(removed["one"], 10)
        self.assertTrue(os.path.exists(os.path.join(outside, "keep.html")))

    def test_unchanged_folders_are_not_read(self):
        """The sweep does not read a folder recorded by the last one and
        unchanged since (its change time and inode), only looks at it;
        yet it still finds what changed below one (a stray in a folder
        under it) and what the site no longer has in one (a question's
        page, whose emptied folder goes), on one thread or four, and ends
        as a build into an empty folder."""
        qdir = os.path.join(self.content, "dialogues",
                            "doi-thoai-quy-1-2027", "questions")
        gone = sorted(os.listdir(qdir))[0][:-len(".md")]
        for jobs in ("1", "4"):
            out = "site" + jobs
            self.build(out, jobs=jobs)
        # Folders changed within the last second are read again next
        # time (their change time could repeat): let them settle.
        time.sleep(1.2)
        for jobs in ("1", "4"):
            out = "site" + jobs
            r = self.build(out, jobs=jobs)  # reads all, records them
            self.assertEqual(self.stats(r)["unread"], 0)
            top = 1 + len([d for d in os.listdir(self.path(out))
                           if os.path.isdir(self.path(out, d))])
            everything = len(folders(self.path(out))) + 1
            r = self.build(out, jobs=jobs)
            self.assertEqual(self.stats(r)["written"], 0)
            self.assertEqual(self.stats(r)["read"], top)
            self.assertEqual(self.stats(r)["unread"], everything - top)
            self.assertGreater(everything - top, 20)
        self.assertTrue(os.path.isdir(self.path(
            "site1", "doi-thoai", "doi-thoai-quy-1-2027", gone)))
        os.remove(os.path.join(qdir, gone + ".md"))
        for jobs in ("1", "4"):
            out = "site" + jobs
            # 003's folder changes, not the one above it, still unread.
            for rel in ("doi-thoai/doi-thoai-2025/003/stray.html",
                        "doi-thoai/stray.html"):
                write(self.path(out, rel), "not built")
            r = self.build(out, jobs=jobs)
            self.assertGreater(self.stats(r)["unread"], 20)
            # The stray two, the question's page, and whatever listed it.
            self.assertGreaterEqual(self.stats(r)["removed"], 3)
            self.assertFalse(os.path.lexists(self.path(
                out, "doi-thoai", "doi-thoai-quy-1-2027", gone)))
        fresh = self.fresh()
        for jobs in ("1", "4"):
            self.assertEqual(tree_snapshot(self.path("site" + jobs)), fresh)
            self.assertEqual(folders(self.path("site" + jobs)),
                             folders(self.path("fresh")))

    def test_without_or_with_a_damaged_manifest(self):
        """A lost or damaged manifest is read around: every file is
        compared with what is built, and still none is written."""
        self.build()
        before = identities(self.path("site"))
        shutil.rmtree(self.cache)
        r = self.build()
        self.assertEqual(self.stats(r)["written"], 0)
        self.assertEqual(self.stats(r)["compared"], len(before))
        self.assertEqual(identities(self.path("site")), before)
        (name,) = self.manifests()
        m = os.path.join(self.cache, "congkhai", "manifests", name)
        with open(m, "r+b") as f:  # one hash digit changed
            text = f.read()
            i = text.index(b"\n") + 1
            f.seek(i)
            f.write(b"0" if text[i:i + 1] != b"0" else b"1")
        r = self.build()
        self.assertEqual(self.stats(r)["written"], 0)
        self.assertEqual(self.stats(r)["compared"], len(before))
        self.assertEqual(identities(self.path("site")), before)

    def test_hand_edits_are_repaired(self):
        self.build()
        home = self.path("site", "index.html")
        with open(home, "r+b") as f:  # same size, other bytes
            b = f.read()
            f.seek(0)
            f.write(b"X" + b[1:])
        os.remove(self.path("site", "404.html"))
        r = self.build()
        self.assertEqual(self.stats(r)["written"], 2)
        self.assertEqual(tree_snapshot(self.path("site")), self.fresh())

    def test_things_in_the_way(self):
        """A folder where a page goes, a file where a folder goes, and a
        link where a page goes are replaced; the link's target is not
        written through."""
        self.build()
        outside = self.path("outside.html")
        write(outside, "outside")
        shutil.rmtree(self.path("site", "doi-thoai"))
        write(self.path("site", "doi-thoai"), "a file in the way")
        os.remove(self.path("site", "404.html"))
        os.mkdir(self.path("site", "404.html"))
        write(self.path("site", "404.html", "inside"), "x")
        os.remove(self.path("site", "index.html"))
        os.symlink(outside, self.path("site", "index.html"))
        self.build()
        self.assertEqual(tree_snapshot(self.path("site")), self.fresh())
        self.assertFalse(os.path.islink(self.path("site", "index.html")))
        with open(outside) as f:
            self.assertEqual(f.read(), "outside")

    def test_failed_build_touches_nothing(self):
        self.build()
        before = identities(self.path("site"))
        manifests = self.manifests()
        m = os.path.join(self.cache, "congkhai", "manifests", manifests[0])
        with open(m, "rb") as f:
            manifest = f.read()
        # A template that fails while pages are rendered (after pages
        # before it went to the staging folder).
        theme = self.path("theme")
        shutil.copytree(THEME, theme)
        qt = os.path.join(theme, "templates", "question.mustache")
        with open(qt, encoding="utf-8") as f:
            src = f.read()
        write(qt, src.replace("{{#has_answer}}",
                              "{{#has_answer}}{{>partials/loop}}", 1))
        write(os.path.join(theme, "templates", "partials", "loop.mustache"),
              "x{{>partials/loop}}")
        q = os.path.join(self.content, "dialogues", "doi-thoai-2025",
                         "questions", "003.md")
        with open(q, "a", encoding="utf-8") as f:
            f.write("\nĐổi nội dung.\n")
        r = self.build(ok=False, theme=theme)
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(identities(self.path("site")), before)
        self.assertEqual(sorted(os.listdir(self.dir)),
                         ["cache", "content", "site", "theme"])
        with open(m, "rb") as f:
            self.assertEqual(f.read(), manifest)


if __name__ == "__main__":
    unittest.main()


@contextlib.contextmanager
def restored(paths):
    """Puts the text files at paths back as they were, after the block."""
    kept = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            kept[path] = f.read()
    try:
        yield
    finally:
        for path, text in kept.items():
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)


class SpooledOpenData(GeneratedCorpus):
    """data/questions.json and questions.csv past a megabyte go to the
    output folder a piece at a time (through a temporary file, never whole
    in memory): the bytes are those publish commits (which takes them
    whole), a rebuild recognises them by the manifest or by reading them a
    window at a time, a hand edit of one byte is repaired, and a temporary
    folder that cannot be written fails the build, changing nothing.
    publish takes them the same way: streamed into the open data's pack
    (each new version a delta against the last), and copied into the
    working tree from the build's temporary file."""

    QUESTIONS = 2500
    PREFIX = "ck-spool-"

    def setUp(self):
        self.out = os.path.join(self.dir, "site")
        shutil.rmtree(self.out, ignore_errors=True)
        self.env = dict(os.environ, CONGKHAI_BUILD_STATS="1",
                        XDG_CACHE_HOME=os.path.join(self.dir, "cache"))

    def build(self, env=None):
        return subprocess.run(
            [CONGKHAI, "build", "-C", self.content, "--theme", THEME, "-o",
             self.out, "--today", TODAY], env=env or self.env,
            capture_output=True, text=True, timeout=600)

    stats = Incremental.stats

    def data(self, name):
        with open(os.path.join(self.out, "data", name), "rb") as f:
            return f.read()

    def test_same_bytes_as_publish_and_rebuilds(self):
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        built = {n: self.data(n) for n in ("questions.json", "questions.csv")}
        self.assertGreater(len(built["questions.json"]), 1 << 20)
        self.assertGreater(len(built["questions.csv"]), 1 << 20)
        # publish commits the same bytes.
        repo = os.path.join(self.dir, "repo")
        shutil.rmtree(repo, ignore_errors=True)
        p = subprocess.run(
            [CONGKHAI, "publish", "-C", self.content, "--theme", THEME,
             "--repo", repo, "--today", TODAY], env=self.env,
            capture_output=True, text=True, timeout=600)
        self.assertEqual(p.returncode, 0, p.stderr)
        for name, data in built.items():
            committed = subprocess.run(
                ["git", "-C", repo, "show", "HEAD:data/" + name],
                capture_output=True, check=True).stdout
            self.assertEqual(committed, data, name)
        # Nothing changed: nothing written (the manifest's hashes, made a
        # window at a time, are the one-shot hashes).
        r = self.build()
        self.assertEqual(self.stats(r)["written"], 0, r.stderr)
        # Without the manifest every file is read and compared by windows.
        shutil.rmtree(os.path.join(self.dir, "cache"))
        r = self.build()
        s = self.stats(r)
        self.assertEqual(s["written"], 0, r.stderr)
        self.assertEqual(s["compared"], s["files"])
        # One byte changed by hand, far into the file, size kept: found
        # and repaired, whether the manifest or the bytes say so.
        path = os.path.join(self.out, "data", "questions.json")
        with open(path, "r+b") as f:
            f.seek(len(built["questions.json"]) - 5000)
            c = f.read(1)
            f.seek(-1, 1)
            f.write(b"X" if c != b"X" else b"Y")
        r = self.build()
        self.assertEqual(self.stats(r)["written"], 1, r.stderr)
        self.assertEqual(self.data("questions.json"), built["questions.json"])

    @contextlib.contextmanager
    def sentence_added(self, sentence):
        """The first question of the first dialogue with a sentence
        appended, for the duration of the with block."""
        q = os.path.join(self.content, "dialogues")
        qdir = os.path.join(q, sorted(os.listdir(q))[0], "questions")
        qfile = os.path.join(qdir, sorted(os.listdir(qdir))[0])
        with open(qfile, encoding="utf-8") as f:
            text = f.read()
        try:
            with open(qfile, "a", encoding="utf-8") as f:
                f.write("\n" + sentence + "\n")
            yield
        finally:
            with open(qfile, "w", encoding="utf-8") as f:
                f.write(text)

    def publish(self, repo, tmpdir=None):
        """Publishes, the build's temporary files in tmpdir (by default
        the test's folder, the repository's file system); returns the
        result, the files streamed and those checked out from the build,
        and keeps in self.linked how many of those were linked in."""
        r = subprocess.run(
            [CONGKHAI, "publish", "-C", self.content, "--theme", THEME,
             "--repo", repo, "--today", TODAY, "--allow-dirty"],
            env=dict(self.env, CONGKHAI_PUBLISH_STATS="1",
                     TMPDIR=tmpdir or self.dir),
            capture_output=True, text=True, timeout=600)
        self.assertEqual(r.returncode, 0, r.stderr)
        m = re.search(r"streamed (\d+), checked out from the build (\d+) "
                      r"\(linked (\d+)\)", r.stderr)
        self.assertIsNotNone(m, r.stderr)
        self.linked = int(m.group(3))
        return r, int(m.group(1)), int(m.group(2))

    def assert_linked_in(self, repo):
        """The large files in the working tree are the build's temporary
        files given a name: one link each, a written file's mode."""
        umask = os.umask(0)
        os.umask(umask)
        for name in ("questions.json", "questions.csv"):
            st = os.stat(os.path.join(repo, "data", name))
            self.assertEqual(st.st_nlink, 1, name)
            self.assertEqual(st.st_mode & 0o777, 0o644 & ~umask, name)

    def assert_checkout_is_head(self, repo):
        """The working tree holds HEAD's large files, byte for byte, and
        git finds nothing changed and every object sound."""
        for name in ("questions.json", "questions.csv"):
            committed = subprocess.run(
                ["git", "-C", repo, "show", "HEAD:data/" + name],
                capture_output=True, check=True).stdout
            with open(os.path.join(repo, "data", name), "rb") as f:
                self.assertEqual(f.read(), committed, name)
            self.assertGreater(len(committed), 1 << 20)
        st = subprocess.run(["git", "-C", repo, "status", "--porcelain"],
                            capture_output=True, text=True, check=True)
        self.assertEqual(st.stdout, "")
        subprocess.run(["git", "-C", repo, "fsck", "--strict"],
                       capture_output=True, check=True)
        # The large blobs are in the open data's pack, read-only, named
        # by the memo; no temporary file is left beside them.
        objects = os.path.join(repo, ".git", "objects")
        listed = self.open_data_pack(repo)
        for name in ("questions.json", "questions.csv"):
            oid = subprocess.run(
                ["git", "-C", repo, "rev-parse", "HEAD:data/" + name],
                capture_output=True, text=True, check=True).stdout.strip()
            self.assertIn(oid, listed, name)
        for folder, _, files in os.walk(objects):
            self.assertEqual([f for f in files if f.startswith("tmp")], [],
                             folder)

    def open_data_pack(self, repo):
        """The objects of the pack the memo names, as git verify-pack -v
        lists them: id -> (depth, base id), (0, None) for a whole blob.
        The memo lists the same ids, and the pack is read-only."""
        with open(os.path.join(repo, ".git", "congkhai-open-data"),
                  encoding="ascii") as f:
            memo = f.read().splitlines()
        self.assertEqual(memo[0], "congkhai open-data pack 1")
        self.assertEqual(memo[-1], "end")
        name = memo[1].split()[1]
        pack = os.path.join(repo, ".git", "objects", "pack",
                            "pack-%s.pack" % name)
        self.assertEqual(os.stat(pack).st_mode & 0o777, 0o444)
        out = subprocess.run(["git", "verify-pack", "-v", pack[:-5] + ".idx"],
                             capture_output=True, text=True, check=True)
        listed = {}
        for line in out.stdout.splitlines():
            f = line.split()
            if len(f) >= 5 and f[1] == "blob":
                listed[f[0]] = (int(f[5]), f[6]) if len(f) == 7 else (0, None)
        self.assertEqual(sorted(listed), sorted(l.split()[0]
                                                for l in memo[2:-1]))
        return listed

    def deltas(self, r):
        m = re.search(r"open data deltas (\d+)", r.stderr)
        self.assertIsNotNone(m, r.stderr)
        return int(m.group(1))

    def committed_ids(self, repo, rev="HEAD"):
        return [subprocess.run(
            ["git", "-C", repo, "rev-parse", "%s:data/%s" % (rev, name)],
            capture_output=True, text=True, check=True).stdout.strip()
            for name in ("questions.json", "questions.csv")]

    def test_open_data_versions_are_deltas(self):
        """One question changed makes each of the two large files a delta
        of a few dozen bytes against the version before, in a pack that
        replaces the last; 16 in a row, then a version is stored whole in
        a pack of its own. Every version reads back as it was published,
        with git and after git gc, which the next publish copes with.
        Every question changed: whole, in the same pack."""
        repo = os.path.join(self.dir, "deltas")
        shutil.rmtree(repo, ignore_errors=True)
        r, streamed, _ = self.publish(repo)
        self.assertEqual((streamed, self.deltas(r)), (2, 0), r.stderr)
        q = os.path.join(self.content, "dialogues")
        qdir = os.path.join(q, sorted(os.listdir(q))[0], "questions")
        qfile = os.path.join(qdir, sorted(os.listdir(qdir))[0])
        with open(qfile, encoding="utf-8") as f:
            text = f.read()
        published = {}  # commit -> sha256 of each file in the checkout

        def snapshot():
            head = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"],
                                  capture_output=True, text=True,
                                  check=True).stdout.strip()
            published[head] = [hashlib.sha256(self.data_in(repo, n))
                               .hexdigest() for n in
                               ("questions.json", "questions.csv")]

        def packs():
            return sorted(f for f in os.listdir(os.path.join(
                repo, ".git", "objects", "pack")) if f.endswith(".pack"))
        snapshot()
        try:
            for k in range(1, 18):
                before = self.committed_ids(repo)
                with open(qfile, "a", encoding="utf-8") as f:
                    f.write("\nBổ sung lần %d.\n" % k)
                npacks = len(packs())
                r, streamed, _ = self.publish(repo)
                self.assertEqual(streamed, 2, r.stderr)
                listed = self.open_data_pack(repo)
                after = self.committed_ids(repo)
                snapshot()
                if k <= 16:
                    self.assertEqual(self.deltas(r), 2, r.stderr)
                    # Against the last version, one deeper each time:
                    # the pack it continued is gone (one pack more, the
                    # pages').
                    for old, new in zip(before, after):
                        self.assertEqual(listed[new], (k, old))
                    self.assertEqual(len(packs()), npacks + 1)
                else:
                    # A chain of 16 deltas: whole again, a pack of its
                    # own beside the last, which keeps the older ones.
                    self.assertEqual(self.deltas(r), 0, r.stderr)
                    self.assertEqual(sorted(listed), sorted(after))
                    self.assertEqual(len(packs()), npacks + 2)
            self.assert_checkout_is_head(repo)
            self.assert_every_version(repo, published)
            # git gc packs it all anew: the memo names a pack that is
            # gone, so the next version is stored whole, then deltas
            # again.
            subprocess.run(["git", "-C", repo, "gc", "-q"], check=True,
                           capture_output=True)
            for k, want in ((18, 0), (19, 2)):
                with open(qfile, "a", encoding="utf-8") as f:
                    f.write("\nBổ sung lần %d.\n" % k)
                r, _, _ = self.publish(repo)
                self.assertEqual(self.deltas(r), want, r.stderr)
                snapshot()
                self.assert_checkout_is_head(repo)
            # Three questions far apart (a day's commits): the bytes
            # between the first change and the last are cut by their
            # content and found again, so still deltas, of a few KB.
            dialogues = sorted(os.listdir(q))
            others = []
            for d in (dialogues[len(dialogues) // 2], dialogues[-1]):
                qd = os.path.join(q, d, "questions")
                others.append(os.path.join(qd, sorted(os.listdir(qd))[-1]))
            with restored(others):
                for path in [qfile] + others:
                    with open(path, "a", encoding="utf-8") as f:
                        f.write("\nMột câu thêm ở nơi khác.\n")
                before = self.committed_ids(repo)
                r, _, _ = self.publish(repo)
                self.assertEqual(self.deltas(r), 2, r.stderr)
                listed = self.open_data_pack(repo)
                for old, new in zip(before, self.committed_ids(repo)):
                    self.assertEqual(listed[new], (2, old))
                snapshot()
                self.assert_checkout_is_head(repo)
                self.assert_every_version(repo, published)
            # Every question changed: a delta would insert more than a
            # sixteenth of each file, so both are stored whole (under
            # the id computed before the delta was tried).
            every = [os.path.join(q, d, "questions", name)
                     for d in os.listdir(q)
                     for name in os.listdir(os.path.join(q, d, "questions"))]
            with restored(every):
                for path in every:
                    with open(path, "a", encoding="utf-8") as f:
                        f.write("\nMột đoạn thêm vào mọi câu hỏi, để hai "
                                "tệp lớn đổi ở khắp nơi.\n")
                r, _, _ = self.publish(repo)
                self.assertEqual(self.deltas(r), 0, r.stderr)
                listed = self.open_data_pack(repo)
                for new in self.committed_ids(repo):
                    self.assertEqual(listed[new], (0, None))
                snapshot()
                self.assert_checkout_is_head(repo)
                self.assert_every_version(repo, published)
        finally:
            with open(qfile, "w", encoding="utf-8") as f:
                f.write(text)

    def data_in(self, repo, name):
        with open(os.path.join(repo, "data", name), "rb") as f:
            return f.read()

    def assert_every_version(self, repo, published):
        """Each commit's large files read back (git show) as the
        checkout held them when it was published."""
        for commit, want in published.items():
            got = [hashlib.sha256(subprocess.run(
                ["git", "-C", repo, "show", "%s:data/%s" % (commit, n)],
                capture_output=True, check=True).stdout).hexdigest()
                for n in ("questions.json", "questions.csv")]
            self.assertEqual(got, want, commit)

    def test_publish_streams_the_large_files(self):
        repo = os.path.join(self.dir, "streamed")
        shutil.rmtree(repo, ignore_errors=True)
        r, streamed, copied = self.publish(repo)
        # questions.json and questions.csv: blobs written as they are
        # read, the working tree given the same temporary files (linked
        # in: the same file system).
        self.assertEqual((streamed, copied, self.linked), (2, 2, 2),
                         r.stderr)
        self.assert_checkout_is_head(repo)
        self.assert_linked_in(repo)
        with self.sentence_added("Một câu thêm cho bản công khai."):
            r, streamed, copied = self.publish(repo)
            self.assertEqual((streamed, copied, self.linked), (2, 2, 2),
                             r.stderr)
            self.assert_checkout_is_head(repo)
            self.assert_linked_in(repo)
            diff = subprocess.run(
                ["git", "-C", repo, "diff", "--name-only", "HEAD~1", "HEAD",
                 "--", "data/questions.json", "data/questions.csv"],
                capture_output=True, text=True, check=True).stdout.split()
            self.assertEqual(diff, ["data/questions.csv",
                                    "data/questions.json"])
            # Unchanged: nothing streamed, nothing committed.
            r, streamed, copied = self.publish(repo)
            self.assertIn("Nothing changed", r.stdout)
            self.assertEqual((streamed, copied), (0, 0), r.stderr)
            # Without the blob cache the large files are streamed again
            # (their blobs exist), and the tree is still the same.
            shutil.rmtree(os.path.join(repo, ".git", "congkhai"))
            r, streamed, copied = self.publish(repo)
            self.assertIn("Nothing changed", r.stdout)
            self.assertEqual((streamed, copied), (2, 0), r.stderr)
            self.assert_checkout_is_head(repo)

    def earlier(self, r):
        """(records reused, of how many) from CONGKHAI_BUILD_STATS, and
        (looked at early, by the index) from the publish's stats."""
        m = re.search(r"congkhai open data: (\d+) of (\d+) records reused",
                      r.stderr)
        e = re.search(r"earlier files: looked at early (\d+), by the index "
                      r"(\d+)", r.stderr)
        self.assertIsNotNone(m, r.stderr)
        self.assertIsNotNone(e, r.stderr)
        return (int(m.group(1)), int(m.group(2)),
                int(e.group(1)), int(e.group(2)))

    def test_publish_reuses_the_checkout_looked_at_early(self):
        """The checkout's questions.json and questions.csv, past a
        megabyte, are looked at before the first page (publish_early.c):
        the index is read once for both, ahead, and the open data reuses
        their records. One edited by hand in the checkout is not read,
        and the publication is still the build's, byte for byte."""
        repo = os.path.join(self.dir, "early")
        shutil.rmtree(repo, ignore_errors=True)
        self.publish(repo)
        with self.sentence_added("Một câu thêm, xem trước."):
            r, _, _ = self.publish(repo)
            reused, records, early, by_index = self.earlier(r)
            self.assertEqual((early, by_index), (2, 0), r.stderr)
            self.assertEqual(reused, records - 1, r.stderr)
            self.assert_checkout_is_head(repo)
        # A byte changed by hand, size kept, in the checkout's CSV: the
        # look finds it, so no record is reused from either file.
        path = os.path.join(repo, "data", "questions.csv")
        with open(path, "r+b") as f:
            f.seek(-5000, 2)
            c = f.read(1)
            f.seek(-1, 1)
            f.write(b"X" if c != b"X" else b"Y")
        r, _, _ = self.publish(repo)
        reused, records, early, by_index = self.earlier(r)
        self.assertEqual((reused, early, by_index), (0, 2, 0), r.stderr)
        self.assert_checkout_is_head(repo)
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        for name in ("questions.json", "questions.csv"):
            committed = subprocess.run(
                ["git", "-C", repo, "show", "HEAD:data/" + name],
                capture_output=True, check=True).stdout
            self.assertEqual(committed, self.data(name), name)

    def test_publish_copies_from_another_file_system(self):
        """Temporary files on another file system than the repository's
        cannot be linked in: they are copied, to the same effect."""
        other = "/dev/shm"
        if not os.path.isdir(other) or \
                os.stat(other).st_dev == os.stat(self.dir).st_dev or \
                not os.access(other, os.W_OK):
            self.skipTest("no writable folder on another file system "
                          "(/dev/shm)")
        import tempfile
        with tempfile.TemporaryDirectory(dir=other) as tmp:
            repo = os.path.join(self.dir, "copied")
            shutil.rmtree(repo, ignore_errors=True)
            r, streamed, copied = self.publish(repo, tmp)
            self.assertEqual((streamed, copied, self.linked), (2, 2, 0),
                             r.stderr)
            self.assert_checkout_is_head(repo)
            with self.sentence_added("Một câu thêm, chép sang."):
                r, streamed, copied = self.publish(repo, tmp)
                self.assertEqual((streamed, copied, self.linked),
                                 (2, 2, 0), r.stderr)
                self.assert_checkout_is_head(repo)
            shutil.rmtree(repo)

    def test_spooled_file_comes_in_as_written_ones(self):
        """A spooled file changed is linked into the output folder from
        its temporary file (the same file system here), with the mode a
        written file has under the umask, and the bytes of a build into
        an empty folder."""
        def build(out, umask, env=None):
            return subprocess.run(
                [CONGKHAI, "build", "-C", self.content, "--theme", THEME,
                 "-o", out, "--today", TODAY], env=env or self.env,
                capture_output=True, text=True, timeout=600,
                preexec_fn=lambda: os.umask(umask))
        r = build(self.out, 0o022)
        self.assertEqual(r.returncode, 0, r.stderr)
        env = dict(self.env, TMPDIR=self.dir)
        with self.sentence_added("Một câu thêm nữa."):
            r = build(self.out, 0o027, env)
            self.assertEqual(r.returncode, 0, r.stderr)
            fresh = os.path.join(self.dir, "fresh")
            shutil.rmtree(fresh, ignore_errors=True)
            r = build(fresh, 0o022, dict(env, CONGKHAI_NO_KEEP="1"))
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(tree_snapshot(self.out), tree_snapshot(fresh))
        for name in ("questions.json", "questions.csv",
                     os.path.join("doi-thoai", sorted(os.listdir(
                         os.path.join(self.out, "data", "doi-thoai")))[0])):
            st = os.stat(os.path.join(self.out, "data", name))
            self.assertEqual(st.st_mode & 0o777, 0o640, name)
            self.assertEqual(st.st_nlink, 1, name)

    def test_unwritable_temporary_folder_changes_nothing(self):
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        before = tree_snapshot(self.out)
        ids = identities(self.out)
        # Content that changes questions.json, spooled into a folder that
        # does not exist.
        with self.sentence_added("Một câu thêm."):
            env = dict(self.env, TMPDIR=os.path.join(self.dir, "none"))
            r = self.build(env)
            self.assertEqual(r.returncode, 3, r.stderr)
            self.assertIn("temporary file", r.stderr)
            self.assertEqual(tree_snapshot(self.out), before)
            self.assertEqual(identities(self.out), ids)
