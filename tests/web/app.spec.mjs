// The web app in a real browser (Debian's chromium, driven by playwright-core) against the
// real `piseruma serve`: sign-in per role, registering a participant, walking a case from
// consent through the ANAPEC referral to a placement with the forms generated from
// next_steps, a validation error shown beside its field, the auditor's timeline, and a
// committee page holding no personal data. Screenshots of each main page go to
// docs/screenshots/ (PISERUMA_SCREENSHOTS to change).
//
// The steps run in order and share one server and one case; add a step with another
// test(...) below. Views whose endpoints are not built yet (read models, auditor tools)
// must show their "not available yet" notice; once the endpoint exists, the step checks
// the real content instead.
//
//   cd tests/web && npm ci && node --test --test-concurrency=1 app.spec.mjs
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';

import {call, createUsers, fillForm, launchBrowser, newPage, runStep, screenshot, signIn, startServer,
        renderingSlips, unlabelledInputs} from './harness.mjs';

const PARTICIPANT = {
  unhcr_id: 'MOR-26C00042',
  full_name: 'Amina Synthétique',
  sex: 'female',
  date_of_birth: '1991-03-14',
  nationality: 'Syrie',
  city: 'Rabat',
  phone: '+212600000042',
  address: '12 rue des Orangers, Hay Riad',
  education_level: 'secondary',
  household_size: '3',
};
// What must never reach the committee's browser.
const PERSONAL = [PARTICIPANT.full_name, 'Synthétique', PARTICIPANT.phone, PARTICIPANT.date_of_birth, 'Orangers', PARTICIPANT.unhcr_id];

let server;
let browser;
let tokens;
let caseId = '';
let dashboardBefore = '';
const pages = {};  // role → its page, kept signed in across steps

// Shows `hash` in `page`, loading it afresh when the page is already there.
async function visit(page, hash) {
  const target = `${server.url}/${hash}`;
  if (page.url() === target) await page.reload();
  else await page.goto(target);
}

async function available(route, role = 'admin') {
  const r = await call(server, tokens[role], 'GET', route);
  return r.status === 200;
}

describe('piseruma web app', {timeout: 300_000}, () => {
  before(async () => {
    server = await startServer();
    tokens = await createUsers(server);
    browser = await launchBrowser();
  });

  after(async () => {
    for (const page of Object.values(pages)) {
      assert.deepEqual(page.errors, [], 'no script errors in the page');
    }
    await browser?.close();
    await server?.stop();
  });

  test('the app is served by piseruma itself, with a strict CSP', async () => {
    const res = await fetch(`${server.url}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /text\/html/);
    const csp = res.headers.get('content-security-policy');
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|https?:/);
    const js = await fetch(`${server.url}/assets/app.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type'), /javascript/);
    const etag = js.headers.get('etag');
    assert.equal((await fetch(`${server.url}/assets/app.js`, {headers: {'If-None-Match': etag}})).status, 304);
    assert.equal((await fetch(`${server.url}/assets/nope.js`)).status, 404);
    assert.equal((await fetch(`${server.url}/assets/.hidden.js`)).status, 404);
    assert.equal((await fetch(`${server.url}/assets/index`)).status, 404);
    assert.equal((await fetch(`${server.url}/assets/..%2findex.html`)).status, 400);
  });

  test('a symlink in the web directory cannot lead out of it', async () => {
    const web = mkdtempSync(path.join(tmpdir(), 'piseruma-webdir-'));
    mkdirSync(path.join(web, 'assets'));
    writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(path.join(web, 'assets', 'ok.js'), 'export {};');
    symlinkSync('/etc/passwd', path.join(web, 'assets', 'passwd.txt'));
    const other = await startServer({web});
    try {
      assert.equal((await fetch(`${other.url}/assets/ok.js`)).status, 200);
      assert.equal((await fetch(`${other.url}/`)).status, 200);
      const escaped = await fetch(`${other.url}/assets/passwd.txt`);
      assert.equal(escaped.status, 404);
      assert.doesNotMatch(await escaped.text(), /root:/);
    } finally {
      await other.stop();
      rmSync(web, {recursive: true, force: true});
    }
  });

  test('sign-in refuses a bad token, then each role signs in and sees its own menu', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', {name: 'Connexion'}).waitFor();
    await screenshot(page, '01-sign-in');
    await page.getByLabel("Jeton d'accès").fill('psr_not-a-token');
    await page.getByRole('button', {name: 'Se connecter'}).click();
    await page.getByText('Jeton invalide ou révoqué').waitFor();
    await page.context().close();

    const menus = {
      caseworker: ['Mon portefeuille', 'Inscrire', 'Coopératives'],
      supervisor: ['Approbations', 'Équipe', 'Dossiers', 'Inscrire', 'Coopératives', 'Tableau de bord'],
      auditor: ['Audit'],
      committee: ['Tableau de bord'],
      admin: ['Utilisateurs', 'Tableau de bord'],
    };
    for (const [role, items] of Object.entries(menus)) {
      const p = await newPage(browser);
      await signIn(p, server, tokens[role]);
      const nav = await p.locator('#nav a').allInnerTexts();
      assert.deepEqual(nav, items, `${role}'s menu`);
      pages[role] = p;
    }
    await screenshot(pages.admin, '11-admin-users');
  });

  test('sign-in with the keyboard alone; sign-out forgets the token', async () => {
    const p = await newPage(browser);
    await p.goto(`${server.url}/`);
    await p.getByRole('heading', {name: 'Connexion'}).waitFor();
    await p.keyboard.type(tokens.caseworker);  // the token field has the focus
    await p.keyboard.press('Enter');
    await p.getByTestId('who-am-i').waitFor();
    await p.getByRole('heading', {name: 'Mon portefeuille'}).waitFor();
    // The title takes the focus once the page has rendered (its data arrives asynchronously).
    await p.waitForFunction(() => document.activeElement && document.activeElement.tagName === 'H1', null, {timeout: 5000})
        .catch(() => {});
    assert.equal(await p.evaluate(() => document.activeElement.tagName), 'H1', 'the focus lands on the new page title');
    await p.getByTestId('sign-out').click();
    await p.getByRole('heading', {name: 'Connexion'}).waitFor();
    assert.equal(await p.evaluate(() => sessionStorage.getItem('psr.token')), null);
    await p.reload();
    await p.getByRole('heading', {name: 'Connexion'}).waitFor();
    await p.context().close();
  });

  test('the caseload shows the case list, or says calmly it is not available yet', async () => {
    const page = pages.caseworker;
    await visit(page, `#/cases`);
    await page.getByRole('heading', {name: 'Mon portefeuille'}).first().waitFor();
    if (await available('/v1/cases', 'caseworker')) {
      await page.getByRole('heading', {name: /En retard/}).waitFor();
    } else {
      await page.getByTestId('not-available').first().waitFor();
      assert.match(await page.getByTestId('not-available').first().innerText(), /pas encore disponible/);
    }
    await screenshot(page, '02-caseload');
  });

  test('registering: the server lists missing fields beside them, then the participant is registered', async () => {
    const page = pages.caseworker;
    await page.getByRole('link', {name: 'Inscrire'}).click();
    const form = page.getByTestId('register-form');
    await form.waitFor();
    await form.getByRole('button', {name: 'Inscrire'}).click();
    const unhcrError = form.locator('[data-field="unhcr_id"] .field-error');
    await unhcrError.waitFor();
    assert.equal(await form.locator('[name="unhcr_id"]').getAttribute('aria-invalid'), 'true');
    assert.ok((await form.locator('.error-summary li').count()) >= 4, 'every missing field is listed');
    await screenshot(page, '03-register-errors');
    assert.deepEqual(await unlabelledInputs(page), [], 'every registration field has a label');

    await page.getByLabel('N° HCR (proGres)').fill(PARTICIPANT.unhcr_id);
    await page.getByLabel('Nom complet').fill(PARTICIPANT.full_name);
    await fillForm(form, {sex: PARTICIPANT.sex, date_of_birth: PARTICIPANT.date_of_birth, nationality: PARTICIPANT.nationality,
                          city: PARTICIPANT.city, phone: PARTICIPANT.phone, address: PARTICIPANT.address,
                          education_level: PARTICIPANT.education_level, household_size: PARTICIPANT.household_size});
    await form.getByRole('button', {name: 'Inscrire'}).click();
    await page.waitForURL(/#\/case\/case-[0-9A-Z]+$/);
    caseId = decodeURIComponent(page.url().split('#/case/')[1]);
    await page.getByTestId('who').waitFor();
    assert.match(await page.getByTestId('personal').innerText(), /Amina Synthétique/);
    assert.match(await page.getByTestId('consents').innerText(), /Aucun consentement/);
  });

  test('a bad date is refused by the server and the error is shown beside the field', async () => {
    const page = pages.caseworker;
    const step = page.getByTestId('step-RecordConsent').first();
    await step.waitFor();
    const form = step.locator('form');
    await fillForm(form, {purpose: 'data_processing', recipient: 'AMAPPE', given_on: '2031-01-01'});
    await form.locator('button[type="submit"]').click();
    const error = form.locator('[data-field="given_on"] .field-error');
    await error.waitFor();
    assert.ok((await error.innerText()).length > 5, 'the server explains the error');
    assert.equal(await form.locator('[name="given_on"]').getAttribute('aria-invalid'), 'true');
    assert.equal(await form.locator('[name="purpose"]').getAttribute('aria-invalid'), null, 'only the bad field is marked');
    await screenshot(page, '04-validation-error');
  });

  test('walks consent → baseline → orientation → ANAPEC referral → confirmation → placement', async () => {
    const page = pages.caseworker;
    const today = await page.evaluate(() => new Intl.DateTimeFormat('en-CA', {timeZone: 'Africa/Casablanca'}).format(new Date()));
    await runStep(page, 'RecordConsent', {purpose: 'data_processing', recipient: 'AMAPPE', given_on: today});
    assert.match(await page.getByTestId('consents').innerText(), /Traitement des données par AMAPPE/);
    await runStep(page, 'RecordAssessment', {kind: 'baseline', housing: 2, food: 3, employment: 1, savings: 1});
    await runStep(page, 'RecordConsent', {purpose: 'employment_referral', recipient: 'ANAPEC', given_on: today});
    await runStep(page, 'OrientToPathway', {pathway: 'employment'});

    // Consent is in view before the referral is sent.
    const referral = page.getByTestId('step-SendAnapecReferral');
    await referral.waitFor();
    assert.match(await referral.locator('.notice-consent').innerText(), /Orientation vers l'emploi → ANAPEC/);
    await runStep(page, 'SendAnapecReferral', {agency: 'Rabat'});
    assert.match(await page.getByTestId('pathways').innerText(), /en attente/);
    await runStep(page, 'ConfirmAnapecRegistration', {anapec_id: 'ANAPEC-RAB-2026-0042'});

    if (await available('/v1/dashboard', 'committee')) {
      const dash = pages.committee;
      await visit(dash, `#/dashboard`);
      await dash.getByTestId('position').waitFor();
      dashboardBefore = await dash.getByTestId('position').innerText();
    }
    await runStep(page, 'RecordPlacement', {employer_name: 'Atlas Textile SARL', employer_created_on: '2021-05-10', sector: 'Textile',
                                            contract_type: 'CDI', monthly_wage_mad: 3800});
    const pathways = await page.getByTestId('pathways').innerText();
    assert.match(pathways, /Emploi salarié \(ANAPEC\) — En emploi/);
    await screenshot(page, '05-case-page');
    assert.deepEqual(await unlabelledInputs(page), [], 'every field of the case page has a label');
    assert.deepEqual(await renderingSlips(page), []);

    const r = await call(server, tokens.caseworker, 'GET', `/v1/cases/${caseId}?personal=false`);
    const employment = r.json.workflows.find((w) => w.workflow === 'employment');
    assert.equal(employment.state, 'placed');
  });

  test('the caseworker finds the case by its UNHCR number', async () => {
    const page = pages.caseworker;
    await visit(page, `#/cases`);
    await page.getByLabel('Rechercher un dossier').fill('mor 26c00042');
    await page.getByRole('button', {name: 'Rechercher', exact: true}).click();
    await page.waitForURL(new RegExp(`#/case/${caseId}$`));
    await page.getByTestId('who').waitFor();
  });

  test('the case page works at phone width', async () => {
    const phone = await newPage(browser, {phone: true});
    await signIn(phone, server, tokens.caseworker);
    await visit(phone, `#/case/${caseId}`);
    await phone.getByTestId('next-steps').waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no horizontal scrolling at 390px (${overflow}px too wide)`);
    await screenshot(phone, '06-case-phone', {fullPage: false});
    await phone.context().close();
  });

  test('the committee dashboard changes with the placement (when the read models run)', async (t) => {
    if (!(await available('/v1/dashboard', 'committee'))) {
      const dash = pages.committee;
      await visit(dash, `#/dashboard`);
      await dash.getByTestId('not-available').waitFor();
      t.skip('GET /v1/dashboard is not available yet: the page says so');
      return;
    }
    const dash = pages.committee;
    await dash.waitForFunction((before) => document.querySelector('[data-testid="position"]')?.textContent !== before,
                               dashboardBefore, {timeout: 15_000});
  });

  test('the committee sees no personal data anywhere in the page', async () => {
    const dash = pages.committee;
    const seen = [];
    dash.on('response', async (res) => { try { seen.push(await res.text()); } catch { /* redirects, streams */ } });
    await visit(dash, `#/dashboard`);
    await dash.getByRole('heading', {name: 'Tableau de bord du programme'}).waitFor();
    await dash.locator('[data-testid="position"], [data-testid="not-available"]').first().waitFor();
    await screenshot(dash, '08-dashboard-committee');
    // A case link typed by hand: refused, nothing shown.
    await visit(dash, `#/case/${caseId}`);
    await dash.getByText("Votre rôle ne permet pas d'ouvrir cette page.").waitFor();
    await visit(dash, `#/dashboard`);
    await dash.getByRole('heading', {name: 'Tableau de bord du programme'}).waitFor();
    const html = await dash.content();
    const storage = await dash.evaluate(() => JSON.stringify({...sessionStorage, ...localStorage}));
    for (const value of PERSONAL) {
      assert.ok(!html.includes(value), `the committee's page holds "${value}"`);
      assert.ok(!storage.includes(value), `the committee's storage holds "${value}"`);
      for (const body of seen) assert.ok(!body.includes(value), `a response to the committee holds "${value}"`);
    }
    assert.ok(!html.includes(caseId), 'no case id either');
  });

  test('the auditor opens the case history and an as-of view', async () => {
    const page = pages.auditor;
    await visit(page, `#/audit`);
    await page.getByLabel('Identifiant du dossier').fill(caseId);
    await page.getByRole('button', {name: "Ouvrir l'historique"}).click();
    await page.getByTestId('audit-history').waitFor();
    if (await available(`/v1/cases/${caseId}/history`, 'auditor')) {
      const rows = page.locator('[data-testid="history"] tbody tr');
      await rows.first().waitFor();
      assert.ok((await rows.count()) >= 8, 'every event of the walk is in the history');
      assert.match(await rows.first().innerText(), /cw-rabat/, 'each event names its actor');
      assert.match(await rows.first().locator('code').getAttribute('title'), /^[0-9a-f]{64}$/, 'and its hash');
      // As of the first event (the registration): no consent yet, the employment pathway not opened.
      const slider = page.locator('#asof-slider');
      await slider.focus();
      await page.keyboard.press('Home');
      await page.locator('tr.selected').waitFor();
      assert.equal(await page.locator('tr.future').count(), (await rows.count()) - 1);
      const first = (await rows.first().locator('td').first().innerText()).trim();
      const last = (await rows.last().locator('td').first().innerText()).trim();
      const state = page.getByTestId('asof-state');
      await page.locator(`[data-testid="asof-state"][data-position="${first}"]`).waitFor();
      assert.match(await state.innerText(), /Inscrit·e/);
      assert.doesNotMatch(await state.innerText(), /Emploi salarié/);
      await page.keyboard.press('End');
      await page.locator(`[data-testid="asof-state"][data-position="${last}"]`).waitFor();
      assert.match(await state.innerText(), /Emploi salarié \(ANAPEC\) : En emploi/);
    } else {
      await page.getByTestId('audit-history').getByTestId('not-available').waitFor();
    }
    if (await available(`/v1/cases/${caseId}/verify`, 'auditor')) {
      await page.getByRole('button', {name: 'Vérifier la chaîne'}).click();
      await page.getByTestId('verdict').waitFor();
      assert.match(await page.getByTestId('verdict').innerText(), /Intègre/);
    }
    if (await available(`/v1/audit/access?case_id=${caseId}`, 'auditor')) {
      await page.getByTestId('audit-access').locator('tbody tr').first().waitFor();
      assert.match(await page.getByTestId('audit-access').innerText(), /cw-rabat/, 'the caseworker\'s reads are listed');
    }
    if (await available(`/v1/cases/${caseId}/audit-file`, 'auditor')) {
      const [download] = await Promise.all([page.waitForEvent('download'),
        page.getByRole('button', {name: "Télécharger le dossier d'audit"}).click()]);
      assert.match(download.suggestedFilename(), /\.audit\.json$/);
    }
    await screenshot(page, '07-audit');
    assert.deepEqual(await unlabelledInputs(page), [], 'the slider and the date picker have labels');
    assert.deepEqual(await renderingSlips(page), []);
    // The auditor reads the case page too (read-only: no next steps to act on).
    await visit(page, `#/case/${caseId}`);
    await page.getByTestId('who').waitFor();
    assert.equal(await page.locator('[data-testid^="form-"]').count(), 0, 'an auditor has no forms');
  });

  test('the supervisor sees the closures awaiting approval and team caseloads', async () => {
    // A second participant whose caseworker proposes closing the case.
    const today = new Intl.DateTimeFormat('en-CA', {timeZone: 'Africa/Casablanca'}).format(new Date());
    const data = {...PARTICIPANT, unhcr_id: 'MOR-26C00043', household_size: 1, registered_on: today};
    const reg = await call(server, tokens.caseworker, 'POST', '/v1/cases', {data});
    assert.equal(reg.status, 201, reg.text);
    const proposed = await call(server, tokens.caseworker, 'POST', `/v1/cases/${reg.json.id}/commands`,
      {command: 'ProposeClosure', data: {outcome: 'lost_contact', closed_on: today}});
    assert.equal(proposed.status, 200, proposed.text);
    const listed = await call(server, tokens.supervisor, 'GET',
      `/v1/cases?awaiting=closure_approval&min_position=${proposed.json.position}`);
    assert.deepEqual(listed.json.cases.map((c) => c.case_id), [reg.json.id]);

    const page = pages.supervisor;
    await visit(page, `#/approvals`);
    await page.getByRole('heading', {name: 'Approbations en attente'}).waitFor();
    const closures = page.getByTestId('approvals-closure_approval');
    await closures.getByText('Contact perdu').waitFor();
    assert.match(await closures.innerText(), /Clôtures proposées \(1\)/);
    await screenshot(page, '09-supervisor-approvals');
    await visit(page, `#/team`);
    await page.getByRole('heading', {name: 'Portefeuilles de mon équipe'}).first().waitFor();
  });

  test('a cooperative is founded from picked members, its page runs its steps, members see it', async () => {
    // Five participants oriented to the cooperative pathway, with the ODCO consent.
    const today = new Intl.DateTimeFormat('en-CA', {timeZone: 'Africa/Casablanca'}).format(new Date());
    const members = [];
    for (let i = 0; i < 5; ++i) {
      const data = {...PARTICIPANT, unhcr_id: `MOR-26C0010${i}`, household_size: 2, registered_on: today};
      const reg = await call(server, tokens.caseworker, 'POST', '/v1/cases', {data});
      assert.equal(reg.status, 201, reg.text);
      for (const [command, body] of [
        ['RecordConsent', {purpose: 'data_processing', recipient: 'AMAPPE', given_on: today}],
        ['RecordConsent', {purpose: 'cooperative_support', recipient: 'ODCO', given_on: today}],
        ['RecordAssessment', {kind: 'baseline', assessed_on: today, housing: 2, food: 2, employment: 1}],
        ['OrientToPathway', {pathway: 'cooperative_membership', oriented_on: today}]]) {
        const r = await call(server, tokens.caseworker, 'POST', `/v1/cases/${reg.json.id}/commands`, {command, data: body});
        assert.equal(r.status, 200, `${command}: ${r.text}`);
      }
      members.push(reg.json.id);
    }
    const page = pages.caseworker;
    await visit(page, `#/cooperatives`);
    await page.getByRole('heading', {name: 'Coopératives'}).waitFor();
    await page.getByTestId('found-cooperative').locator('summary').click();
    const form = page.getByTestId('form-FoundCooperative');
    // Too few members: the server's rule is shown beside the members' field.
    await fillForm(form, {proposed_name: 'Coopérative Synthétique Test', city: 'Rabat', activity: 'couture'});
    await form.locator('[name="member_case_ids"]').selectOption(members.slice(0, 2));
    await form.locator('button[type="submit"]').click();
    await form.locator('[data-field="member_case_ids"] .field-error').waitFor();
    await form.locator('[name="member_case_ids"]').selectOption(members);
    await form.locator('button[type="submit"]').click();
    await page.waitForURL(/#\/cooperative\/coop-/);
    await page.getByTestId('coop-facts').waitFor();
    assert.equal(await page.getByTestId('coop-members').locator('li').count(), 5);

    await runStep(page, 'RecordNameApproval', {approved_name: 'Coopérative Synthétique Test', certificate_number: 'CN-2026-7'});
    await page.getByTestId('coop-milestones').getByText('Dénomination approuvée').waitFor();
    await screenshot(page, '12-cooperative');

    // A member's case page shows the cooperative and its milestones, with a link to it.
    await visit(page, `#/case/${members[0]}`);
    const membership = page.getByTestId('membership');
    await membership.waitFor();
    assert.match(await membership.innerText(), /Coopérative Synthétique Test/);
    assert.match(await membership.innerText(), /Certificat négatif|Dénomination approuvée/);
  });

  test('the administrator creates a user, sees the token once, and revokes it', async () => {
    const page = pages.admin;
    await visit(page, `#/admin`);
    const form = page.getByTestId('user-form');
    await form.waitFor();
    await fillForm(form, {user_id: 'cw-fes-web', display_name: 'Conseiller Fès', role: 'caseworker', cities: 'Fès'});
    await form.locator('button[type="submit"]').click();
    const token = (await page.locator('code.token').innerText()).trim();
    assert.match(token, /^psr_[0-9a-f]{64}$/);
    assert.equal((await call(server, token, 'GET', '/v1/me')).status, 200, 'the new token works');

    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', {name: 'Révoquer cw-fes-web'}).click();
    await page.getByRole('row', {name: /cw-fes-web/}).getByText('révoqué').waitFor();
    assert.equal((await call(server, token, 'GET', '/v1/me')).status, 401, 'a revoked token is refused');
  });

  test('English is one click away', async () => {
    const page = pages.caseworker;
    await visit(page, `#/case/${caseId}`);
    await page.getByTestId('lang').click();
    await page.getByRole('heading', {name: 'Next steps'}).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await screenshot(page, '10-case-english');
    await page.getByTestId('lang').click();
    await page.getByRole('heading', {name: 'Prochaines étapes'}).waitFor();
  });

  // The dashboard's drawing, against a fixture in GET /v1/dashboard's documented shape
  // (api/projection_json.h), until the read models run in `piseruma serve`.
  const FIXTURE = readFileSync(new URL('./fixtures/dashboard.json', import.meta.url), 'utf8');
  const useFixture = (page) => page.route('**/v1/dashboard**', (route) =>
    route.fulfill({status: 200, contentType: 'application/json', body: FIXTURE}));

  test('the dashboard draws charts and tables, hides small cells, exports CSV (fixture)', async () => {
    const page = await newPage(browser);
    await useFixture(page);
    await signIn(page, server, tokens.committee);
    await page.getByTestId('target').waitFor();
    assert.match(await page.getByTestId('target').innerText(), /sur un objectif de 240/);
    assert.ok(await page.getByTestId('funnel').locator('svg[role="img"]').count() >= 4, 'a funnel chart per pathway');
    assert.ok(await page.getByTestId('trends').locator('svg path').count() >= 2, 'monthly trends are drawn');
    assert.ok(await page.getByTestId('sri').locator('svg rect').count() >= 12, 'SRI per domain');
    const breakdown = page.getByTestId('breakdown');
    await breakdown.getByLabel('Ventiler par').selectOption('city');
    await breakdown.locator('caption', {hasText: 'Ville'}).waitFor();
    assert.ok(await page.locator('td.suppressed').count() > 0, 'small cells are shown as <5');
    assert.match(await page.locator('td.suppressed').first().innerText(), /^<5$/);
    const [download] = await Promise.all([page.waitForEvent('download'),
      breakdown.getByRole('button', {name: 'Exporter en CSV'}).click()]);
    const csv = readFileSync(await download.path(), 'utf8');
    assert.match(download.suggestedFilename(), /^piseruma-funnel\.case\.city\.csv$/);
    assert.match(csv.split('\r\n')[0], /Rabat,Casablanca/);
    assert.ok(await page.locator('[data-testid^="csv-"]').count() >= Object.keys(JSON.parse(FIXTURE).tables).length,
              'every table has its CSV export');
    await screenshot(page, '13-dashboard-fixture');
    assert.deepEqual(await unlabelledInputs(page), [], 'the dashboard filters have labels');
    assert.deepEqual(await renderingSlips(page), []);
    await page.context().close();

    const phone = await newPage(browser, {phone: true});
    await useFixture(phone);
    await signIn(phone, server, tokens.committee);
    await phone.getByTestId('target').waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no horizontal scrolling at 390px (${overflow}px too wide)`);
    await screenshot(phone, '14-dashboard-fixture-phone', {fullPage: false});
    await phone.context().close();
  });
});
