/**
 * Which comm transport widgets use: the live one the convlens kernel installs, or else a shared
 * offline (recording) transport. The first time a transport is used, the widget targets are
 * registered on it (`jupyter.widget.control` answers `request_states` with every live widget).
 */
import { getInstalledCommTransport, type Comm, type CommTransport } from '../comm/comm-types';
import { OfflineTransport } from '../comm/offline-transport';
import { isRecord } from '../core/checks';
import { liveWidgets } from './registry';
import { WIDGET_CONTROL_PROTOCOL_VERSION, WIDGET_CONTROL_TARGET } from './protocol';
import { previewValue } from '../core/preview';

let fallback: OfflineTransport | undefined;
const prepared = new WeakSet<CommTransport>();

/** The offline transport used when no live transport is installed (created on first use). */
export function offlineTransport(): OfflineTransport {
  fallback ??= new OfflineTransport();
  return fallback;
}

/** The transport widgets use now: the installed live one, or the offline fallback. */
export function widgetTransport(): CommTransport {
  const t = getInstalledCommTransport() ?? offlineTransport();
  if (!prepared.has(t)) {
    prepared.add(t);
    t.registerTarget(WIDGET_CONTROL_TARGET, handleControlComm);
  }
  return t;
}

/** True inside a notebook with a live kernel transport (widgets are drawn). */
export function widgetsAreLive(): boolean {
  return widgetTransport().live;
}

function handleControlComm(comm: Comm): void {
  comm.onMessage((msg) => {
    try {
      const method = isRecord(msg.data) ? msg.data.method : undefined;
      if (method !== 'request_states') {
        console.error(`convlens widgets: unknown ${WIDGET_CONTROL_TARGET} method ${previewValue(method)}; expected "request_states"`);
        return;
      }
      const states: Record<string, unknown> = {};
      const bufferPaths: Array<Array<string | number>> = [];
      const buffers: DataView[] = [];
      for (const w of liveWidgets()) {
        const enc = w.serializedState();
        states[w.modelId] = {
          model_name: enc.state._model_name,
          model_module: enc.state._model_module,
          model_module_version: enc.state._model_module_version,
          state: enc.state,
        };
        enc.bufferPaths.forEach((p, i) => {
          bufferPaths.push([w.modelId, 'state', ...p]);
          buffers.push(enc.buffers[i]);
        });
      }
      comm.send({ method: 'update_states', states, buffer_paths: bufferPaths }, buffers, {
        version: WIDGET_CONTROL_PROTOCOL_VERSION,
      });
    } catch (e) {
      console.error('convlens widgets: request_states failed:', e);
    }
  });
}
