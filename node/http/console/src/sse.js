// sse.js - live updates: one EventSource on /api/v1/events shared by every page; listeners get
// each record event's data (`ticket`, `customer`, ...), the CTI's `call` pop-ups, and a
// `reconnect` call after the stream came back (the node keeps no replay, so pages refetch then).

const listeners = new Set(); // functions(kind, data): kind is 'ticket', 'user', ..., 'call' or 'reconnect'
// The record kinds the node streams, and `call` (a caller pop-up, callpop.js).
const KINDS = ['ticket', 'user', 'team', 'token', 'customer', 'asset', 'vendor', 'contact', 'major', 'article', 'bulletin', 'message', 'alert',
    'call'];
let source = null; // the EventSource while logged in
let wasDown = false; // the stream failed since it last opened: refetch on the next open

function s_emit(kind, data) {
    for (const fn of listeners) {
        try {
            fn(kind, data);
        } catch (e) {
            console.error(e);
        }
    }
}

export function startEvents() {
    if (source) return;
    source = new EventSource('/api/v1/events');
    source.onopen = () => {
        document.documentElement.dataset.live = 'on';
        if (wasDown) s_emit('reconnect', null);
        wasDown = false;
    };
    source.onerror = () => {
        document.documentElement.dataset.live = 'off';
        wasDown = true;
    };
    for (const kind of KINDS) {
        source.addEventListener(kind, (ev) => {
            let data = null;
            try {
                data = JSON.parse(ev.data);
            } catch (e) {
                return;
            }
            s_emit(kind, data);
        });
    }
}

export function stopEvents() {
    if (source) source.close();
    source = null;
    document.documentElement.dataset.live = 'off';
}

// onEvent(fn) → a function that removes fn.
export function onEvent(fn) {
    listeners.add(fn);
    return () => listeners.delete(fn);
}
