/**
 * report.html: one self-contained page (inline CSS, charts as inline SVG, images as
 * base64 data URIs; nothing fetched). An intro, the verdicts coloured by outcome, the
 * charts, the images, then per experiment its runs.
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
rates. Each verdict is computed from the runs' numbers with the tolerance it states; a finding that does not hold is
a result, not a failure.</p>
<p class="scale">Scale: ${escapeHtml(content.scale)} &middot; ${content.experiments.length} experiments, ${runCount} runs</p>
</header>
<section>
<h2>Verdicts</h2>
${htmlTable(content.verdicts, 'verdicts')}
</section>
<section>
<h2>Charts</h2>
${content.charts.map(chartFigure).join('\n')}
</section>
${content.images.length > 0 ? `<section>\n<h2>Learned filters and reconstructions</h2>\n${content.images.map(imageFigure).join('\n')}\n</section>` : ''}
<section>
<h2>Runs</h2>
${content.experiments.map(experimentSection).join('\n')}
</section>
</main>
</body>
</html>
`;
}

function chartFigure(chart: RenderedChart): string {
  return `<figure class="chart" aria-label="${escapeHtml(chart.title)}">\n${chart.svg}\n<figcaption>${escapeHtml(chart.caption)}</figcaption>\n</figure>`;
}

function imageFigure(image: ReportImage): string {
  const source = `data:image/png;base64,${image.png.toString('base64')}`;
  const size = `width="${image.width * IMAGE_ZOOM}" height="${image.height * IMAGE_ZOOM}"`;
  return `<figure class="image">\n<img src="${source}" ${size} alt="${escapeHtml(image.file)}">\n<figcaption>${escapeHtml(image.caption)}</figcaption>\n</figure>`;
}

function experimentSection(experiment: ExperimentSection): string {
  return `<h3>${escapeHtml(experiment.name)}</h3>
<p><strong>Finding:</strong> ${escapeHtml(experiment.finding)}<br><strong>Runs:</strong> ${escapeHtml(experiment.statusCounts)} &middot; <code>${escapeHtml(experiment.folder)}</code></p>
${htmlTable(experiment.runs, 'runs')}`;
}

function htmlTable(table: Table, kind: 'verdicts' | 'runs'): string {
  const verdictColumn = kind === 'verdicts' ? VERDICT_COLUMNS.indexOf('verdict') : -1;
  const cell = (text: string, column: number) => {
    if (column === verdictColumn) return `<td><span class="verdict ${text.replace(/ /g, '-')}">${escapeHtml(text)}</span></td>`;
    const numeric = kind === 'runs' && column > 0 && text !== '' && Number.isFinite(Number(text)); // column 0 is an id
    return `<td${numeric ? ' class="number"' : ''}>${escapeHtml(text)}</td>`;
  };
  const head = `<tr>${table.header.map((name) => `<th>${escapeHtml(name)}</th>`).join('')}</tr>`;
  const body = table.rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('\n');
  return `<div class="table"><table class="${kind}">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
