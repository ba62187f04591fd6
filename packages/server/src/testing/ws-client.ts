import WebSocket from 'ws';

/** A real WebSocket client that records every JSON message, with a helper to wait for one. */
export const connectSocket = async (url: string, headers: Record<string, string>) => {
  const socket = new WebSocket(url, { headers });
  const messages: any[] = [];
  const waiters: { match: (m: any) => boolean; resolve: (m: any) => void }[] = [];
  socket.on('message', (raw) => {
    const m = JSON.parse(String(raw));
    messages.push(m);
    for (const w of [...waiters]) if (w.match(m)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m); }
  });
  await new Promise<void>((resolve, reject) => { socket.once('open', () => resolve()); socket.once('error', reject); socket.once('unexpected-response', (_, res) => reject(new Error(`HTTP ${res.statusCode}`))); });
  return {
    socket, messages,
    waitFor(match: (m: any) => boolean, timeoutMs = 5000) {
      const found = messages.find(match);
      if (found) return Promise.resolve(found);
      return new Promise<any>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for a socket message')), timeoutMs);
        waiters.push({ match, resolve: (m) => { clearTimeout(timer); resolve(m); } });
      });
    },
    send: (m: unknown) => socket.send(JSON.stringify(m)),
    close: () => socket.close(),
  };
};
