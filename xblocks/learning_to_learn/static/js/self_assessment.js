/* Competence self-assessment: collects the radio groups, submits, swaps in the profile
 * the server rendered (escaped by Django), toggles revising, loads the staff report. */
(function () {
  'use strict';

  function init(runtime, host, args) {
    var root = host.querySelector('.bizmooc-assessment') || host;
    if (!args || args.signed_out || args.author) { return; }
    var strings = args.strings;
    var formHost = root.querySelector('.sa-form-host');
    var profileHost = root.querySelector('.sa-profile-host');

    /* The form is on the page until the first answer; after that it is fetched when the
     * learner chooses to revise (revision_form), filled with their answers. */
    function currentForm() { return formHost.querySelector('.sa-form'); }

    function showProfile() {
      formHost.hidden = true;
      profileHost.hidden = false;
      var cancel = currentForm() && currentForm().querySelector('.sa-cancel');
      if (cancel) { cancel.hidden = false; }  // answered now: revising may be cancelled
      var heading = profileHost.querySelector('h4');
      if (heading) { heading.tabIndex = -1; heading.focus(); }
    }

    function showForm() {
      formHost.hidden = false;
      profileHost.hidden = true;
      var form = currentForm();
      var first = form.querySelector('input[type=radio]:checked') || form.querySelector('input[type=radio]');
      if (first) { first.focus(); }
    }

    function collect(form) {
      var ratings = {};
      var evidence = {};
      var missing = [];
      Array.prototype.forEach.call(form.querySelectorAll('.sa-competence'), function (group) {
        var id = group.getAttribute('data-competence');
        var checked = group.querySelector('input[type=radio]:checked');
        if (!checked) {
          missing.push(group);
        } else {
          ratings[id] = checked.value === '' ? null : parseInt(checked.value, 10);
        }
        var text = group.querySelector('textarea');
        if (text && text.value.trim()) { evidence[id] = text.value; }
      });
      return {ratings: ratings, evidence: evidence, missing: missing};
    }

    function markMissing(form, groups) {
      Array.prototype.forEach.call(form.querySelectorAll('.sa-competence'), function (group) {
        group.classList.toggle('sa-missing', groups.indexOf(group) >= 0);
      });
    }

    root.addEventListener('submit', function (event) {
      var form = event.target.closest('.sa-form');
      if (!form) { return; }
      event.preventDefault();
      BizMOOC.clearError(root);
      var answers = collect(form);
      markMissing(form, answers.missing);
      if (answers.missing.length) {
        var message = BizMOOC.t(strings, 'missing', {count: answers.missing.length});
        BizMOOC.showError(root, strings, {message: message});
        answers.missing[0].querySelector('input').focus();
        return;
      }
      var button = form.querySelector('.sa-submit');
      button.disabled = true;
      BizMOOC.call(runtime, host, 'submit_assessment', {ratings: answers.ratings, evidence: answers.evidence})
        .then(function (result) {
          button.disabled = false;
          profileHost.innerHTML = result.profile_html;
          showProfile();
          BizMOOC.announce(root, BizMOOC.t(strings, 'submitted'));
        }, function (error) {
          button.disabled = false;
          var group = error.field && form.querySelector('[data-competence="' + CSS.escape(error.field) + '"]');
          if (group) { markMissing(form, [group]); group.querySelector('input').focus(); }
          BizMOOC.showError(root, strings, error);
        });
    });

    root.addEventListener('click', function (event) {
      var revise = event.target.closest('.sa-revise');
      if (revise) {
        if (currentForm()) { showForm(); return; }
        revise.disabled = true;
        BizMOOC.call(runtime, host, 'revision_form', null, {method: 'GET'}).then(function (result) {
          revise.disabled = false;
          formHost.innerHTML = result.html;  // rendered and escaped by the server
          showForm();
        }, function (error) {
          revise.disabled = false;
          BizMOOC.showError(root, strings, error);
        });
      } else if (event.target.closest('.sa-cancel')) {
        showProfile();
      }
    });

    var staffButton = root.querySelector('.sa-show-staff');
    if (staffButton) {
      var panel = root.querySelector('.sa-staff-panel');
      staffButton.addEventListener('click', function () {
        var open = staffButton.getAttribute('aria-expanded') === 'true';
        staffButton.setAttribute('aria-expanded', String(!open));
        panel.hidden = open;
        if (open || panel.getAttribute('data-loaded')) { return; }
        panel.textContent = BizMOOC.t(strings, 'loading');
        BizMOOC.call(runtime, host, 'staff_report', null, {method: 'GET'}).then(function (result) {
          panel.innerHTML = result.html;
          panel.setAttribute('data-loaded', 'true');
        }, function (error) {
          panel.textContent = '';
          BizMOOC.showError(root, strings, error);
        });
      });
    }
  }

  window.BizMOOCSelfAssessment = BizMOOC.initializer(init);
}());
