import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as zmq from 'zeromq';
import { ZmqServer, type JupyterHandlerImpl } from 'tslab/dist/jupyter';
import { BadMessageError } from './comm-manager';
import { thrownValueError } from './execution-error';
import { createSigner, type MessageSigner } from './hmac';
import { runInContext } from './message-context';
import { MessageSender, type SendableSocket } from './message-sender';
import type { ShellRoute } from './shell-routes';
import { decodeMessage, type JupyterMessage } from './wire';

/**
 * tslab's ZeroMQ server (sockets, heartbeat, connection file) with convlens's message handling:
 * signed decoding with binary buffers, busy/idle around every message, a route per msg_type,
 * and errors turned into error replies instead of crashes. Messages are handled concurrently
 * (cells are queued by the execute handler), so comm messages are handled while a cell awaits.
 */
export class ConvlensKernelServer extends ZmqServer {
  /** @internal Sends signed messages; available once {@link ConvlensKernelServer.init} resolved. */
  sender!: MessageSender;
  private signer!: MessageSigner;
  private routes: Record<string, ShellRoute> = {};

  /**
   * @param tslab tslab's handler (kept for `close`, which releases the converters).
   * @param configPath the connection file.
   * @param log the kernel log (the real stderr).
   */
  constructor(tslab: JupyterHandlerImpl, configPath: string, private readonly log: (text: string) => void) {
    super(tslab, configPath);
  }

  /**
   * Read the connection file, create the signer, the sockets and the sender, bind the sockets,
   * and only then start reading them. (tslab's own init starts its read loops before binding: a
   * client that connected early gets its message in during the bind, the loop's next receive
   * throws EBUSY and the kernel dies; and that message arrived before the signer existed.)
   */
  override async init(): Promise<void> {
    const info = JSON.parse(fs.readFileSync(this.configPath, 'utf-8')) as ZmqServer['connInfo'];
    this.connInfo = info;
    this.signer = createSigner(info.signature_scheme, info.key);
    this.iopub = new zmq.Publisher();
    this.shell = new zmq.Router();
    this.control = new zmq.Router();
    this.stdin = new zmq.Router();
    this.hb = new zmq.Reply();
    this.sender = new MessageSender(this.signer, randomUUID(), this.iopub, this.log);
    const address = (port: number) => `${info.transport}://${info.ip}:${port}`;
    await Promise.all([
      this.iopub.bind(address(info.iopub_port)),
      this.shell.bind(address(info.shell_port)),
      this.control.bind(address(info.control_port)),
      this.stdin.bind(address(info.stdin_port)),
      this.hb.bind(address(info.hb_port)),
    ]);
    void this.serve(this.shell, (frames) => void this.handleShellMessage(this.shell, ...frames));
    void this.serve(this.control, (frames) => void this.handleShellMessage(this.control, ...frames));
    // The heartbeat echoes every ping (a reply socket: each echo is sent before the next read).
    void this.serve(this.hb, (frames) => this.hb.send(frames));
  }

  /**
   * Hand every message `socket` receives to `handle`, until the socket is closed; a promise that
   * `handle` returns is awaited before the next read (shell and control handlers return none, so
   * their messages are handled concurrently).
   */
  private async serve(socket: zmq.Router | zmq.Reply, handle: (frames: Buffer[]) => void | Promise<void>): Promise<void> {
    try {
      for await (const frames of socket) await handle(frames);
    } catch (e) {
      if (!socket.closed) this.log(`convlens kernel: stopped reading a socket: ${(e as Error).message}\n`);
    }
  }

  /** @internal Install the message routes; messages arriving before this are dropped. */
  setRoutes(routes: Record<string, ShellRoute>): void {
    this.routes = routes;
  }

  /** Handle one message from the shell or control socket (called by the read loops of {@link ConvlensKernelServer.init}). */
  override async handleShellMessage(socket: zmq.Router, ...frames: Buffer[]): Promise<void> {
    let msg: JupyterMessage;
    try {
      msg = decodeMessage(frames, this.signer);
    } catch (e) {
      this.log(`convlens kernel: dropped a message: ${(e as Error).message}\n`);
      return;
    }
    this.sender.publish('status', { execution_state: 'busy' }, msg.header);
    let shutdown = false;
    try {
      if (msg.header.msg_type === 'shutdown_request') {
        shutdown = true;
        this.sender.reply(socket, msg, 'shutdown_reply', { status: 'ok', restart: msg.content.restart === true });
      } else {
        await runInContext({ parent: msg.header }, () => this.dispatch(socket, msg));
      }
    } finally {
      this.sender.publish('status', { execution_state: 'idle' }, msg.header);
    }
    if (shutdown) await this.shutdown();
  }

  private async dispatch(socket: SendableSocket, msg: JupyterMessage): Promise<void> {
    const route = this.routes[msg.header.msg_type];
    if (!route) {
      this.log(`convlens kernel: ignored unknown msg_type '${msg.header.msg_type}'\n`);
      return;
    }
    try {
      const content = await route.handle(msg);
      if (route.reply) this.sender.reply(socket, msg, route.reply, content ?? {});
    } catch (e) {
      this.report(e, msg);
      if (route.reply) this.sender.reply(socket, msg, route.reply, { status: 'error', ...thrownValueError(e) });
    }
  }

  /** A handler failed: bad requests go to the kernel log; errors in user code (comm callbacks) to the frontend too. */
  private report(error: unknown, msg: JupyterMessage): void {
    const what = `convlens kernel: ${msg.header.msg_type} failed: `;
    if (error instanceof BadMessageError) {
      this.log(what + error.message + '\n');
      return;
    }
    const { traceback } = thrownValueError(error);
    this.log(what + traceback.join('\n') + '\n');
    this.sender.publish('stream', { name: 'stderr', text: traceback.join('\n') + '\n' }, msg.header);
  }

  private async shutdown(): Promise<void> {
    await this.sender.flush();
    this.sender.stop();
    this.close();
    setTimeout(() => process.exit(0), 50).unref();
  }
}
