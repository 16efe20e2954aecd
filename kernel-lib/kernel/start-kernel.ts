import * as path from 'path';
import { createExecutor } from 'tslab/dist/executor';
import { JupyterHandlerImpl } from 'tslab/dist/jupyter';
import { LiveCommTransport } from './comm-manager';
import { setCommTransport } from '../comm/comm-types';
import { LazyConverterSet } from './converter-set';
import { shareConverterTimer } from './converter-timer';
import { ExecuteHandler } from './execute-handler';
import { interruptKernel } from './interrupt';
import { currentContext } from './message-context';
import { ConvlensKernelServer } from './kernel-server';
import { routeOutputToIopub } from './output-routing';
import { packageRoot } from '../core/package-root';
import { setKernelStop } from '../core/run-control';
import { exitWithParent } from './parent-watch';
import { aliasConvlensRequire } from './require-alias';
import { shellRoutes } from './shell-routes';
import { SigintGuard } from './sigint-guard';
import { tslabTypescript } from './tslab-typescript';
import { installMounts, notebookMounts } from './virtual-mounts';
import { widgetTransport } from '../ipywidgets/transport';

/**
 * Start the convlens kernel for the Jupyter connection file `configPath`, in the current folder
 * (Jupyter starts kernels in the notebook's folder): tslab's converter, executor and ZeroMQ
 * server, plus comms, binary buffers, full execute protocol and convlens/Node types everywhere.
 */
export async function startKernel(configPath: string): Promise<ConvlensKernelServer> {
  const root = packageRoot();
  aliasConvlensRequire(root);
  const ts = tslabTypescript();
  shareConverterTimer(ts);
  installMounts(ts, notebookMounts(process.cwd(), root, nodeTypesFolder(root)));

  const converters = new LazyConverterSet();
  void converters.node; // Warm the Node.js converter (a few hundred ms) before the first cell.
  const executor = createExecutor(process.cwd(), converters, ExecuteHandler.executorConsole());
  const tslab = new JupyterHandlerImpl(executor, false);

  const realStderr = process.stderr.write.bind(process.stderr);
  const server = new ConvlensKernelServer(tslab, configPath, (text) => realStderr(text));
  await server.init();
  const { log, display } = routeOutputToIopub(server.sender);
  const comms = new LiveCommTransport(server.sender, display, log);
  setCommTransport(comms);
  widgetTransport(); // registers jupyter.widget.control, which frontends query as soon as they connect
  // An interrupt stops the running cell's await (tslab) and every convlens run started before it.
  const interrupt = () => {
    interruptKernel();
    executor.interrupt();
  };
  setKernelStop(() => currentContext()?.stop);
  const sigint = new SigintGuard(interrupt);
  const execute = new ExecuteHandler(executor, server.sender, () => sigint.rearm(), (text) => realStderr(text));
  server.setRoutes(shellRoutes({ tslab, execute, comms, interrupt }));
  exitWithParent();
  // Errors escaping async work of a cell are shown in that cell (or the last one); the kernel survives.
  process.on('uncaughtException', (err) => process.stderr.write(`Uncaught exception: ${err?.stack ?? String(err)}\n`));
  process.on('unhandledRejection', (reason) =>
    process.stderr.write(`Unhandled promise rejection: ${reason instanceof Error ? reason.stack : String(reason)}\n`));
  return server;
}

/** The folder of `@types/node` as seen from convlens (or from tslab, which depends on it). */
function nodeTypesFolder(root: string): string | undefined {
  for (const from of [root, path.dirname(require.resolve('tslab/package.json'))]) {
    try {
      return path.dirname(require.resolve('@types/node/package.json', { paths: [from] }));
    } catch {
      // not installed there
    }
  }
  return undefined;
}
