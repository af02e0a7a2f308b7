// piseruma's web app: sign-in with a token, a menu per role, and hash routes to the views.
// Plain ES modules, no build step; every request goes to the same server's /v1 API.
//
//   #/signin            #/cases (caseload)    #/register      #/case/{id}
//   #/cooperatives      #/cooperative/{id}
//   #/approvals #/team  #/audit  #/audit/{id}  #/dashboard     #/admin

import {api, ApiError, hasToken, setToken} from './api.js';
import {fill, h} from './dom.js';
import {currentLang, setLang, t} from './i18n.js';
import {announce, loadDefinitions, pageTitle, problemBox, session} from './ui.js';
import {approvalsView, caseloadView, registerView, teamView} from './view-cases.js';
import {caseView} from './view-case.js';
import {cooperativesView, cooperativeView} from './view-cooperative.js';
import {auditCaseView, auditHomeView} from './view-audit.js';
import {dashboardView} from './view-dashboard.js';
import {usersView} from './view-admin.js';

// What each role finds in its menu; the server enforces the same rules.
const MENUS = {
  caseworker: [['#/cases', 'nav_caseload'], ['#/register', 'nav_register'], ['#/cooperatives', 'nav_cooperatives']],
  supervisor: [['#/approvals', 'nav_approvals'], ['#/team', 'nav_team'], ['#/cases', 'nav_cases'], ['#/register', 'nav_register'],
               ['#/cooperatives', 'nav_cooperatives'], ['#/dashboard', 'nav_dashboard']],
  auditor: [['#/audit', 'nav_audit']],
  committee: [['#/dashboard', 'nav_dashboard']],
  admin: [['#/admin', 'nav_users'], ['#/dashboard', 'nav_dashboard']],
};

// route pattern → [roles allowed, view]
const ROUTES = [
  [/^#\/cases$/, ['caseworker', 'supervisor'], (m) => caseloadView(m, {mine: true})],
  [/^#\/register$/, ['caseworker', 'supervisor'], registerView],
  [/^#\/case\/([A-Za-z0-9._:@-]+)$/, ['caseworker', 'supervisor', 'auditor', 'admin'], (m, id) => caseView(m, id)],
  [/^#\/cooperatives$/, ['caseworker', 'supervisor'], cooperativesView],
  [/^#\/cooperative\/([A-Za-z0-9._:@-]+)$/, ['caseworker', 'supervisor'], (m, id) => cooperativeView(m, id)],
  [/^#\/approvals$/, ['supervisor'], approvalsView],
  [/^#\/team$/, ['supervisor'], teamView],
  [/^#\/audit$/, ['auditor'], auditHomeView],
  [/^#\/audit\/([A-Za-z0-9._:@-]+)$/, ['auditor'], (m, id) => auditCaseView(m, id)],
  [/^#\/dashboard$/, ['supervisor', 'committee', 'admin'], dashboardView],
  [/^#\/admin$/, ['admin'], usersView],
];

const main = document.getElementById('main');

function renderChrome() {
  document.documentElement.lang = currentLang();
  document.getElementById('footer-text').textContent = t('app_title');
  const nav = document.getElementById('nav');
  const sessionBox = document.getElementById('session');
  const langButton = h('button', {type: 'button', class: 'link', lang: currentLang() === 'fr' ? 'en' : 'fr', 'data-testid': 'lang',
    onclick: () => { setLang(currentLang() === 'fr' ? 'en' : 'fr'); route(); }}, t('switch_lang'));
  if (!session.me) {
    fill(nav);
    fill(sessionBox, langButton);
    return;
  }
  const here = location.hash.split('/').slice(0, 2).join('/');
  fill(nav, h('ul', {}, (MENUS[session.me.role] || []).map(([href, key]) =>
    h('li', {}, h('a', {href, 'aria-current': here === href ? 'page' : null}, t(key))))));
  fill(sessionBox, 
    h('span', {class: 'who', 'data-testid': 'who-am-i'}, session.me.display_name || session.me.user_id,
      session.me.display_name === t(`role_${session.me.role}`) ? null : h('span', {class: 'role'}, ` · ${t(`role_${session.me.role}`)}`)),
    langButton,
    h('button', {type: 'button', class: 'secondary small', 'data-testid': 'sign-out', onclick: signOut}, t('sign_out')));
}

function signInView(message) {
  const input = h('input', {id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false',
                            'aria-describedby': 'token-help token-error', required: true});
  const error = h('p', {class: 'field-error', id: 'token-error', role: 'alert', hidden: !message}, message || '');
  const form = h('form', {class: 'card narrow signin', 'data-testid': 'signin', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const token = input.value.trim();
    if (!token) {
      error.textContent = t('token_required');
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      return input.focus();
    }
    setToken(token);
    try {
      await start();
    } catch (err) {
      setToken('');
      signInView(err instanceof ApiError && err.status === 401 ? t('bad_token') : (err.detail || String(err)));
    }
  }},
  h('p', {}, t('sign_in_intro')),
  h('div', {class: 'field'}, h('label', {for: 'token'}, t('token')), h('p', {class: 'help', id: 'token-help'}, t('token_help')), input, error),
  h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'primary'}, t('sign_in'))));
  session.me = null;
  renderChrome();
  const title = pageTitle(t('sign_in_title'));
  fill(main, title, form);
  input.focus();
}

function signOut() {
  session.stopEvents?.();
  session.stopEvents = null;
  setToken('');
  session.me = null;
  sessionStorage.clear();
  history.replaceState(null, '', '#/signin');
  signInView();
  announce(t('signed_out'), 'info');
}

async function start() {
  session.me = await api('/v1/me');
  await loadDefinitions();
  const home = (MENUS[session.me.role] || [['#/signin']])[0][0];
  if (!location.hash || location.hash === '#/signin' || location.hash === '#/') location.hash = home;
  else route();
}

async function route() {
  session.stopEvents?.();
  session.stopEvents = null;
  if (!session.me) return signInView();
  renderChrome();
  const hash = location.hash || '#/';
  for (const [re, roles, view] of ROUTES) {
    const m = re.exec(hash);
    if (!m) continue;
    if (!roles.includes(session.me.role)) {
      fill(main, pageTitle(t('error')), problemBox(new ApiError(403, {detail: ''})));
      return;
    }
    try {
      await view(main, ...m.slice(1).map(decodeURIComponent));
      // Keyboard and screen-reader users land on the new page's title, not on the old link.
      if (!main.contains(document.activeElement)) main.querySelector('h1')?.focus();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return signOut();
      fill(main, pageTitle(t('error')), problemBox(e));
    }
    return;
  }
  location.replace((MENUS[session.me.role] || [['#/signin']])[0][0]);
}

window.addEventListener('hashchange', () => { if (session.me) route(); });

setLang(currentLang());
if (hasToken()) {
  start().catch(() => { setToken(''); signInView(); });
} else {
  signInView();
}
