/**
 * The kernel, assembled from tslab's exported pieces the way tslab's own
 * `startKernel` does, with the execute path replaced by CellRunner (real
 * Jupyter errors, execute_input, the banner) and SIGINT handled by
 * InterruptHandler.
 */
import type * as Converter from 'tslab/dist/converter';
import type * as Executor from 'tslab/dist/executor';
import type * as Jupyter from 'tslab/dist/jupyter';

import { CellIo, CellRunner, ExecuteRequest } from './cell_runner';
import { ErrorRecorder } from './error_recorder';
import { InterruptHandler } from './interrupt';
import { Tslab } from './tslab_internals';

type ZmqMessage = Parameters<Jupyter.ZmqServer['handleExecute']>[1];
type KernelInfo = ReturnType<Jupyter.JupyterHandlerImpl['handleKernel']>;

export interface KernelOptions {
  configPath: string;
  /** The notebook's folder: cells resolve modules from here. */
  cwd: string;
  /** The banner line; resolves when the runtime has started. */
  banner: Promise<string>;
  /** The subface version, reported in kernel_info. */
  version: string;
  /** Folders whose stack frames errors leave out. */
  hiddenDirs: string[];
}

export interface Kernel {
  /** Binds the sockets; the kernel then answers requests. */
  start(): Promise<void>;
  interrupts: InterruptHandler;
}

/** tslab's converters, with each type-check's diagnostics recorded. */
function createConverters(
  tslab: Tslab,
  recorder: ErrorRecorder,
): Executor.ConverterSet {
  const create = (isBrowser: boolean) =>
    tslab.converter.createConverter({ isJS: false, isBrowser });
  let node: Converter.Converter | null = null;
  let browser: Converter.Converter | null = null;
  return {
    get node() {
      node ??= recordDiagnostics(create(false), recorder);
      return node;
    },
    get browser() {
      browser ??= create(true);
      return browser;
    },
    close() {
      node?.close();
      browser?.close();
    },
  };
}

function recordDiagnostics(
  converter: Converter.Converter,
  recorder: ErrorRecorder,
): Converter.Converter {
  return {
    convert: (prevDecl, src) => {
      const result = converter.convert(prevDecl, src);
      recorder.noteDiagnostics(result.diagnostics);
      return result;
    },
    inspect: (...args) => converter.inspect(...args),
    complete: (...args) => converter.complete(...args),
    addModule: (...args) => converter.addModule(...args),
    close: () => converter.close(),
  };
}

/** The IOPub side of one request. */
function cellIo(server: Jupyter.ZmqServer, request: ZmqMessage): CellIo {
  const publish = (msgType: string, content: object) => {
    const message = request.createReply();
    message.header.msg_type = msgType;
    message.content = content;
    message.signAndSend(server.connInfo.key, server.iopub);
  };
  return {
    publish,
    stream: (name, text) => publish('stream', { name, text }),
    display: (data, update) =>
      publish(update ? 'update_display_data' : 'display_data', data),
  };
}

/** After a shutdown request, exit even if a library keeps handles open. */
const EXIT_GRACE_MS = 2000;

function serverClass(tslab: Tslab, runner: CellRunner) {
  return class SubfaceServer extends tslab.jupyter.ZmqServer {
    override async handleExecute(sock: unknown, request: ZmqMessage) {
      const reply = request.createReply();
      reply.header.msg_type = 'execute_reply';
      const content = request.content as ExecuteRequest;
      reply.content = await runner.execute(content, cellIo(this, request));
      reply.signAndSend(this.connInfo.key, sock);
    }

    override close(): void {
      super.close();
      setTimeout(() => process.exit(0), EXIT_GRACE_MS).unref();
    }
  };
}

function handlerClass(tslab: Tslab, version: string) {
  return class SubfaceHandler extends tslab.jupyter.JupyterHandlerImpl {
    override handleKernel(): KernelInfo {
      const info = super.handleKernel();
      info.implementation = 'subface';
      info.implementation_version = version;
      info.language_info.version = tslab.ts.version;
      info.banner = 'SubFace (TypeScript): tslab with the subface library';
      return info;
    }
  };
}

export function createKernel(tslab: Tslab, options: KernelOptions): Kernel {
  const recorder = new ErrorRecorder(options.hiddenDirs);
  const converters = createConverters(tslab, recorder);
  // Compiling the first program takes a while: do it before serving.
  void converters.node;
  const executor = tslab.executor.createExecutor(
    options.cwd,
    converters,
    recorder.console,
  );
  const interrupts = new InterruptHandler(() => executor.interrupt());
  const runner = new CellRunner({
    executor,
    jupyter: tslab.jupyter,
    util: tslab.util,
    recorder,
    interrupts,
    banner: options.banner,
  });
  const Handler = handlerClass(tslab, options.version);
  const Server = serverClass(tslab, runner);
  const server = new Server(new Handler(executor, false), options.configPath);
  return { start: () => server.init(), interrupts };
}
