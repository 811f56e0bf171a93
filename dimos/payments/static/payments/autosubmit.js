// Submit the signed form to the card gateway at once; without JavaScript the person presses
// the button. No inline script: the content security policy forbids it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosubmit]");
  if (form) { form.submit(); }
})();
