// Comments, actions and authors in the store were typed by other people. Printed raw, an
// escape sequence in one of them ("\x1b[2J" clears the screen) or a carriage return (which
// lets a line overwrite itself) would let one user rewrite what another sees in a terminal.
//
// Every C0 control except newline and tab, DEL and every C1 control (U+0080–U+009F; U+009B is
// a one-character CSI to some terminals) is printed as its JSON escape, e.g. ESC as the six
// characters \u001b. The same rule suits --json: JSON.stringify already escapes C0, and a C1
// character can only sit inside a JSON string, where \u0085 means exactly that character, so
// the JSON still parses to the stored text.
import type { CommandIO } from './io.ts';

// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are escaped
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The same IO, with everything written to stdout and stderr passed through escapeControls. */
export function terminalSafe(io: CommandIO): CommandIO {
  return { env: io.env, out: (text) => io.out(escapeControls(text)), err: (text) => io.err(escapeControls(text)) };
}
