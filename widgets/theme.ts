/**
 * Light and dark themes. Colours are CSS variables (see theme.css) resolved from JupyterLab's
 * `--jp-*` variables, VS Code's `--vscode-*` variables, or plain fallbacks in classic Notebook and
 * static HTML. Canvas and Plotly drawings cannot use CSS variables directly, so this module reads
 * their resolved values and tells views when the theme changes.
 */
import './theme.css';

/** Resolved colours for drawing on canvas or in Plotly. */
export interface ThemeColors {
  dark: boolean;
  background: string;
  foreground: string;
  muted: string;
  border: string;
  accent: string;
  font: string;
}

/** Add the convlens theme classes to a view's root element. */
export function applyThemeClass(el: HTMLElement): void {
  el.classList.add('convlens', 'cl-auto-theme');
}

/** True when the page shows a dark theme (JupyterLab, VS Code, or a dark background). */
export function isDarkTheme(el: Element = document.body): boolean {
  const body = document.body;
  const jpLight = body.getAttribute('data-jp-theme-light');
  if (jpLight !== null) return jpLight === 'false';
  if (body.classList.contains('vscode-dark') || body.classList.contains('vscode-high-contrast')) {
    return !body.classList.contains('vscode-high-contrast-light');
  }
  if (body.classList.contains('vscode-light')) return false;
  return luminance(getComputedStyle(el).getPropertyValue('--cl-bg')) < 0.5;
}

/** The theme colours as resolved for `el` (which must carry the `convlens` class). */
export function themeColors(el: HTMLElement): ThemeColors {
  const style = getComputedStyle(el);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    dark: isDarkTheme(el),
    background: read('--cl-bg', '#ffffff'),
    foreground: read('--cl-fg', '#212121'),
    muted: read('--cl-fg-muted', '#616161'),
    border: read('--cl-border', '#bdbdbd'),
    accent: read('--cl-accent', '#1976d2'),
    font: read('--cl-font', 'sans-serif'),
  };
}

/**
 * Call `cb` whenever the page theme changes (JupyterLab theme switch, VS Code theme switch, OS
 * dark mode). Returns a function that stops observing.
 */
export function onThemeChange(cb: () => void): () => void {
  const observer = new MutationObserver(cb);
  observer.observe(document.body, {
    attributes: true,
    attributeFilter: ['data-jp-theme-light', 'data-jp-theme-name', 'class'],
  });
  const media = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : undefined;
  media?.addEventListener?.('change', cb);
  return () => {
    observer.disconnect();
    media?.removeEventListener?.('change', cb);
  };
}

/** Relative luminance (0..1) of a CSS colour in `#rgb`, `#rrggbb` or `rgb()` form; 1 if unknown. */
export function luminance(color: string): number {
  const c = color.trim();
  let rgb: number[] | undefined;
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(c);
  if (hex) {
    const h = hex[1].length === 3 ? hex[1].replace(/./g, (x) => x + x) : hex[1];
    rgb = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
  } else {
    const m = /^rgba?\(([^)]+)\)$/i.exec(c);
    if (m) rgb = m[1].split(/[ ,/]+/).slice(0, 3).map(Number);
  }
  if (!rgb || rgb.some((v) => !Number.isFinite(v))) return 1;
  return (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255;
}
