// The server side of live push. The Node client (./client) stays out: it needs socket.io-client.
export * from './push';
