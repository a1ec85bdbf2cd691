// /api/events (SSE) read by tests: every event collected until the test ends.
import type { Cleanup } from './cleanup.js';

export interface EventStream {
  events: Array<{ event: string; data: Record<string, unknown> }>;
  contentType: string;
}

/** Opens /api/events and collects its events until the test ends. */
export async function openEvents(t: Cleanup, adminUrl: string): Promise<EventStream> {
  const controller = new AbortController();
  t.after(() => controller.abort());
  const res = await fetch(`${adminUrl}/api/events`, { signal: controller.signal });
  if (res.status !== 200) throw new Error(`/api/events answered ${res.status}`);
  const stream: EventStream = { events: [], contentType: res.headers.get('content-type') ?? '' };
  void (async () => {
    let buffer = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) stream.events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
        }
      }
    } catch { /* aborted when the test ends */ }
  })();
  return stream;
}
