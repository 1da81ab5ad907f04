// The EdgeGate cluster console: reads /ui/api/cluster (the cluster now) and follows
// /ui/api/events (server-sent events that resume where the last connection stopped).
// Read-only. Every value from the server is inserted as text, never as markup.
'use strict';

const STATES = { READY: 'Ready', BEHIND: 'Behind', REJECTED: 'Rejected', DISCONNECTED: 'Disconnected' };
const FEED_LIMIT = 200;
const REVISIONS_SHOWN = 20;
const SPARK_POINTS = 30;

const view = {
  snapshot: null,
  events: null,
  refreshTimer: null,
  pollTimer: null,
  selected: null,
  lastAck: new Map(),          // node -> { revision, delay }
  traffic: new Map(),          // node -> [{ at, rps }]
  revisions: new Map(),        // revision -> { revision, objects: [], acks: Map(node -> delay), rejected: Map(node -> error) }
};

const $ = (id) => document.getElementById(id);
const num = (value) => Number(value || 0);

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function ago(millis) {
  if (!millis) return '—';
  const seconds = Math.max(0, Math.round((Date.now() - millis) / 1000));
  if (seconds < 60) return seconds + ' s ago';
  if (seconds < 3600) return Math.round(seconds / 60) + ' min ago';
  return Math.round(seconds / 3600) + ' h ago';
}

async function call(path, options) {
  const response = await fetch('/ui/api/' + path, Object.assign({ credentials: 'same-origin' }, options || {}));
  if (response.status === 401) {
    showLogin('');
    throw new Error('not logged in');
  }
  const text = await response.text();
  const body = text ? JSON.parse(text) : {};
  if (!response.ok) throw new Error(body.error || ('HTTP ' + response.status));
  return body;
}

function showLogin(message) {
  stopFollowing();
  $('console').hidden = true;
  $('logout').hidden = true;
  $('whoami').textContent = '';
  $('login-section').hidden = false;
  $('login-error').textContent = message || '';
  setLive('logged out', 'down');
}

function setLive(text, state) {
  const badge = $('live');
  badge.textContent = text;
  badge.className = 'badge ' + (state || '');
}

async function login(event) {
  event.preventDefault();
  const token = $('token').value;
  $('token').value = '';
  try {
    const response = await fetch('/ui/api/login', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }),
    });
    const body = await response.json();
    if (!response.ok) {
      $('login-error').textContent = body.error || ('HTTP ' + response.status);
      return;
    }
    start();
  } catch (error) {
    $('login-error').textContent = String(error.message || error);
  }
}

async function logout() {
  await fetch('/ui/api/logout', { method: 'POST', credentials: 'same-origin' });
  showLogin('Logged out.');
}

async function start() {
  let session;
  try {
    session = await call('session');
  } catch (error) {
    return;
  }
  $('login-section').hidden = true;
  $('console').hidden = false;
  $('logout').hidden = session.insecure;
  $('insecure').hidden = !session.insecure;
  $('whoami').textContent = session.insecure ? '' : 'as ' + session.name + ' (' + session.role + ')';
  const snapshot = await refresh();
  if (snapshot) follow(snapshot.eventId);
  clearInterval(view.pollTimer);
  // Last seen, lag and traffic move without events: look again every 2 s.
  view.pollTimer = setInterval(refresh, 2000);
}

function stopFollowing() {
  if (view.events) view.events.close();
  view.events = null;
  clearInterval(view.pollTimer);
  view.pollTimer = null;
}

function follow(eventId) {
  if (view.events) view.events.close();
  // The first connection starts after the view just loaded; reconnects send Last-Event-ID themselves.
  const source = new EventSource('/ui/api/events?after=' + encodeURIComponent(eventId));
  view.events = source;
  source.addEventListener('open', () => setLive('live', 'live'));
  source.addEventListener('cluster', (message) => {
    onEvent(JSON.parse(message.data));
    scheduleRefresh();
  });
  source.addEventListener('reset', () => scheduleRefresh());
  source.addEventListener('logout', () => showLogin('The session ended (the token was revoked or expired).'));
  source.addEventListener('error', () => {
    // The browser reconnects by itself (with Last-Event-ID) unless the stream was refused; then the poll follows again.
    setLive(source.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting…', 'down');
  });
}

function scheduleRefresh() {
  if (view.refreshTimer) return;
  view.refreshTimer = setTimeout(() => {
    view.refreshTimer = null;
    refresh();
  }, 150);
}

async function refresh() {
  try {
    const snapshot = await call('cluster');
    view.snapshot = snapshot;
    render(snapshot);
    if (view.pollTimer && (!view.events || view.events.readyState === EventSource.CLOSED)) {
      // A stream the browser gave up on (refused, or the control plane was away): follow again from this view.
      follow(snapshot.eventId);
    }
    return snapshot;
  } catch (error) {
    if (error.message !== 'not logged in') setLive('control plane unreachable', 'down');
    return null;
  }
}

function onEvent(event) {
  const at = new Date(num(event.atMillis)).toLocaleTimeString();
  let text;
  if (event.object) {
    const o = event.object;
    const revision = num(o.revision);
    text = (o.action || 'UNCHANGED').toLowerCase() + ' ' + o.key.kind + ' ' + o.key.name + ' (revision ' + revision + ')';
    const entry = revisionEntry(revision);
    entry.objects.push(o.key.kind + ' ' + o.key.name);
  } else if (event.ack) {
    const a = event.ack;
    const revision = num(a.revision);
    const delay = a.delayMillis === undefined ? 0 : Number(a.delayMillis);
    if (a.error) {
      text = a.nodeId + ' rejected revision ' + revision + ': ' + a.error;
      revisionEntry(revision).rejected.set(a.nodeId, a.error);
    } else {
      text = a.nodeId + ' applied revision ' + revision + (delay >= 0 ? ' in ' + delay + ' ms' : '');
      view.lastAck.set(a.nodeId, { revision, delay });
      if (view.revisions.has(revision)) view.revisions.get(revision).acks.set(a.nodeId, delay);
    }
  } else if (event.connection) {
    const c = event.connection;
    text = c.nodeId + (c.connected ? ' connected to ' + c.controlPlane : ' disconnected');
  } else if (event.epoch) {
    text = 'the store started a new history (epoch ' + event.epoch.id + '): ' + (event.epoch.reason || '');
    // Revision numbers start over in a new history: what was applied in the old one says nothing of the new.
    view.revisions.clear();
    view.lastAck.clear();
  } else {
    return;
  }
  const feed = $('feed');
  feed.insertBefore(el('li', at + '  ' + text), feed.firstChild);
  while (feed.children.length > FEED_LIMIT) feed.removeChild(feed.lastChild);
}

function revisionEntry(revision) {
  let entry = view.revisions.get(revision);
  if (!entry) {
    // The nodes expected to apply it are those connected when it was first seen: a node that dies later does not rewrite history.
    const members = view.snapshot ? view.snapshot.cluster.members || [] : [];
    const expected = members.filter((m) => m.connected).map((m) => m.nodeId);
    entry = { revision, expected, objects: [], acks: new Map(), rejected: new Map() };
    view.revisions.set(revision, entry);
    const dropped = [...view.revisions.keys()].sort((a, b) => b - a).slice(REVISIONS_SHOWN);
    // Only the newest are kept; one dropped at once (older than all kept) is still filled in by its caller, not shown.
    dropped.forEach((old) => view.revisions.delete(old));
  }
  return entry;
}

function render(snapshot) {
  const cluster = snapshot.cluster;
  const storeRevision = num(cluster.revision);
  $('store').textContent = 'store revision ' + storeRevision + (cluster.epoch ? ' · epoch ' + cluster.epoch.id : '');
  const members = cluster.members || [];
  members.forEach(recordTraffic);
  renderNodes(members, storeRevision);
  renderObjects(snapshot.objects || [], members.length);
  renderRevisions(members);
  renderDetail(members);
}

function recordTraffic(member) {
  if (!member.traffic || !member.trafficAtMillis) return;
  const points = view.traffic.get(member.nodeId) || [];
  const at = num(member.trafficAtMillis);
  if (points.length === 0 || points[points.length - 1].at !== at) {
    points.push({ at, rps: Number(member.traffic.requestsPerSecond || 0) });
    while (points.length > SPARK_POINTS) points.shift();
    view.traffic.set(member.nodeId, points);
  }
}

function sparkline(points) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('width', '90');
  svg.setAttribute('height', '20');
  const peak = Math.max(...points.map((p) => p.rps));
  const max = Math.max(1, peak);
  svg.dataset.peak = peak;
  const title = document.createElementNS(ns, 'title');
  title.textContent = 'last ' + points.length + ' summaries, peak ' + peak.toFixed(1) + ' req/s';
  svg.appendChild(title);
  const line = document.createElementNS(ns, 'polyline');
  const step = points.length > 1 ? 88 / (points.length - 1) : 0;
  line.setAttribute('points', points.map((p, i) => (1 + i * step).toFixed(1) + ',' + (19 - (p.rps / max) * 18).toFixed(1)).join(' '));
  svg.appendChild(line);
  return svg;
}

function renderNodes(members, storeRevision) {
  const body = $('nodes').tBodies[0];
  body.replaceChildren();
  for (const m of members) {
    const state = STATES[m.state] || m.state || 'Unknown';
    const applied = num(m.appliedRevision);
    const row = el('tr');
    row.dataset.node = m.nodeId;
    if (view.selected === m.nodeId) row.classList.add('selected');
    row.appendChild(el('td', m.nodeId + (m.address ? ' (' + m.address + ')' : ''), 'node-id'));
    row.appendChild(el('td', state, 'state node-state ' + state));
    row.appendChild(el('td', applied, 'node-revision'));
    const lag = m.state === 'DISCONNECTED' || (m.appliedEpoch && clusterEpoch() && m.appliedEpoch !== clusterEpoch())
      ? '—' : Math.max(0, storeRevision - applied);
    row.appendChild(el('td', lag, 'node-lag'));
    const ack = view.lastAck.get(m.nodeId);
    row.appendChild(el('td', ack && ack.delay >= 0 ? ack.delay + ' ms' : '—', 'node-ack'));
    row.appendChild(el('td', m.connected ? 'now' : ago(num(m.lastSeenMillis)), 'node-seen'));
    const traffic = el('td', null, 'node-traffic');
    const points = view.traffic.get(m.nodeId) || [];
    if (points.length > 0) {
      traffic.appendChild(sparkline(points));
      traffic.appendChild(el('span', ' ' + points[points.length - 1].rps.toFixed(1)));
    } else {
      traffic.textContent = '—';
    }
    row.appendChild(traffic);
    const error = [m.lastError, m.stateReason, m.warning ? 'warning: ' + m.warning : ''].filter((s) => s).join(' · ');
    row.appendChild(el('td', error, 'node-error error'));
    row.addEventListener('click', () => {
      view.selected = view.selected === m.nodeId ? null : m.nodeId;
      render(view.snapshot);
    });
    body.appendChild(row);
  }
}

function clusterEpoch() {
  return view.snapshot && view.snapshot.cluster.epoch ? view.snapshot.cluster.epoch.id : '';
}

function renderObjects(objects, memberCount) {
  const body = $('objects').tBodies[0];
  body.replaceChildren();
  for (const o of objects) {
    const row = el('tr');
    row.dataset.object = o.key.kind + '/' + o.key.name;
    row.appendChild(el('td', o.key.kind));
    row.appendChild(el('td', o.key.name));
    row.appendChild(el('td', o.revision));
    const nodes = o.nodes || [];
    const running = nodes.filter((n) => n.status === 'applied').map((n) => n.nodeId);
    const others = nodes.filter((n) => n.status !== 'applied').map((n) => n.nodeId + ': ' + n.status + (n.error ? ' (' + n.error + ')' : ''));
    const text = running.length + '/' + memberCount + (running.length ? ' — ' + running.join(', ') : '') + (others.length ? ' · ' + others.join(', ') : '');
    row.appendChild(el('td', text, 'object-nodes'));
    body.appendChild(row);
  }
}

function renderRevisions(members) {
  const list = $('revisions');
  list.replaceChildren();
  const epoch = clusterEpoch();
  const applied = new Map(members.filter((m) => !epoch || m.appliedEpoch === epoch).map((m) => [m.nodeId, num(m.appliedRevision)]));
  const revisions = [...view.revisions.values()].sort((a, b) => b.revision - a.revision);
  for (const r of revisions) {
    const done = r.expected.filter((node) => r.acks.has(node) || (applied.get(node) || 0) >= r.revision).length;
    const delays = [...r.acks.values()].filter((d) => d >= 0);
    let text = 'revision ' + r.revision + ': ' + done + '/' + r.expected.length + ' applied';
    if (delays.length) text += ', slowest ' + Math.max(...delays) + ' ms';
    if (r.rejected.size) text += ', ' + r.rejected.size + ' rejected (' + [...r.rejected.keys()].join(', ') + ')';
    if (r.objects.length) text += ' — ' + r.objects.slice(0, 3).join(', ') + (r.objects.length > 3 ? ', …' : '');
    const item = el('li', text);
    item.dataset.revision = r.revision;
    list.appendChild(item);
  }
}

function renderDetail(members) {
  const member = members.find((m) => m.nodeId === view.selected);
  $('node-detail').hidden = !member;
  if (!member) return;
  $('node-detail-title').textContent = member.nodeId + ' — live state ' + (member.liveAtMillis ? '(' + ago(num(member.liveAtMillis)) + ')' : '');
  const lines = [];
  for (const object of member.live || []) {
    lines.push(object.key.kind + ' ' + object.key.name);
    for (const line of object.lines || []) lines.push('  ' + line);
  }
  if (member.traffic) {
    const t = member.traffic;
    lines.push('traffic: ' + Number(t.requestsPerSecond || 0).toFixed(1) + ' req/s, 5xx ' + (Number(t.serverErrorRatio || 0) * 100).toFixed(1)
      + ' %, p99 ' + (t.p99Seconds === undefined || Number(t.p99Seconds) < 0 ? '—' : (Number(t.p99Seconds) * 1000).toFixed(0) + ' ms')
      + ', ' + num(t.activeConnections) + ' connections');
  }
  $('node-detail-live').textContent = lines.length ? lines.join('\n') : 'nothing reported';
}

document.addEventListener('DOMContentLoaded', () => {
  $('login').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  start();
});
