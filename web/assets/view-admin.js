// Administrators: the users, creating one (its token shown once) and revoking one.

import {api} from './api.js';
import {fill, h} from './dom.js';
import {buildForm} from './forms.js';
import {t} from './i18n.js';
import {announce, pageTitle, problemBox, section, table} from './ui.js';

const ROLES = ['caseworker', 'supervisor', 'auditor', 'committee', 'admin'];

export async function usersView(main) {
  const list = h('div', {}, h('p', {class: 'loading'}, t('loading')));
  const created = h('div', {'aria-live': 'polite'});
  const fields = [
    {name: 'user_id', type: 'text', required: true, label: {fr: t('user_id'), en: t('user_id')}},
    {name: 'display_name', type: 'text', label: {fr: t('display_name'), en: t('display_name')}},
    {name: 'role', type: 'choice', required: true, label: {fr: t('role'), en: t('role')},
     options: ROLES.map((r) => ({value: r, label: {fr: t(`role_${r}`), en: t(`role_${r}`)}}))},
    {name: 'cities', type: 'list', label: {fr: t('cities'), en: t('cities')}, help: {fr: t('cities_hint'), en: t('cities_hint')}},
  ];
  async function refresh() {
    try {
      const data = await api('/v1/admin/users');
      fill(list, table(t('users_title'), [
        {title: t('user_id'), header: true, get: (u) => u.user_id},
        {title: t('display_name'), get: (u) => u.display_name || '—'},
        {title: t('role'), get: (u) => t(`role_${u.role}`)},
        {title: t('cities'), get: (u) => (u.cities || []).join(', ') || '—'},
        {title: '', get: (u) => (u.revoked ? t('revoked') : h('button', {type: 'button', class: 'secondary small',
          'aria-label': `${t('revoke')} ${u.user_id}`, onclick: async () => {
          if (!window.confirm(t('revoke_confirm', {id: u.user_id}))) return;
          await api(`/v1/admin/users/${encodeURIComponent(u.user_id)}`, {method: 'DELETE'});
          announce(`${u.user_id} — ${t('revoked')}`, 'success');
          refresh();
        }}, t('revoke')))},
      ], data.users || []));
    } catch (e) {
      fill(list, problemBox(e, t('users_title')));
    }
  }
  fill(main, pageTitle(t('users_title')),
    section(t('add_user'), {class: 'card narrow'}, buildForm({fields, submitLabel: t('add_user'), testId: 'user-form', onSubmit: async (data) => {
      const u = await api('/v1/admin/users', {method: 'POST', body: data});
      fill(created, h('div', {class: 'notice notice-success'}, h('p', {}, `${u.user_id} (${t(`role_${u.role}`)})`),
        h('p', {}, t('token_once')), h('code', {class: 'token'}, u.token)));
      refresh();
    }}), created),
    section(t('users_title'), {}, list));
  refresh();
}
