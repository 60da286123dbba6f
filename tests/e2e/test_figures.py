"""Honest figures (issue #9, item 3): every count a page shows as a link
(marked data-count="N" in the templates) leads to a list (data-list) that
holds exactly N items (data-item), following a list's later pages (rel=next)
and, for a link to an anchor (#qua-han), counting only inside that element.
Checked on the example commune's home, dialogue, list and statistics pages,
parsed with html.parser: what a citizen would count by hand."""
import html.parser
import os
import re
import unittest
import urllib.parse

from helpers import EXAMPLE, THEME, run, tmpdir, read_json

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children = []
        self.text = []

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def all_text(self):
        return "".join(n2 for n in self.walk() for n2 in n.text)


class Tree(html.parser.HTMLParser):
    """A page as a tree of elements (enough for the theme's own HTML)."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.cur = self.root
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.text.append(data)

    def find_id(self, ident):
        return [n for n in self.root.walk() if n.attrs.get("id") == ident]


def items_in(node):
    return sum(1 for n in node.walk() if "data-item" in n.attrs)


class Site:
    def __init__(self, out):
        self.out = out
        self.cache = {}

    def tree(self, rel):
        if rel not in self.cache:
            with open(os.path.join(self.out, rel), encoding="utf-8") as f:
                self.cache[rel] = Tree(f.read())
        return self.cache[rel]

    def resolve(self, page, href):
        url = urllib.parse.urlsplit(href)
        path = url.path
        target = page if path == "" else os.path.normpath(
            os.path.join(os.path.dirname(page), urllib.parse.unquote(path)))
        return target, url.fragment

    def count_list(self, page, fragment):
        """Items of the list a link leads to, over all its pages."""
        t = self.tree(page)
        if fragment:
            found = t.find_id(fragment)
            if len(found) != 1:
                raise AssertionError("%s#%s: %d elements with that id"
                                     % (page, fragment, len(found)))
            return items_in(found[0])
        lists = [n for n in t.root.walk() if "data-list" in n.attrs]
        if len(lists) != 1:
            raise AssertionError("%s: %d lists (data-list), want one"
                                 % (page, len(lists)))
        n = items_in(lists[0])
        nxt = [x for x in t.root.walk()
               if x.tag == "a" and x.attrs.get("rel") == "next"]
        if nxt:
            target, _ = self.resolve(page, nxt[0].attrs["href"])
            n += self.count_list(target, "")
        return n

    def counts(self, page):
        """(href, number shown, text) of every counted link on page."""
        out = []
        for n in self.tree(page).root.walk():
            if n.tag == "a" and "data-count" in n.attrs:
                out.append((n.attrs["href"], int(n.attrs["data-count"]),
                            n.all_text()))
        return out


def build(testcase, today):
    d = tmpdir(testcase)
    out = os.path.join(d, "site")
    r = run(["build", "-C", EXAMPLE, "--theme", THEME, "-o", out,
             "--today", today])
    testcase.assertEqual(r.returncode, 0, r.stderr)
    return out


class FiguresTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._holder = unittest.TestCase()
        cls.out = build(cls._holder, "2027-01-15")
        cls.site = Site(cls.out)

    @classmethod
    def tearDownClass(cls):
        cls._holder.doCleanups()

    def pages(self):
        out = ["index.html", "doi-thoai/index.html", "thong-ke/index.html",
               "trang-thai/qua-han/index.html", "cau-hoi/index.html",
               "trang-thai/chua-xong/index.html"]
        for top in ("doi-thoai", "linh-vuc", "thon", "trang-thai"):
            for name in sorted(os.listdir(os.path.join(self.out, top))):
                p = os.path.join(top, name, "index.html")
                if os.path.isfile(os.path.join(self.out, p)):
                    out.append(p)
        return out

    def test_every_count_links_to_a_list_of_exactly_that_many(self):
        checked = 0
        for page in self.pages():
            for href, n, text in self.site.counts(page):
                target, frag = self.site.resolve(page, href)
                got = self.site.count_list(target, frag)
                self.assertEqual(
                    got, n, "%s: '%s' (%d) leads to %s#%s listing %d"
                    % (page, " ".join(text.split()), n, target, frag, got))
                # The number the reader sees is the number counted.
                self.assertIn(str(n), text.split() + re.findall(r"\d+", text),
                              "%s: %r" % (page, text))
                checked += 1
        # The home page alone has the tiles and three lists of groups.
        self.assertGreater(checked, 60)

    def test_home_counts_say_what_they_count(self):
        data = read_json(os.path.join(self.out, "data", "questions.json"))
        qs = data["questions"]
        tiles = {" ".join(t.split()): (h, n)
                 for h, n, t in self.site.counts("index.html")}
        open_n = sum(1 for q in qs if q["open"])
        label = [k for k in tiles if "chưa xong" in k]
        self.assertEqual(len(label), 1, tiles)
        self.assertEqual(tiles[label[0]][1], open_n)
        # Answered and resolved are told apart, never lumped as "done".
        by = {}
        for q in qs:
            by[q["status"]] = by.get(q["status"], 0) + 1
        ans = [k for k in tiles if k.endswith("(giải thích, không cần làm gì thêm)")
               or "đã trả lời" in k]
        res = [k for k in tiles if "đã giải quyết" in k
               and "không có cơ sở" not in k]
        self.assertEqual(tiles[ans[0]][1], by.get("answered", 0))
        self.assertEqual(tiles[res[0]][1], by.get("resolved", 0))
        self.assertFalse(any("đã xong" in k for k in tiles), tiles)

    def test_a_dialogues_overdue_count_lists_only_its_own(self):
        data = read_json(os.path.join(self.out, "data", "questions.json"))
        for d in read_json(os.path.join(self.out, "data",
                                        "dialogues.json"))["dialogues"]:
            page = d["path"]
            late = [q for q in data["questions"] if q["dialogue"] == d["slug"]
                    and (q["overdue"] or q["answer_overdue"])]
            links = [(h, n) for h, n, _ in self.site.counts(page)
                     if h == "#qua-han"]
            if not late:
                self.assertEqual(links, [])
                continue
            self.assertEqual(links, [("#qua-han", len(late))])
            sec = self.site.tree(page).find_id("qua-han")[0]
            listed = [n.attrs["href"] for n in sec.walk()
                      if n.tag == "a" and "q-title" in n.attrs.get("class", "")]
            want = sorted(q["path"] for q in late)
            self.assertEqual(
                sorted(self.site.resolve(page, h)[0] for h in listed), want)

    def test_overdue_list_is_worst_first_with_days_and_department(self):
        t = self.site.tree("trang-thai/qua-han/index.html")
        rows = [n for n in t.root.walk() if "data-item" in n.attrs]
        self.assertGreater(len(rows), 2)
        days = []
        for r in rows:
            text = " ".join(r.all_text().split())
            m = re.search(r"quá hạn (\d+) ngày", text)
            self.assertIsNotNone(m, text)
            days.append(int(m.group(1)))
            self.assertIn("Bộ phận:", text)
        self.assertEqual(days, sorted(days, reverse=True), days)

        # The days are as_of (the day of the figures, which a quiet day
        # does not move) minus the date that passed, as the data has it.
        import datetime
        data = read_json(os.path.join(self.out, "data", "questions.json"))
        today = datetime.date.fromisoformat(data["as_of"])
        worst = 0
        for q in data["questions"]:
            d = 0
            if q["answer_overdue"]:
                d = (today - datetime.date.fromisoformat(q["answer_due"])).days
            if q["overdue"]:
                d = max(d, (today - datetime.date.fromisoformat(q["due"])).days)
            worst = max(worst, d)
        self.assertEqual(days[0], worst)


class LongListsTest(unittest.TestCase):
    """Lists longer than a page (100): a count still matches its list,
    counted over the list's pages."""

    def test_counts_over_pages(self):
        import subprocess
        import sys
        from helpers import TOP
        d = tmpdir(self)
        content = os.path.join(d, "content")
        subprocess.run([sys.executable, os.path.join(TOP, "tests", "bench",
                                                     "gen_corpus.py"),
                        content, "260", "3"], check=True,
                       capture_output=True)
        out = os.path.join(d, "site")
        r = run(["build", "-C", content, "--theme", THEME, "-o", out,
                 "--today", "2027-01-15"])
        self.assertEqual(r.returncode, 0, r.stderr)
        site = Site(out)
        self.assertTrue(os.path.isfile(
            os.path.join(out, "cau-hoi", "trang-3", "index.html")))
        checked = 0
        for page in ("index.html", "thong-ke/index.html"):
            for href, n, text in site.counts(page):
                target, frag = site.resolve(page, href)
                self.assertEqual(site.count_list(target, frag), n,
                                 "%s: %s" % (page, href))
                checked += 1
        self.assertGreater(checked, 10)


if __name__ == "__main__":
    unittest.main()
