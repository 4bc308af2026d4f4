/**
 * Static SVG from a Vega-Lite spec, without a browser: the fallback that
 * Jupyter, GitHub and nbviewer show when our renderers are absent.
 */
import type { Config, TopLevelSpec } from 'vega-lite';

/** Chart width of one panel in pixels. */
export const PANEL_WIDTH = 320;
export const PANEL_HEIGHT = 220;

/** No aria labels (one per mark, the largest part of a scatter). */
export const SVG_CONFIG: Config = {
  aria: false,
  mark: { aria: false },
  axis: { aria: false },
  legend: { aria: false },
  view: { stroke: '#ddd' },
};

/**
 * Smaller markup, same picture: numbers inside `transform` and path `d`
 * attributes to 1 decimal (sub-pixel digits), and no aria-hidden on
 * each mark (its group is already hidden).
 */
export function compactSvg(svg: string): string {
  return svg
    .replace(
      /\s(transform|d)="([^"]*)"/g,
      (_all, name: string, value: string) =>
        ` ${name}="${value.replace(/(\.\d)\d+/g, '$1')}"`,
    )
    .replace(/<path aria-hidden="true"/g, '<path');
}

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');

let modules: Promise<[Vega, VegaLite]> | null = null;

/** vega and vega-lite, loaded on first use (~150 ms to require). */
function loadVega(): Promise<[Vega, VegaLite]> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]);
  return modules;
}

/** The chart of `spec` as an SVG document string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await loadVega();
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return compactSvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}
