// manifest.yml (HTTP mode) and manifest.socket.yml (Socket Mode) describe the same app, so a
// scope, event or command added to one must reach the other. No YAML parser is installed, so
// the two are compared line by line once the lines that legitimately differ are set aside.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/paths.ts';

const read = (name: string) => readFileSync(path.join(PACKAGE_ROOT, name), 'utf8').split('\n');

/** Comment-only lines (each file explains itself) and blank lines are not part of the manifest. */
const content = (lines: string[]) => lines.filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
const isUrl = (line: string) => /^\s*(url|request_url):/.test(line);
const isSocketSetting = (line: string) => /^\s*socket_mode_enabled:/.test(line);

describe('the Slack app manifests', () => {
  const http = content(read('manifest.yml'));
  const socket = content(read('manifest.socket.yml'));

  it('differ only in the request URLs and socket_mode_enabled', () => {
    const common = (lines: string[]) => lines.filter((l) => !isUrl(l) && !isSocketSetting(l));
    expect(common(socket)).toEqual(common(http));
  });

  it('HTTP mode has a URL for the command, events and interactivity; Socket Mode has none', () => {
    expect(http.filter(isUrl).map((l) => l.trim())).toEqual([
      'url: https://bot.example.org/slack/events',
      'request_url: https://bot.example.org/slack/events',
      'request_url: https://bot.example.org/slack/events',
    ]);
    expect(socket.filter(isUrl)).toEqual([]);
  });

  it('Socket Mode is on in manifest.socket.yml and off in manifest.yml', () => {
    expect(http.filter(isSocketSetting).map((l) => l.trim())).toEqual(['socket_mode_enabled: false']);
    expect(socket.filter(isSocketSetting).map((l) => l.trim())).toEqual(['socket_mode_enabled: true']);
  });
});
