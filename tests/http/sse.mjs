// sse.mjs - a small Server-Sent Events reader for the tests: frames as { event, data, comment }.
//
// open(url, headers) connects and resolves once the headers are in; next(pred, ms) waits for the
// first frame that PRED accepts (frames read meanwhile are kept in `frames`); close() ends it.
export async function openEvents(url, headers = {}) {
  const ctl = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: ctl.signal });
  const stream = { res, frames: [], waiters: [], done: false };
  let buf = '';
  const dec = new TextDecoder();
  const feed = (text) => {
    buf += text.replace(/\r\n?/g, '\n');
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const f = { event: 'message', data: [], comment: null };
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) f.comment = line.slice(1).trim();
        else if (line.startsWith('event:')) f.event = line.slice(6).trim();
        else if (line.startsWith('data:')) f.data.push(line.slice(5).replace(/^ /, ''));
      }
      f.data = f.data.join('\n');
      stream.frames.push(f);
    }
    for (const w of stream.waiters.splice(0)) w();
  };
  if (res.ok && res.body) {
    (async () => {
      try {
        for await (const chunk of res.body) feed(dec.decode(chunk, { stream: true }));
      } catch {
        // aborted by close()
      }
      stream.done = true;
      for (const w of stream.waiters.splice(0)) w();
    })();
  }
  stream.next = async (pred, ms = 10000) => {
    const end = Date.now() + ms;
    for (;;) {
      const hit = stream.frames.find(pred);
      if (hit) return hit;
      if (stream.done || Date.now() > end) return null;
      await new Promise((r) => {
        stream.waiters.push(r);
        setTimeout(r, Math.max(10, end - Date.now()));
      });
    }
  };
  stream.close = () => ctl.abort();
  return stream;
}
