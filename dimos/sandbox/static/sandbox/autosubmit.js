// The sandbox gateway sends the browser back to the municipality at once, as a real gateway
// does. Without JavaScript the form's visible button does the same.
"use strict";
document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
  form.submit();
});
