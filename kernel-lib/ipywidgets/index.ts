/**
 * `convlens/widgets`: kernel-side widgets speaking the Jupyter widgets protocol 2.1.0
 * (ipywidgets 8 frontends): the Widget base and its wire encoding, the standard controls,
 * Output capture, `interact`, `progress` and the offline (recording) transport. What a notebook
 * needs of it is also in the package root.
 */
export * from './protocol';
export { Widget, type Change, type WidgetOptions, type CustomMessageHandler } from './widget';
export { isWidget, widgetById, liveWidgets, type RegisteredWidget } from './registry';
export { encodeState, putBuffers, type EncodedState, type BufferPath } from './state-codec';
export { widgetTransport, offlineTransport, widgetsAreLive } from './transport';
export { publishDisplayData, clearOutput, type OutputSink } from './output-capture';
export * from './layout';
export * from './style';
export * from './dom-widget';
export * from './sliders';
export * from './selection';
export * from './checkbox';
export * from './button';
export * from './text';
export * from './image';
export * from './int-progress';
export * from './play';
export * from './boxes';
export * from './output';
export * from './link';
export { LatestWinsRunner, type LatestWinsOptions } from './latest-wins';
export * from './interact-controls';
export * from './interact';
export * from './progress-format';
export * from './progress';
export { OfflineTransport, type RecordedMessage, type RecordedJson, type OfflineTransportOptions } from '../comm/offline-transport';
export { toMimeBundle, type MimeBundle } from '../comm/mime-bundle';
