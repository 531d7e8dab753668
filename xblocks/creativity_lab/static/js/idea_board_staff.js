/* Idea board, staff tools (loaded on staff pages only, after idea_board.js, which calls
 * BizMOOCIdeaBoardStaff with its shared helpers): the room shown, the phase switch,
 * moderation of ideas and comments, the review queue, room statistics, CSV links. */
(function () {
'use strict';
const PAIR = {hide: 'restore', restore: 'hide', pin: 'unpin', unpin: 'pin'};

window.BizMOOCIdeaBoardStaff = function (ib, runtime, host) {
  const {$, $$, t, call, say, fail, item, kind, put, args} = ib;
  const cell = (row, tag, text) => { row.appendChild(document.createElement(tag)).textContent = String(text); };
  const rooms = $('.ib-room-select');
  const csv = runtime.handlerUrl(host, 'export_csv');
  const pages = {queue: 0, stats: 0};

  $$('[data-what]').forEach((a) => { a.href = csv + (csv.includes('?') ? '&' : '?') + 'what=' + a.dataset.what; });
  (args.rooms || []).filter((r) => r.number !== null).forEach((r) => {
    const option = rooms.appendChild(document.createElement('option'));
    option.value = r.number;
    option.textContent = t('room_option', {label: r.label || t('room_n', {n: r.number}), count: r.participants,
      ideas: r.ideas});
  });
  $('.ib-rooms').hidden = rooms.options.length < 2;
  rooms.addEventListener('change', () => {
    ib.room = rooms.value ? Number(rooms.value) : null;
    ib.q.page = 1;
    ib.load();
  });

  /* Hide, restore, pin, unpin, delete an idea or a comment; focus stays on the item. */
  function moderate(button, li, action) {
    const target = item(button);
    if (action === 'delete' && !window.confirm(t('confirm_delete'))) { return; }
    BizMOOC.clearError(ib.root);
    call('moderate', {target: kind(target), id: target.dataset.id, action: action}).then((result) => {
      if (result.deleted) {
        const next = target.nextElementSibling || target.previousElementSibling;
        const parent = target.parentNode.closest('.ib-idea');
        target.remove();
        (next || (parent && $('[data-act=comments]', parent)) || ib.heading).focus();
        say(t('deleted'));
        return parent ? null : ib.load();
      }
      if (result.comment) { ib.fillComment(target, result.comment); } else { ib.fillIdea(target, result.idea); }
      $(':scope > .ib-actions > [data-act=' + PAIR[action] + ']', target).focus();
      say(t('moderated', {action: button.textContent.trim()}));
      return null;
    }, fail);
  }

  const panels = {
    queue: (page) => call('review_queue', {page: page}, true).then((result) => {
      const ul = $('.ib-queue-list');
      if (page === 1) { ul.textContent = ''; }
      result.items.forEach((found) => {
        const li = ib.clone('queue');
        li.dataset.id = found.id;
        li.dataset.target = found.target;
        put($('.ib-title', li), found.title);
        $('.ib-text', li).textContent = found.text;
        $('.ib-meta', li).textContent = [t('flags', {count: found.flags, reasons: found.reasons.join('; ')}),
          found.author && t('by', {author: found.author}), found.room && t('room_n', {n: found.room})]
          .filter(Boolean).join(' · ');
        ul.appendChild(li);
      });
      $('.ib-queue .ib-empty').hidden = result.total > 0;
      return result;
    }),
    stats: (page) => call('room_stats', {page: page}, true).then((result) => {
      const body = $('.ib-stats tbody');
      const foot = $('.ib-stats tfoot');
      const keys = ['participants', 'ideas', 'votes', 'comments', 'hidden'];
      const row = (table, name, values) => {
        const tr = table.insertRow();
        cell(tr, 'th', name);
        tr.cells[0].scope = 'row';
        keys.forEach((key) => cell(tr, 'td', values[key]));
      };
      if (page === 1) { body.textContent = ''; }
      result.rooms.forEach((r) => row(body, r.label || (r.number === null ? t('one_board')
        : t('room_n', {n: r.number})), r));
      foot.textContent = '';
      if (result.totals && result.total > 1) { row(foot, t('total_row'), result.totals); }
      return result;
    })
  };

  function open(name, page) {
    return panels[name](page).then((result) => {
      pages[name] = result.page;
      $('[data-act=' + name + '-more]').hidden = result.page >= result.pages;
    }, fail);
  }

  function toggle(button, name) {
    const panel = $('.ib-' + name);
    panel.hidden = !panel.hidden;
    button.setAttribute('aria-expanded', String(!panel.hidden));
    if (!panel.hidden) { open(name, 1); }
  }

  /* A queued item: restored to the board, or deleted. */
  function review(button, action) {
    const li = item(button);
    if (action === 'delete' && !window.confirm(t('confirm_delete'))) { return; }
    call('moderate', {target: li.dataset.target, id: li.dataset.id, action: action}).then(() => {
      const next = li.nextElementSibling || li.previousElementSibling || $('[data-act=queue]');
      li.remove();
      next.focus();
      $('.ib-queue .ib-empty').hidden = !!$('.ib-queue-item');
      say(t(action === 'delete' ? 'deleted' : 'moderated', {action: button.textContent.trim()}));
      return ib.load();
    }, fail);
  }

  Object.assign(ib.acts, {
    hide: moderate, restore: moderate, pin: moderate, unpin: moderate, delete: moderate,
    phase: () => call('set_phase', {phase: $('.ib-phase-select').value}).then((result) => {
      ib.setPhase(result.phase);
      say(t('phase_set'));
      return ib.load();
    }, fail),
    queue: (b) => toggle(b, 'queue'),
    stats: (b) => toggle(b, 'stats'),
    'queue-more': () => open('queue', pages.queue + 1),
    'stats-more': () => open('stats', pages.stats + 1),
    'q-restore': (b) => review(b, 'restore'),
    'q-delete': (b) => review(b, 'delete')
  });
};
}());
