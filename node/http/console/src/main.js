// main.js - the console's entry: restores the session, picks language and zone, routes hash
// paths (#/queue, #/tickets/ID, #/customers/..., #/assets/..., #/hub/..., #/portal/...,
// #/search, #/kb/..., #/bulletins/..., #/admin/..., #/node, #/mail, #/alerts) to pages by the
// caller's roles; agents get the caller pop-ups; everyone the current bulletins' banner.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, setCsrf, setOnUnauthenticated } from './api.js';
import { startEvents, stopEvents } from './sse.js';
import { t, setLang, lang, pickLang, browserZone, validZone, LANGS } from './i18n.js';
import { html, AppCtx, navigate, ErrorLine } from './common.js';
import { Login } from './login.js';
import { Queue } from './queue.js';
import { TicketCard } from './ticket.js';
import { HubQueue, SlaBoard } from './hub_queue.js';
import { Timeline, Handovers, Replication } from './hub.js';
import { Portal, PortalNew, PortalTicket } from './portal.js';
import { Admin } from './admin.js';
import { NodePage } from './node_page.js';
import { Customers } from './customers.js';
import { Assets, Vendors, Majors } from './assets.js';
import { CallPopups } from './callpop.js';
import { SearchBox, SearchPage } from './search.js';
import { KnowledgeBase } from './kb.js';
import { Bulletins, BulletinBanner } from './bulletins.js';
import { HeldMail, useHeldCount } from './mail_review.js';
import { Alerts } from './alerts.js';

function useHash() {
    const [hash, setHash] = useState(location.hash.replace(/^#/, '') || '/');
    useEffect(() => {
        const on = () => setHash(location.hash.replace(/^#/, '') || '/');
        window.addEventListener('hashchange', on);
        return () => window.removeEventListener('hashchange', on);
    }, []);
    return hash;
}

// What the caller's usable roles allow the console to show.
function rolesOf(whoami) {
    const names = new Set((whoami.roles || []).map((r) => r.role));
    const agent = whoami.superuser || names.has('agent') || names.has('manager');
    return {
        agent,
        manager: whoami.superuser || names.has('manager'),
        admin: whoami.superuser || names.has('admin'),
        requester: !agent && names.has('requester'),
    };
}

function homeOf(roles) {
    if (roles.manager) return '/hub';
    if (roles.agent) return '/queue';
    if (roles.requester) return '/portal';
    if (roles.admin) return '/admin/users';
    return '/none';
}

// Loads everything a logged-in page needs: who, the user record, site zones.
async function loadSession(csrf) {
    setCsrf(csrf);
    const me = await api.me();
    const whoami = me.whoami;
    const user = me.user || null;
    const roles = rolesOf(whoami);
    let sites = []; // [{site, zone}] from schedule.now; none on a node without calendars
    if (roles.agent) {
        try {
            sites = (await api.scheduleNow()).sites || [];
        } catch (e) {
            sites = [];
        }
    }
    const saved = localStorage.getItem('sd_lang:' + whoami.user); // this user's switch, if any
    const language = saved && LANGS[saved] ? saved : pickLang(user && user.language);
    const zone = validZone(user && user.time_zone) || browserZone();
    return { whoami, user, roles, sites, zone, language };
}

function Nav({ roles, route }) {
    const held = useHeldCount(roles.agent); // mail waiting for review: shown on its entry
    const links = [];
    if (roles.agent) {
        links.push(['/queue', 'nav_my_queue', 'g q'], ['/queue/team', 'nav_team_queue', 'g t'],
            ['/queue/site', 'nav_site_queue', 'g s']);
    }
    if (roles.agent) links.push(['/mail', 'nav_mail'], ['/alerts', 'nav_alerts']); // the channels (issue 17)
    if (roles.agent) links.push(['/customers', 'nav_customers', null, true]);
    if (roles.agent || roles.admin) links.push(['/assets', 'nav_assets', null, true], ['/vendors', 'nav_vendors', null, true]);
    if (roles.manager || roles.admin) links.push(['/majors', 'nav_majors', null, true]);
    if (roles.manager) {
        links.push(['/hub', 'nav_hub'], ['/hub/sla', 'nav_sla'], ['/hub/timeline', 'nav_timeline'],
            ['/hub/handovers', 'nav_handovers'], ['/hub/replication', 'nav_replication']);
    }
    if (roles.requester) links.push(['/portal', 'nav_portal'], ['/portal/new', 'nav_new_ticket']);
    if (roles.agent || roles.requester) links.push(['/kb', 'nav_kb', null, true]);
    links.push(['/bulletins', 'nav_bulletins', null, true]);
    if (roles.admin) links.push(['/admin/users', 'nav_admin']);
    if (roles.admin || roles.manager) links.push(['/node', 'nav_node']);
    return html`<nav aria-label=${t('nav_main')} data-testid="nav"><ul>
        ${links.map(([p, k, keys, tree]) => html`<li><a href=${'#' + p} data-testid=${'nav-' + p.replace(/\//g, '-').slice(1)}
            aria-current=${route.split('?')[0] === p || (tree && route.startsWith(p + '/')) || (p === '/admin/users' && route.startsWith('/admin')) ? 'page' : null} aria-keyshortcuts=${keys || null}>${t(k)}${p === '/mail' && held
                ? html` <span class="badge" data-testid="held-count" title=${t('held_title')}>${held}</span>` : null}</a></li>`)}
    </ul></nav>`;
}

function Header({ app, onLang, onLogout }) {
    return html`<header class="top">
        <a class="brand" href="#/">${t('app_name')}</a>
        <span class="who" data-testid="whoami">${app.whoami.display_name} (${app.whoami.user}) · ${app.whoami.site} · ${app.zone}</span>
        <span class="live" data-testid="live" aria-live="polite"></span>
        ${app.roles.agent || app.roles.requester ? html`<${SearchBox} />` : null}
        <label class="lang">${t('language')}
            <select data-testid="lang-switch" value=${lang()} onChange=${(e) => onLang(e.target.value)}>
                <option value="en">English</option>
                <option value="zh-CN">中文（简体）</option>
            </select>
        </label>
        <button type="button" data-testid="logout" onClick=${onLogout}>${t('sign_out')}</button>
    </header>`;
}

function Page({ route: full, app }) {
    const r = app.roles;
    // A route may carry a query (#/hub?limit=50): the page size of the lists that page.
    const [route, qs] = full.split('?');
    const params = new URLSearchParams(qs || '');
    let m;
    if ((m = route.match(/^\/tickets\/([^/]+)$/))) {
        const id = decodeURIComponent(m[1]);
        return r.agent ? html`<${TicketCard} id=${id} />` : html`<${PortalTicket} id=${id} />`;
    }
    if (r.agent && route === '/queue') return html`<${Queue} kind="mine" />`;
    if (r.agent && route === '/queue/team') return html`<${Queue} kind="team" />`;
    if (r.agent && route === '/queue/site') return html`<${Queue} kind="site" />`;
    if (r.agent && route === '/mail') return html`<${HeldMail} state=${params.get('state')} />`;
    if (r.agent && route === '/alerts')
        return html`<${Alerts} state=${params.get('state')} source=${params.get('source')} />`;
    if (r.agent && (m = route.match(/^\/customers(?:\/([^/]+))?$/)))
        return html`<${Customers} sub=${m[1] ? decodeURIComponent(m[1]) : null} params=${params} />`;
    if ((r.agent || r.admin) && (m = route.match(/^\/assets(?:\/([^/]+))?$/)))
        return html`<${Assets} id=${m[1] ? decodeURIComponent(m[1]) : null} params=${params} />`;
    if ((r.agent || r.admin) && (m = route.match(/^\/vendors(?:\/([^/]+))?$/)))
        return html`<${Vendors} id=${m[1] ? decodeURIComponent(m[1]) : null} />`;
    if ((r.agent || r.admin) && (m = route.match(/^\/majors(?:\/([^/]+))?$/)))
        return html`<${Majors} id=${m[1] ? decodeURIComponent(m[1]) : null} />`;
    if (r.manager && route === '/hub') return html`<${HubQueue} limit=${params.get('limit')} />`;
    if (r.manager && route === '/hub/sla') return html`<${SlaBoard} />`;
    if (r.manager && route === '/hub/timeline') return html`<${Timeline} />`;
    if (r.manager && route === '/hub/handovers') return html`<${Handovers} />`;
    if (r.manager && route === '/hub/replication') return html`<${Replication} />`;
    if (r.requester && route === '/portal') return html`<${Portal} />`;
    if (r.requester && route === '/portal/new') return html`<${PortalNew} />`;
    if ((r.agent || r.requester) && route === '/search') return html`<${SearchPage} params=${params} />`;
    if ((r.agent || r.requester) && (m = route.match(/^\/kb(?:\/([^/]+)(?:\/(edit|versions)(?:\/(\d+))?)?)?$/)))
        return html`<${KnowledgeBase} sub=${m[1] ? decodeURIComponent(m[1]) : null} page=${m[2] || null} n=${m[3] || null} params=${params} />`;
    if ((m = route.match(/^\/bulletins(?:\/([^/]+))?$/)))
        return html`<${Bulletins} id=${m[1] ? decodeURIComponent(m[1]) : null} />`;
    if (r.admin && (m = route.match(/^\/admin(?:\/(\w+)(?:\/([^/]+))?)?$/)))
        return html`<${Admin} tab=${m[1]} id=${m[2] ? decodeURIComponent(m[2]) : null} />`;
    if ((r.admin || r.manager) && route === '/node') return html`<${NodePage} />`;
    if (route === '/none') return html`<p data-testid="no-role">${t('forbidden_console')}</p>`;
    return html`<${Redirect} to=${homeOf(r)} />`;
}

// Sends an unknown or bare path to the caller's home page, after rendering (a hash change
// inside render would race the router's own hashchange handling).
function Redirect({ to }) {
    useEffect(() => location.replace('#' + to), [to]);
    return null;
}

// Global shortcuts: g q / g t / g s jump between queues; ? shows the help line.
function useShortcuts(roles) {
    useEffect(() => {
        let g = false;
        const on = (e) => {
            const tag = (e.target && e.target.tagName) || '';
            if (/INPUT|TEXTAREA|SELECT/.test(tag) || e.ctrlKey || e.metaKey || e.altKey) return;
            if (e.key === '?') {
                const help = document.getElementById('help');
                if (help) help.scrollIntoView();
                return;
            }
            if (g && roles.agent) {
                if (e.key === 'q') navigate('/queue');
                if (e.key === 't') navigate('/queue/team');
                if (e.key === 's') navigate('/queue/site');
            }
            g = e.key === 'g';
        };
        window.addEventListener('keydown', on);
        return () => window.removeEventListener('keydown', on);
    }, [roles]);
}

function App() {
    const route = useHash();
    const [app, setApp] = useState(null); // the session; null until known
    const [state, setState] = useState('loading'); // loading | login | ready
    const [, setTick] = useState(0); // re-render after a language switch
    const [logoutError, setLogoutError] = useState(null); // a sign-out the node refused

    const enter = async (csrf) => {
        const s = await loadSession(csrf);
        setLang(s.language);
        setApp(s);
        setState('ready');
        startEvents();
    };

    useEffect(() => {
        // A session that ended under us (expired, revoked, node restarted): back to the login.
        setOnUnauthenticated(() => {
            stopEvents();
            setCsrf(null);
            setApp(null);
            setState('login');
        });
        api.session()
            .then((s) => enter(s.csrf_token))
            .catch(() => setState('login'));
    }, []);

    useShortcuts(app ? app.roles : {});

    if (state === 'loading') return html`<p class="loading">${t('loading')}</p>`;
    if (state === 'login' || !app)
        return html`<${Login} onLogin=${(res) => enter(res.csrf_token)} />`;

    const onLang = (l) => {
        localStorage.setItem('sd_lang:' + app.whoami.user, l);
        localStorage.setItem('sd_lang', l); // the login page's language on this browser
        setLang(l);
        setTick((x) => x + 1);
    };
    const onLogout = async () => {
        try {
            await api.logout();
        } catch (e) {
            // Gone already (401): the login page is right. Anything else: the session may still
            // be valid at the node, so say so rather than pretend it ended.
            if (e.status !== 401) {
                setLogoutError(e);
                return;
            }
        }
        stopEvents();
        setCsrf(null);
        setApp(null);
        setState('login');
        navigate('/login');
    };
    return html`<${AppCtx.Provider} value=${app}>
        <a class="skip" href="#main-content" onClick=${(e) => { e.preventDefault(); document.getElementById('main-content').focus(); }}>${t('skip')}</a>
        <${Header} app=${app} onLang=${onLang} onLogout=${onLogout} />
        <${ErrorLine} error=${logoutError} />
        <${BulletinBanner} />
        <${Nav} roles=${app.roles} route=${route} />
        <main id="main-content" tabindex="-1" data-lang=${lang()}>
            <${Page} route=${route} app=${app} />
        </main>
        ${app.roles.agent ? html`<${CallPopups} />` : null}
        ${app.roles.agent ? html`<footer><p class="help" id="help" data-testid="help-keys">${t('help_keys')}</p></footer>` : null}
    <//>`;
}

// Before anyone is known (the login page): the last choice here, else the browser's language.
setLang(localStorage.getItem('sd_lang') || pickLang(navigator.language));
render(html`<${App} />`, document.getElementById('app'));
