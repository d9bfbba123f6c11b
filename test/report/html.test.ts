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
import type { ModelComparison } from '../../src/experiment/index.js';
import { OUTAGE_ROW_PRIMARY_REMOTE, comparisonFixture, runFixture } from './fixtures.js';

/**
 * Rendering, screenshotting and scanning a full report page takes seconds, more on a loaded machine; the
 * default 5 s made the screenshot test fail on time alone when run without `npm test`'s --testTimeout.
 */
const BROWSER_TIMEOUT_MS = 60_000;

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

/**
 * The body cells of the table with HTML id `id` as a reader sees them; a numeric cell's interval, on its own
 * line in a `.ci` span, is joined back to its mean with a space.
 */
async function tableCells(page: Page, id: string): Promise<string[][]> {
  return page.$$eval(`#${id} tbody tr`, (trs) =>
    trs.map((tr) =>
      [...tr.querySelectorAll('td')].map((td) =>
        [...td.childNodes]
          .map((n) => n.textContent ?? '')
          .join(' ')
          .trim(),
      ),
    ),
  );
}

/** Pixel statistics of a PNG screenshot: distinct colours, share of non-white pixels, pixels near a colour. */
function pixels(png: Buffer, crop: { top: number; bottom: number } = { top: 0, bottom: 0 }) {
  const img = PNG.sync.read(png);
  const colours = new Set<number>();
  let nonWhite = 0;
  const near = new Map<string, number>();
  // The fixed colours of multi-primary, primary-remote and external (chart-theme.ts MODEL_COLOURS).
  const targets = { blue: [0, 114, 178], orange: [230, 159, 0], pink: [204, 121, 167] } as const;
  for (let i = crop.top * img.width * 4; i < img.data.length - crop.bottom * img.width * 4; i += 4) {
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
  it(
    'comparison index.html opens with no console errors and no network requests, every chart drawn',
    async () => {
      const dir = join(root, 'cmp');
      await writeReportFolder(dir, await comparisonReportFiles(comparisonFixture));
      const { page, problems, requests } = await open(dir);
      expect(problems).toEqual([]);
      expect(requests).toEqual([pathToFileURL(join(dir, 'index.html')).href]);
      expect(await page.title()).toBe('three-cluster-shop: deployment models compared');
      const figures = await page.$$eval('figure svg', (svgs) =>
        svgs.map((s) => ({ w: s.getBoundingClientRect().width, h: s.getBoundingClientRect().height })),
      );
      expect(figures).toHaveLength(6);
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
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'comparison index.html screenshot shows the charts: many colours, ink on a fifth of the page, model colours',
    async () => {
      const { page } = await open(join(root, 'cmp'));
      const shot = pixels(await page.screenshot({ fullPage: true }));
      expect(shot.height).toBeGreaterThan(3000);
      expect(shot.colours).toBeGreaterThan(500);
      expect(shot.nonWhite).toBeGreaterThan(0.1);
      expect(shot.nonWhite).toBeLessThan(0.6);
      // Okabe–Ito blue, orange and pink fill bars and points: the charts were painted, not just laid out.
      for (const name of ['blue', 'orange', 'pink'])
        expect(shot.near.get(name) ?? 0, name).toBeGreaterThan(2000);
      await page.close();
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'comparison index.html shows blast radius by fault, the single point of failure, ties and better models',
    async () => {
      const { page } = await open(join(root, 'cmp'));
      const ids = await page.$$eval('section.table', (s) => s.map((x) => x.id));
      expect(ids.slice(ids.indexOf('blast-radius'), ids.indexOf('blast-radius') + 3)).toEqual([
        'blast-radius',
        'fault-blast-radius',
        'spof-locality',
      ]);
      const faults = await tableCells(page, 'fault-blast-radius');
      // Three faults under three models; primary-remote's outage reached everything and 2 of 5 never recovered.
      expect(faults).toHaveLength(9);
      expect(faults[1]).toEqual(OUTAGE_ROW_PRIMARY_REMOTE);
      expect(faults.map((r) => r[10])).toEqual(['0', '2 of 5', '1 of 5', '0', '0', '0', '0', '4 of 5', '0']);
      expect(await tableCells(page, 'spof-locality')).toEqual([
        ['multi-primary', '99.890% [99.850%, 99.930%]', '13.46% [13.06%, 13.86%]', '8.97% [8.67%, 9.27%]'],
        ['primary-remote', '97.310% [96.710%, 97.910%]', '14.62% [14.12%, 15.12%]', '9.75% [9.35%, 10.15%]'],
        ['external', '-', '-', '-'],
      ]);
      const verdict = await tableCells(page, 'verdict');
      expect(verdict.map((r) => r[1])).toEqual([
        'multi-primary',
        'no material difference',
        'primary-remote',
        'no material difference: multi-primary, external',
        'not measured',
      ]);
      expect(verdict[4]).toEqual(['configConsistency', 'not measured', 'no model measured it']);
      const differences = await tableCells(page, 'differences');
      expect(differences.map((r) => [r[0], r[1], r[6]])).toEqual([
        ['availability', 'fraction', 'yes: multi-primary better'],
        ['p99LatencyMs', 'ms', 'no (interval spans 0)'],
        ['latencyP99Ms', 'ms', 'yes: multi-primary better'],
        ['istiodVcpu', 'vCPU', 'yes: primary-remote better'],
        ['controlPlaneOutageAvailability', 'fraction', 'yes: multi-primary better'],
      ]);
      await page.close();
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'comparison index.html puts the scorecard first: models x criteria, the best marked, ties written out',
    async () => {
      const { page } = await open(join(root, 'cmp'));
      const first = await page.$eval('table', (t) => t.closest('section')?.id ?? '');
      expect(first).toBe('scorecard');
      // Nothing but the header comes before it: no highlights, no other table.
      const before = await page.$$eval('main > *', (els) =>
        els
          .slice(
            0,
            els.findIndex((e) => e.id === 'scorecard'),
          )
          .map((e) => e.tagName),
      );
      expect(before).toEqual([]);
      const rows = await tableCells(page, 'scorecard');
      expect(rows.map((r) => r[0])).toEqual([...comparisonFixture.models.map((m) => m.model), 'outcome']);
      // availability: multi-primary best; p99: a tie, each leader marked, the outcome in words.
      expect(rows[0]?.[1]).toBe('★ 99.910% [99.870%, 99.950%]');
      expect(rows[3]?.[1]).toBe('★ multi-primary');
      expect(rows[3]?.[2]).toMatch(/^no material difference/);
      await page.close();
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'every model keeps its colour from one report to the next, whatever the order or company',
    async () => {
      const colourOf = async (dir: string): Promise<Record<string, string>> => {
        const { page } = await open(dir);
        // The availability chart's legend pairs each model's name with its line's stroke colour.
        const strokes = await page.$$eval('#chart-availability .role-legend-symbol path', (ps) =>
          ps.map((p) => (p.getAttribute('stroke') ?? '').toLowerCase()),
        );
        const labels = await page.$$eval('#chart-availability .role-legend-label text', (ts) =>
          ts.map((t) => t.textContent ?? ''),
        );
        const pairs = labels.map((l, i) => [l, strokes[i] ?? '']);
        await page.close();
        return Object.fromEntries(pairs);
      };
      const a = await colourOf(join(root, 'cmp'));
      const reordered = {
        ...comparisonFixture,
        models: [...comparisonFixture.models].reverse().slice(0, 2),
      };
      const dir = join(root, 'cmp-reordered');
      await writeReportFolder(dir, await comparisonReportFiles(reordered));
      const b = await colourOf(dir);
      expect(Object.keys(a).sort()).toEqual([...comparisonFixture.models.map((m) => m.model)].sort());
      expect(Object.keys(b)).toHaveLength(2);
      for (const [model, colour] of Object.entries(b)) expect(colour, model).toBe(a[model]);
      expect(a['multi-primary']).toBe('#0072b2');
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'two identical availability series are both visible in the screenshot, and the chart says so',
    async () => {
      const [mp, pr, ext] = comparisonFixture.models as [ModelComparison, ModelComparison, ModelComparison];
      const same = { ...comparisonFixture, models: [mp, pr, { ...ext, timeline: pr.timeline }] };
      const dir = join(root, 'cmp-identical');
      await writeReportFolder(dir, await comparisonReportFiles(same));
      const { page } = await open(dir);
      const figure = page.locator('#chart-availability svg');
      // The plot only: from below the title to above the axis and legend, so legend swatches do not count.
      const shot = pixels(await figure.screenshot(), { top: 90, bottom: 80 });
      // Measured: drawn solid over each other, primary-remote left 0 pixels of its colour (external 484);
      // dashed, each shows over 100. 60 keeps a margin for anti-aliasing on another Chromium.
      expect(shot.near.get('orange') ?? 0, 'primary-remote').toBeGreaterThan(60);
      expect(shot.near.get('pink') ?? 0, 'external, drawn over primary-remote').toBeGreaterThan(60);
      expect(await page.innerText('#chart-availability')).toContain('external same as primary-remote');
      await page.close();
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'run index.html opens clean and prints narrow: A4 width in print media, no overflow',
    async () => {
      const dir = join(root, 'run');
      await writeReportFolder(dir, await runReportFiles(runFixture));
      const { page, problems, requests } = await open(dir, 700);
      await page.emulateMedia({ media: 'print' });
      expect(problems).toEqual([]);
      expect(requests).toHaveLength(1);
      expect(await page.$$eval('figure svg', (s) => s.length)).toBe(5);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(700);
      const shot = pixels(await page.screenshot({ fullPage: true }));
      expect(shot.colours).toBeGreaterThan(300);
      expect(shot.nonWhite).toBeGreaterThan(0.05);
      await page.close();
    },
    BROWSER_TIMEOUT_MS,
  );

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
