/**
 * report.html: one self-contained page (inline CSS, charts as inline SVG, images as
 * base64 data URIs; nothing fetched). An intro with the provenance, the verdicts coloured
 * by outcome, the counting table, the charts, the images, the runs left out, then per
 * experiment its table of seed means. Text is escaped, then `code` in backticks becomes
 * <code> and line breaks <br>.
 */
import type { ExperimentSection, RenderedChart, ReportContent } from './content';
import type { ReportImage } from './runImages';
import { PAGE_STYLE } from './style';
import { VERDICT_COLUMNS, type Table } from './tables';

/** Images are drawn at this multiple of their pixel size (28-pixel digits are small). */
const IMAGE_ZOOM = 2;

export function reportHtml(content: ReportContent): string {
  const runCount = content.experiments.reduce((sum, e) => sum + e.runs.rows.length, 0);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(content.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(content.title)}</h1>
<p>The findings of the article <em>Optimization using Adam on Sparse Tensors</em> (Project AGI), checked with
sparse-adam's own runs: k-sparse autoencoders on MNIST trained with Adam and its sparse variants across learning
rates and seeds. Each comparison is made on seed means at each optimizer's learning rate of best mean validation
accuracy, with a 95% t-interval over seeds, and judged against the tolerance it states: a claim whose interval
straddles its tolerance is inconclusive. A finding that does not hold is a result, not a failure.</p>
<p class="scale">Scale: ${escapeHtml(content.scale)} &middot; ${content.experiments.length} experiments, ${runCount} learning-rate points</p>
<dl class="provenance">${content.provenance.map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${inline(value)}</dd>`).join('')}</dl>
</header>
<section>
<h2>Verdicts</h2>
${htmlTable(content.verdicts, 'verdicts')}
</section>
${content.counting ? `<section>\n<h2>Does counting updates help?</h2>\n<p>Each Adam variant at its chosen learning rate; test error is the seed mean ± the half-width of its 95% t-interval; the last column is the paired difference from <code>lazy-adam</code> with its interval. The counting verdict reads <code>mask</code> and <code>gather-remask</code>.</p>\n${htmlTable(content.counting, 'counting')}\n</section>` : ''}
<section>
<h2>Charts</h2>
${content.charts.map(chartFigure).join('\n')}
</section>
${content.images.length > 0 ? `<section>\n<h2>Learned filters and reconstructions</h2>\n${content.images.map(imageFigure).join('\n')}\n</section>` : ''}
<section>
<h2>Runs left out</h2>
<p>Runs that did not complete healthy are left out of the means, the verdicts and the charts' scales (a diverged or blown-up run is a &#9660; at the top of its chart panel).</p>
${content.leftOut.rows.length ? htmlTable(content.leftOut, 'left-out') : '<p>None: every run completed healthy.</p>'}
</section>
<section>
<h2>Runs</h2>
<p>One row per optimizer and learning rate: seed means of the final evaluation (test error ± the half-width of its 95% t-interval over seeds); <em>seeds</em> counts the healthy runs of all; <em>chosen</em> marks the rate of best mean validation accuracy, the one the verdicts use. Every run's numbers are in its folder's <code>summary.csv</code>.</p>
${content.experiments.map(experimentSection).join('\n')}
</section>
</main>
</body>
</html>
`;
}

function chartFigure(chart: RenderedChart): string {
  return `<figure class="chart" aria-label="${escapeHtml(chart.title)}">\n${chart.svg}\n<figcaption>${inline(chart.caption)}</figcaption>\n</figure>`;
}

function imageFigure(image: ReportImage): string {
  const source = `data:image/png;base64,${image.png.toString('base64')}`;
  const size = `width="${image.width * IMAGE_ZOOM}" height="${image.height * IMAGE_ZOOM}"`;
  return `<figure class="image">\n<img src="${source}" ${size} alt="${escapeHtml(image.file)}">\n<figcaption>${inline(image.caption)}</figcaption>\n</figure>`;
}

function experimentSection(experiment: ExperimentSection): string {
  return `<h3>${escapeHtml(experiment.name)}</h3>
<p><strong>Finding:</strong> ${inline(experiment.finding)}<br><strong>Runs:</strong> ${escapeHtml(experiment.statusCounts)} &middot; <code>${escapeHtml(experiment.folder)}</code></p>
${htmlTable(experiment.runs, 'runs')}`;
}

function htmlTable(table: Table, kind: 'verdicts' | 'runs' | 'counting' | 'left-out'): string {
  const verdictColumn = kind === 'verdicts' ? VERDICT_COLUMNS.indexOf('verdict') : -1;
  const cell = (text: string, column: number) => {
    if (column === verdictColumn) return `<td><span class="verdict ${text.replace(/ /g, '-')}">${escapeHtml(text)}</span></td>`;
    const numeric = kind !== 'verdicts' && /^[+-]?\d[\d.e+-]*( ± [\d.]+)?$/.test(text);
    return `<td${numeric ? ' class="number"' : ''}>${inline(text)}</td>`;
  };
  const head = `<tr>${table.header.map((name) => `<th>${escapeHtml(name)}</th>`).join('')}</tr>`;
  const body = table.rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('\n');
  return `<div class="table"><table class="${kind}">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

/** Escaped text with `code` spans as <code> and line breaks as <br>. */
export function inline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/\n/g, '<br>');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
