/**
 * The report's faceted chart layout as a vega-lite spec: one panel per experiment, panels
 * filling the page's width (report.html's content is PAGE_WIDTH pixels), the legend above,
 * optimizers in the colour-blind-safe palette with their own shapes. Every row of the data
 * has a `kind` saying which layer draws it: `point` rows (the plotted values) and `flag`
 * rows (a run that diverged or blew up, drawn as a ▼ at the top of its panel at its x, off
 * the y scale of the others). A panel's header can carry note lines under its name (e.g.
 * which series coincide), and the legend a note per optimizer.
 */
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import type { Axis } from 'vega-lite/types_unstable/axis.js' with { 'resolution-mode': 'import' };
import type { Field } from 'vega-lite/types_unstable/channeldef.js' with { 'resolution-mode': 'import' };
import type { Scale } from 'vega-lite/types_unstable/scale.js' with { 'resolution-mode': 'import' };
import type { UnitSpec } from 'vega-lite/types_unstable/spec/unit.js' with { 'resolution-mode': 'import' };
import { OPTIMIZER_STYLE } from './palette';

export type Row = Record<string, string | number | null>;
export type Layer = UnitSpec<Field>;

/** Width of report.html's content column, in CSS pixels (style.ts: main's max-width less padding). */
export const PAGE_WIDTH = 1072;
const PANEL_HEIGHT = 220;
const PANEL_CHROME = 80; // y axis, its title and the gap between panels

export interface FacetPlot {
  title: string;
  rows: Row[];
  panels: string[];
  optimizers: string[]; // palette order
  x: { field: string; title: string; scale: Scale; axis: Axis };
  y: { field: string; title: string; scale: Scale; perPanel: boolean };
  layers: Layer[];
  panelNotes: ReadonlyMap<string, string[]>; // panel -> lines under its name
  legendNotes: ReadonlyMap<string, string>; // optimizer -> label shown instead of its name
}

export function columnsFor(panels: number): number {
  return panels === 4 ? 2 : Math.max(1, Math.min(3, panels));
}

const only = (kind: string) => [{ filter: `datum.kind === ${JSON.stringify(kind)}` }];

/** A ▼ at the top of the panel for each `flag` row (a diverged or blown-up run), at its x. */
export const FLAG_LAYER: Layer = {
  transform: only('flag'),
  mark: { type: 'point', shape: 'triangle-down', filled: true, size: 90, opacity: 1 },
  encoding: { y: { value: 4 } },
};

/** Rows restricted to the plotted values. */
export const POINTS = only('point');

/** A vega expression: the label for `datum[field]` from `labels`, else the value itself. */
function labelExpression(field: string, labels: ReadonlyMap<string, string | string[]>): string {
  return [...labels].reduce((expression, [name, label]) => `datum.${field} === ${JSON.stringify(name)} ? ${JSON.stringify(label)} : ${expression}`, `datum.${field}`);
}

/** Point layers without a shape of their own get the optimizer's shape. */
function withShapes(layers: readonly Layer[], shape: NonNullable<Layer['encoding']>['shape']): Layer[] {
  return layers.map((layer) => {
    const mark = layer.mark;
    const optimizerPoint = typeof mark === 'object' && mark.type === 'point' && mark.shape === undefined;
    return optimizerPoint ? { ...layer, encoding: { ...layer.encoding, shape } } : layer;
  });
}

const styleOf = (name: string) => OPTIMIZER_STYLE[name as keyof typeof OPTIMIZER_STYLE] ?? { colour: '#777777', shape: 'circle' };

export function facetSpec(plot: FacetPlot): TopLevelSpec {
  const columns = columnsFor(plot.panels.length);
  const width = Math.floor(PAGE_WIDTH / columns) - PANEL_CHROME;
  const legend = {
    title: 'optimizer.name',
    orient: 'top' as const,
    direction: 'horizontal' as const,
    columns: plot.legendNotes.size ? 2 : plot.optimizers.length,
    labelExpr: labelExpression('label', plot.legendNotes),
    labelLimit: 480,
  };
  const headerLabels = new Map([...plot.panelNotes].map(([panel, notes]) => [panel, [panel, ...notes]]));
  const domain = plot.optimizers;
  const shape = { field: 'optimizer', type: 'nominal' as const, scale: { domain, range: domain.map((name) => styleOf(name).shape) }, legend };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: plot.title, anchor: 'start', fontSize: 15, offset: 12 },
    data: { values: plot.rows },
    facet: {
      field: 'panel',
      type: 'nominal',
      sort: plot.panels,
      header: { title: null, labelFontSize: 12, labelFontWeight: 'bold', labelExpr: labelExpression('value', headerLabels), labelLimit: width + PANEL_CHROME / 2 },
    },
    columns,
    spec: {
      width,
      height: PANEL_HEIGHT,
      encoding: {
        x: { field: plot.x.field, type: 'quantitative', title: plot.x.title, scale: plot.x.scale, axis: plot.x.axis },
        y: { field: plot.y.field, type: 'quantitative', title: plot.y.title, scale: plot.y.scale },
        color: { field: 'optimizer', type: 'nominal', scale: { domain, range: domain.map((name) => styleOf(name).colour) }, legend },
      },
      layer: withShapes(plot.layers, shape),
    },
    resolve: { scale: { y: plot.y.perPanel ? 'independent' : 'shared' }, axis: { x: 'independent' } },
    config: { font: 'Helvetica, Arial, sans-serif', axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 12, symbolSize: 80 } },
  };
}
