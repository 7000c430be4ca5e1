/**
 * The report's tables as text cells, shared by report.md and report.html: the verdicts,
 * and per experiment its runs with their final metrics.
 */
import { settingOf, testErrorOf } from './columns';
import { finalMetrics, type ExperimentRuns, type RunResult } from './read';
import type { Verdict } from './types';

export interface Table {
  header: string[];
  rows: string[][];
}

export const VERDICT_COLUMNS = ['id', 'finding', 'verdict', 'tolerance', 'figures', 'explanation'];

export const RUN_COLUMNS = [
  'id',
  'optimizer.name',
  'optimizer.lr',
  'train.mode',
  'test_accuracy',
  'test_error',
  'test_mse',
  'train_loss',
  'gathered_fraction',
  'status',
];

/** Numbers to 4 significant digits (0.0003162, 0.9747, 25); a missing value is empty. */
export function formatValue(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

export function verdictTable(verdicts: readonly Verdict[]): Table {
  const figuresText = (figures: Verdict['figures']) =>
    Object.entries(figures).map(([name, value]) => `${name} = ${formatValue(value)}`).join('; ');
  return {
    header: VERDICT_COLUMNS,
    rows: verdicts.map((v) => [v.id, v.title, v.verdict, v.tolerance, figuresText(v.figures), v.explanation]),
  };
}

export function runTable(experiment: ExperimentRuns): Table {
  return { header: RUN_COLUMNS, rows: experiment.runs.map(runRow) };
}

function runRow(run: RunResult): string[] {
  const final = finalMetrics(run);
  return [
    run.id,
    formatValue(settingOf(run, 'optimizer.name')),
    formatValue(settingOf(run, 'optimizer.lr')),
    formatValue(settingOf(run, 'train.mode')),
    formatValue(final?.test_accuracy),
    formatValue(testErrorOf(run)),
    formatValue(final?.test_mse),
    formatValue(final?.train_loss),
    formatValue(final?.gathered_fraction),
    run.status,
  ];
}
