// Both manifests turn on the Home tab and subscribe to app_home_opened: without the event the
// bot never learns that someone opened the tab, and the scorecard is never drawn.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/paths.ts';

describe.each(['manifest.yml', 'manifest.socket.yml'])('%s', (name) => {
  const lines = readFileSync(path.join(PACKAGE_ROOT, name), 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim());

  it('enables the Home tab and the read-only Messages tab', () => {
    expect(lines).toContain('home_tab_enabled: true');
    expect(lines).toContain('messages_tab_enabled: true');
  });

  it('subscribes to app_home_opened', () => {
    const events = lines.indexOf('bot_events:');
    expect(events).toBeGreaterThan(0);
    expect(lines.slice(events)).toContain('- app_home_opened');
  });
});
