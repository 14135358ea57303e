// A real redis-server (Debian's) for one test file: its own instance on a free port, every write
// fsynced to its append-only file (so a killed server restarts with what it acknowledged), stopped
// by its pid afterwards. Never the system service.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Whether something on `port` answers PING. */
function pings(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' }, () => socket.write('PING\r\n'));
    socket.once('data', (data) => (socket.destroy(), resolve(data.toString().startsWith('+PONG'))));
    socket.once('error', () => resolve(false));
  });
}

/** Starts redis-server with `args` added (later ones win); resolves once it answers. */
export async function startRedis(args = []) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'wss-redis-'));
  let child;
  const start = async () => {
    child = spawn('redis-server', [
      '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always',
      '--dir', dir, '--daemonize', 'no', ...args,
    ], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.exited = exited;
    for (let waited = 0; !(await pings(port)); waited += 20) {
      if (waited > 10_000) throw new Error('redis-server did not start');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await start();
  const stopWith = async (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await child.exited;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    /** Kills the server at once (SIGKILL), as a crash would. */
    kill: () => stopWith('SIGKILL'),
    /** Starts it again on the same port and files. */
    restart: start,
    stop: async () => {
      await stopWith('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
