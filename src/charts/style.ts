// Look and feel shared by every chart. Sizes are chosen for Slack's ~360 px preview of an
// 800 px image (a scale of 0.45): nothing smaller than ~13 px here, body text 18–20 px.

/** Okabe–Ito: distinguishable with the common colour-vision deficiencies. */
export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const;

export const COLOURS = {
  force: OKABE_ITO.blue,
  msgAverage: OKABE_ITO.vermillion,
  /** Sky blue at low opacity: the band sits behind both lines without hiding them. */
  msgBand: 'rgba(86, 180, 233, 0.28)',
  text: '#1a1a1a',
  muted: '#4d4d4d',
  grid: '#e3e3e3',
  illustrative: '#8a4b00',
  /** Black, dotted: England and Wales, a reference rather than a rival. */
  englandAndWales: OKABE_ITO.black,
  background: '#ffffff',
} as const;

export const FONT_FAMILY = "'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif";

export const FONT = {
  title: 25,
  subtitle: 19,
  legend: 18,
  ticks: 18,
  axisTitle: 17,
  latest: 19,
  footer: 14,
  panelTitle: 17,
} as const;

/** Line style, not colour alone, tells the force (solid) from the MSG average (dashed). */
export const MSG_DASH = [10, 6];
export const ENGLAND_AND_WALES_DASH = [2, 5];

export const MEASURE_CHART_SIZE = { width: 800, height: 400 } as const;
export const PRIORITY_CHART_WIDTH = 800;
