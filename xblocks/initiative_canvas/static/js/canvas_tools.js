/* Business-model canvas, the tools few learners use, and only after a click: PNG export, JSON
 * import, taking and restoring snapshots, keeping mine after a version conflict, the example
 * canvas, the staff list. canvas.js loads this file on first use (tools_url in its init args).
 *
 * Each tool takes what it works with and nothing more: the block's root element, the template,
 * the strings, and for the tools that change the learner's canvas, the `session` of canvas.js
 * (see `session` there: send, saver, version, replace, refused, addSnapshot, keepMine).
 * Learner text is set with textContent only, or drawn as text on the PNG. */
(function () {
  'use strict';

  var FILL = {yellow: '#fff3b0', green: '#d9f2d0', blue: '#d7e9fb', pink: '#fbdce6', grey: '#ebebeb'};
  var FACE = 'px sans-serif';
  var WIDTH = 1600;

  function text(strings, key, params) { return BizMOOC.t(strings, key, params); }

  /* Lines of `words` at most `width` wide on the 2D context `context`; over-long words are cut. */
  function wrap(context, words, width) {
    var lines = [];
    function fits(part) { return context.measureText(part).width <= width; }
    words.split('\n').forEach(function (paragraph) {
      var line = '';
      paragraph.split(/\s+/).forEach(function (word) {
        while (word.length > 1 && !fits(word)) {
          var cut = word.length - 1;
          while (cut > 1 && !fits(word.slice(0, cut))) { cut -= 1; }
          if (line) { lines.push(line); }
          lines.push(word.slice(0, cut));
          line = '';
          word = word.slice(cut);
        }
        if (line && !fits(line + ' ' + word)) {
          lines.push(line);
          line = word;
        } else {
          line = line ? line + ' ' + word : word;
        }
      });
      lines.push(line);
    });
    return lines;
  }

  /* The canvas drawn on a <canvas>, in the template's grid, every text with fillText. */
  function drawPng(template, notes, labels) {
    var cell = (WIDTH - 48) / template.columns;
    var picture = document.createElement('canvas');
    var context = picture.getContext('2d');
    function font(size, bold) { context.font = (bold ? 'bold ' : '') + size + FACE; }
    var boxes = template.sections.map(function (section) {
      var inner = section.grid[2] * cell - 40;
      font(18, true);
      var title = wrap(context, section.title, inner);
      font(15);
      var items = notes.filter(function (note) { return note.section === section.id; }).map(function (note) {
        return {note: note, lines: wrap(context, note.text, inner)};
      });
      var height = 36 + title.length * 24 + items.reduce(function (sum, item) {
        return sum + item.lines.length * 20 + 40;
      }, 0);
      return {section: section, title: title, items: items, height: height};
    });
    var row = Math.max.apply(null, [140].concat(boxes.map(function (box) {
      return Math.ceil(box.height / box.section.grid[3]);
    })));
    picture.width = WIDTH;
    picture.height = 152 + row * template.rows;
    context.fillStyle = '#fff';
    context.fillRect(0, 0, WIDTH, picture.height);
    context.textBaseline = 'top';
    context.fillStyle = context.strokeStyle = '#1d1d1d';
    font(26, true);
    context.fillText(template.title, 24, 24, WIDTH - 48);
    boxes.forEach(function (box) {
      var grid = box.section.grid;
      var x = 36 + (grid[0] - 1) * cell;
      var y = 84 + (grid[1] - 1) * row;
      context.strokeRect(x - 12, y - 12, grid[2] * cell, grid[3] * row);
      font(18, true);
      box.title.forEach(function (line) {
        context.fillText(line, x, y);
        y += 24;
      });
      box.items.forEach(function (item) {
        var height = item.lines.length * 20 + 32;
        context.fillStyle = FILL[item.note.colour];
        context.fillRect(x, y + 8, grid[2] * cell - 24, height);
        context.fillStyle = '#1d1d1d';
        font(13, true);
        context.fillText(labels[item.note.colour], x + 8, y + 14);
        font(15);
        item.lines.forEach(function (line, i) { context.fillText(line, x + 8, y + 34 + i * 20); });
        y += height + 8;
      });
    });
    font(13);
    context.fillText(template.attribution, 24, picture.height - 40, WIDTH - 48);
    return picture;
  }

  /* Export as PNG (the JSON and printable page are links the server answers). */
  function png(root, template, notes, labels) {
    BizMOOC.clearError(root);
    drawPng(template, notes, labels).toBlob(function (blob) {
      var link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = 'canvas.png';
      link.hidden = true;
      root.appendChild(link).click();
      link.remove();
      window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    });
  }

  /* Resolves once the server holds every change made in the block. */
  function synced(saver, strings) {
    return Promise.resolve(saver.current)
      .then(function () { return saver.pending === undefined ? null : saver.flush(); })
      .then(function () {
        if (saver.pending !== undefined) { throw {message: text(strings, saver.stopped ? 'conflict' : 'offline')}; }
      });
  }

  /* Import: the file's text goes to the server, which checks it and answers the new canvas. A
   * file from another template is a confirm step: its template named, the sections left out
   * listed, and the notes that fit imported only when the learner says so. */
  function importFile(root, strings, session, importer) {
    var box = root.querySelector('.canvas-import-confirm');
    function send(json, fittingOnly) {
      box.hidden = true;
      return session.saver.cancel().then(function () {
        return session.send('import_json', {text: json, version: session.version(), fitting_only: fittingOnly});
      }).then(function (result) { session.replace(result, text(strings, 'import_done')); }, function (error) {
        return error.code === 'other_template' ? confirm(json, error) : session.refused(error);
      });
    }
    function confirm(json, error) {
      var list = box.querySelector('.canvas-import-left');
      box.querySelector('.canvas-import-from').textContent = error.message + ' ' +
        text(strings, 'import_fitting', {count: error.details.fitting});
      list.textContent = '';
      error.details.left_out.forEach(function (title) {
        list.appendChild(document.createElement('li')).textContent = title;
      });
      box.querySelector('[data-import=fitting]').disabled = !error.details.fitting;
      box.querySelector('[data-import=fitting]').onclick = function () { send(json, true); };
      box.querySelector('[data-import=cancel]').onclick = function () {
        box.hidden = true;
        importer.focus();
      };
      box.hidden = false;
      box.focus();
    }
    BizMOOC.clearError(root);
    return importer.files[0].text().then(function (json) { return send(json, false); })
      .then(function () { importer.value = ''; });
  }

  /* A snapshot of the canvas as the server holds it: unsaved changes are sent first. */
  function snapshot(root, strings, limit, session) {
    BizMOOC.clearError(root);
    var input = root.querySelector('.canvas-snapshot-name');
    var name = input.value.trim();
    if (!name || root.querySelector('.canvas-snapshot-list').children.length >= limit) {
      BizMOOC.showError(root, strings, {
        message: name ? text(strings, 'too_many_snapshots', {limit: limit}) : text(strings, 'snapshot_name_needed')});
      input.focus();
      return null;
    }
    return synced(session.saver, strings).then(function () {
      return session.send('create_snapshot', {name: name});
    }).then(function (result) {
      input.value = '';
      session.addSnapshot(result.snapshot);
      BizMOOC.announce(root, text(strings, 'snapshot_created', {name: name}));
    }, function (error) { BizMOOC.showError(root, strings, error); });
  }

  function restore(root, strings, session, chosen, button) {
    BizMOOC.clearError(root);
    return session.saver.cancel().then(function () {
      return session.send('restore_snapshot', {snapshot: chosen.id, version: session.version()});
    }).then(function (result) {
      session.replace(result, text(strings, 'snapshot_restored', {name: chosen.name}));
      button.focus();
    }, session.refused);
  }

  /* A version conflict, "keep mine": the server's newer canvas becomes a snapshot first. */
  function keepMine(root, strings, session, button) {
    var name = text(strings, 'newer_copy', {date: window.BizMOOCCanvasBoard.formatDate(Date.now())}).slice(0, 80);
    button.disabled = true;
    return session.saver.cancel().then(function () {
      return session.send('create_snapshot', {name: name});
    }).then(function (result) {
      session.addSnapshot(result.snapshot);
      session.keepMine();
      button.disabled = false;
      BizMOOC.announce(root, text(strings, 'kept_mine', {name: name}));
    }, function (error) {
      button.disabled = false;
      button.focus();
      BizMOOC.showError(root, strings, error);
    });
  }

  /* The course team's example canvas (rendered by the server), shown on request. */
  function toggleExample(root, strings, button) {
    var example = root.querySelector('.canvas-example');
    example.hidden = !example.hidden;
    button.setAttribute('aria-expanded', String(!example.hidden));
    button.textContent = text(strings, example.hidden ? 'show_example' : 'hide_example');
  }

  /* Staff: the block's canvases, a page at a time, each opened read-only. Returns the toggle.
   * `send(handler, data, method)` is the block's handler call. */
  function staffPanel(root, strings, send, toggle) {
    var panel = root.querySelector('.canvas-staff-panel');
    var viewer = root.querySelector('.canvas-staff-view');
    var more = panel.querySelector('.canvas-more');
    var page = 0;
    var opener = null;
    function fail(error) { BizMOOC.showError(root, strings, error); }
    function open(row, button) {
      return send('staff_canvas', {canvas: row.canvas}, 'GET').then(function (found) {
        var target = viewer.querySelector('.canvas-staff-canvas');
        target.innerHTML = found.html; // rendered and escaped by the server
        viewer.querySelector('h5').textContent = text(strings, 'canvas_of', {learner: row.learner});
        viewer.hidden = false;
        viewer.focus();
        opener = button;
      }, fail);
    }
    function addRow(row, first, total) {
      var line = root.querySelector('.canvas-row-template').content.firstElementChild.cloneNode(true);
      var button = line.querySelector('button');
      [row.learner, row.notes, text(strings, 'filled', {count: row.sections_filled, total: total}),
        window.BizMOOCCanvasBoard.formatDate(row.modified)].forEach(function (value, cell) {
        line.cells[cell].textContent = value;
      });
      button.querySelector('span').textContent = row.learner;
      button.addEventListener('click', function () { open(row, button); });
      panel.querySelector('tbody').appendChild(line);
      if (page > 1 && first) { button.focus(); } // "Show more" may have just disappeared
    }
    function load() {
      panel.setAttribute('aria-busy', 'true');
      page += 1;
      return send('staff_list', {page: page}, 'GET').then(function (result) {
        panel.querySelector('.canvas-no-canvases').hidden = result.total > 0;
        panel.querySelector('table').hidden = !result.total;
        more.hidden = !result.has_next;
        result.rows.forEach(function (row, i) { addRow(row, i === 0, result.sections.length); });
      }, function (error) {
        page -= 1;
        fail(error);
      }).then(function () { panel.removeAttribute('aria-busy'); });
    }
    more.addEventListener('click', load);
    viewer.querySelector('.canvas-staff-close').addEventListener('click', function () {
      viewer.hidden = true;
      opener.focus();
    });
    return function () {
      panel.hidden = !panel.hidden;
      toggle.setAttribute('aria-expanded', String(!panel.hidden));
      if (!page) { load(); }
    };
  }

  window.BizMOOCCanvasTools = {
    png: png,
    importFile: importFile,
    snapshot: snapshot,
    restore: restore,
    keepMine: keepMine,
    toggleExample: toggleExample,
    staffPanel: staffPanel
  };
}());
