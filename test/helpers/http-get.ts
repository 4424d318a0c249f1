/** A plain HTTP/1.0 GET over TCP, for published ports in end-to-end tests (no agent, no keep-alive). */
import net from 'node:net';

/** Everything the server at host:port sends back for `GET /` (status line, headers, body) until it closes. */
export function httpGet(port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, host, () => s.write('GET / HTTP/1.0\r\n\r\n'));
    let out = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => (out += d));
    s.on('end', () => resolve(out));
    s.on('error', reject);
    s.setTimeout(5_000, () => s.destroy(new Error('timed out')));
  });
}
