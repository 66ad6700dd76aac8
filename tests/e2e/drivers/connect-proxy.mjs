// A tiny HTTP CONNECT proxy for Firefox: the fixture site's host names (chatgpt.com, chat.openai.com,
// files.oaiusercontent.com) are tunnelled to the local site's port; every other host is refused, so no
// request of the browser under test can leave the machine. Firefox has no equivalent of Chromium's
// --host-resolver-rules that also changes the port, and a proxy preference is the supported way.
import net from 'node:net';

const MAX_HEADER = 8_192;

/** Starts the proxy on 127.0.0.1 (any free port). `hosts`: names to tunnel to 127.0.0.1:`port`. */
export async function startConnectProxy({ hosts, port }) {
  const allowed = new Set(hosts);
  const sockets = new Set();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    let head = Buffer.alloc(0);
    const onData = (chunk) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > MAX_HEADER) client.end('HTTP/1.1 431 Request Header Fields Too Large\r\n\r\n');
        return;
      }
      client.off('data', onData);
      const [method, target] = head.subarray(0, end).toString('latin1').split('\r\n')[0].split(' ');
      const [host, targetPort] = (target ?? '').split(':');
      if (method !== 'CONNECT' || targetPort !== '443' || !allowed.has(host)) {
        client.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\nthe e2e proxy only tunnels ${[...allowed].join(', ')} on port 443\n`);
        return;
      }
      const upstream = net.connect(port, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        const rest = head.subarray(end + 4);
        if (rest.length) upstream.write(rest);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      sockets.add(upstream);
      upstream.on('close', () => {
        sockets.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
    };
    client.on('data', onData);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: server.address().port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
