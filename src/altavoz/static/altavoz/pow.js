/* The proof-of-work widget (ALTCHA, about 90 KB) is fetched only once the person starts on
   the form: a phone that only reads the page never downloads it. The widget then solves its
   challenge while they type (it needs seconds; filling the form takes longer). */
(function () {
  "use strict";
  var widget = document.querySelector("altcha-widget[data-src]");
  var form = widget && widget.closest("form");
  if (!form) { return; }
  var loaded = false;
  function load() {
    if (loaded) { return; }
    loaded = true;
    var script = document.createElement("script");
    script.type = "module";
    script.src = widget.getAttribute("data-src");
    document.head.appendChild(script);
  }
  form.addEventListener("focusin", load);
  form.addEventListener("pointerdown", load);
  if (form.querySelector(".error-summary")) { load(); }
}());
