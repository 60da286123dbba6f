"""Accessibility (issue #9, item 7), on every page type of the example
commune (home, lists of dialogues, a dialogue of each state, questions,
topic, hamlet, status, overdue, all/open questions, statistics, free page,
404) and on the golden edge commune's pages (the empty states):

- heading levels never skip (h1, then h2, ...), on every page (Python);
- the focus outline has 3:1 contrast against what it is drawn on (the page,
  the grey panels, the blue header), read from the theme's CSS (Python);
- html-validate reports no errors on every page;
- the Nu HTML Checker (the W3C validator, npm's vnu-jar, run with Java)
  reports no errors on every page;
- axe-core finds no WCAG 2.1 A/AA violation, in Chromium at a 360 px wide
  screen, where no page is wider than the screen.

The last three need npm packages (html-validate, vnu-jar, axe-core,
puppeteer-core)
under tests/.build/node_modules (installed there with `npm install
--prefix tests/.build` when npm can) and Chromium: without them those tests
are skipped, saying why."""
import html.parser
import json
import os
import re
import shutil
import subprocess
import unittest

from helpers import EXAMPLE, THEME, TOP, run, tmpdir

MODULES = os.path.join(TOP, "tests", ".build", "node_modules")
PACKAGES = ("html-validate", "axe-core", "puppeteer-core")
HERE = os.path.dirname(os.path.abspath(__file__))
EDGE = os.path.join(TOP, "tests", "golden", "edge", "content")


def node_modules():
    """The modules' folder, installing them once when npm can; None when
    they cannot be had (offline, no npm)."""
    if all(os.path.isdir(os.path.join(MODULES, p)) for p in PACKAGES):
        return MODULES
    if os.environ.get("CONGKHAI_NO_NPM") or not shutil.which("npm"):
        return None
    try:
        subprocess.run(["npm", "install", "--prefix",
                        os.path.dirname(MODULES), "--no-audit", "--no-fund",
                        "--loglevel=error"] + list(PACKAGES),
                       capture_output=True, timeout=600)
    except (OSError, subprocess.SubprocessError):
        return None
    if all(os.path.isdir(os.path.join(MODULES, p)) for p in PACKAGES):
        return MODULES
    return None


def nu_validator():
    """[java, -jar, vnu.jar] of the Nu HTML Checker (npm's vnu-jar, the
    W3C validator's own build), installed once beside the other modules
    when npm can; None without Java or the jar."""
    java = shutil.which("java")
    jar = os.path.join(MODULES, "vnu-jar", "build", "dist", "vnu.jar")
    if java is None:
        return None
    if not os.path.isfile(jar) and shutil.which("npm") and \
            not os.environ.get("CONGKHAI_NO_NPM"):
        try:
            subprocess.run(["npm", "install", "--prefix",
                            os.path.dirname(MODULES), "--no-audit",
                            "--no-fund", "--loglevel=error", "vnu-jar"],
                           capture_output=True, timeout=600)
        except (OSError, subprocess.SubprocessError):
            return None
    return [java, "-jar", jar] if os.path.isfile(jar) else None


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(name)
        if p:
            return p
    return None


class Headings(html.parser.HTMLParser):
    def __init__(self, text):
        super().__init__()
        self.levels = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))


def luminance(hexcolor):
    h = hexcolor.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    out = []
    for i in (0, 2, 4):
        c = int(h[i:i + 2], 16) / 255
        out.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * out[0] + 0.7152 * out[1] + 0.0722 * out[2]


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


class A11y(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._holder = unittest.TestCase()
        d = tmpdir(cls._holder)
        cls.sites = {}
        for name, content, today in (("example", EXAMPLE, "2027-01-15"),
                                     ("edge", EDGE, "2025-12-20")):
            out = os.path.join(d, name)
            r = run(["build", "-C", content, "--theme", THEME, "-o", out,
                     "--today", today])
            if r.returncode != 0:
                raise AssertionError(r.stderr)
            cls.sites[name] = out

    @classmethod
    def tearDownClass(cls):
        cls._holder.doCleanups()

    def all_pages(self):
        for name, out in self.sites.items():
            for dirpath, _, files in os.walk(out):
                for f in files:
                    if f.endswith(".html"):
                        yield name, out, os.path.relpath(
                            os.path.join(dirpath, f), out)

    def one_of_each_type(self):
        """A page of every type of the example site (and the edge's
        home, dialogue and empty lists)."""
        out = self.sites["example"]
        pages = ["index.html", "doi-thoai/index.html", "thong-ke/index.html",
                 "cau-hoi/index.html", "trang-thai/chua-xong/index.html",
                 "trang-thai/qua-han/index.html",
                 "trang-thai/in_progress/index.html",
                 "linh-vuc/dat-dai/index.html", "thon/dong-cham/index.html",
                 "gioi-thieu/index.html", "404.html"]
        for slug in sorted(os.listdir(os.path.join(out, "doi-thoai"))):
            d = os.path.join("doi-thoai", slug)
            if not os.path.isdir(os.path.join(out, d)):
                continue
            pages.append(os.path.join(d, "index.html"))
            qs = sorted(x for x in os.listdir(os.path.join(out, d))
                        if os.path.isdir(os.path.join(out, d, x)))
            if qs:
                pages.append(os.path.join(d, qs[0], "index.html"))
        for p in pages:
            self.assertTrue(os.path.isfile(os.path.join(out, p)), p)
        return pages

    def test_heading_levels_never_skip(self):
        n = 0
        for name, out, rel in self.all_pages():
            with open(os.path.join(out, rel), encoding="utf-8") as f:
                levels = Headings(f.read()).levels
            self.assertTrue(levels, "%s/%s has no heading" % (name, rel))
            self.assertEqual(levels[0], 1, "%s/%s" % (name, rel))
            self.assertEqual(levels.count(1), 1, "%s/%s" % (name, rel))
            for a, b in zip(levels, levels[1:]):
                self.assertLessEqual(b, a + 1, "%s/%s: h%d then h%d (%s)"
                                     % (name, rel, a, b, levels))
            n += 1
        self.assertGreater(n, 50)

    def test_focus_outline_contrast(self):
        with open(os.path.join(THEME, "assets", "style.css"),
                  encoding="utf-8") as f:
            css = f.read()
        var = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{3,6})", css))

        def color(v):
            v = v.strip()
            m = re.fullmatch(r"var\(--([a-z-]+)\)", v)
            return var[m.group(1)] if m else v

        rules = re.findall(r"([^{}]*:focus-visible[^{}]*)\{([^}]*)\}", css)
        self.assertTrue(rules)
        page_bg = [var["paper"], var["soft"]]
        header_bg = [re.search(r"\.top\s*\{[^}]*background:\s*([^;]+);",
                               css).group(1)]
        header_bg = [color(c) for c in header_bg]
        found = {}
        for sel, body in rules:
            sel = " ".join(sel.split())
            m = re.search(r"outline(?:-color)?:\s*(?:\d+px\s+solid\s+)?"
                          r"(var\(--[a-z-]+\)|#[0-9a-fA-F]{3,6})", body)
            self.assertIsNotNone(m, sel)
            found[sel] = color(m.group(1))
        for sel, c in found.items():
            bgs = header_bg if sel.startswith(".top") else page_bg
            for bg in bgs:
                self.assertGreaterEqual(contrast(c, bg), 3.0,
                                        "%s: %s on %s" % (sel, c, bg))
        self.assertTrue(any(s.startswith(".top") for s in found),
                        "the header's focus needs its own colour")

    def test_html_validate(self):
        modules = node_modules()
        if modules is None:
            self.skipTest("html-validate not installed and npm cannot "
                          "install it")
        d = tmpdir(self)
        config = os.path.join(d, "htmlvalidate.json")
        with open(config, "w") as f:
            # long-title is advice for search engines, not an error: a
            # question's page is titled with the question's own words.
            json.dump({"extends": ["html-validate:recommended"],
                       "rules": {"long-title": "off"}}, f)
        for name, out in self.sites.items():
            files = []
            for dirpath, _, fs in os.walk(out):
                files += [os.path.join(dirpath, f) for f in fs
                          if f.endswith(".html")]
            r = subprocess.run(
                [os.path.join(modules, ".bin", "html-validate"), "-c",
                 config, "--formatter", "text"] + sorted(files),
                capture_output=True, text=True, timeout=600)
            self.assertEqual(r.returncode, 0,
                             "%s:\n%s%s" % (name, r.stdout[-4000:],
                                            r.stderr[-2000:]))

    def test_nu_validator(self):
        """Every page of both sites through the Nu HTML Checker (the W3C's
        validator), errors only: none."""
        nu = nu_validator()
        if nu is None:
            self.skipTest("the Nu validator (npm vnu-jar) or Java missing")
        for name, out in self.sites.items():
            files = sorted(os.path.join(site, rel)
                           for _, site, rel in self.all_pages()
                           if site == out)
            r = subprocess.run(nu + ["--errors-only", "--exit-zero-always",
                                     "--format", "gnu"] + files,
                               capture_output=True, text=True, timeout=900)
            errors = [ln for ln in (r.stdout + r.stderr).splitlines()
                      if ln.strip()]
            self.assertGreater(len(files), 10, name)
            self.assertEqual(errors, [], "%s:\n%s" % (name,
                                                      "\n".join(errors[:40])))

    def test_axe_and_phone_width(self):
        modules = node_modules()
        browser = chromium()
        if modules is None or browser is None or not shutil.which("node"):
            self.skipTest("axe-core/puppeteer-core or Chromium missing")
        for name, pages in (
                ("example", self.one_of_each_type()),
                ("edge", ["index.html", "trang-thai/qua-han/index.html",
                          "thong-ke/index.html", "doi-thoai/index.html"])):
            r = subprocess.run(
                ["node", os.path.join(HERE, "a11y_axe.js"), modules,
                 browser, self.sites[name]] + pages,
                capture_output=True, text=True, timeout=900)
            self.assertEqual(r.returncode, 0, r.stderr[-3000:])
            res = json.loads(r.stdout)
            self.assertEqual(sorted(res), sorted(pages))
            for page, v in res.items():
                self.assertEqual(v["violations"], [], "%s/%s" % (name, page))
                self.assertLessEqual(v["overflow"], 0,
                                     "%s/%s is wider than a 360 px phone"
                                     % (name, page))


if __name__ == "__main__":
    unittest.main()
