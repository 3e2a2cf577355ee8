// markdown.js - article bodies (Markdown, written by users) to HTML with markdown-it: raw HTML
// is off (a <script> in a body is shown as text), links are checked by markdown-it's
// validateLink (no javascript:, vbscript:, file: or non-image data: URLs) and open in a new tab
// without access to the console.
import MarkdownIt from 'markdown-it';
import { html } from './common.js';

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });

const renderToken = (tokens, idx, options, env, self) => self.renderToken(tokens, idx, options);
const linkOpen = md.renderer.rules.link_open || renderToken;
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    tokens[idx].attrSet('target', '_blank');
    tokens[idx].attrSet('rel', 'noopener noreferrer nofollow');
    return linkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(text) {
    return md.render(String(text || ''));
}

// The rendered body; the HTML is markdown-it's output with raw HTML disabled (see above).
export function Markdown({ text, testid = 'md' }) {
    return html`<div class="md" data-testid=${testid} dangerouslySetInnerHTML=${{ __html: renderMarkdown(text) }}></div>`;
}
