/**
 * One shared tooltip element for all convlens views: text near the pointer, themed, never
 * intercepting pointer events.
 */

let tooltipEl: HTMLDivElement | undefined;

function element(): HTMLDivElement {
  if (!tooltipEl || !tooltipEl.isConnected) {
    tooltipEl = document.createElement('div');
    tooltipEl.className = 'convlens convlens-tooltip';
    tooltipEl.setAttribute('role', 'tooltip');
    tooltipEl.style.display = 'none';
    document.body.appendChild(tooltipEl);
  }
  return tooltipEl;
}

/** Show `text` (may contain newlines) next to the pointer position of `event`. */
export function showTooltip(text: string, event: { clientX: number; clientY: number }): void {
  const el = element();
  el.textContent = text;
  el.style.display = 'block';
  const pad = 12;
  const { innerWidth, innerHeight } = window;
  const rect = el.getBoundingClientRect();
  const x = event.clientX + pad + rect.width > innerWidth ? event.clientX - pad - rect.width : event.clientX + pad;
  const y = event.clientY + pad + rect.height > innerHeight ? event.clientY - pad - rect.height : event.clientY + pad;
  el.style.left = `${Math.max(0, x)}px`;
  el.style.top = `${Math.max(0, y)}px`;
}

/** Hide the tooltip. */
export function hideTooltip(): void {
  if (tooltipEl) tooltipEl.style.display = 'none';
}

/** The target the pointer is over, its text and the last pointer position (for {@link refreshTooltip}). */
let hovered: { target: HTMLElement; text: () => string; at: { clientX: number; clientY: number } } | undefined;

/** Show `text()` while the pointer is over `target`; returns a function that removes the handlers. */
export function attachTooltip(target: HTMLElement, text: () => string): () => void {
  const move = (e: MouseEvent) => {
    hovered = { target, text, at: { clientX: e.clientX, clientY: e.clientY } };
    showTooltip(text(), e);
  };
  const leave = () => {
    if (hovered?.target === target) hovered = undefined;
    hideTooltip();
  };
  target.addEventListener('mousemove', move);
  target.addEventListener('mouseleave', leave);
  return () => {
    target.removeEventListener('mousemove', move);
    target.removeEventListener('mouseleave', leave);
    leave();
  };
}

/**
 * Recompute the tooltip of `target` where the pointer rests, when what it describes changed
 * without the pointer moving (e.g. a new heatmap after the class was changed).
 */
export function refreshTooltip(target: HTMLElement): void {
  if (hovered?.target === target && tooltipEl?.style.display === 'block') showTooltip(hovered.text(), hovered.at);
}
