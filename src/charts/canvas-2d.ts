// The 2D context the project's chart.js plugins draw on, typed loosely in one place: the project
// has no DOM lib, and node-canvas's context matches this. Each plugin used to declare its own
// subset, which drifted as plugins grew.
import type { Chart } from 'chart.js';

export type Canvas2D = {
  save(): void;
  restore(): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  arc(x: number, y: number, r: number, a: number, b: number): void;
  stroke(): void;
  fill(): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  strokeRect(x: number, y: number, w: number, h: number): void;
  fillText(t: string, x: number, y: number): void;
  strokeText(t: string, x: number, y: number): void;
  measureText(t: string): { width: number };
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  lineJoin: string;
  font: string;
  textAlign: string;
  textBaseline: string;
  globalCompositeOperation: string;
};

/** The chart's context as the plugins use it. */
export const canvasOf = (chart: Chart) => chart.ctx as unknown as Canvas2D;
