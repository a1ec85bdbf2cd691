// A typed, synchronous fan-out channel: how the control plane's runners talk without importing
// each other. Subscribers run in subscription order, which main.ts relies on (see its list).
export class Channel<T> {
  private readonly subscribers: Array<(message: T) => void> = [];

  constructor(private readonly onError: (err: unknown) => void = () => undefined) {}

  publish(message: T): void {
    for (const fn of this.subscribers.slice()) {
      try {
        fn(message);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  /** Returns the unsubscribe function. */
  subscribe(fn: (message: T) => void): () => void {
    this.subscribers.push(fn);
    return () => {
      const i = this.subscribers.indexOf(fn);
      if (i >= 0) this.subscribers.splice(i, 1);
    };
  }
}
