// Quick exit: leave the site at once for a neutral page, replacing this page in the
// browser's history so Back does not bring it back. Works from the "Quick exit"
// button of any help-line block, and from pressing Escape three times in a row.
// Without JavaScript the button is still a plain link to the neutral page.
(function () {
  "use strict";

  function leave(href) {
    document.body.hidden = true; // nothing of the page stays on screen meanwhile
    window.location.replace(href);
  }

  function exitLink() {
    return document.querySelector("a[data-quick-exit]");
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-quick-exit]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    event.preventDefault();
    leave(link.href);
  });

  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var link = exitLink();
    if (!link) return;
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 1500; });
    presses.push(now);
    if (presses.length >= 3) leave(link.href);
  });
})();
