/**
 * "Save Notebook Widget State" for the classic Notebook (as ipywidgets' own classic extension
 * offers): stores the state of every live widget in the notebook's `metadata.widgets`, then saves.
 * The widgets then show when the notebook is opened before its cells are re-run, and in
 * `nbconvert --to html` without `--execute`.
 */
import type { ManagerBase } from '@jupyter-widgets/base-manager';

const STATE_MIMETYPE = 'application/vnd.jupyter.widget-state+json';

/** Store the widget state of `manager` in `notebook.metadata.widgets` and save the notebook. */
export async function saveWidgetState(notebook: any, manager: ManagerBase | undefined): Promise<void> {
  if (!manager) throw new Error('convlens: no widget manager yet (no kernel)');
  const state = await manager.get_state({ drop_defaults: true });
  notebook.metadata.widgets = { [STATE_MIMETYPE]: state };
  await notebook.save_notebook();
}

/** Register the `convlens:save-with-widget-state` action and add it to the File menu. */
export function addSaveStateMenu(Jupyter: any, manager: () => ManagerBase | undefined): void {
  const run = () =>
    saveWidgetState(Jupyter.notebook, manager()).catch((err) => console.error('convlens: saving widget state failed', err));
  Jupyter.keyboard_manager?.actions?.register(
    { help: 'Save the notebook with the state of its widgets', icon: 'fa-save', handler: run },
    'save-with-widget-state',
    'convlens',
  );
  const menu = document.querySelector('#file_menu');
  if (!menu || menu.querySelector('#convlens_save_widget_state')) return;
  const item = document.createElement('li');
  item.id = 'convlens_save_widget_state';
  const link = document.createElement('a');
  link.href = '#';
  link.textContent = 'Save Notebook Widget State';
  link.title = 'Store the widgets in the notebook, so they show before the cells are run again and in HTML exports';
  link.addEventListener('click', (e) => {
    e.preventDefault();
    void run();
  });
  item.appendChild(link);
  menu.appendChild(item);
}
