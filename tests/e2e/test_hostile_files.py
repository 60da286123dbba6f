"""Files that must never be published, and input that cannot be read.

congkhai reads only regular files and folders that resolve inside the
content folder (static files: inside content/static; the theme: inside the
theme folder). A symbolic link leaving it, a link loop, a FIFO is a
`path:1:1: error:`, exit 1; a folder or file it cannot read is exit 3. In
every case the output folder is unchanged and the site repository's branch
does not move (checked with the real git command). File and folder names
holding a phone or ID number are errors too: names become web addresses.
"""
import os
import re
import shutil
import subprocess
import unittest

from helpers import CONGKHAI, FIXTURES, THEME, tmpdir, tree_snapshot, write

TODAY = "2025-07-01"
DLG = "content/dialogues/hoi-nghi-2025"
QDIR = DLG + "/questions"
QUESTION = """---
hamlet: thon-1
topic: dat-dai
channel: written
received: 2025-06-20
---
Câu hỏi này nằm ngoài thư mục nội dung.
"""

IS_ROOT = os.geteuid() == 0
# Root ignores file modes, so an unreadable folder is only unreadable for
# another user: run the program as nobody (util-linux setpriv).
AS_NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup",
             "--clear-groups"]


class Base(unittest.TestCase):
    """A commune (the minimal fixture) already built to site/ and published
    to pub/, so that a failed run has something to leave untouched."""

    user = []  # command prefix: who runs congkhai and git

    def setUp(self):
        self.dir = tmpdir(self)
        os.chmod(self.dir, 0o777)
        shutil.copytree(os.path.join(FIXTURES, "minimal"),
                        self.path("content"))
        write(self.path("content", "static", "bien-ban.pdf"), "%PDF-1.4\n")
        # Secrets outside the content folder that must never be published.
        write(self.path("outside", "secret.txt"), "MẬT KHẨU: hunter2\n")
        write(self.path("outside", "q.md"), QUESTION)
        write(self.path("outside", "dlg", "index.md"),
              open(self.path(DLG, "index.md"), encoding="utf-8").read())
        subprocess.run(["chmod", "-R", "a+rwX", self.dir], check=True)
        self.env = dict(os.environ)
        self.env.update({
            "HOME": self.dir, "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CEILING_DIRECTORIES": os.path.dirname(self.dir),
            "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.invalid",
            "GIT_COMMITTER_NAME": "Test",
            "GIT_COMMITTER_EMAIL": "t@example.invalid", "LC_ALL": "C.UTF-8"})
        for k in ("SOURCE_DATE_EPOCH", "GIT_DIR", "GIT_WORK_TREE",
                  "GIT_INDEX_FILE"):
            self.env.pop(k, None)
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.publish()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.site_before = tree_snapshot(self.path("site"))
        self.pub_before = tree_snapshot(self.path("pub"))
        self.head_before = self.head()

    def path(self, *rel):
        return os.path.join(self.dir, *rel)

    def congkhai(self, *args):
        # The timeout turns a FIFO opened for reading (which blocks for
        # ever) into a failure instead of a hung test run.
        return subprocess.run(self.user + [CONGKHAI] + list(args),
                              cwd=self.dir, env=self.env, text=True,
                              capture_output=True, timeout=60)

    def build(self):
        return self.congkhai("build", "-C", "content", "--theme", THEME,
                             "-o", "site", "--today", TODAY)

    def check(self):
        return self.congkhai("check", "-C", "content", "--today", TODAY)

    def publish(self):
        return self.congkhai("publish", "-C", "content", "--theme", THEME,
                             "--repo", "pub", "--today", TODAY)

    def head(self):
        r = subprocess.run(self.user + ["git", "-C", self.path("pub"),
                                        "rev-parse", "refs/heads/main"],
                           env=self.env, capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.strip()

    def assert_refused(self, path, message, code=1):
        """check, build and publish fail with `path:1:1: error: message`
        and exit code, leaving site/ and pub/ (files and branch) as they
        were."""
        for what, r in (("check", self.check()), ("build", self.build()),
                        ("publish", self.publish())):
            self.assertEqual(r.returncode, code,
                             "%s: %s" % (what, r.stderr))
            want = re.compile(r"^%s:1:1: error: %s" % (re.escape(path),
                                                       message))
            self.assertTrue(any(want.search(l)
                                for l in r.stderr.splitlines()),
                            "%s: no %s:1:1: error: %s in\n%s" %
                            (what, path, message, r.stderr))
            self.assertNotIn("hunter2", r.stdout + r.stderr)
        self.assertEqual(tree_snapshot(self.path("site")), self.site_before,
                         "a failed build changed the output folder")
        self.assertEqual(self.head(), self.head_before,
                         "a failed publish moved the branch")
        self.assertEqual(tree_snapshot(self.path("pub")), self.pub_before,
                         "a failed publish changed the repository's files")


class Symlinks(Base):
    def link(self, target, *rel):
        os.makedirs(os.path.dirname(self.path(*rel)), exist_ok=True)
        os.symlink(target, self.path(*rel))

    def test_static_link_to_etc_passwd(self):
        self.link("/etc/passwd", "content", "static", "passwd.txt")
        self.assert_refused("content/static/passwd.txt",
                            r"symbolic link to '/etc/passwd', outside the "
                            r"static folder")

    def test_static_link_to_proc_environ(self):
        self.link("/proc/self/environ", "content", "static", "env.txt")
        self.assert_refused("content/static/env.txt",
                            r"symbolic link to '/proc/[^']*environ', outside")

    def test_static_link_to_a_file_outside(self):
        self.link("../../outside/secret.txt", "content", "static", "s.txt")
        self.assert_refused("content/static/s.txt",
                            r"symbolic link to '[^']*/outside/secret.txt', "
                            r"outside the static folder")

    def test_static_link_to_a_folder_outside(self):
        self.link(self.path("outside"), "content", "static", "tai-lieu")
        self.assert_refused("content/static/tai-lieu",
                            r"symbolic link to '[^']*/outside', outside")

    def test_static_folder_itself_a_link_outside(self):
        shutil.rmtree(self.path("content", "static"))
        self.link(self.path("outside"), "content", "static")
        self.assert_refused("content/static",
                            r"symbolic link to '[^']*/outside', outside the "
                            r"content folder")

    def test_static_link_to_a_record_with_private_data(self):
        # Inside content/, but a static file is published verbatim: this
        # would publish the question's private block (a phone number).
        self.link("../dialogues/hoi-nghi-2025/questions/001.md",
                  "content", "static", "cau-hoi.md")
        self.assert_refused("content/static/cau-hoi.md",
                            r"symbolic link to '[^']*/questions/001.md', "
                            r"outside the static folder")

    def test_link_loop(self):
        self.link("vong-2", "content", "static", "vong-1")
        self.link("vong-1", "content", "static", "vong-2")
        self.assert_refused("content/static/vong-1", r"symbolic link loop")

    def test_folder_link_back_up(self):
        # Resolves inside static/, but walking it would never end.
        self.link("..", "content", "static", "anh", "len")
        self.assert_refused("content/static/anh/len", r"symbolic link loop")

    def test_question_file_link_outside(self):
        self.link(self.path("outside", "q.md"), *QDIR.split("/"), "003.md")
        self.assert_refused(QDIR + "/003.md",
                            r"symbolic link to '[^']*/outside/q.md', "
                            r"outside the content folder")

    def test_dialogue_folder_link_outside(self):
        self.link(self.path("outside", "dlg"), "content", "dialogues",
                  "ngoai")
        self.assert_refused("content/dialogues/ngoai",
                            r"symbolic link to '[^']*/outside/dlg', outside")

    def test_page_link_to_etc_passwd(self):
        self.link("/etc/passwd", "content", "pages", "mat-khau.md")
        self.assert_refused("content/pages/mat-khau.md",
                            r"symbolic link to '/etc/passwd', outside the "
                            r"content folder")

    def test_dangling_link(self):
        self.link("khong-co.pdf", "content", "static", "mat.pdf")
        self.assert_refused("content/static/mat.pdf",
                            r"symbolic link to nothing")

    def test_fifo_in_static(self):
        os.mkfifo(self.path("content", "static", "ong.pdf"))
        self.assert_refused("content/static/ong.pdf",
                            r"not a regular file or folder")

    def test_theme_asset_link_outside(self):
        theme = self.path("theme")
        shutil.copytree(THEME, theme)
        os.symlink("/etc/passwd", os.path.join(theme, "assets", "pw.css"))
        r = self.congkhai("build", "-C", "content", "--theme", theme,
                          "-o", "site", "--today", TODAY)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("%s/assets/pw.css:1:1: error: symbolic link to "
                      "'/etc/passwd', outside the theme folder" % theme,
                      r.stderr)
        self.assertEqual(tree_snapshot(self.path("site")), self.site_before)

    def test_theme_template_link_outside(self):
        theme = self.path("theme")
        shutil.copytree(THEME, theme)
        os.symlink("/etc/passwd",
                   os.path.join(theme, "templates", "chan-trang.mustache"))
        r = self.congkhai("build", "-C", "content", "--theme", theme,
                          "-o", "site", "--today", TODAY)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("chan-trang.mustache:1:1: error: symbolic link to "
                      "'/etc/passwd', outside", r.stderr)
        self.assertNotIn("root:", r.stdout + r.stderr)
        self.assertEqual(tree_snapshot(self.path("site")), self.site_before)

    def test_links_that_stay_inside_are_allowed(self):
        # Documented: a link that resolves inside its folder is read like
        # the file it names (static: inside static/; records: inside
        # content/).
        self.link("bien-ban.pdf", "content", "static", "ban-sao.pdf")
        os.makedirs(self.path("content", "static", "2025"))
        self.link("../bien-ban.pdf", "content", "static", "2025", "bb.pdf")
        self.link("002.md", *QDIR.split("/"), "003.md")
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        for rel in ("ban-sao.pdf", "2025/bb.pdf"):
            with open(self.path("site", "static", rel), "rb") as f:
                self.assertEqual(f.read(), b"%PDF-1.4\n")
            self.assertFalse(os.path.islink(self.path("site", "static", rel)))
        self.assertTrue(os.path.isfile(self.path(
            "site", "doi-thoai", "hoi-nghi-2025", "003", "index.html")),
            "the linked question was not published")


class PersonalDataInNames(Base):
    def assert_name_refused(self, path, kind):
        self.assert_refused(path, r"personal data in the file name \(%s\)"
                            % kind)

    def test_dialogue_folder_with_phone(self):
        shutil.copytree(self.path(DLG),
                        self.path("content", "dialogues", "hoi-0912345678"))
        self.assert_name_refused("content/dialogues/hoi-0912345678",
                                 "phone number")

    def test_question_file_is_a_phone(self):
        write(self.path(QDIR, "0912345678.md"), QUESTION)
        self.assert_name_refused(QDIR + "/0912345678.md", "phone number")

    def test_page_with_phone(self):
        shutil.copy(self.path("content", "pages", "gioi-thieu.md"),
                    self.path("content", "pages", "lien-he-0912345678.md"))
        self.assert_name_refused("content/pages/lien-he-0912345678.md",
                                 "phone number")

    def test_static_file_with_citizen_id(self):
        write(self.path("content", "static", "cccd-025085001234.pdf"), "x")
        self.assert_name_refused("content/static/cccd-025085001234.pdf",
                                 "citizen ID number")

    def test_static_folder_with_phone(self):
        write(self.path("content", "static", "0912345678", "don.pdf"), "x")
        self.assert_name_refused("content/static/0912345678",
                                 "phone number")

    def test_ordinary_numbers_pass(self):
        write(self.path(QDIR, "2025.md"), QUESTION)
        write(self.path("content", "static", "bao-cao-2025.pdf"), "x")
        write(self.path("content", "static", "001", "a.pdf"), "x")
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.exists(
            self.path("site", "static", "bao-cao-2025.pdf")))
        self.assertTrue(os.path.exists(
            self.path("site", "static", "001", "a.pdf")))


@unittest.skipIf(IS_ROOT and shutil.which("setpriv") is None,
                 "running as root without setpriv: root reads any file, so "
                 "an unreadable folder cannot be made")
class Unreadable(Base):
    """An unreadable folder or file is an I/O failure (exit 3), never an
    empty folder: before the fix, publish committed the removal of every
    question."""

    user = AS_NOBODY if IS_ROOT else []

    def setUp(self):
        super().setUp()
        if IS_ROOT:
            # The site and repository belong to the user running the test
            # program, so that only the unreadable input can stop it.
            self.assertEqual(os.stat(self.path("pub")).st_uid,
                             os.stat(self.path("site")).st_uid)
            self.assertNotEqual(os.stat(self.path("pub")).st_uid, 0)

    def make_unreadable(self, *rel):
        p = self.path(*rel)
        os.chmod(p, 0)
        self.addCleanup(os.chmod, p, 0o755)
        # Prove the user the program runs as really gets EACCES here.
        r = subprocess.run(self.user + ["cat" if os.path.isfile(p) else "ls",
                                        p], capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("Permission denied", r.stderr)

    def test_unreadable_dialogues_folder(self):
        self.make_unreadable("content", "dialogues")
        self.assert_refused("content/dialogues",
                            r"cannot read: Permission denied", code=3)

    def test_unreadable_questions_folder(self):
        self.make_unreadable(*QDIR.split("/"))
        self.assert_refused(QDIR, r"cannot read: Permission denied", code=3)

    def test_unreadable_question_file(self):
        self.make_unreadable(*(QDIR + "/002.md").split("/"))
        self.assert_refused(QDIR + "/002.md",
                            r"cannot read: Permission denied", code=3)

    def test_unreadable_static_folder(self):
        self.make_unreadable("content", "static")
        self.assert_refused("content/static",
                            r"cannot read: Permission denied", code=3)


if __name__ == "__main__":
    unittest.main()
