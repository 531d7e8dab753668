/* Business-model canvas, learner view: notes added, edited, deleted, reordered, moved (drag,
 * buttons, Alt+arrows); autosave with version conflicts; the snapshot list. The rest (PNG,
 * import, taking and restoring snapshots, keeping mine, example canvas, staff list) is in
 * canvas_tools.js.
 * Markup comes from student.html's <template>s; learner text is set with textContent only. */
(function () {
'use strict';
const KEYS = {ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right'};
const date = (iso) => new Date(iso).toLocaleString(document.documentElement.lang || undefined,
  {dateStyle: 'medium', timeStyle: 'short'});

/* The template's grid on an <ol> of its sections; the CSS uses it only when the block is wide. */
function layout(board, T) {
  board.classList.add('canvas-board');
  board.style.gridTemplateColumns = 'repeat(' + T.columns + ', minmax(0, 1fr))';
  Array.from(board.children).forEach((item, i) => {
    const g = T.sections[i].grid;
    item.style.gridColumn = g[0] + ' / span ' + g[2];
    item.style.gridRow = g[1] + ' / span ' + g[3];
  });
}

/* PNG export, JSON import, snapshots taken or restored, "keep mine" after a conflict, the
 * example canvas and the staff list live in canvas_tools.js (few learners use them, always
 * after a click), so the page loads less up front: the file is loaded on first use, once per
 * page however many canvases it holds. A failed load reads as being offline. */
let loading = null;
function tools(url) {
  if (window.BizMOOCCanvasTools) { return Promise.resolve(window.BizMOOCCanvasTools); }
  loading = loading || new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.onload = () => resolve(window.BizMOOCCanvasTools);
    script.onerror = () => {
      loading = null;
      script.remove();
      reject({status: 0, code: 'offline'});
    };
    document.head.appendChild(script);
  });
  return loading;
}

function init(runtime, host, args) {
  const root = host.querySelector('.bizmooc-canvas') || host;
  if (!args || !args.template) { return; } // signed out, author view
  const T = args.template;
  const limits = args.limits;
  const labels = {};
  const titles = {};
  args.colours.forEach((c) => { labels[c.key] = c.label; });
  T.sections.forEach((s) => { titles[s.id] = s.title; });
  const $ = (selector, from) => (from || root).querySelector(selector);
  const on = (target, type, handler) => (typeof target === 'string' ? $(target) : target).addEventListener(type, handler);
  const clone = (name) => $('.canvas-' + name + '-template').content.firstElementChild.cloneNode(true);
  const board = $('.canvas-sections');
  const conflictBox = $('.canvas-conflict');
  let notes = args.notes;
  let version = args.version;
  let conflict = null;
  let dragId = null;
  let closeEditor = () => {};

  const t = (key, params) => BizMOOC.t(args.strings, key, params);
  const call = (handler, data, method) => BizMOOC.call(runtime, host, handler, data, {method: method});
  const announce = (message) => BizMOOC.announce(root, message);
  const fail = (error) => BizMOOC.showError(root, args.strings, error);
  const failed = (error) => (error.status === 409 ? showConflict(error.details) : fail(error));
  const find = (id) => notes.find((n) => n.id === id);
  const inSection = (id) => notes.filter((n) => n.section === id);
  const sectionItem = (id) => $('[data-section="' + id + '"]', board);
  const noteItem = (id) => $('[data-id="' + id + '"]', board);
  const copy = () => notes.map((n) => Object.assign({}, n));
  const show = (message) => { $('.canvas-save-state').textContent = message; };
  const status = (message) => { // saves have a live region of their own: they never cut an action's message short
    const region = $('.canvas-save-live');
    region.textContent = '';
    window.setTimeout(() => { region.textContent = message; }, 50);
  };

  const saver = new BizMOOC.Autosaver({
    key: args.storage_key,
    delay: args.autosave_ms,
    send: (value) => call('save_canvas', {notes: value.notes, version: version}).then((result) => {
      version = result.version;
      return result;
    }),
    onState: (name, detail) => {
      const key = {pending: 'unsaved', saving: 'saving', saved: 'saved', offline: 'offline'}[name];
      show(key ? t(key) : '');
      if (name === 'offline' || (name === 'saved' && saver.pending === undefined)) { status(t(key)); }
      if (name === 'conflict') { showConflict(detail.details); }
      if (name === 'error') { fail(detail); }
    }
  });

  function render() {
    board.querySelectorAll('.canvas-section').forEach((section) => {
      const mine = inSection(section.dataset.section);
      $('.canvas-notes', section).replaceChildren(...mine.map((note, i) => {
        const item = clone('note');
        const text = $('.canvas-note-text', item);
        item.dataset.id = note.id;
        item.classList.add('canvas-colour-' + note.colour);
        $('.canvas-note-label', item).textContent = labels[note.colour];
        text.textContent = note.text;
        text.id = root.id + '-n-' + note.id;
        item.querySelectorAll('button').forEach((b) => b.setAttribute('aria-describedby', text.id));
        $('[data-act=up]', item).hidden = i === 0;
        $('[data-act=down]', item).hidden = i === mine.length - 1;
        return item;
      }));
      $('.canvas-count', section).textContent = t('notes_in', {count: mine.length});
    });
  }

  function commit(message) {
    BizMOOC.clearError(root);
    saver.change({notes: copy(), version: version});
    render();
    announce(message);
  }

  /* A whole canvas from the server: the newer one, a restored snapshot, an import. */
  function replace(result, message) {
    saver.cancel();
    saver.forget();
    notes = result.notes;
    version = result.version;
    conflictBox.hidden = true;
    closeEditor();
    render();
    announce(message);
    show(message);
  }

  /* Put `note` at `index` of `section` (past the end: last); returns the announcement. */
  function place(note, section, index) {
    notes.splice(notes.indexOf(note), 1);
    note.section = section;
    const peers = inSection(section);
    const anchor = peers[index] || peers[peers.length - 1];
    notes.splice(anchor ? notes.indexOf(anchor) + (peers[index] ? 0 : 1) : notes.length, 0, note);
    return t('moved_to', {section: titles[section], position: inSection(section).indexOf(note) + 1});
  }

  function focusNote(id, action) {
    const item = noteItem(id);
    const wanted = item && $('[data-act=' + action + ']', item);
    if (item) { (wanted && !wanted.hidden ? wanted : $('[data-act=edit]', item)).focus(); }
  }

  /* The note editor: a new note (no `note`) or an existing one, with its section menu. */
  function openEditor(sectionId, note) {
    closeEditor();
    BizMOOC.clearError(root);
    if (!note && notes.length >= limits.notes) {
      fail({message: t('too_many', {limit: limits.notes})});
      return;
    }
    const section = sectionItem(sectionId);
    const add = $('.canvas-add', section);
    const form = clone('editor');
    const text = $('textarea', form);
    const problem = $('.bizmooc-field-error', form);
    const move = $('select', form);
    const count = () => {
      $('.bizmooc-help', form).textContent = t('chars', {count: text.value.length, limit: limits.chars});
    };
    text.maxLength = limits.chars;
    text.value = note ? note.text : '';
    on(text, 'input', count);
    count();
    if (note) {
      $('[value=' + note.colour + ']', form).checked = true;
      move.value = sectionId;
      noteItem(note.id).draggable = false;
      noteItem(note.id).replaceChildren(form);
    } else {
      $('.canvas-move', form).remove();
      add.hidden = true;
      section.insertBefore(form, add);
    }
    closeEditor = (focusId) => {
      closeEditor = () => {};
      form.remove();
      add.hidden = false;
      render();
      if (focusId) { focusNote(focusId, 'edit'); } else { add.focus(); }
    };
    const cancel = () => closeEditor(note && note.id);
    on($('.canvas-cancel', form), 'click', cancel);
    on(form, 'keydown', (event) => {
      if (event.key === 'Escape') { event.preventDefault(); cancel(); }
    });
    on(form, 'submit', (event) => {
      event.preventDefault();
      const value = text.value;
      const colour = $(':checked', form).value;
      if (!value.trim()) {
        problem.textContent = t('empty_note');
        problem.hidden = false;
        text.focus();
      } else if (note) {
        note.text = value;
        note.colour = colour;
        commit(move.value === note.section ? t('note_changed') : place(note, move.value, Infinity));
        closeEditor(note.id);
      } else {
        notes.push({id: 'n' + Date.now().toString(36) + Math.random().toString(36).slice(2, 7),
          section: sectionId, text: value, colour: colour});
        place(notes[notes.length - 1], sectionId, Infinity);
        commit(t('added', {section: titles[sectionId]}));
        closeEditor();
      }
    });
    text.focus();
  }

  /* A note's buttons, and Alt+arrow keys on them. */
  function act(note, action) {
    const mine = inSection(note.section);
    const at = mine.indexOf(note);
    const order = T.sections.map((s) => s.id);
    const step = {up: -1, down: 1, left: -1, right: 1}[action];
    const within = action === 'up' || action === 'down';
    const target = within ? mine[at + step] : order[order.indexOf(note.section) + step];
    if (action === 'edit') {
      openEditor(note.section, note);
    } else if (action === 'delete') {
      notes.splice(notes.indexOf(note), 1);
      const next = mine[at + 1] || mine[at - 1];
      commit(t('deleted', {section: titles[note.section]}));
      if (next) { focusNote(next.id, 'edit'); } else { $('.canvas-add', sectionItem(note.section)).focus(); }
    } else if (target) {
      commit(within ? place(note, note.section, at + step) : place(note, target, Infinity));
      focusNote(note.id, action);
    }
  }

  on(board, 'click', (event) => {
    const tool = event.target.closest('.canvas-tool');
    const add = event.target.closest('.canvas-add');
    if (tool) { act(find(tool.closest('[data-id]').dataset.id), tool.dataset.act); }
    if (add) { openEditor(add.closest('[data-section]').dataset.section); }
  });
  on(board, 'keydown', (event) => {
    const item = event.target.closest('.canvas-tool') && event.target.closest('[data-id]');
    if (item && event.altKey && KEYS[event.key]) {
      event.preventDefault();
      act(find(item.dataset.id), KEYS[event.key]);
    }
  });

  /* Drag and drop: the drop position is where the pointer is among the section's notes. */
  const unmark = (name) => board.querySelectorAll('.' + name).forEach((n) => n.classList.remove(name));
  on(board, 'dragstart', (event) => {
    const item = event.target.closest && event.target.closest('[draggable=true]');
    if (item) {
      dragId = item.dataset.id;
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', find(dragId).text);
      item.classList.add('canvas-dragging');
    }
  });
  on(board, 'dragover', (event) => {
    const section = dragId && event.target.closest('.canvas-section');
    if (section) {
      event.preventDefault();
      if (!section.classList.contains('canvas-drop')) { unmark('canvas-drop'); section.classList.add('canvas-drop'); }
    }
  });
  on(board, 'dragend', () => { dragId = null; unmark('canvas-drop'); unmark('canvas-dragging'); });
  on(board, 'drop', (event) => {
    const section = dragId && event.target.closest('.canvas-section');
    const note = section && find(dragId);
    if (note) {
      event.preventDefault();
      commit(place(note, section.dataset.section, Array.from(section.querySelectorAll('.canvas-note')).filter((item) => {
        const box = item.getBoundingClientRect();
        return item.dataset.id !== note.id && box.top + box.height / 2 < event.clientY;
      }).length));
    }
  });

  /* Conflicts: another tab or device saved first. */
  function showConflict(detail) {
    conflict = detail;
    $('.canvas-conflict-message').textContent = t('conflict');
    conflictBox.hidden = false;
  }

  on('.canvas-load-newer', 'click', () => replace(conflict, t('loaded_newer')));

  /* Snapshots: listed here; taken and restored by canvas_tools.js. */
  const snapshots = $('.canvas-snapshot-list');

  function addSnapshot(snapshot, atEnd) {
    const item = clone('snapshot');
    const url = args.snapshot_url;
    item.querySelectorAll('.canvas-snapshot-name').forEach((n) => { n.textContent = snapshot.name; });
    $('time', item).textContent = date(snapshot.created);
    $('time', item).dateTime = snapshot.created;
    $('a', item).href = url + (url.includes('?') ? '&' : '?') + 'snapshot=' + encodeURIComponent(snapshot.id);
    on($('button', item), 'click', (event) => use('restore', snapshot, event.currentTarget));
    snapshots.insertBefore(item, atEnd ? null : snapshots.firstChild);
    $('.canvas-no-snapshots').hidden = true;
  }

  /* What canvas_tools.js works with: this block's pieces, and its notes and version as they are now. */
  const c = {root, T, args, labels, $, on, t, call, fail, failed, announce, replace, saver, clone, date, layout,
    addSnapshot, get notes() { return notes; }, get version() { return version; },
    keepMine() { // the newer canvas is a snapshot now: mine is saved over it
      version = conflict.version;
      saver.change({notes: copy(), version: version});
      conflictBox.hidden = true;
    }};
  const use = (name, ...rest) => tools(args.tools_url).then((found) => found[name](c, ...rest), fail);
  const importer = $('.canvas-import');
  on('.canvas-snapshot-form', 'submit', (event) => { event.preventDefault(); use('snapshot'); });
  on(importer, 'change', () => use('importFile', importer));
  // Buttons that name their tool: PNG, keep mine, the example canvas and the staff list toggles.
  root.querySelectorAll('[data-tool]').forEach((button) => on(button, 'click', () => use(button.dataset.tool, button)));

  layout(board, T);
  args.snapshots.forEach((s) => addSnapshot(s, true));
  if (args.continued) {
    const continued = $('.canvas-continued');
    continued.textContent = t('continued');
    continued.hidden = false;
  }
  // A copy on this device the server never confirmed (a reload, a lost connection): from the
  // same version it is simply newer; from an older one the canvas changed elsewhere since.
  const local = saver.localCopy();
  if (local && JSON.stringify(local.notes) !== JSON.stringify(notes)) {
    const server = {version: version, notes: notes};
    notes = local.notes;
    if (local.version === version) {
      saver.change(local);
      show(t('restored_local'));
      announce(t('restored_local'));
    } else {
      showConflict(server);
    }
  } else if (local) {
    saver.forget();
  } else if (args.continued && notes.length) {
    saver.change({notes: copy(), version: 0}); // the earlier canvas, copied: this block's own from now on
  }
  render();
}

window.BizMOOCCanvas = BizMOOC.initializer(init);
}());
