// Charts: pure chart.js configs, alt text, in-process rendering and the worker-pool service.
export { measureChartConfig, type ChartSpec } from './measure-config.ts';
export { priorityChartConfig, shortMeasureName } from './priority-config.ts';
export { altTextForMeasure, altTextForPriority, ALT_TEXT_MAX } from './alt-text.ts';
export { renderMeasureChart, renderPriorityChart, renderChart, type RenderedChart, type ChartRequest } from './render.ts';
export { OKABE_ITO, COLOURS } from './style.ts';
export { createChartService, dataVersion, type ChartService, type ChartServiceOptions, type ServedChart } from './service.ts';
