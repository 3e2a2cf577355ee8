// kb_edit.js - an article's new and edit form (#/kb/new, #/kb/ID/edit): title, category,
// language, audience, keywords and the Markdown body with a preview. An edit sends the fields
// changed since the form opened plus `base_version` (the version the editor started from): an
// edit saved meanwhile by someone else is kept as a version too, and the form says so.
import { useEffect, useState } from 'preact/hooks';
import { api, request } from './api.js';
import { t, lang } from './i18n.js';
import { html, navigate, ErrorLine } from './common.js';
import { enc } from './customer_card.js';
import { Markdown } from './markdown.js';

export const KB_LANGS = ['zh-CN', 'en'];
export const AUDIENCES = ['internal', 'public'];
const TEXT = ['title', 'category', 'keywords'];
const BODY_MAX = 8192; // bytes of UTF-8 an article body may have (article.new, article.update)

export function ArticleForm({ id }) {
    const [base, setBase] = useState(null); // the article as the form opened (an edit)
    const [v, setV] = useState(id ? null : { title: '', category: '', language: lang(), audience: 'internal', keywords: '', body: '' });
    const [preview, setPreview] = useState(false);
    const [error, setError] = useState(null);
    const [busy, setBusy] = useState(false);
    useEffect(() => {
        if (!id) return;
        request('GET', '/articles/' + enc(id)).then((a) => {
            setBase(a);
            setV({ title: a.title || '', category: a.category || '', language: a.language || lang(), audience: a.audience || 'internal',
                keywords: a.keywords || '', body: a.body || '' });
        }, setError);
    }, [id]);
    if (!v) return html`<section><${ErrorLine} error=${error} />${error ? null : html`<p>${t('loading')}</p>`}</section>`;
    const set = (k) => (e) => setV(Object.assign({}, v, { [k]: e.target.value }));
    const bytes = new TextEncoder().encode(v.body).length;
    const submit = async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
            if (!id) {
                const body = { language: v.language, audience: v.audience, body: v.body };
                for (const k of TEXT) if (v[k].trim()) body[k] = v[k].trim();
                const a = await request('POST', '/articles', { body });
                navigate('/kb/' + enc(a.id));
                return;
            }
            const patch = {};
            for (const k of TEXT) if (v[k].trim() !== (base[k] || '')) patch[k] = v[k].trim() === '' ? null : v[k].trim();
            for (const k of ['language', 'audience', 'body']) if (v[k] !== (base[k] || '')) patch[k] = v[k];
            if (!Object.keys(patch).length) {
                navigate('/kb/' + enc(id));
                return;
            }
            patch.base_version = base.version;
            const r = await api.patch('/articles/' + enc(id), patch);
            const saved = r.data || {};
            // A version saved by someone else since this form opened: both are kept.
            if (saved.version && saved.version > base.version + 1) sessionStorage.setItem('sd_kb_merged:' + id, String(saved.version));
            navigate('/kb/' + enc(id));
        } catch (err) {
            setError(err);
        } finally {
            setBusy(false);
        }
    };
    const title = id ? t('kb_edit_title', { id }) : t('kb_new');
    return html`<section data-testid="kb-form-page">
        <p><a href=${id ? '#/kb/' + enc(id) : '#/kb'} data-testid="kb-cancel">← ${t('back')}</a></p>
        <h1>${title}</h1>
        ${base ? html`<p class="help" data-testid="kb-base-version">${t('kb_editing_version', { n: base.version })}</p>` : null}
        <form class="stack kb-form" data-testid="kb-form" onSubmit=${submit}>
            <label for="kb-f-title">${t('title')}</label>
            <input id="kb-f-title" required maxlength="200" data-testid="kb-f-title" value=${v.title} onInput=${set('title')} />
            <div class="row">
                <div class="field"><label for="kb-f-category">${t('category')}</label>
                    <input id="kb-f-category" maxlength="64" data-testid="kb-f-category" value=${v.category} onInput=${set('category')} /></div>
                <div class="field"><label for="kb-f-language">${t('language')}</label>
                    <select id="kb-f-language" data-testid="kb-f-language" value=${v.language} onChange=${set('language')}>
                        ${KB_LANGS.concat(KB_LANGS.includes(v.language) ? [] : [v.language]).map((l) => html`<option value=${l}>${KB_LANGS.includes(l) ? t('lang_' + l.replace('-', '_')) : l}</option>`)}
                    </select></div>
                <div class="field"><label for="kb-f-audience">${t('audience')}</label>
                    <select id="kb-f-audience" data-testid="kb-f-audience" value=${v.audience} onChange=${set('audience')}>
                        ${AUDIENCES.map((a) => html`<option value=${a}>${t('aud_' + a)}</option>`)}
                    </select></div>
            </div>
            <label for="kb-f-keywords">${t('kb_keywords_csv')}</label>
            <input id="kb-f-keywords" data-testid="kb-f-keywords" value=${v.keywords} onInput=${set('keywords')} />
            <div class="tabs-inline" role="group" aria-label=${t('kb_body')}>
                <button type="button" class="chip" aria-pressed=${String(!preview)} data-testid="kb-f-write" onClick=${() => setPreview(false)}>${t('kb_write')}</button>
                <button type="button" class="chip" aria-pressed=${String(preview)} data-testid="kb-f-preview" onClick=${() => setPreview(true)}>${t('kb_preview')}</button>
            </div>
            ${preview
                ? html`<div class="md-preview" data-testid="kb-preview"><${Markdown} text=${v.body} testid="kb-preview-body" /></div>`
                : html`<label for="kb-f-body">${t('kb_body_md')}</label>
                    <textarea id="kb-f-body" rows="14" data-testid="kb-f-body" aria-describedby="kb-f-body-size" value=${v.body}
                        onInput=${set('body')}></textarea>
                    <p id="kb-f-body-size" class=${bytes > BODY_MAX ? 'error' : 'muted'} data-testid="kb-f-body-size">
                        ${t('kb_body_size', { n: bytes, max: BODY_MAX })}</p>`}
            <div class="buttons"><button type="submit" disabled=${busy} data-testid="kb-f-save">${id ? t('save') : t('create')}</button></div>
            <${ErrorLine} error=${error} />
        </form>
    </section>`;
}
