/**
 * report.html in a real browser (Debian's chromium driven by playwright-core): every chart
 * is drawn with marks and a size, every image loads, the console stays clean, and nothing
 * is fetched from the network. Skipped when /usr/bin/chromium is not installed.
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
  points: number; // data points drawn (legends not counted)
  lines: number;
}

/** Points per chart of the fake reproduction: 8 completed runs twice, then 3 epochs of 4 and of 2 runs at the middle rate. */
const EXPECTED_POINTS = [8, 8, 12, 6];

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
          return { width: box.width, height: box.height, points: count('.mark-symbol.role-mark path'), lines: count('.mark-line.role-mark path') };
        }),
      );
      assert.deepEqual(charts.map((chart) => chart.points), EXPECTED_POINTS);
      charts.forEach((chart, i) => {
        assert.ok(chart.width > 100 && chart.height > 100, `chart ${i} is ${chart.width} x ${chart.height}`);
        assert.ok(chart.lines > 0, `chart ${i} has no lines`);
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
