// Legend entries drawn as short lines (solid for the force, dashed for the MSG average) and
// a swatch for the band, so the legend teaches the line styles that tell them apart.
import type { Chart, LegendItem } from 'chart.js';
import { FONT, FONT_FAMILY, COLOURS } from './style.ts';

/** Custom property on datasets: how the legend shows it, or 'none' to leave it out. */
export type LegendRole = 'line' | 'band' | 'none';

export function legendOptions(display: boolean) {
  return {
    display,
    position: 'top' as const,
    align: 'start' as const,
    labels: {
      color: COLOURS.text,
      font: { size: FONT.legend, family: FONT_FAMILY },
      usePointStyle: true,
      pointStyleWidth: 40,
      padding: 14,
      generateLabels: legendItems,
    },
  };
}

function legendItems(chart: Chart): LegendItem[] {
  const items: LegendItem[] = [];
  const seen = new Set<string>();
  chart.data.datasets.forEach((dataset, datasetIndex) => {
    const d = dataset as typeof dataset & {
      legendRole?: LegendRole;
      borderDash?: number[];
      borderColor?: string;
      backgroundColor?: string;
    };
    const role = d.legendRole ?? 'line';
    const text = dataset.label ?? '';
    // Small multiples repeat the same three series per panel: list each once.
    if (role === 'none' || seen.has(text)) return;
    seen.add(text);
    items.push({
      text,
      datasetIndex,
      fontColor: COLOURS.text,
      hidden: false,
      pointStyle: role === 'band' ? 'rect' : 'line',
      strokeStyle: role === 'band' ? d.backgroundColor : d.borderColor,
      fillStyle: role === 'band' ? d.backgroundColor : d.borderColor,
      lineWidth: role === 'band' ? 0 : 4,
      lineDash: role === 'band' ? [] : (d.borderDash ?? []),
    } as LegendItem);
  });
  return items;
}
