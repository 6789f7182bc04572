import type { Channel, ClientMessage, HostMessage } from '../../../main/contract/wire.ts';

/**
 * A Channel over the browser's WebSocket; messages sent before it opens are queued. The token travels as a
 * sub-protocol (the only header a page can set on an upgrade); the server answers with the app's protocol alone.
 */
export function webSocketChannel(url: string, token: string): Channel<HostMessage, ClientMessage> {
  const socket = new WebSocket(url, ['lanyard.v1', `lanyard.token.${token}`]);
  const queue: string[] = [];
  socket.addEventListener('open', () => {
    for (const text of queue.splice(0)) socket.send(text);
  });
  return {
    send(message) {
      const text = JSON.stringify(message);
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
      else queue.push(text);
    },
    onMessage: (listener) => socket.addEventListener('message', (event) => listener(JSON.parse(String(event.data)) as HostMessage)),
    onClose: (listener) => socket.addEventListener('close', () => listener()),
  };
}
