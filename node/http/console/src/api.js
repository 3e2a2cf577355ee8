// api.js - the console's client of the node's HTTP/JSON API (/api/v1): fetch with the session
// cookie, the CSRF header on writes, and problem+json errors turned into ApiError.

let csrf = null; // the session's CSRF token: kept in memory only, fetched again after a reload
let onUnauthenticated = null; // called when the node no longer knows the session (expired, revoked)

export function setCsrf(token) {
    csrf = token || null;
}

export function setOnUnauthenticated(fn) {
    onUnauthenticated = fn;
}

// ApiError carries the problem document so pages can show `detail` and tests can read `code`.
export class ApiError extends Error {
    constructor(status, problem) {
        super((problem && (problem.detail || problem.title)) || 'HTTP ' + status);
        this.status = status;
        this.code = (problem && problem.code) || null;
        this.problem = problem || null;
    }
}

// request(method, path, {query, body, headers}) → parsed JSON (null for 204).
export async function request(method, path, opts = {}) {
    let url = '/api/v1' + path;
    if (opts.query) {
        const q = new URLSearchParams();
        for (const [k, v] of Object.entries(opts.query)) {
            if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
        }
        const s = q.toString();
        if (s) url += (url.includes('?') ? '&' : '?') + s;
    }
    const headers = Object.assign({ Accept: 'application/json' }, opts.headers || {});
    const init = { method, headers, credentials: 'same-origin' };
    if (opts.body !== undefined) {
        if (!headers['Content-Type']) headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(opts.body);
    }
    if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
    const res = await fetch(url, init);
    if (res.status === 204 || res.status === 304) return null;
    const type = res.headers.get('Content-Type') || '';
    const data = type.includes('json') ? await res.json().catch(() => null) : null;
    if (res.status === 401 && path !== '/session' && onUnauthenticated) onUnauthenticated();
    if (!res.ok) throw new ApiError(res.status, data);
    // opts.etag: the caller wants the record's version too (for If-Match on a later write).
    return opts.etag ? { data, etag: res.headers.get('ETag') } : data;
}

export const api = {
    login: (login, password) => request('POST', '/session', { body: { login, password } }),
    session: () => request('GET', '/session'),
    logout: () => request('DELETE', '/session'),
    me: () => request('GET', '/me'),
    tickets: (query) => request('GET', '/tickets', { query }),
    counts: (open) => request('GET', '/tickets/counts', { query: { open } }),
    ticket: (id) => request('GET', '/tickets/' + encodeURIComponent(id)),
    newTicket: (body, key) =>
        request('POST', '/tickets', { body, headers: key ? { 'Idempotency-Key': key } : {} }),
    // → {data: ticket, etag}
    ticketVersioned: (id) => api.versioned('/tickets/' + encodeURIComponent(id)),
    update: (id, patch, etag) => api.patch('/tickets/' + encodeURIComponent(id), patch, etag).then((r) => r.data),
    // Any record (ticket, user, team) with its version: → {data, etag}.
    versioned: (path) => request('GET', path, { etag: true }),
    // A JSON merge patch of the record's fields, refused (412) when it changed since `etag`;
    // → {data, etag}: the record after the change and its new version.
    patch: (path, patch, etag) =>
        request('PATCH', path, {
            body: patch,
            etag: true,
            headers: Object.assign({ 'Content-Type': 'application/merge-patch+json' }, etag ? { 'If-Match': etag } : {}),
        }),
    action: (id, step, body) =>
        request('POST', '/tickets/' + encodeURIComponent(id) + '/actions/' + step, {
            body: body || {},
        }),
    comment: (id, body, isPublic) =>
        request('POST', '/tickets/' + encodeURIComponent(id) + '/comments', {
            body: { body, public: isPublic },
        }),
    history: (id) => request('GET', '/tickets/' + encodeURIComponent(id) + '/history'),
    scheduleNow: () => request('GET', '/schedule/now'),
    coverage: (days) => request('GET', '/schedule/coverage', { query: { days } }),
    handovers: (query) => request('GET', '/handovers', { query }),
    replication: () => request('GET', '/replication'),
    node: () => request('GET', '/node'),
    digest: () => request('GET', '/node/digest'),
    newUser: (body) => request('POST', '/users', { body }),
    userAction: (login, step, body) =>
        request('POST', '/users/' + encodeURIComponent(login) + '/actions/' + step, { body: body || {} }),
};

// A fresh key per submitted form, so a retried POST /tickets does not open a second ticket.
export function idempotencyKey() {
    const a = new Uint8Array(16);
    crypto.getRandomValues(a);
    return Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('');
}
