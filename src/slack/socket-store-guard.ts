// Socket Mode with more than one replica: Slack hands each event to any of the app's open
// connections, so a replica that cannot reach the database would take events it can only
// apologise for. While its store is unreachable it closes its connection; Slack sends the
// events to the replicas still connected, and the connection opens again once the store is back.
import type { Logger } from '@slack/bolt';
import type { MeasuresStore } from '../store/index.ts';
import type { SocketModeConnection } from './socket-mode.ts';

export const STORE_CHECK_MS = 2000;

/** Checks the store every `intervalMs` from now on; returns the function that stops checking. */
export function pauseSocketWhileStoreDown(
  socket: Pick<SocketModeConnection, 'pause' | 'resume' | 'paused'>,
  store: Pick<MeasuresStore, 'healthy'>,
  logger: Logger,
  intervalMs = STORE_CHECK_MS,
): () => void {
  let checking = false;
  const check = async () => {
    if (checking) return;
    checking = true;
    try {
      const healthy = await store.healthy();
      if (!healthy && !socket.paused) {
        logger.warn('the store cannot be reached: closing the Socket Mode connection until it is back');
        await socket.pause();
      } else if (healthy && socket.paused) {
        logger.info('the store is back: opening the Socket Mode connection again');
        await socket.resume();
      }
    } catch (err) {
      logger.error(`checking the store for Socket Mode failed: ${(err as Error).message}`);
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
