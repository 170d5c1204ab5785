-- Slack's event ids, so that an event Slack delivers twice (a retry after a slow ack, which a
-- load balancer may hand to another replica) is handled by one replica only. Kept for a day:
-- Slack retries within minutes.
create table event_keys (
  id text primary key,
  seen_at timestamptz not null default now()
);
create index event_keys_seen_at on event_keys (seen_at);
