// What the browser test needs around it: the real `piseruma serve` on a free port over a
// fresh data directory (with an administrator from --create-admin, then one user per role
// created through POST /v1/admin/users), Debian's chromium driven by playwright-core, and
// small helpers to sign in, fill the generated forms and save screenshots.
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {chromium} from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOTS = process.env.PISERUMA_SCREENSHOTS || path.join(ROOT, 'docs/screenshots');

function findBinary() {
  const bin = process.env.PISERUMA_BIN || path.join(ROOT, 'build', 'dev', 'api', 'piseruma');
  if (!existsSync(bin)) {
    throw new Error(`no piseruma at ${bin}: build it (cmake --preset dev && cmake --build --preset dev) or set PISERUMA_BIN`);
  }
  return bin;
}

// Starts `piseruma serve` (serving `web`); resolves to {url, adminToken, data, stop()} once
// it listens. With `demo` (a number of participants), the fresh directory is seeded with the
// demo programme instead, and `demoTokens` maps each role to its first demo user's token
// (from <data>/demo-tokens.txt, as an operator would read it).
export async function startServer({web = path.join(ROOT, 'web'), demo = 0} = {}) {
  const data = mkdtempSync(path.join(tmpdir(), 'piseruma-web-'));
  const bin = findBinary();
  const seed = demo ? ['--demo', '--demo-participants', String(demo)] : ['--create-admin', 'admin'];
  const child = spawn(bin, ['serve', '--data', data, '--port', '0', ...seed, '--access-log', 'none', '--web', web],
                      {stdio: ['ignore', 'pipe', 'pipe']});
  let out = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`piseruma serve did not start:\n${out}`)), 120_000);
    const onData = (chunk) => {
      out += chunk;
      const token = /token \(shown once\): (\S+)/.exec(out);
      const url = /listening on (http:\/\/\S+)/.exec(out);
      if (url && (token || demo)) {
        clearTimeout(timer);
        resolve({url: url[1], adminToken: token?.[1]});
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`piseruma serve exited with ${code}:\n${out}`)));
  });
  const {url, adminToken} = await ready;
  const demoTokens = {};
  if (demo) {
    for (const line of readFileSync(path.join(data, 'demo-tokens.txt'), 'utf8').split('\n')) {
      const [role, , , token] = line.split('\t');
      if (role && token && !demoTokens[role]) demoTokens[role] = token;
    }
  }
  return {
    url,
    adminToken,
    demoTokens,
    data,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      }
      rmSync(data, {recursive: true, force: true});
    },
  };
}

// The API from the test itself (setting up users, checking what the server holds).
export async function call(server, token, method, route, body) {
  const res = await fetch(server.url + route, {
    method,
    headers: {Authorization: `Bearer ${token}`, 'Content-Type': 'application/json'},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return {status: res.status, json, text};
}

// One user per role; resolves to {role: token}.
export async function createUsers(server) {
  const users = {
    caseworker: {user_id: 'cw-rabat', display_name: 'Salma (conseillère)', cities: ['Rabat']},
    supervisor: {user_id: 'sup-rabat', display_name: 'Youssef (superviseur)', cities: ['Rabat']},
    auditor: {user_id: 'audit-1', display_name: 'Audit HCR'},
    committee: {user_id: 'copil-1', display_name: 'Comité de pilotage'},
  };
  const tokens = {admin: server.adminToken};
  for (const [role, u] of Object.entries(users)) {
    const r = await call(server, server.adminToken, 'POST', '/v1/admin/users', {...u, role});
    if (r.status !== 201) throw new Error(`creating ${role}: ${r.status} ${r.text}`);
    tokens[role] = r.json.token;
  }
  return tokens;
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

// A fresh page (its own storage) at laptop or phone size; page errors fail the test.
export async function newPage(browser, {phone = false} = {}) {
  const context = await browser.newContext(phone
    ? {viewport: {width: 390, height: 844}, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-FR'}
    : {viewport: {width: 1280, height: 900}, locale: 'fr-FR'});
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) page.errors.push(m.text()); });
  return page;
}

export async function signIn(page, server, token) {
  await page.goto(`${server.url}/#/signin`);
  await page.getByLabel("Jeton d'accès").fill(token);
  await page.getByRole('button', {name: 'Se connecter'}).click();
  await page.getByTestId('who-am-i').waitFor();
}

// Saves docs/screenshots/<name>.png: the whole page, or only the screen (phones).
export async function screenshot(page, name, {fullPage = true} = {}) {
  mkdirSync(SCREENSHOTS, {recursive: true});
  await page.evaluate(() => { document.activeElement?.blur?.(); window.scrollTo(0, 0); });
  await page.screenshot({path: path.join(SCREENSHOTS, `${name}.png`), fullPage});
}

// Words that only a rendering bug writes into a page.
export async function renderingSlips(page) {
  const text = await page.locator('main').innerText();
  return text.match(/\b(null|undefined|NaN)\b|\[object Object\]/g) || [];
}

// Form controls without a label (an accessibility defect): their names.
export function unlabelledInputs(page) {
  return page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden' && !el.labels?.length && !el.getAttribute('aria-label'))
    .map((el) => el.name || el.id || el.outerHTML.slice(0, 60)));
}

// Fills a generated form: {field: value}; selects take option values.
export async function fillForm(form, values) {
  for (const [name, value] of Object.entries(values)) {
    const input = form.locator(`[name="${name}"]`);
    if ((await input.evaluate((el) => el.tagName)) === 'SELECT') await input.selectOption(String(value));
    else await input.fill(String(value));
  }
}

// Opens the next step `command` on the case page, fills it and submits it; resolves once
// the case shows a newer version (the command was recorded).
export async function runStep(page, command, values) {
  const step = page.getByTestId(`step-${command}`).first();
  await step.waitFor();
  if (!(await step.evaluate((el) => el.open))) await step.locator('summary').click();
  const before = await page.locator('.case-head').getAttribute('data-version');
  const form = step.locator('form');
  await fillForm(form, values);
  await form.locator('button[type="submit"]').click();
  await page.waitForFunction((v) => {
    const head = document.querySelector('.case-head');
    return head && head.dataset.version !== v;
  }, before, {timeout: 15_000});
}
