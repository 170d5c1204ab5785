// /healthz: what a load balancer or a supervisor asks. 200 only when the bot has started, its
// store is reachable and, in Socket Mode, it is connected to Slack; the body says which part is not.
import type { CustomRoute } from '@slack/bolt';
import type { MeasuresStore } from '../store/index.ts';
import type { SocketModeConnection } from './socket-mode.ts';

export const HEALTH_PATH = '/healthz';

export interface HealthState {
  ready: boolean;
  charts: 'cold' | 'warming' | 'warm';
  /** Socket Mode: ready only while connected to Slack. */
  socket?: SocketModeConnection;
}

export function healthRoute(state: HealthState, store: MeasuresStore): CustomRoute {
  return {
    path: HEALTH_PATH,
    method: ['GET'],
    handler: async (_req, res) => {
      const problem = store.problem();
      // A replica that cannot reach its database must get no traffic from the load balancer.
      const reachable = await store.healthy();
      const ok = state.ready && reachable && (state.socket?.connected ?? true);
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          ok,
          store: !reachable ? 'unreachable' : state.ready ? 'loaded' : 'not ready',
          ...(state.socket ? { slack: state.socket.connected ? 'connected' : 'not connected' } : {}),
          problem: problem?.message ?? null,
          charts: state.charts,
        }),
      );
    },
  };
}
