/* Reflection journal editor in Studio: every setting is a row of the shared settings form
 * (common/settings_form.py), prompts included (the shared row-list editor). */
(function () {
  'use strict';
  window.BizMOOCReflectionJournalStudio = BizMOOC.initializer(function (runtime, host, args) {
    BizMOOC.settingsEditor(runtime, host, args);
  });
}());
