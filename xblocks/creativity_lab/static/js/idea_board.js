/* Idea board, learner view: post, edit, withdraw, build on; filters, sort, search, pages;
 * dot votes; comments; flags; polling every 15 s while the page is visible. Staff tools
 * are in idea_board_staff.js (staff pages only). Markup and text come from student.html;
 * learner text is set with textContent only. */
(function () {
'use strict';

function init(runtime, host, args) {
  const root = host.querySelector('.bizmooc-idea-board') || host;
  if (!args || !args.config) { return; } // signed out, author view
  const C = args.config;
  const S = Object.assign({}, args.strings, BizMOOC.readStrings(root.querySelector('.ib-strings')));
  const $ = (s, from) => (from || root).querySelector(s);
  const $$ = (s, from) => Array.from((from || root).querySelectorAll(s));
  const t = (key, params) => BizMOOC.t(S, key, params);
  const when = (iso) => new Date(iso).toLocaleString(document.documentElement.lang || undefined,
    {dateStyle: 'medium', timeStyle: 'short'});
  const put = (el, text) => { el.textContent = text || ''; el.hidden = !text; return el; };
  let uid = 0;
  const form = $('.ib-form');
  const F = form.elements;
  const list = $('.ib-list');
  const submit = $('.ib-submit');
  const labels = [$('.ib-post-h').textContent, submit.textContent];
  const names = {};
  (C.categories || []).forEach((c) => { names[c.id] = c.name; });
  const q = {page: 1, sort: 'newest', category: '', tag: '', mine: '0', q: ''};
  const ib = { // shared with the staff script
    root: root, $: $, $$: $$, t: t, put: put, args: args, q: q, room: null, heading: $('.ib-board h4'),
    clone: (name) => $('.ib-' + name + '-tpl').content.firstElementChild.cloneNode(true),
    call: (handler, data, get) => BizMOOC.call(runtime, host, handler, data, {method: get ? 'GET' : 'POST'}),
    say: (message) => BizMOOC.announce(root, message),
    fail: (error) => BizMOOC.showError(root, S, error),
    newId: () => root.id + '-' + (uid += 1),
    item: (node) => node.closest('.ib-comment, .ib-idea, .ib-queue-item'),
    kind: (node) => (node.classList.contains('ib-comment') ? 'comment' : 'idea')
  };
  const {clone, call, say, fail, item, kind} = ib;
  let phase = Object.assign({}, args.phase);
  let me = args.me;
  let rev = 0;
  let total = -1;
  let byId = {};
  let editing = null;
  let building = null;
  let busy = {};

  function banner() {
    const now = phase.current;
    const until = phase.manual ? null : {collect: phase.vote_start, vote: phase.results_start}[now];
    $('.ib-phase').textContent = until ? t(now + '_until', {date: when(until)}) : t(now);
    if (now !== 'collect' && editing) { reset(); }
    $('.ib-post').hidden = now !== 'collect';
    const select = $('.ib-phase-select');
    if (select) { select.value = phase.manual ? now : 'auto'; }
  }

  ib.setPhase = (value) => {
    const before = phase.current;
    Object.assign(phase, typeof value === 'string' ? {current: value} : value);
    if (phase.current === 'results' && before !== 'results') { q.sort = $('[name=sort]').value = 'votes'; }
    banner();
  };

  function budget() {
    put($('.ib-budget'), phase.current === 'vote' && t('budget',
      {left: C.vote_budget - me.dots_used, budget: C.vote_budget, max: C.max_dots_per_idea}));
    $('.ib-done').hidden = !me.completed;
  }

  /* An idea's or comment's buttons: shown or not by `show`, each described by its title. */
  function tools(target, show, describedBy) {
    $$(':scope > .ib-actions > [data-act]', target).forEach((b) => {
      b.hidden = !show[b.dataset.act];
      b.setAttribute('aria-describedby', describedBy);
    });
    $(':scope > .ib-actions > .ib-flagged', target).hidden = !show.flagged;
    target.classList.toggle('ib-off', show.off);
  }

  function common(x, mine, extra) {
    $('.ib-meta', x.li).textContent = [x.author ? t('by', {author: x.author}) : x.mine ? t(mine) : '', extra,
      when(x.created), x.pinned ? t('pinned') : '', x.status !== 'visible' ? t('status_' + x.status) : '']
      .filter(Boolean).join(' · ');
    return {flag: !x.mine && !x.flagged_by_me, flagged: x.flagged_by_me, off: x.status !== 'visible',
      hide: x.status === 'visible', restore: x.status !== 'visible', pin: !x.pinned, unpin: x.pinned, delete: true};
  }

  ib.fillIdea = (li, idea, rank) => {
    const title = $('.ib-title', li);
    if (!li.dataset.id) {
      const area = $('.ib-comment-form textarea', li);
      area.id = ib.newId();
      area.maxLength = C.comment_max;
      $('.ib-comment-form label', li).htmlFor = area.id;
      title.id = ib.newId();
      $$('.ib-tool', li).forEach((b) => b.setAttribute('aria-describedby', title.id));
    }
    li.dataset.id = idea.id;
    li.dataset.rank = rank === undefined ? li.dataset.rank : rank || '';
    title.textContent = idea.title;
    put($('.ib-rank', li), li.dataset.rank && t('rank', {n: li.dataset.rank}));
    put($('.ib-lineage', li), idea.builds_on && t('builds_on', {title: idea.builds_on.title}));
    $('.ib-text', li).textContent = idea.text;
    put($('.ib-tags', li), idea.tags.length && t('tags', {tags: idea.tags.join(', ')}));
    put($('.ib-votes', li), idea.votes !== null && t('votes', {count: idea.votes}));
    $('.ib-dots', li).hidden = phase.current !== 'vote';
    $('.ib-mydots', li).textContent = t('my_dots', {count: idea.my_dots});
    $('[data-act=comments]', li).textContent = t('comments', {count: idea.comments});
    li.classList.toggle('ib-pinned', idea.pinned);
    tools(li, Object.assign(common(Object.assign({li: li}, idea), 'mine', names[idea.category]), {
      comments: true, edit: idea.editable, withdraw: idea.editable,
      build: phase.current === 'collect' && C.technique === 'brainwriting' && idea.status === 'visible'}), title.id);
    byId[idea.id] = idea;
    return li;
  };

  ib.fillComment = (li, comment) => {
    const text = $('.ib-text', li);
    text.id = text.id || ib.newId();
    li.dataset.id = comment.id;
    text.textContent = comment.text;
    tools(li, common(Object.assign({li: li}, comment), 'my_comment'), text.id);
    return li;
  };

  /* A board page; cards are updated in place, so open comments, focus and typing survive a poll. */
  function show(board, polled) {
    const before = total;
    const active = document.activeElement;
    const old = {};
    const ranked = board.phase === 'results' && q.sort === 'votes';
    rev = board.revision;
    me = board.me;
    total = board.total;
    if (board.phase !== phase.current) { ib.setPhase(board.phase); }
    $$(':scope > .ib-idea', list).forEach((li) => { old[li.dataset.id] = li; });
    byId = {};
    board.ideas.map((idea, i) => {
      const li = ib.fillIdea(old[idea.id] || clone('idea'), idea, ranked && (board.page - 1) * (C.page_size || 20) + i + 1);
      delete old[idea.id];
      return li;
    }).forEach((li, i) => {
      if (list.children[i] !== li) { list.insertBefore(li, list.children[i] || null); }
    });
    Object.values(old).forEach((li) => li.remove());
    if (active !== document.activeElement && root.contains(active)) { active.focus({preventScroll: true}); }
    const filtered = q.category || q.tag || q.q || q.mine === '1';
    $('.ib-total').textContent = board.total ? t('total', {count: board.total}) : t(filtered ? 'none_match' : 'none');
    $('.ib-withheld').hidden = !board.hidden_until_vote;
    $('.ib-pager').hidden = board.pages < 2;
    $('.ib-page').textContent = t('page', {page: board.page, pages: board.pages});
    $('[data-act=prev]').hidden = board.page <= 1;
    $('[data-act=next]').hidden = board.page >= board.pages;
    budget();
    if (polled && before >= 0 && board.total > before) { say(t('new_ideas', {count: board.total - before})); }
  }

  let asked = 0; // only the latest request's page is shown
  ib.load = (polled) => {
    const mine = asked += 1;
    return call('board', Object.assign(ib.room === null ? {} : {room: ib.room}, q), true)
      .then((board) => (mine === asked ? show(board, polled) : null), fail);
  };

  function tick() {
    if (document.hidden || busy.poll) { return; }
    busy.poll = true;
    call('poll', Object.assign(ib.room === null ? {} : {room: ib.room}, {since: rev, phase: phase.current}), true).then((result) => {
      if (result.changed && result.phase) { ib.setPhase(result.phase); }
      return result.changed ? ib.load(true) : null;
    }, () => null).then(() => { busy.poll = false; });
  }

  /* The post form, also used to edit one's own idea or to build on another. */
  function counter() {
    $('.ib-count').textContent = t('chars', {count: F.text.value.length, limit: C.text_max});
  }

  function reset() {
    form.reset();
    BizMOOC.clearFieldErrors(form);
    editing = building = null;
    $('.ib-builds').hidden = $('[data-act=cancel-edit]').hidden = true;
    [$('.ib-post-h').textContent, submit.textContent] = labels;
    counter();
  }

  function mark(input, message) {
    BizMOOC.markField(input, message);
    input.focus();
  }

  form.addEventListener('input', counter);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    BizMOOC.clearFieldErrors(form);
    BizMOOC.clearError(root);
    const data = {title: F.title.value.trim(), text: F.text.value.trim(), category: F.category ? F.category.value : '',
      tags: F.tags ? F.tags.value.split(',').map((tag) => tag.trim()).filter(Boolean) : []};
    const empty = !data.title ? F.title : !data.text ? F.text : null;
    const was = editing;
    if (empty) { return mark(empty, fail({message: t('required')})); }
    if (was) { data.idea = was.id; } else { data.builds_on = building ? building.id : ''; }
    if (busy.post) { return null; }
    busy.post = true;
    return call(was ? 'edit_idea' : 'post_idea', data).then((result) => {
      busy.post = false;
      me = result.me || me;
      reset();
      say(t(was ? 'saved' : 'posted'));
      return ib.load().then(() => {
        const li = was && $('[data-id="' + was.id + '"]', list);
        if (li) { $('[data-act=edit]', li).focus(); }
      });
    }, (error) => {
      busy.post = false;
      const input = error.field && F[error.field];
      const message = fail(error);
      if (input && input.tagName) { mark(input, message); }
    });
  });

  function startForm(idea, edit) {
    reset();
    if (edit) {
      editing = idea;
      F.title.value = idea.title;
      F.text.value = idea.text;
      if (F.category) { F.category.value = idea.category; }
      if (F.tags) { F.tags.value = idea.tags.join(', '); }
      $('.ib-post-h').textContent = t('edit_h');
      submit.textContent = t('save');
      $('[data-act=cancel-edit]').hidden = false;
    } else {
      building = idea;
      $('.ib-builds-text').textContent = t('building_on', {title: idea.title});
      $('.ib-builds').hidden = false;
    }
    counter();
    F.title.focus();
  }

  /* Filters, sort, search: selects and checkboxes apply at once, text fields on Enter. */
  const filters = $('.ib-filters');
  function apply(event) {
    if (event.type === 'submit') { event.preventDefault(); } else if (event.target.type === 'text' ||
      event.target.type === 'search') { return; }
    const E = filters.elements;
    Object.assign(q, {page: 1, sort: E.sort.value, category: E.category ? E.category.value : '',
      tag: E.tag ? E.tag.value.trim().toLowerCase() : '', mine: E.mine.checked ? '1' : '0', q: E.q.value.trim()});
    ib.load();
  }
  filters.addEventListener('submit', apply);
  filters.addEventListener('change', apply);

  function comments(li, page) {
    const box = $('.ib-comments', li);
    const ul = $('.ib-comment-list', box);
    return call('comments', {idea: li.dataset.id, page: page}, true).then((result) => {
      if (page === 1) { ul.textContent = ''; }
      result.comments.forEach((c) => ul.appendChild(ib.fillComment(clone('comment'), c)));
      box.dataset.page = result.page;
      $('[data-act=more-comments]', box).hidden = result.page >= result.pages;
    }, fail);
  }

  /* Dots are set one request at a time, each from the state the previous one left. */
  let queue = Promise.resolve();
  function dots(li, step) {
    queue = queue.then(() => {
      const idea = byId[li.dataset.id];
      BizMOOC.clearError(root);
      return call('set_dots', {idea: idea.id, dots: idea.my_dots + step}).then((result) => {
        me = result.me;
        me.completed = me.completed || result.completed;
        ib.fillIdea(li, result.idea);
        budget();
        say($('.ib-budget').textContent);
      }, fail);
    });
  }

  const page = (step) => { q.page += step; ib.load().then(() => ib.heading.focus()); };
  const acts = ib.acts = {
    prev: () => page(-1),
    next: () => page(1),
    dot: (b, li) => dots(li, 1),
    undot: (b, li) => dots(li, -1),
    comments: (b, li) => {
      const box = $('.ib-comments', li);
      box.hidden = !box.hidden;
      b.setAttribute('aria-expanded', String(!box.hidden));
      if (!box.hidden) { comments(li, 1); }
    },
    'more-comments': (b, li) => comments(li, Number($('.ib-comments', li).dataset.page) + 1),
    build: (b, li) => startForm(byId[li.dataset.id], false),
    edit: (b, li) => startForm(byId[li.dataset.id], true),
    unbuild: () => { building = null; $('.ib-builds').hidden = true; F.title.focus(); },
    'cancel-edit': () => {
      const li = $('[data-id="' + editing.id + '"]', list);
      reset();
      if (li) { $('[data-act=edit]', li).focus(); }
    },
    withdraw: (b, li) => {
      if (!window.confirm(t('confirm_withdraw'))) { return; }
      call('withdraw_idea', {idea: li.dataset.id}).then((result) => {
        me = result.me || me;
        say(t('withdrawn'));
        return ib.load().then(() => ib.heading.focus());
      }, fail);
    },
    flag: (b) => {
      const box = clone('flag');
      const area = $('textarea', box);
      if ($(':scope > .ib-flag-form', item(b))) { return; }
      area.id = ib.newId();
      $('label', box).htmlFor = area.id;
      b.parentNode.after(box);
      area.focus();
    },
    unflag: (b) => {
      const target = item(b);
      b.closest('form').remove();
      $(':scope > .ib-actions > [data-act=flag]', target).focus();
    }
  };

  root.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-act]');
    const action = button && button.dataset.act;
    if (action && acts[action]) { acts[action](button, button.closest('.ib-idea'), action); }
  });

  /* Comment and flag forms, inside an idea or a comment. */
  root.addEventListener('submit', (event) => {
    const box = event.target;
    const target = item(box);
    const area = $('textarea', box);
    const text = area && area.value.trim();
    if (!target || !area) { return null; }
    event.preventDefault();
    BizMOOC.clearError(root);
    if (box.classList.contains('ib-flag-form')) {
      return call('flag', {target: kind(target), id: target.dataset.id, reason: text}).then(() => {
        box.remove();
        $(':scope > .ib-actions > [data-act=flag]', target).hidden = true;
        $(':scope > .ib-actions > .ib-flagged', target).hidden = false;
        target.focus();
        say(t('flagged'));
      }, fail);
    }
    if (!text) { return mark(area, fail({message: t('required')})); }
    return call('add_comment', {idea: target.dataset.id, text: text}).then((result) => {
      area.value = '';
      $('.ib-comment-list', target).appendChild(ib.fillComment(clone('comment'), result.comment));
      byId[target.dataset.id].comments = result.comments;
      $('[data-act=comments]', target).textContent = t('comments', {count: result.comments});
      say(t('commented'));
    }, fail);
  });

  if (C.technique === 'prompts' && (C.prompt_cards || []).length) {
    C.prompt_cards.forEach((card) => {
      const li = $('.ib-cards').appendChild(document.createElement('li'));
      li.append(put(document.createElement('strong'), card.title), put(document.createElement('p'), card.text));
    });
    $('.ib-prompts').hidden = false;
  }
  $('.ib-my-data').href = runtime.handlerUrl(host, 'download_my_data');
  F.title.maxLength = C.title_max;
  F.text.maxLength = C.text_max;
  if (args.room && args.room.number !== null && !args.is_staff) {
    put($('.ib-room'), t('room', {label: args.room.label || t('room_n', {n: args.room.number}),
      count: args.room.participants}));
  }
  reset();
  if (phase.current === 'results') { q.sort = $('[name=sort]').value = 'votes'; }
  banner();
  show(args.board);
  if (args.is_staff && window.BizMOOCIdeaBoardStaff) { window.BizMOOCIdeaBoardStaff(ib, runtime, host); }
  if (ib.room !== null || q.sort !== 'newest') { ib.load(); }
  window.setInterval(tick, 15000);
  document.addEventListener('visibilitychange', tick);
}

window.BizMOOCIdeaBoard = BizMOOC.initializer(init);
}());
