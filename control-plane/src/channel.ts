// A typed, synchronous fan-out channel: how the control plane's runners talk without importing
// each other. Subscribers run in subscription order, which main.ts relies on (see its list).
export class Channel<T> {
  // Replaced, never mutated, on (un)subscribe: publish iterates a stable list without copying it
  // (a thousand probe results a second go through here).
  private subscribers: ReadonlyArray<(message: T) => void> = [];

  constructor(private readonly onError: (err: unknown) => void = () => undefined) {}

  publish(message: T): void {
    for (const fn of this.subscribers) {
      try {
        fn(message);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  /** Returns the unsubscribe function. */
  subscribe(fn: (message: T) => void): () => void {
    this.subscribers = [...this.subscribers, fn];
    let subscribed = true;
    return () => {
      const i = subscribed ? this.subscribers.indexOf(fn) : -1;
      subscribed = false;
      if (i >= 0) this.subscribers = [...this.subscribers.slice(0, i), ...this.subscribers.slice(i + 1)];
    };
  }
}
