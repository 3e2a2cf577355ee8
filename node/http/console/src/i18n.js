// i18n.js - every string the console shows, in en and zh-CN, and the date formatting that
// always names the time zone it is in.

const en = {
    app_name: 'sundesk',
    login_title: 'Sign in to the service desk',
    login: 'Login',
    password: 'Password',
    sign_in: 'Sign in',
    sign_out: 'Sign out',
    language: 'Language',
    live_on: 'live',
    live_off: 'offline',
    loading: 'Loading…',
    error: 'Error',
    nav_my_queue: 'My queue',
    nav_team_queue: 'Team queue',
    nav_site_queue: 'Site queue',
    nav_hub: 'Global queue',
    nav_sla: 'Breaches & at risk',
    nav_timeline: 'Follow-the-sun',
    nav_handovers: 'Handovers',
    nav_replication: 'Replication',
    nav_portal: 'My requests',
    nav_new_ticket: 'New request',
    help_keys: 'Keys: j/k move, Enter opens, g q my queue, g t team, g s site, ? help; in a ticket: a ack, s start, r reply, n note, Esc back.',
    queue_empty: 'No tickets here.',
    no_team: 'You are in no team; ask an admin to add you to one.',
    col_id: 'Ticket',
    col_title: 'Title',
    col_status: 'Status',
    col_priority: 'Priority',
    col_assignee: 'Assignee',
    col_site: 'Site',
    col_sla: 'SLA',
    col_resolve_due: 'Resolve due',
    col_response_due: 'Response due',
    col_requester: 'Requester',
    col_updated: 'Updated',
    more_exist: 'More tickets match than are loaded ({n} loaded).',
    all_loaded: 'All {n} matching tickets are loaded.',
    load_more: 'Load more',
    back: 'Back',
    status: 'Status',
    priority: 'Priority',
    tier: 'Tier',
    team: 'Team',
    assignee: 'Assignee',
    requester: 'Requester',
    owner_site: 'Owner site',
    category: 'Category',
    impact: 'Impact',
    description: 'Description',
    title: 'Title',
    sla_clocks: 'SLA clocks',
    response_due: 'Response due',
    resolve_due: 'Resolve due',
    sla_state: 'SLA state',
    your_time: 'your time',
    site_time: 'site time',
    actions: 'Actions',
    act_ack: 'Acknowledge',
    act_assign: 'Assign',
    act_start: 'Start',
    act_pending: 'Pending',
    act_resolve: 'Resolve',
    act_close: 'Close',
    act_reopen: 'Reopen',
    act_cancel: 'Cancel ticket',
    act_handover: 'Hand over',
    submit: 'Submit',
    edit: 'Edit fields',
    save: 'Save',
    urgency: 'Urgency',
    waiting_on: 'Waiting on',
    customer: 'customer',
    vendor: 'vendor',
    reason: 'Reason',
    resolution: 'Resolution',
    satisfaction: 'Satisfaction (1–5)',
    feedback: 'Feedback',
    site: 'Site',
    note: 'Note',
    assign_to_me: 'me',
    comments: 'Conversation',
    comment_body: 'Message',
    reply_public: 'Reply to requester',
    internal_note: 'Add internal note',
    internal: 'internal note',
    public_reply: 'public reply',
    no_comments: 'No messages yet.',
    history: 'History',
    filters: 'Filters',
    any: 'any',
    counts: 'Counts of the loaded tickets (filters applied)',
    desk_counts: 'Whole desk: {n} open tickets',
    per_site: 'Per site',
    per_priority: 'Per priority',
    breached: 'Breached',
    at_risk: 'At risk',
    ok: 'ok',
    timeline_title: 'Who is on duty, next 7 days',
    gap: 'gap: nobody on duty',
    gaps_summary: '{n} gaps, {h} h uncovered',
    no_calendars: 'This node has no site calendars.',
    on_duty: 'on duty',
    off_duty: 'off duty',
    until: 'until',
    start: 'Start',
    end: 'End',
    sites_on_duty: 'Sites on duty',
    handover_report: 'Handover report',
    handover_from_to: 'From → to',
    by: 'By',
    at: 'At',
    no_handovers: 'No handovers yet.',
    more_handovers: 'Older handovers exist beyond this page.',
    no_replication: 'No replication: this node runs alone.',
    peer: 'Peer',
    connected: 'Connected',
    heartbeat_age: 'Heartbeat age',
    lag_events: 'Lag (events)',
    lag_ms: 'Lag',
    yes: 'yes',
    no: 'no',
    portal_title: 'My requests',
    new_ticket: 'Open a request',
    impact_1: 'High: many people cannot work',
    impact_2: 'Medium: I can work around it',
    impact_3: 'Low: an inconvenience',
    open_ticket: 'Send request',
    created: 'Request {id} created.',
    reply: 'Reply',
    send: 'Send',
    confirm_resolution: 'Is your problem solved?',
    confirm: 'Yes, close it',
    not_solved: 'No, reopen it',
    replies: 'Replies',
    st_new: 'new',
    st_acknowledged: 'acknowledged',
    st_assigned: 'assigned',
    st_in_progress: 'in progress',
    st_pending: 'pending',
    st_resolved: 'resolved',
    st_closed: 'closed',
    st_cancelled: 'cancelled',
    sla_ok: 'ok',
    sla_at_risk: 'at risk',
    sla_breached: 'breached',
    overdue: 'overdue by {d}',
    due_in: 'in {d}',
    not_allowed: 'Not allowed from status {s}',
    allowed_now: 'allowed now',
    forbidden_console: 'Your account has no role that the console can show.',
};

const zh = {
    app_name: 'sundesk 服务台',
    login_title: '登录服务台',
    login: '账号',
    password: '密码',
    sign_in: '登录',
    sign_out: '退出',
    language: '语言',
    live_on: '实时',
    live_off: '离线',
    loading: '加载中…',
    error: '错误',
    nav_my_queue: '我的队列',
    nav_team_queue: '团队队列',
    nav_site_queue: '站点队列',
    nav_hub: '全局队列',
    nav_sla: '超时与风险',
    nav_timeline: '日不落值班',
    nav_handovers: '交接',
    nav_replication: '复制状态',
    nav_portal: '我的请求',
    nav_new_ticket: '新建请求',
    help_keys: '快捷键：j/k 移动，Enter 打开，g q 我的队列，g t 团队，g s 站点，? 帮助；工单内：a 确认，s 开始，r 回复，n 备注，Esc 返回。',
    queue_empty: '这里没有工单。',
    no_team: '您不属于任何团队；请管理员添加。',
    col_id: '工单',
    col_title: '标题',
    col_status: '状态',
    col_priority: '优先级',
    col_assignee: '处理人',
    col_site: '站点',
    col_sla: 'SLA',
    col_resolve_due: '解决期限',
    col_response_due: '响应期限',
    col_requester: '请求人',
    col_updated: '更新时间',
    more_exist: '匹配的工单多于已加载的（已加载 {n} 个）。',
    all_loaded: '全部 {n} 个匹配工单已加载。',
    load_more: '加载更多',
    back: '返回',
    status: '状态',
    priority: '优先级',
    tier: '级别',
    team: '团队',
    assignee: '处理人',
    requester: '请求人',
    owner_site: '负责站点',
    category: '类别',
    impact: '影响',
    description: '描述',
    title: '标题',
    sla_clocks: 'SLA 时钟',
    response_due: '响应期限',
    resolve_due: '解决期限',
    sla_state: 'SLA 状态',
    your_time: '您的时间',
    site_time: '站点时间',
    actions: '操作',
    act_ack: '确认',
    act_assign: '分派',
    act_start: '开始处理',
    act_pending: '挂起',
    act_resolve: '解决',
    act_close: '关闭',
    act_reopen: '重新打开',
    act_cancel: '取消工单',
    act_handover: '交接',
    submit: '提交',
    edit: '编辑字段',
    save: '保存',
    urgency: '紧急度',
    waiting_on: '等待',
    customer: '客户',
    vendor: '供应商',
    reason: '原因',
    resolution: '解决方案',
    satisfaction: '满意度（1–5）',
    feedback: '反馈',
    site: '站点',
    note: '备注',
    assign_to_me: '我',
    comments: '对话',
    comment_body: '消息',
    reply_public: '回复请求人',
    internal_note: '添加内部备注',
    internal: '内部备注',
    public_reply: '公开回复',
    no_comments: '还没有消息。',
    history: '历史',
    filters: '筛选',
    any: '全部',
    counts: '已加载工单统计（已筛选）',
    desk_counts: '全部站点：{n} 个未结工单',
    per_site: '按站点',
    per_priority: '按优先级',
    breached: '已超时',
    at_risk: '有风险',
    ok: '正常',
    timeline_title: '未来 7 天值班站点',
    gap: '空档：无人值班',
    gaps_summary: '{n} 个空档，共 {h} 小时无人值班',
    no_calendars: '此节点没有配置站点日历。',
    on_duty: '值班中',
    off_duty: '下班',
    until: '直到',
    start: '开始',
    end: '结束',
    sites_on_duty: '值班站点',
    handover_report: '交接报告',
    handover_from_to: '从 → 到',
    by: '操作人',
    at: '时间',
    no_handovers: '还没有交接。',
    more_handovers: '本页之外还有更早的交接。',
    no_replication: '无复制：此节点独立运行。',
    peer: '对端',
    connected: '已连接',
    heartbeat_age: '心跳间隔',
    lag_events: '落后（事件）',
    lag_ms: '落后',
    yes: '是',
    no: '否',
    portal_title: '我的请求',
    new_ticket: '提交请求',
    impact_1: '高：很多人无法工作',
    impact_2: '中：可以暂时绕过',
    impact_3: '低：有些不便',
    open_ticket: '发送请求',
    created: '已创建请求 {id}。',
    reply: '回复',
    send: '发送',
    confirm_resolution: '问题解决了吗？',
    confirm: '已解决，关闭',
    not_solved: '未解决，重新打开',
    replies: '回复',
    st_new: '新建',
    st_acknowledged: '已确认',
    st_assigned: '已分派',
    st_in_progress: '处理中',
    st_pending: '挂起',
    st_resolved: '已解决',
    st_closed: '已关闭',
    st_cancelled: '已取消',
    sla_ok: '正常',
    sla_at_risk: '有风险',
    sla_breached: '已超时',
    overdue: '已超时 {d}',
    due_in: '剩余 {d}',
    not_allowed: '状态 {s} 下不可用',
    allowed_now: '当前可用',
    forbidden_console: '您的账号没有控制台可显示的角色。',
};

export const LANGS = { en, 'zh-CN': zh };

// The console's language for a BCP 47 tag: any zh-* is zh-CN, everything else en.
export function pickLang(tag) {
    return tag && String(tag).toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

let current = 'en'; // the language in use; set by the app from the user record or the switch
export function setLang(lang) {
    current = LANGS[lang] ? lang : 'en';
    document.documentElement.lang = current;
}
export function lang() {
    return current;
}

// t(key, vars) → the string in the current language, {name} replaced from vars; a key missing
// from zh-CN falls back to en, and a key missing from both shows itself (so it is noticed).
export function t(key, vars) {
    let s = LANGS[current][key] ?? en[key] ?? key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.split('{' + k + '}').join(String(v));
    return s;
}

export function browserZone() {
    try {
        return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    } catch (e) {
        return 'UTC';
    }
}

// A zone the browser knows, else UTC (a user record may name one it does not).
export function validZone(zone) {
    if (!zone) return null;
    try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return zone;
    } catch (e) {
        return null;
    }
}

const fmtCache = new Map(); // Intl formatters per zone: building one is slow
// fmtTime(ms, zone) → "2026-03-02 15:30 Asia/Shanghai"; 0/null → "—". Always names the zone.
export function fmtTime(ms, zone) {
    if (!ms) return '—';
    const z = validZone(zone) || 'UTC';
    let f = fmtCache.get(z);
    if (!f) {
        f = new Intl.DateTimeFormat('en-CA', {
            timeZone: z,
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit',
            hourCycle: 'h23',
        });
        fmtCache.set(z, f);
    }
    const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${z}`;
}

// fmtDuration(ms) → "2h 05m" / "3d 4h" (for clocks; language-neutral units).
export function fmtDuration(ms) {
    const m = Math.floor(Math.abs(ms) / 60000);
    const d = Math.floor(m / 1440);
    const h = Math.floor((m % 1440) / 60);
    const mm = String(m % 60).padStart(2, '0');
    if (d > 0) return `${d}d ${h}h`;
    return `${h}h ${mm}m`;
}

// relDue(due, now) → "in 2h 05m" / "overdue by 1h 00m".
export function relDue(due, now) {
    if (!due) return '';
    const left = due - now;
    return left >= 0 ? t('due_in', { d: fmtDuration(left) }) : t('overdue', { d: fmtDuration(left) });
}
