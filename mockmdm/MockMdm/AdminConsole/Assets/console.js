// MockMdm admin console (docs/console.md): a small static front end over the server's own REST API (/api), so the
// console and the API cannot disagree. DOM is built with createElement/textContent only: no HTML from data.
'use strict';

const KEY_STORAGE = 'mockmdm.apiKey';
const POLL_MS = 2000;
const main = () => document.getElementById('main');
let pollTimer = null;
let renderToken = 0;

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

// ---- DOM helpers -------------------------------------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

let fieldIds = 0;
function field(labelText, control, hint) {
  const id = control.id || `f${++fieldIds}`;
  control.id = id;
  const hintEl = hint ? h('span', { class: 'hint', id: id + '-hint' }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, labelText), control, hintEl);
}

function empty(title, text) {
  return h('div', { class: 'empty' }, h('strong', {}, title), text ? h('span', {}, text) : null);
}

function errorBox(message) {
  return h('div', { class: 'error', role: 'alert' }, message);
}

const PILL_LABELS = {
  pending: 'Pending', succeeded: 'Succeeded', done: 'Succeeded', failed: 'Failed', notapplicable: 'Not applicable',
};
function pill(state) {
  const key = String(state || '').toLowerCase();
  const label = PILL_LABELS[key] || (key ? key[0].toUpperCase() + key.slice(1) : 'Unknown');
  const cls = key === 'done' ? 'succeeded' : (PILL_LABELS[key] ? key : 'other');
  return h('span', { class: 'pill ' + cls }, label);
}

function when(value) {
  if (!value) return '—';
  const d = new Date(value);
  return isNaN(d) ? String(value) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

function toast(text) {
  const el = document.getElementById('toast');
  el.textContent = text;
  setTimeout(() => { if (el.textContent === text) el.textContent = ''; }, 5000);
}

function confirmAction(title, text, okLabel) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = okLabel;
  return new Promise(resolve => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = 'cancel';
    dialog.showModal();
    document.getElementById('confirm-ok').focus();
  });
}

// ---- API ---------------------------------------------------------------------------------------------------------

async function api(method, path, body) {
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (!key) { showSignIn(); throw new ApiError(401, 'not signed in'); }
  const headers = { 'api-key': key, 'accept': 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch('/api' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, `The server did not answer (${e.message}). Is MockMdm still running?`);
  }
  if (response.status === 204) return null;
  let data = null;
  try { data = await response.json(); } catch { /* a non-JSON answer is reported below */ }
  if (response.status === 401) {
    sessionStorage.removeItem(KEY_STORAGE);
    showSignIn(data?.error?.message || 'The API key was refused.');
    throw new ApiError(401, 'not signed in');
  }
  if (!response.ok) {
    throw new ApiError(response.status, data?.error?.message || `${method} ${path} failed with HTTP ${response.status}`);
  }
  return data;
}

// ---- Sign-in -----------------------------------------------------------------------------------------------------

function showSignIn(problem) {
  stopPolling();
  document.getElementById('sign-out').hidden = true;
  const input = h('input', { type: 'password', id: 'api-key', autocomplete: 'off', required: true });
  const status = h('div', {});
  if (problem) status.append(errorBox(problem));
  const form = h('form', { class: 'signin', onsubmit: async e => {
    e.preventDefault();
    status.replaceChildren();
    sessionStorage.setItem(KEY_STORAGE, input.value.trim());
    try {
      await api('GET', '/tenants');
      render();
    } catch (err) {
      if (err.status !== 401) status.append(errorBox(err.message));
    }
  } },
    h('h1', {}, 'Sign in'),
    h('p', {}, 'The console calls the MockMdm REST API. Enter its API key once; it is kept for this browser tab only.'),
    status,
    field('API key', input, 'The server\'s --api-key (docs/console.md).'),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  main().replaceChildren(form);
  input.focus();
}

// ---- Router ------------------------------------------------------------------------------------------------------

function stopPolling() {
  if (pollTimer) clearTimeout(pollTimer);
  pollTimer = null;
}

function poll(token, fn) {
  stopPolling();
  pollTimer = setTimeout(async () => {
    if (token !== renderToken) return;
    try { await fn(); } catch (e) { if (e.status !== 401) toast('Refresh failed: ' + e.message); }
  }, POLL_MS);
}

async function render() {
  stopPolling();
  const token = ++renderToken;
  if (!sessionStorage.getItem(KEY_STORAGE)) { showSignIn(); return; }
  document.getElementById('sign-out').hidden = false;
  const parts = (location.hash.replace(/^#\/?/, '') || 'devices').split('/').map(decodeURIComponent);
  for (const a of document.querySelectorAll('nav a')) {
    if (a.dataset.section === parts[0]) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const pages = {
    devices: () => parts[1] ? (parts[2] === 'trace' ? tracePage(parts[1], token) : devicePage(parts[1], token)) : devicesPage(),
    profiles: () => parts[1] === 'new' ? newProfilePage() : parts[1] ? profilePage(parts[1], token) : profilesPage(),
    groups: () => parts[1] ? groupPage(parts[1]) : groupsPage(),
    tenants: () => tenantsPage(),
  };
  const page = pages[parts[0]];
  try {
    const content = page ? await page() : [h('h1', {}, 'Not found'), errorBox(`There is no page '${parts[0]}'.`)];
    if (token !== renderToken) return;
    main().replaceChildren(...[content].flat().filter(c => c !== null && c !== undefined && c !== false));
    const heading = main().querySelector('h1');
    document.title = (heading ? heading.textContent + ' - ' : '') + 'MockMdm admin center';
  } catch (e) {
    if (e.status === 401 || token !== renderToken) return;
    main().replaceChildren(h('h1', {}, 'Something went wrong'), errorBox(e.message));
  }
}

// ---- Devices -----------------------------------------------------------------------------------------------------

const DEVICE_TYPES = { windowsPhone: 'Windows 10 Mobile', desktop: 'Windows desktop' };
const OWNERS = { company: 'Corporate', personal: 'Personal' };
const JOINS = { azureADJoined: 'Azure AD joined', workplaceJoined: 'Workplace joined' };

function select(id, options, value) {
  return h('select', { id }, Object.entries(options).map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
}

async function devicesPage() {
  const devices = (await api('GET', '/deviceManagement/managedDevices')).value;
  const title = h('h1', {}, 'Devices');
  if (devices.length === 0) {
    return [title, empty('No devices enrolled yet', 'Devices appear here after they enroll at /EnrollmentServer/Discovery.svc (an emulated device or a real phone).')];
  }
  const search = h('input', { type: 'search', id: 'device-search', placeholder: 'Name, user or ID' });
  const type = select('filter-type', { '': 'All', ...DEVICE_TYPES });
  const owner = select('filter-owner', { '': 'All', ...OWNERS });
  const join = select('filter-join', { '': 'All', ...JOINS });
  const body = h('tbody', {});
  const count = h('p', { class: 'muted', 'aria-live': 'polite' });
  const table = h('table', { 'aria-label': 'Devices' },
    h('thead', {}, h('tr', {}, ['Device name', 'User', 'OS version', 'Device type', 'Ownership', 'Join type', 'Last check-in']
      .map(t => h('th', { scope: 'col' }, t)))), body);
  const none = empty('No devices match the filters', 'Clear the search or choose "All".');
  const apply = () => {
    const q = search.value.trim().toLowerCase();
    const shown = devices.filter(d =>
      (!q || [d.deviceName, d.userPrincipalName, d.id].some(v => (v || '').toLowerCase().includes(q)))
      && (!type.value || d.deviceType === type.value)
      && (!owner.value || d.managedDeviceOwnerType === owner.value)
      && (!join.value || d.joinType === join.value));
    body.replaceChildren(...shown.map(d => h('tr', {},
      h('td', {}, h('a', { href: `#/devices/${encodeURIComponent(d.id)}` }, d.deviceName || d.id)),
      h('td', {}, d.userPrincipalName), h('td', {}, d.osVersion),
      h('td', {}, DEVICE_TYPES[d.deviceType] || d.deviceType), h('td', {}, OWNERS[d.managedDeviceOwnerType] || d.managedDeviceOwnerType),
      h('td', {}, JOINS[d.joinType] || d.joinType), h('td', {}, when(d.lastSyncDateTime)))));
    count.textContent = `${shown.length} of ${devices.length} devices`;
    table.hidden = shown.length === 0;
    none.hidden = shown.length !== 0;
  };
  for (const el of [search, type, owner, join]) el.addEventListener('input', apply);
  apply();
  return [title,
    h('div', { class: 'filters', role: 'search' },
      field('Search', search), field('Device type', type), field('Ownership', owner), field('Join type', join)),
    count, table, none];
}

function actionDetails(a) {
  if (a.passcode) {
    return h('div', {}, 'Passcode: ', h('span', { class: 'passcode', 'data-testid': 'passcode' }, a.passcode),
      h('div', { class: 'hint' }, `Shown until ${when(a.passcodeVisibleUntil)} (seven days after the device answered).`));
  }
  if (a.actionState === 'failed') {
    return h('div', {}, h('div', { 'data-testid': 'failure-reason' }, a.reason || 'The device reported a failure.'),
      h('div', {}, `Error ${hex(a.errorCode)}: `,
        a.errorDetailsUrl ? h('a', { href: a.errorDetailsUrl, target: '_blank', rel: 'noopener' }, 'what this error means') : 'no details'));
  }
  if (a.actionName === 'resetPasscode' && a.actionState === 'done') {
    return h('span', { class: 'muted', 'data-testid': 'passcode-hidden' }, 'The passcode is no longer shown: a new passcode is visible for seven days only.');
  }
  if (a.actionState === 'pending') return h('span', { class: 'muted' }, 'Waiting for the device to check in.');
  return '';
}

// Line-break opportunities (<wbr>, the text is unchanged) where a narrow column may wrap a long name or ID:
// GetEncrypted|Recovery|Protector, bob@|fabrikam|.example, key=|login.
function wordBreaks(text) {
  return String(text ?? '').split(/(?<=[a-z0-9])(?=[A-Z])|(?<=[@=/])|(?=\.)/).flatMap((part, i) => i ? [h('wbr'), part] : [part]);
}

// "2026-01-05 09:00:00 UTC" may wrap after the date, not inside it.
function dateOnOneLine(text) {
  const [day, ...rest] = text.split(' ');
  return [h('span', { class: 'nowrap' }, day), rest.length ? ' ' + rest.join(' ') : ''];
}

function hex(code) {
  return '0x' + ((code >>> 0).toString(16).toUpperCase().padStart(8, '0'));
}

function actionsTable(actions) {
  if (actions.length === 0) return empty('No device actions yet', 'Actions you run on this device show here with their state.');
  return h('table', { 'aria-label': 'Device actions' },
    h('thead', {}, h('tr', {}, ['Action', 'Status', 'Requested', 'Last updated', 'Details'].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, [...actions].reverse().map(a => h('tr', { 'data-action-id': a.id },
      h('td', {}, a.displayState, h('div', { class: 'hint' }, 'RemoteLock/' + a.method)),
      h('td', {}, pill(a.actionState)), h('td', {}, when(a.startDateTime)), h('td', {}, when(a.lastUpdatedDateTime)),
      h('td', {}, actionDetails(a))))));
}

async function deviceProfileStatuses(deviceId) {
  const configs = (await api('GET', '/deviceManagement/deviceConfigurations')).value;
  const rows = [];
  for (const c of configs) {
    const statuses = (await api('GET', `/deviceManagement/deviceConfigurations/${encodeURIComponent(c.id)}/deviceStatuses`)).value;
    for (const s of statuses.filter(s => s.deviceId === deviceId)) rows.push({ config: c, status: s });
  }
  return rows;
}

function profileStatusTable(rows) {
  if (rows.length === 0) return empty('No configuration profiles target this device', 'Assign a profile to a group this device or its user is in.');
  return h('table', { 'aria-label': 'Configuration profile statuses' },
    h('thead', {}, h('tr', {}, ['Profile', 'Status', 'Details', 'Last reported'].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map(({ config, status }) => h('tr', {},
      h('td', {}, h('a', { href: `#/profiles/${encodeURIComponent(config.id)}` }, config.displayName)),
      h('td', {}, pill(status.status)),
      h('td', {}, statusDetails(status)),
      h('td', {}, when(status.lastReportedDateTime))))));
}

function statusDetails(s) {
  const parts = [];
  if (s.reason) parts.push(/[.!?]$/.test(s.reason) ? s.reason : s.reason + '.');
  if (s.errorCode) parts.push(`Error ${hex(s.errorCode)}`);
  if (s.status === 'notApplicable' && s.assignedThroughUserGroup) parts.push('Reached through a user group only.');
  return parts.join(' ');
}

async function devicePage(id, token) {
  const device = await api('GET', `/deviceManagement/managedDevices/${encodeURIComponent(id)}`);
  const name = device.deviceName || device.id;
  const supported = String(device.passcodeActionSupport || '').startsWith('supported');
  const method = supported ? device.passcodeActionSupport.replace('supported: ', '') : null;
  const passcodeLabel = method === 'LockAndResetPIN' ? 'Reset passcode' : 'New passcode';
  const actionsSection = h('div', { 'aria-live': 'polite' });
  const profilesSection = h('div', {});
  const refreshNote = h('p', { class: 'hint' });

  const refresh = async () => {
    const [fresh, rows] = await Promise.all([
      api('GET', `/deviceManagement/managedDevices/${encodeURIComponent(id)}`), deviceProfileStatuses(id)]);
    if (token !== renderToken) return;
    actionsSection.replaceChildren(actionsTable(fresh.deviceActionResults));
    profilesSection.replaceChildren(profileStatusTable(rows));
    const pending = fresh.deviceActionResults.some(a => a.actionState === 'pending') || rows.some(r => r.status.status === 'pending');
    refreshNote.textContent = pending ? 'Something is pending: this page refreshes by itself every few seconds.' : '';
    if (pending) poll(token, refresh);
  };

  const run = async (label, path, text) => {
    if (!await confirmAction(`${label}?`, text, label)) return;
    try {
      await api('POST', `/deviceManagement/managedDevices/${encodeURIComponent(id)}/${path}`);
      toast(`${label} requested. The device runs it at its next check-in.`);
      await refresh();
    } catch (e) {
      if (e.status !== 401) actionsSection.prepend(errorBox(`${label} was not requested: ${e.message}`));
    }
  };

  const passcodeButton = h('button', { type: 'button', disabled: !supported,
    'aria-describedby': supported ? null : 'passcode-unsupported',
    onclick: () => run(passcodeLabel, 'resetPasscode',
      `The device ${name} is locked and ${method === 'LockAndRecoverPIN'
        ? 'gets a new PIN from the Microsoft PIN reset service, keeping its keys (LockAndRecoverPIN)'
        : 'gets a new PIN, and its existing Windows Hello keys are deleted (LockAndResetPIN)'}. The new passcode is shown here for seven days.`) },
  passcodeLabel);
  const lockButton = h('button', { type: 'button',
    onclick: () => run('Remote lock', 'remoteLock', `The screen of ${name} locks at its next check-in.`) }, 'Remote lock');

  const props = [
    ['Device name', device.deviceName], ['Managed device ID', device.id], ['User', device.userPrincipalName],
    ['Directory (tenant) ID', device.azureADTenantId], ['Operating system', `${device.operatingSystem} ${device.osVersion}`],
    ['Device type', DEVICE_TYPES[device.deviceType] || device.deviceType], ['Ownership', OWNERS[device.managedDeviceOwnerType]],
    ['Join type', JOINS[device.joinType]], ['Enrollment type', device.enrollmentType], ['Manufacturer', device.manufacturer],
    ['Model', device.model], ['DevId', device.devId], ['Enrolled', when(device.enrolledDateTime)],
    ['Last check-in', when(device.lastSyncDateTime)], ['Push channel', device.pushChannelUri],
    ['Passcode actions', device.passcodeActionSupport],
  ];
  await refresh();
  return [
    h('div', { class: 'breadcrumb' }, h('a', { href: '#/devices' }, 'Devices'), ' › ', name),
    h('h1', {}, name),
    h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Device actions' }, passcodeButton, lockButton,
      h('a', { class: 'button', href: `#/devices/${encodeURIComponent(id)}/trace` }, 'SyncML trace and NGC event log')),
    supported ? null : h('p', { class: 'hint', id: 'passcode-unsupported' }, device.passcodeActionSupport),
    h('h2', {}, 'Device actions'), refreshNote, actionsSection,
    h('h2', {}, 'Configuration profiles'), profilesSection,
    h('h2', {}, 'Properties'),
    h('table', { class: 'props' }, h('tbody', {}, props.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v || '—'))))),
  ];
}

async function tracePage(id, token) {
  const device = await api('GET', `/deviceManagement/managedDevices/${encodeURIComponent(id)}`);
  const name = device.deviceName || device.id;
  const messages = h('div', { 'data-testid': 'syncml-trace' });
  const traceEmpty = empty('No SyncML exchanged since the server started', 'Messages appear here as the device checks in.');
  const ngc = h('div', { 'data-testid': 'ngc-log' });
  let after = 0;
  let paused = false;
  const pause = h('button', { type: 'button', 'aria-pressed': 'false', onclick: () => {
    paused = !paused;
    pause.setAttribute('aria-pressed', String(paused));
    pause.textContent = paused ? 'Resume live view' : 'Pause live view';
    if (!paused) update();
  } }, 'Pause live view');

  const update = async () => {
    const [trace, log] = await Promise.all([
      api('GET', `/deviceManagement/managedDevices/${encodeURIComponent(id)}/syncmlTrace?after=${after}`),
      api('GET', `/deviceManagement/managedDevices/${encodeURIComponent(id)}/ngcEventLog`)]);
    if (token !== renderToken) return;
    for (const m of trace.value) {
      after = Math.max(after, m.sequence);
      const from = m.direction === 'fromDevice';
      messages.append(h('details', { class: 'message' },
        h('summary', {}, `#${m.sequence} ${when(m.time)} ${from ? 'Device → server' : 'Server → device'}`,
          m.httpStatus === 200 ? '' : ` (HTTP ${m.httpStatus})`),
        // Line breaks between elements for reading only; the API's syncmlTrace has the bytes as exchanged.
        h('pre', { class: 'syncml' }, m.syncml.replace(/></g, '>\n<'))));
    }
    traceEmpty.hidden = messages.childElementCount > 0;
    ngc.replaceChildren(!log.available
      ? h('div', { class: 'notice' }, 'No NGC event log: ', log.reason)
      : log.value.length === 0 ? empty('The NGC event log is empty')
        // Fits its half of the page: names wrap between their words, user IDs and details also anywhere (css td.wrap);
        // should the table still not fit, only its wrapper scrolls sideways, never the page.
        : h('div', { class: 'table-scroll' }, h('table', { 'aria-label': 'NGC event log' },
          h('thead', {}, h('tr', {}, ['Time', 'Operation', 'Outcome', 'User', 'Detail'].map(t => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, log.value.map(e => h('tr', {}, h('td', {}, dateOnOneLine(when(e.time))),
            h('td', {}, wordBreaks(e.operation)), h('td', {}, wordBreaks(e.outcome)),
            h('td', { class: 'wrap' }, wordBreaks(e.userId)), h('td', { class: 'wrap' }, wordBreaks(e.detail))))))));
    if (!paused) poll(token, update);
  };
  await update();
  return [
    h('div', { class: 'breadcrumb' }, h('a', { href: '#/devices' }, 'Devices'), ' › ',
      h('a', { href: `#/devices/${encodeURIComponent(id)}` }, name), ' › Trace'),
    h('h1', {}, `${name}: SyncML trace and NGC event log`),
    h('div', { class: 'toolbar' }, pause, h('span', { class: 'hint' }, 'Live: new messages appear every few seconds. Open a message to read it.')),
    h('div', { class: 'split' },
      h('section', { 'aria-labelledby': 'trace-h' }, h('h2', { id: 'trace-h' }, 'SyncML trace'), traceEmpty, messages),
      h('section', { 'aria-labelledby': 'ngc-h' }, h('h2', { id: 'ngc-h' }, 'NGC event log'), ngc)),
  ];
}

// ---- Configuration profiles --------------------------------------------------------------------------------------

async function profilesPage() {
  const configs = (await api('GET', '/deviceManagement/deviceConfigurations')).value;
  const create = h('a', { class: 'button primary', href: '#/profiles/new' }, 'Create profile');
  if (configs.length === 0) {
    return [h('h1', {}, 'Configuration profiles'), h('div', { class: 'toolbar' }, create),
      empty('No configuration profiles yet', 'Create a custom OMA-URI profile, for example PassportForWork EnablePinRecovery.')];
  }
  return [h('h1', {}, 'Configuration profiles'), h('div', { class: 'toolbar' }, create),
    h('table', {}, h('thead', {}, h('tr', {}, ['Profile name', 'Settings', 'Platforms', 'Last modified'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, configs.map(c => h('tr', {},
        h('td', {}, h('a', { href: `#/profiles/${encodeURIComponent(c.id)}` }, c.displayName)),
        h('td', {}, c.omaSettings.map(s => s.omaUri).join(', ')),
        h('td', {}, (c.supportedDeviceTypes || []).join(', ') || 'All'),
        h('td', {}, when(c.lastModifiedDateTime))))))];
}

function settingRow(index, remove) {
  const row = h('div', { class: 'setting-row', role: 'group', 'aria-label': `Setting ${index}` });
  const name = h('input', { type: 'text', name: 'setting-name', required: true });
  const uri = h('input', { type: 'text', name: 'setting-uri', required: true, placeholder: './Device/Vendor/MSFT/...' });
  const type = h('select', { name: 'setting-type' },
    [['String', 'String'], ['Integer', 'Integer'], ['Boolean', 'Boolean']].map(([v, t]) => h('option', { value: v }, t)));
  const value = h('input', { type: 'text', name: 'setting-value', required: true });
  row.append(field(`Setting ${index} name`, name), field(`Setting ${index} OMA-URI`, uri),
    field(`Setting ${index} data type`, type), field(`Setting ${index} value`, value),
    h('button', { type: 'button', onclick: () => remove(row), 'aria-label': `Remove setting ${index}` }, 'Remove'));
  row.read = () => ({
    '@odata.type': { String: '#microsoft.graph.omaSettingString', Integer: '#microsoft.graph.omaSettingInteger',
      Boolean: '#microsoft.graph.omaSettingBoolean' }[type.value],
    displayName: name.value.trim(), omaUri: uri.value.trim(),
    value: type.value === 'Integer' ? (/^-?\d+$/.test(value.value.trim()) ? Number(value.value.trim()) : value.value.trim())
      : type.value === 'Boolean' ? (value.value.trim().toLowerCase() === 'true' ? true
        : value.value.trim().toLowerCase() === 'false' ? false : value.value.trim())
        : value.value,
  });
  return row;
}

function newProfilePage() {
  const status = h('div', {});
  const name = h('input', { type: 'text', id: 'profile-name', required: true });
  const description = h('textarea', { id: 'profile-description' });
  const phone = h('input', { type: 'checkbox', id: 'platform-phone', value: 'WindowsPhone', checked: true });
  const desktop = h('input', { type: 'checkbox', id: 'platform-desktop', value: 'CIMClient_Windows' });
  const rows = h('div', {});
  let n = 0;
  const add = () => { const row = settingRow(++n, r => { r.remove(); }); rows.append(row); row.querySelector('input').focus(); };
  const form = h('form', { novalidate: true, onsubmit: async e => {
    e.preventDefault();
    status.replaceChildren();
    const settings = [...rows.children].map(r => r.read());
    const problems = [];
    if (!name.value.trim()) problems.push('Enter a profile name.');
    if (settings.length === 0) problems.push('Add at least one OMA-URI setting.');
    settings.forEach((s, i) => { if (!s.displayName || !s.omaUri) problems.push(`Setting ${i + 1} needs a name and an OMA-URI.`); });
    if (problems.length) { status.append(errorBox(problems.join(' '))); status.querySelector('[role=alert]').focus?.(); return; }
    try {
      const created = await api('POST', '/deviceManagement/deviceConfigurations', {
        '@odata.type': '#microsoft.graph.windows10CustomConfiguration',
        displayName: name.value.trim(), description: description.value.trim() || null,
        supportedDeviceTypes: [phone, desktop].filter(c => c.checked).map(c => c.value),
        omaSettings: settings,
      });
      toast(`Profile "${created.displayName}" created.`);
      location.hash = `#/profiles/${encodeURIComponent(created.id)}`;
    } catch (err) {
      if (err.status !== 401) status.append(errorBox(`The profile was not created: ${err.message}`));
    }
  } },
  status,
  field('Name', name), field('Description (optional)', description),
  h('fieldset', { class: 'checks' }, h('legend', {}, 'Platforms'),
    h('label', {}, phone, ' Windows 10 Mobile (WindowsPhone)'), h('label', {}, desktop, ' Windows desktop (CIMClient_Windows)'),
    h('span', { class: 'hint' }, 'Devices of other platforms are reported as Not applicable.')),
  h('fieldset', {}, h('legend', {}, 'OMA-URI settings'),
    h('p', { class: 'hint' }, 'For PIN recovery: ./Device/Vendor/MSFT/PassportForWork/<directory (tenant) ID>/Policies/EnablePinRecovery, Boolean, true.'),
    rows, h('button', { type: 'button', onclick: add }, 'Add setting')),
  h('div', { class: 'toolbar' }, h('button', { type: 'submit', class: 'primary' }, 'Create'), h('a', { class: 'button', href: '#/profiles' }, 'Cancel')));
  rows.append(settingRow(++n, r => r.remove()));
  return [h('div', { class: 'breadcrumb' }, h('a', { href: '#/profiles' }, 'Configuration profiles'), ' › New'),
    h('h1', {}, 'Create a custom profile'), form];
}

function targetLabel(target, groups) {
  switch (target['@odata.type']) {
    case '#microsoft.graph.allDevicesAssignmentTarget': return 'All devices';
    case '#microsoft.graph.allLicensedUsersAssignmentTarget': return 'All users';
    default: {
      const g = groups.find(x => x.id === target.groupId);
      return g ? `${g.displayName} (${g.groupType} group)` : target.groupId;
    }
  }
}

async function profilePage(id, token) {
  const enc = encodeURIComponent(id);
  const [config, assignments, groups] = await Promise.all([
    api('GET', `/deviceManagement/deviceConfigurations/${enc}`),
    api('GET', `/deviceManagement/deviceConfigurations/${enc}/assignments`).then(r => r.value),
    api('GET', '/groups').then(r => r.value)]);
  const summary = h('div', {});
  const statuses = h('div', {});
  const refreshNote = h('p', { class: 'hint' });
  const refresh = async () => {
    const [overview, list] = await Promise.all([
      api('GET', `/deviceManagement/deviceConfigurations/${enc}/deviceStatusOverview`),
      api('GET', `/deviceManagement/deviceConfigurations/${enc}/deviceStatuses`).then(r => r.value)]);
    if (token !== renderToken) return;
    const tile = (state, count) => h('div', { class: 'tile' }, h('span', { class: 'count' }, count), pill(state));
    summary.replaceChildren(h('div', { class: 'summary', 'aria-label': 'Status summary', role: 'group' },
      tile('succeeded', overview.successCount), tile('failed', overview.failedCount), tile('pending', overview.pendingCount),
      tile('notApplicable', overview.notApplicableCount)),
      overview.notApplicableViaUserGroupCount > 0
        ? h('p', { class: 'notice' }, `${overview.notApplicableViaUserGroupCount} not-applicable device(s) were reached through a user group. `
          + `Intune's summary counted them as succeeded (${overview.consoleSuccessCount}); this console shows them as Not applicable.`)
        : null);
    statuses.replaceChildren(list.length === 0
      ? empty('No devices are targeted yet', 'Assign the profile to a group; targeted devices then show here, including Not applicable ones.')
      : h('table', { 'aria-label': 'Device statuses' },
        h('thead', {}, h('tr', {}, ['Device', 'User', 'Status', 'Details', 'Last reported'].map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, list.map(s => h('tr', {},
          h('td', {}, h('a', { href: `#/devices/${encodeURIComponent(s.deviceId)}` }, s.deviceDisplayName || s.deviceId)),
          h('td', {}, s.userPrincipalName || ''), h('td', {}, pill(s.status)), h('td', {}, statusDetails(s)),
          h('td', {}, when(s.lastReportedDateTime)))))));
    const pending = overview.pendingCount > 0;
    refreshNote.textContent = pending ? 'Devices are pending: this page refreshes by itself every few seconds.' : '';
    if (pending) poll(token, refresh);
  };

  const assignedIds = new Set(assignments.map(a => a.target.groupId || a.target['@odata.type']));
  const allDevices = h('input', { type: 'checkbox', value: '#microsoft.graph.allDevicesAssignmentTarget',
    checked: assignedIds.has('#microsoft.graph.allDevicesAssignmentTarget') });
  const allUsers = h('input', { type: 'checkbox', value: '#microsoft.graph.allLicensedUsersAssignmentTarget',
    checked: assignedIds.has('#microsoft.graph.allLicensedUsersAssignmentTarget') });
  const groupBoxes = groups.map(g => ({ g, box: h('input', { type: 'checkbox', value: g.id, checked: assignedIds.has(g.id) }) }));
  const assignStatus = h('div', {});
  const assignForm = h('form', { onsubmit: async e => {
    e.preventDefault();
    assignStatus.replaceChildren();
    const targets = [allDevices, allUsers].filter(b => b.checked).map(b => ({ target: { '@odata.type': b.value } }))
      .concat(groupBoxes.filter(x => x.box.checked).map(x => ({ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: x.g.id } })));
    try {
      await api('POST', `/deviceManagement/deviceConfigurations/${enc}/assign`, { assignments: targets });
      toast(targets.length ? 'Assignments saved.' : 'All assignments removed.');
      render();
    } catch (err) {
      if (err.status !== 401) assignStatus.append(errorBox(`The assignments were not saved: ${err.message}`));
    }
  } },
  assignStatus,
  h('fieldset', { class: 'checks' }, h('legend', {}, 'Assign to'),
    h('label', {}, allDevices, ' All devices'), h('label', {}, allUsers, ' All users'),
    groupBoxes.map(({ g, box }) => h('label', {}, box, ` ${g.displayName} (${g.groupType} group)`)),
    groups.length === 0 ? h('p', { class: 'hint' }, 'No groups yet: ', h('a', { href: '#/groups' }, 'create a user or device group'), '.') : null),
  h('button', { type: 'submit', class: 'primary' }, 'Save assignments'));

  await refresh();
  return [
    h('div', { class: 'breadcrumb' }, h('a', { href: '#/profiles' }, 'Configuration profiles'), ' › ', config.displayName),
    h('h1', {}, config.displayName),
    config.description ? h('p', {}, config.description) : null,
    (config.warnings || []).length ? h('div', { class: 'notice' }, h('strong', {}, 'Warnings: '), config.warnings.join(' ')) : null,
    h('h2', {}, 'Status summary'), refreshNote, summary,
    h('h2', {}, 'Device statuses'), statuses,
    h('h2', {}, 'Assignments'),
    assignments.length ? h('p', {}, 'Assigned to: ', assignments.map(a => targetLabel(a.target, groups)).join(', '))
      : h('p', { class: 'muted' }, 'Not assigned to anyone yet.'),
    assignForm,
    h('h2', {}, 'OMA-URI settings'),
    h('table', {}, h('thead', {}, h('tr', {}, ['Name', 'OMA-URI', 'Data type', 'Value'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, config.omaSettings.map(s => h('tr', {}, h('td', {}, s.displayName), h('td', {}, s.omaUri),
        h('td', {}, (s['@odata.type'] || '').replace('#microsoft.graph.omaSetting', '')), h('td', {}, String(s.value)))))),
    h('p', { class: 'hint' }, `Platforms: ${(config.supportedDeviceTypes || []).join(', ') || 'all'}. Version ${config.version ?? ''}.`),
  ];
}

// ---- Groups ------------------------------------------------------------------------------------------------------

function membersFrom(text) {
  return text.split(/[\n,;]+/).map(s => s.trim()).filter(Boolean);
}

async function groupsPage() {
  const groups = (await api('GET', '/groups')).value;
  const status = h('div', {});
  const name = h('input', { type: 'text', id: 'group-name', required: true });
  const type = select('group-type', { user: 'User group (members by UPN)', device: 'Device group (members by managed device ID)' }, 'user');
  const members = h('textarea', { id: 'group-members' });
  const form = h('form', { onsubmit: async e => {
    e.preventDefault();
    status.replaceChildren();
    if (!name.value.trim()) { status.append(errorBox('Enter a group name.')); return; }
    try {
      await api('POST', '/groups', { displayName: name.value.trim(), groupType: type.value, members: membersFrom(members.value) });
      toast(`Group "${name.value.trim()}" created.`);
      render();
    } catch (err) {
      if (err.status !== 401) status.append(errorBox(`The group was not created: ${err.message}`));
    }
  } },
  h('h2', {}, 'Create a group'), status, field('Group name', name), field('Group type', type),
  field('Members', members, 'One per line: user principal names for a user group, managed device IDs for a device group.'),
  h('button', { type: 'submit', class: 'primary' }, 'Create group'));
  const list = groups.length === 0
    ? empty('No groups yet', 'Create a user group or a device group to assign profiles to.')
    : h('table', {}, h('thead', {}, h('tr', {}, ['Group name', 'Type', 'Members'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, groups.map(g => h('tr', {},
        h('td', {}, h('a', { href: `#/groups/${encodeURIComponent(g.id)}` }, g.displayName)),
        h('td', {}, g.groupType === 'user' ? 'User' : 'Device'),
        h('td', {}, g.members.length ? g.members.join(', ') : h('span', { class: 'muted' }, 'No members'))))));
  return [h('h1', {}, 'Groups'), list, form];
}

async function groupPage(id) {
  const g = await api('GET', `/groups/${encodeURIComponent(id)}`);
  const status = h('div', {});
  const members = h('textarea', { id: 'group-members' }, g.members.join('\n'));
  const form = h('form', { onsubmit: async e => {
    e.preventDefault();
    status.replaceChildren();
    try {
      await api('PUT', `/groups/${encodeURIComponent(id)}/members`, { members: membersFrom(members.value) });
      toast('Members saved.');
    } catch (err) {
      if (err.status !== 401) status.append(errorBox(`The members were not saved: ${err.message}`));
    }
  } }, status,
  field('Members', members, g.groupType === 'user' ? 'User principal names, one per line.' : 'Managed device IDs, one per line.'),
  h('button', { type: 'submit', class: 'primary' }, 'Save members'));
  return [h('div', { class: 'breadcrumb' }, h('a', { href: '#/groups' }, 'Groups'), ' › ', g.displayName),
    h('h1', {}, g.displayName), h('p', {}, g.groupType === 'user' ? 'User group' : 'Device group'), form];
}

// ---- Tenants -----------------------------------------------------------------------------------------------------

function consentCell(granted, url, appName) {
  return h('td', {}, h('span', { class: 'pill ' + (granted ? 'succeeded' : 'pending') }, granted ? 'Consented' : 'Not consented'), ' ',
    h('a', { href: url, 'aria-label': `${granted ? 'Review' : 'Grant'} consent for ${appName}` }, granted ? 'Review' : 'Grant consent'));
}

async function tenantsPage() {
  const tenants = (await api('GET', '/tenants')).value;
  const status = h('div', {});
  const id = h('input', { type: 'text', id: 'tenant-id', required: true, placeholder: '00000000-0000-0000-0000-000000000000' });
  const name = h('input', { type: 'text', id: 'tenant-name', required: true });
  const domains = h('input', { type: 'text', id: 'tenant-domains' });
  const form = h('form', { onsubmit: async e => {
    e.preventDefault();
    status.replaceChildren();
    try {
      await api('POST', '/tenants', { id: id.value.trim(), displayName: name.value.trim(),
        domains: domains.value.split(/[\s,;]+/).filter(Boolean) });
      toast(`Tenant "${name.value.trim()}" created.`);
      render();
    } catch (err) {
      if (err.status !== 401) status.append(errorBox(`The tenant was not created: ${err.message}`));
    }
  } },
  h('h2', {}, 'Add a tenant'), status,
  field('Directory (tenant) ID', id, 'The Entra directory ID, a GUID.'), field('Name', name),
  field('UPN domains', domains, 'Users whose UPN ends with one of these domains belong to this tenant (comma separated).'),
  h('button', { type: 'submit', class: 'primary' }, 'Add tenant'));
  const list = tenants.length === 0 ? empty('No tenants yet') : h('table', {},
    h('thead', {}, h('tr', {}, ['Name', 'Directory (tenant) ID', 'Domains', 'Microsoft Pin Reset Service Production',
      'Microsoft Pin Reset Client Production', 'Consent updated'].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, tenants.map(t => h('tr', { 'data-tenant-id': t.id },
      h('td', {}, t.displayName), h('td', {}, h('code', {}, t.id)), h('td', {}, t.domains.join(', ') || 'All other domains'),
      consentCell(t.pinResetServiceConsented, t.pinResetServiceConsentUrl, 'Microsoft Pin Reset Service Production'),
      consentCell(t.pinResetClientConsented, t.pinResetClientConsentUrl, 'Microsoft Pin Reset Client Production'),
      h('td', {}, when(t.consentUpdatedDateTime))))));
  return [h('h1', {}, 'Tenants'),
    h('p', { class: 'hint' }, 'PIN recovery (LockAndRecoverPIN) needs admin consent to both PIN reset applications in the user\'s tenant.'),
    list, form];
}

// ---- Start -------------------------------------------------------------------------------------------------------

window.addEventListener('hashchange', () => { render(); main().focus(); });
window.addEventListener('DOMContentLoaded', () => {
  document.getElementById('sign-out').addEventListener('click', () => { sessionStorage.removeItem(KEY_STORAGE); showSignIn(); });
  render();
});
