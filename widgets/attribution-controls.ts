/**
 * Controls shared by the attribution views (OcclusionExplorer, AttributionView): a labelled range
 * slider, the class dropdown, and a status line with progress and errors. Each control writes to
 * the model and calls `save` (the view's touch), so the kernel recomputes latest-wins.
 */
import './attribution.css';

/** A `<label class="cl-control">` starting with the control's name. */
function controlLabel(label: string): HTMLLabelElement {
  const element = document.createElement('label');
  element.className = 'cl-control';
  const name = document.createElement('span');
  name.className = 'cl-control-name';
  name.textContent = label;
  element.append(name);
  return element;
}

/** A slider bound to an integer/number model key; returns its root element and an updater. */
export function labelledSlider(
  label: string,
  opts: { min: number; max: number; step: number; value: number; format?: (v: number) => string },
  onInput: (value: number) => void,
): { element: HTMLLabelElement; update(value: number, max?: number): void } {
  const element = controlLabel(label);
  const input = document.createElement('input');
  input.type = 'range';
  input.setAttribute('aria-label', label);
  Object.assign(input, { min: String(opts.min), max: String(opts.max), step: String(opts.step), value: String(opts.value) });
  const readout = document.createElement('span');
  readout.className = 'cl-control-value';
  const format = opts.format ?? ((v: number) => String(v));
  readout.textContent = format(opts.value);
  input.addEventListener('input', () => {
    readout.textContent = format(Number(input.value));
    onInput(Number(input.value));
  });
  element.append(input, readout);
  return {
    element,
    update(value: number, max?: number) {
      if (max !== undefined) input.max = String(max);
      if (document.activeElement !== input) input.value = String(value);
      readout.textContent = format(value);
    },
  };
}

/** A labelled dropdown of fixed `[value, text]` options; `onChange` gets the chosen value. */
export function labelledSelect<V extends string>(label: string, options: ReadonlyArray<readonly [V, string]>, onChange: (value: V) => void): { element: HTMLLabelElement; select: HTMLSelectElement } {
  const element = controlLabel(label);
  const select = document.createElement('select');
  select.setAttribute('aria-label', label);
  for (const [value, text] of options) {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    select.append(o);
  }
  select.addEventListener('change', () => onChange(select.value as V));
  element.append(select);
  return { element, select };
}

/** The class dropdown: options are "name: probability" labels; `onChange` gets the class index. */
export function classSelect(onChange: (index: number) => void): { element: HTMLLabelElement; update(labels: string[], selected: number): void } {
  const element = controlLabel('Class');
  const select = document.createElement('select');
  select.setAttribute('aria-label', 'Class');
  select.addEventListener('change', () => onChange(Number(select.value)));
  element.append(select);
  let shown: string[] = [];
  return {
    element,
    update(labels: string[], selected: number) {
      if (labels.join('\n') !== shown.join('\n')) {
        select.replaceChildren(
          ...labels.map((l, i) => {
            const o = document.createElement('option');
            o.value = String(i);
            o.textContent = l;
            return o;
          }),
        );
        shown = [...labels];
      }
      select.value = String(selected);
    },
  };
}

/** A status line: "computing 40%" while busy, the error in red, empty otherwise. */
export function statusLine(): { element: HTMLDivElement; update(busy: boolean, progress: number, error: string): void } {
  const element = document.createElement('div');
  element.className = 'cl-status';
  return {
    element,
    update(busy: boolean, progress: number, error: string) {
      element.classList.toggle('cl-error', !!error);
      element.textContent = error ? error : busy ? `computing ${Math.round(100 * (progress || 0))}%` : '';
    },
  };
}
