/** STUB (being written): renders a ChartSpec as a self-contained SVG document. */
import type { ChartSpec } from './chart-spec.ts';

export function renderSvg(spec: ChartSpec): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${spec.title.replace(/[&<>"']/g, '')}"></svg>`;
}
