import net from 'node:net';

interface Pair {
  readonly client: net.Socket;
  readonly upstream: net.Socket;
}

/**
 * A TCP proxy between the app and PostgreSQL that a test can break the way networks and servers break,
 * without touching the server itself (it is shared):
 * - `cut()` resets every connection and turns new ones away until `restore()` — a server that went down
 *   or a link that dropped;
 * - `freeze()` stops moving bytes in both directions, closing nothing, until `thaw()` — a server that
 *   hangs (SIGSTOP, a stalled disk) or a partition. New connections are accepted and frozen too. What was
 *   sent meanwhile waits in socket buffers and arrives at the thaw, as it would from a stalled server.
 */
export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private state: 'open' | 'cut' | 'frozen' = 'open';

  private constructor(
    private readonly server: net.Server,
    private readonly target: { readonly host: string; readonly port: number },
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  /** Listens on an ephemeral port of 127.0.0.1 and forwards to `target`. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = net.createServer({ pauseOnConnect: true });
    const proxy = new TcpProxy(server, target);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  /** Forwards to the host and port of a postgres:// URL, and gives the same URL through the proxy. */
  static async forDatabaseUrl(databaseUrl: string): Promise<{ proxy: TcpProxy; url: string }> {
    const target = new URL(databaseUrl);
    const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    return { proxy, url: url.toString() };
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Connections currently forwarded (or frozen). */
  get connections(): number {
    return this.pairs.size;
  }

  cut(): void {
    this.state = 'cut';
    for (const pair of this.pairs) this.drop(pair);
  }

  restore(): void {
    if (this.state === 'cut') this.state = 'open';
  }

  freeze(): void {
    if (this.state !== 'open') return;
    this.state = 'frozen';
    for (const pair of this.pairs) stopForwarding(pair);
  }

  thaw(): void {
    if (this.state !== 'frozen') return;
    this.state = 'open';
    for (const pair of this.pairs) startForwarding(pair);
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) this.drop(pair);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    if (this.state === 'cut') {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect({ host: this.target.host, port: this.target.port });
    upstream.pause();
    const pair: Pair = { client, upstream };
    this.pairs.add(pair);
    const drop = () => this.drop(pair);
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    if (this.state === 'open') startForwarding(pair);
  }

  /** A reset rather than a polite close: what a crashed server or a dropped link leaves behind. */
  private drop(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    stopForwarding(pair);
    if (!pair.client.destroyed) pair.client.resetAndDestroy();
    if (!pair.upstream.destroyed) pair.upstream.resetAndDestroy();
  }
}

function startForwarding({ client, upstream }: Pair): void {
  client.pipe(upstream);
  upstream.pipe(client);
  client.resume();
  upstream.resume();
}

function stopForwarding({ client, upstream }: Pair): void {
  client.unpipe(upstream);
  upstream.unpipe(client);
  client.pause();
  upstream.pause();
}
