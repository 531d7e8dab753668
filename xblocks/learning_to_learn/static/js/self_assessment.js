/* Competence self-assessment: collects the radio groups, keeps them as a draft on the server
 * as the learner answers (BizMOOC.Autosaver, compare-and-set on the draft's version), shows one
 * competence per screen on a phone, submits, swaps in the profile the server rendered (escaped
 * by Django), toggles revising, loads the staff report. */
(function () {
  'use strict';

  var PHONE = '(max-width: 40rem)';

  function init(runtime, host, args) {
    var root = host.querySelector('.bizmooc-assessment') || host;
    if (!args || args.signed_out || args.author) { return; }
    var strings = args.strings;
    var formHost = root.querySelector('.sa-form-host');
    var profileHost = root.querySelector('.sa-profile-host');
    var phone = window.matchMedia ? window.matchMedia(PHONE) : null;
    var saver = null;
    var version = 0;
    var step = 0;

    /* The form is on the page until the first answer; after that it is fetched when the
     * learner chooses to revise (revision_form), filled with their answers or their draft. */
    function currentForm() { return formHost.querySelector('.sa-form'); }

    function groups(form) { return Array.prototype.slice.call(form.querySelectorAll('.sa-competence')); }

    function collect(form) {
      var ratings = {};
      var evidence = {};
      var missing = [];
      groups(form).forEach(function (group) {
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

    /* Put answers kept on this device back into the form. */
    function fill(form, answers) {
      groups(form).forEach(function (group) {
        var id = group.getAttribute('data-competence');
        if (Object.prototype.hasOwnProperty.call(answers.ratings || {}, id)) {
          var value = answers.ratings[id] === null ? '' : String(answers.ratings[id]);
          var radio = group.querySelector('input[type=radio][value="' + value + '"]');
          if (radio) { radio.checked = true; }
        }
        var text = group.querySelector('textarea');
        if (text && answers.evidence && answers.evidence[id]) { text.value = answers.evidence[id]; }
      });
    }

    function markMissing(form, missing) {
      groups(form).forEach(function (group) {
        group.classList.toggle('sa-missing', missing.indexOf(group) >= 0);
      });
    }

    /* One competence per screen on a phone: the others (and their areas) hidden, progress
     * "3 of 15", Back/Next. On a wider screen the whole form, as a list. */
    function showStep(form, index, focus) {
      var all = groups(form);
      var stepped = phone && phone.matches;
      step = Math.max(0, Math.min(index, all.length - 1));
      form.classList.toggle('sa-stepped', Boolean(stepped));
      form.querySelector('.sa-stepper').hidden = !stepped;
      all.forEach(function (group, position) { group.hidden = stepped && position !== step; });
      Array.prototype.forEach.call(form.querySelectorAll('.sa-area'), function (area) {
        area.hidden = stepped && !area.contains(all[step]);
      });
      if (!stepped) { return; }
      form.querySelector('.sa-step-progress').textContent = BizMOOC.t(strings, 'step',
        {count: step + 1, total: all.length});
      form.querySelector('.sa-back').disabled = step === 0;
      form.querySelector('.sa-next').disabled = step === all.length - 1;
      if (focus) {
        var target = all[step].querySelector('input[type=radio]:checked') || all[step].querySelector('input');
        target.focus();
      }
    }

    function focusGroup(form, group) {
      showStep(form, groups(form).indexOf(group), false);
      group.querySelector('input').focus();
    }

    function setupForm(form) {
      version = parseInt(form.getAttribute('data-version'), 10) || 0;
      var saveState = form.querySelector('.sa-save-state');
      saver = new BizMOOC.Autosaver({
        key: args.storage_key,
        delay: args.autosave_ms,
        send: function (answers) {
          return BizMOOC.call(runtime, host, 'save_draft',
            {ratings: answers.ratings, evidence: answers.evidence, version: version})
            .then(function (result) { version = result.version; return result; });
        },
        onState: function (name, detail) {
          saveState.textContent = ['pending', 'saving', 'saved', 'offline'].indexOf(name) >= 0
            ? BizMOOC.t(strings, name === 'pending' ? 'unsaved' : name) : '';
          if (name === 'conflict' && detail.details) {
            // Saved meanwhile from another tab or device: this page's answers are kept.
            version = detail.details.version;
            BizMOOC.announce(root, BizMOOC.t(strings, 'conflict'));
            changed();
          } else if (name === 'error' || name === 'conflict') {
            BizMOOC.showError(root, strings, detail);
          }
        }
      });
      // A copy this device never got confirmed (a reload offline): restore it if it was saved
      // from the draft the server has; an older one lost to newer answers from elsewhere.
      var local = saver.localCopy();
      if (local && local.version === version) {
        fill(form, local);
        saver.change(collect(form));
      } else if (local) {
        saver.forget();
      }
      showStep(form, 0, false);
    }

    function changed() {
      var form = currentForm();
      var answers = collect(form);
      answers.version = version;
      saver.change(answers);
    }

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
      showStep(currentForm(), 0, true);
      if (!(phone && phone.matches)) {
        var form = currentForm();
        (form.querySelector('input[type=radio]:checked') || form.querySelector('input[type=radio]')).focus();
      }
    }

    root.addEventListener('change', function (event) {
      if (event.target.closest('.sa-form') && event.target.type === 'radio') { changed(); }
    });
    root.addEventListener('input', function (event) {
      if (event.target.closest('.sa-form') && event.target.tagName === 'TEXTAREA') { changed(); }
    });

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
        focusGroup(form, answers.missing[0]);
        return;
      }
      var button = form.querySelector('.sa-submit');
      button.disabled = true;
      saver.cancel().then(function () {
        return BizMOOC.call(runtime, host, 'submit_assessment', {ratings: answers.ratings, evidence: answers.evidence});
      }).then(function (result) {
        button.disabled = false;
        saver.forget();
        version = 0;  // the draft is done with: the next revision starts a new one
        form.setAttribute('data-version', '0');
        form.querySelector('.sa-save-state').textContent = '';
        profileHost.innerHTML = result.profile_html;
        showProfile();
        BizMOOC.announce(root, BizMOOC.t(strings, 'submitted'));
      }, function (error) {
        button.disabled = false;
        var group = error.field && form.querySelector('[data-competence="' + CSS.escape(error.field) + '"]');
        if (group) { markMissing(form, [group]); focusGroup(form, group); }
        BizMOOC.showError(root, strings, error);
      });
    });

    root.addEventListener('click', function (event) {
      var revise = event.target.closest('.sa-revise');
      var move = event.target.closest('.sa-back, .sa-next');
      if (move) {
        showStep(currentForm(), step + (move.classList.contains('sa-next') ? 1 : -1), true);
      } else if (revise) {
        if (currentForm()) { showForm(); return; }
        revise.disabled = true;
        BizMOOC.call(runtime, host, 'revision_form', null, {method: 'GET'}).then(function (result) {
          revise.disabled = false;
          formHost.innerHTML = result.html;  // rendered and escaped by the server
          setupForm(currentForm());
          showForm();
        }, function (error) {
          revise.disabled = false;
          BizMOOC.showError(root, strings, error);
        });
      } else if (event.target.closest('.sa-cancel')) {
        showProfile();
      }
    });

    if (currentForm()) { setupForm(currentForm()); }
    if (phone && phone.addEventListener) {
      phone.addEventListener('change', function () { if (currentForm()) { showStep(currentForm(), step, false); } });
    }

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
