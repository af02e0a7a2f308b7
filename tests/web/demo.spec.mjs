// The web app over a `piseruma serve --demo` directory, as a new user meets it: the demo
// programme seeded through the real command path, signed in with the tokens the server
// wrote to <data>/demo-tokens.txt. Real volumes show what a fresh directory cannot:
// overdue cases on the caseload, approvals waiting, the committee's charts on real counts.
//
//   cd tests/web && npm ci && node --test --test-concurrency=1 demo.spec.mjs
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';

import {call, launchBrowser, newPage, screenshot, signIn, startServer} from './harness.mjs';

const PARTICIPANTS = 800;

describe('piseruma web app on the demo programme', {timeout: 300_000}, () => {
  let server;
  let browser;
  const pages = [];

  before(async () => {
    server = await startServer({demo: PARTICIPANTS});
    browser = await launchBrowser();
  });

  after(async () => {
    for (const page of pages) assert.deepEqual(page.errors, [], 'no script errors in the page');
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(role) {
    const token = server.demoTokens[role];
    assert.ok(token, `demo-tokens.txt has a ${role}`);
    const page = await newPage(browser);
    pages.push(page);
    await signIn(page, server, token);
    return page;
  }

  test('the demo directory names a token for every role, and each works', async () => {
    for (const role of ['admin', 'supervisor', 'caseworker', 'auditor', 'committee']) {
      const me = await call(server, server.demoTokens[role], 'GET', '/v1/me');
      assert.equal(me.status, 200, `${role}: ${me.text}`);
      assert.equal(me.json.role, role);
    }
  });

  test("a caseworker's caseload has overdue cases first, and a case opens", async () => {
    const page = await signedIn('caseworker');
    const overdue = page.locator('section.card-overdue');
    await overdue.waitFor();
    const heading = await overdue.locator('h2').innerText();
    const count = Number(/\((\d+)\)/.exec(heading)?.[1]);
    assert.ok(count > 0, `the demo has overdue cases (${heading})`);
    await screenshot(page, '15-demo-caseload');
    await overdue.locator('tbody a').first().click();
    await page.getByTestId('next-steps').waitFor();
    await page.getByTestId('timeline').locator('li').first().waitFor();
  });

  test('a supervisor sees approvals waiting across their cities', async () => {
    const page = await signedIn('supervisor');
    await page.getByRole('heading', {name: 'Approbations en attente'}).waitFor();
    const waiting = await page.locator('[data-testid^="approvals-"] h2').allInnerTexts();
    assert.equal(waiting.length, 3);
    const total = waiting.reduce((n, text) => n + Number(/\((\d+)\)/.exec(text)?.[1] || 0), 0);
    assert.ok(total > 0, `something waits for approval in the demo (${waiting.join(' / ')})`);
  });

  test("the committee's dashboard draws the demo's real counts", async () => {
    const page = await signedIn('committee');
    const target = page.getByTestId('target');
    await target.waitFor();
    assert.match(await target.innerText(), /sur un objectif de 240/);
    assert.ok(await page.getByTestId('funnel').locator('svg[role="img"]').count() >= 4, 'a funnel per pathway');
    assert.ok(await page.getByTestId('trends').locator('svg path').count() >= 2, 'monthly trends');
    const dashboard = await call(server, server.demoTokens.committee, 'GET', '/v1/dashboard');
    assert.equal(dashboard.status, 200);
    assert.ok(dashboard.json.position > PARTICIPANTS, 'the read models hold the whole demo');
    await screenshot(page, '16-demo-dashboard', {fullPage: false});
  });
});
