/**
 * Jupyter messaging with one kernel over ZMQ (enchannel-zmq-backend's
 * multiplexed channels, messages built by @nteract/messaging): waits
 * until the kernel answers kernel_info, runs execute requests and routes
 * each IOPub message to the request it belongs to (its parent header).
 */
import { createMessage, executeRequest } from '@nteract/messaging';
import { createMainChannel } from 'enchannel-zmq-backend';

import type { ConnectionInfo } from './connection';
import { delay } from './kernel_process';

/** The parts of a Jupyter message the extension reads. */
export interface JupyterMessage {
  header: { msg_id: string; msg_type: string };
  parent_header: { msg_id?: string };
  content: Record<string, unknown>;
  channel?: string;
}

export type ReplyStatus = 'ok' | 'error' | 'abort';

export interface ExecuteReply {
  status: ReplyStatus;
  executionCount: number | null;
}

/** enchannel's channels: a Subject of messages in both directions. */
interface Channels {
  subscribe(observer: {
    next: (message: JupyterMessage) => void;
    error?: (error: unknown) => void;
  }): { unsubscribe(): void };
  next(message: unknown): void;
  complete(): void;
}

interface PendingRequest {
  onMessage: (message: JupyterMessage) => void;
  reply: JupyterMessage | null;
  idle: boolean;
  resolve: (reply: ExecuteReply) => void;
  reject: (error: Error) => void;
}

/** How often kernel_info is asked again while the kernel starts. */
const KERNEL_INFO_RETRY_MS = 1000;
/** How long IOPub gets to deliver the status of a kernel_info request. */
const IOPUB_SETTLE_MS = 100;

export class KernelClient {
  private readonly pending = new Map<string, PendingRequest>();
  private readonly listeners = new Set<(m: JupyterMessage) => void>();
  /** Set by close() or a channel error; no request is sent after it. */
  private closedBecause: Error | null = null;

  private constructor(
    private readonly channels: Channels,
    private readonly unclaimed: (message: JupyterMessage) => void,
  ) {
    channels.subscribe({
      next: (message) => this.route(message),
      error: (error) => this.fail(error),
    });
  }

  /**
   * Connects the four channels; resolves once every socket is connected
   * (so only after the kernel has bound its ports).
   * @param unclaimed receives output that belongs to no running request
   */
  static async connect(
    info: ConnectionInfo,
    unclaimed: (message: JupyterMessage) => void,
  ): Promise<KernelClient> {
    const channels = (await createMainChannel(info)) as unknown as Channels;
    return new KernelClient(channels, unclaimed);
  }

  /**
   * Asks kernel_info until the kernel answers on shell and its IOPub
   * messages reach this client; resolves with the reply. ZMQ drops what a
   * kernel publishes before the subscription is in place, so a client that
   * went on after the shell reply alone could lose a first cell's outputs.
   */
  async waitUntilReady(): Promise<JupyterMessage> {
    let iopubSeen = false;
    const watch = (message: JupyterMessage) => {
      if (message.channel === 'iopub') iopubSeen = true;
    };
    this.listeners.add(watch);
    try {
      for (;;) {
        this.throwIfClosed();
        const request = createMessage('kernel_info_request');
        const reply = this.nextReply(
          request.header.msg_id,
          KERNEL_INFO_RETRY_MS,
        );
        this.send(request, 'shell');
        const answer = await reply;
        // The kernel publishes busy/idle around each request: give them
        // a moment to arrive before asking again.
        if (answer !== null && !iopubSeen) await delay(IOPUB_SETTLE_MS);
        if (answer !== null && iopubSeen) return answer;
      }
    } finally {
      this.listeners.delete(watch);
    }
  }

  /**
   * Runs `code`. `onMessage` gets the request's IOPub messages; the result
   * comes when both the execute_reply and the kernel's `idle` arrived.
   */
  execute(
    code: string,
    onMessage: (message: JupyterMessage) => void,
  ): Promise<ExecuteReply> {
    this.throwIfClosed();
    const request = executeRequest(code, {
      silent: false,
      store_history: true,
      allow_stdin: false,
      // The controller decides what runs after a failure.
      stop_on_error: false,
    });
    const done = new Promise<ExecuteReply>((resolve, reject) => {
      this.pending.set(request.header.msg_id, {
        onMessage,
        reply: null,
        idle: false,
        resolve,
        reject,
      });
    });
    this.send(request, 'shell');
    return done;
  }

  /** Asks the kernel to end itself (it closes its sockets and exits). */
  requestShutdown(): void {
    const request = createMessage('shutdown_request', {
      content: { restart: false },
    });
    this.send(request, 'control');
  }

  /** Closes the sockets; requests still running never resolve. */
  close(): void {
    if (this.closedBecause !== null) return;
    this.closedBecause = new Error('The connection to the kernel is closed.');
    this.pending.clear();
    this.channels.complete();
  }

  /** A channel failed (socket or message signature): running requests fail. */
  private fail(error: unknown): void {
    const why = error instanceof Error ? error.message : String(error);
    this.closedBecause = new Error(
      `The connection to the kernel failed: ${why}`,
    );
    for (const request of this.pending.values()) {
      request.reject(this.closedBecause);
    }
    this.pending.clear();
  }

  private throwIfClosed(): void {
    if (this.closedBecause !== null) throw this.closedBecause;
  }

  private send(message: { channel?: string }, channel: string): void {
    this.channels.next({ ...message, channel });
  }

  /** The reply whose parent is `msgId`, or null after `timeoutMs`. */
  private nextReply(
    msgId: string,
    timeoutMs: number,
  ): Promise<JupyterMessage | null> {
    return new Promise((resolve) => {
      const listener = (message: JupyterMessage) => {
        if (message.channel !== 'shell') return;
        if (message.parent_header?.msg_id !== msgId) return;
        finish(message);
      };
      const timer = setTimeout(() => finish(null), timeoutMs);
      const finish = (message: JupyterMessage | null) => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(message);
      };
      this.listeners.add(listener);
    });
  }

  private route(message: JupyterMessage): void {
    for (const listener of [...this.listeners]) listener(message);
    const parentId = message.parent_header?.msg_id;
    const request = parentId ? this.pending.get(parentId) : undefined;
    if (request === undefined) {
      const isOutput = message.header.msg_type !== 'status';
      if (message.channel === 'iopub' && isOutput) this.unclaimed(message);
      return;
    }
    const type = message.header.msg_type;
    if (type === 'execute_reply') {
      request.reply = message;
    } else if (type === 'status') {
      request.idle = message.content.execution_state === 'idle';
    } else if (message.channel === 'iopub') {
      request.onMessage(message);
    }
    if (request.reply !== null && request.idle) {
      this.pending.delete(parentId as string);
      request.resolve(toReply(request.reply));
    }
  }
}

function toReply(message: JupyterMessage): ExecuteReply {
  const status = message.content.status as ReplyStatus;
  const count = message.content.execution_count;
  return {
    status: status === 'ok' || status === 'abort' ? status : 'error',
    executionCount: typeof count === 'number' ? count : null,
  };
}
