/* Peer review, learner view (staff: peer_review_staff.js). Markup and strings come from
 * student.html; learner text goes in with textContent only. */
(function () {
'use strict';
const B = window.BizMOOC;
const LINK = /^https?:\/\/\S+$/i;
const lang = document.documentElement.lang || undefined;
const date = (iso) => new Date(iso).toLocaleString(lang, {dateStyle: 'medium', timeStyle: 'short'});
const num = (x) => String(Math.round(x * 100) / 100);
let ids = 0;

function el(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className || '';
  if (text != null) { node.textContent = text; }
  return node;
}

function init(runtime, host, args) {
  const root = host.querySelector('.bizmooc-peer-review') || host;
  if (!args.state) { return; }
  const R = args.rubric;
  const C = args.config;
  const type = C.submission_type;
  const $ = (selector, from) => (from || root).querySelector(selector);
  const on = (target, type, handler) => target.addEventListener(type, handler);
  const t = (key, params) => B.t(strings, key, params);
  // "1 point" and "2 points": the key for exactly one carries the suffix _one.
  const one = (points, key) => (Number(points) === 1 ? key + '_one' : key);
  const call = (handler, data, method) => B.call(runtime, host, handler, data, {method: method});
  const announce = (message) => B.announce(root, message);
  const uid = () => root.id + '-u' + (ids += 1);
  const clone = (name) => $('.pr-' + name + '-template').content.firstElementChild.cloneNode(true);
  const q = (name, from) => $('.pr-' + name, from);
  const strings = B.readStrings(q('strings'));
  const put = (name, value, from) => { q(name, from).textContent = value; };
  const criterion = (id) => R.criteria.find((c) => c.id === id);
  const text = $('[name=text]');
  const link = $('[name=link]');
  const pick = $('[name=artefact]');
  const state = args.state;
  let version = state.submission.version;
  let example, lease, conflict;

  function fail(error, input) {
    const message = B.showError(root, strings, error);
    if (input) { B.markField(input, message); input.focus(); }
  }
  const clear = (form) => { B.clearFieldErrors(form); B.clearError(root); };
  const submit = (form, handler) => on(form, 'submit', (event) => { event.preventDefault(); clear(form); handler(); });

  function confirm(anchor, message, label, yes) {
    const box = clone('confirm');
    const old = q('confirm', anchor.parentNode);
    if (old) { old.remove(); }
    $('p', box).textContent = message;
    put('yes', label, box);
    on(q('yes', box), 'click', () => { box.remove(); yes(); });
    on(q('no', box), 'click', () => { box.remove(); anchor.focus(); });
    anchor.after(box);
    q('yes', box).focus();
  }

  function content(box, item) {
    box.replaceChildren();
    if (item.artefact) { box.append(el('p', '', item.artefact.label)); }
    // As submitted (frozen then), rendered and sanitised by the server:
    if (item.artefact_html) { box.insertAdjacentHTML('beforeend', item.artefact_html); }
    if (item.link) {
      const a = el('a', '', t('open_link', {link: item.link}));
      if (LINK.test(item.link)) { a.href = item.link; }
      a.target = '_blank';
      a.rel = 'noopener';
      box.append(a);
    }
    if (item.text) { box.append(el('div', 'pr-text', item.text)); }
  }

  function rubricForm(holder, comments) {
    holder.replaceChildren();
    R.criteria.forEach((c) => {
      if (!comments && !c.options.length) { return; }
      const set = clone('criterion');
      const name = uid();
      set.dataset.criterion = c.id;
      $('legend', set).textContent = c.name;
      put('explain', c.explanation || (c.options.length ? '' : t('comments_only')), set);
      q('options', set).append(...c.options.map((o) => {
        const row = clone('option');
        const input = $('input', row);
        input.name = name;
        input.value = o.id;
        input.id = $('label', row).htmlFor = uid();
        put('option-label', o.label, row);
        put('points', t(one(o.points, 'points'), {points: num(o.points)}), row);
        put('option-help', o.explanation, row);
        return row;
      }));
      if (comments && c.comments !== 'none') { q('options', set).after(area('comment_', c.comments, c)); }
      holder.append(set);
    });
    if (comments && R.feedback !== 'none') { holder.append(area('feedback_', R.feedback)); }
  }

  function area(key, need, c) {
    const box = clone('text');
    const input = $('textarea', box);
    $('label', box).textContent = t(key + need, {criterion: c && c.name});
    input.maxLength = C.comment_max;
    input.required = need === 'required';
    input.dataset.comment = c ? c.id : '';
    input.id = $('label', box).htmlFor = uid();
    return box;
  }

  function readRubric(form) {
    const data = {scores: {}, comments: {}, feedback: ''};
    const gaps = [];
    const gap = (input, message) => { B.markField(input, message); gaps.push(input); };
    form.querySelectorAll('.pr-criterion').forEach((set) => {
      const c = criterion(set.dataset.criterion);
      const chosen = $('input:checked', set);
      if (chosen) { data.scores[c.id] = chosen.value; } else if (c.options.length) { gap($('input', set), t('pick_option', {criterion: c.name})); }
    });
    form.querySelectorAll('textarea[data-comment]').forEach((input) => {
      const value = input.value.trim();
      const c = criterion(input.dataset.comment);
      if (c) { data.comments[c.id] = value; } else { data.feedback = value; }
      if (input.required && !value) { gap(input, c ? t('write_comment', {criterion: c.name}) : t('write_feedback')); }
    });
    if (!gaps.length) { return data; }
    fail({message: t('check_form')}, null);
    gaps[0].focus();
    return null;
  }

  /* Refusals land on the field named: scores.<criterion>, comments.<criterion>, feedback. */
  function onRubric(form, handler, body, done) {
    submit(form, () => {
      const data = readRubric(form);
      return data && call(handler, body(data)).then(done, (error) => {
        const field = error.field || '';
        const set = $('[data-criterion="' + (field.split('.')[1] || '') + '"]', form);
        fail(error, field === 'feedback' ? $('[data-comment=""]', form) : set && $(field[0] === 'c' ? 'textarea' : 'input', set));
      });
    });
  }

  function reviewView(review, n, staff) {
    const item = clone('review');
    const button = q('flag', item);
    put('review-title', t('review_n', {n: n, kind: t('kind_' + review.kind)}), item);
    put('reviewer', staff && review.reviewer ? t('reviewer', {reviewer: review.reviewer}) : '', item);
    $('dl', item).append(...review.scores.flatMap((s) => [el('dt', '', s.name)].concat(
      s.label ? [el('dd', '', t(one(s.points, 'score'), {label: s.label, points: num(s.points)}))] : [],
      s.comment ? [el('dd', 'pr-comment', t('comment', {text: s.comment}))] : [])));
    put('feedback', review.feedback ? t('feedback', {text: review.feedback}) : '', item);
    put('flagged', review.flagged ? t(staff ? 'reported' : 'flagged') : '', item);
    button.hidden = staff || review.flagged || review.kind !== 'peer';
    on(button, 'click', () => flag(review, item, button));
    return item;
  }

  function flag(review, item, button) {
    const form = clone('flag');
    const input = $('textarea', form);
    input.id = $('label', form).htmlFor = uid();
    button.hidden = true;
    item.append(form);
    input.focus();
    on(q('no', form), 'click', () => { form.remove(); button.hidden = false; button.focus(); });
    submit(form, () => {
      const reason = input.value.trim();
      if (!reason) { fail({message: t('flag_reason')}, input); return; }
      call('flag_review', {review: review.id, reason: reason}).then(() => {
        form.remove();
        button.remove();
        put('flagged', t('flagged'), item);
        q('flagged', item).focus();
        announce(t('flagged'));
      }, (error) => fail(error, input));
    });
  }

  function gradeView(box, g, key) {
    box.replaceChildren();
    if (!g) { return; }
    const view = clone('grade');
    put('grade-line', t(key || (g.final ? 'grade_final' : 'grade_provisional'), {points: num(g.points), max: num(g.max)}), view);
    $('table', view).hidden = !g.per_criterion.length;
    $('tbody', view).append(...g.per_criterion.map((c) => {
      const row = el('tr');
      row.append(el('th', '', c.name), el('td', '', num(c.points)), el('td', '', num(c.max)));
      row.cells[0].scope = 'row';
      return row;
    }));
    put('explanation', g.explanation, view);
    box.append(view);
  }

  function render(s, focus) {
    const step = s.step;
    const sub = s.submission;
    const r = s.received;
    const steps = s.steps.map((x) => [x.name, x.status, x.due]);
    const show = (name, visible) => { $('.pr-' + name).hidden = !visible; };
    if (!s.steps.some((x) => x.name === 'staff')) {
      const now = !s.steps.some((x) => x.status === 'current') && (step === 'waiting' || step === 'done');
      steps.push(['grade', s.grade && s.grade.final ? 'done' : now ? 'current' : 'todo']);
    }
    q('steps').replaceChildren(...steps.map(([name, status, due]) => {
      const li = el('li', 'pr-step pr-step-' + status);
      li.append(el('span', 'pr-step-name', t('step_' + name)), ' ', el('span', 'pr-step-status', t('status_' + status)));
      if (due) { li.append(' ', el('span', 'pr-step-due', t('due', {date: date(due)}))); }
      if (status === 'current') { li.setAttribute('aria-current', 'step'); }
      return li;
    }));
    ['closed', 'submit', 'training', 'peer', 'self', 'waiting'].forEach((name) => show(name, step === name));
    show('mine', sub.status === 'submitted');
    show('results', s.grade || s.reviews.length);
    if (sub.status === 'submitted') {
      put('mine-when', sub.submitted_at ? t('submitted_at', {date: date(sub.submitted_at)}) : '');
      content(q('mine-content'), sub);
    }
    if (step === 'training' && !example) { loadExample(); }
    if (s.peer) {
      put('peer-progress', t('given', {given: s.peer.given, total: s.peer.to_give}));
      showLease(step === 'peer' && s.peer.lease);
    }
    if (step === 'self' && !$('.pr-self .pr-criterion')) { rubricForm($('.pr-self .pr-rubric'), true); }
    put('received', t('received', {count: r.count, total: r.needed}));
    put('since', r.waiting_since ? t('waiting_since', {date: date(r.waiting_since)}) : '');
    q('to-staff').hidden = !r.to_staff;
    gradeView(q('grade'), s.grade);
    q('reviews-h').hidden = !s.reviews.length;
    $('.pr-results .pr-reviews').replaceChildren(...s.reviews.map((review, i) => reviewView(review, i + 1)));
    if (focus) { ($('.pr-panel:not([hidden]):not(.pr-mine)') || q('mine')).focus(); }
  }

  const draft = () => ({text: type === 'text' ? text.value : '', link: type === 'link' ? link.value.trim() : '',
    artefact: type === 'artefact' && pick.value ? {kind: C.artefact_kind, id: pick.value} : null});
  const words = () => (text.value.match(/[\p{L}\p{N}_'\u2019-]+/gu) || []).length;
  const count = () => {
    const key = C.max_words ? (C.min_words ? '_range' : '_max') : C.min_words ? '_min' : ''; // max 0: no limit
    put('words', t('words' + key, {count: words(), min: C.min_words, max: C.max_words}));
  };
  const fill = (d) => {
    text.value = d.text || '';
    link.value = d.link || '';
    if (d.artefact) { pick.value = d.artefact.id; }
    count();
  };
  const status = (message, say) => { // own live region: an action's message is never cut short
    put('save-state', message);
    if (say) { q('save-live').textContent = message; }
  };
  const saver = new B.Autosaver({
    key: args.storage_key || 'bizmooc-peer:' + runtime.handlerUrl(host, 'save_draft'),
    delay: 1200,
    send: (value) => call('save_draft', Object.assign({}, value, {version: version})).then((result) => {
      version = result.version;
      return result;
    }),
    onState: (name, detail) => {
      const key = {pending: 'unsaved', saving: 'saving', saved: 'saved', offline: 'offline'}[name];
      if (key) { status(t(key), name === 'offline' || (name === 'saved' && saver.pending === undefined)); }
      if (name === 'conflict') { showConflict(detail); } else if (name === 'error') { fail(detail); }
    }
  });
  const body = () => Object.assign(draft(), {version: version});
  const changed = () => { B.clearError(root); saver.change(body()); };

  function showConflict(error) {
    if (!error.details) { fail(error); return; }
    conflict = error.details;
    status('');
    q('conflict').hidden = false;
    q('load-newer').focus();
  }
  on(q('load-newer'), 'click', () => {
    saver.cancel();
    saver.forget();
    version = conflict.version;
    fill(conflict);
    q('conflict').hidden = true;
    text.focus();
    announce(t('loaded_newer'));
  });
  on(q('keep-mine'), 'click', () => {
    version = conflict.version;
    changed();
    q('conflict').hidden = true;
    announce(t('kept_mine'));
  });

  function check() {
    const d = draft();
    const n = words();
    if (type === 'link') { return LINK.test(d.link) ? null : [link, t('bad_link')]; }
    if (type === 'artefact') { return d.artefact ? null : [pick, t('choose_artefact')]; }
    if (!d.text.trim()) { return [text, t('empty')]; }
    if (C.max_words && n > C.max_words) { return [text, t('too_many_words', {count: n, max: C.max_words})]; }
    return n < C.min_words ? [text, t('too_few_words', {count: n, min: C.min_words})] : null;
  }

  submit(q('submit-form'), () => {
    const button = q('submit-button');
    const problem = check();
    if (problem) { fail({message: problem[1]}, problem[0]); return; }
    confirm(button, t('confirm_submit'), t('yes_submit'), () => {
      saver.cancel().then(() => call('submit', body())).then((s) => {
        saver.forget();
        render(s, true);
        announce(t('submitted'));
      }, (error) => (error.status === 409 ? showConflict(error) : fail(error, {text, link, artefact: pick}[error.field] || button)));
    });
  });
  text.maxLength = C.max_chars;
  on(text, 'input', () => { count(); changed(); });
  on(link, 'input', changed);
  on(pick, 'change', changed);
  q('kind-' + type).hidden = false;

  const training = q('training-form');
  const next = q('training-next');
  function loadExample() {
    example = {}; // loading
    call('training_example', null, 'GET').then((result) => {
      example = result.example;
      if (!example) { call('state', null, 'GET').then((s) => render(s, true), fail); return; }
      put('training-progress', t('training_progress', {done: result.done, total: result.total}));
      content(q('training-content'), example);
      rubricForm(q('rubric', training), false);
      next.hidden = true;
    }, fail);
  }
  onRubric(training, 'training_answer', (d) => ({index: example.index, scores: d.scores}), (result) => {
    training.querySelectorAll('.pr-criterion').forEach((set) => {
      const c = criterion(set.dataset.criterion);
      const right = result.correct[c.id];
      const expected = c.options.find((o) => o.id === result.expected[c.id]) || {};
      q('verdict', set).className = 'pr-verdict pr-' + (right ? 'right' : 'wrong');
      put('verdict', right ? t('correct') : t('expected', {label: expected.label}), set);
    });
    announce(t(result.passed ? 'training_passed' : 'training_retry'));
    if (result.passed && result.state.step !== 'training') {
      example = null;
      render(result.state, true);
      announce(t('training_done'));
    } else if (result.passed) {
      next.hidden = false;
      next.focus();
    }
  });
  on(next, 'click', () => { loadExample(); q('training').focus(); });

  const leaseBox = q('lease');
  function showLease(found) {
    if (found && (!lease || lease.id !== found.id)) { rubricForm(q('rubric', leaseBox), true); }
    lease = found;
    leaseBox.hidden = !found;
    q('next').hidden = !!found;
    if (found) {
      put('lease-until', t('reserved_until', {time: new Date(found.expires).toLocaleTimeString(lang, {timeStyle: 'short'})}));
      content(q('lease-content'), found);
    }
  }
  on(q('next'), 'click', () => {
    B.clearError(root);
    call('next_review', {}).then((result) => {
      q('none').hidden = !!result.lease;
      if (result.lease) { showLease(result.lease); leaseBox.focus(); }
      announce(result.lease ? t('lease_shown') : q('none').textContent);
    }, fail);
  });
  onRubric(q('review-form'), 'submit_review', (d) => Object.assign({lease: lease.id}, d), (s) => {
    lease = null;
    render(s, s.step !== 'peer');
    if (s.step === 'peer') { q('next').focus(); }
    announce(t('review_sent'));
  });
  onRubric(q('self-form'), 'submit_self_review', (d) => d, (s) => { render(s, true); announce(t('self_sent')); });

  if (q('staff') && window.BizMOOCPeerReviewStaff) {
    window.BizMOOCPeerReviewStaff({runtime, host, R, strings, $, on, t, call, announce, fail, clear, confirm, content,
      rubricForm, onRubric, reviewView, gradeView, el, num, date});
  }

  // A copy on this device the server never confirmed is sent again (a 409 opens the conflict panel).
  const local = state.step === 'submit' && saver.localCopy();
  (type === 'artefact' && state.step === 'submit' ? call('my_artefacts', null, 'GET').then((result) => {
    pick.append(...result.choices.map((c) => Object.assign(el('option', '', c.label), {value: c.id})));
    pick.disabled = !result.choices.length;
    put('artefact-help', t(result.choices.length ? 'artefact_hint' : 'no_artefacts'));
  }, fail) : Promise.resolve()).then(() => {
    fill(state.submission);
    if (local && JSON.stringify(local) !== JSON.stringify(body())) {
      fill(local);
      version = local.version;
      saver.change(local);
      status(t('restored_local'));
    } else if (local) {
      saver.forget();
    }
  });
  render(state);
}

window.BizMOOCPeerReview = B.initializer(init);
}());
