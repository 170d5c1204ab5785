// Fair turns for CPU work after an ack. Building an answer is a few milliseconds of
// synchronous work; forty of them back to back would hold the event loop for hundreds of
// milliseconds while other slash commands wait, unacknowledged, in the socket buffers.
// Granting one turn per event-loop iteration (setImmediate) lets Node read and ack the
// waiting requests between answers.
const waiting: Array<() => void> = [];
let scheduled = false;

function grant(): void {
  scheduled = false;
  const next = waiting.shift();
  if (waiting.length) schedule();
  next?.();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(grant);
}

/** Resolves on a later event-loop iteration, one caller per iteration, in order. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    schedule();
  });
}
