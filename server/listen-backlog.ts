/**
 * Connections the kernel may hold for the hub before it accepts them. A restarted hub is met by
 * every authenticator at once; with Node's default of 511, the queue overflowed while the event
 * loop was busy with TLS handshakes, and each dropped connection waited on TCP's own retries (1,
 * 3, 7, 15 s ...): at 10,000 devices, handshakes ran past even a 60 s client timeout (npm run
 * bench, reconnect storm), while the authenticator first gives up after 10 s. Linux caps it at
 * net.core.somaxconn.
 */
export const LISTEN_BACKLOG = 4096;
