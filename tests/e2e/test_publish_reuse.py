"""congkhai publish reuses what git already has, checked with the real git
command: new objects arrive as one pack (no loose objects for the pages),
a second publish after one change writes exactly the objects the new
commit adds and hashes only the changed files (the blob cache in
.git/congkhai/blobcache gives the rest), the working tree is touched only
where it changed, and a stale, damaged or missing cache never gives a tree
other than a plain build's (nor another commit id)."""
import os
import re
import shutil
import subprocess

from test_publish import Base, Q_NEW

STATS = {"CONGKHAI_PUBLISH_STATS": "1"}
PAGE = "doi-thoai/doi-thoai-quy-1-2027/001/index.html"
UNTOUCHED = "doi-thoai/doi-thoai-2025/001/index.html"


class Reuse(Base):
    def stats(self, r):
        """The numbers of the stats line publish prints on stderr."""
        m = re.search(r"stats: cache (\w+), files (\d+), reused (\d+), "
                      r"hashed (\d+), new blobs (\d+), tree (\w+)", r.stderr)
        self.assertIsNotNone(m, "no stats line in: " + r.stderr)
        return {"cache": m.group(1), "files": int(m.group(2)),
                "reused": int(m.group(3)), "hashed": int(m.group(4)),
                "new": int(m.group(5)), "tree": m.group(6)}

    def count_objects(self, repo):
        out = self.out(repo, "count-objects", "-v")
        return {k: int(v) for k, v in
                (line.split(": ") for line in out.splitlines())}

    def packs(self, repo):
        d = os.path.join(repo, ".git", "objects", "pack")
        return {f for f in os.listdir(d) if f.endswith(".idx")}

    def pack_objects(self, repo, idx):
        """The ids in a pack's index, read by git show-index."""
        with open(os.path.join(repo, ".git", "objects", "pack", idx),
                  "rb") as f:
            data = f.read()
        r = subprocess.run(
            ["git", "-C", repo, "show-index"], input=data,
            capture_output=True, check=True)
        return {line.split()[1] for line in r.stdout.decode().splitlines()}

    def loose_objects(self, repo):
        d = os.path.join(repo, ".git", "objects")
        found = set()
        for sub in os.listdir(d):
            if len(sub) == 2:
                found |= {sub + f for f in os.listdir(os.path.join(d, sub))}
        return found

    def edit_question(self):
        self.edit(Q_NEW, "assigned_to: hanh-chinh-cong\n",
                  "assigned_to: hanh-chinh-cong\nanswer:\n  by: Chủ tịch "
                  "UBND xã\n  date: 2026-11-16\n")
        with open(self.path(Q_NEW), "a", encoding="utf-8") as f:
            f.write("\n## Trả lời\n\nĐã có trong cơ sở dữ liệu.\n")

    def test_one_pack_and_only_the_changes(self):
        site = self.path("site")
        r = self.publish(env=STATS)
        self.assertEqual(r.returncode, 0, r.stderr)
        counts = self.count_objects(site)
        # Every object of the first commit is in one pack, none loose.
        self.assertEqual(counts["count"], 0, counts)
        self.assertEqual(counts["packs"], 1, counts)
        every = set(self.out(site, "rev-list", "--objects",
                             "main").split("\n"))
        self.assertEqual(counts["in-pack"], len(every))
        self.fsck(site)
        first = self.stats(r)
        self.assertEqual(first["cache"], "absent")
        self.assertEqual(first["hashed"], first["files"])
        self.assertTrue(os.path.isfile(
            os.path.join(site, ".git", "congkhai", "blobcache")))
        packs_before = self.packs(site)
        before = os.stat(os.path.join(site, UNTOUCHED))

        # One question changes: only its files are hashed, and the new
        # pack holds exactly what the new commit adds.
        self.edit_question()
        built = self.build("built")
        r = self.publish(env=STATS)
        self.assertEqual(r.returncode, 0, r.stderr)
        second = self.stats(r)
        self.assertEqual(second["cache"], "valid")
        self.assertEqual(second["tree"], "edited")
        # (Not the files removed: a report's list that now counts
        # nothing, such as its unanswered questions, goes.)
        changed = self.out(site, "diff", "--name-only", "--diff-filter=d",
                           "main^", "main").split("\n")
        self.assertIn(PAGE, changed)
        self.assertIn("data/questions.json", changed)
        self.assertEqual(second["hashed"], len(changed))
        self.assertEqual(second["new"], len(changed))
        self.assertEqual(second["reused"], second["files"] - len(changed))
        added = set(self.out(site, "rev-list", "--objects", "main",
                             "^main^").split("\n"))
        added = {line.split()[0] for line in added}
        new_packs = self.packs(site) - packs_before
        self.assertEqual(len(new_packs), 1)
        self.assertEqual(self.pack_objects(site, min(new_packs)), added)
        self.assertEqual(self.loose_objects(site), set())
        self.assert_tree_is(site, "main", built)
        self.fsck(site)
        # The working tree: the changed page rewritten, an unchanged one
        # left as it was (same inode, same time), status clean.
        after = os.stat(os.path.join(site, UNTOUCHED))
        self.assertEqual((before.st_ino, before.st_mtime_ns),
                         (after.st_ino, after.st_mtime_ns))
        with open(os.path.join(site, PAGE), "rb") as f:
            self.assertEqual(f.read(), built[PAGE])
        self.assertEqual(self.out(site, "status", "--porcelain",
                                  "--ignored"), "")

        # Nothing new: nothing hashed, nothing written.
        r = self.publish(env=STATS)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Nothing changed", r.stdout)
        third = self.stats(r)
        self.assertEqual((third["cache"], third["hashed"], third["new"]),
                         ("valid", 0, 0))
        self.assertEqual(len(self.packs(site) - packs_before), 1)
        self.assertEqual(self.loose_objects(site), set())

    def test_removed_and_added_pages(self):
        site = self.path("site")
        self.assertEqual(self.publish().returncode, 0)
        # A whole dialogue goes (its folders must go from the tree), one
        # question comes.
        shutil.rmtree(self.path("content/dialogues/doi-thoai-2025"))
        q2 = Q_NEW.replace("001.md", "002.md")
        with open(self.path(q2), "w", encoding="utf-8") as f:
            f.write("---\nhamlet: minh-khai\ntopic: thu-tuc-hanh-chinh\n"
                    "channel: registered\nreceived: 2026-11-12\n---\n\n"
                    "Xin hỏi về giờ làm việc của Trung tâm.\n")
        built = self.build("built")
        r = self.publish(env=STATS)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_tree_is(site, "main", built)
        self.assertFalse(os.path.exists(self.path("site/doi-thoai/"
                                                  "doi-thoai-2025")))
        self.assertEqual(self.out(site, "status", "--porcelain",
                                  "--ignored"), "")
        self.fsck(site)
        self.assertEqual(self.stats(r)["tree"], "edited")

    def test_stale_damaged_or_missing_cache(self):
        site = self.path("site")
        cache = os.path.join(site, ".git", "congkhai", "blobcache")
        self.assertEqual(self.publish().returncode, 0)

        # Someone commits to the branch with git: the cache names another
        # commit and is ignored, so the page they broke is restored.
        with open(os.path.join(site, "index.html"), "w") as f:
            f.write("hỏng\n")
        self.git(site, "commit", "-q", "-am", "sửa tay")
        built = self.build("built")
        r = self.publish(env=STATS)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_tree_is(site, "main", built)
        self.assertEqual(self.stats(r)["cache"], "stale")

        # One byte changed anywhere in the cache (here a blob id of an
        # entry), or the cache cut short: ignored.
        for damage in ("byte", "truncate", "commit"):
            self.edit_question()
            with open(cache, "rb") as f:
                data = f.read()
            if damage == "byte":
                at = data.index(b" index.html\0") - 1
                data = data[:at] + (b"0" if data[at:at + 1] != b"0"
                                    else b"1") + data[at + 1:]
            elif damage == "truncate":
                data = data[:len(data) // 2]
            else:
                head = self.out(site, "rev-parse", "main^")
                data = re.sub(rb"commit [0-9a-f]{40}",
                              b"commit " + head.encode(), data, count=1)
            with open(cache, "wb") as f:
                f.write(data)
            built = self.build("built")
            r = self.publish(env=STATS)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assert_tree_is(site, "main", built)
            self.fsck(site)
            self.assertEqual(self.stats(r)["cache"], "damaged", damage)
            shutil.rmtree(self.path("built"))
            # Undo the edit for the next round.
            shutil.rmtree(self.path("content"))
            shutil.copytree(os.path.join(os.path.dirname(os.path.dirname(
                os.path.dirname(os.path.abspath(__file__)))), "content"),
                self.path("content"))
            r = self.publish(env=STATS)
            self.assertEqual(r.returncode, 0, r.stderr)

    def test_hand_edits_in_the_checkout_are_repaired(self):
        """The checkout's files are compared with what was checked out
        (size and time, on several threads, relative to the folder two
        levels up): a page edited or removed by hand in the working tree
        comes back with the next publish, and so do the pages of a folder
        removed, or replaced by a file or by a link to a changed copy; a
        changed page is not written through a link."""
        site = self.path("site")
        self.assertEqual(self.publish().returncode, 0)
        with open(os.path.join(site, UNTOUCHED), "ab") as f:
            f.write("<!-- sửa tay -->\n".encode())
        os.remove(os.path.join(site, "index.html"))
        # A question's folder gone; a dialogue's folder (the one the
        # look holds open) gone; another replaced by a file; another by
        # a link to a copy in which a page was edited.
        d = os.path.join(site, "doi-thoai")
        shutil.rmtree(os.path.join(d, "doi-thoai-2025", "002"))
        shutil.rmtree(os.path.join(d, "tiep-cong-dan-thang-10-2026"))
        shutil.rmtree(os.path.join(d, "tiep-xuc-cum-bac-quy-1-2026"))
        with open(os.path.join(d, "tiep-xuc-cum-bac-quy-1-2026"), "w") as f:
            f.write("không phải thư mục\n")
        linked = os.path.join(d, "tiep-xuc-dong-cham-go-mit-2026")
        shutil.copytree(linked, self.path("elsewhere"))
        with open(self.path("elsewhere", "003", "index.html"), "ab") as f:
            f.write(b"<!-- edited -->\n")
        shutil.rmtree(linked)
        os.symlink(self.path("elsewhere"), linked)
        # The open data's folder replaced by a link to a copy in which
        # questions.json was changed, keeping its size and time: the
        # link goes, and the files published are the built ones.
        data = os.path.join(site, "data")
        shutil.copytree(data, self.path("elsewhere-data"))
        fake = self.path("elsewhere-data", "questions.json")
        st = os.stat(fake)
        with open(fake, "r+b") as f:
            text = f.read()
            f.seek(0)
            f.write(text.replace(b"\u0110", b"\u0111", 1)
                    if b"\u0110" in text else text.replace(b"a", b"b", 1))
        os.utime(fake, ns=(st.st_atime_ns, st.st_mtime_ns))
        self.assertEqual(os.stat(fake).st_size, st.st_size)
        shutil.rmtree(data)
        os.symlink(self.path("elsewhere-data"), data)
        # The folder of the question about to change, replaced by a link
        # to a copy: the look does not see it (its files look the same
        # through it), but the new page is not written through it.
        qdir = os.path.join(site, os.path.dirname(PAGE))
        shutil.copytree(qdir, self.path("elsewhere-q"))
        with open(self.path("elsewhere-q", "index.html"), "rb") as f:
            copied = f.read()
        shutil.rmtree(qdir)
        os.symlink(self.path("elsewhere-q"), qdir)
        gone = [p for p in self.out(site, "ls-files").splitlines()
                if p.startswith(("doi-thoai/doi-thoai-2025/002/", "data/",
                                 "doi-thoai/tiep-cong-dan-thang-10-2026/",
                                 "doi-thoai/tiep-xuc-cum-bac-quy-1-2026/",
                                 "doi-thoai/tiep-xuc-dong-cham-go-mit-"
                                 "2026/"))]
        self.assertGreater(len(gone), 10)
        self.edit_question()
        built = self.build("built")
        r = self.publish(env=STATS)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_tree_is(site, "main", built)
        self.assertFalse(os.path.islink(linked))
        self.assertFalse(os.path.islink(data))
        self.assertFalse(os.path.islink(qdir))
        with open(self.path("elsewhere-q", "index.html"), "rb") as f:
            self.assertEqual(f.read(), copied)
        self.assertNotEqual(copied, built[PAGE])
        for page in [UNTOUCHED, "index.html", PAGE] + gone:
            with open(os.path.join(site, page), "rb") as f:
                self.assertEqual(f.read(), built[page], page)
        # The link was replaced, not followed: the copy is as it was.
        with open(self.path("elsewhere", "003", "index.html"), "rb") as f:
            self.assertTrue(f.read().endswith(b"<!-- edited -->\n"))
        self.assertEqual(self.out(site, "status", "--porcelain",
                                  "--ignored"), "")

    def test_files_edited_keeping_size_and_time_are_repaired(self):
        """A file of the checkout rewritten in place with its size and
        modification time put back (touch -r) still has a new change time,
        as git status sees it: a page so edited is checked out again, and
        the open data is not made from such a questions.json."""
        site = self.path("site")
        self.assertEqual(self.publish().returncode, 0)

        def forge(rel, old, new):
            path = os.path.join(site, rel)
            st = os.stat(path)
            with open(path, "r+b") as f:
                text = f.read()
                self.assertIn(old, text)
                self.assertEqual(len(old), len(new))
                f.seek(0)
                f.write(text.replace(old, new, 1))
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
            after = os.stat(path)
            self.assertEqual((after.st_ino, after.st_size, after.st_mtime_ns),
                             (st.st_ino, st.st_size, st.st_mtime_ns))
        forge(UNTOUCHED, b"<title>", b"<TITLE>")
        forge("data/questions.json", b'"id"', b'"ID"')
        self.edit_question()
        built = self.build("built")
        r = self.publish(env=STATS)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_tree_is(site, "main", built)
        for page in (UNTOUCHED, "data/questions.json"):
            with open(os.path.join(site, page), "rb") as f:
                self.assertEqual(f.read(), built[page], page)
        self.assertEqual(self.out(site, "status", "--porcelain"), "")

    def test_same_commit_with_or_without_cache(self):
        env = dict(STATS, SOURCE_DATE_EPOCH="1763600000")
        for name in ("a", "b"):
            r = self.publish("--repo", name, env=env)
            self.assertEqual(r.returncode, 0, r.stderr)
        # b forgets its cache: it hashes everything and writes the tree
        # whole; a edits its previous tree. Same commit.
        os.remove(self.path("b", ".git", "congkhai", "blobcache"))
        self.edit_question()
        ids, kinds = [], []
        for name in ("a", "b"):
            r = self.publish("--repo", name, env=env)
            self.assertEqual(r.returncode, 0, r.stderr)
            kinds.append(self.stats(r)["tree"])
            ids.append(self.out(self.path(name), "rev-parse", "main"))
        self.assertEqual(kinds, ["edited", "whole"])
        self.assertEqual(ids[0], ids[1])
        self.fsck(self.path("a"))
