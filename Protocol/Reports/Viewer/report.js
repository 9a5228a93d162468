// SyncModel report viewer (ReportHtml): steps through the trace and shows the state as of the current step.
// Reads the report from #report-data (the report's JSON); writes only text, never markup from the report.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var doc = document.documentElement;
  doc.classList.add('js');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#trace tbody tr.step'));
  var runs = Array.prototype.slice.call(document.querySelectorAll('#trace tbody tr.run'));
  var state = document.getElementById('state');
  var controls = document.getElementById('controls');
  var currentStep = document.getElementById('current-step');
  var currentEvent = document.getElementById('current-event');
  var sliceButton = controls.querySelector('[data-action=slice]');
  var expanded = {};
  var sliceOnly = false;
  var cur = -1;
  var violation = rows.findIndex(function (r) { return r.classList.contains('violation'); });
  if (violation < 0) violation = rows.length - 1;
  controls.hidden = false;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  // ---- which rows show ------------------------------------------------------------------------------
  function shown(r) {
    return !sliceOnly || r.classList.contains('in-slice') || expanded[r.dataset.run] === true;
  }
  function layout() {
    rows.forEach(function (r) { r.hidden = !shown(r); });
    runs.forEach(function (r) {
      r.hidden = !sliceOnly;
      r.querySelector('button').setAttribute('aria-expanded', expanded[r.dataset.run] === true ? 'true' : 'false');
    });
    sliceButton.setAttribute('aria-pressed', sliceOnly ? 'true' : 'false');
    doc.classList.toggle('slice-only', sliceOnly);
  }
  function reveal(i) {
    var run = rows[i].dataset.run;
    if (sliceOnly && !shown(rows[i]) && run !== undefined) { expanded[run] = true; layout(); }
  }

  // ---- the state as of a row: every change of the rows up to it ---------------------------------------
  function cellsUpTo(i) {
    var cells = new Map();
    for (var k = 0; k <= i && k < data.steps.length; k++) {
      data.steps[k].changes.forEach(function (c) { cells.set(c.cell, c.value); });
    }
    return cells;
  }
  function laneOrder(id) {
    var m = /^(main|send|guest|dest|recv)(\d*)$/.exec(id);
    if (!m) return 1e9;
    return { main: 0, send: 1000, guest: 2000, dest: 3000, recv: 4000 }[m[1]] + (m[2] ? Number(m[2]) : 0);
  }
  var labels = {};
  (data.actors || []).forEach(function (a) { labels[a.id] = a.label; });
  var pageColumns = ['memory', 'bit', 'file', 'dest RAM'];
  var fieldOrder = ['thread', 'sem', 'sem_sync', 'pending_job', 'pending_sync'];
  // A cell's group (a thread's lane, "pages" or "other") and its name inside the group.
  function place(cell) {
    var page = /^(b(\d+):p(\d+)) (.+)$/.exec(cell);
    if (page) return { group: 'pages', page: page[1], block: Number(page[2]), n: Number(page[3]), field: page[4] };
    var dot = /^(main|send\d+|guest|dest|recv\d+)\.(.+)$/.exec(cell);
    if (dot) return { group: dot[1], field: dot[2] };
    if (/\(source\)|^channels_ready$|^migration bitmap$|^file bitmap$/.test(cell)) return { group: 'main', field: cell };
    if (/\(destination\)|^recv sem_sync$|^destination$/.test(cell)) return { group: 'dest', field: cell };
    return { group: 'other', field: cell };
  }
  function rank(list, x) { var i = list.indexOf(x); return i < 0 ? list.length : i; }
  function valueCell(td, cell, before, after, changed) {
    td.dataset.cell = cell;
    td.dataset.value = after;
    if (changed) {
      td.classList.add('changed');
      td.appendChild(el('del', before === undefined ? '–' : before));
      td.appendChild(document.createTextNode(' → '));
      td.appendChild(el('ins', after));
      td.title = 'changed by this step';
    } else {
      td.textContent = after;
    }
  }
  function renderState(i) {
    var after = cellsUpTo(i);
    var before = cellsUpTo(i - 1);
    var changed = new Set(data.steps[i] ? data.steps[i].changes.map(function (c) { return c.cell; }) : []);
    var groups = new Map();
    after.forEach(function (value, cell) {
      var p = place(cell);
      p.cell = cell;
      if (!groups.has(p.group)) groups.set(p.group, []);
      groups.get(p.group).push(p);
    });
    var heading = state.querySelector('h2');
    while (heading.nextSibling) state.removeChild(heading.nextSibling);
    var step = data.steps[i];
    heading.textContent = step ? 'State after step ' + step.index : 'State';
    state.appendChild(el('p', step ? changed.size + ' cell(s) changed by this step, highlighted' : 'No step yet.', 'summary-line'));
    var order = Array.from(groups.keys()).sort(function (a, b) {
      var ra = a === 'pages' ? 5e9 : a === 'other' ? 6e9 : laneOrder(a);
      var rb = b === 'pages' ? 5e9 : b === 'other' ? 6e9 : laneOrder(b);
      return ra - rb;
    });
    order.forEach(function (g) {
      var section = el('section');
      section.dataset.group = g;
      section.appendChild(el('h3', g === 'pages' ? 'pages (version in guest memory, file-bitmap bit, file slot, destination RAM)'
        : g === 'other' ? 'other' : g + (labels[g] ? ' · ' + labels[g] : '')));
      var table = el('table');
      var body = el('tbody');
      if (g === 'pages') renderPages(table, body, groups.get(g), before, after, changed);
      else {
        groups.get(g).sort(function (x, y) {
          return rank(fieldOrder, x.field) - rank(fieldOrder, y.field) || (x.field < y.field ? -1 : x.field > y.field ? 1 : 0);
        }).forEach(function (p) {
          var tr = el('tr');
          tr.appendChild(el('th', p.field)).scope = 'row';
          var td = el('td');
          valueCell(td, p.cell, before.get(p.cell), after.get(p.cell), changed.has(p.cell));
          tr.appendChild(td);
          body.appendChild(tr);
        });
      }
      table.appendChild(body);
      section.appendChild(table);
      state.appendChild(section);
    });
  }
  function renderPages(table, body, cells, before, after, changed) {
    var columns = [];
    var pages = new Map();
    cells.forEach(function (p) {
      if (columns.indexOf(p.field) < 0) columns.push(p.field);
      if (!pages.has(p.page)) pages.set(p.page, { block: p.block, n: p.n, cells: {} });
      pages.get(p.page).cells[p.field] = p.cell;
    });
    columns.sort(function (a, b) { return rank(pageColumns, a) - rank(pageColumns, b) || (a < b ? -1 : 1); });
    table.className = 'pages';
    var head = el('thead');
    var hr = el('tr');
    hr.appendChild(el('th', 'page')).scope = 'col';
    columns.forEach(function (c) { hr.appendChild(el('th', c)).scope = 'col'; });
    head.appendChild(hr);
    table.appendChild(head);
    Array.from(pages.keys()).sort(function (a, b) {
      var x = pages.get(a), y = pages.get(b);
      return x.block - y.block || x.n - y.n;
    }).forEach(function (name) {
      var tr = el('tr');
      tr.appendChild(el('th', name)).scope = 'row';
      columns.forEach(function (c) {
        var cell = pages.get(name).cells[c];
        var td = el('td');
        if (cell === undefined) { td.textContent = '·'; td.className = 'none'; }
        else valueCell(td, cell, before.get(cell), after.get(cell), changed.has(cell));
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  // ---- moving --------------------------------------------------------------------------------------
  function go(i, scroll) {
    if (rows.length === 0) return;
    i = Math.max(0, Math.min(rows.length - 1, i));
    reveal(i);
    if (cur >= 0) { rows[cur].classList.remove('current'); rows[cur].removeAttribute('aria-current'); }
    cur = i;
    var r = rows[i];
    r.classList.add('current');
    r.setAttribute('aria-current', 'step');
    currentStep.textContent = r.dataset.step;
    currentStep.dataset.step = r.dataset.step;
    currentStep.dataset.row = String(i);
    var s = data.steps[i];
    currentEvent.textContent = s ? s.actor + ' ' + s.text + (i === violation && r.classList.contains('violation') ? ' — the violation' : '') : '';
    renderState(i);
    if (scroll !== false) {
      r.scrollIntoView({ block: 'nearest' });
      if (i === rows.length - 1 && document.getElementById('end-of-run')) document.getElementById('end-of-run').scrollIntoView({ block: 'nearest' });
    }
    try { history.replaceState(null, '', '#step-' + r.dataset.step); } catch (e) { /* some file: views refuse; stepping still works */ }
  }
  function move(d) {
    for (var j = cur + d; j >= 0 && j < rows.length; j += d) {
      if (!rows[j].hidden) { go(j); return; }
    }
  }
  function edge(d) {
    var j = d < 0 ? 0 : rows.length - 1;
    while (j >= 0 && j < rows.length && rows[j].hidden) j -= d;
    if (j >= 0 && j < rows.length) go(j);
  }
  function toggleSlice() {
    sliceOnly = !sliceOnly;
    layout();
    if (cur >= 0 && rows[cur].hidden) {
      var j = cur;
      while (j > 0 && rows[j].hidden) j--;
      if (rows[j].hidden) j = rows.findIndex(function (r) { return !r.hidden; });
      if (j >= 0) go(j);
    }
  }
  function fromHash() {
    var m = /^#step-(\d+)$/.exec(location.hash);
    if (!m) return false;
    var last = -1;
    rows.forEach(function (r, k) { if (r.dataset.step === m[1]) last = k; });
    if (last < 0) return false;
    go(last);
    return true;
  }
  var actions = {
    first: function () { edge(-1); },
    previous: function () { move(-1); },
    next: function () { move(1); },
    last: function () { edge(1); },
    violation: function () { go(violation); },
    slice: toggleSlice,
  };
  var keys = { ArrowRight: 'next', j: 'next', ArrowLeft: 'previous', k: 'previous', Home: 'first', End: 'last', v: 'violation', s: 'slice' };

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var action = keys[e.key];
    if (!action) return;
    e.preventDefault();
    actions[action]();
  });
  controls.addEventListener('click', function (e) {
    var b = e.target.closest('button[data-action]');
    if (b) actions[b.dataset.action]();
  });
  document.querySelector('#trace tbody').addEventListener('click', function (e) {
    var run = e.target.closest('tr.run');
    if (run) {
      expanded[run.dataset.run] = !expanded[run.dataset.run];
      layout();
      return;
    }
    var r = e.target.closest('tr.step');
    if (r) go(Number(r.dataset.row), false);
  });
  window.addEventListener('hashchange', fromHash);

  layout();
  if (!fromHash()) go(0, false);
})();
