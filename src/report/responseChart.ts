/**
 * F4's figures as charts, one per metric: each experiment's and optimizer's response to the
 * learning rate (responsiveness.ts: the spread of the seed-mean metric over the sweep) as a
 * bar with its 95% t-interval over seeds, beside the mask/adam baseline's response (solid
 * rule) and the "weak" line at WEAK_FRACTION of it (dashed rule).
 */
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import type { Chart } from './charts';
import { PAGE_WIDTH } from './chartSpec';
import { OPTIMIZER_STYLE } from './palette';
import type { ExperimentRuns } from './read';
import { allResponses, BASELINE, JUDGED, RESPONSE_METRICS, WEAK_FRACTION, type ResponseMetric } from './responsiveness';

const TITLES: Record<ResponseMetric, { title: string; axis: string; factor: number }> = {
  test_error: { title: 'Response to the learning rate: test error', axis: 'Worst rate minus best (points)', factor: 100 },
  test_mse: { title: 'Response to the learning rate: test MSE', axis: 'log10(worst / best) (decades)', factor: 1 },
};

export function responseCharts(experiments: readonly ExperimentRuns[], optimizers: readonly string[]): Chart[] {
  const responses = allResponses(experiments);
  return (Object.keys(RESPONSE_METRICS) as ResponseMetric[]).flatMap((metric) => {
    const mine = responses.filter((r) => r.metric === metric);
    if (!mine.length) return [];
    const { title, axis, factor } = TITLES[metric];
    const baseline = mine.find((r) => r.experiment === BASELINE.experiment && r.optimizer === BASELINE.optimizer);
    const bars = mine.map((r) => ({
      kind: 'bar',
      experiment: r.experiment,
      optimizer: r.optimizer,
      mean: factor * r.mean,
      low: r.interval ? factor * r.interval.low : null,
      high: r.interval ? factor * r.interval.high : null,
    }));
    const rules = baseline
      ? [
          { kind: 'rule', value: factor * baseline.mean, label: `${BASELINE.experiment} ${BASELINE.optimizer} (baseline)`, dash: 'solid' },
          { kind: 'rule', value: factor * WEAK_FRACTION * baseline.mean, label: `weak: ${WEAK_FRACTION} x baseline`, dash: 'dashed' },
        ]
      : [];
    return [{ title, caption: captionOf(metric), spec: barSpec(title, axis, [...bars, ...rules], experiments.map((e) => e.ref.name), optimizers) }];
  });
}

function captionOf(metric: ResponseMetric): string {
  return (
    `${RESPONSE_METRICS[metric].words}, of the seed means over the learning-rate sweep (rates where a seed diverged or blew up left out), ` +
    `per experiment and optimizer.name, with the 95% t-interval over seeds. Solid line: the ${BASELINE.experiment} ${BASELINE.optimizer} baseline's response; ` +
    `dashed: ${WEAK_FRACTION} x that, the "weak" bound F4 judges ${JUDGED.optimizers.join(', ')} in ${JUDGED.experiment} against (per seed).`
  );
}

function barSpec(title: string, axis: string, rows: Record<string, string | number | null>[], experiments: string[], optimizers: readonly string[]): TopLevelSpec {
  const domain = optimizers.filter((name) => rows.some((row) => row.optimizer === name));
  const colour = { field: 'optimizer', type: 'nominal' as const, title: 'optimizer.name', scale: { domain, range: domain.map((name) => OPTIMIZER_STYLE[name as keyof typeof OPTIMIZER_STYLE]?.colour ?? '#777777') }, legend: { orient: 'top' as const, direction: 'horizontal' as const, labelLimit: 300 } };
  const bars = [{ filter: 'datum.kind === "bar"' }];
  const x = { field: 'experiment', type: 'nominal' as const, title: null, sort: experiments, axis: { labelAngle: 0, labelFontSize: 12 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, anchor: 'start', fontSize: 15, offset: 12 },
    width: PAGE_WIDTH - 120,
    height: 240,
    data: { values: rows },
    layer: [
      { transform: bars, mark: { type: 'bar' }, encoding: { x, xOffset: { field: 'optimizer', sort: domain }, y: { field: 'mean', type: 'quantitative', title: axis }, color: colour } },
      {
        transform: [...bars, { filter: 'datum.low !== null' }],
        mark: { type: 'errorbar', ticks: { size: 6 }, color: '#1f2328' },
        encoding: { x, xOffset: { field: 'optimizer', sort: domain }, y: { field: 'low', type: 'quantitative', title: axis }, y2: { field: 'high' } },
      },
      {
        transform: [{ filter: 'datum.kind === "rule"' }],
        mark: { type: 'rule', color: '#1f2328' },
        encoding: { y: { field: 'value', type: 'quantitative' }, strokeDash: { field: 'dash', type: 'nominal', scale: { domain: ['solid', 'dashed'], range: [[1, 0], [6, 4]] }, legend: null } },
      },
      {
        transform: [{ filter: 'datum.kind === "rule"' }],
        mark: { type: 'text', align: 'right', baseline: 'bottom', dx: -2, dy: -2, fontSize: 11, color: '#59636e' },
        encoding: { x: { value: PAGE_WIDTH - 120 }, y: { field: 'value', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
    config: { font: 'Helvetica, Arial, sans-serif', axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 12 } },
  };
}
