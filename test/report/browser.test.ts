/**
 * report.html in a real browser (Debian's chromium driven by playwright-core): every chart
 * is drawn with marks, as wide as the page's content, every image loads, the console stays
 * clean, and nothing is fetched from the network. Skipped when /usr/bin/chromium is not
 * installed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { writeReport } from '../../src/report/write';
import { useBackend } from '../backends';
import { withTempDir } from '../data/fixtures';
import { fakeReproduction } from './fixture';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const skip = fs.existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install -y chromium)`;

before(() => useBackend('cpu'));

interface DrawnChart {
  width: number;
  height: number;
  points: number; // symbols drawn (legends not counted)
  lines: number;
  bars: number;
  errorBars: number;
}

/**
 * Per chart of the fake reproduction: against the learning rate 8 seed means and 3 flags
 * (two diverged runs, one blown up) each, and an error bar for each of the 7 means with two
 * healthy seeds; the two responses 3 bars with their error bars; per epoch 3 epochs of the
 * 8 and of the 4 healthy runs at the middle rates.
 */
const EXPECTED = { points: [11, 11, 11, 0, 0, 24, 12], bars: [0, 0, 0, 3, 3, 0, 0], errorBars: [7, 7, 7, 3, 3, 0, 0] };

test('report.html in chromium: charts drawn, images loaded, no console errors, no requests', { skip }, () =>
  withTempDir(async (dir) => {
    const { html } = await writeReport(fakeReproduction(path.join(dir, 'runs')), path.join(dir, 'report'));
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('request', (request) => {
        if (!request.url().startsWith('file:') && !request.url().startsWith('data:')) problems.push(`request ${request.url()}`);
      });
      await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });

      const charts: DrawnChart[] = await page.$$eval('figure.chart svg', (svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          const count = (selector: string) => svg.querySelectorAll(selector).length;
          const marks = (kind: string) => count(`.mark-${kind}.role-mark path`);
          return { width: box.width, height: box.height, points: marks('symbol'), lines: marks('line'), bars: count('.mark-rect.role-mark.layer_0_marks path'), errorBars: count('.mark-rule.role-mark line') };
        }),
      );
      assert.deepEqual(charts.map((chart) => chart.points), EXPECTED.points);
      assert.deepEqual(charts.map((chart) => chart.bars), EXPECTED.bars);
      assert.deepEqual(charts.map((chart) => chart.errorBars), EXPECTED.errorBars);
      const content = await page.$eval('main', (main) => main.clientWidth - 48); // less its padding
      charts.forEach((chart, i) => {
        assert.ok(chart.width > 0.85 * content && chart.width <= content + 1, `chart ${i} is ${chart.width} of ${content} px wide`);
        assert.ok(chart.height > 100, `chart ${i} is ${chart.height} px high`);
        assert.ok(chart.lines > 0 || chart.bars > 0, `chart ${i} has no lines or bars`);
      });

      const images = await page.$$eval('figure.image img', (imgs) =>
        imgs.map((img) => ({ complete: img.complete, naturalWidth: img.naturalWidth, shownWidth: img.getBoundingClientRect().width })),
      );
      assert.equal(images.length, 2);
      for (const image of images) assert.ok(image.complete && image.naturalWidth > 0 && image.shownWidth > 0, JSON.stringify(image));
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
    }
  }));
