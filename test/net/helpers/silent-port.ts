import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/**
 * A port on 127.0.0.1 whose handshakes go unanswered, like a firewall that drops:
 * a child process listens with a backlog of 1 and then blocks its event loop, so it
 * never accepts; once its accept queue is full the kernel drops further SYNs.
 */
export async function startSilentPort(): Promise<{ port: number; close(): void }> {
  const script = `const s=require('net').createServer();s.listen({port:0,host:'127.0.0.1',backlog:1},()=>{process.stdout.write(s.address().port+'\\n');setTimeout(()=>Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0,60000),50)})`;
  const child: ChildProcess = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    child.once('exit', () => reject(new Error('silent port helper exited')));
  });
  await new Promise((r) => setTimeout(r, 200));
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 4; i++) {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => {});
    fillers.push(s);
  }
  await new Promise((r) => setTimeout(r, 200));
  return {
    port,
    close: () => {
      for (const s of fillers) s.destroy();
      child.kill();
    },
  };
}
