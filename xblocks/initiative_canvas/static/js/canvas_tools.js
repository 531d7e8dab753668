/* Business-model canvas, the tools few learners use, and only after a click: PNG export, JSON
 * import, taking and restoring snapshots, keeping mine after a version conflict, the example
 * canvas, the staff list. canvas.js loads this file on first use (tools_url in its init args)
 * and calls these functions with `c`, its view of one block: elements, strings, handlers, the
 * notes and version as they are now. Learner text is set with textContent only, or drawn as
 * text on the PNG. */
(function () {
'use strict';
const FILL = {yellow: '#fff3b0', green: '#d9f2d0', blue: '#d7e9fb', pink: '#fbdce6', grey: '#ebebeb'};
const FACE = 'px ' + 'sans-serif';

/* Lines of `text` at most `width` wide on the 2D context `g`; over-long words are cut. */
function wrap(g, text, width) {
  const lines = [];
  const fits = (s) => g.measureText(s).width <= width;
  text.split('\n').forEach((paragraph) => {
    let line = '';
    paragraph.split(/\s+/).forEach((word) => {
      while (word.length > 1 && !fits(word)) {
        let cut = word.length - 1;
        while (cut > 1 && !fits(word.slice(0, cut))) { cut -= 1; }
        if (line) { lines.push(line); }
        lines.push(word.slice(0, cut));
        line = '';
        word = word.slice(cut);
      }
      if (line && !fits(line + ' ' + word)) { lines.push(line); line = word; } else { line = line ? line + ' ' + word : word; }
    });
    lines.push(line);
  });
  return lines;
}

/* The canvas drawn on a <canvas>, in the template's grid, every text with fillText. */
function drawPng(T, notes, labels) {
  const W = 1600;
  const cell = (W - 48) / T.columns;
  const c = document.createElement('canvas');
  const g = c.getContext('2d');
  const font = (size, bold) => { g.font = (bold ? 'bold ' : '') + size + FACE; };
  const boxes = T.sections.map((s) => {
    const inner = s.grid[2] * cell - 40;
    font(18, true);
    const title = wrap(g, s.title, inner);
    font(15);
    const items = notes.filter((n) => n.section === s.id).map((n) => ({n: n, lines: wrap(g, n.text, inner)}));
    return {s: s, title: title, items: items,
      height: 36 + title.length * 24 + items.reduce((sum, item) => sum + item.lines.length * 20 + 40, 0)};
  });
  const row = Math.max(140, ...boxes.map((b) => Math.ceil(b.height / b.s.grid[3])));
  c.width = W;
  c.height = 152 + row * T.rows;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, W, c.height);
  g.textBaseline = 'top';
  g.fillStyle = g.strokeStyle = '#1d1d1d';
  font(26, true);
  g.fillText(T.title, 24, 24, W - 48);
  boxes.forEach((b) => {
    const [col, top, w, h] = b.s.grid;
    const x = 36 + (col - 1) * cell;
    let y = 84 + (top - 1) * row;
    g.strokeRect(x - 12, y - 12, w * cell, h * row);
    font(18, true);
    b.title.forEach((line) => { g.fillText(line, x, y); y += 24; });
    b.items.forEach((item) => {
      const height = item.lines.length * 20 + 32;
      g.fillStyle = FILL[item.n.colour];
      g.fillRect(x, y + 8, w * cell - 24, height);
      g.fillStyle = '#1d1d1d';
      font(13, true);
      g.fillText(labels[item.n.colour], x + 8, y + 14);
      font(15);
      item.lines.forEach((line, i) => g.fillText(line, x + 8, y + 34 + i * 20));
      y += height + 8;
    });
  });
  font(13);
  g.fillText(T.attribution, 24, c.height - 40, W - 48);
  return c;
}

/* Resolves once the server holds every change made in the block. */
function synced(c) {
  const saver = c.saver;
  return Promise.resolve(saver.current)
    .then(() => (saver.pending === undefined ? null : saver.flush()))
    .then(() => {
      if (saver.pending !== undefined) { throw {message: c.t(saver.stopped ? 'conflict' : 'offline')}; }
    });
}

/* Staff: the block's canvases, a page at a time, each opened read-only. Returns the toggle. */
function staffPanel(c, toggle) {
  const panel = c.$('.canvas-staff-panel');
  const viewer = c.$('.canvas-staff-view');
  const more = c.$('.canvas-more', panel);
  let page = 0;
  let opener = null;
  const open = (row, button) => c.call('staff_canvas', {canvas: row.canvas}, 'GET').then((found) => {
    const target = c.$('.canvas-staff-canvas', viewer);
    target.innerHTML = found.html; // rendered and escaped by the server
    c.layout(c.$('.canvas-readonly-sections', target), c.T);
    c.$('h5', viewer).textContent = c.t('canvas_of', {learner: row.learner});
    viewer.hidden = false;
    viewer.focus();
    opener = button;
  }, c.fail);
  const load = () => {
    panel.setAttribute('aria-busy', 'true');
    return c.call('staff_list', {page: ++page}, 'GET').then((result) => {
      c.$('.canvas-no-canvases', panel).hidden = result.total > 0;
      c.$('table', panel).hidden = !result.total;
      more.hidden = !result.has_next;
      result.rows.forEach((row, i) => {
        const tr = c.clone('row');
        const button = c.$('button', tr);
        [row.learner, row.notes, c.t('filled', {count: row.sections_filled, total: result.sections.length}),
          c.date(row.modified)].forEach((value, cell) => { tr.cells[cell].textContent = value; });
        c.$('span', button).textContent = row.learner;
        c.on(button, 'click', () => open(row, button));
        c.$('tbody', panel).appendChild(tr);
        if (page > 1 && !i) { button.focus(); } // "Show more" may have just disappeared
      });
    }, (error) => { page -= 1; c.fail(error); }).then(() => panel.removeAttribute('aria-busy'));
  };
  c.on(more, 'click', load);
  c.on(c.$('.canvas-staff-close', viewer), 'click', () => {
    viewer.hidden = true;
    opener.focus();
  });
  return () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute('aria-expanded', String(!panel.hidden));
    if (!page) { load(); }
  };
}

window.BizMOOCCanvasTools = {
  /* Export as PNG (the JSON and printable page are links the server answers). */
  png(c) {
    BizMOOC.clearError(c.root);
    drawPng(c.T, c.notes, c.labels).toBlob((blob) => {
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = 'canvas.png';
      link.hidden = true;
      c.root.appendChild(link).click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    });
  },

  /* Import: the file's text goes to the server, which checks it and answers the new canvas. */
  importFile(c, importer) {
    BizMOOC.clearError(c.root);
    return importer.files[0].text()
      .then((text) => c.saver.cancel().then(() => c.call('import_json', {text: text, version: c.version})))
      .then((result) => c.replace(result, c.t('import_done')), c.failed)
      .then(() => { importer.value = ''; });
  },

  /* A snapshot of the canvas as the server holds it: unsaved changes are sent first. */
  snapshot(c) {
    BizMOOC.clearError(c.root);
    const input = c.$('.canvas-snapshot-name');
    const name = input.value.trim();
    if (!name || c.$('.canvas-snapshot-list').children.length >= c.args.limits.snapshots) {
      c.fail({message: name ? c.t('too_many_snapshots', {limit: c.args.limits.snapshots}) : c.t('snapshot_name_needed')});
      input.focus();
      return null;
    }
    return synced(c).then(() => c.call('create_snapshot', {name: name})).then((result) => {
      input.value = '';
      c.addSnapshot(result.snapshot);
      c.announce(c.t('snapshot_created', {name: name}));
    }, c.fail);
  },

  restore(c, snapshot, button) {
    BizMOOC.clearError(c.root);
    return c.saver.cancel().then(() => c.call('restore_snapshot', {snapshot: snapshot.id, version: c.version}))
      .then((result) => {
        c.replace(result, c.t('snapshot_restored', {name: snapshot.name}));
        button.focus();
      }, c.failed);
  },

  /* A version conflict, "keep mine": the server's newer canvas becomes a snapshot first. */
  keepMine(c, button) {
    const name = c.t('newer_copy', {date: c.date(Date.now())}).slice(0, 80);
    button.disabled = true;
    return c.saver.cancel().then(() => c.call('create_snapshot', {name: name})).then((result) => {
      c.addSnapshot(result.snapshot);
      c.keepMine();
      button.disabled = false;
      c.announce(c.t('kept_mine', {name: name}));
    }, (error) => {
      button.disabled = false;
      button.focus();
      c.fail(error);
    });
  },

  /* The course team's example canvas (rendered by the server), shown on request. */
  example(c, button) {
    const example = c.$('.canvas-example');
    c.layout(c.$('.canvas-readonly-sections', example), c.T);
    example.hidden = !example.hidden;
    button.setAttribute('aria-expanded', String(!example.hidden));
    button.textContent = c.t(example.hidden ? 'show_example' : 'hide_example');
  },

  staff(c, button) {
    c.staffToggle = c.staffToggle || staffPanel(c, button);
    c.staffToggle();
  }
};
}());
