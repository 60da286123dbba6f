// Runs axe-core (WCAG 2.0/2.1 A and AA rules) in Chromium on each page
// given, opened from disk as a citizen's copy would be, at a 360 px wide
// phone screen, and prints one JSON object: {page: {violations: [...],
// overflow: px wider than the screen}}. Used by test_a11y.py.
// usage: node a11y_axe.js NODE_MODULES CHROMIUM SITE_DIR PAGE...
"use strict";
const path = require("path");
const fs = require("fs");
const [modules, chromium, site, ...pages] = process.argv.slice(2);
const puppeteer = require(path.join(modules, "puppeteer-core"));
const axeSource = fs.readFileSync(
  path.join(modules, "axe-core", "axe.min.js"), "utf8");

(async () => {
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--allow-file-access-from-files"],
  });
  const out = {};
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 360, height: 740 });
    for (const rel of pages) {
      await page.goto("file://" + path.resolve(site, rel),
                      { waitUntil: "load" });
      await page.evaluate(axeSource);
      const res = await page.evaluate(async () => {
        const r = await window.axe.run(document, {
          runOnly: { type: "tag",
                     values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
          resultTypes: ["violations"],
        });
        return r.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
        }));
      });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth);
      out[rel] = { violations: res, overflow };
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(String(e && e.stack || e)); process.exit(2); });
