/* Altavoz on another site, in one line:
     <script src="https://HOST/static/altavoz/embed.js" data-campaign="SLUG" async></script>
   (data-language="es" or "ht" for Spanish or Haitian Creole). Inserts the campaign's form in a
   frame right after the script and sizes the frame to its content. Only messages from the
   Altavoz site this script came from, and from its own frame, are listed to. The frame loads
   nothing from anywhere else; the campaign must name this site (its embed settings) or the
   browser refuses to show it. */
(function () {
  "use strict";
  var LANGUAGES = { es: "/es", ht: "/ht" };
  var MAX_HEIGHT = 20000;

  function insert(script) {
    var slug = script.getAttribute("data-campaign") || "";
    if (!/^[-A-Za-z0-9_]+$/.test(slug) || script.getAttribute("data-altavoz-frame")) { return; }
    script.setAttribute("data-altavoz-frame", "1");
    var origin = new URL(script.src, window.location.href).origin;
    var prefix = LANGUAGES[script.getAttribute("data-language")] || "";
    var frame = document.createElement("iframe");
    frame.src = origin + prefix + "/embed/" + slug + "/";
    frame.title = script.getAttribute("data-title") || "Altavoz";
    frame.style.width = "100%";
    frame.style.height = "900px";
    frame.style.border = "0";
    frame.style.display = "block";
    script.parentNode.insertBefore(frame, script.nextSibling);
    window.addEventListener("message", function (event) {
      if (event.origin !== origin || event.source !== frame.contentWindow) { return; }
      var data = event.data;
      if (!data || data.type !== "altavoz:height") { return; }
      var height = Math.ceil(Number(data.height));
      if (height > 0 && height < MAX_HEIGHT) { frame.style.height = height + "px"; }
    });
  }

  var scripts = document.querySelectorAll("script[data-campaign]");
  for (var i = 0; i < scripts.length; i++) {
    if (/\/static\/altavoz\/embed\.js(\?|$)/.test(scripts[i].src)) { insert(scripts[i]); }
  }
})();
