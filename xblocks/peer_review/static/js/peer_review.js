/* Peer review, learner view (student.html; strings: review_views.BROWSER_STRINGS). Learner text goes
 * in with textContent only. Code few learners need: peer_review_extras.js; staff: peer_review_staff.js. */
(function () {
'use strict';
var LINK = /^https?:\/\/\S+$/i;
var ids = 0;

function num(x) { return String(Math.round(x * 100) / 100); }

function el(tag, className, text) { return BizMOOC.element(tag, className, text); }

function each(nodes, fn) { Array.prototype.forEach.call(nodes, fn); }

function init(runtime, host, args) {
  var root = host.querySelector('.bizmooc-peer-review') || host;
  if (!args.state) { return; }
  var rubric = args.rubric;
  var config = args.config;
  var strings = args.strings;
  var type = config.submission_type;
  var state = args.state;
  var version = state.submission.version;
  var training = null;
  var lease = null;

  function find(selector, from) { return (from || root).querySelector(selector); }
  function part(name, from) { return find('.pr-' + name, from); }
  function put(name, value, from) { part(name, from).textContent = value; }
  function on(target, name, handler) { target.addEventListener(name, handler); }
  function t(key, params) { return BizMOOC.t(strings, key, params); }
  // "1 point" and "2 points": the key for exactly one carries the suffix _one.
  function one(points, key) { return Number(points) === 1 ? key + '_one' : key; }
  function call(handler, data, method, body) { return BizMOOC.call(runtime, host, handler, data, {method: method, body: body}); }
  function announce(message) { BizMOOC.announce(root, message); }
  function uid() { ids += 1; return root.id + '-u' + ids; }
  function clone(name) { return part(name + '-template').content.firstElementChild.cloneNode(true); }
  function date(iso) { return BizMOOC.formatDate(iso); }
  function criterion(id) { return rubric.criteria.filter(function (c) { return c.id === id; })[0]; }

  function fail(error, input) {
    var message = BizMOOC.showError(root, strings, error);
    if (input) { BizMOOC.markField(input, message); input.focus(); }
  }
  function clear(form) { BizMOOC.clearFieldErrors(form); BizMOOC.clearError(root); }
  function onSubmit(form, handler) {
    on(form, 'submit', function (event) { event.preventDefault(); clear(form); handler(); });
  }

  function confirm(anchor, message, label, yes) {
    more(function (x) { x.confirm(page, anchor, message, label, yes); });
  }

  function content(box, item) {
    box.replaceChildren();
    if (item.artefact) { box.append(el('p', '', item.artefact.label)); }
    // As submitted (frozen then), rendered and sanitised by the server:
    if (item.artefact_html) { box.insertAdjacentHTML('beforeend', item.artefact_html); }
    if (item.link) {
      var a = el('a', '', t('open_link', {link: item.link}));
      if (LINK.test(item.link)) { a.href = item.link; }
      a.target = '_blank';
      a.rel = 'noopener';
      box.append(a);
    }
    if (item.text) { box.append(el('div', 'pr-text', item.text)); }
    if (item.files && page.files) { page.files(box, item.files); }
  }

  function area(key, need, c) {
    var box = clone('text');
    var input = find('textarea', box);
    find('label', box).textContent = t(key + need, {criterion: c && c.name});
    input.maxLength = config.comment_max;
    input.required = need === 'required';
    input.dataset.comment = c ? c.id : '';
    input.id = find('label', box).htmlFor = uid();
    return box;
  }

  function rubricForm(holder, comments) {
    holder.replaceChildren();
    rubric.criteria.forEach(function (c) {
      if (!comments && !c.options.length) { return; }
      var set = clone('criterion');
      var name = uid();
      set.dataset.criterion = c.id;
      find('legend', set).textContent = c.name;
      put('explain', c.explanation || (c.options.length ? '' : t('comments_only')), set);
      c.options.forEach(function (o) {
        var row = clone('option');
        var input = find('input', row);
        input.name = name;
        input.value = o.id;
        input.id = find('label', row).htmlFor = uid();
        put('option-label', o.label, row);
        put('points', t(one(o.points, 'points'), {points: num(o.points)}), row);
        put('option-help', o.explanation, row);
        part('options', set).append(row);
      });
      if (comments && c.comments !== 'none') { part('options', set).after(area('comment_', c.comments, c)); }
      holder.append(set);
    });
    if (comments && rubric.feedback !== 'none') { holder.append(area('feedback_', rubric.feedback)); }
  }

  /* What the form holds: {scores, comments, feedback}; `gaps` collects [input, message] of what is missing. */
  function formValues(form, gaps) {
    var data = {scores: {}, comments: {}, feedback: ''};
    each(form.querySelectorAll('.pr-criterion'), function (set) {
      var c = criterion(set.dataset.criterion);
      var chosen = find('input:checked', set);
      if (chosen) {
        data.scores[c.id] = chosen.value;
      } else if (c.options.length && gaps) {
        gaps.push([find('input', set), t('pick_option', {criterion: c.name})]);
      }
    });
    each(form.querySelectorAll('textarea[data-comment]'), function (input) {
      var value = input.value.trim();
      var c = criterion(input.dataset.comment);
      if (c) { data.comments[c.id] = value; } else { data.feedback = value; }
      if (input.required && !value && gaps) {
        gaps.push([input, c ? t('write_comment', {criterion: c.name}) : t('write_feedback')]);
      }
    });
    return data;
  }

  /* Refusals land on the field named: scores.<criterion>, comments.<criterion>, feedback. */
  function onRubric(form, handler, body, done) {
    onSubmit(form, function () {
      var gaps = [];
      var data = formValues(form, gaps);
      if (gaps.length) {
        gaps.forEach(function (gap) { BizMOOC.markField(gap[0], gap[1]); });
        fail({message: t('check_form')}, null);
        gaps[0][0].focus();
        return;
      }
      call(handler, body(data)).then(done, function (error) {
        var field = error.field || '';
        var set = find('[data-criterion="' + (field.split('.')[1] || '') + '"]', form);
        fail(error, field === 'feedback' ? find('[data-comment=""]', form)
          : set && find(field[0] === 'c' ? 'textarea' : 'input', set));
      });
    });
  }

  function reviewView(review, n, staff) {
    var item = clone('review');
    var button = part('flag', item);
    var list = find('dl', item);
    put('review-title', t('review_n', {n: n, kind: t('kind_' + review.kind + (staff && review.kind === 'self' ? '_staff' : ''))}), item);
    put('reviewer', staff && review.reviewer ? t('reviewer', {reviewer: review.reviewer}) : '', item);
    review.scores.forEach(function (s) {
      list.append(el('dt', '', s.name));
      if (s.label) { list.append(el('dd', '', t(one(s.points, 'score'), {label: s.label, points: num(s.points)}))); }
      if (s.comment) { list.append(el('dd', 'pr-comment', t('comment', {text: s.comment}))); }
    });
    put('feedback', review.feedback ? t('feedback', {text: review.feedback}) : '', item);
    put('flagged', review.flagged ? t(staff ? 'reported' : 'flagged') : '', item);
    button.hidden = staff || review.flagged || review.kind !== 'peer';
    on(button, 'click', function () { more(function (x) { x.flag(page, review, item, button); }); });
    return item;
  }

  function gradeView(box, grade, key) {
    box.replaceChildren();
    if (!grade) { return; }
    var view = clone('grade');
    put('grade-line', t(key || (grade.final ? 'grade_final' : 'grade_provisional'),
      {points: num(grade.points), max: num(grade.max)}), view);
    find('table', view).hidden = !grade.per_criterion.length;
    grade.per_criterion.forEach(function (c) {
      var row = el('tr');
      row.append(el('th', '', c.name), el('td', '', num(c.points)), el('td', '', num(c.max)));
      row.cells[0].scope = 'row';
      find('tbody', view).append(row);
    });
    put('explanation', grade.explanation, view);
    box.append(view);
  }

  function stepItem(name, status, due) {
    var li = el('li', 'pr-step pr-step-' + status);
    li.append(el('span', 'pr-step-name', t('step_' + name)), ' ', el('span', 'pr-step-status', t('status_' + status)));
    if (due) { li.append(' ', el('span', 'pr-step-due', t('due', {date: date(due)}))); }
    if (status === 'current') { li.setAttribute('aria-current', 'step'); }
    return li;
  }

  function render(s, focus) {
    var step = s.step;
    var mine = s.submission;
    var received = s.received;
    var items = s.steps.map(function (x) { return stepItem(x.name, x.status, x.due); });
    state = s;
    if (!s.steps.some(function (x) { return x.name === 'staff'; })) {
      var now = !s.steps.some(function (x) { return x.status === 'current'; }) && (step === 'waiting' || step === 'done');
      items.push(stepItem('grade', s.grade && s.grade.final ? 'done' : now ? 'current' : 'todo'));
    }
    part('steps').replaceChildren.apply(part('steps'), items);
    ['closed', 'submit', 'training', 'peer', 'self', 'waiting'].forEach(function (name) {
      part(name).hidden = step !== name;
    });
    part('mine').hidden = mine.status !== 'submitted';
    part('results').hidden = !(s.grade || s.reviews.length);
    if (mine.status === 'submitted') {
      put('mine-when', mine.submitted_at ? t('submitted_at', {date: date(mine.submitted_at)}) : '');
      content(part('mine-content'), mine);
    }
    if (step === 'training' && !training) { more(function (x) { training = x.training(page); }); }
    if (s.peer) {
      put('peer-progress', t('given', {given: s.peer.given, total: s.peer.to_give}));
      showLease(step === 'peer' && s.peer.lease);
    }
    if (step === 'self' && !find('.pr-self .pr-criterion')) {
      rubricForm(part('rubric', selfForm), true);
      restore(selfForm, 'self');
    }
    put('received', t('received', {count: received.count, total: received.needed}));
    put('since', received.waiting_since ? t('waiting_since', {date: date(received.waiting_since)}) : '');
    part('to-staff').hidden = !received.to_staff;
    gradeView(part('grade'), s.grade);
    part('reviews-h').hidden = !s.reviews.length;
    find('.pr-results .pr-reviews').replaceChildren.apply(find('.pr-results .pr-reviews'),
      s.reviews.map(function (review, i) { return reviewView(review, i + 1); }));
    if (focus) { (find('.pr-panel:not([hidden]):not(.pr-mine)') || part('mine')).focus(); }
  }

  /* The page's API, for peer_review_extras.js and peer_review_staff.js (listed there). */
  var page = {
    root: root, rubric: rubric, t: t, call: call, fail: fail, announce: announce, confirm: confirm,
    content: content, rubricForm: rubricForm, onRubric: onRubric, reviewView: reviewView, gradeView: gradeView,
    formValues: formValues, put: put, part: part, clone: clone, uid: uid, render: render
  };
  /* Code few learners need, loaded on first use. */
  function more(run) { BizMOOC.loadScript(args.extras_url, 'BizMOOCPeerReviewExtras').then(run, fail); }

  // The submission's draft
  var text = find('[name=text]');
  var link = find('[name=link]');
  var pick = find('[name=artefact]');

  function draft() {
    return {text: type === 'text' ? text.value : '', link: type === 'link' ? link.value.trim() : '',
      artefact: type === 'artefact' && pick.value ? {kind: config.artefact_kind, id: pick.value} : null};
  }
  function words() { return BizMOOC.wordCount(text.value); }
  function count() {
    var key = config.max_words ? (config.min_words ? '_range' : '_max') : config.min_words ? '_min' : ''; // 0: no limit
    put('words', t('words' + key, {count: words(), min: config.min_words, max: config.max_words}));
  }
  function fill(d) {
    text.value = d.text || '';
    link.value = d.link || '';
    if (d.artefact) { pick.value = d.artefact.id; }
    count();
  }
  function status(message, say) { // own live region: an action's message is never cut short
    put('save-state', message);
    if (say) { part('save-live').textContent = message; }
  }
  var saver = new BizMOOC.Autosaver({
    key: args.storage_key,
    delay: 1200,
    send: function (value) {
      return call('save_draft', Object.assign({}, value, {version: version})).then(function (result) {
        version = result.version;
        return result;
      });
    },
    onState: function (name, detail) {
      var key = {pending: 'unsaved', saving: 'saving', saved: 'saved', offline: 'offline'}[name];
      if (key) { status(t(key), name === 'offline' || (name === 'saved' && saver.pending === undefined)); }
      if (name === 'conflict') { showConflict(detail); } else if (name === 'error') { fail(detail); }
    }
  });
  function body() { return Object.assign(draft(), {version: version}); }
  function changed() { BizMOOC.clearError(root); saver.change(body()); }

  /* A newer draft elsewhere (409): the learner chooses (extras). */
  function showConflict(error) {
    if (!error.details) { fail(error); return; }
    status('');
    more(function (x) {
      x.conflict(page, error.details, {
        load: function (newer) { saver.cancel(); saver.forget(); version = newer.version; fill(newer); text.focus(); },
        keep: function (newer) { version = newer.version; changed(); }
      });
    });
  }

  function check() {
    var d = draft();
    var n = words();
    if (type === 'link') { return LINK.test(d.link) ? null : [link, t('bad_link')]; }
    if (type === 'artefact') { return d.artefact ? null : [pick, t('choose_artefact')]; }
    if (!d.text.trim() && !config.text_optional) { return [text, t('empty')]; }
    if (config.max_words && n > config.max_words) { return [text, t('too_many_words', {count: n, max: config.max_words})]; }
    return n < config.min_words ? [text, t('too_few_words', {count: n, min: config.min_words})] : null;
  }

  onSubmit(part('submit-form'), function () {
    var button = part('submit-button');
    var problem = check();
    if (problem) { fail({message: problem[1]}, problem[0]); return; }
    confirm(button, t('confirm_submit'), t('yes_submit'), function () {
      saver.cancel().then(function () { return call('submit', body()); }).then(function (s) {
        saver.forget();
        render(s, true);
        announce(t('submitted'));
      }, function (error) {
        if (error.status === 409) { showConflict(error); return; }
        fail(error, {text: text, link: link, artefact: pick}[error.field] || button);
      });
    });
  });
  text.maxLength = config.max_chars;
  on(text, 'input', function () { count(); changed(); });
  on(link, 'input', changed);
  on(pick, 'change', changed);
  part('kind-' + type).hidden = false;

  // Reviews
  var leaseBox = part('lease');
  var reviewForm = part('review-form');
  var selfForm = part('self-form');
  var drafts = {}; // {kind: the Autosaver of that review in progress}

  /* A review in progress is kept on the server from its first change, and restored (extras). */
  function keepDraft(form, kind) {
    function start() {
      form.removeEventListener('input', start);
      more(function (x) { drafts[kind] = x.keepDraft(page, form, kind, function () { return lease && lease.id; }); });
    }
    on(form, 'input', start);
  }
  function restore(form, kind) {
    if (state.drafts[kind]) { more(function (x) { x.restore(page, form, state.drafts[kind]); }); }
  }
  function sent(kind) {
    if (drafts[kind]) { drafts[kind].cancel(); drafts[kind].forget(); }
  }
  keepDraft(reviewForm, 'peer');
  keepDraft(selfForm, 'self');

  function showLease(found) {
    if (found && (!lease || lease.id !== found.id)) {
      rubricForm(part('rubric', leaseBox), true);
      if (state.peer.lease && state.peer.lease.id === found.id) { restore(reviewForm, 'peer'); }
    }
    lease = found;
    leaseBox.hidden = !found;
    part('next').hidden = !!found;
    if (found) {
      put('lease-until', t('reserved_until', {time: date(found.expires)}));
      content(part('lease-content'), found);
    }
  }
  on(part('next'), 'click', function () {
    BizMOOC.clearError(root);
    call('next_review', {}).then(function (result) {
      part('none').hidden = !!result.lease;
      if (result.lease) { showLease(result.lease); leaseBox.focus(); }
      announce(result.lease ? t('lease_shown') : part('none').textContent);
    }, fail);
  });
  onRubric(reviewForm, 'submit_review', function (d) { return Object.assign({lease: lease.id}, d); }, function (s) {
    sent('peer');
    lease = null;
    render(s, s.step !== 'peer');
    if (s.step === 'peer') { part('next').focus(); }
    announce(t('review_sent'));
  });
  onRubric(selfForm, 'submit_self_review', function (d) { return d; }, function (s) {
    sent('self');
    render(s, true);
    announce(t('self_sent'));
  });

  var notify = part('notify');
  on(notify, 'toggle', function () {
    if (notify.open && !notify.dataset.loaded) { more(function (x) { x.notify(page, notify); }); }
  });

  if (part('staff') && window.BizMOOCPeerReviewStaff) {
    window.BizMOOCPeerReviewStaff(Object.assign({csvUrl: runtime.handlerUrl(host, 'export_csv')}, page));
  }

  // A copy on this device the server never confirmed is sent again (a 409 opens the conflict panel).
  var local = state.step === 'submit' && saver.localCopy();
  var choices = type === 'artefact' && state.step === 'submit' ? new Promise(function (resolve) {
    more(function (x) { x.choices(page, pick).then(resolve); });
  }) : Promise.resolve();
  choices.then(function () {
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
  if (config.files) { // the upload field and lists of files (peer_review_files.js)
    BizMOOC.loadScript(config.files.script, 'BizMOOCPeerReviewFiles').then(function (x) {
      x(page, state, config.files);
      render(state);
    }, fail);
  }
}

window.BizMOOCPeerReview = BizMOOC.initializer(init);
}());
