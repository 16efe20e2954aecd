/**
 * The feature-visualization lectures execute headless on the real convlens kernel
 * (`nbconvert --execute`) on the shipped shapes-cnn, short (CONVLENS_CI=1: a tenth of the steps),
 * and their printed checks hold: scores rise, regularizers do their jobs, inversion and Gram
 * losses fall, adversarial images stay within their bound, fooling images pass 99 %, no leaks;
 * the live controls (interact) ran once without an error in their Output area.
 */
import { executeNotebook, useInstalledKernel } from '../../kernel/python-harness';

const prefix = useInstalledKernel();
process.env.CONVLENS_CI = '1';

/** Execute a notebook; returns what its cells and its interact Output areas (saved widget state) printed. */
function run(name: string): string {
  const { nb, outputs, text } = executeNotebook(prefix(), name, 300);
  const state = Object.values<any>(nb.metadata.widgets?.['application/vnd.jupyter.widget-state+json']?.state ?? {});
  const captured = state.filter((m) => m.model_name === 'OutputModel').flatMap((m) => m.state.outputs ?? []);
  expect([...outputs, ...captured].filter((o: any) => o.output_type === 'error')).toEqual([]);
  expect(text).toMatch(/nothing leaked/);
  expect(text).not.toMatch(/LEAKED/);
  return text + captured.filter((o: any) => o.output_type === 'stream').map((o: any) => [].concat(o.text).join('')).join('');
}

const numbers = (s: string) => s.trim().split(/\s+/).map(Number);

test('05-class-models-and-regularization', () => {
  const text = run('05-class-models-and-regularization.ipynb');
  expect(text).toMatch(/nothing leaked \(the lab holds \d+ tensors/);
  expect(text.match(/score rose: true/g)?.length).toBe(3);
  expect(Number(/min P\(class\) = ([\d.]+)/.exec(text)![1])).toBeGreaterThan(0.99);
  const norms = numbers(/‖x − mean‖ = ([\d. ]+)/.exec(text)![1]);
  expect(norms[1]).toBeLessThan(norms[0]);
  expect(norms[2]).toBeLessThan(norms[1]);
  const hf = numbers(/high-frequency energy = ([\d. ]+)/.exec(text)![1]);
  expect(hf[2]).toBeLessThan(hf[0]);
  const share = numbers(/share of pixels at the mean = ([\d. ]+)/.exec(text)![1]);
  expect(share[1]).toBeGreaterThanOrEqual(0.49);
  expect(share[2]).toBeGreaterThanOrEqual(0.89);
  expect(text).toMatch(/lab: \d+ steps, \d+ frames, score/);
}, 900_000);

test('06-deepdream', () => {
  const text = run('06-deepdream.ipynb');
  expect(text.match(/\(rose: true\)/g)?.length).toBe(3);
  expect(text).toMatch(/conv3, 3 octave\(s\), jitter 2: mean square activation/); // the live dream's first run
}, 900_000);

test('07-inversion-and-style', () => {
  const text = run('07-inversion-and-style.ipynb');
  expect(text).toMatch(/earlier layers more faithful: true/);
  expect(text).toMatch(/Gram loss [^\n]*\(fell: true\)/);
  const [, before, after] = /style \+ content loss ([\d.]+) → ([\d.]+)/.exec(text)!;
  expect(Number(after)).toBeLessThan(Number(before));
  expect(text).toMatch(/conv2, tv 0.05: feature error [\d.]+ · pixel RMS error [\d.]+/); // the live inversion's first run
  expect(text).toMatch(/content weight 1.0: style loss [\d.]+ · content loss [\d.]+/); // the content-weight slider's first run
}, 900_000);

test('08-adversarial', () => {
  const text = run('08-adversarial.ipynb');
  expect(text).toMatch(/within the bound: true/);
  expect(Number(/reached: (\d)\/8/.exec(text)![1])).toBeGreaterThanOrEqual(5);
  expect(text).toMatch(/all > 99 %: true/);
  expect(text).toMatch(/ε 0.030: \d\/8 change class/); // the ε slider's first run
  expect(text).toMatch(/→ heart: reached \d\/8 in \d+ steps/); // the target drop-down's first run
}, 900_000);
