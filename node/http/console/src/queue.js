// queue.js - the agent's queues: mine (assigned to me, open), my team's and my site's, in the
// API's queue order (open first, priority, resolve due), live through the event stream.
import { t } from './i18n.js';
import { html, useApp, useTicketList, TicketTable, MoreLine, ErrorLine } from './common.js';

function firstTeam(user) {
    const teams = (user && user.teams) || '';
    return teams.split(',').map((s) => s.trim()).filter(Boolean)[0] || null;
}

export function Queue({ kind }) {
    const app = useApp();
    const team = firstTeam(app.user);
    const site = (app.user && app.user.home_site) || app.whoami.site;
    let query = { open: true, limit: 50 };
    let title = t('nav_my_queue');
    if (kind === 'mine') query.assignee = app.whoami.user;
    if (kind === 'team') {
        query.team = team;
        title = t('nav_team_queue') + (team ? ' · ' + team : '');
    }
    if (kind === 'site') {
        query.site = site;
        title = t('nav_site_queue') + ' · ' + site;
    }
    const list = useTicketList(kind === 'team' && !team ? { open: true, limit: 1, team: '' } : query);
    return html`<section data-testid=${'queue-' + kind}>
        <h1>${title}</h1>
        ${kind === 'team' && !team
            ? html`<p data-testid="no-team">${t('no_team')}</p>`
            : html`<${ErrorLine} error=${list.error} />
                <${TicketTable} items=${list.items} />
                <${MoreLine} list=${list} />`}
    </section>`;
}
