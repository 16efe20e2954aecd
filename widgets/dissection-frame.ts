/**
 * The frame both dissection views (DissectionHistogram, DissectionComparison) start from: the
 * headline, the element the Plotly chart goes into, and the IoU threshold slider, which recounts
 * in the page as it moves.
 */
import { labelledSlider } from './attribution-controls';
import { applyThemeClass } from './theme';
import './dissection-histogram.css';

/** The parts of a dissection view's frame. */
export interface DissectionFrame {
  headline: HTMLDivElement;
  chartEl: HTMLDivElement;
  threshold: ReturnType<typeof labelledSlider>;
}

/** Theme and class `root`, and make the headline, the chart element and the IoU slider (0 to 0.5) starting at `iou`. */
export function dissectionFrame(root: HTMLElement, classes: string[], iou: number, onInput: (iou: number) => void): DissectionFrame {
  applyThemeClass(root);
  root.classList.add(...classes);
  const headline = document.createElement('div');
  headline.className = 'cl-dh-headline';
  const chartEl = document.createElement('div');
  chartEl.className = 'cl-dh-chart';
  const threshold = labelledSlider('IoU >', { min: 0, max: 0.5, step: 0.005, value: iou, format: (v) => v.toFixed(3) }, onInput);
  return { headline, chartEl, threshold };
}
