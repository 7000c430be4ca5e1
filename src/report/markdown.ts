/**
 * report.md: the verdict table first, then per experiment its runs, then the images
 * (saved beside the report). The charts are in report.html only.
 */
import type { ExperimentSection, ReportContent } from './content';
import type { Table } from './tables';

export function reportMarkdown(content: ReportContent): string {
  const lines = [
    `# ${content.title}`,
    '',
    `Scale: ${content.scale}. Charts: report.html.`,
    '',
    '## Verdicts',
    '',
    ...markdownTable(content.verdicts),
    '',
    '## Experiments',
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

/** Text safe inside a table cell: one line, pipes escaped. */
function escapeCell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}
