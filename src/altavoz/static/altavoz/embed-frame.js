/* Inside the embed's frame: tell the page that frames it how tall the content is, each time
   it changes (its embed.js checks that the message comes from this site). Only the height is
   sent. Without JavaScript the frame keeps the height it was given and scrolls. */
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var ancestors = window.location.ancestorOrigins;
  var target = ancestors && ancestors.length ? ancestors[0] : "*";

  function send() {
    var height = document.documentElement.getBoundingClientRect().height;
    window.parent.postMessage({ type: "altavoz:height", height: height }, target);
  }

  window.addEventListener("load", send);
  if (window.ResizeObserver) {
    new window.ResizeObserver(send).observe(document.documentElement);
  } else {
    window.addEventListener("resize", send);
  }
})();
