/**
 * A Jupyter connection file for one kernel: five free loopback ports and
 * a fresh HMAC key. The kernel binds the ports; the client signs every
 * message with the key, so other local users cannot drive the kernel.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** The fields of Jupyter's connection file (snake_case, as on disk). */
export interface ConnectionInfo {
  version: number;
  ip: string;
  transport: 'tcp';
  signature_scheme: 'hmac-sha256';
  key: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  kernel_name: string;
}

const LOOPBACK = '127.0.0.1';
const CHANNELS = 5;

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/**
 * Ports the system hands out as free. All servers stay open until every
 * port is known, so the five ports differ.
 */
async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => net.createServer());
  try {
    return await Promise.all(servers.map(listen));
  } finally {
    await Promise.all(
      servers.map((s) => new Promise<void>((done) => s.close(() => done()))),
    );
  }
}

export async function createConnectionInfo(
  kernelName: string,
): Promise<ConnectionInfo> {
  const [shell, iopub, stdin, control, heartbeat] = await freePorts(CHANNELS);
  return {
    version: 5,
    ip: LOOPBACK,
    transport: 'tcp',
    signature_scheme: 'hmac-sha256',
    key: crypto.randomBytes(32).toString('hex'),
    shell_port: shell,
    iopub_port: iopub,
    stdin_port: stdin,
    control_port: control,
    hb_port: heartbeat,
    kernel_name: kernelName,
  };
}

/**
 * Writes the connection file into a new private folder (it holds the
 * key); returns its path. `removeConnectionFile` deletes the folder.
 */
export function writeConnectionFile(info: ConnectionInfo): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-kernel-'));
  const file = path.join(dir, 'connection.json');
  fs.writeFileSync(file, JSON.stringify(info, null, 2), { mode: 0o600 });
  return file;
}

export function removeConnectionFile(file: string): void {
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
}
