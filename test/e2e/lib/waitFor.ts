// The one way the e2e tests wait for something they cannot await directly: re-check a condition
// until it holds, never sleep for a guessed time. Used by the UI checks (Node, Playwright) and by
// the suites inside the extension host alike, so it needs nothing but timers.

type Falsy = undefined | null | false | 0 | '';

/**
 * Re-checks `probe` every 50 ms until it returns something truthy, and resolves with that value.
 * A probe that throws counts as "not yet". After `timeoutMs` it fails naming `what` and the
 * probe's last error, so a stuck test says what it was waiting for.
 */
export async function waitFor<T>(what: string, probe: () => T | Falsy | Promise<T | Falsy>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
