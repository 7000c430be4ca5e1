/**
 * report.md: the provenance, the verdict table, the counting table, the runs left out,
 * then per experiment its table of seed means, then the images (saved beside the report).
 * The charts are in report.html only.
 */
import type { ExperimentSection, ReportContent } from './content';
import type { Table } from './tables';

export function reportMarkdown(content: ReportContent): string {
  const lines = [
    `# ${content.title}`,
    '',
    `Scale: ${content.scale}. Charts: report.html.`,
    '',
    ...content.provenance.map(([name, value]) => `- ${name}: ${value}`),
    '',
    'Each comparison is made on seed means at each optimizer\'s learning rate of best mean validation accuracy, ' +
      'with a 95% t-interval over seeds, and judged against its stated tolerance; an interval that straddles it is inconclusive.',
    '',
    '## Verdicts',
    '',
    ...markdownTable(content.verdicts),
    ...(content.counting
      ? ['', '## Does counting updates help?', '', 'Each Adam variant at its chosen learning rate (test error: seed mean ± 95% t-interval half-width; last column: paired difference from `lazy-adam`).', '', ...markdownTable(content.counting)]
      : []),
    '',
    '## Runs left out (of the means, verdicts and chart scales)',
    '',
    ...(content.leftOut.rows.length ? markdownTable(content.leftOut) : ['None: every run completed healthy.']),
    '',
    '## Experiments',
    '',
    'One row per optimizer and learning rate: seed means of the final evaluation; `chosen` marks the rate the verdicts use.',
    ...content.experiments.flatMap(experimentMarkdown),
    ...(content.images.length > 0 ? ['', '## Images'] : []),
    ...content.images.flatMap((image) => ['', `![${image.file}](${image.file})`, '', escapeCell(image.caption)]),
  ];
  return `${lines.join('\n')}\n`;
}

function experimentMarkdown(experiment: ExperimentSection): string[] {
  return [
    '',
    `### ${experiment.name}`,
    '',
    `- finding: ${experiment.finding}`,
    `- runs: ${experiment.statusCounts}`,
    `- folder: \`${experiment.folder}\``,
    '',
    ...markdownTable(experiment.runs),
  ];
}

function markdownTable(table: Table): string[] {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(table.header), line(table.header.map(() => '---')), ...table.rows.map(line)];
}

/** Text safe inside a table cell: pipes escaped, line breaks as <br>. */
function escapeCell(text: string): string {
  return text.replace(/\s*\n\s*/g, '<br>').replace(/\|/g, '\\|');
}
