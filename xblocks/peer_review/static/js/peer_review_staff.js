/* Peer review, staff dashboard (loaded for staff only): summary, filtered pages of
 * submissions, one submission with its reviews, staff grade, override, remove, reset.
 * Uses the learner script's helpers (peer_review.js hands them over). */
(function () {
'use strict';
window.BizMOOCPeerReviewStaff = function (x) {
  const {runtime, host, R, strings, $, on, t, call, announce, fail, clear, confirm, content, rubricForm, onRubric,
    reviewView, gradeView, el, num, date} = x;
  const staff = $('.pr-staff');
  const panel = $('.pr-staff-panel');
  const viewer = $('.pr-staff-view');
  const toggle = $('.pr-staff-toggle');
  let page = 1;
  let pages = 1;
  let current = null;
  let opener = null;
  const csv = runtime.handlerUrl(host, 'export_csv');
  staff.querySelectorAll('a[data-what]').forEach((a) => { a.href = csv + (csv.includes('?') ? '&' : '?') + 'what=' + a.dataset.what; });

  function load() {
    return call('staff_dashboard', {page: page, filter: $('.pr-filter').value}, 'GET').then((d) => {
      const sum = d.summary;
      page = d.page;
      pages = d.pages;
      $('.pr-summary').replaceChildren(...[['submissions', sum.submissions], ['waiting', sum.waiting],
        ['longest', num(sum.longest_wait_hours)], ['outstanding', sum.reviews_outstanding], ['flagged', sum.flagged]]
        .flatMap(([k, v]) => [el('dt', '', t('summary_' + k)), el('dd', '', String(v))]));
      $('.pr-distribution tbody').replaceChildren(...sum.grades.map((g) => {
        const row = el('tr');
        row.append(el('td', '', g.label), el('td', '', String(g.count)));
        return row;
      }));
      $('.pr-rows tbody').replaceChildren(...d.rows.map((row) => {
        const tr = el('tr');
        const marks = [status(row.status)].concat(row.to_staff ? [t('to_staff_mark')] : [], row.flagged ? [t('reported')] : []);
        [row.learner, row.submitted_at ? date(row.submitted_at) : '', row.received, row.given,
          row.waiting_hours === null ? '' : num(row.waiting_hours), row.grade === null ? t('none') : num(row.grade),
          marks.join(', ')].forEach((v) => tr.append(el('td', '', String(v))));
        const button = el('button', 'bizmooc-button secondary', t('open') + ' ');
        button.type = 'button';
        button.dataset.id = row.id;
        button.append(el('span', 'bizmooc-visually-hidden', row.learner));
        on(button, 'click', () => open(row, button));
        const cell = el('td');
        cell.append(button);
        tr.append(cell);
        return tr;
      }));
      $('.pr-no-rows').hidden = d.total > 0;
      $('.pr-rows').hidden = !d.total;
      $('.pr-page').textContent = t('page', {page: d.page, pages: Math.max(d.pages, 1), total: d.total});
      $('.pr-prev').disabled = page <= 1;
      $('.pr-next-page').disabled = page >= pages;
    }, fail);
  }

  function open(row, button) {
    call('staff_submission', {submission: row.id}, 'GET').then((found) => {
      current = row;
      opener = button;
      viewer.querySelectorAll('details').forEach((box) => { box.open = false; });
      viewer.querySelectorAll('form').forEach((form) => { form.reset(); clear(form); });
      showSubmission(found);
      $('.pr-override-form [name=points]').max = R.max_points;
      rubricForm($('.pr-staff-form .pr-rubric'), true);
      viewer.hidden = false;
      viewer.focus();
    }, fail);
  }

  function showSubmission(found) {
    $('h5', viewer).textContent = t('submission_of', {learner: current.learner});
    $('.pr-sv-status').textContent = t('status_line', {status: status(found.submission.status)});
    content($('.pr-sv-content'), found.submission);
    $('.pr-sv-reviews').replaceChildren(...found.reviews.map((review, i) => reviewView(review, i + 1, true)));
    gradeView($('.pr-sv-grade'), found.grade, 'grade_of');
  }
  const reopen = () => call('staff_submission', {submission: current.id}, 'GET').then(showSubmission, fail);
  const done = (message) => { announce(message); return load(); };
  const close = () => {
    viewer.hidden = true;
    (opener.isConnected ? opener : $('.pr-rows button[data-id="' + current.id + '"]') || $('.pr-filter')).focus();
  };
  const status = (s) => (strings['st_' + s] || s);

  on(toggle, 'click', () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute('aria-expanded', String(!panel.hidden));
    toggle.textContent = t(panel.hidden ? 'show_dashboard' : 'hide_dashboard');
    if (!panel.hidden) { load(); }
  });
  on($('.pr-filter'), 'change', () => { page = 1; load(); });
  on($('.pr-prev'), 'click', () => { page -= 1; load().then(() => $(page > 1 ? '.pr-prev' : '.pr-next-page').focus()); });
  on($('.pr-next-page'), 'click', () => { page += 1; load().then(() => $(page < pages ? '.pr-next-page' : '.pr-prev').focus()); });
  on($('.pr-sv-close'), 'click', close);

  onRubric($('.pr-staff-form'), 'staff_grade', (d) => Object.assign({submission: current.id}, d), () => {
    reopen();
    done(t('staff_graded'));
  });
  const override = $('.pr-override-form');
  on(override, 'submit', (event) => {
    event.preventDefault();
    clear(override);
    const points = override.elements.points;
    const reason = override.elements.reason;
    const value = Number(points.value);
    if (points.value.trim() === '' || !(value >= 0 && value <= R.max_points)) {
      fail({message: t('points_needed', {max: num(R.max_points)})}, points);
      return;
    }
    if (!reason.value.trim()) { fail({message: t('reason_needed')}, reason); return; }
    call('override_grade', {submission: current.id, points: value, reason: reason.value.trim()}).then(() => {
      reopen();
      done(t('overridden'));
    }, (error) => fail(error, override.elements[error.field]));
  });
  const remove = $('.pr-remove-form');
  on(remove, 'submit', (event) => {
    event.preventDefault();
    clear(remove);
    const reason = remove.elements.reason;
    const button = $('button', remove);
    if (!reason.value.trim()) { fail({message: t('reason_needed')}, reason); return; }
    confirm(button, t('confirm_remove'), t('yes_remove'), () => {
      call('remove_submission', {submission: current.id, reason: reason.value.trim()}).then(() => {
        reason.value = '';
        done(t('removed')).then(close);
      }, (error) => fail(error, reason));
    });
  });
  on($('.pr-regrade'), 'click', (event) => {
    const button = event.currentTarget;
    confirm(button, t('confirm_regrade'), t('yes_regrade'), () => {
      call('regrade', {}).then((d) => {
        $('.pr-regrade-result').textContent = d.message;
        button.focus();
        return load();
      }, fail);
    });
  });
  on($('.pr-reset'), 'click', (event) => {
    confirm(event.currentTarget, t('confirm_reset'), t('yes_reset'), () => {
      call('reset_learner', {submission: current.id}).then(() => done(t('reset_done')).then(close), fail);
    });
  });
};
}());
