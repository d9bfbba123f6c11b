import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  comparisonReportFiles,
  documentHtml,
  escapeHtml,
  runReportFiles,
  writeReportFolder,
} from '../../src/report/index.js';
import { comparisonDocument } from '../../src/report/comparison-document.js';
import { ensureChromium, launchChromium } from './chromium.js';
import { comparisonFixture, runFixture } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'meshsim-html-'));
let browser: Browser;

beforeAll(async () => {
  ensureChromium();
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  rmSync(root, { recursive: true, force: true });
});

interface Opened {
  readonly page: Page;
  readonly problems: string[];
  readonly requests: string[];
}

/** Opens a report folder's index.html, recording console errors and warnings, page errors and requests. */
async function open(dir: string, width = 1000): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) =>
    problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`),
  );
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(join(dir, 'index.html')).href, { waitUntil: 'load' });
  return { page, problems, requests };
}

/** The page's full width; an expression string, as the project compiles without the DOM library. */
async function scrollWidth(page: Page): Promise<number> {
  return Number(await page.evaluate('document.documentElement.scrollWidth'));
}

/** Pixel statistics of a PNG screenshot: distinct colours, share of non-white pixels, pixels near a colour. */
function pixels(png: Buffer) {
  const img = PNG.sync.read(png);
  const colours = new Set<number>();
  let nonWhite = 0;
  const near = new Map<string, number>();
  const targets = { blue: [0, 114, 178], orange: [230, 159, 0], green: [0, 158, 115] } as const;
  for (let i = 0; i < img.data.length; i += 4) {
    const r = img.data[i] ?? 0;
    const g = img.data[i + 1] ?? 0;
    const b = img.data[i + 2] ?? 0;
    colours.add((r << 16) | (g << 8) | b);
    if (r < 245 || g < 245 || b < 245) nonWhite++;
    for (const [name, [tr, tg, tb]] of Object.entries(targets)) {
      if (Math.abs(r - tr) <= 3 && Math.abs(g - tg) <= 3 && Math.abs(b - tb) <= 3)
        near.set(name, (near.get(name) ?? 0) + 1);
    }
  }
  return {
    width: img.width,
    height: img.height,
    colours: colours.size,
    nonWhite: nonWhite / (img.width * img.height),
    near,
  };
}

describe('report/html in headless Chromium', () => {
  it('comparison index.html opens with no console errors and no network requests, every chart drawn', async () => {
    const dir = join(root, 'cmp');
    await writeReportFolder(dir, await comparisonReportFiles(comparisonFixture));
    const { page, problems, requests } = await open(dir);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(join(dir, 'index.html')).href]);
    expect(await page.title()).toBe('three-cluster-shop: deployment models compared');
    const figures = await page.$$eval('figure svg', (svgs) =>
      svgs.map((s) => ({ w: s.getBoundingClientRect().width, h: s.getBoundingClientRect().height })),
    );
    expect(figures).toHaveLength(5);
    for (const f of figures) {
      expect(f.w).toBeGreaterThan(500);
      expect(f.h).toBeGreaterThan(200);
    }
    const text = await page.innerText('body');
    for (const c of comparisonFixture.verdict.criteria) expect(text).toContain(c.note);
    expect(text).toContain(comparisonFixture.rerun);
    expect(text).toContain('seeds 1001, 1002, 1003, 1004, 1005');
    // Nothing is wider than the window: the page prints and reads without sideways scrolling.
    expect(await scrollWidth(page)).toBeLessThanOrEqual(1000);
    await page.close();
  });

  it('comparison index.html screenshot shows the charts: many colours, ink on a fifth of the page, model colours', async () => {
    const { page } = await open(join(root, 'cmp'));
    const shot = pixels(await page.screenshot({ fullPage: true }));
    expect(shot.height).toBeGreaterThan(3000);
    expect(shot.colours).toBeGreaterThan(500);
    expect(shot.nonWhite).toBeGreaterThan(0.1);
    expect(shot.nonWhite).toBeLessThan(0.6);
    // Okabe–Ito blue, orange and green fill bars and points: the charts were painted, not just laid out.
    for (const name of ['blue', 'orange', 'green'])
      expect(shot.near.get(name) ?? 0, name).toBeGreaterThan(2000);
    await page.close();
  });

  it('run index.html opens clean and prints narrow: A4 width in print media, no overflow', async () => {
    const dir = join(root, 'run');
    await writeReportFolder(dir, await runReportFiles(runFixture));
    const { page, problems, requests } = await open(dir, 700);
    await page.emulateMedia({ media: 'print' });
    expect(problems).toEqual([]);
    expect(requests).toHaveLength(1);
    expect(await page.$$eval('figure svg', (s) => s.length)).toBe(4);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(700);
    const shot = pixels(await page.screenshot({ fullPage: true }));
    expect(shot.colours).toBeGreaterThan(300);
    expect(shot.nonWhite).toBeGreaterThan(0.05);
    await page.close();
  });

  it('documentHtml escapes text from the scenario, so a name cannot inject markup', () => {
    const html = documentHtml(
      { ...comparisonDocument(comparisonFixture), title: '<script>alert(1)</script>', charts: [] },
      [],
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain(escapeHtml('<script>alert(1)</script>'));
  });

  it('documentHtml throws when a chart has no SVG rather than dropping the figure', () => {
    expect(() => documentHtml(comparisonDocument(comparisonFixture), [])).toThrow(
      /no SVG for chart "availability"/,
    );
  });
});
