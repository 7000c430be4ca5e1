/**
 * A vega-lite spec to an SVG string, in Node: vega-lite compiles it to a vega spec, and a
 * headless vega View (no renderer, no canvas) draws the scene graph as SVG. Both packages
 * are ES modules, so they are loaded with import() from this CommonJS code.
 */
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vegaLite, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
