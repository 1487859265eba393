// Bulwark replay viewer: one classic script, no dependencies. Reads the run's data and the
// base map from the page's JSON script elements and draws on a canvas in the scenario's ENU
// plane (a local tangent-plane projection: the frame the run's positions are in).
(function () {
  'use strict';

  const D = JSON.parse(document.getElementById('bulwark-data').textContent);
  const BM = JSON.parse(document.getElementById('bulwark-basemap').textContent || '{}');
  const LIVE = !!window.BULWARK_LIVE;
  const meta = D.meta || {};
  const Q = meta.pos_quantum_m || 10;
  const TQ = meta.time_quantum_s || 0.1;
  const PERIOD = meta.record_period_s || 1;
  const EPS = 1e-6;

  // ---------- colours and names ----------
  const IDENT = {
    h: { key: 'hostile', label: 'Hostile', color: '#c8102e' },
    s: { key: 'suspect', label: 'Suspect', color: '#e07b00' },
    u: { key: 'unknown', label: 'Unknown', color: '#c9a400' },
    p: { key: 'pending', label: 'Pending', color: '#8a8f98' },
    n: { key: 'neutral', label: 'Neutral', color: '#2e8b57' },
    f: { key: 'friend', label: 'Friend', color: '#1f6fc5' },
    '?': { key: 'other', label: 'Other', color: '#8a8f98' },
  };
  const IDENT_ORDER = ['h', 's', 'u', 'p', 'n', 'f'];
  const SIDE = {
    threat: { label: 'Threat', color: '#c8102e' },
    civil: { label: 'Civil', color: '#2e8b57' },
    friendly: { label: 'Friendly', color: '#1f6fc5' },
    interceptor: { label: 'Interceptor', color: '#33363b' },
  };
  const STATUS = { t: 'tentative', c: 'confirmed', k: 'coasting', '?': 'other' };
  const RADAR_COLORS = ['#4a6fa5', '#7a5ea8', '#2f8f83', '#a5674a', '#5a8f2f'];

  // ---------- decoding ----------
  function undelta(a, scale) {
    const out = new Float64Array(a ? a.length : 0);
    let acc = 0;
    for (let i = 0; i < out.length; i++) {
      acc += a[i];
      out[i] = acc * scale;
    }
    return out;
  }
  const truth = (D.truth || []).map(function (o) {
    return {
      kind: 'truth', id: o.id, name: o.name, cls: o.cls, role: o.role,
      t: undelta(o.t, TQ), x: undelta(o.x, Q), y: undelta(o.y, Q), z: undelta(o.z, Q),
    };
  });
  const truthById = new Map(truth.map(function (o) { return [o.id, o]; }));
  const tracks = (D.tracks || []).map(function (o) {
    return {
      kind: 'track', unit: o.unit, id: o.id, truth: o.truth,
      t: undelta(o.t, TQ), x: undelta(o.x, Q), y: undelta(o.y, Q), z: undelta(o.z, Q),
      ve: undelta(o.ve, 1), vn: undelta(o.vn, 1), sg: undelta(o.sg, 1), st: o.st, ident: o.ident,
      threats: (D.threats || {})[o.unit + ':' + o.id] || [],
    };
  });
  const tracksById = new Map(tracks.map(function (o) { return [o.id, o]; }));
  const S = D.strings || [];
  const events = (D.events || []).slice().sort(function (a, b) { return a.t - b.t; });
  const scene = D.scene || null;
  const summary = D.summary || {};
  const duration = Math.max(meta.duration_s || 0, events.length ? events[events.length - 1].t : 0);

  // Engagements: interceptor id → {launch, end, track, target, outcome, miss}
  const engagements = new Map();
  const fireOrders = [];
  const kills = [];
  const leaks = [];
  const identified = new Map(); // track → [{t, identity, reason}]
  const spawned = new Map();
  function ingest(e) {
    switch (e.event) {
      case 'interceptor_launched':
        engagements.set(e.interceptor, { id: e.interceptor, launch: e.t, end: Infinity, track: e.track,
          launcher: e.launcher, type: e.interceptor_type, target: null, outcome: null, miss: null });
        break;
      case 'interceptor_ended': {
        const g = engagements.get(e.interceptor);
        if (g) { g.end = e.t; g.target = e.target; g.outcome = e.outcome; g.miss = e.miss_distance_m; }
        break;
      }
      case 'fire_order': fireOrders.push(e); break;
      case 'entity_killed': kills.push(e); break;
      case 'threat_leaked': leaks.push(e); break;
      case 'track_identified':
        if (!identified.has(e.track)) identified.set(e.track, []);
        identified.get(e.track).push(e);
        break;
      case 'entity_spawned': spawned.set(e.entity, e); break;
      case 'run_started':
        if (e.epoch_utc && !meta.epoch_utc) {
          meta.epoch_utc = e.epoch_utc;
          const sub = document.getElementById('subtitle');
          if (sub) sub.textContent = subtitle();
        }
        break;
      default: break;
    }
  }
  events.forEach(ingest);
  truth.forEach(function (o) {
    const sp = spawned.get(o.id);
    if (sp && sp.type_id) o.type = sp.type_id;
  });

  // ---------- time lookups ----------
  // Index of the last sample with t <= now, or -1.
  function lastAt(ts, now) {
    let lo = 0, hi = ts.length - 1, ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ts[mid] <= now + EPS) { ans = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return ans;
  }
  // Truth: alive from its first to its last sample; position interpolated in time.
  function truthAt(o, now) {
    const n = o.t.length;
    if (!n || now < o.t[0] - EPS || now > o.t[n - 1] + EPS) return null;
    const i = lastAt(o.t, now);
    if (i < 0) return null;
    if (i >= n - 1) return { i: i, x: o.x[i], y: o.y[i], z: o.z[i] };
    const f = (now - o.t[i]) / Math.max(o.t[i + 1] - o.t[i], EPS);
    return { i: i, x: o.x[i] + f * (o.x[i + 1] - o.x[i]), y: o.y[i] + f * (o.y[i + 1] - o.y[i]),
      z: o.z[i] + f * (o.z[i + 1] - o.z[i]) };
  }
  // Track: shown while its latest sample is less than one record period old.
  function trackAt(o, now) {
    const i = lastAt(o.t, now);
    if (i < 0 || now - o.t[i] >= PERIOD - EPS) return null;
    let x = o.x[i], y = o.y[i];
    if (i + 1 < o.t.length && o.t[i + 1] - o.t[i] <= PERIOD + EPS) {
      const f = (now - o.t[i]) / (o.t[i + 1] - o.t[i]);
      x += f * (o.x[i + 1] - x);
      y += f * (o.y[i + 1] - y);
    }
    return { i: i, x: x, y: y, z: o.z[i], st: o.st[i], ident: o.ident[i] };
  }

  // ---------- geodesy for the base map (WGS-84 → scenario ENU) ----------
  const A = 6378137.0, F = 1 / 298.257223563, E2 = F * (2 - F);
  const O = meta.origin || { lat_deg: 0, lon_deg: 0, alt_m: 0 };
  const lat0 = O.lat_deg * Math.PI / 180, lon0 = O.lon_deg * Math.PI / 180;
  const sl0 = Math.sin(lat0), cl0 = Math.cos(lat0), so0 = Math.sin(lon0), co0 = Math.cos(lon0);
  function ecef(latd, lond, h) {
    const la = latd * Math.PI / 180, lo = lond * Math.PI / 180;
    const s = Math.sin(la), c = Math.cos(la);
    const N = A / Math.sqrt(1 - E2 * s * s);
    return [(N + h) * c * Math.cos(lo), (N + h) * c * Math.sin(lo), (N * (1 - E2) + h) * s];
  }
  const O_ECEF = ecef(O.lat_deg, O.lon_deg, O.alt_m || 0);
  // Surface point → [east, north]; points beyond the horizon land on the horizon circle.
  function enu(latd, lond) {
    const p = ecef(latd, lond, 0);
    const dx = p[0] - O_ECEF[0], dy = p[1] - O_ECEF[1], dz = p[2] - O_ECEF[2];
    let e = -so0 * dx + co0 * dy;
    let n = -sl0 * co0 * dx - sl0 * so0 * dy + cl0 * dz;
    const u = cl0 * co0 * dx + cl0 * so0 * dy + sl0 * dz;
    if (u < -A * 0.999) { const r = Math.hypot(e, n) || 1; e = e / r * A; n = n / r * A; }
    return [e, n];
  }
  function decodeLines(list) {
    return (list || []).map(function (line) {
      const pts = new Float64Array(line.length);
      let lo = 0, la = 0;
      for (let i = 0; i + 1 < line.length; i += 2) {
        lo += line[i]; la += line[i + 1];
        const p = enu(la / 100, lo / 100);
        pts[i] = p[0]; pts[i + 1] = p[1];
      }
      // bounding box for culling
      let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
      for (let i = 0; i < pts.length; i += 2) {
        x0 = Math.min(x0, pts[i]); x1 = Math.max(x1, pts[i]);
        y0 = Math.min(y0, pts[i + 1]); y1 = Math.max(y1, pts[i + 1]);
      }
      return { pts: pts, box: [x0, y0, x1, y1] };
    });
  }
  const land = decodeLines(BM.land);
  const borders = decodeLines(BM.borders);
  let nearestCoast = Infinity;
  land.forEach(function (p) { for (let i = 0; i < p.pts.length; i += 2) nearestCoast = Math.min(nearestCoast, Math.hypot(p.pts[i], p.pts[i + 1])); });
  // Inverse of enu() near the origin, for graticule ranges only.
  function approxLatLon(e, n) {
    return [O.lat_deg + n / 111320, O.lon_deg + e / (111320 * Math.max(Math.cos(lat0), 0.05))];
  }

  // ---------- state ----------
  const st = {
    now: 0, playing: false, speed: 10, depth: 120,
    cx: 0, cy: 0, scale: 1e-3, // view centre (m) and px per m
    layers: { truth: true, tracks: true, tentative: true, interceptors: true, lines: true, coverage: true,
      labels: true, sites: true },
    sides: { threat: true, civil: true, friendly: true, interceptor: true },
    idents: { h: true, s: true, u: true, p: true, n: true, f: true, '?': true },
    classes: {},
    rcs: null, alt: null,
    selected: null, // {kind, id}
    counts: null,
  };
  truth.forEach(function (o) { st.classes[o.cls] = true; });
  if (scene && scene.coverage) {
    const c = scene.coverage;
    st.rcs = c.rcs_m2.indexOf(1) >= 0 ? 1 : c.rcs_m2[Math.floor(c.rcs_m2.length / 2)];
    st.alt = c.altitudes_m.indexOf(1000) >= 0 ? 1000 : c.altitudes_m[0];
  }

  // ---------- DOM ----------
  const app = document.getElementById('app');
  function el(tag, attrs, kids) {
    const e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), attrs[k]);
      else e.setAttribute(k, attrs[k]);
    });
    (kids || []).forEach(function (k) { if (k) e.appendChild(typeof k === 'string' ? document.createTextNode(k) : k); });
    return e;
  }
  function fmtT(t) {
    const s = Math.max(0, t);
    const m = Math.floor(s / 60);
    return 'T+' + String(m).padStart(2, '0') + ':' + (s - m * 60).toFixed(1).padStart(4, '0');
  }
  function fmtUtc(t) {
    if (!meta.epoch_utc) return '';
    const d = new Date(Date.parse(meta.epoch_utc) + t * 1000);
    return isNaN(d) ? '' : d.toISOString().slice(11, 19) + 'Z';
  }
  function km(m) { return (m / 1000).toFixed(m < 10000 ? 1 : 0) + ' km'; }

  const subtitle = function () {
    return '  seed ' + meta.seed + ' · ' + Math.round(duration / 60) + ' min' + (meta.epoch_utc ? ' · epoch ' + meta.epoch_utc : '') + (LIVE ? ' · live' : '');
  };
  const header = el('header', { class: 'bar' }, [
    el('div', { class: 'title' }, [
      el('strong', { text: meta.scenario || 'Bulwark run' }),
      el('span', { class: 'muted', id: 'subtitle', text: subtitle() }),
    ]),
    el('div', { class: 'clock', id: 'clock' }),
  ]);
  const canvas = el('canvas', { id: 'map' });
  const mapWrap = el('div', { class: 'map' }, [canvas, el('div', { class: 'legend', id: 'legend' })]);
  const side = el('aside', { class: 'side' });
  const transport = el('div', { class: 'transport' });
  const strip = el('canvas', { id: 'strip' });
  const footer = el('footer', {}, [transport, el('div', { class: 'stripwrap' }, [strip])]);
  app.appendChild(header);
  app.appendChild(el('main', {}, [mapWrap, side]));
  app.appendChild(footer);
  footer.lastChild.style.height = Math.min(36 + 9 * Math.max(1, (summary.timeline || []).length), 260) + 'px';

  // transport
  const playBtn = el('button', { class: 'btn', title: 'Play / pause (space)', onclick: function () { setPlaying(!st.playing); } });
  const slider = el('input', { type: 'range', min: '0', max: String(duration), step: '0.1', value: '0', id: 'slider' });
  slider.addEventListener('input', function () { setTime(parseFloat(slider.value)); });
  const speedSel = el('select', { title: 'Speed' }, [1, 5, 10, 30, 60, 120].map(function (s) {
    const o = el('option', { value: String(s), text: s + '×' });
    if (s === st.speed) o.selected = true;
    return o;
  }));
  speedSel.addEventListener('change', function () { st.speed = parseFloat(speedSel.value); });
  const MAJOR = { fire_order: 1, interceptor_launched: 1, interceptor_ended: 1, entity_killed: 1, threat_leaked: 1,
    track_confirmed: 1, track_identified: 1, entity_spawned: 1 };
  function jump(dir) {
    let best = null;
    for (const e of events) {
      if (!MAJOR[e.event]) continue;
      if (dir > 0 && e.t > st.now + 0.05) { best = e.t; break; }
      if (dir < 0 && e.t < st.now - 0.05) best = e.t;
    }
    if (best !== null) setTime(best);
  }
  transport.appendChild(el('button', { class: 'btn', title: 'Previous event (p)', text: '◀ event', onclick: function () { jump(-1); } }));
  transport.appendChild(playBtn);
  transport.appendChild(el('button', { class: 'btn', title: 'Next event (n)', text: 'event ▶', onclick: function () { jump(1); } }));
  transport.appendChild(speedSel);
  transport.appendChild(slider);
  const timeLbl = el('span', { class: 'time', id: 'timelabel' });
  transport.appendChild(timeLbl);

  // side panels
  function section(title, body, open) {
    const d = el('details', open ? { open: '' } : {}, [el('summary', { text: title }), body]);
    side.appendChild(d);
    return d;
  }
  function check(label, obj, key, color) {
    const i = el('input', { type: 'checkbox' });
    i.checked = !!obj[key];
    i.addEventListener('change', function () { obj[key] = i.checked; dirty(); });
    return el('label', { class: 'chk' }, [i, color ? el('span', { class: 'sw', style: 'background:' + color }) : null, label]);
  }
  const layersBody = el('div', { class: 'grid2' }, [
    check('Truth', st.layers, 'truth'), check('Tracks', st.layers, 'tracks'),
    check('Tentative', st.layers, 'tentative'), check('Interceptors', st.layers, 'interceptors'),
    check('Engagement lines', st.layers, 'lines'), check('Coverage', st.layers, 'coverage'),
    check('Sites', st.layers, 'sites'), check('Labels', st.layers, 'labels'),
  ]);
  const depthSel = el('select', {}, [[30, '30 s'], [60, '1 min'], [120, '2 min'], [300, '5 min'], [1e9, 'all']].map(function (p) {
    const o = el('option', { value: String(p[0]), text: p[1] });
    if (p[0] === st.depth) o.selected = true;
    return o;
  }));
  depthSel.addEventListener('change', function () { st.depth = parseFloat(depthSel.value); dirty(); });
  const ctlRows = [el('label', { class: 'row' }, ['Trail history ', depthSel])];
  if (scene && scene.coverage) {
    const c = scene.coverage;
    const rcsSel = el('select', {}, c.rcs_m2.map(function (r) {
      const o = el('option', { value: String(r), text: r + ' m²' });
      if (r === st.rcs) o.selected = true;
      return o;
    }));
    rcsSel.addEventListener('change', function () { st.rcs = parseFloat(rcsSel.value); dirty(); });
    const altSel = el('select', {}, c.altitudes_m.map(function (a) {
      const o = el('option', { value: String(a), text: a >= 1000 ? a / 1000 + ' km' : a + ' m' });
      if (a === st.alt) o.selected = true;
      return o;
    }));
    altSel.addEventListener('change', function () { st.alt = parseFloat(altSel.value); dirty(); });
    ctlRows.push(el('label', { class: 'row' }, ['Coverage for RCS ', rcsSel, ' at ', altSel]));
    ctlRows.push(el('div', { class: 'muted small', text: 'Pd ' + c.pd + ', 4/3 earth; from the coverage model' }));
  }
  section('Layers', el('div', {}, [layersBody].concat(ctlRows)), true);
  const sideBody = el('div', { class: 'grid2' }, Object.keys(SIDE).map(function (k) { return check(SIDE[k].label, st.sides, k, SIDE[k].color); }));
  const identBody = el('div', { class: 'grid2' }, IDENT_ORDER.map(function (k) { return check(IDENT[k].label, st.idents, k, IDENT[k].color); }));
  const classBody = el('div', { class: 'grid2' }, Object.keys(st.classes).sort().map(function (k) { return check(k.replace(/_/g, ' '), st.classes, k); }));
  section('Filters', el('div', {}, [el('div', { class: 'sub', text: 'Truth by side' }), sideBody,
    el('div', { class: 'sub', text: 'Tracks by identity' }), identBody,
    el('div', { class: 'sub', text: 'Truth by class' }), classBody]), false);
  const selBody = el('div', { id: 'selection', class: 'selection' }, [el('div', { class: 'muted', text: 'Click a track, object or site on the map.' })]);
  section('Selection', selBody, true);
  const evList = el('div', { class: 'events', id: 'events' });
  section('Events', evList, true);
  section('Summary', summaryTable(), false);

  function summaryTable() {
    const wrap = el('div', {});
    const t = el('table', { class: 'tbl' });
    t.appendChild(el('tr', {}, ['class', 'n', 'det', 'trk', 'eng', 'kill', 'leak'].map(function (h) { return el('th', { text: h }); })));
    (summary.threats || []).forEach(function (r) {
      t.appendChild(el('tr', {}, [r.class.replace(/_/g, ' '), r.count, r.detected, r.tracked, r.engaged, r.killed, r.leaked]
        .map(function (v, i) { return el('td', { text: String(v), class: i ? 'num' : '' }); })));
    });
    wrap.appendChild(t);
    const t2 = el('table', { class: 'tbl' });
    t2.appendChild(el('tr', {}, ['interceptor', 'fired', 'loaded'].map(function (h) { return el('th', { text: h }); })));
    const fired = summary.interceptors_fired || {}, loaded = summary.interceptors_loaded || {};
    Object.keys(loaded).sort().forEach(function (k) {
      t2.appendChild(el('tr', {}, [k, fired[k] || 0, loaded[k]].map(function (v, i) { return el('td', { text: String(v), class: i ? 'num' : '' }); })));
    });
    wrap.appendChild(t2);
    const kv = el('table', { class: 'tbl' });
    [['leakers', summary.leakers], ['confirmed tracks', summary.confirmed_tracks], ['false tracks', summary.false_tracks],
      ['civil engaged', summary.civil_engaged], ['friendly engaged', summary.friendly_engaged],
      ['radar plots', meta.plots], ['tentative-only tracks (not drawn)', meta.tentative_only_tracks]].forEach(function (p) {
      if (p[1] !== undefined && p[1] !== null) kv.appendChild(el('tr', {}, [el('td', { text: p[0] }), el('td', { class: 'num', text: String(p[1]) })]));
    });
    wrap.appendChild(kv);
    return wrap;
  }

  // event list
  const EV_TEXT = {
    entity_spawned: function (e) { return 'spawned ' + e.name + ' (' + e.class.replace(/_/g, ' ') + ')'; },
    track_initiated: function (e) { return 'track ' + e.track + ' initiated'; },
    track_confirmed: function (e) { return 'track ' + e.track + ' confirmed'; },
    track_deleted: function (e) { return 'track ' + e.track + ' deleted'; },
    track_identified: function (e) { return 'track ' + e.track + ' identified ' + e.identity; },
    fire_order: function (e) { return 'fire order: ' + e.count + '× ' + e.interceptor_type + ' from L' + e.launcher + ' at track ' + e.track; },
    interceptor_launched: function (e) { return e.interceptor_type + ' #' + e.interceptor + ' launched at track ' + e.track; },
    seeker_acquired: function (e) { return '#' + e.interceptor + ' seeker acquired ' + nameOf(e.target); },
    seeker_lost: function (e) { return '#' + e.interceptor + ' seeker lost'; },
    interceptor_ended: function (e) { return '#' + e.interceptor + ' ' + e.outcome + (e.miss_distance_m != null ? ' (miss ' + e.miss_distance_m.toFixed(0) + ' m)' : ''); },
    entity_killed: function (e) { return nameOf(e.entity) + ' killed by #' + e.by; },
    threat_leaked: function (e) { return nameOf(e.entity) + ' LEAKED'; },
    entity_removed: function (e) { return nameOf(e.entity) + ' removed (' + e.reason + ')'; },
    iff_reply: function (e) { return 'IFF ' + e.mode + ' reply' + (e.code != null ? ' ' + e.code : ''); },
    track_dwells_granted: function (e) { return 'radar ' + e.sensor + ' dwells for track ' + e.track; },
    track_dwells_released: function (e) { return 'radar ' + e.sensor + ' releases track ' + e.track; },
    run_started: function (e) { return 'run started: ' + e.scenario; },
    run_ended: function (e) { return 'run ended (' + e.steps + ' steps)'; },
  };
  function nameOf(id) { const o = truthById.get(id); return o ? o.name : 'entity ' + id; }
  const LISTED = { entity_spawned: 1, track_confirmed: 1, track_identified: 1, track_deleted: 1, fire_order: 1, interceptor_launched: 1,
    seeker_acquired: 1, interceptor_ended: 1, entity_killed: 1, threat_leaked: 1, entity_removed: 1, run_started: 1, run_ended: 1 };
  const listed = events.filter(function (e) { return LISTED[e.event]; });
  const evRows = listed.map(function (e) {
    const txt = (EV_TEXT[e.event] || function () { return e.event; })(e);
    const r = el('div', { class: 'ev ev-' + e.event }, [el('span', { class: 't', text: fmtT(e.t) }), el('span', { text: txt })]);
    r.addEventListener('click', function () {
      setTime(e.t);
      if (e.track !== undefined && tracksById.has(e.track)) select({ kind: 'track', id: e.track });
      else if (e.interceptor !== undefined && truthById.has(e.interceptor)) select({ kind: 'truth', id: e.interceptor });
      else if (e.entity !== undefined && truthById.has(e.entity)) select({ kind: 'truth', id: e.entity });
    });
    return r;
  });
  evRows.forEach(function (r) { evList.appendChild(r); });
  let lastEvIdx = -2;
  function updateEvents() {
    let idx = -1;
    for (let i = 0; i < listed.length && listed[i].t <= st.now + EPS; i++) idx = i;
    if (idx === lastEvIdx) return;
    for (let i = 0; i < evRows.length; i++) {
      evRows[i].classList.toggle('future', i > idx);
      evRows[i].classList.toggle('current', i === idx);
    }
    lastEvIdx = idx;
    if (idx >= 0) {
      const r = evRows[idx];
      // rows are positioned relative to the list (position: relative)
      evList.scrollTop = Math.max(0, r.offsetTop - evList.clientHeight + r.offsetHeight + 40);
    }
  }

  // ---------- view ----------
  const ctx = canvas.getContext('2d');
  const sctx = strip.getContext('2d');
  let W = 0, H = 0, DPR = 1;
  function fitView() {
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    const add = function (x, y) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); };
    truth.forEach(function (o) { if (o.role === 'interceptor') return; for (let i = 0; i < o.t.length; i++) add(o.x[i], o.y[i]); });
    if (scene) (scene.assets || []).forEach(function (a) { add(a.position.east_m, a.position.north_m); });
    if (scene && !truth.length) (scene.radars || []).forEach(function (r) {
      const R = Math.min(r.max_range_m, 4e5) * 0.8;
      add(r.position.east_m - R, r.position.north_m - R); add(r.position.east_m + R, r.position.north_m + R);
    });
    if (!isFinite(x0)) { x0 = -1e5; x1 = 1e5; y0 = -1e5; y1 = 1e5; }
    const pad = 0.06;
    st.cx = (x0 + x1) / 2; st.cy = (y0 + y1) / 2;
    st.scale = Math.min(W / ((x1 - x0) * (1 + 2 * pad) || 1), H / ((y1 - y0) * (1 + 2 * pad) || 1));
  }
  function resize() {
    DPR = window.devicePixelRatio || 1;
    const r = canvas.parentElement.getBoundingClientRect();
    const first = W === 0;
    W = Math.max(100, r.width); H = Math.max(100, r.height);
    canvas.width = Math.round(W * DPR); canvas.height = Math.round(H * DPR);
    canvas.style.width = W + 'px'; canvas.style.height = H + 'px';
    const sr = strip.parentElement.getBoundingClientRect();
    strip.width = Math.round(sr.width * DPR); strip.height = Math.round(sr.height * DPR);
    strip.style.width = sr.width + 'px'; strip.style.height = sr.height + 'px';
    if (first) fitView();
    dirty();
  }
  function sx(x) { return W / 2 + (x - st.cx) * st.scale; }
  function sy(y) { return H / 2 - (y - st.cy) * st.scale; }
  function wx(px) { return st.cx + (px - W / 2) / st.scale; }
  function wy(py) { return st.cy - (py - H / 2) / st.scale; }

  // pan / zoom
  let drag = null;
  canvas.addEventListener('mousedown', function (ev) { drag = { x: ev.clientX, y: ev.clientY, cx: st.cx, cy: st.cy, moved: false }; });
  window.addEventListener('mousemove', function (ev) {
    if (!drag) return;
    const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    st.cx = drag.cx - dx / st.scale; st.cy = drag.cy + dy / st.scale;
    dirty();
  });
  window.addEventListener('mouseup', function (ev) {
    if (drag && !drag.moved) {
      const r = canvas.getBoundingClientRect();
      pick(ev.clientX - r.left, ev.clientY - r.top);
    }
    drag = null;
  });
  canvas.addEventListener('wheel', function (ev) {
    ev.preventDefault();
    const r = canvas.getBoundingClientRect();
    const px = ev.clientX - r.left, py = ev.clientY - r.top;
    const mx = wx(px), my = wy(py);
    st.scale *= Math.exp(-ev.deltaY * 0.0015);
    st.scale = Math.min(Math.max(st.scale, 1e-6), 0.2);
    st.cx = mx - (px - W / 2) / st.scale; st.cy = my + (py - H / 2) / st.scale;
    dirty();
  }, { passive: false });
  window.addEventListener('keydown', function (ev) {
    if (ev.target && (ev.target.tagName === 'INPUT' || ev.target.tagName === 'SELECT') && ev.target.type !== 'range') return;
    if (ev.key === ' ') { ev.preventDefault(); setPlaying(!st.playing); }
    else if (ev.key === 'ArrowRight') setTime(st.now + (ev.shiftKey ? 10 : 1));
    else if (ev.key === 'ArrowLeft') setTime(st.now - (ev.shiftKey ? 10 : 1));
    else if (ev.key === 'n') jump(1);
    else if (ev.key === 'p') jump(-1);
  });

  // ---------- drawing ----------
  let heads = []; // hit targets drawn this frame: {x, y, kind, id}
  function niceStep(raw, steps) {
    for (const s of steps) if (s >= raw) return s;
    return steps[steps.length - 1];
  }
  function polyline(pts, close) {
    ctx.beginPath();
    for (let i = 0; i + 1 < pts.length; i += 2) {
      const X = sx(pts[i]), Y = sy(pts[i + 1]);
      if (i === 0) ctx.moveTo(X, Y); else ctx.lineTo(X, Y);
    }
    if (close) ctx.closePath();
  }
  function visible(box) {
    return !(sx(box[2]) < 0 || sx(box[0]) > W || sy(box[1]) < 0 || sy(box[3]) > H);
  }
  function drawBase(counts) {
    ctx.fillStyle = '#eef2f5';
    ctx.fillRect(0, 0, W, H);
    ctx.fillStyle = '#e4e1d6';
    ctx.strokeStyle = '#b8b2a2';
    ctx.lineWidth = 0.7;
    land.forEach(function (p) {
      if (!visible(p.box)) return;
      polyline(p.pts, true); ctx.fill(); ctx.stroke();
      counts.basemap.land++;
    });
    ctx.strokeStyle = '#c9c2b0';
    ctx.setLineDash([3, 2]);
    borders.forEach(function (p) {
      if (!visible(p.box)) return;
      polyline(p.pts, false); ctx.stroke();
      counts.basemap.borders++;
    });
    ctx.setLineDash([]);
    // graticule
    const spanKm = W / st.scale / 1000;
    const stepDeg = niceStep(spanKm / 111 / 6, [0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30]);
    const c0 = approxLatLon(wx(0), wy(H)), c1 = approxLatLon(wx(W), wy(0));
    const la0 = Math.max(-89, Math.floor(Math.min(c0[0], c1[0]) / stepDeg - 2) * stepDeg);
    const la1 = Math.min(89, Math.ceil(Math.max(c0[0], c1[0]) / stepDeg + 2) * stepDeg);
    const lo0 = Math.floor(Math.min(c0[1], c1[1]) / stepDeg - 2) * stepDeg;
    const lo1 = Math.ceil(Math.max(c0[1], c1[1]) / stepDeg + 2) * stepDeg;
    ctx.strokeStyle = 'rgba(70,90,120,0.16)';
    ctx.lineWidth = 1;
    ctx.fillStyle = 'rgba(60,70,85,0.55)';
    ctx.font = '10px system-ui, sans-serif';
    let lines = 0;
    const fmtDeg = function (v, pos, neg) { const a = Math.abs(v); return (Math.round(a * 100) / 100) + '°' + (v >= 0 ? pos : neg); };
    for (let lo = lo0; lo <= lo1 + 1e-9 && lines < 200; lo += stepDeg) {
      ctx.beginPath();
      let lbl = null;
      for (let k = 0; k <= 40; k++) {
        const la = la0 + (la1 - la0) * k / 40;
        const p = enu(la, lo);
        const X = sx(p[0]), Y = sy(p[1]);
        if (k === 0) ctx.moveTo(X, Y); else ctx.lineTo(X, Y);
        if (Y <= H - 4 && (!lbl || Y > lbl[1])) lbl = [X, Y];
      }
      ctx.stroke(); lines++;
      const p = enu(approxLatLon(0, wy(H - 6))[0], lo);
      const X = sx(p[0]);
      if (X > 30 && X < W - 30) ctx.fillText(fmtDeg(lo, 'E', 'W'), X + 3, H - 6);
    }
    for (let la = la0; la <= la1 + 1e-9 && lines < 400; la += stepDeg) {
      ctx.beginPath();
      for (let k = 0; k <= 40; k++) {
        const lo = lo0 + (lo1 - lo0) * k / 40;
        const p = enu(la, lo);
        const X = sx(p[0]), Y = sy(p[1]);
        if (k === 0) ctx.moveTo(X, Y); else ctx.lineTo(X, Y);
      }
      ctx.stroke(); lines++;
      const p = enu(la, approxLatLon(wx(6), 0)[1]);
      const Y = sy(p[1]);
      if (Y > 20 && Y < H - 20) ctx.fillText(fmtDeg(la, 'N', 'S'), 6, Y - 3);
    }
    counts.basemap.graticule = lines;
  }
  function drawScale() {
    const target = 140 / st.scale;
    const len = niceStep(target * 0.6, [100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6]);
    const px = len * st.scale;
    const x = 16, y = H - 26;
    ctx.fillStyle = 'rgba(255,255,255,0.8)';
    ctx.fillRect(x - 6, y - 16, px + 60, 26);
    ctx.strokeStyle = '#3b4250'; ctx.lineWidth = 1.5;
    ctx.beginPath(); ctx.moveTo(x, y - 4); ctx.lineTo(x, y); ctx.lineTo(x + px, y); ctx.lineTo(x + px, y - 4); ctx.stroke();
    ctx.beginPath(); ctx.moveTo(x + px / 2, y - 3); ctx.lineTo(x + px / 2, y); ctx.stroke();
    ctx.fillStyle = '#3b4250'; ctx.font = '11px system-ui, sans-serif';
    ctx.fillText(len >= 1000 ? len / 1000 + ' km' : len + ' m', x + px + 6, y + 3);
    // attribution; over open ocean, how far the coast is
    ctx.font = '10px system-ui, sans-serif';
    const att = 'Base map: Natural Earth 1:50m (public domain)' +
      (isFinite(nearestCoast) && nearestCoast > 0.5 * Math.hypot(W, H) / st.scale ? ' · nearest coast ' + Math.round(nearestCoast / 1000) + ' km from the origin' : '') +
      ' · local tangent-plane projection';
    const aw = ctx.measureText(att).width;
    ctx.fillStyle = 'rgba(255,255,255,0.75)'; ctx.fillRect(W - aw - 14, H - 17, aw + 10, 15);
    ctx.fillStyle = '#6a717c'; ctx.fillText(att, W - aw - 9, H - 6);
    ctx.fillStyle = '#3b4250'; ctx.font = '11px system-ui, sans-serif';
    // north arrow (ENU north is true north at the origin)
    const nx = W - 26, ny = 30;
    ctx.beginPath(); ctx.moveTo(nx, ny - 12); ctx.lineTo(nx + 6, ny + 6); ctx.lineTo(nx, ny + 2); ctx.lineTo(nx - 6, ny + 6); ctx.closePath();
    ctx.fill();
    ctx.fillText('N', nx - 4, ny + 20);
  }
  function ringFor(radar) {
    if (!scene.coverage) return null;
    return scene.coverage.rings.find(function (r) { return r.radar === radar && r.rcs_m2 === st.rcs && r.altitude_m === st.alt; });
  }
  function drawScene(counts) {
    if (!scene) return;
    const cov = scene.coverage;
    if (st.layers.coverage && cov) {
      scene.radars.forEach(function (r, ri) {
        const ring = ringFor(ri);
        if (!ring) return;
        const col = RADAR_COLORS[ri % RADAR_COLORS.length];
        ctx.beginPath();
        let started = false;
        const n = ring.outer_m.length;
        for (let k = 0; k <= n; k++) {
          const az = (k % n) * cov.azimuth_step_deg * Math.PI / 180;
          const d = ring.outer_m[k % n];
          const X = sx(r.position.east_m + d * Math.sin(az)), Y = sy(r.position.north_m + d * Math.cos(az));
          if (!started) { ctx.moveTo(X, Y); started = true; } else ctx.lineTo(X, Y);
        }
        ctx.closePath();
        ctx.fillStyle = col + '0a'; ctx.fill();
        ctx.strokeStyle = col + 'aa'; ctx.lineWidth = 1.2; ctx.stroke();
        counts.coverage++;
        if (st.layers.labels) {
          let best = 0, bi = 0;
          ring.outer_m.forEach(function (d, k) { if (d > best) { best = d; bi = k; } });
          const az = bi * cov.azimuth_step_deg * Math.PI / 180;
          ctx.fillStyle = col; ctx.font = '10px system-ui, sans-serif';
          ctx.fillText(r.type_id + ' ' + km(best), sx(r.position.east_m + best * Math.sin(az)) + 4, sy(r.position.north_m + best * Math.cos(az)) - 4);
        }
      });
    }
    if (st.layers.coverage) {
      scene.radars.forEach(function (r, ri) {
        if (r.sector_width_deg >= 359.9) return;
        const col = RADAR_COLORS[ri % RADAR_COLORS.length];
        const c = r.sector_centre_deg * Math.PI / 180, w = r.sector_width_deg * Math.PI / 360;
        const R = r.max_range_m;
        ctx.strokeStyle = col + '66'; ctx.lineWidth = 1; ctx.setLineDash([5, 4]);
        ctx.beginPath();
        ctx.moveTo(sx(r.position.east_m + R * Math.sin(c - w)), sy(r.position.north_m + R * Math.cos(c - w)));
        ctx.lineTo(sx(r.position.east_m), sy(r.position.north_m));
        ctx.lineTo(sx(r.position.east_m + R * Math.sin(c + w)), sy(r.position.north_m + R * Math.cos(c + w)));
        for (let k = 0; k <= 30; k++) {
          const a = c + w - 2 * w * k / 30;
          ctx.lineTo(sx(r.position.east_m + R * Math.sin(a)), sy(r.position.north_m + R * Math.cos(a)));
        }
        ctx.stroke(); ctx.setLineDash([]);
        counts.sectors++;
      });
    }
    (scene.assets || []).forEach(function (a, i) {
      const X = sx(a.position.east_m), Y = sy(a.position.north_m);
      const R = Math.max(4, a.radius_m * st.scale);
      ctx.fillStyle = 'rgba(95,70,160,0.14)'; ctx.strokeStyle = '#5f46a0'; ctx.lineWidth = 1.2;
      ctx.beginPath(); ctx.arc(X, Y, R, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
      if (st.layers.labels) { ctx.fillStyle = '#4b3785'; ctx.font = '600 11px system-ui, sans-serif'; ctx.fillText(a.name, X + R + 4, Y + 4); }
      heads.push({ x: X, y: Y, kind: 'asset', id: i });
      counts.sites.assets++;
    });
    if (!st.layers.sites) return;
    (scene.launchers || []).forEach(function (l, i) {
      const X = sx(l.position.east_m), Y = sy(l.position.north_m);
      ctx.fillStyle = '#1f6fc5'; ctx.strokeStyle = '#fff'; ctx.lineWidth = 1;
      ctx.beginPath(); ctx.rect(X - 2.5, Y - 2.5, 5, 5); ctx.fill(); ctx.stroke();
      heads.push({ x: X, y: Y, kind: 'launcher', id: i });
      counts.sites.launchers++;
    });
    scene.radars.forEach(function (r, i) {
      const X = sx(r.position.east_m), Y = sy(r.position.north_m);
      ctx.fillStyle = RADAR_COLORS[i % RADAR_COLORS.length]; ctx.strokeStyle = '#fff'; ctx.lineWidth = 1.2;
      ctx.beginPath(); ctx.moveTo(X, Y - 6); ctx.lineTo(X + 5, Y + 4); ctx.lineTo(X - 5, Y + 4); ctx.closePath(); ctx.fill(); ctx.stroke();
      heads.push({ x: X, y: Y, kind: 'radar', id: i });
      counts.sites.radars++;
    });
    (scene.units || []).forEach(function (u) {
      if (!st.layers.labels) return;
      const X = sx(u.site.east_m), Y = sy(u.site.north_m);
      ctx.fillStyle = '#1d4f8a'; ctx.font = '600 11px system-ui, sans-serif';
      ctx.fillText(u.name + ' (' + u.system + ')', X + 10, Y + 16);
    });
  }
  function sideOf(o) { return o.role === 'interceptor' ? 'interceptor' : (SIDE[o.role] ? o.role : 'threat'); }
  function truthShown(o) { return st.sides[sideOf(o)] && st.classes[o.cls] !== false; }
  function drawTruth(counts, now) {
    const t0 = now - st.depth;
    truth.forEach(function (o) {
      if (o.role === 'interceptor') return;
      const p = truthAt(o, now);
      if (!p || !st.layers.truth || !truthShown(o)) return;
      const col = SIDE[sideOf(o)].color;
      ctx.strokeStyle = col + '70'; ctx.lineWidth = 1.2; ctx.setLineDash([2, 3]);
      ctx.beginPath();
      let j = Math.max(0, lastAt(o.t, t0));
      const p0 = truthAt(o, Math.max(t0, o.t[0]));
      ctx.moveTo(sx(p0.x), sy(p0.y));
      for (j = j + 1; j <= p.i; j++) ctx.lineTo(sx(o.x[j]), sy(o.y[j]));
      ctx.lineTo(sx(p.x), sy(p.y));
      ctx.stroke(); ctx.setLineDash([]);
      const X = sx(p.x), Y = sy(p.y);
      ctx.strokeStyle = col; ctx.lineWidth = 1.2; ctx.fillStyle = '#fff';
      ctx.beginPath(); ctx.arc(X, Y, 2.6, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
      heads.push({ x: X, y: Y, kind: 'truth', id: o.id });
      counts.truth.total++;
      const sd = sideOf(o);
      counts.truth.bySide[sd] = (counts.truth.bySide[sd] || 0) + 1;
      counts.truth.byClass[o.cls] = (counts.truth.byClass[o.cls] || 0) + 1;
    });
  }
  function symbol(ident, X, Y, r, filled) {
    ctx.beginPath();
    if (ident === 'h' || ident === 's') { ctx.moveTo(X, Y - r); ctx.lineTo(X + r, Y); ctx.lineTo(X, Y + r); ctx.lineTo(X - r, Y); ctx.closePath(); }
    else if (ident === 'f') ctx.arc(X, Y, r * 0.85, 0, 2 * Math.PI);
    else if (ident === 'n') ctx.rect(X - r * 0.75, Y - r * 0.75, r * 1.5, r * 1.5);
    else { ctx.moveTo(X - r * 0.8, Y - r * 0.8); ctx.lineTo(X + r * 0.8, Y - r * 0.8); ctx.lineTo(X + r * 0.8, Y + r * 0.8); ctx.lineTo(X - r * 0.8, Y + r * 0.8); ctx.closePath(); }
    if (filled) ctx.fill();
    ctx.stroke();
  }
  function drawTracks(counts, now) {
    if (!st.layers.tracks) return;
    const t0 = now - st.depth;
    tracks.forEach(function (o) {
      const p = trackAt(o, now);
      if (!p) return;
      if (!st.idents[p.ident]) return;
      if (p.st === 't' && !st.layers.tentative) return;
      const col = IDENT[p.ident].color;
      // trail: segments coloured by the identity of their start
      ctx.lineWidth = 1.8;
      const j0 = Math.max(0, lastAt(o.t, t0));
      for (let j = j0; j < p.i; j++) {
        if (o.t[j + 1] - o.t[j] > PERIOD + EPS) continue;
        ctx.strokeStyle = IDENT[o.ident[j]].color + (o.st[j] === 't' ? '55' : 'bb');
        ctx.beginPath(); ctx.moveTo(sx(o.x[j]), sy(o.y[j])); ctx.lineTo(sx(o.x[j + 1]), sy(o.y[j + 1])); ctx.stroke();
      }
      if (p.i >= j0) {
        ctx.strokeStyle = col + 'bb';
        ctx.beginPath(); ctx.moveTo(sx(o.x[p.i]), sy(o.y[p.i])); ctx.lineTo(sx(p.x), sy(p.y)); ctx.stroke();
      }
      const X = sx(p.x), Y = sy(p.y);
      // velocity leader: 60 s ahead
      ctx.strokeStyle = col; ctx.lineWidth = 1;
      ctx.beginPath(); ctx.moveTo(X, Y); ctx.lineTo(X + o.ve[p.i] * 60 * st.scale, Y - o.vn[p.i] * 60 * st.scale); ctx.stroke();
      ctx.fillStyle = p.st === 'c' ? col : '#fff';
      ctx.strokeStyle = col; ctx.lineWidth = 1.5;
      if (p.st === 'k') ctx.setLineDash([2, 2]);
      symbol(p.ident, X, Y, p.st === 't' ? 3.5 : 5, p.st === 'c');
      ctx.setLineDash([]);
      if (st.layers.labels && p.st !== 't') {
        ctx.fillStyle = '#2a2f38'; ctx.font = '10px system-ui, sans-serif';
        ctx.fillText(String(o.id), X + 7, Y - 6);
      }
      heads.push({ x: X, y: Y, kind: 'track', id: o.id });
      counts.tracks.total++;
      const sname = STATUS[p.st];
      counts.tracks.byStatus[sname] = (counts.tracks.byStatus[sname] || 0) + 1;
      const ik = IDENT[p.ident].key;
      counts.tracks[sname] = counts.tracks[sname] || {};
      counts.tracks[sname][ik] = (counts.tracks[sname][ik] || 0) + 1;
      counts.tracks.byIdentity[ik] = (counts.tracks.byIdentity[ik] || 0) + 1;
    });
  }
  function drawInterceptors(counts, now) {
    const t0 = now - st.depth;
    engagements.forEach(function (g) {
      const o = truthById.get(g.id);
      if (!o) return;
      const ended = now >= g.end;
      const p = truthAt(o, Math.min(now, g.end));
      if (ended || !p || now < g.launch) return;
      if (!st.layers.interceptors || !st.sides.interceptor) return;
      ctx.strokeStyle = '#33363bcc'; ctx.lineWidth = 1.3;
      ctx.beginPath();
      const j0 = Math.max(0, lastAt(o.t, t0));
      const q0 = truthAt(o, Math.max(t0, o.t[0]));
      ctx.moveTo(sx(q0.x), sy(q0.y));
      for (let j = j0 + 1; j <= p.i; j++) ctx.lineTo(sx(o.x[j]), sy(o.y[j]));
      ctx.lineTo(sx(p.x), sy(p.y));
      ctx.stroke();
      const X = sx(p.x), Y = sy(p.y);
      ctx.fillStyle = '#33363b';
      ctx.beginPath(); ctx.arc(X, Y, 2.8, 0, 2 * Math.PI); ctx.fill();
      heads.push({ x: X, y: Y, kind: 'truth', id: o.id });
      counts.interceptors++;
      if (st.layers.lines) {
        const trk = tracksById.get(g.track);
        const tp = trk ? trackAt(trk, now) : null;
        if (tp) {
          ctx.strokeStyle = 'rgba(200,16,46,0.45)'; ctx.lineWidth = 1; ctx.setLineDash([4, 3]);
          ctx.beginPath(); ctx.moveTo(X, Y); ctx.lineTo(sx(tp.x), sy(tp.y)); ctx.stroke(); ctx.setLineDash([]);
          counts.engagementLines++;
        }
      }
    });
  }
  function drawMarkers(counts, now) {
    engagements.forEach(function (g) {
      if (!(now >= g.end)) return;
      const o = truthById.get(g.id);
      const p = o && truthAt(o, Math.min(g.end, o.t[o.t.length - 1]));
      if (!p) return;
      const old = now - g.end > st.depth;
      const X = sx(p.x), Y = sy(p.y);
      if (g.outcome === 'kill') {
        ctx.strokeStyle = old ? 'rgba(120,20,30,0.35)' : '#8b1020'; ctx.lineWidth = 2;
        ctx.beginPath(); ctx.moveTo(X - 5, Y - 5); ctx.lineTo(X + 5, Y + 5); ctx.moveTo(X + 5, Y - 5); ctx.lineTo(X - 5, Y + 5); ctx.stroke();
        counts.markers.kill++;
      } else {
        ctx.strokeStyle = old ? 'rgba(60,60,60,0.3)' : '#555'; ctx.lineWidth = 1.3;
        ctx.beginPath(); ctx.arc(X, Y, 4, 0, 2 * Math.PI); ctx.stroke();
        counts.markers.miss++;
      }
      heads.push({ x: X, y: Y, kind: 'truth', id: g.id });
    });
    leaks.forEach(function (e) {
      if (e.t > now + EPS) return;
      const o = truthById.get(e.entity);
      const p = o && truthAt(o, Math.min(e.t, o.t[o.t.length - 1]));
      if (!p) return;
      const X = sx(p.x), Y = sy(p.y);
      ctx.fillStyle = '#c8102e'; ctx.strokeStyle = '#fff'; ctx.lineWidth = 1.5;
      ctx.beginPath(); ctx.moveTo(X, Y - 9); ctx.lineTo(X + 8, Y + 6); ctx.lineTo(X - 8, Y + 6); ctx.closePath(); ctx.fill(); ctx.stroke();
      ctx.fillStyle = '#fff'; ctx.font = 'bold 10px system-ui, sans-serif'; ctx.fillText('!', X - 1.5, Y + 4);
      heads.push({ x: X, y: Y, kind: 'truth', id: e.entity });
      counts.markers.leak++;
    });
  }
  function drawSelection() {
    if (!st.selected) return;
    const h = heads.find(function (x) { return x.kind === st.selected.kind && x.id === st.selected.id; });
    if (!h) return;
    ctx.strokeStyle = '#111'; ctx.lineWidth = 1.5;
    ctx.beginPath(); ctx.arc(h.x, h.y, 10, 0, 2 * Math.PI); ctx.stroke();
  }
  function newCounts() {
    return {
      time: st.now,
      truth: { total: 0, bySide: {}, byClass: {} },
      tracks: { total: 0, byStatus: {}, byIdentity: {}, confirmed: {}, coasting: {}, tentative: {} },
      interceptors: 0, engagementLines: 0,
      markers: { kill: 0, miss: 0, leak: 0 },
      sites: { radars: 0, launchers: 0, assets: 0 },
      coverage: 0, sectors: 0,
      basemap: { land: 0, borders: 0, graticule: 0 },
      events: 0,
    };
  }
  function draw() {
    const now = st.now;
    const counts = newCounts();
    heads = [];
    ctx.setTransform(DPR, 0, 0, DPR, 0, 0);
    drawBase(counts);
    drawScene(counts);
    drawTruth(counts, now);
    drawTracks(counts, now);
    drawInterceptors(counts, now);
    drawMarkers(counts, now);
    drawSelection();
    drawScale();
    counts.events = listed.filter(function (e) { return e.t <= now + EPS; }).length;
    st.counts = counts;
    document.getElementById('clock').textContent = fmtT(now) + (fmtUtc(now) ? '  ·  ' + fmtUtc(now) : '');
    timeLbl.textContent = fmtT(now) + ' / ' + fmtT(duration);
    if (document.activeElement !== slider) slider.value = String(now);
    playBtn.textContent = st.playing ? '❚❚' : '▶';
    updateEvents();
    drawStrip();
    renderSelection();
    renderLegend(counts);
  }

  // ---------- timeline strip ----------
  const timeline = (summary.timeline || []).slice();
  function drawStrip() {
    const w = strip.width / DPR, h = strip.height / DPR;
    sctx.setTransform(DPR, 0, 0, DPR, 0, 0);
    sctx.clearRect(0, 0, w, h);
    sctx.fillStyle = '#fbfcfd'; sctx.fillRect(0, 0, w, h);
    const L = 150, R = 12, top = 27;
    const rowH = Math.max(5, Math.min(9, (h - top - 4) / Math.max(1, timeline.length)));
    const X = function (t) { return L + (w - L - R) * t / Math.max(duration, 1); };
    sctx.font = '9px system-ui, sans-serif';
    sctx.fillStyle = '#69707d';
    for (let m = 0; m <= duration / 60 + 1e-9; m += duration > 1800 ? 5 : (duration > 600 ? 2 : 1)) {
      const x = X(m * 60);
      sctx.fillRect(x, top - 12, 1, h - top + 12);
      sctx.fillText(m + ' min', x + 2, 23);
    }
    sctx.fillStyle = '#eef0f3';
    for (let m = 0; m <= duration / 60; m += duration > 1800 ? 5 : (duration > 600 ? 2 : 1)) sctx.fillRect(X(m * 60), top, 1, h - top);
    timeline.forEach(function (r, i) {
      const y = top + i * rowH;
      const sp = spawned.get(r.entity);
      const t0 = sp ? sp.t : 0;
      const ident = r.identity ? r.identity[0] : 'p';
      const end = r.outcome_s != null ? r.outcome_s : duration;
      if (st.selected && st.selected.kind === 'truth' && st.selected.id === r.entity) { sctx.fillStyle = '#e3ecf7'; sctx.fillRect(0, y, w, rowH); }
      sctx.fillStyle = '#2a2f38';
      sctx.fillText(r.name.length > 24 ? r.name.slice(0, 23) + '…' : r.name, 4, y + rowH - 2);
      const seg = function (a, b, color, hh) {
        if (a == null || b == null || b < a) return;
        sctx.fillStyle = color; sctx.fillRect(X(a), y + (rowH - hh) / 2, Math.max(1, X(b) - X(a)), hh);
      };
      seg(t0, end, '#d9dde3', 2);
      seg(r.first_detected_s, r.first_confirmed_s != null ? r.first_confirmed_s : end, '#b7c3d3', rowH * 0.45);
      seg(r.first_confirmed_s, r.identified_s != null ? r.identified_s : end, '#8a9bb3', rowH * 0.55);
      seg(r.identified_s, r.first_engaged_s != null ? r.first_engaged_s : end, (IDENT[ident] || IDENT['?']).color + '99', rowH * 0.6);
      seg(r.first_engaged_s, end, (IDENT[ident] || IDENT['?']).color, rowH * 0.7);
      if (r.outcome_s != null) {
        const x = X(r.outcome_s), yc = y + rowH / 2;
        if (r.outcome === 'killed') {
          sctx.strokeStyle = '#8b1020'; sctx.lineWidth = 1.4;
          sctx.beginPath(); sctx.moveTo(x - 3, yc - 3); sctx.lineTo(x + 3, yc + 3); sctx.moveTo(x + 3, yc - 3); sctx.lineTo(x - 3, yc + 3); sctx.stroke();
        } else if (r.outcome === 'leaked') {
          sctx.fillStyle = '#c8102e'; sctx.beginPath(); sctx.moveTo(x, yc - 4); sctx.lineTo(x + 4, yc + 3); sctx.lineTo(x - 4, yc + 3); sctx.fill();
        }
      }
    });
    // legend
    let lx = L;
    [['detected', '#b7c3d3'], ['confirmed', '#8a9bb3'], ['identified', IDENT.h.color + '99'], ['engaged', IDENT.h.color]].forEach(function (p) {
      sctx.fillStyle = p[1]; sctx.fillRect(lx, 4, 14, 6);
      sctx.fillStyle = '#5a6270'; sctx.fillText(p[0], lx + 17, 10);
      lx += 24 + sctx.measureText(p[0]).width;
    });
    sctx.strokeStyle = '#8b1020'; sctx.lineWidth = 1.3;
    sctx.beginPath(); sctx.moveTo(lx, 4); sctx.lineTo(lx + 6, 10); sctx.moveTo(lx + 6, 4); sctx.lineTo(lx, 10); sctx.stroke();
    sctx.fillStyle = '#5a6270'; sctx.fillText('killed', lx + 9, 10);
    const x = X(st.now);
    sctx.fillStyle = '#111'; sctx.fillRect(x - 0.5, 0, 1.5, h);
  }
  strip.addEventListener('click', function (ev) {
    const r = strip.getBoundingClientRect();
    const w = r.width, L = 150, R = 12, top = 27;
    const rowH = Math.max(5, Math.min(9, (r.height - top - 4) / Math.max(1, timeline.length)));
    const px = ev.clientX - r.left, py = ev.clientY - r.top;
    const row = Math.floor((py - top) / rowH);
    if (row >= 0 && row < timeline.length) select({ kind: 'truth', id: timeline[row].entity });
    if (px >= L) setTime((px - L) / (w - L - R) * duration);
  });

  // ---------- selection ----------
  function pick(px, py) {
    let best = null, bd = 12;
    // Tracks win over truth, truth over sites, when they overlap.
    const bias = { track: 0, truth: 3, radar: 5, launcher: 5, asset: 6 };
    heads.forEach(function (h) {
      const d = Math.hypot(h.x - px, h.y - py) + (bias[h.kind] || 0);
      if (d < bd) { bd = d; best = h; }
    });
    select(best ? { kind: best.kind, id: best.id } : null);
  }
  // Drawn at once, not on the next animation frame: the panel answers the click that made it.
  function select(s) { st.selected = s; lastSel = ''; draw(); needDraw = false; }
  let lastSel = '';
  function kv(rows) {
    return el('table', { class: 'kv' }, rows.filter(function (r) { return r[1] !== null && r[1] !== undefined && r[1] !== ''; })
      .map(function (r) { return el('tr', {}, [el('th', { text: r[0] }), el('td', { text: String(r[1]) })]); }));
  }
  function renderSelection() {
    const s = st.selected;
    const key = s ? s.kind + ':' + s.id + ':' + st.now.toFixed(1) : '';
    if (key === lastSel) return;
    lastSel = key;
    selBody.textContent = '';
    if (!s) { selBody.appendChild(el('div', { class: 'muted', text: 'Click a track, object or site on the map.' })); return; }
    const now = st.now;
    if (s.kind === 'track') {
      const o = tracksById.get(s.id);
      const p = o && trackAt(o, now);
      const i = p ? p.i : (o ? lastAt(o.t, now) : -1);
      selBody.appendChild(el('h3', {}, [el('span', { class: 'sw', style: 'background:' + IDENT[i >= 0 ? o.ident[i] : 'p'].color }), 'Track ' + s.id + ' (unit ' + o.unit + ')']));
      if (i < 0) { selBody.appendChild(el('div', { class: 'muted', text: 'not yet initiated' })); return; }
      const thr = o.threats.filter(function (r) { return r[0] <= now + EPS; }).pop();
      const idev = (identified.get(s.id) || []).filter(function (e) { return e.t <= now + EPS; }).pop();
      const speed = Math.hypot(o.ve[i], o.vn[i]);
      const hdg = (Math.atan2(o.ve[i], o.vn[i]) * 180 / Math.PI + 360) % 360;
      selBody.appendChild(kv([
        ['status', STATUS[o.st[i]] + (p ? '' : ' (not held now)')],
        ['identity', IDENT[o.ident[i]].key],
        ['class', thr ? S[thr[2]] : null],
        ['confidence', thr ? thr[3].toFixed(2) : null],
        ['threat rank', thr ? thr[1] + ' (score ' + thr[4] + ')' : null],
        ['asset', thr ? S[thr[5]] : null],
        ['time to go', thr && thr[6] != null ? thr[6] + ' s' : null],
        ['quality σ', o.sg[i] + ' m'],
        ['altitude', Math.round(o.z[i]) + ' m'],
        ['speed / heading', Math.round(speed) + ' m/s · ' + Math.round(hdg) + '°'],
        ['sample', fmtT(o.t[i])],
        ['truth (analysis)', o.truth != null ? nameOf(o.truth) : 'none (false track)'],
      ]));
      if (idev) selBody.appendChild(el('div', { class: 'reason' }, [el('b', { text: 'Identified ' + idev.identity + ' at ' + fmtT(idev.t) + ': ' }), idev.reason || '']));
      if (thr) selBody.appendChild(el('div', { class: 'reason' }, [el('b', { text: 'Threat evaluation at ' + fmtT(thr[0]) + ': ' }), S[thr[7]] || '']));
      const engs = [];
      engagements.forEach(function (g) { if (g.track === s.id && g.launch <= now + EPS) engs.push(g); });
      const fos = fireOrders.filter(function (f) { return f.track === s.id && f.t <= now + EPS; });
      if (fos.length || engs.length) {
        selBody.appendChild(el('div', { class: 'sub', text: 'Engagements' }));
        fos.forEach(function (f) { selBody.appendChild(el('div', { class: 'small', text: fmtT(f.t) + ' fire order ' + f.count + '× ' + f.interceptor_type + ' from L' + f.launcher })); });
        engs.forEach(function (g) {
          selBody.appendChild(el('div', { class: 'small', text: fmtT(g.launch) + ' #' + g.id + ' ' + g.type + ' → ' +
            (now >= g.end ? g.outcome + (g.miss != null ? ' at ' + g.miss.toFixed(0) + ' m' : '') + ' (' + fmtT(g.end) + ')' : 'in flight') }));
        });
      }
    } else if (s.kind === 'truth') {
      const o = truthById.get(s.id);
      const p = truthAt(o, now);
      selBody.appendChild(el('h3', {}, [el('span', { class: 'sw', style: 'background:' + SIDE[sideOf(o)].color }), o.name]));
      const g = engagements.get(s.id);
      const tl = timeline.find(function (r) { return r.entity === s.id; });
      const trks = tracks.filter(function (t) { return t.truth === s.id; }).map(function (t) { return t.id; });
      selBody.appendChild(kv([
        ['truth', 'entity ' + o.id + ' · ' + sideOf(o)],
        ['class', o.cls.replace(/_/g, ' ') + (o.type ? ' (' + o.type + ')' : '')],
        ['position', p ? (p.x / 1000).toFixed(1) + ' km E, ' + (p.y / 1000).toFixed(1) + ' km N, ' + Math.round(p.z) + ' m' : 'not alive now'],
        ['tracks', trks.length ? trks.join(', ') : null],
        ['launched', g ? fmtT(g.launch) + ' at track ' + g.track : null],
        ['outcome', g && now >= g.end ? g.outcome + (g.miss != null ? ', miss ' + g.miss.toFixed(1) + ' m' : '') : null],
        ['detected', tl && tl.first_detected_s != null ? fmtT(tl.first_detected_s) : null],
        ['confirmed', tl && tl.first_confirmed_s != null ? fmtT(tl.first_confirmed_s) : null],
        ['identified', tl && tl.identified_s != null ? fmtT(tl.identified_s) + ' ' + tl.identity : null],
        ['engaged', tl && tl.first_engaged_s != null ? fmtT(tl.first_engaged_s) + ' (' + tl.interceptors + ' fired)' : null],
        ['result', tl ? tl.outcome + (tl.outcome_s != null ? ' ' + fmtT(tl.outcome_s) : '') : null],
      ]));
    } else if (scene) {
      let rows = [];
      if (s.kind === 'radar') {
        const r = scene.radars[s.id];
        rows = [['radar', r.name], ['type', r.type_id], ['sector', r.sector_width_deg >= 359.9 ? 'all round' : r.sector_width_deg.toFixed(0) + '° centred ' + r.sector_centre_deg.toFixed(0) + '°'],
          ['instrumented range', km(r.max_range_m)]];
        const ring = ringFor(s.id);
        if (ring) rows.push(['detection range ' + st.rcs + ' m² at ' + st.alt + ' m', km(Math.max.apply(null, ring.outer_m))]);
      } else if (s.kind === 'launcher') {
        const l = scene.launchers[s.id];
        const ls = (summary.launchers || [])[s.id];
        rows = [['launcher', 'L' + (s.id + 1) + ' · ' + l.type_id], ['loaded', l.missiles.map(function (m) { return m[1] + '× ' + m[0]; }).join(', ')],
          ['fired (run)', ls ? ls.fired : null], ['unit', (scene.units[l.unit] || {}).name]];
      } else if (s.kind === 'asset') {
        const a = scene.assets[s.id];
        rows = [['defended asset', a.name], ['radius', km(a.radius_m)]];
      }
      selBody.appendChild(kv(rows));
    }
  }
  function renderLegend(c) {
    const lg = document.getElementById('legend');
    const parts = IDENT_ORDER.filter(function (k) { return c.tracks.byIdentity[IDENT[k].key]; }).map(function (k) {
      return el('span', { class: 'li' }, [el('span', { class: 'sw', style: 'background:' + IDENT[k].color }), IDENT[k].label + ' ' + c.tracks.byIdentity[IDENT[k].key]]);
    });
    lg.textContent = '';
    lg.appendChild(el('span', { class: 'li muted', text: 'tracks ' + c.tracks.total + ':' }));
    parts.forEach(function (p) { lg.appendChild(p); });
    lg.appendChild(el('span', { class: 'li muted', text: '· truth ' + c.truth.total + ' · interceptors ' + c.interceptors +
      ' · kills ' + c.markers.kill + (c.markers.leak ? ' · leakers ' + c.markers.leak : '') }));
  }

  // ---------- clock ----------
  let needDraw = true;
  function dirty() { needDraw = true; }
  function setTime(t) {
    st.now = Math.min(Math.max(0, +t || 0), Math.max(duration, liveEnd));
    draw();
    needDraw = false;
    return st.now;
  }
  function setPlaying(p) { st.playing = p; if (p && st.now >= duration - EPS && !LIVE) st.now = 0; dirty(); }
  let lastFrame = null;
  let liveEnd = 0;
  function frame(ts) {
    if (st.playing) {
      if (lastFrame !== null) {
        st.now += (ts - lastFrame) / 1000 * st.speed;
        const end = LIVE ? liveEnd : duration;
        if (st.now >= end) { st.now = end; if (!LIVE) st.playing = false; }
        needDraw = true;
      }
      lastFrame = ts;
    } else lastFrame = null;
    if (needDraw) { draw(); needDraw = false; }
    requestAnimationFrame(frame);
  }
  window.addEventListener('resize', resize);

  // ---------- live ----------
  // In live mode the page reloads its data from the server's events as the run advances.
  if (LIVE && typeof EventSource !== 'undefined') {
    const src = new EventSource('live/events');
    src.addEventListener('batch', function (m) {
      let msgs;
      try { msgs = JSON.parse(m.data); } catch (e) { return; }
      msgs.forEach(function (e) {
        if (typeof e.t === 'number') liveEnd = Math.max(liveEnd, e.t);
        if (e.event === 'track_sample') {
          let o = tracksById.get(e.track);
          if (!o) {
            o = { kind: 'track', unit: e.unit, id: e.track, truth: null, t: [], x: [], y: [], z: [], ve: [], vn: [], sg: [], st: '', ident: '', threats: [] };
            tracks.push(o); tracksById.set(e.track, o);
          }
          o.t.push(e.t); o.x.push(e.x); o.y.push(e.y); o.z.push(e.z); o.ve.push(e.ve); o.vn.push(e.vn); o.sg.push(e.sg);
          o.st += e.st; o.ident += e.ident;
          liveSamples++;
        } else if (e.event === 'truth_sample') {
          let o = truthById.get(e.id);
          if (!o) {
            o = { kind: 'truth', id: e.id, name: e.name, cls: e.cls, role: e.role, t: [], x: [], y: [], z: [] };
            truth.push(o); truthById.set(e.id, o);
            if (st.classes[e.cls] === undefined) st.classes[e.cls] = true;
          }
          o.t.push(e.t); o.x.push(e.x); o.y.push(e.y); o.z.push(e.z);
          liveSamples++;
        } else {
          events.push(e);
          liveCount++;
          ingest(e);
          if (LISTED[e.event]) {
            listed.push(e);
            const txt = (EV_TEXT[e.event] || function () { return e.event; })(e);
            const r = el('div', { class: 'ev ev-' + e.event }, [el('span', { class: 't', text: fmtT(e.t) }), el('span', { text: txt })]);
            evRows.push(r); evList.appendChild(r);
          }
        }
      });
      slider.max = String(Math.max(duration, liveEnd));
      if (!st.playing) st.now = liveEnd;
      dirty();
    });
    src.addEventListener('end', function () { liveDone = true; src.close(); dirty(); });
  }
  let liveCount = 0, liveSamples = 0, liveDone = false;

  // ---------- testing API ----------
  window.bulwark = Object.freeze({
    version: 1,
    duration: function () { return duration; },
    time: function () { return st.now; },
    setTime: function (t) { setTime(t); return st.now; },
    counts: function () { return JSON.parse(JSON.stringify(st.counts)); },
    heads: function () { return heads.map(function (h) { return { kind: h.kind, id: h.id, x: h.x, y: h.y }; }); },
    live: function () { return { live: LIVE, events: liveCount, samples: liveSamples, done: liveDone, until: liveEnd }; },
  });

  resize();
  setTime(0);
  requestAnimationFrame(frame);
  document.body.setAttribute('data-ready', '1');
})();
