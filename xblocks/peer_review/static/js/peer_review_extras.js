/* Peer review: what few learners need or what is needed late, loaded on first use by
 * peer_review.js (BizMOOC.loadScript), which hands each function its page API:
 *   root, rubric, t(key, params), call(handler, data, method), fail(error, input), announce(message),
 *   content(box, work), rubricForm(holder, comments), onRubric(form, handler, body, done),
 *   formValues(form), put(name, text, from), part(name, from), clone(name), uid(), render(state, focus). */
(function () {
  'use strict';

  function each(nodes, fn) { Array.prototype.forEach.call(nodes, fn); }

  /* Yes/no next to `anchor` before an action that cannot be undone. */
  function confirm(page, anchor, message, label, yes) {
    var box = page.clone('confirm');
    var old = page.part('confirm', anchor.parentNode);
    if (old) { old.remove(); }
    box.querySelector('p').textContent = message;
    page.put('yes', label, box);
    page.part('yes', box).addEventListener('click', function () { box.remove(); yes(); });
    page.part('no', box).addEventListener('click', function () { box.remove(); anchor.focus(); });
    anchor.after(box);
    page.part('yes', box).focus();
  }

  /* The learner's own works from the component the block asks for, as options of `pick`. */
  function choices(page, pick) {
    return page.call('my_artefacts', null, 'GET').then(function (result) {
      result.choices.forEach(function (c) {
        var option = document.createElement('option');
        option.textContent = c.label;
        option.value = c.id;
        pick.append(option);
      });
      pick.disabled = !result.choices.length;
      page.put('artefact-help', page.t(result.choices.length ? 'artefact_hint' : 'no_artefacts'));
    }, page.fail);
  }

  /* The draft was changed elsewhere: load the newer one or keep this one (`draft.load`, `draft.keep`). */
  function conflict(page, newer, draft) {
    var box = page.part('conflict');
    var load = page.part('load-newer');
    var keep = page.part('keep-mine');
    function choose(run, message) {
      return function () {
        load.onclick = keep.onclick = null;
        box.hidden = true;
        run(newer);
        page.announce(page.t(message));
      };
    }
    load.onclick = choose(draft.load, 'loaded_newer');
    keep.onclick = choose(draft.keep, 'kept_mine');
    box.hidden = false;
    load.focus();
  }

  /* Training, as ORA2: the learner learns which criteria differ from the course team's scores,
   * never which option the course team chose, and checks again until all match. */
  function training(page) {
    var form = page.part('training-form');
    var next = page.part('training-next');
    var example = null;
    function load() {
      page.call('training_example', null, 'GET').then(function (result) {
        example = result.example;
        if (!example) {
          page.call('state', null, 'GET').then(function (s) { page.render(s, true); }, page.fail);
          return;
        }
        page.put('training-progress', page.t('training_progress', {done: result.done, total: result.total}));
        page.content(page.part('training-content'), example);
        page.rubricForm(page.part('rubric', form), false);
        next.hidden = true;
      }, page.fail);
    }
    page.onRubric(form, 'training_answer', function (d) { return {index: example.index, scores: d.scores}; },
      function (result) {
        each(form.querySelectorAll('.pr-criterion'), function (set) {
          var right = result.correct[set.dataset.criterion];
          page.part('verdict', set).className = 'pr-verdict pr-' + (right ? 'right' : 'wrong');
          page.put('verdict', page.t(right ? 'correct' : 'differs'), set);
        });
        page.announce(page.t(result.passed ? 'training_passed' : 'training_retry'));
        if (result.passed && result.state.step !== 'training') {
          page.render(result.state, true);
          page.announce(page.t('training_done'));
        } else if (result.passed) {
          next.hidden = false;
          next.focus();
        }
      });
    next.addEventListener('click', function () { load(); page.part('training').focus(); });
    load();
    return {load: load};
  }

  /* The learner reports a review of their work to the course team, with a reason. */
  function flag(page, review, item, button) {
    var form = page.clone('flag');
    var input = form.querySelector('textarea');
    input.id = form.querySelector('label').htmlFor = page.uid();
    button.hidden = true;
    item.append(form);
    input.focus();
    page.part('no', form).addEventListener('click', function () { form.remove(); button.hidden = false; button.focus(); });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      BizMOOC.clearFieldErrors(form);
      var reason = input.value.trim();
      if (!reason) { page.fail({message: page.t('flag_reason')}, input); return; }
      page.call('flag_review', {review: review.id, reason: reason}).then(function () {
        form.remove();
        button.remove();
        page.put('flagged', page.t('flagged'), item);
        page.part('flagged', item).focus();
        page.announce(page.t('flagged'));
      }, function (error) { page.fail(error, input); });
    });
  }

  /* A review in progress (`kind` peer or self) saved on the server as it changes; its Autosaver. */
  function keepDraft(page, form, kind, leaseId) {
    var saver = new BizMOOC.Autosaver({
      key: 'bizmooc-peer-review:' + page.root.id + ':' + kind,
      delay: 1500,
      send: function (value) { return page.call('save_review_draft', value); },
      onState: function (name) {
        var key = {saving: 'saving', saved: 'saved', offline: 'offline'}[name];
        if (key) { page.put('draft-state', page.t(key), form); }
      }
    });
    function changed() {
      saver.change(Object.assign(page.formValues(form), {kind: kind, lease: kind === 'peer' ? leaseId() || '' : ''}));
    }
    form.addEventListener('input', changed);
    changed();
    return saver;
  }

  /* Fill a review form with the review in progress the server kept. */
  function restore(page, form, draft) {
    each(form.querySelectorAll('.pr-criterion'), function (set) {
      each(set.querySelectorAll('input'), function (input) {
        input.checked = draft.scores[set.dataset.criterion] === input.value;
      });
    });
    each(form.querySelectorAll('textarea[data-comment]'), function (input) {
      var id = input.dataset.comment;
      input.value = (id ? draft.comments[id] : draft.feedback) || '';
    });
    page.announce(page.t('review_restored'));
  }

  /* "Email me when…": the learner's choices, read when the box is first opened, saved on each change. */
  function notify(page, box) {
    box.dataset.loaded = '1';
    page.call('notification_preferences', null, 'GET').then(function (result) {
      each(box.querySelectorAll('input[data-kind]'), function (input) {
        input.checked = result.preferences[input.dataset.kind] !== false;
        input.disabled = false;
      });
    }, function (error) { delete box.dataset.loaded; page.fail(error); });
    if (box.dataset.wired) { return; } // opened again after a failed load
    box.dataset.wired = '1';
    box.addEventListener('change', function (event) {
      var input = event.target;
      page.call('set_notification_preference', {kind: input.dataset.kind, enabled: input.checked}).then(function () {
        page.announce(page.t('notify_saved'));
      }, function (error) { input.checked = !input.checked; page.fail(error, input); });
    });
  }

  window.BizMOOCPeerReviewExtras = {
    confirm: confirm, choices: choices, conflict: conflict, training: training, flag: flag,
    keepDraft: keepDraft, restore: restore, notify: notify
  };
}());
