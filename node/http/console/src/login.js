// login.js - the sign-in page: login + password → POST /api/v1/session.
import { useState } from 'preact/hooks';
import { api } from './api.js';
import { t } from './i18n.js';
import { html, ErrorLine } from './common.js';

export function Login({ onLogin }) {
    const [login, setLogin] = useState('');
    const [password, setPassword] = useState('');
    const [error, setError] = useState(null);
    const [busy, setBusy] = useState(false);
    const submit = async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
            const res = await api.login(login.trim(), password);
            setPassword('');
            await onLogin(res);
        } catch (err) {
            setError(err);
        } finally {
            setBusy(false);
        }
    };
    return html`<main class="login" id="main-content">
        <h1>${t('login_title')}</h1>
        <form onSubmit=${submit} data-testid="login-form">
            <label for="login-login">${t('login')}</label>
            <input id="login-login" name="login" autocomplete="username" required autofocus
                data-testid="login-login" value=${login} onInput=${(e) => setLogin(e.target.value)} />
            <label for="login-password">${t('password')}</label>
            <input id="login-password" name="password" type="password" autocomplete="current-password"
                required data-testid="login-password" value=${password}
                onInput=${(e) => setPassword(e.target.value)} />
            <button type="submit" disabled=${busy} data-testid="login-submit">${t('sign_in')}</button>
            <${ErrorLine} error=${error} />
        </form>
    </main>`;
}
