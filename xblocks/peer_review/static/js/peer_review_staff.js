/* Peer review, staff dashboard (loaded for staff only): summary, filtered pages of
 * submissions, one submission with its reviews, staff grade, override, remove, reset.
 *
 * peer_review.js calls window.BizMOOCPeerReviewStaff(page) with the page's API:
 *   root, rubric          the block's element and its rubric (JSON)
 *   t(key, params)        a translated string; call(handler, data, method): BizMOOC.call for this block
 *   fail(error, input)    show an error (on the field); confirm(anchor, message, label, yes)
 *   content(box, work)    draw a submission; rubricForm(holder, comments), onRubric(form, handler, body, done)
 *   reviewView(review, n, staff), gradeView(box, grade, key): a review, a grade
 *   csvUrl                the export handler's URL */
(function () {
  'use strict';

  /* Looked up when called: this file may run before bizmooc.js has (a reload from cache). */
  function el(tag, className, text) { return BizMOOC.element(tag, className, text); }

  function num(x) { return String(Math.round(x * 100) / 100); }

  window.BizMOOCPeerReviewStaff = function (page) {
    var root = page.root;
    var t = page.t;
    var fail = page.fail;
    var panel = find('.pr-staff-panel');
    var viewer = find('.pr-staff-view');
    var toggle = find('.pr-staff-toggle');
    var number = 1;
    var pages = 1;
    var current = null;
    var opener = null;

    function find(selector) { return root.querySelector(selector); }
    function on(selector, name, handler) { find(selector).addEventListener(name, handler); }
    function clear(form) { BizMOOC.clearFieldErrors(form); BizMOOC.clearError(root); }
    function status(name) { return t('st_' + name); }

    Array.prototype.forEach.call(root.querySelectorAll('.pr-staff a[data-what]'), function (a) {
      a.href = page.csvUrl + (page.csvUrl.indexOf('?') < 0 ? '?' : '&') + 'what=' + a.dataset.what;
    });

    function summaryItems(sum) {
      var items = [];
      [['submissions', sum.submissions], ['waiting', sum.waiting], ['longest', num(sum.longest_wait_hours)],
        ['outstanding', sum.reviews_outstanding], ['flagged', sum.flagged]].forEach(function (pair) {
        items.push(el('dt', '', t('summary_' + pair[0])), el('dd', '', pair[1]));
      });
      return items;
    }

    function rowOf(row) {
      var tr = el('tr');
      var marks = [status(row.status)];
      if (row.to_staff) { marks.push(t('to_staff_mark')); }
      if (row.flagged) { marks.push(t('reported')); }
      [row.learner, row.submitted_at ? BizMOOC.formatDate(row.submitted_at) : '', row.received, row.given,
        row.waiting_hours === null ? '' : num(row.waiting_hours), row.grade === null ? t('none') : num(row.grade),
        marks.join(', ')].forEach(function (value) { tr.append(el('td', '', value)); });
      var button = el('button', '', t('open') + ' ');
      var name = el('span', '', row.learner);
      var cell = el('td');
      button.type = 'button';
      button.className = 'bizmooc-button secondary';
      button.dataset.id = row.id;
      name.className = 'bizmooc-visually-hidden';
      button.append(name);
      button.addEventListener('click', function () { open(row, button); });
      cell.append(button);
      tr.append(cell);
      return tr;
    }

    function load() {
      return page.call('staff_dashboard', {page: number, filter: find('.pr-filter').value}, 'GET').then(function (d) {
        number = d.page;
        pages = d.pages;
        find('.pr-summary').replaceChildren.apply(find('.pr-summary'), summaryItems(d.summary));
        find('.pr-distribution tbody').replaceChildren.apply(find('.pr-distribution tbody'),
          d.summary.grades.map(function (g) {
            var row = el('tr');
            row.append(el('td', '', g.label), el('td', '', g.count));
            return row;
          }));
        find('.pr-rows tbody').replaceChildren.apply(find('.pr-rows tbody'), d.rows.map(rowOf));
        find('.pr-no-rows').hidden = d.total > 0;
        find('.pr-rows').hidden = !d.total;
        find('.pr-page').textContent = t('page', {page: d.page, pages: Math.max(d.pages, 1), total: d.total});
        find('.pr-prev').disabled = number <= 1;
        find('.pr-next-page').disabled = number >= pages;
      }, fail);
    }

    function open(row, button) {
      page.call('staff_submission', {submission: row.id}, 'GET').then(function (found) {
        current = row;
        opener = button;
        Array.prototype.forEach.call(viewer.querySelectorAll('details'), function (box) { box.open = false; });
        Array.prototype.forEach.call(viewer.querySelectorAll('form'), function (form) { form.reset(); clear(form); });
        showSubmission(found);
        find('.pr-override-form [name=points]').max = page.rubric.max_points;
        page.rubricForm(find('.pr-staff-form .pr-rubric'), true);
        viewer.hidden = false;
        viewer.focus();
      }, fail);
    }

    function showSubmission(found) {
      find('.pr-staff-view h5').textContent = t('submission_of', {learner: found.learner || current.learner});
      find('.pr-sv-status').textContent = t('status_line', {status: status(found.submission.status)});
      page.content(find('.pr-sv-content'), found.submission);
      find('.pr-sv-reviews').replaceChildren.apply(find('.pr-sv-reviews'), found.reviews.map(function (review, i) {
        return page.reviewView(review, i + 1, true);
      }));
      page.gradeView(find('.pr-sv-grade'), found.grade, 'grade_of');
    }
    function reopen() {
      return page.call('staff_submission', {submission: current.id}, 'GET').then(showSubmission, fail);
    }
    function done(message) { BizMOOC.announce(root, message); return load(); }
    function close() {
      viewer.hidden = true;
      (opener.isConnected ? opener : find('.pr-rows button[data-id="' + current.id + '"]') || find('.pr-filter')).focus();
    }

    on('.pr-staff-toggle', 'click', function () {
      panel.hidden = !panel.hidden;
      toggle.setAttribute('aria-expanded', String(!panel.hidden));
      toggle.textContent = t(panel.hidden ? 'show_dashboard' : 'hide_dashboard');
      if (!panel.hidden) { load(); }
    });
    on('.pr-filter', 'change', function () { number = 1; load(); });
    on('.pr-prev', 'click', function () {
      number -= 1;
      load().then(function () { find(number > 1 ? '.pr-prev' : '.pr-next-page').focus(); });
    });
    on('.pr-next-page', 'click', function () {
      number += 1;
      load().then(function () { find(number < pages ? '.pr-next-page' : '.pr-prev').focus(); });
    });
    on('.pr-sv-close', 'click', close);

    page.onRubric(find('.pr-staff-form'), 'staff_grade', function (d) {
      return Object.assign({submission: current.id}, d);
    }, function () {
      reopen();
      done(t('staff_graded'));
    });

    var override = find('.pr-override-form');
    override.addEventListener('submit', function (event) {
      event.preventDefault();
      clear(override);
      var points = override.elements.points;
      var reason = override.elements.reason;
      var value = Number(points.value);
      if (points.value.trim() === '' || !(value >= 0 && value <= page.rubric.max_points)) {
        fail({message: t('points_needed', {max: num(page.rubric.max_points)})}, points);
        return;
      }
      if (!reason.value.trim()) { fail({message: t('reason_needed')}, reason); return; }
      page.call('override_grade', {submission: current.id, points: value, reason: reason.value.trim()}).then(function () {
        reopen();
        done(t('overridden'));
      }, function (error) { fail(error, override.elements[error.field]); });
    });

    var remove = find('.pr-remove-form');
    remove.addEventListener('submit', function (event) {
      event.preventDefault();
      clear(remove);
      var reason = remove.elements.reason;
      var button = remove.querySelector('button');
      if (!reason.value.trim()) { fail({message: t('reason_needed')}, reason); return; }
      page.confirm(button, t('confirm_remove'), t('yes_remove'), function () {
        page.call('remove_submission', {submission: current.id, reason: reason.value.trim()}).then(function () {
          reason.value = '';
          done(t('removed')).then(close);
        }, function (error) { fail(error, reason); });
      });
    });

    on('.pr-regrade', 'click', function (event) {
      var button = event.currentTarget;
      page.confirm(button, t('confirm_regrade'), t('yes_regrade'), function () {
        page.call('regrade', {}).then(function (d) {
          find('.pr-regrade-result').textContent = d.message;
          button.focus();
          return load();
        }, fail);
      });
    });
    on('.pr-reset', 'click', function (event) {
      page.confirm(event.currentTarget, t('confirm_reset'), t('yes_reset'), function () {
        page.call('reset_learner', {submission: current.id}).then(function () {
          return done(t('reset_done')).then(close);
        }, fail);
      });
    });
  };
}());
